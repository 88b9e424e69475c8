package io.aviary.auth.mongodb.connect;

import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCredential;
import com.mongodb.ReadPreference;
import com.mongodb.ServerAddress;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.connection.ClusterConnectionMode;
import com.mongodb.connection.ClusterType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import org.bson.BsonDocument;

/**
 * One instance's MongoDB: the official driver's client (its own connection pool and server
 * monitor) and a small bounded executor that runs the blocking lookups, so no broker thread ever
 * waits on the database. Every lookup is bounded: by the driver's connect, socket, server selection
 * and pool wait timeouts, and as a whole by {@code request_timeout} (a lookup that waited its time
 * in the queue is dropped without running). A full queue fails the lookup at once.
 */
public final class MongoBackend implements AutoCloseable {
    /** Lookups waiting for a thread, at most; beyond them a lookup fails at once. */
    static final int QUEUE = 1_000;

    private final MongoSettings settings;
    private final MongoClient client;
    private final MongoCollection<BsonDocument> collection;
    private final ThreadPoolExecutor executor;

    /** @param threadName prefix of the lookup threads' names, e.g. "auth-mongodb-acme" */
    public MongoBackend(MongoSettings settings, SSLContext tls, String threadName) {
        this.settings = settings;
        this.client = MongoClients.create(clientSettings(settings, tls));
        this.collection = client.getDatabase(settings.database()).getCollection(settings.collection(), BsonDocument.class)
                .withReadPreference(settings.readFromSecondaries() ? ReadPreference.secondaryPreferred() : ReadPreference.primary());
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(settings.poolSize(), settings.poolSize(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE), r -> {
                    Thread t = new Thread(r, threadName + "-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        executor.allowCoreThreadTimeOut(true);
    }

    static MongoClientSettings clientSettings(MongoSettings s, SSLContext tls) {
        List<ServerAddress> addresses = new ArrayList<>();
        for (String hp : s.hosts()) {
            int colon = hp.lastIndexOf(':');
            String host = hp.substring(0, colon);
            addresses.add(new ServerAddress(host.startsWith("[") ? host.substring(1, host.length() - 1) : host,
                    Integer.parseInt(hp.substring(colon + 1))));
        }
        MongoSettings.Timeouts t = s.timeouts();
        MongoClientSettings.Builder b = MongoClientSettings.builder()
                .applicationName("aviary")
                .applyToClusterSettings(c -> {
                    c.hosts(addresses).serverSelectionTimeout(t.serverSelectionMs(), TimeUnit.MILLISECONDS);
                    switch (s.mongoType()) {
                        case "rs" -> c.mode(ClusterConnectionMode.MULTIPLE).requiredClusterType(ClusterType.REPLICA_SET)
                                .requiredReplicaSetName(s.replicaSetName());
                        case "sharded" -> c.mode(ClusterConnectionMode.MULTIPLE).requiredClusterType(ClusterType.SHARDED);
                        default -> c.mode(ClusterConnectionMode.SINGLE);
                    }
                })
                .applyToSocketSettings(k -> k.connectTimeout((int) t.connectMs(), TimeUnit.MILLISECONDS)
                        .readTimeout((int) t.socketMs(), TimeUnit.MILLISECONDS))
                .applyToConnectionPoolSettings(p -> p.maxSize(s.poolSize()).minSize(0)
                        .maxWaitTime(t.waitQueueMs(), TimeUnit.MILLISECONDS))
                .applyToServerSettings(v -> v.heartbeatFrequency(t.heartbeatMs(), TimeUnit.MILLISECONDS))
                .retryReads(false); // a retry would double the wait of a CONNECT; the client reconnects instead
        if (s.tls().enable()) {
            b.applyToSslSettings(k -> k.enabled(true).context(tls).invalidHostNameAllowed(!s.tls().verifyPeer()));
        }
        if (s.username() != null && !s.username().isEmpty()) {
            String source = s.authSource() != null ? s.authSource() : s.database();
            char[] password = s.password() == null ? new char[0] : s.password().toCharArray();
            b.credential(MongoCredential.createCredential(s.username(), source, password));
        }
        return b.build();
    }

    public MongoSettings settings() {
        return settings;
    }

    /**
     * The documents matching {@code filter}, at most {@code limit}, in the collection's natural order.
     * Completes exceptionally when the database is down, slow, or the queue is full.
     */
    public CompletableFuture<List<BsonDocument>> find(BsonDocument filter, int limit) {
        return find(filter, limit, Function.identity());
    }

    /**
     * As {@link #find(BsonDocument, int)}, with {@code then} applied to the documents on the lookup's
     * own thread, so work such as checking a bcrypt hash never runs on the caller's (a broker) thread.
     */
    public <T> CompletableFuture<T> find(BsonDocument filter, int limit, Function<List<BsonDocument>, T> then) {
        CompletableFuture<T> result = new CompletableFuture<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.requestTimeoutMs());
        try {
            executor.execute(() -> {
                if (result.isDone() || System.nanoTime() - deadline > 0) {
                    result.completeExceptionally(new TimeoutException("no free connection within request_timeout"));
                    return;
                }
                try {
                    result.complete(then.apply(collection.find(filter).limit(limit).batchSize(limit).into(new ArrayList<>())));
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new RejectedExecutionException(QUEUE + " lookups are already waiting"));
        }
        return result.orTimeout(settings.requestTimeoutMs(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        executor.shutdownNow();
        client.close();
    }
}

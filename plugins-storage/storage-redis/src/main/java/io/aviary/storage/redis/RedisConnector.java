package io.aviary.storage.redis;

import io.aviary.api.integration.Connector;
import io.aviary.api.integration.ConnectorContext;
import io.aviary.api.integration.Health;
import io.aviary.api.integration.Sink;
import io.aviary.redis.support.RedisClients;
import io.aviary.redis.support.RedisSettings;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A redis connector: the Jedis client (and its pool) its actions write through. Opening it
 * connects nothing; a health check PINGs on the connector's own thread, so a server that is down
 * or refuses the login shows as disconnected with Redis's own words ("WRONGPASS ...").
 */
final class RedisConnector implements Connector {
    private static final Logger LOG = LoggerFactory.getLogger(RedisConnector.class);
    static final long CHECK_LIMIT_MS = 5000;

    private final ConnectorContext context;
    private final RedisSettings settings;
    private final RedisClients clients;
    private final ExecutorService checker;
    /** The last failed check's error, so an outage is logged once, not at every health check. */
    private volatile String lastCheckError;
    private final Set<RedisSink> sinks = ConcurrentHashMap.newKeySet();

    RedisConnector(ConnectorContext context, RedisSettings settings) {
        this.context = context;
        this.settings = settings;
        this.clients = new RedisClients("storage-redis: tenant=" + context.tenant() + " connector=" + context.connectorId(), settings);
        this.checker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "redis-check-" + context.tenant() + "-" + context.connectorId());
            t.setDaemon(true);
            return t;
        });
        LOG.info("storage-redis: tenant={} connector={} opened for {} ({}, pool_size {})", context.tenant(),
                context.connectorId(), settings.describeServers(), settings.cluster() ? "cluster" : "single",
                settings.poolSize());
    }

    @Override
    public CompletionStage<Health> check() {
        CompletableFuture<Health> result = new CompletableFuture<>();
        try {
            checker.execute(() -> {
                try {
                    clients.get().ping();
                    lastCheckError = null;
                    result.complete(Health.connected());
                } catch (RuntimeException e) {
                    String error = RedisErrors.describe(e);
                    if (!error.equals(lastCheckError)) {
                        LOG.info("storage-redis: tenant={} connector={} cannot reach {}: {}", context.tenant(),
                                context.connectorId(), settings.describeServers(), error);
                    }
                    lastCheckError = error;
                    result.complete(Health.disconnected(error));
                }
            });
        } catch (RejectedExecutionException e) {
            result.complete(Health.disconnected("connector is stopped"));
        }
        return result.completeOnTimeout(Health.disconnected("no answer from " + settings.describeServers() + " within "
                + CHECK_LIMIT_MS + " ms"), CHECK_LIMIT_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public Sink sink(String actionId, Map<String, Object> parameters) {
        CommandTemplate template = new CommandTemplate(context.templates(), parameters);
        RedisSink sink = new RedisSink(context.tenant(), actionId, clients, template, settings.poolSize(), sinks::remove);
        sinks.add(sink);
        LOG.info("storage-redis: tenant={} connector={} action={} ready", context.tenant(), context.connectorId(), actionId);
        return sink;
    }

    @Override
    public void close() {
        List.copyOf(sinks).forEach(RedisSink::close);
        checker.shutdownNow();
        clients.close();
        LOG.info("storage-redis: tenant={} connector={} closed", context.tenant(), context.connectorId());
    }
}

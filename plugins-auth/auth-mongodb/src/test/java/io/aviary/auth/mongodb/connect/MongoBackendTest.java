package io.aviary.auth.mongodb.connect;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.bson.BsonDocument;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * Lookups against a real MongoDB wire-protocol server: mongo-java-server (an emulation of MongoDB,
 * not MongoDB itself) in this JVM, reached by the official driver over TCP.
 */
public class MongoBackendTest {
    private MongoServer server;
    private InetSocketAddress address;
    private MongoBackend backend;

    @Before
    public void start() {
        server = new MongoServer(new MemoryBackend());
        address = server.bind();
    }

    @After
    public void stop() {
        if (backend != null) {
            backend.close();
        }
        server.shutdownNow();
    }

    static Map<String, Object> config(int port, String filter) {
        Map<String, Object> c = new HashMap<>();
        c.put("server", "127.0.0.1:" + port);
        c.put("database", "mqtt");
        c.put("collection", "mqtt_user");
        if (filter != null) {
            c.put("filter", filter);
        }
        // generous: a loaded build machine makes a first (TLS) handshake slow; the outage tests set their own
        c.put("topology", "{\"server_selection_timeout_ms\": 10000, \"connect_timeout_ms\": 5000, \"socket_timeout_ms\": \"5s\"}");
        c.put("request_timeout", "15s");
        return c;
    }

    private void insertUsers() throws Exception {
        backend = new MongoBackend(MongoSettings.from(config(address.getPort(), null)), null, "test");
        // the collection is filled through a second client of the same driver
        try (com.mongodb.client.MongoClient c = com.mongodb.client.MongoClients.create(
                "mongodb://127.0.0.1:" + address.getPort())) {
            c.getDatabase("mqtt").getCollection("mqtt_user").insertMany(List.of(
                    new org.bson.Document("username", "alice").append("password_hash", "a"),
                    new org.bson.Document("username", "bob").append("password_hash", "b")));
        }
    }

    private List<BsonDocument> find(BsonDocument filter) throws Exception {
        return backend.find(filter, 10).get(20, TimeUnit.SECONDS);
    }

    @Test
    public void aBoundUserNameFindsItsDocument() throws Exception {
        insertUsers();
        List<BsonDocument> found = find(backend.settings().filter().render(Map.of("username", "alice")));
        assertEquals(1, found.size());
        assertEquals("a", found.get(0).getString("password_hash").getValue());
    }

    @Test
    public void injectionAttemptsInUserNamesMatchNothingOnTheServer() throws Exception {
        insertUsers();
        // the attack is real: the same text spliced into the filter's text matches every user
        BsonDocument spliced = BsonDocument.parse(FilterTemplate.DEFAULT.replace("\"${username}\"", "{\"$ne\": null}"));
        assertEquals(2, find(spliced).size());
        BsonDocument gt = BsonDocument.parse(FilterTemplate.DEFAULT.replace("\"${username}\"", "{\"$gt\": \"\"}"));
        assertEquals(2, find(gt).size());
        // bound as values, the same user names are just names nobody has
        for (String hostile : List.of("{\"$ne\": null}", "{\"$gt\": \"\"}", "$where", "{\"$where\": \"true\"}",
                "alice\", \"$or\": [{}], \"x\": \"", "' OR '1'='1", ".*")) {
            assertEquals(hostile, 0, find(backend.settings().filter().render(Map.of("username", hostile))).size());
        }
    }

    @Test
    public void requestTimeoutBoundsALookupIncludingItsWaitForAFreeThread() throws Exception {
        // a server that accepts connections and never answers, one lookup thread, a long server selection
        try (ServerSocket hung = new ServerSocket(0)) {
            Map<String, Object> c = config(hung.getLocalPort(), null);
            c.put("pool_size", 1L);
            c.put("request_timeout", "600ms");
            c.put("topology", "{\"server_selection_timeout_ms\": 5000, \"connect_timeout_ms\": 5000}");
            backend = new MongoBackend(MongoSettings.from(c), null, "test-hung");
            long begin = System.nanoTime();
            var first = backend.find(new BsonDocument(), 1);
            var queued = backend.find(new BsonDocument(), 1);
            for (var lookup : List.of(first, queued)) {
                ExecutionException e = assertThrows(ExecutionException.class, () -> lookup.get(10, TimeUnit.SECONDS));
                assertTrue(e.getCause().toString(), e.getCause() instanceof java.util.concurrent.TimeoutException);
            }
            long ms = (System.nanoTime() - begin) / 1_000_000;
            assertTrue("both failed after " + ms + " ms", ms >= 500 && ms < 2_000);
        }
    }

    @Test
    public void aServerThatIsDownFailsTheLookupWithinTheServerSelectionTimeout() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Map<String, Object> c = config(closed, null);
        c.put("topology", "{\"server_selection_timeout_ms\": 800, \"connect_timeout_ms\": 800}");
        backend = new MongoBackend(MongoSettings.from(c), null, "test-down");
        long begin = System.nanoTime();
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> backend.find(new BsonDocument(), 1).get(10, TimeUnit.SECONDS));
        long ms = (System.nanoTime() - begin) / 1_000_000;
        assertTrue(e.getCause().toString(), e.getCause() instanceof com.mongodb.MongoTimeoutException);
        assertTrue("failed after " + ms + " ms", ms >= 700 && ms < 4_000);
    }
}

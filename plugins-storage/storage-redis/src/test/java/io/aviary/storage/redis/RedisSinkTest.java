package io.aviary.storage.redis;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.aviary.api.integration.Connector;
import io.aviary.api.integration.Health;
import io.aviary.api.integration.Sink;
import io.aviary.api.integration.SinkException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import redis.clients.jedis.RedisClient;

/**
 * The redis sink against the single Redis node that scripts/services.sh started: what a batch
 * writes is read back with a Redis client, and failures carry Redis's own words with the right
 * retry decision.
 */
public class RedisSinkTest {
    private static int port;
    private static RedisClient reader;
    private final String prefix = "aviary-test:" + UUID.randomUUID() + ":";
    private Connector connector;

    @BeforeClass
    public static void connectReader() {
        port = TestServices.port("redis");
        reader = RedisClient.create("127.0.0.1", port);
        // a user of our own for the wrong-password test (the server runs without requirepass)
        reader.sendCommand(redis.clients.jedis.Protocol.Command.ACL, "SETUSER", "aviary_test", "on", ">right-password", "~*", "+@all");
    }

    @AfterClass
    public static void closeReader() {
        reader.close();
    }

    @After
    public void cleanUp() {
        if (connector != null) {
            connector.close();
        }
        for (String key : reader.keys(prefix + "*")) {
            reader.del(key);
        }
    }

    private Connector open(Map<String, Object> parameters) {
        Map<String, Object> p = new HashMap<>(Map.of("redis_type", "single", "server", "127.0.0.1:" + port, "pool_size", 2L));
        p.putAll(parameters);
        connector = new RedisConnectorType(Map.of("tenant", "t1")).open(TestContext.of("redis:r1"), Map.of("parameters", p));
        return connector;
    }

    private Sink sink(Connector c, String... command) {
        return c.sink("redis:a1", Map.of("command_template", List.of(command)));
    }

    private Map<String, Object> record(String clientId, long temp) {
        return Map.of("clientid", prefix + clientId, "payload", Map.of("temp", temp), "topic", "t/" + clientId);
    }

    private static void await(Sink sink, List<Map<String, Object>> batch) throws Exception {
        sink.send(batch).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    public void hsetBatchIsPipelinedAndReadBackWithHget() throws Exception {
        Sink sink = sink(open(Map.of()), "HSET", "${clientid}", "temp", "${payload.temp}", "topic", "${topic}");

        await(sink, List.of(record("c1", 21), record("c2", 22), record("c3", 23)));

        for (int i = 1; i <= 3; i++) {
            assertEquals("2" + i, reader.hget(prefix + "c" + i, "temp"));
            assertEquals("t/c" + i, reader.hget(prefix + "c" + i, "topic"));
        }
    }

    @Test
    public void rpushKeepsTheOrderOfTheBatch() throws Exception {
        Sink sink = sink(open(Map.of()), "RPUSH", prefix + "log", "${payload.temp}");
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            batch.add(record("c", i));
        }

        await(sink, batch);
        await(sink, List.of(record("c", 100)));

        List<String> values = reader.lrange(prefix + "log", 0, -1);
        assertEquals(101, values.size());
        for (int i = 0; i <= 100; i++) {
            assertEquals(String.valueOf(i), values.get(i));
        }
    }

    @Test
    public void setWithExpirySetsTheTtl() throws Exception {
        Sink sink = sink(open(Map.of()), "SET", "${clientid}", "${payload}", "EX", "300");

        await(sink, List.of(record("c1", 7)));

        assertEquals("{\"temp\":7}", reader.get(prefix + "c1"));
        long ttl = reader.ttl(prefix + "c1");
        assertTrue("ttl " + ttl, ttl > 0 && ttl <= 300);
    }

    @Test
    public void databaseSelectsTheLogicalDatabase() throws Exception {
        Sink sink = sink(open(Map.of("database", 3L)), "SET", "${clientid}", "db3");

        await(sink, List.of(record("c1", 1)));

        assertNull("not in database 0", reader.get(prefix + "c1"));
        try (RedisClient db3 = RedisClient.builder().hostAndPort("127.0.0.1", port)
                .clientConfig(redis.clients.jedis.DefaultJedisClientConfig.builder().database(3).build()).build()) {
            assertEquals("db3", db3.get(prefix + "c1"));
            db3.del(prefix + "c1");
        }
    }

    @Test
    public void wrongTypeReplyFailsTheBatchAsFatalWithRedisWords() throws Exception {
        reader.set(prefix + "log", "a string");
        Sink sink = sink(open(Map.of()), "RPUSH", prefix + "log", "${payload.temp}");

        SinkException e = failure(sink, List.of(record("c1", 1)));

        assertFalse("WRONGTYPE fails again the same way", e.retryable());
        assertTrue(e.getMessage(), e.getMessage().startsWith("WRONGTYPE Operation against a key holding the wrong kind of value"));
    }

    @Test
    public void unknownCommandIsFatalAndTheRestOfTheBatchStillRan() throws Exception {
        Sink sink = sink(open(Map.of()), "${payload.cmd}", "${clientid}", "v");
        List<Map<String, Object>> batch = List.of(
                Map.of("clientid", prefix + "a", "payload", Map.of("cmd", "SET")),
                Map.of("clientid", prefix + "b", "payload", Map.of("cmd", "NOSUCHCOMMAND")));

        SinkException e = failure(sink, batch);

        assertFalse(e.retryable());
        assertTrue(e.getMessage(), e.getMessage().startsWith("ERR unknown command 'NOSUCHCOMMAND'"));
        assertTrue(e.getMessage(), e.getMessage().endsWith("(1 of 2 commands failed)"));
        assertEquals("Redis has no rollback: the good command ran", "v", reader.get(prefix + "a"));
    }

    @Test
    public void wrongPasswordIsReportedByCheckWithRedisRefusalWithinFiveSeconds() throws Exception {
        Connector c = open(Map.of("username", "aviary_test", "password", "wrong-password"));
        long start = System.nanoTime();

        Health h = c.check().toCompletableFuture().get(10, TimeUnit.SECONDS);

        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals(Health.Status.DISCONNECTED, h.status());
        assertEquals("WRONGPASS invalid username-password pair or user is disabled.", h.error());
        assertTrue("answered in " + ms + " ms", ms < 5000);
        assertFalse("a refused login is not retried", failure(sink(c, "SET", "${clientid}", "x"), List.of(record("c1", 1))).retryable());
    }

    @Test
    public void rightCredentialsOfAnAclUserConnect() throws Exception {
        Connector c = open(Map.of("username", "aviary_test", "password", "right-password"));
        assertEquals(Health.connected(), c.check().toCompletableFuture().get(10, TimeUnit.SECONDS));
        await(sink(c, "SET", "${clientid}", "as-acl-user"), List.of(record("c1", 1)));
        assertEquals("as-acl-user", reader.get(prefix + "c1"));
    }

    @Test
    public void serverNotListeningIsRetryableAndCheckSaysConnectionRefused() throws Exception {
        Connector c = open(Map.of("server", "127.0.0.1:" + TestServices.closedPort()));

        Health h = c.check().toCompletableFuture().get(10, TimeUnit.SECONDS);
        SinkException e = failure(sink(c, "SET", "${clientid}", "x"), List.of(record("c1", 1)));

        assertEquals(Health.Status.DISCONNECTED, h.status());
        assertEquals("Connection refused", h.error());
        assertTrue("the server may come back", e.retryable());
        assertEquals("Connection refused", e.getMessage());
    }

    @Test
    public void anEmptyCommandTemplateIsRefusedNamingTheField() {
        Connector c = open(Map.of());
        try {
            c.sink("redis:a1", Map.of("command_template", List.of()));
            fail("empty command accepted");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("parameters.command_template"));
        }
    }

    private static SinkException failure(Sink sink, List<Map<String, Object>> batch) throws Exception {
        try {
            sink.send(batch).toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertTrue("a SinkException, not " + e.getCause(), e.getCause() instanceof SinkException);
            return (SinkException) e.getCause();
        }
        throw new AssertionError("the batch did not fail");
    }
}

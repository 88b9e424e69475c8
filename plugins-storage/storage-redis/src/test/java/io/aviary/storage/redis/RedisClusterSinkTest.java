package io.aviary.storage.redis;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.aviary.api.integration.Connector;
import io.aviary.api.integration.Health;
import io.aviary.api.integration.Sink;
import io.aviary.api.integration.SinkException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * The redis sink in cluster mode against the 3-master Redis Cluster that scripts/services.sh
 * started: a batch whose keys live on every node is written in one send and read back.
 */
public class RedisClusterSinkTest {
    private static String servers;
    private static RedisClusterClient reader;
    private final String prefix = "aviary-test:" + UUID.randomUUID() + ":";
    private final List<String> written = new ArrayList<>();
    private Connector connector;

    @BeforeClass
    public static void connectReader() {
        servers = TestServices.file("redis-cluster", "servers");
        Set<HostAndPort> nodes = new HashSet<>();
        for (String s : servers.split(",")) {
            nodes.add(HostAndPort.from(s));
        }
        reader = RedisClusterClient.create(nodes);
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
        written.forEach(reader::del);
    }

    private Connector open(String seeds) {
        connector = new RedisConnectorType(Map.of("tenant", "t1")).open(TestContext.of("redis:c1"),
                Map.of("parameters", Map.of("redis_type", "cluster", "servers", seeds, "pool_size", 2L)));
        return connector;
    }

    @Test
    public void batchWithKeysOnEveryNodeIsWrittenAndReadBack() throws Exception {
        // one seed is enough: the client discovers the other masters
        Connector c = open(servers.split(",")[0]);
        assertEquals(Health.connected(), c.check().toCompletableFuture().get(10, TimeUnit.SECONDS));
        Sink sink = c.sink("redis:a1", Map.of("command_template", List.of("HSET", "${clientid}", "temp", "${payload.temp}")));
        List<Map<String, Object>> batch = new ArrayList<>();
        Set<Integer> slotRanges = new HashSet<>();
        for (int i = 0; i < 60; i++) {
            String key = prefix + "c" + i;
            written.add(key);
            slotRanges.add(JedisClusterCRC16.getSlot(key) * 3 / 16384); // the three masters split the slots evenly
            batch.add(Map.of("clientid", key, "payload", Map.of("temp", (long) i)));
        }
        assertEquals("the batch spans the three masters", 3, slotRanges.size());

        sink.send(batch).toCompletableFuture().get(10, TimeUnit.SECONDS);

        for (int i = 0; i < 60; i++) {
            assertEquals(String.valueOf(i), reader.hget(prefix + "c" + i, "temp"));
        }
    }

    @Test
    public void wrongTypeInClusterModeIsFatal() throws Exception {
        String key = prefix + "list";
        written.add(key);
        reader.set(key, "a string");
        Sink sink = open(servers).sink("redis:a1", Map.of("command_template", List.of("LPUSH", key, "${payload}")));

        try {
            sink.send(List.of(Map.of("payload", "x"))).toCompletableFuture().get(10, TimeUnit.SECONDS);
            throw new AssertionError("the batch did not fail");
        } catch (ExecutionException e) {
            SinkException s = (SinkException) e.getCause();
            assertFalse(s.retryable());
            assertTrue(s.getMessage(), s.getMessage().startsWith("WRONGTYPE"));
        }
    }

    @Test
    public void clusterNotReachableIsReportedByCheck() throws Exception {
        Health h = open("127.0.0.1:" + TestServices.closedPort()).check().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(Health.Status.DISCONNECTED, h.status());
        assertEquals("Connection refused", h.error());
    }
}

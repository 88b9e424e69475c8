package io.aviary.auth.redis;

import static org.junit.Assert.assertEquals;

import io.aviary.api.auth.AuthRequest;
import io.aviary.api.auth.AuthResult;
import io.aviary.api.auth.Decision;
import io.aviary.api.client.ClientInfo;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;

/**
 * redis_type sentinel against a real master and a real Redis Sentinel (redis-server --sentinel)
 * started here: the sentinel names the master, the user is read from it.
 */
public class RedisSentinelAuthTest {
    private Path dir;
    private final List<Process> servers = new ArrayList<>();
    private int sentinelPort;
    private final List<RedisAuthenticator> instances = new ArrayList<>();

    @Before
    public void startMasterAndSentinel() throws Exception {
        dir = Files.createTempDirectory("auth-redis-sentinel");
        int masterPort = TestServices.closedPort();
        sentinelPort = TestServices.closedPort();
        servers.add(new ProcessBuilder("redis-server", "--port", String.valueOf(masterPort), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("master.log").toFile()).start());
        Path conf = dir.resolve("sentinel.conf");
        Files.writeString(conf, "port " + sentinelPort + "\nbind 127.0.0.1\ndir " + dir + "\n"
                + "sentinel monitor mymaster 127.0.0.1 " + masterPort + " 1\n");
        servers.add(new ProcessBuilder("redis-server", conf.toString(), "--sentinel")
                .redirectErrorStream(true).redirectOutput(dir.resolve("sentinel.log").toFile()).start());
        Awaitility.await("master up").atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            try (RedisClient master = RedisClient.create("127.0.0.1", masterPort)) {
                master.hset("mqtt_user:alice", Map.of("password_hash", "s3cret"));
                return true;
            }
        });
        Awaitility.await("sentinel knows the master").atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            try (Jedis sentinel = new Jedis("127.0.0.1", sentinelPort)) {
                return sentinel.sentinelGetMasterAddrByName("mymaster").size() == 2;
            }
        });
    }

    @After
    public void stop() throws Exception {
        instances.forEach(RedisAuthenticator::deactivate);
        for (Process p : servers) {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private Decision connect(String master, String password) throws Exception {
        Map<String, Object> props = new HashMap<>(Map.of("tenant", "acme", "redis_type", "sentinel",
                "servers", "127.0.0.1:" + sentinelPort, "sentinel", master, "request_timeout", "2s",
                "password_hash_algorithm", "{\"name\":\"plain\"}"));
        RedisAuthenticator a = new RedisAuthenticator(props);
        instances.add(a);
        ClientInfo client = new ClientInfo("acme", "c1", "alice", new InetSocketAddress("127.0.0.1", 40000), "mqtt", 5,
                "tcp:default", null, null, Map.of());
        AuthResult r = a.authenticate(new AuthRequest(client, "alice", password.getBytes(StandardCharsets.UTF_8), null, null))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        return r.decision();
    }

    @Test
    public void theSentinelsMasterHoldsTheUsers() throws Exception {
        assertEquals(Decision.ALLOW, connect("mymaster", "s3cret"));
        assertEquals(Decision.DENY, connect("mymaster", "guess"));
    }

    @Test
    public void aMasterTheSentinelsDoNotKnowIsIgnored() throws Exception {
        assertEquals(Decision.IGNORE, connect("othermaster", "s3cret"));
    }
}

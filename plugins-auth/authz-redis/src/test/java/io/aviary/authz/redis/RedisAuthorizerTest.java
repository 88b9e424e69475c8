package io.aviary.authz.redis;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.aviary.api.auth.Action;
import io.aviary.api.auth.Decision;
import io.aviary.api.client.ClientInfo;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Test;
import redis.clients.jedis.RedisClient;

/** The source against the real Redis of scripts/services.sh, and against a port nothing listens on. */
public class RedisAuthorizerTest {
    private final String key = "aviary-test:" + UUID.randomUUID() + ":acl:";
    private RedisAuthorizer source;
    private final RedisClient redis = RedisClient.create("127.0.0.1", redisPort());

    @After
    public void cleanUp() {
        if (source != null) {
            source.deactivate();
        }
        redis.del(key + "alice");
        redis.close();
    }

    private static int redisPort() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path file = p.resolve("target/services/redis/port");
            if (Files.exists(p.resolve("scripts/services.sh"))) {
                try {
                    return Integer.parseInt(Files.readString(file).trim());
                } catch (IOException e) {
                    throw new IllegalStateException("no " + file + ": start it with scripts/services.sh up redis", e);
                }
            }
        }
        throw new IllegalStateException("project root not found");
    }

    private RedisAuthorizer source(int port) {
        Map<String, Object> props = new HashMap<>(Map.of("tenant", "acme", "server", "127.0.0.1:" + port,
                "cmd", "HGETALL " + key + "${username}", "request_timeout", "1s"));
        source = new RedisAuthorizer(props);
        return source;
    }

    private static Decision decide(RedisAuthorizer s, String user, Action action, String topic) throws Exception {
        ClientInfo client = new ClientInfo("acme", "dev-1", user, new InetSocketAddress("127.0.0.1", 40000), "mqtt", 5,
                "tcp:default", null, null, Map.of());
        return s.authorize(client, action, topic, 1, false).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    public void theClientsHashAllowsAndAnythingElseIsIgnored() throws Exception {
        redis.hset(key + "alice", Map.of("users/${username}/#", "all", "in/${clientid}", "{\"action\":\"subscribe\"}"));
        RedisAuthorizer s = source(redisPort());
        assertEquals(Decision.ALLOW, decide(s, "alice", Action.PUBLISH, "users/alice/t"));
        assertEquals(Decision.ALLOW, decide(s, "alice", Action.SUBSCRIBE, "in/dev-1"));
        assertEquals(Decision.IGNORE, decide(s, "alice", Action.PUBLISH, "in/dev-1"));
        assertEquals(Decision.IGNORE, decide(s, "alice", Action.PUBLISH, "users/bob/t"));
        assertEquals("another user's hash is another key", Decision.IGNORE, decide(s, "ali*", Action.PUBLISH, "users/ali*/t"));
        assertEquals(Decision.IGNORE, decide(s, "bob", Action.PUBLISH, "users/bob/t"));
    }

    @Test
    public void aRedisThatIsDownIsIgnored() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        RedisAuthorizer s = source(closed);
        long begin = System.nanoTime();
        assertEquals(Decision.IGNORE, decide(s, "alice", Action.PUBLISH, "users/alice/t"));
        assertTrue(System.nanoTime() - begin < TimeUnit.SECONDS.toNanos(3));
    }
}

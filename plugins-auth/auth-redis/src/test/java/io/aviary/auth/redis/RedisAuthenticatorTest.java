package io.aviary.auth.redis;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.aviary.api.auth.AuthRequest;
import io.aviary.api.auth.AuthResult;
import io.aviary.api.auth.Decision;
import io.aviary.api.client.ClientInfo;
import io.aviary.auth.builtin.hash.HashSpec;
import io.aviary.auth.builtin.hash.PasswordHasher;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * The authenticator against the real Redis of scripts/services.sh (single node and the 3-master
 * cluster): users written with a Redis client, checked as EMQX checks them.
 */
public class RedisAuthenticatorTest {
    private final String prefix = "aviary-test:" + UUID.randomUUID() + ":";
    private final List<RedisAuthenticator> instances = new ArrayList<>();
    private final List<UnifiedJedis> redis = new ArrayList<>();
    private final List<String> keys = new ArrayList<>();

    @After
    public void cleanUp() {
        instances.forEach(RedisAuthenticator::deactivate);
        for (UnifiedJedis r : redis) {
            keys.forEach(r::del);
            r.close();
        }
    }

    private UnifiedJedis single() {
        UnifiedJedis r = RedisClient.create("127.0.0.1", Integer.parseInt(TestServices.file("redis", "port")));
        redis.add(r);
        return r;
    }

    private RedisAuthenticator authenticator(Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>();
        props.put("tenant", "acme");
        props.put("server", "127.0.0.1:" + TestServices.file("redis", "port"));
        props.put("cmd", "HMGET " + prefix + "${username} password_hash salt is_superuser");
        props.putAll(extra);
        RedisAuthenticator a = new RedisAuthenticator(props);
        instances.add(a);
        return a;
    }

    private void user(UnifiedJedis r, String name, Map<String, String> fields) {
        r.hset(prefix + name, fields);
        keys.add(prefix + name);
    }

    private static AuthResult connect(RedisAuthenticator a, String username, String password) throws Exception {
        ClientInfo client = new ClientInfo("acme", "c-" + username, username, new InetSocketAddress("127.0.0.1", 40000),
                "mqtt", 5, "tcp:default", null, null, Map.of());
        return a.authenticate(new AuthRequest(client, username, password == null ? null : password.getBytes(StandardCharsets.UTF_8),
                null, null)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    public void usersHashedAsEmqxDoesAreAdmittedAndWrongPasswordsRefusedWith0x86() throws Exception {
        UnifiedJedis r = single();
        HashSpec sha = new HashSpec("sha256", "suffix", 10, "sha256", 4096, 0);
        PasswordHasher.Hashed hashed = PasswordHasher.hash(sha, "s3cret".getBytes(StandardCharsets.UTF_8));
        user(r, "alice", Map.of("password_hash", hashed.hash(), "salt", hashed.salt()));
        HashSpec unsalted = new HashSpec("sha256", "disable", 10, "sha256", 4096, 0);
        user(r, "root", Map.of("password_hash", PasswordHasher.hash(unsalted, "r00t".getBytes(StandardCharsets.UTF_8)).hash(),
                "salt", "", "is_superuser", "1"));
        RedisAuthenticator a = authenticator(Map.of("password_hash_algorithm", "{\"name\":\"sha256\",\"salt_position\":\"suffix\"}"));

        AuthResult alice = connect(a, "alice", "s3cret");
        assertEquals(Decision.ALLOW, alice.decision());
        assertFalse(alice.superuser());
        AuthResult wrong = connect(a, "alice", "guess");
        assertEquals(Decision.DENY, wrong.decision());
        assertEquals(AuthResult.BAD_USERNAME_OR_PASSWORD, wrong.reasonCode());
        assertEquals("no password at all is a wrong one", Decision.DENY, connect(a, "alice", null).decision());
        // root's salt is empty (EMQX: no salt), and is_superuser 1 makes it a superuser
        AuthResult root = connect(a, "root", "r00t");
        assertEquals(Decision.ALLOW, root.decision());
        assertTrue(root.superuser());
    }

    @Test
    public void bcryptPlainAndTheSuperuserFlag() throws Exception {
        UnifiedJedis r = single();
        user(r, "b", Map.of("password_hash", PasswordHasher.hash(new HashSpec("bcrypt", "disable", 4, "sha256", 1, 0),
                "pw".getBytes(StandardCharsets.UTF_8)).hash(), "is_superuser", "true"));
        user(r, "p", Map.of("password_hash", "plain-pw", "is_superuser", "0"));
        AuthResult b = connect(authenticator(Map.of("password_hash_algorithm", "{\"name\":\"bcrypt\"}")), "b", "pw");
        assertEquals(Decision.ALLOW, b.decision());
        assertTrue(b.superuser());
        AuthResult p = connect(authenticator(Map.of("password_hash_algorithm", "{\"name\":\"plain\"}")), "p", "plain-pw");
        assertEquals(Decision.ALLOW, p.decision());
        assertFalse(p.superuser());
    }

    @Test
    public void unknownUsersAndHashesWithoutAPasswordAreIgnored() throws Exception {
        UnifiedJedis r = single();
        user(r, "nohash", Map.of("salt", "x", "is_superuser", "1"));
        RedisAuthenticator a = authenticator(Map.of());
        assertEquals(Decision.IGNORE, connect(a, "nobody", "x").decision());
        assertEquals(Decision.IGNORE, connect(a, "nohash", "x").decision());
        assertEquals("no user name: the key is the prefix alone, not there", Decision.IGNORE, connect(a, null, "x").decision());
    }

    @Test
    public void hostileUserNamesReachNoOtherKey() throws Exception {
        UnifiedJedis r = single();
        user(r, "alice", Map.of("password_hash", "pw"));
        user(r, "*", Map.of("password_hash", "star"));
        RedisAuthenticator a = authenticator(Map.of("password_hash_algorithm", "{\"name\":\"plain\"}"));
        for (String hostile : List.of("ali*", "a*", "?lice", "[a]lice", "alice password_hash", "x salt",
                prefix + "alice", "alice\r\nFLUSHALL", "\"alice\"", "' OR '1'='1", "alice\" \"x")) {
            assertEquals(hostile, Decision.IGNORE, connect(a, hostile, "pw").decision());
        }
        assertEquals("'*' is just a user named *", Decision.ALLOW, connect(a, "*", "star").decision());
        assertEquals(Decision.DENY, connect(a, "*", "pw").decision());
        assertTrue("nothing was flushed", r.exists(prefix + "alice"));
    }

    @Test
    public void emqx4sPasswordFieldWithHget() throws Exception {
        UnifiedJedis r = single();
        user(r, "old", Map.of("password", "legacy"));
        RedisAuthenticator a = authenticator(Map.of("cmd", "HGET " + prefix + "${username} password",
                "password_hash_algorithm", "{\"name\":\"plain\"}"));
        assertEquals(Decision.ALLOW, connect(a, "old", "legacy").decision());
        assertEquals(Decision.DENY, connect(a, "old", "x").decision());
    }

    @Test
    public void aRedisThatIsDownIsIgnoredWithinTheTimeout() throws Exception {
        RedisAuthenticator a = authenticator(Map.of("server", "127.0.0.1:" + TestServices.closedPort(), "request_timeout", "1s"));
        long begin = System.nanoTime();
        assertEquals(Decision.IGNORE, connect(a, "alice", "pw").decision());
        assertTrue(System.nanoTime() - begin < TimeUnit.SECONDS.toNanos(3));
    }

    @Test
    public void aClusterIsReadWhereverTheKeyLives() throws Exception {
        String servers = TestServices.file("redis-cluster", "servers");
        RedisClusterClient r = RedisClusterClient.create(HostAndPort.from(servers.split(",")[0]));
        redis.add(r);
        for (int i = 0; i < 6; i++) { // six keys spread over the three masters' slots
            user(r, "u" + i, Map.of("password_hash", "pw" + i));
        }
        RedisAuthenticator a = authenticator(Map.of("redis_type", "cluster", "servers", servers,
                "password_hash_algorithm", "{\"name\":\"plain\"}"));
        for (int i = 0; i < 6; i++) {
            assertEquals(Decision.ALLOW, connect(a, "u" + i, "pw" + i).decision());
            assertEquals(Decision.DENY, connect(a, "u" + i, "pw").decision());
        }
        assertEquals(Decision.IGNORE, connect(a, "u9", "pw9").decision());
    }
}

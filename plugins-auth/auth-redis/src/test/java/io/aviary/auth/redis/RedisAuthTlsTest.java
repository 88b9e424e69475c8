package io.aviary.auth.redis;

import static org.junit.Assert.assertEquals;

import io.aviary.api.auth.AuthRequest;
import io.aviary.api.auth.Decision;
import io.aviary.api.client.ClientInfo;
import io.aviary.broker.testing.TestPki;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import redis.clients.jedis.RedisClient;

/**
 * The ssl object (redis-support's, shared with storage-redis) against a real redis-server started
 * here with a TLS port that requires client certificates (generated here), and a plain port the
 * test writes its user through.
 */
public class RedisAuthTlsTest {
    private Path dir;
    private TestPki pki;
    private Process server;
    private int plainPort;
    private int tlsPort;
    private RedisAuthenticator authenticator;

    @Before
    public void startTlsRedis() throws Exception {
        dir = Files.createTempDirectory("auth-redis-tls");
        pki = new TestPki(dir, "Test CA");
        TestPki.Issued cert = pki.server("redis");
        plainPort = TestServices.closedPort();
        tlsPort = TestServices.closedPort();
        server = new ProcessBuilder("redis-server", "--port", String.valueOf(plainPort), "--bind", "127.0.0.1",
                "--tls-port", String.valueOf(tlsPort), "--tls-cert-file", cert.cert().toString(),
                "--tls-key-file", cert.key().toString(), "--tls-ca-cert-file", pki.caFile().toString(),
                "--tls-auth-clients", "yes", "--save", "", "--appendonly", "no", "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        Awaitility.await("redis ports").atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            try (Socket a = new Socket("127.0.0.1", tlsPort); Socket b = new Socket("127.0.0.1", plainPort)) {
                return true;
            }
        });
        try (RedisClient plain = RedisClient.create("127.0.0.1", plainPort)) {
            plain.hset("mqtt_user:alice", Map.of("password_hash", "s3cret"));
        }
    }

    @After
    public void stop() throws Exception {
        if (authenticator != null) {
            authenticator.deactivate();
        }
        server.destroy();
        server.waitFor(10, TimeUnit.SECONDS);
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private Decision connect(String sslJson) throws Exception {
        Map<String, Object> props = new HashMap<>(Map.of("tenant", "acme", "server", "localhost:" + tlsPort,
                "password_hash_algorithm", "{\"name\":\"plain\"}", "request_timeout", "2s", "ssl", sslJson));
        authenticator = new RedisAuthenticator(props);
        ClientInfo client = new ClientInfo("acme", "c1", "alice", new InetSocketAddress("127.0.0.1", 40000), "mqtt", 5,
                "tcp:default", null, null, Map.of());
        return authenticator.authenticate(new AuthRequest(client, "alice", "s3cret".getBytes(StandardCharsets.UTF_8), null,
                null)).toCompletableFuture().get(10, TimeUnit.SECONDS).decision();
    }

    @Test
    public void mutualTlsWithTheConfiguredCaReadsTheUser() throws Exception {
        TestPki.Issued client = pki.client("aviary", "CN=aviary");
        assertEquals(Decision.ALLOW, connect("{\"enable\":true,\"verify\":\"verify_peer\",\"cacertfile\":\""
                + pki.caFile() + "\",\"certfile\":\"" + client.cert() + "\",\"keyfile\":\"" + client.key() + "\"}"));
    }

    @Test
    public void aServerOfAnUntrustedCaIsNeverAskedSoTheClientIsIgnored() throws Exception {
        TestPki other = new TestPki(Files.createDirectories(dir.resolve("other")), "Other CA");
        TestPki.Issued client = pki.client("aviary", "CN=aviary");
        assertEquals(Decision.IGNORE, connect("{\"enable\":true,\"verify\":\"verify_peer\",\"cacertfile\":\""
                + other.caFile() + "\",\"certfile\":\"" + client.cert() + "\",\"keyfile\":\"" + client.key() + "\"}"));
    }
}

package io.aviary.storage.redis;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.aviary.api.integration.Connector;
import io.aviary.api.integration.Health;
import io.aviary.broker.testing.TestPki;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The connector's ssl fields against a real redis-server started here with TLS only (certificates
 * generated here) and client certificates required: mutual TLS with the CA file writes; a server
 * whose CA is not trusted is reported by check with the TLS error.
 */
public class RedisTlsTest {
    private Path dir;
    private TestPki pki;
    private Process server;
    private int tlsPort;
    private Connector connector;

    @Before
    public void startTlsRedis() throws Exception {
        dir = Files.createTempDirectory("redis-tls");
        pki = new TestPki(dir, "Test CA");
        TestPki.Issued cert = pki.server("redis");
        tlsPort = TestServices.closedPort();
        server = new ProcessBuilder("redis-server", "--port", "0", "--bind", "127.0.0.1", "--tls-port", String.valueOf(tlsPort),
                "--tls-cert-file", cert.cert().toString(), "--tls-key-file", cert.key().toString(),
                "--tls-ca-cert-file", pki.caFile().toString(), "--tls-auth-clients", "yes",
                "--save", "", "--appendonly", "no", "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        Awaitility.await("redis TLS port").atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            try (Socket s = new Socket("127.0.0.1", tlsPort)) {
                return true;
            }
        });
    }

    @After
    public void stop() throws Exception {
        if (connector != null) {
            connector.close();
        }
        server.destroy();
        server.waitFor(10, TimeUnit.SECONDS);
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private Connector open(Map<String, Object> ssl) {
        connector = new RedisConnectorType(Map.of("tenant", "t1")).open(TestContext.of("redis:tls"), Map.of(
                "parameters", Map.of("redis_type", "single", "server", "localhost:" + tlsPort, "pool_size", 1L),
                "ssl", ssl));
        return connector;
    }

    @Test
    public void mutualTlsWithTheCaFileConnectsAndWrites() throws Exception {
        TestPki.Issued client = pki.client("aviary", "CN=aviary");
        Connector c = open(Map.of("enable", true, "verify", "verify_peer", "cacertfile", pki.caFile().toString(),
                "certfile", client.cert().toString(), "keyfile", client.key().toString()));

        assertEquals(Health.connected(), c.check().toCompletableFuture().get(10, TimeUnit.SECONDS));
        c.sink("redis:a1", Map.of("command_template", List.of("SET", "tls-key", "${payload}")))
                .send(List.of(Map.of("payload", "over TLS"))).toCompletableFuture().get(10, TimeUnit.SECONDS);

        TestPki.Issued reader = pki.client("reader", "CN=reader");
        ProcessBuilder cli = new ProcessBuilder("redis-cli", "--tls", "--cacert", pki.caFile().toString(),
                "--cert", reader.cert().toString(), "--key", reader.key().toString(), "-h", "localhost",
                "-p", String.valueOf(tlsPort), "GET", "tls-key").redirectErrorStream(true);
        Process p = cli.start();
        assertEquals("over TLS", new String(p.getInputStream().readAllBytes()).trim());
    }

    @Test
    public void serverWhoseCaIsNotTrustedIsReportedByCheck() throws Exception {
        TestPki other = new TestPki(Files.createDirectories(dir.resolve("other")), "Other CA");
        Health h = open(Map.of("enable", true, "verify", "verify_peer", "cacertfile", other.caFile().toString()))
                .check().toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertEquals(Health.Status.DISCONNECTED, h.status());
        assertTrue(h.error(), h.error().contains("PKIX path building failed") || h.error().contains("certification path"));
    }

    @Test
    public void unreadableCaFileIsRefusedNamingTheField() {
        try {
            open(Map.of("enable", true, "verify", "verify_peer", "cacertfile", dir.resolve("missing.pem").toString()));
            throw new AssertionError("accepted");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("ssl.cacertfile"));
        }
    }
}

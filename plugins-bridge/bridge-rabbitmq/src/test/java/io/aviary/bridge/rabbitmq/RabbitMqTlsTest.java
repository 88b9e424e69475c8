package io.aviary.bridge.rabbitmq;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.aviary.api.integration.Connector;
import io.aviary.api.integration.Health;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.Test;

/**
 * The connector's ssl fields against the TLS listener of the real RabbitMQ (scripts/services.sh
 * makes its CA and server certificate): verify_peer with that CA publishes; a CA that did not sign
 * the server's certificate is reported by check with the TLS error.
 */
public class RabbitMqTlsTest {

    private static Path tlsDir() {
        return TestServices.root().resolve("target/services/rabbitmq/tls");
    }

    private static int tlsPort() throws Exception {
        return Integer.parseInt(Files.readString(TestServices.root().resolve("target/services/rabbitmq/tls-port")).trim());
    }

    private static Connector open(Map<String, Object> ssl) throws Exception {
        return new RabbitMqConnectorType(Map.of("tenant", "t1")).open(TestContext.of("rabbitmq:tls"), Map.of(
                "server", "localhost", "port", (long) tlsPort(), "username", "guest", "password", "guest",
                "pool_size", 1L, "ssl", ssl));
    }

    @Test
    public void verifyPeerWithTheServersCaPublishesOverTls() throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        f.setPort(TestServices.port("rabbitmq"));
        try (Connection reader = f.newConnection(); Channel ch = reader.createChannel()) {
            String queue = ch.queueDeclare().getQueue();
            Connector c = open(Map.of("enable", true, "verify", "verify_peer",
                    "cacertfile", tlsDir().resolve("ca.pem").toString()));
            try {
                assertEquals(Health.connected(), c.check().toCompletableFuture().get(10, TimeUnit.SECONDS));
                // the default exchange routes by queue name
                c.sink("rabbitmq:a1", Map.of("routing_key", queue, "payload_template", "${payload}"))
                        .send(List.of(Map.of("payload", "over TLS"))).toCompletableFuture().get(10, TimeUnit.SECONDS);
            } finally {
                c.close();
            }
            GetResponse r = ch.basicGet(queue, true);
            assertEquals("over TLS", new String(r.getBody(), StandardCharsets.UTF_8));
        }
    }

    @Test
    public void aServerCertificateNotSignedByTheTrustedCaIsReportedByCheck() throws Exception {
        // the JDK's own CAs did not sign the test CA
        Connector c = open(Map.of("enable", true, "verify", "verify_peer"));
        try {
            Health h = c.check().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals(Health.Status.DISCONNECTED, h.status());
            assertTrue(h.error(), h.error().contains("PKIX path building failed") || h.error().contains("certification path"));
        } finally {
            c.close();
        }
    }
}

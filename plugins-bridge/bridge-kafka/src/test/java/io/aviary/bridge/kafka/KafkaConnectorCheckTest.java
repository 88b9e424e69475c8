package io.aviary.bridge.kafka;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.aviary.api.integration.Health;
import io.aviary.api.integration.Sink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.junit.Test;

/** A Kafka connector's health check: connected against the real broker, the network's own error otherwise, quickly. */
public class KafkaConnectorCheckTest {

    private static Health check(Map<String, Object> config) throws Exception {
        try (KafkaConnector c = new KafkaConnector(new KafkaTestSupport.Context("kafka_producer:k1"), config, true)) {
            return c.check().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    public void checkReportsConnectedAgainstTheRealBroker() throws Exception {
        Health h = check(KafkaTestSupport.connectorConfig());
        assertEquals(h.error(), Health.Status.CONNECTED, h.status());
    }

    @Test
    public void checkReportsConnectionRefusedWithinFiveSeconds() throws Exception {
        Map<String, Object> config = KafkaTestSupport.connectorConfig();
        config.put("bootstrap_hosts", "127.0.0.1:" + KafkaTestSupport.freePort());
        long start = System.nanoTime();

        Health h = check(config);

        assertEquals(Health.Status.DISCONNECTED, h.status());
        assertTrue(h.error(), h.error().contains("Connection refused"));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
    }

    @Test
    public void checkNamesAHostThatDoesNotResolve() throws Exception {
        Map<String, Object> config = KafkaTestSupport.connectorConfig();
        config.put("bootstrap_hosts", "no-such-kafka.invalid:9092");

        Health h = check(config);

        assertEquals(Health.Status.DISCONNECTED, h.status());
        assertTrue(h.error(), h.error().contains("unknown host no-such-kafka.invalid"));
    }

    @Test
    public void checkReportsAMissingHealthCheckTopic() throws Exception {
        Map<String, Object> config = KafkaTestSupport.connectorConfig();
        config.put("health_check_topic", "no-such-health-topic");

        // checked again as the runtime does, every interval (the first check also opens the admin client)
        try (KafkaConnector c = new KafkaConnector(new KafkaTestSupport.Context("kafka_producer:k1"), config, true)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> c.check().toCompletableFuture().get(10, TimeUnit.SECONDS),
                    h -> h.status() == Health.Status.DISCONNECTED && h.error().contains("UnknownTopicOrPartitionException"));
        }
    }

    private static Map<String, Object> sasl(String mechanism, String user, String password) {
        Map<String, Object> config = KafkaTestSupport.connectorConfig();
        config.put("bootstrap_hosts", KafkaTestSupport.saslBootstrap());
        config.put("authentication", Map.of("mechanism", mechanism, "username", user, "password", password));
        return config;
    }

    @Test
    public void saslPlainConnectsWithTheRightPasswordAndReportsTheBrokersRefusalOtherwise() throws Exception {
        assertEquals(Health.Status.CONNECTED, check(sasl("plain", "aviary", "aviary-secret")).status());

        Health refused = check(sasl("plain", "aviary", "wrong"));

        assertEquals(Health.Status.DISCONNECTED, refused.status());
        assertTrue(refused.error(), refused.error().contains("Authentication failed"));
    }

    @Test
    public void scramUsersWriteThroughTheSaslListener() throws Exception {
        try (var admin = KafkaTestSupport.admin()) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("aviary-scram",
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), "scram-secret"))).all().get(20, TimeUnit.SECONDS);
        }
        String topic = KafkaTestSupport.newTopic("scram", 1);
        try (KafkaConnector c = new KafkaConnector(new KafkaTestSupport.Context("kafka_producer:k1"),
                sasl("scram_sha_256", "aviary-scram", "scram-secret"), true)) {
            Sink sink = c.sink("kafka_producer:a1", Map.of("topic", topic, "message", Map.of("value", "${payload}")));
            sink.send(List.of(Map.of("clientid", "c1", "payload", "via-scram"))).toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        assertEquals("via-scram", new String(KafkaTestSupport.readAll(topic, 1).get(0).value(), StandardCharsets.UTF_8));
        Health refused = check(sasl("scram_sha_256", "aviary-scram", "wrong"));
        assertEquals(Health.Status.DISCONNECTED, refused.status());
        assertTrue(refused.error(), refused.error().contains("Authentication failed"));
    }

    @Test
    public void unusableBootstrapHostsAreRefusedNamingTheField() {
        for (String hosts : new String[] {"localhost", "localhost:99999", "a:1,b"}) {
            try {
                new KafkaConnector(new KafkaTestSupport.Context("kafka_producer:k1"), Map.of("bootstrap_hosts", hosts), true).close();
                fail("accepted " + hosts);
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage(), e.getMessage().startsWith("bootstrap_hosts"));
            }
        }
    }

    @Test
    public void durationsAndSizesReadEmqxNotation() {
        assertEquals(5000, ConfigValues.parseMillis("f", "5s"));
        assertEquals(250, ConfigValues.parseMillis("f", "250ms"));
        assertEquals(60_000, ConfigValues.parseMillis("f", "1m"));
        assertEquals(1200, ConfigValues.parseMillis("f", 1200));
        assertEquals(896 * 1024, ConfigValues.parseBytes("f", "896KB"));
        assertEquals(1024 * 1024, ConfigValues.parseBytes("f", "1mb"));
        try {
            ConfigValues.parseMillis("connect_timeout", "soon");
            fail();
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage().startsWith("connect_timeout"));
        }
    }
}

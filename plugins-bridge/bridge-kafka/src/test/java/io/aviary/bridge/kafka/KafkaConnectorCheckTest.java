package io.aviary.bridge.kafka;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.aviary.api.integration.Health;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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

        Health h = check(config);

        assertEquals(Health.Status.DISCONNECTED, h.status());
        assertTrue(h.error(), h.error().contains("UnknownTopicOrPartitionException"));
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

package io.aviary.bridge.kafka;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.aviary.api.integration.Sink;
import io.aviary.api.integration.SinkException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.After;
import org.junit.Test;

/** The kafka_producer action against the real Kafka broker (scripts/services.sh): written records are read back. */
public class ProducerSinkTest {
    private final List<KafkaConnector> connectors = new ArrayList<>();

    @After
    public void closeConnectors() {
        connectors.forEach(KafkaConnector::close);
    }

    private KafkaConnector connector(Map<String, Object> config) {
        KafkaConnector c = new KafkaConnector(new KafkaTestSupport.Context("kafka_producer:k1"), config, true);
        connectors.add(c);
        return c;
    }

    private static Map<String, Object> record(String clientId, String payload, long timestamp) {
        Map<String, Object> r = new HashMap<>();
        r.put("clientid", clientId);
        r.put("topic", "sensors/" + clientId);
        r.put("payload", payload);
        r.put("timestamp", timestamp);
        r.put("hdrs", Map.of("site", "north", "level", 3L));
        return r;
    }

    private static void await(Sink sink, List<Map<String, Object>> batch) throws Exception {
        sink.send(batch).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static SinkException failure(Sink sink, List<Map<String, Object>> batch) throws Exception {
        try {
            sink.send(batch).toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertTrue("a SinkException: " + e.getCause(), e.getCause() instanceof SinkException);
            return (SinkException) e.getCause();
        }
        fail("the batch was written");
        return null;
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    public void batchCompletesWhenAcknowledgedAndCarriesKeyValueTimestampAndHeaders() throws Exception {
        String topic = KafkaTestSupport.newTopic("sink", 1);
        Map<String, Object> params = new HashMap<>();
        params.put("topic", topic);
        params.put("message", Map.of("key", "${clientid}", "value", "${payload}", "timestamp", "${timestamp}"));
        params.put("kafka_headers", "${hdrs}");
        params.put("kafka_ext_headers", List.of(Map.of("kafka_ext_header_key", "origin", "kafka_ext_header_value", "${topic}")));
        Sink sink = connector(KafkaTestSupport.connectorConfig()).sink("kafka_producer:a1", params);

        await(sink, List.of(record("c1", "{\"t\":1}", 1_700_000_000_001L), record("c2", "{\"t\":2}", 1_700_000_000_002L),
                record("c3", "{\"t\":3}", 1_700_000_000_003L)));

        List<ConsumerRecord<byte[], byte[]>> read = KafkaTestSupport.readAll(topic, 3);
        assertEquals(3, read.size());
        ConsumerRecord<byte[], byte[]> first = read.get(0);
        assertEquals("c1", new String(first.key(), StandardCharsets.UTF_8));
        assertEquals("{\"t\":1}", new String(first.value(), StandardCharsets.UTF_8));
        assertEquals(1_700_000_000_001L, first.timestamp());
        assertEquals("north", header(first, "site"));
        assertEquals("3", header(first, "level"));
        assertEquals("sensors/c1", header(first, "origin"));
        assertEquals("c3", new String(read.get(2).key(), StandardCharsets.UTF_8));
    }

    @Test
    public void kafkaHeadersAcceptJsonTextAndListsAsEmqxDoes() throws Exception {
        String topic = KafkaTestSupport.newTopic("sink-headers", 1);
        Sink sink = connector(KafkaTestSupport.connectorConfig()).sink("kafka_producer:a1",
                Map.of("topic", topic, "kafka_headers", "${payload}", "kafka_header_value_encode_mode", "json"));
        Map<String, Object> asText = record("c1", "{\"a\":\"x\"}", 1);
        Map<String, Object> asList = record("c2", "[{\"key\":\"b\",\"value\":2},{\"c\":true}]", 2);

        await(sink, List.of(asText, asList));

        List<ConsumerRecord<byte[], byte[]>> read = KafkaTestSupport.readAll(topic, 2);
        assertEquals("\"x\"", header(read.get(0), "a"));
        assertEquals("2", header(read.get(1), "b"));
        assertEquals("true", header(read.get(1), "c"));
        SinkException bad = failure(sink, List.of(record("c3", "not json", 3)));
        assertFalse(bad.retryable());
        assertTrue(bad.getMessage(), bad.getMessage().contains("parameters.kafka_headers"));
    }

    @Test
    public void defaultsWriteTheWholeRuleOutputAsJsonKeyedByClientId() throws Exception {
        String topic = KafkaTestSupport.newTopic("sink-defaults", 1);
        Sink sink = connector(KafkaTestSupport.connectorConfig()).sink("kafka_producer:a1", Map.of("topic", topic));

        await(sink, List.of(record("dev-9", "hello", 1_700_000_000_009L)));

        ConsumerRecord<byte[], byte[]> r = KafkaTestSupport.readAll(topic, 1).get(0);
        assertEquals("dev-9", new String(r.key(), StandardCharsets.UTF_8));
        String value = new String(r.value(), StandardCharsets.UTF_8);
        assertTrue(value, value.contains("\"payload\":\"hello\"") && value.contains("\"clientid\":\"dev-9\""));
        assertEquals(1_700_000_000_009L, r.timestamp());
    }

    @Test
    public void everyCompressionTypeIsWrittenAndReadBack() throws Exception {
        KafkaConnector connector = connector(KafkaTestSupport.connectorConfig());
        for (String compression : List.of("no_compression", "gzip", "snappy", "lz4", "zstd")) {
            String topic = KafkaTestSupport.newTopic("sink-" + compression.replace('_', '-'), 1);
            Sink sink = connector.sink("kafka_producer:" + compression,
                    Map.of("topic", topic, "compression", compression, "message", Map.of("value", "${payload}")));
            List<Map<String, Object>> batch = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                batch.add(record("c" + i, "reading " + i + " ".repeat(100), i));
            }
            await(sink, batch);
            List<ConsumerRecord<byte[], byte[]>> read = KafkaTestSupport.readAll(topic, 20);
            assertEquals(compression, 20, read.size());
            assertEquals(compression, "reading 19" + " ".repeat(100), new String(read.get(19).value(), StandardCharsets.UTF_8));
        }
    }

    @Test
    public void keyDispatchSendsOneKeyToOnePartitionAndRandomSpreadsRecords() throws Exception {
        KafkaConnector connector = connector(KafkaTestSupport.connectorConfig());
        String keyed = KafkaTestSupport.newTopic("sink-keyed", 4);
        String spread = KafkaTestSupport.newTopic("sink-random", 4);
        Sink byKey = connector.sink("kafka_producer:keyed", Map.of("topic", keyed, "partition_strategy", "key_dispatch"));
        Sink random = connector.sink("kafka_producer:random", Map.of("topic", spread, "partition_strategy", "random"));
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            batch.add(record(i % 2 == 0 ? "even" : "odd", "p" + i, i));
        }
        await(byKey, batch);
        await(random, batch);

        Map<String, Set<Integer>> partitionsByKey = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : KafkaTestSupport.readAll(keyed, 40)) {
            partitionsByKey.computeIfAbsent(new String(r.key(), StandardCharsets.UTF_8), k -> new HashSet<>()).add(r.partition());
        }
        assertEquals(1, partitionsByKey.get("even").size());
        assertEquals(1, partitionsByKey.get("odd").size());
        Set<Integer> used = new HashSet<>();
        KafkaTestSupport.readAll(spread, 40).forEach(r -> used.add(r.partition()));
        assertTrue("random used " + used, used.size() > 1);
    }

    @Test
    public void topicTemplateIsRenderedPerRecord() throws Exception {
        String prefix = KafkaTestSupport.newTopic("sink-tpl", 1);
        String a = prefix + "-a";
        String b = prefix + "-b";
        try (var admin = KafkaTestSupport.admin()) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(a, 1, (short) 1),
                    new org.apache.kafka.clients.admin.NewTopic(b, 1, (short) 1))).all().get(20, TimeUnit.SECONDS);
        }
        Sink sink = connector(KafkaTestSupport.connectorConfig()).sink("kafka_producer:a1",
                Map.of("topic", prefix + "-${dest}", "message", Map.of("value", "${payload}")));
        Map<String, Object> toA = new HashMap<>(record("c1", "to-a", 1));
        toA.put("dest", "a");
        Map<String, Object> toB = new HashMap<>(record("c2", "to-b", 2));
        toB.put("dest", "b");

        await(sink, List.of(toA, toB));

        assertEquals("to-a", new String(KafkaTestSupport.readAll(a, 1).get(0).value(), StandardCharsets.UTF_8));
        assertEquals("to-b", new String(KafkaTestSupport.readAll(b, 1).get(0).value(), StandardCharsets.UTF_8));
    }

    @Test
    public void missingTopicFailsWithoutRetryWhenAutoCreationIsOff() throws Exception {
        Sink sink = connector(KafkaTestSupport.connectorConfig()).sink("kafka_producer:a1", Map.of("topic", "no-such-topic-x1"));

        SinkException e = failure(sink, List.of(record("c1", "x", 1)));

        assertFalse(e.retryable());
        assertTrue(e.getMessage(), e.getMessage().contains("'no-such-topic-x1' does not exist"));
        try (var admin = KafkaTestSupport.admin()) {
            assertFalse("the topic was not created", admin.listTopics().names().get(10, TimeUnit.SECONDS).contains("no-such-topic-x1"));
        }
    }

    @Test
    public void recordTooLargeFailsWithoutRetry() throws Exception {
        String topic = KafkaTestSupport.newTopic("sink-large", 1);
        Sink sink = connector(KafkaTestSupport.connectorConfig()).sink("kafka_producer:a1",
                Map.of("topic", topic, "message", Map.of("value", "${payload}")));

        SinkException e = failure(sink, List.of(record("c1", "x".repeat(2 * 1024 * 1024), 1)));

        assertFalse(e.retryable());
        assertTrue(e.getMessage(), e.getMessage().contains("RecordTooLargeException"));
    }

    @Test
    public void unreachableBrokerFailsTheBatchAsRetryable() throws Exception {
        Map<String, Object> config = KafkaTestSupport.connectorConfig();
        config.put("bootstrap_hosts", "127.0.0.1:" + KafkaTestSupport.freePort());
        config.put("metadata_request_timeout", "1s");
        Sink sink = connector(config).sink("kafka_producer:a1", Map.of("topic", "any-topic"));
        long start = System.nanoTime();

        SinkException e = failure(sink, List.of(record("c1", "x", 1)));

        assertTrue(e.retryable());
        assertTrue("failed within 10 s", System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10));
    }

    @Test
    public void unusableParametersAreRefusedNamingTheField() {
        KafkaConnector connector = connector(KafkaTestSupport.connectorConfig());
        try {
            connector.sink("kafka_producer:a1", Map.of("topic", "t", "partition_strategy", "key_dispatch", "message", Map.of("key", "")));
            fail("accepted an empty key with key_dispatch");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("parameters.message.key"));
        }
        try {
            connector.sink("kafka_producer:a1", Map.of("topic", "t", "kafka_headers", "prefix-${a}"));
            fail("accepted kafka_headers that is not one placeholder");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("parameters.kafka_headers"));
        }
    }
}

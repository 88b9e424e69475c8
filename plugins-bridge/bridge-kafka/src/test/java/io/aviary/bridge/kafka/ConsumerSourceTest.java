package io.aviary.bridge.kafka;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import io.aviary.api.integration.Health;
import io.aviary.api.integration.Source;
import io.aviary.api.integration.SourceContext;
import io.aviary.api.message.Message;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.After;
import org.junit.Test;

/** The kafka_consumer source against the real Kafka broker: records reach the runtime, and offsets follow deliveries. */
public class ConsumerSourceTest {
    private final List<AutoCloseable> open = new ArrayList<>();

    @After
    public void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    /** The runtime's side of a source; each delivery's outcome is chosen by the test. */
    static final class Recorder implements SourceContext {
        final List<Map<String, Object>> columns = new CopyOnWriteArrayList<>();
        final List<Message> messages = new CopyOnWriteArrayList<>();
        volatile Function<Map<String, Object>, CompletionStage<Void>> outcome = c -> CompletableFuture.completedFuture(null);

        @Override
        public String tenant() {
            return "t1";
        }

        @Override
        public String sourceId() {
            return "kafka_consumer:s1";
        }

        @Override
        public CompletionStage<Void> deliver(Map<String, Object> cols, Message local) {
            columns.add(cols);
            if (local != null) {
                messages.add(local);
            }
            return outcome.apply(cols);
        }
    }

    private Source start(Map<String, Object> params, Recorder recorder) {
        KafkaConnector connector = new KafkaConnector(new KafkaTestSupport.Context("kafka_consumer:k1"),
                KafkaTestSupport.connectorConfig(), false);
        open.add(connector);
        Source source = connector.source("kafka_consumer:s1", params, recorder);
        open.add(source);
        return source;
    }

    private static void produce(String topic, String key, String value, Map<String, String> headers) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", KafkaTestSupport.bootstrap());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, null, 1_700_000_000_123L,
                    key == null ? null : key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
            headers.forEach((k, v) -> r.headers().add(new RecordHeader(k, v.getBytes(StandardCharsets.UTF_8))));
            producer.send(r).get(20, TimeUnit.SECONDS);
        }
    }

    private static Long committed(String group, String topic) throws Exception {
        try (Admin admin = KafkaTestSupport.admin()) {
            OffsetAndMetadata o = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS).get(new TopicPartition(topic, 0));
            return o == null ? null : o.offset();
        }
    }

    private static Map<String, Object> params(String topic, String group) {
        Map<String, Object> p = new HashMap<>();
        p.put("topic", topic);
        p.put("group_id", group);
        p.put("offset_reset_policy", "earliest");
        p.put("max_wait_time", "200ms");
        return p;
    }

    @Test
    public void recordsReachRulesWithEmqxColumns() throws Exception {
        String topic = KafkaTestSupport.newTopic("source", 1);
        Recorder recorder = new Recorder();
        start(params(topic, "g-" + topic), recorder);

        produce(topic, "dev-1", "{\"cmd\":\"reboot\"}", Map.of("trace", "abc"));

        await().atMost(Duration.ofSeconds(30)).until(() -> recorder.columns.size() == 1);
        Map<String, Object> c = recorder.columns.get(0);
        assertEquals(topic, c.get("topic"));
        assertEquals("dev-1", c.get("key"));
        assertEquals("{\"cmd\":\"reboot\"}", c.get("value"));
        assertEquals(Map.of("trace", "abc"), c.get("headers"));
        assertEquals(0L, c.get("offset"));
        assertEquals(0L, c.get("partition"));
        assertEquals(1_700_000_000_123L, c.get("ts"));
        assertEquals("create", c.get("ts_type"));
        assertEquals("without topic_mapping the record only feeds rules", 0, recorder.messages.size());
    }

    @Test
    public void topicMappingPublishesTheRenderedPayloadToTheRenderedTopic() throws Exception {
        String topic = KafkaTestSupport.newTopic("source-map", 1);
        Map<String, Object> params = params(topic, "g-" + topic);
        params.remove("topic");
        params.put("topic_mapping", List.of(Map.of("kafka_topic", topic, "mqtt_topic", "devices/${key}/commands",
                "qos", 1, "payload_template", "${value}")));
        Recorder recorder = new Recorder();
        start(params, recorder);

        produce(topic, "dev-7", "open-valve", Map.of());

        await().atMost(Duration.ofSeconds(30)).until(() -> recorder.messages.size() == 1);
        Message m = recorder.messages.get(0);
        assertEquals("t1", m.tenant());
        assertEquals("devices/dev-7/commands", m.topic());
        assertEquals("open-valve", new String(m.payloadBytes(), StandardCharsets.UTF_8));
        assertEquals(1, m.qos());
    }

    @Test
    public void base64EncodingModesEncodeKeyAndValue() throws Exception {
        String topic = KafkaTestSupport.newTopic("source-b64", 1);
        Map<String, Object> params = params(topic, "g-" + topic);
        params.put("key_encoding_mode", "base64");
        params.put("value_encoding_mode", "base64");
        Recorder recorder = new Recorder();
        start(params, recorder);

        produce(topic, "k", "v\u00e9", Map.of());

        await().atMost(Duration.ofSeconds(30)).until(() -> recorder.columns.size() == 1);
        assertEquals(Base64.getEncoder().encodeToString("k".getBytes(StandardCharsets.UTF_8)), recorder.columns.get(0).get("key"));
        assertEquals(Base64.getEncoder().encodeToString("v\u00e9".getBytes(StandardCharsets.UTF_8)), recorder.columns.get(0).get("value"));
    }

    @Test
    public void offsetIsCommittedOnlyAfterTheDeliveryCompleted() throws Exception {
        String topic = KafkaTestSupport.newTopic("source-commit", 1);
        String group = "g-" + topic;
        Recorder recorder = new Recorder();
        CompletableFuture<Void> held = new CompletableFuture<>();
        recorder.outcome = c -> held;
        start(params(topic, group), recorder);

        produce(topic, "dev-1", "first", Map.of());
        await().atMost(Duration.ofSeconds(30)).until(() -> recorder.columns.size() == 1);
        // while the delivery is pending (two more records arrive meanwhile), nothing is committed
        produce(topic, "dev-1", "second", Map.of());
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> committed(group, topic) == null);

        held.complete(null);
        recorder.outcome = c -> CompletableFuture.completedFuture(null);

        await().atMost(Duration.ofSeconds(30)).until(() -> Long.valueOf(2).equals(committed(group, topic)));
    }

    @Test
    public void aRefusedDeliveryIsNotCommittedAndTheRecordIsReadAgain() throws Exception {
        String topic = KafkaTestSupport.newTopic("source-refused", 1);
        String group = "g-" + topic;
        Recorder recorder = new Recorder();
        recorder.outcome = c -> CompletableFuture.failedFuture(new IllegalStateException("publish refused: quota exceeded"));
        Source source = start(params(topic, group), recorder);

        produce(topic, "dev-1", "command-1", Map.of());
        await().atMost(Duration.ofSeconds(30)).until(() -> recorder.columns.size() >= 2);
        assertEquals("the refused record came again", "command-1", recorder.columns.get(1).get("value"));
        assertNull("nothing committed while refused", committed(group, topic));

        recorder.outcome = c -> CompletableFuture.completedFuture(null);

        await().atMost(Duration.ofSeconds(30)).until(() -> Long.valueOf(1).equals(committed(group, topic)));
        assertEquals(Health.Status.CONNECTED, source.health().status());
    }

    @Test
    public void aNewSourceInTheSameGroupResumesAfterTheLastCommittedRecord() throws Exception {
        String topic = KafkaTestSupport.newTopic("source-resume", 1);
        String group = "g-" + topic;
        Recorder first = new Recorder();
        Source source = start(params(topic, group), first);
        produce(topic, "k", "one", Map.of());
        await().atMost(Duration.ofSeconds(30)).until(() -> Long.valueOf(1).equals(committed(group, topic)));
        source.close();

        produce(topic, "k", "two", Map.of());
        Recorder second = new Recorder();
        start(params(topic, group), second);

        await().atMost(Duration.ofSeconds(30)).until(() -> second.columns.size() == 1);
        assertEquals("two", second.columns.get(0).get("value"));
    }
}

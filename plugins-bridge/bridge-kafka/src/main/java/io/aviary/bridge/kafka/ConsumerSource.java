package io.aviary.bridge.kafka;

import io.aviary.api.integration.Health;
import io.aviary.api.integration.Source;
import io.aviary.api.integration.SourceContext;
import io.aviary.api.message.Message;
import io.aviary.api.rules.TextTemplate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A kafka_consumer source: one consumer (in the source's group) on its own thread. Every polled
 * record is handed to the runtime with {@link SourceContext#deliver}; a partition's offset is
 * committed only up to the last record whose delivery completed. When a delivery fails (the
 * broker refused the publish), the partition is rewound to that record and read again after a
 * backoff, so a command sent to devices through Kafka is never skipped.
 */
final class ConsumerSource implements Source {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerSource.class);
    private static final long DELIVER_TIMEOUT_MS = 30_000;
    private static final long IDLE_PROBE_MS = 5_000;
    private static final long MAX_BACKOFF_MS = 5_000;

    /** topic_mapping: where a Kafka topic's records are published locally. */
    record Mapping(TextTemplate mqttTopic, TextTemplate payload, int qos) {
    }

    private final KafkaConnector connector;
    private final String sourceId;
    private final SourceContext context;
    private final Set<String> topics = new LinkedHashSet<>();
    private final Map<String, Mapping> mappings = new HashMap<>();
    private final RecordColumns columns;
    private final Properties props;
    private final Thread thread;
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile Health health = Health.connecting("starting");
    private volatile KafkaConsumer<byte[], byte[]> consumer;

    ConsumerSource(KafkaConnector connector, String sourceId, Map<String, Object> parameters, SourceContext context) {
        this.connector = connector;
        this.sourceId = sourceId;
        this.context = context;
        ConfigValues params = new ConfigValues(parameters, "parameters");
        if (params.has("topic")) {
            topics.add(params.text("topic", ""));
        }
        int i = 0;
        for (Map<String, Object> m : params.objects("topic_mapping")) {
            ConfigValues mv = new ConfigValues(m, "parameters.topic_mapping[" + i++ + "]");
            String kafkaTopic = mv.text("kafka_topic", "");
            if (kafkaTopic.isEmpty() || mappings.containsKey(kafkaTopic)) {
                throw new IllegalArgumentException(mv.field("kafka_topic") + ": missing, or mapped twice: '" + kafkaTopic + "'");
            }
            int qos = mv.integer("qos", 0);
            if (qos < 0 || qos > 2) {
                throw new IllegalArgumentException(mv.field("qos") + ": must be 0, 1 or 2");
            }
            mappings.put(kafkaTopic, new Mapping(template(mv, "mqtt_topic", null), template(mv, "payload_template", "${.}"), qos));
            topics.add(kafkaTopic);
        }
        if (topics.isEmpty()) {
            throw new IllegalArgumentException("parameters.topic: a topic (or a topic_mapping) is required");
        }
        this.columns = new RecordColumns(
                "base64".equals(params.oneOf("key_encoding_mode", "none", List.of("none", "base64"))),
                "base64".equals(params.oneOf("value_encoding_mode", "none", List.of("none", "base64"))));
        this.props = consumerProperties(params);
        this.thread = new Thread(this::run, "kafka-source-" + context.tenant() + "-" + sourceId);
        this.thread.setDaemon(true);
    }

    private TextTemplate template(ConfigValues values, String key, String fallback) {
        return TemplateText.parse(connector.context().templates(), values, key, fallback);
    }

    private Properties consumerProperties(ConfigValues params) {
        ClientSettings settings = connector.settings();
        String name = sourceId.substring(sourceId.indexOf(':') + 1);
        Properties p = settings.properties(connector.clientId(sourceId.replace(':', '-')));
        p.put("group.id", params.text("group_id", "emqx-kafka-consumer-" + name));
        p.put("enable.auto.commit", "false");
        p.put("auto.offset.reset", params.oneOf("offset_reset_policy", "latest", List.of("latest", "earliest")));
        p.put("fetch.max.wait.ms", String.valueOf(params.millis("max_wait_time", "1s")));
        p.put("max.partition.fetch.bytes", String.valueOf(Math.min(Integer.MAX_VALUE, params.bytes("max_batch_bytes", "896KB"))));
        p.put("allow.auto.create.topics", String.valueOf(settings.allowAutoTopicCreation));
        p.put("default.api.timeout.ms", String.valueOf(Math.max(settings.requestTimeoutMs, settings.metadataRequestTimeoutMs)));
        return p;
    }

    void start() {
        thread.start();
        LOG.info("kafka: tenant={} source={} started (topics {}, group {})", context.tenant(), sourceId, topics, props.get("group.id"));
    }

    @Override
    public Health health() {
        return health;
    }

    private void run() {
        long backoff = 200;
        while (closing.getCount() > 0) {
            try {
                consumer = KafkaClients.consumer(props);
                consume(consumer);
            } catch (WakeupException e) {
                break;
            } catch (Exception e) {
                health = Health.disconnected(KafkaErrors.describe(e));
                LOG.warn("kafka: tenant={} source={} consumer failed, restarting: {}", context.tenant(), sourceId, KafkaErrors.describe(e));
            } finally {
                closeConsumer();
            }
            backoff = pause(backoff);
        }
    }

    private void consume(KafkaConsumer<byte[], byte[]> c) {
        c.subscribe(topics, new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                LOG.info("kafka: tenant={} source={} assigned {}", context.tenant(), sourceId, partitions);
            }
        });
        long backoff = 200;
        long lastProbe = System.currentTimeMillis();
        while (closing.getCount() > 0) {
            ConsumerRecords<byte[], byte[]> records = c.poll(Duration.ofMillis(500));
            if (records.isEmpty()) {
                if (System.currentTimeMillis() - lastProbe > IDLE_PROBE_MS) {
                    lastProbe = System.currentTimeMillis();
                    String tcpError = connector.settings().probeTcp();
                    health = tcpError != null ? Health.disconnected(tcpError)
                            : c.assignment().isEmpty() ? Health.connecting("joining group " + props.get("group.id"))
                            : Health.connected();
                }
                continue;
            }
            health = Health.connected();
            if (deliverAll(c, records)) {
                backoff = 200;
            } else {
                backoff = pause(backoff);
            }
        }
    }

    /** Delivers a poll's records; commits what was delivered and rewinds what was not. False when something failed. */
    private boolean deliverAll(KafkaConsumer<byte[], byte[]> c, ConsumerRecords<byte[], byte[]> records) {
        Map<TopicPartition, List<CompletableFuture<Void>>> pending = new HashMap<>();
        for (TopicPartition tp : records.partitions()) {
            List<CompletableFuture<Void>> futures = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> record : records.records(tp)) {
                futures.add(deliver(record));
            }
            pending.put(tp, futures);
        }
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        boolean allDelivered = true;
        long deadline = System.currentTimeMillis() + DELIVER_TIMEOUT_MS;
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> list = records.records(tp);
            List<CompletableFuture<Void>> futures = pending.get(tp);
            int delivered = 0;
            Throwable error = null;
            for (CompletableFuture<Void> f : futures) {
                try {
                    f.get(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
                    delivered++;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    error = e;
                    break;
                } catch (Exception e) {
                    error = KafkaErrors.unwrap(e);
                    break;
                }
            }
            if (delivered > 0) {
                commit.put(tp, new OffsetAndMetadata(list.get(delivered - 1).offset() + 1));
            }
            if (error != null) {
                allDelivered = false;
                long offset = list.get(delivered).offset();
                c.seek(tp, offset);
                LOG.warn("kafka: tenant={} source={} delivery of {} offset {} failed, it will be read again: {}",
                        context.tenant(), sourceId, tp, offset, KafkaErrors.describe(error));
            }
        }
        if (!commit.isEmpty()) {
            c.commitSync(commit);
        }
        return allDelivered;
    }

    private CompletableFuture<Void> deliver(ConsumerRecord<byte[], byte[]> record) {
        try {
            Map<String, Object> cols = columns.columns(record);
            return context.deliver(cols, localMessage(record.topic(), cols)).toCompletableFuture();
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private Message localMessage(String kafkaTopic, Map<String, Object> cols) {
        Mapping m = mappings.get(kafkaTopic);
        if (m == null) {
            return null;
        }
        String topic = m.mqttTopic().render(cols);
        if (topic.isEmpty() || topic.contains("+") || topic.contains("#") || topic.indexOf('\0') >= 0) {
            // a template that renders no valid topic will do so every time: rules still get the record
            LOG.warn("kafka: tenant={} source={} mqtt_topic rendered '{}', not a topic to publish to; record goes to rules only",
                    context.tenant(), sourceId, topic);
            return null;
        }
        return Message.of(context.tenant(), topic, m.payload().renderBytes(cols), m.qos(), false);
    }

    private long pause(long backoff) {
        try {
            closing.await(backoff, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Math.min(MAX_BACKOFF_MS, backoff * 2);
    }

    private void closeConsumer() {
        KafkaConsumer<byte[], byte[]> c = consumer;
        consumer = null;
        if (c != null) {
            try {
                c.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
            } catch (Exception e) {
                LOG.debug("kafka: tenant={} source={} close: {}", context.tenant(), sourceId, e.toString());
            }
        }
    }

    @Override
    public void close() {
        connector.forget(this);
        closing.countDown();
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        health = Health.disconnected("source stopped");
        LOG.info("kafka: tenant={} source={} stopped", context.tenant(), sourceId);
    }

    @Override
    public String toString() {
        return "source " + sourceId;
    }
}

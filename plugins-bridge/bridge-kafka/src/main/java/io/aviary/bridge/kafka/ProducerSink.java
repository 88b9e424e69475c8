package io.aviary.bridge.kafka;

import io.aviary.api.integration.Sink;
import io.aviary.api.integration.SinkException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A kafka_producer action: one KafkaProducer (its acks, compression, batching and partition
 * metadata refresh are the action's), fed from one thread per action so that a producer waiting
 * for metadata never holds the runtime's threads, and batches keep their order. A batch
 * completes when the broker acknowledged every record of it (as required_acks asks).
 */
final class ProducerSink implements Sink {
    private static final Logger LOG = LoggerFactory.getLogger(ProducerSink.class);
    static final Map<String, String> ACKS = Map.of("all_isr", "all", "leader_only", "1", "none", "0");
    static final Map<String, String> COMPRESSION = Map.of(
            "no_compression", "none", "gzip", "gzip", "snappy", "snappy", "lz4", "lz4", "zstd", "zstd");

    private final KafkaConnector connector;
    private final String actionId;
    private final RecordRenderer renderer;
    private final boolean keyDispatch;
    private final int partitionsLimit;
    private final Properties producerProps;
    private final ExecutorService thread;
    private KafkaProducer<byte[], byte[]> producer; // only touched on this sink's thread

    ProducerSink(KafkaConnector connector, String actionId, Map<String, Object> parameters) {
        this.connector = connector;
        this.actionId = actionId;
        ConfigValues params = new ConfigValues(parameters, "parameters");
        this.renderer = new RecordRenderer(connector.context().templates(), params);
        this.keyDispatch = "key_dispatch".equals(params.oneOf("partition_strategy", "random", List.of("random", "key_dispatch")));
        if (keyDispatch && renderer.constantKey()) {
            throw new IllegalArgumentException("parameters.message.key: cannot be empty when the key_dispatch strategy is used");
        }
        Object limit = params.raw("partitions_limit");
        this.partitionsLimit = limit == null || "all_partitions".equals(limit) ? Integer.MAX_VALUE : params.integer("partitions_limit", 0);
        this.producerProps = producerProperties(connector, actionId, params);
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "kafka-sink-" + connector.context().tenant() + "-" + actionId);
            t.setDaemon(true);
            return t;
        });
        LOG.info("kafka: tenant={} action={} created (topic {}, acks {}, compression {})", connector.context().tenant(),
                actionId, params.text("topic", ""), producerProps.get("acks"), producerProps.get("compression.type"));
    }

    private static Properties producerProperties(KafkaConnector connector, String actionId, ConfigValues params) {
        ClientSettings settings = connector.settings();
        Properties p = settings.properties(connector.clientId(actionId.replace(':', '-')));
        String acks = ACKS.get(params.oneOf("required_acks", "all_isr", List.copyOf(ACKS.keySet())));
        p.put("acks", acks);
        p.put("compression.type", COMPRESSION.get(params.oneOf("compression", "no_compression", List.copyOf(COMPRESSION.keySet()))));
        long linger = params.millis("max_linger_time", "0ms");
        p.put("linger.ms", String.valueOf(linger));
        p.put("batch.size", String.valueOf(Math.min(Integer.MAX_VALUE, params.bytes("max_batch_bytes", "896KB"))));
        int inflight = params.integer("max_inflight", 10);
        p.put("max.in.flight.requests.per.connection", String.valueOf(inflight));
        // idempotence needs acks=all and at most 5 requests in flight; it keeps the producer's own
        // retries from writing a record twice
        p.put("enable.idempotence", String.valueOf(acks.equals("all") && inflight <= 5));
        p.put("metadata.max.age.ms", String.valueOf(params.millis("partition_count_refresh_interval", "60s")));
        // waiting for metadata (an unknown topic, a broker that is down) is bounded; so is delivery:
        // a record not acknowledged in time fails its batch, which the runtime retries with backoff
        p.put("max.block.ms", String.valueOf(settings.metadataRequestTimeoutMs));
        p.put("delivery.timeout.ms", String.valueOf(settings.requestTimeoutMs + linger));
        return p;
    }

    @Override
    public CompletionStage<Void> send(List<Map<String, Object>> records) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            thread.execute(() -> write(records, done));
        } catch (RejectedExecutionException e) {
            done.completeExceptionally(SinkException.retryable("action closed", e));
        }
        return done;
    }

    private void write(List<Map<String, Object>> records, CompletableFuture<Void> done) {
        List<ProducerRecord<byte[], byte[]>> out;
        try {
            out = render(records);
            checkTopics(out);
            if (producer == null) {
                producer = KafkaClients.producer(producerProps);
            }
        } catch (Exception e) {
            fail(done, KafkaErrors.toSinkException(e), records.size());
            return;
        }
        AtomicInteger remaining = new AtomicInteger(out.size());
        AtomicReference<Throwable> retryable = new AtomicReference<>();
        AtomicReference<Throwable> fatal = new AtomicReference<>();
        AtomicInteger failed = new AtomicInteger();
        for (ProducerRecord<byte[], byte[]> record : out) {
            try {
                producer.send(record, (meta, error) -> {
                    if (error != null) {
                        failed.incrementAndGet();
                        (KafkaErrors.retryable(error) ? retryable : fatal).compareAndSet(null, error);
                    }
                    if (remaining.decrementAndGet() == 0) {
                        finish(done, retryable.get(), fatal.get(), failed.get(), out.size());
                    }
                });
            } catch (Exception e) { // the producer refused it before sending (metadata timeout, closed)
                failed.incrementAndGet();
                (KafkaErrors.retryable(e) ? retryable : fatal).compareAndSet(null, e);
                if (remaining.decrementAndGet() == 0) {
                    finish(done, retryable.get(), fatal.get(), failed.get(), out.size());
                }
            }
        }
    }

    private List<ProducerRecord<byte[], byte[]>> render(List<Map<String, Object>> records) {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>(records.size());
        Map<String, Integer> partitionCounts = new HashMap<>();
        for (Map<String, Object> record : records) {
            String topic = renderer.topic(record);
            if (topic.isEmpty() || topic.equals("undefined")) {
                throw SinkException.fatal("parameters.topic rendered no topic name", null);
            }
            byte[] key = renderer.key(record);
            Integer partition = null;
            if (!keyDispatch) {
                int count = partitionCounts.computeIfAbsent(topic, this::partitionCount);
                partition = ThreadLocalRandom.current().nextInt(count);
            } else if (key.length == 0) {
                throw SinkException.fatal("parameters.message.key rendered an empty key (key_dispatch needs one)", null);
            }
            out.add(new ProducerRecord<>(topic, partition, renderer.timestamp(record), key,
                    renderer.value(record), renderer.headers(record)));
        }
        return out;
    }

    /** The topic's partition count from the producer's metadata (refreshed every partition_count_refresh_interval). */
    private int partitionCount(String topic) {
        ensureTopic(topic);
        if (producer == null) {
            producer = KafkaClients.producer(producerProps);
        }
        int count = producer.partitionsFor(topic).size();
        return Math.max(1, Math.min(count, partitionsLimit));
    }

    private void checkTopics(List<ProducerRecord<byte[], byte[]>> records) {
        records.stream().map(ProducerRecord::topic).distinct().forEach(this::ensureTopic);
    }

    /** Without allow_auto_topic_creation a missing topic is final: asking for it would create it. */
    private void ensureTopic(String topic) {
        if (connector.settings().allowAutoTopicCreation) {
            return;
        }
        boolean exists;
        try {
            exists = connector.topicExists(topic);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SinkException.retryable("interrupted", e);
        } catch (Exception e) {
            throw SinkException.retryable("cannot look up topic '" + topic + "': " + KafkaErrors.describe(e), e);
        }
        if (!exists) {
            throw SinkException.fatal("Topic '" + topic + "' does not exist (and allow_auto_topic_creation is false)", null);
        }
    }

    private void finish(CompletableFuture<Void> done, Throwable retryable, Throwable fatal, int failed, int total) {
        if (retryable == null && fatal == null) {
            done.complete(null);
            return;
        }
        Throwable first = retryable != null ? retryable : fatal;
        String message = failed + " of " + total + " records not written: " + KafkaErrors.describe(first);
        fail(done, retryable != null ? SinkException.retryable(message, retryable) : SinkException.fatal(message, fatal), total);
    }

    private void fail(CompletableFuture<Void> done, SinkException e, int total) {
        if (e.retryable()) {
            LOG.debug("kafka: tenant={} action={} batch of {} will be retried: {}", connector.context().tenant(), actionId, total, e.getMessage());
        } else {
            LOG.warn("kafka: tenant={} action={} batch of {} failed: {}", connector.context().tenant(), actionId, total, e.getMessage());
        }
        done.completeExceptionally(e);
    }

    @Override
    public void close() {
        connector.forget(this);
        try {
            // after the batches already queued: the producer flushes what it holds, then closes
            thread.execute(() -> {
                if (producer != null) {
                    producer.close(Duration.ofSeconds(5));
                }
            });
        } catch (RejectedExecutionException e) {
            return; // already closed
        }
        thread.shutdown();
        LOG.info("kafka: tenant={} action={} closed", connector.context().tenant(), actionId);
    }

    @Override
    public String toString() {
        return "action " + actionId;
    }
}

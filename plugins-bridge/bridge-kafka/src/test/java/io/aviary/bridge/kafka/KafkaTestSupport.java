package io.aviary.bridge.kafka;

import io.aviary.api.integration.ConnectorContext;
import io.aviary.api.rules.Templates;
import io.aviary.rules.TemplateService;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The real Kafka broker the tests talk to: started by scripts/services.sh (KRaft, one node), its
 * port in target/services/kafka/port of the project. Topics get unique names per test.
 */
final class KafkaTestSupport {
    private KafkaTestSupport() {
    }

    static String bootstrap() {
        return "127.0.0.1:" + serviceFile("port");
    }

    /** The broker's SASL listener (PLAIN user aviary / aviary-secret; SCRAM users made by tests). */
    static String saslBootstrap() {
        return "127.0.0.1:" + serviceFile("sasl_port");
    }

    private static String serviceFile(String name) {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("scripts/services.sh"))) {
            dir = dir.getParent();
        }
        Path portFile = dir == null ? null : dir.resolve("target/services/kafka/" + name);
        try {
            if (portFile == null || !Files.exists(portFile)) {
                throw new IllegalStateException("no Kafka broker: run scripts/services.sh up kafka");
            }
            return Files.readString(portFile).trim();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Object> connectorConfig() {
        Map<String, Object> c = new HashMap<>();
        c.put("bootstrap_hosts", bootstrap());
        c.put("connect_timeout", "2s");
        c.put("metadata_request_timeout", "3s");
        c.put("request_timeout", "5s");
        return c;
    }

    static Admin admin() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap());
        return Admin.create(p);
    }

    static String newTopic(String prefix, int partitions) throws Exception {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(20, TimeUnit.SECONDS);
        }
        return name;
    }

    /** Reads every record of a topic from the beginning until {@code count} arrived (or 20 s passed). */
    static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int count) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap());
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            long deadline = System.currentTimeMillis() + 20_000;
            while (out.size() < count && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The runtime's side of a connector, with the rule engine's real templates. */
    static final class Context implements ConnectorContext {
        private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        private final TemplateService templates = new TemplateService();
        private final String id;

        Context(String id) {
            this.id = id;
        }

        @Override
        public String tenant() {
            return "t1";
        }

        @Override
        public String connectorId() {
            return id;
        }

        @Override
        public Templates templates() {
            return templates;
        }

        @Override
        public ScheduledExecutorService scheduler() {
            return scheduler;
        }
    }
}

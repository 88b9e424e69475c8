package io.aviary.itest;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The shipped bridge-kafka plugin end to end, against the real Kafka broker of
 * scripts/services.sh (KRaft, one node): a real MQTT client publishes, a rule selects the data
 * and its kafka_producer actions write it (with each compression codec, inside OSGi), and the
 * test reads it back from Kafka; a record written to Kafka reaches a real MQTT subscriber through
 * a kafka_consumer source; the broker is stopped (only its process) while devices publish, and
 * every message arrives once it is back; bad configurations report the real error.
 */
public class KafkaIT {
    private static Distribution dist;
    private static AdminHttp api;

    @BeforeClass
    public static void start() throws Exception {
        dist = new Distribution().start().awaitApi();
        api = new AdminHttp(dist.adminPort, AdminHttp.ADMIN);
    }

    @AfterClass
    public static void stop() throws Exception {
        if (dist != null) {
            dist.close();
        }
    }

    private static String newTopic(String prefix) throws Exception {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, 1, (short) 1))).all().get(20, TimeUnit.SECONDS);
        }
        return name;
    }

    private static Admin admin() throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", KafkaService.bootstrap());
        return Admin.create(p);
    }

    /** Every record of the topic from the beginning, once at least {@code count} are there. */
    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int count, Duration within) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", KafkaService.bootstrap());
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long deadline = System.currentTimeMillis() + within.toMillis();
            while (out.size() < count && System.currentTimeMillis() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    private static String text(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    private static Mqtt5BlockingClient connect(String id) {
        Mqtt5BlockingClient c = MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1")
                .serverPort(dist.mqttPort).buildBlocking();
        c.connect();
        return c;
    }

    private static void publish(Mqtt5BlockingClient c, String topic, String payload) {
        c.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload.getBytes(StandardCharsets.UTF_8)).send();
    }

    private static JsonObject created(String path, String json) throws Exception {
        AdminHttp.Reply r = api.post(path, json);
        assertEquals(r.body(), 201, r.status());
        return r.json().getAsJsonObject();
    }

    private static JsonObject metrics(String actionId) throws Exception {
        AdminHttp.Reply r = api.get("/actions/" + actionId + "/metrics");
        assertEquals(r.body(), 200, r.status());
        return r.json().getAsJsonObject().getAsJsonObject("metrics");
    }

    private static long metric(String actionId, String name) throws Exception {
        return metrics(actionId).get(name).getAsLong();
    }

    private static JsonObject connector(String id) throws Exception {
        return api.get("/connectors/" + id).json().getAsJsonObject();
    }

    private static String producerConnector(String name, String bootstrap) throws Exception {
        created("/connectors", """
                {"type": "kafka_producer", "name": "%s", "bootstrap_hosts": "%s", "connect_timeout": "2s",
                 "metadata_request_timeout": "2s", "request_timeout": "3s",
                 "resource_opts": {"health_check_interval": "1s"}}""".formatted(name, bootstrap));
        return name;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String pluginState(String name) throws Exception {
        for (JsonElement e : api.get("/plugins").json().getAsJsonArray()) {
            JsonObject p = e.getAsJsonObject();
            if (name.equals(p.get("name").getAsString())) {
                return p.get("state").getAsString();
            }
        }
        return "absent";
    }

    @Test
    public void thePluginBundleResolvesAndStartsWhenATenantEnablesIt() throws Exception {
        assertEquals(200, api.post("/tenants", "{\"id\":\"iot\"}").status());

        AdminHttp.Reply enabled = api.post("/tenants/iot/plugins", "{\"plugin\":\"bridge-kafka\",\"config\":{}}");

        assertEquals(enabled.body(), 201, enabled.status());
        await("bridge-kafka active").atMost(Duration.ofSeconds(20)).until(() -> pluginState("bridge-kafka").equals("active"));
    }

    @Test
    public void aPublishReachesKafkaThroughARuleWithEveryCompressionCodec() throws Exception {
        producerConnector("k1", KafkaService.bootstrap());
        List<String> codecs = List.of("no_compression", "gzip", "lz4", "snappy", "zstd");
        List<String> topics = new ArrayList<>();
        List<String> actions = new ArrayList<>();
        for (String codec : codecs) {
            String topic = newTopic("it-" + codec.replace('_', '-'));
            topics.add(topic);
            created("/actions", """
                    {"type": "kafka_producer", "name": "to-%s", "connector": "k1",
                     "parameters": {"topic": "%s", "compression": "%s",
                                    "message": {"key": "${clientid}", "value": "${payload}", "timestamp": "${timestamp}"},
                                    "kafka_ext_headers": [{"kafka_ext_header_key": "mqtt-topic", "kafka_ext_header_value": "${topic}"}]},
                     "resource_opts": {"batch_size": 10, "batch_time": "10ms"}}""".formatted(codec, topic, codec));
            actions.add("\"kafka_producer:to-" + codec + "\"");
        }
        created("/rules", """
                {"id": "to-kafka", "sql": "SELECT * FROM \\"sensors/#\\"", "actions": [%s]}""".formatted(String.join(",", actions)));
        await("connector connected").atMost(Duration.ofSeconds(20))
                .until(() -> connector("kafka_producer:k1").get("status").getAsString().equals("connected"));

        Mqtt5BlockingClient device = connect("dev-1");
        publish(device, "sensors/1/temp", "{\"temp\":21}");
        publish(device, "sensors/1/temp", "{\"temp\":22}");
        device.disconnect();

        for (int i = 0; i < codecs.size(); i++) {
            List<ConsumerRecord<byte[], byte[]>> read = readAll(topics.get(i), 2, Duration.ofSeconds(30));
            assertEquals(codecs.get(i), 2, read.size());
            assertEquals("dev-1", text(read.get(0).key()));
            assertEquals("{\"temp\":21}", text(read.get(0).value()));
            assertEquals("{\"temp\":22}", text(read.get(1).value()));
            assertEquals("sensors/1/temp", text(read.get(0).headers().lastHeader("mqtt-topic").value()));
            String actionId = "kafka_producer:to-" + codecs.get(i);
            await(actionId + " success").atMost(Duration.ofSeconds(10)).until(() -> metric(actionId, "success") == 2);
            assertEquals(0, metric(actionId, "failed"));
        }
    }

    @Test
    public void aKafkaRecordReachesAnMqttSubscriberThroughTheSourceAndIsCommittedAfterwards() throws Exception {
        String topic = newTopic("it-commands");
        String group = "aviary-" + topic;
        created("/connectors", """
                {"type": "kafka_consumer", "name": "kc1", "bootstrap_hosts": "%s",
                 "resource_opts": {"health_check_interval": "1s"}}""".formatted(KafkaService.bootstrap()));
        Mqtt5BlockingClient device = connect("dev-5");
        device.subscribeWith().topicFilter("devices/dev-5/commands").qos(MqttQos.AT_LEAST_ONCE).send();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = device.publishes(MqttGlobalPublishFilter.SUBSCRIBED)) {
            created("/sources", """
                    {"type": "kafka_consumer", "name": "commands", "connector": "kc1",
                     "parameters": {"topic": "%s", "group_id": "%s", "offset_reset_policy": "earliest",
                                    "topic_mapping": [{"kafka_topic": "%s", "mqtt_topic": "devices/${key}/commands",
                                                       "qos": 1, "payload_template": "${value}"}]}}"""
                    .formatted(topic, group, topic));

            Properties p = new Properties();
            p.put("bootstrap.servers", KafkaService.bootstrap());
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(topic, "dev-5".getBytes(StandardCharsets.UTF_8),
                        "{\"cmd\":\"reboot\"}".getBytes(StandardCharsets.UTF_8))).get(20, TimeUnit.SECONDS);
            }

            Mqtt5Publish command = publishes.receive(30, TimeUnit.SECONDS).orElseThrow(() -> new AssertionError("no command arrived"));
            assertEquals("devices/dev-5/commands", command.getTopic().toString());
            assertEquals("{\"cmd\":\"reboot\"}", text(command.getPayloadAsBytes()));
            assertEquals(MqttQos.AT_LEAST_ONCE, command.getQos());
        }
        await("offset committed after the publish").atMost(Duration.ofSeconds(20)).until(() -> {
            try (Admin admin = admin()) {
                OffsetAndMetadata o = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                        .get(10, TimeUnit.SECONDS).get(new TopicPartition(topic, 0));
                return o != null && o.offset() == 1;
            }
        });
        device.disconnect();
    }

    @Test
    public void messagesPublishedWhileKafkaIsDownAllArriveWhenItIsBack() throws Exception {
        String topic = newTopic("it-outage");
        // health checks far apart: the outage is met by the sends themselves, which fail and are retried
        created("/connectors", """
                {"type": "kafka_producer", "name": "k-outage", "bootstrap_hosts": "%s", "connect_timeout": "2s",
                 "metadata_request_timeout": "2s", "request_timeout": "3s",
                 "resource_opts": {"health_check_interval": "60s"}}""".formatted(KafkaService.bootstrap()));
        created("/actions", """
                {"type": "kafka_producer", "name": "outage", "connector": "k-outage",
                 "parameters": {"topic": "%s", "message": {"key": "${clientid}", "value": "${payload}"}},
                 "resource_opts": {"batch_size": 5, "batch_time": "10ms", "request_ttl": "120s"}}""".formatted(topic));
        created("/rules", """
                {"id": "outage", "sql": "SELECT * FROM \\"outage/#\\"", "actions": ["kafka_producer:outage"]}""");
        Mqtt5BlockingClient device = connect("dev-outage");
        publish(device, "outage/1", "warm-up");
        await("warm-up written").atMost(Duration.ofSeconds(30)).until(() -> metric("kafka_producer:outage", "success") == 1);

        int n = 20;
        KafkaService.stop();
        try {
            for (int i = 0; i < n; i++) {
                publish(device, "outage/1", "m-" + i);
            }
            await("retries while Kafka is down").atMost(Duration.ofSeconds(60))
                    .until(() -> metric("kafka_producer:outage", "retried") > 0);
            await("the connector sees the outage").atMost(Duration.ofSeconds(20))
                    .until(() -> !connector("kafka_producer:k-outage").get("status").getAsString().equals("connected"));
        } finally {
            KafkaService.start();
        }
        device.disconnect();

        List<ConsumerRecord<byte[], byte[]>> read = readAll(topic, n + 1, Duration.ofSeconds(90));
        Set<String> values = new HashSet<>();
        read.forEach(r -> values.add(text(r.value())));
        for (int i = 0; i < n; i++) {
            assertTrue("m-" + i + " arrived: " + values, values.contains("m-" + i));
        }
        await("all counted as success").atMost(Duration.ofSeconds(30))
                .until(() -> metric("kafka_producer:outage", "success") == n + 1);
        assertEquals(0, metric("kafka_producer:outage", "failed"));
        assertTrue(metric("kafka_producer:outage", "retried") > 0);
    }

    @Test
    public void messagesBufferedDuringAnOutageArriveAfterAviaryRestartedMeanwhile() throws Exception {
        String topic = newTopic("it-outage-restart");
        producerConnector("k-restart", KafkaService.bootstrap());
        created("/actions", """
                {"type": "kafka_producer", "name": "restart", "connector": "k-restart",
                 "parameters": {"topic": "%s", "message": {"value": "${payload}"}},
                 "resource_opts": {"batch_size": 5, "batch_time": "10ms", "request_ttl": "300s"}}""".formatted(topic));
        created("/rules", """
                {"id": "outage-restart", "sql": "SELECT * FROM \\"restart/#\\"", "actions": ["kafka_producer:restart"]}""");
        await("connector connected").atMost(Duration.ofSeconds(20))
                .until(() -> connector("kafka_producer:k-restart").get("status").getAsString().equals("connected"));

        int n = 20;
        KafkaService.stop();
        try {
            await("the connector sees the outage").atMost(Duration.ofSeconds(20))
                    .until(() -> !connector("kafka_producer:k-restart").get("status").getAsString().equals("connected"));
            Mqtt5BlockingClient device = connect("dev-restart");
            for (int i = 0; i < n; i++) {
                publish(device, "restart/1", "r-" + i);
            }
            device.disconnect();
            // buffered (one batch may be out as the runtime's probe of the connection)
            await("all buffered").atMost(Duration.ofSeconds(20)).until(() ->
                    metric("kafka_producer:restart", "queuing") + metric("kafka_producer:restart", "inflight") == n);
            assertEquals("Aviary stopped gracefully on SIGTERM", 143, dist.stop(Duration.ofSeconds(30)));
        } finally {
            KafkaService.start();
        }
        dist.start().awaitApi();

        List<ConsumerRecord<byte[], byte[]>> read = readAll(topic, n, Duration.ofSeconds(90));
        Set<String> values = new HashSet<>();
        read.forEach(r -> values.add(text(r.value())));
        for (int i = 0; i < n; i++) {
            assertTrue("r-" + i + " arrived: " + values, values.contains("r-" + i));
        }
    }

    @Test
    public void aScramConnectorWritesThroughTheSaslListenerAndAWrongPasswordIsReported() throws Exception {
        try (Admin admin = admin()) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("aviary-it",
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), "it-secret"))).all().get(20, TimeUnit.SECONDS);
        }
        String sasl = KafkaService.saslBootstrap();

        String topic = newTopic("it-scram");
        created("/connectors", """
                {"type": "kafka_producer", "name": "k-scram", "bootstrap_hosts": "%s",
                 "authentication": {"mechanism": "scram_sha_256", "username": "aviary-it", "password": "it-secret"},
                 "resource_opts": {"health_check_interval": "1s"}}""".formatted(sasl));
        created("/actions", """
                {"type": "kafka_producer", "name": "scram", "connector": "k-scram",
                 "parameters": {"topic": "%s", "message": {"value": "${payload}"}}}""".formatted(topic));
        created("/rules", """
                {"id": "to-scram", "sql": "SELECT * FROM \\"scram/#\\"", "actions": ["kafka_producer:scram"]}""");
        await("connector connected").atMost(Duration.ofSeconds(20))
                .until(() -> connector("kafka_producer:k-scram").get("status").getAsString().equals("connected"));

        Mqtt5BlockingClient device = connect("dev-scram");
        publish(device, "scram/1", "over-sasl");
        device.disconnect();

        assertEquals("over-sasl", text(readAll(topic, 1, Duration.ofSeconds(30)).get(0).value()));

        AdminHttp.Reply wrong = api.post("/connectors_probe", """
                {"type": "kafka_producer", "name": "probe-sasl", "bootstrap_hosts": "%s",
                 "authentication": {"mechanism": "scram_sha_256", "username": "aviary-it", "password": "wrong"}}""".formatted(sasl));
        assertEquals(wrong.body(), 400, wrong.status());
        assertTrue(wrong.message(), wrong.message().contains("Authentication failed"));
    }

    @Test
    public void badConfigurationsReportTheRealErrorAndDisturbNothingElse() throws Exception {
        String refused = "127.0.0.1:" + freePort();
        AdminHttp.Reply probe = api.post("/connectors_probe", """
                {"type": "kafka_producer", "name": "probe", "bootstrap_hosts": "%s", "connect_timeout": "2s"}""".formatted(refused));
        assertEquals(probe.body(), 400, probe.status());
        assertEquals("TEST_FAILED", probe.code());
        assertTrue(probe.message(), probe.message().contains("Connection refused"));

        producerConnector("k-bad", refused);
        await("the connector reports the refusal").atMost(Duration.ofSeconds(20)).until(() -> {
            JsonObject c = connector("kafka_producer:k-bad");
            JsonElement reason = c.get("status_reason");
            return c.get("status").getAsString().equals("disconnected") && reason != null && !reason.isJsonNull()
                    && reason.getAsString().contains("Connection refused");
        });

        // a missing topic on a good connector fails (not retried), while a good action of the same rule keeps writing
        String good = newTopic("it-good");
        producerConnector("k-good", KafkaService.bootstrap());
        created("/actions", """
                {"type": "kafka_producer", "name": "missing", "connector": "k-good",
                 "parameters": {"topic": "no-such-topic-%s"}}""".formatted(UUID.randomUUID().toString().substring(0, 8)));
        created("/actions", """
                {"type": "kafka_producer", "name": "good", "connector": "k-good",
                 "parameters": {"topic": "%s", "message": {"value": "${payload}"}}}""".formatted(good));
        created("/rules", """
                {"id": "bad-config", "sql": "SELECT * FROM \\"bad/#\\"",
                 "actions": ["kafka_producer:missing", "kafka_producer:good"]}""");

        Mqtt5BlockingClient device = connect("dev-bad");
        publish(device, "bad/1", "still-written");
        device.disconnect();

        await("the missing topic counted as failed").atMost(Duration.ofSeconds(30))
                .until(() -> metric("kafka_producer:missing", "failed") == 1);
        assertEquals(0, metric("kafka_producer:missing", "success"));
        assertEquals("still-written", text(readAll(good, 1, Duration.ofSeconds(30)).get(0).value()));
        await().atMost(Duration.ofSeconds(10)).until(() -> metric("kafka_producer:good", "success") == 1);

        AdminHttp.Reply badField = api.post("/connectors", """
                {"type": "kafka_producer", "name": "k-typo", "bootstrap_hosts": "localhost"}""");
        assertEquals(badField.body(), 400, badField.status());
        assertTrue(badField.message(), badField.message().contains("bootstrap_hosts"));
    }
}

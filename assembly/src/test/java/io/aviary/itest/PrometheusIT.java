package io.aviary.itest;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * GET /api/v5/prometheus/stats read by a real Prometheus text-format parser (the official
 * Prometheus Python client's parser, python3-prometheus-client, run as a process: no Java
 * library parses the text format), and counters that move by exactly what a test publishes.
 */
public class PrometheusIT {

    private static Distribution dist;
    private static AdminHttp api;

    @BeforeClass
    public static void start() throws Exception {
        dist = new Distribution().start("--set", "sys_topics.sys_msg_interval=1s").awaitApi();
        api = new AdminHttp(dist.adminPort, AdminHttp.ADMIN);
    }

    @AfterClass
    public static void stop() throws Exception {
        if (dist != null) {
            dist.close();
        }
    }

    @Test
    public void theScrapeParsesAsPrometheusTextAndCountsEachPublishedMessageOnce() throws Exception {
        Mqtt5BlockingClient sub = MqttClient.builder().useMqttVersion5().identifier("prom-sub")
                .serverHost("127.0.0.1").serverPort(dist.mqttPort).buildBlocking();
        sub.connect();
        sub.subscribeWith().topicFilter("prom/#").qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt5BlockingClient pub = MqttClient.builder().useMqttVersion5().identifier("prom-pub")
                .serverHost("127.0.0.1").serverPort(dist.mqttPort).buildBlocking();
        pub.connect();

        Map<String, Double> before = parse(scrape());
        int n = 7;
        try (Mqtt5BlockingClient.Mqtt5Publishes in = sub.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.SUBSCRIBED)) {
            for (int i = 0; i < n; i++) {
                pub.publishWith().topic("prom/" + i).qos(MqttQos.AT_LEAST_ONCE)
                        .payload("x".getBytes(StandardCharsets.UTF_8)).send();
            }
            for (int i = 0; i < n; i++) {
                assertTrue(in.receive(5, TimeUnit.SECONDS).isPresent());
            }
        }
        pub.publishWith().topic("nobody/here").qos(MqttQos.EXACTLY_ONCE).send();
        String received = "aviary_messages_received_total{qos=\"1\",tenant=\"default\"}";
        String sent = "aviary_messages_sent_total{qos=\"1\",tenant=\"default\"}";
        String noSubs = "aviary_messages_dropped_total{reason=\"no_subscribers\",tenant=\"default\"}";
        String received2 = "aviary_messages_received_total{qos=\"2\",tenant=\"default\"}";
        Map<String, Double> after = await().atMost(Duration.ofSeconds(5)).until(() -> parse(scrape()),
                m -> m.getOrDefault(sent, 0.0) - before.getOrDefault(sent, 0.0) >= n
                        && m.getOrDefault(received2, 0.0) - before.getOrDefault(received2, 0.0) >= 1);

        assertEquals(n, after.get(received) - before.getOrDefault(received, 0.0), 0.0);
        assertEquals(n, after.get(sent) - before.getOrDefault(sent, 0.0), 0.0);
        assertEquals(1, after.get(received2) - before.getOrDefault(received2, 0.0), 0.0);
        assertEquals(1, after.get(noSubs) - before.getOrDefault(noSubs, 0.0), 0.0);
        assertTrue(after.get("aviary_connections{tenant=\"default\"}") >= 2);
        assertTrue(after.get("aviary_bytes_received_total") > before.getOrDefault("aviary_bytes_received_total", 0.0));
        assertTrue(after.get("aviary_bytes_sent_total") > before.getOrDefault("aviary_bytes_sent_total", 0.0));
        assertTrue(after.get("aviary_authentication_total{result=\"anonymous\",tenant=\"default\"}") >= 2);
        assertTrue(after.keySet().stream().anyMatch(k -> k.startsWith("jvm_memory_used_bytes{")));
        pub.disconnect();
        sub.disconnect();
    }

    @Test
    public void theScrapeNeedsCredentialsAndIsPlainText() throws Exception {
        assertEquals(401, api.as(null).get("/prometheus/stats").status());
        AdminHttp.Reply r = api.get("/prometheus/stats");
        assertEquals(200, r.status());
        String type = r.raw().headers().firstValue("Content-Type").orElse("");
        assertTrue(type, type.startsWith("text/plain") && type.contains("version=0.0.4"));
    }

    @Test
    public void sysTopicsCarryVersionStatsMetricsAndClientNotices() throws Exception {
        Mqtt5BlockingClient watcher = MqttClient.builder().useMqttVersion5().identifier("sys-watcher")
                .serverHost("127.0.0.1").serverPort(dist.mqttPort).buildBlocking();
        watcher.connect();
        watcher.subscribeWith().topicFilter("$SYS/brokers/+/version").send();
        watcher.subscribeWith().topicFilter("$SYS/brokers/+/stats/connections/count").send();
        watcher.subscribeWith().topicFilter("$SYS/brokers/+/metrics/messages/received").send();
        watcher.subscribeWith().topicFilter("$SYS/brokers/+/clients/sys-device/+").send();
        Map<String, String> seen = new HashMap<>();
        try (Mqtt5BlockingClient.Mqtt5Publishes in = watcher.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
            Mqtt5BlockingClient device = MqttClient.builder().useMqttVersion5().identifier("sys-device")
                    .serverHost("127.0.0.1").serverPort(dist.mqttPort).buildBlocking();
            device.connectWith().simpleAuth().username("dev-user").applySimpleAuth().send();
            device.disconnect();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (seen.size() < 5 && System.nanoTime() < deadline) {
                in.receive(1, TimeUnit.SECONDS).ifPresent(p -> {
                    String topic = p.getTopic().toString();
                    seen.put(topic.substring(topic.indexOf('/', "$SYS/brokers/".length()) + 1),
                            new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8));
                });
            }
        }
        assertTrue(seen.toString(), seen.keySet().containsAll(List.of("version", "stats/connections/count",
                "metrics/messages/received", "clients/sys-device/connected", "clients/sys-device/disconnected")));
        assertTrue(Long.parseLong(seen.get("stats/connections/count")) >= 1);
        JsonObject connected = JsonParser.parseString(seen.get("clients/sys-device/connected")).getAsJsonObject();
        assertEquals("sys-device", connected.get("clientid").getAsString());
        assertEquals("dev-user", connected.get("username").getAsString());
        assertEquals("127.0.0.1", connected.get("ipaddress").getAsString());
        JsonObject disconnected = JsonParser.parseString(seen.get("clients/sys-device/disconnected")).getAsJsonObject();
        assertEquals("sys-device", disconnected.get("clientid").getAsString());
        assertTrue(disconnected.has("reason"));
        watcher.disconnect();
    }

    private static String scrape() throws Exception {
        AdminHttp.Reply r = api.get("/prometheus/stats");
        assertEquals(r.body(), 200, r.status());
        return r.body();
    }

    /**
     * Parses with prometheus_client.parser (raises on any malformed line) and returns every
     * sample as name{sorted labels} -> value.
     */
    static Map<String, Double> parse(String text) throws IOException, InterruptedException {
        Path in = Files.createTempFile("scrape", ".txt");
        Files.writeString(in, text);
        String script = String.join("\n",
                "import sys",
                "from prometheus_client.parser import text_string_to_metric_families",
                "for family in text_string_to_metric_families(open(sys.argv[1]).read()):",
                "    for s in family.samples:",
                "        labels = ','.join('%s=\"%s\"' % (k, v) for k, v in sorted(s.labels.items()))",
                "        print('%s%s %r' % (s.name, '{' + labels + '}' if labels else '', s.value))");
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", script, in.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals("the parser accepts the scrape:\n" + out, 0, p.waitFor());
        Files.delete(in);
        Map<String, Double> samples = new HashMap<>();
        for (String line : out.split("\n")) {
            int space = line.lastIndexOf(' ');
            if (space > 0) {
                samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
        return samples;
    }
}

package io.aviary.itest;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The foundation's end-to-end promise: the assembled distribution, run as its own process,
 * installs, updates and uninstalls plugin jars dropped into plugins/ while it runs, reports
 * broken jars as failed, and keeps an MQTT client connected and served throughout.
 */
public class HotDeployIT {
    private static final Duration FIVE_SECONDS = Duration.ofSeconds(5);
    private Distribution dist;
    private Mqtt5BlockingClient watcher;
    private final AtomicInteger watcherDisconnects = new AtomicInteger();

    @Before
    public void startDistributionAndConnectAClient() throws Exception {
        dist = new Distribution().start().awaitApi();
        watcher = MqttClient.builder().useMqttVersion5().identifier("hot-deploy-watcher")
                .serverHost("127.0.0.1").serverPort(dist.mqttPort)
                .addDisconnectedListener(ctx -> watcherDisconnects.incrementAndGet())
                .buildBlocking();
        watcher.connect();
        watcher.subscribeWith().topicFilter("hot/#").qos(MqttQos.AT_LEAST_ONCE).send();
    }

    @After
    public void stop() throws Exception {
        if (dist != null) {
            dist.close();
        }
    }

    @Test
    public void pluginJarsComeAndGoWhileTheClientStaysConnected() throws Exception {
        Path jar = dist.plugins().resolve("hello.jar");
        long dropped = System.nanoTime();
        TestPlugins.plugin(jar, "hello", "1.0.0");
        await("plugin listed").atMost(FIVE_SECONDS).until(() -> state("hello").equals("installed"));

        var created = dist.post("/plugin_instances", "{\"plugin\":\"hello\",\"tenant\":\"default\",\"config\":{\"greeting\":\"hi\"}}");
        assertEquals(created.body(), 201, created.statusCode());
        await("plugin active").atMost(FIVE_SECONDS).until(() -> state("hello").equals("active"));
        assertTrue("active within 5 s of the drop", System.nanoTime() - dropped < TimeUnit.SECONDS.toNanos(5));

        TestPlugins.plugin(jar, "hello", "1.0.1");
        await("plugin updated").atMost(FIVE_SECONDS).until(() -> "1.0.1".equals(field("hello", "version")));
        assertEquals("an updated plugin with an instance stays active", "active", state("hello"));

        Files.delete(jar);
        await("plugin uninstalled").atMost(FIVE_SECONDS).until(() -> plugin("hello").isEmpty());

        assertStillServing("after the plugin changes");
    }

    @Test
    public void brokenJarsAreReportedFailedAndNothingElseIsDisturbed() throws Exception {
        TestPlugins.corrupt(dist.plugins().resolve("broken.jar"));
        TestPlugins.plugin(dist.plugins().resolve("needs-more.jar"), "needs-more", "1.0.0",
                "Import-Package", "io.aviary.does.not.exist");
        TestPlugins.plugin(dist.plugins().resolve("fine.jar"), "fine", "1.0.0");

        await("corrupt jar failed").atMost(FIVE_SECONDS).until(() -> state("broken.jar").equals("failed"));
        assertTrue(field("broken.jar", "error"), field("broken.jar", "error").contains("cannot install"));
        await("unresolvable jar failed").atMost(FIVE_SECONDS).until(() -> state("needs-more").equals("failed"));
        assertTrue(field("needs-more", "error"), field("needs-more", "error").contains("io.aviary.does.not.exist"));
        await("the good plugin beside them").atMost(FIVE_SECONDS).until(() -> state("fine").equals("installed"));

        var status = dist.get("/status");
        assertEquals(200, status.statusCode());
        assertStillServing("beside broken plugins");
    }

    @Test
    public void enabledPluginsAndTheirConfigurationSurviveARestart() throws Exception {
        TestPlugins.plugin(dist.plugins().resolve("keeper.jar"), "keeper", "2.0.0");
        await("plugin listed").atMost(FIVE_SECONDS).until(() -> state("keeper").equals("installed"));
        var created = dist.post("/plugin_instances", "{\"plugin\":\"keeper\",\"config\":{\"greeting\":\"kept\"}}");
        assertEquals(created.body(), 201, created.statusCode());
        await("plugin active").atMost(FIVE_SECONDS).until(() -> state("keeper").equals("active"));

        watcher.disconnect();
        assertEquals(143, dist.stop(Duration.ofSeconds(10)));
        dist.start().awaitApi();

        await("active again after the restart").atMost(FIVE_SECONDS).until(() -> state("keeper").equals("active"));
        var instances = dist.get("/plugin_instances?tenant=default");
        assertTrue(instances.body(), instances.body().contains("\"greeting\":\"kept\""));
    }

    private void assertStillServing(String when) throws Exception {
        try (var publishes = watcher.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.SUBSCRIBED)) {
            Mqtt5BlockingClient sender = MqttClient.builder().useMqttVersion5().identifier("hot-deploy-sender")
                    .serverHost("127.0.0.1").serverPort(dist.mqttPort).buildBlocking();
            sender.connect();
            sender.publishWith().topic("hot/ping").qos(MqttQos.AT_LEAST_ONCE)
                    .payload("still here".getBytes(StandardCharsets.UTF_8)).send();
            sender.disconnect();
            Optional<Mqtt5Publish> received = publishes.receive(10, TimeUnit.SECONDS);
            assertTrue("the connected client still receives " + when, received.isPresent());
            assertEquals("still here", new String(received.get().getPayloadAsBytes(), StandardCharsets.UTF_8));
        }
        assertEquals("the client was never disconnected " + when, 0, watcherDisconnects.get());
    }

    private Optional<JsonObject> plugin(String name) throws Exception {
        var response = dist.get("/plugins");
        assertEquals(response.body(), 200, response.statusCode());
        JsonArray list = JsonParser.parseString(response.body()).getAsJsonArray();
        for (JsonElement e : list) {
            if (name.equals(e.getAsJsonObject().get("name").getAsString())) {
                return Optional.of(e.getAsJsonObject());
            }
        }
        return Optional.empty();
    }

    private String field(String name, String field) throws Exception {
        return plugin(name).map(p -> p.get(field)).filter(e -> !e.isJsonNull()).map(JsonElement::getAsString).orElse("");
    }

    private String state(String name) throws Exception {
        return field(name, "state");
    }
}

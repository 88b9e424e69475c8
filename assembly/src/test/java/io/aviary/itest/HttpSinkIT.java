package io.aviary.itest;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonObject;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The data integration end to end with the http sink: a real MQTT client publishes, a rule
 * selects the message, its action ("http:a1") renders and sends it, and a real HTTP server in
 * this JVM receives it. Connectors, actions and rules are created through the admin API, in
 * EMQX 5's shapes.
 */
public class HttpSinkIT {

    private static Distribution dist;
    private static AdminHttp api;
    private final List<AutoCloseable> closing = new ArrayList<>();

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

    @After
    public void closeAll() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    static JsonObject created(AdminHttp http, String path, String json) throws Exception {
        AdminHttp.Reply r = http.post(path, json);
        assertEquals(r.body(), 201, r.status());
        return r.json().getAsJsonObject();
    }

    static JsonObject metrics(AdminHttp http, String actionId) throws Exception {
        AdminHttp.Reply r = http.get("/actions/" + actionId + "/metrics");
        assertEquals(r.body(), 200, r.status());
        return r.json().getAsJsonObject().getAsJsonObject("metrics");
    }

    static void awaitMetric(AdminHttp http, String actionId, String name, long value) {
        await(actionId + " " + name + " = " + value).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> metrics(http, actionId).get(name).getAsLong() == value);
    }

    private Mqtt5BlockingClient connect(Distribution d, String id) {
        Mqtt5BlockingClient c = MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1")
                .serverPort(d.mqttPort).buildBlocking();
        c.connect();
        closing.add(() -> {
            if (c.getState().isConnected()) {
                c.disconnect();
            }
        });
        return c;
    }

    private static void publish(Mqtt5BlockingClient c, String topic, String payload) {
        c.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload.getBytes(StandardCharsets.UTF_8)).send();
    }

    private WebhookServer webhook() throws Exception {
        WebhookServer w = new WebhookServer(null).start();
        closing.add(w);
        return w;
    }

    @Test
    public void aPublishedMessageReachesTheWebhookWithItsPathHeadersAndBodyRendered() throws Exception {
        WebhookServer hook = webhook();
        JsonObject connector = created(api, "/connectors", """
                {"type": "http", "name": "c1", "url": "%s/api", "headers": {"x-source": "aviary"},
                 "resource_opts": {"health_check_interval": "1s"}}""".formatted(hook.url()));
        assertEquals("http", connector.get("type").getAsString());
        assertTrue(connector.toString(), connector.has("status"));
        created(api, "/actions", """
                {"type": "http", "name": "a1", "connector": "c1",
                 "parameters": {"path": "hook/${clientid}", "method": "post", "headers": {"x-device": "${clientid}"},
                                "body": "{\\"t\\": ${payload.temp}, \\"topic\\": \\"${topic}\\"}"}}""");
        JsonObject rule = created(api, "/rules", """
                {"id": "to-http", "sql": "SELECT * FROM \\"sensors/#\\"", "actions": ["http:a1"]}""");
        assertEquals("http:a1", rule.getAsJsonArray("actions").get(0).getAsString());

        publish(connect(dist, "dev1"), "sensors/1", "{\"temp\": 21}");

        WebhookServer.Request r = hook.next();
        assertEquals("POST", r.method());
        assertEquals("/api/hook/dev1", r.path());
        assertEquals("dev1", r.headers().get("x-device"));
        assertEquals("aviary", r.headers().get("x-source"));
        assertEquals("{\"t\": 21, \"topic\": \"sensors/1\"}", r.body());
        awaitMetric(api, "http:a1", "success", 1);
        JsonObject m = metrics(api, "http:a1");
        assertEquals(1, m.get("matched").getAsLong());
        assertEquals(0, m.get("failed").getAsLong());
        await("connector connected").atMost(Duration.ofSeconds(10)).until(() ->
                api.get("/connectors/http:c1").json().getAsJsonObject().get("status").getAsString().equals("connected"));
        assertEquals(204, api.delete("/rules/to-http").status());
        assertEquals(204, api.delete("/actions/http:a1").status());
        assertEquals(204, api.delete("/connectors/http:c1").status());
    }
}

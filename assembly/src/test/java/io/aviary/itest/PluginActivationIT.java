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
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.After;
import org.junit.Test;

/**
 * Per-tenant plugin activation through /tenants/{id}/plugins while another tenant's devices are
 * connected and publishing: a config that breaks the plugin's JSON Schema is refused with a 400
 * naming the field and starts nothing; a valid one starts the plugin's bundle; removing the last
 * instance stops it; and tenant B loses no connection and no message throughout (counted).
 */
public class PluginActivationIT {

    private Distribution dist;

    @After
    public void stop() throws Exception {
        if (dist != null) {
            dist.close();
        }
    }

    private Mqtt5BlockingClient client(String id, String user, AtomicInteger drops) {
        Mqtt5BlockingClient c = MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1")
                .serverPort(dist.mqttPort).addDisconnectedListener(ctx -> drops.incrementAndGet()).buildBlocking();
        c.connectWith().simpleAuth().username(user).applySimpleAuth().send();
        return c;
    }

    private String pluginState(AdminHttp admin) throws Exception {
        for (JsonElement e : admin.get("/plugins").json().getAsJsonArray()) {
            JsonObject p = e.getAsJsonObject();
            if (AuthFixtureBundle.PLUGIN_ID.equals(p.get("name").getAsString())) {
                return p.get("state").getAsString();
            }
        }
        return "absent";
    }

    @Test
    public void aTenantEnablesAndRemovesAPluginWhileAnotherTenantKeepsPublishing() throws Exception {
        dist = new Distribution().start().awaitApi();
        AdminHttp admin = new AdminHttp(dist.adminPort, AdminHttp.ADMIN);
        assertEquals(200, admin.post("/tenants", "{\"id\":\"a\"}").status());
        assertEquals(200, admin.post("/tenants", "{\"id\":\"b\"}").status());
        AuthFixtureBundle.write(dist.plugins().resolve(AuthFixtureBundle.PLUGIN_ID + ".jar"));
        await("plugin installed").atMost(Duration.ofSeconds(15)).until(() -> pluginState(admin).equals("installed"));

        // tenant B: a subscriber and a publisher that keeps publishing QoS 1 until told to stop
        AtomicInteger drops = new AtomicInteger();
        Mqtt5BlockingClient sub = client("sub", "s@b", drops);
        AtomicInteger received = new AtomicInteger();
        sub.toAsync().publishes(MqttGlobalPublishFilter.ALL, p -> received.incrementAndGet());
        sub.subscribeWith().topicFilter("load/#").qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt5BlockingClient pub = client("pub", "p@b", drops);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger acked = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread publisher = new Thread(() -> {
            try {
                while (running.get()) {
                    pub.publishWith().topic("load/" + acked.get()).qos(MqttQos.AT_LEAST_ONCE).payload(new byte[16]).send();
                    acked.incrementAndGet();
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "tenant-b-publisher");
        publisher.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> acked.get() > 100);

        // tenant A, with its own key, enables the plugin: a bad config first
        JsonObject key = admin.post("/api_key", "{\"name\":\"a-ops\",\"tenant\":\"a\"}").json().getAsJsonObject();
        AdminHttp tenantA = admin.as(AdminHttp.basic(key.get("api_key").getAsString(),
                key.get("api_secret").getAsString()));
        AdminHttp.Reply bad = tenantA.post("/tenants/a/plugins",
                "{\"plugin\":\"" + AuthFixtureBundle.PLUGIN_ID + "\",\"config\":{\"strict\":\"yes\"}}");
        assertEquals(bad.body(), 400, bad.status());
        assertTrue(bad.body(), bad.message().contains("'config.strict'"));
        assertEquals("a refused config starts nothing", "installed", pluginState(admin));
        assertEquals(0, tenantA.get("/tenants/a/plugins").json().getAsJsonArray().size());

        AdminHttp.Reply enabled = tenantA.post("/tenants/a/plugins",
                "{\"plugin\":\"" + AuthFixtureBundle.PLUGIN_ID + "\",\"config\":{\"strict\":true}}");
        assertEquals(enabled.body(), 201, enabled.status());
        String instance = enabled.json().getAsJsonObject().get("id").getAsString();
        await("plugin active").atMost(Duration.ofSeconds(15)).until(() -> pluginState(admin).equals("active"));
        assertEquals(1, tenantA.get("/tenants/a/plugins").json().getAsJsonArray().size());
        assertEquals("another tenant's plugins are not there for A's key", 404,
                tenantA.get("/tenants/b/plugins").status());
        assertEquals(404, tenantA.delete("/plugin_instances/" + instance + "x").status());

        // the platform meters every call into the plugin, per tenant (the fixture serves tenant default)
        Mqtt5BlockingClient alice = MqttClient.builder().useMqttVersion5().identifier("alice").serverHost("127.0.0.1")
                .serverPort(dist.mqttPort).buildBlocking();
        alice.connectWith().simpleAuth().username("alice").password("secret".getBytes()).applySimpleAuth().send();
        alice.disconnect();
        JsonObject metrics = admin.get("/metrics?tenant=default&aggregate=true").json().getAsJsonObject();
        assertTrue(metrics.toString(), metrics.get("plugin.FixtureAuthenticator.authenticate.calls").getAsLong() >= 1);
        assertEquals(0, metrics.get("plugin.FixtureAuthenticator.authenticate.timeouts").getAsLong());
        String prometheus = admin.get("/prometheus/stats").body();
        assertTrue(prometheus, prometheus.contains("aviary_plugin_calls_total{call=\"authenticate\","
                + "instance=\"FixtureAuthenticator\",tenant=\"default\"}"));

        assertEquals(204, tenantA.delete("/tenants/a/plugins/" + instance).status());
        await("bundle stopped with its last instance").atMost(Duration.ofSeconds(15))
                .until(() -> pluginState(admin).equals("installed"));

        int before = acked.get();
        await().atMost(Duration.ofSeconds(10)).until(() -> acked.get() > before + 100);
        running.set(false);
        publisher.join(10_000);
        assertEquals(null, failure.get());
        await("every acknowledged message arrived").atMost(Duration.ofSeconds(10))
                .until(() -> received.get() >= acked.get());
        assertEquals("tenant B's messages: acknowledged " + acked.get(), acked.get(), received.get());
        assertEquals("no connection of tenant B dropped", 0, drops.get());
        sub.disconnect();
        pub.disconnect();
    }
}

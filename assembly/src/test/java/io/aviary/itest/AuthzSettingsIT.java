package io.aviary.itest;

import static io.aviary.itest.BuiltinAuthIT.ok;
import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.After;
import org.junit.Test;

/**
 * EMQX 5's authorization settings end to end, with the shipped authz-file plugin as the chain's
 * only source and real MQTT clients: no_match deny refuses what no rule matches, deny_action
 * disconnect ends MQTT 5 (DISCONNECT 0x87) and 3.1.1 (close) clients, the per-client cache holds
 * answers for its TTL and is listed and cleared through the API, a Will the rules deny is not
 * delivered, bad settings are refused naming the field, and the settings survive a restart.
 */
public class AuthzSettingsIT {
    /** Rules of the default tenant; "flip/#" is matched by nothing, so no_match decides it. */
    private static final String RULES = "{deny, all, publish, [\\\"will/denied\\\"]}.\\n"
            + "{allow, all, all, [\\\"open/#\\\", \\\"will/#\\\"]}.\\n"
            + "{deny, all, all, [\\\"closed/#\\\"]}.";
    private static final String FLIP_DENIED = "{deny, all, all, [\\\"flip/#\\\"]}.\\n" + RULES;

    private Distribution dist;

    @After
    public void stop() throws Exception {
        if (dist != null) {
            dist.close();
        }
    }

    private Mqtt5BlockingClient client(String id) {
        Mqtt5BlockingClient c = MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1")
                .serverPort(dist.mqttPort).buildBlocking();
        c.connect();
        return c;
    }

    /** The PUBACK reason of a QoS 1 PUBLISH: 0x10 (no subscribers) when allowed, 0x87 when denied. */
    private static Mqtt5PubAckReasonCode publish(Mqtt5BlockingClient c, String topic) {
        try {
            return ((com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult.Mqtt5Qos1Result) c.publishWith()
                    .topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(new byte[] {1}).send()).getPubAck().getReasonCode();
        } catch (Mqtt5PubAckException e) {
            return e.getMqttMessage().getReasonCode();
        }
    }

    private static Mqtt5SubAckReasonCode subscribe(Mqtt5BlockingClient c, String filter) {
        try {
            return c.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send().getReasonCodes().get(0);
        } catch (Mqtt5SubAckException e) {
            return e.getMqttMessage().getReasonCodes().get(0);
        }
    }

    private void rules(AdminHttp admin, String rules) throws Exception {
        ok(admin.put("/authorization/sources/file", "{\"type\":\"file\",\"rules\":\"" + rules + "\"}"));
    }

    /** Waits until a fresh client (empty cache) sees the rules' answer for flip/x. */
    private void awaitRulesSay(Mqtt5PubAckReasonCode expected) {
        AtomicInteger n = new AtomicInteger();
        await("the changed rules are in force").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    Mqtt5BlockingClient probe = client("probe-" + n.incrementAndGet());
                    try {
                        return publish(probe, "flip/x") == expected;
                    } finally {
                        probe.disconnect();
                    }
                });
    }

    private static void assertRefused(AdminHttp admin, String body, String field) throws Exception {
        AdminHttp.Reply r = admin.put("/authorization/settings", body);
        assertEquals(r.body(), 400, r.status());
        assertTrue(r.body(), r.message().contains("'" + field + "'"));
    }

    @Test
    public void authorizationSettingsDecideUnmatchedRequestsDenialsTheCacheAndWillsAndSurviveARestart() throws Exception {
        dist = new Distribution().start("--set", "authorization.cache.max_size=16").awaitApi();
        AdminHttp admin = new AdminHttp(dist.adminPort, AdminHttp.ADMIN);
        assertEquals("EMQX's defaults, with the node's max_size",
                JsonParser.parseString("{\"no_match\":\"allow\",\"deny_action\":\"ignore\","
                        + "\"cache\":{\"enable\":true,\"max_size\":16,\"ttl\":\"1m\"}}"),
                ok(admin.get("/authorization/settings")).json());
        ok(admin.post("/authorization/sources", "{\"type\":\"file\",\"rules\":\"" + RULES + "\"}"));
        Mqtt5BlockingClient first = client("first");
        AtomicInteger probe = new AtomicInteger();
        await("authz-file serves the tenant").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> subscribe(first, "closed/" + probe.incrementAndGet()) == Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
        first.disconnect();

        // bad settings: 400 naming the field, nothing changed
        assertRefused(admin, "{\"no_match\":\"maybe\"}", "no_match");
        assertRefused(admin, "{\"deny_action\":1}", "deny_action");
        assertRefused(admin, "{\"cache\":{\"max_size\":0}}", "cache.max_size");
        assertRefused(admin, "{\"cache\":{\"ttl\":\"soon\"}}", "cache.ttl");
        assertRefused(admin, "{\"cache\":{\"enable\":\"yes\"}}", "cache.enable");
        assertEquals("allow", ok(admin.get("/authorization/settings")).json().getAsJsonObject().get("no_match").getAsString());

        // no_match deny: what no rule matches is refused with 0x87; matched rules still decide
        ok(admin.put("/authorization/settings", "{\"no_match\":\"deny\"}"));
        Mqtt5BlockingClient strict = client("strict");
        assertEquals(Mqtt5PubAckReasonCode.NOT_AUTHORIZED, publish(strict, "flip/x"));
        assertEquals(Mqtt5SubAckReasonCode.NOT_AUTHORIZED, subscribe(strict, "flip/#"));
        assertEquals(Mqtt5PubAckReasonCode.NO_MATCHING_SUBSCRIBERS, publish(strict, "open/x"));
        strict.disconnect();

        // deny_action disconnect: MQTT 5 gets DISCONNECT 0x87, MQTT 3.1.1 is closed
        ok(admin.put("/authorization/settings", "{\"no_match\":\"allow\",\"deny_action\":\"disconnect\"}"));
        CompletableFuture<Throwable> gone = new CompletableFuture<>();
        Mqtt5BlockingClient v5 = MqttClient.builder().useMqttVersion5().identifier("dd-v5").serverHost("127.0.0.1")
                .serverPort(dist.mqttPort).addDisconnectedListener(c -> gone.complete(c.getCause())).buildBlocking();
        v5.connect();
        v5.toAsync().publishWith().topic("closed/x").qos(MqttQos.AT_LEAST_ONCE).payload(new byte[] {1}).send();
        Throwable cause = gone.get(10, TimeUnit.SECONDS);
        assertTrue(String.valueOf(cause), cause instanceof Mqtt5DisconnectException);
        assertEquals(Mqtt5DisconnectReasonCode.NOT_AUTHORIZED,
                ((Mqtt5DisconnectException) cause).getMqttMessage().getReasonCode());
        CountDownLatch lost = new CountDownLatch(1);
        org.eclipse.paho.client.mqttv3.MqttClient v3 = new org.eclipse.paho.client.mqttv3.MqttClient(
                "tcp://127.0.0.1:" + dist.mqttPort, "dd-v3", new MemoryPersistence());
        v3.setCallback(new LostLatch(lost));
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        v3.connect(o);
        org.junit.Assert.assertThrows("no SUBACK", org.eclipse.paho.client.mqttv3.MqttException.class,
                () -> v3.subscribe("closed/#", 1));
        assertTrue("the 3.1.1 client's connection was closed", lost.await(10, TimeUnit.SECONDS));
        v3.close(true);
        ok(admin.put("/authorization/settings", "{\"deny_action\":\"ignore\"}"));

        // the cache: an answer is kept (listed), a changed rule applies at once after a clear
        Mqtt5BlockingClient cached = client("cached");
        assertEquals(Mqtt5PubAckReasonCode.NO_MATCHING_SUBSCRIBERS, publish(cached, "flip/x"));
        JsonArray entries = ok(admin.get("/clients/cached/authorization/cache")).json().getAsJsonArray();
        assertEquals(entries.toString(), 1, entries.size());
        JsonObject entry = entries.get(0).getAsJsonObject();
        assertEquals("flip/x", entry.get("topic").getAsString());
        assertEquals("publish", entry.get("action").getAsString());
        assertEquals("allow", entry.get("result").getAsString());
        assertTrue(entry.toString(), entry.get("updated_time").getAsLong() > 0);
        assertEquals(404, admin.get("/clients/nobody/authorization/cache").status());
        rules(admin, FLIP_DENIED);
        awaitRulesSay(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
        assertEquals("the cached answer holds for its TTL (1m)", Mqtt5PubAckReasonCode.NO_MATCHING_SUBSCRIBERS,
                publish(cached, "flip/x"));
        assertEquals(204, admin.delete("/clients/cached/authorization/cache").status());
        assertEquals("cleared: the new rule applies at once", Mqtt5PubAckReasonCode.NOT_AUTHORIZED,
                publish(cached, "flip/x"));

        // the TTL: with ttl 2s, an answer cached at t0 changes no earlier than t0 + 2s
        ok(admin.put("/authorization/settings", "{\"cache\":{\"ttl\":\"2s\"}}"));
        assertEquals(204, admin.delete("/authorization/cache").status());
        long t0 = System.nanoTime();
        assertEquals(Mqtt5PubAckReasonCode.NOT_AUTHORIZED, publish(cached, "flip/x"));
        rules(admin, RULES);
        awaitRulesSay(Mqtt5PubAckReasonCode.NO_MATCHING_SUBSCRIBERS);
        await("the cached denial expires").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> publish(cached, "flip/x") == Mqtt5PubAckReasonCode.NO_MATCHING_SUBSCRIBERS);
        assertTrue("not before the TTL", System.nanoTime() - t0 >= TimeUnit.SECONDS.toNanos(2));
        cached.disconnect();

        // a Will the rules deny when it is due is dropped; an allowed one is delivered
        Mqtt5BlockingClient watcher = client("watcher");
        assertEquals(Mqtt5SubAckReasonCode.GRANTED_QOS_1, subscribe(watcher, "will/#"));
        Mqtt5BlockingClient.Mqtt5Publishes wills = watcher.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL);
        dropWithWill("will-denied", "will/denied");
        await("the denied Will is logged").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> dist.console().contains("will not authorized, dropped tenant=default clientid=will-denied"));
        dropWithWill("will-ok", "will/ok");
        Mqtt5Publish will = wills.receive(10, TimeUnit.SECONDS).orElseThrow(() -> new AssertionError("no Will"));
        assertEquals("the denied Will never arrived", "will/ok", will.getTopic().toString());
        watcher.disconnect();

        // the tenant's settings survive a restart
        JsonObject mine = JsonParser.parseString("{\"no_match\":\"deny\",\"deny_action\":\"disconnect\","
                + "\"cache\":{\"enable\":false,\"max_size\":7,\"ttl\":\"90s\"}}").getAsJsonObject();
        assertEquals(mine, ok(admin.put("/authorization/settings", mine.toString())).json());
        assertEquals("a graceful stop on SIGTERM", 143, dist.stop(Duration.ofSeconds(20)));
        dist.start("--set", "authorization.cache.max_size=16").awaitApi();
        assertEquals(mine, ok(admin.get("/authorization/settings")).json());
    }

    /** A 3.1.1 client with a Will whose connection drops without DISCONNECT. */
    private void dropWithWill(String id, String topic) throws Exception {
        org.eclipse.paho.client.mqttv3.MqttClient c = new org.eclipse.paho.client.mqttv3.MqttClient(
                "tcp://127.0.0.1:" + dist.mqttPort, id, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setWill(topic, "gone".getBytes(StandardCharsets.UTF_8), 1, false);
        c.connect(o);
        c.disconnectForcibly(0, 1000, false);
        c.close(true);
    }

    /** Counts a Paho connection's loss down. */
    private record LostLatch(CountDownLatch latch) implements MqttCallback {
        @Override
        public void connectionLost(Throwable cause) {
            latch.countDown();
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
        }
    }
}

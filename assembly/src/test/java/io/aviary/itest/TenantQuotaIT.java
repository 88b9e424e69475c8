package io.aviary.itest;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonObject;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * Each tenant quota, hit by real clients of tenant {@code q}: the refusal's reason code and the
 * reason string naming the quota (MQTT 5), the MQTT 3.1.1 answer, and the tenant's
 * {@code quota.exceeded.<name>} counter in /metrics. Another tenant is not limited by them.
 */
public class TenantQuotaIT {

    private Distribution dist;
    private AdminHttp admin;
    private final List<Mqtt5BlockingClient> clients = new ArrayList<>();

    @Before
    public void start() throws Exception {
        dist = new Distribution().start().awaitApi();
        admin = new AdminHttp(dist.adminPort, AdminHttp.ADMIN);
        AdminHttp.Reply created = admin.post("/tenants", "{\"id\":\"q\",\"quotas\":{\"max_connections\":2,"
                + "\"max_sessions\":3,\"max_subscriptions_per_client\":1,\"max_message_size\":64,"
                + "\"max_retained\":1,\"max_messages_in_rate\":5}}");
        assertEquals(created.body(), 200, created.status());
    }

    @After
    public void stop() throws Exception {
        for (Mqtt5BlockingClient c : clients) {
            if (c.getState().isConnected()) {
                c.disconnect();
            }
        }
        dist.close();
    }

    private Mqtt5BlockingClient v5(String id, String user) {
        Mqtt5BlockingClient c = MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1")
                .serverPort(dist.mqttPort).buildBlocking();
        clients.add(c);
        return c;
    }

    private Mqtt5BlockingClient connected(String id, String user) {
        Mqtt5BlockingClient c = v5(id, user);
        c.connectWith().simpleAuth().username(user).applySimpleAuth().send();
        return c;
    }

    private long exceeded(String quota) throws Exception {
        return exceeded("q", quota);
    }

    private long exceeded(String tenant, String quota) throws Exception {
        AdminHttp.Reply m = admin.get("/metrics?tenant=" + tenant + "&aggregate=true");
        assertEquals(m.body(), 200, m.status());
        JsonObject o = m.json().getAsJsonObject();
        return o.has("quota.exceeded." + quota) ? o.get("quota.exceeded." + quota).getAsLong() : 0;
    }

    @Test
    public void theOutboundRateRefusesAPublishWhoseFanOutExceedsItBeforeAnyCopyGoesOut() throws Exception {
        assertEquals(200, admin.post("/tenants", "{\"id\":\"out\",\"quotas\":{\"max_messages_out_rate\":4}}").status());
        List<com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient.Mqtt5Publishes> inboxes = new ArrayList<>();
        for (String id : List.of("s1", "s2")) {
            Mqtt5BlockingClient sub = connected(id, "u@out");
            inboxes.add(sub.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL));
            sub.subscribeWith().topicFilter("fan").qos(MqttQos.AT_LEAST_ONCE).send();
        }
        Mqtt5BlockingClient pub = connected("p", "u@out");
        // 4 copies per second with one second of burst: two publishes of 2 copies pass, the third is refused whole
        pub.publishWith().topic("fan").qos(MqttQos.AT_LEAST_ONCE).payload("1".getBytes()).send();
        pub.publishWith().topic("fan").qos(MqttQos.AT_LEAST_ONCE).payload("2".getBytes()).send();
        Mqtt5PubAckException refused = assertThrows(Mqtt5PubAckException.class,
                () -> pub.publishWith().topic("fan").qos(MqttQos.AT_LEAST_ONCE).payload("3".getBytes()).send());
        assertEquals(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED, refused.getMqttMessage().getReasonCode());
        assertTrue(refused.getMqttMessage().getReasonString().orElseThrow().toString().contains("max_messages_out_rate"));
        pub.publishWith().topic("other").qos(MqttQos.AT_LEAST_ONCE).payload("x".getBytes()).send(); // no copies: passes
        for (var in : inboxes) {
            assertEquals("1", new String(in.receive(5, java.util.concurrent.TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes()));
            assertEquals("2", new String(in.receive(5, java.util.concurrent.TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes()));
        }
        // the refused publish may go out once the bucket refills: nothing was half-delivered
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
            pub.publishWith().topic("fan").qos(MqttQos.AT_LEAST_ONCE).payload("3".getBytes()).send();
            return true;
        });
        for (var in : inboxes) {
            assertEquals("no partial copy of the refused publish came before",
                    "3", new String(in.receive(5, java.util.concurrent.TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes()));
        }
        assertTrue(exceeded("out", "max_messages_out_rate") >= 2);
    }

    @Test
    public void theByteRatesRefuseWithQuotaExceededNamingTheQuotaAndAreCounted() throws Exception {
        assertEquals(200, admin.post("/tenants", "{\"id\":\"b\",\"quotas\":{\"max_bytes_in_rate\":250,"
                + "\"max_bytes_out_rate\":150}}").status());
        Mqtt5BlockingClient pub = connected("bp", "u@b");
        // inbound: 250 bytes per second with one second of burst; 100-byte messages to nobody: the third is refused
        pub.publishWith().topic("in").qos(MqttQos.AT_LEAST_ONCE).payload(new byte[98]).send();
        pub.publishWith().topic("in").qos(MqttQos.AT_LEAST_ONCE).payload(new byte[98]).send();
        Mqtt5PubAckException in = assertThrows(Mqtt5PubAckException.class,
                () -> pub.publishWith().topic("in").qos(MqttQos.AT_LEAST_ONCE).payload(new byte[98]).send());
        assertEquals(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED, in.getMqttMessage().getReasonCode());
        assertTrue(in.getMqttMessage().getReasonString().orElseThrow().toString().contains("max_bytes_in_rate"));
        assertEquals(1, exceeded("b", "max_bytes_in_rate"));

        // outbound: two subscribers make a 50-byte message cost 100 bytes out; 150 per second: the second is refused
        assertEquals(200, admin.put("/tenants/b", "{\"quotas\":{\"max_bytes_out_rate\":150}}").status());
        for (String id : List.of("bs1", "bs2")) {
            connected(id, "u@b").subscribeWith().topicFilter("out").qos(MqttQos.AT_LEAST_ONCE).send();
        }
        pub.publishWith().topic("out").qos(MqttQos.AT_LEAST_ONCE).payload(new byte[47]).send();
        Mqtt5PubAckException out = assertThrows(Mqtt5PubAckException.class,
                () -> pub.publishWith().topic("out").qos(MqttQos.AT_LEAST_ONCE).payload(new byte[47]).send());
        assertEquals(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED, out.getMqttMessage().getReasonCode());
        assertTrue(out.getMqttMessage().getReasonString().orElseThrow().toString().contains("max_bytes_out_rate"));
        assertEquals(1, exceeded("b", "max_bytes_out_rate"));
    }

    @Test
    public void connectionSessionAndSubscriptionQuotasRefuseWithQuotaExceeded() throws Exception {
        Mqtt5BlockingClient a = connected("a", "u@q");
        connected("b", "u@q");
        Mqtt5ConnAckException third = assertThrows(Mqtt5ConnAckException.class,
                () -> v5("c", "u@q").connectWith().simpleAuth().username("u@q").applySimpleAuth().send());
        assertEquals(Mqtt5ConnAckReasonCode.QUOTA_EXCEEDED, third.getMqttMessage().getReasonCode());
        assertTrue(third.getMqttMessage().getReasonString().orElseThrow().toString().contains("max_connections"));
        assertEquals(1, exceeded("max_connections"));

        Mqtt3BlockingClient v3 = MqttClient.builder().useMqttVersion3().identifier("old").serverHost("127.0.0.1")
                .serverPort(dist.mqttPort).buildBlocking();
        Mqtt3ConnAckException refused3 = assertThrows(Mqtt3ConnAckException.class,
                () -> v3.connectWith().simpleAuth().username("u@q").applySimpleAuth().send());
        assertEquals(Mqtt3ConnAckReturnCode.SERVER_UNAVAILABLE, refused3.getMqttMessage().getReturnCode());

        assertTrue("another tenant is not limited", connected("c", "plain-user").getState().isConnected());
        assertTrue("a client taking over its own session is not refused", connected("a", "u@q").getState()
                .isConnected());
        await().atMost(Duration.ofSeconds(10)).until(() -> !a.getState().isConnected());

        // sessions: persistent ones stay after their clients go; with a, p1 and p2 a fourth is refused
        clients.get(1).disconnect(); // "b", expiry 0: its session ends
        for (String id : new String[] {"p1", "p2"}) {
            Mqtt5BlockingClient persistent = v5(id, "u@q");
            persistent.connectWith().simpleAuth().username("u@q").applySimpleAuth().sessionExpiryInterval(3600).send();
            persistent.disconnect();
        }
        Mqtt5ConnAckException sessions = assertThrows(Mqtt5ConnAckException.class,
                () -> v5("s", "u@q").connectWith().simpleAuth().username("u@q").applySimpleAuth().send());
        assertEquals(Mqtt5ConnAckReasonCode.QUOTA_EXCEEDED, sessions.getMqttMessage().getReasonCode());
        assertTrue(sessions.getMqttMessage().getReasonString().orElseThrow().toString().contains("max_sessions"));
        assertEquals(1, exceeded("max_sessions"));
        assertTrue("a persistent session comes back", connected("p1", "u@q").getState().isConnected());

        Mqtt5BlockingClient sub = clients.get(clients.size() - 1);
        sub.subscribeWith().topicFilter("one").send();
        Mqtt5SubAckException two = assertThrows(Mqtt5SubAckException.class,
                () -> sub.subscribeWith().topicFilter("two").send());
        assertEquals(List.of(Mqtt5SubAckReasonCode.QUOTA_EXCEEDED), two.getMqttMessage().getReasonCodes());
        assertEquals(1, exceeded("max_subscriptions_per_client"));
    }

    @Test
    public void publishQuotasAnswerQuotaExceededNamingTheQuota() throws Exception {
        Mqtt5BlockingClient pub = connected("pub", "u@q");
        Mqtt5PubAckException big = assertThrows(Mqtt5PubAckException.class,
                () -> pub.publishWith().topic("t").qos(MqttQos.AT_LEAST_ONCE).payload(new byte[100]).send());
        assertEquals(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED, big.getMqttMessage().getReasonCode());
        assertTrue(big.getMqttMessage().getReasonString().orElseThrow().toString().contains("max_message_size"));

        pub.publishWith().topic("r/1").qos(MqttQos.AT_LEAST_ONCE).retain(true).payload(new byte[1]).send();
        Mqtt5PubAckException retained = assertThrows(Mqtt5PubAckException.class,
                () -> pub.publishWith().topic("r/2").qos(MqttQos.AT_LEAST_ONCE).retain(true).payload(new byte[1]).send());
        assertEquals(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED, retained.getMqttMessage().getReasonCode());
        assertTrue(retained.getMqttMessage().getReasonString().orElseThrow().toString().contains("max_retained"));
        assertEquals(1, admin.get("/mqtt/retainer/messages?tenant=q").json().getAsJsonObject()
                .getAsJsonObject("meta").get("count").getAsInt());

        // 5 messages per second with one second of burst: a quick run of 20 hits the limit
        int limited = 0;
        for (int i = 0; i < 20; i++) {
            try {
                pub.publishWith().topic("t").qos(MqttQos.AT_LEAST_ONCE).payload(new byte[1]).send();
            } catch (Mqtt5PubAckException e) {
                assertEquals(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED, e.getMqttMessage().getReasonCode());
                assertTrue(e.getMqttMessage().getReasonString().orElseThrow().toString().contains("max_messages_in_rate"));
                limited++;
            }
        }
        assertTrue("limited " + limited, limited >= 10);
        assertEquals(limited, exceeded("max_messages_in_rate"));
        assertEquals(1, exceeded("max_message_size"));
        assertEquals(1, exceeded("max_retained"));
        assertFalse("the publisher stays connected", !pub.getState().isConnected());
    }

    @Test
    public void limitsShowTheirSourceAndAnOverrideAppliesWithoutReconnecting() throws Exception {
        java.util.Map<String, JsonObject> limits = new java.util.HashMap<>();
        for (var e : admin.get("/tenants/q/limits").json().getAsJsonArray()) {
            limits.put(e.getAsJsonObject().get("name").getAsString(), e.getAsJsonObject());
        }
        assertEquals("tenant", limits.get("max_connections").get("source").getAsString());
        assertEquals(2, limits.get("max_connections").get("value").getAsLong());
        assertEquals("default", limits.get("max_qos").get("source").getAsString());
        assertEquals(2, limits.get("max_qos").get("value").getAsLong());
        assertFalse(limits.get("max_inflight").get("overridable").getAsBoolean());

        Mqtt5BlockingClient c = connected("live", "u@q");
        AdminHttp.Reply lowered = admin.put("/tenants/q", "{\"quotas\":{\"max_connections\":2,\"max_qos\":1}}");
        assertEquals(lowered.body(), 200, lowered.status());
        var granted = c.subscribeWith().topicFilter("g").qos(MqttQos.EXACTLY_ONCE).send();
        assertEquals("the connected client gets the new maximum at once", "GRANTED_QOS_1",
                granted.getReasonCodes().get(0).name());
        assertEquals("tenant", admin.get("/tenants/q/limits").json().getAsJsonArray().asList().stream()
                .map(e -> e.getAsJsonObject()).filter(o -> o.get("name").getAsString().equals("max_qos")).findFirst()
                .orElseThrow().get("source").getAsString());
        var connack = v5("next", "u@q").connectWith().simpleAuth().username("u@q").applySimpleAuth().send();
        assertEquals(1, connack.getRestrictions().getMaximumQos().getCode());

        AdminHttp.Reply fixed = admin.put("/tenants/q", "{\"quotas\":{\"max_inflight\":5}}");
        assertEquals(400, fixed.status());
        assertTrue(fixed.body(), fixed.message().contains("'quotas.max_inflight'"));
        assertEquals(400, admin.put("/tenants/q", "{\"quotas\":{\"max_qos\":3}}").status());

        // anonymous access per tenant: with no authenticator, allow_anonymous 0 refuses the tenant's clients
        assertEquals(200, admin.put("/tenants/q", "{\"quotas\":{\"allow_anonymous\":0}}").status());
        Mqtt5ConnAckException anonymous = assertThrows(Mqtt5ConnAckException.class,
                () -> v5("anon", "u@q").connectWith().simpleAuth().username("u@q").applySimpleAuth().send());
        assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, anonymous.getMqttMessage().getReasonCode());
        assertTrue("the default tenant still admits anonymous clients",
                connected("anon", "plain").getState().isConnected());
    }

    @Test
    public void capacityEstimateReportsTheTenantAndSaysWhatItCannotMeasureYet() throws Exception {
        connected("cap", "u@q");
        AdminHttp.Reply r = admin.get("/tenants/q/capacity");
        assertEquals(r.body(), 200, r.status());
        JsonObject o = r.json().getAsJsonObject();
        assertEquals(1, o.getAsJsonObject("tenant_usage").get("connections").getAsLong());
        assertTrue(o.getAsJsonObject("node").get("cpus").getAsInt() >= 1);
        JsonObject cost = o.getAsJsonObject("cost");
        assertTrue("no guess before there is traffic to measure: " + cost,
                cost.get("cpu_us_per_message").isJsonNull() && cost.get("basis").getAsString().contains("not measured"));
        assertEquals(404, admin.get("/tenants/nobody/capacity").status());
    }
}

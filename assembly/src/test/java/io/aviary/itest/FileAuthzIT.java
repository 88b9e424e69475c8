package io.aviary.itest;

import static io.aviary.itest.BuiltinAuthIT.connect;
import static io.aviary.itest.BuiltinAuthIT.ok;
import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonObject;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.After;
import org.junit.Test;

/**
 * The shipped authz-file plugin with auth-builtin, end to end: a tenant enables EMQX-style rules
 * through the admin API (a config typo is refused naming the field); a device may publish and
 * subscribe only where the rules allow (denials answer PUBACK and SUBACK 0x87 and deliver
 * nothing; MQTT 3.1.1 gets return codes 4/5 and SUBACK 0x80), a superuser skips the rules, and another
 * tenant is not affected.
 */
public class FileAuthzIT {
    static final String RULES = """
            %% each device its own subtree; alice may also read the news; nothing else
            {allow, all, all, ["users/${username}/#"]}.
            {allow, {username, "alice"}, subscribe, ["news/#"]}.
            {deny, all}.
            """;

    private Distribution dist;

    @After
    public void stop() throws Exception {
        if (dist != null) {
            dist.close();
        }
    }

    /** The next audit notice among the messages a superuser sees (skipping the users/# traffic). */
    private static String nextAudit(Mqtt5BlockingClient.Mqtt5Publishes seen) throws InterruptedException {
        while (true) {
            Mqtt5Publish p = seen.receive(10, TimeUnit.SECONDS).orElseThrow(() -> new AssertionError("no audit notice"));
            if (p.getTopic().toString().startsWith("audit/")) {
                return p.getTopic() + "=" + new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    private static Mqtt5SubAckReasonCode subscribeCode(Mqtt5BlockingClient c, String filter) {
        try {
            return c.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send().getReasonCodes().get(0);
        } catch (Mqtt5SubAckException e) {
            return e.getMqttMessage().getReasonCodes().get(0);
        }
    }

    private static org.eclipse.paho.client.mqttv3.MqttConnectOptions options311(String user, String password) {
        org.eclipse.paho.client.mqttv3.MqttConnectOptions o = new org.eclipse.paho.client.mqttv3.MqttConnectOptions();
        o.setMqttVersion(org.eclipse.paho.client.mqttv3.MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setUserName(user);
        o.setPassword(password.toCharArray());
        return o;
    }

    private org.eclipse.paho.client.mqttv3.MqttException paho311(String id, String user, String password) throws Exception {
        org.eclipse.paho.client.mqttv3.MqttClient c = new org.eclipse.paho.client.mqttv3.MqttClient(
                "tcp://127.0.0.1:" + dist.mqttPort, id, new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
        try {
            return assertThrows(org.eclipse.paho.client.mqttv3.MqttException.class, () -> c.connect(options311(user, password)));
        } finally {
            c.close();
        }
    }

    @Test
    public void devicesReachOnlyTheTopicsTheRulesAllowAndSuperusersSkipThem() throws Exception {
        dist = new Distribution().start().awaitApi();
        AdminHttp admin = new AdminHttp(dist.adminPort, AdminHttp.ADMIN);
        BuiltinAuthIT.tenantWithBuiltinUsers(admin, "acme", "{\"name\":\"pbkdf2\",\"mac_fun\":\"sha512\",\"iterations\":1000}");

        AdminHttp.Reply typo = admin.post("/tenants/acme/plugins", "{\"plugin\":\"authz-file\",\"config\":{\"rule\":\"x\"}}");
        assertEquals(typo.body(), 400, typo.status());
        assertTrue(typo.body(), typo.message().contains("rule"));
        AdminHttp.Reply badRules = admin.post("/tenants/acme/plugins", "{\"plugin\":\"authz-file\",\"config\":"
                + "{\"rules\":\"{allow, all}.\\n{maybe, all}.\"}}");
        assertEquals(badRules.body(), 400, badRules.status());
        assertTrue(badRules.body(), badRules.message().contains("'config.rules': line 2"));
        assertEquals("nothing was stored", 1, ok(admin.get("/tenants/acme/plugins")).json().getAsJsonArray().size());
        JsonObject enable = new JsonObject();
        enable.addProperty("plugin", "authz-file");
        JsonObject config = new JsonObject();
        config.addProperty("rules", RULES);
        enable.add("config", config);
        ok(admin.post("/tenants/acme/plugins", enable.toString()));

        Mqtt5BlockingClient alice = connect(dist, "alice-1", "alice@acme", "s3cret");
        AtomicInteger probe = new AtomicInteger();
        await("authz-file serves acme").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> subscribeCode(alice, "probe/" + probe.incrementAndGet()) == Mqtt5SubAckReasonCode.NOT_AUTHORIZED);

        Mqtt5BlockingClient root = connect(dist, "root-1", "root@acme", "t00r");
        assertEquals("a superuser skips the rules", Mqtt5SubAckReasonCode.GRANTED_QOS_1, subscribeCode(root, "users/#"));
        Mqtt5BlockingClient.Mqtt5Publishes seen = root.publishes(MqttGlobalPublishFilter.ALL);

        // publish: 0x87 outside the device's own topics, and nothing is delivered
        Mqtt5PubAckException denied = assertThrows(Mqtt5PubAckException.class, () -> alice.publishWith()
                .topic("users/bob/cmd").qos(MqttQos.AT_LEAST_ONCE).payload("x".getBytes(StandardCharsets.UTF_8)).send());
        assertEquals(Mqtt5PubAckReasonCode.NOT_AUTHORIZED, denied.getMqttMessage().getReasonCode());
        alice.publishWith().topic("users/alice/state").qos(MqttQos.AT_LEAST_ONCE)
                .payload("on".getBytes(StandardCharsets.UTF_8)).send();
        Mqtt5Publish first = seen.receive(10, TimeUnit.SECONDS).orElseThrow(() -> new AssertionError("nothing delivered"));
        assertEquals("the denied message was never delivered", "users/alice/state", first.getTopic().toString());

        // subscribe: 0x87 for another user's topics and wildcards beyond the rule, granted within it
        assertEquals(Mqtt5SubAckReasonCode.NOT_AUTHORIZED, subscribeCode(alice, "users/bob/#"));
        assertEquals(Mqtt5SubAckReasonCode.NOT_AUTHORIZED, subscribeCode(alice, "users/+/state"));
        assertEquals(Mqtt5SubAckReasonCode.NOT_AUTHORIZED, subscribeCode(alice, "#"));
        assertEquals(Mqtt5SubAckReasonCode.GRANTED_QOS_1, subscribeCode(alice, "users/alice/#"));
        assertEquals(Mqtt5SubAckReasonCode.GRANTED_QOS_1, subscribeCode(alice, "news/today"));
        Mqtt5SubAckException mixed = assertThrows(Mqtt5SubAckException.class, () -> alice.subscribeWith()
                .addSubscription().topicFilter("news/#").qos(MqttQos.AT_MOST_ONCE).applySubscription()
                .addSubscription().topicFilter("users/bob/x").qos(MqttQos.AT_MOST_ONCE).applySubscription().send());
        assertEquals("each filter of one SUBSCRIBE is decided on its own",
                List.of(Mqtt5SubAckReasonCode.GRANTED_QOS_0, Mqtt5SubAckReasonCode.NOT_AUTHORIZED),
                mixed.getMqttMessage().getReasonCodes());

        // the superuser publishes anywhere
        root.publishWith().topic("users/bob/cmd").qos(MqttQos.AT_LEAST_ONCE).payload("y".getBytes(StandardCharsets.UTF_8)).send();

        // MQTT 3.1.1 (Paho): CONNACK return codes 4 and 5, a denied subscription is 0x80 in its SUBACK slot
        assertEquals(4, paho311("v3-wrong", "alice@acme", "nope").getReasonCode());
        assertEquals(5, paho311("v3-unknown", "mallory@acme", "s3cret").getReasonCode());
        org.eclipse.paho.client.mqttv3.MqttClient v3 = new org.eclipse.paho.client.mqttv3.MqttClient(
                "tcp://127.0.0.1:" + dist.mqttPort, "v3-alice", new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
        v3.connect(options311("alice@acme", "s3cret"));
        org.eclipse.paho.client.mqttv3.IMqttToken granted = v3.subscribeWithResponse(
                new String[] {"users/alice/#", "users/bob/#"}, new int[] {1, 1});
        assertEquals("[1, 128]", java.util.Arrays.toString(granted.getGrantedQos()));
        v3.disconnect();
        v3.close();

        // client.check_authz_complete feeds the tenant's rules: which check, what decided it
        ok(admin.post("/rules?tenant=acme", "{\"id\":\"authz-audit\",\"sql\":\"SELECT topic, action, authz_source"
                + " FROM \\\"$events/client_check_authz_complete\\\" WHERE result = 'deny'\",\"actions\":[{\"function\":"
                + "\"republish\",\"args\":{\"topic\":\"audit/${action}\",\"payload\":\"${topic} ${authz_source}\"}}]}"));
        assertEquals(Mqtt5SubAckReasonCode.GRANTED_QOS_1, subscribeCode(root, "audit/#"));
        assertEquals(Mqtt5SubAckReasonCode.NOT_AUTHORIZED, subscribeCode(alice, "secret/1"));
        assertEquals(Mqtt5SubAckReasonCode.NOT_AUTHORIZED, subscribeCode(alice, "secret/1"));
        assertEquals("audit/subscribe=secret/1 file", nextAudit(seen));
        assertEquals("the second answer came from the client's cache", "audit/subscribe=secret/1 cache", nextAudit(seen));

        // another tenant has no rules: anything goes there
        Mqtt5BlockingClient other = connect(dist, "alice-1", "anyone", "x");
        assertEquals(Mqtt5SubAckReasonCode.GRANTED_QOS_1, subscribeCode(other, "users/bob/#"));
        JsonObject listed = ok(admin.get("/tenants/acme/plugins")).json().getAsJsonArray().get(1).getAsJsonObject();
        assertTrue(listed.toString(), listed.toString().contains("authz-file"));
        alice.disconnect();
        root.disconnect();
        other.disconnect();
    }
}

package io.aviary.itest;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientState;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Test;

/**
 * Two tenants on one distribution, using the same client ids and topics, reached by
 * {@code user@tenant}: topics, wildcards, retained messages, shared subscriptions and client
 * ids stay apart; a tenant's API key sees only its tenant; unknown and suspended tenants are
 * refused alike; a suspended tenant's clients are dropped, a deleted tenant's data is gone,
 * an expired trial is suspended, and tenants survive a restart.
 */
public class TenantIsolationIT {

    private Distribution dist;
    private final List<Mqtt5BlockingClient> clients = new ArrayList<>();

    @After
    public void stop() throws Exception {
        for (Mqtt5BlockingClient c : clients) {
            if (c.getState().isConnected()) {
                c.disconnect();
            }
        }
        if (dist != null) {
            dist.close();
        }
    }

    private Mqtt5BlockingClient connect(String id, String username) {
        Mqtt5BlockingClient c = MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1")
                .serverPort(dist.mqttPort).buildBlocking();
        c.connectWith().simpleAuth().username(username).applySimpleAuth().send();
        clients.add(c);
        return c;
    }

    private static Mqtt5ConnAckReasonCode refusal(Distribution dist, String id, String username) {
        Mqtt5BlockingClient c = MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1")
                .serverPort(dist.mqttPort).buildBlocking();
        return assertThrows(Mqtt5ConnAckException.class,
                () -> c.connectWith().simpleAuth().username(username).applySimpleAuth().send())
                .getMqttMessage().getReasonCode();
    }

    private static void publish(Mqtt5BlockingClient c, String topic, String text, boolean retain) {
        c.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(retain)
                .payload(text.getBytes(StandardCharsets.UTF_8)).send();
    }

    private static String next(Mqtt5BlockingClient.Mqtt5Publishes in) throws InterruptedException {
        Mqtt5Publish p = in.receive(10, TimeUnit.SECONDS).orElseThrow(() -> new AssertionError("no message"));
        return p.getTopic() + "=" + new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8);
    }

    private static AdminHttp.Reply ok(AdminHttp.Reply r) {
        assertTrue(r.status() + " " + r.body(), r.status() / 100 == 2);
        return r;
    }

    @Test
    public void twoTenantsWithTheSameClientIdsAndTopicsNeverSeeEachOther() throws Exception {
        dist = new Distribution().start().awaitApi();
        AdminHttp admin = new AdminHttp(dist.adminPort, AdminHttp.ADMIN);
        ok(admin.post("/tenants", "{\"id\":\"acme\",\"name\":\"Acme\"}"));
        ok(admin.post("/tenants", "{\"id\":\"globex\"}"));
        assertEquals(409, admin.post("/tenants", "{\"id\":\"acme\"}").status());

        // the same client id in both tenants: two sessions, no takeover
        Mqtt5BlockingClient acme = connect("dev-1", "u@acme");
        Mqtt5BlockingClient globex = connect("dev-1", "u@globex");
        var acmeIn = acme.publishes(MqttGlobalPublishFilter.ALL);
        var globexIn = globex.publishes(MqttGlobalPublishFilter.ALL);
        acme.subscribeWith().topicFilter("#").qos(MqttQos.AT_LEAST_ONCE).send();
        globex.subscribeWith().topicFilter("#").qos(MqttQos.AT_LEAST_ONCE).send();
        acme.subscribeWith().topicFilter("$share/g/jobs").qos(MqttQos.AT_LEAST_ONCE).send();
        assertEquals(MqttClientState.CONNECTED, acme.getState());
        assertEquals(MqttClientState.CONNECTED, globex.getState());

        Mqtt5BlockingClient acmePub = connect("pub", "p@acme");
        Mqtt5BlockingClient globexPub = connect("pub", "p@globex");
        publish(acmePub, "a/b", "acme-1", false);
        publish(acmePub, "r/1", "acme-retained", true);
        publish(acmePub, "jobs", "acme-job", false);
        publish(globexPub, "a/b", "globex-1", false);
        assertEquals("a/b=acme-1", next(acmeIn));
        assertEquals("r/1=acme-retained", next(acmeIn));
        List<String> jobs = List.of(next(acmeIn), next(acmeIn)); // '#' and the shared group each get it once
        assertEquals(List.of("jobs=acme-job", "jobs=acme-job"), jobs);
        assertEquals("globex's '#' sees only globex", "a/b=globex-1", next(globexIn));

        // $SYS: acme's client notices and figures only
        Mqtt5BlockingClient sys = connect("sys", "s@acme");
        var sysIn = sys.publishes(MqttGlobalPublishFilter.ALL);
        sys.subscribeWith().topicFilter("$SYS/brokers/+/clients/#").qos(MqttQos.AT_MOST_ONCE).send();
        connect("spy", "s@globex");
        connect("seen", "s@acme");
        // the notice of "sys" itself is published asynchronously and may arrive after its subscription
        String notice = next(sysIn);
        while (notice.contains("/clients/sys/")) notice = next(sysIn);
        assertTrue("acme's $SYS shows acme's client, not globex's: " + notice,
                notice.contains("/clients/seen/connected="));

        // usage metering: acme's traffic and rule actions are metered to acme
        ok(admin.post("/rules?tenant=acme", "{\"sql\":\"SELECT * FROM \\\"metered/#\\\"\",\"actions\":"
                + "[{\"function\":\"console\"},{\"function\":\"console\"}]}"));
        publish(acmePub, "metered/1", "x", false);
        assertEquals("acme's '#' sees it too", "metered/1=x", next(acmeIn));
        org.awaitility.Awaitility.await("rule actions metered").atMost(java.time.Duration.ofSeconds(10))
                .pollInterval(java.time.Duration.ofMillis(200)).until(() -> admin.get("/tenants/acme/usage").json()
                        .getAsJsonObject().getAsJsonObject("total").get("rule_actions").getAsLong() == 2);
        assertEquals("globex ran no rule", 0, ok(admin.get("/tenants/globex/usage")).json().getAsJsonObject()
                .getAsJsonObject("total").get("rule_actions").getAsLong());
        JsonObject usage = ok(admin.get("/tenants/acme/usage")).json().getAsJsonObject();
        assertTrue(usage.toString(), usage.getAsJsonObject("total").get("bytes_in").getAsLong() > 0);
        assertTrue(usage.toString(), usage.getAsJsonObject("total").get("session_minutes").getAsDouble() > 0);
        assertEquals(400, admin.get("/tenants/acme/usage?from=yesterday").status());

        // retained messages: a new globex subscriber gets none of acme's
        Mqtt5BlockingClient late = connect("late", "l@globex");
        var lateIn = late.publishes(MqttGlobalPublishFilter.ALL);
        late.subscribeWith().topicFilter("r/#").qos(MqttQos.AT_LEAST_ONCE).send();
        publish(globexPub, "r/2", "globex-marker", false);
        assertEquals("r/2=globex-marker", next(lateIn));
        assertEquals("r/2=globex-marker", next(globexIn));

        // unknown and suspended tenants look the same: bad user name or password
        assertEquals(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD, refusal(dist, "x", "u@nobody"));

        // API keys: a tenant's key sees and acts in its tenant only
        JsonObject key = ok(admin.post("/api_key", "{\"name\":\"acme-ops\",\"tenant\":\"acme\"}")).json()
                .getAsJsonObject();
        assertEquals("acme", key.get("tenant").getAsString());
        assertEquals(400, admin.post("/api_key", "{\"name\":\"ghost\",\"tenant\":\"nobody\"}").status());
        AdminHttp acmeApi = admin.as(AdminHttp.basic(key.get("api_key").getAsString(),
                key.get("api_secret").getAsString()));
        JsonArray acmeClients = ok(acmeApi.get("/clients")).json().getAsJsonObject().getAsJsonArray("data");
        assertEquals(List.of("dev-1", "pub", "seen", "sys"), ids(acmeClients));
        assertEquals(404, acmeApi.get("/clients?tenant=globex").status());
        assertEquals(404, acmeApi.get("/tenants/globex").status());
        assertEquals(403, acmeApi.post("/tenants", "{\"id\":\"mine\"}").status());
        assertEquals(200, acmeApi.get("/tenants/acme/usage").status());
        assertEquals(404, acmeApi.get("/tenants/globex/usage").status());
        assertEquals(List.of("acme"), ids(ok(acmeApi.get("/tenants")).json().getAsJsonObject().getAsJsonArray("data")));
        assertEquals(404, acmeApi.get("/mqtt/retainer/message/r%2F2").status());
        ok(acmeApi.post("/publish", "{\"topic\":\"api/cmd\",\"payload\":\"from-api\",\"qos\":1}"));
        assertEquals("api/cmd=from-api", next(acmeIn));
        publish(globexPub, "a/c", "globex-2", false);
        assertEquals("the API publish stayed in acme", "a/c=globex-2", next(globexIn));

        // a platform caller picks the tenant
        assertEquals(List.of("dev-1", "late", "pub", "spy"),
                ids(ok(admin.get("/clients?tenant=globex")).json().getAsJsonObject().getAsJsonArray("data")));
        assertEquals(404, admin.get("/clients?tenant=nobody").status());
        assertEquals(1, ok(admin.get("/mqtt/retainer/messages?tenant=acme")).json().getAsJsonObject()
                .getAsJsonObject("meta").get("count").getAsInt());

        // suspending globex drops its clients and refuses new ones like an unknown tenant
        ok(admin.put("/tenants/globex", "{\"state\":\"suspended\"}"));
        await().atMost(Duration.ofSeconds(10)).until(() -> !globex.getState().isConnected());
        assertEquals(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD, refusal(dist, "dev-1", "u@globex"));
        assertTrue("acme is untouched", acme.getState().isConnected());

        // deleting acme needs confirmation, then drops its clients and its data
        assertEquals(400, admin.delete("/tenants/acme").status());
        assertEquals(204, admin.delete("/tenants/acme?confirm=true").status());
        await().atMost(Duration.ofSeconds(10)).until(() -> !acme.getState().isConnected());
        assertEquals(404, admin.get("/tenants/acme").status());
        assertEquals(400, admin.delete("/tenants/default?confirm=true").status());

        // tenant state survives a restart
        dist.stop(Duration.ofSeconds(20));
        dist.start();
        dist.awaitApi();
        JsonObject g = ok(admin.get("/tenants/globex")).json().getAsJsonObject();
        assertEquals("suspended", g.get("state").getAsString());
        assertEquals(404, admin.get("/tenants/acme").status());
        ok(admin.post("/tenants", "{\"id\":\"acme\"}"));
        Mqtt5BlockingClient again = connect("late-2", "l@acme");
        var againIn = again.publishes(MqttGlobalPublishFilter.ALL);
        again.subscribeWith().topicFilter("r/#").qos(MqttQos.AT_LEAST_ONCE).send();
        publish(again, "r/3", "fresh", false);
        assertEquals("a re-created tenant starts empty: no old retained message", "r/3=fresh", next(againIn));
    }

    @Test
    public void aTrialTenantIsSuspendedWhenItExpires() throws Exception {
        dist = new Distribution().start().awaitApi();
        AdminHttp admin = new AdminHttp(dist.adminPort, AdminHttp.ADMIN);
        long expires = Instant.now().plusSeconds(3).getEpochSecond();
        JsonObject trial = ok(admin.post("/tenants", "{\"id\":\"trial\",\"expires_at\":" + expires + "}")).json()
                .getAsJsonObject();
        assertEquals("active", trial.get("state").getAsString());
        Mqtt5BlockingClient device = connect("d", "d@trial");
        await().atMost(Duration.ofSeconds(15)).until(() -> !device.getState().isConnected());
        assertEquals("suspended", ok(admin.get("/tenants/trial")).json().getAsJsonObject().get("state").getAsString());
        assertEquals(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD, refusal(dist, "d", "d@trial"));
        ok(admin.put("/tenants/trial", "{\"state\":\"active\",\"expires_at\":null}"));
        assertTrue(connect("d", "d@trial").getState().isConnected());
    }

    @Test
    public void badTenantFieldsAreRefusedNamingTheField() throws Exception {
        dist = new Distribution().start().awaitApi();
        AdminHttp admin = new AdminHttp(dist.adminPort, AdminHttp.ADMIN);
        assertMentions(admin.post("/tenants", "{\"id\":\"Not Valid\"}"), "'id'");
        assertMentions(admin.post("/tenants", "{\"id\":\"a\",\"quotas\":{\"max_cats\":1}}"), "'quotas.max_cats'");
        assertMentions(admin.post("/tenants", "{\"id\":\"a\",\"quotas\":{\"max_connections\":1.5}}"),
                "'quotas.max_connections'");
        assertMentions(admin.post("/tenants", "{\"id\":\"a\",\"state\":\"paused\"}"), "'state'");
        assertMentions(admin.post("/tenants", "{\"id\":\"a\",\"hosts\":[\"bad host\"]}"), "'hosts'");
        assertMentions(admin.post("/tenants", "{\"id\":\"a\",\"expires_at\":\"tomorrow\"}"), "'expires_at'");
        assertEquals(404, admin.put("/tenants/nobody", "{}").status());
        assertFalse(admin.get("/tenants").body().contains("\"a\""));
    }

    private static void assertMentions(AdminHttp.Reply r, String field) {
        assertEquals(r.body(), 400, r.status());
        assertTrue(r.body(), r.message().contains(field));
    }

    private static List<String> ids(JsonArray data) {
        List<String> out = new ArrayList<>();
        for (JsonElement e : data) {
            JsonObject o = e.getAsJsonObject();
            out.add(o.has("clientid") ? o.get("clientid").getAsString() : o.get("id").getAsString());
        }
        out.sort(String::compareTo);
        return out;
    }
}

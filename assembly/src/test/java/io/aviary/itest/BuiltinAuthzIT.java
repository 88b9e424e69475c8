package io.aviary.itest;

import static io.aviary.itest.BuiltinAuthIT.connect;
import static io.aviary.itest.BuiltinAuthIT.ok;
import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.After;
import org.junit.Test;

/**
 * The shipped authz-builtin plugin (EMQX's built_in_database authorization source) end to end:
 * a tenant adds the source through /authorization/sources (a bad max_rules is refused naming
 * it), manages rules per user, per client and for all through EMQX's
 * /authorization/sources/built_in_database/rules endpoints, and real MQTT clients are checked in
 * EMQX's order (the client's rules, the user's, then all; first match wins; a deny stops the
 * chain; no match passes to the next source, then no_match), with ${username} / ${clientid}
 * placeholders and "eq " topics; rules survive a restart; max_rules and bad rules are 400s.
 */
public class BuiltinAuthzIT {
    static final String RULES = "/authorization/sources/built_in_database/rules";

    private Distribution dist;

    @After
    public void stop() throws Exception {
        if (dist != null) {
            dist.close();
        }
    }

    private static String rule(String permission, String action, String topic) {
        return "{\"permission\":\"" + permission + "\",\"action\":\"" + action + "\",\"topic\":\"" + topic + "\"}";
    }

    /** Whether a fresh connection (the broker caches decisions per connection) may publish there at QoS 1. */
    private boolean mayPublish(String clientId, String user, String topic) {
        Mqtt5BlockingClient c = connect(dist, clientId, user, user.startsWith("root") ? "t00r" : "s3cret");
        try {
            c.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload("x".getBytes(StandardCharsets.UTF_8)).send();
            return true;
        } catch (Mqtt5PubAckException e) {
            assertEquals(Mqtt5PubAckReasonCode.NOT_AUTHORIZED, e.getMqttMessage().getReasonCode());
            return false;
        } finally {
            c.disconnect();
        }
    }

    private boolean maySubscribe(String clientId, String user, String filter) {
        Mqtt5BlockingClient c = connect(dist, clientId, user, "s3cret");
        try {
            c.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send();
            return true;
        } catch (Mqtt5SubAckException e) {
            assertEquals(Mqtt5SubAckReasonCode.NOT_AUTHORIZED, e.getMqttMessage().getReasonCodes().get(0));
            return false;
        } finally {
            c.disconnect();
        }
    }

    @Test
    public void rulesPerClientUserAndAllDecideInEmqxsOrderAndSurviveARestart() throws Exception {
        dist = new Distribution().start().awaitApi();
        AdminHttp admin = new AdminHttp(dist.adminPort, AdminHttp.ADMIN);
        BuiltinAuthIT.tenantWithBuiltinUsers(admin, "acme", "{\"name\":\"sha256\"}");
        AdminHttp acme = admin.as(BuiltinAuthIT.tenantKey(admin, "acme"));
        ok(acme.post("/authentication/password_based:built_in_database/users", "{\"user_id\":\"bob\",\"password\":\"s3cret\"}"));
        assertEquals("not enabled yet", 404, acme.get(RULES + "/users").status());

        // the source: a bad max_rules is refused naming it; then max_rules 5, followed by a file source
        AdminHttp.Reply bad = acme.post("/authorization/sources", "{\"type\":\"built_in_database\",\"max_rules\":0}");
        assertEquals(bad.body(), 400, bad.status());
        assertTrue(bad.body(), bad.message().contains("max_rules"));
        assertEquals(204, acme.post("/authorization/sources", "{\"type\":\"built_in_database\",\"max_rules\":5}").status());
        await("authz-builtin serves acme").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> acme.get(RULES + "/users").status() == 200);

        // rules through EMQX's endpoints
        assertEquals(204, acme.post(RULES + "/clients", "[{\"clientid\":\"dev-1\",\"rules\":["
                + rule("deny", "publish", "t/secret") + "]}]").status());
        assertEquals(204, acme.post(RULES + "/users", "[{\"username\":\"alice\",\"rules\":["
                + rule("allow", "publish", "t/secret") + "," + rule("deny", "all", "t/denied/#") + ","
                + rule("allow", "all", "users/${username}/#") + "]}]").status());
        assertEquals(204, acme.post(RULES + "/all", "{\"rules\":[" + rule("allow", "subscribe", "eq cmd/#") + ","
                + rule("deny", "subscribe", "cmd/#") + "," + rule("allow", "publish", "up/${clientid}") + ","
                + rule("deny", "publish", "up/#") + "," + rule("deny", "all", "users/#") + "]}").status());
        assertEquals(204, acme.post("/authorization/sources", "{\"type\":\"file\",\"rules\":"
                + "\"{allow, all, all, [\\\"t/denied/#\\\"]}.\\n{deny, all, all, [\\\"other/#\\\"]}.\"}").status());

        await("both sources decide").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> !mayPublish("dev-1", "alice@acme", "t/secret") && !mayPublish("dev-2", "alice@acme", "other/x"));
        assertTrue("the user's allow, for a client without rules of its own", mayPublish("dev-2", "alice@acme", "t/secret"));
        assertFalse("a deny stops the chain (the file source would allow)", mayPublish("dev-2", "alice@acme", "t/denied/x"));
        assertTrue("no match in either source: no_match allows", mayPublish("dev-2", "alice@acme", "free/x"));
        assertTrue("${username}", mayPublish("dev-2", "alice@acme", "users/alice/x"));
        assertFalse("another user's topic falls to the rules for all", mayPublish("dev-2", "alice@acme", "users/bob/x"));
        assertTrue("${clientid}", mayPublish("dev-3", "bob@acme", "up/dev-3"));
        assertFalse(mayPublish("dev-3", "bob@acme", "up/dev-1"));
        assertTrue("eq: exactly that filter", maySubscribe("dev-3", "bob@acme", "cmd/#"));
        assertFalse(maySubscribe("dev-3", "bob@acme", "cmd/+"));
        assertTrue("a superuser skips authorization", mayPublish("root-1", "root@acme", "t/denied/x"));

        // reading and changing them
        JsonObject users = ok(acme.get(RULES + "/users?like_username=lic")).json().getAsJsonObject();
        assertEquals(1, users.getAsJsonObject("meta").get("count").getAsInt());
        JsonObject alice = users.getAsJsonArray("data").get(0).getAsJsonObject();
        assertEquals("alice", alice.get("username").getAsString());
        assertEquals("EMQX's shape, with its defaults", JsonParser.parseString("{\"topic\":\"t/secret\",\"permission\":"
                + "\"allow\",\"action\":\"publish\",\"qos\":[0,1,2],\"retain\":\"all\"}"), alice.getAsJsonArray("rules").get(0));
        assertEquals(0, ok(acme.get(RULES + "/users?like_username=zed")).json().getAsJsonObject()
                .getAsJsonArray("data").size());
        assertEquals("dev-1", ok(acme.get(RULES + "/clients/dev-1")).json().getAsJsonObject().get("clientid").getAsString());
        assertEquals(5, ok(acme.get(RULES + "/all")).json().getAsJsonObject().getAsJsonArray("rules").size());
        assertEquals(404, acme.get(RULES + "/users/nobody").status());
        assertEquals(404, acme.delete(RULES + "/clients/nobody").status());
        AdminHttp.Reply conflict = acme.post(RULES + "/users", "[{\"username\":\"bob\",\"rules\":[]},"
                + "{\"username\":\"alice\",\"rules\":[]}]");
        assertEquals(conflict.body(), 409, conflict.status());
        assertEquals("ALREADY_EXISTS", conflict.code());
        assertEquals("all or nothing: bob was not added", 404, acme.get(RULES + "/users/bob").status());
        assertEquals(204, acme.put(RULES + "/users/carol", "{\"username\":\"carol\",\"rules\":["
                + rule("allow", "publish", "carol/#") + "]}").status());
        assertEquals(1, ok(acme.get(RULES + "/users/carol")).json().getAsJsonObject().getAsJsonArray("rules").size());
        assertEquals(204, acme.delete(RULES + "/users/carol").status());
        assertEquals(404, acme.get(RULES + "/users/carol").status());

        // bad input: 400 naming the field, nothing stored
        String six = "[" + String.join(",", java.util.Collections.nCopies(6, rule("allow", "all", "x"))) + "]";
        AdminHttp.Reply tooMany = acme.put(RULES + "/users/alice", "{\"rules\":" + six + "}");
        assertEquals(tooMany.body(), 400, tooMany.status());
        assertTrue(tooMany.body(), tooMany.message().contains("max_rules (5)"));
        AdminHttp.Reply tooManyAll = acme.post(RULES + "/all", "{\"rules\":" + six + "}");
        assertEquals(tooManyAll.body(), 400, tooManyAll.status());
        AdminHttp.Reply tooManyNew = acme.post(RULES + "/clients", "[{\"clientid\":\"dev-9\",\"rules\":" + six + "}]");
        assertTrue(tooManyNew.body(), tooManyNew.status() == 400 && tooManyNew.message().contains("'[0].rules'"));
        AdminHttp.Reply badQos = acme.put(RULES + "/users/alice", "{\"rules\":[{\"topic\":\"t\",\"permission\":\"allow\","
                + "\"action\":\"all\",\"qos\":[3]}]}");
        assertEquals(badQos.body(), 400, badQos.status());
        assertTrue(badQos.body(), badQos.message().contains("'rules[0].qos'"));
        AdminHttp.Reply badTopic = acme.post(RULES + "/users", "[{\"username\":\"dave\",\"rules\":["
                + rule("allow", "all", "a/#/b") + "]}]");
        assertTrue(badTopic.body(), badTopic.status() == 400 && badTopic.message().contains("'[0].rules[0].topic'"));
        AdminHttp.Reply otherName = acme.put(RULES + "/users/alice", "{\"username\":\"bob\",\"rules\":[]}");
        assertTrue(otherName.body(), otherName.status() == 400 && otherName.message().contains("'username'"));
        AdminHttp.Reply malformed = acme.post(RULES + "/all", "{\"rules\": [");
        assertTrue(malformed.body(), malformed.status() == 400 && malformed.code().equals("BAD_REQUEST"));
        assertEquals(3, ok(acme.get(RULES + "/users/alice")).json().getAsJsonObject().getAsJsonArray("rules").size());
        assertEquals("another tenant sees none of it", 404, admin.get(RULES + "/users/alice").status());

        // the rules survive a restart of the distribution
        dist.stop(Duration.ofSeconds(30));
        dist.start().awaitApi();
        await("authz-builtin back").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> acme.get(RULES + "/users/alice").status() == 200);
        await("the rules decide again").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> !mayPublish("dev-1", "alice@acme", "t/secret"));
        assertTrue(mayPublish("dev-2", "alice@acme", "t/secret"));
        assertFalse(mayPublish("dev-3", "bob@acme", "up/dev-1"));

        // purge: EMQX's DELETE .../rules, only while the source is disabled
        AdminHttp.Reply live = acme.delete(RULES);
        assertTrue(live.body(), live.status() == 400 && live.message().contains("disabled"));
        assertEquals(204, acme.put("/authorization/sources/built_in_database", "{\"enable\":false,\"max_rules\":5}").status());
        await("the source is disabled").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> acme.get(RULES + "/users").status() == 200);
        assertEquals(204, acme.delete(RULES).status());
        JsonArray left = ok(acme.get(RULES + "/users")).json().getAsJsonObject().getAsJsonArray("data");
        assertEquals(0, left.size());
        assertEquals(0, ok(acme.get(RULES + "/all")).json().getAsJsonObject().getAsJsonArray("rules").size());
        assertEquals(404, acme.get(RULES + "/clients/dev-1").status());
    }
}

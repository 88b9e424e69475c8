package io.aviary.itest;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The rule engine end to end: rules created through the admin API run on the messages and
 * events of real MQTT clients (HiveMQ client) and republish through the broker; rule_test and
 * rules/{id}/test; the 400s; tenants; the republish loop limit; metrics (API and Prometheus); a restart.
 */
public class RulesIT {

    private static Distribution dist;
    private static AdminHttp api;
    private static final List<Mqtt5BlockingClient> CLIENTS = new ArrayList<>();

    @BeforeClass
    public static void start() throws Exception {
        dist = new Distribution().start().awaitApi();
        api = new AdminHttp(dist.adminPort, AdminHttp.ADMIN);
    }

    @AfterClass
    public static void stop() throws Exception {
        for (Mqtt5BlockingClient c : CLIENTS) {
            if (c.getState().isConnected()) {
                c.disconnect();
            }
        }
        if (dist != null) {
            dist.close();
        }
    }

    private static Mqtt5BlockingClient connect(Distribution d, String id, String username) {
        Mqtt5BlockingClient c = MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1")
                .serverPort(d.mqttPort).buildBlocking();
        if (username == null) {
            c.connect();
        } else {
            c.connectWith().simpleAuth().username(username).applySimpleAuth().send();
        }
        CLIENTS.add(c);
        return c;
    }

    private static Mqtt5BlockingClient.Mqtt5Publishes subscribe(Mqtt5BlockingClient c, String filter) {
        Mqtt5BlockingClient.Mqtt5Publishes in = c.publishes(MqttGlobalPublishFilter.ALL);
        c.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send();
        return in;
    }

    private static void publish(Mqtt5BlockingClient c, String topic, String payload) {
        c.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload.getBytes(StandardCharsets.UTF_8)).send();
    }

    private static Mqtt5Publish receive(Mqtt5BlockingClient.Mqtt5Publishes in) throws InterruptedException {
        return in.receive(10, TimeUnit.SECONDS).orElseThrow(() -> new AssertionError("no message within 10 s"));
    }

    private static String next(Mqtt5BlockingClient.Mqtt5Publishes in) throws InterruptedException {
        Mqtt5Publish p = receive(in);
        return p.getTopic() + "=" + new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8);
    }

    private static JsonObject created(AdminHttp http, String path, String json) throws Exception {
        AdminHttp.Reply r = http.post(path, json);
        assertEquals(r.body(), 201, r.status());
        return r.json().getAsJsonObject();
    }

    private static JsonObject metrics(AdminHttp http, String id) throws Exception {
        return metrics(http, id, "");
    }

    private static JsonObject metrics(AdminHttp http, String id, String query) throws Exception {
        AdminHttp.Reply r = http.get("/rules/" + id + "/metrics" + query);
        assertEquals(r.body(), 200, r.status());
        return r.json().getAsJsonObject().getAsJsonObject("metrics");
    }

    private static void awaitMetric(AdminHttp http, String id, String name, long value) {
        awaitMetric(http, id, "", name, value);
    }

    private static void awaitMetric(AdminHttp http, String id, String query, String name, long value) {
        await(id + " " + name + " = " + value).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> metrics(http, id, query).get(name).getAsLong() == value);
    }

    @Test
    public void aPublishedMessageIsRepublishedWithItsPayloadTransformedAndMetricsCountEachMessage() throws Exception {
        created(api, "/rules", """
                {"id": "hot", "sql": "SELECT payload.temp * 10 AS t10, clientid FROM \\"sensors/#\\" WHERE payload.temp > 20",
                 "actions": [{"function": "republish",
                              "args": {"topic": "alerts/${clientid}", "payload": "{\\"t10\\": ${t10}}", "qos": 1}},
                             {"function": "console"}],
                 "description": "hot sensors"}""");
        Mqtt5BlockingClient sub = connect(dist, "hot-sub", null);
        var in = subscribe(sub, "alerts/#");
        Mqtt5BlockingClient dev = connect(dist, "dev-7", null);
        publish(dev, "sensors/7", "{\"temp\": 10}"); // filtered out by WHERE
        publish(dev, "sensors/7", "{\"temp\": 25}");
        publish(dev, "other/7", "{\"temp\": 99}"); // FROM does not take it
        publish(dev, "sensors/7", "not json");
        Mqtt5Publish out = receive(in);
        assertEquals("alerts/dev-7", out.getTopic().toString());
        assertEquals("{\"t10\": 250}", new String(out.getPayloadAsBytes(), StandardCharsets.UTF_8));
        assertEquals(MqttQos.AT_LEAST_ONCE, out.getQos());

        awaitMetric(api, "hot", "matched", 3);
        awaitMetric(api, "hot", "failed.exception", 1);
        JsonObject m = metrics(api, "hot");
        assertEquals(1, m.get("passed").getAsLong());
        assertEquals(1, m.get("failed.no_result").getAsLong());
        assertEquals(2, m.get("failed").getAsLong());
        assertEquals(2, m.get("actions.total").getAsLong());
        assertEquals(2, m.get("actions.success").getAsLong());
        JsonObject all = api.get("/rules/hot/metrics").json().getAsJsonObject();
        assertTrue(all.toString(), all.getAsJsonObject("last_error").get("reason").getAsString().contains("decode_json_failed"));
        assertEquals(2, all.getAsJsonArray("actions").size());
        java.util.Map<String, Double> prom = PrometheusIT.parse(api.get("/prometheus/stats").body());
        assertEquals(prom.toString(), 3.0, prom.get("aviary_rule_matched_total{rule=\"hot\",tenant=\"default\"}"), 0);
        assertEquals(1.0, prom.get("aviary_rule_failed_total{reason=\"no_result\",rule=\"hot\",tenant=\"default\"}"), 0);
        assertEquals(2.0, prom.get("aviary_rule_actions_total{result=\"success\",rule=\"hot\",tenant=\"default\"}"), 0);

        await("the console action's line").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> dist.console().contains("rule output tenant=default rule=hot output={\"t10\":250,\"clientid\":\"dev-7\"}"));

        assertEquals(204, api.put("/rules/hot/metrics/reset", "{}").status());
        assertEquals(0, metrics(api, "hot").get("matched").getAsLong());

        // disabled, the rule does not run; enabled again, it does
        assertEquals(false, api.put("/rules/hot", "{\"enable\": false}").json().getAsJsonObject().get("enable").getAsBoolean());
        publish(dev, "sensors/7", "{\"temp\": 30}");
        assertEquals(true, api.put("/rules/hot", "{\"enable\": true}").json().getAsJsonObject().get("enable").getAsBoolean());
        publish(dev, "sensors/7", "{\"temp\": 40}");
        assertEquals("alerts/dev-7={\"t10\": 400}", next(in));
        awaitMetric(api, "hot", "matched", 1);
    }

    @Test
    public void republishCarriesTheOriginalUserPropertiesAndTemplatedMqtt5PropertiesOnTheWire() throws Exception {
        created(api, "/rules", """
                {"id": "props", "sql": "SELECT payload, clientid FROM \\"props/in\\"",
                 "actions": [{"function": "republish", "args": {"topic": "props/out", "qos": 1, "retain": false,
                   "payload": "${payload}", "user_properties": "${pub_props.'User-Property'}",
                   "mqtt_properties": {"Content-Type": "text/${clientid}", "Response-Topic": "reply/${clientid}",
                                       "Message-Expiry-Interval": "120", "Payload-Format-Indicator": "1"}}}]}""");
        Mqtt5BlockingClient sub = connect(dist, "props-sub", null);
        var in = subscribe(sub, "props/out");
        Mqtt5BlockingClient pub = connect(dist, "props-pub", null);
        byte[] text = "h\u00e9llo \u2713".getBytes(StandardCharsets.UTF_8);
        pub.publishWith().topic("props/in").qos(MqttQos.AT_LEAST_ONCE).payload(text)
                .userProperties().add("site", "plant-7").add("line", "3").applyUserProperties().send();
        Mqtt5Publish out = receive(in);
        org.junit.Assert.assertArrayEquals("the payload passes byte for byte", text, out.getPayloadAsBytes());
        List<String> props = new ArrayList<>();
        out.getUserProperties().asList().forEach(p -> props.add(p.getName() + "=" + p.getValue()));
        assertEquals(List.of("site=plant-7", "line=3"), props);
        assertEquals("text/props-pub", out.getContentType().orElseThrow().toString());
        assertEquals("reply/props-pub", out.getResponseTopic().orElseThrow().toString());
        assertTrue(out.getMessageExpiryInterval().orElseThrow() <= 120);
        assertEquals(com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PayloadFormatIndicator.UTF_8,
                out.getPayloadFormatIndicator().orElseThrow());
    }

    @Test
    public void foreachOverAnArrayPayloadRepublishesOneMessagePerElement() throws Exception {
        created(api, "/rules", """
                {"id": "split", "sql": "FOREACH payload.items AS item DO item.id AS id, item.v AS v INCASE item.v > 0 FROM \\"batch/+\\"",
                 "actions": [{"function": "republish", "args": {"topic": "item/${id}", "payload": "${v}"}}]}""");
        Mqtt5BlockingClient sub = connect(dist, "split-sub", null);
        var in = subscribe(sub, "item/#");
        publish(connect(dist, "batcher", null), "batch/1",
                "{\"items\": [{\"id\": \"a\", \"v\": 1}, {\"id\": \"b\", \"v\": 0}, {\"id\": \"c\", \"v\": 3}, {\"id\": \"d\", \"v\": 4}]}");
        Set<String> got = new HashSet<>(List.of(next(in), next(in), next(in)));
        assertEquals(Set.of("item/a=1", "item/c=3", "item/d=4"), got);
        awaitMetric(api, "split", "actions.success", 3);
        assertEquals(1, metrics(api, "split").get("passed").getAsLong());
    }

    @Test
    public void aClientConnectedEventRuleRepublishes() throws Exception {
        created(api, "/rules", """
                {"id": "hello", "sql": "SELECT clientid, username, proto_ver FROM \\"$events/client_connected\\" WHERE clientid = 'ev-dev'",
                 "actions": [{"function": "republish", "args": {"topic": "connected/${clientid}", "payload": "${username} v${proto_ver}"}}]}""");
        Mqtt5BlockingClient sub = connect(dist, "ev-sub", null);
        var in = subscribe(sub, "connected/#");
        connect(dist, "ev-dev", "alice");
        assertEquals("connected/ev-dev=alice v5", next(in));
    }

    @Test
    public void anAuthenticationCompleteEventRuleSeesHowTheClientWasAdmitted() throws Exception {
        created(api, "/rules", """
                {"id": "authn-audit", "sql": "SELECT clientid, reason_code, is_anonymous, is_superuser FROM \\"$events/client_check_authn_complete\\" WHERE clientid = 'authn-dev'",
                 "actions": [{"function": "republish", "args": {"topic": "audit/${clientid}", "payload": "${reason_code} anonymous=${is_anonymous} superuser=${is_superuser}"}}]}""");
        Mqtt5BlockingClient sub = connect(dist, "authn-sub", null);
        var in = subscribe(sub, "audit/#");
        connect(dist, "authn-dev", "bob");
        assertEquals("audit/authn-dev=success anonymous=true superuser=false", next(in));
    }

    @Test
    public void ruleTestAnswersTheOutputOr412AndAStoredRuleTestRendersItsActions() throws Exception {
        AdminHttp.Reply r = api.post("/rule_test", """
                {"sql": "SELECT payload.a + 1 AS b, topic FROM \\"t/#\\" WHERE payload.a > 0",
                 "context": {"topic": "t/1", "payload": "{\\"a\\": 41}"}}""");
        assertEquals(r.body(), 200, r.status());
        assertEquals(42, r.json().getAsJsonObject().get("b").getAsLong());
        assertEquals("t/1", r.json().getAsJsonObject().get("topic").getAsString());

        AdminHttp.Reply filtered = api.post("/rule_test", """
                {"sql": "SELECT * FROM \\"t/#\\" WHERE payload.a > 0", "context": {"topic": "t/1", "payload": "{\\"a\\": 0}"}}""");
        assertEquals(412, filtered.status());
        assertEquals("NOT_MATCH", filtered.code());
        AdminHttp.Reply otherTopic = api.post("/rule_test", """
                {"sql": "SELECT * FROM \\"t/#\\"", "context": {"topic": "x/1"}}""");
        assertEquals(412, otherTopic.status());
        AdminHttp.Reply event = api.post("/rule_test", """
                {"sql": "SELECT clientid FROM \\"$events/client_connected\\"", "context": {"event_type": "client_connected", "clientid": "c9"}}""");
        assertEquals(event.body(), "c9", event.json().getAsJsonObject().get("clientid").getAsString());
        AdminHttp.Reply foreach = api.post("/rule_test", """
                {"sql": "FOREACH payload.xs AS x FROM \\"t/#\\"", "context": {"topic": "t/1", "payload": "{\\"xs\\": [1, 2]}"}}""");
        assertEquals(foreach.body(), 2, foreach.json().getAsJsonArray().size());

        created(api, "/rules", """
                {"id": "render", "sql": "SELECT payload.v AS v, clientid FROM \\"r/#\\" WHERE v > 1",
                 "actions": [{"function": "republish", "args": {"topic": "o/${clientid}", "payload": "v=${v}", "qos": 2, "retain": true,
                              "user_properties": "${pub_props.'User-Property'}", "mqtt_properties": {"Content-Type": "text/plain"}}}]}""");
        AdminHttp.Reply t = api.post("/rules/render/test", """
                {"context": {"topic": "r/1", "clientid": "c1", "payload": "{\\"v\\": 5}", "pub_props": {"User-Property": {"k": "x"}}}}""");
        assertEquals(t.body(), 200, t.status());
        JsonObject args = t.json().getAsJsonObject().getAsJsonArray("actions").get(0).getAsJsonArray().get(0)
                .getAsJsonObject().getAsJsonObject("args");
        assertEquals("o/c1", args.get("topic").getAsString());
        assertEquals("v=5", args.get("payload").getAsString());
        assertEquals(2, args.get("qos").getAsInt());
        assertEquals(true, args.get("retain").getAsBoolean());
        assertEquals("x", args.getAsJsonObject("user_properties").get("k").getAsString());
        assertEquals("text/plain", args.getAsJsonObject("mqtt_properties").get("Content-Type").getAsString());
        assertEquals(412, api.post("/rules/render/test", "{\"context\": {\"topic\": \"r/1\", \"payload\": \"{\\\"v\\\": 1}\"}}").status());
        assertEquals(404, api.post("/rules/nope/test", "{\"context\": {}}").status());
        assertEquals("nothing ran for real", 0, metrics(api, "render").get("matched").getAsLong());

        JsonArray events = api.get("/rule_events").json().getAsJsonArray();
        boolean connected = false;
        for (JsonElement e : events) {
            connected |= e.getAsJsonObject().get("event").getAsString().equals("$events/client_connected");
        }
        assertTrue(events.toString(), connected);
    }

    @Test
    public void badSqlAndBadActionsAnswer400NamingTheProblem() throws Exception {
        AdminHttp.Reply sql = api.post("/rules", "{\"sql\": \"SELECT a, b c d FROM \\\"t/#\\\"\"}");
        assertEquals(400, sql.status());
        assertTrue(sql.message(), sql.message().contains("line 1, column 15") && sql.message().contains("expected"));
        AdminHttp.Reply multiLine = api.post("/rule_test", "{\"sql\": \"SELECT *\\nFROM\", \"context\": {}}");
        assertEquals(400, multiLine.status());
        assertTrue(multiLine.message(), multiLine.message().contains("line 2"));
        AdminHttp.Reply function = api.post("/rules",
                "{\"sql\": \"SELECT * FROM \\\"t/#\\\"\", \"actions\": [{\"function\": \"explode\"}]}");
        assertEquals(400, function.status());
        assertTrue(function.message(), function.message().contains("actions[0].function"));
        AdminHttp.Reply noTopic = api.post("/rules",
                "{\"sql\": \"SELECT * FROM \\\"t/#\\\"\", \"actions\": [{\"function\": \"console\"}, {\"function\": \"republish\", \"args\": {}}]}");
        assertEquals(400, noTopic.status());
        assertTrue(noTopic.message(), noTopic.message().contains("actions[1].args.topic"));
        AdminHttp.Reply qos = api.post("/rules",
                "{\"sql\": \"SELECT * FROM \\\"t/#\\\"\", \"actions\": [{\"function\": \"republish\", \"args\": {\"topic\": \"x\", \"qos\": 3}}]}");
        assertTrue(qos.body(), qos.status() == 400 && qos.message().contains("actions[0].args.qos"));
        assertEquals(400, api.post("/rules", "{\"actions\": []}").status());
        created(api, "/rules", "{\"id\": \"dup\", \"sql\": \"SELECT * FROM \\\"dup/#\\\"\"}");
        assertEquals(400, api.post("/rules", "{\"id\": \"dup\", \"sql\": \"SELECT * FROM \\\"dup/#\\\"\"}").status());
        assertEquals(404, api.get("/rules/missing").status());
        assertEquals(404, api.delete("/rules/missing").status());
        assertEquals(404, api.get("/rules/missing/metrics").status());
        assertEquals(204, api.delete("/rules/dup").status());
        assertEquals(404, api.get("/rules/dup").status());
    }

    @Test
    public void aTenantsRuleNeverSeesAnotherTenantsMessages() throws Exception {
        assertEquals(200, api.post("/tenants", "{\"id\": \"acme\"}").status());
        created(api, "/rules?tenant=acme", """
                {"id": "acme-copy", "sql": "SELECT payload FROM \\"data/#\\"",
                 "actions": [{"function": "republish", "args": {"topic": "copy/${payload}"}}]}""");
        assertEquals("another tenant's rule is not found", 404, api.get("/rules/acme-copy").status());
        // the tenant's max_rules quota: one rule, no second
        assertEquals(200, api.put("/tenants/acme", "{\"quotas\": {\"max_rules\": 1}}").status());
        AdminHttp.Reply over = api.post("/rules?tenant=acme", "{\"sql\": \"SELECT * FROM \\\"x/#\\\"\"}");
        assertEquals(over.body(), 400, over.status());
        assertEquals("QUOTA_EXCEEDED", over.code());
        assertTrue(over.message(), over.message().contains("max_rules (1)"));
        assertEquals("the refusal is counted", 1, api.get("/metrics?tenant=acme&aggregate=true").json().getAsJsonObject()
                .get("quota.exceeded.max_rules").getAsLong());
        assertEquals("the default tenant is not capped by acme's quota", 201,
                api.post("/rules", "{\"id\": \"free\", \"sql\": \"SELECT * FROM \\\"x/#\\\"\"}").status());
        assertEquals(1, api.get("/rules?tenant=acme").json().getAsJsonObject().getAsJsonArray("data").size());

        Mqtt5BlockingClient acmeSub = connect(dist, "t-sub", "s@acme");
        var acmeIn = subscribe(acmeSub, "copy/#");
        Mqtt5BlockingClient defaultSub = connect(dist, "t-sub", null);
        var defaultIn = subscribe(defaultSub, "copy/#");
        publish(connect(dist, "t-pub", null), "data/1", "from-default");
        publish(connect(dist, "t-pub", "p@acme"), "data/1", "from-acme");
        assertEquals("copy/from-acme=from-acme", next(acmeIn));
        awaitMetric(api, "acme-copy", "?tenant=acme", "matched", 1);
        assertTrue("default tenant got no republish", defaultIn.receive(300, TimeUnit.MILLISECONDS).isEmpty());

        // a deleted tenant's rules go with it: the same id created again starts with none
        assertEquals(204, api.delete("/tenants/acme?confirm=true").status());
        assertEquals(200, api.post("/tenants", "{\"id\": \"acme\"}").status());
        assertEquals(0, api.get("/rules?tenant=acme").json().getAsJsonObject().getAsJsonArray("data").size());
    }

    @Test
    public void aRuleThatRepublishesOntoItsOwnTopicStopsAtTheDepthLimit() throws Exception {
        created(api, "/rules", """
                {"id": "loop", "sql": "SELECT * FROM \\"loop/#\\"",
                 "actions": [{"function": "republish", "args": {"topic": "loop/x/${topic}"}}]}""");
        Mqtt5BlockingClient sub = connect(dist, "loop-sub", null);
        var in = subscribe(sub, "loop/#");
        publish(connect(dist, "loop-pub", null), "loop/a", "go");
        // the original and each republish race to the subscriber (rules run beside routing): compare as a set
        Set<String> got = new HashSet<>(List.of(next(in), next(in), next(in), next(in)));
        assertEquals(Set.of("loop/a=go", "loop/x/loop/a=go", "loop/x/loop/x/loop/a=go", "loop/x/loop/x/loop/x/loop/a=go"),
                got);
        awaitMetric(api, "loop", "failed.loop", 1);
        JsonObject m = metrics(api, "loop");
        assertEquals(4, m.get("matched").getAsLong());
        assertEquals(3, m.get("passed").getAsLong());
        assertTrue("no fifth message", in.receive(300, TimeUnit.MILLISECONDS).isEmpty());
    }

    @Test
    public void rulesSurviveARestartEvenInMemoryModeAndAnUnreadableFileIsNeverWiped() throws Exception {
        try (Distribution own = new Distribution()) {
            // memory mode keeps no sessions across a restart; rules live in data/rules.json in every mode
            own.start("--set", "durable_sessions.mode=memory").awaitApi();
            AdminHttp http = new AdminHttp(own.adminPort, AdminHttp.ADMIN);
            created(http, "/rules", """
                    {"id": "kept", "sql": "SELECT payload FROM \\"keep/#\\"", "enable": true, "description": "survives",
                     "actions": [{"function": "republish", "args": {"topic": "kept/out", "payload": "got ${payload}"}}]}""");
            assertEquals(200, http.put("/rules/kept", "{\"description\": \"survives a restart\"}").status());
            own.stop(Duration.ofSeconds(20));
            own.start("--set", "durable_sessions.mode=memory").awaitApi();
            JsonObject rule = http.get("/rules/kept").json().getAsJsonObject();
            assertEquals("survives a restart", rule.get("description").getAsString());
            assertEquals("keep/#", rule.getAsJsonArray("from").get(0).getAsString());
            Mqtt5BlockingClient sub = connect(own, "keep-sub", null);
            var in = subscribe(sub, "kept/#");
            publish(connect(own, "keep-pub", null), "keep/1", "x");
            assertEquals("kept/out=got x", next(in));
            sub.disconnect();

            own.stop(Duration.ofSeconds(20));
            Path file = own.home.resolve("data/rules.json");
            Files.writeString(file, "{not json");
            own.start().awaitApi();
            assertEquals(503, http.get("/rules").status());
            assertTrue(own.console(), own.console().contains("rules: not started: cannot read the rules from"));
            assertEquals("the file is left as it was", "{not json", Files.readString(file));
        }
    }
}

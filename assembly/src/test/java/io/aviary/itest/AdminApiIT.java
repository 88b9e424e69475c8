package io.aviary.itest;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The management REST API against the assembled distribution, through java.net.http with an
 * API key, and real MQTT clients (HiveMQ, plus a raw socket that never acknowledges) whose
 * state the API shows and changes: list and filter clients, kick, subscribe on a client's
 * behalf, publish, queued and inflight messages, retained and delayed messages, statistics.
 */
public class AdminApiIT {

    private static final Duration FIVE_SECONDS = Duration.ofSeconds(5);
    private static Distribution dist;
    private static AdminHttp api;
    private final List<AutoCloseable> clients = new ArrayList<>();

    @BeforeClass
    public static void startDistributionAndCreateAnApiKey() throws Exception {
        dist = new Distribution().start().awaitApi();
        AdminHttp admin = new AdminHttp(dist.adminPort, AdminHttp.ADMIN);
        AdminHttp.Reply key = admin.post("/api_key", "{\"name\":\"admin-api-it\"}");
        assertEquals(key.body(), 200, key.status());
        JsonObject k = key.json().getAsJsonObject();
        api = admin.as(AdminHttp.basic(k.get("api_key").getAsString(), k.get("api_secret").getAsString()));
    }

    @AfterClass
    public static void stopDistribution() throws Exception {
        if (dist != null) {
            dist.close();
        }
    }

    @After
    public void disconnectClients() throws Exception {
        for (AutoCloseable c : clients) {
            try {
                c.close();
            } catch (Exception alreadyGone) {
                // kicked clients are already disconnected
            }
        }
    }

    // ---- clients

    @Test
    public void clientsAreFilteredByEveryEmqxParameterAndPaged() throws Exception {
        connect5("flt-a1", "alice");
        connect5("flt-a2", "bob");
        Mqtt3BlockingClient v3 = MqttClient.builder().useMqttVersion3().identifier("flt-b1")
                .serverHost("127.0.0.1").serverPort(dist.mqttPort).buildBlocking();
        v3.connectWith().simpleAuth().username("carol").applySimpleAuth().send();
        clients.add(v3::disconnect);
        Mqtt5BlockingClient offline = client5("flt-off");
        offline.connectWith().cleanStart(false).sessionExpiryInterval(300).send();
        offline.disconnect();

        assertEquals(List.of("flt-a1", "flt-a2"), ids("/clients?like_clientid=flt-a"));
        assertEquals(List.of("flt-a1"), ids("/clients?like_clientid=flt-&username=alice"));
        assertEquals(List.of("flt-a2"), ids("/clients?like_clientid=flt-&like_username=ob"));
        assertEquals(List.of("flt-b1"), ids("/clients?like_clientid=flt-&proto_ver=4"));
        assertEquals(List.of("flt-off"), ids("/clients?like_clientid=flt-&conn_state=disconnected"));
        assertEquals(List.of("flt-off"), ids("/clients?like_clientid=flt-&clean_start=false"));
        assertEquals(4, ids("/clients?like_clientid=flt-&ip_address=127.0.0.1").size());
        assertEquals(4, ids("/clients?like_clientid=flt-&gte_created_at=2020-01-01T00:00:00Z").size());
        assertEquals(0, ids("/clients?like_clientid=flt-&gte_connected_at=2999-01-01T00:00:00Z").size());
        assertEquals(4, ids("/clients?like_clientid=flt-&lte_connected_at=" + (System.currentTimeMillis() + 60_000)).size());

        JsonObject page2 = ok(api.get("/clients?like_clientid=flt-&limit=3&page=2")).getAsJsonObject();
        JsonObject meta = page2.getAsJsonObject("meta");
        assertEquals(4, meta.get("count").getAsInt());
        assertEquals(3, meta.get("limit").getAsInt());
        assertEquals(2, meta.get("page").getAsInt());
        assertFalse(meta.get("hasnext").getAsBoolean());
        assertEquals(1, page2.getAsJsonArray("data").size());

        assertBadRequest(api.get("/clients?conn_state=maybe"), "conn_state");
        assertBadRequest(api.get("/clients?clean_start=yes"), "clean_start");
        assertBadRequest(api.get("/clients?proto_ver=9"), "proto_ver");
        assertBadRequest(api.get("/clients?gte_created_at=yesterday"), "gte_created_at");
        assertBadRequest(api.get("/clients?page=0"), "page");
        assertBadRequest(api.get("/clients?limit=abc"), "limit");
    }

    @Test
    public void oneClientHasEmqxFieldsAndAnUnknownOneIs404() throws Exception {
        connect5("one-c1", "dave");
        JsonObject c = ok(api.get("/clients/one-c1")).getAsJsonObject();
        assertEquals("one-c1", c.get("clientid").getAsString());
        assertEquals("dave", c.get("username").getAsString());
        assertEquals("127.0.0.1", c.get("ip_address").getAsString());
        assertTrue(c.get("connected").getAsBoolean());
        assertEquals(5, c.get("proto_ver").getAsInt());
        assertEquals("MQTT", c.get("proto_name").getAsString());
        for (String field : List.of("port", "node", "keepalive", "expiry_interval", "created_at", "connected_at",
                "subscriptions_cnt", "inflight_cnt", "inflight_max", "mqueue_len", "recv_msg", "send_msg")) {
            assertTrue("client has " + field, c.has(field));
        }
        AdminHttp.Reply missing = api.get("/clients/no-such-client");
        assertEquals(404, missing.status());
        assertEquals("CLIENTID_NOT_FOUND", missing.code());
    }

    @Test
    public void kickDisconnectsTheClientWithAdministrativeAction() throws Exception {
        CompletableFuture<Throwable> cause = new CompletableFuture<>();
        Mqtt5BlockingClient c = MqttClient.builder().useMqttVersion5().identifier("kick-me")
                .serverHost("127.0.0.1").serverPort(dist.mqttPort)
                .addDisconnectedListener(ctx -> cause.complete(ctx.getCause())).buildBlocking();
        c.connect();

        assertEquals(204, api.delete("/clients/kick-me").status());

        Throwable t = cause.get(5, TimeUnit.SECONDS);
        assertTrue(String.valueOf(t), t instanceof Mqtt5DisconnectException);
        assertEquals(Mqtt5DisconnectReasonCode.ADMINISTRATIVE_ACTION,
                ((Mqtt5DisconnectException) t).getMqttMessage().getReasonCode());
        assertEquals(404, api.get("/clients/kick-me").status());
        AdminHttp.Reply again = api.delete("/clients/kick-me");
        assertEquals(404, again.status());
        assertEquals("CLIENTID_NOT_FOUND", again.code());
    }

    @Test
    public void bulkKickoutDisconnectsEveryListedClient() throws Exception {
        List<CompletableFuture<Void>> gone = new ArrayList<>();
        for (String id : List.of("bulk-k1", "bulk-k2")) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1").serverPort(dist.mqttPort)
                    .addDisconnectedListener(ctx -> f.complete(null)).buildBlocking().connect();
            gone.add(f);
        }
        assertBadRequest(api.post("/clients/kickout/bulk", "[\"bulk-k1\", 7]"), "element 1");
        assertBadRequest(api.post("/clients/kickout/bulk", "{\"clientid\":\"bulk-k1\"}"), "JSON array");
        assertEquals(1, ids("/clients?like_clientid=bulk-k1").size());

        assertEquals(204, api.post("/clients/kickout/bulk", "[\"bulk-k1\", \"bulk-k2\", \"bulk-unknown\"]").status());

        CompletableFuture.allOf(gone.toArray(new CompletableFuture[0])).get(5, TimeUnit.SECONDS);
        assertEquals(0, ids("/clients?like_clientid=bulk-k").size());
    }

    // ---- subscriptions on a client's behalf, and publish

    @Test
    public void proxySubscriptionsDeliverMessagesPublishedThroughTheApi() throws Exception {
        Mqtt5BlockingClient c = connect5("proxy-c1", null);
        try (Mqtt5BlockingClient.Mqtt5Publishes in = c.publishes(MqttGlobalPublishFilter.ALL)) {
            JsonObject sub = ok(api.post("/clients/proxy-c1/subscribe", "{\"topic\":\"proxy/+/cmd\",\"qos\":1}"))
                    .getAsJsonObject();
            assertEquals("proxy/+/cmd", sub.get("topic").getAsString());
            assertEquals(1, sub.get("qos").getAsInt());
            JsonArray subs = ok(api.get("/clients/proxy-c1/subscriptions")).getAsJsonArray();
            assertEquals(1, subs.size());
            assertEquals("proxy/+/cmd", subs.get(0).getAsJsonObject().get("topic").getAsString());

            AdminHttp.Reply published = api.post("/publish",
                    "{\"topic\":\"proxy/7/cmd\",\"payload\":\"reboot\",\"qos\":1}");
            assertEquals(published.body(), 200, published.status());
            assertNotNull(published.json().getAsJsonObject().get("id").getAsString());
            Mqtt5Publish got = in.receive(5, TimeUnit.SECONDS).orElseThrow();
            assertEquals("proxy/7/cmd", got.getTopic().toString());
            assertEquals("reboot", new String(got.getPayloadAsBytes(), StandardCharsets.UTF_8));

            assertEquals(204, api.post("/clients/proxy-c1/unsubscribe", "{\"topic\":\"proxy/+/cmd\"}").status());
            AdminHttp.Reply none = api.post("/publish", "{\"topic\":\"proxy/7/cmd\",\"payload\":\"x\"}");
            assertEquals(202, none.status());
            assertEquals(16, none.json().getAsJsonObject().get("reason_code").getAsInt());
            assertEquals("no_matching_subscribers", none.json().getAsJsonObject().get("message").getAsString());

            JsonArray bulk = ok(api.post("/clients/proxy-c1/subscribe/bulk",
                    "[{\"topic\":\"proxy/a\",\"qos\":0},{\"topic\":\"proxy/b\",\"qos\":2}]")).getAsJsonArray();
            assertEquals(2, bulk.size());
            assertEquals(2, ok(api.get("/clients/proxy-c1/subscriptions")).getAsJsonArray().size());
            assertEquals(204, api.post("/clients/proxy-c1/unsubscribe/bulk",
                    "[{\"topic\":\"proxy/a\"},{\"topic\":\"proxy/b\"}]").status());
            assertEquals(0, ok(api.get("/clients/proxy-c1/subscriptions")).getAsJsonArray().size());
        }
        assertBadRequest(api.post("/clients/proxy-c1/subscribe", "{\"topic\":\"a/b\",\"qos\":3}"), "qos");
        assertBadRequest(api.post("/clients/proxy-c1/subscribe", "{\"topic\":\"a/#/b\"}"), "topic");
        assertBadRequest(api.post("/clients/proxy-c1/subscribe", "{\"qos\":1}"), "topic");
        assertBadRequest(api.post("/clients/proxy-c1/subscribe/bulk", "[{\"topic\":\"ok\"},{\"topic\":\"\"}]"),
                "element 1");
        assertBadRequest(api.post("/clients/proxy-c1/unsubscribe", "{\"topic\":1}"), "topic");
        assertEquals(404, api.post("/clients/nobody/subscribe", "{\"topic\":\"a\"}").status());
        assertEquals(404, api.post("/clients/nobody/unsubscribe", "{\"topic\":\"a\"}").status());
        assertEquals(404, api.get("/clients/nobody/subscriptions").status());
    }

    @Test
    public void publishCarriesMqtt5PropertiesAndBase64PayloadsAndBulkAnswersEach() throws Exception {
        Mqtt5BlockingClient c = connect5("props-c1", null);
        c.subscribeWith().topicFilter("props/#").qos(MqttQos.AT_LEAST_ONCE).send();
        try (Mqtt5BlockingClient.Mqtt5Publishes in = c.publishes(MqttGlobalPublishFilter.SUBSCRIBED)) {
            String body = "{\"topic\":\"props/1\",\"qos\":1,\"payload_encoding\":\"base64\",\"payload\":\""
                    + Base64.getEncoder().encodeToString(new byte[] {0, 1, (byte) 0xff}) + "\",\"properties\":{"
                    + "\"payload_format_indicator\":0,\"message_expiry_interval\":60,\"content_type\":\"app/bin\","
                    + "\"response_topic\":\"props/reply\",\"correlation_data\":\"corr-1\","
                    + "\"user_properties\":{\"site\":\"lab\"}}}";
            assertEquals(200, api.post("/publish", body).status());
            Mqtt5Publish got = in.receive(5, TimeUnit.SECONDS).orElseThrow();
            assertTrue(java.util.Arrays.equals(new byte[] {0, 1, (byte) 0xff}, got.getPayloadAsBytes()));
            assertEquals("app/bin", got.getContentType().orElseThrow().toString());
            assertEquals("props/reply", got.getResponseTopic().orElseThrow().toString());
            assertEquals("corr-1", StandardCharsets.UTF_8.decode(got.getCorrelationData().orElseThrow()).toString());
            assertTrue(got.getMessageExpiryInterval().orElseThrow() <= 60);
            assertEquals("lab", got.getUserProperties().asList().get(0).getValue().toString());

            AdminHttp.Reply bulk = api.post("/publish/bulk",
                    "[{\"topic\":\"props/2\",\"payload\":\"a\"},{\"topic\":\"elsewhere/2\",\"payload\":\"b\"}]");
            assertEquals(200, bulk.status());
            JsonArray results = bulk.json().getAsJsonArray();
            assertTrue(results.get(0).getAsJsonObject().has("id"));
            assertEquals(16, results.get(1).getAsJsonObject().get("reason_code").getAsInt());
            assertEquals("a", new String(in.receive(5, TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes(),
                    StandardCharsets.UTF_8));
        }
        assertEquals(202, api.post("/publish/bulk", "[{\"topic\":\"nobody/listens\"}]").status());
        assertBadRequest(api.post("/publish", "{\"topic\":\"a\",\"qos\":3}"), "field 'qos' must be an integer from 0 to 2");
        assertBadRequest(api.post("/publish", "{\"topic\":\"a/+\"}"), "wildcards");
        assertBadRequest(api.post("/publish", "{\"payload\":\"x\"}"), "field 'topic' is required");
        assertBadRequest(api.post("/publish", "{\"topic\":\"a\",\"payload_encoding\":\"hex\"}"), "payload_encoding");
        assertBadRequest(api.post("/publish", "{\"topic\":\"a\",\"payload_encoding\":\"base64\",\"payload\":\"***\"}"),
                "base64");
        assertBadRequest(api.post("/publish", "{\"topic\":\"a\",\"properties\":{\"user_properties\":{\"k\":1}}}"),
                "user_properties.k");
        assertBadRequest(api.post("/publish", "{\"topic\":\"a\",\"properties\":{\"message_expiry_interval\":-1}}"),
                "message_expiry_interval");
        assertBadRequest(api.post("/publish", "{\"topic\":"), "malformed JSON");
        assertBadRequest(api.post("/publish/bulk", "[{\"topic\":\"a\"},{\"topic\":\"b\",\"retain\":\"yes\"}]"),
                "element 1: field 'retain' must be a boolean");
        assertBadRequest(api.post("/publish/bulk", "[]"), "1 to 1000");
        AdminHttp.Reply tooLarge = api.post("/publish", "{\"topic\":\"a\",\"payload\":\"" + "x".repeat(1_100_000) + "\"}");
        assertBadRequest(tooLarge, "larger than the 1048576-byte limit");
    }

    // ---- queued and inflight messages

    @Test
    public void queuedMessagesOfAnOfflineSessionAreListedWithPayloads() throws Exception {
        Mqtt5BlockingClient c = client5("mq-c1");
        c.connectWith().cleanStart(true).sessionExpiryInterval(300).send();
        c.subscribeWith().topicFilter("mq/#").qos(MqttQos.AT_LEAST_ONCE).send();
        c.disconnect();
        for (int i = 0; i < 3; i++) {
            assertEquals(200, api.post("/publish", "{\"topic\":\"mq/" + i + "\",\"payload\":\"m" + i + "\",\"qos\":1}").status());
        }
        JsonObject page = ok(api.get("/clients/mq-c1/mqueue_messages?limit=2")).getAsJsonObject();
        assertEquals(3, page.getAsJsonObject("meta").get("count").getAsInt());
        assertTrue(page.getAsJsonObject("meta").get("hasnext").getAsBoolean());
        JsonObject first = page.getAsJsonArray("data").get(0).getAsJsonObject();
        assertEquals("mq/0", first.get("topic").getAsString());
        assertEquals(1, first.get("qos").getAsInt());
        assertEquals(Base64.getEncoder().encodeToString("m0".getBytes(StandardCharsets.UTF_8)),
                first.get("payload").getAsString());
        assertEquals("m0", ok(api.get("/clients/mq-c1/mqueue_messages?payload=plain")).getAsJsonObject()
                .getAsJsonArray("data").get(0).getAsJsonObject().get("payload").getAsString());
        assertBadRequest(api.get("/clients/mq-c1/mqueue_messages?payload=hex"), "payload");
        assertEquals(404, api.get("/clients/nobody/mqueue_messages").status());
        assertEquals(204, api.delete("/clients/mq-c1").status());
    }

    @Test
    public void inflightMessagesAreThoseTheClientHasNotAcknowledged() throws Exception {
        try (Socket raw = new Socket("127.0.0.1", dist.mqttPort)) {
            raw.setSoTimeout(5000);
            OutputStream out = raw.getOutputStream();
            InputStream in = raw.getInputStream();
            // MQTT 3.1.1 CONNECT "inf-raw", clean session, keepalive 60; then SUBSCRIBE inf/# QoS 1.
            byte[] id = "inf-raw".getBytes(StandardCharsets.US_ASCII);
            out.write(new byte[] {0x10, (byte) (12 + id.length), 0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 60, 0, (byte) id.length});
            out.write(id);
            assertEquals(0x20, in.read());
            in.readNBytes(3);
            out.write(new byte[] {(byte) 0x82, 10, 0, 1, 0, 5, 'i', 'n', 'f', '/', '#', 1});
            assertEquals(0x90, in.read());
            in.readNBytes(4);
            for (int i = 0; i < 2; i++) {
                assertEquals(200, api.post("/publish", "{\"topic\":\"inf/" + i + "\",\"payload\":\"p\",\"qos\":1}").status());
            }
            await("two unacknowledged").atMost(FIVE_SECONDS).until(() ->
                    ok(api.get("/clients/inf-raw/inflight_messages")).getAsJsonObject()
                            .getAsJsonObject("meta").get("count").getAsInt() == 2);
            JsonObject first = ok(api.get("/clients/inf-raw/inflight_messages")).getAsJsonObject()
                    .getAsJsonArray("data").get(0).getAsJsonObject();
            assertEquals("inf/0", first.get("topic").getAsString());
            assertEquals(1, first.get("qos").getAsInt());
            assertEquals(1, ok(api.get("/clients/inf-raw")).getAsJsonObject().get("subscriptions_cnt").getAsInt());
        }
        assertEquals(404, api.get("/clients/nobody/inflight_messages").status());
    }

    // ---- subscriptions and topics

    @Test
    public void subscriptionsAndTopicsAreListedAndFiltered() throws Exception {
        Mqtt5BlockingClient a = connect5("subs-a", null);
        a.subscribeWith().topicFilter("subs/+/temp").qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt5BlockingClient b = connect5("subs-b", null);
        b.subscribeWith().topicFilter("$share/g1/subs/shared").qos(MqttQos.AT_MOST_ONCE).send();

        JsonArray byClient = ok(api.get("/subscriptions?clientid=subs-a")).getAsJsonObject().getAsJsonArray("data");
        assertEquals(1, byClient.size());
        JsonObject s = byClient.get(0).getAsJsonObject();
        assertEquals("subs/+/temp", s.get("topic").getAsString());
        assertEquals(1, s.get("qos").getAsInt());
        for (String f : List.of("nl", "rap", "rh", "node", "clientid")) {
            assertTrue(s.has(f));
        }
        assertEquals(List.of("subs-a"), subscribers("/subscriptions?match_topic=subs/kitchen/temp"));
        assertEquals(List.of("subs-b"), subscribers("/subscriptions?share_group=g1"));
        assertEquals(List.of("subs-a"), subscribers("/subscriptions?topic=subs/%2B/temp"));
        assertTrue(subscribers("/subscriptions?qos=0").contains("subs-b"));
        assertFalse(subscribers("/subscriptions?qos=0").contains("subs-a"));
        assertBadRequest(api.get("/subscriptions?qos=7"), "qos");
        assertBadRequest(api.get("/subscriptions?match_topic=a/%23"), "match_topic");

        JsonArray topics = ok(api.get("/topics?limit=1000")).getAsJsonObject().getAsJsonArray("data");
        List<String> names = new ArrayList<>();
        topics.forEach(t -> names.add(t.getAsJsonObject().get("topic").getAsString()));
        assertTrue(names.toString(), names.contains("subs/+/temp") && names.contains("subs/shared"));
        JsonArray one = ok(api.get("/topics/" + enc("subs/+/temp"))).getAsJsonArray();
        assertEquals("subs/+/temp", one.get(0).getAsJsonObject().get("topic").getAsString());
        AdminHttp.Reply missing = api.get("/topics/" + enc("no/such/topic"));
        assertEquals(404, missing.status());
        assertEquals("TOPIC_NOT_FOUND", missing.code());
    }

    // ---- retained and delayed

    @Test
    public void retainedMessagesAreListedShownAndDeleted() throws Exception {
        assertEquals(202, api.post("/publish", "{\"topic\":\"ret/lamp/1\",\"payload\":\"on\",\"retain\":true}").status());
        JsonArray data = ok(api.get("/mqtt/retainer/messages?limit=1000")).getAsJsonObject().getAsJsonArray("data");
        boolean listed = false;
        for (JsonElement e : data) {
            listed |= e.getAsJsonObject().get("topic").getAsString().equals("ret/lamp/1");
        }
        assertTrue(data.toString(), listed);
        JsonObject m = ok(api.get("/mqtt/retainer/message/" + enc("ret/lamp/1"))).getAsJsonObject();
        assertEquals("ret/lamp/1", m.get("topic").getAsString());
        assertEquals(Base64.getEncoder().encodeToString("on".getBytes(StandardCharsets.UTF_8)), m.get("payload").getAsString());
        assertTrue(m.has("msgid") && m.has("publish_at") && m.has("qos"));

        assertEquals(204, api.delete("/mqtt/retainer/message/" + enc("ret/lamp/1")).status());
        assertEquals(404, api.get("/mqtt/retainer/message/" + enc("ret/lamp/1")).status());
        assertEquals(404, api.delete("/mqtt/retainer/message/" + enc("ret/lamp/1")).status());
        assertBadRequest(api.get("/mqtt/retainer/message/" + enc("ret/+")), "wildcards");
        assertBadRequest(api.get("/mqtt/retainer/messages?page=x"), "page");
    }

    @Test
    public void delayedMessagesAreListedAndCanBeDroppedBeforeTheyAreDue() throws Exception {
        Mqtt5BlockingClient c = connect5("delay-c1", null);
        c.publishWith().topic("$delayed/600/delay/lamp").qos(MqttQos.AT_LEAST_ONCE)
                .payload("later".getBytes(StandardCharsets.UTF_8)).send();
        JsonObject d = await("held").atMost(FIVE_SECONDS).until(() -> delayed("delay/lamp"), Optional::isPresent)
                .orElseThrow();
        assertEquals(600, d.get("delayed_interval").getAsLong());
        assertTrue(d.get("delayed_remaining").getAsLong() > 590);
        assertEquals("delay-c1", d.get("from_clientid").getAsString());
        assertTrue(d.has("expected_at") && d.has("publish_at") && d.has("node"));

        assertEquals(204, api.delete("/mqtt/delayed/messages/" + d.get("msgid").getAsString()).status());
        assertTrue(delayed("delay/lamp").isEmpty());
        AdminHttp.Reply again = api.delete("/mqtt/delayed/messages/" + d.get("msgid").getAsString());
        assertEquals(404, again.status());
        assertBadRequest(api.get("/mqtt/delayed/messages?limit=0"), "limit");
    }

    // ---- statistics

    @Test
    public void statsMetricsNodesAndCurrentRatesDescribeTheNode() throws Exception {
        connect5("stats-c1", null);
        JsonObject stats = ok(api.get("/stats")).getAsJsonArray().get(0).getAsJsonObject();
        assertTrue(stats.get("connections.count").getAsLong() >= 1);
        for (String f : List.of("sessions.count", "subscriptions.count", "topics.count", "retained.count", "node")) {
            assertTrue("stats has " + f, stats.has(f));
        }
        assertTrue(ok(api.get("/stats?aggregate=true")).getAsJsonObject().has("connections.count"));
        assertBadRequest(api.get("/stats?aggregate=maybe"), "aggregate");
        JsonObject metrics = ok(api.get("/metrics")).getAsJsonArray().get(0).getAsJsonObject();
        assertTrue(metrics.has("messages.received") && metrics.has("messages.sent") && metrics.has("messages.dropped"));
        JsonObject node = ok(api.get("/nodes")).getAsJsonArray().get(0).getAsJsonObject();
        assertEquals("running", node.get("node_status").getAsString());
        assertTrue(node.has("version") && node.has("uptime") && node.has("memory_used"));
        JsonObject current = ok(api.get("/monitor_current")).getAsJsonObject();
        assertTrue(current.get("connections").getAsLong() >= 1);
        assertTrue(current.has("received_msg_rate") && current.has("sent_msg_rate") && current.has("dropped_msg_rate"));
    }

    // ---- security and errors

    @Test
    public void everyEndpointButStatusNeedsCredentials() throws Exception {
        AdminHttp anonymous = api.as(null);
        assertEquals(200, anonymous.get("/status").status());
        for (String path : List.of("/clients", "/clients/x", "/subscriptions", "/topics", "/stats", "/metrics",
                "/nodes", "/monitor_current", "/mqtt/retainer/messages", "/mqtt/delayed/messages", "/api_key")) {
            AdminHttp.Reply r = anonymous.get(path);
            assertEquals(path, 401, r.status());
            assertEquals(path, "AUTHORIZATION_HEADER_ERROR", r.code());
        }
        AdminHttp.Reply badSecret = api.as(AdminHttp.basic("no-such-key", "nope")).get("/clients");
        assertEquals(401, badSecret.status());
        assertEquals(401, anonymous.post("/publish", "{\"topic\":\"a\"}").status());
    }

    // ---- helpers

    private Mqtt5BlockingClient client5(String id) {
        return MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1")
                .serverPort(dist.mqttPort).buildBlocking();
    }

    private Mqtt5BlockingClient connect5(String id, String username) {
        Mqtt5BlockingClient c = client5(id);
        if (username == null) {
            c.connect();
        } else {
            c.connectWith().simpleAuth().username(username).applySimpleAuth().send();
        }
        clients.add(c::disconnect);
        return c;
    }

    private static JsonElement ok(AdminHttp.Reply r) {
        assertEquals(r.body(), 200, r.status());
        return r.json();
    }

    static void assertBadRequest(AdminHttp.Reply r, String mentions) {
        assertEquals(r.body(), 400, r.status());
        assertEquals(r.body(), "BAD_REQUEST", r.code());
        assertTrue(r.body(), r.message().contains(mentions));
    }

    private static List<String> ids(String path) throws Exception {
        List<String> out = new ArrayList<>();
        ok(api.get(path)).getAsJsonObject().getAsJsonArray("data")
                .forEach(e -> out.add(e.getAsJsonObject().get("clientid").getAsString()));
        out.sort(null);
        return out;
    }

    private static List<String> subscribers(String path) throws Exception {
        List<String> out = new ArrayList<>();
        ok(api.get(path)).getAsJsonObject().getAsJsonArray("data").forEach(e -> {
            String id = e.getAsJsonObject().get("clientid").getAsString();
            if (id.startsWith("subs-")) {
                out.add(id);
            }
        });
        return out;
    }

    private static Optional<JsonObject> delayed(String topic) throws Exception {
        for (JsonElement e : ok(api.get("/mqtt/delayed/messages")).getAsJsonObject().getAsJsonArray("data")) {
            if (e.getAsJsonObject().get("topic").getAsString().equals(topic)) {
                return Optional.of(e.getAsJsonObject());
            }
        }
        return Optional.empty();
    }

    private static String enc(String topic) {
        return URLEncoder.encode(topic, StandardCharsets.UTF_8).replace("+", "%2B");
    }
}

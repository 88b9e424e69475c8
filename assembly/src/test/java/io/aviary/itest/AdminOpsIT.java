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
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import org.junit.After;
import org.junit.Test;

/**
 * The operations endpoints of the admin API against the real distribution: bans that a real
 * MQTT client runs into (CONNACK 0x8A) and that lifting lets it in again, and listeners an
 * operator stops (dropping connected clients, refusing new ones) and starts again.
 */
public class AdminOpsIT {

    private Distribution dist;

    @After
    public void stop() throws Exception {
        if (dist != null) {
            dist.close();
        }
    }

    private Mqtt5BlockingClient client(String id) {
        return MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1")
                .serverPort(dist.mqttPort).buildBlocking();
    }

    @Test
    public void aBannedClientIsRefusedWith0x8AUntilTheBanIsLifted() throws Exception {
        dist = new Distribution().start().awaitApi();
        AdminHttp admin = new AdminHttp(dist.adminPort, AdminHttp.ADMIN);

        AdminHttp.Reply created = admin.post("/banned",
                "{\"as\":\"clientid\",\"who\":\"bad-device\",\"reason\":\"abuse\",\"until\":\"2099-01-01T00:00:00Z\"}");
        assertEquals(created.body(), 200, created.status());
        JsonObject ban = created.json().getAsJsonObject();
        assertEquals("clientid", ban.get("as").getAsString());
        assertEquals("abuse", ban.get("reason").getAsString());
        assertTrue(ban.get("until").getAsString(), ban.get("until").getAsString().startsWith("2099-01-01T00:00:00"));

        Mqtt5ConnAckException refused = assertThrows(Mqtt5ConnAckException.class, () -> client("bad-device").connect());
        assertEquals(Mqtt5ConnAckReasonCode.BANNED, refused.getMqttMessage().getReasonCode());

        AdminHttp.Reply list = admin.get("/banned");
        assertEquals(200, list.status());
        JsonObject page = list.json().getAsJsonObject();
        assertEquals(1, page.getAsJsonObject("meta").get("count").getAsInt());
        JsonObject listed = page.getAsJsonArray("data").get(0).getAsJsonObject();
        assertEquals("bad-device", listed.get("who").getAsString());
        for (String field : new String[] {"as", "who", "by", "reason", "at", "until"}) {
            assertTrue(field, listed.has(field));
        }

        AdminHttp.Reply again = admin.post("/banned", "{\"as\":\"clientid\",\"who\":\"bad-device\"}");
        assertEquals(400, again.status());
        assertEquals("ALREADY_EXISTS", again.code());
        assertTrue("EMQX puts the existing ban in the message: " + again.body(),
                again.json().getAsJsonObject().get("message").getAsString().contains("\"reason\":\"abuse\""));

        assertEquals(204, admin.delete("/banned/clientid/bad-device").status());
        Mqtt5BlockingClient allowed = client("bad-device");
        allowed.connect();
        allowed.disconnect();
        AdminHttp.Reply missing = admin.delete("/banned/clientid/bad-device");
        assertEquals(404, missing.status());
        assertEquals("NOT_FOUND", missing.code());
    }

    @Test
    public void bansFollowEmqxShapesForeverByDefaultPatternsFiltersKickAndClear() throws Exception {
        dist = new Distribution().start().awaitApi();
        AdminHttp admin = new AdminHttp(dist.adminPort, AdminHttp.ADMIN);
        Mqtt5BlockingClient online = client("kicked-by-ban");
        online.connect();

        AdminHttp.Reply forever = admin.post("/banned", "{\"as\":\"clientid\",\"who\":\"kicked-by-ban\"}");
        assertEquals(forever.body(), 200, forever.status());
        assertEquals("no until means for ever, as in EMQX", "infinity",
                forever.json().getAsJsonObject().get("until").getAsString());
        await().atMost(Duration.ofSeconds(10)).until(() -> online.getState() != MqttClientState.CONNECTED);

        AdminHttp.Reply pattern = admin.post("/banned",
                "{\"as\":\"clientid_re\",\"who\":\"^rogue-\\\\d+$\",\"until\":4102444800}");
        assertEquals(pattern.body(), 200, pattern.status());
        assertTrue(pattern.body(), pattern.json().getAsJsonObject().get("until").getAsString().startsWith("2100-01-01"));
        Mqtt5ConnAckException refused = assertThrows(Mqtt5ConnAckException.class, () -> client("rogue-17").connect());
        assertEquals(Mqtt5ConnAckReasonCode.BANNED, refused.getMqttMessage().getReasonCode());
        client("rogue-x").connect(); // the expression does not match it
        assertBadRequest(admin.post("/banned", "{\"as\":\"username_re\",\"who\":\"(unclosed\"}"), "'who'");
        assertEquals(200, admin.post("/banned", "{\"as\":\"peerhost_net\",\"who\":\"10.9.0.0/16\"}").status());

        assertEquals(1, count(admin.get("/banned?clientid=kicked-by-ban")));
        assertEquals(1, count(admin.get("/banned?like_clientid=rogue")));
        assertEquals(1, count(admin.get("/banned?like_peerhost_net=10%5C.9")));
        assertEquals(0, count(admin.get("/banned?username=kicked-by-ban")));
        assertBadRequest(admin.get("/banned?clientid=a&username=b"), "too_many_filters");
        assertBadRequest(admin.get("/banned?like_clientid=%28"), "'like_clientid'");

        assertEquals(204, admin.delete("/banned").status());
        assertEquals(0, count(admin.get("/banned")));
        client("rogue-17").connect();
    }

    private static int count(AdminHttp.Reply reply) {
        assertEquals(reply.body(), 200, reply.status());
        return reply.json().getAsJsonObject().getAsJsonObject("meta").get("count").getAsInt();
    }

    @Test
    public void aBannedAddressBlockRefusesClientsFromIt() throws Exception {
        dist = new Distribution().start().awaitApi();
        AdminHttp admin = new AdminHttp(dist.adminPort, AdminHttp.ADMIN);
        assertEquals(200, admin.post("/banned", "{\"as\":\"peerhost\",\"who\":\"127.0.0.0/8\"}").status());
        Mqtt5ConnAckException refused = assertThrows(Mqtt5ConnAckException.class, () -> client("anyone").connect());
        assertEquals(Mqtt5ConnAckReasonCode.BANNED, refused.getMqttMessage().getReasonCode());
        assertEquals(204, admin.delete("/banned/peerhost/127.0.0.0%2F8").status());
        client("anyone").connect();
    }

    @Test
    public void badBansAreRefusedNamingTheField() throws Exception {
        dist = new Distribution().start().awaitApi();
        AdminHttp admin = new AdminHttp(dist.adminPort, AdminHttp.ADMIN);
        assertBadRequest(admin.post("/banned", "{\"as\":\"hostname\",\"who\":\"x\"}"), "'as'");
        assertBadRequest(admin.post("/banned", "{\"as\":\"peerhost\",\"who\":\"10.0.0.0/33\"}"), "'who'");
        assertBadRequest(admin.post("/banned", "{\"as\":\"peerhost\",\"who\":\"not-an-address\"}"), "'who'");
        assertBadRequest(admin.post("/banned",
                "{\"as\":\"clientid\",\"who\":\"x\",\"until\":\"2001-01-01T00:00:00Z\"}"), "'until'");
        assertBadRequest(admin.post("/banned", "{\"as\":\"clientid\"}"), "'who'");
        assertBadRequest(admin.delete("/banned/nickname/x"), "'as'");

        assertEquals(401, new AdminHttp(dist.adminPort, null).get("/banned").status());
        AdminHttp.Reply key = admin.post("/api_key", "{\"name\":\"ops-viewer\",\"role\":\"viewer\"}");
        JsonObject k = key.json().getAsJsonObject();
        AdminHttp viewer = admin.as(AdminHttp.basic(k.get("api_key").getAsString(), k.get("api_secret").getAsString()));
        assertEquals(200, viewer.get("/banned").status());
        assertEquals(200, viewer.get("/listeners").status());
        assertEquals(403, viewer.post("/banned", "{\"as\":\"clientid\",\"who\":\"x\"}").status());
        assertEquals(403, viewer.delete("/banned/clientid/x").status());
        assertEquals(403, viewer.post("/listeners/tcp:default/stop", "").status());
    }

    @Test
    public void aStoppedListenerDropsItsClientsAndRefusesNewOnesUntilStarted() throws Exception {
        dist = new Distribution().start().awaitApi();
        AdminHttp admin = new AdminHttp(dist.adminPort, AdminHttp.ADMIN);
        Mqtt5BlockingClient connected = client("on-tcp");
        connected.connect();

        JsonObject tcp = listener(admin.get("/listeners"), "tcp:default");
        assertEquals("tcp", tcp.get("type").getAsString());
        assertTrue(tcp.get("running").getAsBoolean());
        assertEquals(1, tcp.get("current_connections").getAsInt());
        assertTrue(tcp.get("bind").getAsString(), tcp.get("bind").getAsString().endsWith(":" + dist.mqttPort));
        assertTrue(tcp.has("max_connections"));

        AdminHttp.Reply stopped = admin.post("/listeners/tcp:default/stop", "");
        assertEquals(stopped.body(), 200, stopped.status());
        assertFalse(stopped.json().getAsJsonObject().get("running").getAsBoolean());
        await("client dropped").atMost(Duration.ofSeconds(10))
                .until(() -> connected.getState() == MqttClientState.DISCONNECTED);
        assertThrows(IOException.class, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", dist.mqttPort), 2000);
            }
        });
        assertFalse(listener(admin.get("/listeners"), "tcp:default").get("running").getAsBoolean());

        assertEquals(200, admin.post("/listeners/tcp:default/start", "").status());
        Mqtt5BlockingClient back = client("on-tcp-again");
        back.connect();
        assertEquals(200, admin.post("/listeners/tcp:default/restart", "").status());
        await("restart drops clients").atMost(Duration.ofSeconds(10))
                .until(() -> back.getState() == MqttClientState.DISCONNECTED);
        client("after-restart").connect();

        AdminHttp.Reply unknown = admin.post("/listeners/tcp:nope/stop", "");
        assertEquals(404, unknown.status());
        assertEquals("NOT_FOUND", unknown.code());
        assertEquals(404, admin.get("/listeners/quic:default").status());
    }

    @Test
    public void aHeapAboveTheWatermarkRaisesAnAlarmThatTheApiLists() throws Exception {
        dist = new Distribution().start("--set", "sysmon.vm.heap_high_watermark=0.1%",
                "--set", "sysmon.vm.heap_check_interval=200ms").awaitApi();
        AdminHttp admin = new AdminHttp(dist.adminPort, AdminHttp.ADMIN);
        await("heap alarm raised").atMost(Duration.ofSeconds(15)).until(() ->
                admin.get("/alarms?activated=true").body().contains("high_process_memory_usage"));
        JsonObject alarm = admin.get("/alarms?activated=true").json().getAsJsonObject()
                .getAsJsonArray("data").get(0).getAsJsonObject();
        assertEquals("high_process_memory_usage", alarm.get("name").getAsString());
        assertTrue(alarm.get("activated").getAsBoolean());
        assertTrue(alarm.toString(), alarm.getAsJsonObject("details").has("max_bytes"));
        assertTrue(alarm.toString(), alarm.get("message").getAsString().contains("heap"));
        assertEquals(0, admin.get("/alarms?activated=false").json().getAsJsonObject()
                .getAsJsonObject("meta").get("count").getAsInt());
        assertEquals(204, admin.delete("/alarms").status());
        assertEquals("deleting clears only deactivated alarms", 1, admin.get("/alarms?activated=true").json()
                .getAsJsonObject().getAsJsonObject("meta").get("count").getAsInt());
        assertBadRequest(admin.get("/alarms?activated=maybe"), "'activated'");
    }

    @Test
    public void aFullSessionDiskQuotaIsListedAsAnAlarm() throws Exception {
        dist = new Distribution().start("--set", "durable_sessions.session_disk_quota=1KB").awaitApi();
        AdminHttp admin = new AdminHttp(dist.adminPort, AdminHttp.ADMIN);
        Mqtt5BlockingClient offline = client("offline-sub");
        offline.connectWith().cleanStart(false).sessionExpiryInterval(3600).send();
        offline.subscribeWith().topicFilter("quota/#").qos(MqttQos.AT_LEAST_ONCE).send();
        offline.disconnect();
        Mqtt5BlockingClient publisher = client("quota-pub");
        publisher.connect();
        for (int i = 0; i < 5; i++) {
            try {
                publisher.publishWith().topic("quota/a").qos(MqttQos.AT_LEAST_ONCE).payload(new byte[400]).send();
            } catch (RuntimeException refusedWith0x97) {
                // the quota refuses the publishes beyond it; the alarm is what this test is about
            }
        }
        await("quota alarm listed").atMost(Duration.ofSeconds(10)).until(() ->
                admin.get("/alarms?activated=true").body().contains("session_disk_quota_reached"));
        assertTrue(dist.console(), dist.console().contains("alarm: session disk quota"));
    }

    private static JsonObject listener(AdminHttp.Reply reply, String id) {
        assertEquals(reply.body(), 200, reply.status());
        JsonArray all = reply.json().getAsJsonArray();
        for (JsonElement e : all) {
            if (e.getAsJsonObject().get("id").getAsString().equals(id)) {
                return e.getAsJsonObject();
            }
        }
        throw new AssertionError(id + " not in " + reply.body());
    }

    private static void assertBadRequest(AdminHttp.Reply reply, String field) {
        assertEquals(reply.body(), 400, reply.status());
        assertTrue(reply.body(), reply.message().contains(field));
    }
}

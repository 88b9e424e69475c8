package io.aviary.itest;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The MQTT bridge (plugins-bridge/bridge-mqtt) end to end in the assembled distribution, against
 * real Mosquitto brokers: the one scripts/services.sh runs, and for the outage a Mosquitto of the
 * test's own that it stops and starts. Real MQTT clients on both sides (HiveMQ's on Aviary, Paho
 * on Mosquitto); connectors, actions, sources and rules through the admin API in EMQX 5's shapes.
 */
public class MqttBridgeIT {
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
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    // ---- helpers

    private static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }

    private static JsonObject created(String path, String json) throws Exception {
        AdminHttp.Reply r = api.post(path, json);
        assertEquals(r.body(), 201, r.status());
        return r.json().getAsJsonObject();
    }

    private static JsonObject metrics(String kind, String id) throws Exception {
        AdminHttp.Reply r = api.get("/" + kind + "/" + id + "/metrics");
        assertEquals(r.body(), 200, r.status());
        return r.json().getAsJsonObject().getAsJsonObject("metrics");
    }

    private static String status(String kind, String id) throws Exception {
        return api.get("/" + kind + "/" + id).json().getAsJsonObject().get("status").getAsString();
    }

    private static void awaitStatus(String kind, String id, String status) {
        await(id + " " + status).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> status(kind, id).equals(status));
    }

    private static void connector(String name, String server, String protoVer) throws Exception {
        created("/connectors", """
                {"type": "mqtt", "name": "%s", "server": "%s", "proto_ver": "%s", "pool_size": 2,
                 "resource_opts": {"health_check_interval": "1s"}}""".formatted(name, server, protoVer));
        awaitStatus("connectors", "mqtt:" + name, "connected");
    }

    private Mqtt5BlockingClient aviaryClient(String id) {
        Mqtt5BlockingClient c = MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1")
                .serverPort(dist.mqttPort).buildBlocking();
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

    /** A subscriber on Aviary whose messages queue up as "topic payload". */
    private BlockingQueue<String> aviarySubscriber(String id, String filter) {
        Mqtt5BlockingClient c = aviaryClient(id);
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        c.toAsync().subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE)
                .callback((Mqtt5Publish p) -> got.add(p.getTopic() + " " + new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)))
                .send().join();
        return got;
    }

    /** A Paho client on a Mosquitto: subscribes (cleanSession as given) and queues "topic payload". */
    private static final class RemoteClient implements AutoCloseable {
        final BlockingQueue<String> got = new LinkedBlockingQueue<>();
        final org.eclipse.paho.client.mqttv3.MqttClient client;
        private final MqttConnectOptions options = new MqttConnectOptions();

        RemoteClient(int port, String id, boolean cleanSession) throws Exception {
            client = new org.eclipse.paho.client.mqttv3.MqttClient("tcp://127.0.0.1:" + port, id, new MemoryPersistence());
            options.setCleanSession(cleanSession);
            client.setCallback(new MqttCallback() {
                @Override
                public void connectionLost(Throwable cause) {
                }

                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    got.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8));
                }

                @Override
                public void deliveryComplete(IMqttDeliveryToken token) {
                }
            });
        }

        RemoteClient connect() throws Exception {
            client.connect(options);
            return this;
        }

        RemoteClient subscribe(String filter) throws Exception {
            client.subscribe(filter, 1);
            return this;
        }

        void publish(String topic, String payload) throws Exception {
            client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false);
        }

        @Override
        public void close() throws Exception {
            try {
                if (client.isConnected()) {
                    client.disconnect();
                }
            } catch (org.eclipse.paho.client.mqttv3.MqttException gone) {
                // the remote broker went away under it (the outage tests stop it): nothing to say goodbye to
            }
            client.close(true);
        }
    }

    private RemoteClient remote(int port, boolean cleanSession) throws Exception {
        RemoteClient c = new RemoteClient(port, unique("remote-"), cleanSession);
        closing.add(c);
        return c;
    }

    private static JsonObject plugin(String name) throws Exception {
        for (JsonElement e : api.get("/plugins").json().getAsJsonArray()) {
            JsonObject p = e.getAsJsonObject();
            if (name.equals(p.get("name").getAsString())) {
                return p;
            }
        }
        return null;
    }

    // ---- tests

    @Test
    public void bridgePluginIsShippedAsABridgeKindPlugin() throws Exception {
        JsonObject p = plugin("bridge-mqtt");
        assertNotNull("bridge-mqtt in /plugins", p);
        assertEquals("bridge", p.get("kind").getAsString());
    }

    @Test
    public void messagePublishedToAviaryReachesASubscriberOnTheRemoteBrokerThroughARuleAndAnMqttAction() throws Exception {
        String n = unique("eg");
        int mosquitto = MosquittoPeer.sharedPort();
        RemoteClient sub = remote(mosquitto, true).connect().subscribe("fwd/" + n + "/#");
        connector(n, "127.0.0.1:" + mosquitto, "v5");
        created("/actions", """
                {"type": "mqtt", "name": "%s", "connector": "%s",
                 "parameters": {"topic": "fwd/${topic}", "qos": 1, "payload": "${payload}"}}""".formatted(n, n));
        created("/rules", """
                {"id": "%s", "sql": "SELECT * FROM \\"%s/#\\"", "actions": ["mqtt:%s"]}""".formatted(n, n, n));

        publish(aviaryClient(unique("dev-")), n + "/temp", "{\"t\":21}");

        assertEquals("fwd/" + n + "/temp {\"t\":21}", sub.got.poll(15, TimeUnit.SECONDS));
        await().atMost(Duration.ofSeconds(10)).until(() -> metrics("actions", "mqtt:" + n).get("success").getAsLong() == 1);
        assertEquals(0, metrics("actions", "mqtt:" + n).get("failed").getAsLong());
    }

    @Test
    public void messagePublishedOnTheRemoteBrokerReachesASubscriberOnAviaryThroughASourceAndARepublishRule() throws Exception {
        String n = unique("in");
        int mosquitto = MosquittoPeer.sharedPort();
        connector(n, "127.0.0.1:" + mosquitto, "v4");
        created("/sources", """
                {"type": "mqtt", "name": "%s", "connector": "%s", "parameters": {"topic": "%s/#", "qos": 1}}"""
                .formatted(n, n, n));
        awaitStatus("sources", "mqtt:" + n, "connected");
        created("/rules", """
                {"id": "%s", "sql": "SELECT * FROM \\"$bridges/mqtt:%s\\"",
                 "actions": [{"function": "republish", "args": {"topic": "local/${topic}", "payload": "${payload}", "qos": 1}}]}"""
                .formatted(n, n));
        BlockingQueue<String> local = aviarySubscriber(unique("app-"), "local/" + n + "/#");

        remote(mosquitto, true).connect().publish(n + "/cmd", "open valve");

        assertEquals("local/" + n + "/cmd open valve", local.poll(15, TimeUnit.SECONDS));
        await("the source counts it").atMost(Duration.ofSeconds(10))
                .until(() -> metrics("sources", "mqtt:" + n).get("received").getAsLong() == 1);
    }

    @Test
    public void bridgingBothWaysOnOneTopicDeliversEachMessageExactlyOnceOnBothSides() throws Exception {
        String n = unique("loop");
        String topic = n + "/t";
        int mosquitto = MosquittoPeer.sharedPort();
        connector(n, "127.0.0.1:" + mosquitto, "v5");
        created("/actions", """
                {"type": "mqtt", "name": "%s", "connector": "%s",
                 "parameters": {"topic": "${topic}", "qos": 1, "payload": "${payload}"}}""".formatted(n, n));
        created("/sources", """
                {"type": "mqtt", "name": "%s", "connector": "%s", "parameters": {"topic": "%s", "qos": 1}}"""
                .formatted(n, n, topic));
        awaitStatus("sources", "mqtt:" + n, "connected");
        created("/rules", """
                {"id": "%s-out", "sql": "SELECT * FROM \\"%s\\"", "actions": ["mqtt:%s"]}""".formatted(n, topic, n));
        created("/rules", """
                {"id": "%s-in", "sql": "SELECT * FROM \\"$bridges/mqtt:%s\\"",
                 "actions": [{"function": "republish", "args": {"topic": "${topic}", "payload": "${payload}", "qos": 1}}]}"""
                .formatted(n, n));
        BlockingQueue<String> onAviary = aviarySubscriber(unique("a-"), topic);
        RemoteClient onMosquitto = remote(mosquitto, true).connect().subscribe(topic);
        Mqtt5BlockingClient device = aviaryClient(unique("d-"));
        RemoteClient remoteDevice = remote(mosquitto, true).connect();

        publish(device, topic, "from-aviary");
        remoteDevice.publish(topic, "from-mosquitto");
        // sentinels from both sides once the first messages crossed: when all four are seen on both
        // sides, a loop would have shown as a second copy
        List<String> a = new ArrayList<>();
        List<String> m = new ArrayList<>();
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            onAviary.drainTo(a);
            onMosquitto.got.drainTo(m);
            return a.size() >= 2 && m.size() >= 2;
        });
        publish(device, topic, "sentinel-aviary");
        remoteDevice.publish(topic, "sentinel-mosquitto");
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            onAviary.drainTo(a);
            onMosquitto.got.drainTo(m);
            return a.size() >= 4 && m.size() >= 4;
        });
        // anything looping would keep arriving: nothing more may come for the time of many round trips
        await("no further copies").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                .until(() -> onAviary.isEmpty() && onMosquitto.got.isEmpty());
        assertEquals("Aviary's subscriber: " + a, 4, a.size());
        assertEquals("Mosquitto's subscriber: " + m, 4, m.size());
        for (String p : List.of("from-aviary", "from-mosquitto", "sentinel-aviary", "sentinel-mosquitto")) {
            assertEquals(p + " once on Aviary: " + a, 1, a.stream().filter(s -> s.endsWith(" " + p)).count());
        }
        for (String p : List.of("from-aviary", "from-mosquitto", "sentinel-aviary", "sentinel-mosquitto")) {
            assertEquals(p + " once on Mosquitto: " + m, 1, m.stream().filter(s -> s.endsWith(" " + p)).count());
        }
    }

    @Test
    public void messagesPublishedWhileTheRemoteBrokerIsDownAllArriveAfterItComesBackAndRetriesAreCounted() throws Exception {
        String n = unique("out");
        int count = 20;
        try (MosquittoPeer peer = MosquittoPeer.own().start()) {
            // a persistent subscriber on the peer: its session (and what is queued for it) outlives the peer's restart
            String subscriberId = unique("keeper-");
            RemoteClient keeper = new RemoteClient(peer.port, subscriberId, false).connect().subscribe(n + "/#");
            keeper.close();
            created("/connectors", """
                    {"type": "mqtt", "name": "%s", "server": "%s", "proto_ver": "v4",
                     "resource_opts": {"health_check_interval": "1s"}}""".formatted(n, peer.server()));
            awaitStatus("connectors", "mqtt:" + n, "connected");
            created("/actions", """
                    {"type": "mqtt", "name": "%s", "connector": "%s",
                     "parameters": {"topic": "${topic}", "qos": 1, "payload": "${payload}"},
                     "resource_opts": {"health_check_interval": "1s", "request_ttl": "120s"}}""".formatted(n, n));
            created("/rules", """
                    {"id": "%s", "sql": "SELECT * FROM \\"%s/#\\"", "actions": ["mqtt:%s"]}""".formatted(n, n, n));

            peer.stop();
            Mqtt5BlockingClient device = aviaryClient(unique("dev-"));
            for (int i = 0; i < count; i++) {
                publish(device, n + "/m", String.valueOf(i));
            }
            awaitStatus("connectors", "mqtt:" + n, "disconnected");
            String reason = api.get("/connectors/mqtt:" + n).json().getAsJsonObject().get("status_reason").getAsString();
            assertTrue(reason, reason.contains("refused") || reason.contains("lost"));
            await().atMost(Duration.ofSeconds(10)).until(() -> metrics("actions", "mqtt:" + n).get("matched").getAsLong() == count);
            assertEquals("nothing written while the peer is down", 0, metrics("actions", "mqtt:" + n).get("success").getAsLong());

            peer.start();
            awaitStatus("connectors", "mqtt:" + n, "connected");
            await("all delivered").atMost(Duration.ofSeconds(60))
                    .until(() -> metrics("actions", "mqtt:" + n).get("success").getAsLong() == count);
            JsonObject m = metrics("actions", "mqtt:" + n);
            assertTrue("retries counted: " + m, m.get("retried").getAsLong() > 0);
            assertEquals(0, m.get("failed").getAsLong());
            assertEquals(0, m.get("dropped").getAsLong());

            RemoteClient back = new RemoteClient(peer.port, subscriberId, false);
            closing.add(back);
            back.connect();
            List<String> got = new ArrayList<>();
            await().atMost(Duration.ofSeconds(15)).until(() -> {
                back.got.drainTo(got);
                return got.stream().distinct().count() == count;
            });
            for (int i = 0; i < count; i++) {
                assertTrue("message " + i + " arrived: " + got, got.contains(n + "/m " + i));
            }
        }
    }

    @Test
    public void messagesBufferedDuringAnOutageSurviveARestartOfAviaryAndArriveAfterIt() throws Exception {
        int count = 30;
        try (MosquittoPeer peer = MosquittoPeer.own().start(); Distribution own = new Distribution().start().awaitApi()) {
            AdminHttp http = new AdminHttp(own.adminPort, AdminHttp.ADMIN);
            String subscriberId = unique("keeper-");
            new RemoteClient(peer.port, subscriberId, false).connect().subscribe("kept/#").close();
            assertEquals(201, http.post("/connectors", """
                    {"type": "mqtt", "name": "kept", "server": "%s", "resource_opts": {"health_check_interval": "1s"}}"""
                    .formatted(peer.server())).status());
            assertEquals(201, http.post("/actions", """
                    {"type": "mqtt", "name": "kept", "connector": "kept",
                     "parameters": {"topic": "${topic}", "qos": 1, "payload": "${payload}"},
                     "resource_opts": {"request_ttl": "infinity", "batch_size": 5}}""").status());
            assertEquals(201, http.post("/rules", """
                    {"id": "kept", "sql": "SELECT * FROM \\"kept/#\\"", "actions": ["mqtt:kept"]}""").status());
            peer.stop();
            Mqtt5BlockingClient dev = MqttClient.builder().useMqttVersion5().identifier("kept-dev").serverHost("127.0.0.1")
                    .serverPort(own.mqttPort).buildBlocking();
            dev.connect();
            for (int i = 0; i < count; i++) {
                publish(dev, "kept/x", String.valueOf(i));
            }
            await("all buffered").atMost(Duration.ofSeconds(15)).until(() -> http.get("/actions/mqtt:kept/metrics").json()
                    .getAsJsonObject().getAsJsonObject("metrics").get("matched").getAsLong() == count);
            dev.disconnect();
            own.stop(Duration.ofSeconds(30));

            peer.start();
            own.start().awaitApi();
            RemoteClient back = new RemoteClient(peer.port, subscriberId, false);
            closing.add(back);
            List<String> got = new ArrayList<>();
            await("every message buffered before the restart arrives").atMost(Duration.ofSeconds(60)).until(() -> {
                if (!back.client.isConnected()) {
                    back.connect();
                }
                back.got.drainTo(got);
                return got.stream().distinct().count() == count;
            });
            for (int i = 0; i < count; i++) {
                assertTrue("message " + i + ": " + got, got.contains("kept/x " + i));
            }
        }
    }

    @Test
    public void wrongPortLeavesTheConnectorDisconnectedWithTheRealErrorAndTheProbeReturnsIt() throws Exception {
        String n = unique("bad");
        int closed = Distribution.freePort();
        String body = """
                {"type": "mqtt", "name": "%s", "server": "127.0.0.1:%d", "resource_opts": {"health_check_interval": "1s"}}"""
                .formatted(n, closed);
        AdminHttp.Reply probe = api.post("/connectors_probe", body);
        assertEquals(probe.body(), 400, probe.status());
        assertEquals("TEST_FAILED", probe.code());
        assertTrue(probe.message(), probe.message().contains("Connection refused"));

        created("/connectors", body);
        awaitStatus("connectors", "mqtt:" + n, "disconnected");
        String reason = api.get("/connectors/mqtt:" + n).json().getAsJsonObject().get("status_reason").getAsString();
        assertTrue(reason, reason.contains("Connection refused"));

        // what a rule hands the action meanwhile is tried, counted as retried, and expires after
        // request_ttl, counted; nothing else is disturbed
        created("/actions", """
                {"type": "mqtt", "name": "%s", "connector": "%s", "parameters": {"topic": "${topic}"},
                 "resource_opts": {"request_ttl": "2s"}}""".formatted(n, n));
        created("/rules", """
                {"id": "%s", "sql": "SELECT * FROM \\"%s/#\\"", "actions": ["mqtt:%s"]}""".formatted(n, n, n));
        publish(aviaryClient(unique("dev-")), n + "/x", "lost cause");
        await("failures counted, then expired").atMost(Duration.ofSeconds(30))
                .until(() -> metrics("actions", "mqtt:" + n).get("dropped.expired").getAsLong() == 1);
        JsonObject m = metrics("actions", "mqtt:" + n);
        assertTrue(m.toString(), m.get("retried").getAsLong() > 0);
        assertEquals(0, m.get("success").getAsLong());
        assertTrue(m.toString(), m.get("last_error").getAsString().contains("Connection refused"));
        assertFalse(status("connectors", "mqtt:" + n).equals("connected"));
    }
}

package io.aviary.bridge.mqtt;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.aviary.api.integration.Health;
import io.aviary.api.integration.Source;
import io.aviary.api.message.Message;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.After;
import org.junit.Test;

/** Ingress against the real Mosquitto: what its devices publish reaches the source's context, acknowledged only after. */
public class MqttSourceTest {
    private final List<AutoCloseable> open = new ArrayList<>();

    @After
    public void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private MqttConnector connector(String name, Map<String, Object> config) {
        MqttConnector c = new MqttConnector(TestContexts.connector("acme", "mqtt:" + name), ConnectorSettings.from(config),
                new LoopGuard());
        open.add(c);
        return c;
    }

    private Source source(MqttConnector c, String name, Map<String, Object> params, TestContexts.RecordingSource ctx) {
        Source s = c.source("mqtt:" + name, params, ctx);
        open.add(s);
        await("source subscribed").atMost(Duration.ofSeconds(10)).until(() -> s.health().status() == Health.Status.CONNECTED);
        return s;
    }

    private static String name(String prefix) {
        return Peers.unique(prefix).replace("/", "-");
    }

    @Test
    public void messagePublishedOnTheRemoteBrokerReachesTheSourceWithEmqxColumns() throws Exception {
        String topic = Peers.unique("ingress311");
        MqttConnector c = connector(name("in"), MqttSinkTest.config(Peers.server(), "v4"));
        TestContexts.RecordingSource ctx = new TestContexts.RecordingSource("mqtt:in");
        source(c, name("s"), Map.of("topic", topic + "/#", "qos", 1), ctx);
        Peers.publish(Peers.mosquittoPort(), topic + "/a", "{\"t\":21.5}", 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> ctx.deliveries.size() == 1);
        Map<String, Object> cols = ctx.deliveries.get(0).columns();
        assertEquals(topic + "/a", cols.get("topic"));
        assertEquals("{\"t\":21.5}", cols.get("payload"));
        assertEquals(1L, cols.get("qos"));
        assertEquals(false, cols.get("retain"));
        assertEquals(false, cols.get("dup"));
        assertEquals(Peers.server(), cols.get("server"));
        assertTrue(cols.get("message_received_at") instanceof Long);
        assertEquals(32, String.valueOf(cols.get("id")).length());
        assertNull("rules only: no local topic", ctx.deliveries.get(0).local());
    }

    @Test
    public void mqtt5UserPropertiesArriveInPubProps() throws Exception {
        String topic = Peers.unique("ingress5");
        MqttConnector c = connector(name("in5"), MqttSinkTest.config(Peers.server(), "v5"));
        TestContexts.RecordingSource ctx = new TestContexts.RecordingSource("mqtt:in5");
        source(c, name("s5"), Map.of("topic", topic, "qos", 1), ctx);
        MqttClient device = new MqttClient("tcp://" + Peers.server(), name("dev"), null);
        try {
            device.connect();
            MqttProperties props = new MqttProperties();
            props.setUserProperties(List.of(new UserProperty("site", "berlin")));
            props.setContentType("application/json");
            device.publish(topic, new MqttMessage("{}".getBytes(StandardCharsets.UTF_8), 1, false, props));
            device.disconnect();
        } finally {
            device.close();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> ctx.deliveries.size() == 1);
        @SuppressWarnings("unchecked")
        Map<String, Object> pubProps = (Map<String, Object>) ctx.deliveries.get(0).columns().get("pub_props");
        assertEquals(Map.of("site", "berlin"), pubProps.get("User-Property"));
        assertEquals("application/json", pubProps.get("Content-Type"));
    }

    @Test
    public void unacknowledgedMessageIsSentAgainByTheRemoteBrokerAfterTheSourceStops() throws Exception {
        // clean_start=false: the remote broker keeps the session, and with it every message not acknowledged
        String topic = Peers.unique("ack");
        String connectorName = name("ack");
        Map<String, Object> cfg = MqttSinkTest.config(Peers.server(), "v4");
        cfg.put("clean_start", false);
        MqttConnector c = connector(connectorName, cfg);
        TestContexts.RecordingSource held = new TestContexts.RecordingSource("mqtt:held");
        held.answer = d -> new CompletableFuture<>(); // the local hand-over never completes
        MqttSource first = (MqttSource) source(c, "held", Map.of("topic", topic, "qos", 1), held);
        Peers.publish(Peers.mosquittoPort(), topic, "keep me", 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> held.deliveries.size() == 1);
        assertEquals("not acknowledged while the hand-over is pending", 1, first.unacknowledged());
        first.close();

        TestContexts.RecordingSource again = new TestContexts.RecordingSource("mqtt:held");
        MqttSource second = (MqttSource) source(c, "held", Map.of("topic", topic, "qos", 1), again);
        await("the remote broker sends it again").atMost(Duration.ofSeconds(10)).until(() -> again.deliveries.size() == 1);
        assertEquals("keep me", again.deliveries.get(0).columns().get("payload"));
        await().atMost(Duration.ofSeconds(5)).until(() -> second.unacknowledged() == 0);
        second.close();

        // acknowledged this time: a third start of the same session gets nothing more
        TestContexts.RecordingSource third = new TestContexts.RecordingSource("mqtt:held");
        source(c, "held", Map.of("topic", topic, "qos", 1), third);
        Peers.publish(Peers.mosquittoPort(), topic, "sentinel", 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> third.deliveries.size() == 1);
        assertEquals(List.of("sentinel"), third.payloads());
    }

    @Test
    public void refusedHandOverIsRetriedUntilAcceptedAndAcknowledgedOnlyThen() throws Exception {
        String topic = Peers.unique("retry");
        MqttConnector c = connector(name("retry"), MqttSinkTest.config(Peers.server(), "v5"));
        TestContexts.RecordingSource ctx = new TestContexts.RecordingSource("mqtt:retry");
        AtomicInteger calls = new AtomicInteger();
        ctx.answer = d -> calls.incrementAndGet() <= 2
                ? CompletableFuture.failedFuture(new IllegalStateException("tenant over its message rate"))
                : CompletableFuture.completedFuture(null);
        MqttSource s = (MqttSource) source(c, name("s"), Map.of("topic", topic, "qos", 1), ctx);
        Peers.publish(Peers.mosquittoPort(), topic, "x", 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() == 3);
        await().atMost(Duration.ofSeconds(5)).until(() -> s.unacknowledged() == 0);
        assertEquals(3, ctx.deliveries.size());
    }

    @Test
    public void localTopicMappingPublishesTheMessageLocallyWithItsBytes() throws Exception {
        String topic = Peers.unique("local");
        MqttConnector c = connector(name("loc"), MqttSinkTest.config(Peers.server(), "v4"));
        TestContexts.RecordingSource ctx = new TestContexts.RecordingSource("mqtt:loc");
        Map<String, Object> local = new HashMap<>();
        local.put("topic", "from-remote/${topic}");
        local.put("payload", "${payload}");
        source(c, name("s"), Map.of("topic", topic, "qos", 1, "local", local), ctx);
        Peers.publish(Peers.mosquittoPort(), topic, "raw", 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> ctx.deliveries.size() == 1);
        Message m = ctx.deliveries.get(0).local();
        assertNotNull(m);
        assertEquals("from-remote/" + topic, m.topic());
        assertEquals("raw", new String(m.payloadBytes(), StandardCharsets.UTF_8));
        assertEquals("qos defaults to the remote message's", 1, m.qos());
        assertEquals("acme", m.tenant());
    }

    @Test
    public void sourceReconnectsAndSubscribesAgainAfterTheRemoteBrokerRestarts() throws Exception {
        try (MosquittoProcess peer = new MosquittoProcess("").start()) {
            MqttConnector c = connector(name("rs"), MqttSinkTest.config(peer.server(), "v4"));
            TestContexts.RecordingSource ctx = new TestContexts.RecordingSource("mqtt:rs");
            Source s = source(c, name("s"), Map.of("topic", "r/#", "qos", 1), ctx);
            peer.stop();
            await().atMost(Duration.ofSeconds(10)).until(() -> s.health().status() == Health.Status.DISCONNECTED);
            assertTrue(s.health().error(), s.health().error().contains("connection lost")
                    || s.health().error().contains("refused"));
            peer.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> s.health().status() == Health.Status.CONNECTED);
            Peers.publish(peer.port, "r/1", "back", 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> ctx.payloads().equals(List.of("back")));
        }
    }
}

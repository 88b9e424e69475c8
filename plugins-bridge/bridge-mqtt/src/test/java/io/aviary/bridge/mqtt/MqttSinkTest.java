package io.aviary.bridge.mqtt;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.aviary.api.integration.Health;
import io.aviary.api.integration.Sink;
import io.aviary.api.integration.SinkException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.junit.After;
import org.junit.Test;

/** Egress against the real Mosquitto: what an mqtt action publishes, a subscriber there receives. */
public class MqttSinkTest {
    private final List<AutoCloseable> open = new ArrayList<>();

    @After
    public void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private MqttConnector connector(Map<String, Object> config) {
        MqttConnector c = new MqttConnector(TestContexts.connector("acme", "mqtt:" + Peers.unique("out").replace("/", "-")), ConnectorSettings.from(config),
                new LoopGuard());
        open.add(c);
        return c;
    }

    static Map<String, Object> config(String server, String protoVer) {
        Map<String, Object> c = new HashMap<>();
        c.put("server", server);
        c.put("proto_ver", protoVer);
        c.put("pool_size", 2);
        return c;
    }

    private static Map<String, Object> record(String topic, String payload, long qos) {
        Map<String, Object> r = new HashMap<>();
        r.put("topic", topic);
        r.put("payload", payload);
        r.put("qos", qos);
        r.put("clientid", "dev-1");
        return r;
    }

    private static void awaitConnected(MqttConnector c) {
        await("connector connected").atMost(Duration.ofSeconds(10))
                .until(() -> c.check().toCompletableFuture().get().status() == Health.Status.CONNECTED);
    }

    private Peers.Subscriber subscriber(String filter) throws Exception {
        Peers.Subscriber s = new Peers.Subscriber(Peers.mosquittoPort(), filter, 2);
        open.add(s);
        return s;
    }

    @Test
    public void batchPublishedOverMqtt311ReachesSubscriberOnRemoteBrokerInOrder() throws Exception {
        String base = Peers.unique("egress311");
        Peers.Subscriber sub = subscriber("fwd/" + base + "/#");
        MqttConnector c = connector(config(Peers.server(), "v4"));
        awaitConnected(c);
        Sink sink = c.sink("mqtt:a1", Map.of("topic", "fwd/${topic}", "qos", 1, "payload", "${payload}"));
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            batch.add(record(base + "/t", "m" + i, 1));
        }
        sink.send(batch).toCompletableFuture().get(10, TimeUnit.SECONDS);
        for (int i = 0; i < 3; i++) {
            MqttMessage m = sub.messages.poll(10, TimeUnit.SECONDS);
            assertNotNull("message " + i + " reached the remote subscriber", m);
            assertEquals("m" + i, new String(m.getPayload(), StandardCharsets.UTF_8));
            assertEquals("fwd/" + base + "/t", sub.topics.poll());
            assertEquals(1, m.getQos());
        }
    }

    @Test
    public void mqtt31ProtocolVersionV3PublishesToo() throws Exception {
        String topic = Peers.unique("egress31");
        Peers.Subscriber sub = subscriber(topic);
        MqttConnector c = connector(config(Peers.server(), "v3"));
        awaitConnected(c);
        c.sink("mqtt:v3", Map.of("topic", topic, "qos", 2, "payload", "${payload}"))
                .send(List.of(record(topic, "old but gold", 2))).toCompletableFuture().get(10, TimeUnit.SECONDS);
        MqttMessage m = sub.messages.poll(10, TimeUnit.SECONDS);
        assertNotNull(m);
        assertEquals("old but gold", new String(m.getPayload(), StandardCharsets.UTF_8));
    }

    @Test
    public void mqtt5PublishRendersQosAndRetainTemplatesAndDefaultsPayloadToTheWholeRecord() throws Exception {
        String topic = Peers.unique("egress5");
        MqttConnector c = connector(config(Peers.server(), "v5"));
        awaitConnected(c);
        Sink sink = c.sink("mqtt:a5", Map.of("topic", "${topic}", "qos", "${qos}", "retain", "${flag}"));
        Map<String, Object> r = record(topic, "hello", 2);
        r.put("flag", true);
        sink.send(List.of(r)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        // retained: a subscriber that comes afterwards still gets it, flagged retained, as JSON of the record
        Peers.Subscriber late = subscriber(topic);
        MqttMessage m = late.messages.poll(10, TimeUnit.SECONDS);
        assertNotNull("the retained message", m);
        assertTrue(m.isRetained());
        String json = new String(m.getPayload(), StandardCharsets.UTF_8);
        assertTrue(json, json.contains("\"payload\":\"hello\"") && json.contains("\"clientid\":\"dev-1\""));
        Peers.publish(Peers.mosquittoPort(), topic, "", 1); // clear the retained message
    }

    @Test
    public void batchLargerThanTheInflightWindowIsSentInFull() throws Exception {
        String topic = Peers.unique("window");
        Peers.Subscriber sub = subscriber(topic);
        Map<String, Object> cfg = config(Peers.server(), "v4");
        cfg.put("max_inflight", 2);
        cfg.put("pool_size", 1);
        MqttConnector c = connector(cfg);
        awaitConnected(c);
        Sink sink = c.sink("mqtt:w", Map.of("topic", topic, "payload", "${payload}"));
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            batch.add(record(topic, String.valueOf(i), 1));
        }
        sink.send(batch).toCompletableFuture().get(20, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> sub.messages.size() == 200);
        List<String> got = sub.drainPayloads();
        for (int i = 0; i < 200; i++) {
            assertEquals("in order", String.valueOf(i), got.get(i));
        }
        assertEquals("every slot given back", 0, c.gate(0).inUse());
    }

    @Test
    public void remoteBrokerDownFailsTheBatchAsRetryableWithTheSocketError() throws Exception {
        MqttConnector c = connector(config("127.0.0.1:" + Peers.closedPort(), "v4"));
        await().atMost(Duration.ofSeconds(10)).until(() -> c.notConnectedReason().contains("refused"));
        Sink sink = c.sink("mqtt:down", Map.of("topic", "t"));
        SinkException e = failure(sink, List.of(record("t", "x", 1)));
        assertTrue("retryable", e.retryable());
        assertTrue(e.getMessage(), e.getMessage().contains("Connection refused"));
    }

    @Test
    public void recordRenderingAWildcardTopicFailsTheBatchAsNotRetryable() throws Exception {
        MqttConnector c = connector(config(Peers.server(), "v4"));
        awaitConnected(c);
        Sink sink = c.sink("mqtt:bad", Map.of("topic", "a/${topic}"));
        SinkException e = failure(sink, List.of(record("x/+/y", "x", 1)));
        assertFalse("not retryable", e.retryable());
        assertTrue(e.getMessage(), e.getMessage().contains("wildcard"));
    }

    @Test
    public void qosTemplateRenderingNonsenseFailsTheBatchAsNotRetryable() throws Exception {
        MqttConnector c = connector(config(Peers.server(), "v4"));
        awaitConnected(c);
        Sink sink = c.sink("mqtt:q", Map.of("topic", "t", "qos", "${payload}"));
        SinkException e = failure(sink, List.of(record("t", "seven", 1)));
        assertFalse(e.retryable());
        assertTrue(e.getMessage(), e.getMessage().contains("qos must be 0, 1 or 2"));
    }

    @Test
    public void unusableTemplateIsRefusedWhenTheActionIsCreatedNamingTheField() {
        MqttConnector c = connector(config(Peers.server(), "v4"));
        try {
            c.sink("mqtt:x", Map.of("topic", "t", "qos", 3));
            fail("qos 3 accepted");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("parameters.qos"));
        }
    }

    static SinkException failure(Sink sink, List<Map<String, Object>> batch) throws Exception {
        try {
            sink.send(batch).toCompletableFuture().get(15, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertTrue("a SinkException: " + e.getCause(), e.getCause() instanceof SinkException);
            return (SinkException) e.getCause();
        }
        throw new AssertionError("the batch was accepted");
    }
}

package io.aviary.bridge.mqtt;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;

import io.aviary.api.integration.Health;
import io.aviary.api.integration.Sink;
import io.aviary.api.integration.Source;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Test;

/**
 * Bridging the same topic both ways (an action publishes local t to remote t, a source brings
 * remote t back): the source's context stands in for a rule that sends everything it receives
 * straight back out through the action, the worst case. Each message still crosses once.
 */
public class BridgeLoopTest {
    private final List<AutoCloseable> open = new ArrayList<>();

    @After
    public void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private static Map<String, Object> record(String topic, String payload) {
        Map<String, Object> r = new HashMap<>();
        r.put("topic", topic);
        r.put("payload", payload);
        return r;
    }

    private void bothWays(String protoVer, boolean separateConnectors) throws Exception {
        String base = Peers.unique("loop" + protoVer);
        MqttConnectorType type = new MqttConnectorType(Map.of("tenant", "acme"));
        String name = base.replace("/", "-");
        Map<String, Object> cfg = MqttSinkTest.config(Peers.server(), protoVer);
        MqttConnector out = (MqttConnector) type.open(TestContexts.connector("acme", "mqtt:" + name + "-out"), cfg);
        open.add(out);
        MqttConnector in = separateConnectors
                ? (MqttConnector) type.open(TestContexts.connector("acme", "mqtt:" + name + "-in"), cfg) : out;
        if (in != out) {
            open.add(in);
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> out.check().toCompletableFuture().get().status() == Health.Status.CONNECTED);
        Sink sink = out.sink("mqtt:out", Map.of("topic", "${topic}", "payload", "${payload}", "qos", 1));
        TestContexts.RecordingSource ctx = new TestContexts.RecordingSource("mqtt:in");
        // the worst rule: everything that comes in goes straight back out
        ctx.answer = d -> sink.send(List.of(record((String) d.columns().get("topic"), (String) d.columns().get("payload"))))
                .toCompletableFuture().exceptionally(e -> null);
        Source source = in.source("mqtt:in", Map.of("topic", base + "/#", "qos", 1), ctx);
        open.add(source);
        await().atMost(Duration.ofSeconds(10)).until(() -> source.health().status() == Health.Status.CONNECTED);
        Peers.Subscriber remote = new Peers.Subscriber(Peers.mosquittoPort(), base + "/#", 1);
        open.add(remote);

        // remote -> local: a device on the remote broker publishes once
        Peers.publish(Peers.mosquittoPort(), base + "/t", "from-remote", 1);
        // local -> remote: the action publishes once
        sink.send(List.of(record(base + "/t", "from-local"))).toCompletableFuture().get(10, TimeUnit.SECONDS);
        // a sentinel from each side, after both: once they are through, anything looping would have shown
        Peers.publish(Peers.mosquittoPort(), base + "/t", "sentinel-remote", 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> ctx.payloads().contains("sentinel-remote"));
        sink.send(List.of(record(base + "/t", "sentinel-local"))).toCompletableFuture().get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> remote.messages.size() >= 4);
        Peers.publish(Peers.mosquittoPort(), base + "/end", "end", 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> ctx.payloads().contains("end"));
        await().atMost(Duration.ofSeconds(10)).until(() -> remote.messages.size() >= 5);

        assertEquals("came in once each, the bridge's own publishes not brought back",
                List.of("from-remote", "sentinel-remote", "end"), ctx.payloads());
        assertEquals("reached the remote broker once each, what came from there not sent back",
                List.of("from-remote", "from-local", "sentinel-remote", "sentinel-local", "end"), remote.drainPayloads());
    }

    @Test
    public void mqtt5BridgeBothWaysOnOneTopicCarriesEachMessageOnce() throws Exception {
        bothWays("v5", false);
    }

    @Test
    public void mqtt311BridgeBothWaysOnOneTopicCarriesEachMessageOnce() throws Exception {
        bothWays("v4", false);
    }

    @Test
    public void separateConnectorsForActionAndSourceStillCarryEachMessageOnce() throws Exception {
        bothWays("v4", true);
    }

    @Test
    public void echoTableCountsEachRememberedPublishOnce() {
        LoopGuard g = new LoopGuard();
        g.sourceStarted("s:1", "a/#");
        g.published("s:1", "a/b", new byte[] {1});
        g.published("s:1", "a/b", new byte[] {1});
        g.published("s:1", "x/y", new byte[] {1}); // no source sees x/y: nothing to remember
        List<Map.Entry<String, String>> none = List.of();
        assertEquals(true, g.isEcho("s:1", "a/b", new byte[] {1}, none, false));
        assertEquals(true, g.isEcho("s:1", "a/b", new byte[] {1}, none, false));
        assertEquals("a third identical message is someone else's", false, g.isEcho("s:1", "a/b", new byte[] {1}, none, false));
        assertEquals(false, g.isEcho("s:1", "x/y", new byte[] {1}, none, false));
        assertEquals("another server is another broker", false, g.isBounce("s:2", "a/b", new byte[] {1}));
        assertEquals(true, g.isEcho("s:9", "a/b", new byte[0], List.of(g.markerProperty()), true));
    }
}

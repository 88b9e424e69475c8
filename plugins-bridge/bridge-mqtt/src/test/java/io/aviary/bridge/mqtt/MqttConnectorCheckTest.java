package io.aviary.bridge.mqtt;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.aviary.api.integration.Health;
import io.aviary.api.integration.Sink;
import io.aviary.api.integration.SinkException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.Test;

/** What the connector's status and the probe report: the remote broker's or the socket's own words, in time. */
public class MqttConnectorCheckTest {

    private static MqttConnector open(Map<String, Object> config) {
        return (MqttConnector) new MqttConnectorType(Map.of("tenant", "acme"))
                .open(TestContexts.connector("acme", "mqtt:" + Peers.unique("chk").replace("/", "-")), config);
    }

    @Test
    public void reachableBrokerIsConnected() throws Exception {
        try (MqttConnector c = open(MqttSinkTest.config(Peers.server(), "v5"))) {
            Health h = c.check().toCompletableFuture().get(6, TimeUnit.SECONDS);
            assertEquals(Health.Status.CONNECTED, h.status());
        }
    }

    @Test
    public void wrongPortReportsDisconnectedWithConnectionRefusedWithinFiveSeconds() throws Exception {
        try (MqttConnector c = open(MqttSinkTest.config("127.0.0.1:" + Peers.closedPort(), "v4"))) {
            long t0 = System.nanoTime();
            Health h = c.check().toCompletableFuture().get(6, TimeUnit.SECONDS);
            assertTrue("within 5 s", System.nanoTime() - t0 < 5_000_000_000L);
            assertEquals(Health.Status.DISCONNECTED, h.status());
            assertTrue(h.error(), h.error().contains("Connection refused"));
        }
    }

    @Test
    public void unknownHostReportsDisconnectedNamingTheHost() throws Exception {
        try (MqttConnector c = open(MqttSinkTest.config("no-such-host.invalid:1883", "v5"))) {
            Health h = c.check().toCompletableFuture().get(6, TimeUnit.SECONDS);
            assertEquals(Health.Status.DISCONNECTED, h.status());
            assertTrue(h.error(), h.error().contains("no-such-host.invalid"));
        }
    }

    @Test
    public void refusedCredentialsReportTheBrokersReason() throws Exception {
        try (MosquittoProcess locked = new MosquittoProcess("")) {
            java.nio.file.Path pw = locked.dir().resolve("passwd");
            Process gen = new ProcessBuilder("mosquitto_passwd", "-b", "-c", pw.toString(), "bridge", "secret")
                    .redirectErrorStream(true).start();
            assertEquals(0, gen.waitFor());
            locked.config("allow_anonymous false\npassword_file " + pw + "\n").start();
            Map<String, Object> cfg = MqttSinkTest.config(locked.server(), "v5");
            cfg.put("username", "bridge");
            cfg.put("password", "wrong");
            try (MqttConnector c = open(cfg)) {
                Health h = c.check().toCompletableFuture().get(6, TimeUnit.SECONDS);
                assertEquals(Health.Status.DISCONNECTED, h.status());
                assertTrue(h.error(), h.error().toLowerCase().contains("not authorized"));
            }
        }
    }

    @Test
    public void connectorRecoversWhenTheRemoteBrokerComesBackAndBatchesGoThroughAgain() throws Exception {
        try (MosquittoProcess peer = new MosquittoProcess("").start()) {
            Map<String, Object> cfg = MqttSinkTest.config(peer.server(), "v4");
            try (MqttConnector c = open(cfg)) {
                Awaitility.await().atMost(Duration.ofSeconds(10))
                        .until(() -> c.check().toCompletableFuture().get().status() == Health.Status.CONNECTED);
                Sink sink = c.sink("mqtt:o", Map.of("topic", "outage/t", "qos", 1));
                sink.send(List.of(Map.of("payload", "before"))).toCompletableFuture().get(10, TimeUnit.SECONDS);
                peer.stop();
                Awaitility.await().atMost(Duration.ofSeconds(10))
                        .until(() -> c.check().toCompletableFuture().get().status() == Health.Status.DISCONNECTED);
                SinkException down = MqttSinkTest.failure(sink, List.of(Map.of("payload", "during")));
                assertTrue(down.retryable());
                peer.start();
                try (Peers.Subscriber sub = new Peers.Subscriber(peer.port, "outage/t", 1)) {
                    Awaitility.await().atMost(Duration.ofSeconds(20))
                            .until(() -> c.check().toCompletableFuture().get().status() == Health.Status.CONNECTED);
                    sink.send(List.of(Map.of("payload", "after"))).toCompletableFuture().get(10, TimeUnit.SECONDS);
                    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> sub.messages.size() == 1);
                }
            }
        }
    }
}

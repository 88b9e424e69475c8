package io.aviary.bridge.mqtt;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.aviary.api.integration.Health;
import io.aviary.api.integration.Sink;
import io.aviary.broker.testing.TestPki;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The connector's ssl block against a Mosquitto with a TLS listener whose certificates are made at
 * test time (TestPki: a CA, a server certificate for localhost / 127.0.0.1, a client certificate).
 * The Mosquitto also listens in plain TCP for the test's own subscriber.
 */
public class MqttTlsTest {
    private static Path dir;
    private static TestPki pki;
    private static TestPki stranger;
    private static MosquittoProcess peer;
    private static int tlsPort;
    private static TestPki.Issued client;

    @BeforeClass
    public static void startPeer() throws Exception {
        dir = Files.createTempDirectory("bridge-tls");
        pki = new TestPki(dir.resolve("pki"), "bridge-test-ca");
        stranger = new TestPki(dir.resolve("other"), "someone-else-ca");
        TestPki.Issued server = pki.server("mosquitto");
        client = pki.client("bridge", "CN=bridge");
        tlsPort = Peers.closedPort();
        peer = new MosquittoProcess("").config("listener " + tlsPort + " 127.0.0.1\ncafile " + pki.caFile() + "\ncertfile "
                + server.cert() + "\nkeyfile " + server.key() + "\nrequire_certificate true\n").start();
    }

    @AfterClass
    public static void stopPeer() throws Exception {
        if (peer != null) {
            peer.close();
        }
    }

    private static Map<String, Object> config(String host, Map<String, Object> ssl) {
        Map<String, Object> c = new HashMap<>();
        c.put("server", host + ":" + tlsPort);
        c.put("proto_ver", "v5");
        c.put("pool_size", 1);
        c.put("ssl", ssl);
        return c;
    }

    private static Map<String, Object> ssl(Path ca, boolean withClientCertificate) {
        Map<String, Object> s = new HashMap<>();
        s.put("enable", true);
        s.put("verify", "verify_peer");
        s.put("cacertfile", ca.toString());
        if (withClientCertificate) {
            s.put("certfile", client.cert().toString());
            s.put("keyfile", client.key().toString());
        }
        return s;
    }

    private static MqttConnector open(Map<String, Object> config) {
        return (MqttConnector) new MqttConnectorType(Map.of("tenant", "acme"))
                .open(TestContexts.connector("acme", "mqtt:" + Peers.unique("tls").replace("/", "-")), config);
    }

    @Test
    public void mutualTlsWithVerifyPeerConnectsAndPublishes() throws Exception {
        try (MqttConnector c = open(config("localhost", ssl(pki.caFile(), true)));
                Peers.Subscriber sub = new Peers.Subscriber(peer.port, "tls/#", 1)) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> c.check().toCompletableFuture().get().status() == Health.Status.CONNECTED);
            Sink sink = c.sink("mqtt:tls", Map.of("topic", "tls/t", "payload", "${payload}"));
            sink.send(List.of(Map.of("payload", "over tls"))).toCompletableFuture().get(10, TimeUnit.SECONDS);
            MqttMessage m = sub.messages.poll(10, TimeUnit.SECONDS);
            assertNotNull(m);
            assertEquals("over tls", new String(m.getPayload(), StandardCharsets.UTF_8));
        }
    }

    @Test
    public void serverCertificateFromAnotherCaIsRefusedWithTheTlsError() throws Exception {
        try (MqttConnector c = open(config("localhost", ssl(stranger.caFile(), true)))) {
            Health h = c.check().toCompletableFuture().get(6, TimeUnit.SECONDS);
            assertEquals(Health.Status.DISCONNECTED, h.status());
            assertTrue(h.error(), h.error().contains("PKIX") || h.error().contains("certification path"));
        }
    }

    @Test
    public void hostNameNotInTheCertificateIsRefusedUnderVerifyPeer() throws Exception {
        Map<String, Object> s = ssl(pki.caFile(), true);
        s.put("server_name_indication", "not-the-server.example");
        try (MqttConnector c = open(config("127.0.0.1", s))) {
            Health h = c.check().toCompletableFuture().get(6, TimeUnit.SECONDS);
            assertEquals(Health.Status.DISCONNECTED, h.status());
            assertTrue(h.error(), h.error().contains("not for not-the-server.example"));
        }
    }

    @Test
    public void missingCaFileIsRefusedWhenTheConnectorIsCreatedNamingTheField() throws IOException {
        try {
            open(config("localhost", ssl(dir.resolve("nope.pem"), false)));
            fail("a missing CA file was accepted");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("ssl.cacertfile"));
        }
    }
}

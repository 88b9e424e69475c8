package io.aviary.broker.listener;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientSslConfigBuilder;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.aviary.broker.config.ListenerSpec;
import io.aviary.broker.config.TlsOptions;
import io.aviary.broker.testing.TestBroker;
import io.aviary.broker.testing.TestPki;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** TLS listeners with real clients and certificates generated at test time: one-way TLS, mTLS, reload. */
public class TlsListenerTest {

    @Rule
    public final TemporaryFolder tmp = new TemporaryFolder();

    private TestBroker broker;
    private TestPki pki;
    private TestPki.Issued server;

    @After
    public void stop() {
        if (broker != null) {
            broker.broker().close();
        }
    }

    private void start(boolean verifyPeer, boolean failIfNoPeerCert, List<String> versions, String certAs) throws Exception {
        pki = new TestPki(tmp.getRoot().toPath().resolve("pki"), "test-ca");
        server = pki.server("server");
        TlsOptions tls = new TlsOptions(server.cert().toString(), server.key().toString(), pki.caFile().toString(),
                null, versions, List.of(), verifyPeer, failIfNoPeerCert);
        broker = new TestBroker().with("peer_cert_as_username", certAs)
                .listener(new ListenerSpec("ssl", "test", "127.0.0.1", 0, true, 0).withTls(tls));
        broker.start();
    }

    private Mqtt5BlockingClient client(String id, UnaryOperator<MqttClientSslConfigBuilder> tls) {
        return MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1")
                .serverPort(broker.port("ssl:test")).sslConfig(tls.apply(com.hivemq.client.mqtt.MqttClientSslConfig.builder()).build())
                .buildBlocking();
    }

    @Test
    public void clientTrustingTheCaConnectsAndExchangesMessagesOverTls() throws Exception {
        start(false, false, List.of("tlsv1.3", "tlsv1.2"), "disabled");
        Mqtt5BlockingClient sub = client("tls-sub", b -> b.trustManagerFactory(pki.trustManagerFactory()));
        sub.connect();
        sub.subscribeWith().topicFilter("t/tls").qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt5BlockingClient.Mqtt5Publishes in = sub.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL);
        Mqtt5BlockingClient pub = client("tls-pub", b -> b.trustManagerFactory(pki.trustManagerFactory()));
        pub.connect();
        pub.publishWith().topic("t/tls").payload("secret".getBytes()).qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt5Publish got = in.receive(5, TimeUnit.SECONDS).orElseThrow();
        assertEquals("secret", new String(got.getPayloadAsBytes()));
        pub.disconnect();
        sub.disconnect();
    }

    @Test
    public void tls12OnlyListenerRefusesATls13OnlyClientAndAcceptsTls12() throws Exception {
        start(false, false, List.of("tlsv1.2"), "disabled");
        Mqtt5BlockingClient v13 = client("v13", b -> b.trustManagerFactory(pki.trustManagerFactory()).protocols(List.of("TLSv1.3")));
        assertThrows(RuntimeException.class, v13::connect);
        Mqtt5BlockingClient v12 = client("v12", b -> b.trustManagerFactory(pki.trustManagerFactory()).protocols(List.of("TLSv1.2")));
        v12.connect();
        v12.disconnect();
    }

    @Test
    public void cipherListLimitsTheSuitesTheListenerAccepts() throws Exception {
        pki = new TestPki(tmp.getRoot().toPath().resolve("pki"), "test-ca");
        server = pki.server("server");
        TlsOptions tls = new TlsOptions(server.cert().toString(), server.key().toString(), null, null,
                List.of("tlsv1.2"), List.of("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"), false, false);
        broker = new TestBroker().listener(new ListenerSpec("ssl", "test", "127.0.0.1", 0, true, 0).withTls(tls));
        broker.start();
        Mqtt5BlockingClient other = client("aes256", b -> b.trustManagerFactory(pki.trustManagerFactory())
                .protocols(List.of("TLSv1.2")).cipherSuites(List.of("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384")));
        assertThrows(RuntimeException.class, other::connect);
        Mqtt5BlockingClient same = client("aes128", b -> b.trustManagerFactory(pki.trustManagerFactory())
                .protocols(List.of("TLSv1.2")).cipherSuites(List.of("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")));
        same.connect();
        same.disconnect();
    }

    @Test
    public void mutualTlsRefusesAClientWithoutCertificateAndCountsTheFailedHandshake() throws Exception {
        start(true, true, List.of("tlsv1.3", "tlsv1.2"), "disabled");
        Mqtt5BlockingClient anonymous = client("no-cert", b -> b.trustManagerFactory(pki.trustManagerFactory()));
        assertThrows(RuntimeException.class, anonymous::connect);
        await().atMost(Duration.ofSeconds(5)).until(() -> broker.core().counters().get("tls.handshake.failed") >= 1);
    }

    @Test
    public void mutualTlsRefusesACertificateFromAnotherCa() throws Exception {
        start(true, true, List.of("tlsv1.3", "tlsv1.2"), "disabled");
        TestPki other = new TestPki(tmp.getRoot().toPath().resolve("other"), "other-ca");
        TestPki.Issued stranger = other.client("stranger", "CN=stranger");
        Mqtt5BlockingClient c = client("stranger", b -> b.trustManagerFactory(pki.trustManagerFactory())
                .keyManagerFactory(stranger.keyManagerFactory()));
        assertThrows(RuntimeException.class, c::connect);
        await().atMost(Duration.ofSeconds(5)).until(() -> broker.core().counters().get("tls.handshake.failed") >= 1);
    }

    @Test
    public void clientCertificateCommonNameBecomesTheUsernameWithPeerCertAsUsernameCn() throws Exception {
        start(true, true, List.of("tlsv1.3", "tlsv1.2"), "cn");
        TestPki.Issued device = pki.client("dev", "CN=device-42,O=Acme");
        Mqtt5BlockingClient c = client("dev-client", b -> b.trustManagerFactory(pki.trustManagerFactory())
                .keyManagerFactory(device.keyManagerFactory()));
        c.connect();
        var snapshot = broker.broker().service().client("default", "dev-client").orElseThrow();
        assertEquals("device-42", snapshot.client().username());
        assertEquals("device-42", snapshot.client().certCommonName());
        assertTrue(snapshot.client().certSubject(), snapshot.client().certSubject().contains("O=Acme"));
        c.disconnect();
    }

    @Test
    public void refusedConnectOverTlsStillDeliversItsConnackReasonCode() throws Exception {
        start(false, false, List.of("tlsv1.3", "tlsv1.2"), "disabled");
        long now = System.currentTimeMillis();
        broker.broker().bans().add(new io.aviary.api.broker.Ban(io.aviary.api.broker.Ban.As.CLIENTID, "tls-banned",
                "test", "", now, now + 60_000));
        Mqtt5BlockingClient c = client("tls-banned", b -> b.trustManagerFactory(pki.trustManagerFactory()));
        var e = assertThrows(com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException.class, c::connect);
        assertEquals(0x8A, e.getMqttMessage().getReasonCode().getCode());
    }

    @Test
    public void plainTextOnTheTlsPortIsClosedAndCounted() throws Exception {
        start(false, false, List.of("tlsv1.3", "tlsv1.2"), "disabled");
        try (Socket s = new Socket("127.0.0.1", broker.port("ssl:test"))) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(new byte[] {0x10, 0x0c, 0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 60, 0, 0});
            out.flush();
            InputStream in = s.getInputStream();
            while (in.read() >= 0) {
                // the broker may answer with a TLS alert before it closes
            }
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> broker.core().counters().get("tls.handshake.failed") >= 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> broker.broker().listeners().list().stream()
                .filter(l -> l.id().equals("ssl:test")).findFirst().orElseThrow().connections() == 0);
    }

    @Test
    public void renewedCertificateFilesServeNewConnectionsWithoutDroppingOpenOnes() throws Exception {
        start(false, false, List.of("tlsv1.3", "tlsv1.2"), "disabled");
        Mqtt5BlockingClient before = client("before", b -> b.trustManagerFactory(pki.trustManagerFactory()));
        before.connect();
        TestPki renewed = new TestPki(tmp.getRoot().toPath().resolve("renewed"), "renewed-ca");
        TestPki.Issued next = renewed.server("server2");
        replace(next.key(), server.key());
        replace(next.cert(), server.cert());
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
            Mqtt5BlockingClient after = client("after", b -> b.trustManagerFactory(renewed.trustManagerFactory()));
            after.connect();
            after.disconnect();
            return true;
        });
        before.publishWith().topic("still/here").qos(MqttQos.AT_LEAST_ONCE).send();
        assertTrue(before.getState().isConnected());
        before.disconnect();
    }

    @Test
    public void encryptedKeyIsReadWithItsPassword() throws Exception {
        pki = new TestPki(tmp.getRoot().toPath().resolve("pki"), "test-ca");
        TestPki.Issued locked = pki.issue("locked", "CN=localhost", "s3cret", true);
        TlsOptions tls = new TlsOptions(locked.cert().toString(), locked.key().toString(), null, "s3cret",
                List.of("tlsv1.3", "tlsv1.2"), List.of(), false, false);
        broker = new TestBroker().listener(new ListenerSpec("ssl", "test", "127.0.0.1", 0, true, 0).withTls(tls));
        broker.start();
        Mqtt5BlockingClient c = client("locked", b -> b.trustManagerFactory(pki.trustManagerFactory()));
        c.connect();
        c.disconnect();
    }

    private static void replace(Path from, Path to) throws Exception {
        Path staged = to.resolveSibling(to.getFileName() + ".new");
        Files.copy(from, staged, StandardCopyOption.REPLACE_EXISTING);
        Files.move(staged, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.setLastModifiedTime(to, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
    }
}

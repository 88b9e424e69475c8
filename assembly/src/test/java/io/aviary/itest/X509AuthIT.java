package io.aviary.itest;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import io.aviary.broker.testing.TestPki;
import java.time.Duration;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * auth-x509 end to end over a real mutual-TLS listener: a device whose certificate (CN) names its
 * client id is admitted, the same certificate presented as another client id is refused with
 * 0x87, and a client without a certificate (plain TCP) is left to the chain, which refuses it.
 */
public class X509AuthIT {
    @Rule
    public final TemporaryFolder tmp = new TemporaryFolder();
    private Distribution dist;

    @After
    public void stop() throws Exception {
        if (dist != null) {
            dist.close();
        }
    }

    private Mqtt5BlockingClient connect(int port, String clientId, TestPki pki, TestPki.Issued cert) {
        var builder = MqttClient.builder().useMqttVersion5().identifier(clientId).serverHost("127.0.0.1").serverPort(port);
        if (cert != null) {
            builder = builder.sslConfig().keyManagerFactory(cert.keyManagerFactory())
                    .trustManagerFactory(pki.trustManagerFactory()).applySslConfig();
        }
        Mqtt5BlockingClient c = builder.buildBlocking();
        c.connect();
        return c;
    }

    @Test
    public void theVerifiedCertificateIsTheDevicesIdentity() throws Exception {
        TestPki pki = new TestPki(tmp.getRoot().toPath().resolve("pki"), "x509-ca");
        TestPki.Issued server = pki.server("server");
        TestPki.Issued device = pki.client("dev-1", "CN=dev-1,O=Acme");
        int mtls = Distribution.freePort();
        String p = "listeners.ssl.mtls";
        dist = new Distribution().start("--set", p + ".enable=true", "--set", p + ".bind=127.0.0.1:" + mtls,
                "--set", p + ".ssl_options.certfile=" + server.cert(), "--set", p + ".ssl_options.keyfile=" + server.key(),
                "--set", p + ".ssl_options.cacertfile=" + pki.caFile(), "--set", p + ".ssl_options.verify=verify_peer");
        dist.awaitApi();
        AdminHttp admin = new AdminHttp(dist.adminPort, AdminHttp.ADMIN);
        AdminHttp.Reply created = admin.post("/authentication", "{\"mechanism\":\"x509\",\"identity\":\"cn\",\"match\":\"clientid\"}");
        assertEquals(created.body(), 200, created.status());

        await("auth-x509 decides").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    try {
                        connect(dist.mqttPort, "plain", null, null).disconnect();
                        return false;
                    } catch (Mqtt5ConnAckException e) {
                        return e.getMqttMessage().getReasonCode() == Mqtt5ConnAckReasonCode.NOT_AUTHORIZED;
                    }
                });
        connect(mtls, "dev-1", pki, device).disconnect();
        assertEquals("the certificate names another device", Mqtt5ConnAckReasonCode.NOT_AUTHORIZED,
                assertThrows(Mqtt5ConnAckException.class, () -> connect(mtls, "dev-2", pki, device))
                        .getMqttMessage().getReasonCode());
    }
}

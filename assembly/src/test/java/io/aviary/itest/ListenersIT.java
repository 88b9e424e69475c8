package io.aviary.itest;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.aviary.broker.testing.TestPki;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The distribution's listeners as configured in etc/aviary.conf (here through --set): TLS with
 * mosquitto_pub --cafile with and without a client certificate, WebSocket and secure WebSocket
 * with the HiveMQ client, and PROXY protocol v1 and v2 behind a real HAProxy.
 */
public class ListenersIT {

    @Rule
    public final TemporaryFolder tmp = new TemporaryFolder();

    private Distribution dist;
    private Process haproxy;

    @After
    public void stop() throws Exception {
        if (haproxy != null) {
            haproxy.destroy();
            haproxy.waitFor(10, TimeUnit.SECONDS);
        }
        if (dist != null) {
            dist.close();
        }
    }

    @Test
    public void mosquittoPublishesOverTlsWithCaFileAndOverMutualTlsWithItsCertificate() throws Exception {
        TestPki pki = new TestPki(tmp.getRoot().toPath().resolve("pki"), "it-ca");
        TestPki.Issued server = pki.server("server");
        TestPki.Issued client = pki.client("mosq", "CN=mosq-device");
        int ssl = Distribution.freePort();
        int mtls = Distribution.freePort();
        dist = new Distribution();
        List<String> args = new ArrayList<>();
        args.addAll(sslListener("ssl.default", ssl, server, pki));
        args.addAll(sslListener("ssl.mtls", mtls, server, pki));
        args.addAll(List.of("--set", "listeners.ssl.mtls.ssl_options.verify=verify_peer",
                "--set", "listeners.ssl.mtls.ssl_options.fail_if_no_peer_cert=true",
                "--set", "mqtt.peer_cert_as_username=cn"));
        dist.start(args.toArray(String[]::new));

        Mqtt5BlockingClient sub = MqttClient.builder().useMqttVersion5().identifier("it-sub").serverHost("127.0.0.1")
                .serverPort(dist.mqttPort).buildBlocking();
        sub.connect();
        sub.subscribeWith().topicFilter("it/tls/#").qos(MqttQos.AT_LEAST_ONCE).send();
        var in = sub.publishes(MqttGlobalPublishFilter.ALL);

        assertEquals(0, mosquittoPub(ssl, "it/tls/one-way", "--cafile", pki.caFile().toString()));
        assertEquals("it/tls/one-way", in.receive(10, TimeUnit.SECONDS).orElseThrow().getTopic().toString());

        assertNotEquals("mTLS without a client certificate is refused", 0,
                mosquittoPub(mtls, "it/tls/no-cert", "--cafile", pki.caFile().toString()));
        assertEquals(0, mosquittoPub(mtls, "it/tls/mutual", "--cafile", pki.caFile().toString(),
                "--cert", client.cert().toString(), "--key", client.key().toString()));
        assertEquals("it/tls/mutual", in.receive(10, TimeUnit.SECONDS).orElseThrow().getTopic().toString());
        sub.disconnect();
        assertTrue("netty-tcnative's BoringSSL loads inside OSGi", dist.console().contains("listener ssl:mtls uses BoringSSL TLS"));
    }

    @Test
    public void hivemqClientsConnectOverWebSocketAndSecureWebSocket() throws Exception {
        TestPki pki = new TestPki(tmp.getRoot().toPath().resolve("pki"), "ws-ca");
        TestPki.Issued server = pki.server("server");
        int wss = Distribution.freePort();
        dist = new Distribution();
        dist.start("--set", "listeners.wss.default.enable=true",
                "--set", "listeners.wss.default.bind=127.0.0.1:" + wss,
                "--set", "listeners.wss.default.ssl_options.certfile=" + server.cert(),
                "--set", "listeners.wss.default.ssl_options.keyfile=" + server.key());

        Mqtt5BlockingClient ws = MqttClient.builder().useMqttVersion5().identifier("it-ws").serverHost("127.0.0.1")
                .serverPort(dist.wsPort).webSocketConfig().serverPath("mqtt").applyWebSocketConfig().buildBlocking();
        ws.connect();
        ws.subscribeWith().topicFilter("it/ws").qos(MqttQos.AT_LEAST_ONCE).send();
        var in = ws.publishes(MqttGlobalPublishFilter.ALL);

        Mqtt3BlockingClient secure = MqttClient.builder().useMqttVersion3().identifier("it-wss").serverHost("127.0.0.1")
                .serverPort(wss).sslConfig().trustManagerFactory(pki.trustManagerFactory()).applySslConfig()
                .webSocketConfig().serverPath("mqtt").applyWebSocketConfig().buildBlocking();
        secure.connect();
        secure.publishWith().topic("it/ws").payload("over wss".getBytes(StandardCharsets.UTF_8))
                .qos(MqttQos.AT_LEAST_ONCE).send();
        assertEquals("over wss", new String(in.receive(10, TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes(),
                StandardCharsets.UTF_8));
        secure.disconnect();
        ws.disconnect();
    }

    @Test
    public void proxyProtocolV1AndV2FromHaproxyGiveTheClientsAddress() throws Exception {
        int behindLb = Distribution.freePort();
        int v1 = Distribution.freePort();
        int v2 = Distribution.freePort();
        dist = new Distribution();
        dist.start("--set", "listeners.tcp.lb.bind=127.0.0.1:" + behindLb,
                "--set", "listeners.tcp.lb.proxy_protocol=true");
        dist.awaitApi();
        Path conf = tmp.newFile("haproxy.cfg").toPath();
        Files.writeString(conf, String.join("\n",
                "global", "  maxconn 100",
                "defaults", "  mode tcp", "  timeout connect 5s", "  timeout client 60s", "  timeout server 60s",
                "frontend v1", "  bind 127.0.0.1:" + v1, "  default_backend aviary_v1",
                "frontend v2", "  bind 127.0.0.1:" + v2, "  default_backend aviary_v2",
                "backend aviary_v1", "  server a 127.0.0.1:" + behindLb + " send-proxy",
                "backend aviary_v2", "  server a 127.0.0.1:" + behindLb + " send-proxy-v2", ""));
        haproxy = new ProcessBuilder("haproxy", "-f", conf.toString(), "-db").redirectErrorStream(true)
                .redirectOutput(tmp.newFile("haproxy.out")).start();
        await("haproxy listening").atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> { new Socket("127.0.0.1", v2).close(); return true; });

        // the client connects from 127.0.0.2; HAProxy reaches Aviary from 127.0.0.1
        assertEquals("127.0.0.2", addressSeenByBroker(v1, "via-v1"));
        assertEquals("127.0.0.2", addressSeenByBroker(v2, "via-v2"));
    }

    private String addressSeenByBroker(int haproxyPort, String clientId) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), haproxyPort, InetAddress.getByName("127.0.0.2"), 0)) {
            s.setSoTimeout(10_000);
            byte[] id = clientId.getBytes(StandardCharsets.US_ASCII);
            byte[] connect = new byte[14 + id.length];
            System.arraycopy(new byte[] {0x10, (byte) (12 + id.length), 0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 60, 0,
                    (byte) id.length}, 0, connect, 0, 14);
            System.arraycopy(id, 0, connect, 14, id.length);
            s.getOutputStream().write(connect);
            byte[] connack = s.getInputStream().readNBytes(4);
            assertEquals("CONNACK accepted", 0, connack[3]);
            String json = dist.get("/clients/" + clientId).body();
            assertTrue(json, json.contains("\"ip_address\""));
            return json.replaceAll("(?s).*\"ip_address\"\\s*:\\s*\"([^\"]+)\".*", "$1");
        }
    }

    private static List<String> sslListener(String key, int port, TestPki.Issued server, TestPki pki) {
        String p = "listeners." + key;
        return List.of("--set", p + ".enable=true", "--set", p + ".bind=127.0.0.1:" + port,
                "--set", p + ".ssl_options.certfile=" + server.cert(),
                "--set", p + ".ssl_options.keyfile=" + server.key(),
                "--set", p + ".ssl_options.cacertfile=" + pki.caFile());
    }

    private static int mosquittoPub(int port, String topic, String... tls) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("mosquitto_pub", "-h", "localhost", "-p", String.valueOf(port),
                "-t", topic, "-m", "hello", "-q", "1", "-V", "mqttv311"));
        command.addAll(List.of(tls));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue("mosquitto_pub finished", p.waitFor(15, TimeUnit.SECONDS));
        return p.exitValue();
    }
}

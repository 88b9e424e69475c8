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
    public void proxyProtocolV1AndV2FromHaproxyGiveTheClientsAddressOnTcpTlsWebSocketAndSecureWebSocket() throws Exception {
        TestPki pki = new TestPki(tmp.getRoot().toPath().resolve("pki"), "lb-ca");
        TestPki.Issued server = pki.server("server");
        int behindLb = Distribution.freePort();
        int sslBehindLb = Distribution.freePort();
        int wssBehindLb = Distribution.freePort();
        int[] front = {Distribution.freePort(), Distribution.freePort(), Distribution.freePort(), Distribution.freePort(),
                Distribution.freePort()};
        dist = new Distribution();
        List<String> args = new ArrayList<>(List.of("--set", "listeners.tcp.lb.bind=127.0.0.1:" + behindLb,
                "--set", "listeners.tcp.lb.proxy_protocol=true",
                "--set", "listeners.ws.default.proxy_protocol=true",
                "--set", "listeners.ssl.lb.proxy_protocol=true"));
        args.addAll(sslListener("ssl.lb", sslBehindLb, server, pki));
        args.addAll(sslListener("wss.default", wssBehindLb, server, pki));
        args.addAll(List.of("--set", "listeners.wss.default.proxy_protocol=true"));
        dist.start(args.toArray(String[]::new));
        dist.awaitApi();
        Path conf = tmp.newFile("haproxy.cfg").toPath();
        Files.writeString(conf, String.join("\n",
                "global", "  maxconn 100",
                "defaults", "  mode tcp", "  timeout connect 5s", "  timeout client 60s", "  timeout server 60s",
                "listen tcp_v1", "  bind 127.0.0.1:" + front[0], "  server a 127.0.0.1:" + behindLb + " send-proxy",
                "listen tcp_v2", "  bind 127.0.0.1:" + front[1], "  server a 127.0.0.1:" + behindLb + " send-proxy-v2",
                "listen tls_v2", "  bind 127.0.0.1:" + front[2], "  server a 127.0.0.1:" + sslBehindLb + " send-proxy-v2",
                "listen ws_v1", "  bind 127.0.0.1:" + front[3], "  server a 127.0.0.1:" + dist.wsPort + " send-proxy",
                "listen wss_v2", "  bind 127.0.0.1:" + front[4], "  server a 127.0.0.1:" + wssBehindLb + " send-proxy-v2", ""));
        haproxy = new ProcessBuilder("haproxy", "-f", conf.toString(), "-db").redirectErrorStream(true)
                .redirectOutput(tmp.newFile("haproxy.out")).start();
        await("haproxy listening").atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> { new Socket("127.0.0.1", front[3]).close(); return true; });

        // clients connect from 127.0.0.2; HAProxy reaches Aviary from 127.0.0.1
        assertEquals("127.0.0.2", addressSeenByBroker(front[0], "via-v1"));
        assertEquals("127.0.0.2", addressSeenByBroker(front[1], "via-v2"));
        InetAddress from = InetAddress.getByName("127.0.0.2");
        // one transport config for address, local address and TLS: applying one replaces the whole of it
        Mqtt5BlockingClient tls = MqttClient.builder().useMqttVersion5().identifier("via-tls").transportConfig()
                .serverHost("127.0.0.1").serverPort(front[2]).localAddress(from)
                .sslConfig().trustManagerFactory(pki.trustManagerFactory()).applySslConfig()
                .applyTransportConfig().buildBlocking();
        tls.connect();
        assertEquals("127.0.0.2", ipAddress("via-tls"));
        Mqtt5BlockingClient ws = MqttClient.builder().useMqttVersion5().identifier("via-ws").transportConfig()
                .serverHost("127.0.0.1").serverPort(front[3]).localAddress(from)
                .webSocketConfig().serverPath("mqtt").applyWebSocketConfig()
                .applyTransportConfig().buildBlocking();
        ws.connect();
        assertEquals("127.0.0.2", ipAddress("via-ws"));
        Mqtt5BlockingClient wss = MqttClient.builder().useMqttVersion5().identifier("via-wss").transportConfig()
                .serverHost("127.0.0.1").serverPort(front[4]).localAddress(from)
                .sslConfig().trustManagerFactory(pki.trustManagerFactory()).applySslConfig()
                .webSocketConfig().serverPath("mqtt").applyWebSocketConfig()
                .applyTransportConfig().buildBlocking();
        wss.connect();
        assertEquals("127.0.0.2", ipAddress("via-wss"));
        tls.disconnect();
        ws.disconnect();
        wss.disconnect();
    }

    private String ipAddress(String clientId) throws Exception {
        String json = dist.get("/clients/" + clientId).body();
        assertTrue(json, json.contains("\"ip_address\""));
        return json.replaceAll("(?s).*\"ip_address\"\\s*:\\s*\"([^\"]+)\".*", "$1");
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
            return ipAddress(clientId);
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

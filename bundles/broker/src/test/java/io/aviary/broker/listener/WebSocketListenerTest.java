package io.aviary.broker.listener;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.aviary.broker.config.ListenerSpec;
import io.aviary.broker.config.TlsOptions;
import io.aviary.broker.config.WsOptions;
import io.aviary.broker.testing.TestBroker;
import io.aviary.broker.testing.TestPki;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** MQTT over WebSocket (ws and wss) with the HiveMQ client and the JDK's WebSocket client. */
public class WebSocketListenerTest {

    @Rule
    public final TemporaryFolder tmp = new TemporaryFolder();

    private TestBroker broker;

    @After
    public void stop() {
        if (broker != null) {
            broker.broker().close();
        }
    }

    private void startWs(List<String> trustedProxies) throws Exception {
        WsOptions ws = new WsOptions("/mqtt", WsOptions.DEFAULTS.subprotocols(), false, "x-forwarded-for",
                trustedProxies, 0);
        broker = new TestBroker().listener(new ListenerSpec("ws", "test", "127.0.0.1", 0, true, 0).withWs(ws));
        broker.start();
    }

    @Test
    public void hivemqClientExchangesMessagesOverWebSocket() throws Exception {
        startWs(List.of());
        Mqtt5BlockingClient c = MqttClient.builder().useMqttVersion5().identifier("ws-1").serverHost("127.0.0.1")
                .serverPort(broker.port("ws:test")).webSocketConfig().serverPath("mqtt").applyWebSocketConfig()
                .buildBlocking();
        c.connect();
        c.subscribeWith().topicFilter("ws/t").qos(MqttQos.AT_LEAST_ONCE).send();
        var in = c.publishes(MqttGlobalPublishFilter.ALL);
        c.publishWith().topic("ws/t").payload(new byte[300_000]).qos(MqttQos.AT_LEAST_ONCE).send();
        assertEquals(300_000, in.receive(5, TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes().length);
        c.disconnect();
    }

    @Test
    public void hivemqMqtt311ClientConnectsOverSecureWebSocket() throws Exception {
        TestPki pki = new TestPki(tmp.getRoot().toPath().resolve("pki"), "ws-ca");
        TestPki.Issued server = pki.server("server");
        TlsOptions tls = new TlsOptions(server.cert().toString(), server.key().toString(), null, null,
                List.of("tlsv1.3", "tlsv1.2"), List.of(), false, false);
        broker = new TestBroker().listener(new ListenerSpec("wss", "test", "127.0.0.1", 0, true, 0)
                .withTls(tls).withWs(WsOptions.DEFAULTS));
        broker.start();
        Mqtt3BlockingClient c = MqttClient.builder().useMqttVersion3().identifier("wss-1").serverHost("127.0.0.1")
                .serverPort(broker.port("wss:test")).sslConfig().trustManagerFactory(pki.trustManagerFactory())
                .applySslConfig().webSocketConfig().serverPath("mqtt").applyWebSocketConfig().buildBlocking();
        c.connect();
        c.publishWith().topic("wss/t").qos(MqttQos.AT_LEAST_ONCE).send();
        assertEquals("wss:test", broker.broker().service().client("default", "wss-1").orElseThrow().client().listener());
        c.disconnect();
    }

    @Test
    public void packetSplitAcrossFramesAndSeveralPacketsInOneFrameAreBothDecoded() throws Exception {
        startWs(List.of());
        Frames frames = new Frames();
        WebSocket ws = open("/mqtt", "mqtt", frames, null);
        byte[] connect = {0x10, 0x0c, 0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 60, 0, 0};
        // CONNECT in two frames: a fragment, then its continuation
        ws.sendBinary(ByteBuffer.wrap(connect, 0, 5), false).join();
        ws.sendBinary(ByteBuffer.wrap(connect, 5, connect.length - 5), true).join();
        assertArrayEquals(new byte[] {0x20, 2, 0, 0}, frames.read(4));
        // SUBSCRIBE t (qos 0) and PUBLISH t "hi" in one frame
        byte[] both = {(byte) 0x82, 6, 0, 1, 0, 1, 't', 0, 0x30, 5, 0, 1, 't', 'h', 'i'};
        ws.sendBinary(ByteBuffer.wrap(both), true).join();
        assertArrayEquals(new byte[] {(byte) 0x90, 3, 0, 1, 0}, frames.read(5));
        assertArrayEquals(new byte[] {0x30, 5, 0, 1, 't', 'h', 'i'}, frames.read(7));
        ws.abort();
    }

    @Test
    public void refusedConnectGetsItsConnackThenAWebSocketCloseFrame() throws Exception {
        startWs(List.of());
        long now = System.currentTimeMillis();
        broker.broker().bans().add(new io.aviary.api.broker.Ban(io.aviary.api.broker.Ban.As.CLIENTID, "ws-banned",
                "test", "", now, now + 60_000));
        Frames frames = new Frames();
        WebSocket ws = open("/mqtt", "mqtt", frames, null);
        byte[] id = "ws-banned".getBytes();
        ByteArrayOutputStream connect = new ByteArrayOutputStream();
        connect.write(new byte[] {0x10, (byte) (12 + id.length), 0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 60, 0, (byte) id.length});
        connect.write(id);
        ws.sendBinary(ByteBuffer.wrap(connect.toByteArray()), true).join();
        assertArrayEquals("CONNACK 0x05 Not authorized", new byte[] {0x20, 2, 0, 5}, frames.read(4));
        assertEquals(Integer.valueOf(1000), frames.closeStatus.get(5, TimeUnit.SECONDS));
    }

    @Test
    public void upgradeOnAnotherPathIsRefusedWith404() throws Exception {
        startWs(List.of());
        assertEquals(404, refusal("/other", "mqtt"));
    }

    @Test
    public void upgradeOfferingNoMqttSubprotocolIsRefusedWith400() throws Exception {
        startWs(List.of());
        assertEquals(400, refusal("/mqtt", "chat"));
    }

    @Test
    public void trustedProxyForwardedForBecomesTheClientAddress() throws Exception {
        startWs(List.of("127.0.0.0/8"));
        connectWithForwardedFor("fwd-1", "203.0.113.7, 10.0.0.1");
        assertEquals("203.0.113.7", broker.broker().service().client("default", "fwd-1").orElseThrow().client().peerHost());
    }

    @Test
    public void forwardedForFromAnUntrustedPeerIsIgnored() throws Exception {
        startWs(List.of("10.0.0.0/8"));
        connectWithForwardedFor("fwd-2", "203.0.113.7");
        assertEquals("127.0.0.1", broker.broker().service().client("default", "fwd-2").orElseThrow().client().peerHost());
    }

    private void connectWithForwardedFor(String clientId, String header) throws Exception {
        Frames frames = new Frames();
        WebSocket ws = open("/mqtt", "mqtt", frames, header);
        ByteArrayOutputStream connect = new ByteArrayOutputStream();
        connect.write(new byte[] {0x10, (byte) (12 + clientId.length()), 0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 60, 0,
                (byte) clientId.length()});
        connect.write(clientId.getBytes());
        ws.sendBinary(ByteBuffer.wrap(connect.toByteArray()), true).join();
        assertArrayEquals(new byte[] {0x20, 2, 0, 0}, frames.read(4));
    }

    private int refusal(String path, String subprotocol) {
        try {
            open(path, subprotocol, new Frames(), null);
            throw new AssertionError("upgrade accepted");
        } catch (CompletionException e) {
            assertTrue(String.valueOf(e.getCause()), e.getCause() instanceof WebSocketHandshakeException);
            return ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
        }
    }

    private WebSocket open(String path, String subprotocol, Frames frames, String forwardedFor) {
        WebSocket.Builder b = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols(subprotocol);
        if (forwardedFor != null) {
            b.header("X-Forwarded-For", forwardedFor);
        }
        return b.buildAsync(URI.create("ws://127.0.0.1:" + broker.port("ws:test") + path), frames).join();
    }

    /** Collects the bytes of every binary frame the broker sends, whatever the framing. */
    private static final class Frames implements WebSocket.Listener {
        private final LinkedBlockingQueue<Byte> bytes = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closeStatus = new CompletableFuture<>();

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closeStatus.complete(statusCode);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            while (data.hasRemaining()) {
                bytes.add(data.get());
            }
            ws.request(1);
            return CompletableFuture.completedFuture(null);
        }

        byte[] read(int n) throws InterruptedException {
            byte[] out = new byte[n];
            for (int i = 0; i < n; i++) {
                Byte b = bytes.poll(5, TimeUnit.SECONDS);
                if (b == null) {
                    throw new AssertionError("only " + i + " of " + n + " bytes arrived");
                }
                out[i] = b;
            }
            return out;
        }
    }
}

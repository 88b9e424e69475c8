package io.aviary.broker.listener;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import io.aviary.broker.config.ListenerSpec;
import io.aviary.broker.testing.TestBroker;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** PROXY protocol v1 and v2 on a listener that enables it, byte-exact from a raw socket. */
public class ProxyProtocolTest {

    private TestBroker broker;

    @Before
    public void start() throws Exception {
        broker = new TestBroker().listener(new ListenerSpec("tcp", "lb", "127.0.0.1", 0, true, 0).withProxyProtocol(true));
        broker.start();
    }

    @After
    public void stop() {
        broker.broker().close();
    }

    @Test
    public void proxyV1HeaderGivesTheClientsRealAddress() throws Exception {
        byte[] header = "PROXY TCP4 203.0.113.9 127.0.0.1 40000 1883\r\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals("203.0.113.9", connectThrough(broker.port("tcp:lb"), header, "v1"));
    }

    @Test
    public void proxyV2HeaderGivesTheClientsRealAddress() throws Exception {
        assertEquals("198.51.100.23", connectThrough(broker.port("tcp:lb"), v2Header(new byte[] {(byte) 198, 51, 100, 23}), "v2"));
    }

    @Test
    public void proxyV2HeaderInFrontOfTlsGivesTheClientsAddress() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("proxy-tls");
        io.aviary.broker.testing.TestPki pki = new io.aviary.broker.testing.TestPki(dir, "proxy-ca");
        io.aviary.broker.testing.TestPki.Issued server = pki.server("server");
        TestBroker tlsBroker = new TestBroker().listener(new ListenerSpec("ssl", "lb", "127.0.0.1", 0, true, 0)
                .withProxyProtocol(true).withTls(new io.aviary.broker.config.TlsOptions(server.cert().toString(),
                        server.key().toString(), null, null, java.util.List.of("tlsv1.3", "tlsv1.2"),
                        java.util.List.of(), false, false)));
        tlsBroker.start();
        try (Socket raw = new Socket("127.0.0.1", tlsBroker.port("ssl:lb"))) {
            raw.setSoTimeout(5000);
            raw.getOutputStream().write(v2Header(new byte[] {(byte) 192, 0, 2, 44}));
            javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
            ctx.init(null, pki.trustManagerFactory().getTrustManagers(), null);
            try (javax.net.ssl.SSLSocket tls = (javax.net.ssl.SSLSocket) ctx.getSocketFactory()
                    .createSocket(raw, "localhost", raw.getPort(), false)) {
                tls.getOutputStream().write(connect("tls-v1"));
                assertArrayEquals(new byte[] {0x20, 2, 0, 0}, tls.getInputStream().readNBytes(4));
                assertEquals("192.0.2.44", tlsBroker.broker().service().client("default", "tls-v1").orElseThrow()
                        .client().peerHost());
            }
        } finally {
            tlsBroker.broker().close();
        }
    }

    @Test
    public void proxyHeaderAndTlsClientHelloInOneSegmentAreBothRead() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("proxy-tls1");
        io.aviary.broker.testing.TestPki pki = new io.aviary.broker.testing.TestPki(dir, "proxy-ca");
        io.aviary.broker.testing.TestPki.Issued server = pki.server("server");
        TestBroker tlsBroker = new TestBroker().listener(new ListenerSpec("ssl", "lb", "127.0.0.1", 0, true, 0)
                .withProxyProtocol(true).withTls(new io.aviary.broker.config.TlsOptions(server.cert().toString(),
                        server.key().toString(), null, null, java.util.List.of("tlsv1.3", "tlsv1.2"),
                        java.util.List.of(), false, false)));
        tlsBroker.start();
        try (Socket raw = new Socket("127.0.0.1", tlsBroker.port("ssl:lb"))) {
            raw.setSoTimeout(5000);
            javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
            ctx.init(null, pki.trustManagerFactory().getTrustManagers(), null);
            javax.net.ssl.SSLEngine engine = ctx.createSSLEngine("localhost", raw.getPort());
            engine.setUseClientMode(true);
            engine.beginHandshake();
            java.nio.ByteBuffer hello = java.nio.ByteBuffer.allocate(64 * 1024);
            engine.wrap(java.nio.ByteBuffer.allocate(0), hello);
            hello.flip();
            ByteArrayOutputStream segment = new ByteArrayOutputStream();
            segment.writeBytes(v2Header(new byte[] {(byte) 192, 0, 2, 45}));
            byte[] helloBytes = new byte[hello.remaining()];
            hello.get(helloBytes);
            segment.writeBytes(helloBytes);
            raw.getOutputStream().write(segment.toByteArray());
            assertEquals("a TLS handshake record answers", 0x16, raw.getInputStream().read());
        } finally {
            tlsBroker.broker().close();
        }
    }

    @Test
    public void malformedProxyHeaderClosesTheConnection() throws Exception {
        byte[] header = "PROXY TCP4 not-an-address\r\n".getBytes(StandardCharsets.US_ASCII);
        assertClosed(broker.port("tcp:lb"), header);
    }

    @Test
    public void connectWithoutTheExpectedProxyHeaderClosesTheConnection() throws Exception {
        assertClosed(broker.port("tcp:lb"), connect("plain"));
    }

    @Test
    public void proxyHeaderOnAListenerThatDidNotEnableItClosesTheConnection() throws Exception {
        assertClosed(broker.port(), "PROXY TCP4 203.0.113.9 127.0.0.1 40000 1883\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] v2Header(byte[] source) {
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        h.writeBytes(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A});
        h.writeBytes(new byte[] {0x21, 0x11, 0, 12}); // v2 PROXY, TCP over IPv4, 12 address bytes
        h.writeBytes(source);
        h.writeBytes(new byte[] {127, 0, 0, 1, (byte) 0x9c, 0x40, 0x07, 0x5b});
        return h.toByteArray();
    }

    private String connectThrough(int port, byte[] header, String clientId) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(header);
            s.getOutputStream().write(connect(clientId));
            assertArrayEquals(new byte[] {0x20, 2, 0, 0}, s.getInputStream().readNBytes(4));
            return broker.broker().service().client("default", clientId).orElseThrow().client().peerHost();
        }
    }

    private static void assertClosed(int port, byte[] bytes) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(bytes);
            InputStream in = s.getInputStream();
            try {
                assertEquals("no CONNACK, end of stream", -1, in.read());
            } catch (java.net.SocketException reset) {
                // a reset also ends the connection
            }
        }
    }

    private static byte[] connect(String clientId) {
        ByteArrayOutputStream c = new ByteArrayOutputStream();
        c.writeBytes(new byte[] {0x10, (byte) (12 + clientId.length()), 0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 60, 0,
                (byte) clientId.length()});
        c.writeBytes(clientId.getBytes(StandardCharsets.US_ASCII));
        return c.toByteArray();
    }
}

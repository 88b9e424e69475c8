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
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        h.write(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A});
        h.write(new byte[] {0x21, 0x11, 0, 12}); // v2 PROXY, TCP over IPv4, 12 address bytes
        h.write(new byte[] {(byte) 198, 51, 100, 23, 127, 0, 0, 1, (byte) 0x9c, 0x40, 0x07, 0x5b});
        assertEquals("198.51.100.23", connectThrough(broker.port("tcp:lb"), h.toByteArray(), "v2"));
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

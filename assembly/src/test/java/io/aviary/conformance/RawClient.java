package io.aviary.conformance;

import static org.junit.Assert.assertEquals;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain TCP socket speaking MQTT by hand: the tests write packets built by {@link Bytes}
 * and read the broker's answer byte by byte, so reason codes, flags and the moment the broker
 * closes the connection are observed exactly.
 */
final class RawClient implements AutoCloseable {
    /** The longest wait for any single answer from the broker. */
    static final int READ_TIMEOUT_MS = 5_000;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    static RawClient open(int port) throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.setSoTimeout(READ_TIMEOUT_MS);
        s.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MS);
        return new RawClient(s);
    }

    /** Opens a socket, sends the CONNECT and checks the CONNACK accepts it. */
    static RawClient connected(int port, byte[] connect) throws IOException {
        RawClient c = open(port);
        c.send(connect);
        Packet ack = c.expect(Bytes.CONNACK);
        assertEquals("CONNACK return/reason code " + ack, 0, ack.u8(1));
        return c;
    }

    RawClient send(byte[]... packets) throws IOException {
        for (byte[] p : packets) {
            out.write(p);
        }
        out.flush();
        return this;
    }

    /** The next packet; fails if the broker closes the connection or stays silent. */
    Packet read() throws IOException {
        Packet p = readOrNull();
        if (p == null) {
            throw new AssertionError("the broker closed the connection where a packet was expected");
        }
        return p;
    }

    Packet expect(int type) throws IOException {
        Packet p = read();
        assertEquals("packet type of " + p, type, p.type());
        return p;
    }

    /** The next packet, or null once the broker has closed the connection. */
    Packet readOrNull() throws IOException {
        int first;
        try {
            first = in.read();
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no packet and no close from the broker within " + READ_TIMEOUT_MS + " ms");
        } catch (SocketException e) {
            return null; // reset by the broker: closed
        }
        if (first < 0) {
            return null;
        }
        int len = 0;
        int mult = 1;
        int b;
        do {
            b = in.read();
            if (b < 0) {
                throw new EOFException("closed inside a fixed header");
            }
            len += (b & 0x7F) * mult;
            mult *= 128;
        } while ((b & 0x80) != 0);
        byte[] body = in.readNBytes(len);
        if (body.length < len) {
            throw new EOFException("closed inside a packet body");
        }
        return new Packet(first, body);
    }

    /** Asserts the broker closes the connection; returns the packets it sent before closing. */
    List<Packet> awaitClose() throws IOException {
        List<Packet> before = new ArrayList<>();
        for (Packet p = readOrNull(); p != null; p = readOrNull()) {
            before.add(p);
        }
        return before;
    }

    /**
     * For answers that may be a packet or a close: the packets received until the broker
     * closes, or the first packet when the connection stays open (then the list has one).
     */
    List<Packet> awaitCloseOrNext() throws IOException {
        Packet p = readOrNull();
        if (p == null) {
            return List.of();
        }
        return List.of(p);
    }

    /** MQTT 5: asserts the broker sends DISCONNECT with {@code reason} and then closes. */
    Packet awaitDisconnect(int reason) throws IOException {
        List<Packet> before = awaitClose();
        assertEquals("packets before the close: " + before, 1, before.size());
        Packet d = before.get(0);
        assertEquals("packet type of " + d, Bytes.DISCONNECT, d.type());
        assertEquals(String.format("DISCONNECT reason code of %s", d), reason, d.reasonAt(0));
        return d;
    }

    /** True when nothing arrives within {@code millis} (the connection stays open and silent). */
    boolean silentFor(int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            in.read(); // a byte or a close: not silent
            return false;
        } catch (SocketTimeoutException e) {
            return true;
        } catch (SocketException e) {
            return false;
        } finally {
            socket.setSoTimeout(READ_TIMEOUT_MS);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

package io.aviary.mqtt.codec;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Test helpers: build packets byte by byte (hex, strings, lengths) and run them through a
 * decoder in an EmbeddedChannel, so each test states its input as the spec shows it.
 */
final class Wire {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static Wire bytes() {
        return new Wire();
    }

    /** Appends bytes written as hex, spaces ignored: "10 0c 00 04". */
    Wire hex(String hex) {
        out.writeBytes(ByteBufUtil.decodeHexDump(hex.replace(" ", "")));
        return this;
    }

    Wire b(int... values) {
        for (int v : values) {
            out.write(v);
        }
        return this;
    }

    Wire u16(int v) {
        return b(v >> 8, v & 0xFF);
    }

    Wire u32(long v) {
        return b((int) (v >> 24) & 0xFF, (int) (v >> 16) & 0xFF, (int) (v >> 8) & 0xFF, (int) v & 0xFF);
    }

    /** A UTF-8 string with its 2-byte length. */
    Wire str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return u16(b.length).raw(b);
    }

    Wire raw(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    Wire vbi(int v) {
        ByteBuf buf = Unpooled.buffer();
        VariableByteInteger.write(buf, v);
        out.writeBytes(ByteBufUtil.getBytes(buf));
        return this;
    }

    byte[] toArray() {
        return out.toByteArray();
    }

    int size() {
        return out.size();
    }

    /** Fixed header (type/flags byte and remaining length) in front of this body. */
    byte[] packet(int firstByte) {
        byte[] body = toArray();
        return bytes().b(firstByte).vbi(body.length).raw(body).toArray();
    }

    static ByteBuf buf(byte[] b) {
        return Unpooled.wrappedBuffer(b);
    }

    // ----- canned packets -----

    static byte[] connect(MqttVersion v) {
        Wire w = bytes().str(v.protocolName()).b(v.level(), 0x02).u16(60);
        if (v.isV5()) {
            w.b(0);
        }
        return w.str("client-1").packet(0x10);
    }

    static byte[] pingReq() {
        return new byte[] {(byte) 0xC0, 0x00};
    }

    // ----- channels -----

    static EmbeddedChannel server(int maxPacketSize) {
        return new EmbeddedChannel(new MqttDecoder(maxPacketSize));
    }

    /** A server-side channel that has already accepted a CONNECT of this version. */
    static EmbeddedChannel connected(MqttVersion v) {
        EmbeddedChannel ch = server(1 << 20);
        ch.writeInbound(buf(connect(v)));
        ConnectPacket c = ch.readInbound();
        assertEquals(v, c.version());
        return ch;
    }

    static EmbeddedChannel client(MqttVersion v) {
        EmbeddedChannel ch = new EmbeddedChannel(new MqttDecoder(1 << 20, v));
        ch.attr(MqttCodec.VERSION).set(v);
        return ch;
    }

    /**
     * Feeds the bytes, expects exactly one InvalidPacket with this reason, then proves that the
     * decoder ignores whatever follows (a valid PINGREQ yields nothing).
     */
    static InvalidPacket expectInvalid(EmbeddedChannel ch, byte[] input, int reason) {
        ch.writeInbound(buf(input));
        Object first = ch.readInbound();
        assertNotNull("expected an InvalidPacket", first);
        assertTrue("expected InvalidPacket but got " + first, first instanceof InvalidPacket);
        InvalidPacket invalid = (InvalidPacket) first;
        assertEquals(invalid.message(), ReasonCode.name(reason), ReasonCode.name(invalid.reasonCode()));
        assertNull(ch.readInbound());
        ch.writeInbound(buf(pingReq()));
        ch.writeInbound(buf(connect(MqttVersion.MQTT_3_1_1)));
        Object after = ch.readInbound();
        ReferenceCountUtil.release(after);
        assertNull("decoder must discard input after an invalid packet", after);
        return invalid;
    }

    /** Feeds the bytes and returns the single decoded packet. */
    static <T> T decodeOne(EmbeddedChannel ch, byte[] input) {
        ch.writeInbound(buf(input));
        Object msg = ch.readInbound();
        assertNotNull("nothing decoded", msg);
        if (msg instanceof InvalidPacket) {
            throw new AssertionError("unexpected " + msg);
        }
        assertNull(ch.readInbound());
        @SuppressWarnings("unchecked")
        T t = (T) msg;
        return t;
    }
}

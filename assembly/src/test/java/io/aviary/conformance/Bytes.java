package io.aviary.conformance;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Hand-written MQTT encoding for the conformance tests: the raw-socket tests build every
 * packet byte by byte from the specifications, so a malformed or unusual packet is exactly
 * what the test says, with no client library normalising it on the way.
 */
final class Bytes {
    static final int PUBLISH = 3;
    static final int CONNACK = 2;
    static final int PUBACK = 4;
    static final int PUBREC = 5;
    static final int PUBREL = 6;
    static final int PUBCOMP = 7;
    static final int SUBACK = 9;
    static final int UNSUBACK = 11;
    static final int PINGRESP = 13;
    static final int DISCONNECT = 14;
    static final int AUTH = 15;

    private Bytes() {
    }

    static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] u8(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    static byte[] u16(int v) {
        return u8(v >> 8, v);
    }

    static byte[] u32(long v) {
        return u8((int) (v >> 24), (int) (v >> 16), (int) (v >> 8), (int) v);
    }

    static byte[] vbi(int v) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        do {
            int digit = v % 128;
            v /= 128;
            out.write(v > 0 ? digit | 0x80 : digit);
        } while (v > 0);
        return out.toByteArray();
    }

    /** A UTF-8 Encoded String: two length bytes, then the bytes. */
    static byte[] str(String s) {
        return bin(s.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] bin(byte[] b) {
        return cat(u16(b.length), b);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Fixed header (first byte, Remaining Length) followed by the parts. */
    static byte[] packet(int firstByte, byte[]... parts) {
        byte[] body = cat(parts);
        return cat(u8(firstByte), vbi(body.length), body);
    }

    /** MQTT 5 properties: their length as a Variable Byte Integer, then the properties. */
    static byte[] props(byte[]... items) {
        byte[] all = cat(items);
        return cat(vbi(all.length), all);
    }

    static byte[] connect311(String clientId, int flags, int keepAlive, byte[]... payloadRest) {
        return packet(0x10, str("MQTT"), u8(4, flags), u16(keepAlive), str(clientId), cat(payloadRest));
    }

    static byte[] connect311(String clientId) {
        return connect311(clientId, 0x02, 60);
    }

    static byte[] connect5(String clientId, int flags, int keepAlive, byte[] props, byte[]... payloadRest) {
        return packet(0x10, str("MQTT"), u8(5, flags), u16(keepAlive), props, str(clientId), cat(payloadRest));
    }

    static byte[] connect5(String clientId) {
        return connect5(clientId, 0x02, 60, props());
    }

    static byte[] publish311(int qos, boolean retain, String topic, int packetId, String payload) {
        int first = 0x30 | qos << 1 | (retain ? 1 : 0);
        return packet(first, str(topic), qos > 0 ? u16(packetId) : new byte[0], utf8(payload));
    }

    static byte[] publish5(int qos, boolean retain, String topic, int packetId, byte[] props, String payload) {
        int first = 0x30 | qos << 1 | (retain ? 1 : 0);
        return packet(first, str(topic), qos > 0 ? u16(packetId) : new byte[0], props, utf8(payload));
    }

    static byte[] subscribe311(int packetId, String filter, int qos) {
        return packet(0x82, u16(packetId), str(filter), u8(qos));
    }

    static byte[] subscribe5(int packetId, byte[] props, String filter, int options) {
        return packet(0x82, u16(packetId), props, str(filter), u8(options));
    }

    static byte[] unsubscribe311(int packetId, String... filters) {
        byte[][] parts = new byte[filters.length][];
        for (int i = 0; i < filters.length; i++) {
            parts[i] = str(filters[i]);
        }
        return packet(0xA2, u16(packetId), cat(parts));
    }

    static byte[] unsubscribe5(int packetId, String... filters) {
        byte[][] parts = new byte[filters.length][];
        for (int i = 0; i < filters.length; i++) {
            parts[i] = str(filters[i]);
        }
        return packet(0xA2, u16(packetId), props(), cat(parts));
    }

    /** An MQTT 5 acknowledgement with a reason code and no properties. */
    static byte[] ack5(int type, int packetId, int reason) {
        return packet(type << 4 | (type == PUBREL ? 2 : 0), u16(packetId), u8(reason), props());
    }

    static byte[] ack(int type, int packetId) {
        return packet(type << 4 | (type == PUBREL ? 2 : 0), u16(packetId));
    }

    static byte[] pingreq() {
        return u8(0xC0, 0);
    }

    static byte[] disconnect() {
        return u8(0xE0, 0);
    }

    static byte[] disconnect5(int reason, byte[] props) {
        return packet(0xE0, u8(reason), props);
    }
}

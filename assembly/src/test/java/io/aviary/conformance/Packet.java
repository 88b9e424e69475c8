package io.aviary.conformance;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One MQTT packet as the broker sent it (first byte and body), with just enough parsing for
 * the assertions: reason codes, packet ids, MQTT 5 properties and PUBLISH fields.
 */
record Packet(int header, byte[] body) {

    int type() {
        return header >> 4;
    }

    int flags() {
        return header & 0x0F;
    }

    int u8(int at) {
        return body[at] & 0xFF;
    }

    int u16(int at) {
        return u8(at) << 8 | u8(at + 1);
    }

    /** CONNACK / SUBACK / v5 acks: the byte at {@code at}, or 0 (Success) when the packet is shorter. */
    int reasonAt(int at) {
        return body.length > at ? u8(at) : 0;
    }

    /** MQTT 5 properties starting at {@code at} (their length first). Absent: empty. */
    Props propsAt(int at) {
        if (body.length <= at) {
            return new Props(List.of(), at);
        }
        int[] pos = {at};
        int len = vbi(pos);
        int end = pos[0] + len;
        List<Props.Prop> list = new ArrayList<>();
        while (pos[0] < end) {
            int id = vbi(pos);
            list.add(new Props.Prop(id, value(id, pos)));
        }
        return new Props(list, end);
    }

    private int vbi(int[] pos) {
        int value = 0;
        int mult = 1;
        int b;
        do {
            b = u8(pos[0]++);
            value += (b & 0x7F) * mult;
            mult *= 128;
        } while ((b & 0x80) != 0);
        return value;
    }

    private Object value(int id, int[] pos) {
        switch (id) {
            case 0x01: case 0x17: case 0x19: case 0x24: case 0x25: case 0x28: case 0x29: case 0x2A:
                return u8(pos[0]++);
            case 0x13: case 0x21: case 0x22: case 0x23: {
                int v = u16(pos[0]);
                pos[0] += 2;
                return v;
            }
            case 0x02: case 0x11: case 0x18: case 0x27: {
                long v = (long) u16(pos[0]) << 16 | u16(pos[0] + 2);
                pos[0] += 4;
                return v;
            }
            case 0x0B:
                return vbi(pos);
            case 0x09: case 0x16:
                return bytes(pos);
            case 0x26:
                return string(pos) + "=" + string(pos);
            default:
                return string(pos);
        }
    }

    private byte[] bytes(int[] pos) {
        int len = u16(pos[0]);
        byte[] b = java.util.Arrays.copyOfRange(body, pos[0] + 2, pos[0] + 2 + len);
        pos[0] += 2 + len;
        return b;
    }

    private String string(int[] pos) {
        return new String(bytes(pos), StandardCharsets.UTF_8);
    }

    /** This packet as a PUBLISH (v5 reads properties). */
    Publish publish(boolean v5) {
        if (type() != Bytes.PUBLISH) {
            throw new AssertionError("expected PUBLISH, got packet type " + type());
        }
        int[] pos = {0};
        String topic = string(pos);
        int qos = flags() >> 1 & 3;
        int packetId = 0;
        if (qos > 0) {
            packetId = u16(pos[0]);
            pos[0] += 2;
        }
        Props props = new Props(List.of(), pos[0]);
        if (v5) {
            props = propsAt(pos[0]);
            pos[0] = props.end();
        }
        String payload = new String(body, pos[0], body.length - pos[0], StandardCharsets.UTF_8);
        return new Publish(topic, qos, (flags() & 8) != 0, (flags() & 1) != 0, packetId, props, payload);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(String.format("%02X", header)).append(" [");
        for (byte b : body) {
            sb.append(String.format(" %02X", b));
        }
        return sb.append(" ]").toString();
    }

    record Publish(String topic, int qos, boolean dup, boolean retain, int packetId, Props props, String payload) {
    }

    /** Decoded MQTT 5 properties in wire order; {@code end} is the offset after them. */
    record Props(List<Prop> list, int end) {
        record Prop(int id, Object value) {
        }

        Object get(int id) {
            return list.stream().filter(p -> p.id == id).map(Prop::value).findFirst().orElse(null);
        }

        List<Object> all(int id) {
            return list.stream().filter(p -> p.id == id).map(Prop::value).toList();
        }
    }
}

package io.aviary.mqtt.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;

/**
 * Writes every packet except the PUBLISH payload into one buffer. The body is written after a
 * 5-byte gap, then the fixed header is placed right in front of it, so no size pass is needed
 * and at most 4 bytes are wasted. The PUBLISH payload is never copied: the caller appends a
 * retained slice of it (see {@link MqttEncoder}).
 */
final class PacketWriter {
    private static final int HEADER_GAP = 5;

    private PacketWriter() {
    }

    /** Fixed header + variable header (+ payload for every type except PUBLISH). */
    static ByteBuf writeHeaderAndBody(ByteBufAllocator alloc, MqttPacket p, MqttVersion v, int publishPayloadSize) {
        return writeHeaderAndBody(alloc, p, v, publishPayloadSize, 0);
    }

    /** @param spare room left after the body, for a small payload the caller copies in */
    static ByteBuf writeHeaderAndBody(ByteBufAllocator alloc, MqttPacket p, MqttVersion v, int publishPayloadSize,
                                      int spare) {
        ByteBuf out = alloc.buffer(initialCapacity(p, v) + spare);
        try {
            out.writerIndex(HEADER_GAP);
            int flags = writeBody(out, p, v);
            int remaining = out.writerIndex() - HEADER_GAP + publishPayloadSize;
            if (remaining > MqttCodec.MAX_VARIABLE_BYTE_INT) {
                throw new IllegalArgumentException(p.type() + " too large for MQTT: remaining length " + remaining);
            }
            int start = HEADER_GAP - 1 - VariableByteInteger.size(remaining);
            int end = out.writerIndex();
            out.writerIndex(start);
            out.writeByte(p.type().value() << 4 | flags);
            VariableByteInteger.write(out, remaining);
            out.writerIndex(end);
            out.readerIndex(start);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    private static int initialCapacity(MqttPacket p, MqttVersion v) {
        if (p instanceof PublishPacket pub) {
            return HEADER_GAP + 4 + 3 * pub.topic().length() + (v.isV5() ? pub.propertiesSizeWithPrefix() : 0);
        }
        return 64;
    }

    /** Writes the variable header and payload; answers the fixed-header flag bits. */
    private static int writeBody(ByteBuf out, MqttPacket p, MqttVersion v) {
        if (p instanceof ConnectPacket c) {
            writeConnect(out, c);
        } else if (p instanceof ConnAckPacket c) {
            writeConnAck(out, c, v);
        } else if (p instanceof PublishPacket pub) {
            return writePublish(out, pub, v);
        } else if (p instanceof AckPacket a) {
            writeAck(out, a, v);
            return a.type() == PacketType.PUBREL ? 0b0010 : 0;
        } else if (p instanceof SubscribePacket s) {
            writeSubscribe(out, s, v);
            return 0b0010;
        } else if (p instanceof SubAckPacket s) {
            writeSubAck(out, s, v);
        } else if (p instanceof UnsubscribePacket u) {
            writeUnsubscribe(out, u, v);
            return 0b0010;
        } else if (p instanceof UnsubAckPacket u) {
            writeUnsubAck(out, u, v);
        } else if (p instanceof DisconnectPacket d) {
            writeReasonAndProperties(out, d.reasonCode(), d.properties(), PacketType.DISCONNECT, v);
        } else if (p instanceof AuthPacket a) {
            if (!v.isV5()) {
                throw new IllegalArgumentException("AUTH exists only in MQTT 5");
            }
            writeReasonAndProperties(out, a.reasonCode(), a.properties(), PacketType.AUTH, v);
        }
        return 0; // PINGREQ, PINGRESP: no body
    }

    private static void writeConnect(ByteBuf out, ConnectPacket c) {
        MqttVersion v = c.version();
        Will will = c.will();
        if (!v.isV5() && c.password() != null && c.username() == null) {
            throw new IllegalArgumentException("a password needs a user name before MQTT 5 [MQTT-3.1.2-22]");
        }
        Fields.writeString(out, v.protocolName());
        out.writeByte(v.level());
        int flags = (c.username() != null ? 0x80 : 0) | (c.password() != null ? 0x40 : 0)
                | (c.cleanStart() ? 0x02 : 0);
        if (will != null) {
            flags |= 0x04 | will.qos() << 3 | (will.retain() ? 0x20 : 0);
        }
        out.writeByte(flags);
        out.writeShort(c.keepAlive());
        if (v.isV5()) {
            PropertiesCodec.write(out, c.properties(), PacketType.CONNECT, false);
        }
        Fields.writeString(out, c.clientId());
        if (will != null) {
            if (v.isV5()) {
                PropertiesCodec.write(out, will.properties(), PacketType.CONNECT, true);
            }
            Fields.writeString(out, will.topic());
            Fields.writeBinary(out, will.payload());
        }
        if (c.username() != null) {
            Fields.writeString(out, c.username());
        }
        if (c.password() != null) {
            Fields.writeBinary(out, c.password());
        }
    }

    private static void writeConnAck(ByteBuf out, ConnAckPacket c, MqttVersion v) {
        boolean present = c.sessionPresent() && v != MqttVersion.MQTT_3_1;
        out.writeByte(present ? 1 : 0);
        if (v.isV5()) {
            out.writeByte(c.reasonCode());
            PropertiesCodec.write(out, c.properties(), PacketType.CONNACK, false);
        } else {
            out.writeByte(ReasonCode.toV3ConnackCode(c.reasonCode()));
        }
    }

    private static int writePublish(ByteBuf out, PublishPacket p, MqttVersion v) {
        if (!v.isV5() && p.topic().isEmpty()) {
            throw new IllegalArgumentException("an empty topic (topic alias) needs MQTT 5");
        }
        Fields.writeString(out, p.topic());
        if (p.qos() > 0) {
            out.writeShort(p.packetId());
        }
        if (v.isV5() && p.addedTopicAlias() != 0) {
            PropertiesCodec.writeWithTopicAlias(out, p.properties(), p.addedTopicAlias());
        } else if (v.isV5()) {
            PropertiesCodec.write(out, p.properties(), PacketType.PUBLISH, false);
        }
        return (p.dup() && p.qos() > 0 ? 0x08 : 0) | p.qos() << 1 | (p.isRetain() ? 1 : 0);
    }

    private static void writeAck(ByteBuf out, AckPacket a, MqttVersion v) {
        out.writeShort(a.packetId());
        if (!v.isV5() || (a.reasonCode() == ReasonCode.SUCCESS && a.properties().isEmpty())) {
            return; // [MQTT-3.4.2-1]: reason and properties may be omitted for Success
        }
        out.writeByte(a.reasonCode());
        if (!a.properties().isEmpty()) {
            PropertiesCodec.write(out, a.properties(), a.type(), false);
        }
    }

    private static void writeSubscribe(ByteBuf out, SubscribePacket s, MqttVersion v) {
        if (s.subscriptions().isEmpty()) {
            throw new IllegalArgumentException("SUBSCRIBE needs at least one topic filter [MQTT-3.8.3-2]");
        }
        out.writeShort(s.packetId());
        if (v.isV5()) {
            PropertiesCodec.write(out, s.properties(), PacketType.SUBSCRIBE, false);
        }
        for (Subscription sub : s.subscriptions()) {
            Fields.writeString(out, sub.topicFilter());
            int options = sub.qos();
            if (v.isV5()) {
                options |= (sub.noLocal() ? 0x04 : 0) | (sub.retainAsPublished() ? 0x08 : 0) | sub.retainHandling() << 4;
            }
            out.writeByte(options);
        }
    }

    private static void writeSubAck(ByteBuf out, SubAckPacket s, MqttVersion v) {
        out.writeShort(s.packetId());
        if (v.isV5()) {
            PropertiesCodec.write(out, s.properties(), PacketType.SUBACK, false);
        }
        writeCodes(out, s.reasonCodes(), v);
    }

    private static void writeCodes(ByteBuf out, List<Integer> codes, MqttVersion v) {
        for (int code : codes) {
            out.writeByte(v.isV5() || code < 0x80 ? code : ReasonCode.SUBACK_V3_FAILURE);
        }
    }

    private static void writeUnsubscribe(ByteBuf out, UnsubscribePacket u, MqttVersion v) {
        if (u.topicFilters().isEmpty()) {
            throw new IllegalArgumentException("UNSUBSCRIBE needs at least one topic filter [MQTT-3.10.3-2]");
        }
        out.writeShort(u.packetId());
        if (v.isV5()) {
            PropertiesCodec.write(out, u.properties(), PacketType.UNSUBSCRIBE, false);
        }
        for (String f : u.topicFilters()) {
            Fields.writeString(out, f);
        }
    }

    private static void writeUnsubAck(ByteBuf out, UnsubAckPacket u, MqttVersion v) {
        out.writeShort(u.packetId());
        if (v.isV5()) {
            PropertiesCodec.write(out, u.properties(), PacketType.UNSUBACK, false);
            writeCodes(out, u.reasonCodes(), v);
        }
    }

    /** DISCONNECT and AUTH: both may be empty (Success, no properties) under MQTT 5. */
    private static void writeReasonAndProperties(ByteBuf out, int reason, MqttProperties props, PacketType type, MqttVersion v) {
        if (!v.isV5() || (reason == ReasonCode.SUCCESS && props.isEmpty())) {
            return;
        }
        out.writeByte(reason);
        if (!props.isEmpty()) {
            PropertiesCodec.write(out, props, type, false);
        }
    }
}

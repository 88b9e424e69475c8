package io.aviary.mqtt.codec;

import java.util.Objects;

/**
 * PUBACK, PUBREC, PUBREL and PUBCOMP: the four QoS flow acknowledgements share one shape
 * (packet id, v5 reason code, v5 properties), so they share one record.
 */
public record AckPacket(PacketType type, int packetId, int reasonCode, MqttProperties properties) implements MqttPacket {

    public AckPacket {
        Objects.requireNonNull(type, "type");
        if (type != PacketType.PUBACK && type != PacketType.PUBREC && type != PacketType.PUBREL
                && type != PacketType.PUBCOMP) {
            throw new IllegalArgumentException("not an ack type: " + type);
        }
        PacketChecks.requirePacketId(packetId);
        PacketChecks.requireByte("reasonCode", reasonCode);
        properties = properties == null ? MqttProperties.EMPTY : properties;
    }

    public static AckPacket pubAck(int packetId) {
        return new AckPacket(PacketType.PUBACK, packetId, ReasonCode.SUCCESS, MqttProperties.EMPTY);
    }

    public static AckPacket pubRec(int packetId) {
        return new AckPacket(PacketType.PUBREC, packetId, ReasonCode.SUCCESS, MqttProperties.EMPTY);
    }

    public static AckPacket pubRel(int packetId) {
        return new AckPacket(PacketType.PUBREL, packetId, ReasonCode.SUCCESS, MqttProperties.EMPTY);
    }

    public static AckPacket pubComp(int packetId) {
        return new AckPacket(PacketType.PUBCOMP, packetId, ReasonCode.SUCCESS, MqttProperties.EMPTY);
    }

    /** The same ack with another reason code (v5; dropped on the wire under 3.1.1). */
    public AckPacket withReasonCode(int code) {
        return new AckPacket(type, packetId, code, properties);
    }
}

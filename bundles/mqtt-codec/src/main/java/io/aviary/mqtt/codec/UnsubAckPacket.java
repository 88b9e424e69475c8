package io.aviary.mqtt.codec;

import java.util.List;

/**
 * UNSUBACK: one v5 reason code per filter. Under 3.1/3.1.1 there are no reason codes on the
 * wire: the encoder writes only the packet id and a v3 decoder yields an empty list.
 */
public record UnsubAckPacket(int packetId, List<Integer> reasonCodes, MqttProperties properties) implements MqttPacket {

    public UnsubAckPacket {
        PacketChecks.requirePacketId(packetId);
        reasonCodes = reasonCodes == null ? List.of() : List.copyOf(reasonCodes);
        reasonCodes.forEach(c -> PacketChecks.requireByte("reasonCode", c));
        properties = properties == null ? MqttProperties.EMPTY : properties;
    }

    @Override
    public PacketType type() {
        return PacketType.UNSUBACK;
    }
}

package io.aviary.mqtt.codec;

import java.util.List;

/**
 * SUBACK: one reason code per requested filter, in order. Codes are v5 codes; under 3.1.1
 * any failure (0x80 and above) is written as 0x80.
 */
public record SubAckPacket(int packetId, List<Integer> reasonCodes, MqttProperties properties) implements MqttPacket {

    public SubAckPacket {
        PacketChecks.requirePacketId(packetId);
        reasonCodes = List.copyOf(reasonCodes);
        reasonCodes.forEach(c -> PacketChecks.requireByte("reasonCode", c));
        properties = properties == null ? MqttProperties.EMPTY : properties;
    }

    @Override
    public PacketType type() {
        return PacketType.SUBACK;
    }
}

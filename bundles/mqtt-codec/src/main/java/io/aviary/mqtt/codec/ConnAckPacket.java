package io.aviary.mqtt.codec;

/**
 * CONNACK. {@code reasonCode} is always a v5 reason code in the model; the encoder maps it to
 * a 3.1.1 return code ({@link ReasonCode#toV3ConnackCode}) for older clients, and a v3 client
 * decoder maps back ({@link ReasonCode#fromV3ConnackCode}).
 */
public record ConnAckPacket(boolean sessionPresent, int reasonCode, MqttProperties properties) implements MqttPacket {

    public ConnAckPacket {
        properties = properties == null ? MqttProperties.EMPTY : properties;
        PacketChecks.requireByte("reasonCode", reasonCode);
    }

    @Override
    public PacketType type() {
        return PacketType.CONNACK;
    }
}

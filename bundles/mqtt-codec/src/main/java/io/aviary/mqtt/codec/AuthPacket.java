package io.aviary.mqtt.codec;

/** AUTH (MQTT 5 only): enhanced authentication exchange. */
public record AuthPacket(int reasonCode, MqttProperties properties) implements MqttPacket {

    public AuthPacket {
        PacketChecks.requireByte("reasonCode", reasonCode);
        properties = properties == null ? MqttProperties.EMPTY : properties;
    }

    @Override
    public PacketType type() {
        return PacketType.AUTH;
    }
}

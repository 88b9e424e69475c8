package io.aviary.mqtt.codec;

/**
 * DISCONNECT. Under 3.1/3.1.1 it carries nothing (reason NORMAL_DISCONNECTION, no properties);
 * under MQTT 5 either side may send it with a reason code.
 */
public record DisconnectPacket(int reasonCode, MqttProperties properties) implements MqttPacket {
    public static final DisconnectPacket NORMAL = new DisconnectPacket(ReasonCode.NORMAL_DISCONNECTION, MqttProperties.EMPTY);

    public DisconnectPacket {
        PacketChecks.requireByte("reasonCode", reasonCode);
        properties = properties == null ? MqttProperties.EMPTY : properties;
    }

    /** A DISCONNECT with a reason code and no properties. */
    public static DisconnectPacket of(int reasonCode) {
        return new DisconnectPacket(reasonCode, MqttProperties.EMPTY);
    }

    @Override
    public PacketType type() {
        return PacketType.DISCONNECT;
    }
}

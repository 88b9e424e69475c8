package io.aviary.mqtt.codec;

/**
 * An MQTT control packet, decoded or about to be encoded. The model is version-neutral: the
 * MQTT 5 fields (properties, reason codes) are simply empty / SUCCESS under 3.1 and 3.1.1, and
 * the encoder drops what the target version cannot carry. Only {@link PublishPacket} holds a
 * reference-counted buffer.
 */
public sealed interface MqttPacket permits ConnectPacket, ConnAckPacket, PublishPacket, AckPacket,
        SubscribePacket, SubAckPacket, UnsubscribePacket, UnsubAckPacket, PingReqPacket, PingRespPacket,
        DisconnectPacket, AuthPacket {

    PacketType type();
}

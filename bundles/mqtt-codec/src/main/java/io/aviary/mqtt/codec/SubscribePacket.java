package io.aviary.mqtt.codec;

import java.util.List;

/** SUBSCRIBE: a packet id and one or more topic filters with options. */
public record SubscribePacket(int packetId, List<Subscription> subscriptions, MqttProperties properties) implements MqttPacket {

    public SubscribePacket {
        PacketChecks.requirePacketId(packetId);
        subscriptions = List.copyOf(subscriptions);
        properties = properties == null ? MqttProperties.EMPTY : properties;
    }

    @Override
    public PacketType type() {
        return PacketType.SUBSCRIBE;
    }

    /** The Subscription Identifier (MQTT 5) or null. */
    public Integer subscriptionIdentifier() {
        return properties.getInt(PropertyId.SUBSCRIPTION_IDENTIFIER);
    }
}

package io.aviary.mqtt.codec;

import java.util.List;

/** UNSUBSCRIBE: a packet id and one or more topic filters. */
public record UnsubscribePacket(int packetId, List<String> topicFilters, MqttProperties properties) implements MqttPacket {

    public UnsubscribePacket {
        PacketChecks.requirePacketId(packetId);
        topicFilters = List.copyOf(topicFilters);
        properties = properties == null ? MqttProperties.EMPTY : properties;
    }

    @Override
    public PacketType type() {
        return PacketType.UNSUBSCRIBE;
    }
}

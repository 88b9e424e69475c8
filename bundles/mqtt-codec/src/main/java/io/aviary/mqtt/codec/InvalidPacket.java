package io.aviary.mqtt.codec;

/**
 * What the decoder emits instead of a packet when the input breaks the protocol; afterwards it
 * discards everything else the channel sends. Not an {@link MqttPacket}: the broker answers it
 * (CONNACK for a CONNECT error, DISCONNECT under MQTT 5 otherwise) and closes the connection.
 * When the protocol level of a CONNECT was readable, {@link MqttCodec#VERSION} is already set.
 *
 * @param type the packet type if the fixed header was readable, else null
 * @param reasonCode the v5 reason code the spec names (0x81, 0x82, 0x84, 0x85, 0x95, ...)
 * @param message a precise, human-readable description (safe to log; no payload data)
 */
public record InvalidPacket(PacketType type, int reasonCode, String message) {

    /** True if the broker should answer with CONNACK rather than DISCONNECT. */
    public boolean isConnect() {
        return type == PacketType.CONNECT;
    }
}

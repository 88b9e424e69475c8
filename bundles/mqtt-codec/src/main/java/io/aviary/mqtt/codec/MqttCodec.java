package io.aviary.mqtt.codec;

import io.netty.util.AttributeKey;

/**
 * Channel attributes shared by the decoder, the encoder and the broker. The decoder sets
 * {@link #VERSION} when it reads the CONNECT protocol level; the encoder reads it to choose
 * the wire format (3.1.1 until set). Likewise {@link #PEER_MAXIMUM_PACKET_SIZE}.
 */
public final class MqttCodec {
    public static final AttributeKey<MqttVersion> VERSION = AttributeKey.valueOf(MqttCodec.class, "VERSION");

    /**
     * The peer's MQTT 5 Maximum Packet Size in bytes, unset when it announced none. The decoder
     * sets it from the CONNECT (server side) or the CONNACK (client side); the encoder then leaves
     * out a Reason String or User Properties that would make a packet larger (MQTT 5 3.2.2-19/20,
     * 3.4.2-2/3 ... 3.15.2-2/3). PUBLISH is the sender's business: it must skip the whole message.
     */
    public static final AttributeKey<Long> PEER_MAXIMUM_PACKET_SIZE =
            AttributeKey.valueOf(MqttCodec.class, "PEER_MAXIMUM_PACKET_SIZE");

    /** The maximum value of a 4-byte variable byte integer (remaining length limit): 268,435,455. */
    public static final int MAX_VARIABLE_BYTE_INT = 268_435_455;

    /** The largest packet MQTT can express: fixed header byte + 4 length bytes + the remaining length limit. */
    public static final int MAX_PACKET_SIZE = 1 + 4 + MAX_VARIABLE_BYTE_INT;

    private MqttCodec() {
    }
}

package io.aviary.mqtt.codec;

import io.netty.util.AttributeKey;

/**
 * Channel attributes shared by the decoder, the encoder and the broker. The decoder sets
 * {@link #VERSION} when it reads the CONNECT protocol level; the encoder reads it to choose
 * the wire format (3.1.1 until set).
 */
public final class MqttCodec {
    public static final AttributeKey<MqttVersion> VERSION = AttributeKey.valueOf(MqttCodec.class, "VERSION");

    /** The maximum value of a 4-byte variable byte integer (remaining length limit): 268,435,455. */
    public static final int MAX_VARIABLE_BYTE_INT = 268_435_455;

    /** The largest packet MQTT can express: fixed header byte + 4 length bytes + the remaining length limit. */
    public static final int MAX_PACKET_SIZE = 1 + 4 + MAX_VARIABLE_BYTE_INT;

    private MqttCodec() {
    }
}

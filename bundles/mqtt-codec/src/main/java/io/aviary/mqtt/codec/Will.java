package io.aviary.mqtt.codec;

import java.util.Arrays;
import java.util.Objects;

/**
 * The Will Message of a CONNECT packet: published by the broker when the connection ends
 * without a normal DISCONNECT. Its payload is small (inside CONNECT) and kept as a byte array.
 *
 * @param qos 0, 1 or 2
 * @param properties the Will Properties (MQTT 5), never null
 */
public record Will(String topic, byte[] payload, int qos, boolean retain, MqttProperties properties) {

    public Will {
        Objects.requireNonNull(topic, "topic");
        payload = payload == null ? new byte[0] : payload;
        properties = properties == null ? MqttProperties.EMPTY : properties;
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("will qos " + qos);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Will w && topic.equals(w.topic) && Arrays.equals(payload, w.payload)
                && qos == w.qos && retain == w.retain && properties.equals(w.properties);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, Arrays.hashCode(payload), qos, retain, properties);
    }

    @Override
    public String toString() {
        return "Will[topic=" + topic + ", payload=" + payload.length + " bytes, qos=" + qos
                + ", retain=" + retain + ", properties=" + properties + "]";
    }
}

package io.aviary.mqtt.codec;

import java.util.Objects;

/**
 * One Topic Filter of a SUBSCRIBE packet with its Subscription Options. Under 3.1/3.1.1 only
 * the filter and QoS travel; the other options keep their defaults (false, false, 0).
 *
 * @param retainHandling 0 send retained on subscribe, 1 only if new, 2 never
 */
public record Subscription(String topicFilter, int qos, boolean noLocal, boolean retainAsPublished, int retainHandling) {

    public Subscription {
        Objects.requireNonNull(topicFilter, "topicFilter");
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("qos " + qos);
        }
        if (retainHandling < 0 || retainHandling > 2) {
            throw new IllegalArgumentException("retainHandling " + retainHandling);
        }
    }

    /** A subscription with the default MQTT 5 options. */
    public Subscription(String topicFilter, int qos) {
        this(topicFilter, qos, false, false, 0);
    }
}

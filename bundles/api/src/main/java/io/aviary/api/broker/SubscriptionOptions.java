package io.aviary.api.broker;

/**
 * MQTT 5 subscription options (MQTT 3.1.1 uses only qos).
 *
 * @param retainHandling 0 send retained on subscribe, 1 only if the subscription is new, 2 never
 * @param subscriptionId MQTT 5 subscription identifier, 0 when absent
 */
public record SubscriptionOptions(int qos, boolean noLocal, boolean retainAsPublished, int retainHandling, int subscriptionId) {

    public SubscriptionOptions {
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("qos must be 0, 1 or 2: " + qos);
        }
        if (retainHandling < 0 || retainHandling > 2) {
            throw new IllegalArgumentException("retainHandling must be 0, 1 or 2: " + retainHandling);
        }
    }

    public static SubscriptionOptions qos(int qos) {
        return new SubscriptionOptions(qos, false, false, 0, 0);
    }
}

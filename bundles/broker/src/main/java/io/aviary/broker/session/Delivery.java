package io.aviary.broker.session;

import io.aviary.broker.message.BrokerMessage;
import io.aviary.broker.topic.Subscription;

/**
 * One message on its way to one session: the shared message plus what this subscriber gets
 * (QoS after the subscription's cap, the RETAIN flag after Retain As Published, the matching
 * Subscription Identifiers). Owns one reference to the message while it waits in a queue.
 *
 * @param subscriptionIds matching MQTT 5 subscription identifiers, or null
 * @param shared          the shared subscription that chose this session, or null
 * @param seq             its record's number in a durable session's store (also gives its packet id), 0 if not stored
 * @param restored        read back from the store at start: it may have been sent before, so it goes with DUP
 */
public record Delivery(BrokerMessage message, int qos, boolean retain, int[] subscriptionIds, Subscription shared,
                       long seq, boolean restored) {

    public Delivery(BrokerMessage message, int qos, boolean retain, int[] subscriptionIds, Subscription shared) {
        this(message, qos, retain, subscriptionIds, shared, 0, false);
    }

    public Delivery withSeq(long newSeq) {
        return new Delivery(message, qos, retain, subscriptionIds, shared, newSeq, restored);
    }
}

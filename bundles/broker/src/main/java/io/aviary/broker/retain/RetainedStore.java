package io.aviary.broker.retain;

import io.aviary.broker.message.BrokerMessage;
import java.util.function.Consumer;

/**
 * Retained messages per tenant and topic: the seam the durable store will implement later.
 * The store owns one reference to each message it holds.
 */
public interface RetainedStore {

    /** Stores (retaining the message) or, for an empty payload, clears the topic's retained message. */
    void put(BrokerMessage message);

    /** Calls {@code sink} with each unexpired retained message matching the filter; each is retained for the sink, which must release it. */
    void match(String tenant, String topicFilter, Consumer<BrokerMessage> sink);

    int size(String tenant);

    void clear();
}

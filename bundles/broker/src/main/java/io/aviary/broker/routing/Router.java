package io.aviary.broker.routing;

import io.aviary.broker.message.BrokerMessage;

/**
 * Delivers a message to every matching subscription of its tenant: the seam a cluster
 * implementation extends to forward messages to other nodes.
 */
public interface Router {

    /**
     * Routes the message; the caller keeps its own reference (every delivery retains its own).
     *
     * @return the number of sessions the message was handed to
     */
    int route(BrokerMessage message);
}

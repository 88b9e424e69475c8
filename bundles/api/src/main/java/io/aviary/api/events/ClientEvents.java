package io.aviary.api.events;

import io.aviary.api.client.ClientInfo;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard listener for client connects and disconnects only. Unlike {@link BrokerEvents},
 * registering one costs the message path nothing: the broker builds no per-message event for
 * it. Used by $SYS client notices; calls arrive on I/O threads, so return quickly.
 */
@ConsumerType
public interface ClientEvents {

    void clientConnected(ClientInfo client, boolean cleanStart, int keepAlive, long sessionExpiry);

    /** @param reason EMQX-style reason, as in {@link BrokerEvents#clientDisconnected} */
    void clientDisconnected(ClientInfo client, String reason);
}

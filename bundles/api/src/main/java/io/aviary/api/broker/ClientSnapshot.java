package io.aviary.api.broker;

import io.aviary.api.client.ClientInfo;

/**
 * A point-in-time view of a session and its connection, for the admin API.
 *
 * @param connected        false for a persistent session whose client is offline
 * @param connectedAt      epoch ms of the last connect
 * @param disconnectedAt   epoch ms of the last disconnect, 0 while connected
 * @param expiryInterval   session expiry interval in seconds (0xFFFFFFFFL never expires)
 */
public record ClientSnapshot(
        ClientInfo client,
        boolean connected,
        boolean cleanStart,
        int keepAlive,
        long expiryInterval,
        long createdAt,
        long connectedAt,
        long disconnectedAt,
        int subscriptions,
        int inflight,
        int inflightMax,
        int queued,
        long receivedMessages,
        long sentMessages) {
}

package io.aviary.api.broker;

import io.aviary.api.client.ClientInfo;

/**
 * A point-in-time view of a session and its connection, for the admin API.
 *
 * @param connected        false for a persistent session whose client is offline
 * @param connectedAt      epoch ms of the last connect
 * @param disconnectedAt   epoch ms of the last disconnect, 0 while connected
 * @param expiryInterval   session expiry interval in seconds (0xFFFFFFFFL never expires)
 * @param droppedMessages  messages this session lost: queue full (policy QoS 0 first, then oldest),
 *                         expired, or too large for the client
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
        long sentMessages,
        long droppedMessages) {

    /** Without a drop count (api 1.0 callers). */
    public ClientSnapshot(ClientInfo client, boolean connected, boolean cleanStart, int keepAlive, long expiryInterval,
            long createdAt, long connectedAt, long disconnectedAt, int subscriptions, int inflight, int inflightMax,
            int queued, long receivedMessages, long sentMessages) {
        this(client, connected, cleanStart, keepAlive, expiryInterval, createdAt, connectedAt, disconnectedAt,
                subscriptions, inflight, inflightMax, queued, receivedMessages, sentMessages, 0);
    }
}

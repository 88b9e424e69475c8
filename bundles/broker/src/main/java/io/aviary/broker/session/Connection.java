package io.aviary.broker.session;

import io.aviary.api.client.ClientInfo;

/**
 * The live network side of a session, as the session and the router see it. Implemented by
 * the MQTT channel handler; a gateway or a WebSocket listener can implement it the same way.
 */
public interface Connection {

    ClientInfo client();

    /** Hands a message to the connection; callable from any thread (hops to the connection's event loop). */
    void send(Delivery delivery);

    /**
     * Queued messages may fit the window now (another connection of this session, being taken
     * over, received acknowledgements); callable from any thread.
     */
    void wake();

    /** Ends the connection: MQTT 5 gets DISCONNECT with the reason first; callable from any thread. */
    void disconnect(int reasonCode, String reason);

    /** Forgets the connection's cached authorization answers; callable from any thread (done on its own). */
    default void clearAuthzCache() {
    }

    /** The connection's cached authorization answers, read on its own thread. */
    default java.util.concurrent.CompletionStage<java.util.List<io.aviary.api.auth.AuthzCacheEntry>> authzCache() {
        return java.util.concurrent.CompletableFuture.completedFuture(java.util.List.of());
    }
}

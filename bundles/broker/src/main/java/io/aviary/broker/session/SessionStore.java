package io.aviary.broker.session;

/**
 * Where session state lives. In memory now; the durability work replaces this with a store
 * that survives restarts (keys start with the tenant so a tenant can be listed and dropped by prefix).
 */
public interface SessionStore {

    SessionState create(SessionKey key, long now);

    /** A state for a session that outlives its connection ({@code persistent}, expiry above 0) or not. */
    default SessionState create(SessionKey key, long now, boolean persistent) {
        return create(key, now);
    }

    /** Forgets the session's state, releasing what it holds. */
    void delete(SessionState state);
}

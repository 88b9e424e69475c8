package io.aviary.broker.session;

import java.util.Collection;
import java.util.function.BiFunction;

/**
 * Finds sessions by (tenant, clientId): the seam a cluster implementation replaces so that a
 * client id is unique across nodes.
 */
public interface SessionRegistry {

    Session get(SessionKey key);

    /** Atomically replaces the mapping: {@code f} gets the current session (or null) and returns the one to keep. */
    Session compute(SessionKey key, BiFunction<SessionKey, Session, Session> f);

    /** Removes the mapping only if it still points at {@code session}. */
    boolean remove(SessionKey key, Session session);

    /** Sessions of one tenant, or of all tenants when null. */
    Collection<Session> all(String tenant);

    int size();

    /** Sessions of one tenant. */
    default int size(String tenant) {
        return all(tenant).size();
    }
}

package io.aviary.broker.session;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/** {@link SessionRegistry} for one node: a concurrent map keyed by (tenant, clientId). */
public final class LocalSessionRegistry implements SessionRegistry {

    private final ConcurrentHashMap<SessionKey, Session> sessions = new ConcurrentHashMap<>();

    @Override
    public Session get(SessionKey key) {
        return sessions.get(key);
    }

    @Override
    public Session compute(SessionKey key, BiFunction<SessionKey, Session, Session> f) {
        return sessions.compute(key, f);
    }

    @Override
    public boolean remove(SessionKey key, Session session) {
        return sessions.remove(key, session);
    }

    @Override
    public Collection<Session> all(String tenant) {
        if (tenant == null) {
            return new ArrayList<>(sessions.values());
        }
        List<Session> out = new ArrayList<>();
        for (Session s : sessions.values()) {
            if (s.key().tenant().equals(tenant)) {
                out.add(s);
            }
        }
        return out;
    }

    @Override
    public int size() {
        return sessions.size();
    }
}

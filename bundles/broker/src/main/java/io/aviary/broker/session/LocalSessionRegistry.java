package io.aviary.broker.session;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/** {@link SessionRegistry} for one node: a concurrent map keyed by (tenant, clientId). */
public final class LocalSessionRegistry implements SessionRegistry {

    private final ConcurrentHashMap<SessionKey, Session> sessions = new ConcurrentHashMap<>();
    /** Sessions per tenant, kept beside the map so a tenant's session quota costs no scan. */
    private final ConcurrentHashMap<String, AtomicInteger> perTenant = new ConcurrentHashMap<>();

    @Override
    public Session get(SessionKey key) {
        return sessions.get(key);
    }

    @Override
    public Session compute(SessionKey key, BiFunction<SessionKey, Session, Session> f) {
        return sessions.compute(key, (k, old) -> {
            Session now = f.apply(k, old);
            if (old == null && now != null) {
                count(k.tenant()).incrementAndGet();
            } else if (old != null && now == null) {
                count(k.tenant()).decrementAndGet();
            }
            return now;
        });
    }

    @Override
    public boolean remove(SessionKey key, Session session) {
        boolean removed = sessions.remove(key, session);
        if (removed) {
            count(key.tenant()).decrementAndGet();
        }
        return removed;
    }

    @Override
    public int size(String tenant) {
        AtomicInteger n = perTenant.get(tenant);
        return n == null ? 0 : n.get();
    }

    private AtomicInteger count(String tenant) {
        AtomicInteger n = perTenant.get(tenant);
        return n != null ? n : perTenant.computeIfAbsent(tenant, t -> new AtomicInteger());
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

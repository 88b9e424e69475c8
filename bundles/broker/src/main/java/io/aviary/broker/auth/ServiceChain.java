package io.aviary.broker.auth;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Chain members of one kind (authenticators or authorizers) registered as OSGi services, each
 * bound to a tenant by its {@code tenant} service property and ordered by {@code service.ranking}
 * (highest first, then oldest). Held in a volatile copy-on-write list: lookups never lock.
 */
public final class ServiceChain<T> {

    private record Member<T>(T service, String tenant, int ranking, long serviceId) {
    }

    private static final Comparator<Member<?>> ORDER =
            Comparator.<Member<?>>comparingInt(m -> -m.ranking()).thenComparingLong(Member::serviceId);

    private volatile List<Member<T>> members = List.of();

    public synchronized void add(T service, Map<String, ?> props) {
        List<Member<T>> copy = new ArrayList<>(members);
        copy.add(new Member<>(service, tenantOf(props), intOf(props.get("service.ranking")), longOf(props.get("service.id"))));
        copy.sort(ORDER);
        members = List.copyOf(copy);
    }

    public synchronized void remove(T service) {
        List<Member<T>> copy = new ArrayList<>(members);
        copy.removeIf(m -> m.service() == service);
        members = List.copyOf(copy);
    }

    /** The tenant's members in chain order (empty list when none). */
    public List<T> forTenant(String tenant) {
        List<Member<T>> all = members;
        if (all.isEmpty()) {
            return List.of();
        }
        List<T> out = new ArrayList<>(all.size());
        for (Member<T> m : all) {
            if (m.tenant().equals(tenant)) {
                out.add(m.service());
            }
        }
        return out;
    }

    public boolean isEmpty() {
        return members.isEmpty();
    }

    private static String tenantOf(Map<String, ?> props) {
        Object t = props.get("tenant");
        return t == null ? "default" : String.valueOf(t);
    }

    private static int intOf(Object o) {
        return o instanceof Number n ? n.intValue() : 0;
    }

    private static long longOf(Object o) {
        return o instanceof Number n ? n.longValue() : Long.MAX_VALUE;
    }
}

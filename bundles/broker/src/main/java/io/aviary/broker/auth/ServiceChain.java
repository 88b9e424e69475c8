package io.aviary.broker.auth;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Chain members of one kind (authenticators or authorizers) registered as OSGi services, each
 * bound to a tenant by its {@code tenant} service property and ordered by {@code service.ranking}
 * (highest first, then oldest); an instance disabled through the API ({@code aviary.enabled=false})
 * is left out. Held in a volatile copy-on-write list: lookups never lock.
 */
public final class ServiceChain<T> {

    /**
     * One chain member: the service, its tenant and order, the name it is metered under, its meter,
     * and what events call it (the EMQX authenticator id or source type its plugin declares, else its name).
     */
    public record Member<T>(T service, String tenant, int ranking, long serviceId, String name, CallMeter meter,
                            String source) {
    }

    private static final Comparator<Member<?>> ORDER =
            Comparator.<Member<?>>comparingInt(m -> -m.ranking()).thenComparingLong(Member::serviceId);

    private volatile List<Member<T>> members = List.of();

    public synchronized void add(T service, Map<String, ?> props) {
        if ("false".equals(String.valueOf(props.get("aviary.enabled")))) {
            return; // a disabled plugin instance: kept, but not asked
        }
        List<Member<T>> copy = new ArrayList<>(members);
        String name = nameOf(service, props);
        copy.add(new Member<>(service, tenantOf(props), intOf(props.get("service.ranking")), longOf(props.get("service.id")),
                name, new CallMeter(), sourceOf(props, name)));
        copy.sort(ORDER);
        members = List.copyOf(copy);
    }

    public synchronized void remove(T service) {
        List<Member<T>> copy = new ArrayList<>(members);
        copy.removeIf(m -> m.service() == service);
        members = List.copyOf(copy);
    }

    /** The tenant's members with their names and meters, in chain order. */
    public List<Member<T>> membersOf(String tenant) {
        List<Member<T>> out = new ArrayList<>();
        for (Member<T> m : members) {
            if (m.tenant().equals(tenant)) {
                out.add(m);
            }
        }
        return out;
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

    /** The plugin instance it belongs to (its Config Admin pid), else its DS component, else its class. */
    private static String nameOf(Object service, Map<String, ?> props) {
        for (String key : new String[] {"service.pid", "component.name"}) {
            Object v = props.get(key);
            if (v != null && !String.valueOf(v).isEmpty()) {
                return String.valueOf(v);
            }
        }
        return service.getClass().getSimpleName();
    }

    private static String sourceOf(Map<String, ?> props, String name) {
        Object v = props.get("aviary.authz_source");
        if (v == null) {
            v = props.get("aviary.authenticator");
        }
        return v == null ? name : String.valueOf(v);
    }

    private static int intOf(Object o) {
        return o instanceof Number n ? n.intValue() : 0;
    }

    private static long longOf(Object o) {
        return o instanceof Number n ? n.longValue() : Long.MAX_VALUE;
    }
}

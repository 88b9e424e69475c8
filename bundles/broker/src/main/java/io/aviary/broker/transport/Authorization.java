package io.aviary.broker.transport;

import io.aviary.api.auth.Action;
import io.aviary.api.auth.AuthzCacheEntry;
import io.aviary.api.auth.AuthzSettings;
import io.aviary.api.auth.Decision;
import io.aviary.api.client.ClientInfo;
import io.aviary.broker.BrokerCore;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Consumer;

/**
 * One connection's view of the tenant's authorizer chain: answers are cached per
 * (action, qos, retain, topic) so the chain is not asked per message, and a pending answer
 * pauses the connection's input through its {@link InboundGate} so packets stay in order.
 * The tenant's authorization settings (EMQX's authorization.cache) bound the cache: an answer is
 * used for cache.ttl, at most cache.max_size answers are kept (the oldest goes first), and a
 * disabled cache asks the chain every time. Everything here runs on the connection's event
 * loop, including {@link #clear} and {@link #entries}, which the admin API hands to it.
 */
final class Authorization {

    /** One cached answer, with what was asked (for the cache listing). */
    private record Entry(Action action, String topic, int qos, boolean retain, Decision decision, long expiresAtNanos,
                         long updatedAtMs) {
    }

    private final BrokerCore core;
    private final ClientInfo client;
    private final InboundGate gate;
    /**
     * Insertion order: the eldest entry is evicted first when max_size is reached. Made with the
     * first answer to keep: most connections of a tenant without authorizers never ask.
     */
    private LinkedHashMap<String, Entry> cache;
    /** Bumped by {@link #clear}: an answer asked for before a clear is not cached after it. */
    private int generation;

    Authorization(BrokerCore core, ClientInfo client, InboundGate gate) {
        this.core = core;
        this.client = client;
        this.gate = gate;
    }

    /** The client attribute an authenticator's is_superuser answer sets. */
    static final String SUPERUSER = "aviary.superuser";

    /** The tenant's settings as last resolved, and the registry generation they were resolved at. */
    private AuthzSettings settings;
    private int settingsGeneration;
    private io.aviary.broker.tenant.TenantRegistry settingsFrom;

    /**
     * The tenant's authorization settings as they are now (an update applies to connected clients
     * at once): resolved again only when the tenant registry changed, else one volatile read.
     */
    AuthzSettings settings() {
        io.aviary.broker.tenant.TenantRegistry registry = core.tenants();
        int g = registry.generation(); // read before resolving: a change in between resolves again next time
        if (settings == null || g != settingsGeneration || registry != settingsFrom) {
            settings = registry.authz(client.tenant());
            settingsGeneration = g;
            settingsFrom = registry;
        }
        return settings;
    }

    /**
     * Whether the chain must be asked: a superuser (as its authenticator said, EMQX's
     * is_superuser) never is; otherwise when the tenant has authorizers, or when it has none and
     * no_match is deny (everything is then refused, as EMQX does with an empty chain).
     */
    boolean needed() {
        if ("true".equals(client.attributes().get(SUPERUSER))) {
            return false;
        }
        return core.auth().hasAuthorizers(client.tenant()) || settings().noMatch() == Decision.DENY;
    }

    /** deny_action = disconnect: a denied PUBLISH or SUBSCRIBE ends the connection. */
    boolean disconnectOnDeny() {
        return settings().denyAction() == AuthzSettings.DenyAction.DISCONNECT;
    }

    /**
     * Runs {@code then} with the decision, at once when cached, else when the chain answers (DENY on
     * failure); either way announces client.check_authz_complete to listeners.
     */
    void check(Action action, String topic, int qos, boolean retain, Consumer<Decision> then) {
        AuthzSettings settings = settings();
        String key = null;
        if (settings.cacheEnabled()) {
            key = (action == Action.PUBLISH ? 'P' : 'S') + "" + qos + (retain ? '1' : '0') + topic;
            Entry cached = cache == null ? null : cache.get(key);
            if (cached != null) {
                if (System.nanoTime() - cached.expiresAtNanos() < 0) {
                    announce(action, topic, cached.decision(), "cache");
                    then.accept(cached.decision());
                    return;
                }
                cache.remove(key);
            }
        }
        String cacheKey = key;
        int asked = generation;
        gate.await(core.auth().authorize(client, action, topic, qos, retain, settings.noMatch(), gate.executor()), v -> {
            Decision decision = v == null ? Decision.DENY : v.decision();
            if (cacheKey != null && asked == generation) {
                remember(cacheKey, new Entry(action, topic, qos, retain, decision,
                        System.nanoTime() + settings.cacheTtlMs() * 1_000_000L, System.currentTimeMillis()),
                        settings.cacheMaxSize());
            }
            announce(action, topic, decision, v == null ? "default" : v.source());
            then.accept(decision);
        });
    }

    private void remember(String key, Entry entry, int maxSize) {
        if (cache == null) {
            cache = new LinkedHashMap<>();
        }
        Iterator<String> eldest = cache.keySet().iterator();
        while (cache.size() >= maxSize && eldest.hasNext()) {
            eldest.next();
            eldest.remove();
        }
        cache.put(key, entry);
    }

    /** Forgets every cached answer (event loop only). */
    void clear() {
        cache = null;
        generation++;
    }

    /** The answers in use now, oldest first (event loop only). */
    List<AuthzCacheEntry> entries() {
        if (cache == null) {
            return List.of();
        }
        long now = System.nanoTime();
        List<AuthzCacheEntry> out = new ArrayList<>(cache.size());
        for (Entry e : cache.values()) {
            if (now - e.expiresAtNanos() < 0) {
                out.add(new AuthzCacheEntry(e.action(), e.topic(), e.qos(), e.retain(), e.decision(), e.updatedAtMs()));
            }
        }
        return out;
    }

    private void announce(Action action, String topic, Decision decision, String source) {
        if (core.events().active()) {
            String a = action == Action.PUBLISH ? "publish" : "subscribe";
            boolean allowed = decision == Decision.ALLOW;
            core.events().emit(l -> l.authzComplete(client, a, topic, allowed, source));
        }
    }
}

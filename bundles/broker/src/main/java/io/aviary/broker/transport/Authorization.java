package io.aviary.broker.transport;

import io.aviary.api.auth.Action;
import io.aviary.api.auth.Decision;
import io.aviary.api.client.ClientInfo;
import io.aviary.broker.BrokerCore;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One connection's view of the tenant's authorizer chain: answers are cached per
 * (action, qos, retain, topic) so the chain is not asked per message, and a pending answer
 * pauses the connection's input through its {@link InboundGate} so packets stay in order.
 * The cache is bounded; when full it starts over.
 */
final class Authorization {

    private static final int CACHE_MAX = 1024;

    private final BrokerCore core;
    private final ClientInfo client;
    private final InboundGate gate;
    private final Map<String, Decision> cache = new HashMap<>();

    Authorization(BrokerCore core, ClientInfo client, InboundGate gate) {
        this.core = core;
        this.client = client;
        this.gate = gate;
    }

    /** The client attribute an authenticator's is_superuser answer sets. */
    static final String SUPERUSER = "aviary.superuser";

    /**
     * Whether any authorizer serves the client's tenant (else everything is allowed without
     * asking); a superuser (as its authenticator said, EMQX's is_superuser) is never asked about.
     */
    boolean needed() {
        return core.auth().hasAuthorizers(client.tenant()) && !"true".equals(client.attributes().get(SUPERUSER));
    }

    /**
     * Runs {@code then} with the decision, at once when cached, else when the chain answers (DENY on
     * failure); either way announces client.check_authz_complete to listeners.
     */
    void check(Action action, String topic, int qos, boolean retain, Consumer<Decision> then) {
        String key = (action == Action.PUBLISH ? 'P' : 'S') + "" + qos + (retain ? '1' : '0') + topic;
        Decision cached = cache.get(key);
        if (cached != null) {
            announce(action, topic, cached, "cache");
            then.accept(cached);
            return;
        }
        gate.await(core.auth().authorize(client, action, topic, qos, retain, gate.executor()), v -> {
            Decision decision = v == null ? Decision.DENY : v.decision();
            if (cache.size() >= CACHE_MAX) {
                cache.clear();
            }
            cache.put(key, decision);
            announce(action, topic, decision, v == null ? "default" : v.source());
            then.accept(decision);
        });
    }

    private void announce(Action action, String topic, Decision decision, String source) {
        if (core.events().active()) {
            String a = action == Action.PUBLISH ? "publish" : "subscribe";
            boolean allowed = decision == Decision.ALLOW;
            core.events().emit(l -> l.authzComplete(client, a, topic, allowed, source));
        }
    }
}

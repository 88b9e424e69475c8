package io.aviary.broker.tenant;

import io.aviary.api.tenant.Tenant;
import io.aviary.api.tenant.TenantLimit;
import io.aviary.broker.config.BrokerSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The typed settings a tenant is measured against: each with a name, a range, a built-in
 * default, the node's value (aviary.conf) and, when overridable, the tenant's override (kept in
 * {@link Tenant#quotas()}). Quotas default to 0 (none); protocol limits default to the node's.
 * The broker reads the effective value at each use, so an override applies at once, without a
 * reconnect. {@link #limits} shows each value and its source.
 */
public final class SettingCatalogue {

    /** One setting. {@code node} reads the node's value; null for quotas the node has none of. */
    public record Setting(String name, long min, long max, boolean overridable, ToLongFunction<BrokerSettings> node,
                          String description) {
        long nodeValue(BrokerSettings s) {
            return node == null ? 0 : node.applyAsLong(s);
        }
    }

    private static final long INT = Integer.MAX_VALUE;
    static final String AUTHZ_NO_MATCH = "authz_no_match";
    static final String AUTHZ_DENY_ACTION = "authz_deny_action";
    static final String AUTHZ_CACHE_ENABLE = "authz_cache_enable";
    static final String AUTHZ_CACHE_MAX_SIZE = "authz_cache_max_size";
    static final String AUTHZ_CACHE_TTL = "authz_cache_ttl";
    private static final BrokerSettings DEFAULTS = BrokerSettings.of(Map.of());
    private static final Map<String, Setting> ALL = new LinkedHashMap<>();

    static {
        quota("max_connections", "connections at once; 0 = none");
        quota("max_sessions", "sessions (connected or persistent); 0 = none");
        quota("max_messages_in_rate", "PUBLISH packets per second from the tenant's clients; 0 = none");
        quota("max_messages_out_rate", "messages per second to the tenant's clients (a PUBLISH whose fan-out exceeds it is refused); 0 = none");
        quota("max_bytes_in_rate", "message bytes per second from the tenant's clients; 0 = none");
        quota("max_bytes_out_rate", "message bytes per second to the tenant's clients (fan-out times size); 0 = none");
        quota("max_message_size", "bytes of one message's topic and payload; 0 = the node's max_packet_size");
        quota("max_retained", "retained messages; 0 = none");
        add(new Setting("max_subscriptions_per_client", 0, INT, true, s -> s.maxSubscriptions,
                "subscriptions of one client; 0 = none"));
        quota("max_rules", "rules (checked when the admin API creates one); 0 = none");
        quota("max_integrations", "data integration actions and sources (checked when the admin API creates one); 0 = none");
        add(new Setting("allow_anonymous", 0, 1, true, s -> s.allowAnonymous ? 1 : 0,
                "1: a client no authenticator decides on is admitted; 0: refused"));
        add(new Setting("max_qos", 0, 2, true, s -> s.maxQos, "the highest QoS accepted and granted"));
        add(new Setting("max_topic_levels", 1, 65_535, true, s -> s.maxTopicLevels, "levels of a topic or filter"));
        add(new Setting("max_mqueue_len", 0, INT, true, s -> s.maxMqueueLen,
                "messages queued per session before the drop policy applies; 0 = none"));
        // the authorization behaviour (EMQX's authorization.*); set through PUT /authorization/settings
        add(new Setting(AUTHZ_NO_MATCH, 0, 1, true, s -> s.authz.noMatch() == io.aviary.api.auth.Decision.ALLOW ? 1 : 0,
                "authorization no_match: 1 allow, 0 deny (when no source decides)"));
        add(new Setting(AUTHZ_DENY_ACTION, 0, 1, true,
                s -> s.authz.denyAction() == io.aviary.api.auth.AuthzSettings.DenyAction.DISCONNECT ? 1 : 0,
                "authorization deny_action: 0 ignore (reason code 0x87), 1 disconnect"));
        add(new Setting(AUTHZ_CACHE_ENABLE, 0, 1, true, s -> s.authz.cacheEnabled() ? 1 : 0,
                "authorization cache.enable: 1 each connection caches answers, 0 not"));
        add(new Setting(AUTHZ_CACHE_MAX_SIZE, 1, 65_535, true, s -> s.authz.cacheMaxSize(),
                "authorization cache.max_size: answers cached per connection"));
        add(new Setting(AUTHZ_CACHE_TTL, 1, INT, true, s -> s.authz.cacheTtlMs(),
                "authorization cache.ttl: milliseconds a cached answer is used"));
        add(new Setting("max_inflight", 1, 65_535, false, s -> s.maxInflight, "unacknowledged QoS 1/2 per client"));
        add(new Setting("max_packet_size", 1, 268_435_455, false, s -> s.maxPacketSize, "bytes of one MQTT packet"));
        add(new Setting("max_clientid_len", 23, 65_535, false, s -> s.maxClientIdLen, "characters of a client id"));
        add(new Setting("max_topic_alias", 0, 65_535, false, s -> s.maxTopicAlias, "topic aliases per client"));
        add(new Setting("max_awaiting_rel", 0, INT, false, s -> s.maxAwaitingRel, "inbound QoS 2 awaiting PUBREL"));
    }

    private static void quota(String name, String description) {
        add(new Setting(name, 0, Long.MAX_VALUE, true, null, description));
    }

    private static void add(Setting s) {
        ALL.put(s.name(), s);
    }

    private SettingCatalogue() {
    }

    public static Map<String, Setting> all() {
        return ALL;
    }

    /** @throws IllegalArgumentException naming the field when the override is unknown, fixed or out of range */
    static void validate(String name, Long value) {
        Setting s = ALL.get(name);
        if (s == null || !s.overridable()) {
            throw new IllegalArgumentException("field 'quotas." + name + "' is not " + (s == null
                    ? "a setting a tenant may override; known: " + String.join(", ", overridable())
                    : "overridable per tenant (it is the node's)"));
        }
        if (value == null || value < s.min() || value > s.max()) {
            throw new IllegalArgumentException("field 'quotas." + name + "' must be from " + s.min() + " to " + s.max());
        }
    }

    static List<String> overridable() {
        return ALL.values().stream().filter(Setting::overridable).map(Setting::name).toList();
    }

    /** The tenant's effective value of an overridable limit: its override, else the node's. */
    public static int effective(Tenant tenant, String name, int node) {
        if (tenant == null || tenant.quotas().isEmpty()) {
            return node;
        }
        Long v = tenant.quotas().get(name);
        return v == null ? node : (int) Math.min(v, Integer.MAX_VALUE);
    }

    /** The tenant's authorization behaviour: its authz_* overrides, else the node's. */
    public static io.aviary.api.auth.AuthzSettings authz(Tenant tenant, BrokerSettings node) {
        io.aviary.api.auth.AuthzSettings n = node.authz;
        if (tenant == null || tenant.quotas().isEmpty()) {
            return n;
        }
        Map<String, Long> q = tenant.quotas();
        return new io.aviary.api.auth.AuthzSettings(
                q.getOrDefault(AUTHZ_NO_MATCH, n.noMatch() == io.aviary.api.auth.Decision.ALLOW ? 1L : 0L) == 1
                        ? io.aviary.api.auth.Decision.ALLOW : io.aviary.api.auth.Decision.DENY,
                q.getOrDefault(AUTHZ_DENY_ACTION, n.denyAction() == io.aviary.api.auth.AuthzSettings.DenyAction.DISCONNECT
                        ? 1L : 0L) == 1 ? io.aviary.api.auth.AuthzSettings.DenyAction.DISCONNECT
                        : io.aviary.api.auth.AuthzSettings.DenyAction.IGNORE,
                q.getOrDefault(AUTHZ_CACHE_ENABLE, n.cacheEnabled() ? 1L : 0L) == 1,
                (int) (long) q.getOrDefault(AUTHZ_CACHE_MAX_SIZE, (long) n.cacheMaxSize()),
                q.getOrDefault(AUTHZ_CACHE_TTL, n.cacheTtlMs()));
    }

    /** The overrides that store these settings for a tenant. */
    public static Map<String, Long> authzOverrides(io.aviary.api.auth.AuthzSettings a) {
        return Map.of(AUTHZ_NO_MATCH, a.noMatch() == io.aviary.api.auth.Decision.ALLOW ? 1L : 0L,
                AUTHZ_DENY_ACTION, a.denyAction() == io.aviary.api.auth.AuthzSettings.DenyAction.DISCONNECT ? 1L : 0L,
                AUTHZ_CACHE_ENABLE, a.cacheEnabled() ? 1L : 0L,
                AUTHZ_CACHE_MAX_SIZE, (long) a.cacheMaxSize(),
                AUTHZ_CACHE_TTL, a.cacheTtlMs());
    }

    /** Every setting for this tenant, with its value and source. */
    public static List<TenantLimit> limits(Tenant tenant, BrokerSettings node) {
        List<TenantLimit> out = new ArrayList<>();
        for (Setting s : ALL.values()) {
            long def = s.nodeValue(DEFAULTS);
            long nodeValue = s.nodeValue(node);
            Long override = tenant.quotas().get(s.name());
            String source = override != null ? "tenant" : nodeValue != def ? "node" : "default";
            out.add(new TenantLimit(s.name(), override != null ? override : nodeValue, source, def, nodeValue, s.min(),
                    s.max(), s.overridable(), s.description()));
        }
        return out;
    }
}

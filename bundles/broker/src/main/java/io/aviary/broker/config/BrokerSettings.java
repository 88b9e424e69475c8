package io.aviary.broker.config;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The broker's effective settings: {@link MqttConfig} validated and converted once into the
 * units the protocol code uses (seconds, ints), so the hot path never parses configuration.
 * Out-of-range values are clamped to what the protocol can carry.
 */
public final class BrokerSettings {

    public static final long NEVER_EXPIRE = 0xFFFFFFFFL;

    public final int maxPacketSize;
    public final int maxClientIdLen;
    public final int maxTopicLevels;
    public final int maxQos;
    public final int maxTopicAlias;
    /** Send Topic Aliases to MQTT 5 clients that announce a Topic Alias Maximum. */
    public final boolean outboundTopicAlias;
    public final boolean retainAvailable;
    public final boolean wildcardSubscription;
    public final boolean sharedSubscription;
    public final boolean exclusiveSubscription;
    public final boolean ignoreLoopDeliver;
    public final double keepaliveMultiplier;
    /** Seconds; 0 = do not override the client's keep alive. */
    public final int serverKeepalive;
    /** Outbound inflight window and the Receive Maximum the broker announces. */
    public final int maxInflight;
    public final long retryIntervalMs;
    public final int maxAwaitingRel;
    public final long awaitRelTimeoutMs;
    /** Seconds, for MQTT 3.x sessions with clean session = 0. */
    public final long v3SessionExpiry;
    public final int maxMqueueLen;
    public final boolean mqueueStoreQos0;
    public final int maxSubscriptions;
    public final boolean upgradeQos;
    public final SharedStrategy sharedStrategy;
    public final long idleTimeoutMs;
    /** A subscriber owing acknowledgements that sends none for this long no longer holds its publishers; 0 = never holds them. */
    public final long slowSubscriberTimeoutNanos;
    public final boolean allowAnonymous;
    public final long authTimeoutMs;
    public final boolean delayedEnable;
    public final long maxDelayedMessages;
    public final boolean retainerEnable;
    public final long retainerMaxPayloadSize;
    /** "cn", "dn" or "disabled": where the username comes from for clients with a TLS certificate. */
    public final String peerCertAsUsername;
    public final String peerCertAsClientId;
    public final boolean flappingEnable;
    public final int flappingMaxCount;
    public final long flappingWindowMs;
    public final long flappingBanMs;
    public final List<RewriteRule> rewriteRules;
    public final List<AutoSubscription> autoSubscriptions;
    /** The node's authorization behaviour (PID aviary.authorization), the default of every tenant. */
    public final io.aviary.api.auth.AuthzSettings authz;

    public BrokerSettings(MqttConfig c) {
        this(c, Annotations.fromMap(AuthorizationConfig.class, Map.of()));
    }

    public BrokerSettings(MqttConfig c, AuthorizationConfig a) {
        authz = authz(a);
        maxPacketSize = (int) clamp(c.max__packet__size(), 16, 268435460);
        maxClientIdLen = (int) clamp(c.max__clientid__len(), 1, 65535);
        maxTopicLevels = (int) clamp(c.max__topic__levels(), 1, 65535);
        maxQos = (int) clamp(c.max__qos__allowed(), 0, 2);
        maxTopicAlias = (int) clamp(c.max__topic__alias(), 0, 65535);
        outboundTopicAlias = c.outbound__topic__alias();
        retainAvailable = c.retain__available();
        wildcardSubscription = c.wildcard__subscription();
        sharedSubscription = c.shared__subscription();
        exclusiveSubscription = c.exclusive__subscription();
        ignoreLoopDeliver = c.ignore__loop__deliver();
        keepaliveMultiplier = c.keepalive__multiplier() < 1.0 ? 1.0 : c.keepalive__multiplier();
        serverKeepalive = (int) clamp(c.server__keepalive(), 0, 65535);
        maxInflight = (int) clamp(c.max__inflight(), 1, 65535);
        retryIntervalMs = Math.max(0, c.retry__interval());
        maxAwaitingRel = (int) clamp(c.max__awaiting__rel(), 0, 65535);
        awaitRelTimeoutMs = Math.max(0, c.await__rel__timeout());
        v3SessionExpiry = clamp(c.session__expiry__interval() / 1000, 0, NEVER_EXPIRE);
        maxMqueueLen = (int) clamp(c.max__mqueue__len(), 0, Integer.MAX_VALUE);
        mqueueStoreQos0 = c.mqueue__store__qos0();
        maxSubscriptions = (int) clamp(c.max__subscriptions(), 0, Integer.MAX_VALUE);
        upgradeQos = c.upgrade__qos();
        sharedStrategy = SharedStrategy.parse(c.shared__subscription__strategy());
        idleTimeoutMs = Math.max(100, c.idle__timeout());
        slowSubscriberTimeoutNanos = Math.max(0, c.slow__subscriber__timeout()) * 1_000_000L;
        allowAnonymous = c.allow__anonymous();
        authTimeoutMs = Math.max(1, c.auth__timeout());
        delayedEnable = c.delayed__enable();
        maxDelayedMessages = Math.max(0, c.max__delayed__messages());
        retainerEnable = c.retainer__enable();
        retainerMaxPayloadSize = Math.max(0, c.retainer__max__payload__size());
        peerCertAsUsername = certSource(c.peer__cert__as__username(), "peer_cert_as_username");
        peerCertAsClientId = certSource(c.peer__cert__as__clientid(), "peer_cert_as_clientid");
        flappingEnable = c.flapping__detect_enable();
        flappingMaxCount = (int) clamp(c.flapping__detect_max__count(), 1, Integer.MAX_VALUE);
        flappingWindowMs = Math.max(1, c.flapping__detect_window__time());
        flappingBanMs = Math.max(1, c.flapping__detect_ban__time());
        rewriteRules = parseRewrite(c.rewrite());
        autoSubscriptions = parseAutoSubscribe(c.auto__subscribe());
    }

    public static BrokerSettings defaults() {
        return of(Map.of());
    }

    /** From plain keys: MqttConfig's, and AuthorizationConfig's with the prefix {@code authorization.}. */
    public static BrokerSettings of(Map<String, ?> values) {
        Map<String, Object> authz = new java.util.HashMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith("authorization.")) {
                authz.put(k.substring("authorization.".length()), v);
            }
        });
        return new BrokerSettings(Annotations.fromMap(MqttConfig.class, values),
                Annotations.fromMap(AuthorizationConfig.class, authz));
    }

    /** @throws IllegalArgumentException naming the key when a value is not one of the allowed */
    private static io.aviary.api.auth.AuthzSettings authz(AuthorizationConfig a) {
        String noMatch = a.no__match() == null ? "" : a.no__match().trim().toLowerCase(java.util.Locale.ROOT);
        String deny = a.deny__action() == null ? "" : a.deny__action().trim().toLowerCase(java.util.Locale.ROOT);
        if (!noMatch.equals("allow") && !noMatch.equals("deny")) {
            throw new IllegalArgumentException("authorization.no_match: expected allow or deny, found " + a.no__match());
        }
        if (!deny.equals("ignore") && !deny.equals("disconnect")) {
            throw new IllegalArgumentException("authorization.deny_action: expected ignore or disconnect, found "
                    + a.deny__action());
        }
        try {
            return new io.aviary.api.auth.AuthzSettings(
                    noMatch.equals("allow") ? io.aviary.api.auth.Decision.ALLOW : io.aviary.api.auth.Decision.DENY,
                    deny.equals("ignore") ? io.aviary.api.auth.AuthzSettings.DenyAction.IGNORE
                            : io.aviary.api.auth.AuthzSettings.DenyAction.DISCONNECT,
                    a.cache_enable(), a.cache_max__size(), a.cache_ttl());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("authorization: " + e.getMessage().replace("field '", "key '"), e);
        }
    }

    private static String certSource(String value, String key) {
        String v = value == null ? "disabled" : value.trim().toLowerCase();
        if (!v.equals("disabled") && !v.equals("cn") && !v.equals("dn")) {
            throw new IllegalArgumentException("mqtt." + key + ": expected disabled, cn or dn, found " + value);
        }
        return v;
    }

    private static long clamp(long v, long min, long max) {
        return Math.max(min, Math.min(max, v));
    }

    private static JsonArray array(String json) {
        if (json == null || json.isBlank()) {
            return new JsonArray();
        }
        JsonElement e = JsonParser.parseString(json);
        if (!e.isJsonArray()) {
            throw new IllegalArgumentException("expected a JSON list, got: " + json);
        }
        return e.getAsJsonArray();
    }

    private static List<RewriteRule> parseRewrite(String json) {
        List<RewriteRule> rules = new ArrayList<>();
        for (JsonElement e : array(json)) {
            JsonObject o = e.getAsJsonObject();
            String action = text(o, "action", "all");
            rules.add(new RewriteRule(action, text(o, "source_topic", "#"),
                    Pattern.compile(text(o, "re", "^(.*)$")), text(o, "dest_topic", "$1")));
        }
        return List.copyOf(rules);
    }

    private static List<AutoSubscription> parseAutoSubscribe(String json) {
        List<AutoSubscription> subs = new ArrayList<>();
        for (JsonElement e : array(json)) {
            JsonObject o = e.getAsJsonObject();
            subs.add(new AutoSubscription(text(o, "topic", null), number(o, "qos"), number(o, "rh"),
                    number(o, "rap") != 0 || bool(o, "rap"), number(o, "nl") != 0 || bool(o, "nl")));
        }
        return List.copyOf(subs);
    }

    private static String text(JsonObject o, String key, String dflt) {
        if (!o.has(key) || o.get(key).isJsonNull()) {
            if (dflt == null) {
                throw new IllegalArgumentException("missing '" + key + "' in " + o);
            }
            return dflt;
        }
        return o.get(key).getAsString();
    }

    private static int number(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber() ? e.getAsInt() : 0;
    }

    private static boolean bool(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isBoolean() && e.getAsBoolean();
    }
}

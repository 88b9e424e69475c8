package io.aviary.api.auth;

/**
 * A tenant's authorization behaviour, EMQX 5's {@code authorization} settings: what happens when
 * no source decides, what a denial does to the client, and the per-client answer cache.
 *
 * @param noMatch      ALLOW or DENY: the answer when every source ignores (or there is none)
 * @param denyAction   what a denied PUBLISH or SUBSCRIBE does to the connection
 * @param cacheEnabled whether each connection caches answers
 * @param cacheMaxSize most answers one connection caches (the oldest goes first), 1 to 65535
 * @param cacheTtlMs   how long a cached answer is used, in milliseconds, at least 1
 */
public record AuthzSettings(Decision noMatch, DenyAction denyAction, boolean cacheEnabled, int cacheMaxSize,
                            long cacheTtlMs) {

    /** EMQX's deny_action. */
    public enum DenyAction {
        /** Refuse just the packet: PUBACK/PUBREC/SUBACK 0x87 (QoS 0 dropped). */
        IGNORE,
        /** Disconnect the client: MQTT 5 DISCONNECT 0x87, MQTT 3.x a close. */
        DISCONNECT
    }

    /** EMQX's defaults: no_match allow, deny_action ignore, cache enabled, 32 entries, 1 minute. */
    public static final AuthzSettings DEFAULTS = new AuthzSettings(Decision.ALLOW, DenyAction.IGNORE, true, 32, 60_000);

    public AuthzSettings {
        if (noMatch != Decision.ALLOW && noMatch != Decision.DENY) {
            throw new IllegalArgumentException("field 'no_match' must be allow or deny");
        }
        if (denyAction == null) {
            throw new IllegalArgumentException("field 'deny_action' must be ignore or disconnect");
        }
        if (cacheMaxSize < 1 || cacheMaxSize > 65_535) {
            throw new IllegalArgumentException("field 'cache.max_size' must be from 1 to 65535");
        }
        if (cacheTtlMs < 1 || cacheTtlMs > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("field 'cache.ttl' must be from 1ms to 24d");
        }
    }
}

package io.aviary.api.broker;

import java.util.Objects;

/**
 * One ban-list entry (EMQX's /banned fields), in one tenant: it refuses only that tenant's
 * clients.
 *
 * @param tenant the tenant it belongs to ({@link #DEFAULT_TENANT} when none is given)
 * @param as     what {@code who} is matched against
 * @param who    a client id, a username, an IP address, a CIDR block such as 10.0.0.0/8, or a
 *               regular expression (the _RE kinds)
 * @param by     who added it (an admin user, "flapping", ...)
 * @param reason shown in logs and, for MQTT 5, as the CONNACK's reason string
 * @param at     epoch ms when it was added
 * @param until  epoch ms when it expires
 */
public record Ban(String tenant, As as, String who, String by, String reason, long at, long until) {

    /** The tenant of a ban that names none. */
    public static final String DEFAULT_TENANT = "default";

    /**
     * The kinds of identity a ban matches. The {@code _RE} kinds hold a regular expression that
     * bans every client id or username it is found in (EMQX's clientid_re and username_re).
     */
    public enum As { CLIENTID, USERNAME, PEERHOST, PEERHOST_NET, CLIENTID_RE, USERNAME_RE }

    public Ban {
        tenant = tenant == null || tenant.isEmpty() ? DEFAULT_TENANT : tenant;
        Objects.requireNonNull(as, "as");
        Objects.requireNonNull(who, "who");
        by = by == null ? "" : by;
        reason = reason == null ? "" : reason;
    }

    /** A ban in the {@code default} tenant (the form before tenants; kept for source compatibility). */
    public Ban(As as, String who, String by, String reason, long at, long until) {
        this(DEFAULT_TENANT, as, who, by, reason, at, until);
    }
}

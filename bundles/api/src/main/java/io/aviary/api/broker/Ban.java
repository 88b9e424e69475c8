package io.aviary.api.broker;

import java.util.Objects;

/**
 * One ban-list entry (EMQX's /banned fields).
 *
 * @param as     what {@code who} is matched against
 * @param who    a client id, a username, an IP address, or a CIDR block such as 10.0.0.0/8
 * @param by     who added it (an admin user, "flapping", ...)
 * @param reason shown in logs and, for MQTT 5, as the CONNACK's reason string
 * @param at     epoch ms when it was added
 * @param until  epoch ms when it expires
 */
public record Ban(As as, String who, String by, String reason, long at, long until) {

    /** The kinds of identity a ban matches. */
    public enum As { CLIENTID, USERNAME, PEERHOST, PEERHOST_NET }

    public Ban {
        Objects.requireNonNull(as, "as");
        Objects.requireNonNull(who, "who");
        by = by == null ? "" : by;
        reason = reason == null ? "" : reason;
    }
}

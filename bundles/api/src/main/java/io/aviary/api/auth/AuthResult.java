package io.aviary.api.auth;

import java.nio.ByteBuffer;
import java.util.Map;

/**
 * An authenticator's answer.
 *
 * @param decision     ALLOW, DENY or IGNORE (ask the next authenticator)
 * @param continueData for MQTT 5 enhanced authentication: with IGNORE, non-null means "send AUTH
 *                     0x18 with this data and call me again with the client's answer"; with ALLOW,
 *                     the final Authentication Data the client gets in CONNACK (or in AUTH 0x00
 *                     after a re-authentication), such as SCRAM's server signature
 * @param reasonCode   the MQTT 5 CONNACK reason code to use on DENY (0x86 or 0x87 usually)
 * @param expiresAt    epoch ms after which the client must be disconnected (JWT exp), or 0
 * @param attributes   attributes to attach to the client (used by authorizers and rules)
 */
public record AuthResult(Decision decision, boolean superuser, ByteBuffer continueData, int reasonCode,
                         String reason, long expiresAt, Map<String, String> attributes) {

    public static final int NOT_AUTHORIZED = 0x87;
    public static final int BAD_USERNAME_OR_PASSWORD = 0x86;

    public AuthResult {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    public static AuthResult allow(boolean superuser) {
        return new AuthResult(Decision.ALLOW, superuser, null, 0, null, 0, Map.of());
    }

    /** ALLOW with the final Authentication Data of an enhanced authentication (SCRAM's server-final message). */
    public static AuthResult allow(boolean superuser, ByteBuffer finalData) {
        return new AuthResult(Decision.ALLOW, superuser, finalData, 0, null, 0, Map.of());
    }

    public static AuthResult deny(int reasonCode, String reason) {
        return new AuthResult(Decision.DENY, false, null, reasonCode, reason, 0, Map.of());
    }

    public static AuthResult ignore() {
        return new AuthResult(Decision.IGNORE, false, null, 0, null, 0, Map.of());
    }

    public static AuthResult challenge(ByteBuffer data) {
        return new AuthResult(Decision.IGNORE, false, data, 0, null, 0, Map.of());
    }

    public boolean isChallenge() {
        return decision == Decision.IGNORE && continueData != null;
    }
}

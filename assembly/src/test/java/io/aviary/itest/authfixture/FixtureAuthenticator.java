package io.aviary.itest.authfixture;

import io.aviary.api.auth.AuthRequest;
import io.aviary.api.auth.AuthResult;
import io.aviary.api.auth.Authenticator;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * TEST FIXTURE authenticator with fixed rules, checked in this order:
 * <ol>
 * <li>a client id starting {@code reject-}: DENY 0x85 (Client Identifier not valid);</li>
 * <li>Authentication Method {@code TEST-CHALLENGE} (MQTT 5 enhanced authentication, also used
 *     for re-authentication): the first call for a client id answers with a challenge
 *     (AUTH 0x18, data {@code challenge}); the next call ALLOWs if the client's data is
 *     {@code response} and otherwise DENYs with 0x86 (Bad User Name or Password: the answer is
 *     the credential; a CONNACK code, which the broker must not copy into a DISCONNECT when a
 *     re-authentication fails). Any other method: IGNORE;</li>
 * <li>no user name and no password: IGNORE (the broker's allow_anonymous decides); a password
 *     without a user name (MQTT 5 only): ALLOW if it is {@code secret}, else DENY 0x86;</li>
 * <li>user {@code banned}: DENY 0x8A (Banned);</li>
 * <li>{@code alice} / {@code secret}: ALLOW; {@code superuser} / {@code secret}: ALLOW as superuser;</li>
 * <li>anything else (unknown user, wrong or missing password): DENY 0x86 (Bad User Name or Password).</li>
 * </ol>
 */
public final class FixtureAuthenticator implements Authenticator {
    public static final String METHOD = "TEST-CHALLENGE";
    public static final String CHALLENGE = "challenge";
    public static final String RESPONSE = "response";

    /** Client ids that were sent the challenge and whose answer is due next. */
    private final Map<String, Boolean> challenged = new ConcurrentHashMap<>();

    @Override
    public CompletionStage<AuthResult> authenticate(AuthRequest request) {
        return CompletableFuture.completedFuture(decide(request));
    }

    private AuthResult decide(AuthRequest r) {
        String clientId = r.client().clientId();
        if (clientId.startsWith("reject-")) {
            return AuthResult.deny(0x85, "fixture rejects client ids starting reject-");
        }
        if (r.authMethod() != null) {
            if (!METHOD.equals(r.authMethod())) {
                return AuthResult.ignore();
            }
            if (challenged.remove(clientId) == null) {
                challenged.put(clientId, Boolean.TRUE);
                return AuthResult.challenge(ByteBuffer.wrap(CHALLENGE.getBytes(StandardCharsets.UTF_8)));
            }
            return RESPONSE.equals(text(r.authData())) ? AuthResult.allow(false)
                    : AuthResult.deny(AuthResult.BAD_USERNAME_OR_PASSWORD, "fixture: wrong answer to the challenge");
        }
        boolean passwordOk = "secret".equals(text(r.password() == null ? null : ByteBuffer.wrap(r.password())));
        if (r.username() == null) {
            // MQTT 5 allows a password without a user name (3.1.2.9): taken as a token here
            return r.password() == null ? AuthResult.ignore() : passwordOk ? AuthResult.allow(false)
                    : AuthResult.deny(AuthResult.BAD_USERNAME_OR_PASSWORD, "fixture: bad token");
        }
        if (r.username().equals("banned")) {
            return AuthResult.deny(0x8A, "fixture: user banned");
        }
        if (passwordOk && (r.username().equals("alice") || r.username().equals("superuser"))) {
            return AuthResult.allow(r.username().equals("superuser"));
        }
        return AuthResult.deny(AuthResult.BAD_USERNAME_OR_PASSWORD, "fixture: bad user name or password");
    }

    private static String text(ByteBuffer data) {
        return data == null ? null : StandardCharsets.UTF_8.decode(data.duplicate()).toString();
    }
}

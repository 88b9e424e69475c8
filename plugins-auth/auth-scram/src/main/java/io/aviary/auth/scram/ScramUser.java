package io.aviary.auth.scram;

import com.google.gson.JsonObject;
import com.ongres.scram.common.ScramFunctions;
import com.ongres.scram.common.ScramMechanism;
import com.ongres.scram.common.StringPreparation;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A user's SCRAM credentials as RFC 5802 keeps them on the server: the salt, the iteration count,
 * StoredKey and ServerKey (never the password, and nothing from which a client proof could be
 * made without it), for one mechanism.
 */
record ScramUser(String userId, ScramMechanism mechanism, byte[] salt, int iterations, byte[] storedKey,
                 byte[] serverKey, boolean superuser) {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Derives the credentials of a password (SASLprep'd, as RFC 5802 asks) with a fresh salt. */
    static ScramUser of(String userId, String password, boolean superuser, ScramSettings settings) {
        ScramMechanism m = settings.mechanism();
        byte[] salt = ScramFunctions.salt(16, RANDOM);
        byte[] salted = ScramFunctions.saltedPassword(m, StringPreparation.SASL_PREPARATION, password.toCharArray(),
                salt, settings.iterations());
        byte[] clientKey = ScramFunctions.clientKey(m, salted);
        return new ScramUser(userId, m, salt, settings.iterations(), ScramFunctions.storedKey(m, clientKey),
                ScramFunctions.serverKey(m, salted), superuser);
    }

    ScramUser withSuperuser(boolean value) {
        return new ScramUser(userId, mechanism, salt, iterations, storedKey, serverKey, value);
    }

    JsonObject toJson() {
        Base64.Encoder b64 = Base64.getEncoder();
        JsonObject o = new JsonObject();
        o.addProperty("user_id", userId);
        o.addProperty("mechanism", mechanism.getName());
        o.addProperty("salt", b64.encodeToString(salt));
        o.addProperty("iterations", iterations);
        o.addProperty("stored_key", b64.encodeToString(storedKey));
        o.addProperty("server_key", b64.encodeToString(serverKey));
        o.addProperty("is_superuser", superuser);
        return o;
    }

    static ScramUser fromJson(JsonObject o) {
        Base64.Decoder b64 = Base64.getDecoder();
        return new ScramUser(o.get("user_id").getAsString(), ScramSettings.mechanismOf(o.get("mechanism").getAsString()),
                b64.decode(o.get("salt").getAsString()), o.get("iterations").getAsInt(),
                b64.decode(o.get("stored_key").getAsString()), b64.decode(o.get("server_key").getAsString()),
                o.get("is_superuser").getAsBoolean());
    }
}

package io.aviary.auth.builtin.hash;

import com.google.gson.JsonObject;
import java.util.Locale;

/**
 * One password hashing algorithm with its parameters, in EMQX's {@code password_hash_algorithm}
 * shape. Kept with every stored user, so changing the tenant's algorithm later does not lock
 * out the users hashed with the old one.
 *
 * @param name         plain, md5, sha (SHA-1), sha256, sha512, bcrypt or pbkdf2
 * @param saltPosition prefix, suffix or disable (plain digests only)
 * @param saltRounds   bcrypt cost (log2 of rounds)
 * @param macFun       pbkdf2's HMAC: sha256 or sha512
 * @param iterations   pbkdf2 iterations
 * @param dkLength     pbkdf2 derived key length in bytes; 0 means the HMAC's output length
 */
public record HashSpec(String name, String saltPosition, int saltRounds, String macFun, int iterations, int dkLength) {

    public static final HashSpec DEFAULT = new HashSpec("sha256", "prefix", 10, "sha256", 4096, 0);

    /** Reads EMQX's JSON object; missing parameters take EMQX's defaults. Unknown names are refused. */
    public static HashSpec fromJson(JsonObject o) {
        String name = text(o, "name", "sha256").toLowerCase(Locale.ROOT);
        String salt = text(o, "salt_position", name.equals("plain") ? "disable" : "prefix");
        HashSpec spec = new HashSpec(name, salt, number(o, "salt_rounds", 10), text(o, "mac_fun", "sha256"),
                number(o, "iterations", 4096), number(o, "dk_length", 0));
        spec.check();
        return spec;
    }

    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("name", name);
        switch (name) {
            case "bcrypt" -> o.addProperty("salt_rounds", saltRounds);
            case "pbkdf2" -> {
                o.addProperty("mac_fun", macFun);
                o.addProperty("iterations", iterations);
                if (dkLength > 0) {
                    o.addProperty("dk_length", dkLength);
                }
            }
            default -> o.addProperty("salt_position", saltPosition);
        }
        return o;
    }

    void check() {
        switch (name) {
            case "plain", "md5", "sha", "sha256", "sha512" -> {
                if (!saltPosition.equals("prefix") && !saltPosition.equals("suffix") && !saltPosition.equals("disable")) {
                    throw new IllegalArgumentException("password_hash_algorithm.salt_position: prefix, suffix or disable");
                }
            }
            case "bcrypt" -> {
                if (saltRounds < 4 || saltRounds > 31) {
                    throw new IllegalArgumentException("password_hash_algorithm.salt_rounds: 4 to 31");
                }
            }
            case "pbkdf2" -> {
                if (!macFun.equals("sha256") && !macFun.equals("sha512")) {
                    throw new IllegalArgumentException("password_hash_algorithm.mac_fun: sha256 or sha512");
                }
                if (iterations < 1 || dkLength < 0) {
                    throw new IllegalArgumentException("password_hash_algorithm.iterations: at least 1");
                }
            }
            default -> throw new IllegalArgumentException("password_hash_algorithm.name: unknown algorithm '" + name + "'");
        }
    }

    private static String text(JsonObject o, String field, String fallback) {
        return o.has(field) && !o.get(field).isJsonNull() ? o.get(field).getAsString() : fallback;
    }

    /** The plugin manager hands nested objects over as JSON text whose numbers may read 1000.0. */
    private static int number(JsonObject o, String field, int fallback) {
        if (!o.has(field) || o.get(field).isJsonNull()) {
            return fallback;
        }
        double d = o.get(field).getAsDouble();
        if (d != Math.rint(d) || d < Integer.MIN_VALUE || d > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("password_hash_algorithm." + field + ": an integer");
        }
        return (int) d;
    }
}

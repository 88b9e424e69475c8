package io.aviary.auth.builtin;

import io.aviary.auth.builtin.hash.HashSpec;
import com.google.gson.JsonObject;

/** A stored user: EMQX's row (user_id, password_hash, salt, is_superuser) plus the algorithm it was hashed with. */
record User(String userId, String passwordHash, String salt, boolean superuser, HashSpec algorithm) {

    static User fromJson(JsonObject o) {
        return new User(o.get("user_id").getAsString(), o.get("password_hash").getAsString(),
                o.has("salt") ? o.get("salt").getAsString() : "",
                o.has("is_superuser") && o.get("is_superuser").getAsBoolean(),
                o.has("algorithm") ? HashSpec.fromJson(o.getAsJsonObject("algorithm")) : HashSpec.DEFAULT);
    }

    JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("user_id", userId);
        o.addProperty("password_hash", passwordHash);
        o.addProperty("salt", salt);
        o.addProperty("is_superuser", superuser);
        o.add("algorithm", algorithm.toJson());
        return o;
    }
}

package io.aviary.auth.builtin;

import io.aviary.auth.builtin.hash.HashSpec;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.Map;

/**
 * One instance's configuration, read from its Config Admin properties (the plugin manager keeps
 * a nested object such as password_hash_algorithm as JSON text). The plugin manager validated it
 * against schema.json already; this re-checks what the code relies on.
 *
 * @param userIdType "username" or "clientid"
 */
record Settings(String userIdType, HashSpec algorithm) {

    static Settings from(Map<String, Object> props) {
        Object type = props.getOrDefault("user_id_type", "username");
        if (!"username".equals(type) && !"clientid".equals(type)) {
            throw new IllegalArgumentException("user_id_type: username or clientid");
        }
        Object algorithm = props.get("password_hash_algorithm");
        HashSpec spec = algorithm == null ? HashSpec.DEFAULT
                : HashSpec.fromJson(JsonParser.parseString(algorithm.toString()).getAsJsonObject());
        return new Settings((String) type, spec);
    }

    static Settings of(String userIdType, JsonObject algorithm) {
        return new Settings(userIdType, HashSpec.fromJson(algorithm));
    }
}

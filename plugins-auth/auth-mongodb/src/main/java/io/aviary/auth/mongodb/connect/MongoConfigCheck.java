package io.aviary.auth.mongodb.connect;

import com.google.gson.Gson;
import io.aviary.api.plugin.ConfigCheck;
import java.util.Map;

/**
 * The platform's check of an auth-mongodb or authz-mongodb instance before it is stored, for what
 * the JSON Schema cannot say: the {@code filter} must parse as a JSON document and use placeholders
 * only where they stay plain values (a 400 naming {@code filter} instead of an instance that fails
 * every lookup), and the servers must be given for the {@code mongo_type}.
 */
public final class MongoConfigCheck implements ConfigCheck {
    private static final Gson GSON = new Gson();

    @Override
    public void check(Map<String, Object> config) {
        Object filter = config.get("filter");
        if (filter instanceof String text) {
            FilterTemplate.parse(text);
        } else if (filter instanceof Map<?, ?> object) {
            FilterTemplate.parse(GSON.toJson(object));
        } else if (filter != null) {
            throw new IllegalArgumentException("filter: a JSON document (an object, or its text)");
        }
        String type = String.valueOf(config.getOrDefault("mongo_type", "single"));
        if (type.equals("single") && config.get("server") == null) {
            throw new IllegalArgumentException("server: required with mongo_type single");
        }
        if (!type.equals("single") && config.get("servers") == null && config.get("server") == null) {
            throw new IllegalArgumentException("servers: required with mongo_type " + type);
        }
    }
}

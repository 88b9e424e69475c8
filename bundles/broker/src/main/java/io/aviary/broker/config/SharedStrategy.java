package io.aviary.broker.config;

import java.util.Locale;

/** How a shared-subscription group picks the one member that gets a message (EMQX names). */
public enum SharedStrategy {
    RANDOM, ROUND_ROBIN, STICKY, HASH_CLIENTID, HASH_TOPIC;

    public static SharedStrategy parse(String name) {
        if (name == null || name.isBlank()) {
            return ROUND_ROBIN;
        }
        String key = name.trim().toUpperCase(Locale.ROOT);
        if (key.equals("HASH_CLIENT_ID")) {
            return HASH_CLIENTID;
        }
        return SharedStrategy.valueOf(key);
    }
}

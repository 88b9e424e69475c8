package io.aviary.api.message;

import java.util.Objects;

/** One MQTT 5 user property; order and duplicates are significant, so these travel as a list. */
public record UserProperty(String key, String value) {
    public UserProperty {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }
}

package io.aviary.api.rules;

import java.util.Map;
import java.util.Objects;

/**
 * One action of a rule, as EMQX 5 writes it: {@code {"function": "republish", "args": {...}}}.
 * Built-in functions: {@code republish} (args topic, qos, retain, payload, user_properties,
 * mqtt_properties, all templates) and {@code console} (no args).
 *
 * @param args plain JSON values (String, Long, Double, Boolean, Map, List)
 */
public record RuleAction(String function, Map<String, Object> args) {

    public RuleAction {
        Objects.requireNonNull(function, "function");
        args = args == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(args));
    }
}

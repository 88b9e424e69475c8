package io.aviary.api.rules;

import java.util.Map;
import java.util.Objects;

/**
 * One action of a rule, as EMQX 5 writes it: {@code {"function": "republish", "args": {...}}}.
 * Built-in functions: {@code republish} (args topic, qos, retain, payload, user_properties,
 * mqtt_properties, all templates) and {@code console} (no args). A data integration action is
 * named by its id, {@code "type:name"} (EMQX 5 writes it as a plain string in the actions list):
 * its function is that id and its args are empty; the engine hands outputs to
 * {@link io.aviary.api.integration.Integrations#dispatch}.
 *
 * @param args plain JSON values (String, Long, Double, Boolean, Map, List)
 */
public record RuleAction(String function, Map<String, Object> args) {

    public RuleAction {
        Objects.requireNonNull(function, "function");
        args = args == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(args));
    }
}

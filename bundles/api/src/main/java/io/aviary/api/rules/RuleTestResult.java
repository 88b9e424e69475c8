package io.aviary.api.rules;

import java.util.List;
import java.util.Map;

/**
 * What testing a rule on a context gave (POST /rule_test, /rules/{id}/test).
 *
 * @param outputs  the outputs (one for SELECT, 0..N for FOREACH), plain JSON values
 * @param rendered for a stored rule's test: per output, each action's rendered arguments
 *     (republish: topic, qos, retain, payload, user_properties, mqtt_properties; console: the output);
 *     empty for an SQL-only test
 */
public record RuleTestResult(Status status, List<Map<String, Object>> outputs, List<List<RenderedAction>> rendered) {

    public enum Status {
        /** FROM took the context and the rule gave outputs. */
        PASSED,
        /** FROM does not take this topic or event (EMQX answers 412). */
        NO_MATCH,
        /** WHERE (or every INCASE) filtered the context out (412). */
        NO_RESULT
    }

    public RuleTestResult {
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
        rendered = rendered == null ? List.of() : List.copyOf(rendered);
    }

    /** One action rendered for one output, as far as it goes before anything is sent. */
    public record RenderedAction(String function, Map<String, Object> args) {}
}

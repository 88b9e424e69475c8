package io.aviary.rules;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What POST /api/v5/rule_test does, as EMQX's sql tester: the test context (with its
 * {@code event_type}, default message_publish) is completed with the event's example columns,
 * FROM must match it (the topic against the topic filters, or the event), then the rule runs.
 * The API answers 412 for {@link Status#NO_MATCH} and {@link Status#NO_RESULT}, the outputs for
 * {@link Status#PASSED}; a {@link RuleEvalException} is the rule failing on that context.
 */
public final class RuleTester {

    public enum Status {
        /** FROM matched and the rule gave outputs. */
        PASSED,
        /** FROM does not take this topic or event. */
        NO_MATCH,
        /** FROM matched but WHERE (or every INCASE) filtered the context out. */
        NO_RESULT
    }

    /** A test run: for a SELECT {@code outputs} has one map, for a FOREACH 0..N. */
    public record Outcome(Status status, List<Map<String, Object>> outputs) {}

    private RuleTester() {}

    /**
     * The context a test runs on: the event's example columns overlaid with the given ones.
     *
     * @param given the test context in the value model, with an optional event_type
     *     ("message_publish", "client_connected", ...) or event ("client.connected")
     * @throws IllegalArgumentException when the event type is unknown (the API's 400)
     */
    public static MapRuleContext context(Map<String, Object> given) {
        RuleEvents.EventInfo event = event(given);
        Map<String, Object> columns = new LinkedHashMap<>(event.columns());
        for (Map.Entry<String, Object> e : given.entrySet()) {
            if (!e.getKey().equals("event_type")) {
                columns.put(e.getKey(), e.getValue());
            }
        }
        columns.put("event", event.event());
        return new MapRuleContext(columns);
    }

    private static RuleEvents.EventInfo event(Map<String, Object> given) {
        Object type = given.get("event_type");
        if (type == null) {
            type = given.get("event");
        }
        String name = type == null ? "message_publish" : Values.toText(type);
        RuleEvents.EventInfo event = RuleEvents.get(name);
        if (event == null) {
            throw new IllegalArgumentException("unknown event_type '" + name + "'");
        }
        return event;
    }

    /** Runs the rule on the test context. */
    public static Outcome run(CompiledRule rule, Map<String, Object> given) {
        RuleEvents.EventInfo event = event(given);
        MapRuleContext ctx = context(given);
        if (!fromMatches(rule, event, ctx)) {
            return new Outcome(Status.NO_MATCH, List.of());
        }
        List<Map<String, Object>> outputs = rule.apply(ctx);
        return new Outcome(outputs.isEmpty() ? Status.NO_RESULT : Status.PASSED, outputs);
    }

    private static boolean fromMatches(CompiledRule rule, RuleEvents.EventInfo event, MapRuleContext ctx) {
        if (event.topic() != null) {
            return rule.events().contains(event.event());
        }
        Object topic = ctx.get("topic");
        if (!Values.isString(topic)) {
            return false;
        }
        String t = Values.text(topic);
        for (String filter : rule.topicFilters()) {
            if (TopicFilters.matches(t, filter)) {
                return true;
            }
        }
        return false;
    }
}

package io.aviary.rules.engine;

import io.aviary.api.rules.RuleTestResult;
import io.aviary.rules.CompiledRule;
import io.aviary.rules.RuleEvalException;
import io.aviary.rules.RuleTester;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The two test runs of the API: SQL alone on a context (POST /rule_test) and a stored rule as
 * far as its rendered actions (POST /rules/{id}/test). Nothing is published or logged and no
 * metric moves; a rule or an action failing on the context is an IllegalArgumentException with
 * the reason (the API's 400).
 */
final class RuleTesting {

    private RuleTesting() {}

    static RuleTestResult sql(CompiledRule rule, Map<String, Object> context) {
        RuleTester.Outcome o = run(rule, context);
        return new RuleTestResult(status(o.status()), plain(o.outputs()), List.of());
    }

    static RuleTestResult stored(CompiledRule rule, List<Action> actions, Map<String, Object> context) {
        RuleTester.Outcome o = run(rule, context);
        Map<String, Object> cols = RuleTester.context(ruleValues(context)).columns();
        List<List<RuleTestResult.RenderedAction>> rendered = new ArrayList<>();
        for (Map<String, Object> out : o.outputs()) {
            List<RuleTestResult.RenderedAction> per = new ArrayList<>();
            for (int i = 0; i < actions.size(); i++) {
                Action a = actions.get(i);
                try {
                    per.add(new RuleTestResult.RenderedAction(a.function(), a.render(out, cols)));
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("actions[" + i + "] (" + a.function() + ") failed: "
                            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
                }
            }
            rendered.add(per);
        }
        return new RuleTestResult(status(o.status()), plain(o.outputs()), rendered);
    }

    private static Map<String, Object> ruleValues(Map<String, Object> context) {
        return PlainValues.toRuleMap(context == null ? Map.of() : context);
    }

    private static RuleTester.Outcome run(CompiledRule rule, Map<String, Object> context) {
        Map<String, Object> given = ruleValues(context);
        try {
            RuleTester.context(given); // an unknown event_type is the caller's field
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("field 'context.event_type': " + e.getMessage(), e);
        }
        try {
            return RuleTester.run(rule, given);
        } catch (RuleEvalException e) {
            throw new IllegalArgumentException("the rule failed on this context: " + e.getMessage(), e);
        }
    }

    private static RuleTestResult.Status status(RuleTester.Status s) {
        return switch (s) {
            case PASSED -> RuleTestResult.Status.PASSED;
            case NO_MATCH -> RuleTestResult.Status.NO_MATCH;
            case NO_RESULT -> RuleTestResult.Status.NO_RESULT;
        };
    }

    private static List<Map<String, Object>> plain(List<Map<String, Object>> outputs) {
        return outputs.stream().map(PlainValues::toPlainMap).toList();
    }
}

package io.aviary.rules.engine;

import io.aviary.api.broker.Broker;
import io.aviary.api.rules.RuleAction;
import java.util.Map;

/**
 * One prepared action of a rule: its templates parsed once when the rule is created, rendered
 * per output. {@link #render} goes as far as the rendered arguments (for /rules/{id}/test);
 * {@link #run} also does the work (publish, log).
 */
interface Action {

    String function();

    /**
     * The rendered arguments as plain JSON values; throws IllegalArgumentException with the reason.
     *
     * @param columns the message's or event's columns (what the rule ran on), for what EMQX takes
     *     from the original message rather than the output (its user properties)
     */
    Map<String, Object> render(Map<String, Object> output, Map<String, Object> columns);

    /** Runs the action on one output; throws with the reason when it fails. */
    void run(String tenant, String ruleId, Map<String, Object> output, Map<String, Object> columns, Broker broker);

    /**
     * Prepares an action from its definition.
     *
     * @param field the action's field name in the request ("actions[0]"), for error messages
     * @throws IllegalArgumentException naming the field when the action is not acceptable
     */
    static Action of(RuleAction action, String field, java.util.function.Supplier<io.aviary.api.integration.Integrations> integrations) {
        if (IntegrationAction.isId(action.function())) {
            if (!action.args().isEmpty()) {
                throw new IllegalArgumentException("field '" + field + "' names the data integration action '"
                        + action.function() + "', which takes no args");
            }
            return new IntegrationAction(action.function(), integrations);
        }
        return switch (action.function()) {
            case "republish" -> RepublishAction.of(action.args(), field + ".args");
            case "console" -> new ConsoleAction();
            default -> throw new IllegalArgumentException("field '" + field
                    + ".function' must be \"republish\", \"console\" or an action id \"type:name\", was '"
                    + action.function() + "'");
        };
    }
}

package io.aviary.rules.engine;

import io.aviary.api.broker.Broker;
import io.aviary.api.integration.Integrations;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A data integration action named by its id ("http:a1", EMQX 5's string entry in a rule's
 * actions): each output is handed to the integration runtime, which queues it and returns, so
 * the rule's worker never waits for the external system. The rule counts the action succeeded
 * once queued; delivery is the action's own metrics.
 */
final class IntegrationAction implements Action {

    private final String actionId;
    private final Supplier<Integrations> integrations;

    IntegrationAction(String actionId, Supplier<Integrations> integrations) {
        this.actionId = actionId;
        this.integrations = integrations;
    }

    /** An id is {@code type:name}, both parts non-empty. */
    static boolean isId(String function) {
        int colon = function.indexOf(':');
        return colon > 0 && colon < function.length() - 1;
    }

    @Override
    public String function() {
        return actionId;
    }

    @Override
    public Map<String, Object> render(Map<String, Object> output, Map<String, Object> columns) {
        return PlainValues.toPlainMap(output);
    }

    @Override
    public void run(String tenant, String ruleId, Map<String, Object> output, Map<String, Object> columns, Broker broker) {
        Integrations runtime = integrations.get();
        if (runtime == null) {
            throw new IllegalStateException("the data integration runtime is not running");
        }
        runtime.dispatch(tenant, actionId, ruleId, PlainValues.toPlainMap(output));
    }
}

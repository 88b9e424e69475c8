package io.aviary.rules.engine;

import io.aviary.api.broker.Broker;
import io.aviary.rules.Json;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** EMQX's "console" action: one log line per output with the tenant, the rule and the output as JSON. */
final class ConsoleAction implements Action {

    private static final Logger LOG = LoggerFactory.getLogger("io.aviary.rules.console");

    @Override
    public String function() {
        return "console";
    }

    @Override
    public Map<String, Object> render(Map<String, Object> output, Map<String, Object> columns) {
        return Map.of("output", PlainValues.toPlainMap(output));
    }

    @Override
    public void run(String tenant, String ruleId, Map<String, Object> output, Map<String, Object> columns, Broker broker) {
        LOG.info("rule output tenant={} rule={} output={}", tenant, ruleId, Json.encode(output));
    }
}

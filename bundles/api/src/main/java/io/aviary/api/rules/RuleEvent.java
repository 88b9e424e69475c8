package io.aviary.api.rules;

import java.util.List;
import java.util.Map;

/**
 * One entry of the event catalogue (GET /api/v5/rule_events): what a rule can select FROM.
 *
 * @param event     EMQX's event name ("client.connected", "message.publish")
 * @param eventType the rule_test event_type ("client_connected")
 * @param topic     the FROM topic ("$events/client_connected"); null for message.publish (any topic filter)
 * @param columns   each column with an example value (plain JSON values)
 */
public record RuleEvent(String event, String eventType, String topic, String title, String description,
        String sqlExample, Map<String, Object> columns) {

    public List<String> columnNames() {
        return List.copyOf(columns.keySet());
    }
}

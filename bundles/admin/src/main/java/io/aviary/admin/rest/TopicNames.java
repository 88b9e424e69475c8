package io.aviary.admin.rest;

import io.aviary.admin.error.ApiException;
import java.nio.charset.StandardCharsets;

/**
 * MQTT topic name and filter rules (MQTT 5 section 4.7) checked at the API edge, so a bad
 * topic is a 400 naming the field instead of a refusal deep in the broker.
 */
final class TopicNames {

    static final int MAX_TOPIC_BYTES = 65_535;

    private TopicNames() {
    }

    static String validName(String field, String topic) {
        common(field, topic);
        if (topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) {
            throw ApiException.badRequest("field '" + field + "' must not contain wildcards ('+' or '#')");
        }
        return topic;
    }

    static String validFilter(String field, String filter) {
        common(field, filter);
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.contains("#") && (!level.equals("#") || i != levels.length - 1)) {
                throw ApiException.badRequest("field '" + field + "' may use '#' only as the whole last level");
            }
            if (level.contains("+") && !level.equals("+")) {
                throw ApiException.badRequest("field '" + field + "' may use '+' only as a whole level");
            }
        }
        if (filter.startsWith("$share/")) {
            String[] parts = filter.split("/", 3);
            if (parts.length < 3 || parts[1].isEmpty() || parts[2].isEmpty()) {
                throw ApiException.badRequest("field '" + field + "' must be $share/{group}/{filter}");
            }
        }
        return filter;
    }

    private static void common(String field, String topic) {
        if (topic.isEmpty()) {
            throw ApiException.badRequest("field '" + field + "' must not be empty");
        }
        if (topic.indexOf('\u0000') >= 0) {
            throw ApiException.badRequest("field '" + field + "' must not contain the NUL character");
        }
        if (topic.getBytes(StandardCharsets.UTF_8).length > MAX_TOPIC_BYTES) {
            throw ApiException.badRequest("field '" + field + "' must be at most " + MAX_TOPIC_BYTES + " bytes of UTF-8");
        }
    }
}

package io.aviary.storage.sql;

import java.util.Map;

/**
 * Reads typed values out of a connector's or action's JSON config (a Map of plain JSON values, where a
 * number may arrive as Long, Integer or Double). The schema already checked the shapes; these readers
 * turn a wrong one into an IllegalArgumentException naming the field anyway, because a plugin can be
 * called directly (tests, probes) without the runtime's validation.
 */
public final class ConfigValues {
    private ConfigValues() {
    }

    public static String string(Map<String, Object> config, String field, String fallback) {
        Object value = config.get(field);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof String s)) {
            throw new IllegalArgumentException(field + ": must be a string");
        }
        return s;
    }

    public static String requiredString(Map<String, Object> config, String field) {
        String value = string(config, field, null);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + ": is required");
        }
        return value;
    }

    public static int integer(Map<String, Object> config, String field, int fallback, int min, int max) {
        Object value = config.get(field);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
            throw new IllegalArgumentException(field + ": must be an integer");
        }
        long v = n.longValue();
        if (v < min || v > max) {
            throw new IllegalArgumentException(field + ": must be between " + min + " and " + max);
        }
        return (int) v;
    }

    public static boolean bool(Map<String, Object> config, String field, boolean fallback) {
        Object value = config.get(field);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Boolean b)) {
            throw new IllegalArgumentException(field + ": must be true or false");
        }
        return b;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Map<String, Object> config, String field) {
        Object value = config.get(field);
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException(field + ": must be an object");
        }
        return (Map<String, Object>) m;
    }
}

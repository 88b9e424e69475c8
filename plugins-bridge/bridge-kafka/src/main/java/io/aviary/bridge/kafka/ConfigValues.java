package io.aviary.bridge.kafka;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads EMQX-style values out of a configuration map the schema already accepted: durations
 * ("5s", "500ms", or a number of milliseconds), byte sizes ("896KB", "1MB", or a number), enums,
 * booleans and nested objects, each with its EMQX default.
 */
final class ConfigValues {
    private final Map<String, Object> map;
    private final String prefix;

    ConfigValues(Map<String, Object> map, String prefix) {
        this.map = map == null ? Map.of() : map;
        this.prefix = prefix;
    }

    String field(String key) {
        return prefix.isEmpty() ? key : prefix + "." + key;
    }

    boolean has(String key) {
        return map.get(key) != null;
    }

    Object raw(String key) {
        return map.get(key);
    }

    String text(String key, String fallback) {
        Object v = map.get(key);
        return v == null ? fallback : String.valueOf(v);
    }

    boolean bool(String key, boolean fallback) {
        Object v = map.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        String s = String.valueOf(v).trim().toLowerCase(Locale.ROOT);
        if (s.equals("true") || s.equals("false")) {
            return Boolean.parseBoolean(s);
        }
        throw new IllegalArgumentException(field(key) + ": expected true or false, got " + v);
    }

    int integer(String key, int fallback) {
        Object v = map.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return v instanceof Number n ? n.intValue() : Integer.parseInt(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field(key) + ": expected an integer, got " + v);
        }
    }

    /** A duration in milliseconds. */
    long millis(String key, String fallback) {
        Object v = map.get(key);
        return parseMillis(field(key), v == null ? fallback : v);
    }

    /** A size in bytes. */
    long bytes(String key, String fallback) {
        Object v = map.get(key);
        return parseBytes(field(key), v == null ? fallback : v);
    }

    String oneOf(String key, String fallback, List<String> allowed) {
        String v = text(key, fallback);
        if (!allowed.contains(v)) {
            throw new IllegalArgumentException(field(key) + ": expected one of " + allowed + ", got " + v);
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    ConfigValues object(String key) {
        Object v = map.get(key);
        if (v != null && !(v instanceof Map)) {
            throw new IllegalArgumentException(field(key) + ": expected an object");
        }
        return new ConfigValues((Map<String, Object>) v, field(key));
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> objects(String key) {
        Object v = map.get(key);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> list) || !list.stream().allMatch(Map.class::isInstance)) {
            throw new IllegalArgumentException(field(key) + ": expected an array of objects");
        }
        return (List<Map<String, Object>>) v;
    }

    static long parseMillis(String field, Object v) {
        if (v instanceof Number n) {
            return n.longValue();
        }
        String s = String.valueOf(v).trim().toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        if (i == 0) {
            throw new IllegalArgumentException(field + ": expected a duration such as 5s or 500ms, got " + v);
        }
        long n = Long.parseLong(s.substring(0, i));
        return switch (s.substring(i).trim()) {
            case "", "ms" -> n;
            case "s" -> n * 1000;
            case "m" -> n * 60_000;
            case "h" -> n * 3_600_000;
            case "d" -> n * 86_400_000;
            default -> throw new IllegalArgumentException(field + ": expected a duration such as 5s or 500ms, got " + v);
        };
    }

    static long parseBytes(String field, Object v) {
        if (v instanceof Number n) {
            return n.longValue();
        }
        String s = String.valueOf(v).trim().toUpperCase(Locale.ROOT);
        int i = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        if (i == 0) {
            throw new IllegalArgumentException(field + ": expected a size such as 896KB or 1MB, got " + v);
        }
        long n = Long.parseLong(s.substring(0, i));
        return switch (s.substring(i).trim()) {
            case "", "B" -> n;
            case "KB" -> n * 1024;
            case "MB" -> n * 1024 * 1024;
            case "GB" -> n * 1024 * 1024 * 1024;
            default -> throw new IllegalArgumentException(field + ": expected a size such as 896KB or 1MB, got " + v);
        };
    }
}

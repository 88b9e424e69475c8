package io.aviary.plugin.client;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Reads typed values from a configuration the JSON Schema already accepted (plain JSON values:
 * String, Long, Double, Boolean, Map, List), with EMQX's defaults, and EMQX's durations ("5s",
 * "100ms", or a number of milliseconds). Shared by the Redis plugins and bridge-rabbitmq, each
 * of which copies this package in with bnd -conditionalpackage.
 */
public final class ConfigValues {

    private ConfigValues() {
    }

    public static String string(Map<String, Object> m, String key, String dflt) {
        Object v = m == null ? null : m.get(key);
        return v == null ? dflt : String.valueOf(v);
    }

    public static int integer(Map<String, Object> m, String key, int dflt) {
        Object v = m == null ? null : m.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Number n) {
            return n.intValue();
        }
        try {
            return Integer.parseInt(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("field '" + key + "' must be an integer");
        }
    }

    public static boolean bool(Map<String, Object> m, String key, boolean dflt) {
        Object v = m == null ? null : m.get(key);
        return v == null ? dflt : v instanceof Boolean b ? b : Boolean.parseBoolean(String.valueOf(v));
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Map<String, Object> m, String key) {
        Object v = m == null ? null : m.get(key);
        return v instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    public static Duration duration(Map<String, Object> m, String key, Duration dflt) {
        Object v = m == null ? null : m.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Number n) {
            return Duration.ofMillis(n.longValue());
        }
        String s = String.valueOf(v).trim().toLowerCase(Locale.ROOT);
        try {
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            }
            long amount = Long.parseLong(s.substring(0, s.length() - 1));
            return switch (s.charAt(s.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                default -> Duration.ofMillis(Long.parseLong(s));
            };
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("field '" + key + "' must be a duration such as \"5s\" or \"100ms\"");
        }
    }
}

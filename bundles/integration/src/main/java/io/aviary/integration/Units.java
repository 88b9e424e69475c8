package io.aviary.integration;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * EMQX's duration ("10ms", "15s", "1m", "infinity") and byte size ("256MB", "1KB") values, as
 * resource_opts carries them; a bare number is milliseconds or bytes. Errors name the field.
 */
final class Units {

    /** A duration that never ends (request_ttl = infinity). */
    static final long INFINITE = Long.MAX_VALUE;

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)?");
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(b|kb|mb|gb|k|m|g)?");

    private Units() {
    }

    static long millis(Object value, String field) {
        if (value instanceof Number n) {
            return n.longValue();
        }
        String text = String.valueOf(value).trim().toLowerCase(Locale.ROOT);
        if (text.equals("infinity")) {
            return INFINITE;
        }
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("field '" + field + "' must be a duration such as \"10ms\", \"15s\","
                    + " \"1m\" or \"infinity\", was '" + value + "'");
        }
        double n = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        long factor = switch (unit) {
            case "s" -> 1000L;
            case "m" -> 60_000L;
            case "h" -> 3_600_000L;
            case "d" -> 86_400_000L;
            default -> 1L;
        };
        return (long) (n * factor);
    }

    static long bytes(Object value, String field) {
        if (value instanceof Number n) {
            return n.longValue();
        }
        String text = String.valueOf(value).trim().toLowerCase(Locale.ROOT);
        Matcher m = SIZE.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("field '" + field + "' must be a size such as \"256MB\" or \"64KB\","
                    + " was '" + value + "'");
        }
        double n = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2);
        long factor = switch (unit) {
            case "kb", "k" -> 1L << 10;
            case "mb", "m" -> 1L << 20;
            case "gb", "g" -> 1L << 30;
            default -> 1L;
        };
        return (long) (n * factor);
    }
}

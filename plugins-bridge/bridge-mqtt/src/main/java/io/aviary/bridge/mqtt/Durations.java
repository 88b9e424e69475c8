package io.aviary.bridge.mqtt;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** EMQX's duration values: "15s", "160s", "500ms", "1m", "1h"; a bare number is milliseconds, as in EMQX. */
final class Durations {
    private static final Pattern FORMAT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");

    private Durations() {
    }

    static long millis(Object value, long fallback, String field) {
        if (value == null) {
            return fallback;
        }
        if (value instanceof Number n) {
            return n.longValue();
        }
        Matcher m = FORMAT.matcher(String.valueOf(value).trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("field '" + field + "' must be a duration such as \"15s\" or \"500ms\", was '"
                    + value + "'");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        return switch (unit) {
            case "ms" -> n;
            case "s" -> n * 1000;
            case "m" -> n * 60_000;
            case "h" -> n * 3_600_000;
            default -> n * 86_400_000;
        };
    }
}

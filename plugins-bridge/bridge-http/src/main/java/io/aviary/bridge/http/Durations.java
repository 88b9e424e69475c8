package io.aviary.bridge.http;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** EMQX's duration values ("15s", "500ms", "1m"; a bare number is milliseconds), errors naming the field. */
final class Durations {

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

    private Durations() {
    }

    static Duration of(Object value, Duration absent, String field) {
        if (value == null) {
            return absent;
        }
        if (value instanceof Number n) {
            return Duration.ofMillis(n.longValue());
        }
        Matcher m = DURATION.matcher(value.toString().trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("field '" + field + "' must be a duration such as \"15s\" or \"500ms\","
                    + " was '" + value + "'");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2) == null ? "ms" : m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofMillis(n);
        };
        if (d.isZero()) {
            throw new IllegalArgumentException("field '" + field + "' must be more than 0");
        }
        return d;
    }
}

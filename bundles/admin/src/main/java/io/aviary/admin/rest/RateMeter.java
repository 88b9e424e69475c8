package io.aviary.admin.rest;

import java.util.HashMap;
import java.util.Map;

/**
 * Per-second rates of counters from the change between two readings at least a second apart:
 * the API samples lazily when asked, so nothing runs while nobody watches.
 */
final class RateMeter {

    private static final long MIN_WINDOW_NANOS = 1_000_000_000L;

    private long lastAt;
    private Map<String, Long> last = Map.of();
    private Map<String, Double> rates = Map.of();

    synchronized Map<String, Double> rates(Map<String, Long> now, long nanos) {
        if (lastAt == 0) {
            lastAt = nanos;
            last = now;
            return rates;
        }
        long elapsed = nanos - lastAt;
        if (elapsed >= MIN_WINDOW_NANOS) {
            Map<String, Double> next = new HashMap<>();
            now.forEach((k, v) -> next.put(k, (v - last.getOrDefault(k, 0L)) * 1e9 / elapsed));
            rates = next;
            last = now;
            lastAt = nanos;
        }
        return rates;
    }
}

package io.aviary.integration;

import java.util.Map;
import java.util.Set;

/**
 * The runtime's own part of a connector's or action's configuration, EMQX's {@code resource_opts},
 * with EMQX's defaults. Keys EMQX has but Aviary does not need (worker_pool_size, query_mode,
 * start_timeout, ...) are accepted and ignored, so EMQX configurations load unchanged; any other
 * key is refused naming it.
 *
 * @param batchSize           records per batch at most (1 = no batching)
 * @param batchTimeMs         how long a partial batch waits for more records (0 = send at once)
 * @param inflightWindow      batches sent and not yet answered, at most
 * @param maxBufferBytes      the disk buffer's bound; past it the oldest records are dropped
 * @param healthCheckMs       how often the connector is checked
 * @param requestTtlMs        how long a record may wait (buffered, retried) before it is dropped
 *                            as expired; {@link Units#INFINITE} for never
 */
record ResourceOpts(int batchSize, long batchTimeMs, int inflightWindow, long maxBufferBytes, long healthCheckMs,
        long requestTtlMs) {

    static final ResourceOpts DEFAULTS = new ResourceOpts(1, 0, 100, 256L << 20, 15_000, 45_000);

    private static final Set<String> IGNORED = Set.of("worker_pool_size", "query_mode", "start_timeout",
            "start_after_created", "auto_restart_interval", "resume_interval", "max_batch_bytes", "buffer_mode",
            "buffer_seg_bytes", "enable_queue", "async_inflight_window", "request_timeout");

    static ResourceOpts of(Object value, String field) {
        if (value == null) {
            return DEFAULTS;
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("field '" + field + "' must be an object");
        }
        int batchSize = DEFAULTS.batchSize;
        long batchTime = DEFAULTS.batchTimeMs;
        int inflight = DEFAULTS.inflightWindow;
        long maxBuffer = DEFAULTS.maxBufferBytes;
        long health = DEFAULTS.healthCheckMs;
        long ttl = DEFAULTS.requestTtlMs;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            String f = field + "." + key;
            Object v = e.getValue();
            switch (key) {
                case "batch_size" -> batchSize = (int) range(integer(v, f), 1, 10_000, f);
                case "batch_time" -> batchTime = range(Units.millis(v, f), 0, 600_000, f);
                case "inflight_window" -> inflight = (int) range(integer(v, f), 1, 10_000, f);
                case "max_buffer_bytes" -> maxBuffer = range(Units.bytes(v, f), 1024, 1L << 40, f);
                case "health_check_interval" -> health = range(Units.millis(v, f), 100, 3_600_000, f);
                case "request_ttl" -> ttl = Units.millis(v, f) == Units.INFINITE ? Units.INFINITE
                        : range(Units.millis(v, f), 1, 86_400_000L * 7, f);
                default -> {
                    if (!IGNORED.contains(key)) {
                        throw new IllegalArgumentException("field '" + f + "' is not a resource option; known:"
                                + " batch_size, batch_time, inflight_window, max_buffer_bytes, health_check_interval,"
                                + " request_ttl");
                    }
                }
            }
        }
        return new ResourceOpts(batchSize, batchTime, inflight, maxBuffer, health, ttl);
    }

    private static long integer(Object v, String field) {
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return n.longValue();
        }
        throw new IllegalArgumentException("field '" + field + "' must be an integer, was " + v);
    }

    private static long range(long v, long min, long max, String field) {
        if (v < min || v > max) {
            throw new IllegalArgumentException("field '" + field + "' must be " + min + " to " + max + ", was " + v);
        }
        return v;
    }
}

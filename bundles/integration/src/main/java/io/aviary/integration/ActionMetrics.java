package io.aviary.integration;

import io.aviary.api.metrics.MetricsSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * An action's (or source's) counters, EMQX's names: LongAdders bumped without contention by the
 * rule workers and the runtime's threads; the gauges (queuing, inflight) are read from the
 * action when a snapshot is taken. The last failure's reason is kept for the API.
 */
final class ActionMetrics {

    final LongAdder matched = new LongAdder();
    final LongAdder success = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder droppedExpired = new LongAdder();
    final LongAdder droppedQueueFull = new LongAdder();
    final LongAdder droppedOther = new LongAdder();
    final LongAdder droppedStopped = new LongAdder();
    final LongAdder retried = new LongAdder();
    final LongAdder lateReply = new LongAdder();
    final LongAdder received = new LongAdder();
    private final LongAdder batches = new LongAdder();
    private final LongAdder latencyTotal = new LongAdder();
    private final AtomicLong latencyMax = new AtomicLong();
    volatile String lastError;

    /** A batch was answered after {@code millis}. */
    void latency(long millis) {
        batches.increment();
        latencyTotal.add(millis);
        latencyMax.accumulateAndGet(millis, Math::max);
    }

    void reset() {
        for (LongAdder a : List.of(matched, success, failed, droppedExpired, droppedQueueFull, droppedOther,
                droppedStopped, retried, lateReply, received, batches, latencyTotal)) {
            a.reset();
        }
        latencyMax.set(0);
        lastError = null;
    }

    long dropped() {
        return droppedExpired.sum() + droppedQueueFull.sum() + droppedOther.sum() + droppedStopped.sum();
    }

    /** EMQX's metrics object, plus the gauges given and Aviary's latency and last_error. */
    Map<String, Object> snapshot(long queuing, long queuingBytes, long inflight) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("matched", matched.sum());
        m.put("success", success.sum());
        m.put("failed", failed.sum());
        m.put("dropped", dropped());
        m.put("dropped.expired", droppedExpired.sum());
        m.put("dropped.queue_full", droppedQueueFull.sum());
        m.put("dropped.other", droppedOther.sum());
        m.put("dropped.resource_not_found", 0L);
        m.put("dropped.resource_stopped", droppedStopped.sum());
        m.put("retried", retried.sum());
        m.put("late_reply", lateReply.sum());
        m.put("queuing", queuing);
        m.put("queuing_bytes", queuingBytes);
        m.put("inflight", inflight);
        m.put("received", received.sum());
        long n = batches.sum();
        m.put("latency", n == 0 ? 0L : latencyTotal.sum() / n);
        m.put("latency_max", latencyMax.get());
        m.put("rate", 0.0);
        m.put("rate_last5m", 0.0);
        m.put("rate_max", 0.0);
        if (lastError != null) {
            m.put("last_error", lastError);
        }
        return m;
    }

    /** The counters as Prometheus series labelled with tenant and action (and reason for drops). */
    void prometheus(String tenant, String kind, String id, long queuing, long inflight, List<MetricsSource.Counter> out) {
        Map<String, String> tags = Map.of("tenant", tenant, kind, id);
        String p = "aviary.integration." + kind + ".";
        out.add(new MetricsSource.Counter(p + "matched", "Records rules handed to the " + kind, tags, matched.sum()));
        out.add(new MetricsSource.Counter(p + "success", "Records the external system accepted", tags, success.sum()));
        out.add(new MetricsSource.Counter(p + "failed", "Records that failed without retry", tags, failed.sum()));
        out.add(new MetricsSource.Counter(p + "retried", "Record sends retried", tags, retried.sum()));
        out.add(new MetricsSource.Counter(p + "late.reply", "Answers after the request timed out", tags, lateReply.sum()));
        out.add(new MetricsSource.Counter(p + "received", "Messages a source brought in", tags, received.sum()));
        String dropped = "Records dropped, by reason";
        out.add(new MetricsSource.Counter(p + "dropped", dropped, with(tags, "reason", "expired"), droppedExpired.sum()));
        out.add(new MetricsSource.Counter(p + "dropped", dropped, with(tags, "reason", "queue_full"), droppedQueueFull.sum()));
        out.add(new MetricsSource.Counter(p + "dropped", dropped, with(tags, "reason", "other"), droppedOther.sum()));
        out.add(new MetricsSource.Counter(p + "dropped", dropped, with(tags, "reason", "resource_stopped"),
                droppedStopped.sum()));
        out.add(new MetricsSource.Counter(p + "queuing", "Records buffered, not yet sent (a gauge)", tags, queuing));
        out.add(new MetricsSource.Counter(p + "inflight", "Records sent, not yet answered (a gauge)", tags, inflight));
        out.add(new MetricsSource.Counter(p + "latency.ms", "Milliseconds waited for answers, summed", tags,
                latencyTotal.sum()));
        out.add(new MetricsSource.Counter(p + "batches", "Batches answered", tags, batches.sum()));
    }

    private static Map<String, String> with(Map<String, String> tags, String key, String value) {
        Map<String, String> out = new LinkedHashMap<>(tags);
        out.put(key, value);
        return out;
    }
}

package io.aviary.integration;

import io.aviary.api.integration.Health;
import io.aviary.api.integration.Sink;
import io.aviary.api.integration.SinkException;
import io.aviary.api.log.OncePerSecond;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One action at run time: what rules hand over goes into its {@link ActionBuffer} at once
 * ({@link #offer} returns without waiting for anything but the buffer's lock), and a pump on the
 * runtime's threads takes batches (batch_size, batch_time) and sends them through the sink while
 * fewer than inflight_window are unanswered. A retryable failure (any exception but a fatal
 * {@link SinkException}) sends the batch again after an exponential backoff with jitter; a fatal
 * one counts the records failed with the error kept, after resending a multi-record batch one
 * record at a time so the good records still land. Records older than request_ttl are dropped as
 * expired. While the connector is not connected only one batch is out at a time, retried with
 * backoff, and the first success (or a health check) opens the whole window again.
 */
final class ActionRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(ActionRuntime.class);
    static final long BACKOFF_START_MS = 100;
    static final long BACKOFF_MAX_MS = 5_000;

    /** What the action needs from the rest of the runtime. */
    interface Host {
        /** The connector's health now. */
        Health connectorHealth();

        /** A retryable failure or a success says something about the connection. */
        void sendResult(boolean ok, String error);

        /** Records were dropped because the buffer is full (raise the alarm). */
        void bufferFull(ActionRuntime action, int dropped);
    }

    /** Records sent together, and how often. */
    private static final class Batch {
        final List<ActionBuffer.Rec> recs;
        int attempts;

        Batch(List<ActionBuffer.Rec> recs) {
            this.recs = recs;
        }
    }

    final String tenant;
    final String id;
    final ActionMetrics metrics = new ActionMetrics();
    /** The action as configured (replaced on update). */
    volatile Resource config;
    private final ActionBuffer buffer;
    private final ScheduledExecutorService exec;
    private final Host host;
    private volatile ResourceOpts opts;
    private volatile Sink sink;
    private volatile String sinkError;
    private volatile boolean enabled = true;
    private boolean pumpQueued;
    private ScheduledFuture<?> batchTimer;
    /** When {@link #batchTimer} fires (epoch ms). */
    private long batchTimerDue;
    private int inflightBatches;
    private int inflightRecords;
    private boolean closed;
    private final List<ScheduledFuture<?>> retries = new ArrayList<>();
    private final OncePerSecond failedLog = new OncePerSecond();
    private final OncePerSecond expiredLog = new OncePerSecond();

    ActionRuntime(String tenant, String id, ResourceOpts opts, ActionBuffer buffer, ScheduledExecutorService exec,
            Host host) {
        this.tenant = tenant;
        this.id = id;
        this.opts = opts;
        this.buffer = buffer;
        this.exec = exec;
        this.host = host;
    }

    void opts(ResourceOpts o) {
        opts = o;
        buffer.maxBytes(o.maxBufferBytes());
        pumpSoon();
    }

    ResourceOpts opts() {
        return opts;
    }

    /** The sink to send through (null while the connector is not open), and why there is none. */
    void sink(Sink s, String error) {
        Sink old = sink;
        sink = s;
        sinkError = error;
        if (old != null && old != s) {
            old.close();
        }
        pumpSoon();
    }

    Sink sink() {
        return sink;
    }

    String sinkError() {
        return sinkError;
    }

    void enabled(boolean on) {
        enabled = on;
        pumpSoon();
    }

    boolean enabled() {
        return enabled;
    }

    // ---- rules' side

    /** Buffers one record and returns; the pump sends it. */
    void offer(Map<String, Object> record) {
        byte[] json = ActionBuffer.encode(record).getBytes(StandardCharsets.UTF_8);
        metrics.matched.increment();
        int dropped = buffer.append(record, json, System.currentTimeMillis());
        if (dropped > 0) {
            metrics.droppedQueueFull.add(dropped);
            host.bufferFull(this, dropped);
        }
        pumpSoon();
    }

    // ---- the pump

    void pumpSoon() {
        synchronized (this) {
            if (pumpQueued || closed) {
                return;
            }
            pumpQueued = true;
        }
        exec.execute(this::pump);
    }

    private void pump() {
        List<Batch> toSend = new ArrayList<>();
        synchronized (this) {
            pumpQueued = false;
            if (closed || !enabled || sink == null) {
                return;
            }
            ResourceOpts o = opts;
            // Not connected: one batch at a time goes out (and is retried with backoff) as the probe;
            // the rest waits in the buffer until a success or a health check says connected.
            int window = host.connectorHealth().status() == Health.Status.CONNECTED ? o.inflightWindow() : 1;
            while (inflightBatches < window && buffer.unsent() > 0) {
                if (buffer.unsent() < o.batchSize() && o.batchTimeMs() > 0) {
                    long oldest = buffer.oldestUnsentAt();
                    long wait = oldest + o.batchTimeMs() - System.currentTimeMillis();
                    if (oldest > 0 && wait > 0) {
                        // a timer whose time has come may still be running (its pump can start on the
                        // other thread before it returns), so "done" is judged by its due time
                        long now = System.currentTimeMillis();
                        if (batchTimer == null || batchTimerDue <= now) {
                            batchTimerDue = now + wait;
                            batchTimer = exec.schedule(this::pumpSoon, wait, TimeUnit.MILLISECONDS);
                        }
                        break;
                    }
                }
                List<ActionBuffer.Rec> recs = buffer.take(o.batchSize(), this::pumpSoon);
                if (recs.isEmpty()) {
                    break; // the older records are on their way to the disk; ready() pumps again
                }
                inflightBatches++;
                inflightRecords += recs.size();
                toSend.add(new Batch(recs));
            }
        }
        for (Batch b : toSend) {
            send(b);
        }
    }

    /** Sends (or resends) a batch; the inflight counts already include it. */
    private void send(Batch b) {
        Sink s = sink;
        if (!live(b)) {
            return;
        }
        if (s == null) {
            b.attempts++;
            retryLater(b, "the connector is not running");
            return;
        }
        b.attempts++;
        List<Map<String, Object>> records = new ArrayList<>(b.recs.size());
        b.recs.forEach(r -> records.add(r.record));
        long started = System.nanoTime();
        AtomicBoolean answered = new AtomicBoolean();
        CompletableFuture<Void> stage;
        try {
            stage = s.send(records).toCompletableFuture();
        } catch (RuntimeException thrown) {
            stage = CompletableFuture.failedFuture(thrown);
        }
        long ttl = opts.requestTtlMs();
        long timeout = ttl == Units.INFINITE ? 60_000 : Math.max(ttl, 1000);
        ScheduledFuture<?> timer = exec.schedule(() -> {
            if (answered.compareAndSet(false, true)) {
                exec.execute(() -> done(b, s, started, new TimeoutException("no answer within " + timeout + " ms")));
            }
        }, timeout, TimeUnit.MILLISECONDS);
        stage.whenComplete((ok, err) -> {
            if (!answered.compareAndSet(false, true)) {
                metrics.lateReply.add(b.recs.size());
                return;
            }
            timer.cancel(false);
            exec.execute(() -> done(b, s, started, err));
        });
    }

    /** Drops the batch's expired records (counted); false when none is left or the action is gone. */
    private boolean live(Batch b) {
        synchronized (this) {
            if (closed) {
                return false;
            }
        }
        long ttl = opts.requestTtlMs();
        if (ttl != Units.INFINITE) {
            long now = System.currentTimeMillis();
            List<ActionBuffer.Rec> expired = new ArrayList<>();
            for (ActionBuffer.Rec r : b.recs) {
                if (now - r.at > ttl) {
                    expired.add(r);
                }
            }
            if (!expired.isEmpty()) {
                expired.forEach(buffer::remove);
                metrics.droppedExpired.add(expired.size());
                b.recs.removeAll(expired);
                long n = expiredLog.count();
                if (n > 0) {
                    LOG.warn("integration: tenant={} action={} record(s) dropped: older than request_ttl {} ms ({} drop"
                            + " event(s) since the last notice)", tenant, id, ttl, n);
                }
                synchronized (this) {
                    inflightRecords -= expired.size();
                }
            }
        }
        if (b.recs.isEmpty()) {
            finished();
            return false;
        }
        return true;
    }

    private void done(Batch b, Sink sentThrough, long startedNanos, Throwable err) {
        Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        if (cause != null && sentThrough != sink) {
            // The sink was closed under the batch (connector stopped or reconfigured, plugin gone,
            // runtime shutting down): whatever it failed with ("pool closed", an interrupt) is not
            // the external system's verdict, so the records are kept: resent through the next sink,
            // or left in the store for the next start if the action is closed.
            retryLater(b, "the connector was closed while the batch was out");
            return;
        }
        if (cause == null) {
            metrics.latency(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos));
            b.recs.forEach(buffer::remove);
            metrics.success.add(b.recs.size());
            synchronized (this) {
                inflightRecords -= b.recs.size();
            }
            host.sendResult(true, null);
            finished();
            return;
        }
        String reason = reason(cause);
        if (cause instanceof SinkException se && !se.retryable()) {
            if (b.recs.size() > 1) {
                LOG.info("integration: tenant={} action={} a batch of {} failed ({}); resending one record at a time",
                        tenant, id, b.recs.size(), reason);
                splitAndResend(b);
                return;
            }
            metrics.lastError = reason;
            metrics.failed.add(b.recs.size());
            b.recs.forEach(buffer::remove);
            synchronized (this) {
                inflightRecords -= b.recs.size();
            }
            long n = failedLog.count();
            if (n > 0) {
                LOG.warn("integration: tenant={} action={} {} record(s) failed, not retried (last: {})", tenant, id, n,
                        reason);
            }
            finished();
            return;
        }
        metrics.lastError = reason;
        metrics.retried.add(b.recs.size());
        host.sendResult(false, reason);
        if (b.attempts == 1) {
            LOG.warn("integration: tenant={} action={} send failed, retrying with backoff: {}", tenant, id, reason);
        }
        retryLater(b, reason);
    }

    private void splitAndResend(Batch b) {
        synchronized (this) {
            inflightBatches += b.recs.size() - 1;
        }
        for (ActionBuffer.Rec r : b.recs) {
            List<ActionBuffer.Rec> one = new ArrayList<>(1);
            one.add(r);
            Batch single = new Batch(one);
            single.attempts = b.attempts;
            exec.execute(() -> send(single));
        }
    }

    private void retryLater(Batch b, String reason) {
        long delay = backoff(b.attempts);
        synchronized (this) {
            if (closed) {
                return;
            }
            retries.removeIf(ScheduledFuture::isDone);
            retries.add(exec.schedule(() -> send(b), delay, TimeUnit.MILLISECONDS));
        }
    }

    /** Exponential from {@link #BACKOFF_START_MS} up to {@link #BACKOFF_MAX_MS}, with half of it random. */
    static long backoff(int attempts) {
        long cap = Math.min(BACKOFF_MAX_MS, BACKOFF_START_MS << Math.min(20, Math.max(0, attempts - 1)));
        return cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1);
    }

    private void finished() {
        synchronized (this) {
            inflightBatches--;
        }
        pumpSoon();
    }

    private static String reason(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }

    // ---- views

    Map<String, Object> metricsSnapshot() {
        long inflight;
        synchronized (this) {
            inflight = inflightRecords;
        }
        return metrics.snapshot(buffer.unsent(), buffer.unsentBytes(), inflight);
    }

    synchronized long inflightRecords() {
        return inflightRecords;
    }

    long queuing() {
        return buffer.unsent();
    }

    /** Stops sending; what is buffered stays on disk for the next start. */
    void close() {
        List<ScheduledFuture<?>> pending;
        synchronized (this) {
            closed = true;
            pending = new ArrayList<>(retries);
            retries.clear();
            if (batchTimer != null) {
                batchTimer.cancel(false);
            }
        }
        pending.forEach(f -> f.cancel(false));
        Sink s = sink;
        sink = null;
        if (s != null) {
            s.close();
        }
    }

    /** Closes and deletes the buffered records (the action is deleted). */
    void destroy() {
        close();
        buffer.clear();
    }

    /** Records left over from the last run. */
    int load() {
        return buffer.load();
    }
}

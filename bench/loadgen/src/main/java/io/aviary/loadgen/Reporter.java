package io.aviary.loadgen;

import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

/**
 * Prints one line a second on stderr (rates sent / received / acknowledged, connections, errors,
 * the second's p99 latency) and keeps the latency histogram of the measurement window.
 */
final class Reporter implements AutoCloseable {
    private final Stats stats;
    private final PrintStream out;
    private final boolean quiet;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "loadgen-reporter");
        t.setDaemon(true);
        return t;
    });
    private final long startNanos = System.nanoTime();
    private final Histogram measured = new Histogram(Stats.MAX_LATENCY_NANOS, 3);
    private Histogram interval;
    private Stats.Snapshot previous;
    private boolean measuring;
    private String phase = "connect";

    Reporter(Stats stats, PrintStream out, boolean quiet) {
        this.stats = stats;
        this.out = out;
        this.quiet = quiet;
        this.previous = stats.snapshot();
        timer.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    synchronized void phase(String name) {
        phase = name;
    }

    /** From now on latencies count (those recorded before, during warm-up, are dropped). */
    synchronized void beginMeasure() {
        interval = stats.takeLatencies(interval);
        measuring = true;
        phase = "measure";
    }

    synchronized Histogram endMeasure() {
        interval = stats.takeLatencies(interval);
        measured.add(interval);
        measuring = false;
        return measured.copy();
    }

    private synchronized void tick() {
        Stats.Snapshot now = stats.snapshot();
        interval = stats.takeLatencies(interval);
        if (measuring) {
            measured.add(interval);
        }
        double secs = (now.nanoTime() - previous.nanoTime()) / 1e9;
        if (!quiet) {
            out.printf("[loadgen] %4ds %-8s conns=%d sent/s=%.0f recv/s=%.0f acked/s=%.0f conn/s=%.0f errors=%d fails=%d closed=%d p99=%s%n",
                    Math.round((now.nanoTime() - startNanos) / 1e9), phase,
                    now.connected() - now.closed(),
                    (now.sent() - previous.sent()) / secs, (now.received() - previous.received()) / secs,
                    (now.acked() - previous.acked()) / secs, (now.connected() - previous.connected()) / secs,
                    now.errors(), now.connFailed(), now.unexpectedCloses(),
                    interval.getTotalCount() == 0 ? "-" : String.format("%.0fus", interval.getValueAtPercentile(99) / 1000.0));
        }
        previous = now;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}

package io.aviary.loadgen;

import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Counters shared by every connection. LongAdders and HdrHistogram's Recorder keep the event
 * loops from contending with each other or with the reporter thread, which reads them once a
 * second.
 */
public final class Stats {
    /** Latencies up to a minute, in nanoseconds, 3 significant digits. */
    static final long MAX_LATENCY_NANOS = 60_000_000_000L;

    final LongAdder connected = new LongAdder();
    final LongAdder connFailed = new LongAdder();
    final LongAdder sent = new LongAdder();
    final LongAdder acked = new LongAdder();
    final LongAdder received = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder unexpectedCloses = new LongAdder();
    /** Every closed connection, expected or not: connected - closed are open now. */
    final LongAdder closed = new LongAdder();
    private final Recorder latency = new Recorder(MAX_LATENCY_NANOS, 3);

    void recordLatency(long nanos) {
        if (nanos >= 0 && nanos <= MAX_LATENCY_NANOS) {
            latency.recordValue(nanos);
        }
    }

    /** The latencies recorded since the previous call (the Recorder swaps its buffers). */
    Histogram takeLatencies(Histogram recycle) {
        return latency.getIntervalHistogram(recycle);
    }

    /** One moment's counters, to subtract from another's. */
    record Snapshot(long nanoTime, long connected, long connFailed, long sent, long acked, long received,
                    long errors, long unexpectedCloses, long closed) {
    }

    Snapshot snapshot() {
        return new Snapshot(System.nanoTime(), connected.sum(), connFailed.sum(), sent.sum(), acked.sum(),
                received.sum(), errors.sum(), unexpectedCloses.sum(), closed.sum());
    }
}

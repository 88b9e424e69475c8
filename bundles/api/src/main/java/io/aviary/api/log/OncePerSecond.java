package io.aviary.api.log;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts occurrences of one kind of trouble that can repeat at message rate (a slow subscriber's
 * full queue, a sink refusing every record, a republish loop) and lets one log line through per
 * second at most, carrying how many happened since the last one: a flood costs a line a second,
 * not one per message. Thread-safe.
 *
 * <pre>{@code
 * long n = refused.count();
 * if (n > 0) {
 *     LOG.warn("... ({} since the last notice)", n);
 * }
 * }</pre>
 */
public final class OncePerSecond {

    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong lastLine = new AtomicLong(System.nanoTime() - SECOND);
    private final LongAdder since = new LongAdder();

    /** Counts one; returns how many to report (this one included) when a line is due, else 0. */
    public long count() {
        since.increment();
        long now = System.nanoTime();
        long last = lastLine.get();
        if (now - last >= SECOND && lastLine.compareAndSet(last, now)) {
            return since.sumThenReset();
        }
        return 0;
    }
}

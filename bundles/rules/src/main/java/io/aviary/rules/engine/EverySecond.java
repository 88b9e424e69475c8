package io.aviary.rules.engine;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts occurrences of one kind of trouble (work refused by a full queue, a republish loop) and
 * lets one log line through per second at most, carrying how many happened since the last one:
 * a flood of failures costs a log line a second, not one per message.
 */
final class EverySecond {

    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong lastLog = new AtomicLong(System.nanoTime() - SECOND);
    private final LongAdder since = new LongAdder();

    /** Counts one; returns the count to log (this one included) when a line is due, else 0. */
    long count() {
        since.increment();
        long now = System.nanoTime();
        long last = lastLog.get();
        if (now - last >= SECOND && lastLog.compareAndSet(last, now)) {
            return since.sumThenReset();
        }
        return 0;
    }
}

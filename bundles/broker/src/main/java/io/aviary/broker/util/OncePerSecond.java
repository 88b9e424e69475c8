package io.aviary.broker.util;

import java.util.concurrent.atomic.AtomicLong;

/**
 * At most one log line per second for an event that can repeat at message rate (a slow
 * subscriber's full queue), carrying how many occurred since the last line, so the log names the
 * problem without being flooded by it.
 */
public final class OncePerSecond {

    private final AtomicLong count = new AtomicLong();
    private final AtomicLong last = new AtomicLong();

    /** Counts one event; returns how many to report now (this one included), or 0 to stay quiet. */
    public long count() {
        count.incrementAndGet();
        long now = System.nanoTime();
        long prev = last.get();
        if ((prev == 0 || now - prev >= 1_000_000_000L) && last.compareAndSet(prev, now)) {
            return count.getAndSet(0);
        }
        return 0;
    }
}

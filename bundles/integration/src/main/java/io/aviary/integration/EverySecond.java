package io.aviary.integration;

import java.util.concurrent.atomic.AtomicLong;

/**
 * At most one log line per second for a repeating event (a webhook answering 4xx to every record),
 * with how many occurred since the last line, so a failing sink cannot flood the log.
 */
final class EverySecond {

    private final AtomicLong count = new AtomicLong();
    private final AtomicLong last = new AtomicLong();

    /** Counts one event; returns how many to report now (this one included), or 0 to stay quiet. */
    long count() {
        count.incrementAndGet();
        long now = System.nanoTime();
        long prev = last.get();
        if ((prev == 0 || now - prev >= 1_000_000_000L) && last.compareAndSet(prev, now)) {
            return count.getAndSet(0);
        }
        return 0;
    }
}

package io.aviary.rules.engine;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Where rules run: a few single-thread lanes, each with a bounded queue, so the broker's I/O
 * threads only hand work over and never wait for a rule or an action. A publisher's messages go
 * to one lane (by its client id), so its rule outputs keep its order, as in EMQX where a rule
 * runs in the publisher's process. A full lane refuses the work ({@link #submit} returns false):
 * the caller counts the rules as failed with reason "overloaded" instead of growing memory.
 */
final class RuleWorkers {

    /** A lane's thread; {@link #depth} is the republish depth of the work it is running. */
    static final class LaneThread extends Thread {
        int depth;

        LaneThread(Runnable r, String name) {
            super(r, name);
            setDaemon(true);
        }
    }

    private final ThreadPoolExecutor[] lanes;

    RuleWorkers(int lanes, int queuePerLane) {
        this.lanes = new ThreadPoolExecutor[lanes];
        for (int i = 0; i < lanes; i++) {
            String name = "aviary-rules-" + i;
            this.lanes[i] = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queuePerLane),
                    r -> new LaneThread(r, name), new ThreadPoolExecutor.AbortPolicy());
        }
    }

    /** Queues the work on the lane of {@code key}; false when that lane is full (or stopped). */
    boolean submit(int key, Runnable work) {
        ThreadPoolExecutor lane = lanes[Math.floorMod(key, lanes.length)];
        try {
            lane.execute(work);
            return true;
        } catch (RejectedExecutionException full) {
            return false;
        }
    }

    /** The republish depth of the work running on this thread (0 outside the lanes). */
    static int currentDepth() {
        return Thread.currentThread() instanceof LaneThread t ? t.depth : 0;
    }

    /** Stops taking work and waits a moment for the queued work to finish. */
    void stop(long waitMillis) {
        for (ThreadPoolExecutor lane : lanes) {
            lane.shutdown();
        }
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        for (ThreadPoolExecutor lane : lanes) {
            try {
                if (!lane.awaitTermination(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    lane.shutdownNow();
                }
            } catch (InterruptedException e) {
                lane.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }
}

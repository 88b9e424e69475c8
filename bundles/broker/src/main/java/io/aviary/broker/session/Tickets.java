package io.aviary.broker.session;

import io.netty.util.concurrent.FastThreadLocal;

/**
 * The highest durable-store ticket written by the current thread since it last asked: a
 * PUBLISH is routed on its connection's event loop, and every record written for it (queued
 * messages of persistent sessions, the retained message, a delayed publish, the QoS 2 id) is
 * written there too, so the acknowledgement waits for exactly this ticket. One long per thread.
 */
public final class Tickets {

    private static final FastThreadLocal<long[]> LAST = new FastThreadLocal<>() {
        @Override
        protected long[] initialValue() {
            return new long[2];
        }
    };

    private Tickets() {
    }

    public static void note(long ticket) {
        long[] t = LAST.get();
        if (ticket > t[0]) {
            t[0] = ticket;
        }
    }

    /** A persistent session over its disk quota refused a message of this publish. */
    public static void quotaExceeded() {
        LAST.get()[1] = 1;
    }

    private static final FastThreadLocal<Session> BACKLOGGED = new FastThreadLocal<>();

    /**
     * A QoS 1/2 delivery of this publish went to a connected subscriber that acknowledges but has
     * a backlog: the publisher should stop reading until that subscriber has drained (SessionHandler).
     */
    public static void backpressure(Session subscriber) {
        BACKLOGGED.set(subscriber);
    }

    /** The backlogged subscriber this publish fed, if any, and forgets it. */
    public static Session takeBackpressure() {
        Session s = BACKLOGGED.get();
        if (s != null) {
            BACKLOGGED.set(null);
        }
        return s;
    }

    /** The ticket to wait for (0 = none) and forgets it. */
    public static long take() {
        long[] t = LAST.get();
        long v = t[0];
        t[0] = 0;
        return v;
    }

    /** Whether a quota refused part of this publish, and forgets it. */
    public static boolean takeQuotaExceeded() {
        long[] t = LAST.get();
        boolean v = t[1] != 0;
        t[1] = 0;
        return v;
    }
}

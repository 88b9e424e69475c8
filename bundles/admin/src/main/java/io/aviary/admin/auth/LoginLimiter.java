package io.aviary.admin.auth;

import io.aviary.admin.error.ApiException;
import java.time.Clock;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing: a source address that fails to authenticate {@link #MAX_FAILURES}
 * times within {@link #WINDOW_MS} is refused with 429 until the window has passed. Memory is
 * bounded: at most {@link #MAX_ADDRESSES} addresses are tracked, expired ones are swept first.
 */
public final class LoginLimiter {

    public static final int MAX_FAILURES = 10;
    public static final long WINDOW_MS = 60_000;
    static final int MAX_ADDRESSES = 10_000;

    private final Clock clock;
    private final Map<String, long[]> failures = new ConcurrentHashMap<>();

    public LoginLimiter(Clock clock) {
        this.clock = clock;
    }

    /** Throws 429 while the address is blocked. */
    public void check(String address) {
        long[] f = failures.get(address);
        long now = clock.millis();
        if (f != null) {
            synchronized (f) {
                if (now - f[1] >= WINDOW_MS) {
                    failures.remove(address, f);
                } else if (f[0] >= MAX_FAILURES) {
                    long retry = Math.max(1, (f[1] + WINDOW_MS - now + 999) / 1000);
                    throw new ApiException(429, "TOO_MANY_REQUESTS", "too many failed logins from " + address
                            + "; retry after " + retry + " s");
                }
            }
        }
    }

    /** Counts a failure; the window starts at the first failure. */
    public void failed(String address) {
        long now = clock.millis();
        if (failures.size() >= MAX_ADDRESSES) {
            sweep(now);
        }
        if (failures.size() >= MAX_ADDRESSES) {
            return; // still full of live entries: stay bounded, do not track more
        }
        long[] f = failures.computeIfAbsent(address, a -> new long[] {0, now});
        synchronized (f) {
            if (now - f[1] >= WINDOW_MS) {
                f[0] = 0;
                f[1] = now;
            }
            f[0]++;
        }
    }

    private void sweep(long now) {
        for (Iterator<long[]> it = failures.values().iterator(); it.hasNext(); ) {
            if (now - it.next()[1] >= WINDOW_MS) {
                it.remove();
            }
        }
    }
}

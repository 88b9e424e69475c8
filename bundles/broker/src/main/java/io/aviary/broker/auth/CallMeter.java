package io.aviary.broker.auth;

import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the platform measures of every call into one plugin instance (an authenticator or an
 * authorizer of one tenant): calls, failures (it threw or failed its stage), timeouts (no answer
 * within the auth timeout: cut off and counted as IGNORE), and the time to the answer.
 */
public final class CallMeter {
    private final LongAdder calls = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder timeouts = new LongAdder();
    private final LongAdder nanos = new LongAdder();

    void called() {
        calls.increment();
    }

    void answered(long elapsedNanos) {
        nanos.add(elapsedNanos);
    }

    void failed() {
        failures.increment();
    }

    void timedOut() {
        timeouts.increment();
    }

    /** Counters under {@code prefix}: calls, failures, timeouts and the summed answer time in µs. */
    public void snapshot(String prefix, Map<String, Long> out) {
        out.put(prefix + ".calls", calls.sum());
        out.put(prefix + ".failures", failures.sum());
        out.put(prefix + ".timeouts", timeouts.sum());
        out.put(prefix + ".latency_us_total", nanos.sum() / 1_000);
    }
}

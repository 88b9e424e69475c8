package io.aviary.broker.transport;

/**
 * A token bucket: {@code perSecond} tokens a second, at most {@code capacity} saved up. Used for
 * connection rates per listener and message/byte rates per client. Synchronized: per-listener
 * buckets are touched once per accept; per-client buckets by one event loop only.
 */
public final class TokenBucket {
    private final double perNano;
    private final double capacity;
    private double tokens;
    private long last;

    public TokenBucket(double perSecond, double capacity) {
        this.perNano = perSecond / 1e9;
        this.capacity = capacity;
        this.tokens = capacity;
        this.last = System.nanoTime();
    }

    /** Takes one token if there is one (never borrows). */
    public synchronized boolean take() {
        refill();
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /**
     * Takes {@code n} tokens, going into debt if needed; returns how many nanoseconds until the
     * bucket is out of debt (0 when it is not in debt), so the caller can pause that long.
     */
    public synchronized long borrow(double n) {
        refill();
        tokens -= n;
        return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / perNano);
    }

    /**
     * Takes {@code n} tokens if the bucket is not in debt (it may go into debt: a packet larger
     * than the bucket still passes, and pays for itself by a longer pause afterwards).
     */
    public synchronized boolean takeIfNotInDebt(double n) {
        refill();
        if (tokens <= 0) {
            return false;
        }
        tokens -= n;
        return true;
    }

    /** Nanoseconds until the bucket is out of debt (0 when it is not in debt). */
    public synchronized long nanosUntilNotInDebt() {
        refill();
        return tokens > 0 ? 0 : (long) Math.ceil((-tokens + 1e-9) / perNano) + 1;
    }

    private void refill() {
        long now = System.nanoTime();
        tokens = Math.min(capacity, tokens + (now - last) * perNano);
        last = now;
    }
}

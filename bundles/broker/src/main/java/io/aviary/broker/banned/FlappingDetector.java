package io.aviary.broker.banned;

import io.aviary.api.broker.Ban;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * EMQX's flapping detection: a client id that disconnects max_count times within window_time
 * is banned for ban_time, in its tenant. Counts are kept per tenant and client id in a fixed window that starts at the
 * first disconnect; windows that have passed are forgotten at the next disconnect of that id,
 * and the whole map is swept when it grows, so idle ids cost nothing.
 */
public final class FlappingDetector {
    private static final Logger LOG = LoggerFactory.getLogger(FlappingDetector.class);
    private static final int SWEEP_ABOVE = 10_000;

    private final BanStore bans;
    private final int maxCount;
    private final long windowMs;
    private final long banMs;
    private final LongSupplier clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    public FlappingDetector(BanStore bans, int maxCount, long windowMs, long banMs, LongSupplier clock) {
        this.bans = bans;
        this.maxCount = maxCount;
        this.windowMs = windowMs;
        this.banMs = banMs;
        this.clock = clock;
    }

    private static final class Window {
        final long start;
        int count;

        Window(long start) {
            this.start = start;
        }
    }

    /** Records one disconnect of {@code tenant}'s {@code clientId}; bans it when it flaps. */
    public void disconnected(String tenant, String clientId) {
        long now = clock.getAsLong();
        if (windows.size() > SWEEP_ABOVE) {
            windows.values().removeIf(w -> now - w.start > windowMs);
        }
        String key = tenant + '\0' + clientId;
        Window w = windows.compute(key, (id, old) -> {
            Window cur = old == null || now - old.start > windowMs ? new Window(now) : old;
            cur.count++;
            return cur;
        });
        if (w.count >= maxCount) {
            windows.remove(key);
            bans.add(new Ban(tenant, Ban.As.CLIENTID, clientId, "flapping", "flapping: " + w.count
                    + " disconnects within " + windowMs + " ms", now, now + banMs));
            LOG.info("tenant={} clientid={} banned for {} ms: flapping ({} disconnects within {} ms)",
                    tenant, clientId, banMs, w.count, windowMs);
        }
    }
}

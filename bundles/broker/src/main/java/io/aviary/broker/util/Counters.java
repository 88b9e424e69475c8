package io.aviary.broker.util;

import io.aviary.api.events.DropReason;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Named monotonically increasing counters (e.g. {@code packets.malformed}), cheap to bump from
 * any event loop. Fixed, frequently used counters are fields; rarer ones are looked up by name.
 */
public final class Counters {

    public final LongAdder connections = new LongAdder();
    public final LongAdder packetsMalformed = new LongAdder();
    public final LongAdder packetsProtocolError = new LongAdder();
    public final LongAdder packetsTooLarge = new LongAdder();
    /** Publishers paused because a subscriber they feed had a backlog (flow control). */
    public final LongAdder publishPaused = new LongAdder();

    public final LongAdder bytesReceived = new LongAdder();
    public final LongAdder bytesSent = new LongAdder();

    private final ConcurrentHashMap<String, LongAdder> others = new ConcurrentHashMap<>();
    /** delivery.dropped.<reason> by DropReason ordinal: bumped per dropped delivery, so no name is built then. */
    private final LongAdder[] deliveryDropped = new LongAdder[DropReason.values().length];
    private static final String[] DELIVERY_DROPPED_NAMES = new String[DropReason.values().length];

    static {
        for (DropReason r : DropReason.values()) {
            DELIVERY_DROPPED_NAMES[r.ordinal()] = "delivery.dropped." + r.name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    {
        for (int i = 0; i < deliveryDropped.length; i++) {
            deliveryDropped[i] = new LongAdder();
        }
    }

    /** One delivery to one subscriber was dropped for this reason. */
    public void deliveryDropped(DropReason reason) {
        deliveryDropped[reason.ordinal()].increment();
    }
    private final ConcurrentHashMap<String, TenantCounters> tenants = new ConcurrentHashMap<>();

    /** The tenant's counters (made on first use); callers on the hot path keep the instance. */
    public TenantCounters tenant(String tenant) {
        TenantCounters t = tenants.get(tenant);
        return t != null ? t : tenants.computeIfAbsent(tenant, TenantCounters::new);
    }

    /** Tenants that have counters. */
    public java.util.Set<String> tenants() {
        return java.util.Set.copyOf(tenants.keySet());
    }

    public void inc(String name) {
        others.computeIfAbsent(name, n -> new LongAdder()).increment();
    }

    public long get(String name) {
        return snapshot().getOrDefault(name, 0L);
    }

    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        out.put("connections", connections.sum());
        out.put("packets.malformed", packetsMalformed.sum());
        out.put("packets.protocol_error", packetsProtocolError.sum());
        out.put("packets.too_large", packetsTooLarge.sum());
        out.put("packets.publish.paused", publishPaused.sum());
        for (int i = 0; i < deliveryDropped.length; i++) {
            long n = deliveryDropped[i].sum();
            if (n > 0) { // as a named counter: present once it happened
                out.put(DELIVERY_DROPPED_NAMES[i], n);
            }
        }
        // node-wide message totals are the tenants' sums: the hot path bumps one set of counters
        long received = 0;
        long sent = 0;
        long dropped = 0;
        for (TenantCounters t : tenants.values()) {
            Map<String, Long> ts = t.snapshot();
            received += ts.get("messages.received");
            sent += ts.get("messages.sent");
            dropped += ts.get("messages.dropped");
        }
        out.put("messages.received", received);
        out.put("messages.sent", sent);
        out.put("messages.dropped", dropped);
        out.put("bytes.received", bytesReceived.sum());
        out.put("bytes.sent", bytesSent.sum());
        others.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}

package io.aviary.broker.util;

import io.aviary.api.events.DropReason;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * One tenant's message, drop and authentication counters, with EMQX's metric names. Plain
 * LongAdders bumped on the broker's threads; readers (metrics, admin API) only sum them.
 * Holders on the hot path resolve their tenant's instance once (per connection), not per message.
 */
public final class TenantCounters {

    private final String tenant;
    private final LongAdder[] received = adders(3);
    private final LongAdder[] sent = adders(3);
    private final EnumMap<DropReason, LongAdder> dropped = new EnumMap<>(DropReason.class);
    public final LongAdder authSuccess = new LongAdder();
    /** Rule actions the tenant's rules ran (usage metering). */
    public final LongAdder ruleActions = new LongAdder();
    public final LongAdder authAnonymous = new LongAdder();
    public final LongAdder authFailure = new LongAdder();
    private final java.util.concurrent.ConcurrentHashMap<String, LongAdder> quotaExceeded =
            new java.util.concurrent.ConcurrentHashMap<>();

    TenantCounters(String tenant) {
        this.tenant = tenant;
        for (DropReason r : DropReason.values()) {
            dropped.put(r, new LongAdder());
        }
    }

    public String tenant() {
        return tenant;
    }

    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();

    public void received(int qos) {
        received[qos].increment();
    }

    public void sent(int qos) {
        sent[qos].increment();
    }

    /** Application message bytes (topic and payload) received from and sent to the tenant's clients. */
    public void bytesIn(long n) {
        bytesIn.add(n);
    }

    public void bytesOut(long n) {
        bytesOut.add(n);
    }

    public long bytesIn() {
        return bytesIn.sum();
    }

    public long bytesOut() {
        return bytesOut.sum();
    }

    public void dropped(DropReason reason) {
        dropped.get(reason).increment();
    }

    /** A quota of the tenant refused something (quota.exceeded.<name>). */
    public void quotaExceeded(String quota) {
        quotaExceeded.computeIfAbsent(quota, q -> new LongAdder()).increment();
    }

    /** EMQX names: messages.qos1.received, messages.dropped.no_subscribers, authentication.success, ... */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        long r = 0;
        long s = 0;
        for (int q = 0; q < 3; q++) {
            out.put("messages.qos" + q + ".received", received[q].sum());
            out.put("messages.qos" + q + ".sent", sent[q].sum());
            r += received[q].sum();
            s += sent[q].sum();
        }
        out.put("messages.received", r);
        out.put("messages.bytes.received", bytesIn.sum());
        out.put("messages.bytes.sent", bytesOut.sum());
        out.put("messages.sent", s);
        long d = 0;
        for (Map.Entry<DropReason, LongAdder> e : dropped.entrySet()) {
            out.put("messages.dropped." + e.getKey().name().toLowerCase(Locale.ROOT), e.getValue().sum());
            d += e.getValue().sum();
        }
        out.put("messages.dropped", d);
        out.put("authentication.success", authSuccess.sum());
        out.put("authentication.success.anonymous", authAnonymous.sum());
        out.put("authentication.failure", authFailure.sum());
        quotaExceeded.forEach((q, n) -> out.put("quota.exceeded." + q, n.sum()));
        return out;
    }

    private static LongAdder[] adders(int n) {
        LongAdder[] a = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }
}

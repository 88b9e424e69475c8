package io.aviary.broker.tenant;

import io.aviary.api.tenant.Tenant;
import io.aviary.broker.session.Session;
import io.aviary.broker.session.SessionKey;
import io.aviary.broker.session.SessionRegistry;
import io.aviary.broker.util.Counters;
import io.aviary.mqtt.codec.ReasonCode;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Enforces a tenant's quotas (Tenant.quotas, changeable at run time): connections and sessions
 * at CONNECT, and per PUBLISH the message size, the retained message count and the inbound
 * message and byte rates (token buckets shared by the tenant's connections, refilled per
 * second, with one second of burst), and the outbound rates by the publish's fan-out. A refusal names the quota and is counted as
 * {@code quota.exceeded.<name>} in the tenant's counters. A tenant without quotas costs one map
 * lookup per PUBLISH.
 */
public final class TenantQuotas {

    /** A refusal: the MQTT 5 reason code and a reason string that names the quota. */
    public record Refusal(int reasonCode, String quota, String reason) {
    }

    private final TenantRegistry tenants;
    private final SessionRegistry sessions;
    private final Counters counters;
    private final LongSupplier nanos;
    private final ConcurrentHashMap<String, Usage> usage = new ConcurrentHashMap<>();

    public TenantQuotas(TenantRegistry tenants, SessionRegistry sessions, Counters counters, LongSupplier nanos) {
        this.tenants = tenants;
        this.sessions = sessions;
        this.counters = counters;
        this.nanos = nanos;
    }

    /** One tenant's live connection count and rate buckets. */
    private static final class Usage {
        final AtomicInteger connections = new AtomicInteger();
        final Bucket messagesIn = new Bucket();
        final Bucket bytesIn = new Bucket();
        final Bucket messagesOut = new Bucket();
        final Bucket bytesOut = new Bucket();
    }

    private Usage usage(String tenant) {
        Usage u = usage.get(tenant);
        return u != null ? u : usage.computeIfAbsent(tenant, t -> new Usage());
    }

    /**
     * Counts a connection that passed authentication, or refuses it. A client taking over its
     * own connected session is not refused for max_connections (its old connection is about to
     * go). {@code release} must run once when an admitted connection ends.
     */
    public Refusal admitConnection(String tenant, String clientId, Runnable[] release) {
        Usage u = usage(tenant);
        Tenant t = tenants.find(tenant);
        long maxConnections = t == null ? 0 : t.quota("max_connections");
        long maxSessions = t == null ? 0 : t.quota("max_sessions");
        Session existing = maxConnections > 0 || maxSessions > 0 ? sessions.get(new SessionKey(tenant, clientId)) : null;
        boolean takeover = existing != null && existing.connection() != null;
        if (maxConnections > 0 && !takeover) {
            int n;
            do {
                n = u.connections.get();
                if (n >= maxConnections) {
                    return refuse(tenant, "max_connections", maxConnections, "connections");
                }
            } while (!u.connections.compareAndSet(n, n + 1));
        } else {
            u.connections.incrementAndGet();
        }
        release[0] = u.connections::decrementAndGet;
        // a clean start replaces the client's own session: only a client without one adds a session
        boolean newSession = existing == null || existing.ended();
        if (maxSessions > 0 && newSession && sessions.size(tenant) >= maxSessions) {
            release[0].run();
            release[0] = null;
            return refuse(tenant, "max_sessions", maxSessions, "sessions");
        }
        return null;
    }

    /** The tenant's connections now (for the API and tests). */
    public int connections(String tenant) {
        Usage u = usage.get(tenant);
        return u == null ? 0 : u.connections.get();
    }

    /**
     * Checks one inbound PUBLISH against the tenant's quotas; null when it may pass.
     *
     * @param retainedCount supplies the tenant's retained message count (asked only when that quota is set)
     * @param newRetained   true for a retained message with a payload
     */
    public Refusal checkPublish(String tenant, int bytes, boolean newRetained, java.util.function.IntSupplier retainedCount) {
        Tenant t = tenants.find(tenant);
        if (t == null || t.quotas().isEmpty()) {
            return null;
        }
        long maxSize = t.quota("max_message_size");
        if (maxSize > 0 && bytes > maxSize) {
            return refuse(tenant, "max_message_size", maxSize, "bytes per message", ReasonCode.QUOTA_EXCEEDED);
        }
        long maxRetained = t.quota("max_retained");
        if (maxRetained > 0 && newRetained && retainedCount.getAsInt() >= maxRetained) {
            return refuse(tenant, "max_retained", maxRetained, "retained messages", ReasonCode.QUOTA_EXCEEDED);
        }
        long now = nanos.getAsLong();
        Usage u = usage(tenant);
        long msgRate = t.quota("max_messages_in_rate");
        if (msgRate > 0 && !u.messagesIn.take(1, msgRate, now)) {
            // 0x97, not 0x96: MQTT 5 allows Message rate too high only in DISCONNECT, not in PUBACK/PUBREC
            return refuse(tenant, "max_messages_in_rate", msgRate, "messages per second", ReasonCode.QUOTA_EXCEEDED);
        }
        long byteRate = t.quota("max_bytes_in_rate");
        if (byteRate > 0 && !u.bytesIn.take(bytes, byteRate, now)) {
            return refuse(tenant, "max_bytes_in_rate", byteRate, "bytes per second", ReasonCode.QUOTA_EXCEEDED);
        }
        return null;
    }

    /**
     * Checks a client's PUBLISH against the tenant's outbound rates before any copy goes out: the
     * fan-out (matching subscriptions, one per shared group; asked only when an outbound quota is
     * set) takes that many messages, and that many times {@code bytes}, from the tenant's buckets.
     * A publish that would exceed them is refused as a whole, so no subscriber gets a partial
     * fan-out and the publisher can send it again; null when it may pass.
     */
    public Refusal checkOutbound(String tenant, String topic, int bytes, java.util.function.ToIntBiFunction<String, String> fanOut) {
        Tenant t = tenants.find(tenant);
        if (t == null || t.quotas().isEmpty()) {
            return null;
        }
        long msgRate = t.quota("max_messages_out_rate");
        long byteRate = t.quota("max_bytes_out_rate");
        if (msgRate <= 0 && byteRate <= 0) {
            return null;
        }
        int n = fanOut.applyAsInt(tenant, topic);
        if (n == 0) {
            return null;
        }
        long now = nanos.getAsLong();
        Usage u = usage(tenant);
        if (msgRate > 0 && !u.messagesOut.take(n, msgRate, now)) {
            return refuse(tenant, "max_messages_out_rate", msgRate, "messages per second to subscribers",
                    ReasonCode.QUOTA_EXCEEDED);
        }
        if (byteRate > 0 && !u.bytesOut.take((long) n * bytes, byteRate, now)) {
            return refuse(tenant, "max_bytes_out_rate", byteRate, "bytes per second to subscribers",
                    ReasonCode.QUOTA_EXCEEDED);
        }
        return null;
    }

    /** The effective subscriptions-per-client limit: the tenant's quota, else the node's (0 = none). */
    public int maxSubscriptions(String tenant, int node) {
        Tenant t = tenants.find(tenant);
        long q = t == null ? 0 : t.quota("max_subscriptions_per_client");
        if (q <= 0) {
            return node;
        }
        return node <= 0 ? (int) Math.min(q, Integer.MAX_VALUE) : (int) Math.min(q, node);
    }

    /** Counts a refusal the caller decided on (e.g. max_subscriptions_per_client). */
    public void counted(String tenant, String quota) {
        counters.tenant(tenant).quotaExceeded(quota);
    }

    private Refusal refuse(String tenant, String quota, long limit, String unit) {
        return refuse(tenant, quota, limit, unit, ReasonCode.QUOTA_EXCEEDED);
    }

    private Refusal refuse(String tenant, String quota, long limit, String unit, int code) {
        counted(tenant, quota);
        return new Refusal(code, quota, "tenant quota " + quota + " exceeded (" + limit + " " + unit + ")");
    }

    /** A token bucket refilled at {@code rate} per second, holding at most one second's worth. */
    private static final class Bucket {
        private double tokens = -1;
        private long last;

        synchronized boolean take(long n, long rate, long now) {
            if (tokens < 0) {
                tokens = rate;
                last = now;
            }
            tokens = Math.min(rate, tokens + (now - last) / 1e9 * rate);
            last = now;
            if (tokens < n) {
                return false;
            }
            tokens -= n;
            return true;
        }
    }
}

package io.aviary.broker.session;

import io.aviary.broker.topic.Subscription;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@link SessionState} in plain collections; the owning Session's monitor guards it. */
public final class InMemorySessionState implements SessionState {

    private final SessionKey key;
    private final long createdAt;
    private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
    private final LinkedHashMap<Integer, InflightEntry> inflight = new LinkedHashMap<>();
    /** Inbound QoS 2 packet ids awaiting PUBREL, with arrival time, oldest first; made with the first (most sessions never get one). */
    private LinkedHashMap<Integer, Long> awaitingRel;
    private final ArrayDeque<Delivery> queue = new ArrayDeque<>(1); // grows by doubling; most sessions queue nothing
    private WillMessage will;

    public InMemorySessionState(SessionKey key, long createdAt) {
        this.key = key;
        this.createdAt = createdAt;
    }

    @Override public SessionKey key() { return key; }
    @Override public long createdAt() { return createdAt; }
    @Override public Map<String, Subscription> subscriptions() { return subscriptions; }

    @Override
    public Subscription putSubscription(Subscription subscription) {
        return subscriptions.put(subscription.filter(), subscription);
    }

    @Override
    public Subscription removeSubscription(String filter) {
        return subscriptions.remove(filter);
    }

    @Override public InflightEntry inflight(int packetId) { return inflight.get(packetId); }
    @Override public void putInflight(InflightEntry entry) { inflight.put(entry.packetId(), entry); }
    @Override public InflightEntry removeInflight(int packetId) { return inflight.remove(packetId); }
    @Override public Collection<InflightEntry> inflight() { return inflight.values(); }
    @Override public int inflightCount() { return inflight.size(); }

    @Override public boolean awaitingRel(int packetId) { return awaitingRel != null && awaitingRel.containsKey(packetId); }

    @Override
    public void addAwaitingRel(int packetId, long now) {
        if (awaitingRel == null) {
            awaitingRel = new LinkedHashMap<>();
        }
        awaitingRel.putIfAbsent(packetId, now);
    }

    @Override
    public boolean removeAwaitingRel(int packetId) {
        return awaitingRel != null && awaitingRel.remove(packetId) != null;
    }

    @Override public int awaitingRelCount() { return awaitingRel == null ? 0 : awaitingRel.size(); }

    @Override
    public int purgeAwaitingRel(long olderThan) {
        return purgeAwaitingRel(olderThan, id -> { });
    }

    /** As {@link #purgeAwaitingRel(long)}, telling {@code removed} each id forgotten. */
    public int purgeAwaitingRel(long olderThan, java.util.function.IntConsumer removed) {
        int n = 0;
        if (awaitingRel == null) {
            return 0;
        }
        for (Iterator<Map.Entry<Integer, Long>> it = awaitingRel.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Integer, Long> e = it.next();
            if (e.getValue() >= olderThan) {
                break;
            }
            it.remove();
            removed.accept(e.getKey());
            n++;
        }
        return n;
    }

    @Override
    public Delivery offer(Delivery delivery, int max) {
        if (max <= 0) {
            return delivery;
        }
        if (queue.size() < max) {
            queue.add(delivery);
            return null;
        }
        // full: drop policy "QoS 0 first, then oldest" (QoS 0 carries no delivery promise)
        for (Iterator<Delivery> it = queue.iterator(); it.hasNext(); ) {
            Delivery d = it.next();
            if (d.qos() == 0) {
                it.remove();
                queue.add(delivery);
                return d;
            }
        }
        if (delivery.qos() == 0) {
            return delivery;
        }
        Delivery dropped = queue.poll();
        queue.add(delivery);
        return dropped;
    }

    @Override public Delivery poll() { return queue.poll(); }

    @Override
    public List<Delivery> removeQueued(Predicate<Delivery> which) {
        List<Delivery> out = new ArrayList<>();
        for (Iterator<Delivery> it = queue.iterator(); it.hasNext(); ) {
            Delivery d = it.next();
            if (which.test(d)) {
                it.remove();
                out.add(d);
            }
        }
        return out;
    }
    @Override public int queued() { return queue.size(); }
    @Override public WillMessage will() { return will; }
    @Override public void will(WillMessage w) { this.will = w; }

    @Override
    public void clear() {
        for (InflightEntry e : inflight.values()) {
            if (!e.released()) {
                e.delivery().message().release();
            }
        }
        inflight.clear();
        for (Delivery d : queue) {
            d.message().release();
        }
        queue.clear();
        subscriptions.clear();
        awaitingRel = null;
        will = null;
    }
}

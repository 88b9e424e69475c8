package io.aviary.broker.session;

import io.aviary.broker.topic.Subscription;
import io.aviary.store.DurableStore;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The state of a persistent session (session expiry above 0) in durable mode: the in-memory
 * state the broker works on, written through to the durable store. Subscriptions, the Will and
 * the session's fields are rewritten when they change; each QoS 1/2 delivery gets a record
 * (numbered, which also gives its packet id) before it is queued or sent, and loses it when it
 * leaves the session; PUBREC is recorded before PUBREL goes out; inbound QoS 2 ids are kept
 * until PUBREL. Writes only queue (group commit): nothing here waits for the disk.
 */
public final class DurableSessionState implements SessionState {

    private final InMemorySessionState mem;
    private final DurableStore store;
    private final DurableSessionStore owner;
    private final byte[] messagePrefix;
    private final byte[] receivedPrefix;
    private final byte[] subscriptionPrefix;
    private final byte[] relPrefix;
    private final byte[] packetIdPrefix;
    /** Packet ids recorded for deliveries whose own id was taken (rare: see recordPacketId). */
    private final Map<Long, Integer> packetIds = new ConcurrentHashMap<>();
    private final byte[] sessionKey;
    private final AtomicLong nextSeq;
    /** Record sizes of the stored messages by seq, for the disk quota. */
    private final Map<Long, Integer> sizes = new ConcurrentHashMap<>();
    private final AtomicLong bytes = new AtomicLong();
    /** This session's own disk quota alarm (raised once per crossing, see DurableSessionStore). */
    private final java.util.concurrent.atomic.AtomicBoolean quotaAlarm = new java.util.concurrent.atomic.AtomicBoolean();

    DurableSessionState(SessionKey key, long createdAt, DurableStore store, DurableSessionStore owner, long firstSeq) {
        this.mem = new InMemorySessionState(key, createdAt);
        this.store = store;
        this.owner = owner;
        String t = key.tenant();
        String c = key.clientId();
        this.messagePrefix = StoreRecords.prefix(t, StoreRecords.MESSAGE, c, true);
        this.receivedPrefix = StoreRecords.prefix(t, StoreRecords.RECEIVED, c, true);
        this.subscriptionPrefix = StoreRecords.prefix(t, StoreRecords.SUBSCRIPTION, c, true);
        this.relPrefix = StoreRecords.prefix(t, StoreRecords.AWAITING_REL, c, true);
        this.packetIdPrefix = StoreRecords.prefix(t, StoreRecords.PACKET_ID, c, true);
        this.sessionKey = StoreRecords.prefix(t, StoreRecords.SESSION, c, false);
        this.nextSeq = new AtomicLong(firstSeq);
    }

    /** Bytes of this session's stored message records. */
    long storedBytes() {
        return bytes.get();
    }

    /** True when this call raised the session's quota alarm (it was not raised). */
    boolean raiseQuotaAlarm() {
        return quotaAlarm.compareAndSet(false, true);
    }

    /** True when this call cleared the session's quota alarm (it was raised). */
    boolean clearQuotaAlarm() {
        return quotaAlarm.compareAndSet(true, false);
    }

    InMemorySessionState memory() {
        return mem;
    }

    @Override public boolean durable() { return true; }
    @Override public SessionKey key() { return mem.key(); }
    @Override public long createdAt() { return mem.createdAt(); }
    @Override public Map<String, Subscription> subscriptions() { return mem.subscriptions(); }

    @Override
    public Subscription putSubscription(Subscription s) {
        Tickets.note(store.put(StoreRecords.withString(subscriptionPrefix, s.filter()),
                StoreRecords.subscription(s.options())));
        return mem.putSubscription(s);
    }

    @Override
    public Subscription removeSubscription(String filter) {
        Subscription old = mem.removeSubscription(filter);
        if (old != null) {
            store.delete(StoreRecords.withString(subscriptionPrefix, filter));
        }
        return old;
    }

    @Override public InflightEntry inflight(int packetId) { return mem.inflight(packetId); }
    @Override public void putInflight(InflightEntry entry) { mem.putInflight(entry); }
    @Override public InflightEntry removeInflight(int packetId) { return mem.removeInflight(packetId); }
    @Override public Collection<InflightEntry> inflight() { return mem.inflight(); }
    @Override public int inflightCount() { return mem.inflightCount(); }
    @Override public boolean awaitingRel(int packetId) { return mem.awaitingRel(packetId); }

    @Override
    public void addAwaitingRel(int packetId, long now) {
        mem.addAwaitingRel(packetId, now);
        Tickets.note(store.put(relKey(packetId), longBytes(now)));
    }

    @Override
    public boolean removeAwaitingRel(int packetId) {
        boolean had = mem.removeAwaitingRel(packetId);
        if (had) {
            store.delete(relKey(packetId));
        }
        return had;
    }

    @Override public int awaitingRelCount() { return mem.awaitingRelCount(); }

    @Override
    public int purgeAwaitingRel(long olderThan) {
        return mem.purgeAwaitingRel(olderThan, id -> store.delete(relKey(id)));
    }

    private byte[] relKey(int packetId) {
        byte[] k = java.util.Arrays.copyOf(relPrefix, relPrefix.length + 2);
        k[relPrefix.length] = (byte) (packetId >>> 8);
        k[relPrefix.length + 1] = (byte) packetId;
        return k;
    }

    @Override
    public Delivery offer(Delivery d, int max) {
        Delivery dropped = mem.offer(d, max);
        if (dropped != null) {
            forget(dropped.seq());
        }
        return dropped;
    }

    @Override public Delivery poll() { return mem.poll(); }

    @Override
    public List<Delivery> removeQueued(Predicate<Delivery> which) {
        List<Delivery> out = mem.removeQueued(which);
        for (Delivery d : out) {
            forget(d.seq());
        }
        return out;
    }

    @Override public int queued() { return mem.queued(); }
    @Override public WillMessage will() { return mem.will(); }
    @Override public void will(WillMessage w) { mem.will(w); }

    @Override
    public void clear() {
        mem.clear();
        for (byte type : StoreRecords.SESSION_TYPES) {
            byte[] p = type == StoreRecords.SESSION ? sessionKey : retype(type);
            if (type == StoreRecords.SESSION) {
                store.delete(p);
            } else {
                store.deletePrefix(p);
            }
        }
        owner.released(key().tenant(), bytes.getAndSet(0));
        sizes.clear();
        packetIds.clear();
        owner.sessionReleased(this);
    }

    private byte[] retype(byte type) {
        return switch (type) {
            case StoreRecords.MESSAGE -> messagePrefix;
            case StoreRecords.RECEIVED -> receivedPrefix;
            case StoreRecords.SUBSCRIPTION -> subscriptionPrefix;
            case StoreRecords.PACKET_ID -> packetIdPrefix;
            default -> relPrefix;
        };
    }

    @Override
    public Delivery persist(Delivery d) {
        if (d.seq() != 0) {
            return d;
        }
        byte[] value = StoreRecords.delivery(d);
        if (!owner.admit(this, value.length)) {
            return null;
        }
        long seq = nextSeq.getAndIncrement();
        sizes.put(seq, value.length);
        bytes.addAndGet(value.length);
        owner.stored(key().tenant(), value.length);
        Tickets.note(store.put(StoreRecords.withLong(messagePrefix, seq), value));
        return d.withSeq(seq);
    }

    /** A message restored from the store (its record is already there). */
    void restored(long seq, int size) {
        sizes.put(seq, size);
        bytes.addAndGet(size);
        owner.stored(key().tenant(), size);
    }

    @Override
    public void forget(long seq) {
        if (seq == 0) {
            return;
        }
        Integer size = sizes.remove(seq);
        if (size == null) {
            return;
        }
        bytes.addAndGet(-size);
        owner.released(key().tenant(), size);
        if (quotaAlarm.get()) {
            owner.sessionReleased(this);
        }
        store.delete(StoreRecords.withLong(messagePrefix, seq));
        store.delete(StoreRecords.withLong(receivedPrefix, seq));
        if (packetIds.remove(seq) != null) {
            store.delete(StoreRecords.withLong(packetIdPrefix, seq));
        }
    }

    @Override
    public int packetIdFor(long seq) {
        Integer recorded = packetIds.isEmpty() ? null : packetIds.get(seq);
        return recorded != null ? recorded : Session.packetIdFor(seq);
    }

    /** Restored from the store at start. */
    void restoredPacketId(long seq, int packetId) {
        packetIds.put(seq, packetId);
    }

    /**
     * Waits for the record's fsync on the caller's thread (an event loop): this happens at most
     * once per 65 535 deliveries of a session, and the PUBLISH must not leave before it.
     */
    @Override
    public void recordPacketId(long seq, int packetId) {
        packetIds.put(seq, packetId);
        long ticket = store.put(StoreRecords.withLong(packetIdPrefix, seq),
                new byte[] {(byte) (packetId >> 8), (byte) packetId});
        CompletableFuture<Void> synced = new CompletableFuture<>();
        store.whenDurable(ticket, () -> synced.complete(null));
        try {
            synced.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("durable store did not sync a packet id record for " + key(), e);
        }
    }

    @Override
    public long markReceived(InflightEntry e) {
        if (e.seq() == 0) {
            return 0;
        }
        return store.put(StoreRecords.withLong(receivedPrefix, e.seq()), new byte[0]);
    }

    @Override
    public long saveSession(StoreRecords.SessionRecord record) {
        long t = store.put(sessionKey, StoreRecords.session(record));
        Tickets.note(t);
        return t;
    }

    private static byte[] longBytes(long v) {
        return StoreRecords.withLong(new byte[0], v);
    }
}

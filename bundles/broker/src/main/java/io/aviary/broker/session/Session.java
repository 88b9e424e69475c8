package io.aviary.broker.session;

import io.aviary.api.client.ClientInfo;
import io.aviary.broker.message.BrokerMessage;
import io.aviary.broker.topic.Subscriber;
import io.aviary.broker.topic.Subscription;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * One MQTT session: its persistent {@link SessionState} plus the connection currently attached
 * (null while the client is offline) and the timers that run while it is offline (Will delay,
 * session expiry). Every state change happens under this object's monitor and is short; no
 * I/O is done while holding it: methods return what the caller must write.
 */
public final class Session implements Subscriber {

    /** Result of {@link #admit}: the message was queued (window full or offline). */
    public static final int QUEUED = -1;
    /** Result of {@link #admit}: the message was dropped (queue full of newer ones, or QoS 0 offline). */
    public static final int DROPPED = -2;
    /** Result of {@link #admit}: the caller's connection is no longer the session's (taken over). */
    public static final int NOT_OWNER = -4;
    /** Result of {@link #offerOffline}: a connection is attached, send to it instead. */
    public static final int ONLINE = -3;
    /**
     * Result of {@link #admit}, {@link #offerOffline} and {@link #enqueue} for a shared QoS 1/2
     * delivery: the session has ended (after leaving its groups), so the caller must hand the
     * delivery to another member of the share; the caller keeps its reference.
     */
    public static final int ENDED = -5;

    private final SessionKey key;
    private final SessionState state;
    private volatile Connection connection;
    private volatile ClientInfo client;
    private volatile long expiryInterval;
    private volatile boolean cleanStart;
    private volatile int keepAlive;
    private volatile int subscriptionCount;
    private volatile long connectedAt;
    private volatile long disconnectedAt;
    private volatile boolean ended;
    private int nextPacketId;
    /** Inflight PUBLISH entries not yet re-sent on the current connection (its window was full). */
    private int deferredCount;
    private Future<?> willTimer;
    private WillMessage pendingWill;
    private Future<?> expiryTimer;
    public final LongAdder received = new LongAdder();
    public final LongAdder sent = new LongAdder();
    /** Deliveries this session lost (counted by BrokerCore.dropped), shown per client by the API. */
    public final LongAdder dropped = new LongAdder();

    public Session(SessionState state, ClientInfo client) {
        this.key = state.key();
        this.state = state;
        this.client = client;
    }

    /** Told of a queued message the drop policy pushes out of a full queue (counted per client, emitted). */
    private volatile java.util.function.BiConsumer<Session, io.aviary.broker.message.BrokerMessage> evictions;

    public void onEvicted(java.util.function.BiConsumer<Session, io.aviary.broker.message.BrokerMessage> listener) {
        this.evictions = listener;
    }

    @Override public SessionKey key() { return key; }
    @Override public boolean online() { return connection != null; }
    @Override public boolean ended() { return ended; }
    public Connection connection() { return connection; }
    public ClientInfo client() { return client; }
    public SessionState state() { return state; }
    public long expiryInterval() { return expiryInterval; }
    public void expiryInterval(long seconds) { expiryInterval = seconds; }
    public boolean cleanStart() { return cleanStart; }
    public int keepAlive() { return keepAlive; }
    public long connectedAt() { return connectedAt; }
    public long disconnectedAt() { return disconnectedAt; }
    public int subscriptionCount() { return subscriptionCount; }

    /** Attaches a new connection; returns the one it replaces (to be disconnected), or null. Cancels offline timers. */
    public synchronized Connection attach(Connection c, ClientInfo info, boolean clean, int keepAliveSeconds, long now) {
        if (ended) {
            throw new IllegalStateException("session ended: " + key);
        }
        Connection previous = connection;
        connection = c;
        client = info;
        cleanStart = clean;
        keepAlive = keepAliveSeconds;
        connectedAt = now;
        disconnectedAt = 0;
        lastAckNanos = System.nanoTime(); // a new connection has made progress
        cancel(willTimer);
        cancel(expiryTimer);
        willTimer = null;
        expiryTimer = null;
        pendingWill = null; // reconnected within the Will Delay: the Will is not sent [MQTT-3.1.3-9]
        return previous;
    }

    /** What {@link #detach} left behind: the departing connection's Will, or null. */
    public record Detached(WillMessage will) {
    }

    /**
     * Detaches {@code c} if it is still the attached connection, taking its Will in the same
     * step (a connection attaching right after brings a Will of its own); null when another
     * connection took over.
     */
    public synchronized Detached detach(Connection c, long now) {
        if (connection != c) {
            return null;
        }
        connection = null;
        disconnectedAt = now;
        wakeDrainWaiters(true); // an offline session's queue is no reason to hold publishers
        WillMessage will = state.will();
        state.will(null);
        return new Detached(will);
    }

    /** A session read back from the durable store: offline since {@code since}, with its expiry. */
    public synchronized void restoredOffline(long expirySeconds, long since) {
        expiryInterval = expirySeconds;
        disconnectedAt = since;
        subscriptionCount = state.subscriptions().size();
    }

    /**
     * Writes the session's own fields to the durable store (nothing for a session in memory):
     * expiry, whether it is connected, and the Will that is due if the broker stops now (the
     * connection's Will while connected, the one waiting for its delay while offline).
     */
    public synchronized long persistSession() {
        if (!state.durable() || ended) {
            return 0;
        }
        return state.saveSession(new StoreRecords.SessionRecord(state.createdAt(), expiryInterval,
                connection == null ? Math.max(1, disconnectedAt) : 0, client,
                connection == null ? pendingWill : state.will()));
    }

    /** Whether the session's messages are written to the durable store. */
    public boolean durable() {
        return state.durable();
    }

    /**
     * Writes a QoS 1/2 delivery's record before it is handed on (any thread); null when the
     * disk quota refuses it. Deliveries of sessions kept in memory pass unchanged.
     */
    public Delivery persist(Delivery d) {
        return d.qos() > 0 && !ended ? state.persist(d) : d;
    }

    /** The delivery left this session without being acknowledged (dropped, expired): its record goes. */
    public synchronized void forget(Delivery d) {
        state.forget(d.seq());
    }

    /** The packet id of a stored delivery: fixed by its record number, so a restart re-sends under the same id. */
    public static int packetIdFor(long seq) {
        return (int) Long.remainderUnsigned(seq, 65535) + 1;
    }

    /** Claims an offline session for expiry; false if a connection attached meanwhile (or it already ended). */
    public synchronized boolean markEndedIfOffline() {
        if (connection != null || ended) {
            return false;
        }
        ended = true;
        return true;
    }

    /**
     * Marks the session ended (expired, cleaned or kicked) and releases its state, except its
     * unacknowledged QoS 1 and queued QoS 1/2 shared messages, which it returns (one reference each)
     * for another member of the share. Taken in the same section that sets {@code ended}, so a
     * delivery arriving later is refused with {@link #ENDED} instead of being released with the state.
     */
    public synchronized List<Delivery> end(SessionStore store) {
        ended = true;
        wakeDrainWaiters(true);
        cancel(willTimer);
        cancel(expiryTimer);
        subscriptionCount = 0;
        List<Delivery> orphans = takeSharedLocked(s -> true);
        store.delete(state);
        deferredCount = 0;
        return orphans;
    }

    /** Broker shutdown in durable mode: timers stop and memory is released; the stored records stay. */
    public synchronized void unload() {
        ended = true;
        cancel(willTimer);
        cancel(expiryTimer);
        if (state instanceof DurableSessionState d) {
            d.memory().clear();
        }
    }

    /**
     * Sets the offline timers; {@code will} is the Will waiting for its delay (or the session's end).
     * A connection that attached since the detach wins: the timers are cancelled and the Will is
     * not sent [MQTT-3.1.3-9]; returns false then.
     */
    public synchronized boolean timers(Future<?> willFuture, Future<?> expiryFuture, WillMessage will) {
        if (connection != null || ended) {
            cancel(willFuture);
            cancel(expiryFuture);
            return false;
        }
        cancel(willTimer);
        cancel(expiryTimer);
        willTimer = willFuture;
        expiryTimer = expiryFuture;
        pendingWill = will;
        persistSession();
        return true;
    }

    /** Takes the Will waiting for its delay, once: whoever gets it (delay timer or session end) publishes it. */
    public synchronized WillMessage takePendingWill() {
        WillMessage w = pendingWill;
        pendingWill = null;
        willTimer = null;
        return w;
    }

    private static void cancel(Future<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }

    // ---- subscriptions

    public synchronized Subscription putSubscription(Subscription s) {
        Subscription old = state.putSubscription(s);
        subscriptionCount = state.subscriptions().size();
        return old;
    }

    public synchronized Subscription removeSubscription(String filter) {
        Subscription old = state.removeSubscription(filter);
        subscriptionCount = state.subscriptions().size();
        return old;
    }

    public synchronized Subscription subscription(String filter) {
        return state.subscriptions().get(filter);
    }

    public synchronized List<Subscription> subscriptions() {
        return new ArrayList<>(state.subscriptions().values());
    }

    // ---- Will

    public synchronized void will(WillMessage will) {
        state.will(will);
        persistSession();
    }

    /**
     * A normal DISCONNECT on {@code c} discards its Will at once [MQTT-3.1.2-10], so a takeover
     * that races the close cannot publish it; no-op if another connection is attached by now.
     */
    public synchronized void discardWill(Connection c) {
        if (connection == c && state.will() != null) {
            state.will(null);
            persistSession();
        }
    }

    public synchronized WillMessage takeWill() {
        WillMessage w = state.will();
        state.will(null);
        if (w != null) {
            persistSession();
        }
        return w;
    }

    // ---- outbound QoS flow

    /**
     * Decides what happens to a delivery on the connection's event loop: QoS 0 goes out directly
     * (returns 0); QoS 1/2 gets a packet id and an inflight slot if the window allows (returns the
     * id; the message is retained for the slot), else it is queued (QUEUED) or dropped (DROPPED).
     * Queued and dropped deliveries keep / lose the caller's reference accordingly; see callers.
     */
    /** The queue's length at its last change, read without the monitor by publishers (back-pressure). */
    private volatile int backlog;

    /** QoS 1/2 deliveries handed to the client's event loop and not yet taken up there. */
    private final java.util.concurrent.atomic.AtomicInteger inTransit = new java.util.concurrent.atomic.AtomicInteger();

    public void inTransit(int delta) {
        inTransit.addAndGet(delta);
    }

    /**
     * When the client last made progress (System.nanoTime): acknowledged a QoS 1/2 message, connected,
     * or was given a message while it had none outstanding. Idle time before a burst is not "stuck".
     */
    private volatile long lastAckNanos;

    /** A cheap first check for the publisher's path: queued plus in transit reaches {@code n}. */
    public boolean backlogAtLeast(int n) {
        return backlog() >= n;
    }

    /** What publishers are held for: queued (as last published to other threads) plus in transit to the client's event loop. */
    private int backlog() {
        return backlog + inTransit.get();
    }

    /**
     * True when a connected client that made progress within {@code stuckAfterNanos} still has at
     * least {@code threshold} messages queued: it is slower than its publishers, not stuck, so they
     * should wait rather than have their acknowledged messages dropped from its full queue. A client
     * that acknowledged nothing for that long is a slow consumer: its queue drops by the policy.
     */
    public boolean backlogged(int threshold, long stuckAfterNanos, long nowNanos) {
        return backlog() >= threshold && nowNanos - lastAckNanos < stuckAfterNanos && connection != null;
    }

    /** Publishers paused for this session's backlog: each resumes once it is below {@link #resumeBelow}. */
    private List<Runnable> drainWaiters;
    private int resumeBelow;

    /**
     * Runs {@code resume} once the backlog (queued plus in transit, as {@link #backlogged} counts
     * it) is shorter than {@code below} (at once if it already is), or when the session loses its
     * connection. {@code resume} must only hand work to another thread. Counting what is in
     * transit matters: while the client's event loop is busy the deliveries pile up on their way
     * to its queue, and a publisher resumed because the queue itself looked short would overfill
     * it the moment the loop takes them up.
     */
    public synchronized void whenDrained(int below, Runnable resume) {
        if (state.queued() + inTransit.get() < below || connection == null) { // the queue itself: under the monitor
            resume.run();
            return;
        }
        if (drainWaiters == null) {
            drainWaiters = new ArrayList<>();
        }
        drainWaiters.add(resume);
        resumeBelow = Math.max(resumeBelow, below);
    }

    /** Wakes the paused publishers when the queue got short enough (or the client went); under the monitor. */
    private void wakeDrainWaiters(boolean always) {
        if (drainWaiters != null && (always || state.queued() + inTransit.get() < resumeBelow)) {
            List<Runnable> waiting = drainWaiters;
            drainWaiters = null;
            resumeBelow = 0;
            waiting.forEach(Runnable::run);
        }
    }

    public synchronized int admit(Delivery d, int window, int maxQueue, Connection owner) {
        if (ended) {
            return endedResult(d); // taken over by a clean start while this connection closes
        }
        if (connection != owner) {
            return NOT_OWNER;
        }
        if (d.qos() == 0) {
            return 0;
        }
        if (activeCount() >= window || deferredCount > 0 || state.queued() > 0) {
            return enqueueLocked(d, maxQueue, true);
        }
        return startInflight(d);
    }

    /** Queues the delivery if no connection is attached (checked under the monitor); ONLINE otherwise. */
    public synchronized int offerOffline(Delivery d, int maxQueue, boolean storeQos0) {
        if (connection != null) {
            return ONLINE;
        }
        return enqueueLocked(d, maxQueue, storeQos0);
    }

    /** Queues a delivery for later (client offline or not writable); returns QUEUED or DROPPED. */
    public synchronized int enqueue(Delivery d, int maxQueue, boolean storeQos0) {
        return enqueueLocked(d, maxQueue, storeQos0);
    }

    private int enqueueLocked(Delivery d, int maxQueue, boolean storeQos0) {
        if (ended) {
            return endedResult(d);
        }
        if (d.qos() == 0 && !storeQos0) {
            return DROPPED;
        }
        // A queued message's payload gets a buffer of its own when it is a small view of a read
        // buffer: a stalled queue of N messages then holds N payloads, not N read buffers.
        BrokerMessage own = d.message().compacted();
        Delivery queued = own == d.message() ? d
                : new Delivery(own, d.qos(), d.retain(), d.subscriptionIds(), d.shared(), d.seq(), d.restored());
        Delivery dropped = state.offer(queued, maxQueue);
        backlog = state.queued();
        if (dropped == queued) {
            if (queued != d) {
                own.release(); // the caller still holds (and releases) the original
            }
            return DROPPED; // its record is gone with it
        }
        if (queued != d) {
            d.message().release(); // the queue holds the copy instead
        }
        if (dropped != null) {
            var listener = evictions;
            if (listener != null) {
                listener.accept(this, dropped.message());
            }
            dropped.message().release();
        }
        return QUEUED;
    }

    /** An ended session refuses a shared QoS 1/2 delivery (another member must get it) and drops the rest. */
    private static int endedResult(Delivery d) {
        return d.shared() != null && d.qos() > 0 ? ENDED : DROPPED;
    }

    private int startInflight(Delivery d) {
        if (activeCount() == 0) {
            lastAckNanos = System.nanoTime(); // from now on it owes an acknowledgement
        }
        int id;
        if (d.seq() == 0) {
            id = nextFreePacketId();
        } else {
            id = state.packetIdFor(d.seq());
            if (state.inflight(id) != null) { // a message 65 535 records older still in flight
                id = nextFreePacketId();
                state.recordPacketId(d.seq(), id);
            }
        }
        d.message().retain();
        InflightEntry e = new InflightEntry(id, d);
        e.sentAt(System.currentTimeMillis());
        state.putInflight(e);
        return id;
    }

    private int nextFreePacketId() {
        for (int i = 0; i < 65535; i++) {
            nextPacketId = nextPacketId >= 65535 ? 1 : nextPacketId + 1;
            if (state.inflight(nextPacketId) == null) {
                return nextPacketId;
            }
        }
        throw new IllegalStateException("no free packet id for " + key);
    }

    /** PUBACK or PUBCOMP: frees the slot; returns the entry, or null for an unknown id. */
    public synchronized InflightEntry complete(int packetId, boolean pubcomp) {
        lastAckNanos = System.nanoTime();
        InflightEntry e = state.inflight(packetId);
        if (e == null || e.released() == !pubcomp) {
            return null;
        }
        state.removeInflight(packetId);
        state.forget(e.seq());
        undefer(e);
        return e;
    }

    /**
     * PUBREC: the message reached the client; -1 for an unknown id, else the durable-store
     * ticket PUBREL must wait for (0 when nothing was written), so a restart never re-sends a
     * PUBLISH the client already has.
     */
    public synchronized long received(int packetId) {
        InflightEntry e = state.inflight(packetId);
        if (e == null) {
            return -1;
        }
        boolean first = e.markReleased();
        return first ? state.markReceived(e) : 0;
    }

    /**
     * Moves queued deliveries into free inflight slots; QoS 0 ones come out with id 0. The queue's
     * reference passes to the caller, who writes it; the inflight slot holds its own.
     */
    public synchronized List<Admitted> drain(int window, long now, Connection owner) {
        if (connection != owner) {
            return List.of(); // taken over: the new connection drains
        }
        List<Admitted> out = null;
        if (deferredCount > 0) { // PUBLISH held back at reconnect go first, in their order, with DUP
            int active = activeCount();
            for (InflightEntry e : state.inflight()) {
                if (active >= window || deferredCount == 0) {
                    break;
                }
                if (e.deferred()) {
                    undefer(e);
                    e.sentAt(now);
                    e.delivery().message().retain();
                    if (out == null) {
                        out = new ArrayList<>();
                    }
                    out.add(new Admitted(e.packetId(), e.delivery(), true));
                    active++;
                }
            }
            if (deferredCount > 0) {
                return out == null ? List.of() : out;
            }
        }
        while (state.inflightCount() < window) {
            Delivery d = state.poll();
            if (d == null) {
                break;
            }
            if (d.message().expired(now)) {
                state.forget(d.seq());
                d.message().release();
                continue;
            }
            if (out == null) {
                out = new ArrayList<>();
            }
            if (d.qos() == 0) {
                out.add(new Admitted(0, d));
            } else {
                // a message restored after a restart may have reached the client under this id: DUP [MQTT-3.3.1-1]
                out.add(new Admitted(startInflight(d), d, d.restored()));
            }
        }
        backlog = state.queued();
        wakeDrainWaiters(false);
        return out == null ? List.of() : out;
    }

    /** Inflight entries sent on the current connection (the deferred ones wait for a slot). */
    private int activeCount() {
        return state.inflightCount() - deferredCount;
    }

    private void undefer(InflightEntry e) {
        if (e.deferred()) {
            e.deferred(false);
            deferredCount--;
        }
    }

    /**
     * Takes this session's unacknowledged QoS 1 (PUBLISH sent, no ack yet) and queued QoS 1/2
     * messages of shared subscriptions out of its state, so another member of the share can have
     * them; a QoS 2 PUBLISH already sent is not taken, nor is a message whose share has no other
     * member ({@code othersCanTake} false): it stays here, in order and with its packet id.
     * Each returned delivery carries one reference for the caller.
     */
    public synchronized List<Delivery> takeSharedUnacked(Predicate<Subscription> othersCanTake) {
        return takeSharedLocked(othersCanTake);
    }

    private List<Delivery> takeSharedLocked(Predicate<Subscription> othersCanTake) {
        List<Delivery> out = new ArrayList<>();
        for (InflightEntry e : new ArrayList<>(state.inflight())) {
            Delivery d = e.delivery();
            // A QoS 2 PUBLISH already sent stays with this member: the delivery is completed when it
            // reconnects [MQTT-4.8.2-4], and never goes to another member if its session ends
            // [MQTT-4.8.2-5] (ending the session releases it with the rest of the state).
            // One with no other member to go to stays, to be re-sent with its packet id [MQTT-4.4.0-1].
            if (d != null && d.shared() != null && d.qos() == 1 && othersCanTake.test(d.shared())) {
                state.removeInflight(e.packetId());
                state.forget(e.seq());
                undefer(e);
                out.add(d);
            }
        }
        out.addAll(state.removeQueued(d -> d.shared() != null && d.qos() > 0 && othersCanTake.test(d.shared())));
        return out;
    }

    /**
     * Inflight entries older than {@code sentBefore} to send again (the MQTT 3 retry), in send
     * order; entries still deferred at reconnect are not due. A PUBLISH one comes with a message
     * reference retained under this monitor for the caller's write, so a concurrent
     * acknowledgement on another connection (during takeover) cannot free the payload under it.
     * Marks them sent at {@code now}.
     */
    public synchronized List<Admitted> resendable(long sentBefore, long now, Connection owner) {
        if (connection != owner) {
            return List.of();
        }
        List<Admitted> out = new ArrayList<>();
        for (InflightEntry e : state.inflight()) {
            if (e.sentAt() > sentBefore || e.deferred()) {
                continue;
            }
            e.sentAt(now);
            Delivery d = e.delivery();
            if (d != null) {
                d.message().retain();
            }
            out.add(new Admitted(e.packetId(), d, true));
        }
        return out;
    }

    /**
     * What a newly attached connection re-sends [MQTT-4.4.0-1], in send order: every PUBREL,
     * and the unacknowledged PUBLISH while the new connection's window (its Receive Maximum)
     * has room; the rest are deferred and go out from {@link #drain} as acknowledgements free
     * slots, before anything queued [MQTT-4.9.0-2] [MQTT-4.6.0-1]. References as in {@link #resendable}.
     */
    public synchronized List<Admitted> resendOnAttach(long now, Connection owner, int window) {
        if (connection != owner) {
            return List.of();
        }
        List<Admitted> out = new ArrayList<>();
        int active = 0;
        deferredCount = 0;
        for (InflightEntry e : state.inflight()) {
            Delivery d = e.delivery();
            e.deferred(false);
            if (d != null && active >= window) {
                e.deferred(true);
                deferredCount++;
                continue;
            }
            e.sentAt(now);
            if (d != null) {
                d.message().retain();
            }
            out.add(new Admitted(e.packetId(), d, true));
            active++;
        }
        return out;
    }

    /** Background expiry: drops queued messages whose Message Expiry passed (their records go); returns how many. */
    public synchronized int dropExpired(long now) {
        if (ended) {
            return 0;
        }
        List<Delivery> gone = state.removeQueued(d -> d.message().expired(now));
        for (Delivery d : gone) {
            d.message().release();
        }
        return gone.size();
    }

    public synchronized int inflightCount() {
        return state.inflightCount();
    }

    public synchronized int queuedCount() {
        return state.queued();
    }

    // ---- inbound QoS 2

    /** Result of {@link #receiveQos2}. */
    public enum Qos2Result { NEW, DUPLICATE, LIMIT_EXCEEDED }

    /**
     * Registers an inbound QoS 2 packet id. Ids older than {@code timeoutMs} (await_rel_timeout,
     * 0 = never) are forgotten first, so a client that never sends PUBREL cannot fill the table.
     */
    public synchronized Qos2Result receiveQos2(int packetId, int limit, long now, long timeoutMs) {
        if (state.awaitingRel(packetId)) {
            return Qos2Result.DUPLICATE;
        }
        if (timeoutMs > 0) {
            state.purgeAwaitingRel(now - timeoutMs);
        }
        if (limit > 0 && state.awaitingRelCount() >= limit) {
            return Qos2Result.LIMIT_EXCEEDED;
        }
        state.addAwaitingRel(packetId, now);
        return Qos2Result.NEW;
    }

    public synchronized boolean releaseQos2(int packetId) {
        return state.removeAwaitingRel(packetId);
    }

    /**
     * A delivery moved into an inflight slot (packetId > 0) or a QoS 0 one leaving the queue (0);
     * from {@link #resendable}, a null delivery means "send PUBREL"; {@code dup} marks a re-send.
     */
    public record Admitted(int packetId, Delivery delivery, boolean dup) {
        public Admitted(int packetId, Delivery delivery) {
            this(packetId, delivery, false);
        }
    }

    // ---- read-only views for the admin API (kept at the end to ease merges)

    /** The queued deliveries, oldest first, as api views (the queue itself is not changed). */
    public synchronized List<io.aviary.api.broker.PendingMessage> queuedView() {
        List<io.aviary.api.broker.PendingMessage> out = new java.util.ArrayList<>();
        state.removeQueued(d -> {
            out.add(new io.aviary.api.broker.PendingMessage(copy(d.message()), d.qos(), 0, d.message().timestamp()));
            return false; // visit only: nothing is removed
        });
        return out;
    }

    /** The outbound messages awaiting acknowledgement, in send order (PUBREL-only entries omitted). */
    public synchronized List<io.aviary.api.broker.PendingMessage> inflightView() {
        List<io.aviary.api.broker.PendingMessage> out = new java.util.ArrayList<>();
        for (InflightEntry e : state.inflight()) {
            Delivery d = e.delivery();
            if (d != null && d.message() != null && !e.released()) {
                out.add(new io.aviary.api.broker.PendingMessage(copy(d.message()), d.qos(), e.packetId(), e.sentAt()));
            }
        }
        return out;
    }

    /** An api view that owns a copy of the payload, so it stays valid after the session releases the buffer. */
    private static io.aviary.api.message.Message copy(io.aviary.broker.message.BrokerMessage m) {
        io.aviary.api.message.Message view = m.toApi();
        return new io.aviary.api.message.Message(view.id(), view.tenant(), view.topic(),
                java.nio.ByteBuffer.wrap(m.bytes()), view.qos(), view.retain(), view.properties(), view.publisher(),
                view.timestamp());
    }
}

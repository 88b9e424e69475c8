package io.aviary.broker.session;

import io.aviary.broker.topic.Subscription;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Everything a session keeps across connections: subscriptions, outbound inflight, inbound
 * QoS 2 packet ids awaiting PUBREL, the message queue and the Will. This is the seam a durable
 * store implements; callers hold the owning {@link Session}'s monitor, so implementations need
 * no locking of their own.
 */
public interface SessionState {

    SessionKey key();

    long createdAt();

    Map<String, Subscription> subscriptions();

    Subscription putSubscription(Subscription subscription);

    Subscription removeSubscription(String filter);

    InflightEntry inflight(int packetId);

    void putInflight(InflightEntry entry);

    InflightEntry removeInflight(int packetId);

    /** In the order they were sent (redelivery order). */
    Collection<InflightEntry> inflight();

    int inflightCount();

    boolean awaitingRel(int packetId);

    void addAwaitingRel(int packetId, long now);

    boolean removeAwaitingRel(int packetId);

    int awaitingRelCount();

    /** Forgets inbound QoS 2 ids that arrived before {@code olderThan} (await_rel_timeout); returns how many. */
    int purgeAwaitingRel(long olderThan);

    /**
     * Appends to the queue; when it already holds {@code max} entries, drops and returns one by
     * the policy "QoS 0 first, then oldest": the oldest queued QoS 0 message, else the new one if
     * it is QoS 0, else the oldest (the new one when max is 0). Returns null when nothing was dropped.
     */
    Delivery offer(Delivery delivery, int max);

    Delivery poll();

    /** Removes and returns the queued deliveries that match (their references pass to the caller). */
    List<Delivery> removeQueued(Predicate<Delivery> which);

    int queued();

    WillMessage will();

    void will(WillMessage will);

    /** Releases every buffer held and forgets everything (the session ends). */
    void clear();

    // ---- durability (no-ops for state kept in memory only)

    /** True when this state is written to the durable store. */
    default boolean durable() {
        return false;
    }

    /**
     * Writes a QoS 1/2 delivery's record before it is queued or sent (any thread, no monitor
     * needed); returns it with its record number, or null when the disk quota refuses it.
     */
    default Delivery persist(Delivery d) {
        return d;
    }

    /** The delivery left the session for good (acknowledged, dropped, expired, given away): its record goes. */
    default void forget(long seq) {
    }

    /** PUBREC arrived for this entry: recorded so no PUBLISH is resent for it; returns the store ticket. */
    default long markReceived(InflightEntry e) {
        return 0;
    }

    /** The packet id a stored delivery is sent under: the one from its record number unless {@link #recordPacketId} changed it. */
    default int packetIdFor(long seq) {
        return Session.packetIdFor(seq);
    }

    /**
     * The delivery {@code seq} goes out under {@code packetId}, not the id from its record number
     * (that one is in flight): recorded durably before this returns, so a restart re-sends it
     * under the id the client saw. Rare (see docs/architecture.md, packet id collisions).
     */
    default void recordPacketId(long seq, int packetId) {
    }

    /** Writes the session's own fields (expiry, connection state, Will); returns the store ticket. */
    default long saveSession(StoreRecords.SessionRecord record) {
        return 0;
    }
}

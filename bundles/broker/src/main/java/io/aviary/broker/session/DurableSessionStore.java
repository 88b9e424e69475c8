package io.aviary.broker.session;

import io.aviary.api.alarm.Alarms;
import io.aviary.broker.message.BrokerMessage;
import io.aviary.store.DurableStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SessionStore} of durable mode: persistent sessions get a {@link DurableSessionState},
 * the others stay in memory. Counts the bytes of stored message records per tenant (queued and
 * inflight messages of its persistent sessions, its retained and delayed messages) and per
 * session against the disk quotas, and reads everything back at start ({@link #load}). Each
 * session and each tenant has its own alarm: one log line when it crosses its quota, one when
 * it is back below 90 % of it.
 */
public final class DurableSessionStore implements SessionStore {

    private static final Logger LOG = LoggerFactory.getLogger(DurableSessionStore.class);

    private final DurableStore store;
    private final long tenantQuota;
    private final long sessionQuota;
    private final Map<String, AtomicLong> tenantBytes = new ConcurrentHashMap<>();
    private final Set<String> alarmed = ConcurrentHashMap.newKeySet();
    /** The platform's alarm list when the metrics bundle offers one; the log lines stay either way. */
    private volatile Alarms alarms;

    public DurableSessionStore(DurableStore store, long tenantQuota, long sessionQuota) {
        this.store = store;
        this.tenantQuota = tenantQuota;
        this.sessionQuota = sessionQuota;
    }

    /** Binds (or, with null, unbinds) the optional alarm service the quota alarms are raised in too. */
    public void alarms(Alarms service) {
        this.alarms = service;
    }

    /** One alarm per session, as each session has its own quota flag. */
    static String sessionQuotaAlarm(SessionKey key) {
        return "session_disk_quota_reached/" + key.tenant() + "/" + key.clientId();
    }

    static String tenantQuotaAlarm(String tenant) {
        return "tenant_disk_quota_reached/" + tenant;
    }

    public DurableStore store() {
        return store;
    }

    @Override
    public SessionState create(SessionKey key, long now) {
        return new InMemorySessionState(key, now);
    }

    @Override
    public SessionState create(SessionKey key, long now, boolean persistent) {
        if (!persistent) {
            return new InMemorySessionState(key, now);
        }
        DurableSessionState s = new DurableSessionState(key, now, store, this, firstSeq(now));
        s.clear(); // a fresh session: nothing an earlier one left behind may come back
        return s;
    }

    /** Record numbers grow across restarts and sessions, so packet ids derived from them do not repeat soon. */
    private static long firstSeq(long now) {
        return now << 8;
    }

    @Override
    public void delete(SessionState state) {
        state.clear();
    }

    /** Whether a message record of {@code size} bytes fits the session's and the tenant's quota. */
    boolean admit(DurableSessionState session, int size) {
        SessionKey key = session.key();
        if (sessionQuota > 0 && session.storedBytes() + size > sessionQuota) {
            if (session.raiseQuotaAlarm()) {
                LOG.warn("alarm: session disk quota {} bytes reached tenant={} clientid={}; new QoS 1/2 messages to it"
                        + " are refused with 0x97", sessionQuota, key.tenant(), key.clientId());
                Alarms a = alarms;
                if (a != null) {
                    a.raise(sessionQuotaAlarm(key), "session disk quota " + sessionQuota + " bytes reached",
                            Map.of("tenant", key.tenant(), "clientid", key.clientId(), "quota_bytes",
                                    Long.toString(sessionQuota)));
                }
            }
            return false;
        }
        return admitTenant(key.tenant(), size);
    }

    /**
     * Whether {@code size} more bytes of records (a queued message, a retained or delayed one)
     * fit the tenant's quota; raises the tenant's alarm when not.
     */
    public boolean admitTenant(String tenant, long size) {
        if (tenantQuota <= 0) {
            return true;
        }
        AtomicLong t = tenantBytes.computeIfAbsent(tenant, k -> new AtomicLong());
        if (t.get() + size > tenantQuota) {
            if (alarmed.add(tenant)) {
                LOG.warn("alarm: tenant disk quota {} bytes reached tenant={}; new QoS 1/2 messages to its persistent"
                        + " sessions, new retained and delayed messages are refused with 0x97", tenantQuota, tenant);
                Alarms a = alarms;
                if (a != null) {
                    a.raise(tenantQuotaAlarm(tenant), "tenant disk quota " + tenantQuota + " bytes reached",
                            Map.of("tenant", tenant, "quota_bytes", Long.toString(tenantQuota)));
                }
            }
            return false;
        }
        return true;
    }

    /** Records of {@code size} bytes were written for the tenant. */
    public void stored(String tenant, long size) {
        tenantBytes.computeIfAbsent(tenant, k -> new AtomicLong()).addAndGet(size);
    }

    /** Records of {@code size} bytes of the tenant were deleted; clears its alarm below 90 % of the quota. */
    public void released(String tenant, long size) {
        if (size == 0) {
            return;
        }
        AtomicLong t = tenantBytes.get(tenant);
        if (t != null && t.addAndGet(-size) < tenantQuota / 10 * 9 && alarmed.remove(tenant)) {
            LOG.info("alarm cleared: tenant={} is below its disk quota again", tenant);
            Alarms a = alarms;
            if (a != null) {
                a.clear(tenantQuotaAlarm(tenant));
            }
        }
    }

    /** A session's records shrank: clears its alarm once below 90 % of the session quota. */
    void sessionReleased(DurableSessionState session) {
        if (session.storedBytes() < sessionQuota / 10 * 9 && session.clearQuotaAlarm()) {
            LOG.info("alarm cleared: tenant={} clientid={} is below its session disk quota again",
                    session.key().tenant(), session.key().clientId());
            Alarms a = alarms;
            if (a != null) {
                a.clear(sessionQuotaAlarm(session.key()));
            }
        }
    }

    /** Bytes of the tenant's message records: queued and inflight messages of its persistent sessions, retained and delayed ones. */
    public long tenantBytes(String tenant) {
        AtomicLong t = tenantBytes.get(tenant);
        return t == null ? 0 : t.get();
    }

    // ---- start-up

    /** A session read back from the store, with its state filled (queue in record order, PUBREC'd ones inflight). */
    public record Restored(DurableSessionState state, StoreRecords.SessionRecord record,
                           Map<String, io.aviary.api.broker.SubscriptionOptions> subscriptions) {
    }

    /** A delayed publish read back: its key (to delete it when it fires), due time and message. */
    public record Delayed(byte[] key, long dueAt, BrokerMessage message) {
    }

    /** Everything read back from the store at start. */
    /** {@code bans}: the ban list's raw records (key, value), read in the same scan for banned.BanStore. */
    public record Contents(List<Restored> sessions, List<BrokerMessage> retained, List<Delayed> delayed,
                           List<Map.Entry<byte[], byte[]>> bans) {
    }

    private static final class Loading {
        StoreRecords.SessionRecord record;
        final Map<String, io.aviary.api.broker.SubscriptionOptions> subs = new LinkedHashMap<>();
        final TreeMap<Long, byte[]> messages = new TreeMap<>();
        final Set<Long> received = new HashSet<>();
        final Map<Long, Integer> packetIds = new HashMap<>();
        final Map<Integer, Long> rel = new LinkedHashMap<>();
    }

    /** Reads the whole store (once, before listeners open); records of sessions that no longer exist are deleted. */
    public Contents load() {
        Map<SessionKey, Loading> sessions = new LinkedHashMap<>();
        List<BrokerMessage> retained = new ArrayList<>();
        List<Map.Entry<byte[], byte[]>> bans = new ArrayList<>();
        List<Delayed> delayed = new ArrayList<>();
        store.scan(new byte[0], (k, v) -> {
            StoreRecords.Key key = StoreRecords.parse(k);
            if (key == null) {
                return;
            }
            switch (key.type()) {
                case StoreRecords.RETAINED -> retained.add(StoreRecords.message(key.tenant(), v));
                case StoreRecords.DELAYED -> delayed.add(new Delayed(k, key.restLong(0), StoreRecords.message(key.tenant(), v)));
                case StoreRecords.BANNED -> bans.add(Map.entry(k, v)); // handed to banned.BanStore
                default -> {
                    Loading l = sessions.computeIfAbsent(new SessionKey(key.tenant(), key.name()), x -> new Loading());
                    switch (key.type()) {
                        case StoreRecords.SESSION -> l.record = StoreRecords.session(key.tenant(), v);
                        case StoreRecords.SUBSCRIPTION -> l.subs.put(key.restString(), StoreRecords.subscription(v));
                        case StoreRecords.MESSAGE -> l.messages.put(key.restLong(0), v);
                        case StoreRecords.RECEIVED -> l.received.add(key.restLong(0));
                        case StoreRecords.PACKET_ID -> l.packetIds.put(key.restLong(0), ((v[0] & 0xFF) << 8) | (v[1] & 0xFF));
                        case StoreRecords.AWAITING_REL -> l.rel.put(((key.rest()[0] & 0xFF) << 8) | (key.rest()[1] & 0xFF), 0L);
                        default -> { }
                    }
                }
            }
        });
        List<Restored> out = new ArrayList<>();
        for (Map.Entry<SessionKey, Loading> e : sessions.entrySet()) {
            Loading l = e.getValue();
            if (l.record == null) { // parts of a session that ended: remove them
                DurableSessionState orphan = new DurableSessionState(e.getKey(), 0, store, this, 1);
                orphan.clear();
                continue;
            }
            out.add(new Restored(fill(e.getKey(), l), l.record, l.subs));
        }
        LOG.info("durable store: {} sessions, {} retained and {} delayed messages restored", out.size(), retained.size(),
                delayed.size());
        return new Contents(out, retained, delayed, bans);
    }

    private DurableSessionState fill(SessionKey key, Loading l) {
        long first = Math.max(firstSeq(System.currentTimeMillis()), l.messages.isEmpty() ? 0 : l.messages.lastKey() + 1);
        DurableSessionState s = new DurableSessionState(key, l.record.createdAt(), store, this, first);
        InMemorySessionState mem = s.memory();
        for (Map.Entry<Long, byte[]> m : l.messages.entrySet()) {
            long seq = m.getKey();
            s.restored(seq, m.getValue().length);
            Integer recordedId = l.packetIds.get(seq);
            if (recordedId != null) {
                s.restoredPacketId(seq, recordedId);
            }
            if (l.received.contains(seq)) {
                mem.putInflight(new InflightEntry(s.packetIdFor(seq), seq));
            } else {
                mem.offer(StoreRecords.delivery(key.tenant(), m.getValue(), seq), Integer.MAX_VALUE);
            }
        }
        for (Map.Entry<Integer, Long> r : l.rel.entrySet()) {
            mem.addAwaitingRel(r.getKey(), System.currentTimeMillis());
        }
        return s;
    }
}

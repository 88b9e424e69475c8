package io.aviary.broker;

import io.aviary.broker.message.BrokerMessage;
import io.aviary.broker.session.DurableSessionStore;
import io.aviary.broker.session.StoreRecords;
import io.aviary.broker.session.Tickets;
import io.aviary.store.DurableStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * EMQX delayed publish: a message to {@code $delayed/{seconds}/{topic}} is held and published to
 * {@code topic} after that many seconds. Held messages are counted against max_delayed_messages
 * (0 = unlimited) and keep one payload reference each until they go out. In durable mode each
 * held message is also a store record (tenant 0 'd' 0 dueAt seq), deleted when it goes out and
 * rescheduled at start, so a restart does not lose it. Its record size counts against the
 * tenant's disk quota: one that does not fit is not held, and a QoS 1/2 publisher gets 0x97.
 */
final class DelayedPublisher {

    static final String PREFIX = "$delayed/";
    private static final long MAX_DELAY_SECONDS = 4294967L;
    private static final Logger LOG = LoggerFactory.getLogger(DelayedPublisher.class);

    private final BrokerCore core;
    private final ScheduledExecutorService timer;
    private final long max;
    private final AtomicInteger pending = new AtomicInteger();
    /** Each held message with what the admin API shows of it: {delay seconds, due epoch ms}. */
    private final Map<BrokerMessage, long[]> held = new ConcurrentHashMap<>();
    /** Store keys and record sizes of the held messages (durable mode only). */
    private final Map<BrokerMessage, Record> keys = new ConcurrentHashMap<>();
    private final DurableStore store;
    private final DurableSessionStore quota;

    private record Record(byte[] key, int size) {
    }
    private final java.util.concurrent.atomic.AtomicLong seq = new java.util.concurrent.atomic.AtomicLong();

    DelayedPublisher(BrokerCore core, ScheduledExecutorService timer, long max, DurableStore store,
                     DurableSessionStore quota) {
        this.core = core;
        this.timer = timer;
        this.max = max;
        this.store = store != null && store.durable() && quota != null ? store : null;
        this.quota = quota;
    }

    /** Reschedules the delayed messages read from the store at start (their references pass here). */
    void restore(List<DurableSessionStore.Delayed> stored) {
        long now = System.currentTimeMillis();
        for (DurableSessionStore.Delayed d : stored) {
            int size = StoreRecords.message(d.message()).length;
            quota.stored(d.message().tenant(), size);
            hold(d.message(), Math.max(0, d.dueAt() - now), TimeUnit.MILLISECONDS, new Record(d.key(), size));
        }
    }

    /** Holds the message (retaining it); returns 0 (no subscriber got it yet). */
    int schedule(BrokerMessage m) {
        String rest = m.topic().substring(PREFIX.length());
        int slash = rest.indexOf('/');
        long seconds = slash <= 0 ? -1 : parseSeconds(rest.substring(0, slash));
        String topic = slash <= 0 ? "" : rest.substring(slash + 1);
        if (seconds < 0 || topic.isEmpty() || topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) {
            LOG.debug("dropping malformed delayed publish tenant={} topic={}", m.tenant(), m.topic());
            core.counters().inc("delayed.malformed");
            return 0;
        }
        if (max > 0 && pending.get() >= max) {
            LOG.debug("delayed publish limit {} reached tenant={} topic={}", max, m.tenant(), m.topic());
            core.counters().inc("delayed.dropped");
            return 0;
        }
        BrokerMessage later = m.withTopic(topic);
        Record record = null;
        if (store != null) {
            byte[] value = StoreRecords.message(later);
            if (!quota.admitTenant(m.tenant(), value.length)) {
                LOG.debug("delayed publish not held, tenant disk quota reached tenant={} topic={}", m.tenant(), m.topic());
                core.counters().inc("delayed.quota_exceeded");
                Tickets.quotaExceeded();
                return 0;
            }
            long dueAt = System.currentTimeMillis() + seconds * 1000;
            byte[] key = StoreRecords.withLong(StoreRecords.withLong(
                    StoreRecords.prefix(m.tenant(), StoreRecords.DELAYED, "", false), dueAt), seq.incrementAndGet());
            quota.stored(m.tenant(), value.length);
            Tickets.note(store.put(key, value));
            record = new Record(key, value.length);
        }
        hold(later.retain(), seconds, TimeUnit.SECONDS, record);
        return 0;
    }

    private void hold(BrokerMessage later, long delay, TimeUnit unit, Record key) {
        pending.incrementAndGet();
        held.put(later, new long[] {unit.toSeconds(delay), System.currentTimeMillis() + unit.toMillis(delay)});
        if (key != null) {
            keys.put(later, key);
        }
        try {
            timer.schedule(() -> fire(later), delay, unit);
        } catch (RejectedExecutionException shuttingDown) {
            fire(later);
        }
    }

    private void fire(BrokerMessage m) {
        if (held.remove(m) == null) {
            return;
        }
        pending.decrementAndGet();
        try {
            core.publish(m);
        } finally {
            forgetRecord(m); // after the publish queued its own records: a crash in between re-sends, never loses
            m.release();
        }
    }

    /** Deletes the held message's store record (durable mode) and gives its bytes back to the tenant quota. */
    private void forgetRecord(BrokerMessage m) {
        Record r = keys.remove(m);
        if (r != null) {
            store.delete(r.key());
            quota.released(m.tenant(), r.size());
        }
    }

    private static long parseSeconds(String text) {
        if (text.isEmpty() || text.length() > 7) {
            return -1;
        }
        for (int i = 0; i < text.length(); i++) {
            if (!Character.isDigit(text.charAt(i))) {
                return -1;
            }
        }
        long v = Long.parseLong(text);
        return v > MAX_DELAY_SECONDS ? -1 : v;
    }

    /** Releases the held messages (shutdown); their store records stay for the next start. */
    void clear() {
        keys.clear();
        for (BrokerMessage m : held.keySet()) {
            if (held.remove(m) != null) {
                m.release();
            }
        }
        pending.set(0);
    }

    // ---- read-only views and removal for the admin API (kept at the end to ease merges)

    /** The tenant's held messages, soonest first, as api views with copied payloads. */
    List<io.aviary.api.broker.DelayedMessage> list(String tenant) {
        List<io.aviary.api.broker.DelayedMessage> out = new ArrayList<>();
        for (Map.Entry<BrokerMessage, long[]> e : held.entrySet()) {
            BrokerMessage m = e.getKey();
            if (!m.tenant().equals(tenant)) {
                continue;
            }
            io.aviary.api.message.Message view;
            try {
                io.aviary.api.message.Message v = m.toApi();
                view = new io.aviary.api.message.Message(v.id(), v.tenant(), v.topic(), java.nio.ByteBuffer.wrap(m.bytes()),
                        v.qos(), v.retain(), v.properties(), v.publisher(), v.timestamp());
            } catch (io.netty.util.IllegalReferenceCountException gone) {
                continue; // published (and released) while we looked
            }
            long[] due = e.getValue();
            out.add(new io.aviary.api.broker.DelayedMessage(view, due[0], m.timestamp(), due[1]));
        }
        out.sort(Comparator.comparingLong(io.aviary.api.broker.DelayedMessage::expectedAt));
        return out;
    }

    /** Drops one held message of the tenant by its id; its timer then finds nothing to publish. */
    boolean remove(String tenant, String messageId) {
        for (BrokerMessage m : held.keySet()) {
            if (m.tenant().equals(tenant) && m.id().equals(messageId) && held.remove(m) != null) {
                pending.decrementAndGet();
                forgetRecord(m);
                m.release();
                return true;
            }
        }
        return false;
    }

    int size(String tenant) {
        int n = 0;
        for (BrokerMessage m : held.keySet()) {
            if (tenant == null || m.tenant().equals(tenant)) {
                n++;
            }
        }
        return n;
    }
}

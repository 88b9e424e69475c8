package io.aviary.broker.retain;

import io.aviary.broker.message.BrokerMessage;
import io.aviary.broker.session.DurableSessionStore;
import io.aviary.broker.session.StoreRecords;
import io.aviary.broker.session.Tickets;
import io.aviary.store.DurableStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retained messages in durable mode: served from memory, written through to the durable store
 * (key tenant 0 'r' 0 topic), so they survive a restart. The publisher's acknowledgement waits
 * for the write like any other record of its message. Record sizes count against the tenant's
 * disk quota: a retained message that does not fit leaves the retained store as it was and
 * answers the QoS 1/2 publisher 0x97 (a QoS 0 publisher is not told; its message still goes to
 * the current subscribers).
 */
public final class DurableRetainedStore implements RetainedStore {

    private static final Logger LOG = LoggerFactory.getLogger(DurableRetainedStore.class);

    private final InMemoryRetainedStore memory = new InMemoryRetainedStore();
    private final DurableStore store;
    private final DurableSessionStore quota;
    /** Record size of each stored retained message, by tenant NUL topic, for the tenant disk quota. */
    private final Map<String, Integer> sizes = new ConcurrentHashMap<>();

    public DurableRetainedStore(DurableStore store, DurableSessionStore quota) {
        this.store = store;
        this.quota = quota;
    }

    private static String sizeKey(BrokerMessage m) {
        return m.tenant() + '\u0000' + m.topic();
    }

    private void forgetSize(BrokerMessage m) {
        Integer old = sizes.remove(sizeKey(m));
        if (old != null) {
            quota.released(m.tenant(), old);
        }
    }

    /** Takes back the messages read from the store at start (their references pass to this store). */
    public void restore(List<BrokerMessage> messages) {
        long now = System.currentTimeMillis();
        for (BrokerMessage m : messages) {
            if (m.expired(now)) {
                store.delete(key(m));
            } else {
                memory.put(m);
                int size = StoreRecords.message(m).length;
                sizes.put(sizeKey(m), size);
                quota.stored(m.tenant(), size);
            }
            m.release();
        }
    }

    private static byte[] key(BrokerMessage m) {
        return StoreRecords.withString(StoreRecords.prefix(m.tenant(), StoreRecords.RETAINED, "", false), m.topic());
    }

    @Override
    public void put(BrokerMessage message) {
        if (message.payload().readableBytes() == 0) {
            memory.put(message);
            forgetSize(message);
            Tickets.note(store.delete(key(message)));
            return;
        }
        byte[] value = StoreRecords.message(message);
        String k = sizeKey(message);
        Integer before = sizes.get(k);
        long growth = value.length - (before == null ? 0 : before);
        if (growth > 0 && !quota.admitTenant(message.tenant(), growth)) {
            LOG.debug("retained message not stored, tenant disk quota reached tenant={} topic={}", message.tenant(),
                    message.topic());
            Tickets.quotaExceeded();
            return;
        }
        memory.put(message);
        Integer old = sizes.put(k, value.length);
        long delta = value.length - (old == null ? 0 : old);
        if (delta >= 0) {
            quota.stored(message.tenant(), delta);
        } else {
            quota.released(message.tenant(), -delta);
        }
        Tickets.note(store.put(key(message), value));
    }

    @Override
    public void match(String tenant, String topicFilter, Consumer<BrokerMessage> sink) {
        memory.match(tenant, topicFilter, sink);
    }

    @Override
    public int size(String tenant) {
        return memory.size(tenant);
    }

    /** Removes expired retained messages, from memory and from the store; returns how many. */
    public int purgeExpired(long now) {
        return memory.purgeExpired(now, m -> {
            forgetSize(m);
            store.delete(key(m));
        });
    }

    /** Releases the memory only: the stored messages stay for the next start. */
    @Override
    public void clear() {
        memory.clear();
    }
}

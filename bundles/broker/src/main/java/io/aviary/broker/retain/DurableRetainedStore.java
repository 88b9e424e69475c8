package io.aviary.broker.retain;

import io.aviary.broker.message.BrokerMessage;
import io.aviary.broker.session.StoreRecords;
import io.aviary.broker.session.Tickets;
import io.aviary.store.DurableStore;
import java.util.List;
import java.util.function.Consumer;

/**
 * Retained messages in durable mode: served from memory, written through to the durable store
 * (key tenant 0 'r' 0 topic), so they survive a restart. The publisher's acknowledgement waits
 * for the write like any other record of its message.
 */
public final class DurableRetainedStore implements RetainedStore {

    private final InMemoryRetainedStore memory = new InMemoryRetainedStore();
    private final DurableStore store;

    public DurableRetainedStore(DurableStore store) {
        this.store = store;
    }

    /** Takes back the messages read from the store at start (their references pass to this store). */
    public void restore(List<BrokerMessage> messages) {
        long now = System.currentTimeMillis();
        for (BrokerMessage m : messages) {
            if (m.expired(now)) {
                store.delete(key(m));
            } else {
                memory.put(m);
            }
            m.release();
        }
    }

    private static byte[] key(BrokerMessage m) {
        return StoreRecords.withString(StoreRecords.prefix(m.tenant(), StoreRecords.RETAINED, "", false), m.topic());
    }

    @Override
    public void put(BrokerMessage message) {
        memory.put(message);
        if (message.payload().readableBytes() == 0) {
            Tickets.note(store.delete(key(message)));
        } else {
            Tickets.note(store.put(key(message), StoreRecords.message(message)));
        }
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
        return memory.purgeExpired(now, m -> store.delete(key(m)));
    }

    /** Releases the memory only: the stored messages stay for the next start. */
    @Override
    public void clear() {
        memory.clear();
    }
}

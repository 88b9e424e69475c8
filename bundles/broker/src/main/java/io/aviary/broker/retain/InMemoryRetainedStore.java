package io.aviary.broker.retain;

import io.aviary.broker.message.BrokerMessage;
import io.aviary.broker.topic.TopicFilter;
import io.netty.util.IllegalReferenceCountException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * {@link RetainedStore} in memory: one map per tenant. An exact filter is one lookup; a filter
 * with wildcards scans the tenant's retained topics (subscribe-time only, never per publish).
 */
public final class InMemoryRetainedStore implements RetainedStore {

    private final ConcurrentHashMap<String, ConcurrentHashMap<String, BrokerMessage>> byTenant = new ConcurrentHashMap<>();

    @Override
    public void put(BrokerMessage message) {
        Map<String, BrokerMessage> topics = byTenant.computeIfAbsent(message.tenant(), t -> new ConcurrentHashMap<>());
        BrokerMessage old;
        if (message.payload().readableBytes() == 0) {
            old = topics.remove(message.topic());
        } else {
            old = topics.put(message.topic(), message.retain());
        }
        if (old != null) {
            old.release();
        }
    }

    @Override
    public void match(String tenant, String topicFilter, Consumer<BrokerMessage> sink) {
        Map<String, BrokerMessage> topics = byTenant.get(tenant);
        if (topics == null) {
            return;
        }
        long now = System.currentTimeMillis();
        if (topicFilter.indexOf('+') < 0 && topicFilter.indexOf('#') < 0) {
            BrokerMessage m = topics.get(topicFilter);
            deliverOrExpire(topics, m, now, sink);
            return;
        }
        for (BrokerMessage m : topics.values()) {
            if (TopicFilter.matches(topicFilter, m.topic())) {
                deliverOrExpire(topics, m, now, sink);
            }
        }
    }

    private static void deliverOrExpire(Map<String, BrokerMessage> topics, BrokerMessage m, long now,
                                        Consumer<BrokerMessage> sink) {
        if (m == null) {
            return;
        }
        if (m.expired(now)) {
            if (topics.remove(m.topic(), m)) {
                m.release();
            }
            return;
        }
        try {
            m.retain();
        } catch (IllegalReferenceCountException replacedMeanwhile) {
            return;
        }
        sink.accept(m);
    }

    /** Removes every expired message, telling {@code removed} each (before its release); returns how many. */
    public int purgeExpired(long now, Consumer<BrokerMessage> removed) {
        int n = 0;
        for (Map<String, BrokerMessage> topics : byTenant.values()) {
            for (BrokerMessage m : topics.values()) {
                if (m.expired(now) && topics.remove(m.topic(), m)) {
                    removed.accept(m);
                    m.release();
                    n++;
                }
            }
        }
        return n;
    }

    @Override
    public int size(String tenant) {
        Map<String, BrokerMessage> topics = byTenant.get(tenant);
        return topics == null ? 0 : topics.size();
    }

    @Override
    public void clear() {
        byTenant.values().forEach(m -> {
            m.values().forEach(BrokerMessage::release);
            m.clear();
        });
    }
}

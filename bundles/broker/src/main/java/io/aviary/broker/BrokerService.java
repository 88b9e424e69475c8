package io.aviary.broker;

import io.aviary.api.broker.Broker;
import io.aviary.api.broker.BrokerQueries;
import io.aviary.api.broker.BrokerStats;
import io.aviary.api.broker.DelayedMessage;
import io.aviary.api.broker.PendingMessage;
import io.aviary.api.broker.ClientSnapshot;
import io.aviary.api.broker.PublishResult;
import io.aviary.api.broker.SubscriptionInfo;
import io.aviary.api.broker.SubscriptionOptions;
import io.aviary.api.message.Message;
import io.aviary.broker.message.BrokerMessage;
import io.aviary.broker.message.Messages;
import io.aviary.broker.session.Connection;
import io.aviary.broker.session.Delivery;
import io.aviary.broker.session.Session;
import io.aviary.broker.session.SessionKey;
import io.aviary.broker.topic.Subscription;
import io.aviary.broker.topic.TopicFilter;
import io.aviary.mqtt.codec.ReasonCode;
import io.aviary.mqtt.codec.Topics;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.List;
import java.util.Optional;

/**
 * The {@link Broker} service other bundles use (admin API, rules, gateways): a thin, tenant-
 * scoped facade over {@link BrokerCore}. Inputs are checked as strictly as MQTT input.
 * It also answers the admin API's {@link BrokerQueries}; every view copies what it shows, so
 * no caller holds a reference into the broker's buffers.
 */
public final class BrokerService implements Broker, BrokerQueries {

    private final BrokerCore core;

    public BrokerService(BrokerCore core) {
        this.core = core;
    }

    @Override
    public PublishResult publish(Message message) {
        if (!Topics.isValidTopicName(message.topic())) {
            throw new IllegalArgumentException("invalid topic name: " + message.topic());
        }
        BrokerMessage m = Messages.fromApi(message, System.currentTimeMillis());
        m.id(); // fixed now, so a delayed copy keeps the id the caller is told
        try {
            int n = core.publish(m);
            return new PublishResult(m.id(), n);
        } finally {
            m.release();
        }
    }

    @Override
    public boolean subscribe(String tenant, String clientId, String topicFilter, SubscriptionOptions options) {
        Session s = core.registry().get(new SessionKey(tenant, clientId));
        TopicFilter f = TopicFilter.parse(topicFilter);
        if (s == null || f == null || !Topics.isValidTopicFilter(f.filter())) {
            return false;
        }
        boolean[] existed = new boolean[1];
        if (core.subscribe(s, f, options, existed) >= 0x80) {
            return false;
        }
        if (!f.shared() && core.settings().retainerEnable
                && (options.retainHandling() == 0 || (options.retainHandling() == 1 && !existed[0]))) {
            sendRetained(s, f.filter(), options);
        }
        return true;
    }

    /** Retained messages for a subscription made on the client's behalf, as if it had subscribed itself. */
    private void sendRetained(Session s, String filter, SubscriptionOptions options) {
        int[] ids = options.subscriptionId() == 0 ? null : new int[] {options.subscriptionId()};
        core.retained().match(s.key().tenant(), filter, m ->
                core.deliver(s, new Delivery(m, Math.min(m.qos(), options.qos()), true, ids, null)));
    }

    @Override
    public boolean unsubscribe(String tenant, String clientId, String topicFilter) {
        Session s = core.registry().get(new SessionKey(tenant, clientId));
        return s != null && core.unsubscribe(s, topicFilter);
    }

    @Override
    public boolean kick(String tenant, String clientId) {
        Session s = core.registry().get(new SessionKey(tenant, clientId));
        if (s == null) {
            return false;
        }
        Connection c = s.connection();
        core.endSession(s);
        if (c != null) {
            c.disconnect(ReasonCode.ADMINISTRATIVE_ACTION, "kicked by administrator");
        }
        return true;
    }

    @Override
    public Optional<ClientSnapshot> client(String tenant, String clientId) {
        Session s = core.registry().get(new SessionKey(tenant, clientId));
        return s == null ? Optional.empty() : Optional.of(snapshot(s));
    }

    @Override
    public List<ClientSnapshot> clients(String tenant) {
        List<ClientSnapshot> out = new ArrayList<>();
        for (Session s : core.registry().all(tenant)) {
            out.add(snapshot(s));
        }
        return out;
    }

    @Override
    public List<SubscriptionInfo> subscriptions(String tenant, String clientId) {
        Session s = core.registry().get(new SessionKey(tenant, clientId));
        List<SubscriptionInfo> out = new ArrayList<>();
        if (s != null) {
            s.subscriptions().forEach(sub -> out.add(info(sub)));
        }
        return out;
    }

    @Override
    public List<SubscriptionInfo> subscriptions(String tenant) {
        List<SubscriptionInfo> out = new ArrayList<>();
        core.index().forEach(tenant, sub -> out.add(info(sub)));
        return out;
    }

    private static SubscriptionInfo info(Subscription s) {
        SessionKey k = s.subscriber().key();
        return new SubscriptionInfo(k.tenant(), k.clientId(), s.filter(), s.shareGroup(), s.options());
    }

    private ClientSnapshot snapshot(Session s) {
        return new ClientSnapshot(s.client(), s.online(), s.cleanStart(), s.keepAlive(), s.expiryInterval(),
                s.state().createdAt(), s.connectedAt(), s.disconnectedAt(), s.subscriptionCount(), s.inflightCount(),
                core.settings().maxInflight, s.queuedCount(), s.received.sum(), s.sent.sum(), s.dropped.sum());
    }

    // ---- BrokerQueries

    @Override
    public Optional<List<PendingMessage>> mqueue(String tenant, String clientId) {
        Session s = core.registry().get(new SessionKey(tenant, clientId));
        return s == null ? Optional.empty() : Optional.of(s.queuedView());
    }

    @Override
    public Optional<List<PendingMessage>> inflight(String tenant, String clientId) {
        Session s = core.registry().get(new SessionKey(tenant, clientId));
        return s == null ? Optional.empty() : Optional.of(s.inflightView());
    }

    @Override
    public List<Message> retained(String tenant) {
        List<Message> out = new ArrayList<>();
        core.retained().match(tenant, "#", m -> out.add(copyAndRelease(m)));
        out.sort(Comparator.comparing(Message::topic));
        return out;
    }

    @Override
    public Optional<Message> retained(String tenant, String topic) {
        if (!Topics.isValidTopicName(topic)) {
            return Optional.empty();
        }
        List<Message> out = new ArrayList<>(1);
        core.retained().match(tenant, topic, m -> out.add(copyAndRelease(m)));
        return out.stream().findFirst();
    }

    @Override
    public boolean deleteRetained(String tenant, String topic) {
        if (retained(tenant, topic).isEmpty()) {
            return false;
        }
        // An empty retained payload clears the topic, exactly as an MQTT client would.
        core.retained().put(new BrokerMessage(tenant, topic, 0, true, io.aviary.mqtt.codec.MqttProperties.EMPTY,
                Unpooled.EMPTY_BUFFER, null, System.currentTimeMillis()));
        return true;
    }

    @Override
    public List<DelayedMessage> delayed(String tenant) {
        return core.delayed().list(tenant);
    }

    @Override
    public boolean deleteDelayed(String tenant, String messageId) {
        return core.delayed().remove(tenant, messageId);
    }

    @Override
    public BrokerStats stats(String tenant) {
        long connections = 0;
        long sessions = 0;
        for (Session s : core.registry().all(tenant)) {
            sessions++;
            if (s.online()) {
                connections++;
            }
        }
        long[] subs = new long[2];
        Set<String> topics = new HashSet<>();
        core.index().forEach(tenant, sub -> {
            subs[0]++;
            if (sub.shareGroup() != null) {
                subs[1]++;
            }
            topics.add(sub.filter());
        });
        long retainedCount = 0;
        for (String t : tenant == null ? tenants() : Set.of(tenant)) {
            retainedCount += core.retained().size(t);
        }
        // a tenant sees its own figures only; the node (tenant null) sees node-wide ones
        Map<String, Long> counters = new java.util.TreeMap<>(tenant == null ? core.counters().snapshot()
                : core.counters().tenant(tenant).snapshot());
        if (tenant != null) {
            core.auth().meters(tenant, counters); // calls into the tenant's auth plugins
        }
        return new BrokerStats(connections, sessions, subs[0], subs[1], topics.size(), retainedCount,
                core.delayed().size(tenant), counters);
    }

    @Override
    public boolean hasSubscribers(String tenant, String topic) {
        return core.fanOut(tenant, topic) > 0;
    }

    @Override
    public Set<String> tenants() {
        Set<String> out = new java.util.TreeSet<>(core.counters().tenants());
        for (Session s : core.registry().all(null)) {
            out.add(s.key().tenant());
        }
        return out;
    }

    private static Message copyAndRelease(BrokerMessage m) {
        try {
            Message v = m.toApi();
            return new Message(v.id(), v.tenant(), v.topic(), ByteBuffer.wrap(m.bytes()), v.qos(), v.retain(),
                    v.properties(), v.publisher(), v.timestamp());
        } finally {
            m.release();
        }
    }
}

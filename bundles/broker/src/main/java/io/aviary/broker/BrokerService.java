package io.aviary.broker;

import io.aviary.api.broker.Broker;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@link Broker} service other bundles use (admin API, rules, gateways): a thin, tenant-
 * scoped facade over {@link BrokerCore}. Inputs are checked as strictly as MQTT input.
 */
public final class BrokerService implements Broker {

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
}

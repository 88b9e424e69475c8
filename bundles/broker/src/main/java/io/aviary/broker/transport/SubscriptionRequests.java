package io.aviary.broker.transport;

import io.aviary.api.auth.Action;
import io.aviary.api.auth.Decision;
import io.aviary.api.broker.SubscriptionOptions;
import io.aviary.api.client.ClientInfo;
import io.aviary.broker.BrokerCore;
import io.aviary.broker.config.AutoSubscription;
import io.aviary.broker.config.BrokerSettings;
import io.aviary.broker.session.Delivery;
import io.aviary.broker.session.Session;
import io.aviary.broker.session.Tickets;
import io.aviary.broker.topic.TopicFilter;
import io.aviary.mqtt.codec.MqttProperties;
import io.aviary.mqtt.codec.ReasonCode;
import io.aviary.mqtt.codec.SubAckPacket;
import io.aviary.mqtt.codec.SubscribePacket;
import io.aviary.mqtt.codec.Topics;
import io.aviary.mqtt.codec.UnsubAckPacket;
import io.aviary.mqtt.codec.UnsubscribePacket;
import io.netty.channel.ChannelHandlerContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SUBSCRIBE, UNSUBSCRIBE and auto-subscribe for one connection: filter checks (prefixes,
 * levels, wildcard/shared availability), authorization, rewrite rules, SUBACK/UNSUBACK codes
 * per version, and the retained messages a new subscription gets (Retain Handling).
 * Runs on the channel's event loop.
 */
final class SubscriptionRequests {

    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionRequests.class);

    private final BrokerCore core;
    private final BrokerSettings settings;
    private final Session session;
    private final ClientInfo client;
    private final OutboundFlow outbound;
    private final Authorization authz;
    private final BiConsumer<Integer, String> violation;
    /** Ends the connection for a denied subscription when deny_action is disconnect. */
    private final java.util.function.Consumer<String> deniedDisconnect;
    /** The client's Request Problem Information: without it, no Reason String on SUBACK/UNSUBACK [MQTT-3.1.2-29]. */
    private final boolean problemInfo;
    private ChannelHandlerContext ctx;

    SubscriptionRequests(BrokerCore core, Session session, ClientInfo client, OutboundFlow outbound,
                         Authorization authz, BiConsumer<Integer, String> violation,
                         java.util.function.Consumer<String> deniedDisconnect, boolean problemInfo) {
        this.core = core;
        this.settings = core.settings();
        this.session = session;
        this.client = client;
        this.outbound = outbound;
        this.authz = authz;
        this.violation = violation;
        this.deniedDisconnect = deniedDisconnect;
        this.problemInfo = problemInfo;
    }

    void onSubscribe(SubscribePacket s) {
        Integer subId = s.subscriptionIdentifier();
        List<io.aviary.mqtt.codec.Subscription> subs = s.subscriptions();
        for (io.aviary.mqtt.codec.Subscription sub : subs) {
            if (sub.noLocal() && Topics.isShared(sub.topicFilter())) {
                violation.accept(ReasonCode.PROTOCOL_ERROR, "No Local on a shared subscription [MQTT-3.8.3-4]");
                return;
            }
        }
        if (!authz.needed()) {
            subscribeAll(s, subId == null ? 0 : subId, new Decision[subs.size()]);
            return;
        }
        Decision[] decisions = new Decision[subs.size()];
        authorizeEach(subs, 0, decisions, () -> {
            for (int i = 0; i < decisions.length; i++) {
                if (decisions[i] == Decision.DENY && authz.disconnectOnDeny()) {
                    core.counters().inc("packets.subscribe.auth_error");
                    deniedDisconnect.accept("subscribe to " + subs.get(i).topicFilter());
                    return; // nothing of this SUBSCRIBE is applied
                }
            }
            subscribeAll(s, subId == null ? 0 : subId, decisions);
        });
    }

    private void authorizeEach(List<io.aviary.mqtt.codec.Subscription> subs, int i, Decision[] out, Runnable then) {
        if (i == subs.size()) {
            then.run();
            return;
        }
        io.aviary.mqtt.codec.Subscription sub = subs.get(i);
        authz.check(Action.SUBSCRIBE, sub.topicFilter(), sub.qos(), false, d -> {
            out[i] = d;
            authorizeEach(subs, i + 1, out, then);
        });
    }

    private void subscribeAll(SubscribePacket s, int subId, Decision[] decisions) {
        List<io.aviary.mqtt.codec.Subscription> subs = s.subscriptions();
        List<Integer> codes = new ArrayList<>(subs.size());
        List<Runnable> retainedSends = new ArrayList<>(0);
        String refused = null;
        Tickets.take(); // forget what earlier work on this thread wrote
        for (int i = 0; i < subs.size(); i++) {
            io.aviary.mqtt.codec.Subscription sub = subs.get(i);
            int code = decisions[i] == Decision.DENY ? ReasonCode.NOT_AUTHORIZED : subscribeOne(sub, subId, retainedSends);
            if (code >= 0x80 && refused == null) {
                refused = "subscription to " + sub.topicFilter() + " refused: " + ReasonCode.name(code);
            }
            codes.add(code);
        }
        SubAckPacket ack = new SubAckPacket(s.packetId(), codes, problem(refused));
        Runnable reply = () -> {
            ctx.write(ack);
            retainedSends.forEach(Runnable::run);
            ctx.flush();
        };
        long ticket = Tickets.take(); // a persistent session's subscriptions: SUBACK once they are on disk
        if (ticket == 0) {
            reply.run();
        } else {
            core.afterDurable(ticket, () -> ctx.executor().execute(reply));
        }
    }

    private int subscribeOne(io.aviary.mqtt.codec.Subscription sub, int subId, List<Runnable> retainedSends) {
        String raw = settings.rewriteRules.isEmpty() ? sub.topicFilter() : core.rewriteSubscribe(sub.topicFilter());
        TopicFilter f = TopicFilter.parse(raw);
        if (f == null || !Topics.isValidTopicFilter(f.filter())
                || TopicFilter.levelCount(f.filter()) > core.maxTopicLevels(client.tenant())) {
            return ReasonCode.TOPIC_FILTER_INVALID;
        }
        if (f.shared() && !settings.sharedSubscription) {
            return ReasonCode.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED;
        }
        if (f.hasWildcard() && !settings.wildcardSubscription) {
            return ReasonCode.WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED;
        }
        int qos = Math.min(sub.qos(), core.maxQos(client.tenant()));
        SubscriptionOptions opts = new SubscriptionOptions(qos, sub.noLocal(), sub.retainAsPublished(),
                sub.retainHandling(), subId);
        boolean[] existed = new boolean[1];
        int code = core.subscribe(session, f, opts, existed);
        if (code < 0x80 && !f.shared() && settings.retainerEnable
                && (sub.retainHandling() == 0 || (sub.retainHandling() == 1 && !existed[0]))) {
            retainedSends.add(() -> sendRetained(f.filter(), opts));
        }
        return code;
    }

    /** Sends the retained messages matching a new subscription, with RETAIN set [MQTT-3.3.1-9]. */
    private void sendRetained(String filter, SubscriptionOptions opts) {
        int[] ids = opts.subscriptionId() == 0 ? null : new int[] {opts.subscriptionId()};
        core.retained().match(client.tenant(), filter, m ->
                outbound.deliver(new Delivery(m, Math.min(m.qos(), opts.qos()), true, ids, null)));
    }

    void onUnsubscribe(UnsubscribePacket u) {
        List<Integer> codes = new ArrayList<>(u.topicFilters().size());
        String unknown = null;
        for (String raw : u.topicFilters()) {
            String filter = settings.rewriteRules.isEmpty() ? raw : core.rewriteSubscribe(raw);
            boolean existed = core.unsubscribe(session, filter);
            if (!existed && unknown == null) {
                unknown = "no subscription existed for " + raw;
            }
            codes.add(existed ? ReasonCode.SUCCESS : ReasonCode.NO_SUBSCRIPTION_EXISTED);
        }
        ctx.writeAndFlush(new UnsubAckPacket(u.packetId(), codes, problem(unknown)));
    }

    /**
     * A Reason String naming the first filter that was not handled, when the client wants
     * problem information. The encoder drops it if it would exceed the client's Maximum Packet Size.
     */
    private MqttProperties problem(String reason) {
        return reason != null && problemInfo ? Protocol.reasonString(reason) : MqttProperties.EMPTY;
    }

    /** Adds the configured auto_subscribe subscriptions (placeholders filled) after CONNACK. */
    void autoSubscribe(ChannelHandlerContext context) {
        this.ctx = context;
        for (AutoSubscription a : settings.autoSubscriptions) {
            String topic = a.topicFor(client.clientId(), client.username());
            TopicFilter f = TopicFilter.parse(topic);
            if (f == null || !Topics.isValidTopicFilter(f.filter())) {
                LOG.warn("auto_subscribe topic {} is not a valid filter", topic);
                continue;
            }
            SubscriptionOptions opts = new SubscriptionOptions(Math.min(a.qos(), core.maxQos(client.tenant())), a.nl(),
                    a.rap(),
                    Math.min(2, Math.max(0, a.rh())), 0);
            boolean[] existed = new boolean[1];
            int code = core.subscribe(session, f, opts, existed);
            if (code < 0x80 && !f.shared() && (a.rh() == 0 || (a.rh() == 1 && !existed[0]))) {
                sendRetained(f.filter(), opts);
            }
        }
    }
}

package io.aviary.broker.transport;

import io.aviary.api.auth.Action;
import io.aviary.api.auth.AuthRequest;
import io.aviary.api.auth.AuthResult;
import io.aviary.api.auth.Authenticator;
import io.aviary.api.auth.Decision;
import io.aviary.api.client.ClientInfo;
import io.aviary.broker.BrokerCore;
import io.aviary.broker.auth.AuthService;
import io.aviary.broker.config.BrokerSettings;
import io.aviary.broker.message.BrokerMessage;
import io.aviary.broker.session.Connection;
import io.aviary.broker.session.Delivery;
import io.aviary.broker.session.Session;
import io.aviary.broker.session.Tickets;
import io.aviary.broker.tenant.TenantQuotas;
import io.aviary.broker.topic.TopicFilter;
import io.aviary.mqtt.codec.AckPacket;
import io.aviary.mqtt.codec.AuthPacket;
import io.aviary.mqtt.codec.DisconnectPacket;
import io.aviary.mqtt.codec.InvalidPacket;
import io.aviary.mqtt.codec.MqttProperties;
import io.aviary.mqtt.codec.MqttVersion;
import io.aviary.mqtt.codec.PacketType;
import io.aviary.mqtt.codec.PingReqPacket;
import io.aviary.mqtt.codec.PingRespPacket;
import io.aviary.mqtt.codec.PropertyId;
import io.aviary.mqtt.codec.PublishPacket;
import io.aviary.mqtt.codec.ReasonCode;
import io.aviary.mqtt.codec.SubscribePacket;
import io.aviary.mqtt.codec.Topics;
import io.aviary.mqtt.codec.UnsubscribePacket;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session stage of the pipeline, after a successful CONNECT: the client-to-broker half of
 * one connection (PUBLISH with topic aliases and QoS 1/2 acknowledgement, PUBREL, PINGREQ,
 * DISCONNECT and Will rules, re-authentication, protocol violations) and the {@link Connection}
 * the router delivers to. It delegates the broker-to-client half to {@link OutboundFlow} and
 * SUBSCRIBE/UNSUBSCRIBE to {@link SubscriptionRequests}. Everything runs on the channel's event
 * loop; an {@link InboundGate} keeps packets in order while an authorization answer is pending.
 */
public final class SessionHandler extends ChannelInboundHandlerAdapter implements Connection {

    private static final Logger LOG = LoggerFactory.getLogger(SessionHandler.class);

    private final BrokerCore core;
    private final BrokerSettings settings;
    private final ClientInfo client;
    private final MqttVersion version;
    private final ClientParams params;
    private final InboundGate gate = new InboundGate(this::dispatch);
    /** The tenant's retained message count, asked only when a max_retained quota applies (made once, not per PUBLISH). */
    private final java.util.function.IntSupplier retainedCount;
    private final Authorization authz;
    private Session session;
    private final Channel channel;
    private volatile OutboundFlow outbound;
    private SubscriptionRequests subscriptions;
    private ChannelHandlerContext ctx;
    private Map<Integer, String> aliases;
    private boolean closing;
    private boolean willDue = true;
    /** Acknowledgements waiting for the durable store; later ones queue behind them (PUBLISH order). */
    private int pendingAcks;
    private Authenticator reauthenticator;
    private String disconnectReason = "sock_closed";
    /** When the client's credentials expire (event loop only), or null. */
    private io.netty.util.concurrent.ScheduledFuture<?> credentialsExpiry;

    public SessionHandler(Channel channel, BrokerCore core, ClientInfo client, MqttVersion version, ClientParams params) {
        this.channel = channel;
        this.core = core;
        this.settings = core.settings();
        this.client = client;
        this.version = version;
        this.params = params;
        this.retainedCount = () -> core.retained().size(client.tenant());
        this.authz = new Authorization(core, client, gate);
    }

    void bind(Session s) {
        this.session = s;
        this.outbound = new OutboundFlow(core, s, client, version, params, this);
        this.subscriptions = new SubscriptionRequests(core, s, client, outbound, authz, this::violation,
                this::deniedDisconnect, params.problemInfo());
    }

    @Override
    public ClientInfo client() {
        return client;
    }

    /** Called once CONNACK is written: redelivers inflight messages, drains the queue, adds auto-subscriptions. */
    void start(ChannelHandlerContext context) {
        this.ctx = context;
        gate.bind(context);
        outbound.start(context);
        subscriptions.autoSubscribe(context);
        ctx.flush();
    }

    // ---- Connection (any thread)

    @Override
    public void send(Delivery d) {
        OutboundFlow o = outbound;
        if (o != null) {
            o.send(d);
        } else {
            // attached to the session but not bound yet: binding finishes in the loop's current task
            channel.eventLoop().execute(() -> outbound.send(d));
        }
    }

    @Override
    public void wake() {
        OutboundFlow o = outbound;
        if (o != null) {
            o.wake();
        }
    }

    /**
     * Disconnects the client when its credentials expire (a JWT's exp, with the authenticator's
     * disconnect_after_expire): MQTT 5 DISCONNECT 0x87, MQTT 3 a close. 0 cancels; a
     * re-authentication replaces the deadline.
     */
    void expireCredentialsAt(long epochMs) {
        if (credentialsExpiry != null) {
            credentialsExpiry.cancel(false);
            credentialsExpiry = null;
        }
        if (epochMs <= 0) {
            return;
        }
        long delay = Math.max(0, epochMs - System.currentTimeMillis());
        credentialsExpiry = channel.eventLoop().schedule(() -> {
            LOG.info("credentials expired tenant={} clientid={}: disconnecting", client.tenant(), client.clientId());
            if (ctx == null) {
                channel.close();
                return;
            }
            disconnectReason = "expired";
            sendDisconnectAndClose(ReasonCode.NOT_AUTHORIZED, "credentials expired");
        }, delay, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    @Override
    public void disconnect(int reasonCode, String reason) {
        channel.eventLoop().execute(() -> {
            if (ctx == null) {
                channel.close();
                return;
            }
            disconnectReason = reasonCode == ReasonCode.SESSION_TAKEN_OVER ? "takenover"
                    : reasonCode == ReasonCode.ADMINISTRATIVE_ACTION ? "kicked" : "server_disconnect";
            sendDisconnectAndClose(reasonCode, reason);
        });
    }

    // ---- inbound

    @Override
    public void channelRead(ChannelHandlerContext c, Object msg) {
        gate.offer(msg);
    }

    private void dispatch(Object msg) {
        if (closing) {
            ReferenceCountUtil.release(msg);
            return;
        }
        session.received.increment();
        if (msg instanceof PublishPacket p) {
            onPublish(p);
        } else if (msg instanceof AckPacket a) {
            if (a.type() == PacketType.PUBREL) {
                onPubrel(a);
            } else {
                outbound.onAck(a);
            }
        } else if (msg instanceof SubscribePacket s) {
            subscriptions.onSubscribe(s);
        } else if (msg instanceof UnsubscribePacket u) {
            subscriptions.onUnsubscribe(u);
        } else if (msg instanceof PingReqPacket) {
            ctx.writeAndFlush(PingRespPacket.INSTANCE);
        } else if (msg instanceof DisconnectPacket d) {
            onDisconnect(d);
        } else if (msg instanceof AuthPacket a) {
            onReauth(a);
        } else if (msg instanceof InvalidPacket bad) {
            violation(bad.reasonCode(), bad.message());
        } else {
            ReferenceCountUtil.release(msg);
            violation(ReasonCode.PROTOCOL_ERROR, "unexpected " + msg.getClass().getSimpleName());
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext c, Object evt) throws Exception {
        if (evt == KeepAliveHandler.KeepAliveTimeout) {
            LOG.debug("keep alive timeout tenant={} clientid={}", client.tenant(), client.clientId());
            disconnectReason = "keepalive_timeout";
            sendDisconnectAndClose(ReasonCode.KEEP_ALIVE_TIMEOUT, "keep alive timeout");
            return;
        }
        super.userEventTriggered(c, evt);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext c) throws Exception {
        if (c.channel().isWritable()) {
            outbound.drain();
            c.flush();
        }
        super.channelWritabilityChanged(c);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
        LOG.debug("connection error tenant={} clientid={}: {}", client.tenant(), client.clientId(), cause.toString());
        c.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext c) throws Exception {
        expireCredentialsAt(0);
        markClosing();
        gate.close();
        core.closed(session, this, willDue);
        LOG.debug("disconnected tenant={} clientid={} reason={}", client.tenant(), client.clientId(), disconnectReason);
        if (core.events().clientActive()) {
            String reason = disconnectReason;
            core.events().emitClient(l -> l.clientDisconnected(client, reason));
        }
        super.channelInactive(c);
    }

    // ---- PUBLISH from the client

    private void onPublish(PublishPacket p) {
        String topic = resolveTopic(p);
        if (topic == null) {
            p.release();
            return;
        }
        String problem = publishProblem(p, topic);
        if (problem != null) {
            p.release();
            return;
        }
        int bytes = p.payload().readableBytes() + topic.length();
        TenantQuotas.Refusal quota = core.quotas().checkPublish(client.tenant(), bytes,
                p.isRetain() && p.payload().isReadable(), retainedCount);
        if (quota == null) {
            quota = core.quotas().checkOutbound(client.tenant(), topic, bytes, core.fanOutCounter());
        }
        if (quota != null) {
            refusedByQuota(p, quota);
            return;
        }
        if (!authz.needed()) {
            accepted(p, topic);
            return;
        }
        authz.check(Action.PUBLISH, topic, p.qos(), p.isRetain(), d -> {
            if (d == Decision.DENY) {
                deniedPublish(p, topic);
            } else {
                accepted(p, topic);
            }
        });
    }

    /** The topic name after Topic Alias resolution and rewrite rules, or null after a violation. */
    private String resolveTopic(PublishPacket p) {
        String topic = p.topic();
        Integer alias = p.topicAlias();
        if (alias != null) {
            if (alias == 0 || alias > settings.maxTopicAlias) {
                violation(ReasonCode.TOPIC_ALIAS_INVALID, "topic alias " + alias + " out of range [MQTT-3.3.2-9]");
                return null;
            }
            if (aliases == null) {
                aliases = new HashMap<>();
            }
            if (topic.isEmpty()) {
                topic = aliases.get(alias);
                if (topic == null) {
                    violation(ReasonCode.PROTOCOL_ERROR, "unknown topic alias " + alias);
                    return null;
                }
            } else {
                aliases.put(alias, topic); // at most max_topic_alias entries
            }
        }
        if (topic.isEmpty() || !Topics.isValidTopicName(topic)) {
            violation(ReasonCode.TOPIC_NAME_INVALID, "invalid topic name");
            return null;
        }
        return settings.rewriteRules.isEmpty() ? topic : core.rewritePublish(topic);
    }

    /** A reason to refuse the PUBLISH (after disconnecting), or null. */
    private String publishProblem(PublishPacket p, String topic) {
        if (p.qos() > core.maxQos(client.tenant())) {
            violation(ReasonCode.QOS_NOT_SUPPORTED, "qos " + p.qos() + " above maximum qos [MQTT-3.2.2-11]");
            return "qos";
        }
        if (p.isRetain() && !settings.retainAvailable) {
            violation(ReasonCode.RETAIN_NOT_SUPPORTED, "retain not available [MQTT-3.2.2-14]");
            return "retain";
        }
        if (TopicFilter.levelCount(topic) > core.maxTopicLevels(client.tenant())) {
            violation(ReasonCode.TOPIC_NAME_INVALID, "topic has more than max_topic_levels levels");
            return "levels";
        }
        return null;
    }

    private void accepted(PublishPacket p, String topic) {
        Tickets.take(); // forget what earlier work on this thread wrote
        Tickets.takeQuotaExceeded();
        Tickets.takeBackpressure();
        try {
            switch (p.qos()) {
                case 0 -> route(p, topic);
                case 1 -> {
                    int n = route(p, topic);
                    ackWhenDurable(PacketType.PUBACK, p.packetId(), n);
                }
                default -> acceptQos2(p, topic);
            }
        } finally {
            p.release();
        }
        Session backlogged = Tickets.takeBackpressure();
        if (backlogged != null && gate.pauseReading()) {
            core.counters().publishPaused.increment();
            backlogged.whenDrained(core.backpressureThreshold(backlogged) / 2,
                    () -> ctx.executor().execute(gate::resumeReading));
            holdWhileBacklogged(backlogged, gate.currentPause(), 1);
        }
    }

    /**
     * Keeps a back-pressure pause while the subscriber is still backlogged and still acknowledging;
     * it ends when its queue drains (whenDrained above), when it stops acknowledging for
     * mqtt.slow_subscriber_timeout (a slow consumer: its queue drops by the policy) or goes away.
     * A publisher is thus held as long as needed, but never by a stuck client.
     */
    private void holdWhileBacklogged(Session backlogged, long pause, int round) {
        ctx.executor().schedule(() -> {
            if (gate.currentPause() != pause) {
                return; // that pause has already ended
            }
            if (!core.backlogged(backlogged, true)) {
                gate.resumeReading();
                return;
            }
            if (round % PEEK_EVERY_ROUNDS == 0) {
                gate.peek(PEEK_MAX_WAITING); // pings and acks keep flowing while publishes wait
            }
            holdWhileBacklogged(backlogged, pause, round + 1);
        }, BACKPRESSURE_RECHECK_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** A paused publisher's socket is read once a second (its pings answered), until this many packets wait. */
    private static final int PEEK_EVERY_ROUNDS = 20;
    private static final int PEEK_MAX_WAITING = 1024;

    /** How often a paused publisher looks again at the subscriber it waits for. */
    private static final long BACKPRESSURE_RECHECK_MS = 50;

    private void acceptQos2(PublishPacket p, String topic) {
        int limit = version.isV5() ? settings.maxInflight : settings.maxAwaitingRel;
        switch (session.receiveQos2(p.packetId(), limit, System.currentTimeMillis(), settings.awaitRelTimeoutMs)) {
            case DUPLICATE -> ackWhenDurable(PacketType.PUBREC, p.packetId(), 1);
            case LIMIT_EXCEEDED -> violation(ReasonCode.RECEIVE_MAXIMUM_EXCEEDED,
                    "more than " + limit + " QoS 2 messages awaiting PUBREL [MQTT-3.3.4-9]");
            default -> {
                int n = route(p, topic);
                ackWhenDurable(PacketType.PUBREC, p.packetId(), n);
            }
        }
    }

    /**
     * PUBACK / PUBREC once every record written for the message (in each matching persistent
     * session, the retained and delayed stores, the QoS 2 id) is on disk, without blocking this
     * event loop: the store's commit thread hands the ack back here. Acks keep PUBLISH order:
     * while one waits, later ones queue behind it. A disk quota that refused the message
     * answers 0x97 (MQTT 5) or closes the connection (MQTT 3.x has no code for it, and the
     * client sends the message again later).
     */
    private void ackWhenDurable(PacketType type, int packetId, int routed) {
        long ticket = Tickets.take();
        boolean quota = Tickets.takeQuotaExceeded();
        if (quota) {
            if (type == PacketType.PUBREC) {
                session.releaseQos2(packetId); // an error PUBREC ends the exchange [MQTT-4.3.3]
            }
            core.counters().inc("packets.publish.quota_exceeded");
            if (!version.isV5()) {
                LOG.info("disk quota reached, closing MQTT 3 publisher tenant={} clientid={}", client.tenant(),
                        client.clientId());
                ctx.close();
                return;
            }
        }
        int code = quota ? ReasonCode.QUOTA_EXCEEDED : routed == 0 ? ReasonCode.NO_MATCHING_SUBSCRIBERS : 0;
        AckPacket a = ack(type, packetId, code);
        if (ticket == 0 && pendingAcks == 0) {
            ctx.writeAndFlush(a, ctx.voidPromise());
            return;
        }
        pendingAcks++;
        core.afterDurable(ticket, () -> ctx.executor().execute(() -> {
            pendingAcks--;
            ctx.writeAndFlush(a, ctx.voidPromise());
        }));
    }

    /** Publishes the packet's message; the packet keeps its own reference (released by the caller). */
    private int route(PublishPacket p, String topic) {
        BrokerMessage m = new BrokerMessage(client.tenant(), topic, p.qos(), p.isRetain(), p.properties(), p.payload(),
                client, System.currentTimeMillis());
        return core.publish(m);
    }

    /**
     * A tenant quota refused the PUBLISH: QoS 0 is dropped; MQTT 5 QoS 1/2 gets PUBACK/PUBREC with
     * the code (0x97 or 0x96) and a reason string naming the quota; MQTT 3.x has no such code, so
     * the connection is closed unacknowledged and the client sends the message again later.
     */
    private void refusedByQuota(PublishPacket p, TenantQuotas.Refusal quota) {
        try {
            LOG.debug("publish refused tenant={} clientid={}: {}", client.tenant(), client.clientId(), quota.reason());
            if (p.qos() == 0) {
                core.counters().tenant(client.tenant()).dropped(io.aviary.api.events.DropReason.QUOTA_EXCEEDED);
            } else if (!version.isV5()) {
                LOG.info("tenant quota reached, closing MQTT 3 publisher tenant={} clientid={}: {}", client.tenant(),
                        client.clientId(), quota.reason());
                ctx.close();
            } else {
                MqttProperties props = params.problemInfo() ? Protocol.reasonString(quota.reason()) : MqttProperties.EMPTY;
                ctx.writeAndFlush(new AckPacket(p.qos() == 1 ? PacketType.PUBACK : PacketType.PUBREC, p.packetId(),
                        quota.reasonCode(), props));
            }
        } finally {
            p.release();
        }
    }

    /**
     * A denied PUBLISH is not delivered. deny_action ignore: QoS 1/2 get PUBACK/PUBREC 0x87 (MQTT
     * 3.x: a plain ack, it has no code for it); disconnect: the connection ends with DISCONNECT 0x87
     * (MQTT 3.x: a close).
     */
    private void deniedPublish(PublishPacket p, String topic) {
        try {
            core.counters().inc("packets.publish.auth_error");
            if (authz.disconnectOnDeny()) {
                deniedDisconnect("publish to " + topic);
                return;
            }
            LOG.debug("publish denied tenant={} clientid={} topic={}", client.tenant(), client.clientId(), topic);
            if (p.qos() == 1) {
                ctx.writeAndFlush(ack(PacketType.PUBACK, p.packetId(), ReasonCode.NOT_AUTHORIZED));
            } else if (p.qos() == 2) {
                ctx.writeAndFlush(ack(PacketType.PUBREC, p.packetId(), ReasonCode.NOT_AUTHORIZED));
            }
        } finally {
            p.release();
        }
    }

    /** deny_action = disconnect: DISCONNECT 0x87 Not authorized (MQTT 3.x: a close); the Will stays due. */
    private void deniedDisconnect(String what) {
        LOG.info("not authorized to {}, disconnecting (deny_action = disconnect) tenant={} clientid={}", what,
                client.tenant(), client.clientId());
        disconnectReason = "not_authorized";
        sendDisconnectAndClose(ReasonCode.NOT_AUTHORIZED, "not authorized to " + what);
    }

    private AckPacket ack(PacketType type, int id, int code) {
        return new AckPacket(type, id, version.isV5() ? code : 0, MqttProperties.EMPTY);
    }

    // ---- inbound QoS 2 release

    private void onPubrel(AckPacket a) {
        boolean known = session.releaseQos2(a.packetId());
        ctx.writeAndFlush(ack(PacketType.PUBCOMP, a.packetId(), known ? 0 : ReasonCode.PACKET_IDENTIFIER_NOT_FOUND),
                ctx.voidPromise());
    }

    // ---- DISCONNECT, AUTH

    private void onDisconnect(DisconnectPacket d) {
        Long expiry = d.properties().sessionExpiryInterval();
        if (expiry != null && session.expiryInterval() == 0 && expiry != 0) {
            violation(ReasonCode.PROTOCOL_ERROR, "session expiry set on DISCONNECT after 0 at CONNECT [MQTT-3.14.2-2]");
            return;
        }
        if (expiry != null) {
            session.expiryInterval(expiry);
        }
        willDue = d.reasonCode() != ReasonCode.NORMAL_DISCONNECTION;
        if (!willDue) {
            session.discardWill(this);
        }
        disconnectReason = "normal";
        markClosing();
        ctx.close();
    }

    /**
     * MQTT 5 re-authentication [MQTT-4.12.1]: AUTH 0x19 starts it with the CONNECT's method, the
     * chain may challenge (AUTH 0x18 both ways), ALLOW answers AUTH 0x00, anything else ends the
     * connection with DISCONNECT 0x87 (or the authenticator's code when DISCONNECT may carry it).
     */
    private void onReauth(AuthPacket a) {
        String method = params.authMethod();
        if (method == null || !method.equals(a.properties().authenticationMethod())) {
            violation(ReasonCode.PROTOCOL_ERROR, "AUTH without the CONNECT's authentication method [MQTT-4.12.0-7]");
            return;
        }
        boolean start = a.reasonCode() == ReasonCode.RE_AUTHENTICATE;
        if (start == (reauthenticator != null) || (!start && a.reasonCode() != ReasonCode.CONTINUE_AUTHENTICATION)) {
            violation(ReasonCode.PROTOCOL_ERROR, "unexpected AUTH reason code 0x" + Integer.toHexString(a.reasonCode()));
            return;
        }
        byte[] data = a.properties().authenticationData();
        AuthRequest request = new AuthRequest(client, client.username(), null, method,
                data == null ? null : ByteBuffer.wrap(data).asReadOnlyBuffer());
        var stage = start ? core.auth().authenticate(request, ctx.executor())
                : core.auth().continueWith(reauthenticator, request, ctx.executor());
        gate.await(stage, outcome ->
                reauthOutcome(method, outcome != null ? outcome : new AuthService.Outcome(AuthResult.ignore(), null)));
    }

    private void reauthOutcome(String method, AuthService.Outcome outcome) {
        AuthResult r = outcome.result();
        MqttProperties.Builder props = MqttProperties.builder().set(PropertyId.AUTHENTICATION_METHOD, method);
        if (r.isChallenge()) {
            reauthenticator = outcome.from();
            ByteBuffer data = r.continueData().duplicate();
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            ctx.writeAndFlush(new AuthPacket(ReasonCode.CONTINUE_AUTHENTICATION,
                    props.set(PropertyId.AUTHENTICATION_DATA, bytes).build()));
            return;
        }
        reauthenticator = null;
        if (r.decision() == Decision.ALLOW) {
            expireCredentialsAt(r.expiresAt()); // the new credentials' deadline, or none
            if (r.continueData() != null) { // the final data of the exchange (SCRAM's server signature)
                ByteBuffer data = r.continueData().duplicate();
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                props.set(PropertyId.AUTHENTICATION_DATA, bytes);
            }
            ctx.writeAndFlush(new AuthPacket(ReasonCode.SUCCESS, props.build()));
        } else {
            disconnectReason = "reauth_failed";
            sendDisconnectAndClose(Protocol.disconnectRefusal(r.reasonCode()),
                    r.reason() != null ? r.reason() : "re-authentication failed");
        }
    }

    // ---- authorization cache (admin API)

    @Override
    public void clearAuthzCache() {
        try {
            channel.eventLoop().execute(authz::clear);
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            // the broker is stopping: the connection and its cache go with it
        }
    }

    @Override
    public java.util.concurrent.CompletionStage<java.util.List<io.aviary.api.auth.AuthzCacheEntry>> authzCache() {
        java.util.concurrent.CompletableFuture<java.util.List<io.aviary.api.auth.AuthzCacheEntry>> out =
                new java.util.concurrent.CompletableFuture<>();
        try {
            channel.eventLoop().execute(() -> out.complete(authz.entries()));
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            out.complete(java.util.List.of());
        }
        return out;
    }

    // ---- violations and closing

    /** A protocol violation: counted, logged once, answered with DISCONNECT (MQTT 5) and the close. */
    private void violation(int reasonCode, String message) {
        Protocol.count(core.counters(), reasonCode);
        LOG.debug("protocol violation tenant={} clientid={} code=0x{}: {}", client.tenant(), client.clientId(),
                Integer.toHexString(reasonCode), message);
        disconnectReason = "protocol_error";
        sendDisconnectAndClose(reasonCode, message);
    }

    private void markClosing() {
        closing = true;
        outbound.stop();
    }

    private void sendDisconnectAndClose(int reasonCode, String reason) {
        if (closing) {
            return;
        }
        markClosing();
        if (version.isV5() && ctx.channel().isActive()) {
            MqttProperties props = Protocol.reasonString(reason);
            GracefulClose.after(ctx, new DisconnectPacket(reasonCode, props));
        } else {
            ctx.close();
        }
    }
}

package io.aviary.broker.transport;

import io.aviary.api.auth.AuthRequest;
import io.aviary.api.auth.AuthResult;
import io.aviary.api.auth.Authenticator;
import io.aviary.api.auth.Decision;
import io.aviary.api.client.ClientInfo;
import io.aviary.broker.BrokerCore;
import io.aviary.broker.auth.AuthService;
import io.aviary.broker.banned.ClientGate;
import io.aviary.broker.config.BrokerSettings;
import io.aviary.broker.session.Tickets;
import io.aviary.broker.tenant.TenantQuotas;
import io.aviary.broker.tenant.TenantResolver;
import io.aviary.mqtt.codec.AuthPacket;
import io.aviary.mqtt.codec.ConnAckPacket;
import io.aviary.mqtt.codec.ConnectPacket;
import io.aviary.mqtt.codec.InvalidPacket;
import io.aviary.mqtt.codec.MqttCodec;
import io.aviary.mqtt.codec.MqttProperties;
import io.aviary.mqtt.codec.MqttVersion;
import io.aviary.mqtt.codec.PropertyId;
import io.aviary.mqtt.codec.ReasonCode;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CONNECT stage of the pipeline: checks the CONNECT against the broker's limits, assigns a
 * client identifier where the version allows, runs the tenant's authentication chain (with MQTT 5
 * enhanced authentication), and on success hands the channel to a {@link SessionHandler} that
 * replaces this handler. Reading is paused while authentication runs so a client cannot pile
 * up packets; those already decoded wait here (bounded) and go to the session handler in order.
 */
public final class ConnectHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectHandler.class);
    private static final int MAX_EARLY_PACKETS = 64;

    private final BrokerCore core;
    private final BrokerSettings settings;
    private final String listener;
    private final String tenant;
    private final ClientGate gate;
    private final ArrayDeque<Object> early = new ArrayDeque<>(1); // rarely used: the smallest array
    private ConnectPacket connect;
    private ClientParams params;
    /** The authenticator's final Authentication Data for the CONNACK (enhanced authentication), or null. */
    private byte[] finalAuthData;
    /** When the authenticator said the credentials expire (epoch ms), 0 for never. */
    private long credentialsExpireAt;
    private Authenticator challenger;
    private ClientInfo pendingClient;
    private boolean waiting;
    /** Set while CONNACK waits for the session record to be durable. */
    private BrokerCore.Opened awaitingDurable;
    private SessionHandler awaitingSession;

    public ConnectHandler(BrokerCore core, String listener) {
        this(core, listener, ClientInfo.DEFAULT_TENANT, ClientGate.open());
    }

    /**
     * {@code tenant}: the tenant the listener is bound to, or "" to resolve each client's (SNI,
     * user@tenant, default); {@code gate} holds the ban list and flapping detection.
     */
    public ConnectHandler(BrokerCore core, String listener, String tenant, ClientGate gate) {
        this.core = core;
        this.gate = gate;
        this.settings = core.settings();
        this.listener = listener;
        this.tenant = tenant;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof InvalidPacket bad) {
            rejectInvalid(ctx, bad);
        } else if (connect == null && msg instanceof ConnectPacket c) {
            onConnect(ctx, c);
        } else if (challenger != null && !waiting && msg instanceof AuthPacket a) {
            onAuth(ctx, a);
        } else if (connect != null && early.size() < MAX_EARLY_PACKETS) {
            early.add(msg);
        } else {
            ReferenceCountUtil.release(msg);
            ctx.close();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == KeepAliveHandler.KeepAliveTimeout) {
            LOG.debug("no CONNECT within idle_timeout from {}", ctx.channel().remoteAddress());
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("connection error before session from {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        early.forEach(ReferenceCountUtil::release);
        early.clear();
        if (awaitingDurable != null) {
            // gone while CONNACK waited for the disk: the session lives on as after any drop
            core.closed(awaitingDurable.session(), awaitingSession, true);
            awaitingDurable = null;
            awaitingSession = null;
        }
        super.channelInactive(ctx);
    }

    private void rejectInvalid(ChannelHandlerContext ctx, InvalidPacket bad) {
        Protocol.count(core.counters(), bad.reasonCode());
        LOG.debug("invalid packet before session from {}: {} ({})", ctx.channel().remoteAddress(),
                bad.message(), ReasonCode.name(bad.reasonCode()));
        MqttVersion v = ctx.channel().attr(MqttCodec.VERSION).get();
        // MQTT 5 may answer any CONNECT error with CONNACK; 3.x only has codes for these two [MQTT-3.2.2-4]
        boolean connackable = bad.isConnect() && ((v != null && v.isV5())
                || bad.reasonCode() == ReasonCode.UNSUPPORTED_PROTOCOL_VERSION
                || bad.reasonCode() == ReasonCode.CLIENT_IDENTIFIER_NOT_VALID);
        if (connackable) {
            MqttProperties props = v != null && v.isV5() ? Protocol.reasonString(bad.message()) : MqttProperties.EMPTY;
            GracefulClose.after(ctx, new ConnAckPacket(false, bad.reasonCode(), props));
        } else {
            ctx.close();
        }
    }

    private void onConnect(ChannelHandlerContext ctx, ConnectPacket c) {
        connect = c;
        boolean v5 = c.version().isV5();
        Peer peer = Peer.of(ctx.channel());
        String clientId = fromCertificate(settings.peerCertAsClientId, peer, c.clientId());
        String username = fromCertificate(settings.peerCertAsUsername, peer, c.username());
        String assigned = null;
        if (clientId.length() > settings.maxClientIdLen) {
            reject(ctx, ReasonCode.CLIENT_IDENTIFIER_NOT_VALID, "client id longer than max_clientid_len");
            return;
        }
        if (clientId.isEmpty()) {
            if (!v5 && (!c.cleanStart() || c.version() == MqttVersion.MQTT_3_1)) {
                reject(ctx, ReasonCode.CLIENT_IDENTIFIER_NOT_VALID, "empty client id needs clean session [MQTT-3.1.3-8]");
                return;
            }
            clientId = "aviary-" + UUID.randomUUID().toString().replace("-", "");
            assigned = v5 ? clientId : null;
        }
        if (c.will() != null && c.will().qos() > settings.maxQos) {
            reject(ctx, ReasonCode.QOS_NOT_SUPPORTED, "will qos above maximum qos [MQTT-3.2.2-12]");
            return;
        }
        if (c.will() != null && c.will().retain() && !settings.retainAvailable) {
            reject(ctx, ReasonCode.RETAIN_NOT_SUPPORTED, "retain not available [MQTT-3.2.2-13]");
            return;
        }
        TenantResolver.Resolution where = core.tenantResolver().resolve(tenant, peer.sniHost(), username);
        if (where.refused()) {
            // the same answer as a wrong password: nothing tells which tenants exist or are suspended
            core.counters().inc("tenant.refused");
            reject(ctx, ReasonCode.BAD_USER_NAME_OR_PASSWORD, "bad user name or password");
            return;
        }
        ClientInfo client = new ClientInfo(where.tenant(), clientId, where.username(), Peer.address(ctx.channel()),
                "mqtt", c.version().level(), listener, peer.certCommonName(), peer.certSubject(), Map.of());
        String ban = gate.refusal(client);
        if (ban != null) {
            reject(ctx, ReasonCode.BANNED, ban);
            return;
        }
        params = ClientParams.of(c, settings, assigned);
        authenticate(ctx, client);
    }

    private void authenticate(ChannelHandlerContext ctx, ClientInfo client) {
        AuthService auth = core.auth();
        String method = connect.properties().authenticationMethod();
        if (!auth.hasAuthenticators(client.tenant())) {
            if (method != null) {
                reject(ctx, ReasonCode.BAD_AUTHENTICATION_METHOD, "no authenticator for method " + method);
            } else if (core.allowAnonymous(client.tenant())) {
                core.counters().tenant(client.tenant()).authAnonymous.increment();
                emitAuthn(client, 0, false, true);
                accept(ctx, client);
            } else {
                core.counters().tenant(client.tenant()).authFailure.increment();
                gate.refused(client);
                emitAuthn(client, ReasonCode.NOT_AUTHORIZED, false, true);
                reject(ctx, ReasonCode.NOT_AUTHORIZED, "anonymous access is not allowed");
            }
            return;
        }
        AuthRequest request = new AuthRequest(client, client.username(), connect.password(), method,
                wrap(connect.properties().authenticationData()));
        waitFor(ctx, client, auth.authenticate(request, ctx.executor()));
    }

    private void onAuth(ChannelHandlerContext ctx, AuthPacket a) {
        String method = connect.properties().authenticationMethod();
        if (a.reasonCode() != ReasonCode.CONTINUE_AUTHENTICATION
                || !java.util.Objects.equals(method, a.properties().authenticationMethod())) {
            Protocol.count(core.counters(), ReasonCode.PROTOCOL_ERROR);
            reject(ctx, ReasonCode.PROTOCOL_ERROR, "AUTH must continue with the same method [MQTT-4.12.0-5]");
            return;
        }
        ClientInfo client = pendingClient;
        AuthRequest request = new AuthRequest(client, client.username(), connect.password(), method,
                wrap(a.properties().authenticationData()));
        waitFor(ctx, client, core.auth().continueWith(challenger, request, ctx.executor()));
    }

    private void waitFor(ChannelHandlerContext ctx, ClientInfo client,
                         java.util.concurrent.CompletionStage<AuthService.Outcome> stage) {
        pendingClient = client;
        waiting = true;
        ctx.channel().config().setAutoRead(false);
        stage.whenComplete((outcome, e) -> ctx.executor().execute(() -> {
            waiting = false;
            if (ctx.channel().isActive()) {
                onOutcome(ctx, client, e != null ? new AuthService.Outcome(AuthResult.ignore(), null) : outcome);
            }
        }));
    }

    private void onOutcome(ChannelHandlerContext ctx, ClientInfo client, AuthService.Outcome outcome) {
        AuthResult r = outcome.result();
        if (r.isChallenge()) {
            challenge(ctx, outcome);
        } else if (r.decision() == Decision.ALLOW) {
            core.counters().tenant(client.tenant()).authSuccess.increment();
            java.util.Map<String, String> attributes = r.attributes();
            if (r.superuser()) { // superusers skip authorization (Authorization.needed)
                attributes = new java.util.HashMap<>(attributes);
                attributes.put(Authorization.SUPERUSER, "true");
            }
            emitAuthn(client, 0, r.superuser(), false);
            finalAuthData = r.continueData() == null ? null : bytes(r.continueData());
            credentialsExpireAt = r.expiresAt();
            accept(ctx, attributes.isEmpty() ? client : client.withAttributes(attributes));
        } else if (r.decision() == Decision.DENY) {
            core.counters().tenant(client.tenant()).authFailure.increment();
            gate.refused(client);
            int code = Protocol.connackRefusal(r.reasonCode());
            emitAuthn(client, code, false, false);
            reject(ctx, code, r.reason() != null ? r.reason() : "authentication denied");
        } else if (core.admitIgnoredByChain(client.tenant()) && connect.properties().authenticationMethod() == null) {
            core.counters().tenant(client.tenant()).authAnonymous.increment();
            emitAuthn(client, 0, false, true);
            accept(ctx, client);
        } else {
            core.counters().tenant(client.tenant()).authFailure.increment();
            gate.refused(client);
            emitAuthn(client, ReasonCode.NOT_AUTHORIZED, false, true);
            reject(ctx, ReasonCode.NOT_AUTHORIZED, "no authenticator accepted the client");
        }
    }

    private static byte[] bytes(ByteBuffer data) {
        ByteBuffer view = data.duplicate();
        byte[] out = new byte[view.remaining()];
        view.get(out);
        return out;
    }

    private void challenge(ChannelHandlerContext ctx, AuthService.Outcome outcome) {
        String method = connect.properties().authenticationMethod();
        if (!connect.version().isV5() || method == null) {
            reject(ctx, ReasonCode.NOT_AUTHORIZED, "authenticator asked for a challenge the client cannot answer");
            return;
        }
        challenger = outcome.from();
        ByteBuffer data = outcome.result().continueData().duplicate();
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        MqttProperties props = MqttProperties.builder().set(PropertyId.AUTHENTICATION_METHOD, method)
                .set(PropertyId.AUTHENTICATION_DATA, bytes).build();
        ctx.writeAndFlush(new AuthPacket(ReasonCode.CONTINUE_AUTHENTICATION, props));
        ctx.channel().config().setAutoRead(true);
    }

    private void reject(ChannelHandlerContext ctx, int code, String reason) {
        LOG.debug("CONNECT refused clientid={} code={} ({}): {}", connect.clientId(), Integer.toHexString(code),
                ReasonCode.name(code), reason);
        MqttProperties props = connect.version().isV5() && params != null && params.problemInfo()
                ? Protocol.reasonString(reason) : MqttProperties.EMPTY;
        emitConnack(code);
        if (!connect.version().isV5() && !hasV3ReturnCode(code)) {
            ctx.close(); // no 3.x return code applies: close without CONNACK [MQTT-3.2.2-6]
            return;
        }
        GracefulClose.after(ctx, new ConnAckPacket(false, code, props));
    }

    /** True when a 3.1.1 CONNACK return code (0x01-0x05) says what {@code code} means. */
    public static boolean hasV3ReturnCode(int code) {
        return ReasonCode.toV3ConnackCode(code) != ReasonCode.CONNACK_V3_SERVER_UNAVAILABLE
                || code == ReasonCode.SERVER_UNAVAILABLE || code == ReasonCode.SERVER_BUSY;
    }

    /** client.check_authn_complete, for rules and other listeners. */
    private void emitAuthn(ClientInfo client, int code, boolean superuser, boolean anonymous) {
        if (core.events().active()) {
            core.events().emit(l -> l.authnComplete(client, code, superuser, anonymous));
        }
    }

    private void emitConnack(int code) {
        if (core.events().active()) {
            ClientInfo c = pendingClient != null ? pendingClient : new ClientInfo(
                    tenant.isEmpty() ? ClientInfo.DEFAULT_TENANT : tenant,
                    connect.clientId(), connect.username(), null, "mqtt", connect.version().level(), listener,
                    null, null, Map.of());
            core.events().emit(l -> l.clientConnack(c, code));
        }
    }

    /**
     * Opens the session, answers CONNACK and replaces this stage with the session stage. For a
     * persistent session in durable mode, CONNACK waits (off the event loop, like PUBACK) until
     * the session record is on disk: a session present flag, or a session the client relies on,
     * is never one a crash right after CONNACK would lose. Packets meanwhile wait in {@link #early}.
     */
    private void accept(ChannelHandlerContext ctx, ClientInfo client) {
        pendingClient = client;
        Runnable[] release = new Runnable[1];
        TenantQuotas.Refusal quota = core.quotas().admitConnection(client.tenant(), client.clientId(), release);
        if (quota != null) {
            LOG.info("CONNECT refused tenant={} clientid={}: {}", client.tenant(), client.clientId(), quota.reason());
            // MQTT 3.1.1 has no quota code: 3 (server unavailable) says "not now"
            reject(ctx, connect.version().isV5() ? quota.reasonCode() : ReasonCode.SERVER_UNAVAILABLE, quota.reason());
            return;
        }
        ctx.channel().closeFuture().addListener(f -> release[0].run());
        SessionHandler session = new SessionHandler(ctx.channel(), core, client, connect.version(), params);
        Tickets.take(); // forget writes of earlier work on this event loop
        BrokerCore.Opened opened = core.open(client, connect.cleanStart(), params.keepAlive(),
                params.sessionExpiry(), session);
        session.bind(opened.session());
        if (credentialsExpireAt > 0) {
            session.expireCredentialsAt(credentialsExpireAt);
        }
        if (connect.will() != null) {
            long delay = connect.version().isV5() && connect.will().properties().willDelayInterval() != null
                    ? connect.will().properties().willDelayInterval() : 0;
            opened.session().will(new io.aviary.broker.session.WillMessage(client, connect.will(), delay));
        }
        ClientGate clientGate = gate; // not this handler: the listener outlives it, and so would its packets
        ctx.channel().closeFuture().addListener(f -> clientGate.disconnected(client));
        long ticket = Tickets.take();
        if (ticket == 0) {
            connected(ctx, session, client, opened);
            return;
        }
        ctx.channel().config().setAutoRead(false);
        awaitingDurable = opened;
        awaitingSession = session;
        core.afterDurable(ticket, () -> ctx.executor().execute(() -> {
            if (awaitingDurable == opened) {
                awaitingDurable = null;
                awaitingSession = null;
                connected(ctx, session, client, opened);
            }
        }));
    }

    /** Writes CONNACK and hands the connection to the session stage. */
    private void connected(ChannelHandlerContext ctx, SessionHandler session, ClientInfo client, BrokerCore.Opened opened) {
        emitConnack(ReasonCode.SUCCESS);
        ctx.writeAndFlush(new ConnAckPacket(opened.present(), ReasonCode.SUCCESS, params.connackProperties(settings, core.maxQos(client.tenant()), finalAuthData)));
        LOG.debug("connected tenant={} clientid={} v={} clean={} present={}", client.tenant(), client.clientId(),
                connect.version().level(), connect.cleanStart(), opened.present());
        switchToSession(ctx, session, client);
    }

    private void switchToSession(ChannelHandlerContext ctx, SessionHandler session, ClientInfo client) {
        long window = KeepAliveHandler.windowMs(params.keepAlive(), settings.keepaliveMultiplier);
        if (window == 0) {
            ctx.pipeline().remove("idle");
        } else {
            ctx.pipeline().replace("idle", "keepalive", new KeepAliveHandler(window));
        }
        ctx.pipeline().replace(this, "session", session);
        ChannelHandlerContext sessionCtx = ctx.pipeline().context(session);
        session.start(sessionCtx);
        if (core.events().clientActive()) {
            core.events().emitClient(l -> l.clientConnected(client, connect.cleanStart(), params.keepAlive(),
                    params.sessionExpiry()));
        }
        while (!early.isEmpty() && ctx.channel().isActive()) {
            session.channelRead(sessionCtx, early.poll());
        }
        ctx.channel().config().setAutoRead(true);
    }

    /** peer_cert_as_username / peer_cert_as_clientid: "cn" or "dn" of the client certificate, when there is one. */
    private static String fromCertificate(String mode, Peer peer, String given) {
        String fromCert = switch (mode) {
            case "cn" -> peer.certCommonName();
            case "dn" -> peer.certSubject();
            default -> null;
        };
        return fromCert != null ? fromCert : given;
    }

    private static ByteBuffer wrap(byte[] data) {
        return data == null ? null : ByteBuffer.wrap(data).asReadOnlyBuffer();
    }
}

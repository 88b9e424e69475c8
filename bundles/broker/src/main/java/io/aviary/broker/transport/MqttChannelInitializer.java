package io.aviary.broker.transport;

import io.aviary.broker.BrokerCore;
import io.aviary.broker.banned.ClientGate;
import io.aviary.broker.config.ListenerSpec;
import io.aviary.broker.config.WsOptions;
import io.aviary.mqtt.codec.MqttDecoder;
import io.aviary.mqtt.codec.MqttEncoder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.Mapping;

/**
 * Builds one MQTT connection's pipeline so that it reads as the protocol does:
 * limits, then framing (PROXY header, TLS, WebSocket, each only where the listener has it),
 * then MQTT decode/encode, idle/keep alive, and the CONNECT stage (which replaces itself with the
 * session stage). Everything from the decoder on is the same for every transport.
 */
public final class MqttChannelInitializer extends ChannelInitializer<Channel> {

    private final BrokerCore core;
    private final ListenerSpec spec;
    private final ConnectionLimiter limiter;
    private final ByteCounter bytes;
    private final ReloadingSslContext tls;
    private final TrustedProxies trusted;
    private final ClientGate gate;
    private final ChannelGroup open;

    public MqttChannelInitializer(BrokerCore core, String listener, ConnectionLimiter limiter) {
        this(core, new ListenerSpec("tcp", listener, "0.0.0.0", 0, true, 0), limiter, null, ClientGate.open(), null);
    }

    /** @param open the listener's open connections (closed when it stops), or null */
    public MqttChannelInitializer(BrokerCore core, ListenerSpec spec, ConnectionLimiter limiter, ReloadingSslContext tls,
                                  ClientGate gate, ChannelGroup open) {
        this.core = core;
        this.gate = gate;
        this.open = open;
        this.spec = spec;
        this.limiter = limiter;
        this.bytes = new ByteCounter(core.counters());
        this.tls = tls;
        this.trusted = new TrustedProxies(spec.ws() == null ? java.util.List.of() : spec.ws().trustedProxies());
    }

    @Override
    protected void initChannel(Channel ch) {
        if (open != null) {
            open.add(ch);
        }
        ChannelPipeline p = ch.pipeline();
        p.addLast("bytes", bytes);
        p.addLast("flush", new FlushConsolidationHandler(256, true));
        p.addLast("limit", limiter);
        if (spec.proxyProtocol()) {
            ProxyProtocolStage stage = new ProxyProtocolStage(spec.id(), core.counters());
            p.addLast("proxy-check", new ProxyProtocolStage.FirstByte(stage));
            p.addLast("proxy-decoder", new HAProxyMessageDecoder());
            p.addLast("proxy", stage);
        }
        if (tls != null) {
            // SniHandler reads the ClientHello's host name (tenant resolution), then puts the SslHandler in its place
            p.addLast("tls", new SniHandler((Mapping<String, SslContext>) host -> tls.current()));
            p.addLast("tls-handshake", new TlsHandshakeStage(spec.id(), core.counters()));
        }
        if (spec.websocket()) {
            addWebSocket(p, spec.ws() == null ? WsOptions.DEFAULTS : spec.ws());
        }
        if (spec.bytesRate() > 0) {
            p.addLast("bytes-rate", new ReadThrottle(ReadThrottle.Unit.BYTES, spec.bytesRate()));
        }
        p.addLast("decoder", new MqttDecoder(core.settings().maxPacketSize));
        if (spec.messagesRate() > 0) {
            p.addLast("messages-rate", new ReadThrottle(ReadThrottle.Unit.MESSAGES, spec.messagesRate()));
        }
        p.addLast("encoder", MqttEncoder.INSTANCE);
        p.addLast("idle", new KeepAliveHandler(core.settings().idleTimeoutMs));
        p.addLast("connect", new ConnectHandler(core, spec.id(), spec.tenant(), gate));
        core.counters().connections.increment();
    }

    private void addWebSocket(ChannelPipeline p, WsOptions ws) {
        int maxFrame = ws.maxFrameSize() > 0 ? ws.maxFrameSize()
                : (int) Math.min(Integer.MAX_VALUE - 16, core.settings().maxPacketSize + 16);
        p.addLast("http", new HttpServerCodec());
        p.addLast("http-aggregator", new HttpObjectAggregator(16 * 1024));
        p.addLast("ws-guard", new WebSocketUpgradeGuard(spec.id(), ws, trusted));
        p.addLast("ws", new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                .websocketPath(ws.mqttPath())
                .subprotocols(String.join(",", ws.subprotocols()))
                .maxFramePayloadLength(maxFrame)
                .handleCloseFrames(true)
                .dropPongFrames(true)
                .handshakeTimeoutMillis(core.settings().idleTimeoutMs)
                .build()));
        p.addLast("ws-frames", WebSocketFrames.INSTANCE);
    }
}

package io.aviary.broker.transport;

import io.aviary.broker.BrokerCore;
import io.aviary.mqtt.codec.MqttDecoder;
import io.aviary.mqtt.codec.MqttEncoder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;

/**
 * Builds one MQTT connection's pipeline so that it reads as the protocol does:
 * flush consolidation, connection limit, decoder, encoder, idle/keep alive, CONNECT stage
 * (which replaces itself with the session stage). A TLS or WebSocket listener adds its own
 * framing in front of the decoder and reuses everything after it.
 */
public final class MqttChannelInitializer extends ChannelInitializer<Channel> {

    private final BrokerCore core;
    private final String listener;
    private final ConnectionLimiter limiter;
    private final ByteCounter bytes;

    public MqttChannelInitializer(BrokerCore core, String listener, ConnectionLimiter limiter) {
        this.core = core;
        this.listener = listener;
        this.limiter = limiter;
        this.bytes = new ByteCounter(core.counters());
    }

    @Override
    protected void initChannel(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        p.addLast("bytes", bytes);
        p.addLast("flush", new FlushConsolidationHandler(256, true));
        p.addLast("limit", limiter);
        p.addLast("decoder", new MqttDecoder(core.settings().maxPacketSize));
        p.addLast("encoder", MqttEncoder.INSTANCE);
        p.addLast("idle", new KeepAliveHandler(core.settings().idleTimeoutMs));
        p.addLast("connect", new ConnectHandler(core, listener));
        core.counters().connections.increment();
    }
}

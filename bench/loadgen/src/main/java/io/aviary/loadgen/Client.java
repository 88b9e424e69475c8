package io.aviary.loadgen;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;

/**
 * One MQTT connection of the generator: CONNECT, then SUBSCRIBE when it is a subscriber, then it
 * receives (answering QoS 1/2 flows) and, when it is a publisher, sends through its Publisher.
 * Replies written while reading are flushed once per read turn (channelReadComplete).
 */
final class Client extends ChannelInboundHandlerAdapter {
    /** Told when a client is ready (connected and, for a subscriber, subscribed) or has failed. */
    interface Listener {
        void ready(Client client);

        void failed(Client client, String reason);
    }

    private static final MqttFixedHeader PUBACK = new MqttFixedHeader(MqttMessageType.PUBACK, false, MqttQoS.AT_MOST_ONCE, false, 2);
    private static final MqttFixedHeader PUBREC = new MqttFixedHeader(MqttMessageType.PUBREC, false, MqttQoS.AT_MOST_ONCE, false, 2);
    private static final MqttFixedHeader PUBREL = new MqttFixedHeader(MqttMessageType.PUBREL, false, MqttQoS.AT_LEAST_ONCE, false, 2);
    private static final MqttFixedHeader PUBCOMP = new MqttFixedHeader(MqttMessageType.PUBCOMP, false, MqttQoS.AT_MOST_ONCE, false, 2);

    final int index;
    final String clientId;
    private final Options options;
    private final Stats stats;
    private final Listener listener;
    private final String subscribeTo;
    final Publisher publisher;
    volatile Channel channel;
    /** Opens this client's connection (on its event loop) and learns when it is settled. */
    ConnectPacer pacer;
    /** Messages this client received (read on the event loop, and by the runner after the loops stopped). */
    long received;
    private boolean settled;
    private boolean closing;
    private boolean needsFlush;

    Client(int index, String clientId, Options options, Stats stats, Listener listener, String subscribeTo,
           Publisher publisher) {
        this.index = index;
        this.clientId = clientId;
        this.options = options;
        this.stats = stats;
        this.listener = listener;
        this.subscribeTo = subscribeTo;
        this.publisher = publisher;
    }

    boolean isSubscriber() {
        return subscribeTo != null;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        MqttMessageBuilders.ConnectBuilder connect = MqttMessageBuilders.connect()
                .clientId(clientId)
                .protocolVersion(options.version == 5 ? MqttVersion.MQTT_5 : MqttVersion.MQTT_3_1_1)
                .cleanSession(options.cleanStart)
                .keepAlive(options.keepAlive);
        if (options.username != null) {
            connect.hasUser(true).username(options.username);
        }
        if (options.password != null) {
            connect.hasPassword(true).password(options.password.getBytes(StandardCharsets.UTF_8));
        }
        ctx.writeAndFlush(connect.build(), ctx.voidPromise());
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        MqttMessage m = (MqttMessage) msg;
        if (m.decoderResult().isFailure()) {
            fail(ctx, "undecodable packet: " + m.decoderResult().cause());
            return;
        }
        switch (m.fixedHeader().messageType()) {
            case PUBLISH -> onPublish(ctx, (MqttPublishMessage) m);
            case PUBACK -> onAck(m, MqttMessageType.PUBACK);
            case PUBREC -> onPubrec(ctx, m);
            case PUBREL -> write(ctx, new MqttMessage(PUBCOMP, MqttMessageIdVariableHeader.from(id(m))));
            case PUBCOMP -> onAck(m, MqttMessageType.PUBCOMP);
            case CONNACK -> onConnack(ctx, (MqttConnAckMessage) m);
            case SUBACK -> onSuback(ctx, (MqttSubAckMessage) m);
            case PINGRESP -> { }
            case DISCONNECT -> fail(ctx, "DISCONNECT from the broker");
            default -> fail(ctx, "unexpected " + m.fixedHeader().messageType());
        }
    }

    private void onPublish(ChannelHandlerContext ctx, MqttPublishMessage m) {
        try {
            ByteBuf payload = m.payload();
            if (payload.readableBytes() >= Long.BYTES) {
                stats.recordLatency(System.nanoTime() - payload.getLong(payload.readerIndex()));
            }
            received++;
            stats.received.increment();
            int qos = m.fixedHeader().qosLevel().value();
            if (qos == 1) {
                write(ctx, new MqttMessage(PUBACK, MqttMessageIdVariableHeader.from(m.variableHeader().packetId())));
            } else if (qos == 2) {
                write(ctx, new MqttMessage(PUBREC, MqttMessageIdVariableHeader.from(m.variableHeader().packetId())));
            }
        } finally {
            m.release();
        }
    }

    private void onAck(MqttMessage m, MqttMessageType type) {
        if (publisher == null || !publisher.complete(id(m), failedReason(m))) {
            stats.errors.increment(); // an ack for nothing in flight
        }
    }

    private void onPubrec(ChannelHandlerContext ctx, MqttMessage m) {
        int id = id(m);
        if (publisher == null || !publisher.isInflight(id)) {
            stats.errors.increment();
            return;
        }
        if (failedReason(m)) {
            publisher.complete(id, true); // refused: the flow ends at PUBREC
            return;
        }
        write(ctx, new MqttMessage(PUBREL, MqttMessageIdVariableHeader.from(id)));
    }

    private static int id(MqttMessage m) {
        return ((MqttMessageIdVariableHeader) m.variableHeader()).messageId();
    }

    /** MQTT 5 reason codes of 0x80 and above are refusals (e.g. quota exceeded, not authorised). */
    private static boolean failedReason(MqttMessage m) {
        return m.variableHeader() instanceof MqttPubReplyMessageVariableHeader r && (r.reasonCode() & 0xFF) >= 0x80;
    }

    private void onConnack(ChannelHandlerContext ctx, MqttConnAckMessage m) {
        MqttConnectReturnCode code = m.variableHeader().connectReturnCode();
        if (code != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
            fail(ctx, "CONNACK " + code);
            return;
        }
        stats.connected.increment();
        if (publisher != null && options.version == 5) {
            MqttProperties.MqttProperty<?> max = m.variableHeader().properties()
                    .getProperty(MqttProperties.RECEIVE_MAXIMUM);
            if (max != null) {
                publisher.limitWindow((Integer) max.value());
            }
        }
        if (subscribeTo != null) {
            ctx.writeAndFlush(MqttMessageBuilders.subscribe().messageId(1)
                    .addSubscription(MqttQoS.valueOf(options.subQos), subscribeTo).build(), ctx.voidPromise());
        } else {
            settle(true, null);
        }
    }

    private void onSuback(ChannelHandlerContext ctx, MqttSubAckMessage m) {
        int code = m.payload().reasonCodes().get(0);
        if (code >= 0x80) {
            fail(ctx, "SUBACK 0x" + Integer.toHexString(code) + " for " + subscribeTo);
            return;
        }
        settle(true, null);
    }

    private void write(ChannelHandlerContext ctx, MqttMessage reply) {
        ctx.write(reply, ctx.voidPromise());
        needsFlush = true;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (needsFlush) {
            needsFlush = false;
            ctx.flush();
        }
        if (publisher != null) {
            publisher.pump(ctx.channel()); // acknowledgements freed window slots
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (publisher != null && ctx.channel().isWritable()) {
            publisher.pump(ctx.channel());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stats.closed.increment();
        if (publisher != null) {
            publisher.stop();
        }
        if (!closing) {
            stats.unexpectedCloses.increment();
            settle(false, "connection closed by the broker");
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!closing) {
            stats.errors.increment();
            fail(ctx, cause.toString());
        }
    }

    /** The connection attempt itself failed (refused, timed out, TLS handshake). */
    void connectFailed(Throwable cause) {
        settle(false, cause.toString());
    }

    private void fail(ChannelHandlerContext ctx, String reason) {
        settle(false, reason);
        ctx.close();
    }

    private void settle(boolean ok, String reason) {
        if (settled) {
            return;
        }
        settled = true;
        if (ok) {
            listener.ready(this);
        } else {
            stats.connFailed.increment();
            listener.failed(this, reason);
        }
    }

    /** On the event loop: PINGREQ, so that long holds outlast the keep-alive. */
    void ping() {
        Channel ch = channel;
        if (Transport.isOpen(ch) && !closing) {
            ch.writeAndFlush(MqttMessage.PINGREQ, ch.voidPromise());
        }
    }

    /**
     * A normal end: DISCONNECT, and the broker closes the connection. Leaving the close to the
     * broker keeps TIME_WAIT sockets off the generator's side, where thousands of them would make
     * the kernel's search for a free source port (and so the next run's connection rate) slow.
     * Safe from any thread.
     */
    void disconnect() {
        Channel ch = channel;
        if (ch == null) {
            return;
        }
        ch.eventLoop().execute(() -> {
            closing = true;
            if (publisher != null) {
                publisher.stop();
            }
            if (ch.isActive()) {
                ch.writeAndFlush(MqttMessage.DISCONNECT, ch.voidPromise());
            }
        });
    }
}

package io.aviary.broker.transport;

import io.aviary.mqtt.codec.PublishPacket;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * A client's inbound rate limit (listener keys messages_rate and bytes_rate). Each message or
 * byte takes a token; once the client's bucket is in debt, the broker stops reading its socket
 * and holds what the last read already brought (at most one read's worth) until tokens come
 * back. Nothing is dropped: TCP flow control slows the client down (back-pressure), as EMQX's
 * limiter does. One instance per connection, used only on its event loop.
 */
final class ReadThrottle extends ChannelInboundHandlerAdapter {
    /** What is counted. */
    enum Unit { BYTES, MESSAGES }

    private final Unit unit;
    private final TokenBucket bucket;
    private final ArrayDeque<Object> held = new ArrayDeque<>();
    private boolean drainScheduled;

    ReadThrottle(Unit unit, double perSecond) {
        this.unit = unit;
        this.bucket = new TokenBucket(perSecond, Math.max(1, perSecond)); // a second's worth of burst
    }

    private long cost(Object msg) {
        return unit == Unit.BYTES ? (msg instanceof ByteBuf b ? b.readableBytes() : 0)
                : (msg instanceof PublishPacket ? 1 : 0);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        long cost = cost(msg);
        if (held.isEmpty() && (cost == 0 || bucket.takeIfNotInDebt(cost))) {
            ctx.fireChannelRead(msg);
            return;
        }
        held.add(msg);
        ctx.channel().config().setAutoRead(false);
        scheduleDrain(ctx);
    }

    private void scheduleDrain(ChannelHandlerContext ctx) {
        if (!drainScheduled) {
            drainScheduled = true;
            ctx.executor().schedule(() -> drain(ctx), Math.max(1, bucket.nanosUntilNotInDebt()), TimeUnit.NANOSECONDS);
        }
    }

    private void drain(ChannelHandlerContext ctx) {
        drainScheduled = false;
        while (!held.isEmpty() && ctx.channel().isActive()) {
            long cost = cost(held.peek());
            if (cost > 0 && !bucket.takeIfNotInDebt(cost)) {
                scheduleDrain(ctx);
                return;
            }
            ctx.fireChannelRead(held.poll());
        }
        if (ctx.channel().isActive()) {
            ctx.channel().config().setAutoRead(true);
            ctx.read();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        held.forEach(ReferenceCountUtil::release);
        held.clear();
        super.channelInactive(ctx);
    }
}

package io.aviary.broker.transport;

import io.aviary.broker.util.Counters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Counts the bytes every MQTT connection reads and writes (EMQX's bytes.received / bytes.sent),
 * at the head of the pipeline so it sees the wire, not packets. One shared instance; each
 * read or write costs one LongAdder add, no allocation.
 */
@ChannelHandler.Sharable
final class ByteCounter extends ChannelDuplexHandler {

    private final Counters counters;

    ByteCounter(Counters counters) {
        this.counters = counters;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        counters.bytesReceived.add(size(msg));
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        counters.bytesSent.add(size(msg));
        ctx.write(msg, promise);
    }

    private static int size(Object msg) {
        if (msg instanceof ByteBuf b) {
            return b.readableBytes();
        }
        return msg instanceof ByteBufHolder h ? h.content().readableBytes() : 0;
    }
}

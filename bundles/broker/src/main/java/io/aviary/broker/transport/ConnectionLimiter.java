package io.aviary.broker.transport;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces a listener's max_connections: a connection over the limit is closed as soon as it
 * is accepted, before any byte is read. Shared by all channels of one listener.
 */
@ChannelHandler.Sharable
public final class ConnectionLimiter extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimiter.class);

    private final String listener;
    private final long max;
    private final AtomicLong open = new AtomicLong();

    public ConnectionLimiter(String listener, long max) {
        this.listener = listener;
        this.max = max;
    }

    public long open() {
        return open.get();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        long now = open.incrementAndGet();
        if (max > 0 && now > max) {
            LOG.debug("listener {} at max_connections {}, refusing {}", listener, max, ctx.channel().remoteAddress());
            ctx.close();
            return;
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        open.decrementAndGet();
        super.channelInactive(ctx);
    }
}

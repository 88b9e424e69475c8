package io.aviary.broker.transport;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces a listener's max_connections and max_conn_rate: a connection over either limit is
 * closed as soon as it is accepted, before any byte is read. The rate is a token bucket refilled
 * at max_conn_rate per second and holding max_conn_burst tokens, so a burst after a quiet spell
 * is admitted and a sustained flood is cut to the rate. Shared by all channels of one listener.
 */
@ChannelHandler.Sharable
public final class ConnectionLimiter extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimiter.class);

    private final String listener;
    private final long max;
    private final AtomicLong open = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final TokenBucket rate;

    public ConnectionLimiter(String listener, long max) {
        this(listener, max, 0, 0);
    }

    public ConnectionLimiter(String listener, long max, double perSecond, long burst) {
        this.listener = listener;
        this.max = max;
        this.rate = perSecond > 0 ? new TokenBucket(perSecond, burst > 0 ? burst : Math.max(1, (long) perSecond)) : null;
    }

    public long open() {
        return open.get();
    }

    public long refused() {
        return refused.get();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        long now = open.incrementAndGet();
        if (max > 0 && now > max) {
            refused.incrementAndGet();
            LOG.debug("listener {} at max_connections {}, refusing {}", listener, max, ctx.channel().remoteAddress());
            ctx.close();
            return;
        }
        if (rate != null && !rate.take()) {
            refused.incrementAndGet();
            LOG.debug("listener {} over max_conn_rate, refusing {}", listener, ctx.channel().remoteAddress());
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

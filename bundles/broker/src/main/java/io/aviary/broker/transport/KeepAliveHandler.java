package io.aviary.broker.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection that has sent nothing for too long: before CONNECT for idle_timeout, after
 * it for keep alive x keepalive_multiplier [MQTT-3.1.2-22]. It only signals: the next handler
 * turns {@link KeepAliveTimeout} into a DISCONNECT 0x8D (MQTT 5) and the close.
 */
public final class KeepAliveHandler extends IdleStateHandler {

    /** Fired down the pipeline when the reader has been idle for the allowed time. */
    public static final Object KeepAliveTimeout = new Object() {
        @Override
        public String toString() {
            return "KeepAliveTimeout";
        }
    };

    public KeepAliveHandler(long timeoutMs) {
        super(timeoutMs, 0, 0, TimeUnit.MILLISECONDS);
    }

    /** The keep-alive window in ms for a keep alive in seconds, or 0 when keep alive is off. */
    public static long windowMs(int keepAliveSeconds, double multiplier) {
        return keepAliveSeconds == 0 ? 0 : (long) Math.ceil(keepAliveSeconds * 1000L * multiplier);
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
        if (evt.state() == io.netty.handler.timeout.IdleState.READER_IDLE) {
            ctx.fireUserEventTriggered(KeepAliveTimeout);
        }
    }
}

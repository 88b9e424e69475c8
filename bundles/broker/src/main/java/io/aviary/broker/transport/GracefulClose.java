package io.aviary.broker.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * Ends a connection after the broker's last packet (a refusing CONNACK, a DISCONNECT) so that
 * the client reliably reads that packet and its reason code.
 *
 * <p>Closing a socket whose receive buffer still holds unread client bytes (say, PUBLISHes the
 * client pipelined before it saw the refusal) makes the kernel send RST, and an RST makes the
 * client's kernel drop the CONNACK or DISCONNECT it has not read yet. So, as HTTP servers do with
 * a "lingering close", the broker half-closes: it shuts its output down after the last packet
 * (the client sees the packet, then end of stream), discards whatever still arrives, and closes
 * when the client closes its side or after {@link #LINGER_MS}, whichever comes first. The
 * session is already released by then: callers mark the connection as closing first.
 */
final class GracefulClose {
    /** How long a half-closed connection waits for the client to close its side. */
    static final long LINGER_MS = 2_000;

    private GracefulClose() {
    }

    /** Writes {@code lastPacket}, then ends the connection as described above. */
    static void after(ChannelHandlerContext ctx, Object lastPacket) {
        ctx.writeAndFlush(lastPacket).addListener(f -> close(ctx.channel()));
    }

    /**
     * Ends the connection without a last packet of its own (what was written before still
     * arrives). Each transport ends its own way: TCP half-closes; TLS first sends close_notify
     * through the SslHandler (a bare FIN under TLS looks like a truncation attack to the client);
     * WebSocket sends a Close frame, and the WebSocket handler closes when the client answers.
     */
    static void close(Channel channel) {
        if (!(channel instanceof DuplexChannel duplex) || !channel.isActive() || duplex.isOutputShutdown()) {
            channel.close();
            return;
        }
        ChannelPipeline p = channel.pipeline();
        if (p.get(Discard.class) == null) {
            if (p.get("decoder") != null) {
                p.addBefore("decoder", "discard", Discard.INSTANCE);
            } else {
                p.addFirst(Discard.INSTANCE);
            }
        }
        channel.config().setAutoRead(true);
        SslHandler tls = p.get(SslHandler.class);
        if (p.get(WebSocketServerProtocolHandler.class) != null) {
            channel.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE));
        } else if (tls != null) {
            tls.closeOutbound().addListener(f -> shutdownOutput(duplex));
        } else {
            shutdownOutput(duplex);
        }
        channel.eventLoop().schedule((Runnable) channel::close, LINGER_MS, TimeUnit.MILLISECONDS);
    }

    private static void shutdownOutput(DuplexChannel duplex) {
        duplex.shutdownOutput().addListener(f -> {
            if (!f.isSuccess()) {
                duplex.close();
            }
        });
    }

    /** Drops every inbound byte of a connection that is ending, so none is decoded or held. */
    @ChannelHandler.Sharable
    private static final class Discard extends ChannelInboundHandlerAdapter {
        static final Discard INSTANCE = new Discard();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}

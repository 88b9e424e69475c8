package io.aviary.broker.transport;

import io.aviary.broker.util.Counters;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Behind Netty's HAProxyMessageDecoder on a listener with proxy_protocol = true: takes the
 * client's real address from the PROXY v1/v2 header and removes itself (the decoder removes
 * itself too). A missing or malformed header makes the decoder fail, and the connection closes.
 */
final class ProxyProtocolStage extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyProtocolStage.class);
    static final String FAILURES = "proxy_protocol.failed";

    private final String listener;
    private final Counters counters;

    ProxyProtocolStage(String listener, Counters counters) {
        this.listener = listener;
        this.counters = counters;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HAProxyMessage header)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (header.command() == HAProxyCommand.PROXY && header.sourceAddress() != null) {
                InetAddress source = NetUtil.createInetAddressFromIpAddressString(header.sourceAddress());
                if (source != null) {
                    Peer.of(ctx.channel()).address(new InetSocketAddress(source, header.sourcePort()));
                }
            }
        } finally {
            header.release();
        }
        ctx.pipeline().remove(this);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        counters.inc(FAILURES);
        LOG.debug("listener {}: bad PROXY protocol header from {}: {}", listener, ctx.channel().remoteAddress(),
                cause.toString());
        ctx.close();
    }

    /**
     * In front of the decoder: a PROXY header starts with "P" (v1, "PROXY ") or CR (v2's
     * signature). Netty's decoder would wait for up to 108 bytes of anything else before it gives
     * up, so a client that skips the header (an MQTT CONNECT starts with 0x10) is closed at once.
     */
    static final class FirstByte extends ChannelInboundHandlerAdapter {
        private final ProxyProtocolStage stage;

        FirstByte(ProxyProtocolStage stage) {
            this.stage = stage;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof io.netty.buffer.ByteBuf buf && buf.isReadable()) {
                byte first = buf.getByte(buf.readerIndex());
                if (first != 'P' && first != 0x0D) {
                    buf.release();
                    stage.exceptionCaught(ctx, new io.netty.handler.codec.haproxy.HAProxyProtocolException(
                            "no PROXY protocol header (first byte 0x" + Integer.toHexString(first & 0xFF) + ")"));
                    return;
                }
                ctx.pipeline().remove(this);
            }
            ctx.fireChannelRead(msg);
        }
    }
}

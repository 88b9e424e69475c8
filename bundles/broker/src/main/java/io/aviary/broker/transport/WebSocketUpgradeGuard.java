package io.aviary.broker.transport;

import io.aviary.broker.config.WsOptions;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the HTTP upgrade request before Netty's WebSocket handshake: a path other than
 * mqtt_path gets 404, a Sec-WebSocket-Protocol that names none of the supported MQTT
 * subprotocols gets 400 (Netty's handshaker would accept it silently), and a trusted proxy's
 * X-Forwarded-For becomes the client's address. It removes itself after one request.
 */
final class WebSocketUpgradeGuard extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketUpgradeGuard.class);

    private final String listener;
    private final WsOptions options;
    private final TrustedProxies trusted;

    WebSocketUpgradeGuard(String listener, WsOptions options, TrustedProxies trusted) {
        this.listener = listener;
        this.options = options;
        this.trusted = trusted;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        String path = new QueryStringDecoder(request.uri()).path();
        if (!path.equals(options.mqttPath())) {
            refuse(ctx, request, HttpResponseStatus.NOT_FOUND, "no MQTT endpoint at " + path + ", use " + options.mqttPath());
            return;
        }
        String offered = request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
        if (offered == null ? options.failIfNoSubprotocol() : !supports(offered)) {
            refuse(ctx, request, HttpResponseStatus.BAD_REQUEST, "unsupported WebSocket subprotocol "
                    + offered + ", use one of " + options.subprotocols());
            return;
        }
        forwardedAddress(ctx, request);
        ctx.pipeline().remove(this);
        ctx.fireChannelRead(msg);
    }

    private boolean supports(String offered) {
        for (String p : offered.split(",")) {
            if (options.subprotocols().contains(p.trim())) {
                return true;
            }
        }
        return false;
    }

    private void forwardedAddress(ChannelHandlerContext ctx, FullHttpRequest request) {
        String header = request.headers().get(options.proxyAddressHeader());
        InetSocketAddress socket = Peer.address(ctx.channel());
        if (header == null || socket == null || !trusted.contains(socket.getAddress())) {
            return;
        }
        String first = header.split(",")[0].trim(); // the left-most entry is the original client
        java.net.InetAddress real = io.netty.util.NetUtil.createInetAddressFromIpAddressString(first);
        if (real == null) {
            LOG.debug("listener {}: ignoring {} '{}' from {}", listener, options.proxyAddressHeader(), first, socket);
            return;
        }
        Peer.of(ctx.channel()).address(new InetSocketAddress(real, socket.getPort()));
    }

    private void refuse(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status, String why) {
        request.release();
        LOG.debug("listener {}: WebSocket upgrade from {} refused: {}", listener, ctx.channel().remoteAddress(), why);
        byte[] body = ("{\"code\":\"" + status.code() + "\",\"message\":\"" + why.replace("\"", "'") + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, "close");
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}

package io.aviary.broker.transport;

import io.aviary.broker.util.Counters;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SniCompletionEvent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits behind the SslHandler: on a completed handshake it records the client certificate's CN
 * and DN (and, from the SNI stage before it, the requested host name) for the CONNECT stage (peer_cert_as_username / _clientid, ${cert_cn}) and removes
 * itself; on a failed one (no certificate, unknown CA, plain text on the TLS port) it counts
 * the failure, logs it at debug and closes, so nothing of the connection is kept.
 */
final class TlsHandshakeStage extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(TlsHandshakeStage.class);
    static final String FAILURES = "tls.handshake.failed";

    private final String listener;
    private final Counters counters;

    TlsHandshakeStage(String listener, Counters counters) {
        this.listener = listener;
        this.counters = counters;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SniCompletionEvent sni) {
            if (sni.isSuccess()) {
                Peer.of(ctx.channel()).sniHost(sni.hostname());
            }
            return;
        }
        if (evt instanceof SslHandshakeCompletionEvent done) {
            if (done.isSuccess()) {
                recordCertificate(ctx);
                ctx.pipeline().remove(this);
            } else {
                counters.inc(FAILURES);
                LOG.debug("listener {}: TLS handshake with {} failed: {}", listener, ctx.channel().remoteAddress(),
                        done.cause().toString());
                ctx.close();
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // the SslHandler reports a failed handshake twice: as this exception and as the event above
        LOG.debug("listener {}: TLS error from {}: {}", listener, ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    private static void recordCertificate(ChannelHandlerContext ctx) {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        try {
            Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
            if (chain.length > 0 && chain[0] instanceof X509Certificate x509) {
                String dn = x509.getSubjectX500Principal().getName();
                Peer.of(ctx.channel()).certificate(commonName(dn), dn);
            }
        } catch (SSLPeerUnverifiedException noClientCertificate) {
            // one-way TLS: nothing to record
        }
    }

    static String commonName(String dn) {
        try {
            for (Rdn rdn : new LdapName(dn).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return String.valueOf(rdn.getValue());
                }
            }
        } catch (Exception unparsable) {
            return null;
        }
        return null;
    }
}

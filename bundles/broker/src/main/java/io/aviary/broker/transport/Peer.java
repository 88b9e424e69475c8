package io.aviary.broker.transport;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;

/**
 * What the transport stages learned about the client before CONNECT: its real address (from a
 * PROXY protocol header or a trusted proxy's X-Forwarded-For, else the socket's), its TLS
 * client certificate's CN and DN, and the SNI host name (tenant resolution). The CONNECT stage reads it once into the ClientInfo.
 */
public final class Peer {
    private static final AttributeKey<Peer> KEY = AttributeKey.valueOf("aviary.peer");

    private volatile InetSocketAddress address;
    private volatile String certCommonName;
    private volatile String certSubject;
    private volatile String sniHost;

    private Peer() {
    }

    /** The channel's peer record, created on first use. */
    public static Peer of(Channel channel) {
        Peer p = channel.attr(KEY).get();
        if (p == null) {
            p = new Peer();
            Peer raced = channel.attr(KEY).setIfAbsent(p);
            p = raced != null ? raced : p;
        }
        return p;
    }

    /** The client's real address: a proxy's word for it when one was accepted, else the socket's peer. */
    public static InetSocketAddress address(Channel channel) {
        Peer p = channel.attr(KEY).get();
        if (p != null && p.address != null) {
            return p.address;
        }
        return channel.remoteAddress() instanceof InetSocketAddress a ? a : null;
    }

    public void address(InetSocketAddress real) {
        this.address = real;
    }

    public void certificate(String commonName, String subject) {
        this.certCommonName = commonName;
        this.certSubject = subject;
    }

    public String certCommonName() {
        return certCommonName;
    }

    public String certSubject() {
        return certSubject;
    }

    /** The TLS SNI host name the client asked for (lower case), or null. */
    public String sniHost() {
        return sniHost;
    }

    public void sniHost(String host) {
        this.sniHost = host == null ? null : host.toLowerCase(java.util.Locale.ROOT);
    }
}

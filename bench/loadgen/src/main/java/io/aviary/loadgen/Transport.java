package io.aviary.loadgen;

import java.io.File;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

/**
 * The sockets: a few event-loop threads (native epoll when the platform has it, NIO otherwise),
 * Netty's MQTT codec, optional TLS, and local source addresses taken round-robin so that one
 * generator can open more connections than one address has ephemeral ports. Subscribers get event
 * loops of their own: publishers running flat out must not starve the receiving side, or the
 * generator, not the broker, would set the delivery rate and the latency.
 */
final class Transport implements AutoCloseable {
    /** Largest packet the generator accepts from a broker. */
    private static final int MAX_PACKET = 16 * 1024 * 1024;

    final String name;
    private final EventLoopGroup group;
    private final EventLoopGroup subscriberGroup;
    private final Bootstrap bootstrap;
    private final InetSocketAddress remote;
    private final List<InetSocketAddress> locals;
    private final SslContext ssl;
    private final AtomicInteger nextLocal = new AtomicInteger();
    /** One bootstrap per event loop, used only on that loop's thread. */
    private final Map<EventLoop, Bootstrap> bootstraps = new IdentityHashMap<>();

    Transport(Options o) throws Exception {
        boolean epoll = Epoll.isAvailable();
        this.name = epoll ? "epoll" : "nio";
        int subscriberThreads = Math.max(1, o.threads / 2);
        this.group = new MultiThreadIoEventLoopGroup(Math.max(1, o.threads - subscriberThreads),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        this.subscriberGroup = new MultiThreadIoEventLoopGroup(subscriberThreads,
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        this.remote = new InetSocketAddress(o.host, o.port);
        this.locals = o.ifaddrs.stream().map(a -> new InetSocketAddress(a.trim(), 0)).toList();
        this.ssl = o.tls ? clientSsl(o.caFile) : null;
        this.bootstrap = new Bootstrap().group(group)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) TimeUnit.SECONDS.toMillis(10))
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 64 * 1024));
        if (epoll && !locals.isEmpty()) {
            // Pick the source port at connect() by the whole 4-tuple, not at bind(): binding first
            // makes the kernel scan for a port free on every destination, which gets slow (and
            // runs out) with tens of thousands of connections.
            bootstrap.option(EpollChannelOption.IP_BIND_ADDRESS_NO_PORT, true);
        }
        for (boolean subscriberSide : new boolean[] {false, true}) {
            for (EventLoop loop : loops(subscriberSide)) {
                bootstraps.put(loop, bootstrap.clone(loop));
            }
        }
    }

    private static SslContext clientSsl(String caFile) throws Exception {
        SslContextBuilder b = SslContextBuilder.forClient();
        return (caFile == null ? b.trustManager(InsecureTrustManagerFactory.INSTANCE) : b.trustManager(new File(caFile)))
                .build();
    }

    /**
     * Opens one connection on the given event loop, whose last handler is the given client. Called
     * on that loop itself, so that connecting is spread over the loops and needs no hand-off.
     */
    ChannelFuture connect(EventLoop loop, Client client) {
        Bootstrap b = bootstraps.get(loop);
        b.handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                if (ssl != null) {
                    ch.pipeline().addLast(ssl.newHandler(ch.alloc(), remote.getHostString(), remote.getPort()));
                }
                ch.pipeline().addLast(new MqttDecoder(MAX_PACKET), MqttEncoder.INSTANCE, client);
            }
        });
        // Bootstrap.connect copies the handler into the new channel before returning.
        if (locals.isEmpty()) {
            return b.connect(remote);
        }
        InetSocketAddress local = locals.get(Math.floorMod(nextLocal.getAndIncrement(), locals.size()));
        return b.connect(remote, local);
    }

    /** The event loops of subscribers, or of the other clients. */
    List<EventLoop> loops(boolean subscriberSide) {
        List<EventLoop> loops = new ArrayList<>();
        (subscriberSide ? subscriberGroup : group).forEach(e -> loops.add((EventLoop) e));
        return loops;
    }

    EventLoopGroup group() {
        return group;
    }

    @Override
    public void close() {
        var a = group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        var b = subscriberGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        a.syncUninterruptibly();
        b.syncUninterruptibly();
    }

    static boolean isOpen(Channel ch) {
        return ch != null && ch.isActive();
    }
}

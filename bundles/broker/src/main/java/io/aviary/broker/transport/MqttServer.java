package io.aviary.broker.transport;

import io.aviary.broker.BrokerCore;
import io.aviary.broker.config.ListenerSpec;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the event loops and the bound listeners. Binding is synchronous so that the caller
 * knows every listener is up (or failed) before it announces the broker; each listener gets
 * its own connection limiter. The worker group also serves as the broker's timer.
 */
public final class MqttServer {

    private static final Logger LOG = LoggerFactory.getLogger(MqttServer.class);

    private final Transports transports;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Map<String, Channel> bound = new LinkedHashMap<>();

    public MqttServer(int workerThreads, boolean preferNative) {
        this.transports = new Transports(preferNative);
        this.boss = transports.group(1, new DefaultThreadFactory("aviary-accept", true));
        this.workers = transports.group(workerThreads, new DefaultThreadFactory("aviary-io", true));
    }

    public EventLoopGroup workers() {
        return workers;
    }

    /** Binds one listener; returns the address it is bound to. */
    public InetSocketAddress bind(BrokerCore core, ListenerSpec spec) throws InterruptedException {
        ConnectionLimiter limiter = new ConnectionLimiter(spec.id(), spec.maxConnections());
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(transports.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 256 * 1024))
                .childHandler(new MqttChannelInitializer(core, spec.id(), limiter));
        Channel ch = b.bind(spec.host(), spec.port()).sync().channel();
        bound.put(spec.id(), ch);
        InetSocketAddress at = (InetSocketAddress) ch.localAddress();
        LOG.info("listener {} bound to {} ({})", spec.id(), at, transports.nativeTransport() ? "epoll" : "nio");
        return at;
    }

    public List<InetSocketAddress> addresses() {
        List<InetSocketAddress> out = new ArrayList<>();
        bound.values().forEach(c -> out.add((InetSocketAddress) c.localAddress()));
        return out;
    }

    public void close() {
        bound.values().forEach(c -> c.close().awaitUninterruptibly(5, TimeUnit.SECONDS));
        bound.clear();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}

package io.aviary.broker.transport;

import io.aviary.api.broker.ListenerInfo;
import io.aviary.api.broker.Listeners;
import io.aviary.broker.BrokerCore;
import io.aviary.broker.banned.ClientGate;
import io.aviary.broker.config.ListenerSpec;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the event loops and the listeners. Binding is synchronous so that the caller knows every
 * listener is up (or failed) before it announces the broker. Each listener has its own
 * connection limiter, TLS context (ssl, wss) and group of open connections, so one can be
 * stopped and started at run time ({@link Listeners}) without touching the others. The worker
 * group also serves as the broker's timer.
 */
public final class MqttServer implements Listeners {

    private static final Logger LOG = LoggerFactory.getLogger(MqttServer.class);

    private final Transports transports;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Map<String, Listener> listeners = new LinkedHashMap<>();
    private BrokerCore core;
    private ClientGate gate = ClientGate.open();

    /** One configured listener; {@code channel} is null while stopped. */
    private static final class Listener {
        final ListenerSpec spec;
        final ConnectionLimiter limiter;
        final ChannelGroup open = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        Channel channel;

        Listener(ListenerSpec spec) {
            this.spec = spec;
            this.limiter = new ConnectionLimiter(spec.id(), spec.maxConnections(), spec.maxConnRate(), spec.maxConnBurst());
        }
    }

    public MqttServer(int workerThreads, boolean preferNative) {
        this.transports = new Transports(preferNative);
        this.boss = transports.group(1, new DefaultThreadFactory("aviary-accept", true));
        this.workers = transports.group(workerThreads, new DefaultThreadFactory("aviary-io", true));
    }

    public EventLoopGroup workers() {
        return workers;
    }

    /** The ban list and flapping detection every listener's CONNECT stage consults. */
    public synchronized void gate(ClientGate gate) {
        this.gate = gate;
    }

    /** Registers one listener and binds it when enabled; returns the bound address, or null. */
    public synchronized InetSocketAddress bind(BrokerCore core, ListenerSpec spec) throws InterruptedException {
        this.core = core;
        Listener l = new Listener(spec);
        listeners.put(spec.id(), l);
        return spec.enabled() ? open(l) : null;
    }

    private InetSocketAddress open(Listener l) throws InterruptedException {
        ListenerSpec spec = l.spec;
        ReloadingSslContext tls = null;
        if (spec.secure()) {
            try {
                tls = new ReloadingSslContext(spec.id(), spec.tls());
            } catch (javax.net.ssl.SSLException e) {
                throw new IllegalStateException("listener " + spec.id() + ": cannot load its TLS files: " + e.getMessage(), e);
            }
        }
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(transports.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 256 * 1024))
                .childHandler(new MqttChannelInitializer(core, spec, l.limiter, tls, gate, l.open));
        Channel ch = b.bind(spec.host(), spec.port()).sync().channel();
        l.channel = ch;
        InetSocketAddress at = (InetSocketAddress) ch.localAddress();
        LOG.info("listener {} bound to {} ({}{}{})", spec.id(), at, transports.nativeTransport() ? "epoll" : "nio",
                spec.proxyProtocol() ? ", proxy_protocol" : "", spec.tenant().isEmpty()
                        ? "" : ", tenant " + spec.tenant());
        return at;
    }

    private void close(Listener l) {
        if (l.channel != null) {
            l.channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
            l.channel = null;
            l.open.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
            LOG.info("listener {} stopped", l.spec.id());
        }
    }

    public synchronized List<InetSocketAddress> addresses() {
        List<InetSocketAddress> out = new ArrayList<>();
        listeners.values().stream().filter(l -> l.channel != null)
                .forEach(l -> out.add((InetSocketAddress) l.channel.localAddress()));
        return out;
    }

    /** The bound address of one running listener, or null. */
    public synchronized InetSocketAddress address(String id) {
        Listener l = listeners.get(id);
        return l == null || l.channel == null ? null : (InetSocketAddress) l.channel.localAddress();
    }

    @Override
    public synchronized List<ListenerInfo> list() {
        return listeners.values().stream().map(MqttServer::info).toList();
    }

    @Override
    public synchronized ListenerInfo start(String id) {
        Listener l = find(id);
        if (l.channel == null) {
            try {
                open(l);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while binding " + id, e);
            } catch (RuntimeException e) {
                throw new IllegalStateException("listener " + id + " cannot start: " + e.getMessage(), e);
            }
        }
        return info(l);
    }

    @Override
    public synchronized ListenerInfo stop(String id) {
        Listener l = find(id);
        close(l);
        return info(l);
    }

    @Override
    public synchronized ListenerInfo restart(String id) {
        stop(id);
        return start(id);
    }

    private Listener find(String id) {
        Listener l = listeners.get(id);
        if (l == null) {
            throw new IllegalArgumentException("no listener " + id + "; listeners are " + listeners.keySet());
        }
        return l;
    }

    private static ListenerInfo info(Listener l) {
        ListenerSpec s = l.spec;
        int bound = l.channel == null ? 0 : ((InetSocketAddress) l.channel.localAddress()).getPort();
        String host = s.host().contains(":") ? "[" + s.host() + "]" : s.host();
        return new ListenerInfo(s.id(), s.type(), s.name(), host + ":" + s.port(), bound, l.channel != null,
                l.limiter.open(), s.maxConnections(), s.tenant());
    }

    public synchronized void close() {
        listeners.values().forEach(this::close);
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}

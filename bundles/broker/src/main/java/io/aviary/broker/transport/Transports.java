package io.aviary.broker.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.util.concurrent.ThreadFactory;

/**
 * Chooses the I/O transport: epoll where the native library is present, NIO otherwise. Every
 * epoll reference sits in {@link Epoll} so the bundle resolves and runs without epoll
 * (its import is optional).
 */
public final class Transports {

    private final boolean epoll;

    public Transports(boolean preferNative) {
        this.epoll = preferNative && Epoll.available();
    }

    public boolean nativeTransport() {
        return epoll;
    }

    public EventLoopGroup group(int threads, ThreadFactory factory) {
        IoHandlerFactory io = epoll ? Epoll.ioHandlerFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, factory, io);
    }

    public Class<? extends ServerChannel> serverChannel() {
        return epoll ? Epoll.serverChannel() : NioServerSocketChannel.class;
    }

    /** The only place that touches io.netty.channel.epoll. */
    private static final class Epoll {
        static boolean available() {
            try {
                return io.netty.channel.epoll.Epoll.isAvailable();
            } catch (Throwable missing) {
                return false;
            }
        }

        static IoHandlerFactory ioHandlerFactory() {
            return io.netty.channel.epoll.EpollIoHandler.newFactory();
        }

        static Class<? extends ServerChannel> serverChannel() {
            return io.netty.channel.epoll.EpollServerSocketChannel.class;
        }
    }
}

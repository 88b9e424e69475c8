package io.aviary.broker.bench;

import io.aviary.broker.testing.TestPki;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import java.nio.file.Files;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * JDK TLS against netty-tcnative (BoringSSL) for the broker's TLS listeners, side by side on
 * loopback, varying the server's provider only: handshakes per second (TLS 1.3, ECDSA P-256, 4 concurrent clients) and bulk
 * throughput over one connection (MB/s, 64 KB writes); the first round warms the JIT. See docs/architecture.md:
 * tcnative is not a project dependency, its jars go on the class path only for this run.
 */
public final class TlsProviderBench {

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        TestPki pki = new TestPki(Files.createTempDirectory("tls-bench"), "bench-ca");
        TestPki.Issued server = pki.server("server");
        System.out.println("OpenSsl available: " + OpenSsl.isAvailable()
                + (OpenSsl.isAvailable() ? " (" + OpenSsl.versionString() + ")" : " " + OpenSsl.unavailabilityCause()));
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2; // the first round warms the JIT up
        for (int round = 1; round <= rounds; round++) {
          System.out.println("round " + round);
          for (SslProvider p : new SslProvider[] {SslProvider.JDK, SslProvider.OPENSSL}) {
            if (p == SslProvider.OPENSSL && !OpenSsl.isAvailable()) {
                continue;
            }
            SslContext serverCtx = SslContextBuilder.forServer(server.cert().toFile(), server.key().toFile())
                    .sslProvider(p).protocols("TLSv1.3").build();
            // the client side stays the same (BoringSSL when present), so only the server's provider varies
            SslContext clientCtx = SslContextBuilder.forClient().trustManager(pki.caFile().toFile())
                    .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK).protocols("TLSv1.3").build();
            run(p, serverCtx, clientCtx, seconds);
          }
        }
    }

    private static void run(SslProvider provider, SslContext serverCtx, SslContext clientCtx, int seconds) throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        AtomicLong received = new AtomicLong();
        try {
            Channel listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childOption(io.netty.channel.ChannelOption.TCP_NODELAY, true) // as the broker's listeners
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(serverCtx.newHandler(ch.alloc()), new ChannelInboundHandlerAdapter() {
                                @Override
                                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                    received.addAndGet(((ByteBuf) msg).readableBytes());
                                    ReferenceCountUtil.release(msg);
                                }
                            });
                        }
                    }).bind("127.0.0.1", 0).sync().channel();
            int port = ((java.net.InetSocketAddress) listener.localAddress()).getPort();
            Bootstrap client = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .option(io.netty.channel.ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(clientCtx.newHandler(ch.alloc(), "localhost", port));
                        }
                    });
            handshakes(client, port, 1); // warm-up
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            long done = 0;
            long t0 = System.nanoTime();
            while (System.nanoTime() < end) {
                done += handshakes(client, port, 4);
            }
            double hs = done / ((System.nanoTime() - t0) / 1e9);
            Channel ch = client.connect("127.0.0.1", port).sync().channel();
            ch.pipeline().get(SslHandler.class).handshakeFuture().sync();
            byte[] chunk = new byte[64 * 1024];
            long bytes = 0;
            t0 = System.nanoTime();
            end = t0 + seconds * 1_000_000_000L;
            while (System.nanoTime() < end) {
                ch.writeAndFlush(ch.alloc().buffer(chunk.length).writeBytes(chunk)).sync();
                bytes += chunk.length;
            }
            long target = bytes;
            while (received.get() < target) {
                Thread.onSpinWait();
            }
            double mbs = bytes / 1048576.0 / ((System.nanoTime() - t0) / 1e9);
            System.out.printf("%-8s handshakes/s %8.0f   bulk MB/s %8.1f%n", provider, hs, mbs);
            ch.close().sync();
            listener.close().sync();
        } finally {
            group.shutdownGracefully().sync();
        }
    }

    private static int handshakes(Bootstrap client, int port, int parallel) throws Exception {
        CountDownLatch latch = new CountDownLatch(parallel);
        for (int i = 0; i < parallel; i++) {
            client.connect("127.0.0.1", port).addListener(f -> {
                Channel c = ((io.netty.channel.ChannelFuture) f).channel();
                c.pipeline().get(SslHandler.class).handshakeFuture().addListener(h -> {
                    c.close();
                    latch.countDown();
                });
            });
        }
        latch.await();
        return parallel;
    }
}

package io.aviary.broker.testing;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import io.aviary.mqtt.codec.ConnAckPacket;
import io.aviary.mqtt.codec.ConnectPacket;
import io.aviary.mqtt.codec.MqttCodec;
import io.aviary.mqtt.codec.MqttDecoder;
import io.aviary.mqtt.codec.MqttEncoder;
import io.aviary.mqtt.codec.MqttPacket;
import io.aviary.mqtt.codec.MqttProperties;
import io.aviary.mqtt.codec.MqttVersion;
import io.aviary.mqtt.codec.PublishPacket;
import io.aviary.mqtt.codec.Will;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A protocol-level MQTT test client built on the project's own codec: it sends exactly the
 * packets a test gives it and records every packet the broker sends, so tests can check packet
 * ids, DUP flags, acknowledgement timing and reason codes that real clients hide.
 */
public final class RawClient implements AutoCloseable {

    private static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

    private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    private final Channel channel;

    private RawClient(int port, MqttVersion version) throws InterruptedException {
        Bootstrap b = new Bootstrap().group(GROUP).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.attr(MqttCodec.VERSION).set(version);
                        ch.pipeline().addLast(new MqttDecoder(MqttCodec.MAX_PACKET_SIZE, version), MqttEncoder.INSTANCE,
                                new SimpleChannelInboundHandler<Object>(false) {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
                                        received.add(unpooled(msg));
                                    }
                                });
                    }
                });
        channel = b.connect("127.0.0.1", port).sync().channel();
    }

    /**
     * Copies a PUBLISH payload out of the network buffer and releases that, so tests never leak
     * and any leak the detector reports is the broker's.
     */
    private static Object unpooled(Object msg) {
        if (!(msg instanceof PublishPacket p)) {
            return msg;
        }
        try {
            return new PublishPacket(p.topic(), p.qos(), p.isRetain(), p.dup(), p.packetId(), p.properties(),
                    Unpooled.copiedBuffer(p.payload()));
        } finally {
            p.release();
        }
    }

    public static RawClient open(int port, MqttVersion version) throws InterruptedException {
        return new RawClient(port, version);
    }

    /** Opens a connection and completes CONNECT; asserts CONNACK success. */
    public static RawClient connect(int port, MqttVersion version, String clientId, boolean clean, int keepAlive,
                                    MqttProperties props, Will will) throws InterruptedException {
        RawClient c = open(port, version);
        ConnAckPacket ack = c.connect(new ConnectPacket(version, clientId, clean, keepAlive, null, null, will, props));
        assertEquals("CONNACK reason", 0, ack.reasonCode());
        return c;
    }

    public static RawClient connect(int port, MqttVersion version, String clientId, boolean clean)
            throws InterruptedException {
        return connect(port, version, clientId, clean, 60, MqttProperties.EMPTY, null);
    }

    public ConnAckPacket connect(ConnectPacket c) throws InterruptedException {
        send(c);
        return expect(ConnAckPacket.class);
    }

    public void send(MqttPacket p) {
        channel.writeAndFlush(p).syncUninterruptibly();
    }

    /** Sends raw bytes (each int is one byte), for malformed input. */
    public void sendBytes(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        channel.writeAndFlush(Unpooled.wrappedBuffer(b)).syncUninterruptibly();
    }

    /** The next packet within 5 s, which must be of this type. */
    public <T> T expect(Class<T> type) throws InterruptedException {
        Object o = received.poll(5, TimeUnit.SECONDS);
        assertNotNull("expected " + type.getSimpleName() + " but nothing arrived", o);
        assertTrue("expected " + type.getSimpleName() + " but got " + o, type.isInstance(o));
        return type.cast(o);
    }

    /** The next packet within the timeout, or null. */
    public Object poll(long ms) throws InterruptedException {
        return received.poll(ms, TimeUnit.MILLISECONDS);
    }

    public boolean awaitClosed(long ms) {
        return channel.closeFuture().awaitUninterruptibly(ms);
    }

    public boolean isOpen() {
        return channel.isActive();
    }

    /** Drops the TCP connection without DISCONNECT (an abnormal close for the broker). */
    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        Object o;
        while ((o = received.poll()) != null) {
            ReferenceCountUtil.release(o);
        }
    }
}

package io.aviary.mqtt.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the codec costs per PUBLISH, the packet on every message's path (issue #12): decoding one
 * from a pooled direct buffer, as the broker's server-side {@link MqttDecoder} does after
 * framing, and encoding one into a pooled buffer with {@link MqttEncoder#encode}, as the broker
 * does for each subscriber. {@code flavour} is the protocol and property set: MQTT 3.1.1, MQTT 5
 * without properties, MQTT 5 with the properties a typical device sends (Message Expiry,
 * Content Type, Payload Format Indicator, one User Property); {@code size} the payload.
 * Run with {@code -prof gc} (bench/jmh.sh does) for the bytes allocated per operation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class PublishCodecBenchmark {

    @Param({"v311", "v5", "v5-props"})
    public String flavour;

    @Param({"64", "1024"})
    public int size;

    private static final String TOPIC = "site/12/dev/d004711/telemetry";
    private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;

    private MqttVersion version;
    private PublishPacket packet;
    private ByteBuf wire;
    private MqttDecoder decoder;
    private ChannelHandlerContext ctx;
    private EmbeddedChannel channel;
    private final List<Object> out = new ArrayList<>(1);

    @Setup(Level.Trial)
    public void setUp() {
        version = flavour.equals("v311") ? MqttVersion.MQTT_3_1_1 : MqttVersion.MQTT_5;
        MqttProperties props = !flavour.equals("v5-props") ? MqttProperties.EMPTY : MqttProperties.builder()
                .set(PropertyId.MESSAGE_EXPIRY_INTERVAL, 3600L)
                .set(PropertyId.CONTENT_TYPE, "application/json")
                .set(PropertyId.PAYLOAD_FORMAT_INDICATOR, 1)
                .set(PropertyId.USER_PROPERTY, Map.entry("trace", "7f3a9c21"))
                .build();
        ByteBuf payload = ALLOC.directBuffer(size, size);
        payload.writeZero(size);
        packet = new PublishPacket(TOPIC, 1, false, false, 4711, props, payload);

        // The wire form, in one pooled direct buffer: fixed header, variable header and payload.
        ByteBuf encoded = MqttEncoder.encode(ALLOC, packet, version);
        wire = ALLOC.directBuffer(encoded.readableBytes());
        wire.writeBytes(encoded);
        encoded.release();

        // A server-side decoder that has seen its CONNECT (which sets the protocol version).
        decoder = new MqttDecoder(1 << 20);
        channel = new EmbeddedChannel(decoder);
        channel.writeInbound(channel.alloc().buffer().writeBytes(connect(version)));
        Object connectPacket = channel.readInbound();
        if (!(connectPacket instanceof ConnectPacket)) {
            throw new IllegalStateException("CONNECT not decoded: " + connectPacket);
        }
        ctx = channel.pipeline().context(decoder);
        // Check once that a PUBLISH decodes back to what was encoded.
        PublishPacket back = decodeOnce();
        if (!back.topic().equals(TOPIC) || back.payload().readableBytes() != size
                || !back.properties().equals(props) && version.isV5()) {
            throw new IllegalStateException("decoded " + back + " from " + packet);
        }
        back.release();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        wire.release();
        packet.release();
        channel.finishAndReleaseAll();
    }

    /** Decodes the PUBLISH (header, topic, packet id, properties; the payload is a retained slice) and releases it. */
    @Benchmark
    public int decode() {
        PublishPacket p = decodeOnce();
        int id = p.packetId();
        p.release();
        return id;
    }

    /** Encodes the PUBLISH into a pooled buffer (the payload joins as a retained slice) and releases it. */
    @Benchmark
    public int encode() {
        ByteBuf b = MqttEncoder.encode(ALLOC, packet, version);
        int n = b.readableBytes();
        b.release();
        return n;
    }

    private PublishPacket decodeOnce() {
        wire.readerIndex(0);
        out.clear();
        decoder.decode(ctx, wire, out);
        return (PublishPacket) out.get(0);
    }

    /** A minimal clean-start CONNECT of client "c", keep-alive 60 s. */
    private static byte[] connect(MqttVersion v) {
        byte[] name = "MQTT".getBytes(StandardCharsets.US_ASCII);
        List<Integer> body = new ArrayList<>();
        body.add(0);
        body.add(name.length);
        for (byte b : name) {
            body.add((int) b);
        }
        body.add(v.isV5() ? 5 : 4);
        body.add(0x02);
        body.add(0);
        body.add(60);
        if (v.isV5()) {
            body.add(0); // no properties
        }
        body.add(0);
        body.add(1);
        body.add((int) 'c');
        byte[] bytes = new byte[2 + body.size()];
        bytes[0] = 0x10;
        bytes[1] = (byte) body.size();
        for (int i = 0; i < body.size(); i++) {
            bytes[2 + i] = (byte) (int) body.get(i);
        }
        return bytes;
    }
}

package io.aviary.mqtt.codec;

import static org.junit.Assert.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import org.junit.BeforeClass;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;

/**
 * Every packet type, in every version, survives encode-then-decode unchanged, with every
 * property its type allows under MQTT 5; and decodes the same when it arrives one byte per read.
 */
@RunWith(Parameterized.class)
public class RoundTripTest {
    private final MqttVersion version;

    public RoundTripTest(MqttVersion version) {
        this.version = version;
    }

    @Parameters(name = "{0}")
    public static Collection<Object[]> versions() {
        List<Object[]> list = new ArrayList<>();
        for (MqttVersion v : MqttVersion.values()) {
            list.add(new Object[] {v});
        }
        return list;
    }

    @BeforeClass
    public static void paranoidLeakDetection() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }

    @Test
    public void connectWithWillUserNameAndPasswordSurvivesRoundTrip() {
        ConnectPacket sent = Samples.fullConnect(version);
        EmbeddedChannel ch = Wire.server(1 << 20);
        ConnectPacket got = Wire.decodeOne(ch, encode(sent));
        assertEquals(sent, got);
        assertEquals(version, ch.attr(MqttCodec.VERSION).get());
    }

    @Test
    public void minimalConnectSurvivesRoundTrip() {
        ConnectPacket sent = new ConnectPacket(version, "c", true, 0, null, null, null, null);
        assertEquals(sent, Wire.decodeOne(Wire.server(1 << 20), encode(sent)));
    }

    @Test
    public void everyClientPacketSurvivesRoundTrip() {
        for (MqttPacket sent : Samples.clientPackets(version)) {
            assertRoundTrip(sent, () -> Wire.connected(version), false);
        }
    }

    @Test
    public void everyServerPacketSurvivesRoundTrip() {
        for (MqttPacket sent : Samples.serverPackets(version)) {
            assertRoundTrip(sent, () -> Wire.client(version), false);
        }
    }

    @Test
    public void everyPacketDecodesTheSameWhenSplitByteByByte() {
        for (MqttPacket sent : Samples.clientPackets(version)) {
            assertRoundTrip(sent, () -> Wire.connected(version), true);
        }
        for (MqttPacket sent : Samples.serverPackets(version)) {
            assertRoundTrip(sent, () -> Wire.client(version), true);
        }
        ConnectPacket connect = Samples.fullConnect(version);
        assertRoundTrip(connect, () -> Wire.server(1 << 20), true);
    }

    @Test
    public void severalPacketsInOneReadAllDecode() {
        List<MqttPacket> sent = Samples.clientPackets(version);
        ByteBuf all = Unpooled.buffer();
        for (MqttPacket p : sent) {
            all.writeBytes(encode(p));
        }
        EmbeddedChannel ch = Wire.connected(version);
        ch.writeInbound(all);
        for (MqttPacket p : sent) {
            Object got = ch.readInbound();
            assertEquals(p, got);
            ReferenceCountUtil.release(got);
            ReferenceCountUtil.release(p);
        }
        assertEquals(null, ch.readInbound());
    }

    private void assertRoundTrip(MqttPacket sent, Supplier<EmbeddedChannel> channel, boolean byteByByte) {
        byte[] wire = encode(sent);
        assertEquals(sent + ": encodedSize", wire.length, MqttEncoder.encodedSize(sent, version));
        EmbeddedChannel ch = channel.get();
        if (byteByByte) {
            for (byte b : wire) {
                ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
            }
        } else {
            ch.writeInbound(Unpooled.wrappedBuffer(wire));
        }
        Object got = ch.readInbound();
        try {
            assertEquals(sent.toString(), sent, got);
            assertEquals(null, ch.readInbound());
        } finally {
            ReferenceCountUtil.release(got);
            ReferenceCountUtil.release(sent);
        }
        if (got instanceof PublishPacket p) {
            assertEquals("decoded payload freed with its packet", 0, p.refCnt());
        }
    }

    private byte[] encode(MqttPacket p) {
        ByteBuf b = MqttEncoder.encode(ByteBufAllocator.DEFAULT, p, version);
        try {
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }
}

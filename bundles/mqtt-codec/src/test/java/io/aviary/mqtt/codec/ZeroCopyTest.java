package io.aviary.mqtt.codec;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ResourceLeakDetector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * PUBLISH payloads are never copied: the decoder hands out a retained slice of its input and
 * the encoder writes a retained slice after a small header; and every reference is returned.
 */
public class ZeroCopyTest {

    @BeforeClass
    public static void paranoidLeakDetection() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }

    @Test
    public void decodedPayloadIsASliceOfTheInputAndIsFreedWithThePacket() {
        EmbeddedChannel ch = Wire.connected(MqttVersion.MQTT_5);
        byte[] wire = Wire.bytes().str("a/b").u16(5).b(0).raw("hello".getBytes(StandardCharsets.UTF_8)).packet(0x32);
        ByteBuf input = Unpooled.wrappedBuffer(wire);
        ch.writeInbound(input);
        PublishPacket p = ch.readInbound();
        assertTrue(p.payload().hasArray());
        assertSame("payload shares the input's memory", wire, p.payload().array());
        assertEquals("hello", p.payload().toString(StandardCharsets.UTF_8));
        assertEquals("only the payload slice holds the input", 1, input.refCnt());
        assertTrue(p.release());
        assertEquals(0, input.refCnt());
    }

    @Test
    public void encoderWritesAPayloadOverTheCopyLimitAsARetainedSliceNotACopy() {
        EmbeddedChannel ch = new EmbeddedChannel(MqttEncoder.INSTANCE);
        ch.attr(MqttCodec.VERSION).set(MqttVersion.MQTT_5);
        byte[] bytes = new byte[MqttEncoder.COPY_PAYLOAD_MAX + 1];
        ByteBuf payload = Unpooled.wrappedBuffer(bytes);
        ch.writeOutbound(new PublishPacket("t", 1, false, false, 1, MqttProperties.EMPTY, payload));
        ByteBuf header = ch.readOutbound();
        ByteBuf body = ch.readOutbound();
        assertEquals("type, 2-byte remaining length, topic, packet id, properties", 1 + 2 + 3 + 2 + 1, header.readableBytes());
        assertSame(bytes, body.array());
        assertEquals("encoder released the packet, the slice holds one reference", 1, payload.refCnt());
        header.release();
        body.release();
        assertEquals(0, payload.refCnt());
    }

    @Test
    public void aSmallPayloadIsCopiedAfterItsHeaderIntoOneBufferAndThePacketReleased() {
        EmbeddedChannel ch = new EmbeddedChannel(MqttEncoder.INSTANCE);
        ch.attr(MqttCodec.VERSION).set(MqttVersion.MQTT_5);
        ByteBuf payload = Unpooled.wrappedBuffer("payload".getBytes(StandardCharsets.UTF_8));
        ch.writeOutbound(new PublishPacket("t", 1, false, false, 1, MqttProperties.EMPTY, payload));
        ByteBuf whole = ch.readOutbound();
        assertNull("one buffer", ch.readOutbound());
        assertEquals(2 + 3 + 2 + 1 + 7, whole.readableBytes());
        assertEquals("payload", whole.toString(whole.readerIndex() + 8, 7, StandardCharsets.UTF_8));
        assertEquals("the packet's payload is released once copied", 0, payload.refCnt());
        whole.release();
    }

    @Test
    public void onePayloadFansOutToManyChannelsAndIsFreedOnce() {
        ByteBuf payload = Unpooled.wrappedBuffer(new byte[MqttEncoder.COPY_PAYLOAD_MAX + 100]);
        PublishPacket original = new PublishPacket("in", 0, false, false, 0, MqttProperties.EMPTY, payload);
        List<ByteBuf> written = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            EmbeddedChannel ch = new EmbeddedChannel(MqttEncoder.INSTANCE);
            ch.writeOutbound(original.withTopic("out/" + i).withQosAndPacketId(1, i + 1).retain());
            written.add(ch.readOutbound());
            ByteBuf body = ch.readOutbound();
            assertSame(payload.array(), body.array());
            written.add(body);
        }
        original.release();
        assertEquals(3, payload.refCnt());
        written.forEach(ByteBuf::release);
        assertEquals(0, payload.refCnt());
    }

    @Test
    public void staticEncodeComposesHeaderAndPayloadSliceWithoutReleasingThePacket() {
        byte[] bytes = new byte[1000];
        PublishPacket p = new PublishPacket("t", 0, true, false, 0, MqttProperties.EMPTY, Unpooled.wrappedBuffer(bytes));
        ByteBuf whole = MqttEncoder.encode(ByteBufAllocator.DEFAULT, p, MqttVersion.MQTT_3_1_1);
        assertTrue(whole instanceof CompositeByteBuf);
        assertSame(bytes, ((CompositeByteBuf) whole).component(1).array());
        assertEquals(MqttEncoder.encodedSize(p, MqttVersion.MQTT_3_1_1), whole.readableBytes());
        assertEquals(2, p.refCnt());
        whole.release();
        assertEquals(1, p.refCnt());
        p.release();
    }

    @Test
    public void copiersShareThePayloadWithoutRetaining() {
        PublishPacket p = new PublishPacket("t", 2, false, true, 9, MqttProperties.EMPTY, Unpooled.buffer(4).writeInt(1));
        PublishPacket q = p.withTopic("u").withRetain(true).withDup(false).withPacketId(10)
                .withProperties(MqttProperties.builder().set(PropertyId.CONTENT_TYPE, "x").build());
        assertSame(p.payload(), q.payload());
        assertEquals(1, q.refCnt());
        PublishPacket zero = q.withQos(0);
        assertEquals(0, zero.packetId());
        assertEquals(false, zero.dup());
        q.release();
        assertEquals(0, p.refCnt());
    }
}

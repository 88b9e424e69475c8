package io.aviary.mqtt.codec;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.Test;

/**
 * The maximum packet size is enforced on the fixed header alone: an oversized packet is refused
 * (0x95 Packet Too Large) before any of its body arrives, and nothing of it is buffered.
 */
public class PacketSizeLimitTest {

    /** Exposes the decoder's cumulation buffer so a test can prove nothing is held. */
    static final class InspectableDecoder extends MqttDecoder {
        InspectableDecoder(int max) {
            super(max);
        }

        int buffered() {
            ByteBuf b = internalBuffer();
            return b.readableBytes();
        }
    }

    @Test
    public void oversizedPacketIsRefusedAfterTheFixedHeaderAloneAndNothingIsBuffered() {
        InspectableDecoder decoder = new InspectableDecoder(100);
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        ch.writeInbound(Unpooled.wrappedBuffer(Wire.connect(MqttVersion.MQTT_5)));
        ConnectPacket c = ch.readInbound();
        assertEquals(MqttVersion.MQTT_5, c.version());

        ch.writeInbound(Unpooled.wrappedBuffer(Wire.bytes().hex("30 FF FF 03").toArray())); // remaining 65535
        InvalidPacket invalid = ch.readInbound();
        assertEquals(ReasonCode.PACKET_TOO_LARGE, invalid.reasonCode());
        assertEquals(PacketType.PUBLISH, invalid.type());
        assertEquals(0, decoder.buffered());

        ch.writeInbound(Unpooled.wrappedBuffer(new byte[4096]));
        assertNull(ch.readInbound());
        assertEquals(0, decoder.buffered());
    }

    @Test
    public void packetOfExactlyTheMaximumSizeIsAcceptedAndOneByteMoreIsRefused() {
        int max = 64;
        byte[] exact = publishOfTotalSize(max);
        assertEquals(max, exact.length);
        EmbeddedChannel ch = new EmbeddedChannel(new MqttDecoder(max));
        ch.writeInbound(Unpooled.wrappedBuffer(Wire.connect(MqttVersion.MQTT_3_1_1)));
        ch.readInbound();
        PublishPacket p = Wire.decodeOne(ch, exact);
        p.release();
        Wire.expectInvalid(ch, publishOfTotalSize(max + 1), ReasonCode.PACKET_TOO_LARGE);
    }

    @Test
    public void incompleteRemainingLengthWaitsForMoreBytes() {
        EmbeddedChannel ch = Wire.connected(MqttVersion.MQTT_3_1_1);
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x30, (byte) 0x83}));
        assertNull("remaining length still incomplete", ch.readInbound());
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x01}));
        assertNull("131 body bytes still missing", ch.readInbound());
        ch.writeInbound(Unpooled.wrappedBuffer(Wire.bytes().str("t").raw(new byte[128]).toArray()));
        PublishPacket p = ch.readInbound();
        assertEquals(128, p.payload().readableBytes());
        p.release();
    }

    @Test
    public void loweredMaximumAppliesToTheNextPacket() {
        EmbeddedChannel ch = new EmbeddedChannel(new MqttDecoder(1 << 20));
        MqttDecoder decoder = ch.pipeline().get(MqttDecoder.class);
        ch.writeInbound(Unpooled.wrappedBuffer(Wire.connect(MqttVersion.MQTT_5)));
        ch.readInbound();
        decoder.setMaxPacketSize(10);
        Wire.expectInvalid(ch, publishOfTotalSize(11), ReasonCode.PACKET_TOO_LARGE);
    }

    @Test(expected = IllegalArgumentException.class)
    public void maximumBelowTwoBytesIsRejected() {
        new MqttDecoder(1);
    }

    /** A 3.1.1 QoS 0 PUBLISH to "t" whose whole size is {@code total} bytes (total below 130). */
    private static byte[] publishOfTotalSize(int total) {
        int payload = total - 2 - 3;
        return Wire.bytes().str("t").raw(new byte[payload]).packet(0x30);
    }
}

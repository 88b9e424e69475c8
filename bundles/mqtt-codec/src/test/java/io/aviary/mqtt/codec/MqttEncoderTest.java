package io.aviary.mqtt.codec;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.EncoderException;
import java.util.List;
import org.junit.Test;

/**
 * The encoder writes each version's wire format: an older version silently loses what it
 * cannot carry (properties, ack reason codes), v5 omits optional trailing fields, and a packet
 * that would break the spec is refused instead of sent.
 */
public class MqttEncoderTest {

    private static String hex(MqttPacket p, MqttVersion v) {
        ByteBuf b = MqttEncoder.encode(ByteBufAllocator.DEFAULT, p, v);
        try {
            return ByteBufUtil.hexDump(b);
        } finally {
            b.release();
        }
    }

    private static MqttProperties reason(String s) {
        return MqttProperties.builder().set(PropertyId.REASON_STRING, s).build();
    }

    @Test
    public void mqtt311AckDropsReasonCodeAndProperties() {
        AckPacket ack = new AckPacket(PacketType.PUBACK, 7, ReasonCode.QUOTA_EXCEEDED, reason("x"));
        assertEquals("40020007", hex(ack, MqttVersion.MQTT_3_1_1));
    }

    @Test
    public void mqtt_3_4_2_1_v5AckOmitsSuccessReasonAndEmptyProperties() {
        assertEquals("40020007", hex(AckPacket.pubAck(7), MqttVersion.MQTT_5));
        assertEquals("4003000710", hex(AckPacket.pubAck(7).withReasonCode(0x10), MqttVersion.MQTT_5));
        assertEquals("62020001", hex(AckPacket.pubRel(1), MqttVersion.MQTT_3_1_1));
    }

    @Test
    public void v5DisconnectAndAuthOmitNormalReasonAndProperties() {
        assertEquals("e000", hex(DisconnectPacket.NORMAL, MqttVersion.MQTT_5));
        assertEquals("e000", hex(DisconnectPacket.of(ReasonCode.SESSION_TAKEN_OVER), MqttVersion.MQTT_3_1_1));
        assertEquals("e0018e", hex(DisconnectPacket.of(ReasonCode.SESSION_TAKEN_OVER), MqttVersion.MQTT_5));
        assertEquals("f000", hex(new AuthPacket(0, null), MqttVersion.MQTT_5));
    }

    @Test
    public void mqtt311ConnackMapsReasonCodesToReturnCodes() {
        assertEquals("20020005", hex(new ConnAckPacket(false, ReasonCode.NOT_AUTHORIZED, reason("no")), MqttVersion.MQTT_3_1_1));
        assertEquals("20020100", hex(new ConnAckPacket(true, 0, null), MqttVersion.MQTT_3_1_1));
        assertEquals("mqtt 3.1 has no session present flag", "20020000",
                hex(new ConnAckPacket(true, 0, null), MqttVersion.MQTT_3_1));
        assertEquals("20020001", hex(new ConnAckPacket(false, ReasonCode.UNSUPPORTED_PROTOCOL_VERSION, null), MqttVersion.MQTT_3_1_1));
    }

    @Test
    public void mqtt311SubackWritesEveryFailureAs0x80() {
        SubAckPacket s = new SubAckPacket(1, List.of(1, ReasonCode.TOPIC_FILTER_INVALID), null);
        assertEquals("900400010180", hex(s, MqttVersion.MQTT_3_1_1));
        assertEquals("9005000100018f", hex(s, MqttVersion.MQTT_5));
    }

    @Test
    public void mqtt311UnsubackCarriesOnlyThePacketId() {
        UnsubAckPacket u = new UnsubAckPacket(10, List.of(0x11), null);
        assertEquals("b002000a", hex(u, MqttVersion.MQTT_3_1_1));
        assertEquals("b004000a0011", hex(u, MqttVersion.MQTT_5));
    }

    @Test
    public void encoderFollowsTheChannelVersionAttribute() {
        EmbeddedChannel ch = new EmbeddedChannel(MqttEncoder.INSTANCE);
        AckPacket ack = AckPacket.pubAck(1).withReasonCode(ReasonCode.NO_MATCHING_SUBSCRIBERS);
        ch.writeOutbound(ack);
        ByteBuf v311 = ch.readOutbound();
        assertEquals("defaults to 3.1.1", 4, v311.readableBytes());
        v311.release();
        ch.attr(MqttCodec.VERSION).set(MqttVersion.MQTT_5);
        ch.writeOutbound(ack);
        ByteBuf v5 = ch.readOutbound();
        assertEquals(5, v5.readableBytes());
        v5.release();
    }

    @Test
    public void authOnAMqtt311ChannelFailsTheWrite() {
        EmbeddedChannel ch = new EmbeddedChannel(MqttEncoder.INSTANCE);
        ChannelFuture f = ch.writeOneOutbound(new AuthPacket(ReasonCode.CONTINUE_AUTHENTICATION, null));
        ch.flushOutbound();
        assertFalse(f.isSuccess());
        assertTrue(f.cause() instanceof EncoderException);
    }

    @Test(expected = IllegalArgumentException.class)
    public void propertyNotAllowedOnThePacketTypeIsRefused() {
        MqttProperties alias = MqttProperties.builder().set(PropertyId.TOPIC_ALIAS, 1).build();
        hex(new ConnAckPacket(false, 0, alias), MqttVersion.MQTT_5);
    }

    @Test(expected = IllegalArgumentException.class)
    public void mqtt_3_1_2_22_passwordWithoutUserNameIsRefusedBeforeMqtt5() {
        hex(new ConnectPacket(MqttVersion.MQTT_3_1_1, "c", true, 0, null, new byte[1], null, null), MqttVersion.MQTT_3_1_1);
    }

    @Test(expected = IllegalArgumentException.class)
    public void emptyTopicIsRefusedBeforeMqtt5() {
        hex(new PublishPacket("", 0, false, false, 0, null, null), MqttVersion.MQTT_3_1_1);
    }

    @Test
    public void mqtt_3_3_1_2_dupIsNeverWrittenOnQos0() {
        assertEquals("3003000161", hex(new PublishPacket("a", 0, false, true, 0, null, null), MqttVersion.MQTT_3_1_1));
    }

    @Test
    public void encodedSizeOfAPublishCountsHeaderPropertiesAndPayload() {
        PublishPacket p = Samples.publish(MqttVersion.MQTT_5, false, 1, "t");
        ByteBuf whole = MqttEncoder.encode(ByteBufAllocator.DEFAULT, p, MqttVersion.MQTT_5);
        assertEquals(whole.readableBytes(), MqttEncoder.encodedSize(p, MqttVersion.MQTT_5));
        whole.release();
        ByteBuf v3 = MqttEncoder.encode(ByteBufAllocator.DEFAULT, p, MqttVersion.MQTT_3_1_1);
        assertEquals(v3.readableBytes(), MqttEncoder.encodedSize(p, MqttVersion.MQTT_3_1_1));
        v3.release();
        p.release();
    }

    @Test
    public void addedTopicAliasIsWrittenInFrontOfTheProperties() {
        MqttProperties ct = MqttProperties.builder().set(PropertyId.CONTENT_TYPE, "x").build();
        PublishPacket bind = new PublishPacket("ab", 0, false, false, 0, ct, 7, null);
        // topic "ab", properties: length 7 = Topic Alias (23 0007) + Content Type (03 0001 78)
        assertEquals("300c00026162" + "07" + "230007" + "03000178", hex(bind, MqttVersion.MQTT_5));
        PublishPacket use = bind.withTopicAlias("", 7);
        assertEquals("300a0000" + "07" + "230007" + "03000178", hex(use, MqttVersion.MQTT_5));
        assertEquals(Integer.valueOf(7), use.topicAlias());
        for (PublishPacket p : List.of(bind, use)) {
            ByteBuf b = MqttEncoder.encode(ByteBufAllocator.DEFAULT, p, MqttVersion.MQTT_5);
            assertEquals(b.readableBytes(), MqttEncoder.encodedSize(p, MqttVersion.MQTT_5));
            PublishPacket back = Wire.decodeOne(Wire.client(MqttVersion.MQTT_5), ByteBufUtil.getBytes(b));
            b.release();
            assertEquals(p.topic(), back.topic());
            assertEquals(Integer.valueOf(7), back.properties().topicAlias());
            assertEquals("x", back.properties().contentType());
            back.release();
        }
    }

    @Test
    public void addedTopicAliasIsDroppedBeforeMqtt5() {
        PublishPacket p = new PublishPacket("a", 0, false, false, 0, null, 1,
                io.netty.buffer.Unpooled.wrappedBuffer(new byte[] {0x61}));
        assertEquals("300400016161", hex(p, MqttVersion.MQTT_3_1_1));
    }

    @Test(expected = IllegalArgumentException.class)
    public void topicAliasCannotBeAddedTwice() {
        MqttProperties alias = MqttProperties.builder().set(PropertyId.TOPIC_ALIAS, 1).build();
        new PublishPacket("t", 0, false, false, 0, alias, 2, null);
    }

    @Test
    public void MQTT_3_3_2_8_addedTopicAliasZeroMeansNone() {
        PublishPacket p = new PublishPacket("t", 0, false, false, 0, null, 0, null);
        assertNull(p.topicAlias());
        assertEquals("3004000174" + "00", hex(p, MqttVersion.MQTT_5));
    }

    @Test(expected = IllegalArgumentException.class)
    public void addedTopicAliasAboveTwoBytesIsRefused() {
        new PublishPacket("t", 0, false, false, 0, null, 0x10000, null);
    }
}

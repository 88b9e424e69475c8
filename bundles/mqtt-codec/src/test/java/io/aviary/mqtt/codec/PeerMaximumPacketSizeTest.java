package io.aviary.mqtt.codec;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import org.junit.Test;

/**
 * The encoder leaves out a Reason String and User Properties that would make a packet larger
 * than the Maximum Packet Size the peer announced, and keeps the rest of the packet, for every
 * packet type that may carry them; the decoder learns that size from the CONNECT (server side)
 * or CONNACK (client side).
 */
public class PeerMaximumPacketSizeTest {

    private static final MqttProperties BOTH = MqttProperties.builder()
            .set(PropertyId.REASON_STRING, "a reason string long enough to matter")
            .userProperty("name", "value").userProperty("other", "x").build();
    private static final MqttProperties REASON_ONLY = MqttProperties.builder()
            .set(PropertyId.REASON_STRING, "a reason string long enough to matter").build();

    /** A server-side channel after a v5 CONNECT that announced {@code max} (null: none). */
    private static EmbeddedChannel server(Long max) {
        EmbeddedChannel ch = new EmbeddedChannel(new MqttDecoder(1 << 20), MqttEncoder.INSTANCE);
        MqttProperties props = max == null ? MqttProperties.EMPTY
                : MqttProperties.builder().set(PropertyId.MAXIMUM_PACKET_SIZE, max).build();
        ch.writeInbound(MqttEncoder.encode(ByteBufAllocator.DEFAULT,
                new ConnectPacket(MqttVersion.MQTT_5, "c", true, 60, null, null, null, props), MqttVersion.MQTT_5));
        ConnectPacket c = ch.readInbound();
        assertEquals(MqttVersion.MQTT_5, c.version());
        return ch;
    }

    private static String sent(Long max, MqttPacket p) {
        EmbeddedChannel ch = server(max);
        ch.writeOutbound(p);
        ByteBuf b = ch.readOutbound();
        try {
            assertNull("one buffer per packet", ch.readOutbound());
            return ByteBufUtil.hexDump(b);
        } finally {
            b.release();
            ch.finishAndReleaseAll();
        }
    }

    private static String hex(MqttPacket p) {
        ByteBuf b = MqttEncoder.encode(ByteBufAllocator.DEFAULT, p, MqttVersion.MQTT_5);
        try {
            return ByteBufUtil.hexDump(b);
        } finally {
            b.release();
        }
    }

    private static long size(String hex) {
        return hex.length() / 2;
    }

    /**
     * {@code make} builds the packet with the given properties. At the bare packet's size both
     * optional properties go; with room for the Reason String alone the User Properties go
     * first; with room for all, or no limit, nothing changes.
     */
    private static void assertOptionalPropertiesYieldToTheLimit(java.util.function.Function<MqttProperties, MqttPacket> make) {
        String full = hex(make.apply(BOTH));
        String reasonOnly = hex(make.apply(REASON_ONLY));
        String bare = hex(make.apply(MqttProperties.EMPTY));
        assertTrue("the properties make a difference", size(bare) < size(reasonOnly) && size(reasonOnly) < size(full));

        assertEquals("bare packet at its own size", bare, sent(size(bare), make.apply(BOTH)));
        assertEquals("bare packet one byte short of the Reason String", bare, sent(size(reasonOnly) - 1, make.apply(BOTH)));
        assertEquals("User Properties dropped first", reasonOnly, sent(size(reasonOnly), make.apply(BOTH)));
        assertEquals("unchanged when it fits", full, sent(size(full), make.apply(BOTH)));
        assertEquals("unchanged without a limit", full, sent(null, make.apply(BOTH)));
    }

    @Test
    public void decoderRecordsTheMaximumPacketSizeOfConnectAndConnack() {
        EmbeddedChannel server = server(300L);
        assertEquals(Long.valueOf(300), server.attr(MqttCodec.PEER_MAXIMUM_PACKET_SIZE).get());
        server.finishAndReleaseAll();
        assertNull(server(null).attr(MqttCodec.PEER_MAXIMUM_PACKET_SIZE).get());

        EmbeddedChannel client = Wire.client(MqttVersion.MQTT_5);
        ConnAckPacket ack = new ConnAckPacket(false, 0,
                MqttProperties.builder().set(PropertyId.MAXIMUM_PACKET_SIZE, 1024L).build());
        client.writeInbound(MqttEncoder.encode(ByteBufAllocator.DEFAULT, ack, MqttVersion.MQTT_5));
        assertEquals(ack, client.readInbound());
        assertEquals(Long.valueOf(1024), client.attr(MqttCodec.PEER_MAXIMUM_PACKET_SIZE).get());
    }

    @Test
    public void MQTT_3_2_2_19_and_3_2_2_20_connack() {
        assertOptionalPropertiesYieldToTheLimit(p -> new ConnAckPacket(false, ReasonCode.NOT_AUTHORIZED, p));
    }

    @Test
    public void MQTT_3_4_2_2_and_3_4_2_3_puback() {
        assertOptionalPropertiesYieldToTheLimit(p -> new AckPacket(PacketType.PUBACK, 1, ReasonCode.NOT_AUTHORIZED, p));
    }

    @Test
    public void MQTT_3_5_2_2_and_3_5_2_3_pubrec() {
        assertOptionalPropertiesYieldToTheLimit(p -> new AckPacket(PacketType.PUBREC, 2, ReasonCode.QUOTA_EXCEEDED, p));
    }

    @Test
    public void MQTT_3_6_2_2_and_3_6_2_3_pubrel() {
        assertOptionalPropertiesYieldToTheLimit(
                p -> new AckPacket(PacketType.PUBREL, 3, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, p));
    }

    @Test
    public void MQTT_3_7_2_2_and_3_7_2_3_pubcomp() {
        assertOptionalPropertiesYieldToTheLimit(
                p -> new AckPacket(PacketType.PUBCOMP, 4, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, p));
    }

    @Test
    public void MQTT_3_9_2_1_and_3_9_2_2_suback() {
        assertOptionalPropertiesYieldToTheLimit(p -> new SubAckPacket(5, List.of(1, ReasonCode.TOPIC_FILTER_INVALID), p));
    }

    @Test
    public void MQTT_3_11_2_1_and_3_11_2_2_unsuback() {
        assertOptionalPropertiesYieldToTheLimit(p -> new UnsubAckPacket(6, List.of(ReasonCode.NO_SUBSCRIPTION_EXISTED), p));
    }

    @Test
    public void MQTT_3_14_2_3_and_3_14_2_4_disconnect() {
        assertOptionalPropertiesYieldToTheLimit(p -> new DisconnectPacket(ReasonCode.PROTOCOL_ERROR, p));
    }

    @Test
    public void MQTT_3_15_2_2_and_3_15_2_3_authKeepsMethodAndData() {
        MqttProperties auth = MqttProperties.builder().set(PropertyId.AUTHENTICATION_METHOD, "SCRAM")
                .set(PropertyId.AUTHENTICATION_DATA, new byte[] {1, 2, 3}).build();
        assertOptionalPropertiesYieldToTheLimit(p -> {
            MqttProperties.Builder b = auth.toBuilder();
            if (p.reasonString() != null) {
                b.set(PropertyId.REASON_STRING, p.reasonString());
            }
            p.userProperties().forEach(e -> b.userProperty(e.getKey(), e.getValue()));
            return new AuthPacket(ReasonCode.CONTINUE_AUTHENTICATION, b.build());
        });
    }

    @Test
    public void mandatoryPropertiesAreNeverDropped() {
        MqttProperties assigned = MqttProperties.builder()
                .set(PropertyId.ASSIGNED_CLIENT_IDENTIFIER, "a-long-assigned-client-identifier").build();
        ConnAckPacket ack = new ConnAckPacket(false, 0, assigned);
        assertEquals("nothing optional to leave out: sent as it is", hex(ack), sent(10L, ack));
    }

    @Test
    public void publishIsLeftToTheSender() {
        MqttProperties users = MqttProperties.builder().userProperty("k", "v".repeat(50)).build();
        PublishPacket p = new PublishPacket("t", 0, false, false, 0, users, null);
        assertEquals(hex(p), sent(20L, p));
    }
}

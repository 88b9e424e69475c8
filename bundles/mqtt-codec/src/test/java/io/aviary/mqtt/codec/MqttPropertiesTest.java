package io.aviary.mqtt.codec;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** The property model: typed access, defensive copies, the spec's value ranges, sizes. */
public class MqttPropertiesTest {

    @Test
    public void typedGettersReturnValuesAndNullWhenAbsent() {
        MqttProperties p = MqttProperties.builder()
                .set(PropertyId.SESSION_EXPIRY_INTERVAL, 0xFFFF_FFFFL)
                .set(PropertyId.RECEIVE_MAXIMUM, 10)
                .set(PropertyId.CONTENT_TYPE, "json")
                .userProperty("a", "1")
                .build();
        assertEquals(Long.valueOf(0xFFFF_FFFFL), p.sessionExpiryInterval());
        assertEquals(Integer.valueOf(10), p.receiveMaximum());
        assertEquals("json", p.getString(PropertyId.CONTENT_TYPE));
        assertEquals(List.of(Map.entry("a", "1")), p.userProperties());
        assertNull(p.topicAlias());
        assertNull(p.getBinary(PropertyId.CORRELATION_DATA));
        assertTrue(MqttProperties.EMPTY.isEmpty());
        assertSame(MqttProperties.EMPTY, MqttProperties.builder().build());
    }

    @Test
    public void getterOfTheWrongTypeIsRefused() {
        MqttProperties p = MqttProperties.builder().set(PropertyId.SESSION_EXPIRY_INTERVAL, 5).build();
        assertEquals(Long.valueOf(5), p.getLong(PropertyId.SESSION_EXPIRY_INTERVAL));
        assertThrows(() -> p.getInt(PropertyId.SESSION_EXPIRY_INTERVAL));
        assertThrows(() -> p.getString(PropertyId.RECEIVE_MAXIMUM));
    }

    @Test
    public void binaryValuesAreCopiedInAndOut() {
        byte[] data = {1, 2};
        MqttProperties p = MqttProperties.builder().set(PropertyId.CORRELATION_DATA, data).build();
        data[0] = 9;
        byte[] out = p.correlationData();
        assertArrayEquals(new byte[] {1, 2}, out);
        out[1] = 9;
        assertArrayEquals(new byte[] {1, 2}, p.correlationData());
    }

    @Test
    public void builderRefusesValuesTheSpecForbids() {
        assertThrows(() -> MqttProperties.builder().set(PropertyId.RECEIVE_MAXIMUM, 0));
        assertThrows(() -> MqttProperties.builder().set(PropertyId.MAXIMUM_PACKET_SIZE, 0L));
        assertThrows(() -> MqttProperties.builder().set(PropertyId.TOPIC_ALIAS, 0));
        assertThrows(() -> MqttProperties.builder().subscriptionIdentifier(0));
        assertThrows(() -> MqttProperties.builder().subscriptionIdentifier(MqttCodec.MAX_VARIABLE_BYTE_INT + 1));
        assertThrows(() -> MqttProperties.builder().set(PropertyId.PAYLOAD_FORMAT_INDICATOR, 2));
        assertThrows(() -> MqttProperties.builder().set(PropertyId.MAXIMUM_QOS, 2));
        assertThrows(() -> MqttProperties.builder().set(PropertyId.RECEIVE_MAXIMUM, 65_536));
        assertThrows(() -> MqttProperties.builder().set(PropertyId.SESSION_EXPIRY_INTERVAL, 1L << 32));
        assertThrows(() -> MqttProperties.builder().set(PropertyId.CONTENT_TYPE, 5));
        assertThrows(() -> MqttProperties.builder().set(PropertyId.CONTENT_TYPE, "a\u0000"));
        assertThrows(() -> MqttProperties.builder().userProperty("k", "\uD800"));
    }

    @Test
    public void encodedLengthMatchesTheBytesWritten() {
        MqttProperties p = Samples.allProperties(PacketType.CONNACK, false, false);
        ByteBuf out = Unpooled.buffer();
        PropertiesCodec.write(out, p, PacketType.CONNACK, false);
        assertEquals(p.encodedLengthWithPrefix(), out.readableBytes());
        assertEquals(p, PropertiesCodec.read(out, PacketType.CONNACK, false));
    }

    @Test
    public void toBuilderCopiesEverythingAndBuildsAnEqualValue() {
        MqttProperties p = Samples.allProperties(PacketType.PUBLISH, false, false);
        assertEquals(p, p.toBuilder().build());
        assertEquals(p.hashCode(), p.toBuilder().build().hashCode());
        MqttProperties q = p.toBuilder().remove(PropertyId.USER_PROPERTY).build();
        assertTrue(q.userProperties().isEmpty());
        assertEquals(2, q.subscriptionIdentifiers().size());
    }

    @Test
    public void everyPropertyIdIsFoundByItsWireIdentifier() {
        for (PropertyId id : PropertyId.values()) {
            assertSame(id, PropertyId.fromId(id.id()));
        }
        assertNull(PropertyId.fromId(0x04));
        assertNull(PropertyId.fromId(0x7F));
    }

    private static void assertThrows(Runnable r) {
        try {
            r.run();
            fail("expected IllegalArgumentException");
        } catch (IllegalArgumentException expected) {
            // the value was refused
        }
    }
}

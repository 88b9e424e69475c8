package io.aviary.mqtt.codec;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.Test;

/** Byte sequences taken literally from the MQTT 3.1.1 and 5.0 specifications. */
public class SpecExamplesTest {

    /** Spec 3.1.1 table 2.4 / 5.0 table 1-1: the Remaining Length boundaries. */
    @Test
    public void variableByteIntegerBoundariesMatchTheSpecTable() {
        assertVbi(0, "00");
        assertVbi(127, "7F");
        assertVbi(128, "8001");
        assertVbi(16_383, "FF7F");
        assertVbi(16_384, "808001");
        assertVbi(2_097_151, "FFFF7F");
        assertVbi(2_097_152, "80808001");
        assertVbi(268_435_455, "FFFFFF7F");
    }

    private static void assertVbi(int value, String hex) {
        ByteBuf b = Unpooled.buffer();
        VariableByteInteger.write(b, value);
        assertEquals(hex.toLowerCase(), ByteBufUtil.hexDump(b));
        assertEquals(hex.length() / 2, VariableByteInteger.size(value));
        assertEquals(value, VariableByteInteger.read(b));
    }

    /** MQTT 3.1.1 figure 3.6: protocol name, level 4, flags 0xCE, keep alive 10. */
    @Test
    public void mqtt311ConnectVariableHeaderExampleDecodes() {
        byte[] connect = Wire.bytes().hex("00 04 4D 51 54 54 04 CE 00 0A")
                .str("cid").str("will/t").str("bye").str("user").str("pass").packet(0x10);
        ConnectPacket c = Wire.decodeOne(Wire.server(1024), connect);
        assertEquals(MqttVersion.MQTT_3_1_1, c.version());
        assertTrue(c.cleanStart());
        assertEquals(10, c.keepAlive());
        assertEquals(1, c.will().qos());
        assertFalse(c.will().retain());
        assertEquals("will/t", c.will().topic());
        assertEquals("user", c.username());
        assertArrayEquals("pass".getBytes(), c.password());
    }

    /** MQTT 5.0 figure 3-6: level 5, flags 0xC2, keep alive 10, Session Expiry Interval 10. */
    @Test
    public void mqtt5ConnectVariableHeaderExampleDecodes() {
        byte[] connect = Wire.bytes().hex("00 04 4D 51 54 54 05 C2 00 0A 05 11 00 00 00 0A")
                .str("cid").str("user").str("pass").packet(0x10);
        ConnectPacket c = Wire.decodeOne(Wire.server(1024), connect);
        assertEquals(MqttVersion.MQTT_5, c.version());
        assertEquals(Long.valueOf(10), c.properties().sessionExpiryInterval());
        assertNull(c.will());
    }

    /** MQTT 3.1 (protocol name "MQIsdp", level 3). */
    @Test
    public void mqtt31ConnectDecodes() {
        byte[] connect = Wire.bytes().hex("00 06 4D 51 49 73 64 70 03 02 00 3C").str("cid").packet(0x10);
        ConnectPacket c = Wire.decodeOne(Wire.server(1024), connect);
        assertEquals(MqttVersion.MQTT_3_1, c.version());
        assertEquals(60, c.keepAlive());
    }

    /** Spec 1.5.3 (3.1.1) / 1.5.4 (5.0) example: "A\uD869\uDED4" is 00 05 41 F0 AA 9B 94. */
    @Test
    public void utf8ExampleOfASupplementaryCharacterDecodes() {
        PublishPacket p = Wire.decodeOne(Wire.connected(MqttVersion.MQTT_3_1_1),
                Wire.bytes().hex("00 05 41 F0 AA 9B 94").packet(0x30));
        assertEquals("A\uD869\uDED4", p.topic());
        p.release();
    }

    /** MQTT 3.1.1 figure 3.11: PUBLISH variable header, topic "a/b", packet id 10. */
    @Test
    public void mqtt311PublishVariableHeaderExampleDecodes() {
        PublishPacket p = Wire.decodeOne(Wire.connected(MqttVersion.MQTT_3_1_1),
                Wire.bytes().hex("00 03 61 2F 62 00 0A").packet(0x32));
        assertEquals("a/b", p.topic());
        assertEquals(10, p.packetId());
        assertEquals(1, p.qos());
        p.release();
    }

    @Test
    public void pingAndDisconnectAreTwoBytes() {
        assertEquals(PingReqPacket.INSTANCE, Wire.decodeOne(Wire.connected(MqttVersion.MQTT_3_1_1), Wire.pingReq()));
        assertEquals(DisconnectPacket.NORMAL, Wire.decodeOne(Wire.connected(MqttVersion.MQTT_5), new byte[] {(byte) 0xE0, 0}));
    }
}

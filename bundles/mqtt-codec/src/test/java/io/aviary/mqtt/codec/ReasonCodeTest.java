package io.aviary.mqtt.codec;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

/** Reason code names and the mapping of v5 CONNACK reasons to 3.1.1 return codes. */
public class ReasonCodeTest {

    @Test
    public void namesAreReadable() {
        assertEquals("SUCCESS", ReasonCode.name(0x00));
        assertEquals("MALFORMED_PACKET", ReasonCode.name(0x81));
        assertEquals("PACKET_TOO_LARGE", ReasonCode.name(0x95));
        assertEquals("WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED", ReasonCode.name(0xA2));
        assertEquals("0xFF", ReasonCode.name(0xFF));
    }

    @Test
    public void v5ConnackReasonsMapToV3ReturnCodes() {
        assertEquals(0, ReasonCode.toV3ConnackCode(ReasonCode.SUCCESS));
        assertEquals(1, ReasonCode.toV3ConnackCode(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION));
        assertEquals(2, ReasonCode.toV3ConnackCode(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID));
        assertEquals(3, ReasonCode.toV3ConnackCode(ReasonCode.SERVER_BUSY));
        assertEquals(4, ReasonCode.toV3ConnackCode(ReasonCode.BAD_USER_NAME_OR_PASSWORD));
        assertEquals(5, ReasonCode.toV3ConnackCode(ReasonCode.NOT_AUTHORIZED));
        assertEquals(5, ReasonCode.toV3ConnackCode(ReasonCode.BANNED));
        assertEquals(3, ReasonCode.toV3ConnackCode(ReasonCode.MALFORMED_PACKET));
    }

    @Test
    public void v3ReturnCodesMapBackToV5Reasons() {
        for (int v3 = 0; v3 <= 5; v3++) {
            assertEquals(v3, ReasonCode.toV3ConnackCode(ReasonCode.fromV3ConnackCode(v3)));
        }
    }

    @Test
    public void versionsAreFoundByProtocolLevel() {
        assertEquals(MqttVersion.MQTT_3_1, MqttVersion.fromLevel(3));
        assertEquals("MQIsdp", MqttVersion.fromLevel(3).protocolName());
        assertEquals(MqttVersion.MQTT_5, MqttVersion.fromLevel(5));
    }

    @Test(expected = IllegalArgumentException.class)
    public void unknownProtocolLevelIsRefused() {
        MqttVersion.fromLevel(6);
    }
}

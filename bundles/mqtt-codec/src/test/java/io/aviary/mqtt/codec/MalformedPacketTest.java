package io.aviary.mqtt.codec;

import static io.aviary.mqtt.codec.MqttVersion.MQTT_3_1;
import static io.aviary.mqtt.codec.MqttVersion.MQTT_3_1_1;
import static io.aviary.mqtt.codec.MqttVersion.MQTT_5;
import static io.aviary.mqtt.codec.ReasonCode.CLIENT_IDENTIFIER_NOT_VALID;
import static io.aviary.mqtt.codec.ReasonCode.MALFORMED_PACKET;
import static io.aviary.mqtt.codec.ReasonCode.PROTOCOL_ERROR;
import static io.aviary.mqtt.codec.ReasonCode.TOPIC_FILTER_INVALID;
import static io.aviary.mqtt.codec.ReasonCode.TOPIC_NAME_INVALID;
import static io.aviary.mqtt.codec.ReasonCode.UNSUPPORTED_PROTOCOL_VERSION;
import static io.aviary.mqtt.codec.Wire.bytes;
import static io.aviary.mqtt.codec.Wire.connected;
import static io.aviary.mqtt.codec.Wire.expectInvalid;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.Test;

/**
 * Every malformed or forbidden input the brief and the specs list yields one InvalidPacket with
 * the reason code the spec names, after which the decoder ignores the channel's further bytes
 * (checked inside {@link Wire#expectInvalid}). Test names carry the spec's statement ids.
 */
public class MalformedPacketTest {

    // ----- framing and order -----

    @Test
    public void mqtt_3_1_0_1_firstPacketMustBeConnect() {
        InvalidPacket p = expectInvalid(Wire.server(1024), Wire.pingReq(), PROTOCOL_ERROR);
        assertEquals(PacketType.PINGREQ, p.type());
    }

    @Test
    public void mqtt_3_1_0_2_secondConnectIsProtocolError() {
        expectInvalid(connected(MQTT_5), Wire.connect(MQTT_5), PROTOCOL_ERROR);
    }

    @Test
    public void mqtt_2_1_3_1_reservedFixedHeaderFlagsAreMalformed() {
        expectInvalid(connected(MQTT_5), new byte[] {0x41, 0x02, 0x00, 0x01}, MALFORMED_PACKET); // PUBACK flags 1
        expectInvalid(connected(MQTT_3_1_1), new byte[] {0x60, 0x02, 0x00, 0x01}, MALFORMED_PACKET); // PUBREL flags 0
        expectInvalid(connected(MQTT_5), bytes().u16(1).b(0).str("a").b(0).packet(0x80), MALFORMED_PACKET);
        expectInvalid(connected(MQTT_5), bytes().u16(1).b(0).str("a").packet(0xA0), MALFORMED_PACKET);
        expectInvalid(connected(MQTT_5), new byte[] {(byte) 0xC1, 0x00}, MALFORMED_PACKET);
        expectInvalid(Wire.server(1024), bytes().str("MQTT").b(4, 2).u16(0).str("c").packet(0x11), MALFORMED_PACKET);
    }

    @Test
    public void reservedPacketTypeZeroIsMalformed() {
        expectInvalid(connected(MQTT_5), new byte[] {0x00, 0x00}, MALFORMED_PACKET);
    }

    @Test
    public void authPacketBeforeMqtt5IsMalformed() {
        expectInvalid(connected(MQTT_3_1_1), new byte[] {(byte) 0xF0, 0x00}, MALFORMED_PACKET);
    }

    @Test
    public void packetsOnlyAServerSendsAreProtocolErrorsFromAClient() {
        expectInvalid(connected(MQTT_5), new byte[] {0x20, 0x02, 0x00, 0x00}, PROTOCOL_ERROR); // CONNACK
        expectInvalid(connected(MQTT_3_1_1), new byte[] {(byte) 0xD0, 0x00}, PROTOCOL_ERROR); // PINGRESP
    }

    @Test
    public void packetsOnlyAClientSendsAreProtocolErrorsFromAServer() {
        expectInvalid(Wire.client(MQTT_5), Wire.pingReq(), PROTOCOL_ERROR);
        expectInvalid(Wire.client(MQTT_3_1_1), Wire.connect(MQTT_3_1_1), PROTOCOL_ERROR);
    }

    @Test
    public void mqtt_1_5_5_remainingLengthOfMoreThanFourBytesIsMalformed() {
        expectInvalid(connected(MQTT_5), bytes().hex("30 FF FF FF FF 01").toArray(), MALFORMED_PACKET);
    }

    @Test
    public void mqtt_1_5_5_1_nonMinimalVariableByteIntegerIsMalformed() {
        expectInvalid(connected(MQTT_5), bytes().hex("C0 80 00").toArray(), MALFORMED_PACKET);
    }

    @Test
    public void packetShorterThanItsContentIsMalformed() {
        // PUBACK declares 1 byte but a packet id needs 2
        expectInvalid(connected(MQTT_3_1_1), bytes().hex("40 01 00").toArray(), MALFORMED_PACKET);
        // CONNECT whose client id length runs past the remaining length
        expectInvalid(Wire.server(1024), bytes().str("MQTT").b(4, 2).u16(0).u16(10).b('a').packet(0x10),
                MALFORMED_PACKET);
    }

    @Test
    public void packetLongerThanItsContentIsMalformed() {
        expectInvalid(connected(MQTT_3_1_1), bytes().hex("C0 01 00").toArray(), MALFORMED_PACKET);
        expectInvalid(connected(MQTT_3_1_1), bytes().hex("40 03 00 01 00").toArray(), MALFORMED_PACKET);
        expectInvalid(connected(MQTT_3_1_1), bytes().hex("E0 01 00").toArray(), MALFORMED_PACKET);
        expectInvalid(Wire.server(1024), bytes().str("MQTT").b(4, 2).u16(0).str("c").b(7).packet(0x10), MALFORMED_PACKET);
    }

    @Test
    public void propertyLengthBeyondThePacketIsMalformed() {
        expectInvalid(connected(MQTT_5), bytes().str("t").b(9).b(0x02).packet(0x30), MALFORMED_PACKET);
    }

    // ----- CONNECT -----

    @Test
    public void mqtt_3_1_2_2_unsupportedProtocolLevelIsReportedAs0x84WithoutVersion() {
        EmbeddedChannel ch = Wire.server(1024);
        InvalidPacket p = expectInvalid(ch, bytes().str("MQTT").b(6, 2).u16(0).str("c").packet(0x10),
                UNSUPPORTED_PROTOCOL_VERSION);
        assertEquals(PacketType.CONNECT, p.type());
        assertNull("no version learned: broker answers in 3.1.1 form (return code 0x01)", ch.attr(MqttCodec.VERSION).get());
        assertEquals(ReasonCode.CONNACK_V3_UNACCEPTABLE_PROTOCOL_VERSION, ReasonCode.toV3ConnackCode(p.reasonCode()));
    }

    @Test
    public void protocolNameAndLevelMustMatch() {
        expectInvalid(Wire.server(1024), bytes().str("MQTT").b(3, 2).u16(0).str("c").packet(0x10), UNSUPPORTED_PROTOCOL_VERSION);
        expectInvalid(Wire.server(1024), bytes().str("MQIsdp").b(4, 2).u16(0).str("c").packet(0x10), UNSUPPORTED_PROTOCOL_VERSION);
    }

    @Test
    public void mqtt_3_1_2_1_unknownProtocolNameIsProtocolError() {
        expectInvalid(Wire.server(1024), bytes().str("HTTP").b(4, 2).u16(0).str("c").packet(0x10), PROTOCOL_ERROR);
    }

    @Test
    public void mqtt_3_1_2_3_connectReservedFlagIsMalformedAndVersionIsAlreadyKnown() {
        EmbeddedChannel ch = Wire.server(1024);
        expectInvalid(ch, bytes().str("MQTT").b(5, 0x03).u16(0).b(0).str("c").packet(0x10), MALFORMED_PACKET);
        assertEquals(MQTT_5, ch.attr(MqttCodec.VERSION).get());
    }

    @Test
    public void mqtt_3_1_2_12_willQos3IsMalformed() {
        expectInvalid(Wire.server(1024), bytes().str("MQTT").b(4, 0x1E).u16(0).str("c").str("w").str("x").packet(0x10),
                MALFORMED_PACKET);
    }

    @Test
    public void mqtt_3_1_2_11_willQosWithoutWillFlagIsProtocolError() {
        expectInvalid(Wire.server(1024), bytes().str("MQTT").b(4, 0x0A).u16(0).str("c").packet(0x10), PROTOCOL_ERROR);
    }

    @Test
    public void mqtt_3_1_2_13_willRetainWithoutWillFlagIsProtocolError() {
        expectInvalid(Wire.server(1024), bytes().str("MQTT").b(5, 0x22).u16(0).b(0).str("c").packet(0x10), PROTOCOL_ERROR);
    }

    @Test
    public void mqtt_3_1_2_22_passwordWithoutUserNameIsProtocolErrorBeforeMqtt5() {
        expectInvalid(Wire.server(1024), bytes().str("MQTT").b(4, 0x42).u16(0).str("c").str("pw").packet(0x10), PROTOCOL_ERROR);
        expectInvalid(Wire.server(1024), bytes().str("MQIsdp").b(3, 0x42).u16(0).str("c").str("pw").packet(0x10), PROTOCOL_ERROR);
    }

    @Test
    public void passwordWithoutUserNameIsAllowedInMqtt5() {
        ConnectPacket c = Wire.decodeOne(Wire.server(1024),
                bytes().str("MQTT").b(5, 0x42).u16(0).b(0).str("c").str("pw").packet(0x10));
        assertNull(c.username());
        assertEquals("pw", new String(c.password()));
    }

    @Test
    public void mqtt_3_1_3_8_emptyClientIdWithoutCleanSessionIsIdentifierRejected() {
        InvalidPacket p = expectInvalid(Wire.server(1024), bytes().str("MQTT").b(4, 0x00).u16(0).str("").packet(0x10),
                CLIENT_IDENTIFIER_NOT_VALID);
        assertEquals(ReasonCode.CONNACK_V3_IDENTIFIER_REJECTED, ReasonCode.toV3ConnackCode(p.reasonCode()));
        expectInvalid(Wire.server(1024), bytes().str("MQIsdp").b(3, 0x02).u16(0).str("").packet(0x10),
                CLIENT_IDENTIFIER_NOT_VALID);
    }

    @Test
    public void emptyClientIdIsAcceptedWithCleanSessionOrUnderMqtt5() {
        ConnectPacket v4 = Wire.decodeOne(Wire.server(1024), bytes().str("MQTT").b(4, 0x02).u16(0).str("").packet(0x10));
        assertEquals("", v4.clientId());
        ConnectPacket v5 = Wire.decodeOne(Wire.server(1024), bytes().str("MQTT").b(5, 0x00).u16(0).b(0).str("").packet(0x10));
        assertEquals("", v5.clientId());
    }

    @Test
    public void willTopicWithWildcardIsTopicNameInvalid() {
        expectInvalid(Wire.server(1024), bytes().str("MQTT").b(4, 0x06).u16(0).str("c").str("a/#").str("x").packet(0x10),
                TOPIC_NAME_INVALID);
    }

    @Test
    public void authenticationDataWithoutMethodIsProtocolError() {
        expectInvalid(Wire.server(1024), bytes().str("MQTT").b(5, 2).u16(0).b(4, 0x16).u16(1).b(9).str("c").packet(0x10),
                PROTOCOL_ERROR);
    }

    // ----- UTF-8 -----

    @Test
    public void mqtt_1_5_4_2_nullCharacterInStringIsMalformed() {
        expectInvalid(Wire.server(1024), bytes().str("MQTT").b(4, 2).u16(0).u16(3).b('a', 0, 'b').packet(0x10), MALFORMED_PACKET);
    }

    @Test
    public void mqtt_1_5_4_1_surrogateCodePointIsMalformed() {
        expectInvalid(connected(MQTT_3_1_1), bytes().u16(3).hex("ED A0 80").packet(0x30), MALFORMED_PACKET);
    }

    @Test
    public void mqtt_1_5_4_1_overlongEncodingIsMalformed() {
        expectInvalid(connected(MQTT_3_1_1), bytes().u16(2).hex("C0 AF").packet(0x30), MALFORMED_PACKET);
        expectInvalid(connected(MQTT_3_1_1), bytes().u16(3).hex("E0 80 AF").packet(0x30), MALFORMED_PACKET);
    }

    @Test
    public void mqtt_1_5_4_1_truncatedOrInvalidSequenceIsMalformed() {
        expectInvalid(connected(MQTT_3_1_1), bytes().u16(2).hex("61 E2").packet(0x30), MALFORMED_PACKET);
        expectInvalid(connected(MQTT_3_1_1), bytes().u16(1).hex("FF").packet(0x30), MALFORMED_PACKET);
        expectInvalid(connected(MQTT_3_1_1), bytes().u16(4).hex("F4 90 80 80").packet(0x30), MALFORMED_PACKET);
    }

    @Test
    public void controlCharactersAndNonCharactersAreAllowed() {
        PublishPacket p = Wire.decodeOne(connected(MQTT_3_1_1), bytes().u16(7).hex("01 7F C2 80 EF BF BF").packet(0x30));
        assertEquals("\u0001\u007F\u0080\uFFFF", p.topic());
        p.release();
    }

    // ----- PUBLISH -----

    @Test
    public void mqtt_3_3_1_4_publishQos3IsMalformed() {
        expectInvalid(connected(MQTT_5), bytes().str("t").u16(1).b(0).packet(0x36), MALFORMED_PACKET);
    }

    @Test
    public void mqtt_3_3_1_2_dupOnQos0IsProtocolError() {
        expectInvalid(connected(MQTT_3_1_1), bytes().str("t").packet(0x38), PROTOCOL_ERROR);
    }

    @Test
    public void mqtt_2_2_1_3_packetIdZeroIsMalformed() {
        expectInvalid(connected(MQTT_3_1_1), bytes().str("t").u16(0).packet(0x32), MALFORMED_PACKET);
        expectInvalid(connected(MQTT_5), bytes().hex("40 02 00 00").toArray(), MALFORMED_PACKET);
        expectInvalid(connected(MQTT_5), bytes().u16(0).b(0).str("a").b(0).packet(0x82), MALFORMED_PACKET);
        expectInvalid(connected(MQTT_3_1), bytes().u16(0).str("a").packet(0xA2), MALFORMED_PACKET);
    }

    @Test
    public void mqtt_3_3_2_2_topicNameWithWildcardIsTopicNameInvalid() {
        expectInvalid(connected(MQTT_5), bytes().str("a/+").b(0).packet(0x30), TOPIC_NAME_INVALID);
        expectInvalid(connected(MQTT_3_1_1), bytes().str("#").packet(0x30), TOPIC_NAME_INVALID);
    }

    @Test
    public void mqtt_4_7_3_1_emptyTopicNameWithoutAliasIsProtocolError() {
        expectInvalid(connected(MQTT_3_1_1), bytes().str("").packet(0x30), PROTOCOL_ERROR);
        expectInvalid(connected(MQTT_5), bytes().str("").b(0).packet(0x30), PROTOCOL_ERROR);
    }

    @Test
    public void emptyTopicNameWithTopicAliasIsAcceptedInMqtt5() {
        PublishPacket p = Wire.decodeOne(connected(MQTT_5), bytes().str("").b(3, 0x23).u16(4).b('x').packet(0x30));
        assertEquals("", p.topic());
        assertEquals(Integer.valueOf(4), p.topicAlias());
        p.release();
    }

    @Test
    public void mqtt_3_3_2_8_topicAliasZeroIsProtocolError() {
        expectInvalid(connected(MQTT_5), bytes().str("t").b(3, 0x23).u16(0).packet(0x30), PROTOCOL_ERROR);
    }

    @Test
    public void mqtt_3_3_4_6_subscriptionIdentifierFromClientIsProtocolError() {
        expectInvalid(connected(MQTT_5), bytes().str("t").b(2, 0x0B, 1).packet(0x30), PROTOCOL_ERROR);
    }

    @Test
    public void mqtt_3_3_2_14_responseTopicWithWildcardIsProtocolError() {
        expectInvalid(connected(MQTT_5), bytes().str("t").b(6, 0x08).str("r/#").packet(0x30), PROTOCOL_ERROR);
    }

    // ----- properties -----

    @Test
    public void duplicatePropertyIsProtocolError() {
        expectInvalid(connected(MQTT_5), bytes().str("t").b(10, 0x02).u32(1).b(0x02).u32(2).packet(0x30), PROTOCOL_ERROR);
        expectInvalid(Wire.server(1024), bytes().str("MQTT").b(5, 2).u16(0).b(6, 0x21).u16(1).b(0x21).u16(2).str("c").packet(0x10),
                PROTOCOL_ERROR);
        expectInvalid(connected(MQTT_5), bytes().u16(1).b(4, 0x0B, 1, 0x0B, 2).str("a").b(0).packet(0x82), PROTOCOL_ERROR);
    }

    @Test
    public void repeatedUserPropertiesAndServerSubscriptionIdentifiersAreAllowed() {
        PublishPacket p = Wire.decodeOne(connected(MQTT_5),
                bytes().str("t").b(14).b(0x26).str("k").str("1").b(0x26).str("k").str("2").packet(0x30));
        assertEquals(2, p.properties().userProperties().size());
        p.release();
        PublishPacket q = Wire.decodeOne(Wire.client(MQTT_5), bytes().str("t").b(4, 0x0B, 1, 0x0B, 2).packet(0x30));
        assertEquals(java.util.List.of(1, 2), q.properties().subscriptionIdentifiers());
        q.release();
    }

    @Test
    public void propertyNotAllowedOnPacketTypeIsMalformed() {
        expectInvalid(connected(MQTT_5), bytes().str("t").b(5, 0x11).u32(1).packet(0x30), MALFORMED_PACKET);
        expectInvalid(connected(MQTT_5), bytes().hex("40 04 00 01 00 02 23 00").toArray(), MALFORMED_PACKET);
    }

    @Test
    public void propertyNotAllowedInWillIsMalformed() {
        expectInvalid(Wire.server(1024), bytes().str("MQTT").b(5, 0x06).u16(0).b(0).str("c")
                .b(5, 0x11).u32(1).str("w").str("x").packet(0x10), MALFORMED_PACKET);
    }

    @Test
    public void unknownPropertyIdentifierIsMalformed() {
        expectInvalid(connected(MQTT_5), bytes().str("t").b(2, 0x7F, 0).packet(0x30), MALFORMED_PACKET);
    }

    @Test
    public void zeroReceiveMaximumMaximumPacketSizeAndSubscriptionIdentifierAreProtocolErrors() {
        expectInvalid(Wire.server(1024), bytes().str("MQTT").b(5, 2).u16(0).b(3, 0x21).u16(0).str("c").packet(0x10), PROTOCOL_ERROR);
        expectInvalid(Wire.server(1024), bytes().str("MQTT").b(5, 2).u16(0).b(5, 0x27).u32(0).str("c").packet(0x10), PROTOCOL_ERROR);
        expectInvalid(connected(MQTT_5), bytes().u16(1).b(2, 0x0B, 0).str("a").b(0).packet(0x82), PROTOCOL_ERROR);
    }

    @Test
    public void booleanPropertiesOtherThanZeroOrOneAreProtocolErrors() {
        expectInvalid(connected(MQTT_5), bytes().str("t").b(2, 0x01, 2).packet(0x30), PROTOCOL_ERROR);
        expectInvalid(Wire.server(1024), bytes().str("MQTT").b(5, 2).u16(0).b(2, 0x17, 2).str("c").packet(0x10), PROTOCOL_ERROR);
        expectInvalid(Wire.server(1024), bytes().str("MQTT").b(5, 2).u16(0).b(2, 0x19, 5).str("c").packet(0x10), PROTOCOL_ERROR);
        expectInvalid(Wire.client(MQTT_5), bytes().b(0, 0, 2, 0x24, 2).packet(0x20), PROTOCOL_ERROR);
        expectInvalid(Wire.client(MQTT_5), bytes().b(0, 0, 2, 0x25, 3).packet(0x20), PROTOCOL_ERROR);
    }

    // ----- SUBSCRIBE / UNSUBSCRIBE -----

    @Test
    public void mqtt_3_8_3_2_subscribeWithoutTopicIsProtocolError() {
        expectInvalid(connected(MQTT_5), bytes().u16(1).b(0).packet(0x82), PROTOCOL_ERROR);
        expectInvalid(connected(MQTT_3_1_1), bytes().u16(1).packet(0x82), PROTOCOL_ERROR);
    }

    @Test
    public void mqtt_3_10_3_2_unsubscribeWithoutTopicIsProtocolError() {
        expectInvalid(connected(MQTT_5), bytes().u16(1).b(0).packet(0xA2), PROTOCOL_ERROR);
        expectInvalid(connected(MQTT_3_1_1), bytes().u16(1).packet(0xA2), PROTOCOL_ERROR);
    }

    @Test
    public void mqtt_3_8_3_5_subscriptionOptionsReservedBitsAreMalformed() {
        expectInvalid(connected(MQTT_5), bytes().u16(1).b(0).str("a").b(0x40).packet(0x82), MALFORMED_PACKET);
        expectInvalid(connected(MQTT_3_1_1), bytes().u16(1).str("a").b(0x04).packet(0x82), MALFORMED_PACKET);
    }

    @Test
    public void subscriptionQos3IsMalformed() {
        expectInvalid(connected(MQTT_3_1_1), bytes().u16(1).str("a").b(3).packet(0x82), MALFORMED_PACKET);
    }

    @Test
    public void retainHandling3IsProtocolError() {
        expectInvalid(connected(MQTT_5), bytes().u16(1).b(0).str("a").b(0x30).packet(0x82), PROTOCOL_ERROR);
    }

    @Test
    public void mqtt_3_8_3_4_noLocalOnSharedSubscriptionIsProtocolError() {
        expectInvalid(connected(MQTT_5), bytes().u16(1).b(0).str("$share/g/a").b(0x04).packet(0x82), PROTOCOL_ERROR);
    }

    @Test
    public void mqtt_4_7_1_1_misplacedWildcardInFilterIsTopicFilterInvalid() {
        expectInvalid(connected(MQTT_5), bytes().u16(1).b(0).str("a/#/b").b(0).packet(0x82), TOPIC_FILTER_INVALID);
        expectInvalid(connected(MQTT_3_1_1), bytes().u16(1).str("a+").b(0).packet(0x82), TOPIC_FILTER_INVALID);
        expectInvalid(connected(MQTT_3_1_1), bytes().u16(1).str("").b(0).packet(0x82), TOPIC_FILTER_INVALID);
        expectInvalid(connected(MQTT_3_1_1), bytes().u16(1).str("a/b#").packet(0xA2), TOPIC_FILTER_INVALID);
        expectInvalid(connected(MQTT_5), bytes().u16(1).b(0).str("$share/g+/a").b(0).packet(0x82), TOPIC_FILTER_INVALID);
    }

    // ----- reason codes -----

    @Test
    public void mqtt_3_14_2_1_disconnectReasonOnlyAServerSendsIsProtocolErrorFromClient() {
        expectInvalid(connected(MQTT_5), bytes().hex("E0 01 8B").toArray(), PROTOCOL_ERROR);
    }

    @Test
    public void serverReferenceInClientDisconnectIsProtocolError() {
        expectInvalid(connected(MQTT_5), bytes().b(0x9C, 4, 0x1C).str("h").packet(0xE0), PROTOCOL_ERROR);
    }

    @Test
    public void unknownAckReasonCodeIsProtocolError() {
        expectInvalid(connected(MQTT_5), bytes().hex("40 03 00 01 92").toArray(), PROTOCOL_ERROR);
        expectInvalid(connected(MQTT_5), bytes().hex("F0 01 01").toArray(), PROTOCOL_ERROR);
    }

    @Test
    public void mqtt_3_2_2_1_connackReservedFlagsAreMalformed() {
        expectInvalid(Wire.client(MQTT_3_1_1), bytes().hex("20 02 02 00").toArray(), MALFORMED_PACKET);
    }

    @Test
    public void mqtt_3_2_2_6_sessionPresentWithFailureIsProtocolError() {
        expectInvalid(Wire.client(MQTT_5), bytes().hex("20 03 01 87 00").toArray(), PROTOCOL_ERROR);
    }
}

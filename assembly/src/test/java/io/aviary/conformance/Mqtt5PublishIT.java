package io.aviary.conformance;

import static io.aviary.conformance.Bytes.PUBACK;
import static io.aviary.conformance.Bytes.PUBCOMP;
import static io.aviary.conformance.Bytes.PUBLISH;
import static io.aviary.conformance.Bytes.PUBREC;
import static io.aviary.conformance.Bytes.PUBREL;
import static io.aviary.conformance.Bytes.SUBACK;
import static io.aviary.conformance.Bytes.ack;
import static io.aviary.conformance.Bytes.ack5;
import static io.aviary.conformance.Bytes.cat;
import static io.aviary.conformance.Bytes.connect5;
import static io.aviary.conformance.Bytes.packet;
import static io.aviary.conformance.Bytes.props;
import static io.aviary.conformance.Bytes.publish5;
import static io.aviary.conformance.Bytes.str;
import static io.aviary.conformance.Bytes.u16;
import static io.aviary.conformance.Bytes.u32;
import static io.aviary.conformance.Bytes.u8;
import static io.aviary.conformance.Bytes.vbi;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.aviary.itest.Distribution;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * MQTT 5.0 PUBLISH statements (3.3, 3.4-3.7, 4.3, 4.4, 4.9): properties forwarded unaltered,
 * Message Expiry, Topic Aliases, Subscription Identifiers, Receive Maximum and the client's
 * Maximum Packet Size, checked black-box against the running distribution with raw bytes and
 * the HiveMQ client.
 */
public class Mqtt5PublishIT {
    private static Distribution dist;
    private static int port;

    @BeforeClass
    public static void start() throws Exception {
        dist = new Distribution().start();
        port = dist.mqttPort;
    }

    @AfterClass
    public static void stop() throws Exception {
        dist.close();
    }

    private static RawClient client(String id) throws Exception {
        return RawClient.connected(port, connect5(id));
    }

    private static RawClient subscriber(String id, String filter, int options, byte[] subProps) throws Exception {
        RawClient sub = client(id);
        subscribe(sub, filter, options, subProps);
        return sub;
    }

    private static void subscribe(RawClient c, String filter, int options, byte[] subProps) throws Exception {
        c.send(Bytes.subscribe5(8, subProps, filter, options));
        Packet ack = c.expect(SUBACK);
        assertEquals("granted " + ack, options & 3, ack.u8(ack.propsAt(2).end()));
    }

    private static void publish(String topic, int qos, boolean retain, byte[] pubProps, String payload) throws Exception {
        try (RawClient pub = client("p5-" + Integer.toHexString((topic + payload + qos).hashCode()))) {
            pub.send(publish5(qos, retain, topic, 1, pubProps, payload));
            if (qos == 1) {
                pub.expect(PUBACK);
            } else if (qos == 2) {
                pub.expect(PUBREC);
                pub.send(ack(PUBREL, 1));
                pub.expect(PUBCOMP);
            }
            pub.send(Bytes.disconnect());
            pub.awaitClose();
        }
    }

    private static byte[] prop(int id, byte[] value) {
        return cat(u8(id), value);
    }

    private static byte[] alias(int value) {
        return prop(0x23, u16(value));
    }

    private static byte[] expiry(long seconds) {
        return prop(0x02, u32(seconds));
    }

    @Test
    public void MQTT_3_3_1_4_publishWithQos3IsMalformed() throws Exception {
        try (RawClient c = client("p5-qos3")) {
            c.send(packet(0x36, str("p5/qos3"), u16(1), props(), u8('x')));
            c.awaitDisconnect(0x81);
        }
    }

    @Test
    public void MQTT_3_3_2_2_wildcardInTopicNameIsRefused() throws Exception {
        try (RawClient c = client("p5-wild")) {
            c.send(publish5(0, false, "p5/+", 0, props(), "x"));
            c.awaitDisconnect(0x90); // Topic Name invalid
        }
    }

    @Test
    public void MQTT_3_3_2_4_and_3_3_2_15_and_3_3_2_16_and_3_3_2_17_and_3_3_2_18_and_3_3_2_20_propertiesAreForwardedUnaltered()
            throws Exception {
        try (RawClient sub = subscriber("p5-props-sub", "p5/props", 1, props())) {
            byte[] correlation = {0, 1, 2, (byte) 0xFF};
            publish("p5/props", 1, false, props(prop(0x01, u8(1)), prop(0x08, str("p5/reply")), prop(0x09, Bytes.bin(correlation)),
                    prop(0x26, cat(str("z"), str("1"))), prop(0x26, cat(str("a"), str("2"))), prop(0x26, cat(str("z"), str("3"))),
                    prop(0x03, str("application/json; charset=utf-8"))), "{}");
            Packet.Publish p = sub.expect(PUBLISH).publish(true);
            assertEquals("Payload Format Indicator", 1, p.props().get(0x01));
            assertEquals("Response Topic", "p5/reply", p.props().get(0x08));
            assertArrayEquals("Correlation Data", correlation, (byte[]) p.props().get(0x09));
            assertEquals("User Properties in order", List.of("z=1", "a=2", "z=3"), p.props().all(0x26));
            assertEquals("Content Type", "application/json; charset=utf-8", p.props().get(0x03));
            sub.send(ack(PUBACK, p.packetId()));
        }
    }

    @Test
    public void MQTT_3_3_2_5_expiredRetainedMessageIsNotDelivered() throws Exception {
        publish("p5/expiry/gone", 1, true, props(expiry(1)), "short lived");
        Awaitility.await("retained message expired").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    try (RawClient sub = subscriber("p5-expiry-gone", "p5/expiry/gone", 1, props())) {
                        return sub.silentFor(150);
                    }
                });
    }

    @Test
    public void MQTT_3_3_2_6_messageExpiryIsReducedByTheTimeSpentWaiting() throws Exception {
        publish("p5/expiry/left", 1, true, props(expiry(30)), "counting down");
        Awaitility.await("expiry interval decremented").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    try (RawClient sub = subscriber("p5-expiry-left", "p5/expiry/left", 1, props())) {
                        Packet.Publish p = sub.expect(PUBLISH).publish(true);
                        long left = (Long) p.props().get(0x02);
                        assertTrue("expiry left " + left, left > 0 && left <= 30);
                        return left < 30;
                    }
                });
        publish("p5/expiry/left", 0, true, props(), "");
    }

    @Test
    public void MQTT_3_3_2_12_topicAliasIsAcceptedAndResolved() throws Exception {
        try (RawClient sub = subscriber("p5-alias-sub", "p5/alias/#", 0, props()); RawClient pub = client("p5-alias-pub")) {
            pub.send(publish5(0, false, "p5/alias/long/topic", 0, props(alias(1)), "first"));
            pub.send(publish5(0, false, "", 0, props(alias(1)), "second"));
            assertEquals("p5/alias/long/topic", sub.expect(PUBLISH).publish(true).topic());
            Packet.Publish second = sub.expect(PUBLISH).publish(true);
            assertEquals("p5/alias/long/topic", second.topic());
            assertEquals("second", second.payload());
        }
    }

    @Test
    public void MQTT_3_3_2_8_topicAliasZeroIsRefused() throws Exception {
        try (RawClient c = client("p5-alias0")) {
            c.send(publish5(0, false, "p5/alias0", 0, props(alias(0)), "x"));
            List<Packet> before = c.awaitClose();
            assertEquals(1, before.size());
            // Protocol Error (0x82) or Topic Alias invalid (0x94): the spec allows either.
            assertTrue("reason code of " + before.get(0), List.of(0x82, 0x94).contains(before.get(0).reasonAt(0)));
        }
    }

    @Test
    public void MQTT_3_3_2_7_topicAliasesDoNotSurviveTheConnection() throws Exception {
        try (RawClient c = client("p5-alias-conn")) {
            c.send(publish5(0, false, "p5/alias/conn", 0, props(alias(3)), "x"));
            c.send(Bytes.disconnect());
            c.awaitClose();
        }
        try (RawClient c = client("p5-alias-conn")) {
            c.send(publish5(0, false, "", 0, props(alias(3)), "unknown alias"));
            c.awaitDisconnect(0x82);
        }
    }

    @Test
    public void MQTT_3_3_2_11_and_3_1_2_27_noTopicAliasToAClientWithoutTopicAliasMaximum() throws Exception {
        try (RawClient sub = subscriber("p5-noalias-sub", "p5/noalias", 0, props())) {
            for (int i = 0; i < 3; i++) {
                publish("p5/noalias", 0, false, props(), "m" + i);
                Packet.Publish p = sub.expect(PUBLISH).publish(true);
                assertEquals("p5/noalias", p.topic());
                assertNull("no Topic Alias", p.props().get(0x23));
            }
        }
    }

    @Test
    public void MQTT_3_3_2_14_wildcardInResponseTopicIsRefused() throws Exception {
        try (RawClient c = client("p5-resp-wild")) {
            c.send(publish5(0, false, "p5/resp", 0, props(prop(0x08, str("p5/reply/#"))), "x"));
            List<Packet> before = c.awaitClose();
            assertEquals(1, before.size());
            assertEquals(Bytes.DISCONNECT, before.get(0).type());
            assertTrue("an error reason code " + before.get(0), before.get(0).reasonAt(0) >= 0x80);
        }
    }

    @Test
    public void MQTT_3_3_4_6_subscriptionIdentifierFromAClientIsAProtocolError() throws Exception {
        try (RawClient c = client("p5-pub-subid")) {
            c.send(publish5(0, false, "p5/subid", 0, props(cat(u8(0x0B), vbi(5))), "x"));
            c.awaitDisconnect(0x82);
        }
    }

    @Test
    public void MQTT_3_3_4_3_and_3_3_4_4_and_3_3_4_5_overlappingSubscriptionsCarryTheirSubscriptionIdentifiers() throws Exception {
        try (RawClient sub = client("p5-subids")) {
            subscribe(sub, "p5/subid/#", 0, props(cat(u8(0x0B), vbi(11))));
            subscribe(sub, "p5/subid/+", 0, props(cat(u8(0x0B), vbi(300))));
            publish("p5/subid/x", 0, false, props(), "x");
            Set<Object> ids = new HashSet<>(sub.expect(PUBLISH).publish(true).props().all(0x0B));
            if (ids.size() < 2) { // one copy per subscription, each with its own identifier
                ids.addAll(sub.expect(PUBLISH).publish(true).props().all(0x0B));
            }
            assertEquals(Set.of(11, 300), ids);
        }
    }

    @Test
    public void MQTT_3_3_4_9_and_3_3_4_10_receiveMaximumLimitsQos1InFlightButNotOtherPackets() throws Exception {
        try (RawClient sub = RawClient.connected(port, connect5("p5-recvmax", 0x02, 60, props(prop(0x21, u16(2)))));
                RawClient pub = client("p5-recvmax-pub")) {
            subscribe(sub, "p5/recvmax", 1, props());
            for (int i = 1; i <= 4; i++) {
                pub.send(publish5(1, false, "p5/recvmax", i, props(), "q1-" + i));
                pub.expect(PUBACK);
            }
            Packet.Publish a = sub.expect(PUBLISH).publish(true);
            Packet.Publish b = sub.expect(PUBLISH).publish(true);
            assertEquals("q1-1", a.payload());
            assertEquals("q1-2", b.payload());
            pub.send(publish5(0, false, "p5/recvmax", 0, props(), "q0"));
            Packet.Publish q0 = sub.expect(PUBLISH).publish(true);
            assertEquals("QoS 0 is not held back by Receive Maximum", "q0", q0.payload());
            sub.send(Bytes.pingreq());
            assertEquals("other packets are not held back (MQTT-3.3.4-10)", Bytes.PINGRESP, sub.read().type());
            assertTrue("no third QoS 1 message while two are unacknowledged", sub.silentFor(300));
            sub.send(ack(PUBACK, a.packetId()));
            assertEquals("q1-3", sub.expect(PUBLISH).publish(true).payload());
        }
    }

    @Test
    public void MQTT_3_1_2_24_and_3_1_2_25_messagesLargerThanTheClientMaximumPacketSizeAreDropped() throws Exception {
        try (RawClient sub = RawClient.connected(port, connect5("p5-maxpkt", 0x02, 60, props(prop(0x27, u32(64)))))) {
            subscribe(sub, "p5/maxpkt", 0, props());
            publish("p5/maxpkt", 0, false, props(), "x".repeat(200));
            publish("p5/maxpkt", 0, false, props(), "small");
            Packet next = sub.read();
            assertTrue("within the limit: " + next.body().length, next.body().length + 2 <= 64);
            assertEquals("small", next.publish(true).payload());
        }
    }

    @Test
    public void MQTT_4_3_3_8_and_4_3_3_11_qos2ReceiverAndPubrelForAnUnknownPacketId() throws Exception {
        try (RawClient c = client("p5-q2")) {
            c.send(publish5(2, false, "p5/q2", 77, props(), "x"));
            Packet rec = c.expect(PUBREC);
            assertEquals(77, rec.u16(0));
            assertTrue("PUBREC success", rec.reasonAt(2) < 0x80);
            c.send(ack(PUBREL, 77));
            Packet comp = c.expect(PUBCOMP);
            assertEquals(77, comp.u16(0));
            assertEquals(0, comp.reasonAt(2));
            c.send(ack(PUBREL, 78));
            Packet unknown = c.expect(PUBCOMP);
            assertEquals(78, unknown.u16(0));
            assertEquals("Packet Identifier not found", 0x92, unknown.reasonAt(2));
        }
    }

    @Test
    public void MQTT_3_3_1_1_and_4_4_0_1_unacknowledgedQos1IsResentWithDupOnSessionResumption() throws Exception {
        byte[] connect = connect5("p5-dup", 0x00, 60, props(prop(0x11, u32(30))));
        int packetId;
        try (RawClient sub = RawClient.connected(port, connect)) {
            subscribe(sub, "p5/dup", 1, props());
            publish("p5/dup", 1, false, props(), "again");
            Packet.Publish first = sub.expect(PUBLISH).publish(true);
            assertFalse(first.dup());
            packetId = first.packetId();
        }
        try (RawClient sub = RawClient.connected(port, connect)) {
            Packet.Publish again = sub.expect(PUBLISH).publish(true);
            assertTrue("DUP", again.dup());
            assertEquals(packetId, again.packetId());
            sub.send(ack(PUBACK, packetId));
            sub.send(Bytes.disconnect5(0, props(prop(0x11, u32(0)))));
        }
    }

    @Test
    public void MQTT_4_4_0_2_messageAcknowledgedWithAnErrorIsNotResent() throws Exception {
        byte[] connect = connect5("p5-err-ack", 0x00, 60, props(prop(0x11, u32(30))));
        try (RawClient sub = RawClient.connected(port, connect)) {
            subscribe(sub, "p5/errack", 1, props());
            publish("p5/errack", 1, false, props(), "refused");
            Packet.Publish p = sub.expect(PUBLISH).publish(true);
            sub.send(ack5(PUBACK, p.packetId(), 0x80));
            sub.send(Bytes.disconnect());
            sub.awaitClose();
        }
        try (RawClient sub = RawClient.connected(port, connect)) {
            assertTrue("not resent", sub.silentFor(400));
            sub.send(Bytes.disconnect5(0, props(prop(0x11, u32(0)))));
        }
    }

    @Test
    public void MQTT_3_8_4_8_deliveryAtTheMinimumQos_hivemq() throws Exception {
        Mqtt5BlockingClient sub = com.hivemq.client.mqtt.MqttClient.builder().useMqttVersion5().identifier("p5-hive-sub")
                .serverHost("127.0.0.1").serverPort(port).buildBlocking();
        Mqtt5BlockingClient pub = com.hivemq.client.mqtt.MqttClient.builder().useMqttVersion5().identifier("p5-hive-pub")
                .serverHost("127.0.0.1").serverPort(port).buildBlocking();
        sub.connect();
        pub.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = sub.publishes(MqttGlobalPublishFilter.SUBSCRIBED)) {
            sub.subscribeWith().topicFilter("p5/hive/min").qos(MqttQos.AT_LEAST_ONCE).send();
            pub.publishWith().topic("p5/hive/min").qos(MqttQos.EXACTLY_ONCE).payload("two".getBytes(StandardCharsets.UTF_8)).send();
            Optional<Mqtt5Publish> received = publishes.receive(5, TimeUnit.SECONDS);
            assertTrue(received.isPresent());
            assertEquals(MqttQos.AT_LEAST_ONCE, received.get().getQos());
            assertEquals("two", new String(received.get().getPayloadAsBytes(), StandardCharsets.UTF_8));
        } finally {
            sub.disconnect();
            pub.disconnect();
        }
    }

    @Test
    public void MQTT_1_5_4_3_byteOrderMarkIsNeitherSkippedNorStripped() throws Exception {
        byte[] bom = u8(0xEF, 0xBB, 0xBF);
        byte[] topic = cat(bom, Bytes.utf8("p5bom/x"));
        try (RawClient sub = client("p5-bom"); RawClient plain = client("p5-bom-plain"); RawClient pub = client("p5-bom-pub")) {
            sub.send(packet(0x82, u16(3), props(), Bytes.bin(topic), u8(0)));
            sub.expect(SUBACK);
            subscribe(plain, "p5bom/x", 0, props());
            byte[] userProperty = cat(u8(0x26), str("k"), Bytes.bin(cat(bom, Bytes.utf8("v"))));
            pub.send(packet(0x30, Bytes.bin(topic), props(userProperty), Bytes.utf8("with")));
            Packet p = sub.expect(PUBLISH);
            assertArrayEquals("topic name byte for byte", topic, java.util.Arrays.copyOfRange(p.body(), 2, 2 + p.u16(0)));
            assertEquals("the BOM stays in a User Property", List.of("k=\uFEFFv"), p.publish(true).props().all(0x26));
            assertTrue("a leading BOM is part of the topic", plain.silentFor(300));
        }
    }

    @Test
    public void MQTT_3_3_1_5_and_3_3_1_6_and_3_3_1_7_and_3_3_1_8_retainedMessagesAreStoredReplacedAndRemoved() throws Exception {
        publish("p5/retained", 1, true, props(), "first");
        publish("p5/retained", 2, true, props(), "second"); // replaces, with its QoS
        publish("p5/retained", 1, false, props(), "not retained"); // RETAIN 0 neither stores nor replaces
        try (RawClient sub = subscriber("p5-retained-1", "p5/retained", 2, props())) {
            Packet.Publish p = sub.expect(PUBLISH).publish(true);
            assertEquals("second", p.payload());
            assertEquals("stored with its QoS", 2, p.qos());
            assertTrue(p.retain());
            assertTrue("one retained message per topic", sub.silentFor(300));
        }
        publish("p5/retained", 0, true, props(), ""); // zero bytes: removes, and is not stored
        try (RawClient sub = subscriber("p5-retained-2", "p5/retained", 2, props())) {
            assertTrue("nothing retained, not even an empty message", sub.silentFor(300));
        }
    }

    @Test
    public void MQTT_3_3_1_2_and_3_3_1_3_and_4_3_1_1_dupIsSetOnlyForRetransmissions() throws Exception {
        try (RawClient sub0 = subscriber("p5-dupq0", "p5/dupin", 0, props()); RawClient sub1 = subscriber("p5-dupq1", "p5/dupin", 1, props());
                RawClient pub = client("p5-dupin-pub")) {
            pub.send(packet(0x3A, str("p5/dupin"), u16(5), props(), Bytes.utf8("dup in"))); // QoS 1, DUP 1
            pub.expect(PUBACK);
            Packet.Publish q0 = sub0.expect(PUBLISH).publish(true);
            assertEquals(0, q0.qos());
            assertFalse("DUP 0 at QoS 0", q0.dup());
            Packet.Publish q1 = sub1.expect(PUBLISH).publish(true);
            assertFalse("DUP of the incoming PUBLISH is not copied", q1.dup());
            sub1.send(ack(PUBACK, q1.packetId()));
        }
    }

    @Test
    public void MQTT_3_3_2_1_nonUtf8TopicNameIsMalformed() throws Exception {
        try (RawClient c = client("p5-badtopic")) {
            c.send(packet(0x30, cat(u16(2), u8(0xC3, 0x28)), props(), u8('x')));
            c.awaitDisconnect(0x81);
        }
    }

    @Test
    public void MQTT_3_3_2_3_deliveredTopicNameIsThePublishedOne() throws Exception {
        try (RawClient sub = subscriber("p5-topicname", "p5/name/+/#", 0, props())) {
            publish("p5/name/a/b/c", 0, false, props(), "x");
            assertEquals("p5/name/a/b/c", sub.expect(PUBLISH).publish(true).topic());
        }
    }

    @Test
    public void MQTT_4_7_3_3_topicNamesAndFiltersOf65535BytesAreAccepted() throws Exception {
        String prefix = "p5/long/";
        String topic = prefix + "t".repeat(65535 - prefix.length());
        try (RawClient sub = subscriber("p5-long", topic, 1, props()); RawClient pub = client("p5-long-pub")) {
            pub.send(publish5(1, false, topic, 5, props(), "long"));
            assertEquals(5, pub.expect(PUBACK).u16(0));
            Packet.Publish p = sub.expect(PUBLISH).publish(true);
            assertEquals("the whole topic name", topic, p.topic());
            sub.send(ack(PUBACK, p.packetId()));
        }
    }

    @Test
    public void MQTT_2_2_2_1_noPropertiesIsAPropertyLengthOfZero() throws Exception {
        try (RawClient c = client("p5-proplen")) {
            c.send(Bytes.subscribe5(3, props(), "p5/proplen", 0));
            Packet suback = c.expect(SUBACK);
            assertArrayEquals("id, property length 0, granted QoS", u8(0, 3, 0, 0), suback.body());
            c.send(Bytes.unsubscribe5(4, "p5/proplen"));
            Packet unsuback = c.expect(Bytes.UNSUBACK);
            assertArrayEquals("id, property length 0, reason code", u8(0, 4, 0, 0), unsuback.body());
        }
    }

    @Test
    public void MQTT_2_1_3_1_reservedFixedHeaderFlagsAreMalformed() throws Exception {
        try (RawClient c = client("p5-pubrel-flags")) {
            c.send(publish5(2, false, "p5/relflags", 3, props(), "x"));
            c.expect(PUBREC);
            c.send(packet(0x60, u16(3))); // PUBREL with flags 0000 instead of 0010
            c.awaitDisconnect(0x81);
        }
        try (RawClient c = client("p5-ping-flags")) {
            c.send(u8(0xC1, 0)); // PINGREQ with flags 0001
            c.awaitDisconnect(0x81);
        }
    }
}

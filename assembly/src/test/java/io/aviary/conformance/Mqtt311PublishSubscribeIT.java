package io.aviary.conformance;

import static io.aviary.conformance.Bytes.PUBACK;
import static io.aviary.conformance.Bytes.PUBCOMP;
import static io.aviary.conformance.Bytes.PUBLISH;
import static io.aviary.conformance.Bytes.PUBREC;
import static io.aviary.conformance.Bytes.PUBREL;
import static io.aviary.conformance.Bytes.SUBACK;
import static io.aviary.conformance.Bytes.UNSUBACK;
import static io.aviary.conformance.Bytes.ack;
import static io.aviary.conformance.Bytes.cat;
import static io.aviary.conformance.Bytes.connect311;
import static io.aviary.conformance.Bytes.packet;
import static io.aviary.conformance.Bytes.publish311;
import static io.aviary.conformance.Bytes.str;
import static io.aviary.conformance.Bytes.subscribe311;
import static io.aviary.conformance.Bytes.u16;
import static io.aviary.conformance.Bytes.u8;
import static io.aviary.conformance.Bytes.unsubscribe311;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.aviary.itest.Distribution;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * MQTT 3.1.1 PUBLISH and its QoS flows (3.3-3.7, 4.3, 4.4, 4.6), SUBSCRIBE / UNSUBSCRIBE
 * (3.8-3.11), packet identifiers (2.3.1) and topic names, filters and wildcards (4.7),
 * checked black-box against the running distribution with raw bytes and Paho mqttv3.
 */
public class Mqtt311PublishSubscribeIT {
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
        return RawClient.connected(port, connect311(id));
    }

    private static RawClient subscriber(String id, String filter, int qos) throws Exception {
        RawClient sub = client(id);
        subscribe(sub, filter, qos);
        return sub;
    }

    private static void subscribe(RawClient c, String filter, int qos) throws Exception {
        c.send(subscribe311(9, filter, qos));
        Packet ack = c.expect(SUBACK);
        assertEquals(9, ack.u16(0));
        assertEquals("granted " + ack, qos, ack.u8(2));
    }

    private static void publish(String topic, int qos, boolean retain, String payload) throws Exception {
        try (RawClient pub = client("pub-" + Integer.toHexString((topic + payload).hashCode()))) {
            pub.send(publish311(qos, retain, topic, 1, payload));
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

    private static void assertClosedAfter(byte[] packet, String id) throws Exception {
        try (RawClient c = client(id)) {
            c.send(packet);
            assertEquals(List.of(), c.awaitClose());
        }
    }

    /** A SUBSCRIBE the broker must refuse: a failure return code (0x80) or a closed connection. */
    private static void assertFilterRefused(String filter, String id) throws Exception {
        try (RawClient c = client(id)) {
            c.send(subscribe311(3, filter, 0));
            List<Packet> before = c.awaitCloseOrNext();
            for (Packet p : before) {
                assertEquals("SUBACK " + p, SUBACK, p.type());
                assertEquals("return code " + p, 0x80, p.u8(2));
            }
        }
    }

    @Test
    public void MQTT_3_3_1_1_and_4_4_0_1_dupSetOnRedeliveryWithTheOriginalPacketId() throws Exception {
        byte[] connect = connect311("ps311-dup", 0x00, 60);
        int packetId;
        try (RawClient sub = RawClient.connected(port, connect)) {
            subscribe(sub, "ps311/dup", 1);
            publish("ps311/dup", 1, false, "unacked");
            Packet.Publish first = sub.expect(PUBLISH).publish(false);
            assertFalse("DUP on the first attempt", first.dup());
            packetId = first.packetId();
        } // closed without PUBACK
        try (RawClient sub = RawClient.connected(port, connect)) {
            Packet.Publish again = sub.expect(PUBLISH).publish(false);
            assertTrue("DUP on redelivery", again.dup());
            assertEquals("original packet id", packetId, again.packetId());
            assertEquals("unacked", again.payload());
            sub.send(ack(PUBACK, packetId), Bytes.disconnect());
        }
        try (RawClient clean = RawClient.connected(port, connect311("ps311-dup", 0x02, 60))) {
            clean.send(Bytes.disconnect());
        }
    }

    @Test
    public void MQTT_3_3_1_2_and_3_3_1_3_dupIsSetIndependentlyOnTheOutgoingPublish() throws Exception {
        try (RawClient sub0 = subscriber("ps311-dupq0", "ps311/dupin", 0);
                RawClient sub1 = subscriber("ps311-dupq1", "ps311/dupin", 1);
                RawClient pub = client("ps311-dupin-pub")) {
            pub.send(packet(0x3A, str("ps311/dupin"), u16(5), Bytes.utf8("dup in"))); // QoS 1, DUP 1
            pub.expect(PUBACK);
            Packet.Publish q0 = sub0.expect(PUBLISH).publish(false);
            assertEquals(0, q0.qos());
            assertFalse("DUP must be 0 at QoS 0", q0.dup());
            Packet.Publish q1 = sub1.expect(PUBLISH).publish(false);
            assertFalse("a first delivery is not a redelivery", q1.dup());
        }
    }

    @Test
    public void MQTT_3_3_1_4_publishWithBothQosBitsSetClosesTheConnection() throws Exception {
        assertClosedAfter(packet(0x36, str("ps311/qos3"), u16(1), u8('x')), "ps311-qos3");
    }

    @Test
    public void MQTT_3_3_1_5_and_3_3_1_6_and_3_3_1_8_retainedMessageGoesToNewSubscribersWithRetain1() throws Exception {
        publish("ps311/retain/a", 1, true, "retained a");
        try (RawClient sub = subscriber("ps311-retain-new", "ps311/retain/+", 1)) {
            Packet.Publish p = sub.expect(PUBLISH).publish(false);
            assertEquals("ps311/retain/a", p.topic());
            assertEquals("retained a", p.payload());
            assertEquals(1, p.qos());
            assertTrue("RETAIN 1 for a message sent because of a new subscription", p.retain());
        }
        publish("ps311/retain/a", 0, true, "");
    }

    @Test
    public void MQTT_3_3_1_9_retainIs0ForAnEstablishedSubscription() throws Exception {
        try (RawClient sub = subscriber("ps311-retain-est", "ps311/retain/est", 1)) {
            publish("ps311/retain/est", 1, true, "live");
            Packet.Publish p = sub.expect(PUBLISH).publish(false);
            assertFalse("RETAIN 0 to an established subscription", p.retain());
            sub.send(ack(PUBACK, p.packetId()));
        }
        publish("ps311/retain/est", 0, true, "");
    }

    @Test
    public void MQTT_3_3_1_7_retainedQos0MessageReplacesThePreviousOne() throws Exception {
        publish("ps311/retain/replace", 1, true, "old");
        publish("ps311/retain/replace", 0, true, "new");
        try (RawClient sub = subscriber("ps311-retain-replace", "ps311/retain/replace", 1)) {
            Packet.Publish p = sub.expect(PUBLISH).publish(false);
            assertEquals("new", p.payload());
            assertEquals(0, p.qos());
            assertTrue("only one retained message per topic", sub.silentFor(300));
        }
        publish("ps311/retain/replace", 0, true, "");
    }

    @Test
    public void MQTT_3_3_1_10_and_3_3_1_11_emptyRetainedPayloadRemovesTheRetainedMessage() throws Exception {
        publish("ps311/retain/clear", 1, true, "to clear");
        try (RawClient sub = subscriber("ps311-retain-clear", "ps311/retain/clear", 1)) {
            sub.send(ack(PUBACK, sub.expect(PUBLISH).publish(false).packetId()));
            publish("ps311/retain/clear", 1, true, "");
            // The zero-byte retained message is still delivered to current subscribers.
            Packet.Publish empty = sub.expect(PUBLISH).publish(false);
            assertEquals("", empty.payload());
            sub.send(ack(PUBACK, empty.packetId()));
        }
        try (RawClient late = subscriber("ps311-retain-clear-late", "ps311/retain/clear", 1)) {
            assertTrue("no retained message, not even an empty one", late.silentFor(300));
        }
    }

    @Test
    public void MQTT_3_3_1_12_retain0DoesNotReplaceTheRetainedMessage() throws Exception {
        publish("ps311/retain/keep", 1, true, "retained");
        publish("ps311/retain/keep", 1, false, "not retained");
        try (RawClient sub = subscriber("ps311-retain-keep", "ps311/retain/keep", 1)) {
            assertEquals("retained", sub.expect(PUBLISH).publish(false).payload());
        }
        publish("ps311/retain/keep", 0, true, "");
    }

    @Test
    public void MQTT_3_3_2_2_and_4_7_1_1_wildcardInATopicNameClosesTheConnection() throws Exception {
        assertClosedAfter(publish311(0, false, "ps311/+/x", 0, "x"), "ps311-wild-plus");
        assertClosedAfter(publish311(0, false, "ps311/#", 0, "x"), "ps311-wild-hash");
    }

    @Test
    public void MQTT_3_3_2_3_deliveredTopicNameIsThePublishedOneMatchingTheFilter() throws Exception {
        try (RawClient sub = subscriber("ps311-topicname", "ps311/name/+/#", 0)) {
            publish("ps311/name/a/b/c", 0, false, "x");
            assertEquals("ps311/name/a/b/c", sub.expect(PUBLISH).publish(false).topic());
        }
    }

    @Test
    public void MQTT_3_3_4_1_and_4_3_2_2_qos1PublishIsAnsweredWithPubackOfItsPacketId() throws Exception {
        try (RawClient pub = client("ps311-puback")) {
            pub.send(publish311(1, false, "ps311/puback", 0x1234, "x"));
            Packet ack = pub.expect(PUBACK);
            assertEquals(0x1234, ack.u16(0));
            assertEquals(2, ack.body().length);
        }
    }

    @Test
    public void MQTT_4_3_3_2_qos2PublishIsDeliveredOnceAndAcknowledgedPubrecPubcomp() throws Exception {
        try (RawClient sub = subscriber("ps311-q2-sub", "ps311/q2in", 0); RawClient pub = client("ps311-q2-pub")) {
            pub.send(publish311(2, false, "ps311/q2in", 42, "once"));
            assertEquals(42, pub.expect(PUBREC).u16(0));
            // The same packet id before PUBREL: PUBREC again, no second delivery.
            pub.send(packet(0x3C, str("ps311/q2in"), u16(42), Bytes.utf8("once")));
            assertEquals(42, pub.expect(PUBREC).u16(0));
            pub.send(ack(PUBREL, 42));
            Packet comp = pub.expect(PUBCOMP);
            assertEquals(42, comp.u16(0));
            assertEquals("once", sub.expect(PUBLISH).publish(false).payload());
            assertTrue("delivered exactly once", sub.silentFor(300));
            // After PUBREL the id is free again: the same id is a new publication.
            pub.send(publish311(2, false, "ps311/q2in", 42, "twice"));
            pub.expect(PUBREC);
            pub.send(ack(PUBREL, 42));
            pub.expect(PUBCOMP);
            assertEquals("twice", sub.expect(PUBLISH).publish(false).payload());
        }
    }

    @Test
    public void MQTT_4_3_2_1_serverSendsQos1WithAPacketIdAndDup0() throws Exception {
        try (RawClient sub = subscriber("ps311-q1-out", "ps311/q1out", 1)) {
            publish("ps311/q1out", 1, false, "x");
            Packet.Publish p = sub.expect(PUBLISH).publish(false);
            assertEquals(1, p.qos());
            assertFalse(p.dup());
            assertTrue("non-zero packet id", p.packetId() != 0);
            sub.send(ack(PUBACK, p.packetId()));
        }
    }

    @Test
    public void MQTT_4_3_3_1_serverQos2SenderSendsPubrelAfterPubrec() throws Exception {
        try (RawClient sub = subscriber("ps311-q2-out", "ps311/q2out", 2)) {
            publish("ps311/q2out", 2, false, "x");
            Packet.Publish p = sub.expect(PUBLISH).publish(false);
            assertEquals(2, p.qos());
            assertFalse(p.dup());
            sub.send(ack(PUBREC, p.packetId()));
            Packet rel = sub.expect(PUBREL);
            assertEquals("PUBREL fixed header flags", 2, rel.flags());
            assertEquals(p.packetId(), rel.u16(0));
            sub.send(ack(PUBCOMP, p.packetId()));
            assertTrue(sub.silentFor(300));
        }
    }

    @Test
    public void MQTT_4_4_0_1_and_4_3_3_1_unacknowledgedPubrelIsResentNotThePublish() throws Exception {
        byte[] connect = connect311("ps311-rel", 0x00, 60);
        int packetId;
        try (RawClient sub = RawClient.connected(port, connect)) {
            subscribe(sub, "ps311/rel", 2);
            publish("ps311/rel", 2, false, "x");
            packetId = sub.expect(PUBLISH).publish(false).packetId();
            sub.send(ack(PUBREC, packetId));
            assertEquals(packetId, sub.expect(PUBREL).u16(0));
        } // closed without PUBCOMP
        try (RawClient sub = RawClient.connected(port, connect)) {
            Packet rel = sub.expect(PUBREL);
            assertEquals(packetId, rel.u16(0));
            sub.send(ack(PUBCOMP, packetId));
            assertTrue("no PUBLISH once PUBREL was sent", sub.silentFor(300));
        }
        RawClient.connected(port, connect311("ps311-rel", 0x02, 60)).close();
    }

    @Test
    public void MQTT_3_3_5_1_overlappingSubscriptionsDeliverAtTheMaximumGrantedQos() throws Exception {
        try (RawClient sub = client("ps311-overlap")) {
            subscribe(sub, "ps311/overlap/#", 0);
            subscribe(sub, "ps311/overlap/x", 2);
            publish("ps311/overlap/x", 2, false, "x");
            Packet.Publish p = sub.expect(PUBLISH).publish(false);
            boolean sawQos2 = p.qos() == 2;
            if (!sawQos2) { // a broker may send one copy per subscription
                sawQos2 = sub.expect(PUBLISH).publish(false).qos() == 2;
            }
            assertTrue("one delivery at QoS 2", sawQos2);
        }
    }

    @Test
    public void MQTT_3_8_4_6_deliveryIsAtTheMinimumOfPublishedAndGrantedQos_paho() throws Exception {
        MqttClient sub = new MqttClient("tcp://127.0.0.1:" + port, "ps311-paho-sub", new MemoryPersistence());
        MqttClient pub = new MqttClient("tcp://127.0.0.1:" + port, "ps311-paho-pub", new MemoryPersistence());
        LinkedBlockingQueue<MqttMessage> received = new LinkedBlockingQueue<>();
        try {
            sub.connect(new MqttConnectOptions());
            int[] granted = sub.subscribeWithResponse("ps311/paho", 1, (t, m) -> received.add(m)).getGrantedQos();
            assertEquals(1, granted[0]);
            pub.connect(new MqttConnectOptions());
            pub.publish("ps311/paho", "two".getBytes(StandardCharsets.UTF_8), 2, false);
            pub.publish("ps311/paho", "zero".getBytes(StandardCharsets.UTF_8), 0, false);
            MqttMessage two = received.poll(5, TimeUnit.SECONDS);
            MqttMessage zero = received.poll(5, TimeUnit.SECONDS);
            assertEquals("two", new String(two.getPayload(), StandardCharsets.UTF_8));
            assertEquals("downgraded to the granted QoS", 1, two.getQos());
            assertEquals("zero", new String(zero.getPayload(), StandardCharsets.UTF_8));
            assertEquals(0, zero.getQos());
            sub.disconnect();
            pub.disconnect();
        } finally {
            sub.close();
            pub.close();
        }
    }

    @Test
    public void MQTT_3_6_1_1_pubrelWithWrongFlagsClosesTheConnection() throws Exception {
        try (RawClient c = client("ps311-pubrel-flags")) {
            c.send(publish311(2, false, "ps311/relflags", 3, "x"));
            c.expect(PUBREC);
            c.send(packet(0x60, u16(3)));
            assertEquals(List.of(), c.awaitClose());
        }
    }

    @Test
    public void MQTT_3_8_1_1_subscribeWithWrongFlagsClosesTheConnection() throws Exception {
        assertClosedAfter(packet(0x80, u16(1), str("ps311/x"), u8(0)), "ps311-sub-flags");
    }

    @Test
    public void MQTT_3_8_3_3_subscribeWithoutTopicFilterClosesTheConnection() throws Exception {
        assertClosedAfter(packet(0x82, u16(1)), "ps311-sub-empty");
    }

    @Test
    public void MQTT_3_8_3_4_subscribeWithQos3OrReservedBitsClosesTheConnection() throws Exception {
        assertClosedAfter(subscribe311(1, "ps311/x", 3), "ps311-sub-qos3");
        assertClosedAfter(subscribe311(1, "ps311/x", 0x41), "ps311-sub-reserved");
    }

    @Test
    public void MQTT_2_3_1_1_packetIdZeroClosesTheConnection() throws Exception {
        assertClosedAfter(subscribe311(0, "ps311/x", 0), "ps311-pid0-sub");
        assertClosedAfter(publish311(1, false, "ps311/x", 0, "x"), "ps311-pid0-pub");
        assertClosedAfter(unsubscribe311(0, "ps311/x"), "ps311-pid0-unsub");
    }

    @Test
    public void MQTT_3_8_4_1_and_3_8_4_4_and_3_8_4_5_and_3_9_3_1_oneSubackWithReturnCodesInOrder() throws Exception {
        try (RawClient c = client("ps311-suback")) {
            c.send(packet(0x82, u16(0x0102), str("ps311/s/2"), u8(2), str("ps311/s/0"), u8(0), str("ps311/s/1"), u8(1)));
            Packet ack = c.expect(SUBACK);
            assertEquals("packet id", 0x0102, ack.u16(0));
            assertArrayEquals(u8(1, 2, 2, 0, 1), ack.body());
            assertTrue("a single SUBACK", c.silentFor(200));
        }
    }

    @Test
    public void MQTT_3_8_4_3_resubscribingReplacesTheSubscriptionAndResendsRetained() throws Exception {
        publish("ps311/resub", 1, true, "retained");
        try (RawClient sub = client("ps311-resub")) {
            subscribe(sub, "ps311/resub", 0);
            assertEquals(0, sub.expect(PUBLISH).publish(false).qos());
            subscribe(sub, "ps311/resub", 1);
            Packet.Publish again = sub.expect(PUBLISH).publish(false);
            assertTrue("retained re-sent", again.retain());
            assertEquals("at the new QoS", 1, again.qos());
            sub.send(ack(PUBACK, again.packetId()));
            publish("ps311/resub", 1, false, "live");
            Packet.Publish live = sub.expect(PUBLISH).publish(false);
            assertEquals("live", live.payload());
            assertEquals(1, live.qos());
            sub.send(ack(PUBACK, live.packetId()));
            assertTrue("one subscription, one copy", sub.silentFor(300));
        }
        publish("ps311/resub", 0, true, "");
    }

    @Test
    public void MQTT_3_10_1_1_unsubscribeWithWrongFlagsClosesTheConnection() throws Exception {
        assertClosedAfter(packet(0xA0, u16(1), str("ps311/x")), "ps311-unsub-flags");
    }

    @Test
    public void MQTT_3_10_3_2_unsubscribeWithoutTopicFilterClosesTheConnection() throws Exception {
        assertClosedAfter(packet(0xA2, u16(1)), "ps311-unsub-empty");
    }

    @Test
    public void MQTT_3_10_4_1_and_3_10_4_2_unsubscribeStopsDelivery() throws Exception {
        try (RawClient sub = subscriber("ps311-unsub", "ps311/unsub/+", 0)) {
            sub.send(unsubscribe311(4, "ps311/unsub/+"));
            assertEquals(4, sub.expect(UNSUBACK).u16(0));
            publish("ps311/unsub/a", 0, false, "x");
            assertTrue(sub.silentFor(300));
        }
    }

    @Test
    public void MQTT_3_10_4_1_filtersAreComparedCharacterByCharacter() throws Exception {
        try (RawClient sub = subscriber("ps311-unsub-exact", "ps311/exact/+", 0)) {
            sub.send(unsubscribe311(4, "ps311/exact/#"));
            sub.expect(UNSUBACK);
            publish("ps311/exact/a", 0, false, "still");
            assertEquals("still", sub.expect(PUBLISH).publish(false).payload());
        }
    }

    @Test
    public void MQTT_3_10_4_4_and_3_10_4_5_and_3_10_4_6_oneUnsubackWithThePacketIdEvenWithoutMatch() throws Exception {
        try (RawClient c = client("ps311-unsuback")) {
            c.send(unsubscribe311(0x0A0B, "ps311/none/1", "ps311/none/2"));
            Packet ack = c.expect(UNSUBACK);
            assertEquals(0x0A0B, ack.u16(0));
            assertEquals(2, ack.body().length);
            assertTrue("a single UNSUBACK", c.silentFor(200));
        }
    }

    @Test
    public void MQTT_4_6_0_5_and_4_6_0_6_messagesOnATopicAreDeliveredInOrder() throws Exception {
        try (RawClient sub = subscriber("ps311-order", "ps311/order", 1); RawClient pub = client("ps311-order-pub")) {
            for (int i = 1; i <= 20; i++) {
                pub.send(publish311(i % 2, false, "ps311/order", i, "m" + i));
            }
            for (int i = 1; i <= 20; i++) {
                Packet.Publish p = sub.expect(PUBLISH).publish(false);
                assertEquals("m" + i, p.payload());
                if (p.qos() == 1) {
                    sub.send(ack(PUBACK, p.packetId()));
                }
            }
        }
    }

    @Test
    public void MQTT_4_7_1_2_hashNotLastIsRefused() throws Exception {
        assertFilterRefused("ps311/#/x", "ps311-hash-mid");
        assertFilterRefused("ps311/x#", "ps311-hash-part");
    }

    @Test
    public void MQTT_4_7_1_3_plusNotAWholeLevelIsRefused() throws Exception {
        assertFilterRefused("ps311/x+", "ps311-plus-part");
        assertFilterRefused("ps311/+x/y", "ps311-plus-prefix");
    }

    @Test
    public void SEC_4_7_1_2_hashMatchesTheParentAndEveryChildLevel() throws Exception {
        try (RawClient sub = subscriber("ps311-hash", "ps311/sport/#", 0)) {
            for (String topic : List.of("ps311/sport", "ps311/sport/tennis", "ps311/sport/tennis/player1", "ps311/sport/")) {
                publish(topic, 0, false, topic);
                assertEquals(topic, sub.expect(PUBLISH).publish(false).topic());
            }
            publish("ps311/sports", 0, false, "no");
            assertTrue(sub.silentFor(200));
        }
    }

    @Test
    public void SEC_4_7_1_3_plusMatchesExactlyOneLevelIncludingAnEmptyOne() throws Exception {
        try (RawClient sub = subscriber("ps311-plus", "ps311/plus/+/z", 0)) {
            publish("ps311/plus/a/z", 0, false, "a");
            assertEquals("ps311/plus/a/z", sub.expect(PUBLISH).publish(false).topic());
            publish("ps311/plus//z", 0, false, "empty");
            assertEquals("ps311/plus//z", sub.expect(PUBLISH).publish(false).topic());
            publish("ps311/plus/a/b/z", 0, false, "two levels");
            publish("ps311/plus/z", 0, false, "no level");
            assertTrue(sub.silentFor(300));
        }
    }

    @Test
    public void MQTT_4_7_2_1_wildcardFiltersDoNotMatchTopicsStartingWithDollar() throws Exception {
        try (RawClient hash = subscriber("ps311-dollar-hash", "#", 0);
                RawClient plus = subscriber("ps311-dollar-plus", "+/ps311dollar", 0);
                RawClient exact = subscriber("ps311-dollar-exact", "$ps311/ps311dollar", 0)) {
            publish("$ps311/ps311dollar", 0, false, "dollar");
            assertEquals("$ps311/ps311dollar", exact.expect(PUBLISH).publish(false).topic());
            assertTrue("# must not match $ topics", hash.silentFor(300));
            assertTrue("+ must not match $ topics", plus.silentFor(100));
        }
    }

    @Test
    public void MQTT_4_7_3_1_emptyTopicNameClosesAndEmptyFilterIsRefused() throws Exception {
        assertClosedAfter(publish311(0, false, "", 0, "x"), "ps311-empty-name");
        assertFilterRefused("", "ps311-empty-filter");
    }

    @Test
    public void MQTT_4_7_3_4_noNormalisationWhenMatching() throws Exception {
        try (RawClient sub = subscriber("ps311-norm", "ps311/Case/x", 0)) {
            publish("ps311/case/x", 0, false, "lower");
            publish("ps311/Case/x/", 0, false, "trailing");
            publish("ps311//Case/x", 0, false, "double");
            publish("ps311/Case/x", 0, false, "exact");
            assertEquals("exact", sub.expect(PUBLISH).publish(false).payload());
        }
    }

    @Test
    public void MQTT_3_3_2_1_and_4_7_3_2_nonUtf8TopicNameClosesTheConnection() throws Exception {
        assertClosedAfter(packet(0x30, cat(u16(2), u8(0xC3, 0x28)), u8('x')), "ps311-badutf8");
    }
}

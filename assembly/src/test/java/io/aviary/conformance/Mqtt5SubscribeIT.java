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
import static io.aviary.conformance.Bytes.connect5;
import static io.aviary.conformance.Bytes.packet;
import static io.aviary.conformance.Bytes.props;
import static io.aviary.conformance.Bytes.publish5;
import static io.aviary.conformance.Bytes.str;
import static io.aviary.conformance.Bytes.u16;
import static io.aviary.conformance.Bytes.u8;
import static io.aviary.conformance.Bytes.vbi;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.aviary.itest.Distribution;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * MQTT 5.0 SUBSCRIBE / UNSUBSCRIBE statements (3.8-3.11): subscription options (No Local,
 * Retain As Published, Retain Handling), reason codes, Subscription Identifiers, and shared
 * subscriptions (4.8.2), checked black-box with raw bytes and Paho mqttv5.
 */
public class Mqtt5SubscribeIT {
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

    /** SUBSCRIBE with one filter; returns the SUBACK reason code. */
    private static int subscribe(RawClient c, String filter, int options) throws Exception {
        c.send(Bytes.subscribe5(6, props(), filter, options));
        Packet ack = c.expect(SUBACK);
        assertEquals(6, ack.u16(0));
        return ack.u8(ack.propsAt(2).end());
    }

    private static void publish(String topic, int qos, boolean retain, String payload) throws Exception {
        try (RawClient pub = client("s5-" + Integer.toHexString((topic + payload + qos).hashCode()))) {
            pub.send(publish5(qos, retain, topic, 1, props(), payload));
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

    @Test
    public void MQTT_3_8_1_1_subscribeWithWrongFlagsIsMalformed() throws Exception {
        try (RawClient c = client("s5-flags")) {
            c.send(packet(0x80, u16(1), props(), str("s5/x"), u8(0)));
            c.awaitDisconnect(0x81);
        }
    }

    @Test
    public void MQTT_3_8_3_2_subscribeWithoutFiltersIsAProtocolError() throws Exception {
        try (RawClient c = client("s5-empty")) {
            c.send(packet(0x82, u16(1), props()));
            c.awaitDisconnect(0x82);
        }
    }

    @Test
    public void MQTT_3_8_3_5_reservedSubscriptionOptionBitsAreMalformed() throws Exception {
        try (RawClient c = client("s5-reserved")) {
            c.send(Bytes.subscribe5(1, props(), "s5/x", 0xC0));
            c.awaitDisconnect(0x81);
        }
    }

    @Test
    public void SEC_3_8_3_1_retainHandling3IsAProtocolError() throws Exception {
        // Section 3.8.3.1: "It is a Protocol Error to send a Retain Handling value of 3".
        try (RawClient c = client("s5-rh3")) {
            c.send(Bytes.subscribe5(1, props(), "s5/x", 0x30));
            c.awaitDisconnect(0x82);
        }
    }

    @Test
    public void MQTT_3_8_3_3_noLocalStopsOwnMessages() throws Exception {
        try (RawClient c = client("s5-nolocal"); RawClient other = client("s5-nolocal-other")) {
            assertEquals(0, subscribe(c, "s5/nolocal", 0x04));
            c.send(publish5(0, false, "s5/nolocal", 0, props(), "own"));
            other.send(publish5(0, false, "s5/nolocal", 0, props(), "other"));
            assertEquals("other", c.expect(PUBLISH).publish(true).payload());
            assertTrue(c.silentFor(300));
        }
    }

    @Test
    public void MQTT_3_8_3_3_noLocal_paho() throws Exception {
        MqttClient client = new MqttClient("tcp://127.0.0.1:" + port, "s5-paho-nolocal", new MemoryPersistence());
        LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        try {
            client.connect(new MqttConnectionOptions());
            MqttSubscription noLocal = new MqttSubscription("s5/paho/nolocal", 1);
            noLocal.setNoLocal(true);
            MqttSubscription local = new MqttSubscription("s5/paho/local", 1);
            client.subscribe(new MqttSubscription[] {noLocal, local}, new org.eclipse.paho.mqttv5.client.IMqttMessageListener[] {
                (t, m) -> received.add(t), (t, m) -> received.add(t)});
            client.publish("s5/paho/nolocal", "x".getBytes(StandardCharsets.UTF_8), 1, false);
            client.publish("s5/paho/local", "x".getBytes(StandardCharsets.UTF_8), 1, false);
            assertEquals("only the subscription without No Local", "s5/paho/local", received.poll(5, TimeUnit.SECONDS));
            assertEquals(null, received.poll(300, TimeUnit.MILLISECONDS));
            client.disconnect();
        } finally {
            client.close();
        }
    }

    @Test
    public void MQTT_3_8_3_4_noLocalOnASharedSubscriptionIsAProtocolError() throws Exception {
        try (RawClient c = client("s5-shared-nolocal")) {
            c.send(Bytes.subscribe5(1, props(), "$share/g/s5/x", 0x04));
            c.awaitDisconnect(0x82);
        }
    }

    @Test
    public void MQTT_3_3_1_9_retainHandling0SendsRetainedOnEverySubscribe() throws Exception {
        publish("s5/rh0", 1, true, "kept");
        try (RawClient c = client("s5-rh0")) {
            subscribe(c, "s5/rh0", 0x00);
            assertTrue(c.expect(PUBLISH).publish(true).retain());
            subscribe(c, "s5/rh0", 0x00);
            assertEquals("kept", c.expect(PUBLISH).publish(true).payload());
        }
        publish("s5/rh0", 0, true, "");
    }

    @Test
    public void MQTT_3_3_1_10_retainHandling1SendsRetainedOnlyForANewSubscription() throws Exception {
        publish("s5/rh1", 1, true, "kept");
        try (RawClient c = client("s5-rh1")) {
            subscribe(c, "s5/rh1", 0x10);
            assertEquals("kept", c.expect(PUBLISH).publish(true).payload());
            subscribe(c, "s5/rh1", 0x10);
            assertTrue("not for an existing subscription", c.silentFor(300));
        }
        publish("s5/rh1", 0, true, "");
    }

    @Test
    public void MQTT_3_3_1_11_retainHandling2SendsNoRetained() throws Exception {
        publish("s5/rh2", 1, true, "kept");
        try (RawClient c = client("s5-rh2")) {
            subscribe(c, "s5/rh2", 0x20);
            assertTrue(c.silentFor(300));
        }
        publish("s5/rh2", 0, true, "");
    }

    @Test
    public void MQTT_3_3_1_12_and_3_3_1_13_retainAsPublished() throws Exception {
        try (RawClient plain = client("s5-rap0"); RawClient rap = client("s5-rap1")) {
            subscribe(plain, "s5/rap", 0x00);
            subscribe(rap, "s5/rap", 0x08);
            publish("s5/rap", 0, true, "r");
            assertFalse("RAP 0: RETAIN cleared", plain.expect(PUBLISH).publish(true).retain());
            assertTrue("RAP 1: RETAIN as published", rap.expect(PUBLISH).publish(true).retain());
        }
        publish("s5/rap", 0, true, "");
    }

    @Test
    public void MQTT_3_8_4_1_and_3_8_4_2_and_3_9_3_1_subackReasonCodesInOrder() throws Exception {
        try (RawClient c = client("s5-order")) {
            c.send(packet(0x82, u16(0x0203), props(), str("s5/o/2"), u8(2), str("s5/o/0"), u8(0), str("s5/o/1"), u8(1)));
            Packet ack = c.expect(SUBACK);
            assertEquals(0x0203, ack.u16(0));
            int at = ack.propsAt(2).end();
            assertEquals("one code per filter, in order", ack.body().length, at + 3);
            assertEquals("codes in order", List.of(2, 0, 1), List.of(ack.u8(at), ack.u8(at + 1), ack.u8(at + 2)));
            assertTrue("a single SUBACK", c.silentFor(200));
        }
    }

    @Test
    public void MQTT_3_8_4_3_resubscribingReplacesTheSubscription() throws Exception {
        try (RawClient c = client("s5-replace")) {
            subscribe(c, "s5/replace", 0);
            subscribe(c, "s5/replace", 1);
            publish("s5/replace", 1, false, "once");
            Packet.Publish p = c.expect(PUBLISH).publish(true);
            assertEquals("the new QoS", 1, p.qos());
            c.send(ack(PUBACK, p.packetId()));
            assertTrue("one subscription", c.silentFor(300));
        }
    }

    @Test
    public void SEC_3_8_2_1_subscriptionIdentifierZeroIsAProtocolError() throws Exception {
        try (RawClient c = client("s5-subid0")) {
            c.send(Bytes.subscribe5(1, props(cat(u8(0x0B), vbi(0))), "s5/x", 0));
            c.awaitDisconnect(0x82);
        }
    }

    @Test
    public void MQTT_3_10_1_1_unsubscribeWithWrongFlagsIsMalformed() throws Exception {
        try (RawClient c = client("s5-unsub-flags")) {
            c.send(packet(0xA0, u16(1), props(), str("s5/x")));
            c.awaitDisconnect(0x81);
        }
    }

    @Test
    public void MQTT_3_10_3_2_unsubscribeWithoutFiltersIsAProtocolError() throws Exception {
        try (RawClient c = client("s5-unsub-empty")) {
            c.send(packet(0xA2, u16(1), props()));
            c.awaitDisconnect(0x82);
        }
    }

    @Test
    public void MQTT_3_10_4_4_and_3_10_4_5_and_3_11_3_1_unsubackReasonCodesInOrder() throws Exception {
        try (RawClient c = client("s5-unsub")) {
            subscribe(c, "s5/unsub/a", 0);
            c.send(Bytes.unsubscribe5(0x0304, "s5/unsub/none", "s5/unsub/a"));
            Packet ack = c.expect(UNSUBACK);
            assertEquals(0x0304, ack.u16(0));
            int at = ack.propsAt(2).end();
            assertEquals("No subscription existed, Success", List.of(0x11, 0x00), List.of(ack.u8(at), ack.u8(at + 1)));
            publish("s5/unsub/a", 0, false, "x");
            assertTrue("unsubscribed (MQTT-3.10.4-2)", c.silentFor(300));
        }
    }

    @Test
    public void SEC_4_8_2_eachSharedMessageGoesToOneMember() throws Exception {
        try (RawClient a = client("s5-share-a"); RawClient b = client("s5-share-b")) {
            assertEquals(1, subscribe(a, "$share/g1/s5/share", 1));
            assertEquals(1, subscribe(b, "$share/g1/s5/share", 1));
            try (RawClient pub = client("s5-share-pub")) {
                for (int i = 0; i < 6; i++) {
                    pub.send(publish5(1, false, "s5/share", i + 1, props(), "m" + i));
                    pub.expect(PUBACK);
                }
            }
            List<String> got = new ArrayList<>();
            for (RawClient member : List.of(a, b)) {
                for (int i = 0; i < 3; i++) { // round_robin: three each
                    Packet.Publish p = member.expect(PUBLISH).publish(true);
                    assertEquals("the topic, not the share filter", "s5/share", p.topic());
                    got.add(p.payload());
                    member.send(ack(PUBACK, p.packetId()));
                }
            }
            assertTrue(a.silentFor(200));
            got.sort(null);
            assertEquals("each message once across the group", List.of("m0", "m1", "m2", "m3", "m4", "m5"), got);
        }
    }

    @Test
    public void MQTT_4_8_2_3_sharedDeliveryRespectsTheMembersGrantedQos() throws Exception {
        try (RawClient a = client("s5-share-q0")) {
            assertEquals(0, subscribe(a, "$share/gq/s5/shareq", 0));
            publish("s5/shareq", 2, false, "x");
            assertEquals(0, a.expect(PUBLISH).publish(true).qos());
        }
    }

    @Test
    public void MQTT_4_8_2_1_and_4_8_2_2_invalidShareNamesAreRefused() throws Exception {
        for (String filter : List.of("$share//s5/x", "$share/g+/s5/x", "$share/g#/s5/x", "$share/g")) {
            try (RawClient c = client("s5-badshare")) {
                c.send(Bytes.subscribe5(1, props(), filter, 0));
                List<Packet> answer = c.awaitCloseOrNext();
                assertEquals(filter, 1, answer.size());
                Packet p = answer.get(0);
                int code = p.type() == SUBACK ? p.u8(p.propsAt(2).end()) : p.reasonAt(0);
                assertTrue(filter + " refused: " + p, code >= 0x80);
            }
        }
    }

    private static byte[] persistent(String id) {
        return connect5(id, 0x00, 60, props(cat(u8(0x11), Bytes.u32(60))));
    }

    private static void endSession(String id) throws Exception {
        try (RawClient c = RawClient.connected(port, connect5(id))) {
            c.send(Bytes.disconnect());
            c.awaitClose();
        }
    }

    /** A refused filter: a SUBACK failure code, or a DISCONNECT (Malformed, Protocol Error, Topic Filter invalid). */
    private static void assertFilterRefused(String filter) throws Exception {
        try (RawClient c = client("s5-refused")) {
            c.send(Bytes.subscribe5(1, props(), filter, 0));
            List<Packet> answer = c.awaitCloseOrNext();
            assertEquals(filter, 1, answer.size());
            Packet p = answer.get(0);
            if (p.type() == SUBACK) {
                assertTrue(filter + " refused: " + p, p.u8(p.propsAt(2).end()) >= 0x80);
            } else {
                assertEquals(filter + ": " + p, Bytes.DISCONNECT, p.type());
                assertTrue(filter + ": " + p, List.of(0x81, 0x82, 0x8F).contains(p.reasonAt(0)));
                assertEquals("closed after the DISCONNECT", List.of(), c.awaitClose());
            }
        }
    }

    @Test
    public void MQTT_4_8_2_4_qos2DeliveryToASharedMemberIsCompletedWhenItReconnects() throws Exception {
        int packetId;
        try (RawClient other = client("s5-sh4-b")) {
            try (RawClient a = RawClient.connected(port, persistent("s5-sh4-a"))) {
                assertEquals(2, subscribe(a, "$share/g4/s5/sh4", 2));
                publish("s5/sh4", 2, false, "finish me");
                Packet.Publish p = a.expect(PUBLISH).publish(true);
                packetId = p.packetId();
                assertEquals(2, subscribe(other, "$share/g4/s5/sh4", 2));
            } // the connection breaks before PUBREC
            assertTrue("not given to another member", other.silentFor(500));
            try (RawClient a = RawClient.connected(port, persistent("s5-sh4-a"))) {
                Packet.Publish again = a.expect(PUBLISH).publish(true);
                assertEquals("completed to the same client, same packet id", packetId, again.packetId());
                assertEquals("finish me", again.payload());
                assertTrue(again.dup());
                a.send(ack(PUBREC, packetId));
                assertEquals(packetId, a.expect(PUBREL).u16(0));
                a.send(ack(PUBCOMP, packetId));
            }
            assertTrue(other.silentFor(200));
        }
        endSession("s5-sh4-a");
    }

    @Test
    public void MQTT_4_8_2_5_qos2MessageOfAMemberWhoseSessionEndedIsNotSentToOthers() throws Exception {
        try (RawClient other = client("s5-sh5-b")) {
            try (RawClient a = client("s5-sh5-a")) { // Session Expiry 0: the session ends with the connection
                assertEquals(2, subscribe(a, "$share/g5/s5/sh5", 2));
                publish("s5/sh5", 2, false, "only for a");
                assertEquals("only for a", a.expect(PUBLISH).publish(true).payload());
                assertEquals(2, subscribe(other, "$share/g5/s5/sh5", 2));
            }
            assertTrue("the QoS 2 message is not sent to another member", other.silentFor(600));
        }
    }

    @Test
    public void MQTT_4_8_2_6_errorAcknowledgementFromASharedMemberDiscardsTheMessage() throws Exception {
        for (int qos = 1; qos <= 2; qos++) {
            String topic = "s5/sh6/q" + qos;
            try (RawClient other = client("s5-sh6-b" + qos)) {
                try (RawClient a = client("s5-sh6-a" + qos)) {
                    assertEquals(qos, subscribe(a, "$share/g6/" + topic, qos));
                    publish(topic, qos, false, "refused");
                    Packet.Publish p = a.expect(PUBLISH).publish(true);
                    assertEquals(qos, subscribe(other, "$share/g6/" + topic, qos));
                    a.send(Bytes.ack5(qos == 1 ? PUBACK : PUBREC, p.packetId(), 0x80));
                    assertTrue("QoS " + qos + ": no PUBREL after an error PUBREC", qos == 1 || a.silentFor(200));
                    assertTrue("QoS " + qos + ": not sent to another member", other.silentFor(400));
                }
                assertTrue("QoS " + qos + ": not even after the member left", other.silentFor(400));
            }
        }
    }

    @Test
    public void MQTT_3_8_3_1_nonUtf8TopicFilterIsMalformed() throws Exception {
        for (byte[] bad : List.of(u8(0xC3, 0x28), u8('s', '/', 0xED, 0xA0, 0x80), u8(0xF8, 0x88, 0x80, 0x80, 0x80))) {
            try (RawClient c = client("s5-sub-utf8")) {
                c.send(packet(0x82, u16(1), props(), Bytes.bin(bad), u8(0)));
                c.awaitDisconnect(0x81);
            }
        }
    }

    @Test
    public void MQTT_3_10_3_1_nonUtf8UnsubscribeFilterIsMalformed() throws Exception {
        for (byte[] bad : List.of(u8(0xC3, 0x28), u8('s', '/', 0xED, 0xBF, 0xBF))) {
            try (RawClient c = client("s5-unsub-utf8")) {
                c.send(packet(0xA2, u16(1), props(), Bytes.bin(bad)));
                c.awaitDisconnect(0x81);
            }
        }
    }

    @Test
    public void MQTT_3_8_4_4_replacingWithRetainHandling0ResendsRetainedAndLosesNothing() throws Exception {
        publish("s5/replace4", 1, true, "kept");
        try (RawClient c = client("s5-replace4"); RawClient pub = client("s5-replace4-pub")) {
            assertEquals(1, subscribe(c, "s5/replace4", 1));
            Packet.Publish first = c.expect(PUBLISH).publish(true);
            assertTrue(first.retain());
            c.send(ack(PUBACK, first.packetId()));
            // A publication racing with the replacement must not be lost.
            pub.send(publish5(1, false, "s5/replace4", 2, props(), "live"));
            c.send(Bytes.subscribe5(7, props(), "s5/replace4", 0x01));
            pub.expect(PUBACK);
            List<String> got = new ArrayList<>();
            boolean sawSuback = false;
            while (got.size() < 2 || !sawSuback) {
                Packet in = c.read();
                if (in.type() == SUBACK) {
                    sawSuback = true;
                    continue;
                }
                Packet.Publish p = in.publish(true);
                got.add(p.payload() + (p.retain() ? "(retained)" : ""));
                if (p.qos() == 1) {
                    c.send(ack(PUBACK, p.packetId()));
                }
            }
            assertTrue("retained re-sent on replacement: " + got, got.contains("kept(retained)"));
            assertTrue("live publication not lost: " + got, got.contains("live"));
            assertTrue("one subscription, no extra copy", c.silentFor(300));
        }
        publish("s5/replace4", 0, true, "");
    }

    @Test
    public void MQTT_3_8_4_5_and_3_8_4_6_and_3_8_4_7_filtersAreASequenceWithOneGrantedCodeEach() throws Exception {
        try (RawClient c = client("s5-seq")) {
            // The same filter twice: the second replaces the first, as two SUBSCRIBE packets would.
            c.send(packet(0x82, u16(0x0405), props(), str("s5/seq/a"), u8(0), str("s5/seq/b"), u8(2), str("s5/seq/a"), u8(1)));
            Packet ack = c.expect(SUBACK);
            assertEquals(0x0405, ack.u16(0));
            int at = ack.propsAt(2).end();
            assertEquals("one code per filter", at + 3, ack.body().length);
            assertEquals("the maximum QoS granted for each", List.of(0, 2, 1), List.of(ack.u8(at), ack.u8(at + 1), ack.u8(at + 2)));
            assertTrue("a single SUBACK", c.silentFor(200));
            publish("s5/seq/a", 2, false, "a");
            Packet.Publish p = c.expect(PUBLISH).publish(true);
            assertEquals("the later subscription of the sequence holds", 1, p.qos());
            c.send(ack(PUBACK, p.packetId()));
            assertTrue("one subscription for the repeated filter", c.silentFor(300));
        }
    }

    @Test
    public void MQTT_4_7_1_1_and_4_7_1_2_misplacedWildcardsAreRefused() throws Exception {
        for (String filter : List.of("s5/#/x", "s5/x#", "s5/x+", "s5/+x/y")) {
            assertFilterRefused(filter);
        }
        try (RawClient c = client("s5-wild-ok")) {
            assertEquals(0, subscribe(c, "+/s5wild/+/#", 0));
            publish("a/s5wild/b/c/d", 0, false, "matched");
            assertEquals("a/s5wild/b/c/d", c.expect(PUBLISH).publish(true).topic());
        }
    }

    @Test
    public void MQTT_4_7_3_1_emptyTopicFilterIsRefused() throws Exception {
        assertFilterRefused("");
    }

    @Test
    public void MQTT_4_7_3_4_noNormalisationWhenMatching() throws Exception {
        try (RawClient c = client("s5-norm")) {
            subscribe(c, "s5/Norm/x", 0);
            publish("s5/norm/x", 0, false, "lower");
            publish("s5/Norm/x/", 0, false, "trailing");
            publish("s5//Norm/x", 0, false, "double");
            publish("s5/Norm/x", 0, false, "exact");
            assertEquals("exact", c.expect(PUBLISH).publish(true).payload());
            assertTrue(c.silentFor(200));
        }
    }

    @Test
    public void MQTT_4_7_2_1_wildcardsDoNotMatchDollarTopics() throws Exception {
        try (RawClient hash = client("s5-dollar")) {
            subscribe(hash, "#", 0);
            publish("$s5/x", 0, false, "dollar");
            assertTrue(hash.silentFor(300));
        }
    }
}

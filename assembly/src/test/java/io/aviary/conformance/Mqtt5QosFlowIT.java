package io.aviary.conformance;

import static io.aviary.conformance.Bytes.PINGRESP;
import static io.aviary.conformance.Bytes.PUBACK;
import static io.aviary.conformance.Bytes.PUBCOMP;
import static io.aviary.conformance.Bytes.PUBLISH;
import static io.aviary.conformance.Bytes.PUBREC;
import static io.aviary.conformance.Bytes.PUBREL;
import static io.aviary.conformance.Bytes.SUBACK;
import static io.aviary.conformance.Bytes.UNSUBACK;
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
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import io.aviary.itest.Distribution;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * MQTT 5.0 QoS delivery protocols as they bind the server (4.3, 4.4, 4.6, 4.9, 2.2.1): the
 * server as sender (packet ids, DUP, what stays unacknowledged, PUBREL, no expiry once a QoS 2
 * PUBLISH went out, resend order, flow control by the client's Receive Maximum) and as receiver
 * (acknowledgements, their order, new publications on a freed id), checked with raw bytes.
 */
public class Mqtt5QosFlowIT {
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

    private static byte[] prop(int id, byte[] value) {
        return cat(u8(id), value);
    }

    private static byte[] sessionExpiry(long seconds) {
        return prop(0x11, u32(seconds));
    }

    private static byte[] receiveMaximum(int n) {
        return prop(0x21, u16(n));
    }

    private static RawClient client(String id) throws Exception {
        return RawClient.connected(port, connect5(id));
    }

    /** A CONNECT with Clean Start 0 and a Session Expiry of 60 s, plus any further properties. */
    private static byte[] persistent(String id, byte[]... moreProps) {
        return connect5(id, 0x00, 60, props(cat(sessionExpiry(60), cat(moreProps))));
    }

    private static void subscribe(RawClient c, String filter, int qos) throws Exception {
        c.send(Bytes.subscribe5(8, props(), filter, qos));
        Packet ack = c.expect(SUBACK);
        assertEquals("granted " + ack, qos, ack.u8(ack.propsAt(2).end()));
    }

    /** Publishes from a fresh client and completes the publisher side of the QoS flow. */
    private static void publish(String topic, int qos, byte[] pubProps, String payload) throws Exception {
        try (RawClient pub = client("q5-" + Integer.toHexString((topic + payload + qos).hashCode()))) {
            pub.send(publish5(qos, false, topic, 1, pubProps, payload));
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

    /** Ends a persistent session: reconnect with Clean Start and Session Expiry 0. */
    private static void endSession(String id) throws Exception {
        try (RawClient c = RawClient.connected(port, connect5(id, 0x02, 60, props()))) {
            c.send(Bytes.disconnect());
            c.awaitClose();
        }
    }

    private static void close(RawClient c) throws Exception {
        c.send(Bytes.disconnect()); // the session stays: its expiry is 60 s
        c.awaitClose();
        c.close();
    }

    /**
     * Waits, without sleeping, until a Message Expiry Interval of 1 s set now has certainly
     * passed: a retained probe published with that expiry stops being delivered.
     */
    private static void awaitOneSecondExpiry(String probeTopic) throws Exception {
        try (RawClient pub = client("q5-probe-pub")) {
            pub.send(publish5(1, true, probeTopic, 1, props(prop(0x02, u32(1))), "probe"));
            pub.expect(PUBACK);
        }
        Awaitility.await("the probe expired").atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    try (RawClient probe = client("q5-probe-sub")) {
                        subscribe(probe, probeTopic, 0);
                        return probe.silentFor(100);
                    }
                });
    }

    // ---- the server as QoS 1 / QoS 2 sender

    @Test
    public void MQTT_4_3_2_1_and_4_3_2_2_and_2_2_1_4_qos1DeliveriesGetUnusedNonZeroPacketIdsAndDup0() throws Exception {
        try (RawClient sub = client("q5-ids1")) {
            subscribe(sub, "q5/ids1", 1);
            try (RawClient pub = client("q5-ids1-pub")) {
                for (int i = 1; i <= 10; i++) {
                    pub.send(publish5(1, false, "q5/ids1", i, props(), "m" + i));
                    pub.expect(PUBACK);
                }
                List<Packet.Publish> first = new ArrayList<>();
                for (int i = 1; i <= 10; i++) {
                    Packet.Publish p = sub.expect(PUBLISH).publish(true);
                    assertEquals(1, p.qos());
                    assertFalse("DUP 0 on a first delivery", p.dup());
                    assertNotEquals("non-zero packet id", 0, p.packetId());
                    first.add(p);
                }
                Set<Integer> unacked = new HashSet<>();
                for (Packet.Publish p : first) {
                    assertTrue("packet id " + p.packetId() + " used twice while unacknowledged", unacked.add(p.packetId()));
                }
                for (int i = 0; i < 5; i++) { // acknowledge the first five: their ids become free
                    sub.send(ack(PUBACK, first.get(i).packetId()));
                    unacked.remove(first.get(i).packetId());
                }
                for (int i = 11; i <= 20; i++) {
                    pub.send(publish5(1, false, "q5/ids1", i, props(), "m" + i));
                    pub.expect(PUBACK);
                }
                for (int i = 11; i <= 20; i++) {
                    Packet.Publish p = sub.expect(PUBLISH).publish(true);
                    assertEquals("m" + i, p.payload());
                    assertNotEquals(0, p.packetId());
                    assertTrue("packet id " + p.packetId() + " still unacknowledged", unacked.add(p.packetId()));
                }
            }
        }
    }

    @Test
    public void MQTT_4_3_2_3_qos1PublishStaysUnacknowledgedUntilItsPuback() throws Exception {
        byte[] connect = persistent("q5-unacked1");
        int packetId;
        try (RawClient sub = RawClient.connected(port, connect)) {
            subscribe(sub, "q5/unacked1", 1);
            publish("q5/unacked1", 1, props(), "keep");
            packetId = sub.expect(PUBLISH).publish(true).packetId();
            sub.send(ack(PUBACK, packetId == 1 ? 2 : 1)); // an acknowledgement of another id
            close(sub);
        }
        try (RawClient sub = RawClient.connected(port, connect)) {
            Packet.Publish again = sub.expect(PUBLISH).publish(true);
            assertEquals("still unacknowledged", packetId, again.packetId());
            assertEquals("keep", again.payload());
            sub.send(ack(PUBACK, packetId));
            close(sub);
        }
        try (RawClient sub = RawClient.connected(port, connect)) {
            assertTrue("acknowledged: not sent again", sub.silentFor(400));
        }
        endSession("q5-unacked1");
    }

    @Test
    public void MQTT_4_3_3_1_and_4_3_3_2_and_2_2_1_4_qos2DeliveriesGetUnusedPacketIdsAndDup0() throws Exception {
        try (RawClient sub = client("q5-ids2")) {
            subscribe(sub, "q5/ids2", 2);
            publish("q5/ids2", 2, props(), "first");
            Packet.Publish p = sub.expect(PUBLISH).publish(true);
            assertEquals(2, p.qos());
            assertFalse(p.dup());
            assertNotEquals(0, p.packetId());
            sub.send(ack(PUBREC, p.packetId()));
            assertEquals(p.packetId(), sub.expect(PUBREL).u16(0));
            // No PUBCOMP yet: the id stays in use until the flow completes.
            Set<Integer> used = new HashSet<>(Set.of(p.packetId()));
            for (int i = 0; i < 4; i++) {
                publish("q5/ids2", 2, props(), "next" + i);
                Packet.Publish n = sub.expect(PUBLISH).publish(true);
                assertEquals(2, n.qos());
                assertFalse(n.dup());
                assertTrue("packet id " + n.packetId() + " is in use", used.add(n.packetId()));
            }
        }
    }

    @Test
    public void MQTT_4_3_3_3_qos2PublishStaysUnacknowledgedUntilItsPubrec() throws Exception {
        byte[] connect = persistent("q5-unacked2");
        int packetId;
        try (RawClient sub = RawClient.connected(port, connect)) {
            subscribe(sub, "q5/unacked2", 2);
            publish("q5/unacked2", 2, props(), "exactly once");
            packetId = sub.expect(PUBLISH).publish(true).packetId();
            close(sub);
        }
        try (RawClient sub = RawClient.connected(port, connect)) {
            Packet.Publish again = sub.expect(PUBLISH).publish(true);
            assertEquals(packetId, again.packetId());
            assertTrue(again.dup());
            assertEquals(2, again.qos());
            sub.send(ack(PUBREC, packetId));
            assertEquals(packetId, sub.expect(PUBREL).u16(0));
            sub.send(ack(PUBCOMP, packetId));
            close(sub);
        }
        endSession("q5-unacked2");
    }

    @Test
    public void MQTT_4_3_3_4_and_4_3_3_5_and_4_3_3_6_pubrelAfterPubrecStaysUnacknowledgedUntilPubcomp() throws Exception {
        byte[] connect = persistent("q5-pubrel");
        int packetId;
        try (RawClient sub = RawClient.connected(port, connect)) {
            subscribe(sub, "q5/pubrel", 2);
            publish("q5/pubrel", 2, props(), "x");
            packetId = sub.expect(PUBLISH).publish(true).packetId();
            sub.send(ack5(PUBREC, packetId, 0x00));
            Packet rel = sub.expect(PUBREL);
            assertEquals("PUBREL flags", 2, rel.flags());
            assertEquals("the PUBLISH's packet id", packetId, rel.u16(0));
            assertEquals("PUBREL reason code", 0, rel.reasonAt(2));
            close(sub); // without PUBCOMP
        }
        try (RawClient sub = RawClient.connected(port, connect)) {
            Packet rel = sub.expect(PUBREL);
            assertEquals("PUBREL is re-sent, not the PUBLISH", packetId, rel.u16(0));
            sub.send(ack(PUBCOMP, packetId));
            assertTrue("nothing else", sub.silentFor(300));
            close(sub);
        }
        try (RawClient sub = RawClient.connected(port, connect)) {
            assertTrue("completed: nothing re-sent", sub.silentFor(400));
        }
        endSession("q5-pubrel");
    }

    @Test
    public void MQTT_4_3_3_4_and_4_4_0_2_pubrecWithAnErrorGetsNoPubrelAndEndsTheFlow() throws Exception {
        byte[] connect = persistent("q5-pubrec-err");
        try (RawClient sub = RawClient.connected(port, connect)) {
            subscribe(sub, "q5/pubrecerr", 2);
            publish("q5/pubrecerr", 2, props(), "refused");
            int packetId = sub.expect(PUBLISH).publish(true).packetId();
            sub.send(ack5(PUBREC, packetId, 0x80));
            assertTrue("no PUBREL after a PUBREC >= 0x80", sub.silentFor(400));
            close(sub);
        }
        try (RawClient sub = RawClient.connected(port, connect)) {
            assertTrue("treated as acknowledged: not re-sent", sub.silentFor(400));
        }
        endSession("q5-pubrec-err");
    }

    @Test
    public void MQTT_4_3_3_7_noPublicationExpiryOnceTheQos2PublishWasSent() throws Exception {
        byte[] connect = persistent("q5-noexpiry2");
        int packetId;
        try (RawClient sub = RawClient.connected(port, connect)) {
            subscribe(sub, "q5/noexpiry2", 2);
            publish("q5/noexpiry2", 2, props(prop(0x02, u32(1))), "sent before expiry");
            packetId = sub.expect(PUBLISH).publish(true).packetId();
            close(sub);
        }
        awaitOneSecondExpiry("q5/noexpiry2/probe");
        try (RawClient sub = RawClient.connected(port, connect)) {
            Packet.Publish again = sub.expect(PUBLISH).publish(true);
            assertEquals("the QoS 2 PUBLISH already sent is not expired", packetId, again.packetId());
            assertEquals("sent before expiry", again.payload());
            sub.send(ack(PUBREC, packetId));
            sub.expect(PUBREL);
            sub.send(ack(PUBCOMP, packetId));
            close(sub);
        }
        endSession("q5-noexpiry2");
    }

    // ---- the server as QoS 1 / QoS 2 receiver

    @Test
    public void MQTT_4_3_2_4_and_4_3_2_5_afterPubackTheSameIdIsANewPublicationWhateverItsDup() throws Exception {
        try (RawClient sub = client("q5-newpub1"); RawClient pub = client("q5-newpub1-pub")) {
            subscribe(sub, "q5/newpub1", 0);
            pub.send(publish5(1, false, "q5/newpub1", 5, props(), "one"));
            Packet ack = pub.expect(PUBACK);
            assertEquals(5, ack.u16(0));
            pub.send(packet(0x3A, str("q5/newpub1"), u16(5), props(), Bytes.utf8("two"))); // same id, DUP 1
            assertEquals(5, pub.expect(PUBACK).u16(0));
            assertEquals("one", sub.expect(PUBLISH).publish(true).payload());
            assertEquals("a new publication despite DUP", "two", sub.expect(PUBLISH).publish(true).payload());
        }
    }

    @Test
    public void MQTT_4_3_3_10_qos2ReceiverAnswersRepeatedPublishWithPubrecAndDeliversOnce() throws Exception {
        try (RawClient sub = client("q5-q2dup"); RawClient pub = client("q5-q2dup-pub")) {
            subscribe(sub, "q5/q2dup", 0);
            pub.send(publish5(2, false, "q5/q2dup", 9, props(), "once"));
            assertEquals(9, pub.expect(PUBREC).u16(0));
            pub.send(packet(0x3C, str("q5/q2dup"), u16(9), props(), Bytes.utf8("once"))); // DUP 1
            Packet again = pub.expect(PUBREC);
            assertEquals(9, again.u16(0));
            assertTrue("PUBREC success " + again, again.reasonAt(2) < 0x80);
            pub.send(ack(PUBREL, 9));
            assertEquals(9, pub.expect(PUBCOMP).u16(0));
            assertEquals("once", sub.expect(PUBLISH).publish(true).payload());
            assertTrue("no duplicate onward delivery", sub.silentFor(300));
        }
    }

    @Test
    public void MQTT_4_3_3_12_afterPubcompTheSameIdIsANewPublication() throws Exception {
        try (RawClient sub = client("q5-q2new"); RawClient pub = client("q5-q2new-pub")) {
            subscribe(sub, "q5/q2new", 0);
            for (String payload : List.of("first", "second")) {
                pub.send(publish5(2, false, "q5/q2new", 11, props(), payload));
                pub.expect(PUBREC);
                pub.send(ack(PUBREL, 11));
                pub.expect(PUBCOMP);
                assertEquals(payload, sub.expect(PUBLISH).publish(true).payload());
            }
        }
    }

    @Test
    public void MQTT_4_3_3_13_qos2AcknowledgementsContinueAfterTheMessageExpired() throws Exception {
        try (RawClient pub = client("q5-q2expired")) {
            pub.send(publish5(2, false, "q5/q2expired", 12, props(prop(0x02, u32(1))), "short lived"));
            assertEquals(12, pub.expect(PUBREC).u16(0));
            awaitOneSecondExpiry("q5/q2expired/probe");
            pub.send(ack(PUBREL, 12));
            Packet comp = pub.expect(PUBCOMP);
            assertEquals(12, comp.u16(0));
            assertEquals("PUBCOMP success " + comp, 0, comp.reasonAt(2));
        }
    }

    // ---- order (4.6)

    @Test
    public void MQTT_4_6_0_1_and_4_4_0_1_resentPublishesKeepTheirOrderAndPacketIds() throws Exception {
        byte[] connect = persistent("q5-resend-order");
        List<Packet.Publish> original = new ArrayList<>();
        try (RawClient sub = RawClient.connected(port, connect)) {
            subscribe(sub, "q5/resend/order", 2);
            try (RawClient pub = client("q5-resend-order-pub")) {
                for (int i = 1; i <= 6; i++) {
                    int qos = i % 2 == 0 ? 2 : 1;
                    pub.send(publish5(qos, false, "q5/resend/order", i, props(), "m" + i));
                    pub.expect(qos == 1 ? PUBACK : PUBREC);
                    if (qos == 2) {
                        pub.send(ack(PUBREL, i));
                        pub.expect(PUBCOMP);
                    }
                }
            }
            for (int i = 1; i <= 6; i++) {
                original.add(sub.expect(PUBLISH).publish(true));
            }
            close(sub); // nothing acknowledged
        }
        try (RawClient sub = RawClient.connected(port, connect)) {
            for (Packet.Publish o : original) {
                Packet.Publish again = sub.expect(PUBLISH).publish(true);
                assertEquals("resent in the original order", o.payload(), again.payload());
                assertEquals("with the original packet id", o.packetId(), again.packetId());
                assertEquals(o.qos(), again.qos());
                assertTrue("DUP", again.dup());
            }
            for (Packet.Publish o : original) {
                sub.send(ack(o.qos() == 1 ? PUBACK : PUBREC, o.packetId()));
                if (o.qos() == 2) {
                    assertEquals(o.packetId(), sub.expect(PUBREL).u16(0));
                    sub.send(ack(PUBCOMP, o.packetId()));
                }
            }
            close(sub);
        }
        endSession("q5-resend-order");
    }

    @Test
    public void MQTT_4_6_0_2_pubacksInTheOrderThePublishesWereReceived() throws Exception {
        int[] ids = {7, 3, 900, 1, 65535, 42, 2, 31000};
        try (RawClient pub = client("q5-puback-order")) {
            byte[][] all = new byte[ids.length][];
            for (int i = 0; i < ids.length; i++) {
                all[i] = publish5(1, false, "q5/puback/order", ids[i], props(), "m" + i);
            }
            pub.send(all);
            for (int id : ids) {
                assertEquals("PUBACK order", id, pub.expect(PUBACK).u16(0));
            }
        }
    }

    @Test
    public void MQTT_4_6_0_3_pubrecsInTheOrderThePublishesWereReceived() throws Exception {
        int[] ids = {70, 30, 9000, 10, 65534, 420};
        try (RawClient pub = client("q5-pubrec-order")) {
            byte[][] all = new byte[ids.length][];
            for (int i = 0; i < ids.length; i++) {
                all[i] = publish5(2, false, "q5/pubrec/order", ids[i], props(), "m" + i);
            }
            pub.send(all);
            for (int id : ids) {
                assertEquals("PUBREC order", id, pub.expect(PUBREC).u16(0));
            }
            for (int id : ids) {
                pub.send(ack(PUBREL, id));
                assertEquals("PUBCOMP for each PUBREL, in order", id, pub.expect(PUBCOMP).u16(0));
            }
        }
    }

    @Test
    public void MQTT_4_6_0_4_pubrelsInTheOrderThePubrecsWereReceived() throws Exception {
        try (RawClient sub = client("q5-pubrel-order")) {
            subscribe(sub, "q5/pubrel/order", 2);
            try (RawClient pub = client("q5-pubrel-order-pub")) {
                for (int i = 1; i <= 5; i++) {
                    pub.send(publish5(2, false, "q5/pubrel/order", i, props(), "m" + i));
                    pub.expect(PUBREC);
                    pub.send(ack(PUBREL, i));
                    pub.expect(PUBCOMP);
                }
            }
            int[] received = new int[5];
            for (int i = 0; i < 5; i++) {
                received[i] = sub.expect(PUBLISH).publish(true).packetId();
            }
            int[] order = {received[4], received[2], received[0], received[3], received[1]};
            byte[][] recs = new byte[order.length][];
            for (int i = 0; i < order.length; i++) {
                recs[i] = ack(PUBREC, order[i]);
            }
            sub.send(recs);
            for (int id : order) {
                assertEquals("PUBREL order follows the PUBREC order", id, sub.expect(PUBREL).u16(0));
            }
            for (int id : order) {
                sub.send(ack(PUBCOMP, id));
            }
        }
    }

    @Test
    public void MQTT_4_6_0_5_and_4_6_0_6_messagesOfOneTopicAreDeliveredInOrder() throws Exception {
        try (RawClient sub = client("q5-order"); RawClient pub = client("q5-order-pub")) {
            subscribe(sub, "q5/order/#", 2);
            for (int i = 1; i <= 30; i++) {
                int qos = i % 3;
                pub.send(publish5(qos, false, "q5/order/t", i, props(), "m" + i));
                if (qos == 1) {
                    pub.expect(PUBACK);
                } else if (qos == 2) {
                    pub.expect(PUBREC);
                    pub.send(ack(PUBREL, i));
                    pub.expect(PUBCOMP);
                }
            }
            int next = 1;
            while (next <= 30) { // PUBRELs of the QoS 2 deliveries interleave with the next PUBLISHes
                Packet in = sub.read();
                if (in.type() == PUBREL) {
                    sub.send(ack(PUBCOMP, in.u16(0)));
                    continue;
                }
                Packet.Publish p = in.publish(true);
                assertEquals("in publishing order", "m" + next, p.payload());
                next++;
                if (p.qos() > 0) {
                    sub.send(ack(p.qos() == 1 ? PUBACK : PUBREC, p.packetId()));
                }
            }
        }
    }

    // ---- flow control (4.9)

    @Test
    public void MQTT_4_9_0_1_and_4_9_0_2_sendQuotaCountsQos2UntilPubcompOrAnErrorPubrec() throws Exception {
        try (RawClient sub = RawClient.connected(port, connect5("q5-quota2", 0x02, 60, props(receiveMaximum(3))))) {
            subscribe(sub, "q5/quota2", 2);
            try (RawClient pub = client("q5-quota2-pub")) {
                for (int i = 1; i <= 7; i++) {
                    pub.send(publish5(2, false, "q5/quota2", i, props(), "m" + i));
                    pub.expect(PUBREC);
                    pub.send(ack(PUBREL, i));
                    pub.expect(PUBCOMP);
                }
            }
            List<Packet.Publish> out = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                out.add(sub.expect(PUBLISH).publish(true));
            }
            assertTrue("no fourth PUBLISH: the quota of 3 is used up", sub.silentFor(300));
            for (Packet.Publish p : out) {
                sub.send(ack(PUBREC, p.packetId()));
                assertEquals(p.packetId(), sub.expect(PUBREL).u16(0));
            }
            assertTrue("a PUBREC below 0x80 does not restore the quota", sub.silentFor(300));
            sub.send(ack(PUBCOMP, out.get(0).packetId()));
            Packet.Publish fourth = sub.expect(PUBLISH).publish(true);
            assertEquals("PUBCOMP restores one", "m4", fourth.payload());
            assertTrue("exactly one", sub.silentFor(300));
            sub.send(ack5(PUBREC, fourth.packetId(), 0x80));
            assertEquals("a PUBREC >= 0x80 restores one", "m5", sub.expect(PUBLISH).publish(true).payload());
            assertTrue("exactly one", sub.silentFor(300));
        }
    }

    @Test
    public void MQTT_4_9_0_3_otherPacketsAreProcessedWhileTheQuotaIsZero() throws Exception {
        try (RawClient sub = RawClient.connected(port, connect5("q5-quota0", 0x02, 60, props(receiveMaximum(1))))) {
            subscribe(sub, "q5/quota0", 1);
            publish("q5/quota0", 1, props(), "a");
            publish("q5/quota0", 1, props(), "b");
            Packet.Publish a = sub.expect(PUBLISH).publish(true);
            assertEquals("a", a.payload());
            // Quota zero: every other packet is still processed and answered.
            sub.send(Bytes.pingreq());
            assertEquals(PINGRESP, sub.read().type());
            sub.send(Bytes.subscribe5(20, props(), "q5/quota0/other", 1));
            assertEquals(20, sub.expect(SUBACK).u16(0));
            sub.send(Bytes.unsubscribe5(21, "q5/quota0/other"));
            assertEquals(21, sub.expect(UNSUBACK).u16(0));
            sub.send(publish5(1, false, "q5/quota0/in", 22, props(), "in"));
            assertEquals(22, sub.expect(PUBACK).u16(0));
            sub.send(publish5(2, false, "q5/quota0/in", 23, props(), "in"));
            assertEquals(23, sub.expect(PUBREC).u16(0));
            sub.send(ack(PUBREL, 23));
            assertEquals(23, sub.expect(PUBCOMP).u16(0));
            sub.send(publish5(0, false, "q5/quota0", 0, props(), "c0"));
            Packet.Publish q0 = sub.expect(PUBLISH).publish(true);
            assertEquals("QoS 0 is not held back by the quota", "c0", q0.payload());
            assertTrue("still no second QoS 1 PUBLISH", sub.silentFor(200));
            sub.send(ack(PUBACK, a.packetId()));
            assertEquals("b", sub.expect(PUBLISH).publish(true).payload());
        }
    }

    @Test
    public void MQTT_4_9_0_2_resentPublishesRespectTheReceiveMaximumOfTheNewConnection() throws Exception {
        String id = "q5-quota-resume";
        List<Packet.Publish> original = new ArrayList<>();
        try (RawClient sub = RawClient.connected(port, persistent(id, receiveMaximum(10)))) {
            subscribe(sub, "q5/quota/resume", 1);
            for (int i = 1; i <= 4; i++) {
                publish("q5/quota/resume", 1, props(), "m" + i);
            }
            for (int i = 1; i <= 4; i++) {
                original.add(sub.expect(PUBLISH).publish(true));
            }
            close(sub); // four unacknowledged
        }
        try (RawClient sub = RawClient.connected(port, persistent(id, receiveMaximum(1)))) {
            for (Packet.Publish o : original) {
                Packet.Publish again = sub.expect(PUBLISH).publish(true);
                assertEquals("in order, with the original id", o.packetId(), again.packetId());
                assertEquals(o.payload(), again.payload());
                assertTrue("DUP", again.dup());
                assertTrue("only one unacknowledged PUBLISH with Receive Maximum 1", sub.silentFor(300));
                sub.send(ack(PUBACK, again.packetId()));
            }
            close(sub);
        }
        endSession(id);
    }

    @Test
    public void MQTT_2_2_1_2_qos0PublishHasNoPacketIdentifier() throws Exception {
        try (RawClient sub = client("q5-q0-noid")) {
            subscribe(sub, "q5/q0noid", 0);
            publish("q5/q0noid", 1, props(), "zz");
            Packet p = sub.expect(PUBLISH);
            assertEquals("QoS 0", 0, p.flags() >> 1 & 3);
            // topic string, property length 0, payload: no two packet id bytes in between
            assertEquals(p.toString(), 2 + "q5/q0noid".length() + 1 + 2, p.body().length);
            assertEquals("zz", p.publish(true).payload());
        }
    }

    // ---- UNSUBSCRIBE while deliveries are in flight

    @Test
    public void MQTT_3_10_4_3_inflightDeliveriesOfAnUnsubscribedFilterComplete() throws Exception {
        byte[] connect = persistent("q5-unsub-inflight");
        Packet.Publish q1;
        Packet.Publish q2;
        try (RawClient sub = RawClient.connected(port, connect)) {
            subscribe(sub, "q5/unsub/inflight", 2);
            publish("q5/unsub/inflight", 1, props(), "q1");
            publish("q5/unsub/inflight", 2, props(), "q2");
            q1 = sub.expect(PUBLISH).publish(true);
            q2 = sub.expect(PUBLISH).publish(true);
            sub.send(Bytes.unsubscribe5(30, "q5/unsub/inflight"));
            Packet unsuback = sub.expect(UNSUBACK);
            assertEquals(0, unsuback.u8(unsuback.propsAt(2).end()));
            sub.send(ack(PUBREC, q2.packetId()));
            assertEquals("the QoS 2 flow goes on after UNSUBSCRIBE", q2.packetId(), sub.expect(PUBREL).u16(0));
            close(sub); // QoS 1 unacknowledged, QoS 2 waiting for PUBCOMP
        }
        try (RawClient sub = RawClient.connected(port, connect)) {
            Packet.Publish again = sub.expect(PUBLISH).publish(true);
            assertEquals("the started QoS 1 delivery is completed", q1.packetId(), again.packetId());
            assertEquals("q1", again.payload());
            assertEquals(q2.packetId(), sub.expect(PUBREL).u16(0));
            sub.send(ack(PUBACK, q1.packetId()), ack(PUBCOMP, q2.packetId()));
            publish("q5/unsub/inflight", 1, props(), "after");
            assertTrue("no new messages for the deleted subscription", sub.silentFor(300));
            close(sub);
        }
        endSession("q5-unsub-inflight");
    }

    @Test
    public void MQTT_3_6_2_1_and_3_7_2_1_pubrelAndPubcompCarryTheirOwnReasonCodes() throws Exception {
        try (RawClient sub = client("q5-relcomp")) {
            subscribe(sub, "q5/relcomp", 2);
            publish("q5/relcomp", 2, props(), "m");
            Packet.Publish p = sub.expect(PUBLISH).publish(true);
            sub.send(Bytes.ack5(PUBREC, p.packetId(), 0x00));
            Packet rel = sub.expect(PUBREL);
            assertEquals(p.packetId(), rel.u16(0));
            assertEquals("PUBREL Success " + rel, 0x00, rel.reasonAt(2));
            sub.send(Bytes.ack5(PUBCOMP, p.packetId(), 0x00));
            sub.send(Bytes.ack5(PUBREL, 4242, 0x00)); // an id the broker holds no QoS 2 state for
            Packet comp = sub.expect(PUBCOMP);
            assertEquals(4242, comp.u16(0));
            assertEquals("PUBCOMP Packet Identifier not found " + comp, 0x92, comp.reasonAt(2));
        }
    }
}

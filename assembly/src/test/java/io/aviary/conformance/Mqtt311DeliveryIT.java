package io.aviary.conformance;

import static io.aviary.conformance.Bytes.PUBACK;
import static io.aviary.conformance.Bytes.PUBCOMP;
import static io.aviary.conformance.Bytes.PUBLISH;
import static io.aviary.conformance.Bytes.PUBREC;
import static io.aviary.conformance.Bytes.PUBREL;
import static io.aviary.conformance.Bytes.SUBACK;
import static io.aviary.conformance.Bytes.UNSUBACK;
import static io.aviary.conformance.Bytes.ack;
import static io.aviary.conformance.Bytes.bin;
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
import static org.junit.Assert.assertTrue;

import io.aviary.itest.Distribution;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * MQTT 3.1.1 delivery statements not in {@link Mqtt311PublishSubscribeIT}: strings kept byte
 * for byte (1.5.3-3), UTF-8 in SUBSCRIBE / UNSUBSCRIBE (3.8.3-1, 3.10.3-1), acknowledgement
 * packet ids (3.8.4-2, 2.3.1-5), deliveries in flight at UNSUBSCRIBE (3.10.4-3), the order of
 * re-sent PUBLISHes and of PUBACK / PUBREC / PUBREL (4.6.0-1..4) and topics of 65,535 bytes (4.7.3-3).
 */
public class Mqtt311DeliveryIT {
    private static final byte[] BOM = u8(0xEF, 0xBB, 0xBF);
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

    private static void subscribe(RawClient c, String filter, int qos) throws Exception {
        c.send(subscribe311(9, filter, qos));
        Packet ack = c.expect(SUBACK);
        assertEquals(9, ack.u16(0));
        assertEquals("granted " + ack, qos, ack.u8(2));
    }

    private static void publish(String topic, int qos, String payload) throws Exception {
        try (RawClient pub = client("d311-" + Integer.toHexString((topic + payload + qos).hashCode()))) {
            pub.send(publish311(qos, false, topic, 1, payload));
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

    private static void endSession(String id) throws Exception {
        try (RawClient c = client(id)) {
            c.send(Bytes.disconnect());
            c.awaitClose();
        }
    }

    private static void disconnect(RawClient c) throws Exception {
        c.send(Bytes.disconnect());
        c.awaitClose();
        c.close();
    }

    /** The raw bytes of a delivered PUBLISH's topic name. */
    private static byte[] topicBytes(Packet p) {
        return Arrays.copyOfRange(p.body(), 2, 2 + p.u16(0));
    }

    @Test
    public void MQTT_1_5_3_3_byteOrderMarkIsNeitherSkippedNorStripped() throws Exception {
        byte[] withBom = cat(Bytes.utf8("d311/bom/"), BOM, Bytes.utf8("x"));
        byte[] leading = cat(BOM, Bytes.utf8("d311bom"));
        try (RawClient bomSub = client("d311-bom"); RawClient plainSub = client("d311-bom-plain");
                RawClient pub = client("d311-bom-pub")) {
            bomSub.send(packet(0x82, u16(3), bin(withBom), u8(0), bin(leading), u8(0)));
            assertArrayEquals(u8(0, 3, 0, 0), bomSub.expect(SUBACK).body());
            subscribe(plainSub, "d311/bom/x", 0);
            subscribe(plainSub, "d311bom", 0);
            pub.send(packet(0x30, bin(withBom), Bytes.utf8("with")), packet(0x30, bin(leading), Bytes.utf8("leading")),
                    publish311(0, false, "d311/bom/x", 0, "plain"), publish311(0, false, "d311bom", 0, "plain2"));
            Packet a = bomSub.expect(PUBLISH);
            assertArrayEquals("the BOM stays in the topic name", withBom, topicBytes(a));
            Packet b = bomSub.expect(PUBLISH);
            assertArrayEquals("a leading BOM is not stripped", leading, topicBytes(b));
            assertTrue("the filters with a BOM do not match the topics without", bomSub.silentFor(300));
            assertEquals("plain", plainSub.expect(PUBLISH).publish(false).payload());
            assertEquals("plain2", plainSub.expect(PUBLISH).publish(false).payload());
            assertTrue("the topics with a BOM do not match the filters without", plainSub.silentFor(200));
        }
    }

    @Test
    public void MQTT_3_8_3_1_nonUtf8TopicFilterClosesTheConnection() throws Exception {
        for (byte[] bad : List.of(u8(0xC3, 0x28), u8('d', '/', 0xED, 0xA0, 0x80), u8(0xC0, 0xAF))) {
            try (RawClient c = client("d311-sub-utf8")) {
                c.send(packet(0x82, u16(1), bin(bad), u8(0)));
                assertEquals("closed without SUBACK", List.of(), c.awaitClose());
            }
        }
    }

    @Test
    public void MQTT_3_10_3_1_nonUtf8UnsubscribeFilterClosesTheConnection() throws Exception {
        for (byte[] bad : List.of(u8(0xC3, 0x28), u8('d', '/', 0xED, 0xBF, 0xBF))) {
            try (RawClient c = client("d311-unsub-utf8")) {
                c.send(packet(0xA2, u16(1), bin(bad)));
                assertEquals("closed without UNSUBACK", List.of(), c.awaitClose());
            }
        }
    }

    @Test
    public void MQTT_3_8_4_2_subackHasThePacketIdOfTheSubscribeItAcknowledges() throws Exception {
        int[] ids = {0xFFFF, 1, 0x8000, 0x00FF};
        try (RawClient c = client("d311-suback-ids")) {
            byte[][] subs = new byte[ids.length][];
            for (int i = 0; i < ids.length; i++) {
                subs[i] = subscribe311(ids[i], "d311/subid/" + i, i % 3);
            }
            c.send(subs);
            for (int i = 0; i < ids.length; i++) {
                Packet ack = c.expect(SUBACK);
                assertEquals("packet id of SUBACK " + i, ids[i], ack.u16(0));
                assertEquals(i % 3, ack.u8(2));
            }
        }
    }

    @Test
    public void MQTT_2_3_1_5_qos0PublishHasNoPacketIdentifier() throws Exception {
        try (RawClient sub = client("d311-q0-noid")) {
            subscribe(sub, "d311/q0noid", 0);
            publish("d311/q0noid", 2, "zz");
            Packet p = sub.expect(PUBLISH);
            assertEquals("QoS 0", 0, p.flags() >> 1 & 3);
            assertEquals("topic then payload, no packet id: " + p, 2 + "d311/q0noid".length() + 2, p.body().length);
        }
    }

    @Test
    public void MQTT_3_10_4_3_inflightDeliveriesOfAnUnsubscribedFilterComplete() throws Exception {
        byte[] connect = connect311("d311-unsub-inflight", 0x00, 60);
        Packet.Publish q1;
        Packet.Publish q2;
        try (RawClient sub = RawClient.connected(port, connect)) {
            subscribe(sub, "d311/unsub/inflight", 2);
            publish("d311/unsub/inflight", 1, "q1");
            publish("d311/unsub/inflight", 2, "q2");
            q1 = sub.expect(PUBLISH).publish(false);
            q2 = sub.expect(PUBLISH).publish(false);
            sub.send(unsubscribe311(30, "d311/unsub/inflight"));
            assertEquals(30, sub.expect(UNSUBACK).u16(0));
            sub.send(ack(PUBREC, q2.packetId()));
            assertEquals("the QoS 2 flow goes on after UNSUBSCRIBE", q2.packetId(), sub.expect(PUBREL).u16(0));
            disconnect(sub); // QoS 1 unacknowledged, QoS 2 waiting for PUBCOMP
        }
        try (RawClient sub = RawClient.connected(port, connect)) {
            Packet.Publish again = sub.expect(PUBLISH).publish(false);
            assertEquals("the started QoS 1 delivery is completed", q1.packetId(), again.packetId());
            assertEquals("q1", again.payload());
            assertEquals(q2.packetId(), sub.expect(PUBREL).u16(0));
            sub.send(ack(PUBACK, q1.packetId()), ack(PUBCOMP, q2.packetId()));
            publish("d311/unsub/inflight", 1, "after");
            assertTrue("no new messages for the deleted subscription", sub.silentFor(300));
            disconnect(sub);
        }
        endSession("d311-unsub-inflight");
    }

    @Test
    public void MQTT_4_6_0_1_resentPublishesKeepTheOriginalOrder() throws Exception {
        byte[] connect = connect311("d311-resend-order", 0x00, 60);
        List<Packet.Publish> original = new ArrayList<>();
        try (RawClient sub = RawClient.connected(port, connect)) {
            subscribe(sub, "d311/resend/order", 2);
            for (int i = 1; i <= 6; i++) {
                publish("d311/resend/order", i % 2 == 0 ? 2 : 1, "m" + i);
            }
            for (int i = 1; i <= 6; i++) {
                original.add(sub.expect(PUBLISH).publish(false));
            }
            disconnect(sub); // nothing acknowledged
        }
        try (RawClient sub = RawClient.connected(port, connect)) {
            for (Packet.Publish o : original) {
                Packet.Publish again = sub.expect(PUBLISH).publish(false);
                assertEquals("resent in the original order", o.payload(), again.payload());
                assertEquals(o.packetId(), again.packetId());
                assertTrue("DUP", again.dup());
            }
            for (Packet.Publish o : original) {
                sub.send(ack(o.qos() == 1 ? PUBACK : PUBREC, o.packetId()));
                if (o.qos() == 2) {
                    assertEquals(o.packetId(), sub.expect(PUBREL).u16(0));
                    sub.send(ack(PUBCOMP, o.packetId()));
                }
            }
            disconnect(sub);
        }
        endSession("d311-resend-order");
    }

    @Test
    public void MQTT_4_6_0_2_pubacksInTheOrderThePublishesWereReceived() throws Exception {
        int[] ids = {7, 3, 900, 1, 65535, 42, 2, 31000};
        try (RawClient pub = client("d311-puback-order")) {
            byte[][] all = new byte[ids.length][];
            for (int i = 0; i < ids.length; i++) {
                all[i] = publish311(1, false, "d311/puback/order", ids[i], "m" + i);
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
        try (RawClient pub = client("d311-pubrec-order")) {
            byte[][] all = new byte[ids.length][];
            for (int i = 0; i < ids.length; i++) {
                all[i] = publish311(2, false, "d311/pubrec/order", ids[i], "m" + i);
            }
            pub.send(all);
            for (int id : ids) {
                assertEquals("PUBREC order", id, pub.expect(PUBREC).u16(0));
            }
            for (int id : ids) {
                pub.send(ack(PUBREL, id));
                assertEquals(id, pub.expect(PUBCOMP).u16(0));
            }
        }
    }

    @Test
    public void MQTT_4_6_0_4_pubrelsInTheOrderThePubrecsWereReceived() throws Exception {
        try (RawClient sub = client("d311-pubrel-order")) {
            subscribe(sub, "d311/pubrel/order", 2);
            for (int i = 1; i <= 5; i++) {
                publish("d311/pubrel/order", 2, "m" + i);
            }
            int[] received = new int[5];
            for (int i = 0; i < 5; i++) {
                received[i] = sub.expect(PUBLISH).publish(false).packetId();
            }
            int[] order = {received[3], received[0], received[4], received[2], received[1]};
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
    public void MQTT_4_7_3_3_topicNamesAndFiltersOf65535BytesAreAccepted() throws Exception {
        String prefix = "d311/long/";
        String topic = prefix + "t".repeat(65535 - prefix.length());
        assertEquals(65535, Bytes.utf8(topic).length);
        try (RawClient sub = client("d311-long"); RawClient pub = client("d311-long-pub")) {
            subscribe(sub, topic, 1);
            pub.send(publish311(1, false, topic, 5, "long"));
            assertEquals(5, pub.expect(PUBACK).u16(0));
            Packet.Publish p = sub.expect(PUBLISH).publish(false);
            assertEquals("the whole topic name", topic, p.topic());
            assertEquals(1, p.qos());
            sub.send(ack(PUBACK, p.packetId()));
            sub.send(unsubscribe311(11, topic));
            assertEquals(11, sub.expect(UNSUBACK).u16(0));
        }
    }
}

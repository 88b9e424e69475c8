package io.aviary.conformance;

import static io.aviary.conformance.Bytes.CONNACK;
import static io.aviary.conformance.Bytes.SUBACK;
import static io.aviary.conformance.Bytes.cat;
import static io.aviary.conformance.Bytes.connect5;
import static io.aviary.conformance.Bytes.props;
import static io.aviary.conformance.Bytes.publish5;
import static io.aviary.conformance.Bytes.str;
import static io.aviary.conformance.Bytes.u16;
import static io.aviary.conformance.Bytes.u8;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.aviary.itest.Distribution;
import java.util.List;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * MQTT 5.0 statements about a server that limits what it supports (3.2.2 CONNACK
 * capabilities and how the server enforces them): one distribution configured with Maximum
 * QoS 1, no retain, Topic Alias Maximum 2, no wildcard or shared subscriptions, a 1 KB
 * Maximum Packet Size and a Server Keep Alive of 1 s.
 */
public class Mqtt5ServerLimitsIT {
    private static Distribution dist;
    private static int port;

    @BeforeClass
    public static void start() throws Exception {
        dist = new Distribution().start("--set", "mqtt.max_qos_allowed=1", "--set", "mqtt.retain_available=false",
                "--set", "mqtt.max_topic_alias=2", "--set", "mqtt.wildcard_subscription=false",
                "--set", "mqtt.shared_subscription=false", "--set", "mqtt.max_packet_size=1KB",
                "--set", "mqtt.server_keepalive=1");
        port = dist.mqttPort;
    }

    @AfterClass
    public static void stop() throws Exception {
        dist.close();
    }

    private static Packet.Props connackProps(String id) throws Exception {
        try (RawClient c = RawClient.open(port)) {
            c.send(connect5(id));
            Packet ack = c.expect(CONNACK);
            assertEquals(0, ack.u8(1));
            return ack.propsAt(2);
        }
    }

    private static void assertConnectRefused(int reason, byte[] connect) throws Exception {
        try (RawClient c = RawClient.open(port)) {
            c.send(connect);
            List<Packet> before = c.awaitClose();
            assertEquals("one CONNACK: " + before, 1, before.size());
            assertEquals(CONNACK, before.get(0).type());
            assertEquals("reason code of " + before.get(0), reason, before.get(0).u8(1));
        }
    }

    /** A refused SUBSCRIBE: a SUBACK or a DISCONNECT carrying {@code reason}. */
    private static void assertSubscribeRefused(String filter, int reason) throws Exception {
        try (RawClient c = RawClient.connected(port, connect5("l5-sub-" + Integer.toHexString(filter.hashCode())))) {
            c.send(Bytes.subscribe5(1, props(), filter, 0));
            List<Packet> answer = c.awaitCloseOrNext();
            assertEquals(filter, 1, answer.size());
            Packet p = answer.get(0);
            int code = p.type() == SUBACK ? p.u8(p.propsAt(2).end()) : p.reasonAt(0);
            assertEquals(filter + ": " + p, reason, code);
        }
    }

    @Test
    public void MQTT_3_2_2_9_maximumQosIsAnnounced() throws Exception {
        assertEquals(1, connackProps("l5-maxqos").get(0x24));
    }

    @Test
    public void MQTT_3_2_2_10_subscribeRequestingQos2IsAcceptedAtTheMaximum() throws Exception {
        try (RawClient c = RawClient.connected(port, connect5("l5-sub-q2"))) {
            c.send(Bytes.subscribe5(1, props(), "l5/q2", 2));
            Packet ack = c.expect(SUBACK);
            assertEquals("granted", 1, ack.u8(ack.propsAt(2).end()));
        }
    }

    @Test
    public void MQTT_3_2_2_12_publishAboveMaximumQosIsDisconnectedWith0x9B() throws Exception {
        try (RawClient c = RawClient.connected(port, connect5("l5-pub-q2"))) {
            c.send(publish5(2, false, "l5/q2", 1, props(), "x"));
            c.awaitDisconnect(0x9B);
        }
    }

    @Test
    public void MQTT_3_2_2_13_willQosAboveMaximumIsRefusedWith0x9B() throws Exception {
        assertConnectRefused(0x9B, connect5("l5-will-q2", 0x16, 60, props(), props(), str("l5/will"), str("x")));
    }

    @Test
    public void MQTT_3_2_2_14_willRetainWithoutRetainAvailableIsRefusedWith0x9A() throws Exception {
        assertEquals("Retain Available 0 announced", 0, connackProps("l5-retain-announce").get(0x25));
        assertConnectRefused(0x9A, connect5("l5-will-retain", 0x26, 60, props(), props(), str("l5/will"), str("x")));
    }

    @Test
    public void SEC_3_3_1_3_retainedPublishWithoutRetainAvailableIsDisconnectedWith0x9A() throws Exception {
        // Section 3.3.1.3: RETAIN 1 when Retain Available is 0 -> DISCONNECT 0x9A.
        try (RawClient c = RawClient.connected(port, connect5("l5-pub-retain"))) {
            c.send(publish5(0, true, "l5/retain", 0, props(), "x"));
            c.awaitDisconnect(0x9A);
        }
    }

    @Test
    public void MQTT_3_2_2_17_topicAliasAboveTheMaximumIsDisconnectedWith0x94() throws Exception {
        assertEquals(2, connackProps("l5-alias-announce").get(0x22));
        try (RawClient c = RawClient.connected(port, connect5("l5-alias"))) {
            c.send(publish5(0, false, "l5/alias", 0, props(cat(u8(0x23), u16(2))), "fine"));
            c.send(publish5(0, false, "l5/alias", 0, props(cat(u8(0x23), u16(3))), "too high"));
            c.awaitDisconnect(0x94);
        }
    }

    @Test
    public void SEC_3_2_2_3_wildcardSubscriptionsAreRefusedWhenNotAvailable() throws Exception {
        assertEquals("Wildcard Subscription Available 0", 0, connackProps("l5-wild-announce").get(0x28));
        assertSubscribeRefused("l5/+", 0xA2);
        assertSubscribeRefused("l5/#", 0xA2);
    }

    @Test
    public void SEC_3_2_2_3_sharedSubscriptionsAreRefusedWhenNotAvailable() throws Exception {
        assertEquals("Shared Subscription Available 0", 0, connackProps("l5-share-announce").get(0x2A));
        assertSubscribeRefused("$share/g/l5/x", 0x9E);
    }

    @Test
    public void MQTT_3_2_2_15_packetAboveTheMaximumPacketSizeIsDisconnectedWith0x95() throws Exception {
        assertEquals(1024L, connackProps("l5-size-announce").get(0x27));
        try (RawClient c = RawClient.connected(port, connect5("l5-size"))) {
            c.send(publish5(0, false, "l5/size", 0, props(), "x".repeat(2000)));
            c.awaitDisconnect(0x95);
        }
    }

    @Test
    public void SEC_3_2_2_3_serverKeepAliveIsAnnouncedAndEnforced() throws Exception {
        try (RawClient c = RawClient.open(port)) {
            c.send(connect5("l5-serverka", 0x02, 60, props()));
            Packet ack = c.expect(CONNACK);
            assertEquals("Server Keep Alive", 1, ack.propsAt(2).get(0x13));
            long begin = System.nanoTime();
            c.awaitClose();
            long millis = (System.nanoTime() - begin) / 1_000_000;
            assertTrue("closed after " + millis + " ms (client asked for 60 s)", millis >= 1000 && millis < 4000);
        }
    }

    // ---- MQTT 3.1.1 clients of the same limited server

    /** A 3.1.1 CONNECT the server cannot serve: accepted (return code 0) or closed with no packet at all. */
    private static void assertV3AcceptedOrClosedWithoutConnack(byte[] connect) throws Exception {
        try (RawClient c = RawClient.open(port)) {
            c.send(connect);
            Packet first = c.readOrNull();
            if (first != null) {
                assertEquals("a CONNACK " + first, CONNACK, first.type());
                assertEquals("3.1.1 has no return code for this: accept it or close without CONNACK " + first, 0, first.u8(1));
            }
        }
    }

    @Test
    public void MQTT_3_2_2_6_v311ConnectWithNoApplicableReturnCodeIsClosedWithoutConnack() throws Exception {
        // Will QoS 2 above max_qos_allowed, Will Retain without retain: no 3.1.1 return code says so.
        assertV3AcceptedOrClosedWithoutConnack(Bytes.connect311("l311-willq2", 0x16, 60, str("l311/will"), str("x")));
        assertV3AcceptedOrClosedWithoutConnack(Bytes.connect311("l311-willretain", 0x26, 60, str("l311/will"), str("x")));
    }

    @Test
    public void MQTT_3_8_3_2_v311WildcardFilterIsRejectedWhenWildcardsAreUnsupported() throws Exception {
        for (String filter : List.of("l311/+", "l311/#")) {
            try (RawClient c = RawClient.connected(port, Bytes.connect311("l311-wild"))) {
                c.send(Bytes.subscribe311(4, filter, 1));
                List<Packet> answer = c.awaitCloseOrNext();
                for (Packet p : answer) { // a SUBACK with 0x80, or the connection closed
                    assertEquals(filter + ": " + p, SUBACK, p.type());
                    assertEquals(4, p.u16(0));
                    assertEquals(filter + " rejected: " + p, 0x80, p.u8(2));
                }
            }
        }
    }
}

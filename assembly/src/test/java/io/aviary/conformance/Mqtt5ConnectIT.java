package io.aviary.conformance;

import static io.aviary.conformance.Bytes.CONNACK;
import static io.aviary.conformance.Bytes.DISCONNECT;
import static io.aviary.conformance.Bytes.PINGRESP;
import static io.aviary.conformance.Bytes.PUBLISH;
import static io.aviary.conformance.Bytes.SUBACK;
import static io.aviary.conformance.Bytes.cat;
import static io.aviary.conformance.Bytes.connect5;
import static io.aviary.conformance.Bytes.packet;
import static io.aviary.conformance.Bytes.props;
import static io.aviary.conformance.Bytes.str;
import static io.aviary.conformance.Bytes.u16;
import static io.aviary.conformance.Bytes.u32;
import static io.aviary.conformance.Bytes.u8;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import io.aviary.itest.Distribution;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * MQTT 5.0 (OASIS, 2019) CONNECT, CONNACK, DISCONNECT and session state statements
 * (sections 3.1, 3.2, 3.14, 4.1, 4.13 and 1.5), checked black-box against the running
 * distribution with raw bytes, the HiveMQ client and Paho mqttv5.
 */
public class Mqtt5ConnectIT {
    private static Distribution dist;
    private static int port;

    @BeforeClass
    public static void start() throws Exception {
        dist = new Distribution().start().awaitApi();
        port = dist.mqttPort;
    }

    @AfterClass
    public static void stop() throws Exception {
        dist.close();
    }

    private static byte[] sessionExpiry(long seconds) {
        return cat(u8(0x11), u32(seconds));
    }

    private static byte[] willDelay(long seconds) {
        return cat(u8(0x18), u32(seconds));
    }

    /** Will properties, topic and payload (the CONNECT payload after the client id). */
    private static byte[] will(byte[] willProps, String topic, String payload) {
        return cat(willProps, str(topic), str(payload));
    }

    private static RawClient subscriber(String id, String filter) throws Exception {
        RawClient sub = RawClient.connected(port, connect5(id));
        sub.send(Bytes.subscribe5(1, props(), filter, 1));
        assertEquals(1, sub.expect(SUBACK).u8(3));
        return sub;
    }

    /** The broker answers a refused CONNECT with a CONNACK of {@code reason} (or closes) and never a DISCONNECT. */
    private static void assertConnectRefused(int reason, byte[]... packets) throws Exception {
        assertConnectRefused(List.of(reason), packets);
    }

    /** As above, where the spec leaves the choice between codes (Malformed Packet or Protocol Error). */
    private static void assertConnectRefused(List<Integer> reasons, byte[]... packets) throws Exception {
        try (RawClient c = RawClient.open(port)) {
            c.send(packets);
            List<Packet> before = c.awaitClose();
            assertEquals("one CONNACK before the close: " + before, 1, before.size());
            Packet ack = before.get(0);
            assertEquals("a CONNACK, not a DISCONNECT (MQTT-3.14.0-1): " + ack, CONNACK, ack.type());
            assertTrue(String.format("reason code of %s, one of %s", ack, reasons), reasons.contains(ack.u8(1)));
            assertEquals("Session Present 0 with a failure (MQTT-3.2.2-6)", 0, ack.u8(0));
        }
    }

    private static int clientStatus(String id) throws Exception {
        return dist.get("/clients/" + id).statusCode();
    }

    @Test
    public void MQTT_3_1_0_2_secondConnectIsAProtocolError() throws Exception {
        try (RawClient c = RawClient.connected(port, connect5("c5-second"))) {
            c.send(connect5("c5-second"));
            c.awaitDisconnect(0x82);
        }
    }

    @Test
    public void MQTT_3_1_2_3_and_3_14_0_1_reservedFlagIsMalformedAndAnsweredByConnack() throws Exception {
        assertConnectRefused(0x81, connect5("c5-reserved", 0x03, 60, props()));
    }

    @Test
    public void MQTT_3_1_2_4_and_3_2_2_2_cleanStartDiscardsTheSession() throws Exception {
        try (RawClient c = RawClient.connected(port, connect5("c5-clean", 0x02, 60, props(sessionExpiry(60))))) {
            c.send(Bytes.subscribe5(1, props(), "c5/clean", 1));
            c.expect(SUBACK);
            c.send(Bytes.disconnect());
        }
        try (RawClient c = RawClient.open(port); RawClient pub = RawClient.connected(port, connect5("c5-clean-pub"))) {
            c.send(connect5("c5-clean", 0x02, 60, props()));
            Packet ack = c.expect(CONNACK);
            assertEquals("Session Present", 0, ack.u8(0));
            pub.send(Bytes.publish5(0, false, "c5/clean", 0, props(), "x"));
            assertTrue("the old subscription is gone", c.silentFor(400));
        }
    }

    @Test
    public void MQTT_3_1_2_5_and_3_2_2_3_and_3_1_2_23_sessionWithExpiryIsResumed_paho() throws Exception {
        org.eclipse.paho.mqttv5.client.MqttClient client = new org.eclipse.paho.mqttv5.client.MqttClient(
                "tcp://127.0.0.1:" + port, "c5-paho-resume", new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(false);
        options.setSessionExpiryInterval(60L);
        try {
            IMqttToken first = client.connectWithResult(options);
            assertFalse(first.getSessionPresent());
            client.subscribe("c5/paho/resume", 1);
            client.disconnect();
            IMqttToken second = client.connectWithResult(options);
            assertTrue("Session Present on resuming", second.getSessionPresent());
            client.disconnect();
        } finally {
            client.close();
        }
    }

    @Test
    public void SEC_3_1_2_11_sessionExpiryZeroEndsTheSessionWithTheConnection() throws Exception {
        try (RawClient c = RawClient.connected(port, connect5("c5-noexpiry", 0x00, 60, props()))) {
            c.send(Bytes.subscribe5(1, props(), "c5/noexpiry", 1));
            c.expect(SUBACK);
        }
        // the broker must first see the connection gone; until then a CONNECT is a takeover
        Awaitility.await("connection gone").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> clientStatus("c5-noexpiry") == 404);
        try (RawClient c = RawClient.open(port)) {
            c.send(connect5("c5-noexpiry", 0x00, 60, props()));
            assertEquals("Session Present", 0, c.expect(CONNACK).u8(0));
        }
    }

    @Test
    public void MQTT_4_1_0_2_sessionIsDiscardedWhenItsExpiryIntervalHasPassed() throws Exception {
        try (RawClient c = RawClient.connected(port, connect5("c5-expire", 0x02, 60, props(sessionExpiry(1))))) {
            c.send(Bytes.subscribe5(1, props(), "c5/expire", 1));
            c.expect(SUBACK);
        }
        Awaitility.await("session expired").atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(200))
                .until(() -> clientStatus("c5-expire") == 404);
        try (RawClient c = RawClient.open(port)) {
            c.send(connect5("c5-expire", 0x00, 60, props()));
            assertEquals("Session Present after expiry", 0, c.expect(CONNACK).u8(0));
        }
    }

    @Test
    public void MQTT_3_1_2_8_willIsPublishedAfterTheWillDelay() throws Exception {
        try (RawClient sub = subscriber("c5-willdelay-sub", "c5/will/delay")) {
            RawClient dying = RawClient.connected(port, connect5("c5-willdelay", 0x06, 60, props(sessionExpiry(10)),
                    will(props(willDelay(1)), "c5/will/delay", "late")));
            long begin = System.nanoTime();
            dying.close();
            assertEquals("late", sub.expect(PUBLISH).publish(true).payload());
            long millis = (System.nanoTime() - begin) / 1_000_000;
            assertTrue("will after " + millis + " ms, expected after the 1 s delay", millis >= 900);
        }
    }

    @Test
    public void MQTT_3_1_2_8_willIsPublishedWhenTheSessionEndsBeforeTheWillDelay() throws Exception {
        try (RawClient sub = subscriber("c5-willend-sub", "c5/will/end")) {
            RawClient dying = RawClient.connected(port, connect5("c5-willend", 0x06, 60, props(),
                    will(props(willDelay(30)), "c5/will/end", "session over")));
            dying.close();
            assertEquals("session over", sub.expect(PUBLISH).publish(true).payload());
        }
    }

    @Test
    public void MQTT_3_1_3_9_reconnectingWithinTheWillDelaySuppressesTheWill() throws Exception {
        try (RawClient sub = subscriber("c5-willback-sub", "c5/will/back")) {
            byte[] connect = connect5("c5-willback", 0x04, 60, props(sessionExpiry(10)),
                    will(props(willDelay(1)), "c5/will/back", "should not"));
            RawClient.connected(port, connect).close();
            try (RawClient back = RawClient.connected(port, connect5("c5-willback", 0x00, 60, props(sessionExpiry(10))))) {
                assertTrue("no will within and after the delay", sub.silentFor(1800));
                back.send(Bytes.disconnect5(0, props(sessionExpiry(0))));
                back.awaitClose();
            }
        }
    }

    @Test
    public void MQTT_3_1_2_10_and_3_14_4_3_disconnectWithReason0DiscardsTheWill() throws Exception {
        try (RawClient sub = subscriber("c5-nowill-sub", "c5/will/none")) {
            try (RawClient c = RawClient.connected(port, connect5("c5-nowill", 0x06, 60, props(), will(props(), "c5/will/none", "no")))) {
                c.send(Bytes.disconnect5(0x00, props()));
                c.awaitClose();
            }
            try (RawClient marker = RawClient.connected(port, connect5("c5-nowill-marker"))) {
                marker.send(Bytes.publish5(0, false, "c5/will/none", 0, props(), "marker"));
                assertEquals("marker", sub.expect(PUBLISH).publish(true).payload());
            }
            assertTrue(sub.silentFor(300));
        }
    }

    @Test
    public void SEC_3_14_2_1_disconnectWithWillMessageReasonPublishesTheWill() throws Exception {
        try (RawClient sub = subscriber("c5-with-will-sub", "c5/will/with")) {
            try (RawClient c = RawClient.connected(port, connect5("c5-with-will", 0x06, 60, props(), will(props(), "c5/will/with", "asked")))) {
                c.send(Bytes.disconnect5(0x04, props()));
                c.awaitClose();
            }
            assertEquals("asked", sub.expect(PUBLISH).publish(true).payload());
        }
    }

    @Test
    public void MQTT_3_1_3_10_willUserPropertiesArePublishedInOrder() throws Exception {
        try (RawClient sub = subscriber("c5-willprops-sub", "c5/will/props")) {
            byte[] willProps = props(cat(u8(0x26), str("b"), str("1")), cat(u8(0x26), str("a"), str("2")),
                    cat(u8(0x26), str("b"), str("3")), cat(u8(0x03), str("text/plain")));
            RawClient.connected(port, connect5("c5-willprops", 0x06, 60, props(), will(willProps, "c5/will/props", "p"))).close();
            Packet.Publish will = sub.expect(PUBLISH).publish(true);
            assertEquals(List.of("b=1", "a=2", "b=3"), will.props().all(0x26));
            assertEquals("text/plain", will.props().get(0x03));
        }
    }

    @Test
    public void MQTT_3_1_2_11_and_3_1_2_13_willQosOrRetainWithoutWillFlagIsMalformed() throws Exception {
        // The spec names no code for these: Malformed Packet or Protocol Error.
        assertConnectRefused(List.of(0x81, 0x82), connect5("c5-willqos", 0x0A, 60, props()));
        assertConnectRefused(List.of(0x81, 0x82), connect5("c5-willretain", 0x22, 60, props()));
    }

    @Test
    public void MQTT_3_1_2_12_willQos3IsMalformed() throws Exception {
        assertConnectRefused(0x81, connect5("c5-willqos3", 0x1E, 60, props(), will(props(), "c5/w", "x")));
    }

    @Test
    public void MQTT_3_1_2_22_keepAliveExceededClosesTheConnection() throws Exception {
        try (RawClient c = RawClient.connected(port, connect5("c5-keepalive", 0x02, 1, props()))) {
            long begin = System.nanoTime();
            List<Packet> before = c.awaitClose();
            long millis = (System.nanoTime() - begin) / 1_000_000;
            assertTrue("closed after " + millis + " ms, expected about 1500", millis >= 1000 && millis < 4000);
            for (Packet p : before) {
                assertEquals("only a DISCONNECT (0x8D Keep Alive timeout) may precede the close", DISCONNECT, p.type());
                assertEquals(0x8D, p.reasonAt(0));
            }
        }
    }

    @Test
    public void MQTT_3_2_2_22_withoutServerKeepAliveTheClientKeepAliveIsUsed() throws Exception {
        try (RawClient c = RawClient.open(port)) {
            c.send(connect5("c5-serverka", 0x02, 1, props()));
            Packet ack = c.expect(CONNACK);
            assertNull("no Server Keep Alive by default", ack.propsAt(2).get(0x13));
            for (int i = 0; i < 3; i++) {
                assertTrue(c.silentFor(600));
                c.send(Bytes.pingreq());
                c.expect(PINGRESP);
            }
        }
    }

    @Test
    public void MQTT_3_1_3_5_clientIdOf23AlphanumericsIsAccepted() throws Exception {
        RawClient.connected(port, connect5("ABCDEFGHIJKLMNOPQRSTUVW")).close();
    }

    @Test
    public void MQTT_3_1_3_6_and_3_1_3_7_and_3_2_2_16_emptyClientIdIsAssignedAUniqueOne() throws Exception {
        try (RawClient a = RawClient.open(port); RawClient b = RawClient.open(port)) {
            a.send(connect5(""));
            b.send(connect5(""));
            Packet ackA = a.expect(CONNACK);
            Packet ackB = b.expect(CONNACK);
            assertEquals(0, ackA.u8(1));
            Object idA = ackA.propsAt(2).get(0x12);
            Object idB = ackB.propsAt(2).get(0x12);
            assertNotNull("Assigned Client Identifier", idA);
            assertNotEquals("unique", idA, idB);
        }
    }

    @Test
    public void MQTT_3_2_2_16_assignedClientIdentifier_hivemq() {
        Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().serverHost("127.0.0.1").serverPort(port).buildBlocking();
        Mqtt5ConnAck ack = client.connect();
        assertTrue("Assigned Client Identifier", ack.getAssignedClientIdentifier().isPresent());
        assertFalse(ack.getAssignedClientIdentifier().get().toString().isEmpty());
        client.disconnect();
    }

    @Test
    public void MQTT_3_1_4_3_takeoverSendsDisconnect0x8EToTheExistingClient() throws Exception {
        try (RawClient first = RawClient.connected(port, connect5("c5-takeover"));
                RawClient second = RawClient.connected(port, connect5("c5-takeover"))) {
            Packet d = first.awaitDisconnect(0x8E);
            assertNull("no Session Expiry on a server DISCONNECT (MQTT-3.14.2-2)", d.propsAt(1).get(0x11));
            second.send(Bytes.pingreq());
            second.expect(PINGRESP);
        }
    }

    @Test
    public void MQTT_3_1_4_1_topicAliasInConnectIsMalformed() throws Exception {
        assertConnectRefused(0x81, connect5("c5-alias-connect", 0x02, 60, props(cat(u8(0x23), u16(1)))));
    }

    @Test
    public void MQTT_3_1_4_1_duplicatedSessionExpiryIsAProtocolError() throws Exception {
        assertConnectRefused(0x82, connect5("c5-dup-prop", 0x02, 60, props(sessionExpiry(1), sessionExpiry(2))));
    }

    @Test
    public void MQTT_3_1_4_1_receiveMaximumZeroIsAProtocolError() throws Exception {
        assertConnectRefused(0x82, connect5("c5-rm0", 0x02, 60, props(cat(u8(0x21), u16(0)))));
    }

    @Test
    public void MQTT_3_1_4_6_dataAfterARefusedConnectIsNotProcessed() throws Exception {
        assertConnectRefused(0x81, connect5("c5-refused-data", 0x03, 60, props()),
                Bytes.publish5(0, true, "c5/refused/data", 0, props(), "must not be retained"));
        try (RawClient sub = subscriber("c5-refused-data-sub", "c5/refused/data")) {
            assertTrue("nothing was retained", sub.silentFor(300));
        }
    }

    @Test
    public void MQTT_3_2_0_2_and_3_2_2_1_oneConnackWithReservedAckFlagsZero() throws Exception {
        try (RawClient c = RawClient.open(port)) {
            c.send(connect5("c5-one-connack"));
            Packet ack = c.expect(CONNACK);
            assertEquals("reserved acknowledge flags", 0, ack.u8(0) & 0xFE);
            c.send(Bytes.pingreq());
            assertEquals("the next packet is not a second CONNACK", PINGRESP, c.read().type());
        }
    }

    @Test
    public void MQTT_3_1_2_28_noResponseInformationUnlessRequested() throws Exception {
        try (RawClient c = RawClient.open(port)) {
            c.send(connect5("c5-noresp", 0x02, 60, props(cat(u8(0x19), u8(0)))));
            assertNull(c.expect(CONNACK).propsAt(2).get(0x1A));
        }
    }

    @Test
    public void MQTT_3_1_2_29_noReasonStringOnAcksWhenProblemInformationIsRefused() throws Exception {
        try (RawClient c = RawClient.connected(port, connect5("c5-noproblem", 0x02, 60, props(cat(u8(0x17), u8(0)))))) {
            c.send(Bytes.publish5(1, false, "c5/noproblem/nobody", 3, props(), "x"));
            Packet puback = c.expect(Bytes.PUBACK);
            assertNull("no Reason String on PUBACK " + puback, puback.propsAt(3).get(0x1F));
            assertTrue(puback.propsAt(3).all(0x26).isEmpty());
            c.send(Bytes.unsubscribe5(4, "c5/noproblem/never"));
            Packet unsuback = c.read();
            assertEquals(Bytes.UNSUBACK, unsuback.type());
            assertNull("no Reason String on UNSUBACK " + unsuback, unsuback.propsAt(2).get(0x1F));
            assertTrue(unsuback.propsAt(2).all(0x26).isEmpty());
        }
    }

    @Test
    public void MQTT_3_14_1_1_disconnectWithReservedFlagsIsMalformed() throws Exception {
        try (RawClient c = RawClient.connected(port, connect5("c5-baddisc"))) {
            c.send(u8(0xE2, 0));
            c.awaitDisconnect(0x81);
        }
    }

    @Test
    public void SEC_3_14_2_2_sessionExpiryOnDisconnectAfterZeroIsAProtocolError() throws Exception {
        // Section 3.14.2.2.2: a non-zero Session Expiry on DISCONNECT when CONNECT had zero.
        try (RawClient c = RawClient.connected(port, connect5("c5-disc-expiry"))) {
            c.send(Bytes.disconnect5(0, props(sessionExpiry(30))));
            c.awaitDisconnect(0x82);
        }
    }

    @Test
    public void MQTT_1_5_5_1_nonMinimalRemainingLengthIsMalformed() throws Exception {
        try (RawClient c = RawClient.connected(port, connect5("c5-vbi"))) {
            c.send(u8(0xC0, 0x80, 0x00));
            c.awaitDisconnect(0x81);
        }
    }

    @Test
    public void MQTT_1_5_4_1_surrogateInAUtf8StringIsMalformed() throws Exception {
        try (RawClient c = RawClient.connected(port, connect5("c5-surrogate"))) {
            c.send(packet(0x30, cat(u16(5), u8('a', '/', 0xED, 0xA0, 0x80)), props(), u8('x')));
            c.awaitDisconnect(0x81);
        }
    }

    @Test
    public void MQTT_1_5_4_2_nullCharacterInAUtf8StringIsMalformed() throws Exception {
        try (RawClient c = RawClient.connected(port, connect5("c5-nullchar"))) {
            c.send(packet(0x30, cat(u16(3), u8('a', 0, 'b')), props(), u8('x')));
            c.awaitDisconnect(0x81);
        }
    }

    @Test
    public void MQTT_3_1_0_1_publishBeforeConnectIsRefused() throws Exception {
        try (RawClient c = RawClient.open(port)) {
            c.send(Bytes.publish5(0, false, "c5/first", 0, props(), "x"));
            for (Packet p : c.awaitClose()) {
                assertNotEquals("never accepted", 0, p.type() == CONNACK ? p.u8(1) : -1);
            }
        }
    }

    /** An invalid CONNECT: closed, at most after a CONNACK carrying one of {@code reasons}. */
    private static void assertClosedOrRefusedWith(List<Integer> reasons, byte[] connect) throws Exception {
        try (RawClient c = RawClient.open(port)) {
            c.send(connect);
            List<Packet> before = c.awaitClose();
            assertTrue("at most a CONNACK: " + before, before.size() <= 1);
            for (Packet p : before) {
                assertEquals(CONNACK, p.type());
                assertTrue("reason code of " + p, reasons.contains(p.u8(1)));
            }
        }
    }

    @Test
    public void MQTT_3_1_2_6_cleanStart0WithoutASessionCreatesOne() throws Exception {
        byte[] connect = connect5("c5-newsession", 0x00, 60, props(sessionExpiry(60)));
        try (RawClient c = RawClient.open(port)) {
            c.send(connect);
            assertEquals("no session yet: Session Present 0", 0, c.expect(CONNACK).u8(0));
            c.send(Bytes.subscribe5(1, props(), "c5/newsession", 1));
            c.expect(SUBACK);
            c.send(Bytes.disconnect());
            c.awaitClose();
        }
        try (RawClient pub = RawClient.connected(port, connect5("c5-newsession-pub"))) {
            pub.send(Bytes.publish5(1, false, "c5/newsession", 1, props(), "stored"));
            pub.expect(Bytes.PUBACK);
        }
        try (RawClient c = RawClient.open(port)) {
            c.send(connect);
            assertEquals("the session created before: Session Present 1", 1, c.expect(CONNACK).u8(0));
            Packet.Publish p = c.expect(PUBLISH).publish(true);
            assertEquals("stored", p.payload());
            c.send(Bytes.ack(Bytes.PUBACK, p.packetId()), Bytes.disconnect5(0, props(sessionExpiry(0))));
        }
    }

    @Test
    public void MQTT_3_1_3_11_nonUtf8WillTopicIsMalformed() throws Exception {
        assertClosedOrRefusedWith(List.of(0x81), packet(0x10, str("MQTT"), u8(5, 0x06), u16(60), props(), str("c5-badwill"),
                props(), u16(2), u8(0xC3, 0x28), str("x")));
    }

    @Test
    public void MQTT_3_1_3_12_nonUtf8UserNameIsMalformed() throws Exception {
        assertClosedOrRefusedWith(List.of(0x81), packet(0x10, str("MQTT"), u8(5, 0x82), u16(60), props(), str("c5-badname"),
                u16(3), u8('a', 0xED, 0xA0)));
    }

    @Test
    public void MQTT_3_1_3_4_nonUtf8ClientIdentifierIsMalformed() throws Exception {
        assertClosedOrRefusedWith(List.of(0x81, 0x85), packet(0x10, str("MQTT"), u8(5, 0x02), u16(60), props(), u16(2),
                u8(0xC3, 0x28)));
    }

    @Test
    public void MQTT_1_5_7_1_userPropertyPairsMustBeWellFormedUtf8() throws Exception {
        byte[] badName = cat(u8(0x26), u16(2), u8(0xC3, 0x28), str("v"));
        assertClosedOrRefusedWith(List.of(0x81), connect5("c5-badpair", 0x02, 60, props(badName)));
        byte[] badValue = cat(u8(0x26), str("k"), u16(3), u8('v', 0xED, 0xB0));
        try (RawClient c = RawClient.connected(port, connect5("c5-badpair-pub"))) {
            c.send(Bytes.publish5(0, false, "c5/badpair", 0, props(badValue), "x"));
            c.awaitDisconnect(0x81);
        }
    }

    @Test
    public void MQTT_3_1_2_1_wrongProtocolNameIsRefused() throws Exception {
        // The server may reveal itself with CONNACK 0x84 (or a 3.1.1 return code 0x01), then closes.
        assertClosedOrRefusedWith(List.of(0x84, 0x01), packet(0x10, str("MQXX"), u8(5, 0x02), u16(60), props(), str("c5-name")));
    }

    @Test
    public void MQTT_3_1_2_2_unsupportedProtocolVersionIsRefused() throws Exception {
        assertClosedOrRefusedWith(List.of(0x84, 0x01), packet(0x10, str("MQTT"), u8(6, 0x02), u16(60), props(), str("c5-v6")));
    }

    @Test
    public void MQTT_3_1_2_15_willRetain1IsPublishedRetained() throws Exception {
        RawClient.connected(port, connect5("c5-willretain1", 0x26, 60, props(), will(props(), "c5/will/retained", "kept"))).close();
        Awaitility.await("will retained").atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            try (RawClient late = subscriber("c5-willretain1-late", "c5/will/retained")) {
                Packet.Publish will = late.expect(PUBLISH).publish(true);
                assertEquals("kept", will.payload());
                assertTrue("RETAIN", will.retain());
            }
        });
        try (RawClient c = RawClient.connected(port, connect5("c5-willretain1-clear"))) {
            c.send(Bytes.publish5(0, true, "c5/will/retained", 0, props(), ""));
        }
    }

    @Test
    public void MQTT_3_12_4_1_pingreqIsAnsweredWithPingresp() throws Exception {
        try (RawClient c = RawClient.connected(port, connect5("c5-ping", 0x02, 1, props()))) {
            for (int i = 0; i < 4; i++) { // 4 x ~0.6 s > 1.5 x keep alive: the PINGREQs keep it open
                assertTrue(c.silentFor(600));
                c.send(Bytes.pingreq());
                Packet resp = c.expect(PINGRESP);
                assertEquals(0, resp.body().length);
            }
        }
    }
}

package io.aviary.conformance;

import static io.aviary.conformance.Bytes.CONNACK;
import static io.aviary.conformance.Bytes.PINGRESP;
import static io.aviary.conformance.Bytes.PUBLISH;
import static io.aviary.conformance.Bytes.SUBACK;
import static io.aviary.conformance.Bytes.cat;
import static io.aviary.conformance.Bytes.connect311;
import static io.aviary.conformance.Bytes.packet;
import static io.aviary.conformance.Bytes.str;
import static io.aviary.conformance.Bytes.u16;
import static io.aviary.conformance.Bytes.u8;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.aviary.itest.Distribution;
import java.util.List;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * MQTT 3.1.1 (OASIS, 2014) CONNECT, CONNACK, PINGREQ and DISCONNECT normative statements
 * (sections 3.1, 3.2, 3.12, 3.14, plus 1.5.3 and 2.2.2 as CONNECT exercises them), checked
 * black-box against the running distribution with raw bytes and the Paho mqttv3 client.
 */
public class Mqtt311ConnectIT {
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

    /** Asserts the broker closes the connection without accepting it (a CONNACK 0x00). */
    private static void assertRefusedAndClosed(byte[]... packets) throws Exception {
        try (RawClient c = RawClient.open(port)) {
            c.send(packets);
            List<Packet> before = c.awaitClose();
            for (Packet p : before) {
                assertFalse("accepted: " + p, p.type() == CONNACK && p.u8(1) == 0);
            }
        }
    }

    /** A subscriber on {@code filter} (QoS 1, clean session). */
    private static RawClient subscriber(String id, String filter) throws Exception {
        RawClient sub = RawClient.connected(port, connect311(id));
        sub.send(Bytes.subscribe311(1, filter, 1));
        assertEquals(1, sub.expect(SUBACK).u16(0));
        return sub;
    }

    private static byte[] connectWithWill(String id, int flags, String willTopic, String willMessage) {
        return connect311(id, flags, 60, str(willTopic), str(willMessage));
    }

    @Test
    public void MQTT_3_1_0_1_firstPacketMustBeConnect() throws Exception {
        assertRefusedAndClosed(Bytes.publish311(0, false, "c311/first", 0, "x"));
    }

    @Test
    public void MQTT_3_1_0_2_secondConnectClosesTheConnection() throws Exception {
        try (RawClient c = RawClient.connected(port, connect311("c311-second"))) {
            c.send(connect311("c311-second"));
            assertEquals(List.of(), c.awaitClose());
        }
    }

    @Test
    public void MQTT_3_1_2_1_wrongProtocolNameIsNotAccepted() throws Exception {
        assertRefusedAndClosed(packet(0x10, str("MQXX"), u8(4, 2), u16(60), str("c311-name")));
    }

    @Test
    public void MQTT_3_1_2_2_unsupportedProtocolLevelAnswersReturnCode1AndCloses() throws Exception {
        try (RawClient c = RawClient.open(port)) {
            c.send(packet(0x10, str("MQTT"), u8(9, 2), u16(60), str("c311-level")));
            Packet ack = c.expect(CONNACK);
            assertEquals("CONNACK " + ack, 0x01, ack.u8(1));
            assertEquals(List.of(), c.awaitClose());
        }
    }

    @Test
    public void MQTT_3_1_2_3_reservedConnectFlagSetClosesTheConnection() throws Exception {
        assertRefusedAndClosed(connect311("c311-reserved", 0x03, 60));
    }

    @Test
    public void MQTT_3_1_2_4_and_3_2_2_2_cleanSession0ResumesTheStoredSession() throws Exception {
        try (RawClient c = RawClient.connected(port, connect311("c311-resume", 0x00, 60))) {
            c.send(Bytes.subscribe311(1, "c311/resume", 1));
            c.expect(SUBACK);
            c.send(Bytes.disconnect());
            c.awaitClose();
        }
        try (RawClient c = RawClient.open(port); RawClient pub = RawClient.connected(port, connect311("c311-resume-pub"))) {
            c.send(connect311("c311-resume", 0x00, 60));
            Packet ack = c.expect(CONNACK);
            assertEquals("Session Present " + ack, 1, ack.u8(0));
            assertEquals(0, ack.u8(1));
            pub.send(Bytes.publish311(0, false, "c311/resume", 0, "still subscribed"));
            assertEquals("still subscribed", c.expect(PUBLISH).publish(false).payload());
        }
    }

    @Test
    public void MQTT_3_1_2_5_qos1MessagesAreStoredForADisconnectedSession() throws Exception {
        try (RawClient c = RawClient.connected(port, connect311("c311-store", 0x00, 60))) {
            c.send(Bytes.subscribe311(1, "c311/store", 1));
            c.expect(SUBACK);
            c.send(Bytes.disconnect());
            c.awaitClose();
        }
        try (RawClient pub = RawClient.connected(port, connect311("c311-store-pub"))) {
            pub.send(Bytes.publish311(1, false, "c311/store", 7, "while away"));
            assertEquals(7, pub.expect(Bytes.PUBACK).u16(0));
        }
        try (RawClient c = RawClient.connected(port, connect311("c311-store", 0x00, 60))) {
            Packet.Publish p = c.expect(PUBLISH).publish(false);
            assertEquals("while away", p.payload());
            assertEquals(1, p.qos());
            c.send(Bytes.ack(Bytes.PUBACK, p.packetId()), Bytes.disconnect());
        }
    }

    @Test
    public void MQTT_3_1_2_6_and_3_2_2_1_cleanSession1DiscardsThePreviousSession() throws Exception {
        try (RawClient c = RawClient.connected(port, connect311("c311-discard", 0x00, 60))) {
            c.send(Bytes.subscribe311(1, "c311/discard", 1));
            c.expect(SUBACK);
            c.send(Bytes.disconnect());
            c.awaitClose();
        }
        try (RawClient c = RawClient.open(port); RawClient pub = RawClient.connected(port, connect311("c311-discard-pub"))) {
            c.send(connect311("c311-discard", 0x02, 60));
            Packet ack = c.expect(CONNACK);
            assertEquals("Session Present " + ack, 0, ack.u8(0));
            pub.send(Bytes.publish311(0, false, "c311/discard", 0, "nobody"));
            assertTrue("the old subscription is gone", c.silentFor(500));
        }
    }

    @Test
    public void MQTT_3_2_2_3_cleanSession0WithoutStoredSessionHasSessionPresent0() throws Exception {
        try (RawClient c = RawClient.open(port)) {
            c.send(connect311("c311-fresh", 0x00, 60));
            Packet ack = c.expect(CONNACK);
            assertEquals("Session Present " + ack, 0, ack.u8(0));
            assertEquals(0, ack.u8(1));
            c.send(Bytes.disconnect());
        }
    }

    @Test
    public void MQTT_3_1_2_7_retainedMessagesSurviveTheEndOfTheSession() throws Exception {
        try (RawClient c = RawClient.connected(port, connect311("c311-retainer"))) {
            c.send(Bytes.publish311(1, true, "c311/retained", 1, "kept"));
            c.expect(Bytes.PUBACK);
            c.send(Bytes.disconnect());
            c.awaitClose();
        }
        try (RawClient sub = subscriber("c311-retained-sub", "c311/retained")) {
            Packet.Publish p = sub.expect(PUBLISH).publish(false);
            assertEquals("kept", p.payload());
            assertTrue(p.retain());
        }
    }

    @Test
    public void MQTT_3_1_2_8_willIsPublishedWhenTheConnectionIsLost() throws Exception {
        try (RawClient sub = subscriber("c311-will-sub", "c311/will/lost")) {
            RawClient dying = RawClient.connected(port, connectWithWill("c311-will", 0x0E, "c311/will/lost", "gone"));
            dying.close();
            Packet.Publish will = sub.expect(PUBLISH).publish(false);
            assertEquals("gone", will.payload());
            assertEquals(1, will.qos());
        }
    }

    @Test
    public void MQTT_3_1_2_10_and_3_14_4_3_willIsDiscardedOnDisconnect() throws Exception {
        try (RawClient sub = subscriber("c311-nowill-sub", "c311/will/clean")) {
            try (RawClient polite = RawClient.connected(port, connectWithWill("c311-nowill", 0x06, "c311/will/clean", "x"))) {
                polite.send(Bytes.disconnect());
                polite.awaitClose();
            }
            // A marker published after the DISCONNECT arrives first: no will went before it.
            try (RawClient marker = RawClient.connected(port, connect311("c311-nowill-marker"))) {
                marker.send(Bytes.publish311(0, false, "c311/will/clean", 0, "marker"));
                assertEquals("marker", sub.expect(PUBLISH).publish(false).payload());
            }
            assertTrue("no will after DISCONNECT", sub.silentFor(300));
        }
    }

    @Test
    public void MQTT_3_1_2_13_willQosWithoutWillFlagClosesTheConnection() throws Exception {
        assertRefusedAndClosed(connect311("c311-willqos", 0x0A, 60));
    }

    @Test
    public void MQTT_3_1_2_14_willQos3ClosesTheConnection() throws Exception {
        assertRefusedAndClosed(connectWithWill("c311-willqos3", 0x1E, "c311/w", "x"));
    }

    @Test
    public void MQTT_3_1_2_15_willRetainWithoutWillFlagClosesTheConnection() throws Exception {
        assertRefusedAndClosed(connect311("c311-willretain", 0x22, 60));
    }

    @Test
    public void MQTT_3_1_2_16_willRetain0IsPublishedNotRetained() throws Exception {
        try (RawClient sub = subscriber("c311-wr0-sub", "c311/will/r0")) {
            RawClient.connected(port, connectWithWill("c311-wr0", 0x06, "c311/will/r0", "plain")).close();
            Packet.Publish will = sub.expect(PUBLISH).publish(false);
            assertEquals("plain", will.payload());
            assertFalse(will.retain());
        }
        try (RawClient late = subscriber("c311-wr0-late", "c311/will/r0")) {
            assertTrue("nothing retained", late.silentFor(300));
        }
    }

    @Test
    public void MQTT_3_1_2_17_willRetain1IsPublishedRetained() throws Exception {
        RawClient.connected(port, connectWithWill("c311-wr1", 0x26, "c311/will/r1", "kept will")).close();
        org.awaitility.Awaitility.await("will retained").atMost(java.time.Duration.ofSeconds(5)).untilAsserted(() -> {
            try (RawClient late = subscriber("c311-wr1-late", "c311/will/r1")) {
                Packet.Publish will = late.expect(PUBLISH).publish(false);
                assertEquals("kept will", will.payload());
                assertTrue(will.retain());
            }
        });
    }

    @Test
    public void MQTT_3_1_2_22_passwordWithoutUserNameClosesTheConnection() throws Exception {
        assertRefusedAndClosed(connect311("c311-pwonly", 0x42, 60, str("secret")));
    }

    @Test
    public void MQTT_3_1_2_24_keepAliveExceededClosesConnection() throws Exception {
        try (RawClient c = RawClient.connected(port, connect311("c311-keepalive", 0x02, 1))) {
            long begin = System.nanoTime();
            c.awaitClose();
            long millis = (System.nanoTime() - begin) / 1_000_000;
            assertTrue("closed after " + millis + " ms, expected about 1500", millis >= 1000 && millis < 4000);
        }
    }

    @Test
    public void MQTT_3_12_4_1_pingreqIsAnsweredAndKeepsTheConnectionOpen() throws Exception {
        try (RawClient c = RawClient.connected(port, connect311("c311-ping", 0x02, 1))) {
            for (int i = 0; i < 4; i++) { // 4 x ~0.6 s > 1.5 x keep alive
                assertTrue(c.silentFor(600));
                c.send(Bytes.pingreq());
                Packet resp = c.expect(PINGRESP);
                assertEquals(0, resp.body().length);
            }
        }
    }

    @Test
    public void MQTT_3_1_3_5_clientIdOf23AlphanumericsIsAccepted() throws Exception {
        try (RawClient c = RawClient.connected(port, connect311("0123456789abcdefghijABC"))) {
            c.send(Bytes.disconnect());
        }
    }

    @Test
    public void MQTT_3_1_3_6_zeroLengthClientIdWithCleanSessionIsAccepted() throws Exception {
        try (RawClient a = RawClient.connected(port, connect311("")); RawClient b = RawClient.connected(port, connect311(""))) {
            // Each got its own unique identifier: the second did not take the first over.
            a.send(Bytes.pingreq());
            a.expect(PINGRESP);
            b.send(Bytes.pingreq());
            b.expect(PINGRESP);
        }
    }

    @Test
    public void MQTT_3_1_3_8_and_3_2_2_4_and_3_2_2_5_zeroLengthClientIdWithoutCleanSessionIsRejected() throws Exception {
        try (RawClient c = RawClient.open(port)) {
            c.send(connect311("", 0x00, 60));
            Packet ack = c.expect(CONNACK);
            assertEquals("return code " + ack, 0x02, ack.u8(1));
            assertEquals("Session Present " + ack, 0, ack.u8(0));
            assertEquals(List.of(), c.awaitClose());
        }
    }

    @Test
    public void MQTT_3_1_4_2_sameClientIdDisconnectsTheExistingClient() throws Exception {
        try (RawClient first = RawClient.connected(port, connect311("c311-takeover"));
                RawClient second = RawClient.connected(port, connect311("c311-takeover"))) {
            first.awaitClose();
            second.send(Bytes.pingreq());
            second.expect(PINGRESP);
        }
    }

    @Test
    public void MQTT_3_1_4_4_pahoConnectIsAcknowledgedWithSessionPresentFlag() throws Exception {
        MqttClient client = new MqttClient("tcp://127.0.0.1:" + port, "c311-paho", new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(false);
        try {
            IMqttToken first = client.connectWithResult(options);
            assertFalse(first.getSessionPresent());
            client.subscribe("c311/paho", 1);
            client.disconnect();
            IMqttToken second = client.connectWithResult(options);
            assertTrue("Session Present on resuming", second.getSessionPresent());
            client.disconnect();
        } finally {
            client.close();
        }
    }

    /**
     * For a watcher subscribed to "#": publishes a marker and asserts that, apart from the
     * retained messages its subscription brought (RETAIN 1), the marker is the only message.
     */
    private static void assertNothingLiveBeforeAMarker(RawClient watcher, String markerTopic) throws Exception {
        try (RawClient marker = RawClient.connected(port, connect311("c311-marker"))) {
            marker.send(Bytes.publish311(0, false, markerTopic, 0, "marker"));
            Packet.Publish p;
            do {
                p = watcher.expect(PUBLISH).publish(false);
            } while (p.retain());
            assertEquals("nothing live before the marker: " + p.topic(), markerTopic, p.topic());
        }
        assertTrue("nothing after it", watcher.silentFor(400));
    }

    @Test
    public void MQTT_3_1_2_12_withoutTheWillFlagNoWillIsPublished() throws Exception {
        try (RawClient watcher = subscriber("c311-nowillflag-sub", "#")) {
            // An earlier connection of the same session had a Will; it left normally.
            try (RawClient c = RawClient.connected(port, connectWithWill("c311-nowillflag", 0x04, "c311/nowillflag", "old"))) {
                c.send(Bytes.disconnect());
                c.awaitClose();
            }
            RawClient.connected(port, connect311("c311-nowillflag", 0x00, 60)).close(); // no DISCONNECT
            assertNothingLiveBeforeAMarker(watcher, "c311/nowillflag/marker");
        }
        RawClient.connected(port, connect311("c311-nowillflag")).close();
    }

    @Test
    public void MQTT_3_1_3_10_nonUtf8WillTopicClosesTheConnection() throws Exception {
        try (RawClient watcher = subscriber("c311-badwill-sub", "#")) {
            try (RawClient c = RawClient.open(port)) {
                c.send(packet(0x10, str("MQTT"), u8(4, 0x06), u16(60), str("c311-badwill"), u16(2), u8(0xC3, 0x28), str("x")));
                assertEquals("closed without CONNACK", List.of(), c.awaitClose());
            }
            assertNothingLiveBeforeAMarker(watcher, "c311/badwill/marker");
        }
    }

    @Test
    public void MQTT_3_1_3_11_nonUtf8UserNameClosesTheConnection() throws Exception {
        try (RawClient c = RawClient.open(port)) {
            c.send(packet(0x10, str("MQTT"), u8(4, 0x82), u16(60), str("c311-badname"), u16(3), u8('a', 0xED, 0xA0)));
            assertEquals("closed without CONNACK", List.of(), c.awaitClose());
        }
        try (RawClient c = RawClient.open(port)) {
            c.send(packet(0x10, str("MQTT"), u8(4, 0x82), u16(60), str("c311-badname2"), u16(2), u8(0xC3, 0x28)));
            assertEquals("closed without CONNACK", List.of(), c.awaitClose());
        }
    }

    @Test
    public void MQTT_3_1_3_1_payloadFieldsAreReadInTheirOrder() throws Exception {
        try (RawClient sub = subscriber("c311-order-sub", "c311/order/will")) {
            // Client Identifier, Will Topic, Will Message, User Name, Password (flags: user, password, will QoS 1, will)
            RawClient dying = RawClient.connected(port, connect311("c311-order", 0xCE, 60, str("c311/order/will"),
                    str("will message"), str("user"), Bytes.bin(Bytes.utf8("password"))));
            dying.close();
            Packet.Publish will = sub.expect(PUBLISH).publish(false);
            assertEquals("c311/order/will", will.topic());
            assertEquals("will message", will.payload());
            assertEquals(1, will.qos());
        }
    }

    @Test
    public void MQTT_3_1_4_5_dataAfterARefusedConnectIsNotProcessed() throws Exception {
        try (RawClient c = RawClient.open(port)) {
            c.send(connect311("", 0x00, 60), Bytes.publish311(0, true, "c311/refused/data", 0, "must not be retained"));
            Packet ack = c.expect(CONNACK);
            assertEquals(0x02, ack.u8(1));
            assertEquals(List.of(), c.awaitClose());
        }
        try (RawClient sub = subscriber("c311-refused-data-sub", "c311/refused/data")) {
            assertTrue("nothing was retained", sub.silentFor(300));
        }
    }

    @Test
    public void MQTT_4_1_0_1_and_4_1_0_2_sessionStateLastsAsLongAsTheSession() throws Exception {
        byte[] connect = connect311("c311-state", 0x00, 60);
        int packetId;
        try (RawClient c = RawClient.connected(port, connect)) {
            c.send(Bytes.subscribe311(1, "c311/state", 1));
            c.expect(SUBACK);
            try (RawClient pub = RawClient.connected(port, connect311("c311-state-pub"))) {
                pub.send(Bytes.publish311(1, false, "c311/state", 1, "held"));
                pub.expect(Bytes.PUBACK);
            }
            packetId = c.expect(PUBLISH).publish(false).packetId();
            c.send(Bytes.pingreq()); // the session stays while the connection is open
            c.expect(PINGRESP);
        }
        for (int round = 0; round < 2; round++) { // subscription and unacknowledged message survive each reconnect
            try (RawClient c = RawClient.open(port)) {
                c.send(connect);
                assertEquals("Session Present", 1, c.expect(CONNACK).u8(0));
                Packet.Publish again = c.expect(PUBLISH).publish(false);
                assertEquals(packetId, again.packetId());
                assertEquals("held", again.payload());
                if (round == 1) {
                    c.send(Bytes.ack(Bytes.PUBACK, packetId));
                    try (RawClient pub = RawClient.connected(port, connect311("c311-state-pub"))) {
                        pub.send(Bytes.publish311(0, false, "c311/state", 0, "still subscribed"));
                    }
                    assertEquals("still subscribed", c.expect(PUBLISH).publish(false).payload());
                }
            }
        }
        RawClient.connected(port, connect311("c311-state")).close();
    }

    @Test
    public void MQTT_1_5_3_1_invalidUtf8InClientIdClosesTheConnection() throws Exception {
        assertRefusedAndClosed(packet(0x10, str("MQTT"), u8(4, 2), u16(60), u16(2), u8(0xC3, 0x28)));
    }

    @Test
    public void MQTT_1_5_3_2_nullCharacterInATopicClosesTheConnection() throws Exception {
        try (RawClient c = RawClient.connected(port, connect311("c311-null"))) {
            c.send(packet(0x30, cat(u16(3), u8('a', 0, 'b')), u8('x')));
            assertEquals(List.of(), c.awaitClose());
        }
    }

    @Test
    public void MQTT_2_2_2_2_invalidFixedHeaderFlagsCloseTheConnection() throws Exception {
        try (RawClient c = RawClient.connected(port, connect311("c311-flags"))) {
            c.send(u8(0xC1, 0)); // PINGREQ with flags 0001
            assertEquals(List.of(), c.awaitClose());
        }
    }

    @Test
    public void MQTT_3_14_1_1_disconnectWithReservedFlagsClosesAndPublishesTheWill() throws Exception {
        try (RawClient sub = subscriber("c311-baddisc-sub", "c311/will/baddisc")) {
            try (RawClient c = RawClient.connected(port, connectWithWill("c311-baddisc", 0x06, "c311/will/baddisc", "bad"))) {
                c.send(u8(0xE1, 0));
                c.awaitClose();
            }
            assertEquals("an invalid DISCONNECT is not a normal disconnect", "bad", sub.expect(PUBLISH).publish(false).payload());
        }
    }
}

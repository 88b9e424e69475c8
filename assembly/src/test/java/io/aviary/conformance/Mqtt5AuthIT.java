package io.aviary.conformance;

import static io.aviary.conformance.AuthFixture.METHOD;
import static io.aviary.conformance.AuthFixture.SERVER_DISCONNECT_FAILURES;
import static io.aviary.conformance.AuthFixture.assertNextDeliveryIs;
import static io.aviary.conformance.AuthFixture.assertRefusedOrClosed;
import static io.aviary.conformance.AuthFixture.connect5;
import static io.aviary.conformance.AuthFixture.refused;
import static io.aviary.conformance.AuthFixture.subscribe;
import static io.aviary.conformance.AuthFixture.subscriber;
import static io.aviary.conformance.Bytes.AUTH;
import static io.aviary.conformance.Bytes.CONNACK;
import static io.aviary.conformance.Bytes.DISCONNECT;
import static io.aviary.conformance.Bytes.PINGRESP;
import static io.aviary.conformance.Bytes.PUBACK;
import static io.aviary.conformance.Bytes.PUBCOMP;
import static io.aviary.conformance.Bytes.PUBLISH;
import static io.aviary.conformance.Bytes.PUBREC;
import static io.aviary.conformance.Bytes.PUBREL;
import static io.aviary.conformance.Bytes.SUBACK;
import static io.aviary.conformance.Bytes.bin;
import static io.aviary.conformance.Bytes.cat;
import static io.aviary.conformance.Bytes.packet;
import static io.aviary.conformance.Bytes.props;
import static io.aviary.conformance.Bytes.str;
import static io.aviary.conformance.Bytes.u32;
import static io.aviary.conformance.Bytes.u8;
import static io.aviary.conformance.Bytes.utf8;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.datatypes.MqttUtf8String;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientConfig;
import com.hivemq.client.mqtt.mqtt5.auth.Mqtt5EnhancedAuthMechanism;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5Auth;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5AuthBuilder;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5EnhancedAuthBuilder;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5Connect;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5Disconnect;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.aviary.itest.Distribution;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * MQTT 5.0 (OASIS, 2019) statements that need an authentication or authorization decision:
 * the User Name and Password Flags, CONNECTs refused with 0x85, 0x86 and 0x8A, PUBACK, PUBREC
 * and SUBACK 0x87 for the authorizer's refusals, and enhanced authentication and
 * re-authentication (AUTH, sections 3.15 and 4.12). The distribution runs the TEST FIXTURE auth
 * plugin; {@link AuthFixture} lists its rules.
 */
public class Mqtt5AuthIT {
    private static Distribution dist;
    private static int port;

    @BeforeClass
    public static void start() throws Exception {
        dist = AuthFixture.start();
        port = dist.mqttPort;
    }

    @AfterClass
    public static void stop() throws Exception {
        if (dist != null) {
            dist.close();
        }
    }

    // ---- packets

    /** A Clean Start CONNECT with the User Name and Password Flags set exactly when the values are given. */
    private static byte[] connect(String id, String user, String password, byte[] props) {
        return connect5(id, 0x02, user, password, props);
    }

    private static byte[] method(String m) {
        return cat(u8(0x15), str(m));
    }

    private static byte[] data(String d) {
        return cat(u8(0x16), bin(utf8(d)));
    }

    /** An AUTH packet with a reason code and properties (reserved flags 0). */
    private static byte[] auth(int reason, byte[]... properties) {
        return packet(0xF0, u8(reason), props(properties));
    }

    private static byte[] enhancedConnect(String id) {
        return connect(id, null, null, props(method(METHOD)));
    }

    // ---- assertions

    /** The next packet is the fixture's challenge: AUTH with reserved flags 0, reason 0x18, the CONNECT's method, its data. */
    private static void expectChallenge(RawClient c) throws Exception {
        Packet a = c.expect(AUTH);
        assertEquals("AUTH reserved flags [MQTT-3.15.1-1]: " + a, 0, a.flags());
        assertEquals("AUTH reason code 0x18 Continue authentication [MQTT-4.12.0-2]: " + a, 0x18, a.reasonAt(0));
        Packet.Props p = a.propsAt(1);
        assertEquals("AUTH carries the CONNECT's Authentication Method [MQTT-4.12.0-5]: " + a, METHOD, p.get(0x15));
        assertArrayEquals("challenge data", utf8("challenge"), (byte[]) p.get(0x16));
    }

    /** Runs the fixture's challenge and response over a fresh connection and returns it connected. */
    private static RawClient enhancedConnected(String id) throws Exception {
        RawClient c = RawClient.open(port);
        c.send(enhancedConnect(id));
        expectChallenge(c);
        c.send(auth(0x18, method(METHOD), data("response")));
        Packet ack = c.expect(CONNACK);
        assertEquals("CONNACK reason " + ack, 0, ack.u8(1));
        return c;
    }

    private static void refusedOrClosed(List<Integer> allowed, byte[]... packets) throws Exception {
        try (RawClient c = RawClient.open(port)) {
            c.send(packets);
            assertRefusedOrClosed(c, allowed);
        }
    }

    @Test
    public void MQTT_3_1_2_16_withoutTheUserNameFlagNoUserNameReachesTheAuthenticator() throws Exception {
        RawClient.connected(port, connect("au5-nouser", null, null, props())).close();
        assertEquals("an (empty) user name does reach the authenticator", 0x86,
                refused(port, connect("au5-nouser-2", "", null, props())).u8(1));
    }

    @Test
    public void MQTT_3_1_2_17_userNameFlagSetCarriesTheUserNameToTheAuthenticator() throws Exception {
        assertEquals("Banned", 0x8A, refused(port, connect("au5-user-1", "banned", "secret", props())).u8(1));
        assertEquals("unknown user", 0x86, refused(port, connect("au5-user-2", "bob", "secret", props())).u8(1));
        RawClient.connected(port, connect("au5-user-3", "alice", "secret", props())).close();
        RawClient.connected(port, connect("au5-user-4", "superuser", "secret", props())).close();
    }

    @Test
    public void MQTT_3_1_2_18_withoutThePasswordFlagNoPasswordReachesTheAuthenticator() throws Exception {
        assertEquals(0x86, refused(port, connect("au5-nopass", "alice", null, props())).u8(1));
    }

    @Test
    public void MQTT_3_1_2_19_passwordFlagSetCarriesThePasswordToTheAuthenticator() throws Exception {
        RawClient.connected(port, connect("au5-pass-1", "alice", "secret", props())).close();
        assertEquals(0x86, refused(port, connect("au5-pass-2", "alice", "wrong", props())).u8(1));
        // MQTT 5 allows a Password without a User Name (3.1.2.9); the fixture takes it as a token
        RawClient.connected(port, connect("au5-pass-3", null, "secret", props())).close();
        assertEquals(0x86, refused(port, connect("au5-pass-4", null, "wrong", props())).u8(1));
    }

    @Test
    public void MQTT_3_1_2_17_and_3_1_2_19_userNameAndPassword_hivemqAndPaho() throws Exception {
        Mqtt5BlockingClient ok = hivemq("au5-hive-ok");
        assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, ok.connectWith().simpleAuth().username("alice")
                .password(utf8("secret")).applySimpleAuth().send().getReasonCode());
        ok.disconnect();
        try {
            hivemq("au5-hive-wrong").connectWith().simpleAuth().username("alice").password(utf8("nope"))
                    .applySimpleAuth().send();
            fail("connected with a wrong password");
        } catch (Mqtt5ConnAckException e) {
            assertEquals(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD, e.getMqttMessage().getReasonCode());
        }

        assertEquals(0, paho5("au5-paho-ok", "alice", "secret"));
        assertEquals(0x86, paho5("au5-paho-wrong", "alice", "wrong"));
        assertEquals(0x8A, paho5("au5-paho-banned", "banned", "secret"));
    }

    private static Mqtt5BlockingClient hivemq(String id) {
        return MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1").serverPort(port)
                .buildBlocking();
    }

    /** Connects with Paho mqttv5 and returns the CONNACK reason code (0 when connected). */
    private static int paho5(String id, String user, String password) throws Exception {
        var client = new org.eclipse.paho.mqttv5.client.MqttClient("tcp://127.0.0.1:" + port, id, new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setUserName(user);
        o.setPassword(utf8(password));
        try {
            client.connect(o);
            client.disconnect();
            return 0;
        } catch (MqttException e) {
            return e.getReasonCode();
        } finally {
            client.close();
        }
    }

    @Test
    public void MQTT_3_1_3_8_and_3_2_2_6_and_3_2_2_7_rejectedClientIdentifierIs0x85ThenClose() throws Exception {
        assertEquals(0x85, refused(port, connect("reject-au5", "alice", "secret", props())).u8(1));
        assertEquals(0x85, refused(port, connect("reject-au5-anon", null, null, props())).u8(1));
    }

    @Test
    public void MQTT_3_1_4_2_and_3_2_2_6_and_3_2_2_7_failedAuthenticationIsRefusedWithSessionPresent0() throws Exception {
        byte[] expiry = props(cat(u8(0x11), u32(60)));
        try (RawClient c = RawClient.connected(port, connect5("au5-stored", 0x00, "alice", "secret", expiry))) {
            c.send(subscribe(true, 1, "au5/stored"));
            c.expect(SUBACK);
        }
        try (RawClient c = RawClient.open(port)) {
            c.send(connect5("au5-stored", 0x00, "alice", "secret", expiry));
            assertEquals("the session is stored: Session Present 1", 1, c.expect(CONNACK).u8(0));
        }
        assertEquals(0x86, refused(port, connect5("au5-stored", 0x00, "alice", "wrong", expiry)).u8(1));
        assertEquals(0x8A, refused(port, connect5("au5-stored", 0x00, "banned", "secret", expiry)).u8(1));
    }

    @Test
    public void MQTT_3_1_4_6_dataAfterAConnectRefusedByTheAuthenticatorIsNotProcessed() throws Exception {
        try (RawClient sub = subscriber(port, true, "au5-refused-sub", "au5/refused/#")) {
            assertEquals(0x8A, refused(port, connect("au5-refused", "banned", null, props()),
                    Bytes.publish5(1, false, "au5/refused/data", 1, props(), "must not be routed")).u8(1));
            assertNextDeliveryIs(port, true, sub, "au5-refused-marker", "au5/refused/marker");
        }
    }

    @Test
    public void MQTT_3_4_2_1_and_3_5_2_1_unauthorizedPublishIsAcknowledgedWith0x87AndNotDelivered() throws Exception {
        try (RawClient sub = subscriber(port, true, "au5-pub-sub", "+/au5-pub/#");
             RawClient pub = RawClient.connected(port, Bytes.connect5("au5-pub"))) {
            pub.send(Bytes.publish5(1, false, "forbidden/au5-pub/q1", 5, props(), "denied"));
            Packet puback = pub.expect(PUBACK);
            assertEquals(5, puback.u16(0));
            assertEquals("PUBACK Not authorized " + puback, 0x87, puback.reasonAt(2));
            pub.send(Bytes.publish5(2, false, "forbidden/au5-pub/q2", 6, props(), "denied"));
            Packet pubrec = pub.expect(PUBREC);
            assertEquals(6, pubrec.u16(0));
            assertEquals("PUBREC Not authorized " + pubrec, 0x87, pubrec.reasonAt(2));
            pub.send(Bytes.publish5(0, false, "forbidden/au5-pub/q0", 0, props(), "denied"));
            assertNextDeliveryIs(port, true, sub, "au5-pub-marker", "open/au5-pub/marker");
        }
    }

    @Test
    public void MQTT_4_3_3_9_publishReusingThePacketIdOfAFailedPubrecIsANewMessage() throws Exception {
        try (RawClient sub = subscriber(port, true, "au5-reuse-sub", "open/au5-reuse/#");
             RawClient pub = RawClient.connected(port, Bytes.connect5("au5-reuse"))) {
            pub.send(Bytes.publish5(2, false, "forbidden/au5-reuse", 9, props(), "denied"));
            Packet refused = pub.expect(PUBREC);
            assertEquals("PUBREC Not authorized " + refused, 0x87, refused.reasonAt(2));
            // No PUBREL follows a failed PUBREC; the same id now carries a new message, not a duplicate.
            pub.send(Bytes.publish5(2, false, "open/au5-reuse/t", 9, props(), "new"));
            Packet accepted = pub.expect(PUBREC);
            assertEquals(9, accepted.u16(0));
            assertEquals("PUBREC Success " + accepted, 0x00, accepted.reasonAt(2));
            pub.send(Bytes.ack5(PUBREL, 9, 0x00));
            assertEquals(9, pub.expect(PUBCOMP).u16(0));
            Packet.Publish got = sub.expect(PUBLISH).publish(true);
            assertEquals("open/au5-reuse/t", got.topic());
        }
    }

    @Test
    public void MQTT_3_4_2_1_and_3_9_3_1_unauthorizedPublishAndSubscribe_hivemq() throws Exception {
        Mqtt5BlockingClient c = hivemq("au5-hive-acl");
        c.connect();
        try {
            c.publishWith().topic("forbidden/au5-hive").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("x")).send();
            fail("PUBLISH to a forbidden topic acknowledged with success");
        } catch (Mqtt5PubAckException e) {
            assertEquals(Mqtt5PubAckReasonCode.NOT_AUTHORIZED, e.getMqttMessage().getReasonCode());
        }
        try {
            c.subscribeWith().topicFilter("forbidden/au5-hive/#").qos(MqttQos.AT_LEAST_ONCE).send();
            fail("SUBSCRIBE to a forbidden filter granted");
        } catch (Mqtt5SubAckException e) {
            assertEquals(List.of(Mqtt5SubAckReasonCode.NOT_AUTHORIZED), List.copyOf(e.getMqttMessage().getReasonCodes()));
        }
        assertTrue("still connected after the refusals", c.getState().isConnected());
        c.disconnect();
    }

    @Test
    public void aSuperuserSkipsAuthorization_hivemq() throws Exception {
        Mqtt5BlockingClient c = hivemq("au5-root");
        c.connectWith().simpleAuth().username("superuser").password(utf8("secret")).applySimpleAuth().send();
        var sub = c.subscribeWith().topicFilter("forbidden/au5-root/#").qos(MqttQos.AT_LEAST_ONCE).send();
        assertEquals(List.of(Mqtt5SubAckReasonCode.GRANTED_QOS_1), List.copyOf(sub.getReasonCodes()));
        try (Mqtt5BlockingClient.Mqtt5Publishes own = c.publishes(MqttGlobalPublishFilter.ALL)) {
            // a refused PUBACK would throw Mqtt5PubAckException here
            c.publishWith().topic("forbidden/au5-root/x").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("x")).send();
            assertEquals("forbidden/au5-root/x", own.receive(5, java.util.concurrent.TimeUnit.SECONDS).orElseThrow()
                    .getTopic().toString());
        }
        c.disconnect();
    }

    @Test
    public void MQTT_3_9_3_1_and_3_9_3_2_refusedFilterGetsSuback0x87InItsPlace() throws Exception {
        try (RawClient c = RawClient.connected(port, Bytes.connect5("au5-suback"))) {
            c.send(subscribe(true, 8, "open/au5-suback/#", "forbidden/au5-suback/#", "au5-suback/x"));
            Packet ack = c.expect(SUBACK);
            assertEquals("packet id", 8, ack.u16(0));
            int codes = ack.propsAt(2).end();
            assertEquals("one reason code per filter: " + ack, codes + 3, ack.body().length);
            assertEquals(List.of(1, 0x87, 1), List.of(ack.u8(codes), ack.u8(codes + 1), ack.u8(codes + 2)));
        }
    }

    // ---- enhanced authentication (4.12, 3.15)

    @Test
    public void MQTT_4_12_0_2_and_4_12_0_5_and_3_15_1_1_and_3_15_2_1_challengeIsAuth0x18AndTheConnackCarriesTheMethod()
            throws Exception {
        try (RawClient c = RawClient.open(port)) {
            c.send(enhancedConnect("au5-enh"));
            expectChallenge(c); // AUTH flags 0, reason 0x18, same method
            c.send(auth(0x18, method(METHOD), data("response")));
            Packet ack = c.expect(CONNACK);
            assertEquals("CONNACK Success " + ack, 0, ack.u8(1));
            assertEquals("a successful CONNACK carries the CONNECT's Authentication Method [MQTT-4.12.0-5]: " + ack,
                    METHOD, ack.propsAt(2).get(0x15));
            c.send(Bytes.pingreq());
            assertEquals("connected", PINGRESP, c.read().type());
        }
    }

    @Test
    public void MQTT_4_12_0_1_unsupportedMethodIsRefusedWith0x8COr0x87AndClosed() throws Exception {
        refusedOrClosed(List.of(0x8C, 0x87), connect("au5-unknown-method", null, null, props(method("NO-SUCH-METHOD"))));
    }

    @Test
    public void MQTT_4_12_0_4_wrongAnswerIsRefusedAndClosed() throws Exception {
        try (RawClient c = RawClient.open(port)) {
            c.send(enhancedConnect("au5-enh-wrong"));
            expectChallenge(c);
            c.send(auth(0x18, method(METHOD), data("not the response")));
            List<Packet> before = c.awaitClose();
            assertTrue("at most one packet before the close: " + before, before.size() <= 1);
            for (Packet p : before) {
                assertEquals("a CONNACK: " + p, CONNACK, p.type());
                assertTrue("CONNACK reason >= 0x80: " + p, p.u8(1) >= 0x80);
                assertEquals("Session Present 0", 0, p.u8(0));
            }
        }
    }

    @Test
    public void MQTT_4_12_0_3_answeringTheChallengeWithoutReason0x18IsAProtocolError() throws Exception {
        try (RawClient c = RawClient.open(port)) {
            c.send(enhancedConnect("au5-enh-0x19"));
            expectChallenge(c);
            c.send(auth(0x19, method(METHOD), data("response")));
            assertRefusedOrClosed(c, List.of(0x82));
        }
    }

    @Test
    public void MQTT_4_12_0_5_authWithADifferentMethodDuringConnectIsAProtocolError() throws Exception {
        try (RawClient c = RawClient.open(port)) {
            c.send(enhancedConnect("au5-enh-other"));
            expectChallenge(c);
            c.send(auth(0x18, method("OTHER-METHOD"), data("response")));
            assertRefusedOrClosed(c, List.of(0x82));
        }
    }

    @Test
    public void MQTT_4_12_0_6_withoutAMethodTheServerSendsNoAuthAndNoMethodInTheConnack() throws Exception {
        try (RawClient c = RawClient.open(port)) {
            c.send(connect("au5-plain", "alice", "secret", props()));
            Packet ack = c.expect(CONNACK);
            assertEquals(0, ack.u8(1));
            assertNull("no Authentication Method in CONNACK: " + ack, ack.propsAt(2).get(0x15));
            assertNull("no Authentication Data in CONNACK: " + ack, ack.propsAt(2).get(0x16));
            c.send(Bytes.pingreq());
            assertEquals("no AUTH: the next packet answers the PINGREQ", PINGRESP, c.read().type());
        }
    }

    @Test
    public void MQTT_4_12_0_7_authAfterAConnectWithoutAMethodIsAProtocolError() throws Exception {
        try (RawClient c = RawClient.connected(port, connect("au5-noenh", "alice", "secret", props()))) {
            c.send(auth(0x19, method(METHOD)));
            c.awaitDisconnect(0x82);
        }
        // Sent before the CONNACK: refused at CONNECT, or accepted and then disconnected; never answered with AUTH.
        try (RawClient c = RawClient.open(port)) {
            c.send(connect("au5-noenh-early", "alice", "secret", props()), auth(0x18, method(METHOD), data("response")));
            List<Packet> before = c.awaitClose();
            assertFalse("a CONNACK first: " + before, before.isEmpty());
            Packet ack = before.get(0);
            assertEquals(CONNACK, ack.type());
            if (ack.u8(1) >= 0x80) {
                assertEquals("refused: " + before, List.of(0x82, 1), List.of(ack.u8(1), before.size()));
            } else {
                assertEquals("accepted, then DISCONNECT: " + before, 2, before.size());
                assertEquals(DISCONNECT, before.get(1).type());
                assertEquals(0x82, before.get(1).reasonAt(0));
            }
        }
    }

    @Test
    public void MQTT_3_15_1_1_authWithReservedFlagsIsMalformed() throws Exception {
        try (RawClient c = enhancedConnected("au5-auth-flags")) {
            c.send(packet(0xF1, u8(0x19), props(method(METHOD))));
            c.awaitDisconnect(0x81);
        }
        try (RawClient c = RawClient.open(port)) {
            c.send(enhancedConnect("au5-auth-flags-early"));
            expectChallenge(c);
            c.send(packet(0xF2, u8(0x18), props(method(METHOD), data("response"))));
            assertRefusedOrClosed(c, List.of(0x81));
        }
    }

    @Test
    public void MQTT_3_15_2_1_authWithAReasonCodeOutsideTheTableIsRefused() throws Exception {
        try (RawClient c = enhancedConnected("au5-auth-code")) {
            c.send(auth(0x01, method(METHOD)));
            List<Packet> before = c.awaitClose();
            assertEquals("one DISCONNECT before the close: " + before, 1, before.size());
            assertEquals(DISCONNECT, before.get(0).type());
            assertTrue("Malformed Packet or Protocol Error: " + before,
                    List.of(0x81, 0x82).contains(before.get(0).reasonAt(0)));
        }
        try (RawClient c = enhancedConnected("au5-auth-code-0")) {
            c.send(auth(0x00, method(METHOD)));
            c.awaitDisconnect(0x82); // 0x00 Success is sent by the server only
        }
    }

    @Test
    public void SEC_3_15_2_2_2_authWithoutTheMethodIsAProtocolError() throws Exception {
        try (RawClient c = enhancedConnected("au5-auth-nomethod")) {
            c.send(auth(0x19));
            c.awaitDisconnect(0x82);
        }
    }

    @Test
    public void SEC_3_1_2_11_10_authenticationDataWithoutAMethodIsAProtocolError() throws Exception {
        assertEquals(0x82, refused(port, connect("au5-data-only", null, null, props(data("x")))).u8(1));
    }

    @Test
    public void MQTT_4_12_1_1_reauthenticationWithTheSameMethodSucceedsWithAuth0x00() throws Exception {
        try (RawClient c = enhancedConnected("au5-reauth")) {
            c.send(auth(0x19, method(METHOD)));
            expectChallenge(c);
            c.send(auth(0x18, method(METHOD), data("response")));
            Packet ok = c.expect(AUTH);
            assertEquals("AUTH flags " + ok, 0, ok.flags());
            assertEquals("AUTH Success " + ok, 0, ok.reasonAt(0));
            assertEquals("AUTH carries the method [MQTT-4.12.0-5]: " + ok, METHOD, ok.propsAt(1).get(0x15));
            c.send(Bytes.pingreq());
            assertEquals("still connected", PINGRESP, c.read().type());
        }
    }

    @Test
    public void MQTT_4_12_1_1_reauthenticationWithADifferentMethodIsAProtocolError() throws Exception {
        try (RawClient c = enhancedConnected("au5-reauth-other")) {
            c.send(auth(0x19, method("OTHER-METHOD")));
            c.awaitDisconnect(0x82);
        }
    }

    @Test
    public void MQTT_4_12_1_2_failedReauthenticationSendsDisconnectAndCloses() throws Exception {
        try (RawClient c = enhancedConnected("au5-reauth-fail")) {
            c.send(auth(0x19, method(METHOD)));
            expectChallenge(c);
            c.send(auth(0x18, method(METHOD), data("not the response")));
            List<Packet> before = c.awaitClose();
            assertEquals("one DISCONNECT before the close: " + before, 1, before.size());
            assertEquals(DISCONNECT, before.get(0).type());
            assertTrue("a DISCONNECT failure reason code [MQTT-3.14.2-1]; the fixture denied with the CONNACK code 0x86: "
                    + before, SERVER_DISCONNECT_FAILURES.contains(before.get(0).reasonAt(0)));
        }
    }

    @Test
    public void MQTT_4_12_1_2_failedReauthentication_hivemq() throws Exception {
        ChallengeResponse mechanism = new ChallengeResponse("response", "wrong");
        Mqtt5BlockingClient c = MqttClient.builder().useMqttVersion5().identifier("au5-hive-reauth-fail")
                .serverHost("127.0.0.1").serverPort(port).enhancedAuth(mechanism).buildBlocking();
        c.connect();
        try {
            c.reauth();
            fail("re-authenticated with a wrong answer");
        } catch (RuntimeException expected) {
            // the client reports the refused re-authentication; the server's DISCONNECT is checked below
        }
        Awaitility.await("re-authentication refused").atMost(Duration.ofSeconds(5))
                .until(() -> mechanism.outcomes.size() == 2);
        assertEquals("auth success", mechanism.outcomes.get(0));
        assertTrue("DISCONNECT with a valid reason code, decoded by the client: " + mechanism.outcomes,
                mechanism.outcomes.get(1).matches("reauth rejected 0x[89A][0-9A-F]"));
        Awaitility.await("disconnected").atMost(Duration.ofSeconds(5)).until(() -> !c.getState().isConnected());
    }

    @Test
    public void MQTT_4_12_0_2_and_4_12_0_5_and_4_12_1_1_enhancedAuthenticationAndReauthentication_hivemq() throws Exception {
        ChallengeResponse mechanism = new ChallengeResponse("response");
        Mqtt5BlockingClient c = MqttClient.builder().useMqttVersion5().identifier("au5-hive-enh")
                .serverHost("127.0.0.1").serverPort(port).enhancedAuth(mechanism).buildBlocking();
        Mqtt5ConnAck ack = c.connect();
        assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, ack.getReasonCode());
        assertEquals(METHOD, ack.getEnhancedAuth().orElseThrow().getMethod().toString());
        assertEquals(List.of("challenge"), mechanism.challenges);
        c.reauth();
        Awaitility.await("re-authenticated").atMost(Duration.ofSeconds(5))
                .until(() -> mechanism.outcomes.equals(List.of("auth success", "reauth success")));
        assertEquals("re-authenticated through a second challenge", List.of("challenge", "challenge"), mechanism.challenges);
        c.publishWith().topic("au5/hive/enh").qos(MqttQos.AT_LEAST_ONCE).payload(utf8("still connected")).send();
        c.disconnect();
    }

    @Test
    public void MQTT_4_12_0_4_wrongAnswerIsRefused_hivemq() throws Exception {
        ChallengeResponse mechanism = new ChallengeResponse("wrong");
        Mqtt5BlockingClient c = MqttClient.builder().useMqttVersion5().identifier("au5-hive-enh-wrong")
                .serverHost("127.0.0.1").serverPort(port).enhancedAuth(mechanism).buildBlocking();
        try {
            c.connect();
            fail("connected with a wrong answer");
        } catch (Mqtt5ConnAckException e) {
            assertEquals(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD, e.getMqttMessage().getReasonCode());
        }
        Awaitility.await("rejection reported").atMost(Duration.ofSeconds(5))
                .until(() -> mechanism.outcomes.equals(List.of("auth rejected 0x86")));
    }

    /**
     * The client half of the fixture's TEST-CHALLENGE method for the HiveMQ client: answers the
     * n-th challenge with the n-th answer (the last one again after that), records the challenges
     * and what the client was told.
     */
    private static final class ChallengeResponse implements Mqtt5EnhancedAuthMechanism {
        final List<String> challenges = new CopyOnWriteArrayList<>();
        final List<String> outcomes = new CopyOnWriteArrayList<>();
        private final List<String> answers;

        ChallengeResponse(String... answers) {
            this.answers = List.of(answers);
        }

        @Override
        public MqttUtf8String getMethod() {
            return MqttUtf8String.of(METHOD);
        }

        @Override
        public int getTimeout() {
            return 10;
        }

        @Override
        public CompletableFuture<Void> onAuth(Mqtt5ClientConfig config, Mqtt5Connect connect, Mqtt5EnhancedAuthBuilder builder) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> onReAuth(Mqtt5ClientConfig config, Mqtt5AuthBuilder builder) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Boolean> onContinue(Mqtt5ClientConfig config, Mqtt5Auth auth, Mqtt5AuthBuilder builder) {
            challenges.add(auth.getData().map(d -> StandardCharsets.UTF_8.decode(d).toString()).orElse(""));
            String answer = answers.get(Math.min(challenges.size(), answers.size()) - 1);
            builder.data(ByteBuffer.wrap(utf8(answer)));
            return CompletableFuture.completedFuture(true);
        }

        @Override
        public CompletableFuture<Boolean> onAuthSuccess(Mqtt5ClientConfig config, Mqtt5ConnAck connAck) {
            outcomes.add("auth success");
            return CompletableFuture.completedFuture(true);
        }

        @Override
        public CompletableFuture<Boolean> onReAuthSuccess(Mqtt5ClientConfig config, Mqtt5Auth auth) {
            outcomes.add("reauth success");
            return CompletableFuture.completedFuture(true);
        }

        @Override
        public void onAuthRejected(Mqtt5ClientConfig config, Mqtt5ConnAck connAck) {
            outcomes.add(String.format("auth rejected 0x%02X", connAck.getReasonCode().getCode()));
        }

        @Override
        public void onReAuthRejected(Mqtt5ClientConfig config, Mqtt5Disconnect disconnect) {
            outcomes.add(String.format("reauth rejected 0x%02X", disconnect.getReasonCode().getCode()));
        }

        @Override
        public void onAuthError(Mqtt5ClientConfig config, Throwable cause) {
            outcomes.add("auth error " + cause);
        }

        @Override
        public void onReAuthError(Mqtt5ClientConfig config, Throwable cause) {
            outcomes.add("reauth error " + cause);
        }
    }
}

package io.aviary.conformance;

import static io.aviary.conformance.AuthFixture.assertNextDeliveryIs;
import static io.aviary.conformance.AuthFixture.connect311;
import static io.aviary.conformance.AuthFixture.refused;
import static io.aviary.conformance.AuthFixture.subscribe;
import static io.aviary.conformance.AuthFixture.subscriber;
import static io.aviary.conformance.Bytes.CONNACK;
import static io.aviary.conformance.Bytes.PINGRESP;
import static io.aviary.conformance.Bytes.PUBACK;
import static io.aviary.conformance.Bytes.PUBCOMP;
import static io.aviary.conformance.Bytes.PUBREC;
import static io.aviary.conformance.Bytes.PUBREL;
import static io.aviary.conformance.Bytes.SUBACK;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.aviary.itest.Distribution;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * MQTT 3.1.1 (OASIS, 2014) statements that need an authentication or authorization decision:
 * the User Name and Password Flags (3.1.2.8, 3.1.2.9), refused CONNECTs (return codes 2, 4, 5),
 * an unauthorized PUBLISH (3.3.5) and a refused SUBSCRIBE filter (3.9.3). The distribution runs
 * the TEST FIXTURE auth plugin; {@link AuthFixture} lists its rules.
 */
public class Mqtt311AuthIT {
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

    /** A clean-session CONNECT with the User Name and Password Flags set exactly when the values are given. */
    private static byte[] connect(String id, String user, String password) {
        return connect311(id, 0x02, user, password);
    }

    private static int returnCodeOfRefused(byte[]... packets) throws Exception {
        return refused(port, packets).u8(1);
    }

    @Test
    public void MQTT_3_1_2_18_withoutTheUserNameFlagNoUserNameReachesTheAuthenticator() throws Exception {
        // The fixture IGNOREs a client without a user name (admitted: allow_anonymous) and
        // refuses any user name it does not know, the empty one included.
        RawClient.connected(port, connect("au3-nouser", null, null)).close();
        assertEquals("an (empty) user name does reach the authenticator", 4,
                returnCodeOfRefused(connect("au3-nouser-2", "", null)));
    }

    @Test
    public void MQTT_3_1_2_19_userNameFlagSetCarriesTheUserNameToTheAuthenticator() throws Exception {
        assertEquals("user banned: Not authorized", 5, returnCodeOfRefused(connect("au3-user-1", "banned", "secret")));
        assertEquals("user banned, no password", 5, returnCodeOfRefused(connect("au3-user-2", "banned", null)));
        assertEquals("unknown user", 4, returnCodeOfRefused(connect("au3-user-3", "bob", "secret")));
        RawClient.connected(port, connect("au3-user-4", "alice", "secret")).close();
        RawClient.connected(port, connect("au3-user-5", "superuser", "secret")).close();
    }

    @Test
    public void MQTT_3_1_2_20_withoutThePasswordFlagNoPasswordReachesTheAuthenticator() throws Exception {
        assertEquals("alice without a password", 4, returnCodeOfRefused(connect("au3-nopass", "alice", null)));
    }

    @Test
    public void MQTT_3_1_2_21_passwordFlagSetCarriesThePasswordToTheAuthenticator() throws Exception {
        RawClient.connected(port, connect("au3-pass-1", "alice", "secret")).close();
        assertEquals("wrong password", 4, returnCodeOfRefused(connect("au3-pass-2", "alice", "secreT")));
        assertEquals("empty password", 4, returnCodeOfRefused(connect("au3-pass-3", "alice", "")));
    }

    @Test
    public void MQTT_3_1_2_19_and_3_1_2_21_and_3_2_2_5_userNameAndPassword_paho() throws Exception {
        assertEquals(0, paho("au3-paho-ok", "alice", "secret"));
        assertEquals(4, paho("au3-paho-wrong", "alice", "wrong"));
        assertEquals(5, paho("au3-paho-banned", "banned", "secret"));
        assertEquals(2, paho("reject-au3-paho", "alice", "secret"));
    }

    /** Connects with Paho mqttv3 and returns the CONNACK return code (0 when connected). */
    private static int paho(String id, String user, String password) throws Exception {
        MqttClient client = new MqttClient("tcp://127.0.0.1:" + port, id, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setUserName(user);
        o.setPassword(password.toCharArray());
        try {
            client.connect(o);
            client.disconnect();
            return 0;
        } catch (MqttException e) { // MqttSecurityException for 4 and 5
            assertTrue("a CONNACK return code, not " + e, e.getReasonCode() >= 1 && e.getReasonCode() <= 5);
            return e.getReasonCode();
        } finally {
            client.close();
        }
    }

    @Test
    public void MQTT_3_1_3_9_and_3_2_2_4_and_3_2_2_5_rejectedClientIdentifierGetsReturnCode2AndClose() throws Exception {
        assertEquals(2, returnCodeOfRefused(connect("reject-au3", "alice", "secret")));
        assertEquals(2, returnCodeOfRefused(connect311("reject-au3-anon", 0x00, null, null)));
    }

    @Test
    public void MQTT_3_2_2_4_and_3_2_2_5_badPasswordGetsReturnCode4AndSessionPresent0DespiteAStoredSession() throws Exception {
        try (RawClient c = RawClient.connected(port, connect311("au3-stored", 0x00, "alice", "secret"))) {
            c.send(subscribe(false, 1, "au3/stored"));
            c.expect(SUBACK);
        }
        try (RawClient c = RawClient.open(port)) {
            c.send(connect311("au3-stored", 0x00, "alice", "secret"));
            assertEquals("the session is stored: Session Present 1", 1, c.expect(CONNACK).u8(0));
        }
        assertEquals(4, returnCodeOfRefused(connect311("au3-stored", 0x00, "alice", "wrong")));
    }

    @Test
    public void MQTT_3_2_2_4_and_3_2_2_5_bannedUserGetsReturnCode5AndClose() throws Exception {
        assertEquals(5, returnCodeOfRefused(connect("au3-banned", "banned", "secret")));
    }

    @Test
    public void MQTT_3_1_4_5_dataAfterAConnectRefusedByTheAuthenticatorIsNotProcessed() throws Exception {
        try (RawClient sub = subscriber(port, false, "au3-refused-sub", "au3/refused/#")) {
            assertEquals(5, returnCodeOfRefused(connect("au3-refused", "banned", null),
                    Bytes.publish311(1, false, "au3/refused/data", 1, "must not be routed")));
            assertNextDeliveryIs(port, false, sub, "au3-refused-marker", "au3/refused/marker");
        }
    }

    @Test
    public void MQTT_3_3_5_2_unauthorizedPublishIsAcknowledgedOrClosedAndNotDelivered() throws Exception {
        try (RawClient sub = subscriber(port, false, "au3-3352-sub", "+/au3-3352/#")) {
            for (int qos = 0; qos <= 2; qos++) {
                try (RawClient pub = RawClient.connected(port, Bytes.connect311("au3-3352-pub-" + qos))) {
                    int id = 10 + qos;
                    pub.send(Bytes.publish311(qos, false, "forbidden/au3-3352/q" + qos, id, "denied"));
                    if (qos == 0) {
                        pub.send(Bytes.pingreq());
                    }
                    // The server chooses: a positive acknowledgement by the QoS rules, or closing the connection.
                    List<Packet> answer = pub.awaitCloseOrNext();
                    if (answer.isEmpty()) {
                        continue;
                    }
                    Packet ack = answer.get(0);
                    switch (qos) {
                        case 0 -> assertEquals("QoS 0: nothing to acknowledge, the PINGREQ is answered", PINGRESP, ack.type());
                        case 1 -> assertEquals("PUBACK " + ack, List.of(PUBACK, id), List.of(ack.type(), ack.u16(0)));
                        default -> {
                            assertEquals("PUBREC " + ack, List.of(PUBREC, id), List.of(ack.type(), ack.u16(0)));
                            pub.send(Bytes.ack(PUBREL, id));
                            assertEquals("PUBCOMP", id, pub.expect(PUBCOMP).u16(0));
                        }
                    }
                }
            }
            assertNextDeliveryIs(port, false, sub, "au3-3352-marker", "open/au3-3352/marker");
        }
    }

    @Test
    public void MQTT_3_8_4_5_and_3_9_3_1_and_3_9_3_2_refusedFilterGetsReturnCode0x80InItsPlace() throws Exception {
        try (RawClient c = RawClient.connected(port, Bytes.connect311("au3-suback"))) {
            c.send(subscribe(false, 7, "open/au3-suback/#", "forbidden/au3-suback/#", "au3-suback/x"));
            Packet ack = c.expect(SUBACK);
            assertEquals("packet id", 7, ack.u16(0));
            assertEquals("one return code per filter: " + ack, 5, ack.body().length);
            assertEquals("in filter order", List.of(1, 0x80, 1), List.of(ack.u8(2), ack.u8(3), ack.u8(4)));
        }
    }
}

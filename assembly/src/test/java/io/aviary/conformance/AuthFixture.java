package io.aviary.conformance;

import static io.aviary.conformance.Bytes.CONNACK;
import static io.aviary.conformance.Bytes.PUBACK;
import static io.aviary.conformance.Bytes.PUBLISH;
import static io.aviary.conformance.Bytes.SUBACK;
import static io.aviary.conformance.Bytes.bin;
import static io.aviary.conformance.Bytes.cat;
import static io.aviary.conformance.Bytes.packet;
import static io.aviary.conformance.Bytes.props;
import static io.aviary.conformance.Bytes.str;
import static io.aviary.conformance.Bytes.u16;
import static io.aviary.conformance.Bytes.u8;
import static io.aviary.conformance.Bytes.utf8;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.aviary.itest.AuthFixtureBundle;
import io.aviary.itest.Distribution;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;

/**
 * A distribution running the TEST FIXTURE auth plugin ({@link io.aviary.itest.authfixture}),
 * dropped into plugins/ and enabled through the admin API as an operator would, plus the
 * packets and assertions the auth conformance classes share. The fixture's rules:
 * <ul>
 * <li>{@code alice}/{@code secret} allowed; another password, an unknown user or a missing
 *     password: 0x86 (3.1.1: 4); user {@code banned}: 0x8A (3.1.1: 5); client ids starting
 *     {@code reject-}: 0x85 (3.1.1: 2); no user name and no password: IGNORE, which the default
 *     tenant admits because it sets allow_anonymous = 1 (a chain that ignores a client refuses it
 *     otherwise); MQTT 5 password {@code secret} without a user name: allowed;</li>
 * <li>Authentication Method {@code TEST-CHALLENGE}: one challenge (AUTH 0x18, data
 *     {@code challenge}), then allowed if the answer's data is {@code response}, else 0x86;
 *     other methods ignored;</li>
 * <li>PUBLISH and SUBSCRIBE on {@code forbidden/...} denied, everything else allowed.</li>
 * </ul>
 */
final class AuthFixture {
    static final String METHOD = "TEST-CHALLENGE";

    /** The Reason Codes a server may put in a DISCONNECT (MQTT 5, 3.14.2.1), Success excluded. */
    static final List<Integer> SERVER_DISCONNECT_FAILURES = List.of(0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8B, 0x8D,
            0x8E, 0x8F, 0x90, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F, 0xA0, 0xA1, 0xA2);

    private AuthFixture() {
    }

    /** Starts a distribution, deploys and enables the fixture, and waits until it decides CONNECTs. */
    static Distribution start() throws Exception {
        Distribution dist = new Distribution().start().awaitApi();
        AuthFixtureBundle.write(dist.plugins().resolve(AuthFixtureBundle.PLUGIN_ID + ".jar"));
        Duration tenSeconds = Duration.ofSeconds(10);
        Awaitility.await("fixture installed").atMost(tenSeconds).until(() -> pluginState(dist).equals("installed"));
        var created = dist.post("/plugin_instances",
                "{\"plugin\":\"" + AuthFixtureBundle.PLUGIN_ID + "\",\"tenant\":\"default\",\"config\":{}}");
        assertEquals(created.body(), 201, created.statusCode());
        var anonymous = dist.put("/tenants/default", "{\"quotas\":{\"allow_anonymous\":1}}");
        assertEquals(anonymous.body(), 200, anonymous.statusCode());
        Awaitility.await("fixture active").atMost(tenSeconds).until(() -> pluginState(dist).equals("active"));
        Awaitility.await("fixture answers").atMost(tenSeconds).untilAsserted(() -> {
            try (RawClient c = RawClient.open(dist.mqttPort)) {
                c.send(connect311("auth-fixture-ready", 0x02, "banned", null));
                assertEquals("return code of the fixture's banned user", 5, c.expect(CONNACK).u8(1));
            }
        });
        return dist;
    }

    private static String pluginState(Distribution dist) throws Exception {
        for (JsonElement e : JsonParser.parseString(dist.get("/plugins").body()).getAsJsonArray()) {
            var p = e.getAsJsonObject();
            if (AuthFixtureBundle.PLUGIN_ID.equals(p.get("name").getAsString())) {
                return p.has("error") && !p.get("error").isJsonNull()
                        ? "failed: " + p.get("error").getAsString() : p.get("state").getAsString();
            }
        }
        return "absent";
    }

    // ---- packets

    /** A 3.1.1 CONNECT with the User Name and Password Flags set exactly when the values are given. */
    static byte[] connect311(String id, int cleanFlag, String user, String password) {
        int flags = cleanFlag | (user != null ? 0x80 : 0) | (password != null ? 0x40 : 0);
        return Bytes.connect311(id, flags, 60, credentials(user, password));
    }

    /** An MQTT 5 CONNECT with the User Name and Password Flags set exactly when the values are given. */
    static byte[] connect5(String id, int cleanFlag, String user, String password, byte[] props) {
        int flags = cleanFlag | (user != null ? 0x80 : 0) | (password != null ? 0x40 : 0);
        return Bytes.connect5(id, flags, 60, props, credentials(user, password));
    }

    private static byte[] credentials(String user, String password) {
        return cat(user != null ? str(user) : new byte[0], password != null ? bin(utf8(password)) : new byte[0]);
    }

    /** SUBSCRIBE with one QoS 1 entry per filter (MQTT 5 adds empty properties). */
    static byte[] subscribe(boolean v5, int packetId, String... filters) {
        byte[][] parts = new byte[filters.length][];
        for (int i = 0; i < filters.length; i++) {
            parts[i] = cat(str(filters[i]), u8(1));
        }
        return packet(0x82, u16(packetId), v5 ? props() : new byte[0], cat(parts));
    }

    // ---- assertions

    /**
     * The broker refuses the CONNECT: exactly one CONNACK (never a DISCONNECT), with Session
     * Present 0, then it closes the connection. Returns the CONNACK.
     */
    static Packet refused(int port, byte[]... packets) throws Exception {
        try (RawClient c = RawClient.open(port)) {
            c.send(packets);
            List<Packet> before = c.awaitClose();
            assertEquals("one CONNACK and then the close: " + before, 1, before.size());
            Packet ack = before.get(0);
            assertEquals("a CONNACK: " + ack, CONNACK, ack.type());
            assertEquals("Session Present 0 with a refusal: " + ack, 0, ack.u8(0));
            return ack;
        }
    }

    /** Where the spec lets the broker refuse with a CONNACK (of {@code allowed}) or by closing without one. */
    static void assertRefusedOrClosed(RawClient c, List<Integer> allowed) throws Exception {
        List<Packet> before = c.awaitClose();
        assertTrue("at most one packet before the close: " + before, before.size() <= 1);
        for (Packet p : before) {
            assertEquals("a CONNACK: " + p, CONNACK, p.type());
            assertTrue(String.format("CONNACK reason of %s one of %s", p, allowed), allowed.contains(p.u8(1)));
            assertEquals("Session Present 0", 0, p.u8(0));
        }
    }

    /** A raw subscriber (3.1.1 or 5, anonymous) on {@code filter}, granted QoS 1. */
    static RawClient subscriber(int port, boolean v5, String id, String filter) throws Exception {
        RawClient sub = RawClient.connected(port, v5 ? Bytes.connect5(id) : Bytes.connect311(id));
        sub.send(subscribe(v5, 1, filter));
        Packet ack = sub.expect(SUBACK);
        assertEquals("granted QoS 1 for " + filter, 1, ack.u8(v5 ? 3 : 2));
        return sub;
    }

    /**
     * Publishes a marker (QoS 1) from a fresh client and asserts it is the next message the
     * subscriber gets: whatever the test published before it was not delivered.
     */
    static void assertNextDeliveryIs(int port, boolean v5, RawClient sub, String publisherId, String marker)
            throws Exception {
        try (RawClient pub = RawClient.connected(port, v5 ? Bytes.connect5(publisherId) : Bytes.connect311(publisherId))) {
            pub.send(v5 ? Bytes.publish5(1, false, marker, 1, props(), "marker")
                    : Bytes.publish311(1, false, marker, 1, "marker"));
            pub.expect(PUBACK);
        }
        Packet.Publish got = sub.expect(PUBLISH).publish(v5);
        assertEquals("nothing was delivered before the marker", marker, got.topic());
    }
}

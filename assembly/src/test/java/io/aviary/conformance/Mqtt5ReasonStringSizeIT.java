package io.aviary.conformance;

import static io.aviary.conformance.Bytes.CONNACK;
import static io.aviary.conformance.Bytes.DISCONNECT;
import static io.aviary.conformance.Bytes.SUBACK;
import static io.aviary.conformance.Bytes.UNSUBACK;
import static io.aviary.conformance.Bytes.cat;
import static io.aviary.conformance.Bytes.connect5;
import static io.aviary.conformance.Bytes.props;
import static io.aviary.conformance.Bytes.publish5;
import static io.aviary.conformance.Bytes.str;
import static io.aviary.conformance.Bytes.u32;
import static io.aviary.conformance.Bytes.u8;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.aviary.itest.Distribution;
import java.util.List;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * MQTT 5.0: the server leaves out a Reason String (and User Properties) that would make a
 * CONNACK, SUBACK, UNSUBACK or DISCONNECT larger than the client's Maximum Packet Size, and
 * still sends the packet (MQTT-3.2.2-19, 3.9.2-1, 3.11.2-1, 3.14.2-3). Each test first shows
 * that a client without the limit gets a Reason String in the same situation, then gives a
 * client a Maximum Packet Size just large enough for the bare packet (and for the broker's
 * CONNACK, measured on the first connection).
 */
public class Mqtt5ReasonStringSizeIT {
    private static Distribution dist;
    private static int port;
    /** The size of the broker's CONNACK to a plain v5 CONNECT: the smallest usable limit. */
    private static int connackSize;

    @BeforeClass
    public static void start() throws Exception {
        dist = new Distribution().start();
        port = dist.mqttPort;
        try (RawClient c = RawClient.open(port)) {
            c.send(connect5("rs-measure"));
            connackSize = size(c.expect(CONNACK));
        }
    }

    @AfterClass
    public static void stop() throws Exception {
        dist.close();
    }

    /** Bytes on the wire: first byte, Remaining Length, body. */
    private static int size(Packet p) {
        return 1 + Bytes.vbi(p.body().length).length + p.body().length;
    }

    private static RawClient client(String id, Integer maxPacketSize) throws Exception {
        byte[] props = maxPacketSize == null ? props() : props(cat(u8(0x27), u32(maxPacketSize)));
        return RawClient.connected(port, connect5(id, 0x02, 60, props));
    }

    /** 129 levels: above the default max_topic_levels (128), so the subscription is refused with 0x8F. */
    private static final String TOO_DEEP = "rs/" + "l/".repeat(127) + "end";

    @Test
    public void MQTT_3_9_2_1_subackWithoutTheReasonStringThatWouldExceedTheClientsMaximum() throws Exception {
        try (RawClient free = client("rs-sub-free", null)) {
            free.send(Bytes.subscribe5(1, props(), TOO_DEEP, 1));
            Packet full = free.expect(SUBACK);
            assertNotNull("Reason String without a limit " + full, full.propsAt(2).get(0x1F));
            assertTrue(size(full) > connackSize);
        }
        try (RawClient small = client("rs-sub-small", connackSize)) {
            small.send(Bytes.subscribe5(2, props(), TOO_DEEP, 1));
            Packet bare = small.expect(SUBACK);
            assertEquals(2, bare.u16(0));
            Packet.Props props = bare.propsAt(2);
            assertTrue("no properties " + bare, props.list().isEmpty());
            assertEquals("Topic Filter invalid", 0x8F, bare.u8(props.end()));
            assertTrue(size(bare) <= connackSize);
        }
    }

    @Test
    public void MQTT_3_11_2_1_unsubackWithoutTheReasonStringThatWouldExceedTheClientsMaximum() throws Exception {
        String never = "rs/never/subscribed/to/this/filter";
        try (RawClient free = client("rs-uns-free", null)) {
            free.send(Bytes.unsubscribe5(1, never));
            Packet full = free.expect(UNSUBACK);
            assertNotNull("Reason String without a limit " + full, full.propsAt(2).get(0x1F));
            assertTrue(size(full) > connackSize);
        }
        try (RawClient small = client("rs-uns-small", connackSize)) {
            small.send(Bytes.unsubscribe5(2, never));
            Packet bare = small.expect(UNSUBACK);
            Packet.Props props = bare.propsAt(2);
            assertTrue("no properties " + bare, props.list().isEmpty());
            assertEquals("No subscription existed", List.of(0x11), List.of(bare.u8(props.end())));
        }
    }

    @Test
    public void MQTT_3_14_2_3_disconnectWithoutTheReasonStringThatWouldExceedTheClientsMaximum() throws Exception {
        byte[] emptyTopicWithoutAlias = publish5(0, false, "", 0, props(), "x"); // Protocol Error [MQTT-4.7.3-1]
        try (RawClient free = client("rs-disc-free", null)) {
            free.send(emptyTopicWithoutAlias);
            Packet full = free.awaitDisconnect(0x82);
            assertNotNull("Reason String without a limit " + full, full.propsAt(1).get(0x1F));
            assertTrue(size(full) > connackSize);
        }
        try (RawClient small = client("rs-disc-small", connackSize)) {
            small.send(emptyTopicWithoutAlias);
            Packet bare = small.awaitDisconnect(0x82);
            assertTrue("no properties " + bare, bare.propsAt(1).list().isEmpty());
        }
    }

    @Test
    public void MQTT_3_2_2_19_refusingConnackWithoutTheReasonStringThatWouldExceedTheClientsMaximum() throws Exception {
        byte[] method = cat(u8(0x15), str("NO-SUCH-METHOD")); // no authenticator: 0x8C Bad authentication method
        try (RawClient free = RawClient.open(port)) {
            free.send(connect5("rs-ca-free", 0x02, 60, props(method)));
            Packet full = free.expect(CONNACK);
            assertEquals(0x8C, full.u8(1));
            assertNotNull("Reason String without a limit " + full, full.propsAt(2).get(0x1F));
        }
        try (RawClient small = RawClient.open(port)) {
            small.send(connect5("rs-ca-small", 0x02, 60, props(method, cat(u8(0x27), u32(5)))));
            Packet bare = small.expect(CONNACK);
            assertEquals(0x8C, bare.u8(1));
            assertNull("no Reason String " + bare, bare.propsAt(2).get(0x1F));
            assertEquals("the bare CONNACK, exactly the limit", 5, size(bare));
            assertNull("then the close", small.readOrNull());
        }
    }
}

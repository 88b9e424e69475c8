package io.aviary.broker;

import static io.aviary.broker.testing.Packets.publish;
import static io.aviary.broker.testing.Packets.subscribe;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.aviary.broker.testing.RawClient;
import io.aviary.broker.testing.TestBroker;
import io.aviary.mqtt.codec.ConnAckPacket;
import io.aviary.mqtt.codec.ConnectPacket;
import io.aviary.mqtt.codec.DisconnectPacket;
import io.aviary.mqtt.codec.MqttEncoder;
import io.aviary.mqtt.codec.MqttPacket;
import io.aviary.mqtt.codec.MqttProperties;
import io.aviary.mqtt.codec.MqttVersion;
import io.aviary.mqtt.codec.PropertyId;
import io.aviary.mqtt.codec.ReasonCode;
import io.aviary.mqtt.codec.SubAckPacket;
import io.aviary.mqtt.codec.UnsubAckPacket;
import io.aviary.mqtt.codec.UnsubscribePacket;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;

/**
 * The Reason Strings the broker sends give way to the client's Maximum Packet Size: the packet
 * still goes, without them. Each test first shows the Reason String a client without a limit
 * gets, so a test cannot pass because the broker sent none in the first place.
 */
public class ClientMaximumPacketSizeTest {

    /** Room for the broker's CONNACK (18 bytes) but not for any of the Reason Strings below. */
    private static final long LIMIT = 32;

    @Rule
    public final TestBroker broker = new TestBroker().with("max_topic_levels", 3).with("max_topic_alias", 2);

    private RawClient client(String id, Long max, boolean problemInfo) throws InterruptedException {
        MqttProperties.Builder b = MqttProperties.builder();
        if (max != null) {
            b.set(PropertyId.MAXIMUM_PACKET_SIZE, max);
        }
        if (!problemInfo) {
            b.set(PropertyId.REQUEST_PROBLEM_INFORMATION, 0);
        }
        return RawClient.connect(broker.port(), MqttVersion.MQTT_5, id, true, 60, b.build(), null);
    }

    private static int size(MqttPacket p) {
        return MqttEncoder.encodedSize(p, MqttVersion.MQTT_5);
    }

    private static final String DEEP = "too/many/levels/for/this/broker";

    @Test
    public void MQTT_3_9_2_1_subackWithoutReasonStringAboveTheClientsMaximum() throws Exception {
        try (RawClient free = client("mps-sub-free", null, true); RawClient small = client("mps-sub-small", LIMIT, true)) {
            free.send(subscribe(1, DEEP, 1));
            SubAckPacket full = free.expect(SubAckPacket.class);
            assertEquals(List.of(ReasonCode.TOPIC_FILTER_INVALID), full.reasonCodes());
            assertNotNull(full.properties().reasonString());
            assertTrue(size(full) > LIMIT);

            small.send(subscribe(2, DEEP, 1));
            SubAckPacket bare = small.expect(SubAckPacket.class);
            assertEquals(2, bare.packetId());
            assertEquals(List.of(ReasonCode.TOPIC_FILTER_INVALID), bare.reasonCodes());
            assertTrue("properties " + bare.properties(), bare.properties().isEmpty());
        }
    }

    @Test
    public void MQTT_3_11_2_1_unsubackWithoutReasonStringAboveTheClientsMaximum() throws Exception {
        String never = "mps/never/subscribed/filter";
        try (RawClient free = client("mps-uns-free", null, true); RawClient small = client("mps-uns-small", LIMIT, true)) {
            free.send(new UnsubscribePacket(1, List.of(never), MqttProperties.EMPTY));
            UnsubAckPacket full = free.expect(UnsubAckPacket.class);
            assertEquals("no subscription existed for " + never, full.properties().reasonString());
            assertTrue(size(full) > LIMIT);

            small.send(new UnsubscribePacket(2, List.of(never), MqttProperties.EMPTY));
            UnsubAckPacket bare = small.expect(UnsubAckPacket.class);
            assertEquals(List.of(ReasonCode.NO_SUBSCRIPTION_EXISTED), bare.reasonCodes());
            assertTrue("properties " + bare.properties(), bare.properties().isEmpty());
        }
    }

    @Test
    public void MQTT_3_1_2_29_noReasonStringOnSubackOrUnsubackWithoutProblemInformation() throws Exception {
        try (RawClient c = client("mps-noproblem", null, false)) {
            c.send(subscribe(1, DEEP, 1));
            SubAckPacket suback = c.expect(SubAckPacket.class);
            assertEquals(List.of(ReasonCode.TOPIC_FILTER_INVALID), suback.reasonCodes());
            assertNull(suback.properties().reasonString());
            c.send(new UnsubscribePacket(2, List.of("mps/none"), MqttProperties.EMPTY));
            assertNull(c.expect(UnsubAckPacket.class).properties().reasonString());
        }
    }

    @Test
    public void MQTT_3_14_2_3_disconnectWithoutReasonStringAboveTheClientsMaximum() throws Exception {
        MqttProperties aliasAboveMaximum = MqttProperties.builder().set(PropertyId.TOPIC_ALIAS, 3).build();
        try (RawClient free = client("mps-disc-free", null, true)) {
            free.send(publish("mps/t", 0, 0, "x", false, aliasAboveMaximum));
            DisconnectPacket full = free.expect(DisconnectPacket.class);
            assertNotNull(full.properties().reasonString());
            assertTrue(size(full) > LIMIT);
        }
        try (RawClient small = client("mps-disc-small", LIMIT, true)) {
            small.send(publish("mps/t", 0, 0, "x", false, aliasAboveMaximum));
            DisconnectPacket bare = small.expect(DisconnectPacket.class);
            assertEquals(ReasonCode.TOPIC_ALIAS_INVALID, bare.reasonCode());
            assertTrue("properties " + bare.properties(), bare.properties().isEmpty());
            assertTrue(small.awaitClosed(5000));
        }
    }

    @Test
    public void MQTT_3_2_2_19_refusingConnackWithoutReasonStringAboveTheClientsMaximum() throws Exception {
        MqttProperties method = MqttProperties.builder().set(PropertyId.AUTHENTICATION_METHOD, "NO-SUCH-METHOD").build();
        try (RawClient free = RawClient.open(broker.port(), MqttVersion.MQTT_5)) {
            ConnAckPacket full = free.connect(new ConnectPacket(MqttVersion.MQTT_5, "mps-ca-free", true, 60, null, null,
                    null, method));
            assertEquals(ReasonCode.BAD_AUTHENTICATION_METHOD, full.reasonCode());
            assertNotNull(full.properties().reasonString());
        }
        MqttProperties small = method.toBuilder().set(PropertyId.MAXIMUM_PACKET_SIZE, 5L).build();
        try (RawClient c = RawClient.open(broker.port(), MqttVersion.MQTT_5)) {
            ConnAckPacket bare = c.connect(new ConnectPacket(MqttVersion.MQTT_5, "mps-ca-small", true, 60, null, null,
                    null, small));
            assertEquals(ReasonCode.BAD_AUTHENTICATION_METHOD, bare.reasonCode());
            assertTrue("properties " + bare.properties(), bare.properties().isEmpty());
            assertEquals("the bare CONNACK is exactly the limit", 5, size(bare));
        }
    }
}

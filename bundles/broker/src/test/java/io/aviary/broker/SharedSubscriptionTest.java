package io.aviary.broker;

import static io.aviary.broker.testing.Packets.publish;
import static io.aviary.broker.testing.Packets.subscribe;
import static io.aviary.broker.testing.Packets.text;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.aviary.broker.testing.RawClient;
import io.aviary.broker.testing.TestBroker;
import io.aviary.mqtt.codec.AckPacket;
import io.aviary.mqtt.codec.MqttProperties;
import io.aviary.mqtt.codec.MqttVersion;
import io.aviary.mqtt.codec.PropertyId;
import io.aviary.mqtt.codec.PublishPacket;
import io.aviary.mqtt.codec.SubAckPacket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.Rule;
import org.junit.Test;

/** Shared subscriptions: one copy per group, strategies, $queue, and no loss when a member leaves. */
public class SharedSubscriptionTest {

    @Rule
    public final TestBroker broker = new TestBroker();

    private RawClient member(String id, String filter, int qos) throws InterruptedException {
        RawClient c = RawClient.connect(broker.port(), MqttVersion.MQTT_5, id, true);
        c.send(subscribe(1, filter, qos));
        c.expect(SubAckPacket.class);
        return c;
    }

    private void publishAll(String topic, int n, int qos) throws InterruptedException {
        try (RawClient pub = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "sharepub", true)) {
            for (int i = 0; i < n; i++) {
                pub.send(publish(topic, qos, i + 1, "m" + i));
                if (qos > 0) {
                    pub.expect(AckPacket.class);
                }
            }
        }
    }

    /** Receives until nothing more comes, acking QoS 1. */
    private static List<String> drain(RawClient c) throws InterruptedException {
        List<String> got = new ArrayList<>();
        Object o;
        while ((o = c.poll(300)) != null) {
            PublishPacket p = (PublishPacket) o;
            if (p.qos() == 1) {
                c.send(AckPacket.pubAck(p.packetId()));
            }
            got.add(text(p));
        }
        return got;
    }

    @Test
    public void MQTT_4_8_2_eachMessageGoesToOneMemberOfTheGroup() throws Exception {
        try (RawClient a = member("sa", "$share/g/sh/t", 1); RawClient b = member("sb", "$share/g/sh/t", 1);
             RawClient plain = member("sp", "sh/t", 0)) {
            publishAll("sh/t", 6, 1);
            List<String> ga = drain(a);
            List<String> gb = drain(b);
            assertEquals(3, ga.size());
            assertEquals(3, gb.size());
            TreeSet<String> all = new TreeSet<>(ga);
            all.addAll(gb);
            assertEquals(6, all.size());
            assertEquals(6, drain(plain).size());
        }
    }

    @Test
    public void queuePrefixIsASharedGroup() throws Exception {
        try (RawClient a = member("qa", "$queue/q/t", 0); RawClient b = member("qb", "$queue/q/t", 0)) {
            publishAll("q/t", 4, 0);
            assertEquals(4, drain(a).size() + drain(b).size());
        }
    }

    @Test
    public void stickyStrategySendsEverythingToOneMember() throws Exception {
        broker.restart("shared_subscription_strategy", "sticky");
        try (RawClient a = member("ka", "$share/g/st", 0); RawClient b = member("kb", "$share/g/st", 0)) {
            publishAll("st", 5, 0);
            int na = drain(a).size();
            int nb = drain(b).size();
            assertTrue(na + "/" + nb, (na == 5 && nb == 0) || (na == 0 && nb == 5));
        }
    }

    @Test
    public void unacknowledgedMessagesOfALeavingMemberGoToAnotherMember() throws Exception {
        RawClient a = member("la", "$share/g/leave", 1);
        try (RawClient b = member("lb", "$share/g/leave", 1)) {
            publishAll("leave", 4, 1);
            List<String> atA = new ArrayList<>();
            Object o;
            while ((o = a.poll(300)) != null) {
                atA.add(text((PublishPacket) o)); // never acknowledged
            }
            List<String> atB = drain(b);
            assertEquals(2, atA.size());
            a.close();
            atB.addAll(drain(b));
            assertEquals(Set.of("m0", "m1", "m2", "m3"), new TreeSet<>(atB));
        }
    }

    @Test
    public void MQTT_4_8_2_4_and_4_8_2_5_aSentQos2MessageStaysWithItsMember() throws Exception {
        MqttProperties persistent = MqttProperties.builder().set(PropertyId.SESSION_EXPIRY_INTERVAL, 60L).build();
        RawClient a = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "q2a", false, 60, persistent, null);
        a.send(subscribe(1, "$share/g2/q2", 2));
        a.expect(SubAckPacket.class);
        publishAll("q2", 1, 2);
        PublishPacket sent = a.expect(PublishPacket.class);
        text(sent);
        try (RawClient b = member("q2b", "$share/g2/q2", 2)) {
            a.close(); // before PUBREC
            assertNull("the QoS 2 message went to another member", b.poll(400));
            try (RawClient back = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "q2a", false, 60, persistent, null)) {
                PublishPacket again = back.expect(PublishPacket.class);
                assertEquals(sent.packetId(), again.packetId());
                assertTrue(again.dup());
                text(again);
                back.send(AckPacket.pubRec(again.packetId()));
                back.expect(AckPacket.class);
                back.send(AckPacket.pubComp(again.packetId()));
            }
            // Ending the session (clean start) does not hand it over either.
            RawClient.connect(broker.port(), MqttVersion.MQTT_5, "q2a", true).close();
            assertNull(b.poll(300));
        }
    }

    @Test
    public void MQTT_4_4_0_1_aLoneMembersUnacknowledgedQos1IsResentWithItsPacketIdAndDup() throws Exception {
        MqttProperties persistent = MqttProperties.builder().set(PropertyId.SESSION_EXPIRY_INTERVAL, 60L).build();
        RawClient a = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "lone", false, 60, persistent, null);
        a.send(subscribe(1, "$share/lg/lone", 1));
        a.expect(SubAckPacket.class);
        publishAll("lone", 1, 1);
        PublishPacket sent = a.expect(PublishPacket.class);
        text(sent);
        a.close(); // before PUBACK, and no other member to take it
        try (RawClient back = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "lone", false, 60, persistent, null)) {
            PublishPacket again = back.expect(PublishPacket.class);
            assertEquals("original packet id", sent.packetId(), again.packetId());
            assertTrue("DUP on the resend", again.dup());
            assertEquals("m0", text(again));
            back.send(AckPacket.pubAck(again.packetId()));
        }
    }

    @Test
    public void hivemqClientsShareASubscription() throws Exception {
        Mqtt5BlockingClient a = Mqtt5Client.builder().identifier("ha").serverHost("127.0.0.1").serverPort(broker.port())
                .buildBlocking();
        a.connect();
        Mqtt5BlockingClient b = Mqtt5Client.builder().identifier("hb").serverHost("127.0.0.1").serverPort(broker.port())
                .buildBlocking();
        b.connect();
        try (var pa = a.publishes(MqttGlobalPublishFilter.ALL); var pb = b.publishes(MqttGlobalPublishFilter.ALL)) {
            a.subscribeWith().topicFilter("$share/hg/hs").qos(MqttQos.AT_LEAST_ONCE).send();
            b.subscribeWith().topicFilter("$share/hg/hs").qos(MqttQos.AT_LEAST_ONCE).send();
            publishAll("hs", 4, 1);
            int n = 0;
            while (pa.receive(300, TimeUnit.MILLISECONDS).isPresent()) {
                n++;
            }
            while (pb.receive(300, TimeUnit.MILLISECONDS).isPresent()) {
                n++;
            }
            assertEquals(4, n);
        }
        a.disconnect();
        b.disconnect();
    }

    @Test
    public void messageToAGroupWithNoOnlineMemberIsQueuedForAnOfflineMember() throws Exception {
        RawClient a = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "off", false, 60,
                io.aviary.mqtt.codec.MqttProperties.builder()
                        .set(io.aviary.mqtt.codec.PropertyId.SESSION_EXPIRY_INTERVAL, 60L).build(), null);
        a.send(subscribe(1, "$share/g/off", 1));
        a.expect(SubAckPacket.class);
        a.close();
        publishAll("off", 1, 1);
        try (RawClient back = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "off", false, 60,
                io.aviary.mqtt.codec.MqttProperties.builder()
                        .set(io.aviary.mqtt.codec.PropertyId.SESSION_EXPIRY_INTERVAL, 60L).build(), null)) {
            assertEquals("m0", text(back.expect(PublishPacket.class)));
            assertNull(back.poll(200));
        }
    }
}

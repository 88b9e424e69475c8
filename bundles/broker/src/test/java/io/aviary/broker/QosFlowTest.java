package io.aviary.broker;

import static io.aviary.broker.testing.Packets.publish;
import static io.aviary.broker.testing.Packets.subscribe;
import static io.aviary.broker.testing.Packets.text;
import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.aviary.broker.testing.RawClient;
import io.aviary.broker.testing.TestBroker;
import io.aviary.mqtt.codec.AckPacket;
import io.aviary.mqtt.codec.DisconnectPacket;
import io.aviary.mqtt.codec.MqttProperties;
import io.aviary.mqtt.codec.MqttVersion;
import io.aviary.mqtt.codec.PacketType;
import io.aviary.mqtt.codec.PropertyId;
import io.aviary.mqtt.codec.PublishPacket;
import io.aviary.mqtt.codec.ReasonCode;
import io.aviary.mqtt.codec.SubAckPacket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.Rule;
import org.junit.Test;

/** QoS 0/1/2 in both directions: acknowledgements, inflight windows, redelivery, exactly-once, offline queue. */
public class QosFlowTest {

    @Rule
    public final TestBroker broker = new TestBroker();

    private RawClient subscriber(String id, String filter, int qos, boolean clean, MqttProperties props)
            throws InterruptedException {
        RawClient c = RawClient.connect(broker.port(), MqttVersion.MQTT_5, id, clean, 60, props, null);
        c.send(subscribe(1, filter, qos));
        c.expect(SubAckPacket.class);
        return c;
    }

    private RawClient subscriber(String id, String filter, int qos) throws InterruptedException {
        return subscriber(id, filter, qos, true, MqttProperties.EMPTY);
    }

    private static MqttProperties persistent() {
        return MqttProperties.builder().set(PropertyId.SESSION_EXPIRY_INTERVAL, 60L).build();
    }

    @Test
    public void MQTT_4_3_2_qos1PublishIsAcknowledgedAndDeliveredWithAPacketId() throws Exception {
        try (RawClient sub = subscriber("s1", "q/1", 1);
             RawClient pub = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "p1", true)) {
            pub.send(publish("q/1", 1, 7, "hello"));
            AckPacket ack = pub.expect(AckPacket.class);
            assertEquals(PacketType.PUBACK, ack.type());
            assertEquals(7, ack.packetId());
            PublishPacket p = sub.expect(PublishPacket.class);
            assertEquals(1, p.qos());
            assertTrue(p.packetId() > 0);
            assertFalse(p.dup());
            assertEquals("hello", text(p));
        }
    }

    @Test
    public void MQTT_3_8_4_8_deliveredQosIsTheMinimumOfPublishAndSubscriptionQos() throws Exception {
        try (RawClient sub = subscriber("s2", "q/2", 0);
             RawClient pub = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "p2", true)) {
            pub.send(publish("q/2", 2, 3, "x"));
            pub.expect(AckPacket.class);
            PublishPacket p = sub.expect(PublishPacket.class);
            assertEquals(0, p.qos());
            assertEquals(0, p.packetId());
            text(p);
        }
    }

    @Test
    public void MQTT_4_3_3_qos2ResentPublishWithSameIdIsNotRoutedTwice() throws Exception {
        try (RawClient sub = subscriber("s3", "q/3", 2);
             RawClient pub = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "p3", true)) {
            pub.send(publish("q/3", 2, 5, "once"));
            assertEquals(PacketType.PUBREC, pub.expect(AckPacket.class).type());
            pub.send(publish("q/3", 2, 5, "once").withDup(true));
            assertEquals(PacketType.PUBREC, pub.expect(AckPacket.class).type());
            pub.send(AckPacket.pubRel(5));
            AckPacket comp = pub.expect(AckPacket.class);
            assertEquals(PacketType.PUBCOMP, comp.type());
            assertEquals(0, comp.reasonCode());
            PublishPacket p = sub.expect(PublishPacket.class);
            assertEquals("once", text(p));
            sub.send(AckPacket.pubRec(p.packetId()));
            AckPacket rel = sub.expect(AckPacket.class);
            assertEquals(PacketType.PUBREL, rel.type());
            sub.send(AckPacket.pubComp(p.packetId()));
            assertNull("a second copy arrived", sub.poll(300));
        }
    }

    @Test
    public void MQTT_4_3_3_afterPubrelTheSamePacketIdIsANewMessage() throws Exception {
        try (RawClient sub = subscriber("s4", "q/4", 2);
             RawClient pub = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "p4", true)) {
            for (int i = 0; i < 2; i++) {
                pub.send(publish("q/4", 2, 9, "m" + i));
                pub.expect(AckPacket.class);
                pub.send(AckPacket.pubRel(9));
                pub.expect(AckPacket.class);
                PublishPacket p = sub.expect(PublishPacket.class);
                assertEquals("m" + i, text(p));
                sub.send(AckPacket.pubRec(p.packetId()));
                sub.expect(AckPacket.class);
                sub.send(AckPacket.pubComp(p.packetId()));
            }
        }
    }

    @Test
    public void pubrelForAnUnknownPacketIdGetsPubcomp0x92() throws Exception {
        try (RawClient c = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "p5", true)) {
            c.send(AckPacket.pubRel(77));
            AckPacket comp = c.expect(AckPacket.class);
            assertEquals(PacketType.PUBCOMP, comp.type());
            assertEquals(ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, comp.reasonCode());
        }
    }

    @Test
    public void MQTT_4_9_0_2_inflightWindowRespectsTheClientsReceiveMaximum() throws Exception {
        MqttProperties rm2 = MqttProperties.builder().set(PropertyId.RECEIVE_MAXIMUM, 2).build();
        try (RawClient sub = subscriber("s6", "q/6", 1, true, rm2);
             RawClient pub = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "p6", true)) {
            for (int i = 0; i < 4; i++) {
                pub.send(publish("q/6", 1, i + 1, "m" + i));
                pub.expect(AckPacket.class);
            }
            PublishPacket a = sub.expect(PublishPacket.class);
            PublishPacket b = sub.expect(PublishPacket.class);
            assertNull("a third message exceeded Receive Maximum", sub.poll(300));
            sub.send(AckPacket.pubAck(a.packetId()));
            assertEquals("m2", text(sub.expect(PublishPacket.class)));
            assertEquals("m0", text(a));
            assertEquals("m1", text(b));
        }
    }

    @Test
    public void MQTT_3_3_4_9_exceedingTheServersReceiveMaximumIsDisconnect0x93() throws Exception {
        broker.restart("max_inflight", 2);
        try (RawClient pub = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "p7", true)) {
            for (int i = 1; i <= 3; i++) {
                pub.send(publish("q/7", 2, i, "m"));
            }
            pub.expect(AckPacket.class);
            pub.expect(AckPacket.class);
            assertEquals(ReasonCode.RECEIVE_MAXIMUM_EXCEEDED, pub.expect(DisconnectPacket.class).reasonCode());
            assertTrue(pub.awaitClosed(5000));
        }
    }

    @Test
    public void MQTT_4_4_0_1_unacknowledgedPublishIsResentWithDupOnReconnect() throws Exception {
        RawClient sub = subscriber("s8", "q/8", 1, false, persistent());
        try (RawClient pub = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "p8", true)) {
            pub.send(publish("q/8", 1, 1, "again"));
            pub.expect(AckPacket.class);
        }
        PublishPacket first = sub.expect(PublishPacket.class);
        assertFalse(first.dup());
        sub.close();
        try (RawClient back = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "s8", false, 60, persistent(), null)) {
            PublishPacket again = back.expect(PublishPacket.class);
            assertTrue(again.dup());
            assertEquals(first.packetId(), again.packetId());
            assertEquals("again", text(again));
            text(first);
            back.send(AckPacket.pubAck(again.packetId()));
        }
    }

    @Test
    public void MQTT_4_9_0_2_resendOnReconnectRespectsTheNewReceiveMaximum() throws Exception {
        MqttProperties rm10 = MqttProperties.builder().set(PropertyId.SESSION_EXPIRY_INTERVAL, 60L)
                .set(PropertyId.RECEIVE_MAXIMUM, 10).build();
        RawClient sub = subscriber("s8rm", "q/8rm", 1, false, rm10);
        try (RawClient pub = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "p8rm", true)) {
            for (int i = 1; i <= 3; i++) {
                pub.send(publish("q/8rm", 1, i, "m" + i));
                pub.expect(AckPacket.class);
            }
        }
        int[] ids = new int[3];
        for (int i = 0; i < 3; i++) {
            ids[i] = sub.expect(PublishPacket.class).packetId();
        }
        sub.close();
        MqttProperties rm1 = MqttProperties.builder().set(PropertyId.SESSION_EXPIRY_INTERVAL, 60L)
                .set(PropertyId.RECEIVE_MAXIMUM, 1).build();
        try (RawClient back = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "s8rm", false, 60, rm1, null);
             RawClient pub = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "p8rm", true)) {
            pub.send(publish("q/8rm", 1, 4, "m4"));
            pub.expect(AckPacket.class);
            for (int i = 0; i < 3; i++) {
                PublishPacket again = back.expect(PublishPacket.class);
                assertTrue(again.dup());
                assertEquals("original id, original order", ids[i], again.packetId());
                assertEquals("m" + (i + 1), text(again));
                assertNull("more than Receive Maximum 1 unacknowledged", back.poll(200));
                back.send(AckPacket.pubAck(again.packetId()));
            }
            PublishPacket fresh = back.expect(PublishPacket.class);
            assertFalse("the queued message comes after the deferred ones, as a first delivery", fresh.dup());
            assertEquals("m4", text(fresh));
            back.send(AckPacket.pubAck(fresh.packetId()));
        }
    }

    @Test
    public void MQTT_4_4_0_1_pubrelIsResentOnReconnectAfterPubrec() throws Exception {
        RawClient sub = subscriber("s9", "q/9", 2, false, persistent());
        try (RawClient pub = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "p9", true)) {
            pub.send(publish("q/9", 2, 1, "x"));
            pub.expect(AckPacket.class);
        }
        PublishPacket p = sub.expect(PublishPacket.class);
        sub.send(AckPacket.pubRec(p.packetId()));
        assertEquals(PacketType.PUBREL, sub.expect(AckPacket.class).type());
        sub.close();
        try (RawClient back = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "s9", false, 60, persistent(), null)) {
            AckPacket rel = back.expect(AckPacket.class);
            assertEquals(PacketType.PUBREL, rel.type());
            assertEquals(p.packetId(), rel.packetId());
            text(p);
        }
    }

    @Test
    public void offlineQueueDeliversMessagesInOrderOnReconnect() throws Exception {
        subscriber("s10", "q/10", 1, false, persistent()).close();
        try (RawClient pub = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "p10", true)) {
            for (int i = 0; i < 3; i++) {
                pub.send(publish("q/10", i == 1 ? 0 : 1, i + 1, "m" + i));
            }
            pub.expect(AckPacket.class);
            pub.expect(AckPacket.class);
        }
        try (RawClient back = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "s10", false, 60, persistent(), null)) {
            for (int i = 0; i < 3; i++) {
                PublishPacket p = back.expect(PublishPacket.class);
                if (p.qos() > 0) {
                    back.send(AckPacket.pubAck(p.packetId()));
                }
                assertEquals("m" + i, text(p));
            }
        }
    }

    @Test
    public void offlineQueueDropsTheOldestBeyondMaxMqueueLen() throws Exception {
        broker.restart("max_mqueue_len", 2);
        subscriber("s11", "q/11", 1, false, persistent()).close();
        try (RawClient pub = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "p11", true)) {
            for (int i = 0; i < 4; i++) {
                pub.send(publish("q/11", 1, i + 1, "m" + i));
                pub.expect(AckPacket.class);
            }
        }
        try (RawClient back = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "s11", false, 60, persistent(), null)) {
            assertEquals("m2", text(back.expect(PublishPacket.class)));
            assertEquals("m3", text(back.expect(PublishPacket.class)));
            assertNull(back.poll(200));
        }
    }

    @Test
    public void qos0IsNotQueuedOfflineWhenMqueueStoreQos0IsFalse() throws Exception {
        broker.restart("mqueue_store_qos0", false);
        subscriber("s12", "q/12", 1, false, persistent()).close();
        try (RawClient pub = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "p12", true)) {
            pub.send(publish("q/12", 0, 0, "zero"));
            pub.send(publish("q/12", 1, 1, "one"));
            pub.expect(AckPacket.class);
        }
        try (RawClient back = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "s12", false, 60, persistent(), null)) {
            assertEquals("one", text(back.expect(PublishPacket.class)));
        }
    }

    @Test
    public void hivemqV5ClientsExchangeQos2Messages() throws Exception {
        Mqtt5BlockingClient sub = Mqtt5Client.builder().identifier("hsub").serverHost("127.0.0.1")
                .serverPort(broker.port()).buildBlocking();
        sub.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = sub.publishes(MqttGlobalPublishFilter.ALL)) {
            sub.subscribeWith().topicFilter("h/#").qos(MqttQos.EXACTLY_ONCE).send();
            Mqtt5BlockingClient pub = Mqtt5Client.builder().identifier("hpub").serverHost("127.0.0.1")
                    .serverPort(broker.port()).buildBlocking();
            pub.connect();
            for (int i = 0; i < 20; i++) {
                pub.publishWith().topic("h/" + i).qos(MqttQos.EXACTLY_ONCE).payload(("m" + i).getBytes()).send();
            }
            for (int i = 0; i < 20; i++) {
                Optional<Mqtt5Publish> p = publishes.receive(5, TimeUnit.SECONDS);
                assertTrue(p.isPresent());
                assertEquals("m" + i, new String(p.get().getPayloadAsBytes(), StandardCharsets.UTF_8));
                assertEquals(MqttQos.EXACTLY_ONCE, p.get().getQos());
            }
            pub.disconnect();
        }
        sub.disconnect();
    }

    @Test
    public void pahoV311ClientsExchangeQos1AndQos2Messages() throws Exception {
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        MqttClient sub = new MqttClient(broker.uri(), "paho-sub", new MemoryPersistence());
        sub.connect();
        sub.subscribe("paho/#", 2, (topic, msg) -> got.add(topic + "=" + new String(msg.getPayload()) + "@" + msg.getQos()));
        MqttClient pub = new MqttClient(broker.uri(), "paho-pub", new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        pub.connect(o);
        pub.publish("paho/a", new MqttMessage("one".getBytes()) {{ setQos(1); }});
        pub.publish("paho/b", new MqttMessage("two".getBytes()) {{ setQos(2); }});
        assertEquals("paho/a=one@1", got.poll(5, TimeUnit.SECONDS));
        assertEquals("paho/b=two@2", got.poll(5, TimeUnit.SECONDS));
        pub.disconnect();
        sub.disconnect();
        pub.close();
        sub.close();
        assertEquals(List.of(), List.copyOf(got));
    }

    @Test
    public void v311UnacknowledgedPublishIsRetriedWithDupAfterRetryInterval() throws Exception {
        broker.restart("retry_interval", 300);
        try (RawClient sub = RawClient.connect(broker.port(), MqttVersion.MQTT_3_1_1, "retry", true);
             RawClient pub = RawClient.connect(broker.port(), MqttVersion.MQTT_3_1_1, "retryp", true)) {
            sub.send(subscribe(1, "rt", 1));
            sub.expect(SubAckPacket.class);
            pub.send(publish("rt", 1, 1, "again"));
            PublishPacket first = sub.expect(PublishPacket.class);
            PublishPacket retry = sub.expect(PublishPacket.class);
            assertTrue(retry.dup());
            assertEquals(first.packetId(), retry.packetId());
            sub.send(AckPacket.pubAck(retry.packetId()));
            assertNull(sub.poll(700));
        }
    }

    @Test
    public void v5UnacknowledgedPublishIsNotRetriedWhileConnected() throws Exception {
        broker.restart("retry_interval", 200);
        try (RawClient sub = subscriber("noretry", "nrt", 1);
             RawClient pub = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "noretryp", true)) {
            pub.send(publish("nrt", 1, 1, "once"));
            sub.expect(PublishPacket.class);
            assertNull(sub.poll(600));
        }
    }

    @Test
    public void awaitRelTimeoutForgetsQos2IdsThatNeverGetPubrel() throws Exception {
        broker.restart("max_awaiting_rel", 1);
        broker.restart("await_rel_timeout", 300);
        try (RawClient pub = RawClient.connect(broker.port(), MqttVersion.MQTT_3_1_1, "norel", true)) {
            pub.send(publish("ar", 2, 1, "a"));
            pub.expect(AckPacket.class);
            long sent = System.currentTimeMillis();
            await().pollDelay(Duration.ofMillis(350)).until(() -> System.currentTimeMillis() - sent >= 350);
            pub.send(publish("ar", 2, 2, "b"));
            assertEquals(PacketType.PUBREC, pub.expect(AckPacket.class).type());
            assertTrue(pub.isOpen());
        }
    }
}

package io.aviary.broker;

import static io.aviary.broker.testing.Packets.publish;
import static io.aviary.broker.testing.Packets.subscribe;
import static io.aviary.broker.testing.Packets.text;
import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PayloadFormatIndicator;
import io.aviary.broker.testing.RawClient;
import io.aviary.broker.testing.TestBroker;
import io.aviary.mqtt.codec.AckPacket;
import io.aviary.mqtt.codec.DisconnectPacket;
import io.aviary.mqtt.codec.MqttProperties;
import io.aviary.mqtt.codec.MqttVersion;
import io.aviary.mqtt.codec.PropertyId;
import io.aviary.mqtt.codec.PublishPacket;
import io.aviary.mqtt.codec.ReasonCode;
import io.aviary.mqtt.codec.SubAckPacket;
import io.aviary.mqtt.codec.Subscription;
import io.aviary.mqtt.codec.UnsubAckPacket;
import io.aviary.mqtt.codec.UnsubscribePacket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.Rule;
import org.junit.Test;

/** MQTT 5 features: No Local, subscription identifiers, topic aliases, expiry, packet size, pass-through properties. */
public class Mqtt5FeaturesTest {

    @Rule
    public final TestBroker broker = new TestBroker();

    private RawClient client(String id) throws InterruptedException {
        return RawClient.connect(broker.port(), MqttVersion.MQTT_5, id, true);
    }

    private static void sub(RawClient c, int packetId, Subscription s, MqttProperties props) throws InterruptedException {
        c.send(io.aviary.broker.testing.Packets.subscribe(packetId, s, props));
        c.expect(SubAckPacket.class);
    }

    @Test
    public void MQTT_3_8_3_3_noLocalSuppressesTheClientsOwnMessages() throws Exception {
        try (RawClient self = client("nl1"); RawClient other = client("nl2")) {
            sub(self, 1, new Subscription("nl/t", 0, true, false, 0), MqttProperties.EMPTY);
            sub(other, 1, new Subscription("nl/t", 0), MqttProperties.EMPTY);
            self.send(publish("nl/t", 0, 0, "mine"));
            assertEquals("mine", text(other.expect(PublishPacket.class)));
            assertNull(self.poll(200));
        }
    }

    @Test
    public void MQTT_3_3_4_2_overlappingSubscriptionsGiveOneCopyWithAllIdentifiersAtHighestQos() throws Exception {
        try (RawClient c = client("ov"); RawClient pub = client("ovp")) {
            sub(c, 1, new Subscription("ov/+", 0),
                    MqttProperties.builder().subscriptionIdentifier(11).build());
            sub(c, 2, new Subscription("ov/#", 1),
                    MqttProperties.builder().subscriptionIdentifier(22).build());
            pub.send(publish("ov/x", 1, 1, "both"));
            pub.expect(AckPacket.class);
            PublishPacket p = c.expect(PublishPacket.class);
            assertEquals(1, p.qos());
            assertEquals(List.of(11, 22), p.properties().subscriptionIdentifiers().stream().sorted().toList());
            assertEquals("both", text(p));
            c.send(AckPacket.pubAck(p.packetId()));
            assertNull(c.poll(200));
        }
    }

    @Test
    public void MQTT_3_3_2_12_inboundTopicAliasIsResolved() throws Exception {
        try (RawClient c = client("alias"); RawClient watcher = client("aw")) {
            sub(watcher, 1, new Subscription("alias/long/topic", 0), MqttProperties.EMPTY);
            MqttProperties alias = MqttProperties.builder().set(PropertyId.TOPIC_ALIAS, 1).build();
            c.send(publish("alias/long/topic", 0, 0, "first", false, alias));
            c.send(publish("", 0, 0, "second", false, alias));
            PublishPacket a = watcher.expect(PublishPacket.class);
            PublishPacket b = watcher.expect(PublishPacket.class);
            assertEquals("alias/long/topic", b.topic());
            assertNull("topic alias leaked to the subscriber", b.properties().topicAlias());
            assertEquals("first", text(a));
            assertEquals("second", text(b));
        }
    }

    @Test
    public void MQTT_3_3_2_9_topicAliasAboveTheMaximumIsDisconnect0x94() throws Exception {
        broker.restart("max_topic_alias", 2);
        try (RawClient c = client("alias2")) {
            c.send(publish("t", 0, 0, "x", false, MqttProperties.builder().set(PropertyId.TOPIC_ALIAS, 3).build()));
            assertEquals(ReasonCode.TOPIC_ALIAS_INVALID, c.expect(DisconnectPacket.class).reasonCode());
            assertTrue(c.awaitClosed(5000));
        }
    }

    @Test
    public void unknownTopicAliasIsProtocolError() throws Exception {
        try (RawClient c = client("alias3")) {
            c.send(publish("", 0, 0, "x", false, MqttProperties.builder().set(PropertyId.TOPIC_ALIAS, 1).build()));
            assertEquals(ReasonCode.PROTOCOL_ERROR, c.expect(DisconnectPacket.class).reasonCode());
        }
    }

    @Test
    public void MQTT_3_3_2_6_messageExpiryIsDecrementedAndExpiredMessagesAreDropped() throws Exception {
        MqttProperties persistent = MqttProperties.builder().set(PropertyId.SESSION_EXPIRY_INTERVAL, 60L).build();
        RawClient s = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "exp", false, 60, persistent, null);
        sub(s, 1, new Subscription("exp/t", 1), MqttProperties.EMPTY);
        s.close();
        try (RawClient pub = client("expp")) {
            pub.send(publish("exp/t", 1, 1, "short", false,
                    MqttProperties.builder().set(PropertyId.MESSAGE_EXPIRY_INTERVAL, 1L).build()));
            pub.send(publish("exp/t", 1, 2, "long", false,
                    MqttProperties.builder().set(PropertyId.MESSAGE_EXPIRY_INTERVAL, 10L).build()));
            pub.expect(AckPacket.class);
            pub.expect(AckPacket.class);
        }
        long published = System.currentTimeMillis();
        await().pollDelay(Duration.ofMillis(1100)).until(() -> System.currentTimeMillis() - published >= 1100);
        try (RawClient back = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "exp", false, 60, persistent, null)) {
            PublishPacket p = back.expect(PublishPacket.class);
            assertTrue("expiry " + p.properties().messageExpiryInterval(), p.properties().messageExpiryInterval() <= 9);
            assertEquals("long", text(p));
            assertNull(back.poll(200));
        }
    }

    @Test
    public void MQTT_3_1_2_25_messageLargerThanTheClientsMaximumPacketSizeIsSkipped() throws Exception {
        MqttProperties small = MqttProperties.builder().set(PropertyId.MAXIMUM_PACKET_SIZE, 64L).build();
        try (RawClient c = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "small", true, 60, small, null);
             RawClient pub = client("bigpub")) {
            sub(c, 1, new Subscription("size/t", 0), MqttProperties.EMPTY);
            pub.send(publish("size/t", 0, 0, "x".repeat(200)));
            pub.send(publish("size/t", 0, 0, "ok"));
            assertEquals("ok", text(c.expect(PublishPacket.class)));
        }
    }

    @Test
    public void packetLargerThanTheServersMaximumIsDisconnect0x95() throws Exception {
        broker.restart("max_packet_size", 128);
        try (RawClient c = client("toolarge")) {
            c.send(publish("t", 0, 0, "x".repeat(300)));
            assertEquals(ReasonCode.PACKET_TOO_LARGE, c.expect(DisconnectPacket.class).reasonCode());
            assertTrue(c.awaitClosed(5000));
        }
        assertEquals(1, broker.core().counters().packetsTooLarge.sum());
    }

    @Test
    public void MQTT_3_3_1_4_qosAboveMaximumQosIsDisconnect0x9B() throws Exception {
        broker.restart("max_qos_allowed", 1);
        try (RawClient c = client("qos2")) {
            c.send(publish("t", 2, 1, "x"));
            assertEquals(ReasonCode.QOS_NOT_SUPPORTED, c.expect(DisconnectPacket.class).reasonCode());
        }
    }

    @Test
    public void MQTT_3_2_2_14_retainWhenNotAvailableIsDisconnect0x9A() throws Exception {
        broker.restart("retain_available", false);
        try (RawClient c = client("ret")) {
            c.send(publish("t", 0, 0, "x", true, MqttProperties.EMPTY));
            assertEquals(ReasonCode.RETAIN_NOT_SUPPORTED, c.expect(DisconnectPacket.class).reasonCode());
        }
    }

    @Test
    public void wildcardAndSharedSubscriptionsAreRefusedWhenDisabled() throws Exception {
        broker.restart("wildcard_subscription", false);
        broker.restart("shared_subscription", false);
        try (RawClient c = client("nowild")) {
            c.send(new io.aviary.mqtt.codec.SubscribePacket(1, List.of(new Subscription("a/+", 0),
                    new Subscription("$share/g/a", 0), new Subscription("a/b", 1)), MqttProperties.EMPTY));
            assertEquals(List.of(ReasonCode.WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED,
                    ReasonCode.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED, 1), c.expect(SubAckPacket.class).reasonCodes());
        }
    }

    @Test
    public void MQTT_3_8_3_4_noLocalOnASharedSubscriptionIsProtocolError() throws Exception {
        try (RawClient c = client("nlshare")) {
            c.send(subscribe(1, new Subscription("$share/g/t", 0, true, false, 0), MqttProperties.EMPTY));
            assertEquals(ReasonCode.PROTOCOL_ERROR, c.expect(DisconnectPacket.class).reasonCode());
        }
    }

    @Test
    public void MQTT_3_11_3_unsubscribingAnUnknownFilterGets0x11() throws Exception {
        try (RawClient c = client("unsub")) {
            sub(c, 1, new Subscription("u/a", 0), MqttProperties.EMPTY);
            c.send(new UnsubscribePacket(2, List.of("u/a", "u/b"), MqttProperties.EMPTY));
            assertEquals(List.of(0, ReasonCode.NO_SUBSCRIPTION_EXISTED), c.expect(UnsubAckPacket.class).reasonCodes());
        }
    }

    @Test
    public void MQTT_3_3_2_15_requestResponseAndUserPropertiesPassThroughUnchanged() throws Exception {
        Mqtt5BlockingClient sub = Mqtt5Client.builder().identifier("pt-sub").serverHost("127.0.0.1")
                .serverPort(broker.port()).buildBlocking();
        sub.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = sub.publishes(MqttGlobalPublishFilter.ALL)) {
            sub.subscribeWith().topicFilter("req/+").qos(MqttQos.AT_LEAST_ONCE).send();
            Mqtt5BlockingClient pub = Mqtt5Client.builder().identifier("pt-pub").serverHost("127.0.0.1")
                    .serverPort(broker.port()).buildBlocking();
            pub.connect();
            pub.publishWith().topic("req/1").qos(MqttQos.AT_LEAST_ONCE).payload("{}".getBytes())
                    .responseTopic("resp/1").correlationData("corr".getBytes()).contentType("application/json")
                    .payloadFormatIndicator(Mqtt5PayloadFormatIndicator.UTF_8)
                    .userProperties().add("k1", "v1").add("k1", "v2").add("k2", "v3").applyUserProperties()
                    .send();
            Optional<Mqtt5Publish> got = publishes.receive(5, TimeUnit.SECONDS);
            assertTrue(got.isPresent());
            Mqtt5Publish p = got.get();
            assertEquals("resp/1", p.getResponseTopic().get().toString());
            assertArrayEquals("corr".getBytes(), bytes(p.getCorrelationData().get()));
            assertEquals("application/json", p.getContentType().get().toString());
            assertEquals(Mqtt5PayloadFormatIndicator.UTF_8, p.getPayloadFormatIndicator().get());
            assertEquals("[(k1, v1), (k1, v2), (k2, v3)]", p.getUserProperties().asList().stream()
                    .map(u -> "(" + u.getName() + ", " + u.getValue() + ")").toList().toString());
            pub.disconnect();
        }
        sub.disconnect();
    }

    private static byte[] bytes(java.nio.ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    @Test
    public void qos1PublishWithoutSubscribersIsAcknowledgedWith0x10() throws Exception {
        try (RawClient c = client("nosubs")) {
            c.send(publish("nobody/here", 1, 1, "x"));
            assertEquals(ReasonCode.NO_MATCHING_SUBSCRIBERS, c.expect(AckPacket.class).reasonCode());
        }
    }
}

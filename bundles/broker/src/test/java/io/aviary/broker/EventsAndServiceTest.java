package io.aviary.broker;

import static io.aviary.broker.testing.Packets.publish;
import static io.aviary.broker.testing.Packets.subscribe;
import static io.aviary.broker.testing.Packets.text;
import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.aviary.api.broker.ClientSnapshot;
import io.aviary.api.broker.PublishResult;
import io.aviary.api.broker.SubscriptionOptions;
import io.aviary.api.client.ClientInfo;
import io.aviary.api.events.BrokerEvents;
import io.aviary.api.events.DropReason;
import io.aviary.api.message.Message;
import io.aviary.broker.testing.RawClient;
import io.aviary.broker.testing.TestBroker;
import io.aviary.mqtt.codec.AckPacket;
import io.aviary.mqtt.codec.DisconnectPacket;
import io.aviary.mqtt.codec.MqttVersion;
import io.aviary.mqtt.codec.PublishPacket;
import io.aviary.mqtt.codec.ReasonCode;
import io.aviary.mqtt.codec.SubAckPacket;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.Rule;
import org.junit.Test;

/** BrokerEvents dispatch to registered listeners, and the Broker service (publish, subscribe, kick, queries). */
public class EventsAndServiceTest {

    @Rule
    public final TestBroker broker = new TestBroker();

    private final Queue<String> events = new ConcurrentLinkedQueue<>();

    private final BrokerEvents recorder = new BrokerEvents() {
        @Override
        public void clientConnected(ClientInfo c, boolean cleanStart, int keepAlive, long expiry) {
            events.add("connected:" + c.clientId());
        }

        @Override
        public void clientDisconnected(ClientInfo c, String reason) {
            events.add("disconnected:" + c.clientId() + ":" + reason);
        }

        @Override
        public void clientConnack(ClientInfo c, int code) {
            events.add("connack:" + c.clientId() + ":" + code);
        }

        @Override
        public void sessionSubscribed(ClientInfo c, String filter, SubscriptionOptions o) {
            events.add("subscribed:" + c.clientId() + ":" + filter);
        }

        @Override
        public void messagePublish(ClientInfo p, Message m) {
            events.add("publish:" + m.topic() + ":" + new String(m.payloadBytes()));
        }

        @Override
        public void messageDelivered(ClientInfo s, Message m) {
            events.add("delivered:" + s.clientId() + ":" + m.topic());
        }

        @Override
        public void messageAcked(ClientInfo s, Message m) {
            events.add("acked:" + s.clientId() + ":" + m.topic());
        }

        @Override
        public void messageDropped(Message m, DropReason r) {
            events.add("dropped:" + m.topic() + ":" + r);
        }
    };

    @Test
    public void listenersSeeTheLifecycleOfClientsAndMessages() throws Exception {
        broker.events().add(recorder);
        try (RawClient c = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "ev", true)) {
            c.send(subscribe(1, "ev/t", 1));
            c.expect(SubAckPacket.class);
            c.send(publish("ev/t", 1, 1, "hi"));
            // the copy to itself and the PUBACK may come in either order
            Object first = c.expect(Object.class);
            Object second = c.expect(Object.class);
            PublishPacket p = (PublishPacket) (first instanceof PublishPacket ? first : second);
            assertTrue((first instanceof AckPacket ? first : second) instanceof AckPacket);
            c.send(AckPacket.pubAck(p.packetId()));
            text(p);
            c.send(publish("nobody", 0, 0, "lost"));
            c.send(DisconnectPacket.NORMAL);
            assertTrue(c.awaitClosed(5000));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("disconnected:ev:normal"));
        assertEquals(List.of("connack:ev:0", "connected:ev", "subscribed:ev:ev/t", "publish:ev/t:hi",
                "delivered:ev:ev/t", "acked:ev:ev/t", "publish:nobody:lost", "dropped:nobody:NO_SUBSCRIBERS",
                "disconnected:ev:normal"), List.copyOf(events));
    }

    @Test
    public void removedListenerIsNotCalled() throws Exception {
        broker.events().add(recorder);
        broker.events().remove(recorder);
        assertFalse(broker.events().active());
        RawClient.connect(broker.port(), MqttVersion.MQTT_5, "quiet", true).close();
        assertTrue(events.isEmpty());
    }

    @Test
    public void servicePublishReachesSubscribersAndReportsTheCount() throws Exception {
        try (RawClient c = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "svc", true)) {
            c.send(subscribe(1, "svc/#", 0));
            c.expect(SubAckPacket.class);
            PublishResult r = broker.broker().service().publish(Message.of("default", "svc/a", "api".getBytes(), 0, false));
            assertEquals(1, r.subscribers());
            assertEquals("api", text(c.expect(PublishPacket.class)));
            assertEquals(0, broker.broker().service().publish(Message.of("acme", "svc/a", "x".getBytes(), 0, false))
                    .subscribers());
        }
    }

    @Test
    public void serviceSubscribesOnBehalfAndListsSubscriptions() throws Exception {
        try (RawClient c = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "behalf", true)) {
            assertTrue(broker.broker().service().subscribe("default", "behalf", "b/+", SubscriptionOptions.qos(0)));
            assertFalse(broker.broker().service().subscribe("default", "nobody", "b/+", SubscriptionOptions.qos(0)));
            assertEquals("b/+", broker.broker().service().subscriptions("default", "behalf").get(0).topicFilter());
            broker.broker().service().publish(Message.of("default", "b/1", "x".getBytes(), 0, false));
            assertEquals("b/1", c.expect(PublishPacket.class).topic());
            assertTrue(broker.broker().service().unsubscribe("default", "behalf", "b/+"));
            assertTrue(broker.broker().service().subscriptions("default").isEmpty());
        }
    }

    @Test
    public void kickSendsDisconnect0x98AndDiscardsTheSession() throws Exception {
        try (RawClient c = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "victim", false)) {
            ClientSnapshot s = broker.broker().service().client("default", "victim").orElseThrow();
            assertTrue(s.connected());
            assertTrue(broker.broker().service().kick("default", "victim"));
            assertEquals(ReasonCode.ADMINISTRATIVE_ACTION, c.expect(DisconnectPacket.class).reasonCode());
            assertTrue(c.awaitClosed(5000));
        }
        assertFalse(broker.broker().service().client("default", "victim").isPresent());
        assertFalse(broker.broker().service().kick("default", "victim"));
    }

    @Test
    public void servicePublishRejectsAnInvalidTopic() {
        try {
            broker.broker().service().publish(Message.of("default", "a/+", "x".getBytes(), 0, false));
            throw new AssertionError("accepted a wildcard topic");
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage().contains("a/+"));
        }
    }

    @Test
    public void subscriptionOnBehalfGetsRetainedMessages() throws Exception {
        broker.broker().service().publish(Message.of("default", "kept/1", "r".getBytes(), 1, true));
        try (RawClient c = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "behalf2", true)) {
            assertTrue(broker.broker().service().subscribe("default", "behalf2", "kept/#", SubscriptionOptions.qos(1)));
            PublishPacket p = c.expect(PublishPacket.class);
            assertTrue(p.isRetain());
            assertEquals("r", text(p));
        }
    }
}

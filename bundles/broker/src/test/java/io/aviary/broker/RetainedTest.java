package io.aviary.broker;

import static io.aviary.broker.testing.Packets.publish;
import static io.aviary.broker.testing.Packets.text;
import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.aviary.broker.testing.RawClient;
import io.aviary.broker.testing.TestBroker;
import io.aviary.mqtt.codec.AckPacket;
import io.aviary.mqtt.codec.MqttProperties;
import io.aviary.mqtt.codec.MqttVersion;
import io.aviary.mqtt.codec.PropertyId;
import io.aviary.mqtt.codec.PublishPacket;
import io.aviary.mqtt.codec.SubAckPacket;
import io.aviary.mqtt.codec.Subscription;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.Rule;
import org.junit.Test;

/** Retained messages: store, replace, clear, delivery on subscribe, Retain Handling, Retain As Published, expiry. */
public class RetainedTest {

    @Rule
    public final TestBroker broker = new TestBroker();

    private void retain(String topic, String payload, MqttProperties props) throws InterruptedException {
        try (RawClient pub = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "rpub", true)) {
            pub.send(publish(topic, 1, 1, payload, true, props));
            pub.expect(AckPacket.class);
        }
    }

    private RawClient subscribe(String id, Subscription s) throws InterruptedException {
        RawClient c = RawClient.connect(broker.port(), MqttVersion.MQTT_5, id, true);
        c.send(io.aviary.broker.testing.Packets.subscribe(1, s, MqttProperties.EMPTY));
        c.expect(SubAckPacket.class);
        return c;
    }

    @Test
    public void MQTT_3_3_1_6_retainedMessageIsSentOnSubscribeWithRetainSet() throws Exception {
        retain("r/a", "kept", MqttProperties.EMPTY);
        try (RawClient c = subscribe("r1", new Subscription("r/+", 1))) {
            PublishPacket p = c.expect(PublishPacket.class);
            assertTrue(p.isRetain());
            assertEquals("r/a", p.topic());
            assertEquals("kept", text(p));
        }
    }

    @Test
    public void MQTT_3_3_1_5_newRetainedMessageReplacesTheOld() throws Exception {
        retain("r/b", "old", MqttProperties.EMPTY);
        retain("r/b", "new", MqttProperties.EMPTY);
        try (RawClient c = subscribe("r2", new Subscription("r/b", 0))) {
            assertEquals("new", text(c.expect(PublishPacket.class)));
            assertNull(c.poll(200));
        }
    }

    @Test
    public void MQTT_3_3_1_10_emptyRetainedPayloadClearsTheTopic() throws Exception {
        retain("r/c", "x", MqttProperties.EMPTY);
        retain("r/c", "", MqttProperties.EMPTY);
        assertEquals(0, broker.core().retained().size("default"));
        try (RawClient c = subscribe("r3", new Subscription("r/#", 0))) {
            assertNull(c.poll(200));
        }
    }

    @Test
    public void MQTT_3_3_1_10_retainHandling1SendsOnlyForANewSubscription() throws Exception {
        retain("r/d", "x", MqttProperties.EMPTY);
        try (RawClient c = subscribe("r4", new Subscription("r/d", 0, false, false, 1))) {
            text(c.expect(PublishPacket.class));
            c.send(io.aviary.broker.testing.Packets.subscribe(2, new Subscription("r/d", 0, false, false, 1),
                    MqttProperties.EMPTY));
            c.expect(SubAckPacket.class);
            assertNull(c.poll(200));
        }
    }

    @Test
    public void MQTT_3_3_1_11_retainHandling2SendsNothing() throws Exception {
        retain("r/e", "x", MqttProperties.EMPTY);
        try (RawClient c = subscribe("r5", new Subscription("r/e", 0, false, false, 2))) {
            assertNull(c.poll(200));
        }
    }

    @Test
    public void MQTT_3_3_1_12_retainFlagIsClearedOnForwardWithoutRetainAsPublished() throws Exception {
        try (RawClient plain = subscribe("r6", new Subscription("r/f", 0));
             RawClient rap = subscribe("r7", new Subscription("r/f", 0, false, true, 0))) {
            retain("r/f", "live", MqttProperties.EMPTY);
            PublishPacket a = plain.expect(PublishPacket.class);
            PublishPacket b = rap.expect(PublishPacket.class);
            assertFalse(a.isRetain());
            assertTrue(b.isRetain());
            text(a);
            text(b);
        }
    }

    @Test
    public void MQTT_3_3_2_5_expiredRetainedMessageIsNotDelivered() throws Exception {
        retain("r/g", "short", MqttProperties.builder().set(PropertyId.MESSAGE_EXPIRY_INTERVAL, 1L).build());
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() -> {
            int[] n = {0};
            broker.core().retained().match("default", "r/g", m -> {
                n[0]++;
                m.release();
            });
            return n[0] == 0;
        });
        try (RawClient c = subscribe("r8", new Subscription("r/g", 0))) {
            assertNull(c.poll(200));
        }
    }

    @Test
    public void retainedMessageCarriesTheRemainingExpiryInterval() throws Exception {
        retain("r/h", "ttl", MqttProperties.builder().set(PropertyId.MESSAGE_EXPIRY_INTERVAL, 100L).build());
        try (RawClient c = subscribe("r9", new Subscription("r/h", 0))) {
            PublishPacket p = c.expect(PublishPacket.class);
            long left = p.properties().messageExpiryInterval();
            assertTrue("remaining " + left, left <= 100 && left >= 98);
            text(p);
        }
    }

    @Test
    public void sharedSubscriptionsGetNoRetainedMessages() throws Exception {
        retain("r/i", "x", MqttProperties.EMPTY);
        try (RawClient c = subscribe("r10", new Subscription("$share/g/r/i", 0))) {
            assertNull(c.poll(200));
        }
    }

    @Test
    public void pahoV311SubscriberReceivesRetainedMessage() throws Exception {
        retain("r/paho", "hello", MqttProperties.EMPTY);
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        MqttClient c = new MqttClient(broker.uri(), "paho-r", new MemoryPersistence());
        c.connect();
        c.subscribe("r/paho", 1, (t, m) -> got.add(new String(m.getPayload()) + ":" + m.isRetained()));
        assertEquals("hello:true", got.poll(5, TimeUnit.SECONDS));
        c.disconnect();
        c.close();
    }

    @Test
    public void retainedMessagesAreNotStoredWhenRetainerIsDisabled() throws Exception {
        broker.restart("retainer_enable", false);
        retain("r/j", "x", MqttProperties.EMPTY);
        assertEquals(0, broker.core().retained().size("default"));
    }
}

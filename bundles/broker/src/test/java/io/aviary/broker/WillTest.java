package io.aviary.broker;

import static io.aviary.broker.testing.Packets.subscribe;
import static io.aviary.broker.testing.Packets.text;
import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.aviary.broker.testing.RawClient;
import io.aviary.broker.testing.TestBroker;
import io.aviary.mqtt.codec.DisconnectPacket;
import io.aviary.mqtt.codec.MqttProperties;
import io.aviary.mqtt.codec.MqttVersion;
import io.aviary.mqtt.codec.PropertyId;
import io.aviary.mqtt.codec.PublishPacket;
import io.aviary.mqtt.codec.ReasonCode;
import io.aviary.mqtt.codec.SubAckPacket;
import io.aviary.mqtt.codec.Will;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.Rule;
import org.junit.Test;

/** Will messages: published on abnormal disconnect, after Will Delay or session end, never after DISCONNECT 0x00. */
public class WillTest {

    @Rule
    public final TestBroker broker = new TestBroker();

    private RawClient watcher() throws InterruptedException {
        RawClient w = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "watcher", true);
        w.send(subscribe(1, "will/#", 1));
        w.expect(SubAckPacket.class);
        return w;
    }

    private static Will will(String topic, long delay) {
        MqttProperties p = delay == 0 ? MqttProperties.EMPTY
                : MqttProperties.builder().set(PropertyId.WILL_DELAY_INTERVAL, delay).build();
        return new Will(topic, "gone".getBytes(StandardCharsets.UTF_8), 1, false, p);
    }

    private static MqttProperties expiry(long seconds) {
        return MqttProperties.builder().set(PropertyId.SESSION_EXPIRY_INTERVAL, seconds).build();
    }

    @Test
    public void MQTT_3_1_2_8_willIsPublishedWhenTheConnectionDropsWithoutDisconnect() throws Exception {
        try (RawClient w = watcher()) {
            RawClient c = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "dies", true, 60, MqttProperties.EMPTY,
                    will("will/dies", 0));
            c.close();
            PublishPacket p = w.expect(PublishPacket.class);
            assertEquals("will/dies", p.topic());
            assertEquals("gone", text(p));
        }
    }

    @Test
    public void MQTT_3_1_2_10_willIsDiscardedAfterDisconnect0x00() throws Exception {
        try (RawClient w = watcher()) {
            RawClient c = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "polite", true, 60, MqttProperties.EMPTY,
                    will("will/polite", 0));
            c.send(DisconnectPacket.NORMAL);
            assertTrue(c.awaitClosed(5000));
            assertNull(w.poll(300));
            c.close();
        }
    }

    @Test
    public void MQTT_3_14_2_willIsPublishedAfterDisconnect0x04() throws Exception {
        try (RawClient w = watcher()) {
            RawClient c = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "withwill", true, 60,
                    MqttProperties.EMPTY, will("will/04", 0));
            c.send(DisconnectPacket.of(ReasonCode.DISCONNECT_WITH_WILL));
            assertEquals("will/04", w.expect(PublishPacket.class).topic());
            c.close();
        }
    }

    @Test
    public void MQTT_3_1_3_9_willIsPublishedAfterTheWillDelayInterval() throws Exception {
        try (RawClient w = watcher()) {
            RawClient c = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "delayed", false, 60, expiry(60),
                    will("will/delayed", 1));
            long start = System.nanoTime();
            c.close();
            PublishPacket p = w.expect(PublishPacket.class);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals("will/delayed", p.topic());
            assertTrue("after " + ms + " ms", ms >= 900);
            text(p);
        }
    }

    @Test
    public void MQTT_3_1_3_9_willIsNotPublishedWhenTheClientReconnectsWithinTheDelay() throws Exception {
        try (RawClient w = watcher()) {
            RawClient c = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "back", false, 60, expiry(60),
                    will("will/back", 2));
            c.close();
            try (RawClient again = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "back", false, 60, expiry(60),
                    null)) {
                assertNull(w.poll(2500));
                assertTrue(again.isOpen());
            }
        }
    }

    @Test
    public void MQTT_3_1_2_8_willIsPublishedWhenTheSessionEndsBeforeTheWillDelay() throws Exception {
        try (RawClient w = watcher()) {
            RawClient c = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "shortsession", false, 60, expiry(1),
                    will("will/short", 100));
            c.close();
            assertEquals("will/short", w.expect(PublishPacket.class).topic());
        }
    }

    @Test
    public void v311WillIsPublishedByPahoWhenTheConnectionIsLost() throws Exception {
        try (RawClient w = watcher()) {
            MqttClient c = new MqttClient(broker.uri(), "paho-will", new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            o.setWill("will/paho", "bye".getBytes(), 1, false);
            c.connect(o);
            c.disconnectForcibly(100, 100, false);
            PublishPacket p = w.expect(PublishPacket.class);
            assertEquals("will/paho", p.topic());
            assertEquals("bye", text(p));
            c.close();
        }
    }

    @Test
    public void MQTT_3_1_3_9_cleanStartOnAnOfflineSessionPublishesItsPendingWillNow() throws Exception {
        try (RawClient w = watcher()) {
            RawClient.connect(broker.port(), MqttVersion.MQTT_5, "restart", false, 60, expiry(60),
                    will("will/restart", 100)).close();
            await().atMost(Duration.ofSeconds(5)).until(() -> broker.broker().service().client("default", "restart")
                    .map(s -> !s.connected()).orElse(false));
            try (RawClient again = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "restart", true)) {
                assertEquals("will/restart", w.expect(PublishPacket.class).topic());
                assertTrue(again.isOpen());
            }
        }
    }

    @Test
    public void MQTT_3_1_4_3_takeoverPublishesTheOldConnectionsWillWithoutDelay() throws Exception {
        try (RawClient w = watcher()) {
            RawClient old = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "taken", true, 60, MqttProperties.EMPTY,
                    will("will/taken", 0));
            try (RawClient fresh = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "taken", true)) {
                assertEquals("will/taken", w.expect(PublishPacket.class).topic());
                assertTrue(old.awaitClosed(5000));
                assertNull(w.poll(200));
                assertTrue(fresh.isOpen());
            }
            old.close();
        }
    }
}

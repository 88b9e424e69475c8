package io.aviary.broker;

import static io.aviary.broker.testing.Packets.subscribe;
import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.aviary.broker.testing.RawClient;
import io.aviary.broker.testing.TestBroker;
import io.aviary.mqtt.codec.ConnAckPacket;
import io.aviary.mqtt.codec.ConnectPacket;
import io.aviary.mqtt.codec.DisconnectPacket;
import io.aviary.mqtt.codec.MqttProperties;
import io.aviary.mqtt.codec.MqttVersion;
import io.aviary.mqtt.codec.PropertyId;
import io.aviary.mqtt.codec.ReasonCode;
import io.aviary.mqtt.codec.SubAckPacket;
import java.time.Duration;
import org.junit.Rule;
import org.junit.Test;

/** Session Expiry Interval: 0 ends at disconnect, N seconds later, 0xFFFFFFFF never; v3 uses session_expiry_interval. */
public class SessionExpiryTest {

    @Rule
    public final TestBroker broker = new TestBroker().with("session_expiry_interval", 1000L);

    private boolean exists(String id) {
        return broker.broker().service().client("default", id).isPresent();
    }

    private static MqttProperties expiry(long s) {
        return MqttProperties.builder().set(PropertyId.SESSION_EXPIRY_INTERVAL, s).build();
    }

    @Test
    public void MQTT_3_1_2_11_sessionWithExpiryZeroEndsWhenTheConnectionCloses() throws Exception {
        RawClient c = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "e0", false);
        assertTrue(exists("e0"));
        c.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> !exists("e0"));
    }

    @Test
    public void MQTT_3_1_2_23_sessionExpiresAfterItsInterval() throws Exception {
        RawClient c = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "e1", false, 60, expiry(1), null);
        c.send(subscribe(1, "x", 1));
        c.expect(SubAckPacket.class);
        c.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> broker.broker().service().client("default", "e1")
                .map(s -> !s.connected()).orElse(false));
        await().atLeast(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> !exists("e1"));
        assertTrue(broker.broker().service().subscriptions("default").isEmpty());
    }

    @Test
    public void sessionWithMaximumExpiryIsKept() throws Exception {
        RawClient c = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "forever", false, 60, expiry(0xFFFFFFFFL), null);
        c.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> broker.broker().service().client("default", "forever")
                .map(s -> !s.connected()).orElse(false));
        assertEquals(0xFFFFFFFFL, broker.broker().service().client("default", "forever").get().expiryInterval());
    }

    @Test
    public void v311PersistentSessionUsesTheConfiguredSessionExpiryInterval() throws Exception {
        RawClient c = RawClient.connect(broker.port(), MqttVersion.MQTT_3_1_1, "v3keep", false);
        c.close();
        assertEquals(1, broker.broker().service().client("default", "v3keep").get().expiryInterval());
        await().atMost(Duration.ofSeconds(5)).until(() -> !exists("v3keep"));
    }

    @Test
    public void MQTT_3_14_2_2_disconnectMaySetExpiryWhenConnectHadNonZero() throws Exception {
        RawClient c = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "ext", false, 60, expiry(1), null);
        c.send(new DisconnectPacket(0, expiry(3600)));
        assertTrue(c.awaitClosed(5000));
        await().atMost(Duration.ofSeconds(5)).until(() -> broker.broker().service().client("default", "ext")
                .map(s -> !s.connected() && s.expiryInterval() == 3600).orElse(false));
        c.close();
    }

    @Test
    public void MQTT_3_14_2_2_disconnectSettingExpiryAfterZeroIsProtocolError() throws Exception {
        try (RawClient c = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "bad", true)) {
            c.send(new DisconnectPacket(0, expiry(60)));
            assertEquals(ReasonCode.PROTOCOL_ERROR, c.expect(DisconnectPacket.class).reasonCode());
            assertTrue(c.awaitClosed(5000));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> !exists("bad"));
        assertTrue(broker.core().counters().packetsProtocolError.sum() >= 1);
    }

    @Test
    public void sessionPresentIsFalseAfterExpiry() throws Exception {
        RawClient.connect(broker.port(), MqttVersion.MQTT_5, "gone", false, 60, expiry(1), null).close();
        await().atMost(Duration.ofSeconds(5)).until(() -> broker.broker().service().client("default", "gone")
                .map(s -> !s.connected()).orElse(false));
        await().atMost(Duration.ofSeconds(5)).until(() -> !exists("gone"));
        try (RawClient c = RawClient.open(broker.port(), MqttVersion.MQTT_5)) {
            ConnAckPacket ack = c.connect(new ConnectPacket(MqttVersion.MQTT_5, "gone", false, 60, null, null, null,
                    expiry(1)));
            assertFalse(ack.sessionPresent());
        }
    }
}

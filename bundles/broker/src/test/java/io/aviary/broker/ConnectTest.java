package io.aviary.broker;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import io.aviary.broker.testing.RawClient;
import io.aviary.broker.testing.TestBroker;
import io.aviary.mqtt.codec.ConnAckPacket;
import io.aviary.mqtt.codec.ConnectPacket;
import io.aviary.mqtt.codec.DisconnectPacket;
import io.aviary.mqtt.codec.MqttProperties;
import io.aviary.mqtt.codec.MqttVersion;
import io.aviary.mqtt.codec.PingReqPacket;
import io.aviary.mqtt.codec.PingRespPacket;
import io.aviary.mqtt.codec.PropertyId;
import io.aviary.mqtt.codec.ReasonCode;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.Rule;
import org.junit.Test;

/** CONNECT handling: client identifiers, clean start and session present, takeover, keep alive, capabilities. */
public class ConnectTest {

    @Rule
    public final TestBroker broker = new TestBroker().with("max_clientid_len", 64);

    private Mqtt5BlockingClient v5(String id) {
        return Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(broker.port()).buildBlocking();
    }

    @Test
    public void MQTT_3_2_2_16_emptyClientIdGetsAssignedClientIdentifierUnderV5() {
        Mqtt5BlockingClient c = v5("");
        Mqtt5ConnAck ack = c.connect();
        assertTrue(ack.getAssignedClientIdentifier().isPresent());
        assertTrue(ack.getAssignedClientIdentifier().get().toString().startsWith("aviary-"));
        c.disconnect();
    }

    @Test
    public void MQTT_3_1_3_8_emptyClientIdWithoutCleanSessionIsRejectedWith0x02UnderV311() throws Exception {
        try (RawClient c = RawClient.open(broker.port(), MqttVersion.MQTT_3_1_1)) {
            ConnAckPacket ack = c.connect(new ConnectPacket(MqttVersion.MQTT_3_1_1, "", false, 60, null, null, null, null));
            // the v3 client decoder maps return code 0x02 back to the v5 code 0x85
            assertEquals(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID, ack.reasonCode());
            assertTrue(c.awaitClosed(5000));
        }
    }

    @Test
    public void MQTT_3_1_3_6_emptyClientIdWithCleanSessionIsAcceptedUnderV311() throws Exception {
        try (RawClient c = RawClient.open(broker.port(), MqttVersion.MQTT_3_1_1)) {
            ConnAckPacket ack = c.connect(new ConnectPacket(MqttVersion.MQTT_3_1_1, "", true, 60, null, null, null, null));
            assertEquals(0, ack.reasonCode());
        }
    }

    @Test
    public void clientIdLongerThanMaxClientIdLenIsRejectedWith0x85() throws Exception {
        try (RawClient c = RawClient.open(broker.port(), MqttVersion.MQTT_5)) {
            ConnAckPacket ack = c.connect(new ConnectPacket(MqttVersion.MQTT_5, "x".repeat(65), true, 60, null, null,
                    null, null));
            assertEquals(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID, ack.reasonCode());
        }
    }

    @Test
    public void MQTT_3_2_2_2_sessionPresentIsSetWhenAPersistentSessionResumes() {
        Mqtt5BlockingClient c = v5("present");
        assertFalse(c.connectWith().cleanStart(true).sessionExpiryInterval(60).send().isSessionPresent());
        c.disconnect();
        assertTrue(c.connectWith().cleanStart(false).sessionExpiryInterval(60).send().isSessionPresent());
        c.disconnect();
    }

    @Test
    public void MQTT_3_1_2_4_cleanStartDiscardsSession() {
        Mqtt5BlockingClient c = v5("clean");
        c.connectWith().cleanStart(true).sessionExpiryInterval(60).send();
        c.disconnect();
        assertFalse(c.connectWith().cleanStart(true).sessionExpiryInterval(60).send().isSessionPresent());
        c.disconnect();
    }

    @Test
    public void MQTT_3_1_2_6_v311PersistentSessionIsPresentOnReconnect() throws Exception {
        MqttClient c = new MqttClient(broker.uri(), "paho-persist", new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(false);
        assertFalse(c.connectWithResult(o).getSessionPresent());
        c.disconnect();
        assertTrue(c.connectWithResult(o).getSessionPresent());
        c.disconnect();
        c.close();
    }

    @Test
    public void MQTT_3_1_4_3_takeoverSendsDisconnect0x8EToTheOldV5Connection() throws Exception {
        CompletableFuture<Throwable> cause = new CompletableFuture<>();
        Mqtt5BlockingClient first = Mqtt5Client.builder().identifier("twin").serverHost("127.0.0.1")
                .serverPort(broker.port()).addDisconnectedListener(ctx -> cause.complete(ctx.getCause()))
                .buildBlocking();
        first.connect();
        Mqtt5BlockingClient second = v5("twin");
        second.connect();
        Throwable t = cause.get(5, TimeUnit.SECONDS);
        assertTrue(t.toString(), t instanceof Mqtt5DisconnectException);
        assertEquals(Mqtt5DisconnectReasonCode.SESSION_TAKEN_OVER,
                ((Mqtt5DisconnectException) t).getMqttMessage().getReasonCode());
        second.disconnect();
    }

    @Test
    public void MQTT_3_1_4_2_takeoverClosesTheOldV311Connection() throws Exception {
        try (RawClient first = RawClient.connect(broker.port(), MqttVersion.MQTT_3_1_1, "twin3", true);
             RawClient second = RawClient.connect(broker.port(), MqttVersion.MQTT_3_1_1, "twin3", true)) {
            assertTrue(first.awaitClosed(5000));
            assertTrue(second.isOpen());
        }
    }

    @Test
    public void MQTT_3_1_2_22_keepAliveIsEnforcedAtOneAndAHalfTimes() throws Exception {
        try (RawClient c = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "sleepy", true, 1,
                MqttProperties.EMPTY, null)) {
            long start = System.nanoTime();
            DisconnectPacket d = c.expect(DisconnectPacket.class);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(ReasonCode.KEEP_ALIVE_TIMEOUT, d.reasonCode());
            assertTrue("closed after " + ms + " ms", ms >= 1300 && ms < 3000);
            assertTrue(c.awaitClosed(2000));
        }
    }

    @Test
    public void pingreqIsAnsweredAndKeepsTheConnectionAlive() throws Exception {
        try (RawClient c = RawClient.connect(broker.port(), MqttVersion.MQTT_3_1_1, "pinger", true, 1,
                MqttProperties.EMPTY, null)) {
            for (int i = 0; i < 3; i++) {
                c.send(PingReqPacket.INSTANCE);
                c.expect(PingRespPacket.class);
            }
            assertTrue(c.isOpen());
        }
    }

    @Test
    public void MQTT_3_2_2_21_serverKeepAliveOverridesTheClientsKeepAlive() throws Exception {
        broker.restart("server_keepalive", 30);
        Mqtt5BlockingClient c = v5("override");
        Mqtt5ConnAck ack = c.connectWith().keepAlive(5).send();
        assertEquals(30, ack.getServerKeepAlive().getAsInt());
        c.disconnect();
    }

    @Test
    public void connackAnnouncesServerCapabilities() throws Exception {
        broker.restart("max_qos_allowed", 1);
        try (RawClient c = RawClient.open(broker.port(), MqttVersion.MQTT_5)) {
            ConnAckPacket ack = c.connect(new ConnectPacket(MqttVersion.MQTT_5, "caps", true, 60, null, null, null, null));
            MqttProperties p = ack.properties();
            assertEquals(Integer.valueOf(1), p.maximumQos());
            assertEquals(Integer.valueOf(32), p.receiveMaximum());
            assertEquals(Long.valueOf(1048576), p.maximumPacketSize());
            assertEquals(Integer.valueOf(65535), p.topicAliasMaximum());
            assertEquals(Integer.valueOf(1), p.getInt(PropertyId.SUBSCRIPTION_IDENTIFIER_AVAILABLE));
            assertEquals(null, p.retainAvailable());
        }
    }

    @Test
    public void connectionWithoutConnectIsClosedAfterIdleTimeout() throws Exception {
        broker.restart("idle_timeout", 300);
        try (RawClient c = RawClient.open(broker.port(), MqttVersion.MQTT_3_1_1)) {
            assertTrue(c.awaitClosed(3000));
        }
    }

    @Test
    public void unsupportedProtocolLevelGetsConnack0x01() throws Exception {
        try (RawClient c = RawClient.open(broker.port(), MqttVersion.MQTT_3_1_1)) {
            // CONNECT, protocol name MQTT, level 6
            c.sendBytes(0x10, 0x0D, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x06, 0x02, 0x00, 0x3C, 0x00, 0x01, 'a');
            ConnAckPacket ack = c.expect(ConnAckPacket.class);
            assertEquals(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION, ack.reasonCode());
            assertTrue(c.awaitClosed(5000));
        }
    }

    @Test
    public void MQTT_3_2_2_6_v3ConnectRefusedForAReasonWithoutReturnCodeGetsNoConnack() throws Exception {
        broker.restart("max_qos_allowed", 1);
        try (RawClient c = RawClient.open(broker.port(), MqttVersion.MQTT_3_1_1)) {
            // CONNECT 3.1.1, flags: Will QoS 2 + Will Flag + Clean Session, client id "a", will topic "w", message "x"
            c.sendBytes(0x10, 0x13, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, 0x16, 0x00, 0x3C, 0x00, 0x01, 'a',
                    0x00, 0x01, 'w', 0x00, 0x01, 'x');
            assertTrue(c.awaitClosed(5000));
            assertEquals("no CONNACK: 3.1.1 has no return code for QoS not supported", null, c.poll(0));
        }
        assertTrue(io.aviary.broker.transport.ConnectHandler.hasV3ReturnCode(ReasonCode.NOT_AUTHORIZED));
        assertTrue(io.aviary.broker.transport.ConnectHandler.hasV3ReturnCode(ReasonCode.SERVER_BUSY));
        assertFalse(io.aviary.broker.transport.ConnectHandler.hasV3ReturnCode(ReasonCode.QOS_NOT_SUPPORTED));
    }

    @Test
    public void mqtt31ClientConnects() throws Exception {
        MqttClient c = new MqttClient(broker.uri(), "paho31", new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1);
        c.connect(o);
        assertTrue(c.isConnected());
        await().atMost(Duration.ofSeconds(5)).until(() ->
                broker.broker().service().client("default", "paho31").map(s -> s.client().protocolVersion() == 3).orElse(false));
        assertNotNull(broker.core().registry());
        c.disconnect();
        c.close();
    }

    @Test
    public void listenerRefusesConnectionsBeyondMaxConnections() throws Exception {
        try (MqttBroker limited = new MqttBroker(io.aviary.broker.config.BrokerSettings.defaults(),
                new io.aviary.broker.events.EventDispatcher(), 1)
                .start(java.util.List.of(new io.aviary.broker.config.ListenerSpec("tcp", "small", "127.0.0.1", 0, true, 1)));
             RawClient first = RawClient.connect(limited.port(), MqttVersion.MQTT_3_1_1, "only", true);
             RawClient second = RawClient.open(limited.port(), MqttVersion.MQTT_3_1_1)) {
            assertTrue(second.awaitClosed(5000));
            assertTrue(first.isOpen());
        }
    }
}

package io.aviary.broker.transport;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.aviary.broker.BrokerCore;
import io.aviary.broker.config.BrokerSettings;
import io.aviary.broker.events.EventDispatcher;
import io.aviary.mqtt.codec.ConnAckPacket;
import io.aviary.mqtt.codec.ConnectPacket;
import io.aviary.mqtt.codec.InvalidPacket;
import io.aviary.mqtt.codec.MqttCodec;
import io.aviary.mqtt.codec.MqttVersion;
import io.aviary.mqtt.codec.PacketType;
import io.aviary.mqtt.codec.PingReqPacket;
import io.aviary.mqtt.codec.PingRespPacket;
import io.aviary.mqtt.codec.ReasonCode;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.After;
import org.junit.Test;

/** The CONNECT stage alone, on an EmbeddedChannel: it answers CONNACK and hands over to the session stage. */
public class ConnectHandlerTest {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final BrokerCore core = new BrokerCore(BrokerSettings.of(Map.of("max_clientid_len", 8)),
            new EventDispatcher(), timer);

    @After
    public void stop() {
        core.shutdown();
        timer.shutdownNow();
    }

    private EmbeddedChannel channel() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast("idle", new KeepAliveHandler(10_000));
        ch.pipeline().addLast("connect", new ConnectHandler(core, "tcp:test"));
        return ch;
    }

    @Test
    public void successfulConnectReplacesTheConnectStageWithTheSessionStage() {
        EmbeddedChannel ch = channel();
        ch.attr(MqttCodec.VERSION).set(MqttVersion.MQTT_5);
        ch.writeInbound(new ConnectPacket(MqttVersion.MQTT_5, "c1", true, 30, null, null, null, null));
        ConnAckPacket ack = ch.readOutbound();
        assertEquals(0, ack.reasonCode());
        assertNull(ch.pipeline().get("connect"));
        assertNotNull(ch.pipeline().get("session"));
        assertNotNull(ch.pipeline().get("keepalive"));
        ch.writeInbound(PingReqPacket.INSTANCE);
        assertTrue(ch.readOutbound() instanceof PingRespPacket);
        ch.finishAndReleaseAll();
    }

    @Test
    public void keepAliveZeroRemovesTheIdleHandler() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(new ConnectPacket(MqttVersion.MQTT_3_1_1, "c2", true, 0, null, null, null, null));
        assertEquals(0, ((ConnAckPacket) ch.readOutbound()).reasonCode());
        assertNull(ch.pipeline().get("idle"));
        assertNull(ch.pipeline().get("keepalive"));
        ch.finishAndReleaseAll();
    }

    @Test
    public void invalidConnectIsAnsweredWithConnackAndClose() {
        EmbeddedChannel ch = channel();
        ch.attr(MqttCodec.VERSION).set(MqttVersion.MQTT_5);
        ch.writeInbound(new InvalidPacket(PacketType.CONNECT, ReasonCode.MALFORMED_PACKET, "bad will flags"));
        ConnAckPacket ack = ch.readOutbound();
        assertEquals(ReasonCode.MALFORMED_PACKET, ack.reasonCode());
        assertEquals("bad will flags", ack.properties().reasonString());
        assertFalse(ch.isOpen());
        assertEquals(1, core.counters().packetsMalformed.sum());
    }

    @Test
    public void malformedV311ConnectIsClosedWithoutConnack() {
        EmbeddedChannel ch = channel();
        ch.attr(MqttCodec.VERSION).set(MqttVersion.MQTT_3_1_1);
        ch.writeInbound(new InvalidPacket(PacketType.CONNECT, ReasonCode.MALFORMED_PACKET, "bad"));
        assertNull(ch.readOutbound());
        assertFalse(ch.isOpen());
    }

    @Test
    public void tooLongClientIdIsRefused() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(new ConnectPacket(MqttVersion.MQTT_5, "123456789", true, 30, null, null, null, null));
        assertEquals(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID, ((ConnAckPacket) ch.readOutbound()).reasonCode());
        assertFalse(ch.isOpen());
    }
}

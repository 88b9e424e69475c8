package io.aviary.broker;

import static io.aviary.broker.testing.Packets.publish;
import static io.aviary.broker.testing.Packets.text;
import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.aviary.broker.testing.RawClient;
import io.aviary.broker.testing.TestBroker;
import io.aviary.mqtt.codec.ConnectPacket;
import io.aviary.mqtt.codec.DisconnectPacket;
import io.aviary.mqtt.codec.MqttVersion;
import io.aviary.mqtt.codec.PublishPacket;
import io.aviary.mqtt.codec.ReasonCode;
import io.aviary.mqtt.codec.SubAckPacket;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.Rule;
import org.junit.Test;

/** Hostile input: each violation gets its reason code, is counted, and never disturbs other clients. */
public class MalformedInputTest {

    @Rule
    public final TestBroker broker = new TestBroker().with("max_packet_size", 4096);

    @Test
    public void MQTT_3_1_0_1_firstPacketOtherThanConnectClosesTheConnection() throws Exception {
        try (RawClient c = RawClient.open(broker.port(), MqttVersion.MQTT_3_1_1)) {
            c.sendBytes(0xC0, 0x00); // PINGREQ before CONNECT
            assertTrue(c.awaitClosed(5000));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> broker.core().counters().packetsProtocolError.sum() == 1);
    }

    @Test
    public void MQTT_1_5_5_malformedPacketAfterConnectIsDisconnect0x81UnderV5() throws Exception {
        try (RawClient c = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "bad1", true)) {
            c.sendBytes(0x30, 0x02, 0x00, 0x05); // PUBLISH whose topic length runs past the packet
            assertEquals(ReasonCode.MALFORMED_PACKET, c.expect(DisconnectPacket.class).reasonCode());
            assertTrue(c.awaitClosed(5000));
        }
        assertEquals(1, broker.core().counters().packetsMalformed.sum());
    }

    @Test
    public void MQTT_4_13_1_malformedPacketUnderV311ClosesWithoutDisconnect() throws Exception {
        try (RawClient c = RawClient.connect(broker.port(), MqttVersion.MQTT_3_1_1, "bad2", true)) {
            c.sendBytes(0x82, 0x02, 0x00, 0x01); // SUBSCRIBE with no topic filter
            assertTrue(c.awaitClosed(5000));
        }
    }

    @Test
    public void MQTT_3_1_0_2_secondConnectIsProtocolError() throws Exception {
        try (RawClient c = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "twice", true)) {
            c.send(new ConnectPacket(MqttVersion.MQTT_5, "twice", true, 60, null, null, null, null));
            assertEquals(ReasonCode.PROTOCOL_ERROR, c.expect(DisconnectPacket.class).reasonCode());
        }
    }

    @Test
    public void oversizedRemainingLengthIsRefusedFromTheFixedHeaderAlone() throws Exception {
        try (RawClient c = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "huge", true)) {
            c.sendBytes(0x30, 0xFF, 0xFF, 0xFF, 0x7F); // PUBLISH announcing 268 MB, body never sent
            assertEquals(ReasonCode.PACKET_TOO_LARGE, c.expect(DisconnectPacket.class).reasonCode());
            assertTrue(c.awaitClosed(5000));
        }
    }

    @Test
    public void garbageFromOneClientDoesNotDisturbAnother() throws Exception {
        try (RawClient good = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "good", true);
             RawClient evil = RawClient.open(broker.port(), MqttVersion.MQTT_5)) {
            good.send(io.aviary.broker.testing.Packets.subscribe(1, "calm", 0));
            good.expect(SubAckPacket.class);
            evil.sendBytes(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x01);
            assertTrue(evil.awaitClosed(5000));
            good.send(publish("calm", 0, 0, "still here"));
            PublishPacket p = good.expect(PublishPacket.class);
            assertEquals("still here", text(p));
        }
    }

    @Test
    public void stalledClientMidPacketIsClosedByKeepAlive() throws Exception {
        try (RawClient c = RawClient.connect(broker.port(), MqttVersion.MQTT_3_1_1, "stall", true, 1,
                io.aviary.mqtt.codec.MqttProperties.EMPTY, null)) {
            c.sendBytes(0x30, 0x7F, 0x00); // announces 127 bytes, sends 1
            assertTrue(c.awaitClosed(4000));
        }
    }

    /**
     * A client still writing when the broker ends its connection (pipelined PUBLISHes, or a
     * PUBREL answering a PUBREC) reads the DISCONNECT, then a clean end of stream, and its
     * writes do not fail: the broker half-closes and drains instead of closing outright, since
     * a close with client bytes still arriving resets the connection, which breaks the client's
     * writes and can destroy the DISCONNECT before the client reads it.
     */
    @Test
    public void clientThatKeepsWritingAfterADisconnectIsNotReset() throws Exception {
        try (Socket s = new Socket("127.0.0.1", broker.port())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            DataInputStream in = new DataInputStream(s.getInputStream());
            out.write(new byte[] {0x10, 0x0D, 0, 4, 'M', 'Q', 'T', 'T', 5, 2, 0, 60, 0, 0, 0}); // v5, empty client id
            assertEquals("CONNACK", 0x20, in.readUnsignedByte());
            in.readFully(new byte[in.readUnsignedByte()]);
            out.write(new byte[] {0x30, 0x02, 0x00, 0x05}); // malformed: topic runs past the packet
            assertEquals("DISCONNECT", 0xE0, in.readUnsignedByte());
            byte[] body = new byte[in.readUnsignedByte()];
            in.readFully(body);
            assertEquals(ReasonCode.MALFORMED_PACKET, body[0] & 0xFF);
            assertEquals("end of stream", -1, in.read());
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
            while (System.nanoTime() < until) {
                out.write(new byte[] {0x62, 0x02, 0x00, 0x01}); // PUBREL: must not meet a reset
            }
        }
    }
}

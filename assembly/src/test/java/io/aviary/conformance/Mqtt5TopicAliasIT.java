package io.aviary.conformance;

import static io.aviary.conformance.Bytes.PUBACK;
import static io.aviary.conformance.Bytes.PUBLISH;
import static io.aviary.conformance.Bytes.SUBACK;
import static io.aviary.conformance.Bytes.ack;
import static io.aviary.conformance.Bytes.cat;
import static io.aviary.conformance.Bytes.connect5;
import static io.aviary.conformance.Bytes.props;
import static io.aviary.conformance.Bytes.publish5;
import static io.aviary.conformance.Bytes.u16;
import static io.aviary.conformance.Bytes.u32;
import static io.aviary.conformance.Bytes.u8;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.aviary.itest.Distribution;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * MQTT 5.0 Topic Aliases on the PUBLISH packets the server sends (3.3.2.3.4, MQTT-3.1.2-26/27,
 * MQTT-3.3.2-7/8/11): bound with the full topic on first use, then sent with an empty Topic
 * Name, never above the Topic Alias Maximum the client announced, none without one, a fresh
 * mapping on every connection; the HiveMQ client resolves them end to end; and the
 * distribution's {@code mqtt.outbound_topic_alias} switch turns them off.
 */
public class Mqtt5TopicAliasIT {
    private static Distribution dist;
    private static int port;

    @BeforeClass
    public static void start() throws Exception {
        dist = new Distribution().start();
        port = dist.mqttPort;
    }

    @AfterClass
    public static void stop() throws Exception {
        dist.close();
    }

    private static byte[] prop(int id, byte[] value) {
        return cat(u8(id), value);
    }

    private static byte[] aliasMaximum(int max) {
        return prop(0x22, u16(max));
    }

    /** A v5 client announcing these CONNECT properties, subscribed to {@code filter}. */
    private static RawClient subscriber(int port, String id, int flags, byte[] connectProps, String filter, int qos)
            throws Exception {
        RawClient c = RawClient.connected(port, connect5(id, flags, 60, connectProps));
        c.send(Bytes.subscribe5(1, props(), filter, qos));
        c.expect(SUBACK);
        return c;
    }

    private static void publish(int port, String topic, int qos, String... payloads) throws Exception {
        try (RawClient pub = RawClient.connected(port, connect5("ta-pub-" + Integer.toHexString(topic.hashCode())))) {
            int id = 1;
            for (String payload : payloads) {
                pub.send(publish5(qos, false, topic, id++, props(), payload));
                if (qos == 1) {
                    pub.expect(PUBACK);
                }
            }
            pub.send(Bytes.disconnect());
            pub.awaitClose();
        }
    }

    /** The next PUBLISH as "topic|alias|payload" (alias 0 when absent), acknowledged if QoS 1. */
    private static String next(RawClient c) throws Exception {
        Packet.Publish p = c.expect(PUBLISH).publish(true);
        if (p.qos() == 1) {
            c.send(ack(PUBACK, p.packetId()));
        }
        Object alias = p.props().get(0x23);
        return p.topic() + "|" + (alias == null ? 0 : alias) + "|" + p.payload();
    }

    @Test
    public void MQTT_3_3_2_8_aliasIsBoundByTheFirstPublishAndThenUsedWithAnEmptyTopicName() throws Exception {
        try (RawClient sub = subscriber(port, "ta-first", 0x02, props(aliasMaximum(10)), "ta/first/#", 1)) {
            publish(port, "ta/first/a/long/topic/name", 1, "one", "two");
            publish(port, "ta/first/other", 0, "three");
            publish(port, "ta/first/a/long/topic/name", 0, "four");
            assertEquals("ta/first/a/long/topic/name|1|one", next(sub));
            assertEquals("|1|two", next(sub));
            assertEquals("ta/first/other|2|three", next(sub));
            assertEquals("|1|four", next(sub));
        }
    }

    @Test
    public void MQTT_3_1_2_26_and_3_3_2_11_neverAnAliasAboveTheClientsMaximum() throws Exception {
        try (RawClient sub = subscriber(port, "ta-max", 0x02, props(aliasMaximum(2)), "ta/max/#", 0)) {
            for (String t : List.of("a", "b", "a", "c", "b", "c", "a")) {
                publish(port, "ta/max/" + t, 0, t);
            }
            assertEquals("ta/max/a|1|a", next(sub));
            assertEquals("ta/max/b|2|b", next(sub));
            assertEquals("|1|a", next(sub));
            assertEquals("b was least recently used: alias 2 rebound with the full topic", "ta/max/c|2|c", next(sub));
            assertEquals("ta/max/b|1|b", next(sub));
            assertEquals("|2|c", next(sub));
            assertEquals("ta/max/a|1|a", next(sub));
        }
    }

    @Test
    public void MQTT_3_1_2_27_noAliasWhenTheClientAnnouncedNoneOrZero() throws Exception {
        try (RawClient none = subscriber(port, "ta-none", 0x02, props(), "ta/none", 0);
             RawClient zero = subscriber(port, "ta-zero", 0x02, props(aliasMaximum(0)), "ta/none", 0)) {
            publish(port, "ta/none", 0, "m1", "m2", "m3");
            for (RawClient c : List.of(none, zero)) {
                for (int i = 1; i <= 3; i++) {
                    assertEquals("ta/none|0|m" + i, next(c));
                }
            }
        }
    }

    @Test
    public void MQTT_3_3_2_7_aFreshMappingOnEveryConnectionAlsoForDupRedelivery() throws Exception {
        byte[] connectProps = props(aliasMaximum(5), prop(0x11, u32(60)));
        try (RawClient first = subscriber(port, "ta-conn", 0x02, connectProps, "ta/conn", 1)) {
            publish(port, "ta/conn", 1, "acked", "unacked");
            assertEquals("ta/conn|1|acked", next(first));
            Packet.Publish unacked = first.expect(PUBLISH).publish(true);
            assertEquals("alias in use on the first connection", "", unacked.topic());
            // dropped without PUBACK: the message is resent on the next connection
        }
        try (RawClient second = RawClient.connected(port, connect5("ta-conn", 0x00, 60, connectProps))) {
            Packet.Publish again = second.expect(PUBLISH).publish(true);
            assertTrue("DUP", again.dup());
            assertEquals("full topic on the new connection", "ta/conn", again.topic());
            assertEquals(1, again.props().get(0x23));
            assertEquals("unacked", again.payload());
            second.send(ack(PUBACK, again.packetId()));
            publish(port, "ta/conn", 1, "later");
            assertEquals("|1|later", next(second));
            // PINGRESP follows the PUBACK above in the broker's processing: it is acknowledged before the close
            second.send(Bytes.pingreq());
            second.expect(Bytes.PINGRESP);
        }
        try (RawClient third = RawClient.connected(port, connect5("ta-conn", 0x00, 60, connectProps))) {
            publish(port, "ta/conn", 0, "resumed");
            assertEquals("a resumed session starts without aliases too", "ta/conn|1|resumed", next(third));
            third.send(Bytes.disconnect5(0, props(prop(0x11, u32(0)))));
        }
    }

    @Test
    public void MQTT_3_1_2_26_hivemqClientResolvesTheAliases() throws Exception {
        Mqtt5BlockingClient sub = null;
        for (int attempt = 1; sub == null; attempt++) {
            // The HiveMQ client's blocking connect() has hung here twice, with no TCP connection opened (client side,
            // right after other classes closed their HiveMQ clients): bounded, and tried again with a new client.
            Mqtt5BlockingClient c = com.hivemq.client.mqtt.MqttClient.builder().useMqttVersion5().identifier("ta-hive")
                    .serverHost("127.0.0.1").serverPort(port).buildBlocking();
            try {
                c.toAsync().connectWith().restrictions().topicAliasMaximum(2).applyRestrictions().send()
                        .get(10, TimeUnit.SECONDS);
                sub = c;
            } catch (java.util.concurrent.TimeoutException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
        String[] topics = {"a", "b", "c", "a", "a", "d", "b", "c", "c", "a", "d", "d"};
        List<String> expected = new ArrayList<>();
        List<String> got = new ArrayList<>();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = sub.publishes(MqttGlobalPublishFilter.ALL);
             RawClient pub = RawClient.connected(port, connect5("ta-hive-pub"))) {
            sub.subscribeWith().topicFilter("ta/hive/#").qos(MqttQos.AT_LEAST_ONCE).send();
            for (int i = 0; i < topics.length; i++) {
                pub.send(publish5(1, false, "ta/hive/" + topics[i], i + 1, props(), "m" + i));
                pub.expect(PUBACK);
                expected.add("ta/hive/" + topics[i] + " m" + i);
            }
            for (int i = 0; i < topics.length; i++) {
                Optional<Mqtt5Publish> p = publishes.receive(5, TimeUnit.SECONDS);
                assertTrue("message " + i + " of " + expected, p.isPresent());
                got.add(p.get().getTopic() + " " + new String(p.get().getPayloadAsBytes(), StandardCharsets.UTF_8));
            }
            assertTrue("the client accepted every alias", sub.getState().isConnected());
        } finally {
            sub.disconnect();
        }
        assertEquals(expected, got);
    }

    @Test
    public void outboundTopicAliasSwitchedOffSendsNone() throws Exception {
        try (Distribution off = new Distribution().start("--set", "mqtt.outbound_topic_alias=false");
             RawClient sub = subscriber(off.mqttPort, "ta-off", 0x02, props(aliasMaximum(10)), "ta/off", 0)) {
            publish(off.mqttPort, "ta/off", 0, "x", "y");
            assertEquals("ta/off|0|x", next(sub));
            assertEquals("ta/off|0|y", next(sub));
        }
    }
}

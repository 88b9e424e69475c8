package io.aviary.broker;

import static io.aviary.broker.testing.Packets.publish;
import static io.aviary.broker.testing.Packets.subscribe;
import static io.aviary.broker.testing.Packets.text;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.aviary.broker.testing.RawClient;
import io.aviary.broker.testing.TestBroker;
import io.aviary.mqtt.codec.AckPacket;
import io.aviary.mqtt.codec.MqttProperties;
import io.aviary.mqtt.codec.MqttVersion;
import io.aviary.mqtt.codec.PropertyId;
import io.aviary.mqtt.codec.PublishPacket;
import io.aviary.mqtt.codec.SubAckPacket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.Rule;
import org.junit.Test;

/**
 * Topic Aliases on the PUBLISH packets the broker sends (MQTT 5 3.3.2.3.4): bound on a topic's
 * first PUBLISH, then used with an empty Topic Name, never above the client's Topic Alias
 * Maximum, least recently used rebound, fresh on every connection, off when configured off.
 */
public class OutboundTopicAliasTest {

    @Rule
    public final TestBroker broker = new TestBroker();

    private static MqttProperties aliasMaximum(int max) {
        return MqttProperties.builder().set(PropertyId.TOPIC_ALIAS_MAXIMUM, max).build();
    }

    private RawClient subscriber(String id, int aliasMaximum, String filter, int qos) throws InterruptedException {
        RawClient c = RawClient.connect(broker.port(), MqttVersion.MQTT_5, id, true, 60,
                aliasMaximum > 0 ? aliasMaximum(aliasMaximum) : MqttProperties.EMPTY, null);
        c.send(subscribe(1, filter, qos));
        c.expect(SubAckPacket.class);
        return c;
    }

    private RawClient publisher(String id) throws InterruptedException {
        return RawClient.connect(broker.port(), MqttVersion.MQTT_5, id, true);
    }

    /** The next PUBLISH as "topic|alias|payload" (alias 0 when none). */
    private static String next(RawClient c) throws InterruptedException {
        PublishPacket p = c.expect(PublishPacket.class);
        Integer alias = p.properties().topicAlias();
        if (p.qos() > 0) {
            c.send(AckPacket.pubAck(p.packetId()));
        }
        return p.topic() + "|" + (alias == null ? 0 : alias) + "|" + text(p);
    }

    @Test
    public void MQTT_3_3_2_8_aliasIsBoundOnTheFirstPublishAndThenUsedWithAnEmptyTopic() throws Exception {
        try (RawClient sub = subscriber("oa-first", 10, "oa/first/#", 1); RawClient pub = publisher("oa-first-p")) {
            pub.send(publish("oa/first/topic", 0, 0, "one"));
            pub.send(publish("oa/first/topic", 1, 1, "two"));
            pub.send(publish("oa/first/other", 0, 0, "three"));
            pub.send(publish("oa/first/topic", 0, 0, "four"));
            assertEquals("oa/first/topic|1|one", next(sub));
            assertEquals("|1|two", next(sub));
            assertEquals("oa/first/other|2|three", next(sub));
            assertEquals("|1|four", next(sub));
        }
    }

    @Test
    public void MQTT_3_1_2_26_and_3_3_2_11_neverAnAliasAboveTheClientsMaximumLeastRecentlyUsedIsRebound() throws Exception {
        try (RawClient sub = subscriber("oa-max", 2, "oa/max/#", 0); RawClient pub = publisher("oa-max-p")) {
            for (String t : List.of("a", "b", "a", "c", "b", "c", "a")) {
                pub.send(publish("oa/max/" + t, 0, 0, t));
            }
            assertEquals("oa/max/a|1|a", next(sub));
            assertEquals("oa/max/b|2|b", next(sub));
            assertEquals("|1|a", next(sub));
            assertEquals("b least recently used: its alias rebinds with the full topic", "oa/max/c|2|c", next(sub));
            assertEquals("oa/max/b|1|b", next(sub));
            assertEquals("|2|c", next(sub));
            assertEquals("oa/max/a|1|a", next(sub));
        }
    }

    @Test
    public void MQTT_3_1_2_27_noAliasToAClientThatAnnouncedNoneOrZero() throws Exception {
        RawClient zero = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "oa-zero", true, 60, aliasMaximum(0), null);
        zero.send(subscribe(1, "oa/none", 0));
        zero.expect(SubAckPacket.class);
        try (zero; RawClient none = subscriber("oa-none", 0, "oa/none", 0); RawClient pub = publisher("oa-none-p")) {
            for (int i = 0; i < 3; i++) {
                pub.send(publish("oa/none", 0, 0, "m" + i));
            }
            for (RawClient c : List.of(zero, none)) {
                for (int i = 0; i < 3; i++) {
                    assertEquals("oa/none|0|m" + i, next(c));
                }
            }
        }
    }

    @Test
    public void noAliasForMqtt311Clients() throws Exception {
        try (RawClient sub = RawClient.connect(broker.port(), MqttVersion.MQTT_3_1_1, "oa-v3", true);
             RawClient pub = publisher("oa-v3-p")) {
            sub.send(subscribe(1, "oa/v3", 0));
            sub.expect(SubAckPacket.class);
            pub.send(publish("oa/v3", 0, 0, "x"));
            pub.send(publish("oa/v3", 0, 0, "y"));
            assertEquals("oa/v3|0|x", next(sub));
            assertEquals("oa/v3|0|y", next(sub));
        }
    }

    @Test
    public void MQTT_3_3_2_7_everyConnectionStartsWithoutAliasesEvenForADupRedelivery() throws Exception {
        MqttProperties persistent = MqttProperties.builder().set(PropertyId.SESSION_EXPIRY_INTERVAL, 60L)
                .set(PropertyId.TOPIC_ALIAS_MAXIMUM, 5).build();
        RawClient first = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "oa-re", true, 60, persistent, null);
        first.send(subscribe(1, "oa/re", 1));
        first.expect(SubAckPacket.class);
        try (RawClient pub = publisher("oa-re-p")) {
            pub.send(publish("oa/re", 1, 1, "acked"));
            assertEquals("oa/re|1|acked", next(first));
            pub.send(publish("oa/re", 1, 2, "unacked"));
            PublishPacket unacked = first.expect(PublishPacket.class);
            assertEquals("bound on this connection", "", unacked.topic());
            text(unacked);
            first.close(); // no PUBACK: redelivered on the next connection

            try (RawClient second = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "oa-re", false, 60, persistent,
                    null)) {
                PublishPacket again = second.expect(PublishPacket.class);
                assertTrue("DUP", again.dup());
                assertEquals("full topic on the new connection", "oa/re", again.topic());
                assertEquals(Integer.valueOf(1), again.properties().topicAlias());
                assertEquals("unacked", text(again));
                second.send(AckPacket.pubAck(again.packetId()));
                pub.send(publish("oa/re", 1, 3, "after"));
                assertEquals("|1|after", next(second));
                // PINGRESP follows the PUBACK above in the broker's processing: it is acknowledged before the close
                second.send(io.aviary.mqtt.codec.PingReqPacket.INSTANCE);
                second.expect(io.aviary.mqtt.codec.PingRespPacket.class);
            }
        }
        try (RawClient third = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "oa-re", false, 60, persistent, null);
             RawClient pub = publisher("oa-re-p2")) {
            pub.send(publish("oa/re", 0, 0, "resumed"));
            assertEquals("oa/re|1|resumed", next(third));
        }
    }

    @Test
    public void sizeIsCheckedOnThePacketAsSent() throws Exception {
        String topic = "oa/size/" + "t".repeat(60);
        MqttProperties props = MqttProperties.builder().set(PropertyId.TOPIC_ALIAS_MAXIMUM, 5)
                .set(PropertyId.MAXIMUM_PACKET_SIZE, 100L).build();
        try (RawClient sub = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "oa-size", true, 60, props, null);
             RawClient pub = publisher("oa-size-p")) {
            sub.send(subscribe(1, "oa/size/#", 0));
            sub.expect(SubAckPacket.class);
            String fitsOnlyAliased = "p".repeat(50); // 2 + 70 + 4 + 50 > 100 with the topic, 2 + 2 + 4 + 50 without
            pub.send(publish(topic, 0, 0, fitsOnlyAliased));
            pub.send(publish(topic, 0, 0, "small"));
            pub.send(publish(topic, 0, 0, fitsOnlyAliased));
            assertEquals("the skipped first message bound nothing", topic + "|1|small", next(sub));
            assertEquals("|1|" + fitsOnlyAliased, next(sub));
        }
    }

    @Test
    public void aMessageThatFitsOnlyWithoutTheAliasGoesWithoutIt() throws Exception {
        String topic = "oa/fit/" + "t".repeat(61); // 68 characters, as above
        MqttProperties props = MqttProperties.builder().set(PropertyId.TOPIC_ALIAS_MAXIMUM, 5)
                .set(PropertyId.MAXIMUM_PACKET_SIZE, 100L).build();
        try (RawClient sub = RawClient.connect(broker.port(), MqttVersion.MQTT_5, "oa-fit", true, 60, props, null);
             RawClient pub = publisher("oa-fit-p")) {
            sub.send(subscribe(1, "oa/fit/#", 0));
            sub.expect(SubAckPacket.class);
            String tight = "p".repeat(26); // 99 bytes with the full topic, 102 with the alias too
            pub.send(publish(topic, 0, 0, tight));
            pub.send(publish(topic, 0, 0, "small"));
            assertEquals(topic + "|0|" + tight, next(sub));
            assertEquals("the alias binds on the next message that fits", topic + "|1|small", next(sub));
        }
    }

    @Test
    public void switchedOffByConfiguration() throws Exception {
        broker.restart("outbound_topic_alias", false);
        try (RawClient sub = subscriber("oa-off", 10, "oa/off", 0); RawClient pub = publisher("oa-off-p")) {
            pub.send(publish("oa/off", 0, 0, "x"));
            pub.send(publish("oa/off", 0, 0, "y"));
            assertEquals("oa/off|0|x", next(sub));
            assertEquals("oa/off|0|y", next(sub));
        }
    }

    @Test
    public void hivemqClientResolvesTheAliasesItReceives() throws Exception {
        Mqtt5BlockingClient sub = Mqtt5Client.builder().identifier("oa-hive").serverHost("127.0.0.1")
                .serverPort(broker.port()).buildBlocking();
        sub.connectWith().restrictions().topicAliasMaximum(2).applyRestrictions().send();
        List<String> expected = new ArrayList<>();
        List<String> got = new ArrayList<>();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = sub.publishes(MqttGlobalPublishFilter.ALL);
             RawClient pub = publisher("oa-hive-p")) {
            sub.subscribeWith().topicFilter("oa/hive/#").qos(MqttQos.AT_LEAST_ONCE).send();
            String[] topics = {"a", "b", "c", "a", "a", "d", "b", "c", "c", "a"};
            for (int i = 0; i < topics.length; i++) {
                String t = "oa/hive/" + topics[i];
                pub.send(publish(t, 1, i + 1, "m" + i));
                pub.expect(AckPacket.class);
                expected.add(t + " m" + i);
            }
            for (int i = 0; i < topics.length; i++) {
                Optional<Mqtt5Publish> p = publishes.receive(5, TimeUnit.SECONDS);
                assertTrue("message " + i, p.isPresent());
                got.add(p.get().getTopic() + " " + new String(p.get().getPayloadAsBytes(), StandardCharsets.UTF_8));
            }
        }
        assertTrue("still connected: no alias the client refused", sub.getState().isConnected());
        sub.disconnect();
        assertEquals(expected, got);
    }
}

package io.aviary.broker;

import static io.aviary.broker.testing.Packets.publish;
import static io.aviary.broker.testing.Packets.subscribe;
import static io.aviary.broker.testing.Packets.text;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.aviary.broker.testing.RawClient;
import io.aviary.broker.testing.TestBroker;
import io.aviary.mqtt.codec.MqttVersion;
import io.aviary.mqtt.codec.PublishPacket;
import io.aviary.mqtt.codec.ReasonCode;
import io.aviary.mqtt.codec.SubAckPacket;
import io.aviary.mqtt.codec.UnsubAckPacket;
import io.aviary.mqtt.codec.UnsubscribePacket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.Rule;
import org.junit.Test;

/** EMQX add-ons: delayed publish, exclusive subscriptions, topic rewrite, auto-subscribe. */
public class EmqxAddonsTest {

    @Rule
    public final TestBroker broker = new TestBroker()
            .with("exclusive_subscription", true)
            .with("rewrite", "[{\"action\":\"publish\",\"source_topic\":\"x/#\",\"re\":\"^x/(.+)$\",\"dest_topic\":\"y/$1\"},"
                    + "{\"action\":\"subscribe\",\"source_topic\":\"old/#\",\"re\":\"^old/(.+)$\",\"dest_topic\":\"new/$1\"}]")
            .with("auto_subscribe", "[{\"topic\":\"inbox/${clientid}\",\"qos\":1}]");

    private RawClient client(String id) throws InterruptedException {
        return RawClient.connect(broker.port(), MqttVersion.MQTT_5, id, true);
    }

    private static List<Integer> suback(RawClient c, int id, String filter) throws InterruptedException {
        c.send(subscribe(id, filter, 0));
        return c.expect(SubAckPacket.class).reasonCodes();
    }

    @Test
    public void delayedPublishArrivesAfterTheDelayOnTheRealTopic() throws Exception {
        try (RawClient sub = client("dsub"); RawClient pub = client("dpub")) {
            suback(sub, 1, "later/t");
            long start = System.nanoTime();
            pub.send(publish("$delayed/1/later/t", 0, 0, "tick"));
            PublishPacket p = sub.expect(PublishPacket.class);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals("later/t", p.topic());
            assertEquals("tick", text(p));
            assertTrue("arrived after " + ms + " ms", ms >= 900);
        }
    }

    @Test
    public void malformedDelayedTopicIsDropped() throws Exception {
        try (RawClient sub = client("dsub2"); RawClient pub = client("dpub2")) {
            suback(sub, 1, "#");
            pub.send(publish("$delayed/soon/t", 0, 0, "x"));
            assertNull(sub.poll(300));
        }
        assertEquals(1, broker.core().counters().get("delayed.malformed"));
    }

    @Test
    public void secondExclusiveSubscriberGetsSuback0x8F() throws Exception {
        try (RawClient a = client("ex1"); RawClient b = client("ex2"); RawClient pub = client("expub")) {
            assertEquals(List.of(0), suback(a, 1, "$exclusive/only/me"));
            assertEquals(List.of(ReasonCode.TOPIC_FILTER_INVALID), suback(b, 1, "$exclusive/only/me"));
            pub.send(publish("only/me", 0, 0, "mine"));
            assertEquals("mine", text(a.expect(PublishPacket.class)));
            a.send(new UnsubscribePacket(2, List.of("$exclusive/only/me"), io.aviary.mqtt.codec.MqttProperties.EMPTY));
            a.expect(UnsubAckPacket.class);
            assertEquals(List.of(0), suback(b, 2, "$exclusive/only/me"));
        }
    }

    @Test
    public void publishRewriteRuleChangesTheTopic() throws Exception {
        try (RawClient sub = client("rw1"); RawClient pub = client("rwp")) {
            suback(sub, 1, "y/#");
            pub.send(publish("x/a/b", 0, 0, "moved"));
            PublishPacket p = sub.expect(PublishPacket.class);
            assertEquals("y/a/b", p.topic());
            text(p);
        }
    }

    @Test
    public void subscribeRewriteRuleChangesTheFilter() throws Exception {
        try (RawClient sub = client("rw2"); RawClient pub = client("rwp2")) {
            suback(sub, 1, "old/+");
            pub.send(publish("new/z", 0, 0, "via rewrite"));
            assertEquals("via rewrite", text(sub.expect(PublishPacket.class)));
        }
    }

    @Test
    public void autoSubscribeAddsThePerClientSubscriptionOnConnect() throws Exception {
        try (RawClient c = client("auto1"); RawClient pub = client("autop")) {
            pub.send(publish("inbox/auto1", 0, 0, "for you"));
            assertEquals("for you", text(c.expect(PublishPacket.class)));
            assertTrue(broker.broker().service().subscriptions("default", "autop").stream()
                    .anyMatch(s -> s.topicFilter().equals("inbox/autop")));
        }
    }
}

package io.aviary.broker;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.aviary.broker.config.BrokerSettings;
import io.aviary.broker.config.ListenerSpec;
import io.aviary.broker.events.EventDispatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.After;
import org.junit.Test;

/**
 * Publishers flooding QoS 1 into one subscriber that acknowledges but is slower: instead of
 * acknowledging messages and then dropping them from the subscriber's full queue, the broker
 * stops reading the publishers until the queue has drained (flow control), so every
 * acknowledged message arrives (40 000 pipelined messages against the default queue limit of 1 000).
 */
public class PublisherFlowControlTest {

    private MqttBroker broker;

    @After
    public void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private Mqtt5AsyncClient client(String id) {
        return Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(broker.port()).buildAsync();
    }

    @Test
    public void floodingPublishersWaitForASlowerSubscriberInsteadOfLosingAcknowledgedMessages() throws Exception {
        broker = new MqttBroker(BrokerSettings.of(Map.of()), new EventDispatcher(), 2)
                .start(List.of(new ListenerSpec("tcp", "t", "127.0.0.1", 0, true, 0)));
        AtomicInteger received = new AtomicInteger();
        Mqtt5AsyncClient sub = client("sub");
        sub.publishes(MqttGlobalPublishFilter.ALL, p -> received.incrementAndGet());
        sub.connectWith().cleanStart(true).send().get(10, TimeUnit.SECONDS);
        sub.subscribeWith().topicFilter("flood/#").qos(MqttQos.AT_LEAST_ONCE).send().get(10, TimeUnit.SECONDS);

        int publishers = 8;
        int each = 5_000;
        List<CompletableFuture<?>> acks = new ArrayList<>();
        for (int p = 0; p < publishers; p++) {
            Mqtt5AsyncClient pub = client("pub" + p);
            pub.connectWith().cleanStart(true).send().get(10, TimeUnit.SECONDS);
            for (int i = 0; i < each; i++) {
                acks.add(pub.publishWith().topic("flood/" + p).qos(MqttQos.AT_LEAST_ONCE).payload(new byte[32]).send());
            }
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
        try {
            Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> received.get() >= publishers * each);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("received " + received.get() + ", counters " + broker.core().counters().snapshot(), e);
        }
        assertEquals("every acknowledged message reached the subscriber", publishers * each, received.get());
        assertEquals(0L, (long) broker.core().counters().snapshot().getOrDefault("delivery.dropped.queue_full", 0L));
        assertTrue("the publishers were paused", broker.core().counters().publishPaused.sum() > 0);
    }

    @Test
    public void aSubscriberThatStopsAcknowledgingHoldsItsPublishersOnlyUntilTheSlowSubscriberTimeout() throws Exception {
        broker = new MqttBroker(BrokerSettings.of(Map.of("slow_subscriber_timeout", "1000", "max_mqueue_len", "100")),
                new EventDispatcher(), 2).start(List.of(new ListenerSpec("tcp", "t", "127.0.0.1", 0, true, 0)));
        AtomicInteger healthyReceived = new AtomicInteger();
        Mqtt5AsyncClient healthy = client("healthy");
        healthy.publishes(MqttGlobalPublishFilter.ALL, p -> healthyReceived.incrementAndGet());
        healthy.connectWith().cleanStart(true).send().get(10, TimeUnit.SECONDS);
        healthy.subscribeWith().topicFilter("feed").qos(MqttQos.AT_LEAST_ONCE).send().get(10, TimeUnit.SECONDS);
        Mqtt5AsyncClient stuck = client("stuck");
        stuck.publishes(MqttGlobalPublishFilter.ALL, p -> { }, true); // manual acknowledgement, never given
        stuck.connectWith().cleanStart(true).send().get(10, TimeUnit.SECONDS);
        stuck.subscribeWith().topicFilter("feed").qos(MqttQos.AT_LEAST_ONCE).send().get(10, TimeUnit.SECONDS);

        int count = 2_000;
        Mqtt5AsyncClient pub = client("pub");
        pub.connectWith().cleanStart(true).send().get(10, TimeUnit.SECONDS);
        List<CompletableFuture<?>> acks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            acks.add(pub.publishWith().topic("feed").qos(MqttQos.AT_LEAST_ONCE).payload(new byte[32]).send());
        }
        // held while the stuck client could still be a slower one, then released: never held for ever
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(1, TimeUnit.MINUTES);
        Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> healthyReceived.get() >= count);
        assertEquals("the healthy subscriber got every message", count, healthyReceived.get());
        assertTrue("the publisher was held for the stuck subscriber first", broker.core().counters().publishPaused.sum() > 0);
        assertTrue("the stuck subscriber's full queue dropped by the policy, counted",
                broker.core().counters().snapshot().getOrDefault("delivery.dropped.queue_full", 0L) > 0);
    }

    @Test
    public void aPublisherHeldLongerThanItsKeepAliveHasItsPingsAnsweredAndStaysConnected() throws Exception {
        broker = new MqttBroker(BrokerSettings.of(Map.of("max_mqueue_len", "100", "max_inflight", "4")),
                new EventDispatcher(), 2).start(List.of(new ListenerSpec("tcp", "t", "127.0.0.1", 0, true, 0)));
        // a subscriber slower than its publisher but making progress: one acknowledgement every 250 ms
        java.util.Queue<com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish> unacked =
                new java.util.concurrent.ConcurrentLinkedQueue<>();
        AtomicInteger received = new AtomicInteger();
        Mqtt5AsyncClient sub = client("slow");
        sub.publishes(MqttGlobalPublishFilter.ALL, p -> {
            received.incrementAndGet();
            unacked.add(p);
        }, true);
        sub.connectWith().cleanStart(true).send().get(10, TimeUnit.SECONDS);
        sub.subscribeWith().topicFilter("slow").qos(MqttQos.AT_LEAST_ONCE).send().get(10, TimeUnit.SECONDS);
        java.util.concurrent.ScheduledExecutorService acker = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        try {
            acker.scheduleAtFixedRate(() -> {
                var p = unacked.poll();
                if (p != null) {
                    p.acknowledge();
                }
            }, 250, 250, TimeUnit.MILLISECONDS);
            java.util.concurrent.atomic.AtomicBoolean lost = new java.util.concurrent.atomic.AtomicBoolean();
            Mqtt5AsyncClient pub = Mqtt5Client.builder().identifier("pub").serverHost("127.0.0.1").serverPort(broker.port())
                    .addDisconnectedListener(c -> lost.set(true)).buildAsync();
            pub.connectWith().cleanStart(true).keepAlive(1).send().get(10, TimeUnit.SECONDS);
            int count = 40;
            List<CompletableFuture<?>> acks = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                acks.add(pub.publishWith().topic("slow").qos(MqttQos.AT_LEAST_ONCE).payload(new byte[8]).send());
            }
            // held for about 2 s at a time (8 acknowledgements), longer than its 1 s keep alive x 1.5
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(1, TimeUnit.MINUTES);
            Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> received.get() >= count);
            assertTrue("the publisher was held", broker.core().counters().publishPaused.sum() > 0);
            org.junit.Assert.assertFalse("the publisher was never disconnected (keep alive, PINGRESP)", lost.get());
            assertEquals(count, received.get());
        } finally {
            acker.shutdownNow();
        }
    }
}

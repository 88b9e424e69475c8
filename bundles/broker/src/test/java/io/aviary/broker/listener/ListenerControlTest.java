package io.aviary.broker.listener;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import io.aviary.api.broker.Ban;
import io.aviary.api.broker.ListenerInfo;
import io.aviary.broker.config.ListenerSpec;
import io.aviary.broker.testing.TestBroker;
import java.net.Socket;
import java.time.Duration;
import org.junit.After;
import org.junit.Test;

/** Run-time listener control (the api's Listeners), connection limits, the ban list and flapping detection. */
public class ListenerControlTest {

    private TestBroker broker;

    @After
    public void stop() {
        if (broker != null) {
            broker.broker().close();
        }
    }

    private Mqtt5BlockingClient v5(String id, int port) {
        return MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1").serverPort(port).buildBlocking();
    }

    @Test
    public void stoppedListenerClosesItsConnectionsAndRefusesNewOnesAndStartsAgain() throws Exception {
        broker = new TestBroker().listener(new ListenerSpec("tcp", "extra", "127.0.0.1", 0, true, 0));
        broker.start();
        int port = broker.port("tcp:extra");
        Mqtt5BlockingClient onExtra = v5("on-extra", port);
        onExtra.connect();
        Mqtt5BlockingClient onMain = v5("on-main", broker.port());
        onMain.connect();
        ListenerInfo stopped = broker.broker().listeners().stop("tcp:extra");
        assertFalse(stopped.running());
        await().atMost(Duration.ofSeconds(5)).until(() -> !onExtra.getState().isConnected());
        assertTrue("other listeners are not touched", onMain.getState().isConnected());
        assertThrows(java.net.ConnectException.class, () -> new Socket("127.0.0.1", port).close());
        ListenerInfo started = broker.broker().listeners().start("tcp:extra");
        assertTrue(started.running());
        Mqtt5BlockingClient again = v5("again", started.boundPort());
        again.connect();
        assertEquals(1, broker.broker().listeners().list().stream().filter(l -> l.id().equals("tcp:extra"))
                .findFirst().orElseThrow().connections());
        again.disconnect();
        onMain.disconnect();
    }

    @Test
    public void unknownListenerIdIsRefusedNamingTheKnownOnes() throws Exception {
        broker = new TestBroker();
        broker.start();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> broker.broker().listeners().start("ws:nope"));
        assertTrue(e.getMessage(), e.getMessage().contains("tcp:test"));
    }

    @Test
    public void connectionRateAboveTheBucketIsClosedOnAccept() throws Exception {
        broker = new TestBroker().listener(new ListenerSpec("tcp", "slow", "127.0.0.1", 0, true, 0).withRate(0.001, 2));
        broker.start();
        int port = broker.port("tcp:slow");
        v5("r1", port).connect();
        v5("r2", port).connect();
        assertThrows(RuntimeException.class, () -> v5("r3", port).connect());
    }

    @Test
    public void bannedClientIdIsRefusedWith0x8AForMqtt5And0x05ForMqtt311() throws Exception {
        broker = new TestBroker();
        broker.start();
        long now = System.currentTimeMillis();
        broker.broker().bans().add(new Ban(Ban.As.CLIENTID, "bad", "admin", "test", now, now + 60_000));
        Mqtt5ConnAckException v5 = assertThrows(Mqtt5ConnAckException.class, () -> v5("bad", broker.port()).connect());
        assertEquals(0x8A, v5.getMqttMessage().getReasonCode().getCode());
        Mqtt3BlockingClient v3 = MqttClient.builder().useMqttVersion3().identifier("bad").serverHost("127.0.0.1")
                .serverPort(broker.port()).buildBlocking();
        Mqtt3ConnAckException e3 = assertThrows(Mqtt3ConnAckException.class, v3::connect);
        assertEquals(5, e3.getMqttMessage().getReturnCode().getCode());
        assertTrue(broker.broker().bans().remove(Ban.As.CLIENTID, "bad"));
        v5("bad", broker.port()).connect();
    }

    @Test
    public void banByCidrRefusesEveryClientFromThatBlockUntilItExpires() throws Exception {
        broker = new TestBroker();
        broker.start();
        long now = System.currentTimeMillis();
        broker.broker().bans().add(new Ban(Ban.As.PEERHOST_NET, "127.0.0.0/8", "admin", "", now, now + 1_500));
        assertThrows(Mqtt5ConnAckException.class, () -> v5("any", broker.port()).connect());
        assertEquals(1, broker.broker().bans().list().size());
        await().atMost(Duration.ofSeconds(5)).until(() -> broker.broker().bans().list().isEmpty());
        v5("any", broker.port()).connect();
    }

    @Test
    public void clientRefusedForItsCredentialsMaxCountTimesIsBannedAsFlapping() throws Exception {
        broker = new TestBroker().with("allow_anonymous", false).with("flapping_detect.enable", true)
                .with("flapping_detect.max_count", 3L).with("flapping_detect.window_time", 60_000L);
        broker.start();
        for (int i = 0; i < 3; i++) {
            Mqtt5ConnAckException e = assertThrows(Mqtt5ConnAckException.class, () -> v5("guesser", broker.port()).connect());
            assertEquals("refused for its credentials", 0x87, e.getMqttMessage().getReasonCode().getCode());
        }
        Mqtt5ConnAckException e = assertThrows(Mqtt5ConnAckException.class, () -> v5("guesser", broker.port()).connect());
        assertEquals("now banned", 0x8A, e.getMqttMessage().getReasonCode().getCode());
        assertTrue(broker.broker().bans().list().stream().anyMatch(b -> b.who().equals("guesser")
                && b.by().equals("flapping") && b.tenant().equals("default")));
    }

    @Test
    public void clientThatDisconnectsMaxCountTimesWithinTheWindowIsBanned() throws Exception {
        broker = new TestBroker().with("flapping_detect.enable", true).with("flapping_detect.max_count", 3L).with("flapping_detect.window_time", 60_000L);
        broker.start();
        for (int i = 0; i < 3; i++) {
            Mqtt5BlockingClient c = v5("flappy", broker.port());
            c.connect();
            c.disconnect();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> broker.broker().bans().list().stream()
                .anyMatch(b -> b.who().equals("flappy") && b.by().equals("flapping")));
        Mqtt5ConnAckException e = assertThrows(Mqtt5ConnAckException.class, () -> v5("flappy", broker.port()).connect());
        assertEquals(0x8A, e.getMqttMessage().getReasonCode().getCode());
    }

    @Test
    public void clientOverMessagesRateIsSlowedByBackPressureAndLosesNothing() throws Exception {
        broker = new TestBroker().listener(new ListenerSpec("tcp", "rated", "127.0.0.1", 0, true, 0)
                .withClientRates(50, 0));
        broker.start();
        Mqtt5BlockingClient sub = v5("rate-sub", broker.port());
        sub.connect();
        sub.subscribeWith().topicFilter("rate/t").send();
        var in = sub.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL);
        java.io.ByteArrayOutputStream burst = new java.io.ByteArrayOutputStream();
        burst.writeBytes(new byte[] {0x10, 0x0e, 0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 60, 0, 2, 'r', 'p'});
        for (int i = 0; i < 150; i++) {
            burst.writeBytes(new byte[] {0x30, 8, 0, 6, 'r', 'a', 't', 'e', '/', 't'});
        }
        long start = System.nanoTime();
        try (Socket pub = new Socket("127.0.0.1", broker.port("tcp:rated"))) {
            pub.getOutputStream().write(burst.toByteArray());
            for (int i = 0; i < 150; i++) {
                assertTrue("message " + i + " arrived", in.receive(10, java.util.concurrent.TimeUnit.SECONDS).isPresent());
            }
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        // 50 in the first second's burst, the other 100 at 50/s: about 2 s, never all at once
        assertTrue("took " + ms + " ms", ms >= 1_500);
        sub.disconnect();
    }

    @Test
    public void everyQueueDropIsCountedForItsClient() throws Exception {
        broker = new TestBroker().with("max_mqueue_len", 2L);
        broker.start();
        Mqtt5BlockingClient sub = MqttClient.builder().useMqttVersion5().identifier("dropper").serverHost("127.0.0.1")
                .serverPort(broker.port()).buildBlocking();
        sub.connectWith().cleanStart(false).sessionExpiryInterval(300).send();
        sub.subscribeWith().topicFilter("drop/t").qos(com.hivemq.client.mqtt.datatypes.MqttQos.AT_LEAST_ONCE).send();
        sub.disconnect();
        Mqtt5BlockingClient pub = v5("drop-pub", broker.port());
        pub.connect();
        for (int i = 0; i < 5; i++) {
            pub.publishWith().topic("drop/t").qos(com.hivemq.client.mqtt.datatypes.MqttQos.AT_LEAST_ONCE).send();
        }
        var snapshot = broker.broker().service().client("default", "dropper").orElseThrow();
        assertEquals(2, snapshot.queued());
        assertEquals(3, snapshot.droppedMessages());
        pub.disconnect();
    }

    @Test
    public void clientsOfAListenerBoundToATenantBelongToThatTenant() throws Exception {
        ListenerSpec plain = new ListenerSpec("tcp", "acme", "127.0.0.1", 0, true, 0);
        broker = new TestBroker().listener(new ListenerSpec(plain.type(), plain.name(), plain.host(), plain.port(), true,
                0, 0, 0, 0, 0, false, "acme", null, null));
        broker.start();
        Mqtt5BlockingClient c = v5("tenant-client", broker.port("tcp:acme"));
        c.connect();
        assertTrue(broker.broker().service().client("acme", "tenant-client").isPresent());
        assertFalse(broker.broker().service().client("default", "tenant-client").isPresent());
        c.disconnect();
    }

    @Test
    public void subscriptionBeyondMaxSubscriptionsIsRefusedWithQuotaExceeded() throws Exception {
        broker = new TestBroker().with("max_subscriptions", 2L);
        broker.start();
        Mqtt5BlockingClient c = v5("subs", broker.port());
        c.connect();
        c.subscribeWith().topicFilter("a").send();
        c.subscribeWith().topicFilter("b").send();
        var e = assertThrows(com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException.class,
                () -> c.subscribeWith().topicFilter("c").send());
        assertEquals(0x97, e.getMqttMessage().getReasonCodes().get(0).getCode());
        c.subscribeWith().topicFilter("a").send(); // replacing an existing one is not a new one
        c.disconnect();
    }
}

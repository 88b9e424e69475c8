package io.aviary.broker;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.aviary.broker.config.BrokerSettings;
import io.aviary.broker.config.ListenerSpec;
import io.aviary.broker.events.EventDispatcher;
import io.aviary.store.internal.RocksStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Durable mode on a real RocksDB store: what a persistent session keeps across a broker restart, and the disk quota. */
public class DurableSessionsTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private RocksStore store;
    private MqttBroker broker;

    private void start(BrokerCore.Durability limits) throws InterruptedException {
        start(limits, tmp.getRoot().toPath().resolve("store"), 1);
    }

    private void start(BrokerCore.Durability limits, Path dir, long windowMs) throws InterruptedException {
        store = RocksStore.open(dir, windowMs);
        broker = new MqttBroker(BrokerSettings.of(Map.of()), new EventDispatcher(), 2, store, limits)
                .start(List.of(new ListenerSpec("tcp", "test", "127.0.0.1", 0, true, 0)));
    }

    private void stop() {
        broker.close();
        store.close();
        broker = null;
    }

    @After
    public void tearDown() {
        if (broker != null) {
            stop();
        }
    }

    private Mqtt5BlockingClient client(String id) {
        return Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(broker.port()).buildBlocking();
    }

    @Test
    public void aPersistentSessionWithItsQueuedMessagesSurvivesARestart() throws Exception {
        start(BrokerCore.Durability.MEMORY);
        Mqtt5BlockingClient sub = client("sub");
        sub.connectWith().cleanStart(true).sessionExpiryInterval(3600).send();
        sub.subscribeWith().topicFilter("t/#").qos(MqttQos.EXACTLY_ONCE).send();
        sub.disconnect();
        Mqtt5BlockingClient pub = client("pub");
        pub.connect();
        for (int i = 0; i < 3; i++) {
            pub.publishWith().topic("t/" + i).qos(i == 2 ? MqttQos.EXACTLY_ONCE : MqttQos.AT_LEAST_ONCE)
                    .payload(("m" + i).getBytes(StandardCharsets.UTF_8)).send();
        }
        pub.publishWith().topic("r").retain(true).qos(MqttQos.AT_LEAST_ONCE).payload("kept".getBytes()).send();
        pub.disconnect();
        stop();

        start(BrokerCore.Durability.MEMORY);
        Mqtt5BlockingClient again = client("sub");
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = again.publishes(MqttGlobalPublishFilter.ALL)) {
            assertTrue("session present", again.connectWith().cleanStart(false).sessionExpiryInterval(3600).send()
                    .isSessionPresent());
            for (int i = 0; i < 3; i++) {
                Mqtt5Publish p = publishes.receive(5, TimeUnit.SECONDS).orElseThrow();
                assertEquals("t/" + i, p.getTopic().toString());
                assertEquals("m" + i, new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8));
            }
            again.subscribeWith().topicFilter("r").qos(MqttQos.AT_LEAST_ONCE).send();
            Mqtt5Publish retained = publishes.receive(5, TimeUnit.SECONDS).orElseThrow();
            assertEquals("kept", new String(retained.getPayloadAsBytes(), StandardCharsets.UTF_8));
        }
        again.disconnect();
    }

    @Test
    public void aSessionConfirmedByConnackSurvivesACrashRightAfterIt() throws Exception {
        // a 60 s window: a session record nobody waited for would still sit in memory when the
        // store folder is copied; CONNACK waits for it, so the copy (the disk as a crash leaves
        // it) already holds the session
        Path dir = tmp.getRoot().toPath().resolve("store");
        start(BrokerCore.Durability.MEMORY, dir, 60_000);
        Mqtt5BlockingClient dev = client("dev");
        dev.connectWith().cleanStart(true).sessionExpiryInterval(3600).send();
        Path crashed = copyOf(dir, tmp.getRoot().toPath().resolve("crashed"));
        dev.disconnect();
        stop();

        start(BrokerCore.Durability.MEMORY, crashed, 1);
        Mqtt5BlockingClient again = client("dev");
        assertTrue("session present after the crash", again.connectWith().cleanStart(false)
                .sessionExpiryInterval(3600).send().isSessionPresent());
        again.disconnect();
    }

    /** The store folder's files as they are on disk now (what a kill -9 of the broker would leave). */
    private static Path copyOf(Path dir, Path to) throws java.io.IOException {
        java.nio.file.Files.createDirectories(to);
        try (var files = java.nio.file.Files.list(dir)) {
            for (Path f : files.filter(java.nio.file.Files::isRegularFile).toList()) {
                java.nio.file.Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to;
    }

    @Test
    public void aFullSessionQuotaRefusesNewQos1MessagesWithQuotaExceeded() throws Exception {
        start(new BrokerCore.Durability(0, 400, 60_000));
        Mqtt5BlockingClient sub = client("sub");
        sub.connectWith().cleanStart(true).sessionExpiryInterval(3600).send();
        sub.subscribeWith().topicFilter("q").qos(MqttQos.AT_LEAST_ONCE).send();
        sub.disconnect();
        Mqtt5BlockingClient pub = client("pub");
        pub.connect();
        Mqtt5PublishResult.Mqtt5Qos1Result first = (Mqtt5PublishResult.Mqtt5Qos1Result) pub.publishWith().topic("q")
                .qos(MqttQos.AT_LEAST_ONCE).payload(new byte[150]).send();
        assertEquals(Mqtt5PubAckReasonCode.SUCCESS, first.getPubAck().getReasonCode());
        Mqtt5PubAckReasonCode refused = null;
        for (int i = 0; i < 5 && refused == null; i++) {
            try {
                pub.publishWith().topic("q").qos(MqttQos.AT_LEAST_ONCE).payload(new byte[150]).send();
            } catch (Mqtt5PubAckException e) {
                refused = e.getMqttMessage().getReasonCode();
            }
        }
        assertEquals(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED, refused);
        pub.disconnect();
    }

    @Test
    public void aFullTenantQuotaRefusesNewQos1MessagesWithQuotaExceeded() throws Exception {
        start(new BrokerCore.Durability(600, 0, 60_000));
        for (String id : List.of("a", "b")) {
            Mqtt5BlockingClient sub = client(id);
            sub.connectWith().cleanStart(true).sessionExpiryInterval(3600).send();
            sub.subscribeWith().topicFilter("q").qos(MqttQos.AT_LEAST_ONCE).send();
            sub.disconnect();
        }
        Mqtt5BlockingClient pub = client("pub");
        pub.connect();
        Mqtt5PubAckReasonCode refused = null;
        for (int i = 0; i < 5 && refused == null; i++) {
            try {
                pub.publishWith().topic("q").qos(MqttQos.AT_LEAST_ONCE).payload(new byte[150]).send();
            } catch (Mqtt5PubAckException e) {
                refused = e.getMqttMessage().getReasonCode();
            }
        }
        assertEquals(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED, refused);
        pub.disconnect();
    }

    /** Publishes QoS 1 until the broker answers 0x97 (at most {@code tries} times); returns how many it accepted. */
    private static int publishUntilQuotaExceeded(Mqtt5BlockingClient pub, String topic, boolean retain, int size, int tries) {
        for (int i = 0; i < tries; i++) {
            try {
                pub.publishWith().topic(topic).retain(retain).qos(MqttQos.AT_LEAST_ONCE).payload(new byte[size]).send();
            } catch (Mqtt5PubAckException e) {
                assertEquals(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED, e.getMqttMessage().getReasonCode());
                return i;
            }
        }
        throw new AssertionError("no 0x97 after " + tries + " publishes to " + topic);
    }

    @Test
    public void aRetainedMessageOverTheTenantQuotaIsRefusedWithQuotaExceededAndTheOldOneStays() throws Exception {
        start(new BrokerCore.Durability(1000, 0, 60_000));
        Mqtt5BlockingClient pub = client("pub");
        pub.connect();
        pub.publishWith().topic("r").retain(true).qos(MqttQos.AT_LEAST_ONCE).payload("old".getBytes()).send();
        int kept = 0;
        for (int i = 0; kept == i && i < 20; i++) {
            kept += publishUntilQuotaExceededOrNot(pub, "fill/" + i, 150);
        }
        assertTrue("some retained messages fit the quota", kept > 0);
        publishUntilQuotaExceeded(pub, "r", true, 400, 1);
        pub.disconnect();
        Mqtt5BlockingClient sub = client("sub");
        sub.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = sub.publishes(MqttGlobalPublishFilter.ALL)) {
            sub.subscribeWith().topicFilter("r").qos(MqttQos.AT_LEAST_ONCE).send();
            Mqtt5Publish retained = publishes.receive(5, TimeUnit.SECONDS).orElseThrow();
            assertEquals("old", new String(retained.getPayloadAsBytes(), StandardCharsets.UTF_8));
        }
        sub.disconnect();
    }

    /** 1 when a retained QoS 1 publish of {@code size} bytes was accepted, 0 when refused with 0x97. */
    private static int publishUntilQuotaExceededOrNot(Mqtt5BlockingClient pub, String topic, int size) {
        try {
            pub.publishWith().topic(topic).retain(true).qos(MqttQos.AT_LEAST_ONCE).payload(new byte[size]).send();
            return 1;
        } catch (Mqtt5PubAckException e) {
            assertEquals(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED, e.getMqttMessage().getReasonCode());
            return 0;
        }
    }

    @Test
    public void aDelayedPublishOverTheTenantQuotaIsRefusedWithQuotaExceeded() throws Exception {
        start(new BrokerCore.Durability(1000, 0, 60_000));
        Mqtt5BlockingClient pub = client("pub");
        pub.connect();
        int held = publishUntilQuotaExceeded(pub, "$delayed/3600/later", false, 150, 20);
        assertTrue("some delayed messages fit the quota", held > 0);
        assertEquals(held, broker.core().delayed().size("default"));
        pub.disconnect();
    }

    @Test
    public void eachSessionOverItsQuotaLogsItsOwnAlarmOnceAndItsClearing() throws Exception {
        java.io.PrintStream original = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(new Tee(original, captured), true));
        try {
            start(new BrokerCore.Durability(0, 400, 60_000));
            for (String id : List.of("a", "b")) {
                Mqtt5BlockingClient sub = client(id);
                sub.connectWith().cleanStart(true).sessionExpiryInterval(3600).send();
                sub.subscribeWith().topicFilter(id).qos(MqttQos.AT_LEAST_ONCE).send();
                sub.disconnect();
            }
            Mqtt5BlockingClient pub = client("pub");
            pub.connect();
            for (String id : List.of("a", "b")) {
                publishUntilQuotaExceeded(pub, id, false, 150, 10);
                publishUntilQuotaExceeded(pub, id, false, 150, 1); // still over: no second alarm line
            }
            pub.disconnect();
            assertEquals(1, lines(captured, "alarm: session disk quota", "clientid=a;"));
            assertEquals(1, lines(captured, "alarm: session disk quota", "clientid=b;"));
            Mqtt5BlockingClient b = client("b");
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes = b.publishes(MqttGlobalPublishFilter.ALL)) {
                b.connectWith().cleanStart(false).sessionExpiryInterval(3600).send();
                publishes.receive(5, TimeUnit.SECONDS).orElseThrow(); // acknowledged: its record goes
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                        .until(() -> lines(captured, "alarm cleared", "clientid=b is below its session") == 1);
            }
            b.disconnect();
            assertEquals(0, lines(captured, "alarm cleared", "clientid=a "));
        } finally {
            System.setErr(original);
        }
    }

    /** Writes to the console and to the capture (slf4j-simple prints to the System.err of the moment). */
    private static final class Tee extends java.io.OutputStream {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        Tee(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public synchronized void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }

    private static long lines(java.io.ByteArrayOutputStream out, String what, String who) {
        return out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains(what) && l.contains(who)).count();
    }

    @Test
    public void expiredQueuedMessagesAreRemovedInTheBackground() throws Exception {
        start(new BrokerCore.Durability(0, 0, 100));
        Mqtt5BlockingClient sub = client("sub");
        sub.connectWith().cleanStart(true).sessionExpiryInterval(3600).send();
        sub.subscribeWith().topicFilter("e").qos(MqttQos.AT_LEAST_ONCE).send();
        sub.disconnect();
        Mqtt5BlockingClient pub = client("pub");
        pub.connect();
        pub.publishWith().topic("e").qos(MqttQos.AT_LEAST_ONCE).messageExpiryInterval(1).payload(new byte[10]).send();
        pub.disconnect();
        io.aviary.broker.session.Session session = broker.core().registry()
                .get(new io.aviary.broker.session.SessionKey("default", "sub"));
        assertEquals(1, session.queuedCount());
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> session.queuedCount() == 0);
    }
}

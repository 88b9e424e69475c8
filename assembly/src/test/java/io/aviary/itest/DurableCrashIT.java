package io.aviary.itest;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * No acknowledged message is lost in a crash: the distribution runs as its own process in
 * durable mode (the default); persistent subscribers (clean start, session expiry 1 h) subscribe
 * and go offline; a publisher pipelines N QoS 1 and N QoS 2 messages; the broker is killed with
 * SIGKILL at a random point and started again; the subscribers come back with clean start 0.
 * Every message whose PUBACK / PUBCOMP the publisher saw must arrive (QoS 1 at least once, QoS 2
 * exactly once, in publish order), sessions must be present, and a retained message and a
 * delayed publish acknowledged before the kill must survive it.
 */
public class DurableCrashIT {

    private static final int ROUNDS = Integer.getInteger("crash.rounds", 20);
    private static final int N = 100;
    private static final int SUBSCRIBERS = 2;
    private static Distribution dist;
    /** -Dcrash.set=durable_sessions.mode=memory shows what the test catches: sessions and messages are then lost. */
    private static final String[] ARGS = System.getProperty("crash.set", "").isEmpty() ? new String[0]
            : new String[] {"--set", System.getProperty("crash.set")};

    @BeforeClass
    public static void start() throws Exception {
        dist = new Distribution().start(ARGS);
    }

    @AfterClass
    public static void stop() throws Exception {
        dist.close();
    }

    private static Mqtt5AsyncClient client(String id) {
        return Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(dist.mqttPort)
                .addDisconnectedListener(c -> System.out.println("disconnected " + id + ": " + c.getCause()))
                .buildAsync();
    }

    /** What one subscriber received, topic -> payload sequence numbers in arrival order. */
    private static final class Received {
        final Map<String, Queue<Integer>> byTopic = new ConcurrentHashMap<>();

        void add(String topic, String payload) {
            byTopic.computeIfAbsent(topic, t -> new ConcurrentLinkedQueue<>()).add(Integer.parseInt(payload));
        }

        List<Integer> of(String topic) {
            return new ArrayList<>(byTopic.getOrDefault(topic, new ConcurrentLinkedQueue<>()));
        }
    }

    private static Received listen(Mqtt5AsyncClient c) {
        Received r = new Received();
        c.publishes(MqttGlobalPublishFilter.ALL, p -> r.add(p.getTopic().toString(),
                new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)));
        return r;
    }

    @Test
    public void acknowledgedMessagesSurviveSigkillInEveryRound() throws Exception {
        Random random = new Random();
        long lost = 0;
        long duplicates = 0;
        long orderViolations = 0;
        long lostSessions = 0;
        long acked = 0;
        long lostRetainedOrDelayed = 0;
        long inflightDuplicates = 0;
        long began = System.nanoTime();
        for (int round = 0; round < ROUNDS; round++) {
            String base = "crash/" + round + "/";
            for (int s = 0; s < SUBSCRIBERS; s++) {
                Mqtt5AsyncClient sub = client("sub-" + round + "-" + s);
                sub.connectWith().cleanStart(true).sessionExpiryInterval(3600).send().get(10, TimeUnit.SECONDS);
                sub.subscribeWith().topicFilter(base + "#").qos(MqttQos.EXACTLY_ONCE).send().get(10, TimeUnit.SECONDS);
                sub.disconnect().get(10, TimeUnit.SECONDS);
            }
            // a subscriber connected during the kill: messages are inflight to it; the same client object
            // (which keeps its QoS 2 state, as the protocol requires) resumes its session afterwards
            Mqtt5AsyncClient live = client("live-" + round);
            Received liveGot = listen(live);
            live.connectWith().cleanStart(true).sessionExpiryInterval(3600).send().get(10, TimeUnit.SECONDS);
            live.subscribeWith().topicFilter(base + "#").qos(MqttQos.EXACTLY_ONCE).send().get(10, TimeUnit.SECONDS);
            Mqtt5AsyncClient pub = client("pub-" + round);
            // no session for the publisher: its unacknowledged sends fail when the connection drops
            pub.connectWith().cleanStart(true).sessionExpiryInterval(0).send().get(10, TimeUnit.SECONDS);
            pub.publishWith().topic(base + "retained").qos(MqttQos.AT_LEAST_ONCE).retain(true)
                    .payload("1".getBytes(StandardCharsets.UTF_8)).send().get(10, TimeUnit.SECONDS);
            pub.publishWith().topic("$delayed/1/" + base + "delayed").qos(MqttQos.AT_LEAST_ONCE)
                    .payload("1".getBytes(StandardCharsets.UTF_8)).send().get(10, TimeUnit.SECONDS);

            Set<Integer> acked1 = ConcurrentHashMap.newKeySet();
            Set<Integer> acked2 = ConcurrentHashMap.newKeySet();
            List<CompletableFuture<?>> sends = new ArrayList<>();
            for (int i = 0; i < N; i++) {
                sends.add(send(pub, base + "q1", MqttQos.AT_LEAST_ONCE, i, acked1));
                sends.add(send(pub, base + "q2", MqttQos.EXACTLY_ONCE, i, acked2));
            }
            long killAfter = random.nextInt(120);
            await().pollDelay(Duration.ofMillis(killAfter)).atMost(Duration.ofSeconds(5)).until(() -> true); // the random kill point
            dist.process().destroyForcibly().waitFor(); // SIGKILL
            CompletableFuture.allOf(sends.stream().map(f -> f.handle((x, e) -> null)).toArray(CompletableFuture[]::new))
                    .get(30, TimeUnit.SECONDS);
            acked += acked1.size() + acked2.size();

            dist.start(ARGS);
            // all subscribers come back at once, then each is checked
            List<Mqtt5AsyncClient> subs = new ArrayList<>();
            List<Received> gots = new ArrayList<>();
            for (int s = 0; s <= SUBSCRIBERS; s++) {
                boolean connected = s == SUBSCRIBERS;
                Mqtt5AsyncClient sub = connected ? live : client("sub-" + round + "-" + s);
                gots.add(connected ? liveGot : listen(sub));
                subs.add(sub);
                Mqtt5ConnAck ack = sub.connectWith().cleanStart(false).sessionExpiryInterval(3600).send()
                        .get(10, TimeUnit.SECONDS);
                if (!ack.isSessionPresent()) {
                    lostSessions++;
                }
            }
            for (int s = 0; s <= SUBSCRIBERS; s++) {
                boolean connected = s == SUBSCRIBERS;
                Mqtt5AsyncClient sub = subs.get(s);
                Received got = gots.get(s);
                try {
                    await().atMost(Duration.ofSeconds(10)).until(() -> got.of(base + "q1").containsAll(acked1)
                            && got.of(base + "q2").containsAll(acked2) && !got.of(base + "delayed").isEmpty());
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    // counted below
                }
                for (int i : acked1) {
                    lost += got.of(base + "q1").contains(i) ? 0 : 1;
                }
                for (int i : acked2) {
                    lost += got.of(base + "q2").contains(i) ? 0 : 1;
                }
                lostRetainedOrDelayed += got.of(base + "delayed").isEmpty() ? 1 : 0;
                List<Integer> q2 = got.of(base + "q2");
                long dup = q2.size() - q2.stream().distinct().count();
                duplicates += dup;
                inflightDuplicates += connected ? dup : 0;
                orderViolations += violations(got.of(base + "q1")) + violations(q2);
                if (sub.getState().isConnected()) {
                    sub.disconnect().get(10, TimeUnit.SECONDS);
                }
            }
            Mqtt5AsyncClient late = client("late-" + round);
            Received retained = listen(late);
            late.connectWith().cleanStart(true).send().get(10, TimeUnit.SECONDS);
            late.subscribeWith().topicFilter(base + "retained").qos(MqttQos.AT_LEAST_ONCE).send().get(10, TimeUnit.SECONDS);
            try {
                await().atMost(Duration.ofSeconds(5)).until(() -> !retained.of(base + "retained").isEmpty());
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                lostRetainedOrDelayed++;
            }
            late.disconnect().get(10, TimeUnit.SECONDS);
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - began);
        String report = String.format("rounds=%d subscribers=%d (%d offline, 1 connected at the kill) acknowledged=%d"
                + " lost=%d qos2_duplicates=%d (connected subscriber: %d) order_violations=%d lost_sessions=%d"
                + " lost_retained_or_delayed=%d in %d s", ROUNDS, SUBSCRIBERS + 1, SUBSCRIBERS, acked, lost, duplicates,
                inflightDuplicates, orderViolations, lostSessions, lostRetainedOrDelayed, seconds);
        System.out.println("DurableCrashIT: " + report);
        Files.writeString(java.nio.file.Path.of("target", "durable-crash-report.txt"), report + "\n");
        assertEquals(report, 0, lost);
        assertEquals(report, 0, duplicates);
        assertEquals(report, 0, orderViolations);
        assertEquals(report, 0, lostSessions);
        assertEquals(report, 0, lostRetainedOrDelayed);
        assertTrue("some messages were acknowledged before the kills: " + report, acked > 0);
    }

    private static CompletableFuture<Mqtt5PublishResult> send(Mqtt5AsyncClient pub, String topic, MqttQos qos, int i,
                                                              Set<Integer> acked) {
        return pub.publishWith().topic(topic).qos(qos).payload(Integer.toString(i).getBytes(StandardCharsets.UTF_8))
                .send().whenComplete((r, e) -> {
                    if (e == null && r.getError().isEmpty() && !reasonIsError(r)) {
                        acked.add(i);
                    }
                });
    }

    private static boolean reasonIsError(Mqtt5PublishResult r) {
        if (r instanceof Mqtt5PublishResult.Mqtt5Qos1Result q1) {
            return q1.getPubAck().getReasonCode().isError();
        }
        if (r instanceof Mqtt5PublishResult.Mqtt5Qos2CompleteResult q2) {
            return q2.getPubRec().getReasonCode().isError() || q2.getPubComp().getReasonCode().isError();
        }
        return r instanceof Mqtt5PublishResult.Mqtt5Qos2Result;
    }

    /** Arrivals out of publish order, counting each message's first arrival only (QoS 1 may repeat). */
    private static long violations(List<Integer> arrivals) {
        long n = 0;
        int last = -1;
        Set<Integer> seen = new java.util.HashSet<>();
        for (int i : arrivals) {
            if (seen.add(i)) {
                if (i < last) {
                    n++;
                }
                last = i;
            }
        }
        return n;
    }
}

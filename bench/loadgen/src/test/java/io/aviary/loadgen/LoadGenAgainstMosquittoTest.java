package io.aviary.loadgen;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Each mode of the load generator, run for a second or two against a real Mosquitto: the JSON
 * line's figures must add up (what was sent arrived, every subscriber got every message, every
 * connection was made), since compare.sh's table is built from them.
 */
public class LoadGenAgainstMosquittoTest {
    private static Mosquitto mosquitto;

    @BeforeClass
    public static void startMosquitto() throws Exception {
        mosquitto = new Mosquitto();
    }

    @AfterClass
    public static void stopMosquitto() throws Exception {
        if (mosquitto != null) {
            mosquitto.close();
        }
    }

    /** Runs the generator in this JVM and returns its JSON line, parsed (the per-second lines go to the test log). */
    private static JsonObject run(String... args) throws Exception {
        return run(new Runner(Options.parse(withPort(args)), System.err));
    }

    private static JsonObject run(Runner runner) throws Exception {
        String line = runner.run().toJsonLine();
        System.err.println(line);
        return JsonParser.parseString(line).getAsJsonObject();
    }

    private static String[] withPort(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--port", Integer.toString(mosquitto.port), "--drain", "5"));
        return all.toArray(String[]::new);
    }

    private static long n(JsonObject j, String name) {
        return j.get(name).getAsLong();
    }

    @Test
    public void connModeReportsEveryConnectionMadeAndItsRate() throws Exception {
        JsonObject j = run("conn", "--count", "300", "--duration", "0.2", "--broker-pid", Long.toString(mosquitto.pid()));
        assertEquals(300, n(j, "connected"));
        assertEquals(0, n(j, "conn_failed"));
        assertTrue("rate " + j.get("conn_rate"), j.get("conn_rate").getAsDouble() > 0);
        JsonObject broker = j.getAsJsonObject("broker");
        assertTrue("broker CPU measured: " + broker, broker.get("cpu_us").getAsLong() >= 0);
        assertTrue("broker RSS measured: " + broker, broker.get("rss_kb_after").getAsLong() > 0);
    }

    /** soak.sh's churn: conn mode's warm-up opens and closes connections at --conn-rate, and reports how many. */
    @Test
    public void connModeWarmUpChurnsAtTheConnectionRateAndReportsIt() throws Exception {
        JsonObject j = run("conn", "--count", "20", "--conn-rate", "40", "--warmup", "1.5", "--duration", "0.2");
        long churned = n(j, "warmup_connected");
        assertTrue("at least one batch of 20 churned: " + churned, churned >= 20);
        assertTrue("paced at 40/s for 1.5 s (plus the batch under way): " + churned, churned <= 100);
        assertEquals(0, n(j, "warmup_conn_failed"));
        assertEquals(20, n(j, "connected"));
    }

    @Test
    public void connModeCountsRefusedConnectionsAsFailures() throws Exception {
        int closedPort = Mosquitto.freePort();
        JsonObject j = run(new Runner(Options.parse("conn", "--count", "5", "--port", Integer.toString(closedPort),
                "--duration", "0.1"), System.err));
        assertEquals(0, n(j, "connected"));
        assertEquals(5, n(j, "conn_failed"));
    }

    @Test
    public void fanInAtQos1DeliversEveryAcknowledgedMessage() throws Exception {
        JsonObject j = run("fanin", "--pubs", "4", "--qos", "1", "--rate", "500", "--warmup", "0.3", "--duration", "1");
        assertTrue("sent " + n(j, "sent"), n(j, "sent") > 1000);
        assertEquals(n(j, "sent"), n(j, "acked"));
        assertEquals(n(j, "sent"), n(j, "received"));
        assertEquals(n(j, "expected_received"), n(j, "received"));
        assertEquals(0, n(j, "errors"));
        assertEquals(5, n(j, "connected"));
    }

    @Test
    public void fanOutReachesEverySubscriberWithEveryMessage() throws Exception {
        JsonObject j = run("fanout", "--subs", "20", "--rate", "200", "--warmup", "0.3", "--duration", "1");
        long sent = n(j, "sent");
        assertTrue("sent " + sent, sent > 100);
        assertEquals(sent * 20, n(j, "received"));
        assertEquals(sent, n(j, "min_received_per_sub"));
        assertEquals(20, n(j, "subscribers"));
    }

    @Test
    public void p2pAtQos2OverMqtt5CompletesEveryFlow() throws Exception {
        JsonObject j = run("p2p", "--count", "5", "--qos", "2", "--version", "5", "--rate", "200", "--warmup", "0.3",
                "--duration", "1");
        assertTrue("sent " + n(j, "sent"), n(j, "sent") > 500);
        assertEquals(n(j, "sent"), n(j, "acked"));
        assertEquals(n(j, "sent"), n(j, "received"));
        assertEquals(n(j, "sent") / 5, n(j, "min_received_per_sub"), n(j, "sent") / 5 * 0.2);
        assertEquals(0, n(j, "errors"));
    }

    @Test
    public void latencyModeHoldsTheTotalRateAndReportsOrderedPercentiles() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        JsonObject j = run(new Runner(Options.parse(withPort("latency", "--count", "4", "--total-rate", "2000",
                "--warmup", "0.3", "--duration", "1.5")), into(log)));
        assertTrue("a line per second on the log: " + captured(log), captured(log).contains(" measure  conns=8 sent/s="));
        // A stall of the machine costs a paced publisher at most 50 ms of catch-up: allow for a few.
        assertEquals(2000, j.get("recv_rate").getAsDouble(), 500);
        JsonObject l = j.getAsJsonObject("latency_us");
        assertTrue("latencies recorded: " + l, l.get("count").getAsLong() > 2000);
        double p50 = l.get("p50").getAsDouble();
        double p99 = l.get("p99").getAsDouble();
        double p999 = l.get("p999").getAsDouble();
        double max = l.get("max").getAsDouble();
        assertTrue("ordered: " + l, 0 < p50 && p50 <= p99 && p99 <= p999 && p999 <= max);
        assertEquals(n(j, "sent"), n(j, "received"));
    }

    @Test
    public void unlimitedQos0PublishersAreNotHeldBackByTheGenerator() throws Exception {
        JsonObject j = run("pub", "--count", "2", "--topic", "nobody/%i", "--warmup", "0.3", "--duration", "1");
        // No subscriber: the broker only reads. A paced run would send nothing (rate 0): an
        // unlimited one sends at least ten thousand a second even on a loaded machine.
        assertTrue("sent/s " + j.get("sent_rate"), j.get("sent_rate").getAsDouble() > 10_000);
        assertEquals(0, n(j, "errors"));
    }

    @Test
    public void subModeReceivesWhatPubModeSendsOnTemplatedTopics() throws Exception {
        CountDownLatch subscribed = new CountDownLatch(1);
        Runner subscribers = new Runner(Options.parse(withPort("sub", "--count", "3", "--topic", "tpl/%i/x",
                "--warmup", "0", "--duration", "2.5")), System.err).onReady(subscribed::countDown);
        CompletableFuture<JsonObject> sub = CompletableFuture.supplyAsync(() -> {
            try {
                return run(subscribers);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue("subscribers ready", subscribed.await(10, TimeUnit.SECONDS));
        JsonObject pub = run("pub", "--count", "3", "--topic", "tpl/%i/x", "--qos", "1", "--rate", "100",
                "--warmup", "0", "--duration", "1");
        JsonObject s = sub.get(20, TimeUnit.SECONDS);
        assertEquals(n(pub, "acked"), n(s, "received"));
        // t/%i matches publisher i to subscriber i only: each got about a third.
        assertTrue("each subscriber got its publisher's messages: " + s,
                n(s, "min_received_per_sub") >= n(pub, "acked") / 3 / 2);
    }

    @Test
    public void tlsWithTheBrokersCaFileCarriesMessages() throws Exception {
        TestCerts certs = new TestCerts(Files.createTempDirectory("loadgen-tls"));
        int tlsPort = Mosquitto.freePort();
        try (Mosquitto tls = new Mosquitto("listener " + tlsPort + " 127.0.0.1", "certfile " + certs.certFile,
                "keyfile " + certs.keyFile)) {
            JsonObject j = run(new Runner(Options.parse("p2p", "--count", "2", "--qos", "1", "--rate", "200",
                    "--port", Integer.toString(tlsPort), "--cafile", certs.caFile.toString(),
                    "--warmup", "0.2", "--duration", "0.8"), System.err));
            assertTrue(j.get("tls").getAsBoolean());
            assertEquals(2 * 2, n(j, "connected"));
            assertTrue("sent " + n(j, "sent"), n(j, "sent") > 100);
            assertEquals(n(j, "sent"), n(j, "received"));
        }
    }

    static String captured(ByteArrayOutputStream out) {
        return out.toString(StandardCharsets.UTF_8);
    }

    static PrintStream into(ByteArrayOutputStream out) {
        return new PrintStream(out, true, StandardCharsets.UTF_8);
    }
}

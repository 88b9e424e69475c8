package io.aviary.broker.topic;

import io.aviary.api.broker.SubscriptionOptions;
import io.aviary.broker.session.SessionKey;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Topic matching in the broker's {@link LocalTopicIndex} holding 100,000 subscriptions of one
 * tenant, shaped like a device fleet (issue #12):
 * <ul>
 *   <li>70,000 device trees {@code site/+/dev/d<id>/#} (one per device);</li>
 *   <li>25,000 exact command topics {@code site/<s>/dev/d<id>/cmd} (of devices that also have a tree);</li>
 *   <li>4,995 members of shared groups: 100 filters {@code $share/workers<k>/site/<s>/alerts/+}, ~50 members each;</li>
 *   <li>5 wide ones: {@code site/#}, {@code fleet/#}, {@code site/+/dev/+/alarm/#}, {@code $SYS/#}, {@code +/+/dev/+/status}.</li>
 * </ul>
 * Topics are drawn from 4,096 precomputed ones per case, so each match walks a different path.
 * Hits: a device's telemetry (its tree and {@code site/#}), a command topic (exact, tree, site/#),
 * an alert (one shared group, site/#). Misses: an unknown root (no match at the first level) and an
 * unknown device (walks three levels, matches only {@code site/#}). Churn: one subscribe and one
 * unsubscribe of a device tree, the index staying at 100,000.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class TopicIndexBenchmark {

    static final String TENANT = "default";
    static final int DEVICES = 70_000;
    static final int EXACT = 25_000;
    static final int ALERT_FILTERS = 100;
    static final int SHARED = 4_995;
    static final String[] WIDE = {"site/#", "fleet/#", "site/+/dev/+/alarm/#", "$SYS/#", "+/+/dev/+/status"};
    static final int SITES = 100;
    private static final int TOPICS = 4096;

    /** A subscriber as the index sees it: a session key, always online. */
    record Sub(SessionKey key) implements Subscriber {
        @Override
        public boolean online() {
            return true;
        }
    }

    /** Counts what a match hands over, as the router's sink would collect it. */
    static final class CountingSink implements MatchSink {
        int direct;
        int shared;

        @Override
        public void direct(Subscription subscription) {
            direct++;
        }

        @Override
        public void shared(SharedGroup group) {
            shared++;
        }

        int reset() {
            int n = direct + shared;
            direct = 0;
            shared = 0;
            return n;
        }
    }

    final LocalTopicIndex index = new LocalTopicIndex();
    private final String[] telemetry = new String[TOPICS];
    private final String[] commands = new String[TOPICS];
    private final String[] alerts = new String[TOPICS];
    private final String[] unknownRoot = new String[TOPICS];
    private final String[] unknownDevice = new String[TOPICS];
    private final Subscription[] churn = new Subscription[TOPICS];

    @Setup(Level.Trial)
    public void setUp() {
        int n = fill(index);
        if (n != 100_000) {
            throw new IllegalStateException(n + " subscriptions");
        }
        SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < TOPICS; i++) {
            int site = r.nextInt(SITES);
            telemetry[i] = "site/" + site + "/dev/d" + r.nextInt(DEVICES) + "/telemetry";
            int cmd = r.nextInt(EXACT);
            commands[i] = "site/" + (cmd % SITES) + "/dev/d" + cmd + "/cmd";
            alerts[i] = "site/" + r.nextInt(ALERT_FILTERS) + "/alerts/temp";
            unknownRoot[i] = "plant/" + site + "/line/" + r.nextInt(1000) + "/temp";
            unknownDevice[i] = "site/" + site + "/dev/x" + r.nextInt(DEVICES) + "/telemetry";
            churn[i] = device(1_000_000 + i);
        }
        // Every case matches what it claims (a benchmark of the wrong thing would mislead).
        expect(telemetry[0], 2, "device tree and site/#");
        expect(commands[0], 3, "exact, device tree and site/#");
        expect(alerts[0], 2, "one shared group and site/#");
        expect(unknownRoot[0], 0, "nothing");
        expect(unknownDevice[0], 1, "site/# only");
    }

    /** The 100,000 subscriptions described above; returns how many were added. */
    static int fill(LocalTopicIndex index) {
        int n = 0;
        for (int id = 0; id < DEVICES; id++, n++) {
            index.add(TENANT, device(id));
        }
        for (int i = 0; i < EXACT; i++, n++) {
            int id = i; // a device that also has a tree: its commands match both
            String f = "site/" + (id % SITES) + "/dev/d" + id + "/cmd";
            index.add(TENANT, new Subscription(new Sub(new SessionKey(TENANT, "d" + id)), f, f, null, SubscriptionOptions.qos(1)));
        }
        for (int i = 0; i < SHARED; i++, n++) {
            int k = i % ALERT_FILTERS;
            String f = "site/" + k + "/alerts/+";
            String group = "workers" + k;
            index.add(TENANT, new Subscription(new Sub(new SessionKey(TENANT, "w" + i)), "$share/" + group + "/" + f, f,
                    group, SubscriptionOptions.qos(1)));
        }
        for (int i = 0; i < WIDE.length; i++, n++) {
            index.add(TENANT, new Subscription(new Sub(new SessionKey(TENANT, "app" + i)), WIDE[i], WIDE[i], null,
                    SubscriptionOptions.qos(0)));
        }
        return n;
    }

    static Subscription device(int id) {
        String f = "site/+/dev/d" + id + "/#";
        return new Subscription(new Sub(new SessionKey(TENANT, "d" + id)), f, f, null, SubscriptionOptions.qos(1));
    }

    private void expect(String topic, int matches, String what) {
        CountingSink sink = new CountingSink();
        index.match(TENANT, topic, sink);
        if (sink.reset() != matches) {
            throw new IllegalStateException(topic + " should match " + what);
        }
    }

    /** Each thread walks its own sequence of topics. */
    @State(Scope.Thread)
    public static class Cursor {
        final CountingSink sink = new CountingSink();
        int i;

        int next() {
            i = (i + 1) & (TOPICS - 1);
            return i;
        }
    }

    @Benchmark
    public int matchDeviceTelemetry(Cursor c) {
        index.match(TENANT, telemetry[c.next()], c.sink);
        return c.sink.reset();
    }

    @Benchmark
    public int matchExactCommand(Cursor c) {
        index.match(TENANT, commands[c.next()], c.sink);
        return c.sink.reset();
    }

    @Benchmark
    public int matchSharedAlert(Cursor c) {
        index.match(TENANT, alerts[c.next()], c.sink);
        return c.sink.reset();
    }

    @Benchmark
    public int missUnknownRoot(Cursor c) {
        index.match(TENANT, unknownRoot[c.next()], c.sink);
        return c.sink.reset();
    }

    @Benchmark
    public int missUnknownDevice(Cursor c) {
        index.match(TENANT, unknownDevice[c.next()], c.sink);
        return c.sink.reset();
    }

    /** One subscribe and one unsubscribe of a device tree (the index keeps its 100,000 meanwhile). */
    @Benchmark
    public boolean subscribeUnsubscribe(Cursor c) {
        Subscription s = churn[c.next()];
        index.add(TENANT, s);
        return index.remove(TENANT, s);
    }
}

package io.aviary.rules.engine;

import io.aviary.api.client.ClientInfo;
import io.aviary.api.message.Message;
import io.aviary.api.rules.RuleDefinition;
import io.aviary.rules.bench.RuleBenchmark;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the rule engine costs the broker's I/O thread per message (the figures behind running
 * evaluation on the rule lanes, docs/rules.md): a tenant without rules, a tenant whose rules
 * want other topics, the work before the hand-over when a rule matches (index, columns with the
 * payload copy), and the hand-over itself to an idle lane. Run with bench/rules-bench.sh.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RuntimeBenchmark {

    private RuleEngine engine;
    private RuleWorkers lanes;
    private EventColumns columns;
    private ClientInfo client;
    private Message otherTenant;
    private Message unrelated;
    private Message matching;
    private final Runnable nothing = () -> { };

    @Setup(Level.Trial)
    public void setUp() {
        engine = new RuleEngine(new RuleStore(null), "aviary@127.0.0.1", new RuleWorkers(2, 100_000),
                () -> null, on -> { });
        engine.load();
        engine.create(new RuleDefinition("typical", "acme",
                "SELECT payload.temp as t, clientid FROM \"sensors/#\" WHERE payload.temp > 20", List.of(), true, "", 0));
        lanes = new RuleWorkers(1, 100_000);
        columns = new EventColumns("aviary@127.0.0.1");
        client = new ClientInfo("acme", "sensor-0042", "plant7", new InetSocketAddress("10.0.0.42", 40000), "mqtt", 5,
                "tcp:default", null, null, Map.of());
        ByteBuffer payload = ByteBuffer.wrap(RuleBenchmark.PAYLOAD_BYTES());
        otherTenant = new Message("id1", "globex", "sensors/plant-7/sensor-0042", payload, 1, false, null, "sensor-0042", 1L);
        unrelated = new Message("id1", "acme", "devices/plant-7/sensor-0042", payload, 1, false, null, "sensor-0042", 1L);
        matching = new Message("id1", "acme", "sensors/plant-7/sensor-0042", payload, 1, false, null, "sensor-0042", 1L);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        engine.stop();
        lanes.stop(1000);
    }

    /** A message of a tenant that has no rule: one map lookup. */
    @Benchmark
    public void publishTenantWithoutRules() {
        engine.onPublish(client, otherTenant);
    }

    /** A message no rule of its tenant wants: the lookup and one index walk. */
    @Benchmark
    public void publishNoRuleMatches() {
        engine.onPublish(client, unrelated);
    }

    /** A matching message up to the hand-over: index walk plus the columns (payload copied). */
    @Benchmark
    public Object publishMatchedColumns() {
        return columns.publish(client, matching);
    }

    /** The hand-over: a task queued on an idle lane (includes waking its thread). */
    @Benchmark
    public boolean handOverToALane() {
        return lanes.submit(7, nothing);
    }

    /** For comparison: what evaluating the rule on the I/O thread would cost (context + rule). */
    @Benchmark
    public Object evaluateInline() {
        return engine.evaluateForBenchmark(columns.publish(client, matching));
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

package io.aviary.rules.bench;

import io.aviary.rules.CompiledRule;
import io.aviary.rules.MapRuleContext;
import io.aviary.rules.RuleIndex;
import io.aviary.rules.RuleSql;
import io.aviary.rules.RuleSqlException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one rule costs per message: a typical SELECT/WHERE on a ~200-byte JSON payload (the
 * context built as the broker builds it, the payload decoded lazily inside), the same rule on a
 * message its WHERE filters out, a rule that never touches the payload, and the rule index
 * with 1,000 rules. Not a test; run with
 * bench/rules-bench.sh. Figures are in docs/rules.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RuleBenchmark {

    static final String PAYLOAD = "{\"device\":\"sensor-0042\",\"site\":\"plant-7\",\"temp\":23.5,\"humidity\":41.2,"
            + "\"pressure\":1013.25,\"battery\":87,\"status\":\"ok\",\"ts\":1708933353472,\"fw\":\"1.4.2\","
            + "\"tags\":[\"a\",\"b\"],\"loc\":{\"lat\":48.85,\"lon\":2.35}}";
    static final String COLD = PAYLOAD.replace("23.5", "12.5");

    /** The typical payload in UTF-8 (the runtime benchmark's messages carry it). */
    public static byte[] PAYLOAD_BYTES() {
        return PAYLOAD.getBytes(StandardCharsets.UTF_8);
    }

    private CompiledRule typical;
    private RuleIndex<Integer> index;
    private CompiledRule metadataOnly;
    private byte[] hot;
    private byte[] cold;

    @Setup(Level.Trial)
    public void compile() throws RuleSqlException {
        typical = RuleSql.compile("SELECT payload.temp as t, clientid FROM \"sensors/#\" WHERE payload.temp > 20");
        metadataOnly = RuleSql.compile("SELECT clientid, topic, qos FROM \"sensors/#\" WHERE qos > 0");
        hot = PAYLOAD.getBytes(StandardCharsets.UTF_8);
        index = new RuleIndex<>();
        java.util.List<RuleIndex.Rule<Integer>> rules = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            rules.add(new RuleIndex.Rule<>("r" + i, RuleSql.compile("SELECT * FROM \"devices/" + i + "/+/telemetry\""), i));
        }
        index.putAll(rules);
        cold = COLD.getBytes(StandardCharsets.UTF_8);
    }

    private static MapRuleContext context(byte[] payload) {
        Map<String, Object> c = new HashMap<>(32);
        c.put("id", "0006225A2D1A2B5CF4420000008A0003");
        c.put("clientid", "sensor-0042");
        c.put("username", "plant7");
        c.put("payload", payload);
        c.put("peerhost", "10.0.0.42");
        c.put("topic", "sensors/plant-7/sensor-0042");
        c.put("qos", 1L);
        c.put("timestamp", 1708933353472L);
        c.put("publish_received_at", 1708933353472L);
        c.put("node", "aviary@127.0.0.1");
        return new MapRuleContext(c);
    }

    @Benchmark
    public List<Map<String, Object>> selectWhereJsonPasses() {
        return typical.apply(context(hot));
    }

    @Benchmark
    public List<Map<String, Object>> selectWhereJsonFilteredOut() {
        return typical.apply(context(cold));
    }

    @Benchmark
    public List<Map<String, Object>> selectMetadataOnly() {
        return metadataOnly.apply(context(hot));
    }

    /** 1,000 rules on other devices' topics: what finding none costs a message. */
    @Benchmark
    public List<Integer> index1000UnrelatedRules() {
        return index.matchTopic("sensors/plant-7/sensor-0042");
    }

    /** 1,000 rules, one of them matching. */
    @Benchmark
    public List<Integer> index1000RulesOneMatches() {
        return index.matchTopic("devices/417/plant-7/telemetry");
    }

    @Benchmark
    public MapRuleContext contextOnly() {
        return context(hot);
    }
}

#!/usr/bin/env bash
# The JMH micro-benchmarks of issue #12, in the modules' test sources:
#   io.aviary.mqtt.codec.PublishCodecBenchmark   decoding and encoding PUBLISH (3.1.1, 5, 5 with properties; 64 B and 1 KB)
#   io.aviary.broker.topic.TopicIndexBenchmark   matching in a 100,000-subscription topic index, and subscribe/unsubscribe churn
#   io.aviary.broker.session.SessionQueueBenchmark  QoS 1 admit/ack, backlogged queue, offline queue then reconnect
# Short iterations (2 x 1 s warm-up, 3 x 1 s measured, 1 fork): the whole default run takes
# about 3 minutes (21 cases). Allocation per operation comes from JMH's GC profiler (-prof gc, on by
# default; JMH_NO_GC=1 turns it off). Prints JMH's table, then a summary: ops/s and bytes per op.
#   bench/jmh.sh                         # all three suites
#   bench/jmh.sh TopicIndex              # a subset (a JMH regular expression over benchmark names)
#   bench/jmh.sh PublishCodec -p flavour=v5-props -wi 5 -i 10    # plus any JMH option
# Figures and what each case measures: docs/performance.md ("Micro-benchmarks").
set -euo pipefail
cd "$(dirname "$0")/.."
pattern='io\.aviary\.(mqtt\.codec\.PublishCodec|broker\.topic\.TopicIndex|broker\.session\.SessionQueue)Benchmark'
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then pattern="$1"; shift; fi

# One reactor build, so aviary-api, -mqtt-codec and -store come from this tree, not from ~/.m2.
mvn -B -o -q test-compile dependency:build-classpath -pl bundles/mqtt-codec,bundles/broker -am \
    -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test >/dev/null

# JMH reads one META-INF/BenchmarkList (and CompilerHints) from the classpath: merge the two modules'.
out=target/jmh; merged="$out/merged"
rm -rf "$merged"; mkdir -p "$merged/META-INF"
for f in BenchmarkList CompilerHints; do
  cat bundles/mqtt-codec/target/test-classes/META-INF/$f bundles/broker/target/test-classes/META-INF/$f \
    > "$merged/META-INF/$f" 2>/dev/null || true
done
cp="$merged:bundles/broker/target/test-classes:bundles/broker/target/classes:bundles/mqtt-codec/target/test-classes"
cp="$cp:bundles/mqtt-codec/target/classes:bundles/api/target/classes:bundles/store/target/classes"
cp="$cp:$(cat bundles/broker/target/bench.cp)"

prof=(-prof gc); [ "${JMH_NO_GC:-}" = 1 ] && prof=()
java -cp "$cp" org.openjdk.jmh.Main "$pattern" "${prof[@]}" -rf json -rff "$out/result.json" "$@"

# The summary: one row per benchmark and parameter set.
python3 - "$out/result.json" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))
print("\n%-62s %14s %9s %10s" % ("benchmark (params)", "ops/s", "±", "B/op"))
for r in rows:
    name = r["benchmark"].rsplit(".", 2)
    label = name[-2] + "." + name[-1]
    if r.get("params"):
        label += " (" + ", ".join("%s=%s" % kv for kv in r["params"].items()) + ")"
    m = r["primaryMetric"]
    alloc = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {}).get("score")
    print("%-62s %14s %9s %10s" % (label, "{:,.0f}".format(m["score"]),
          "{:,.0f}".format(m["scoreError"]) if m["scoreError"] == m["scoreError"] else "-",
          "-" if alloc is None else "{:,.1f}".format(alloc)))
PY

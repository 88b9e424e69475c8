#!/usr/bin/env bash
# The rule engine benchmark (JMH): one rule per message, a typical SELECT/WHERE on a ~200-byte
# JSON payload (passing and filtered out), a rule reading only metadata, and the context alone.
# (bundles/api/target/classes comes first: the reactor's api, not an older one in ~/.m2.)
# Then the runtime's cost to the broker's I/O thread per message (RuntimeBenchmark). About 80
# seconds. Figures are in docs/rules.md.
#   bench/rules-bench.sh [extra JMH options]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -o -q test-compile -pl bundles/rules -am
mvn -B -o -q dependency:build-classpath -pl bundles/rules -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test >/dev/null
cp="bundles/rules/target/test-classes:bundles/rules/target/classes:bundles/api/target/classes:$(cat bundles/rules/target/bench.cp)"
exec java -cp "$cp" org.openjdk.jmh.Main 'io.aviary.rules.(bench.RuleBenchmark|engine.RuntimeBenchmark)' "$@"

#!/usr/bin/env bash
# QoS 1 throughput with durable sessions as a ratio to memory mode, in one run (in-process
# brokers on 127.0.0.1; not a test). Figures are in docs/architecture.md.
#   bench/durable-ratio.sh [messages=40000] [publisher counts=1,8,16] [group commit window ms=5]
# Each publisher count runs memory mode then durable mode, one table row each.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -o -q test-compile dependency:build-classpath -pl bundles/broker -am -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
cp="bundles/broker/target/test-classes:bundles/broker/target/classes:$(cat bundles/broker/target/bench.cp)"
exec java -cp "$cp" io.aviary.broker.bench.DurableThroughputBench "$@"

#!/usr/bin/env bash
# The store benchmark (JMH): RocksDB against H2 MVStore, session-sized records put/get/delete and
# batches of 64 written with fsync. About a minute. Figures are in docs/architecture.md.
#   bench/store-bench.sh [extra JMH options]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -o -q test-compile -pl bundles/store -am
mvn -B -o -q dependency:build-classpath -pl bundles/store -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test >/dev/null
cp="bundles/store/target/test-classes:bundles/store/target/classes:$(cat bundles/store/target/bench.cp)"
exec java -cp "$cp" org.openjdk.jmh.Main 'io.aviary.store.internal.StoreBenchmark' "$@"

#!/usr/bin/env bash
# The MQTT load generator (bench/loadgen): builds it (offline when it can) when its sources changed, then runs it.
#   bench/loadgen.sh <conn|sub|pub|fanin|fanout|p2p|latency> [options]     (--help lists them)
#   bench/loadgen.sh --build-only     (build, print nothing, run nothing: for compare.sh)
# One line per second goes to stderr, one JSON line with the results to stdout.
# JVM options: LOADGEN_JAVA_OPTS (default: a 2 GB heap, parallel GC).
set -euo pipefail
cd "$(dirname "$0")/.."
module=bench/loadgen
cpfile="$module/target/loadgen.cp"
if [ ! -f "$cpfile" ] || [ ! -d "$module/target/classes" ] || \
   [ -n "$(find "$module/src/main" "$module/pom.xml" pom.xml -newer "$cpfile" -type f -print -quit)" ]; then
  build=(-B -q -Dstyle.color=never compile dependency:build-classpath -pl "$module" -am
         -Dmdep.outputFile="$PWD/$cpfile" -Dmdep.includeScope=runtime)
  # Offline first; a fresh machine fetches the dependencies once.
  mvn -o "${build[@]}" >&2 2>/dev/null || mvn "${build[@]}" >&2
fi
[ "${1:-}" = "--build-only" ] && exit 0
exec java ${LOADGEN_JAVA_OPTS:--Xms512m -Xmx2g -XX:+UseParallelGC} \
  -cp "$module/target/classes:$(cat "$cpfile")" io.aviary.loadgen.LoadGen "$@"

#!/usr/bin/env bash
# Measures, over N runs of the assembled distribution, the time from `bin/aviary console`
# to ready (data/aviary.ready written: core bundles active, MQTT listener bound), the time
# until the admin API answers, and the resident memory (RSS) once idle.
#   bench/startup.sh [runs]      (build first: mvn -DskipTests install)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
version="$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' pom.xml | head -n 1)"
src="assembly/target/aviary-$version"
[ -x "$src/bin/aviary" ] || { echo "build the distribution first: mvn -DskipTests install" >&2; exit 1; }

work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
now_ms() { date +%s%3N; }

printf 'run  ready_ms  api_ms  idle_rss_mb\n'
for i in $(seq 1 "$runs"); do
  rm -rf "$work/d"; cp -r "$src" "$work/d"
  mqtt=$(port); api=$(port); ws=$(port)
  t0=$(now_ms)
  "$work/d/bin/aviary" console --set "listeners.tcp.default.bind=127.0.0.1:$mqtt" \
      --set "listeners.ws.default.bind=127.0.0.1:$ws" \
      --set "dashboard.listeners.http.bind=127.0.0.1:$api" --set log.console=false >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do [ -f "$work/d/data/aviary.ready" ] && break; sleep 0.005; done
  t_ready=$(( $(now_ms) - t0 ))
  for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$api/api/v5/status" >/dev/null 2>&1 && break; sleep 0.01; done
  t_api=$(( $(now_ms) - t0 ))
  sleep 5 # let start-up work settle before reading idle memory
  jpid=$(pgrep -P "$pid" java || echo "$pid")
  rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$jpid/status" 2>/dev/null || echo 0)
  printf '%3d  %8d  %6d  %11d\n' "$i" "$t_ready" "$t_api" $((rss_kb / 1024))
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
done

#!/usr/bin/env bash
# Slow consumer: one subscriber stops reading (SIGSTOP: its socket fills up, the broker can no
# longer write to it) while a publisher sends QoS 0 messages as fast as it can for DURATION
# seconds; two other subscribers keep reading. Prints how many messages each healthy
# subscriber got, the broker's delivery.dropped counters (via the admin API's /metrics when
# present) and its RSS at start and every 10 s. The target: RSS grows < 64 MB over the run,
# because the stalled subscriber's queue is capped by mqtt.max_mqueue_len (drops counted).
#   bench/slow-consumer.sh [duration_s] [payload_bytes]   (build first: mvn -DskipTests package)
# JAVA_OPTS passes through to bin/aviary (e.g. JAVA_OPTS=-Xmx512m to fix the heap).
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-60}"; size="${2:-200}"
version="$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' pom.xml | head -n 1)"
src="assembly/target/aviary-$version"
[ -x "$src/bin/aviary" ] || { echo "build the distribution first" >&2; exit 1; }
command -v mosquitto_pub >/dev/null || { echo "needs mosquitto-clients" >&2; exit 1; }

work="$(mktemp -d)"; pids=()
cleanup() { for p in "${pids[@]}"; do kill -CONT "$p" 2>/dev/null || true; kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
rss_mb() { awk '/VmRSS/ {printf "%d", $2 / 1024}' "/proc/$1/status"; }

cp -r "$src" "$work/d"
mqtt=$(port); api=$(port); ws=$(port)
"$work/d/bin/aviary" console --set "listeners.tcp.default.bind=127.0.0.1:$mqtt" \
    --set "listeners.ws.default.bind=127.0.0.1:$ws" --set "dashboard.listeners.http.bind=127.0.0.1:$api" \
    --set log.console=false >/dev/null 2>&1 &
broker=$!; pids+=("$broker")
for _ in $(seq 1 600); do [ -f "$work/d/data/aviary.ready" ] && break; sleep 0.05; done

mosquitto_sub -h 127.0.0.1 -p "$mqtt" -i slow -t bench/slow >/dev/null &
slow=$!; pids+=("$slow")
healthy=()
for n in 1 2; do
  mosquitto_sub -h 127.0.0.1 -p "$mqtt" -i "healthy$n" -t bench/slow > "$work/healthy$n" &
  healthy+=("$!"); pids+=("$!")
done
subscribed() { curl -s -u admin:public "http://127.0.0.1:$api/api/v5/clients/$1" | grep -q '"subscriptions_cnt":1'; }
for _ in $(seq 1 100); do subscribed slow && subscribed healthy1 && subscribed healthy2 && break; sleep 0.1; done
subscribed slow || { echo "the slow subscriber did not subscribe" >&2; exit 1; }
kill -STOP "$slow"
sleep 2 # settle before the baseline
start_rss=$(rss_mb "$broker")
echo "broker pid $broker, RSS at start ${start_rss} MB; publishing ${size}-byte QoS 0 messages for ${duration} s"
payload="$(head -c "$size" /dev/zero | tr '\0' 'x')"
(yes "$payload" | timeout "$duration" mosquitto_pub -h 127.0.0.1 -p "$mqtt" -i pub -t bench/slow -l -q 0 || true) &
pub=$!; pids+=("$pub")
max_rss=$start_rss
for t in $(seq 10 10 "$duration"); do
  sleep 10
  r=$(rss_mb "$broker"); [ "$r" -gt "$max_rss" ] && max_rss=$r
  echo "t=${t}s RSS ${r} MB"
done
wait "$pub" 2>/dev/null || true
sleep 2
end_rss=$(rss_mb "$broker")
echo "RSS start ${start_rss} MB, max ${max_rss} MB, end ${end_rss} MB, growth $((max_rss - start_rss)) MB (target < 64)"
curl -s -u admin:public "http://127.0.0.1:$api/api/v5/clients/slow" | head -c 600; echo
for n in 1 2; do echo "healthy$n received $(wc -l < "$work/healthy$n") messages"; done

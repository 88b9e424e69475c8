#!/usr/bin/env bash
# Soak run (issue #12): the assembled distribution (a copy, durable mode, free ports on
# 127.0.0.1) under mixed load at about half of its measured capacity for MINUTES, while the
# broker's RSS and heap after GC are sampled. Java brokers' most reported failure is a slow leak
# under long load: this runs before every performance claim.
#   bench/soak.sh [minutes, default 30]          (build first: mvn -B -o -q package -DskipTests)
# Load, all at once, for the whole run (every generator bounded by its own --duration):
#   fan-in QoS 1      8 publishers -> 1 subscriber (bench/loadgen fanin), at SOAK_LOAD/2 of its capacity
#   fan-out QoS 0     1 publisher -> 20 subscribers (bench/loadgen fanout), at SOAK_LOAD/2 of its capacity
#   churn             connect/disconnect at SOAK_CHURN_RATE per second (bench/loadgen conn's paced warm-up)
#   persistent        5 MQTT 5 subscribers (clean start off, session expiry 1 h) go offline, 200 QoS 1
#                     messages each are published, they come back and must receive every one
#   retained          20 retained topics updated every cycle; a fresh subscriber must see the latest values
# Capacity is measured first, 5 s each: fan-in QoS 1 and fan-out QoS 0 received msg/s.
# Samples every SOAK_SAMPLE_S (20; 10 for runs under 10 min): RSS (/proc/PID/status VmRSS) and heap
# after a full GC (jcmd GC.run, then GC.heap_info). The heap is fixed and pre-touched
# (-Xms = -Xmx = SOAK_HEAP, 512m) so that RSS grows only with what lives outside the heap.
# Prints one JSON line on stdout (progress on stderr); exit status 0 on PASS, 1 on FAIL.
# Thresholds and why: docs/performance.md ("Soak run").
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
minutes="${1:-30}"
[[ "$minutes" =~ ^[0-9]+$ ]] && [ "$minutes" -ge 1 ] || { echo "usage: bench/soak.sh [minutes >= 1]" >&2; exit 2; }
duration=$(( minutes * 60 ))
load="${SOAK_LOAD:-0.5}"
churn_rate="${SOAK_CHURN_RATE:-50}"
heap="${SOAK_HEAP:-512m}"
rss_max="${SOAK_RSS_MB_PER_H:-64}"
heap_max="${SOAK_HEAP_MB_PER_H:-16}"
sample_s="${SOAK_SAMPLE_S:-$([ "$minutes" -lt 10 ] && echo 10 || echo 20)}"
ps_subs=5; ps_batch=200; ret_topics=20

version="$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' pom.xml | head -n 1)"
src="assembly/target/aviary-$version"
[ -x "$src/bin/aviary" ] || { echo "build the distribution first: mvn -B -o -q package -DskipTests" >&2; exit 2; }
for c in mosquitto_pub mosquitto_sub jcmd python3; do
  command -v "$c" >/dev/null || { echo "soak.sh needs $c" >&2; exit 2; }
done
bench/loadgen.sh --build-only 2>/dev/null || { echo "the load generator does not build: bench/loadgen.sh --build-only" >&2; exit 2; }

work="$(mktemp -d)"; pids=()
log() { echo "[soak] $(date -u +%H:%M:%S) $*" >&2; }
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null || true
  done
  [ -n "${SOAK_KEEP:-}" ] && { log "kept $work"; return; }
  rm -rf "$work"
}
trap cleanup EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
export LOADGEN_JAVA_OPTS="-Xms64m -Xmx512m -XX:+UseParallelGC -XX:TieredStopAtLevel=1"

# ---- the broker
cp -r "$src" "$work/d"
mqtt=$(port); api=$(port); ws=$(port)
JAVA_OPTS="-Xms$heap -Xmx$heap -XX:+AlwaysPreTouch" AVIARY_DURABLE_SESSIONS__MODE=durable AVIARY_LOG__LEVEL=warn \
  "$work/d/bin/aviary" console --set "listeners.tcp.default.bind=127.0.0.1:$mqtt" \
    --set "listeners.ws.default.bind=127.0.0.1:$ws" --set "dashboard.listeners.http.bind=127.0.0.1:$api" \
    >"$work/console.out" 2>&1 &
broker=$!; pids+=("$broker")
for _ in $(seq 1 1200); do [ -f "$work/d/data/aviary.ready" ] && break; kill -0 "$broker" 2>/dev/null || break; sleep 0.1; done
[ -f "$work/d/data/aviary.ready" ] || { log "the broker did not start: $(tail -n 5 "$work/console.out")"; exit 1; }
log "broker pid $broker on 127.0.0.1:$mqtt (durable mode, heap $heap); $minutes min, samples every $sample_s s"

lg() { bench/loadgen.sh "$@" -p "$mqtt" --quiet; }
# The broker's own drop counters (delivery.dropped.*), with the API key it printed at its first start:
# they tell a message the broker dropped from one the generator stopped waiting for.
metrics_to() {
  local key
  key=$(cat "$work/console.out" "$work/d/log/"* 2>/dev/null | sed -n 's/.*api_key=\([^ ]*\) api_secret=\([^ ]*\).*/\1:\2/p' | head -n 1)
  [ -n "$key" ] && curl -s -m 10 -u "$key" "http://127.0.0.1:$api/api/v5/metrics" >"$1" 2>/dev/null || true
}
json_field() { python3 -c 'import json,sys; print(json.loads(sys.stdin.readlines()[-1])[sys.argv[1]])' "$1"; }

# ---- capacity (also warms the broker's JIT)
cap_in=$(lg fanin --pubs 8 --qos 1 -d 5 -w 2 --drain 5 2>"$work/cap.err" | json_field recv_rate) \
  || { log "the capacity run failed: $(tail -n 3 "$work/cap.err")"; exit 1; }
cap_out=$(lg fanout --subs 20 --qos 0 -d 5 -w 2 --drain 2 2>"$work/cap.err" | json_field recv_rate) \
  || { log "the capacity run failed: $(tail -n 3 "$work/cap.err")"; exit 1; }
metrics_to "$work/metrics-capacity.json" # its unlimited publishers overflow queues by design: not the soak's drops
rate_in=$(python3 -c "print(max(8.0, $cap_in * $load / 2 / 8))")        # per publisher (8)
rate_out=$(python3 -c "print(max(1.0, $cap_out * $load / 2 / 20))")     # the one publisher, 20 deliveries each
log "capacity: fan-in QoS 1 $cap_in msg/s, fan-out QoS 0 $cap_out deliveries/s; soak at $load of it:" \
    "fan-in $rate_in msg/s per publisher x 8, fan-out $rate_out msg/s x 20 subscribers, churn $churn_rate conn/s"

# ---- the load, each generator bounded by its own duration
lg fanin --pubs 8 --qos 1 --rate "$rate_in" -d "$duration" -w 0 --drain 15 --broker-pid "$broker" \
  >"$work/fanin.json" 2>"$work/fanin.err" &
pids+=("$!"); fanin_pid=$!
lg fanout --subs 20 --qos 0 --rate "$rate_out" -d "$duration" -w 0 --drain 5 \
  >"$work/fanout.json" 2>"$work/fanout.err" &
pids+=("$!"); fanout_pid=$!
lg conn --count "$churn_rate" --conn-rate "$churn_rate" -w "$duration" -d 1 --drain 2 \
  >"$work/churn.json" 2>"$work/churn.err" &
pids+=("$!"); churn_pid=$!

# ---- persistent subscribers and retained updates: one cycle after another until the end
cycles() {
  local end=$(( $(date +%s) + duration )) cycle=0 sent=0 received=0 lost=0 ret_sent=0 ret_err=0 errors=0
  local sub=(mosquitto_sub -h 127.0.0.1 -p "$mqtt" -V mqttv5 -c -x 3600 -q 1)
  for k in $(seq 1 $ps_subs); do  # first connection: the session and its subscription
    timeout 30 "${sub[@]}" -i "soak-ps$k" -t "soak/ps/$k" -E 2>>"$work/cycles.err" || errors=$((errors + 1))
  done
  while [ "$(date +%s)" -lt "$end" ]; do
    cycle=$((cycle + 1))
    for k in $(seq 1 $ps_subs); do
      # offline: the broker queues these for soak-ps$k
      seq -f "c$cycle-%g" 1 $ps_batch | timeout 60 mosquitto_pub -h 127.0.0.1 -p "$mqtt" -V mqttv5 -q 1 -i "soak-pub$k" \
        -t "soak/ps/$k" -l 2>>"$work/cycles.err" || errors=$((errors + 1))
      sent=$((sent + ps_batch))
      # back online: every queued message must arrive (duplicates allowed: QoS 1)
      timeout 60 "${sub[@]}" -i "soak-ps$k" -t "soak/ps/$k" -C $ps_batch -W 30 >"$work/ps.out" 2>>"$work/cycles.err" || true
      got=$(grep -c "^c$cycle-" "$work/ps.out" | head -n 1 || true)
      uniq=$(grep "^c$cycle-" "$work/ps.out" | sort -u | wc -l)
      if [ "$uniq" -lt $ps_batch ]; then  # duplicates may have used up -C: collect the rest (bounded)
        timeout 20 "${sub[@]}" -i "soak-ps$k" -t "soak/ps/$k" -W 5 >>"$work/ps.out" 2>/dev/null || true
        uniq=$(grep "^c$cycle-" "$work/ps.out" | sort -u | wc -l)
      fi
      received=$((received + uniq)); lost=$((lost + ps_batch - uniq))
      [ "$uniq" -lt $ps_batch ] && log "cycle $cycle: soak-ps$k got $uniq of $ps_batch (${got:-0} with duplicates)"
    done
    for r in $(seq 1 $ret_topics); do
      timeout 30 mosquitto_pub -h 127.0.0.1 -p "$mqtt" -q 1 -r -i "soak-ret" -t "soak/ret/$r" -m "v$cycle" \
        2>>"$work/cycles.err" || errors=$((errors + 1))
      ret_sent=$((ret_sent + 1))
    done
    timeout 30 mosquitto_sub -h 127.0.0.1 -p "$mqtt" -q 1 -t 'soak/ret/#' -v -C $ret_topics -W 10 \
      >"$work/ret.out" 2>/dev/null || true
    fresh=$(grep -c " v$cycle\$" "$work/ret.out" || true)
    [ "${fresh:-0}" -lt $ret_topics ] && { ret_err=$((ret_err + ret_topics - ${fresh:-0}));
      log "cycle $cycle: $fresh of $ret_topics retained topics show the latest value"; }
    sleep 2
  done
  echo "{\"cycles\":$cycle,\"sent\":$sent,\"received\":$received,\"lost\":$lost,\"retained_updates\":$ret_sent,\"retained_stale\":$ret_err,\"errors\":$errors}" \
    >"$work/cycles.json"
}
cycles &
pids+=("$!"); cycles_pid=$!

# ---- samples: RSS and heap after a full GC, until every load is done (bounded)
t0=$(date +%s); deadline=$(( t0 + duration + 240 ))
: >"$work/samples"
sample() {
  local t rss heapkb
  t=$(( $(date +%s) - t0 ))
  rss=$(awk '/^VmRSS/ {print $2}' "/proc/$broker/status" 2>/dev/null || echo -1)
  timeout 30 jcmd "$broker" GC.run >/dev/null 2>&1 || true
  heapkb=$(timeout 30 jcmd "$broker" GC.heap_info 2>/dev/null | sed -n 's/.*total [0-9]*K, used \([0-9]*\)K.*/\1/p' | head -n 1)
  echo "$t ${rss:--1} ${heapkb:--1}" >>"$work/samples"
  echo "$t ${rss:--1} ${heapkb:--1}"
}
next=0
while :; do
  now=$(( $(date +%s) - t0 ))
  if [ "$now" -ge "$next" ]; then
    read -r t rss hk < <(sample)
    log "t=${t}s RSS $((rss / 1024)) MB, heap after GC $((hk / 1024)) MB"
    next=$(( next + sample_s ))
  fi
  busy=0
  for p in "$fanin_pid" "$fanout_pid" "$churn_pid" "$cycles_pid"; do kill -0 "$p" 2>/dev/null && busy=1; done
  [ "$busy" = 0 ] && break
  kill -0 "$broker" 2>/dev/null || { log "the broker died: $(tail -n 5 "$work/console.out")"; break; }
  [ "$(date +%s)" -ge "$deadline" ] && { log "load still running at the deadline: stopping it"; break; }
  sleep 1
done
sample >/dev/null
broker_alive=$(kill -0 "$broker" 2>/dev/null && echo true || echo false)
metrics_to "$work/metrics.json"
log_errors=$(cat "$work/d/log/"* 2>/dev/null | grep -c ' ERROR ' || true)

# ---- the verdict
python3 - "$work" "$minutes" "$rss_max" "$heap_max" "$broker_alive" "${log_errors:-0}" "$cap_in" "$cap_out" "$load" <<'PY'
import json, sys, os
work, minutes, rss_max, heap_max, alive, log_errors = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), sys.argv[5] == "true", int(sys.argv[6])
cap_in, cap_out, load = float(sys.argv[7]), float(sys.argv[8]), float(sys.argv[9])
def last_json(name):
    try:
        lines = [l for l in open(os.path.join(work, name)) if l.strip().startswith("{")]
        return json.loads(lines[-1]) if lines else None
    except OSError:
        return None
fanin, fanout, churn, cycles = last_json("fanin.json"), last_json("fanout.json"), last_json("churn.json"), last_json("cycles.json")
samples = [tuple(map(float, l.split())) for l in open(os.path.join(work, "samples")) if l.strip()]
duration = minutes * 60

def slope(col, minima):
    """MB per hour over the last two thirds of the run: least squares over the samples (RSS), or
    over the minimum of each tenth of that window (heap after GC: the live set under load moves
    with what is in flight at the moment of the GC; its floor is what a leak raises)."""
    pts = [(s[0] / 3600, s[col] / 1024) for s in samples if duration / 3 <= s[0] <= duration and s[col] >= 0]
    if minima and len(pts) >= 20:
        g = len(pts) // 10
        pts = [(sum(p[0] for p in grp) / len(grp), min(p[1] for p in grp))
               for grp in (pts[i:i + g] for i in range(0, len(pts) - g + 1, g))]
    if len(pts) < 3:
        return None
    n = len(pts); mx = sum(p[0] for p in pts) / n; my = sum(p[1] for p in pts) / n
    sxx = sum((p[0] - mx) ** 2 for p in pts)
    return round(sum((p[0] - mx) * (p[1] - my) for p in pts) / sxx, 1) if sxx > 0 else None

def flow(r, qos):
    if r is None:
        return {"missing": True}
    lost = max(0, r["expected_received"] - r["received"]) if r["expected_received"] >= 0 else None
    return {"qos": qos, "sent": r["sent"], "acked": r["acked"], "received": r["received"],
            "expected": r["expected_received"], "lost": lost, "sent_rate": r["sent_rate"], "recv_rate": r["recv_rate"],
            "errors": r["errors"], "conn_failed": r["conn_failed"], "unexpected_closes": r["unexpected_closes"]}

def broker_drops(name):
    """Every non-zero counter with "dropped" in its name from the broker's /api/v5/metrics, or None."""
    try:
        metrics = json.load(open(os.path.join(work, name)))
    except (OSError, ValueError):
        return None
    found = {}
    def walk(o):
        if isinstance(o, dict):
            for k, v in o.items():
                if "dropped" in k and isinstance(v, (int, float)) and v:
                    found[k] = found.get(k, 0) + v
                else:
                    walk(v)
        elif isinstance(o, list):
            for v in o:
                walk(v)
    walk(metrics)
    return found

fi, fo = flow(fanin, 1), flow(fanout, 0)
cap_drops, end_drops = broker_drops("metrics-capacity.json"), broker_drops("metrics.json")
# the soak's own drops: the counters at the end less those of the capacity run before it
soak_drops = None if end_drops is None else {k: v - (cap_drops or {}).get(k, 0) for k, v in end_drops.items()
                                             if v - (cap_drops or {}).get(k, 0)}
errors = {
    "fanin": (fi.get("errors", 0) + fi.get("conn_failed", 0) + fi.get("unexpected_closes", 0)) if fanin else 1,
    "fanout": (fo.get("errors", 0) + fo.get("conn_failed", 0) + fo.get("unexpected_closes", 0)) if fanout else 1,
    "churn": (churn["errors"] + churn["conn_failed"] + churn.get("warmup_conn_failed", 0) + churn["unexpected_closes"]) if churn else 1,
    "persistent_and_retained": (cycles["errors"] + cycles["retained_stale"]) if cycles else 1,
    "broker_log_errors": log_errors,
    "broker_died": 0 if alive else 1,
}
lost_q1 = (fi.get("lost") or 0) + (cycles["lost"] if cycles else 0) + (0 if fanin and cycles else 1)
rss_slope, heap_slope = slope(1, False), slope(2, True)
slopes_checked = minutes >= 10
reasons = []
if lost_q1: reasons.append("lost QoS 1 messages: %d" % lost_q1)
if sum(errors.values()): reasons.append("errors: %d" % sum(errors.values()))
if slopes_checked:
    if rss_slope is None or rss_slope > rss_max: reasons.append("RSS slope %s MB/h > %s" % (rss_slope, rss_max))
    if heap_slope is None or heap_slope > heap_max: reasons.append("heap-after-GC slope %s MB/h > %s" % (heap_slope, heap_max))
out = {
    "duration_s": duration, "load": load,
    "capacity": {"fanin_q1_msg_s": cap_in, "fanout_q0_deliveries_s": cap_out},
    "flows": {
        "fanin_q1": fi,
        "fanout_q0": fo,
        "churn": None if churn is None else {"connects": churn["connected"] + churn.get("warmup_connected", 0), "conn_failed": churn["conn_failed"] + churn.get("warmup_conn_failed", 0),
                                            "errors": churn["errors"], "unexpected_closes": churn["unexpected_closes"]},
        "persistent_q1": None if cycles is None else {"cycles": cycles["cycles"], "sent": cycles["sent"],
                                                     "received": cycles["received"], "lost": cycles["lost"]},
        "retained": None if cycles is None else {"updates": cycles["retained_updates"], "stale": cycles["retained_stale"]},
    },
    "lost_qos1": lost_q1,
    "broker_drops": soak_drops,
    "broker_drops_capacity_run": cap_drops,
    "errors": errors,
    "samples": len(samples),
    "rss_mb": {"first": round(samples[0][1] / 1024, 1), "last": round(samples[-1][1] / 1024, 1)} if samples else None,
    "heap_after_gc_mb": {"first": round(samples[0][2] / 1024, 1), "last": round(samples[-1][2] / 1024, 1)} if samples else None,
    "rss_slope_mb_per_h": rss_slope, "heap_after_gc_slope_mb_per_h": heap_slope,
    "thresholds": {"rss_mb_per_h": rss_max, "heap_after_gc_mb_per_h": heap_max, "slopes_checked": slopes_checked},
    "result": "FAIL" if reasons else "PASS",
}
if reasons: out["why"] = reasons
if not slopes_checked: out["note"] = "runs under 10 minutes check losses and errors only: their slopes are extrapolated from too short a window"
print(json.dumps(out, separators=(",", ":")))
sys.exit(1 if reasons else 0)
PY

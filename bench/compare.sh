#!/usr/bin/env bash
# Side by side on this machine: Aviary (memory and durable mode), Mosquitto (the Debian package) and
# HiveMQ CE (embedded; in-memory and file persistence), each started fresh on a free port of
# 127.0.0.1, driven by the same load generator (bench/loadgen) through the same scenario list.
# The broker order rotates every round. Prints a markdown table of each figure (median over the
# rounds) with Aviary's ratio to each peer, and the brokers' CPU microseconds per message.
#
#   bench/compare.sh [--quick] [--rounds N] [--duration S] [--warmup S] [--conns N]
#                    [--brokers aviary-memory,aviary-durable,mosquitto,hivemq-memory,hivemq-file]
#                    [--scenarios conn,latency,p2p-q1,fanout-q0,fanin-q1,fanin-q0]
#                    [--warm-pass S] [--out DIR]
#   --quick: 1 round of 1 s per scenario and 2,000 connections (about 3 minutes once built).
# Defaults: 3 rounds of 10 s (2 s warm-up), 10,000 connections.
#   --warm-pass S: after each start, the low-rate scenarios (conn, latency) first run once, the
#   latency one for S seconds (default 3; 0 = no warm pass), and the measured conn scenario opens and
#   closes connections for 5 s before it measures (1 s with --quick): the JVM brokers are then
#   measured once their JIT compilers have compiled these paths, as a broker that has been up for a
#   while. The throughput scenarios need no such pass: their own 2 s warm-up carries millions of
#   messages. Every broker gets the same treatment; the first pass's figures (a fresh broker: the
#   cold connection rate, and the RSS per idle connection, whose growth a warm-up would hide) are
#   kept under cold/ and tabled apart.
#
# Sessions are persistent (clean session off, MQTT 3.1.1), so that the durable modes store what they
# promise to keep. Every broker logs warnings only. Raw JSON lines and the generator's per-second
# lines stay in the output folder (target/compare/<time>/ by default).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

rounds=3 duration=10 warmup=2 conns=10000 hold=3 drain=3 connect_timeout=15 settle=10 warm_pass=3 conn_warmup=5
brokers="aviary-memory,aviary-durable,mosquitto,hivemq-memory,hivemq-file"
# The overloading scenarios (unlimited publishers) come last, so the others start on a quiet broker.
scenarios="conn,latency,p2p-q1,fanout-q0,fanin-q1,fanin-q0"
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) rounds=1 duration=1 warmup=0.5 conns=2000 hold=0.5 drain=0.5 connect_timeout=5 settle=1 warm_pass=0.5 conn_warmup=1 ;;
    --rounds) rounds="$2"; shift ;;
    --duration) duration="$2"; shift ;;
    --warmup) warmup="$2"; shift ;;
    --conns) conns="$2"; shift ;;
    --brokers) brokers="$2"; shift ;;
    --scenarios) scenarios="$2"; shift ;;
    --out) out="$2"; shift ;;
    --warm-pass) warm_pass="$2"; shift ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "compare.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
out="${out:-$root/target/compare/$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$out/cold"
work="$(mktemp -d /tmp/aviary-compare.XXXXXX)"
log() { echo "[compare] $*" >&2; }

# Connections: as many file descriptors as this shell may have (its children inherit them).
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
maxconns=$(( $(ulimit -n) - 200 ))
if [ "$conns" -gt "$maxconns" ]; then
  log "the open-files limit is $(ulimit -n): conn scenario lowered from $conns to $maxconns connections"
  conns=$maxconns
fi

# ---- build (offline) -------------------------------------------------------------------------
version="$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' pom.xml | head -n 1)"
dist="$root/assembly/target/aviary-$version"
if [[ ",$brokers," == *",aviary-"* ]]; then
  if [ ! -x "$dist/bin/aviary" ] || [ -n "$(find pom.xml */pom.xml bundles runtime plugins-* assembly/src \
        -newer "$dist/bin/aviary" -type f -not -path '*/target/*' -print -quit 2>/dev/null)" ]; then
    log "building the Aviary distribution (mvn -B -o -q package -DskipTests)"
    mvn -B -o -q -Dstyle.color=never package -DskipTests >&2 || mvn -B -q -Dstyle.color=never package -DskipTests >&2
    touch "$dist/bin/aviary"
  fi
fi
bench/loadgen.sh --build-only
loadgen_cp="bench/loadgen/target/classes:$(cat bench/loadgen/target/loadgen.cp)"
if [[ ",$brokers," == *",hivemq-"* ]]; then
  if ! mvn -B -q -o -Dstyle.color=never -f bench/hivemq/pom.xml package dependency:build-classpath -Dmdep.outputFile=target/hivemq.cp >"$work/hivemq-build.log" 2>&1 &&
     ! mvn -B -q -Dstyle.color=never -f bench/hivemq/pom.xml package dependency:build-classpath -Dmdep.outputFile=target/hivemq.cp >>"$work/hivemq-build.log" 2>&1; then
    log "HiveMQ CE (com.hivemq:hivemq-community-edition-embedded) does not resolve: left out ($(tail -n 3 "$work/hivemq-build.log" | tr '\n' ' '))"
    brokers="$(echo "$brokers" | tr ',' '\n' | grep -v '^hivemq-' | paste -sd, -)"
  fi
fi
hivemq_cp="bench/hivemq/target/classes:$(cat bench/hivemq/target/hivemq.cp 2>/dev/null || true)"

# ---- brokers --------------------------------------------------------------------------------
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_for() { # condition-command, seconds: poll until it holds, the broker died, or time is up
  local i
  for i in $(seq 1 $(( $2 * 20 ))); do
    eval "$1" && return 0
    kill -0 "$broker_pid" 2>/dev/null || return 1
    sleep 0.05
  done
  return 1
}
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

broker_pid="" broker_port=""
start_broker() { # name, home folder
  local name="$1" home="$2"
  broker_port=$(free_port)
  mkdir -p "$home"
  case "$name" in
    aviary-memory|aviary-durable)
      local mode=durable; [ "$name" = aviary-memory ] && mode=memory
      AVIARY_NODE__DATA_DIR="$home/data" AVIARY_LOG__DIR="$home/log" AVIARY_DURABLE_SESSIONS__MODE="$mode" \
      AVIARY_LOG__LEVEL=warn AVIARY_LOG__CONSOLE=false \
        "$dist/bin/aviary" console --set "listeners.tcp.default.bind=127.0.0.1:$broker_port" \
          --set "listeners.ws.default.bind=127.0.0.1:$(free_port)" \
          --set "dashboard.listeners.http.bind=127.0.0.1:$(free_port)" >"$home/console.out" 2>&1 &
      broker_pid=$!
      wait_for "[ -f '$home/data/aviary.ready' ]" 60 ;;
    mosquitto)
      printf '%s\n' "listener $broker_port 127.0.0.1" "allow_anonymous true" "user root" "persistence false" \
        "max_queued_messages 1000" "max_inflight_messages 32" "set_tcp_nodelay true" "log_dest stderr" \
        "log_type error" "log_type warning" >"$home/mosquitto.conf"
      mosquitto -c "$home/mosquitto.conf" >"$home/console.out" 2>&1 &
      broker_pid=$!
      wait_for "port_open $broker_port" 10 ;;
    hivemq-memory|hivemq-file)
      local mode=file; [ "$name" = hivemq-memory ] && mode=in-memory
      java -cp "$hivemq_cp" io.aviary.bench.hivemq.HiveMqLauncher "$home" "$broker_port" "$mode" >"$home/console.out" 2>&1 &
      broker_pid=$!
      wait_for "[ -f '$home/ready' ]" 60 ;;
    *) log "unknown broker $name"; return 1 ;;
  esac
}

stop_broker() {
  [ -n "$broker_pid" ] || return 0
  kill -TERM "$broker_pid" 2>/dev/null || true
  local i
  for i in $(seq 1 300); do kill -0 "$broker_pid" 2>/dev/null || break; sleep 0.05; done
  kill -KILL "$broker_pid" 2>/dev/null || true
  wait "$broker_pid" 2>/dev/null || true
  broker_pid=""
}
trap 'stop_broker; rm -rf "$work"' EXIT

# After a scenario that overloaded the broker it may still work through a backlog: wait (bounded)
# until it uses under 10 % of a core, so the next scenario starts on an idle broker.
settle_broker() {
  local hz; hz=$(getconf CLK_TCK)
  local i before after
  for i in $(seq 1 $(( settle * 5 ))); do
    before=$(awk '{print $14 + $15}' "/proc/$broker_pid/stat" 2>/dev/null) || return 0
    sleep 0.2
    after=$(awk '{print $14 + $15}' "/proc/$broker_pid/stat" 2>/dev/null) || return 0
    [ $(( (after - before) * 100 )) -le $(( hz * 2 )) ] && return 0
  done
  log "$broker still busy after ${settle}s; going on"
}

# The generator's JVM: C2 for the message scenarios (cheapest per message once compiled); for the
# connection scenario C1 only, whose compilations cost less CPU than the few seconds of
# connecting would otherwise spend in the JIT (the generator shares the 2 cores with the broker).
generator_jvm() {
  if [ "$1" = conn ]; then echo -Xms256m -Xmx2g -XX:+UseParallelGC -XX:TieredStopAtLevel=1
  else echo -Xms256m -Xmx2g -XX:+UseParallelGC; fi
}

# ---- scenarios ------------------------------------------------------------------------------
scenario_args() { # scenario [warm]: the measured pass, or (warm) the first pass after the start
  local d="$duration" w="$warmup" h="$hold" cw="$conn_warmup"
  # Measured: 5 s of throw-away connections first (about as many as three passes of 10,000 open):
  # the connect path is the one a JIT compiles last, each connection using it once. The first pass
  # opens its connections on the fresh broker, with no warm-up at all.
  [ "${2:-}" = warm ] && { d="$warm_pass" w=1 cw=0; }
  local common=(--warmup "$w" --duration "$d" --drain "$drain" --clean false --size 64
                --connect-timeout "$connect_timeout")
  case "$1" in
    conn)      echo conn --count "$conns" --warmup "$cw" --duration "$h" --connect-timeout "$connect_timeout" ;;
    fanin-q0)  echo fanin --pubs 16 --qos 0 "${common[@]}" ;;
    fanin-q1)  echo fanin --pubs 16 --qos 1 "${common[@]}" ;;
    fanout-q0) echo fanout --subs 100 --qos 0 "${common[@]}" ;;
    p2p-q1)    echo p2p --count 100 --qos 1 "${common[@]}" ;;
    latency)   echo latency --count 16 --total-rate 10000 --qos 0 "${common[@]}" ;;
    *) log "unknown scenario $1"; return 1 ;;
  esac
}

run_scenario() { # scenario, result file (without .json), [warm]
  local scenario="$1" result="$2"
  settle_broker
  # shellcheck disable=SC2046
  if timeout 120 java $(generator_jvm "$scenario") -cp "$loadgen_cp" io.aviary.loadgen.LoadGen \
       $(scenario_args "$scenario" "${3:-}") --port "$broker_port" --broker-pid "$broker_pid" \
       >"$result.json" 2>"$result.log"; then
    log "round $round $broker $scenario${3:+ ($3 pass)}: $(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("recv/s=%.0f conn/s=%s p99=%sus broker_cpu_us/msg=%s" % (d["recv_rate"], d.get("conn_rate","-"), d["latency_us"]["p99"], d.get("broker",{}).get("cpu_us_per_msg","-")))' "$result.json")"
  else
    log "round $round $broker $scenario${3:+ ($3 pass)} failed: $(tail -n 3 "$result.log" | tr '\n' ' ')"
  fi
}

IFS=, read -r -a broker_list <<<"$brokers"
IFS=, read -r -a scenario_list <<<"$scenarios"
log "brokers: ${broker_list[*]}; scenarios: ${scenario_list[*]}; $rounds round(s) of ${duration}s; results in $out"
n=${#broker_list[@]}
for round in $(seq 1 "$rounds"); do
  for k in $(seq 0 $(( n - 1 ))); do
    broker="${broker_list[$(( (k + round - 1) % n ))]}"
    home="$work/$broker-r$round"
    if ! start_broker "$broker" "$home"; then
      log "$broker did not start: $(tail -n 5 "$home/console.out" 2>/dev/null | tr '\n' ' ')"
      stop_broker
      continue
    fi
    if [ "$warm_pass" != 0 ]; then
      for scenario in "${scenario_list[@]}"; do
        case "$scenario" in conn|latency) ;; *) continue ;; esac
        run_scenario "$scenario" "$out/cold/$broker.$scenario.r$round" warm
        kill -0 "$broker_pid" 2>/dev/null || break
      done
    fi
    for scenario in "${scenario_list[@]}"; do
      kill -0 "$broker_pid" 2>/dev/null || { log "$broker died: $(tail -n 5 "$home/console.out" | tr '\n' ' ')"; break; }
      run_scenario "$scenario" "$out/$broker.$scenario.r$round"
    done
    cp "$home/console.out" "$out/$broker.r$round.console.out" 2>/dev/null || true
    stop_broker
    rm -rf "$home"
  done
done

{
  echo "<!-- bench/compare.sh $rounds round(s), ${duration}s per scenario after a ${warm_pass}s warm pass, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(uname -r) -->"
  python3 bench/compare-table.py "$out" "$brokers"
} | tee "$out/table.md"

#!/usr/bin/env bash
# Messages per second from MQTT publish to rows in PostgreSQL, with batching on: the real
# PostgreSQL of scripts/services.sh, the assembled distribution on free ports, a pgsql connector,
# an action with EMQX's default insert template (batch_size 100, batch_time 10ms; the client id in
# place of the payload, as the load generator's payloads are binary), a rule SELECT * FROM
# "bench/#", and bench/loadgen publishing (QoS 1 by default) for --duration seconds. The figure
# is rows / (last row's insert time - first row's), read from the table itself (clock_timestamp()
# per row), once every published message is a row.
#   bench/sql-sink-bench.sh [--pubs N] [--rate R per publisher, 0 = unlimited] [--duration S]
#                           [--batch-size N] [--pool-size N] [--qos 0|1]
#   bench/sql-sink-bench.sh --sink-only [rows] [batch_size] [inflight] [pool_size]
#     the storage-pgsql sink alone (no broker, no runtime): Sink.send into PostgreSQL
# Figures are in docs/integrations/postgresql.md.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
log() { echo "sql-sink-bench: $*" >&2; }

./scripts/services.sh up postgres >&2
pg_port="$(cat target/services/postgres/port)"
psql_() { PGPASSWORD=aviary-secret psql -h 127.0.0.1 -p "$pg_port" -U aviary -d aviary -tAq -v ON_ERROR_STOP=1 -c "$1"; }

if [ "${1:-}" = "--sink-only" ]; then
  shift
  m=plugins-storage/storage-pgsql
  mvn -B -o -q test-compile dependency:build-classpath -pl "$m" -am -Dmdep.outputFile=target/bench.cp \
    -Dmdep.includeScope=test >&2
  exec java -Daviary.services.dir="$root/target/services" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp "$m/target/test-classes:$m/target/classes:$(cat $m/target/bench.cp)" io.aviary.storage.pgsql.PgsqlSinkBench "$@"
fi

pubs=10 rate=0 duration=10 batch_size=100 pool_size=8 qos=1
while [ $# -gt 0 ]; do
  case "$1" in
    --pubs) pubs="$2"; shift ;;
    --rate) rate="$2"; shift ;;
    --duration) duration="$2"; shift ;;
    --batch-size) batch_size="$2"; shift ;;
    --pool-size) pool_size="$2"; shift ;;
    --qos) qos="$2"; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "sql-sink-bench: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

[ -d bundles/integration ] || { log "the integration runtime (bundles/integration) is not in this tree: use --sink-only"; exit 2; }

version="$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' pom.xml | head -n 1)"
dist="$root/assembly/target/aviary-$version"
if [ ! -x "$dist/bin/aviary" ] || [ -n "$(find pom.xml */pom.xml bundles runtime plugins-* assembly/src \
      -newer "$dist/bin/aviary" -type f -not -path '*/target/*' -print -quit 2>/dev/null)" ]; then
  log "building the distribution (mvn -B -o -q package -DskipTests)"
  mvn -B -o -q package -DskipTests >&2
  touch "$dist/bin/aviary"
fi
bench/loadgen.sh --build-only

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
home="$(mktemp -d /tmp/aviary-sqlbench.XXXXXX)"
mqtt_port=$(free_port) http_port=$(free_port)
AVIARY_NODE__DATA_DIR="$home/data" AVIARY_LOG__DIR="$home/log" AVIARY_LOG__LEVEL=warn AVIARY_LOG__CONSOLE=false \
  "$dist/bin/aviary" console --set "listeners.tcp.default.bind=127.0.0.1:$mqtt_port" \
    --set "listeners.ws.default.bind=127.0.0.1:$(free_port)" \
    --set "dashboard.listeners.http.bind=127.0.0.1:$http_port" >"$home/console.out" 2>&1 &
aviary_pid=$!
table="bench_e2e_$$"
cleanup() {
  kill "$aviary_pid" 2>/dev/null && wait "$aviary_pid" 2>/dev/null || true
  psql_ "drop table if exists $table" >/dev/null 2>&1 || true
  rm -rf "$home"
}
trap cleanup EXIT
for _ in $(seq 1 600); do [ -f "$home/data/aviary.ready" ] && break; kill -0 "$aviary_pid" || exit 1; sleep 0.1; done
[ -f "$home/data/aviary.ready" ] || { log "Aviary did not start: $(tail -n 5 "$home/console.out")"; exit 1; }
# the admin API starts beside the broker, not before "ready"
for _ in $(seq 1 300); do
  curl -sf -u admin:public "http://127.0.0.1:$http_port/api/v5/status" >/dev/null 2>&1 && break; sleep 0.1
done

api() { # method path [json]
  local out; out="$(curl -sS -u admin:public -X "$1" -H 'Content-Type: application/json' \
    ${3:+-d "$3"} -w '\n%{http_code}' "http://127.0.0.1:$http_port/api/v5$2")"
  local code="${out##*$'\n'}"
  [[ "$code" == 2* ]] || { log "$1 $2 -> $code ${out%$'\n'*}"; exit 1; }
  echo "${out%$'\n'*}"
}

psql_ "create table $table (id bigserial primary key, msgid varchar(64), topic varchar(255), qos smallint,
  payload text, arrived timestamptz, inserted timestamptz default clock_timestamp())"
api POST /connectors "{\"type\":\"pgsql\",\"name\":\"bench\",\"server\":\"127.0.0.1:$pg_port\",\"database\":\"aviary\",
  \"username\":\"aviary\",\"password\":\"aviary-secret\",\"pool_size\":$pool_size}" >/dev/null
api POST /actions "{\"type\":\"pgsql\",\"name\":\"bench\",\"connector\":\"bench\",
  \"parameters\":{\"sql\":\"insert into $table(msgid, topic, qos, payload, arrived) values (\${id}, \${topic}, \${qos}, \${clientid}, TO_TIMESTAMP((\${timestamp} :: bigint)/1000))\"},
  \"resource_opts\":{\"batch_size\":$batch_size,\"batch_time\":\"10ms\",\"inflight_window\":100}}" >/dev/null
api POST /rules '{"sql":"SELECT * FROM \"bench/#\"","actions":["pgsql:bench"]}' >/dev/null

log "publishing: $pubs publishers, QoS $qos, rate ${rate}/s each (0 = unlimited), ${duration}s"
result="$(bench/loadgen.sh pub -p "$mqtt_port" --count "$pubs" --rate "$rate" -q "$qos" -t 'bench/%i' -s 64 \
  --duration "$duration" --warmup 0 --quiet)"
sent="$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["sent"])' "$result")"
log "published $sent; waiting for the rows"
rows=0 last=-1 still=0
while [ "$still" -lt 50 ]; do # until every message is a row, or 5 s without a new row
  rows="$(psql_ "select count(*) from $table")"
  [ "$rows" -ge "$sent" ] && break
  if [ "$rows" = "$last" ]; then still=$((still + 1)); else still=0; fi
  last="$rows"; sleep 0.1
done
span="$(psql_ "select extract(epoch from max(inserted) - min(inserted)) from $table")"
metrics="$(api GET /actions/pgsql:bench/metrics)"
python3 - "$sent" "$rows" "$span" "$batch_size" "$pubs" "$rate" "$metrics" <<'PY'
import json, sys
sent, rows, span = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3] or 0)
m = json.loads(sys.argv[7]).get("metrics", {})
print(json.dumps({"last_error": m.get("last_error"), "published": sent, "rows": rows, "seconds": round(span, 2),
                  "msgs_per_s": round(rows / span) if span > 0 else None, "batch_size": int(sys.argv[4]),
                  "publishers": int(sys.argv[5]), "rate_per_publisher": int(sys.argv[6]),
                  "action_metrics": {k: m.get(k) for k in ("matched", "success", "failed", "dropped", "retried")}}))
PY
[ "$rows" -ge "$sent" ] || { log "only $rows of $sent messages became rows"; exit 1; }

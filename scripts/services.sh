#!/usr/bin/env bash
# Starts and stops the real servers that integration tests talk to, each on 127.0.0.1 on a
# non-default port, with its data under target/services/NAME/ and its PID recorded there.
#   scripts/services.sh up [NAME...]    start the named services (default: all listed below)
#   scripts/services.sh down            stop exactly the processes this script started
# Tests read each service's port from target/services/NAME/port.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD/target/services"

# The services the suite needs today. Later issues add theirs (mariadb, postgres, redis, ...).
ALL_SERVICES=(mosquitto kafka)

wait_for_port() { # port seconds
  local deadline=$((SECONDS + $2))
  until (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.1
  done
}

up_mosquitto() { # an MQTT peer broker, e.g. for bridge tests and side-by-side benchmarks
  local dir="$ROOT/mosquitto" port=11883
  mkdir -p "$dir"
  printf 'listener %s 127.0.0.1\nallow_anonymous true\nuser root\npersistence false\n' "$port" >"$dir/mosquitto.conf"
  mosquitto -c "$dir/mosquitto.conf" >"$dir/out.log" 2>&1 &
  echo $! >"$dir/pid"
  echo "$port" >"$dir/port"
  wait_for_port "$port" 10 || { echo "mosquitto did not start: $(tail -n 5 "$dir/out.log")" >&2; return 1; }
}

up_kafka() { # Apache Kafka 4.1.1 in KRaft mode, one node (broker + controller), from Maven Central;
  # a plain listener, and a SASL one (PLAIN user aviary / aviary-secret; SCRAM-SHA-256 users are
  # created by the tests through the admin API)
  local dir="$ROOT/kafka" port=19092 cport=19093 sport=19094
  mkdir -p "$dir"
  # the broker's classpath, resolved by Maven from scripts/kafka/pom.xml (fetched on a fresh machine)
  if [ ! -s "$dir/classpath" ] || [ scripts/kafka/pom.xml -nt "$dir/classpath" ]; then
    mvn -B -q -o -f scripts/kafka/pom.xml dependency:build-classpath -Dmdep.outputFile="$dir/classpath" >"$dir/mvn.log" 2>&1 \
      || mvn -B -q -f scripts/kafka/pom.xml dependency:build-classpath -Dmdep.outputFile="$dir/classpath" >"$dir/mvn.log" 2>&1 \
      || { echo "kafka: cannot resolve its classpath: $(tail -n 5 "$dir/mvn.log")" >&2; return 1; }
  fi
  cat >"$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport,SASL_PLAINTEXT://127.0.0.1:$sport
advertised.listeners=PLAINTEXT://127.0.0.1:$port,SASL_PLAINTEXT://127.0.0.1:$sport
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT
sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256
listener.name.sasl_plaintext.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_aviary="aviary-secret";
listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
log.dirs=$dir/data
num.partitions=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
PROPS
  local java_opts=(-Xms64m -Xmx384m -XX:+UseSerialGC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn)
  if [ ! -f "$dir/data/meta.properties" ]; then # a new data folder: format it for a new cluster id
    local cluster_id; cluster_id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
    java "${java_opts[@]}" -cp "$(cat "$dir/classpath")" kafka.tools.StorageTool format \
      -t "$cluster_id" -c "$dir/server.properties" >"$dir/format.log" 2>&1 \
      || { echo "kafka: format failed: $(tail -n 5 "$dir/format.log")" >&2; return 1; }
  fi
  java "${java_opts[@]}" -cp "$(cat "$dir/classpath")" kafka.Kafka "$dir/server.properties" >"$dir/out.log" 2>&1 &
  echo $! >"$dir/pid"
  echo "$port" >"$dir/port"
  echo "$sport" >"$dir/sasl_port"
  wait_for_port "$port" 90 || { echo "kafka did not start: $(tail -n 5 "$dir/out.log")" >&2; return 1; }
}

down_all() {
  [ -d "$ROOT" ] || return 0
  for pidfile in "$ROOT"/*/pid; do
    [ -f "$pidfile" ] || continue
    local pid; pid="$(cat "$pidfile")"
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$pidfile"
  done
}

case "${1:-}" in
  up)
    shift
    names=("$@"); [ ${#names[@]} -gt 0 ] || names=("${ALL_SERVICES[@]}")
    for name in "${names[@]}"; do
      echo "Starting service $name"
      "up_$name"
    done
    ;;
  down) down_all ;;
  *) echo "usage: $0 up [NAME...] | down" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# Starts and stops the real servers that integration tests talk to, each on 127.0.0.1 on a
# non-default port, with its data under target/services/NAME/ and its PID recorded there.
#   scripts/services.sh up [NAME...]    start the named services (default: all listed below)
#   scripts/services.sh down            stop exactly the processes this script started
#   scripts/services.sh stop NAME       stop one service's processes (outage tests start it again with up)
#   scripts/services.sh rabbitmqctl ARG...  rabbitmqctl against the test node (stop_app/start_app in outage tests)
# Tests read each service's port from target/services/NAME/port.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD/target/services"

# The services the suite needs today. Later issues add theirs (mariadb, postgres, redis, ...).
ALL_SERVICES=(mosquitto redis redis-cluster rabbitmq kafka mariadb postgres)

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
    java "${java_opts[@]}" -cp "$(cat "$dir/classpath")" kafka.tools.StorageTool format --cluster-id="$cluster_id" \
      -c "$dir/server.properties" >"$dir/format.log" 2>&1 \
      || { echo "kafka: format failed: $(tail -n 5 "$dir/format.log")" >&2; return 1; }
  fi
  java "${java_opts[@]}" -cp "$(cat "$dir/classpath")" kafka.Kafka "$dir/server.properties" >"$dir/out.log" 2>&1 &
  echo $! >"$dir/pid"
  echo "$port" >"$dir/port"
  echo "$sport" >"$dir/sasl_port"
  wait_for_port "$port" 90 || { echo "kafka did not start: $(tail -n 5 "$dir/out.log")" >&2; return 1; }
}

# A service's port: the one it had before (a restart keeps it), else the preferred one if free,
# else any free port.
service_port() { # dir preferred
  if [ -f "$1/port" ]; then cat "$1/port"; return; fi
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$2") 2>/dev/null; then echo "$2"; return; fi
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

up_mariadb() { # MySQL protocol (storage-mysql); test database aviary, user aviary / aviary-secret
  local dir="$ROOT/mariadb" port
  mkdir -p "$dir"; port="$(service_port "$dir" 13306)"
  if [ ! -d "$dir/data/mysql" ]; then
    mariadb-install-db --no-defaults --datadir="$dir/data" --user=root --auth-root-authentication-method=normal \
      --skip-test-db >"$dir/init.log" 2>&1 || { echo "mariadb init failed: $(tail -n 5 "$dir/init.log")" >&2; return 1; }
  fi
  mariadbd --no-defaults --datadir="$dir/data" --socket="$dir/sock" --pid-file="$dir/mariadbd.pid" \
    --bind-address=127.0.0.1 --port="$port" --user=root --skip-log-bin --innodb-buffer-pool-size=64M \
    --skip-name-resolve --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci >"$dir/out.log" 2>&1 &
  echo $! >"$dir/pid"
  echo "$port" >"$dir/port"
  local deadline=$((SECONDS + 30))
  until mariadb-admin --no-defaults --socket="$dir/sock" -uroot ping >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] && kill -0 "$(cat "$dir/pid")" 2>/dev/null || { echo "mariadb did not start: $(tail -n 5 "$dir/out.log")" >&2; return 1; }
    sleep 0.1
  done
  mariadb --no-defaults --socket="$dir/sock" -uroot -e "CREATE DATABASE IF NOT EXISTS aviary CHARACTER SET utf8mb4;
    ALTER DATABASE aviary CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
    CREATE USER IF NOT EXISTS 'aviary'@'%' IDENTIFIED BY 'aviary-secret'; GRANT ALL ON aviary.* TO 'aviary'@'%';"
}

up_postgres() { # PostgreSQL (storage-pgsql); test database aviary, user aviary / aviary-secret (scram over TCP)
  local dir="$ROOT/postgres" port bin=/usr/lib/postgresql/15/bin
  mkdir -p "$dir"; port="$(service_port "$dir" 15432)"
  local as_pg=(setpriv --reuid=postgres --regid=postgres --init-groups)
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    rm -rf "$dir/data"; mkdir -p "$dir/data"; chown postgres "$dir" "$dir/data"
    "${as_pg[@]}" "$bin/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
      >"$dir/init.log" 2>&1 || { echo "postgres init failed: $(tail -n 5 "$dir/init.log")" >&2; return 1; }
  fi
  # setpriv execs, so the recorded PID is the postmaster's; SIGINT is its fast shutdown (SIGTERM
  # would wait for every client to disconnect)
  "${as_pg[@]}" "$bin/postgres" -D "$dir/data" -c listen_addresses=127.0.0.1 -p "$port" \
    -c unix_socket_directories="$dir" -c fsync=off -c synchronous_commit=off >"$dir/out.log" 2>&1 &
  echo $! >"$dir/pid"
  echo INT >"$dir/stopsignal"
  echo "$port" >"$dir/port"
  local deadline=$((SECONDS + 30))
  until "$bin/pg_isready" -q -h "$dir" -p "$port"; do
    [ $SECONDS -lt $deadline ] && kill -0 "$(cat "$dir/pid")" 2>/dev/null || { echo "postgres did not start: $(tail -n 5 "$dir/out.log")" >&2; return 1; }
    sleep 0.1
  done
  "$bin/psql" -q -h "$dir" -p "$port" -U postgres -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
SELECT 'CREATE ROLE aviary LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'aviary')\gexec
ALTER ROLE aviary PASSWORD 'aviary-secret';
SELECT 'CREATE DATABASE aviary OWNER aviary' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'aviary')\gexec
SQL
}

up_redis() { # a single Redis node, for storage-redis and Redis-backed auth
  local dir="$ROOT/redis" port=16379
  mkdir -p "$dir"
  redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no --dir "$dir" \
    --logfile "$dir/out.log" --daemonize no >/dev/null 2>&1 &
  echo $! >"$dir/pid"
  echo "$port" >"$dir/port"
  wait_for_port "$port" 10 || { echo "redis did not start: $(tail -n 5 "$dir/out.log")" >&2; return 1; }
}

up_redis-cluster() { # a 3-master Redis Cluster (no replicas), for storage-redis cluster mode; ~1 s
  local dir="$ROOT/redis-cluster" ports=(17001 17002 17003) servers=()
  rm -rf "$dir"; mkdir -p "$dir"
  for p in "${ports[@]}"; do
    mkdir -p "$dir/$p"
    # cluster-port is port+10000 by default: 27001..27003
    redis-server --bind 127.0.0.1 --port "$p" --cluster-enabled yes --cluster-config-file "$dir/$p/nodes.conf" \
      --cluster-node-timeout 2000 --save '' --appendonly no --dir "$dir/$p" --logfile "$dir/$p/out.log" >/dev/null 2>&1 &
    echo $! >"$dir/node-$p.pid"
    servers+=("127.0.0.1:$p")
  done
  for p in "${ports[@]}"; do
    wait_for_port "$p" 10 || { echo "redis cluster node $p did not start: $(tail -n 5 "$dir/$p/out.log")" >&2; return 1; }
  done
  redis-cli --cluster create "${servers[@]}" --cluster-replicas 0 --cluster-yes >"$dir/create.log" 2>&1 \
    || { echo "redis-cli --cluster create failed: $(tail -n 5 "$dir/create.log")" >&2; return 1; }
  local deadline=$((SECONDS + 10))
  until redis-cli -p "${ports[0]}" cluster info 2>/dev/null | grep -q 'cluster_state:ok'; do
    [ $SECONDS -lt $deadline ] || { echo "redis cluster did not reach cluster_state:ok" >&2; return 1; }
    sleep 0.1
  done
  echo "${ports[0]}" >"$dir/port"
  (IFS=,; echo "${servers[*]}") >"$dir/servers"
}

rabbitmq_env() { # the environment every RabbitMQ command of this script runs with ($1: service folder)
  local dir="$1"
  export HOME="$dir" RABBITMQ_NODENAME="aviary-test@localhost" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
    RABBITMQ_NODE_PORT=15673 RABBITMQ_TLS_PORT=15676 RABBITMQ_DIST_PORT=15674 ERL_EPMD_ADDRESS=127.0.0.1 ERL_EPMD_PORT=15675 \
    RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log" RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf" \
    RABBITMQ_PID_FILE="$dir/beam.pid" RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" \
    RABBITMQ_ENABLED_PLUGINS="" RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq-env.conf" \
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
}

up_rabbitmq() { # RabbitMQ (AMQP 0-9-1) for bridge-rabbitmq; ~3.5 s, so once per suite
  local dir="$ROOT/rabbitmq"
  mkdir -p "$dir"
  (
    rabbitmq_env "$dir"
    : >"$dir/rabbitmq-env.conf"; echo '[].' >"$dir/enabled_plugins"
    # a TLS listener too, with a CA and a server certificate for localhost made here (tls/ca.pem is what tests trust)
    if [ ! -f "$dir/tls/server.pem" ]; then
      mkdir -p "$dir/tls"
      openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=Aviary test CA" \
        -keyout "$dir/tls/ca.key" -out "$dir/tls/ca.pem" >/dev/null 2>&1
      openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$dir/tls/server.key" -out "$dir/tls/server.csr" >/dev/null 2>&1
      printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >"$dir/tls/san.ext"
      openssl x509 -req -in "$dir/tls/server.csr" -CA "$dir/tls/ca.pem" -CAkey "$dir/tls/ca.key" -CAcreateserial \
        -days 3650 -extfile "$dir/tls/san.ext" -out "$dir/tls/server.pem" >/dev/null 2>&1
    fi
    printf 'loopback_users = none\nlog.console = false\nlog.file.level = warning\n' >"$dir/rabbitmq.conf"
    printf 'listeners.ssl.default = 127.0.0.1:%s\nssl_options.cacertfile = %s\nssl_options.certfile = %s\nssl_options.keyfile = %s\nssl_options.verify = verify_none\nssl_options.fail_if_no_peer_cert = false\n' \
      "$RABBITMQ_TLS_PORT" "$dir/tls/ca.pem" "$dir/tls/server.pem" "$dir/tls/server.key" >>"$dir/rabbitmq.conf"
    # our own epmd (not the one erl would daemonize), so its PID is known and down stops exactly it
    if [ ! -f "$dir/epmd.pid" ] || ! kill -0 "$(cat "$dir/epmd.pid")" 2>/dev/null; then
      epmd -address 127.0.0.1 -port "$ERL_EPMD_PORT" >"$dir/epmd.log" 2>&1 &
      echo $! >"$dir/epmd.pid"
    fi
    /usr/lib/rabbitmq/bin/rabbitmq-server >"$dir/out.log" 2>&1 &
    echo $! >"$dir/pid"
    echo "$RABBITMQ_NODE_PORT" >"$dir/port"
    echo "$RABBITMQ_TLS_PORT" >"$dir/tls-port"
    # the port opens once the broker has booted (await_startup gives up while the node is not yet registered)
    wait_for_port "$RABBITMQ_NODE_PORT" 60 || { echo "rabbitmq did not start: $(tail -n 5 "$dir/out.log")" >&2; exit 1; }
  )
}

running() { # true when a process this script recorded for the service is alive
  local pidfile
  for pidfile in "$ROOT/$1/pid" "$ROOT/$1"/*.pid; do
    [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null && return 0
  done
  return 1
}

stop_pids() { # pid files: TERM (or the service's stopsignal), wait up to 10 s, then KILL; the files are removed
  local pidfile pid sig
  for pidfile in "$@"; do
    [ -f "$pidfile" ] || continue
    pid="$(cat "$pidfile")"
    sig=TERM
    [ "$(basename "$pidfile")" = pid ] && [ -f "$(dirname "$pidfile")/stopsignal" ] && sig="$(cat "$(dirname "$pidfile")/stopsignal")"
    if kill -0 "$pid" 2>/dev/null; then
      kill -"$sig" "$pid" 2>/dev/null || true
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$pidfile"
  done
}

stop_service() { # one service: its main process first, then its helpers (RabbitMQ's VM, its epmd)
  local dir="$ROOT/$1"
  stop_pids "$dir/pid" "$dir/beam.pid" "$dir"/*.pid
}

down_all() {
  [ -d "$ROOT" ] || return 0
  stop_pids "$ROOT"/*/pid
  # helper processes recorded beside a main one (RabbitMQ's VM and epmd, Redis cluster nodes)
  stop_pids "$ROOT"/*/*.pid
}

case "${1:-}" in
  up)
    shift
    names=("$@"); [ ${#names[@]} -gt 0 ] || names=("${ALL_SERVICES[@]}")
    for name in "${names[@]}"; do
      if running "$name"; then echo "Service $name is already running"; continue; fi
      echo "Starting service $name"
      "up_$name"
    done
    ;;
  down) down_all ;;
  rabbitmqctl) shift; rabbitmq_env "$ROOT/rabbitmq"; exec /usr/lib/rabbitmq/bin/rabbitmqctl -q -n "$RABBITMQ_NODENAME" "$@" ;;
  stop) shift; for name in "$@"; do stop_service "$name"; done ;;
  *) echo "usage: $0 up [NAME...] | down | stop NAME... | rabbitmqctl ARG..." >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# Starts and stops the real servers that integration tests talk to, each on 127.0.0.1 on a
# non-default port, with its data under target/services/NAME/ and its PID recorded there.
#   scripts/services.sh up [NAME...]    start the named services (default: all listed below)
#   scripts/services.sh down            stop exactly the processes this script started
#   scripts/services.sh stop NAME       stop one service (outage tests); `up NAME` starts it again
#                                       on the same port with the same data
# Tests read each service's port from target/services/NAME/port.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD/target/services"

# The services the suite needs today. Later issues add theirs (mariadb, postgres, redis, ...).
ALL_SERVICES=(mosquitto mariadb postgres)

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

stop_service() { # dir: stops the process recorded there, by its PID
  local pidfile="$1/pid" sig=TERM
  [ -f "$pidfile" ] || return 0
  [ -f "$1/stopsignal" ] && sig="$(cat "$1/stopsignal")"
  local pid; pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -"$sig" "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

down_all() {
  [ -d "$ROOT" ] || return 0
  for pidfile in "$ROOT"/*/pid; do
    [ -f "$pidfile" ] || continue
    stop_service "$(dirname "$pidfile")"
  done
}

case "${1:-}" in
  up)
    shift
    names=("$@"); [ ${#names[@]} -gt 0 ] || names=("${ALL_SERVICES[@]}")
    for name in "${names[@]}"; do
      if [ -f "$ROOT/$name/pid" ] && kill -0 "$(cat "$ROOT/$name/pid")" 2>/dev/null; then
        echo "Service $name is already running"; continue
      fi
      echo "Starting service $name"
      "up_$name"
    done
    ;;
  down) down_all ;;
  stop)
    shift
    for name in "$@"; do stop_service "$ROOT/$name"; done
    ;;
  *) echo "usage: $0 up [NAME...] | down | stop NAME..." >&2; exit 2 ;;
esac

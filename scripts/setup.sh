#!/usr/bin/env bash
# Installs what building (setup.sh build) or testing (setup.sh test) needs on a fresh
# Debian machine: a JDK 17 and Maven to build; the mosquitto clients for the interop tests,
# HAProxy for the PROXY protocol tests.
# Installs only what is missing, so it costs nothing on a prepared machine.
set -euo pipefail

want=()
need() { command -v "$1" >/dev/null 2>&1 || want+=("$2"); }

need java openjdk-17-jdk-headless
need javac openjdk-17-jdk-headless
need mvn maven
if [ "${1:-build}" = "test" ]; then
  need mosquitto_pub mosquitto-clients
  need mosquitto mosquitto
  # PrometheusIT parses the scrape with the official Prometheus client's text parser (Python).
  /usr/bin/python3 -c 'import prometheus_client.parser' >/dev/null 2>&1 || want+=(python3-prometheus-client)
  need haproxy haproxy
  # storage-redis tests (single node and a 3-node cluster) and bridge-rabbitmq tests
  need redis-server redis-server
  need redis-cli redis-tools
  [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || want+=(rabbitmq-server)
  need openssl openssl # services.sh makes RabbitMQ's test CA and TLS certificate
  # storage-mysql and storage-pgsql tests: the real servers (scripts/services.sh starts them)
  need mariadbd mariadb-server
  need mariadb mariadb-client
  [ -x /usr/lib/postgresql/15/bin/postgres ] || want+=(postgresql)
fi

if [ ${#want[@]} -gt 0 ]; then
  mapfile -t want < <(printf '%s\n' "${want[@]}" | sort -u)
  echo "Installing Debian packages: ${want[*]}"
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null
fi

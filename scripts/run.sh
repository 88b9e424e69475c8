#!/usr/bin/env bash
# Builds Aviary if needed and runs it in the foreground with its embedded defaults
# (MQTT on 1883, admin API on 18083). Arguments go to the launcher, e.g.
#   ./scripts/run.sh --set listeners.tcp.default.bind=127.0.0.1:1884
set -euo pipefail
cd "$(dirname "$0")/.."

version="$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' pom.xml | head -n 1)"
dist="assembly/target/aviary-$version"

needs_build() {
  [ -x "$dist/bin/aviary" ] || return 0
  # Rebuild when any source or build file changed since the distribution was made.
  [ -n "$(find pom.xml */pom.xml bundles runtime plugins-* assembly/src \
        -newer "$dist/bin/aviary" -type f -not -path '*/target/*' -print -quit 2>/dev/null)" ]
}

if needs_build; then
  ./scripts/setup.sh build
  echo "Building Aviary (tests skipped; ./scripts/test.sh runs them)..."
  mvn -B -q -DskipTests -Dmaven.test.skip.exec=true install
  touch "$dist/bin/aviary"
fi
exec "$dist/bin/aviary" console "$@"

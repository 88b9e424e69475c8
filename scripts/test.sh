#!/usr/bin/env bash
# Runs the whole test suite from nothing: installs what the tests need (Debian packages,
# Maven artifacts), starts the real services they talk to, runs every module's unit tests
# and the distribution's integration tests (Pax Exam, end to end), then stops the services.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/setup.sh test
./scripts/services.sh up
trap './scripts/services.sh down' EXIT

mvn -B -ntp verify "$@"

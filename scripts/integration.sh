#!/usr/bin/env bash
# Runs the integration suite (tests/e2e/integration, Node's test runner) against the peerhub binary BIN.
# Usage: scripts/integration.sh BIN
#
# Isolated by scripts/isolated.sh: a network namespace with only loopback (no test packet leaves the machine) and
# a PID namespace (no server outlives the suite). A test that hangs fails after TEST_TIMEOUT_MS; the whole suite
# is stopped after SUITE_TIMEOUT_S.
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 BIN" >&2
  exit 2
fi
bin=$(realpath "$1")
[[ -x $bin ]] || { echo "integration: $bin is not an executable (run make build)" >&2; exit 2; }
scripts=$(realpath "$(dirname "$0")")
cd "$scripts/../tests/e2e"

exec "$scripts/isolated.sh" integration \
  env PEERHUB_BIN="$bin" node --test --test-concurrency=1 --test-timeout="${TEST_TIMEOUT_MS:-120000}" integration/

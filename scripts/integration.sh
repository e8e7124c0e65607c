#!/usr/bin/env bash
# Runs the integration suite (tests/e2e/integration, Node's test runner) against the peerhub binary BIN.
# Usage: scripts/integration.sh BIN
#
# Where the machine allows it (root, or user namespaces), the suite runs in its own network namespace with only
# loopback up, so no test packet can leave the machine (../shared/TESTING.md), and in its own PID namespace, so
# every server a test spawned is killed when the suite ends, whatever state it was left in. Elsewhere it runs
# plainly and says so. A test that hangs fails after TEST_TIMEOUT_MS; the whole suite is stopped after
# SUITE_TIMEOUT_S.
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 BIN" >&2
  exit 2
fi
bin=$(realpath "$1")
[[ -x $bin ]] || { echo "integration: $bin is not an executable (run make build)" >&2; exit 2; }
cd "$(dirname "$0")/../tests/e2e"

suite=(timeout -k 10 "${SUITE_TIMEOUT_S:-900}"
  env PEERHUB_BIN="$bin" node --test --test-concurrency=1 --test-timeout="${TEST_TIMEOUT_MS:-120000}" integration/)
isolate=(unshare --net --pid --fork --mount-proc)

status=0
if why=$("${isolate[@]}" sh -c 'ip link set lo up' 2>&1); then
  echo "integration: in a network namespace with only loopback, and its own PID namespace (unshare)"
  # `timeout` (exec'd by sh) is the namespace's PID 1: when it exits, the kernel kills whatever is left.
  "${isolate[@]}" sh -c 'ip link set lo up && exec "$@"' sh "${suite[@]}" || status=$?
else
  echo "integration: unshare refused ($(echo "$why" | tail -1)); running WITHOUT a network namespace"
  "${suite[@]}" || status=$?
fi
if [[ $status -eq 124 || $status -eq 137 ]]; then
  echo "integration: the suite did not finish within ${SUITE_TIMEOUT_S:-900}s and was stopped" >&2
fi
exit $status

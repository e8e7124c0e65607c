#!/usr/bin/env bash
# Runs a test suite isolated from the network: where the machine allows it (root, or user namespaces), in a
# network namespace with only loopback up, so no test packet can leave the machine (../shared/TESTING.md), and in
# a PID namespace, so every server and browser the suite started is killed when it ends, whatever state it was
# left in. Elsewhere it runs the suite plainly and says so. The suite is stopped after SUITE_TIMEOUT_S.
# Usage: scripts/isolated.sh LABEL COMMAND...   (LABEL prefixes the lines this script prints)
set -uo pipefail

label=$1
shift
suite=(timeout -k 10 "${SUITE_TIMEOUT_S:-900}" "$@")
isolate=(unshare --net --pid --fork --mount-proc)

status=0
if why=$("${isolate[@]}" sh -c 'ip link set lo up' 2>&1); then
  echo "$label: in a network namespace with only loopback, and its own PID namespace (unshare)"
  # `timeout` (exec'd by sh) is the namespace's PID 1: when it exits, the kernel kills whatever is left.
  "${isolate[@]}" sh -c 'ip link set lo up && exec "$@"' sh "${suite[@]}" || status=$?
else
  echo "$label: unshare refused ($(echo "$why" | tail -1)); running WITHOUT a network namespace"
  "${suite[@]}" || status=$?
fi
if [[ $status -eq 124 || $status -eq 137 ]]; then
  echo "$label: the suite did not finish within ${SUITE_TIMEOUT_S:-900}s and was stopped" >&2
fi
exit $status

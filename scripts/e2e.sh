#!/usr/bin/env bash
# Runs the browser tests (tests/e2e/browser, Node's test runner driving headless Chromium through playwright-core)
# against the peerhub binary BIN, which serves the web client from web/.
# Usage: scripts/e2e.sh BIN [TEST_FILE...]   (default: every browser/*.test.mjs; files relative to tests/e2e)
#
# Isolated by scripts/isolated.sh (a network namespace with only loopback, so neither the server nor Chromium —
# ICE candidates included — can send a packet off the machine; a PID namespace, so no server or browser outlives
# the suite). A test that hangs fails after TEST_TIMEOUT_MS; the whole suite is stopped after SUITE_TIMEOUT_S.
#
# Screenshots go to E2E_ARTIFACTS (default tests/e2e/artifacts, git-ignored). Chromium's throwaway profiles go to
# a temporary TMPDIR that is removed afterwards, even when a browser was killed before it could clean up.
set -euo pipefail

if [[ $# -lt 1 ]]; then
  echo "usage: $0 BIN [TEST_FILE...]" >&2
  exit 2
fi
bin=$(realpath "$1")
shift
[[ -x $bin ]] || { echo "e2e: $bin is not an executable (run make build)" >&2; exit 2; }
root=$(realpath "$(dirname "$0")/..")
chromium=${CHROMIUM_BIN:-/usr/bin/chromium}
[[ -x $chromium ]] || { echo "e2e: $chromium is missing (scripts/install.sh installs chromium)" >&2; exit 2; }
[[ -d $root/tests/e2e/node_modules/playwright-core ]] ||
  { echo "e2e: playwright-core is missing (scripts/install.sh runs npm ci in tests/e2e)" >&2; exit 2; }
cd "$root/tests/e2e"

artifacts=$(realpath -m "${E2E_ARTIFACTS:-$root/tests/e2e/artifacts}")
mkdir -p "$artifacts"
scratch=$(mktemp -d "${TMPDIR:-/tmp}/peerhub-e2e.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
touch "$scratch/started"

tests=("$@")
[[ ${#tests[@]} -gt 0 ]] || tests=(browser/)
echo "e2e: $("$chromium" --version 2>/dev/null | head -1), playwright-core" \
  "$(node -p 'require("playwright-core/package.json").version')"
status=0
"$root/scripts/isolated.sh" e2e \
  env PEERHUB_BIN="$bin" PEERHUB_WEB="$root/web" E2E_ARTIFACTS="$artifacts" CHROMIUM_BIN="$chromium" \
  TMPDIR="$scratch" \
  node --test --test-concurrency=1 --test-timeout="${TEST_TIMEOUT_MS:-120000}" "${tests[@]}" || status=$?
shots=$(find "$artifacts" -maxdepth 1 -name '*.png' -newer "$scratch/started" | wc -l)
echo "e2e: $shots screenshots in $artifacts"
exit $status

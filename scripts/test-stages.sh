#!/usr/bin/env bash
# What `make test` runs: the given make targets one after the other, each timed, stopping at the first that
# fails, then a summary of every stage's time and the counts it reported (ctest, node:test, fuzz-smoke), so the
# last lines of a CI log say what ran and what failed. Exits non-zero when a stage failed.
# Usage: scripts/test-stages.sh STAGE...   (MAKE names the make to call; `make test` sets it)
set -uo pipefail
cd "$(dirname "$0")/.."
make_cmd=${MAKE:-make}
logs=$(mktemp -d "${TMPDIR:-/tmp}/peerhub-test.XXXXXX")
trap 'rm -rf "$logs"' EXIT

# The counts a stage's output reports, on one line.
counts() {
  local log=$1 line
  line=$(grep -E '^[0-9]+% tests passed' "$log" | tail -1)
  [[ -n $line ]] && echo "ctest: $line"
  if grep -qE '^# pass [0-9]+' "$log"; then
    grep -E '^# (tests|pass|fail|cancelled|skipped|todo) [0-9]+' "$log" | sed 's/^# //' | paste -sd ' ' |
      sed 's/ \([a-z]\)/, \1/g; s/^/node:test: /'
  fi
  if grep -q '^fuzz-smoke: ' "$log"; then
    echo "fuzz-smoke: $(grep -cE '^fuzz-smoke: \S+ +ok ' "$log") targets ok," \
      "$(grep -cE '^fuzz-smoke: \S+ +FAILED' "$log") failed"
  fi
  grep -E '^format-check: |^integration: |^e2e: ' "$log" | sed 's/^[a-z0-9-]*: //'
}

rows=()
failed=""
begin=$SECONDS
for stage in "$@"; do
  if [[ -n $failed ]]; then
    rows+=("$(printf '%-13s %6s  %s' "$stage" '' 'not run')")
    continue
  fi
  echo "==> make $stage"
  t0=$SECONDS
  $make_cmd --no-print-directory "$stage" 2>&1 | tee "$logs/$stage.log"
  rc=${PIPESTATUS[0]}
  verdict=ok
  if [[ $rc -ne 0 ]]; then
    verdict="FAILED (exit $rc)"
    failed=$stage
  fi
  rows+=("$(printf '%-13s %5ss  %s' "$stage" $((SECONDS - t0)) "$verdict")")
  while IFS= read -r line; do
    [[ -n $line ]] && rows+=("$(printf '%-13s %6s    %s' '' '' "$line")")
  done < <(counts "$logs/$stage.log")
done

echo
echo "== make test summary =="
printf '%s\n' "${rows[@]}"
if [[ -n $failed ]]; then
  echo "make test: FAILED at '$failed' after $((SECONDS - begin))s"
  exit 1
fi
echo "make test: PASSED in $((SECONDS - begin))s"

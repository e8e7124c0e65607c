#!/usr/bin/env bash
# Data channel setup and throughput on loopback, in one run, three pairs of peers:
#   peerhub          build/bin/peerhub_bench_datachannel (bench/datachannel/pair.cpp)
#   node-datachannel bench/reference/datachannel_pair.mjs: libdatachannel, offerer and answerer in two processes
#   Chromium         bench/reference/chromium_pair.mjs: two pages of headless Debian Chromium
# Each side runs RUNS times, one after the other within each run; the table shows medians, peerhub / each
# reference, and the issue's targets (which are against node-datachannel). Every side runs inside
# scripts/isolated.sh (a network namespace with only loopback, where the machine allows it). A side that fails
# says why on stderr and shows "-" in the table.
# Usage: bench/datachannel/run.sh BUILD_DIR   (env: RUNS=3 SETUPS=50 BYTES=268435456)
set -euo pipefail
build=$(realpath "${1:-build}")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
source "$here/../lib.sh"
RUNS=${RUNS:-3}
SETUPS=${SETUPS:-50}
BYTES=${BYTES:-268435456}
# Per side and run: a minute, plus a second per 4 MiB (a side slower than ~32 Mbit/s is cut off).
LIMIT_S=$((60 + BYTES / 4194304))
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# side NAME LABEL RUN COMMAND...: runs COMMAND isolated, keeps its result lines in $WORK/NAME.{setup,transfer}, and
# on failure says so with the last lines it printed.
side() {
  local name=$1 label=$2 run=$3 out=$WORK/$1.out
  shift 3
  local status=0
  SUITE_TIMEOUT_S=$LIMIT_S "$root/scripts/isolated.sh" "$name" "$@" >"$out" 2>&1 || status=$?
  [ "$run" = 1 ] && grep -m1 "^$name: " "$out" >&2 || true
  grep '^result setups=' "$out" >>"$WORK/$name.setup" || true
  grep '^result bytes=' "$out" >>"$WORK/$name.transfer" || true
  grep '^result ' "$out" | sed "s/^/$name run $run: /" >>"$WORK/raw"
  if [ "$status" -ne 0 ]; then
    echo "datachannel: $label run $run failed (exit $status$([ "$status" = 124 ] && echo ", stopped after ${LIMIT_S}s")):" >&2
    grep -v -e '^result ' -e "^$name: in a network namespace" "$out" | tail -n 4 | sed 's/^/    /' >&2
  fi
}

echo "data channel benchmark: $RUNS run(s) of each side, $SETUPS setups and $BYTES bytes each; $(nproc) cores" >&2
for run in $(seq "$RUNS"); do
  side peerhub peerhub "$run" "$build/bin/peerhub_bench_datachannel" --setups "$SETUPS" --bytes "$BYTES"
  side ndc node-datachannel "$run" node "$root/bench/reference/datachannel_pair.mjs" "$SETUPS" "$BYTES"
  side chromium Chromium "$run" node "$root/bench/reference/chromium_pair.mjs" "$SETUPS" "$BYTES"
done
[ -s "$WORK/raw" ] && cat "$WORK/raw" >&2

w="32 16 20"
row() { compare_row_refs "$w" "ndc chromium" "$@"; }
printf "| %-32s | %16s | %16s | %16s | %7s | %7s | %-20s | %-4s |\n" "data channel, loopback (median of $RUNS)" \
  peerhub node-datachannel Chromium "ph/ndc" "ph/chr" target met
echo "|----------------------------------|------------------|------------------|------------------|---------|---------|----------------------|------|"
row "setup p50 (ms)" setup setup_p50_ms "<= 5 ms" 'p <= 5'
row "setup p95 (ms)" setup setup_p95_ms "<= 20 ms" 'p <= 20'
row "setup max (ms)" setup setup_max_ms "no ~1 s stalls" 'p < 500'
row "throughput (Mbit/s)" transfer mbit_s ">= 1.2x node-dc" 'r >= 1.2'
row "CPU s per GiB (all processes)" transfer cpu_s_per_gib "-" '1'
row "RSS peak during transfer (KiB)" transfer rss_peak_kib "flat" '1'

#!/usr/bin/env bash
# Data channel setup and throughput on loopback, in one run: peerhub ↔ peerhub (build/bin/peerhub_bench_datachannel,
# both peers on one thread) against node-datachannel ↔ node-datachannel (bench/reference/datachannel_pair.mjs, one
# process with libdatachannel's threads). Each side runs RUNS times; the table shows medians and peerhub / reference.
# Usage: bench/datachannel/run.sh BUILD_DIR   (env: RUNS=3 SETUPS=50 BYTES=268435456)
set -euo pipefail
build=$(realpath "${1:-build}")
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib.sh"
RUNS=${RUNS:-3}
SETUPS=${SETUPS:-50}
BYTES=${BYTES:-268435456}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

for run in $(seq "$RUNS"); do
  # A failed run leaves its lines out (and says so); the table shows what finished.
  timeout 300 "$build/bin/peerhub_bench_datachannel" --setups "$SETUPS" --bytes "$BYTES" >"$WORK/p.out" 2>&1 ||
    echo "datachannel: peerhub run $run did not finish" >&2
  grep '^result setups=' "$WORK/p.out" >>"$WORK/peerhub.setup" || true
  grep '^result bytes=' "$WORK/p.out" >>"$WORK/peerhub.transfer" || true
  (cd "$here/../reference" && timeout 120 node datachannel_pair.mjs "$SETUPS" "$BYTES") >"$WORK/n.out" 2>&1 ||
    echo "datachannel: node-datachannel run $run did not finish (its transfer stalls in this harness; see README)" >&2
  grep '^result setups=' "$WORK/n.out" >>"$WORK/ndc.setup" || true
  grep '^result bytes=' "$WORK/n.out" >>"$WORK/ndc.transfer" || true
done

w="32 10 20"
echo "| data channel, loopback (median of $RUNS)  | peerhub | node-datachannel | ratio | target | met |"
echo "|----------------------------------|------------|------------|---------|----------------------|------|"
compare_row "$w" ndc "setup p50 (ms)" setup setup_p50_ms "<= 5 ms" 'p <= 5'
compare_row "$w" ndc "setup p95 (ms)" setup setup_p95_ms "<= 20 ms" 'p <= 20'
compare_row "$w" ndc "setup max (ms)" setup setup_max_ms "no ~1 s stalls" 'p < 500'
compare_row "$w" ndc "throughput (Mbit/s)" transfer mbit_s ">= 1.2x reference" 'r >= 1.2'
compare_row "$w" ndc "CPU s per GiB (both ends)" transfer cpu_s_per_gib "-" '1'
compare_row "$w" ndc "RSS peak during transfer (KiB)" transfer rss_peak_kib "flat" '1'

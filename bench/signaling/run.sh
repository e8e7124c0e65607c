#!/usr/bin/env bash
# The signaling benchmark: peerhub against the Node `ws` reference, same load, same machine, same run.
# Usage: bench/signaling/run.sh BUILD_DIR      (env: BENCH_RUNS=3 runs per server, median reported)
# Servers are pinned to core 0 and the load generator to core 1; all traffic stays on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
RUNS=${BENCH_RUNS:-3}
PEERHUB=$BUILD/bin/peerhub
LOADGEN=$BUILD/bin/peerhub_bench_signaling
for f in "$PEERHUB" "$LOADGEN"; do
  [ -x "$f" ] || { echo "run.sh: $f is missing: build first (make build)" >&2; exit 1; }
done
[ -d bench/reference/node_modules ] || (cd bench/reference && npm ci --no-audit --no-fund --loglevel=error)
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

SERVER_CORE=(); LOAD_CORE=()
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
  SERVER_CORE=(taskset -c 0); LOAD_CORE=(taskset -c 1)
else
  echo "run.sh: taskset or a second core missing: running unpinned (ratios are less meaningful)" >&2
fi

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
WORK=$(mktemp -d)
. bench/lib.sh
SERVER_PID=
cleanup() { [ -n "$SERVER_PID" ] && kill -9 "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

# start_server peerhub|node: starts it on a free port; sets SERVER_PID and URL.
start_server() {
  local log=$WORK/$1.log
  if [ "$1" = peerhub ]; then
    "${SERVER_CORE[@]}" "$PEERHUB" --http 127.0.0.1:0 --workers 1 --max-connections 40000 \
      --messages-per-second 1000000 --message-burst 1000000 >"$log" 2>&1 &
  else
    "${SERVER_CORE[@]}" node bench/reference/server.mjs --http 127.0.0.1:0 >"$log" 2>&1 &
  fi
  SERVER_PID=$!
  for _ in $(seq 100); do
    addr=$(grep -o 'listening service=http addr=[^ ]*' "$log" | head -1 | sed 's/.*addr=//') || true
    [ -n "$addr" ] && break
    sleep 0.1
  done
  [ -n "$addr" ] || { echo "run.sh: $1 did not start:" >&2; cat "$log" >&2; exit 1; }
  URL="ws://$addr/ws"
}


# load NAME RUN MODE ARGS...: runs one mode, appends its result line to $WORK/NAME.MODE.
load() {
  local name=$1 run=$2 mode=$3
  shift 3
  local line
  line=$("${LOAD_CORE[@]}" "$LOADGEN" --url "$URL" --server-pid "$SERVER_PID" --mode "$mode" \
    --tag "${mode:0:1}$run" --timeout 30 "$@" | grep '^result' || true)
  echo "  $name: $line" >&2
  echo "$line" >>"$WORK/$name.$mode"
}

for run in $(seq "$RUNS"); do
  for name in peerhub node; do
    echo "run $run/$RUNS: $name" >&2
    start_server "$name"
    load "$name" "$run" idle --connections 10000 --concurrency 256 --sources 4 --hold 1
    # Let the server finish tearing down the idle mode's 10,000 connections before the next window opens, and
    # keep enough handshakes in flight that the server, not the round trips of the generator, sets the rate.
    sleep 1
    load "$name" "$run" connect --connections 10000 --concurrency 256 --sources 4
    load "$name" "$run" relay --pairs 50 --window 16 --warmup 1 --duration 5
    load "$name" "$run" fixed --pairs 50 --rate 20000 --warmup 1 --duration 5
    load "$name" "$run" latency --pairs 50 --rate 10000 --warmup 1 --duration 5
    stop_server
  done
done


# row LABEL KEY FIELD TARGET CHECK (bench/lib.sh compare_row)
row() { compare_row "40 12 22" node "$@"; }

echo
echo "signaling benchmark: median of $RUNS run(s); servers on core 0, load on core 1; $(nproc) cores, $(uname -r)"
echo "load average before the run: $LOAD_BEFORE (anything else running shifts the absolute figures; compare ratios)"
printf '| %-40s | %12s | %12s | %7s | %-22s | %-4s |\n' metric peerhub node ratio "target (issue 2)" met
echo "|------------------------------------------|--------------|--------------|---------|------------------------|------|"
row "relay rate, msg/s (50 pairs, window 16)" relay rate ">= 4x node" "r >= 4"
row "server CPU per msg at max rate, us" relay cpu_us_per_msg "-" "1"
row "CPU per msg at 20k msg/s, us" fixed cpu_us_per_msg "<= 0.6x node" "r <= 0.6"
row "relay latency p50 at 10k msg/s, us" latency p50_us "-" "1"
row "relay latency p99 at 10k msg/s, us" latency p99_us "<= 1000 us" "p <= 1000"
row "RSS per idle logged-in conn, bytes" idle bytes_per_conn "<= 1024 B" "p <= 1024"
row "connect + upgrade + login, conn/s" connect rate ">= 5x node" "r >= 5"

#!/usr/bin/env bash
# The TURN benchmark: peerhub's embedded TURN server against coturn's turnserver, same settings, same loads, same
# machine, same run. Usage: bench/turn/run.sh BUILD_DIR
#   env: BENCH_RUNS=3 runs per server (median reported), BENCH_WINDOW=4 seconds measured per relay load point,
#        BENCH_SERVERS="peerhub coturn" (one of them alone: its column only, e.g. to try the harness)
# Servers are pinned to core 0, the load tools (turnutils_uclient, turnutils_peer, peerhub_bench_turn) to core 1;
# all traffic stays on 127.0.0.1. See bench/README.md for what each row measures.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
RUNS=${BENCH_RUNS:-3}
WINDOW=${BENCH_WINDOW:-4}
SERVERS=${BENCH_SERVERS:-peerhub coturn}
PEERHUB=$BUILD/bin/peerhub
LOADGEN=$BUILD/bin/peerhub_bench_turn
for f in "$LOADGEN" $([[ " $SERVERS " == *" peerhub "* ]] && echo "$PEERHUB"); do
  [ -x "$f" ] || { echo "run.sh: $f is missing: build first (make build)" >&2; exit 1; }
done
for tool in turnserver turnutils_uclient turnutils_peer stdbuf; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing (scripts/install.sh installs coturn)" >&2; exit 1; }
done
if [[ " $SERVERS " == *" peerhub "* ]]; then
  # grep reads the whole help (no -q): exiting early would kill --help with SIGPIPE, which pipefail reports.
  "$PEERHUB" --help 2>&1 | grep -- '--turn-relay-ports' >/dev/null ||
    { echo "run.sh: $PEERHUB has no TURN server (--turn-relay-ports)" >&2; exit 1; }
fi
ulimit -n 20000 2>/dev/null || ulimit -n "$(ulimit -Hn)"

SERVER_CORE=(); LOAD_CORE=(); LOAD_CPU=()
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
  SERVER_CORE=(taskset -c 0); LOAD_CORE=(taskset -c 1); LOAD_CPU=(--load-cpu 1)
else
  echo "run.sh: taskset or a second core missing: running unpinned (ratios are less meaningful)" >&2
fi

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
WORK=$(mktemp -d)
. bench/lib.sh
SERVER_PID=
declare -A RELAY_PORT RELAY_PID # the relay part's servers, by name
PEER_PID=
cleanup() {
  [ -n "$SERVER_PID" ] && kill -9 "$SERVER_PID" 2>/dev/null
  for pid in "${RELAY_PID[@]}"; do [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; done
  [ -n "$PEER_PID" ] && kill -9 "$PEER_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

node_lib() { node --input-type=module -e "import * as c from './tests/e2e/lib/coturn.mjs'; $1"; }
PORT=$(node_lib 'console.log(await c.freePort())')
PEER_PORT=$(node_lib 'console.log(await c.freePort())')
# Relay ports below Linux's ephemeral range (32768-60999), where the load tools' own sockets are.
RELAY_MIN=20000
RELAY_MAX=32767
REALM=bench

"${LOAD_CORE[@]}" turnutils_peer -L 127.0.0.1 -p "$PEER_PORT" >"$WORK/peer.log" 2>&1 &
PEER_PID=$!
disown "$PEER_PID" # killed by cleanup; no "Killed" line from the shell

# start_server peerhub|coturn [PORT RELAY_MIN RELAY_MAX]: starts it fresh on PORT (default $PORT, relay ports
# $RELAY_MIN-$RELAY_MAX) and waits until it answers STUN; sets SERVER_PID.
# Equivalent settings: one worker / one relay thread (one core), long-term user u:p, realm, relay ports,
# loopback peers allowed, no TLS, quotas out of the way, each server's default logging.
start_server() {
  local log=$WORK/$1.log port=${2:-$PORT} min=${3:-$RELAY_MIN} max=${4:-$RELAY_MAX}
  if [ "$1" = peerhub ]; then
    "${SERVER_CORE[@]}" "$PEERHUB" --http 127.0.0.1:0 --workers 1 --turn "127.0.0.1:$port" --turn-realm "$REALM" \
      --turn-user u:p --turn-allow-loopback-peers --turn-relay-ports "$min-$max" \
      --turn-max-allocations 100000 --turn-max-allocations-per-user 100000 >"$log" 2>&1 &
  else
    rm -f "$WORK/turndb"
    "${SERVER_CORE[@]}" turnserver -n -L 127.0.0.1 --listening-port "$port" -E 127.0.0.1 --min-port "$min" \
      --max-port "$max" --lt-cred-mech --user u:p --realm "$REALM" --no-tls --no-dtls --no-cli \
      --allow-loopback-peers --relay-threads 1 --userdb "$WORK/turndb" --log-file "$WORK/coturn-file.log" \
      --simple-log --no-stdout-log >"$log" 2>&1 &
  fi
  SERVER_PID=$!
  node_lib "await c.waitForStun($port)" ||
    { echo "run.sh: $1 does not answer STUN on 127.0.0.1:$port:" >&2; cat "$log" >&2; exit 1; }
}

# record NAME KEY LINE: appends a result line to $WORK/NAME.KEY (and shows it on stderr).
record() {
  echo "  $1: ${3:-(no result)}" >&2
  [ -n "$3" ] && echo "$3" >>"$WORK/$1.$2"
  return 0
}

allocations() {
  local name=$1 mode=$2
  shift 2
  record "$name" "$mode" "$("${LOAD_CORE[@]}" "$LOADGEN" --server "127.0.0.1:$PORT" --server-pid "$SERVER_PID" \
    --mode "$mode" --label "$name" "$@" | grep '^result' || true)"
}

# The relay load points: clients, bytes per packet, uclient's -z (ms between a session's packets; 0 = as fast as
# uclient's 1 ms timer lets one session go, 50 packets a tick: ~12k packets/s on these machines).
POINTS=("1 120 0" "10 120 1" "50 120 1" "1 1200 0" "10 1200 1" "50 1200 1")

# relay NAME: one relay load point ($clients, $size, $interval) against the server NAME started for the relay part.
relay() {
  record "$1" "relay-$clients-$size" "$(node bench/turn/relay.mjs --port "${RELAY_PORT[$1]}" \
    --server-pid "${RELAY_PID[$1]}" --peer-port "$PEER_PORT" --peer-pid "$PEER_PID" --clients "$clients" \
    --size "$size" --interval "$interval" --window "$WINDOW" --label "$1" "${LOAD_CPU[@]}" | grep '^result' || true)"
}

# For the relay points both servers run at once (each idle while the other is measured, on its own port and
# half of the relay range), and each point runs on one right after the other, first one then the other in
# turn. The machine's speed drifts over minutes: a point's two measurements ~10 s apart see the same machine,
# where running all of one server's points first put them a minute or more apart.
RELAY_PORT[peerhub]=$PORT
RELAY_PORT[coturn]=$(node_lib 'console.log(await c.freePort())')
RELAY_SPLIT=$(((RELAY_MIN + RELAY_MAX) / 2))
read -ra ORDER <<<"$SERVERS"
REVERSED=()
for ((i = ${#ORDER[@]} - 1; i >= 0; i--)); do REVERSED+=("${ORDER[i]}"); done
for run in $(seq "$RUNS"); do
  for name in $SERVERS; do
    echo "run $run/$RUNS: $name (allocations)" >&2
    start_server "$name"
    allocations "$name" idle --allocations 1000 --concurrency 64 --hold 1
    stop_server
    start_server "$name"
    allocations "$name" setup --allocations 10000 --concurrency 512
    stop_server
  done
  echo "run $run/$RUNS: relay points, $SERVERS in turn" >&2
  for name in $SERVERS; do
    if [ "$name" = peerhub ]; then
      start_server peerhub "${RELAY_PORT[peerhub]}" "$RELAY_MIN" "$RELAY_SPLIT"
    else
      start_server coturn "${RELAY_PORT[coturn]}" "$((RELAY_SPLIT + 1))" "$RELAY_MAX"
    fi
    RELAY_PID[$name]=$SERVER_PID
    SERVER_PID=
  done
  for p in "${!POINTS[@]}"; do
    read -r clients size interval <<<"${POINTS[p]}"
    if (((run + p) % 2)); then names=("${ORDER[@]}"); else names=("${REVERSED[@]}"); fi
    for name in "${names[@]}"; do relay "$name"; done
  done
  for name in $SERVERS; do
    SERVER_PID=${RELAY_PID[$name]}
    RELAY_PID[$name]=
    stop_server
  done
done

echo
echo "TURN benchmark: median of $RUNS run(s); servers on core 0, load on core 1; $(nproc) cores, $(uname -r)"
echo "coturn $(turnserver --version 2>/dev/null | head -1)"
echo "load average before the run: $LOAD_BEFORE (anything else running shifts the absolute figures; compare ratios)"
echo
echo "Relay: turnutils_uclient -c (UDP, ChannelData) to turnutils_peer (echo), ${WINDOW} s windows;"
echo "relayed = 2 x packets echoed back; CPU = server CPU seconds per million relayed packets."
printf '| %-18s | %9s | %19s | %15s | %17s | %8s | %9s | %-30s | %-4s |\n' "load point" "offered/s" \
  "relayed/s ph : ct" "loss % ph : ct" "CPU s/M ph : ct" "pkt/CPU" "per run" "target (issue 4)" met
echo "|--------------------|-----------|---------------------|-----------------|-------------------|----------|-----------|--------------------------------|------|"
for point in "${POINTS[@]}"; do
  read -r clients size interval <<<"$point"
  key=relay-$clients-$size
  awk -v l="$clients clients, ${size} B" \
    -v off="$(median coturn "$key" sent_pps)" -v off2="$(median peerhub "$key" sent_pps)" \
    -v rp="$(median peerhub "$key" relayed_pps)" -v rc="$(median coturn "$key" relayed_pps)" \
    -v lp="$(median peerhub "$key" loss_pct)" -v lc="$(median coturn "$key" loss_pct)" \
    -v cp="$(median peerhub "$key" cpu_us_per_pkt)" -v cc="$(median coturn "$key" cpu_us_per_pkt)" \
    -v paired="$(paired_ratios peerhub coturn "$key" pkts_per_cpu_s)" '
    function f(x, spec) { return x == "-" ? "-" : sprintf(spec, x) }
    BEGIN {
      if (off == "-") off = off2;
      # pkt/CPU: the median over the runs of the ratio within a run, whose two measurements ran back to back.
      split(paired, q, " ");
      have = (q[1] != "-");
      r = have ? q[1] : 0;
      span = have ? sprintf("%.2f-%.2f", q[2], q[3]) : "-";
      # "No more loss": within 0.05 percentage points, what packets in flight at the window edges amount to.
      ok = !have ? "n/a" : (r >= 1.5 && lp <= lc + 0.05) ? "yes" : "NO";
      printf "| %-18s | %9s | %9s : %7s | %6s : %6s | %7s : %7s | %7s | %9s | %-30s | %-4s |\n",
        l, f(off, "%.0f"), f(rp, "%.0f"), f(rc, "%.0f"), f(lp, "%.3f"), f(lc, "%.3f"), f(cp, "%.2f"), f(cc, "%.2f"),
        have ? sprintf("%.2fx", r) : "-", span, ">= 1.5x coturn, no more loss", ok }'
done

echo
echo "Allocations: peerhub_bench_turn (Allocate, 401, signed Allocate; one UDP socket per allocation)."
printf '| %-46s | %10s | %10s | %7s | %-18s | %-4s |\n' metric peerhub coturn ratio "target (issue 4)" met
echo "|------------------------------------------------|------------|------------|---------|--------------------|------|"
# row LABEL KEY FIELD TARGET CHECK (bench/lib.sh compare_row)
row() { compare_row "46 10 18" coturn "$@"; }
row "RSS per idle allocation, bytes (1000 held)" idle bytes_per_alloc "<= 4096 B" "p <= 4096"
row "allocation setup rate, alloc/s (512 in flight)" setup rate ">= 2x coturn" "r >= 2"
row "server CPU per allocation, us" setup server_cpu_us_per_alloc "-" "1"
row "load generator CPU during setup, s" setup loadgen_cpu_s "-" "1"
row "setup wall time, s (10000 allocations)" setup seconds "-" "1"
row "retransmitted requests during setup" setup retransmits "-" "1"

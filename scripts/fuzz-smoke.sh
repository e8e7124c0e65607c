#!/usr/bin/env bash
# Runs every built fuzzer for SECONDS each, starting from its seed corpus, and fails if any of them crashes.
# Usage: scripts/fuzz-smoke.sh BUILD_DIR SECONDS
# The corpus is copied into BUILD_DIR/fuzz-work/<target>/ first, so new inputs never land in the repository;
# a crash leaves its input there (crash-*) and its log beside it.
set -euo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 BUILD_DIR SECONDS" >&2
  exit 2
fi
build=$1
seconds=$2
repo=$(cd "$(dirname "$0")/.." && pwd)
bin_dir=$build/fuzz
work=$build/fuzz-work

shopt -s nullglob
targets=("$bin_dir"/fuzz_*)
if [[ ${#targets[@]} -eq 0 ]]; then
  echo "fuzz-smoke: no fuzzers in $bin_dir (configure with CC=clang CXX=clang++ -DPEERHUB_FUZZ=ON)" >&2
  exit 1
fi

failed=0
for fuzzer in "${targets[@]}"; do
  [[ -x $fuzzer && -f $fuzzer ]] || continue
  name=$(basename "$fuzzer")
  corpus=$work/$name/corpus
  artifacts=$work/$name/
  rm -rf "$corpus"
  mkdir -p "$corpus"
  seeds=$repo/fuzz/corpus/$name
  if [[ -d $seeds ]]; then
    cp -R "$seeds"/. "$corpus"/
  fi
  dict=()
  if [[ -f $repo/fuzz/$name.dict ]]; then
    dict=(-dict="$repo/fuzz/$name.dict")
  fi
  log=$work/$name/fuzz.log
  status=0
  "$fuzzer" "${dict[@]}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=70000 \
    -print_final_stats=1 -artifact_prefix="$artifacts" "$corpus" >"$log" 2>&1 || status=$?
  runs=$(grep -oE '^stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo '?')
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo '?')
  inputs=$(find "$corpus" -type f | wc -l)
  if [[ $status -eq 0 ]]; then
    printf 'fuzz-smoke: %-20s ok     %8s runs  cov %5s  corpus %4d  (%ss)\n' "$name" "$runs" "$cov" "$inputs" "$seconds"
  else
    crash=$(ls -t "$artifacts"crash-* "$artifacts"leak-* "$artifacts"timeout-* "$artifacts"oom-* 2>/dev/null | head -1 || true)
    printf 'fuzz-smoke: %-20s FAILED (exit %d) input: %s  log: %s\n' "$name" "$status" "${crash:-none}" "$log"
    failed=1
  fi
done
exit $failed

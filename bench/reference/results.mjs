// What the data channel reference sides share: memory read from /proc, and the "result …" lines that
// bench/datachannel/run.sh reads (the same keys as bench/datachannel/pair.cpp prints).
import { readFileSync } from 'node:fs';

// The resident sets of `pids` added up, in KiB; a process that is gone counts nothing.
export function rssKibOf(pids) {
  let sum = 0;
  for (const pid of pids) {
    try {
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) sum += Number(m[1]);
    } catch {
      // gone
    }
  }
  return sum;
}

// times: setup durations in ms (sorted here); failed: setups that did not open.
export function printSetups(times, failed, setups, maxSetupFailures) {
  if (failed >= maxSetupFailures && times.length + failed < setups) {
    process.stderr.write(`setups stopped after ${failed} failures\n`);
  }
  times.sort((x, y) => x - y);
  const pct = (q) => (times.length ? times[Math.min(times.length - 1, Math.floor(q * times.length))] : -1);
  console.log(`result setups=${times.length} failed=${failed} setup_p50_ms=${pct(0.5).toFixed(2)} ` +
    `setup_p95_ms=${pct(0.95).toFixed(2)} setup_max_ms=${(times.at(-1) ?? -1).toFixed(2)}`);
}

// One transfer; `extra` is appended as it is ("key=value ...").
export function printTransfer({ received, seconds, cpuS, rssStart, rssPeak, extra }) {
  console.log(`result bytes=${received} seconds=${seconds.toFixed(3)} ` +
    `mbit_s=${(received * 8 / seconds / 1e6).toFixed(1)} cpu_s=${cpuS.toFixed(3)} ` +
    `cpu_s_per_gib=${(cpuS / (received / 2 ** 30)).toFixed(2)} rss_start_kib=${rssStart} ` +
    `rss_peak_kib=${rssPeak} ${extra}`);
}

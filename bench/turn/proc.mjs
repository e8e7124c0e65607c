// What the kernel says about a process: CPU time and resident memory, for the TURN benchmark.
import { readFileSync, readdirSync } from 'node:fs';

const TICKS_PER_S = 100; // USER_HZ: utime/stime in /proc/PID/stat are in 1/100 s on Linux

// CPU seconds the process has used so far (all its threads). /proc/PID/task/*/schedstat counts nanoseconds
// (field 1: time on the CPU), where utime+stime in /proc/PID/stat count 10 ms ticks — too coarse for a 4 s window
// at a few percent of a core; the stat figure is the fallback where schedstat is missing.
export function cpuSeconds(pid) {
  try {
    let ns = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    }
    if (Number.isFinite(ns) && ns > 0) return ns / 1e9;
  } catch {
    // no schedstat (kernel without CONFIG_SCHED_INFO), or a thread that ended meanwhile: use stat
  }
  return statCpuSeconds(pid);
}

// utime + stime from /proc/PID/stat, in seconds.
export function statCpuSeconds(pid) {
  const { user, system } = userSystemSeconds(pid);
  return user + system;
}

// utime and stime from /proc/PID/stat (fields 14 and 15; the comm field may hold spaces: split after its ')'),
// in seconds: where the time goes, user code or the kernel (system calls, the UDP stack).
export function userSystemSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]) / TICKS_PER_S, system: Number(fields[12]) / TICKS_PER_S };
}

// relay.mjs's command line: --name value pairs into an object of strings.
export function parseArgs(argv) {
  const out = { _: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith('--')) out[argv[i].slice(2)] = argv[i + 1]?.startsWith('--') ? 'true' : argv[++i];
    else out._.push(argv[i]);
  }
  return out;
}

// One result line, as bench/signaling prints them: "result mode=... key=value ...".
export function printResult(fields) {
  const text = Object.entries(fields)
    .map(([k, v]) => `${k}=${typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(3) : v}`)
    .join(' ');
  console.log(`result ${text}`);
}

// peerhub-cli (the native peer) as a child process: its stdout read line by line, lines typed on its stdin, and
// a safety kill like every process the tests start. The binary sits beside PEERHUB_BIN (build/bin).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { peerhubBin } from './server.mjs';

export function cliBin() {
  return process.env.PEERHUB_CLI || path.join(path.dirname(peerhubBin()), 'peerhub-cli');
}

const live = new Set();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

// Starts `peerhub-cli ...args`. Returns { lines, stderr(), type(line), waitLine(re, ms), exited, kill() }.
export function startCli(args, { cwd, timeoutMs = 300000, t } = {}) {
  const proc = spawn(cliBin(), args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  live.add(proc);
  const lines = [];
  let err = '';
  let partial = '';
  const waiters = new Set();
  proc.stdout.setEncoding('utf8');
  proc.stdout.on('data', (chunk) => {
    partial += chunk;
    let nl;
    while ((nl = partial.indexOf('\n')) >= 0) {
      const line = partial.slice(0, nl);
      partial = partial.slice(nl + 1);
      lines.push(line);
      for (const w of waiters) w();
    }
  });
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (chunk) => {
    err += chunk;
    for (const w of waiters) w();
  });
  const safety = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
  const exited = new Promise((resolve) => {
    proc.on('exit', (code, signal) => {
      clearTimeout(safety);
      live.delete(proc);
      for (const w of waiters) w();
      resolve({ code, signal });
    });
  });
  let done = false;
  exited.then(() => { done = true; });
  const cli = {
    proc,
    lines,
    stderr: () => err,
    output: () => `${lines.join('\n')}\n--- stderr ---\n${err}`,
    type(line) { proc.stdin.write(`${line}\n`); },
    endInput() { proc.stdin.end(); },
    exited,
    kill() { if (!done) proc.kill('SIGKILL'); return exited; },
    // Resolves with the first stdout line matching `re` (one printed before the call counts too).
    waitLine(re, ms = 20000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = lines.find((l) => re.test(l));
          if (hit !== undefined) { cleanup(); resolve(hit); return true; }
          if (done) { cleanup(); reject(new Error(`peerhub-cli exited before printing ${re}:\n${cli.output()}`)); return true; }
          return false;
        };
        const timer = setTimeout(() => { cleanup(); reject(new Error(`no ${re} from peerhub-cli within ${ms} ms:\n${cli.output()}`)); }, ms);
        const cleanup = () => { clearTimeout(timer); waiters.delete(check); };
        if (!check()) waiters.add(check);
      });
    },
  };
  if (t) t.after(() => cli.kill());
  return cli;
}

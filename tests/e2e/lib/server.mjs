// Starts the real peerhub binary (PEERHUB_BIN) on a free loopback port and stops it again, always.
//
// Every spawned process has a safety net: it is killed with SIGKILL after `timeoutMs` (10 minutes: a browser suite
// shares one server across its tests), and every process still running when the test process exits is killed
// too, so a failing test never leaves a server behind.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const live = new Set();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export function peerhubBin() {
  const bin = process.env.PEERHUB_BIN;
  if (!bin) throw new Error('PEERHUB_BIN is not set (make integration sets it to build/bin/peerhub)');
  return bin;
}

// Runs a peerhub subcommand (cert, token, ...) to completion; returns { status, stdout, stderr }.
export function runPeerhub(args, { env = {}, timeoutMs = 15000 } = {}) {
  const r = spawnSync(peerhubBin(), args, {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function tempDir(prefix = 'peerhub-e2e-') {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

// A fresh self-signed certificate for `host` from `peerhub cert`, removed after test `t`. Returns the paths
// { cert, key } and `args`, the server flags that serve it (--tls-cert, --tls-key).
export function selfSignedCert(t, host = '127.0.0.1') {
  const tmp = tempDir();
  t.after(tmp.remove);
  const made = runPeerhub(['cert', '--host', host, '--out', tmp.dir]);
  assert.equal(made.status, 0, made.stderr);
  const cert = path.join(tmp.dir, 'cert.pem');
  const key = path.join(tmp.dir, 'key.pem');
  return { cert, key, args: ['--tls-cert', cert, '--tls-key', key] };
}

// Starts `peerhub --http 127.0.0.1:0 --turn 127.0.0.1:0 ...args` and resolves once it logged `listening service=http(s) addr=...`.
// Returns { url, wsUrl, port, pid, proc, stderr(), stop(signal) -> Promise<{ code, signal }>, exited }.
export async function startPeerhub({ args = [], env = {}, timeoutMs = 600000, startupMs = 10000, http = true } = {}) {
  // TURN is on by default at 127.0.0.1:3478: a test server takes a free port instead, so that servers that
  // overlap (a restart, a second server in one test) never collide. A test that cares passes its own --turn.
  const turn = args.some((a) => a === '--turn' || a.startsWith('--turn=')) ? [] : ['--turn', '127.0.0.1:0'];
  const argv = [...(http ? ['--http', '127.0.0.1:0'] : []), ...turn, ...args];
  const proc = spawn(peerhubBin(), argv, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(proc);
  let log = '';
  const exited = new Promise((resolve) => {
    proc.on('exit', (code, signal) => {
      live.delete(proc);
      resolve({ code, signal });
    });
  });
  const safety = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
  safety.unref();
  exited.then(() => clearTimeout(safety));

  const ready = new Promise((resolve, reject) => {
    const onData = (chunk) => {
      log += chunk.toString('utf8');
      const m = /listening service=(https?) addr=(\S+)/.exec(log);
      if (m) resolve({ scheme: m[1], addr: m[2] });
    };
    proc.stderr.on('data', onData);
    proc.stdout.on('data', onData);
    proc.on('error', reject);
    exited.then(({ code, signal }) =>
      reject(new Error(`peerhub exited (code ${code}, signal ${signal}) before listening:\n${log}`)));
    setTimeout(() => reject(new Error(`peerhub did not log "listening" within ${startupMs} ms:\n${log}`)),
      startupMs).unref();
  });

  let found;
  try {
    found = await ready;
  } catch (err) {
    proc.kill('SIGKILL');
    throw err;
  }
  const port = Number(found.addr.slice(found.addr.lastIndexOf(':') + 1));
  const host = found.addr.slice(0, found.addr.lastIndexOf(':'));
  const wsScheme = found.scheme === 'https' ? 'wss' : 'ws';
  return {
    proc,
    pid: proc.pid,
    port,
    host,
    url: `${found.scheme}://${found.addr}`,
    wsUrl: `${wsScheme}://${found.addr}/ws`,
    exited,
    stderr: () => log,
    async stop(signal = 'SIGTERM', graceMs = 5000) {
      if (proc.exitCode !== null || proc.signalCode !== null) return exited;
      proc.kill(signal);
      const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}

// Starts a server for the duration of one test (or suite): registers the stop with t.after().
export async function serverFor(t, options = {}) {
  const server = await startPeerhub(options);
  t.after(() => server.stop('SIGKILL'));
  return server;
}

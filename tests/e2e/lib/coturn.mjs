// coturn's programs (Debian package coturn, installed by scripts/install.sh) as test and bench tools: the real
// TURN clients turnutils_uclient / turnutils_peer / turnutils_stunclient, and turnserver as the reference server.
// Nothing here is peerhub's code: these are the independent implementations peerhub is checked against.
//
// Every process started here is killed when the Node process exits, and after `timeoutMs` at the latest.
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Method, UdpEndpoint, encode } from './stun.mjs';

const live = new Set();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

// A port free on `host` (127.0.0.1, or ::1) for both UDP and TCP right now (STUN/TURN listens on both).
export async function freePort(host = '127.0.0.1') {
  for (let attempt = 0; attempt < 20; attempt++) {
    const tcp = net.createServer();
    const port = await new Promise((resolve, reject) => {
      tcp.once('error', reject);
      tcp.listen(0, host, () => resolve(tcp.address().port));
    });
    const udp = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
    const ok = await new Promise((resolve) => {
      udp.once('error', () => resolve(false));
      udp.bind(port, host, () => resolve(true));
    });
    await new Promise((resolve) => tcp.close(resolve));
    if (ok) {
      await new Promise((resolve) => udp.close(resolve));
      return port;
    }
  }
  throw new Error(`no port free for both UDP and TCP on ${host}`);
}

// A relay port range of `size` ports that is unlikely to collide with another test's: random, in 20000-32767
// (below Linux's ephemeral ports, 32768-60999, which the clients' own sockets take).
export function relayRange(size = 200) {
  const min = 20000 + Math.floor(Math.random() * Math.floor(12768 / size)) * size;
  return { min, max: min + size - 1 };
}

// Starts `cmd args` with the safety net above; resolves { proc, pid, output(), exited, stop() } at once.
export function startProcess(cmd, args, { timeoutMs = 600000, env = {} } = {}) {
  const proc = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  live.add(proc);
  let out = '';
  proc.stdout.on('data', (c) => { out += c.toString('utf8'); });
  proc.stderr.on('data', (c) => { out += c.toString('utf8'); });
  const exited = new Promise((resolve) => {
    proc.on('exit', (code, signal) => {
      live.delete(proc);
      resolve({ code, signal });
    });
    proc.on('error', (err) => {
      live.delete(proc);
      resolve({ code: null, signal: null, error: err });
    });
  });
  const safety = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
  safety.unref();
  exited.then(() => clearTimeout(safety));
  return {
    proc,
    pid: proc.pid,
    exited,
    output: () => out,
    async stop(signal = 'SIGTERM') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      const timer = setTimeout(() => proc.kill('SIGKILL'), 3000);
      const r = await exited;
      clearTimeout(timer);
      return r;
    },
  };
}

// Runs a program to completion (killed after `timeoutMs`); resolves { code, signal, output }.
export async function runProcess(cmd, args, { timeoutMs = 60000, env } = {}) {
  const p = startProcess(cmd, args, { timeoutMs, env });
  const r = await p.exited;
  if (r.error) throw r.error;
  return { ...r, output: p.output() };
}

// Resolves once something answers STUN Binding on udp://127.0.0.1:port (a server that is up), or throws.
export async function waitForStun(port, { timeoutMs = 10000, host = '127.0.0.1' } = {}) {
  const ep = await UdpEndpoint.open(host);
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      try {
        await ep.transact(encode({ method: Method.binding }), port, host, { timeoutMs: 300 });
        return;
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`no STUN answer on ${host}:${port}: ${err.message}`);
      }
    }
  } finally {
    ep.close();
  }
}

// The reference server, as TESTING.md runs it: on loopback only, no TLS/DTLS/CLI, no system config (-n), its
// own user database in a temporary folder. `users` are 'u:p' strings (long-term credentials); `secret` switches
// to the REST scheme (use-auth-secret); `userQuota` caps allocations per user.
export async function startCoturn({ port, realm = 'peerhub', users = [], secret = null, allowLoopback = true,
  relay = relayRange(), userQuota = 0, extra = [], prefix = [], timeoutMs } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'coturn-'));
  const args = ['-n', '-L', '127.0.0.1', '--listening-port', String(port), '-E', '127.0.0.1',
    '--min-port', String(relay.min), '--max-port', String(relay.max), '--realm', realm,
    '--no-tls', '--no-dtls', '--no-cli', '--userdb', path.join(dir, 'turndb'),
    '--log-file', path.join(dir, 'turn.log'), '--simple-log', '--no-stdout-log', '--pidfile', path.join(dir, 'pid')];
  if (secret) args.push('--use-auth-secret', '--static-auth-secret', secret);
  else args.push('--lt-cred-mech');
  for (const u of users) args.push('--user', u);
  if (allowLoopback) args.push('--allow-loopback-peers');
  if (userQuota) args.push('--user-quota', String(userQuota));
  args.push(...extra);
  const [cmd, ...pre] = prefix.length ? prefix : ['turnserver'];
  const p = startProcess(cmd, prefix.length ? [...pre, 'turnserver', ...args] : args, { timeoutMs });
  try {
    await Promise.race([waitForStun(port), p.exited.then((r) => {
      throw new Error(`turnserver exited (${JSON.stringify(r)}): ${p.output()}`);
    })]);
  } catch (err) {
    await p.stop('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    ...p,
    port,
    log: () => { try { return readFileSync(path.join(dir, 'turn.log'), 'utf8'); } catch { return ''; } },
    async stop(signal = 'SIGTERM') {
      const r = await p.stop(signal);
      rmSync(dir, { recursive: true, force: true });
      return r;
    },
  };
}

// turnutils_peer: a UDP echo server, the far end of uclient's relayed traffic.
export async function startTurnPeer({ port, host = '127.0.0.1', prefix = [] } = {}) {
  const argv = [...prefix, 'turnutils_peer', '-L', host, '-p', String(port)];
  const p = startProcess(argv[0], argv.slice(1));
  // It binds at once and says nothing: give it a moment, and make sure it did not exit (port taken).
  const r = await Promise.race([p.exited, new Promise((resolve) => setTimeout(resolve, 200, null))]);
  if (r) throw new Error(`turnutils_peer exited at once (${JSON.stringify(r)}): ${p.output()}`);
  return { ...p, port, host };
}

// turnutils_stunclient HOST -p PORT: the reflexive (mapped) addresses it printed, e.g. ['127.0.0.1:40000'].
export async function stunclient(port, host = '127.0.0.1') {
  const r = await runProcess('turnutils_stunclient', ['-p', String(port), host], { timeoutMs: 15000 });
  const mapped = [...r.output.matchAll(/UDP reflexive addr: (\S+)/g)].map((m) => m[1]);
  return { ...r, mapped };
}

// turnutils_uclient's output. Each line starts with the seconds since it started. Once a second it prints
// "start_mclient: msz=N, tot_send_msgs=S, tot_recv_msgs=R, ..." (totals so far over all sessions), and at the end
// "Total lost packets L (P%), total send dropped D (Q%)". Sessions start sending 1-6 s after the connections are
// up ("Total connect time"), so rates come from the per-second lines, not from the totals. With -v it also prints
// each allocation's "IPv4. Received relay addr: 127.0.0.1:PORT" (or "IPv6. ... ::1:PORT"): `relayed` lists them.
export function parseUclient(text) {
  const out = { perSecond: [], sent: null, received: null, lost: null, lostPercent: null, sendDropped: null,
    connectTime: null, relayed: [], errors: [] };
  for (const line of text.split('\n')) {
    let m;
    if ((m = /^(\d+): : start_mclient: msz=(\d+), tot_send_msgs=(\d+), tot_recv_msgs=(\d+)/.exec(line))) {
      out.perSecond.push({ t: Number(m[1]), sessions: Number(m[2]), sent: Number(m[3]), received: Number(m[4]) });
    } else if ((m = /start_mclient: tot_send_msgs=(\d+), tot_recv_msgs=(\d+)/.exec(line))) {
      out.sent = Number(m[1]);
      out.received = Number(m[2]);
    } else if ((m = /Total lost packets (\d+) \(([\d.]+)%\), total send dropped (\d+)/.exec(line))) {
      out.lost = Number(m[1]);
      out.lostPercent = Number(m[2]);
      out.sendDropped = Number(m[3]);
    } else if ((m = /Total connect time is (\d+)/.exec(line))) {
      out.connectTime = Number(m[1]);
    } else if ((m = /IPv([46])\. Received relay addr: (\S+):(\d+)$/.exec(line.trim()))) {
      out.relayed.push({ family: Number(m[1]), address: m[2], port: Number(m[3]) });
    } else if (/ERROR|error|Cannot/.test(line)) {
      out.errors.push(line.trim());
    }
  }
  return out;
}

// Runs turnutils_uclient against udp/tcp://host:port with `args` (credentials, -e/-r peer, -m, -l, -n, -z, -s, -t,
// ...) to completion and returns its parsed output, the exit code and the raw text.
export async function uclient(port, args, { host = '127.0.0.1', timeoutMs = 60000, prefix = [] } = {}) {
  const argv = [...prefix, 'turnutils_uclient', '-p', String(port), ...args, host];
  const r = await runProcess(argv[0], argv.slice(1), { timeoutMs });
  return { ...r, stats: parseUclient(r.output) };
}

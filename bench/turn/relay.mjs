// One relay load point of the TURN benchmark: coturn's turnutils_uclient relays through the server under test to
// turnutils_peer (which echoes), and this script reads uclient's once-a-second totals and the server's CPU time
// at the same moments.
//
//   node bench/turn/relay.mjs --port P --server-pid PID --peer-port Q --clients M --size L --interval Z
//        [--window 4] [--user u --password p] [--load-cpu 1]
//
// uclient starts its sessions 1-6 s after the allocations are made ("Total connect time"), so the window opens
// 6.2 s after that line (for one client: one second after its first packet) and lasts --window seconds; then
// uclient is stopped. Over the window:
//   sent, received      packets uclient sent to the peer and got back (the per-second totals' deltas)
//   relayed_pps         2 × received / s: each packet that came back crossed the server twice
//   loss_pct            1 - received / sent (packets in flight at both ends of the window cancel out)
//   server_cpu_s        the server's CPU time (see proc.mjs), cpu_us_per_pkt = server_cpu_s / relayed
//   pkts_per_cpu_s      relayed / server_cpu_s
//   server_user_s/_sys_s the same CPU split into user and kernel time (10 ms ticks, /proc/PID/stat)
//   load_cpu_s          CPU time of uclient and turnutils_peer: near the window's length means the load tools,
//                       not the server, set the pace
import { spawn } from 'node:child_process';
import { waitForStun } from '../../tests/e2e/lib/coturn.mjs';
import { cpuSeconds, parseArgs, printResult, userSystemSeconds } from './proc.mjs';

const a = parseArgs(process.argv.slice(2));
const port = Number(a.port);
const serverPid = Number(a['server-pid']);
const clients = Number(a.clients ?? 1);
const size = Number(a.size ?? 120);
const interval = Number(a.interval ?? 1);
const windowS = Number(a.window ?? 4);
const peerPid = a['peer-pid'] ? Number(a['peer-pid']) : null;
const label = a.label ?? 'server';

await waitForStun(port);
const pin = a['load-cpu'] !== undefined ? ['taskset', '-c', a['load-cpu']] : [];
// stdbuf: uclient prints with stdio, block-buffered into a pipe; each line must arrive when it is printed.
const argv = [...pin, 'stdbuf', '-oL', '-eL', 'turnutils_uclient', '-u', a.user ?? 'u', '-w', a.password ?? 'p',
  '-e', '127.0.0.1', '-r', String(a['peer-port']), '-c', '-m', String(clients), '-l', String(size), '-n', '100000000',
  '-z', String(interval), '-p', String(port), '127.0.0.1'];
const uc = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
const giveUp = setTimeout(() => uc.kill('SIGKILL'), (20 + windowS + clients * 0.2) * 1000);

const loadCpu = () => {
  let s = 0;
  for (const pid of [uc.pid, peerPid]) {
    try {
      if (pid) s += cpuSeconds(pid);
    } catch {
      // exited
    }
  }
  return s;
};

let connectedAt = null;
let firstSending = null;
let start = null;
let result = null;
let tail = '';
const lines = [];

function onLine(line) {
  lines.push(line);
  const now = performance.now() / 1000;
  if (/Total connect time/.test(line)) connectedAt ??= now;
  const m = /start_mclient: msz=\d+, tot_send_msgs=(\d+), tot_recv_msgs=(\d+)/.exec(line);
  if (!m || connectedAt === null) return;
  const sample = { t: now, sent: Number(m[1]), received: Number(m[2]), cpu: cpuSeconds(serverPid),
    split: userSystemSeconds(serverPid), load: loadCpu() };
  if (sample.sent > 0) firstSending ??= now;
  const ready = clients === 1 ? firstSending !== null && now - firstSending >= 0.9 : now - connectedAt >= 6.2;
  if (!start) {
    if (ready) start = sample;
    return;
  }
  if (now - start.t < windowS - 0.1) return;
  const dt = now - start.t;
  const sent = sample.sent - start.sent;
  const received = sample.received - start.received;
  const relayed = 2 * received;
  const cpu = sample.cpu - start.cpu;
  result = {
    mode: 'relay', server: label, clients, size, interval, seconds: dt, sent, received,
    sent_pps: sent / dt, relayed_pps: relayed / dt, loss_pct: sent > 0 ? Math.max(0, 100 * (1 - received / sent)) : 0,
    server_cpu_s: cpu, cpu_us_per_pkt: relayed > 0 ? (cpu / relayed) * 1e6 : -1,
    pkts_per_cpu_s: cpu > 0 ? relayed / cpu : -1, server_user_s: sample.split.user - start.split.user,
    server_sys_s: sample.split.system - start.split.system, load_cpu_s: sample.load - start.load,
  };
  uc.kill('SIGTERM');
}

const feed = (chunk) => {
  tail += chunk.toString('utf8');
  let nl;
  while ((nl = tail.indexOf('\n')) >= 0) {
    onLine(tail.slice(0, nl));
    tail = tail.slice(nl + 1);
  }
};
uc.stdout.on('data', feed);
uc.stderr.on('data', feed);
const exit = await new Promise((resolve) => uc.on('exit', (code, signal) => resolve({ code, signal })));
clearTimeout(giveUp);
if (!result) {
  console.error(`relay.mjs: no measurement (uclient ${JSON.stringify(exit)}); its last lines:\n` +
    lines.slice(-15).join('\n'));
  printResult({ mode: 'relay', server: label, clients, size, interval, failed: 1 });
  process.exit(1);
}
printResult(result);

// Chromium ↔ Chromium: two pages of one headless Debian Chromium (/usr/bin/chromium, or $CHROMIUM_BIN), each in a
// browser context of its own (so each has a renderer process of its own), an RTCPeerConnection in each; this
// harness passes the signaling between them (exposeFunction out of a page, page.evaluate into the other). The same
// measurements as bench/datachannel/pair.cpp and datachannel_pair.mjs:
//   setup      offer created → channel open on the offerer (page A), over SETUPS connections (both
//              RTCPeerConnections are made before the clock starts; performance.now() in page A). The signaling
//              hops through this process (Chrome DevTools Protocol), which costs each a little.
//   transfer   one ordered, reliable channel 'bench' carrying 64 KiB binary messages while bufferedAmount stays
//              under 4 MiB (bufferedAmountLowThreshold 1 MiB), BYTES bytes; seconds from page A's channel open
//              (its first send) to page B's last byte, both on the wall clock (performance.timeOrigin + now());
//              CPU seconds: utime+stime from /proc/PID/stat of ALL the browser's processes (browser, renderers,
//              GPU, network service, utility — every descendant of this process) over the transfer; RSS: the sum of
//              their VmRSS, sampled every 50 ms.
// Only 127.0.0.1 UDP candidates are passed between the pages (run.sh runs this in a namespace with only loopback
// as well, where the machine allows it). The pages are about:blank. Launch flags as tests/e2e/lib/browser.mjs.
// Prints "result key=value ..." lines; exits 1 and says why on stderr when something did not finish.
// Usage: node chromium_pair.mjs [SETUPS=50] [BYTES=268435456]
import { readFileSync, readdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { printSetups, printTransfer, rssKibOf } from './results.mjs';

const setups = Number(process.argv[2] ?? 50);
const bytes = Number(process.argv[3] ?? 256 * 1024 * 1024);
const setupTimeoutMs = 10000;
const transferTimeoutMs = 20000 + bytes / 4096; // 20 s plus 1 s per 4 MiB (run.sh stops a side after 60 s plus that)
const maxSetupFailures = 3;

// Playwright's own --disable-features list (playwright-core 1.65.1), repeated because Chromium keeps only the last
// --disable-features switch; plus WebRtcHideLocalIpsWithMdns, so host candidates are addresses, not .local names.
// Same list and reasons as tests/e2e/lib/browser.mjs.
const DISABLED_FEATURES = [
  'AvoidUnnecessaryBeforeUnloadCheckSync', 'DestroyProfileOnBrowserClose', 'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable', 'LensOverlay', 'MediaRouter', 'PaintHolding', 'ThirdPartyStoragePartitioning',
  'AvoidCorsURLLoaderRestartOnRedirect', 'TcpPortRandomizationWin', 'OptimizationHints',
  'NetworkTimeServiceQuerying', 'AimEnabled', 'PreconnectToSearch', 'msForceBrowserSignIn',
  'msEdgeUpdateLaunchServicesPreferredVersion', 'WebRtcHideLocalIpsWithMdns',
];
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
  '--allow-loopback-in-peer-connection', // gather 127.0.0.1 host candidates
  `--disable-features=${DISABLED_FEATURES.join(',')}`,
];

// The page side, evaluated in both pages: one RTCPeerConnection at a time, signaling handled in arrival order
// (candidates wait for the remote description).
function pageCode() {
  const state = { pc: null, channel: null, chain: Promise.resolve(), held: [] };
  const loopback = (line) => / udp /i.test(line) && / 127\.0\.0\.1 /.test(line);
  const onlyLoopback = (sdp) => sdp.split('\r\n').filter((l) => !l.startsWith('a=candidate:') || loopback(l))
    .join('\r\n');
  const now = () => performance.timeOrigin + performance.now();

  function make(id) {
    state.pc?.close();
    state.held = [];
    // A fresh queue for each connection: an operation on a closed RTCPeerConnection never settles (a candidate
    // that was still being added when the last connection closed would otherwise hold up every later signal).
    state.chain = Promise.resolve();
    const pc = new RTCPeerConnection({ iceServers: [] });
    state.pc = pc;
    pc.onicecandidate = (e) => {
      if (e.candidate && loopback(` ${e.candidate.candidate} `)) window.benchSignal({ id, candidate: e.candidate.toJSON() });
    };
    return pc;
  }

  async function apply(m) {
    const pc = state.pc;
    if (!pc || m.id !== state.id) return;
    if (m.sdp) {
      await pc.setRemoteDescription({ type: m.sdp.type, sdp: onlyLoopback(m.sdp.sdp) });
      for (const c of state.held.splice(0)) await pc.addIceCandidate(c);
      if (m.sdp.type === 'offer') {
        await pc.setLocalDescription(await pc.createAnswer());
        window.benchSignal({ id: m.id, sdp: { type: 'answer', sdp: onlyLoopback(pc.localDescription.sdp) } });
      }
    } else if (pc.remoteDescription) {
      await pc.addIceCandidate(m.candidate);
    } else {
      state.held.push(m.candidate);
    }
  }

  window.bench = {
    signal(m) {
      state.chain = state.chain.then(() => apply(m)).catch((err) => console.error(`signal: ${err}`));
    },
    // Answerer: a PeerConnection for connection `id`; with `bytes`, counts what arrives on its channel and calls
    // benchDone once all have.
    prepare(id, bytes) {
      state.id = id;
      const pc = make(id);
      pc.ondatachannel = (e) => {
        const channel = e.channel;
        state.channel = channel;
        if (!bytes) return;
        channel.binaryType = 'arraybuffer';
        let received = 0;
        let first = null;
        channel.onmessage = (m) => {
          if (first === null) first = now();
          received += m.data.byteLength;
          if (received < bytes) return;
          channel.onmessage = null;
          window.benchDone({ received, firstMs: first, lastMs: now() });
        };
      };
    },
    // Offerer: a PeerConnection for connection `id` (made before the clock starts, as the answerer's is).
    prepareOffer(id) {
      state.id = id;
      make(id);
    },
    // Offerer: channel 'bench' and the offer; resolves with the ms from here to the channel's open, or -1.
    async open(timeoutMs) {
      const pc = state.pc;
      const t0 = performance.now();
      const channel = pc.createDataChannel('bench');
      state.channel = channel;
      const opened = new Promise((resolve) => {
        channel.onopen = () => resolve(performance.now() - t0);
        setTimeout(() => resolve(-1), timeoutMs);
      });
      await pc.setLocalDescription(await pc.createOffer());
      window.benchSignal({ id: state.id, sdp: { type: 'offer', sdp: onlyLoopback(pc.localDescription.sdp) } });
      return opened;
    },
    // Offerer: starts sending `bytes` in 64 KiB messages on the open channel; returns the start time at once.
    send(bytes) {
      const channel = state.channel;
      const chunk = new Uint8Array(64 * 1024).fill(0x5a).buffer;
      let sent = 0;
      channel.bufferedAmountLowThreshold = 1024 * 1024;
      const pump = () => {
        try {
          while (sent < bytes && channel.bufferedAmount < 4 * 1024 * 1024) {
            channel.send(chunk);
            sent += chunk.byteLength;
          }
        } catch (err) {
          console.error(`send: ${err}`);
        }
      };
      channel.onbufferedamountlow = pump;
      const start = now();
      pump();
      return start;
    },
    sent() {
      return { state: state.channel?.readyState, buffered: state.channel?.bufferedAmount };
    },
    close() {
      state.channel?.close();
      state.pc?.close();
      state.channel = null;
      state.pc = null;
    },
  };
}

// The pids of every process below this one (the browser and all it started), from /proc.
function descendants() {
  const children = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(name));
    } catch {
      // the process ended meanwhile
    }
  }
  const out = [];
  const todo = [process.pid];
  while (todo.length) for (const c of children.get(todo.pop()) ?? []) out.push(c), todo.push(c);
  return out;
}

const ticksPerSecond = 100; // USER_HZ on Linux
// utime+stime (s) of each pid, as a Map.
function cpuOf(pids) {
  const out = new Map();
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(pid, (Number(f[11]) + Number(f[12])) / ticksPerSecond);
    } catch {
      // gone
    }
  }
  return out;
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_BIN || '/usr/bin/chromium',
  headless: true,
  args: CHROMIUM_ARGS,
  timeout: 30000,
});

// Page A offers, page B answers; each one's signals go to the other, and B's benchDone to whoever waits.
async function newPage(name) {
  const context = await browser.newContext();
  // Chromium gathers candidates on every interface, loopback included, only for a page allowed the camera and
  // microphone; without it, only the default route's address. Nothing is captured: the pages never ask.
  await context.grantPermissions(['camera', 'microphone']);
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') process.stderr.write(`page ${name}: ${m.text()}\n`); });
  page.on('pageerror', (err) => process.stderr.write(`page ${name}: ${err.message}\n`));
  return page;
}
const a = await newPage('A');
const b = await newPage('B');
let onDone = null;
await a.exposeFunction('benchSignal', (m) => b.evaluate((x) => window.bench.signal(x), m).catch(() => {}));
await b.exposeFunction('benchSignal', (m) => a.evaluate((x) => window.bench.signal(x), m).catch(() => {}));
await b.exposeFunction('benchDone', (report) => onDone?.(report));
await a.evaluate(pageCode);
await b.evaluate(pageCode);

async function measureSetups() {
  const times = [];
  let failed = 0;
  for (let i = 0; i < setups && failed < maxSetupFailures; i++) {
    await b.evaluate((id) => window.bench.prepare(id, 0), i);
    await a.evaluate((id) => window.bench.prepareOffer(id), i);
    const ms = await a.evaluate((t) => window.bench.open(t), setupTimeoutMs);
    if (ms >= 0) times.push(ms);
    else {
      failed++;
      process.stderr.write(`setup ${i}: channel not open after ${setupTimeoutMs} ms\n`);
    }
    await a.evaluate(() => window.bench.close());
    await b.evaluate(() => window.bench.close());
  }
  printSetups(times, failed, setups, maxSetupFailures);
  return failed === 0;
}

async function measureTransfer() {
  const id = 'transfer';
  await b.evaluate(([x, n]) => window.bench.prepare(x, n), [id, bytes]);
  await a.evaluate((x) => window.bench.prepareOffer(x), id);
  if ((await a.evaluate((t) => window.bench.open(t), setupTimeoutMs)) < 0) throw new Error('transfer channel not open');
  const done = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not all bytes arrived within ${transferTimeoutMs} ms`)),
      transferTimeoutMs);
    onDone = (report) => {
      clearTimeout(timer);
      resolve(report);
    };
  });
  const pids = descendants();
  const cpu0 = cpuOf(pids);
  const rss0 = rssKibOf(pids);
  let rssPeak = rss0;
  const sampler = setInterval(() => { rssPeak = Math.max(rssPeak, rssKibOf(pids)); }, 50);
  const startMs = await a.evaluate((n) => window.bench.send(n), bytes);
  let report;
  try {
    report = await done;
  } catch (err) {
    const s = await a.evaluate(() => window.bench.sent()).catch(() => ({}));
    throw new Error(`${err.message} (offerer's channel ${s.state}, ${s.buffered} bytes buffered)`);
  } finally {
    clearInterval(sampler);
  }
  // Processes that started during the transfer count from zero; those that ended, not at all.
  let cpuS = 0;
  const pidsAfter = descendants();
  for (const [pid, s] of cpuOf(pidsAfter)) cpuS += s - (cpu0.get(pid) ?? 0);
  const seconds = (report.lastMs - startMs) / 1000;
  printTransfer({
    received: report.received, seconds, cpuS, rssStart: rss0, rssPeak,
    extra: `processes=${pidsAfter.length} first_byte_ms=${(report.firstMs - startMs).toFixed(2)}`,
  });
  await a.evaluate(() => window.bench.close());
  await b.evaluate(() => window.bench.close());
}

let ok = false;
try {
  const setupsOk = await measureSetups();
  await measureTransfer();
  ok = setupsOk;
} catch (err) {
  process.stderr.write(`chromium pair: ${err.message}\n`);
}
await browser.close().catch(() => {});
process.exit(ok ? 0 : 1);

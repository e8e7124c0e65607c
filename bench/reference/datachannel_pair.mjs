// node-datachannel (libdatachannel) ↔ node-datachannel as two processes, like two real peers: this process is the
// offerer and the harness; it forks datachannel_answerer.mjs and passes the signaling (descriptions and
// candidates, as they come) over the IPC channel between them. The same measurements as
// bench/datachannel/pair.cpp:
//   setup      offer created → channel open on the offerer, over SETUPS connections (both PeerConnections are made
//              before the clock starts; the offer is made by createDataChannel);
//   transfer   one ordered, reliable channel carrying 64 KiB binary messages while bufferedAmount stays under
//              4 MiB (low threshold 1 MiB), BYTES bytes; seconds from the offerer's channel open (its first send)
//              to the answerer's last byte, both read from CLOCK_MONOTONIC (process.hrtime); CPU seconds of both
//              processes over the transfer (process.cpuUsage in each, summed); RSS of both processes together
//              (sampled every 20 ms from /proc).
// Prints "result key=value ..." lines; exits 1 and says why on stderr when something did not finish.
// Usage: node datachannel_pair.mjs [SETUPS=50] [BYTES=268435456]
import { fork } from 'node:child_process';
import nodeDataChannel from 'node-datachannel';
import { printSetups, printTransfer, rssKibOf } from './results.mjs';

const setups = Number(process.argv[2] ?? 50);
const bytes = Number(process.argv[3] ?? 256 * 1024 * 1024);
const messageSize = 64 * 1024;
const highWater = 4 * 1024 * 1024;
const lowWater = 1024 * 1024;
const setupTimeoutMs = 10000;
const transferTimeoutMs = 20000 + bytes / 4096; // 20 s plus 1 s per 4 MiB (run.sh stops a side after 60 s plus that)
const maxSetupFailures = 3;

nodeDataChannel.initLogger('Error', (level, message) => process.stderr.write(`offerer: ${message}\n`));

const answerer = fork(new URL('./datachannel_answerer.mjs', import.meta.url), [], {
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
let answererGone = null;
const answererExit = new Promise((resolve) => {
  answerer.on('exit', (code, signal) => {
    answererGone = `the answerer process exited (${signal ?? `code ${code}`})`;
    resolve();
  });
});

// Messages from the answerer: signaling goes to the PeerConnection of its id, the rest to whoever waits for it.
const offerers = new Map(); // id -> { pc, channel }: held until closed, so that nothing is garbage-collected early
const waiting = new Map(); // 'prepared:ID' / 'done:ID' -> resolve
answerer.on('message', (m) => {
  if (m.signal) {
    const pc = offerers.get(m.signal.id)?.pc;
    if (!pc) return;
    if (m.signal.sdp) pc.setRemoteDescription(m.signal.sdp, m.signal.type);
    else pc.addRemoteCandidate(m.signal.candidate, m.signal.mid);
  } else if (m.prepared !== undefined) {
    waiting.get(`prepared:${m.prepared}`)?.(m);
  } else if (m.done) {
    waiting.get(`done:${m.done.id}`)?.(m.done);
  }
});

// Resolves with the answerer's message `key`, or rejects after `ms` or when the answerer exits.
function expect(key, ms) {
  return new Promise((resolve, reject) => {
    const finish = (f, v) => {
      clearTimeout(timer);
      waiting.delete(key);
      f(v);
    };
    const timer = setTimeout(() => finish(reject, new Error(`no '${key}' from the answerer within ${ms} ms`)), ms);
    waiting.set(key, (v) => finish(resolve, v));
    answererExit.then(() => finish(reject, new Error(answererGone)));
  });
}

async function connect(id, transfer) {
  const pc = new nodeDataChannel.PeerConnection(`offerer-${id}`, { iceServers: [], bindAddress: '127.0.0.1' });
  offerers.set(id, { pc, channel: null });
  pc.onLocalDescription((sdp, type) => answerer.send({ signal: { id, sdp, type } }));
  pc.onLocalCandidate((candidate, mid) => answerer.send({ signal: { id, candidate, mid } }));
  const prepared = expect(`prepared:${id}`, setupTimeoutMs);
  answerer.send({ prepare: id, transfer });
  await prepared;
}

function close(id) {
  const peer = offerers.get(id);
  if (!peer) return;
  offerers.delete(id);
  peer.channel?.close();
  peer.pc.close();
  if (!answererGone) answerer.send({ close: id });
}

// Creates the channel (and so the offer) and resolves with it once open, or rejects after `ms`.
function openChannel(id, ms) {
  const peer = offerers.get(id);
  const channel = peer.pc.createDataChannel('bench');
  peer.channel = channel;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`channel not open after ${ms} ms`)), ms);
    channel.onOpen(() => {
      clearTimeout(timer);
      resolve(channel);
    });
  });
}

async function measureSetups() {
  const times = [];
  let failed = 0;
  for (let i = 0; i < setups && failed < maxSetupFailures; i++) {
    await connect(i);
    const t0 = process.hrtime.bigint();
    try {
      await openChannel(i, setupTimeoutMs);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    } catch (err) {
      failed++;
      process.stderr.write(`setup ${i}: ${err.message}\n`);
    }
    close(i);
  }
  printSetups(times, failed, setups, maxSetupFailures);
  return failed === 0;
}

async function measureTransfer() {
  const id = 'transfer';
  await connect(id, { bytes });
  const channel = await openChannel(id, setupTimeoutMs);
  const done = expect(`done:${id}`, transferTimeoutMs);
  const rss0 = rssKibOf([process.pid, answerer.pid]);
  let rssPeak = rss0;
  const sampler = setInterval(() => {
    if (!answererGone) rssPeak = Math.max(rssPeak, rssKibOf([process.pid, answerer.pid]));
  }, 20);
  const chunk = Buffer.alloc(messageSize, 0x5a);
  let sent = 0;
  let sendError = null;
  const cpu0 = process.cpuUsage();
  const startNs = process.hrtime.bigint();
  const pump = () => {
    try {
      while (sent < bytes && channel.bufferedAmount() < highWater) {
        channel.sendMessageBinary(chunk);
        sent += chunk.length;
      }
    } catch (err) {
      sendError ??= err;
    }
  };
  channel.setBufferedAmountLowThreshold(lowWater);
  channel.onBufferedAmountLow(pump);
  channel.onClosed(() => { sendError ??= new Error('the channel closed during the transfer'); });
  pump();
  let report;
  try {
    report = await done;
  } catch (err) {
    throw new Error(`${err.message}; sent ${sent} of ${bytes} bytes${sendError ? `; ${sendError.message}` : ''}`);
  } finally {
    clearInterval(sampler);
  }
  const cpu = process.cpuUsage(cpu0);
  const cpuOfferer = (cpu.user + cpu.system) / 1e6;
  const cpuS = cpuOfferer + report.cpuS;
  const seconds = Number(BigInt(report.lastNs) - startNs) / 1e9;
  const firstByteMs = Number(BigInt(report.firstNs) - startNs) / 1e6;
  printTransfer({
    received: report.received, seconds, cpuS, rssStart: rss0, rssPeak,
    extra: `cpu_offerer_s=${cpuOfferer.toFixed(3)} cpu_answerer_s=${report.cpuS.toFixed(3)} ` +
      `first_byte_ms=${firstByteMs.toFixed(2)}`,
  });
  close(id);
}

let ok = false;
try {
  const setupsOk = await measureSetups();
  await measureTransfer();
  ok = setupsOk;
} catch (err) {
  process.stderr.write(`node-datachannel pair: ${err.message}\n`);
}
for (const id of [...offerers.keys()]) close(id);
if (!answererGone) answerer.send({ exit: true });
await Promise.race([answererExit, new Promise((resolve) => setTimeout(resolve, 3000))]);
if (!answererGone) answerer.kill('SIGKILL');
process.exit(ok ? 0 : 1);

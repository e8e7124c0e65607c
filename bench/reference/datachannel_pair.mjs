// node-datachannel (libdatachannel) ↔ node-datachannel in one process, the same measurements as pair.cpp: setup
// (offer created → channel open on the offerer) over many runs, then one ordered reliable channel carrying 64 KiB
// messages while bufferedAmount stays under a high-water mark. Prints "result key=value ..." lines.
import nodeDataChannel from 'node-datachannel';

const setups = Number(process.argv[2] || 50);
const bytes = Number(process.argv[3] || 256 * 1024 * 1024);
const messageSize = 64 * 1024;
nodeDataChannel.initLogger('Error', () => {});

function pair() {
  const a = new nodeDataChannel.PeerConnection('a', { iceServers: [], bindAddress: '127.0.0.1' });
  const b = new nodeDataChannel.PeerConnection('b', { iceServers: [], bindAddress: '127.0.0.1' });
  a.onLocalDescription((sdp, type) => b.setRemoteDescription(sdp, type));
  b.onLocalDescription((sdp, type) => a.setRemoteDescription(sdp, type));
  a.onLocalCandidate((c, mid) => b.addRemoteCandidate(c, mid));
  b.onLocalCandidate((c, mid) => a.addRemoteCandidate(c, mid));
  return { a, b };
}

const times = [];
let failed = 0;
for (let i = 0; i < setups; i++) {
  const { a, b } = pair();
  const t0 = process.hrtime.bigint();
  const dc = a.createDataChannel('bench');
  const ok = await new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), 10000);
    dc.onOpen(() => { clearTimeout(timer); resolve(true); });
  });
  if (ok) times.push(Number(process.hrtime.bigint() - t0) / 1e6); else failed++;
  dc.close(); a.close(); b.close();
}
times.sort((x, y) => x - y);
const pct = (q) => (times.length ? times[Math.min(times.length - 1, Math.floor(q * times.length))] : -1);
console.log(`result setups=${times.length} failed=${failed} setup_p50_ms=${pct(0.5).toFixed(2)} ` +
  `setup_p95_ms=${pct(0.95).toFixed(2)} setup_max_ms=${(times.at(-1) ?? -1).toFixed(2)}`);

const { a, b } = pair();
let received = 0;
b.onDataChannel((ch) => ch.onMessage((m) => { received += m.length ?? m.byteLength; }));
const dc = a.createDataChannel('bench');
await new Promise((resolve) => dc.onOpen(resolve));
const chunk = Buffer.alloc(messageSize, 0x5a);
const rss0 = Math.round(process.memoryUsage().rss / 1024);
let rssPeak = rss0;
const cpu0 = process.cpuUsage();
const start = process.hrtime.bigint();
let sent = 0;
dc.setBufferedAmountLowThreshold(1024 * 1024);
const pump = () => {
  while (sent < bytes && dc.bufferedAmount() < 4 * 1024 * 1024) {
    dc.sendMessageBinary(chunk);
    sent += chunk.length;
  }
};
dc.onBufferedAmountLow(pump);
pump();
await new Promise((resolve) => {
  const timer = setInterval(() => {
    rssPeak = Math.max(rssPeak, Math.round(process.memoryUsage().rss / 1024));
    if (received >= bytes) { clearInterval(timer); resolve(); }
  }, 20);
});
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
const cpu = process.cpuUsage(cpu0);
const cpuS = (cpu.user + cpu.system) / 1e6;
console.log(`result bytes=${received} seconds=${seconds.toFixed(3)} mbit_s=${(received * 8 / seconds / 1e6).toFixed(1)} ` +
  `cpu_s=${cpuS.toFixed(3)} cpu_s_per_gib=${(cpuS / (received / 2 ** 30)).toFixed(2)} rss_start_kib=${rss0} ` +
  `rss_peak_kib=${rssPeak}`);
dc.close(); a.close(); b.close();
process.exit(0);

// The stats panel: what getStats() says about a connection, once a second — connection state, the selected
// candidate pair and its type, round-trip time, bitrate in and out, codecs, frames decoded, packets lost.
import { el } from './ui.js';

// One reading of the figures that matter; `previous` (the last reading) turns byte counters into bitrates.
export async function readStats(pc, previous) {
  const report = await pc.getStats();
  const byId = new Map();
  report.forEach((s) => byId.set(s.id, s));
  const now = performance.now();
  const out = {
    at: now, state: pc.connectionState, pairType: '', local: '', remote: '', rttMs: null,
    bytesIn: 0, bytesOut: 0, kbpsIn: null, kbpsOut: null, videoCodec: '', audioCodec: '',
    framesDecoded: 0, frameWidth: 0, frameHeight: 0, packetsLost: 0, audioPacketsIn: 0, videoPacketsIn: 0,
  };
  let pair = null;
  report.forEach((s) => {
    if (s.type === 'transport' && s.selectedCandidatePairId) pair = byId.get(s.selectedCandidatePairId);
  });
  if (!pair) {
    report.forEach((s) => {
      if (s.type === 'candidate-pair' && s.state === 'succeeded' && (s.nominated || s.selected)) pair = s;
    });
  }
  if (pair) {
    const local = byId.get(pair.localCandidateId);
    const remote = byId.get(pair.remoteCandidateId);
    out.pairType = local && remote ? `${local.candidateType} ↔ ${remote.candidateType}` : '';
    out.local = local ? `${local.address ?? local.ip}:${local.port} ${local.protocol}` : '';
    out.remote = remote ? `${remote.address ?? remote.ip}:${remote.port} ${remote.protocol}` : '';
    out.localType = local?.candidateType ?? '';
    out.remoteType = remote?.candidateType ?? '';
    if (typeof pair.currentRoundTripTime === 'number') out.rttMs = pair.currentRoundTripTime * 1000;
    out.bytesIn = pair.bytesReceived ?? 0;
    out.bytesOut = pair.bytesSent ?? 0;
  }
  report.forEach((s) => {
    if (s.type !== 'inbound-rtp') return;
    const codec = byId.get(s.codecId)?.mimeType?.split('/')[1] ?? '';
    out.packetsLost += s.packetsLost ?? 0;
    if (s.kind === 'video') {
      out.framesDecoded += s.framesDecoded ?? 0;
      out.frameWidth = s.frameWidth ?? out.frameWidth;
      out.frameHeight = s.frameHeight ?? out.frameHeight;
      out.videoPacketsIn += s.packetsReceived ?? 0;
      if (codec) out.videoCodec = codec;
    } else if (s.kind === 'audio') {
      out.audioPacketsIn += s.packetsReceived ?? 0;
      if (codec) out.audioCodec = codec;
    }
  });
  if (previous && now > previous.at) {
    const seconds = (now - previous.at) / 1000;
    out.kbpsIn = Math.max(0, (out.bytesIn - previous.bytesIn) * 8 / 1000 / seconds);
    out.kbpsOut = Math.max(0, (out.bytesOut - previous.bytesOut) * 8 / 1000 / seconds);
  }
  return out;
}

const ROWS = [
  ['Connection', (s) => s.state],
  ['Candidate pair', (s) => s.pairType || '—'],
  ['Local', (s) => s.local || '—'],
  ['Remote', (s) => s.remote || '—'],
  ['Round trip', (s) => (s.rttMs === null ? '—' : `${s.rttMs.toFixed(1)} ms`)],
  ['Bitrate in', (s) => (s.kbpsIn === null ? '—' : `${s.kbpsIn.toFixed(0)} kbit/s`)],
  ['Bitrate out', (s) => (s.kbpsOut === null ? '—' : `${s.kbpsOut.toFixed(0)} kbit/s`)],
  ['Codecs', (s) => [s.videoCodec, s.audioCodec].filter(Boolean).join(' + ') || '—'],
  ['Frames decoded', (s) => `${s.framesDecoded}${s.frameWidth ? ` (${s.frameWidth}×${s.frameHeight})` : ''}`],
  ['Packets lost', (s) => String(s.packetsLost)],
];

export class StatsPanel {
  constructor(root) {
    this.root = root;
    this.timer = null;
    this.last = null;
    this.cells = ROWS.map(([label]) => {
      const cell = el('dd', {}, '—');
      root.append(el('dt', {}, label), cell);
      return cell;
    });
  }

  watch(pc) {
    this.stop();
    this.last = null;
    const tick = async () => {
      if (pc.connectionState === 'closed') return this.stop();
      try {
        this.last = await readStats(pc, this.last);
        ROWS.forEach(([, format], i) => { this.cells[i].textContent = format(this.last); });
        this.root.dataset.pairType = this.last.localType || '';
      } catch (err) {
        console.warn('stats:', err.message);
      }
    };
    tick();
    this.timer = setInterval(tick, 1000);
  }

  stop() {
    clearInterval(this.timer);
    this.timer = null;
  }
}

// The answering peer of datachannel_pair.mjs, a process of its own (forked with an IPC channel, which carries the
// signaling and the harness's commands). For every connection: a PeerConnection made on 'prepare' (before the
// offerer starts its clock, as the offerer's own is), the offer and candidates applied as they come, its answer
// and candidates sent back. For the transfer, it counts the bytes that arrive on the channel and reports, when
// all have come, the time of the last one (process.hrtime, CLOCK_MONOTONIC: the same clock as the offerer's) and
// its own CPU time since its channel opened.
//
// Every PeerConnection and DataChannel is held in `peers` until the harness says 'close': node-datachannel closes
// a channel when its JS object is garbage-collected, and the offerer then fails with "DataChannel is closed".
import nodeDataChannel from 'node-datachannel';

nodeDataChannel.initLogger('Error', (level, message) => process.stderr.write(`answerer: ${message}\n`));

const peers = new Map(); // id -> { pc, channel }
const send = (message) => process.send(message);

function prepare(id, transfer) {
  const pc = new nodeDataChannel.PeerConnection(`answerer-${id}`, { iceServers: [], bindAddress: '127.0.0.1' });
  const peer = { pc, channel: null };
  peers.set(id, peer);
  pc.onLocalDescription((sdp, type) => send({ signal: { id, sdp, type } }));
  pc.onLocalCandidate((candidate, mid) => send({ signal: { id, candidate, mid } }));
  pc.onDataChannel((channel) => {
    peer.channel = channel;
    if (transfer) receive(id, channel, transfer.bytes);
  });
  send({ prepared: id });
}

// Counts `bytes` arriving on `channel`, then reports { done } with the last byte's time and the CPU spent here.
function receive(id, channel, bytes) {
  const cpu0 = process.cpuUsage();
  let received = 0;
  let firstNs = null;
  channel.onMessage((message) => {
    if (firstNs === null) firstNs = process.hrtime.bigint();
    received += message.byteLength ?? message.length;
    if (received < bytes) return;
    const lastNs = process.hrtime.bigint();
    const cpu = process.cpuUsage(cpu0);
    send({ done: { id, received, firstNs: String(firstNs), lastNs: String(lastNs), cpuS: (cpu.user + cpu.system) / 1e6 } });
    channel.onMessage(() => {});
  });
}

function close(id) {
  const peer = peers.get(id);
  if (!peer) return;
  peers.delete(id);
  peer.channel?.close();
  peer.pc.close();
}

process.on('message', (m) => {
  if (m.prepare !== undefined) return prepare(m.prepare, m.transfer);
  if (m.signal) {
    const peer = peers.get(m.signal.id);
    if (!peer) return;
    if (m.signal.sdp) peer.pc.setRemoteDescription(m.signal.sdp, m.signal.type);
    else peer.pc.addRemoteCandidate(m.signal.candidate, m.signal.mid);
    return;
  }
  if (m.close !== undefined) return close(m.close);
  if (m.exit) {
    // No nodeDataChannel.cleanup(): with libdatachannel's threads still winding down it crashes now and then
    // (a segmentation fault or a mutex assertion), after the results are in; exiting is enough.
    for (const id of [...peers.keys()]) close(id);
    setTimeout(() => process.exit(0), 50);
  }
});
process.on('disconnect', () => process.exit(1)); // the harness is gone

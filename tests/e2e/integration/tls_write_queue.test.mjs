// Over TLS the server writes to a client one write at a time, and what it queues for the client while that write
// waits on a full socket goes out when the write is done, with nothing more arriving to push it. A client that
// stops reading for a moment while others keep talking to it (a busy browser tab in a room, a TURN client under a
// flood) gets everything once it reads again: every room message of the burst, in order, down to the last one
// over WSS; the answer to its request over TURN over TLS.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closeAll, connect, sleep } from '../lib/client.mjs';
import { parseMetrics, rawGet } from '../lib/http.mjs';
import { selfSignedCert, serverFor } from '../lib/server.mjs';
import { Method, drainDataIndications, lifetime, streamClientWithPeer } from '../lib/stun.mjs';

// A server with a fresh self-signed certificate for HTTPS/WSS and TURN over TLS; `metrics()` reads its /metrics.
async function tlsServer(t, args) {
  const server = await serverFor(t, { args: [...selfSignedCert(t).args, '--turn-tls', '127.0.0.1:0', ...args] });
  server.metrics = async () => parseMetrics((await rawGet(server.port, '/metrics', { secure: true })).text);
  return server;
}

// Polls /metrics until `done(series)` holds; fails after `timeoutMs`, waiting for `what`.
async function metricsUntil(server, done, what, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = await server.metrics();
    if (done(m)) return m;
    if (Date.now() >= deadline) assert.fail(`waited ${timeoutMs} ms for ${what}`);
    await sleep(10);
  }
}

// Bytes of the WebSocket frames a client has buffered: a server frame is a 2-byte header, 2 bytes more for a
// payload of 126 to 65535 bytes, 8 more above (RFC 6455 §5.2).
function received(client) {
  let sum = 0;
  for (const { raw } of client.inbox) {
    const n = Buffer.byteLength(raw);
    sum += n + (n < 126 ? 2 : n < 65536 ? 4 : 10);
  }
  return sum;
}

async function loginWss(url, name) {
  const c = await connect(url, { rejectUnauthorized: false });
  c.send({ type: 'login', name, version: 1 });
  const reply = await c.next({ type: 'login' });
  assert.equal(reply.success, true, JSON.stringify(reply));
  return c;
}

// The burst: 16 KiB room messages, 32 per talker at once, until the server holds a write to the reader that the
// full socket does not take (the kernel's loopback buffers take a few MiB first); at most 32 MiB or 10 s.
const PAD = 'x'.repeat(16 * 1024);
const TALKERS = 2;
const ROUND = 32;
const MAX_BYTES = 32 * 1024 * 1024;
const MAX_MS = 10000;
const BYTES_OUT = 'peerhub_websocket_bytes_out_total';
const ROOM_OUT = 'peerhub_signaling_messages_out_total{type="message"}';

test('a WSS room member that stops reading during a burst gets every message, in order, down to the last',
  { timeout: 60000 }, async (t) => {
    const server = await tlsServer(t, ['--send-queue-bytes', String(64 * 1024 * 1024),
      '--messages-per-second', '1000000', '--message-burst', '1000000']);
    assert.match(server.wsUrl, /^wss:/);
    const reader = await loginWss(server.wsUrl, 'busy-reader');
    const talkers = [];
    for (let i = 0; i < TALKERS; i++) talkers.push(await loginWss(server.wsUrl, `talker-${i}`));
    t.after(() => closeAll(reader, talkers));
    for (const c of [reader, ...talkers]) {
      c.send({ type: 'join', room: 'burst' });
      await c.next({ type: 'joined' });
    }
    for (let i = 0; i < TALKERS; i++) {
      for (let j = i + 1; j < TALKERS; j++) await talkers[i].next({ type: 'peer-joined', name: `talker-${j}` });
    }
    for (let j = 0; j < TALKERS; j++) await reader.next({ type: 'peer-joined', name: `talker-${j}` });

    // Everything before the burst has reached the clients: from here on the bytes written to WebSocket clients
    // grow by what the reader and the talkers receive of the burst.
    for (const c of [reader, ...talkers]) c.drain();
    const before = await server.metrics();
    const roomBase = before.get(ROOM_OUT);
    const bytesBase = before.get(BYTES_OUT);
    assert.ok(Number.isFinite(roomBase) && Number.isFinite(bytesBase), `${ROOM_OUT} and ${BYTES_OUT} in /metrics`);

    // Each talker's messages are numbered; every member but the sender gets each one.
    const sent = Array(TALKERS).fill(0);
    const say = (i, extra = {}) =>
      talkers[i].send({ type: 'message', room: 'burst', data: { from: i, n: sent[i]++, pad: PAD, ...extra } });
    const queued = async () => {
      const total = sent.reduce((a, b) => a + b, 0);
      await metricsUntil(server, (m) => m.get(ROOM_OUT) - roomBase === total * TALKERS,
        `the server to route all ${total} room messages`);
    };

    reader.ws._socket.pause();  // stop reading: the kernel's buffers fill, then the server's queue
    const started = Date.now();
    let held = false;
    let lastToReader = -1;
    while (!held) {
      for (let k = 0; k < ROUND; k++) for (let i = 0; i < TALKERS; i++) say(i);
      await queued();
      // What went to the reader: every byte written to WebSocket clients but what the talkers received, once it
      // has not moved for 100 ms. Held: a whole round was queued for the reader and none of it was written.
      const a = (await server.metrics()).get(BYTES_OUT);
      await sleep(100);
      const b = (await server.metrics()).get(BYTES_OUT);
      const toReader = b - bytesBase - talkers.reduce((sum, c) => sum + received(c), 0);
      held = a === b && toReader === lastToReader;
      lastToReader = a === b ? toReader : -1;
      const forReader = sent.reduce((x, y) => x + y, 0) * PAD.length;
      if (!held && (forReader >= MAX_BYTES || Date.now() - started >= MAX_MS)) {
        assert.fail(`the server kept writing to the reader that does not read: ${forReader} bytes queued for it, ` +
          `${toReader} written`);
      }
    }

    // The last message of each talker is queued while the write before it still waits on the reader's socket.
    for (let i = 0; i < TALKERS; i++) say(i, { last: true });
    await queued();
    reader.ws._socket.resume();

    const expected = sent.reduce((a, b) => a + b, 0);
    const next = Array(TALKERS).fill(0);
    for (let got = 0; got < expected; got++) {
      let m;
      try {
        m = await reader.next({ type: 'message' }, 3000);
      } catch {
        assert.fail(`the reader got ${got} of ${expected} room messages once it read again, then nothing: ` +
          talkers.map((_, i) => `talker-${i} ${next[i]} of ${sent[i]}`).join(', '));
      }
      const { from, n, last } = m.data;
      assert.equal(m.name, `talker-${from}`);
      assert.equal(n, next[from], `talker-${from}'s message ${n} arrived where ${next[from]} was due`);
      assert.equal(m.data.pad, PAD, `talker-${from}'s message ${n} arrived with its text changed`);
      assert.equal(last === true, n === sent[from] - 1, `talker-${from}'s message ${n} is marked last wrongly`);
      next[from]++;
    }
    await reader.expectNone({ type: 'message' }, 100);

    // The talkers, who read all along, got every message of the others too.
    for (let i = 0; i < TALKERS; i++) {
      for (let j = 0; j < TALKERS; j++) {
        if (j === i) continue;
        for (let n = 0; n < sent[j]; n++) {
          const m = await talkers[i].next({ type: 'message', name: `talker-${j}` }, 3000);
          assert.equal(m.data.n, n, `talker-${i} got talker-${j}'s message ${m.data.n} where ${n} was due`);
        }
      }
    }
  });

const DROPPED = 'peerhub_turn_dropped_total{reason="slow-reader"}';
const REFRESHES = 'peerhub_turn_requests_total{method="refresh"}';
const FLOOD = Buffer.alloc(1000, 0xff);
const BURST = 64;
const FLOOD_MAX_BYTES = 64 * 1024 * 1024;

test('a TURN-over-TLS client that stops reading under a flood gets the answer to its request once it reads again',
  { timeout: 60000 }, async (t) => {
    const server = await tlsServer(t, ['--turn-user', 'u:p', '--turn-allow-loopback-peers']);
    const { client: c, peer, relayPort: relay } = await streamClientWithPeer(t, server.stderr(), { service: 'turns' });

    // The client stops reading; the peer floods it until its queue on the server is full (relayed data dropped).
    c.ep.pause();
    const started = Date.now();
    let sent = 0;
    for (;;) {
      await Promise.all(Array.from({ length: BURST }, () => peer.send(FLOOD, relay)));
      sent += BURST * FLOOD.length;
      if (sent % (1024 * FLOOD.length) === 0 && (await server.metrics()).get(DROPPED) > 0) break;
      if (sent >= FLOOD_MAX_BYTES || Date.now() - started >= MAX_MS) {
        assert.fail(`no relayed datagram was dropped for the client that does not read after ${sent} bytes`);
      }
    }
    // Still full 100 ms after the flood: one more datagram is dropped too, so the write before it waits on the
    // client's socket.
    await sleep(100);
    const dropped = (await server.metrics()).get(DROPPED);
    await peer.send(FLOOD, relay);
    await metricsUntil(server, (m) => m.get(DROPPED) > dropped,
      'one more datagram to be dropped (the queue emptied while the client did not read)');

    // A Refresh now: the server reads it, and its answer waits in the queue behind the relayed data.
    const refreshes = (await server.metrics()).get(REFRESHES);
    const answer = c.request(Method.refresh, [lifetime(600)]);
    answer.catch(() => {});
    await metricsUntil(server, (m) => m.get(REFRESHES) > refreshes, 'the server to read the Refresh');
    c.ep.resume();

    let refresh;
    try {
      refresh = await answer;
    } catch (err) {
      assert.fail(`the Refresh sent while the client did not read got no answer once it read again: ${err.message}`);
    }
    assert.equal(refresh.cls, 'success', JSON.stringify(refresh.error));

    // What was queued before the answer arrives too, datagram by datagram, whole.
    const drained = await drainDataIndications(c.ep, FLOOD, { quietMs: 300 });
    assert.ok(drained > 0, 'nothing of the flood reached the client once it read again');
  });

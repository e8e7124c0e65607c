// A TURN client over TCP that stops reading while its UDP peer floods it loses relayed datagrams, as it would over
// UDP, and nothing else: past the server's send queue the data is dropped datagram by datagram and counted
// (peerhub_turn_dropped_total{reason="slow-reader"}), while the connection and its allocation stay. Once the
// client reads again, every frame it gets is whole, a Refresh on the same connection succeeds, and the peer's
// next datagram arrives with its exact bytes.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { parseMetrics, rawGet } from '../lib/http.mjs';
import { serverFor } from '../lib/server.mjs';
import {
  Attr, Method, decode, drainDataIndications, isStun, lifetime, streamClientWithPeer,
} from '../lib/stun.mjs';

const DROPPED = 'peerhub_turn_dropped_total{reason="slow-reader"}';
const CLOSED = 'peerhub_turn_tcp_closed_total{reason="slow-reader"}';
const CONNECTIONS = 'peerhub_turn_tcp_connections';

// The flood: 1000-byte datagrams, 64 sent at once, /metrics read after every 1024 (about 1 MB), until the first
// drop; at most 64 MiB or 20 s. The bytes are 0xff, which starts no frame: a frame cut short would make the
// client's stream parser fail instead of passing unnoticed.
const FLOOD = Buffer.alloc(1000, 0xff);
const BURST = 64;
const BURSTS_PER_CHECK = 16;
const MAX_BYTES = 64 * 1024 * 1024;
const MAX_MS = 20000;

test('a TCP TURN client that reads too slowly loses relayed datagrams, not its connection or its allocation',
  { timeout: 60000 }, async (t) => {
    const server = await serverFor(t, { args: ['--turn-user', 'u:p', '--turn-allow-loopback-peers'] });
    const metrics = async () => parseMetrics((await rawGet(server.port, '/metrics')).text);
    const { client: c, peer, relayPort: relay, allocation: a } = await streamClientWithPeer(t, server.stderr());
    assert.equal(a.relayed.address, '127.0.0.1');
    const peerAddr = { address: '127.0.0.1', port: peer.address.port };

    // The client stops reading: the kernel's buffers fill, then the server's send queue, then data is dropped.
    c.ep.pause();
    const started = Date.now();
    let sent = 0;
    let m;
    for (;;) {
      for (let i = 0; i < BURSTS_PER_CHECK; i++) {
        await Promise.all(Array.from({ length: BURST }, () => peer.send(FLOOD, relay)));
      }
      sent += BURST * BURSTS_PER_CHECK * FLOOD.length;
      m = await metrics();
      // A connection closed as a slow reader will drop nothing more: no use flooding on.
      if (m.get(DROPPED) > 0 || m.get(CLOSED) > 0) break;
      if (sent >= MAX_BYTES || Date.now() - started >= MAX_MS) break;
    }
    const flood = `${(sent / 1048576).toFixed(1)} MiB in ${((Date.now() - started) / 1000).toFixed(1)} s`;
    assert.ok(m.get(DROPPED) > 0,
      `no relayed datagram was dropped for the slow reader after ${flood} (${DROPPED} ${m.get(DROPPED) ?? 'absent'})` +
      (m.get(CLOSED) > 0 ? `; the server closed the TCP connection instead (${CLOSED} ${m.get(CLOSED)})` : ''));

    // Reading again, the client drains what was queued: every frame a Data indication with a whole datagram.
    c.ep.resume();
    const drained = await drainDataIndications(c.ep, FLOOD);
    assert.ok(drained > 0, 'nothing of the flood reached the client once it read again');

    // (a) The allocation lives: a Refresh on the same connection succeeds.
    let refresh;
    try {
      refresh = await c.request(Method.refresh, [lifetime(600)]);
    } catch (err) {
      assert.fail(`Refresh on the same TCP connection after the drain: ${err.message}`);
    }
    assert.equal(refresh.cls, 'success', `Refresh after the drain: ${JSON.stringify(refresh.error)}`);

    // (b) Data still flows: a fresh datagram (odd length, unlike the flood) arrives with its exact bytes.
    const fresh = Buffer.from(`after the drain ${randomBytes(4).toString('hex')}!`);
    await peer.send(fresh, relay);
    let got;
    try {
      got = await c.ep.next((e) => isStun(e.buf) && decode(e.buf).get(Attr.data)?.equals(fresh));
    } catch (err) {
      assert.fail(`the peer's datagram after the drain did not reach the client: ${err.message}`);
    }
    const ind = decode(got.buf);
    assert.equal(ind.method, Method.data);
    assert.equal(ind.cls, 'indication');
    assert.deepEqual(ind.peer, { family: 4, ...peerAddr });

    // (c) What the operator sees: datagrams dropped, no connection closed as a slow reader, the connection open.
    const after = await metrics();
    assert.equal(after.get(CLOSED), 0, `${CLOSED} ${after.get(CLOSED)}: the connection was closed`);
    assert.equal(after.get(CONNECTIONS), 1, `${CONNECTIONS} ${after.get(CONNECTIONS)}`);
    assert.ok(after.get(DROPPED) > 0, `${DROPPED} ${after.get(DROPPED)}`);
  });

// peerhub's STUN/TURN server against clients nobody here wrote: coturn's turnutils_stunclient, and
// turnutils_uclient relaying through peerhub to turnutils_peer (UDP with channels, with Send indications, over
// TCP, with long-term and with REST credentials), counted again in peerhub's /metrics. Then the refusals, each with
// the RFC's error code, seen by a raw STUN client (lib/stun.mjs, written from the RFCs apart from peerhub's codec):
// a denied peer 403, a wrong password 401, a stale nonce 438, over quota 486, and 437 / 400 for requests that do
// not fit the allocation.
//
// TURN_INTEROP_SERVER=coturn runs the same tests against coturn's turnserver instead (without the /metrics and
// TLS checks), which shows that the tests expect what the reference does; a test where coturn departs from the
// RFC says so and is skipped there.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  freePort, relayRange, startCoturn, startTurnPeer, stunclient, uclient, waitForStun,
} from '../lib/coturn.mjs';
import { parseMetrics, rawGet, sumMetrics } from '../lib/http.mjs';
import { selfSignedCert, startPeerhub } from '../lib/server.mjs';
import {
  Attr, Method, TurnClient, UdpEndpoint, channelData, channelNumber, data, decode, encode, lifetime,
  requestedTransport, restCredential, xorPeerAddress,
} from '../lib/stun.mjs';

const target = process.env.TURN_INTEROP_SERVER === 'coturn' ? 'coturn' : 'peerhub';
const onCoturn = target === 'coturn';
const REALM = 'interop.test';
const SECRET = 'interop-rest-secret';

// A STUN/TURN server on a free loopback port: user u:p, the REST secret, and `options`. peerhub serves both kinds
// of credentials at once; coturn serves one (rest: true → use-auth-secret).
async function startTurn({ allowLoopback = true, rest = false, maxPerUser = 0, port, tls = null } = {}) {
  port ??= await freePort();
  const relay = relayRange();
  if (onCoturn) {
    const s = await startCoturn({ port, realm: REALM, users: rest ? [] : ['u:p'], secret: rest ? SECRET : null,
      allowLoopback, relay, userQuota: maxPerUser });
    return { port, relay, metrics: async () => null, stop: () => s.stop(), log: s.log };
  }
  const args = ['--turn', `127.0.0.1:${port}`, '--turn-realm', REALM, '--turn-user', 'u:p', '--turn-secret', SECRET,
    '--turn-relay-ports', `${relay.min}-${relay.max}`];
  if (allowLoopback) args.push('--turn-allow-loopback-peers');
  if (maxPerUser) args.push('--turn-max-allocations-per-user', String(maxPerUser));
  if (tls) args.push('--tls-cert', tls.cert, '--tls-key', tls.key, '--turn-tls', `127.0.0.1:${tls.port}`);
  const s = await startPeerhub({ args });
  await waitForStun(port);
  return {
    port,
    relay,
    metrics: async () => parseMetrics((await rawGet(s.port, '/metrics')).text),
    stop: () => s.stop('SIGKILL'),
    log: s.stderr,
  };
}

// Relayed packets in /metrics: client → peer and peer → client.
async function relayed(server) {
  const m = await server.metrics();
  if (!m) return null;
  return {
    toPeers: sumMetrics(m, /^peerhub_turn_relayed_packets_total\{direction="to-peer"\}/),
    toClients: sumMetrics(m, /^peerhub_turn_relayed_packets_total\{direction="to-client"\}/),
  };
}

const peerAt = (ep) => ({ address: '127.0.0.1', port: ep.address.port });

describe('coturn clients relay through the server', () => {
  let server;
  let restServer; // coturn only: use-auth-secret excludes static users
  let peer;
  before(async () => {
    server = await startTurn();
    restServer = onCoturn ? await startTurn({ rest: true }) : server;
    peer = await startTurnPeer({ port: await freePort() });
  });
  after(async () => {
    await peer?.stop('SIGKILL');
    await server?.stop();
    if (restServer !== server) await restServer?.stop();
  });

  test('turnutils_stunclient gets its mapped address', async () => {
    const r = await stunclient(server.port);
    assert.equal(r.code, 0, r.output);
    assert.ok(r.mapped.length > 0, `no "UDP reflexive addr" in:\n${r.output}`);
    for (const addr of r.mapped) assert.match(addr, /^127\.0\.0\.1:\d+$/);
    assert.ok(r.mapped.every((a) => Number(a.split(':')[1]) > 0));
  });

  // Two sessions (-m 2) of 300 packets each, 5 ms apart, echoed by turnutils_peer: every packet must come back.
  // coturn against itself loses nothing on loopback at this rate (0 of 600 in every run), so neither may peerhub.
  const runs = [
    ['UDP, ChannelData, long-term credentials', ['-u', 'u', '-w', 'p', '-l', '120'], false],
    ['UDP, Send and Data indications (-s), long-term credentials', ['-u', 'u', '-w', 'p', '-s', '-l', '1000'], false],
    ['TCP to the server (-t), ChannelData of 121 bytes (padded on a stream)', ['-u', 'u', '-w', 'p', '-t',
      '-l', '121'], false],
    ['UDP, ChannelData, REST credentials (-W secret)', ['-u', 'rest-user', '-W', SECRET, '-l', '200'], true],
    ['TCP, Send indications, REST credentials', ['-u', 'rest-user', '-W', SECRET, '-t', '-s', '-l', '77'], true],
  ];
  for (const [name, args, rest] of runs) {
    test(`turnutils_uclient: ${name}`, async () => {
      const s = rest ? restServer : server;
      const before = await relayed(s);
      const r = await uclient(s.port, [...args, '-e', '127.0.0.1', '-r', String(peer.port), '-c', '-m', '2',
        '-n', '300', '-z', '5']);
      assert.equal(r.code, 0, r.output);
      assert.equal(r.stats.sent, 600, `uclient sent ${r.stats.sent} of 600:\n${r.output}`);
      assert.equal(r.stats.received, 600, `uclient got back ${r.stats.received} of 600:\n${r.output}`);
      assert.equal(r.stats.lost, 0, r.output);
      const grown = await relayed(s);
      if (grown) {
        assert.ok(grown.toPeers - before.toPeers >= 600,
          `metrics: ${grown.toPeers - before.toPeers} packets to peers, want >= 600`);
        assert.ok(grown.toClients - before.toClients >= 600,
          `metrics: ${grown.toClients - before.toClients} packets to clients, want >= 600`);
      }
    });
  }

  test('uclient with a wrong password cannot allocate', async () => {
    const r = await uclient(server.port, ['-u', 'u', '-w', 'wrong', '-e', '127.0.0.1', '-r', String(peer.port), '-c',
      '-n', '10'], { timeoutMs: 30000 });
    assert.notEqual(r.code, 0, r.output);
    assert.match(r.output, /Cannot complete Allocation/);
  });
});

describe('TURN over TLS', { skip: onCoturn && 'peerhub only (coturn would need its own certificate setup)' }, () => {
  let server;
  let peer;
  let tlsPort;
  const cleanups = [];
  before(async () => {
    const { cert, key } = selfSignedCert({ after: (fn) => cleanups.push(fn) });
    tlsPort = await freePort();
    server = await startTurn({ tls: { cert, key, port: tlsPort } });
    peer = await startTurnPeer({ port: await freePort() });
  });
  after(async () => {
    await peer?.stop('SIGKILL');
    await server?.stop();
    for (const fn of cleanups) fn();
  });

  const relayAll = async (clients, packets, interval) => {
    const r = await uclient(tlsPort, ['-u', 'u', '-w', 'p', '-t', '-S', '-e', '127.0.0.1', '-r', String(peer.port),
      '-c', '-m', String(clients), '-n', String(packets), '-z', String(interval), '-l', '150']);
    assert.equal(r.code, 0, r.output);
    assert.equal(r.stats.sent, clients * packets, r.output);
    assert.equal(r.stats.received, clients * packets, r.output);
    assert.equal(r.stats.lost, 0, r.output);
  };

  test('turnutils_uclient over TLS (-t -S) relays every packet', () => relayAll(1, 200, 5));

  // uclient takes each TLS record it reads for one message: of two frames in a record it counts the first and
  // drops the rest. Four clients sending every millisecond make answers pile up behind a write in progress;
  // peerhub still writes each frame as a record of its own, so all 2000 come back. (coturn's turnserver, which
  // writes what has piled up in one go, loses about 40 % of them here.)
  test('bursts over TLS lose nothing: each frame goes in a TLS record of its own', () => relayAll(4, 500, 1));
});

describe('a raw STUN client: the TURN methods step by step', () => {
  let server;
  before(async () => { server = await startTurn(); });
  after(() => server?.stop());

  test('Binding answers XOR-MAPPED-ADDRESS with a good FINGERPRINT', async (t) => {
    const ep = await UdpEndpoint.open();
    t.after(() => ep.close());
    const res = await ep.transact(encode({ method: Method.binding }), server.port);
    assert.equal(res.cls, 'success');
    assert.deepEqual(res.mapped, { family: 4, address: '127.0.0.1', port: ep.address.port });
    // The request carried FINGERPRINT, so the answer does too (transact() already checked its CRC).
    assert.equal(res.hasFingerprint, true);
  });

  test('Allocate, CreatePermission, Send/Data, ChannelBind/ChannelData, Refresh to 0 (RFC 8656 §7-§12)',
    async (t) => {
    const c = await TurnClient.open({ port: server.port, username: 'u', password: 'p' });
    const far = await UdpEndpoint.open();
    t.after(() => { c.close(); far.close(); });

    // §7.1: the first Allocate draws 401 with REALM and NONCE; the signed one succeeds (§7.2).
    const challenge = await c.request(Method.allocate, [requestedTransport()]);
    assert.equal(challenge.cls, 'error');
    assert.equal(challenge.error.code, 401);
    assert.equal(challenge.realm, REALM);
    assert.ok(challenge.nonce?.length > 0);
    c.learn(challenge);
    const a = await c.request(Method.allocate, [requestedTransport()]);
    assert.equal(a.cls, 'success', JSON.stringify(a.error));
    assert.equal(a.integrity, true, 'the success response carries a MESSAGE-INTEGRITY that verifies');
    assert.equal(a.relayed.address, '127.0.0.1');
    assert.ok(a.relayed.port >= server.relay.min && a.relayed.port <= server.relay.max,
      `relay port ${a.relayed.port} outside ${server.relay.min}-${server.relay.max}`);
    assert.deepEqual(a.mapped, { family: 4, address: '127.0.0.1', port: c.ep.address.port });
    assert.ok(a.lifetime > 0 && a.lifetime <= 3600, `LIFETIME ${a.lifetime}`);

    // §10: without a permission the relay drops the Send indication; with one it reaches the peer from the
    // relayed address, and the peer's answer comes back as a Data indication naming the peer (§11.3, §11.4).
    const send = (bytes) => c.ep.send(encode({ method: Method.send, cls: 'indication',
      attributes: [xorPeerAddress(peerAt(far)), data(bytes)] }), server.port);
    await send(Buffer.from('before any permission'));
    const perm = await c.request(Method.createPermission, [xorPeerAddress(peerAt(far))]);
    assert.equal(perm.cls, 'success', JSON.stringify(perm.error));
    await send(Buffer.from('hello peer'));
    const atPeer = await far.next();
    assert.equal(atPeer.buf.toString(), 'hello peer', 'the unpermitted datagram was dropped, this one arrived');
    assert.deepEqual(atPeer.from, { address: '127.0.0.1', port: a.relayed.port });
    await far.send(Buffer.from('hello client'), a.relayed.port);
    const ind = decode((await c.ep.next()).buf);
    assert.equal(ind.method, Method.data);
    assert.equal(ind.cls, 'indication');
    assert.deepEqual(ind.peer, { family: 4, ...peerAt(far) });
    assert.equal(ind.get(Attr.data).toString(), 'hello client');

    // §11-§12: a channel to the peer; ChannelData both ways.
    const bind = await c.request(Method.channelBind, [channelNumber(0x4001), xorPeerAddress(peerAt(far))]);
    assert.equal(bind.cls, 'success', JSON.stringify(bind.error));
    await c.ep.send(channelData(0x4001, Buffer.from('over the channel')), server.port);
    assert.equal((await far.next()).buf.toString(), 'over the channel');
    await far.send(Buffer.from('channel answer'), a.relayed.port);
    const cd = (await c.ep.next()).buf;
    assert.equal(cd.readUInt16BE(0), 0x4001);
    assert.equal(cd.readUInt16BE(2), 'channel answer'.length);
    assert.equal(cd.subarray(4, 4 + cd.readUInt16BE(2)).toString(), 'channel answer');

    // §7.3: Refresh with LIFETIME 0 deletes the allocation; nothing is relayed afterwards.
    const refresh = await c.request(Method.refresh, [lifetime(0)]);
    assert.equal(refresh.cls, 'success', JSON.stringify(refresh.error));
    assert.equal(refresh.lifetime, 0);
    if (onCoturn) return; // coturn keeps relaying for a while after a delete
    await c.ep.send(channelData(0x4001, Buffer.from('after the end')), server.port);
    await assert.rejects(far.next(() => true, { timeoutMs: 500 }), /no matching datagram/);
  });

  test('a second Allocate on the same 5-tuple is 437 Allocation Mismatch (§7.2 step 2)', async (t) => {
    const c = await TurnClient.open({ port: server.port, username: 'u', password: 'p' });
    t.after(() => c.close());
    assert.equal((await c.allocate()).cls, 'success');
    const again = await c.request(Method.allocate, [requestedTransport()]);
    assert.equal(again.cls, 'error');
    assert.equal(again.error.code, 437);
  });

  test('Refresh without an allocation is 437 (§7.3)', { skip: onCoturn && 'coturn answers success' }, async (t) => {
    const c = await TurnClient.open({ port: server.port, username: 'u', password: 'p' });
    t.after(() => c.close());
    c.learn(await c.request(Method.allocate, [requestedTransport()]));
    const r = await c.request(Method.refresh, [lifetime(600)]);
    assert.equal(r.cls, 'error');
    assert.equal(r.error.code, 437);
  });

  test('ChannelBind with a number outside 0x4000-0x4FFF is 400 (§11.2)', async (t) => {
    const c = await TurnClient.open({ port: server.port, username: 'u', password: 'p' });
    const far = await UdpEndpoint.open();
    t.after(() => { c.close(); far.close(); });
    assert.equal((await c.allocate()).cls, 'success');
    const r = await c.request(Method.channelBind, [channelNumber(0x3fff), xorPeerAddress(peerAt(far))]);
    assert.equal(r.cls, 'error');
    assert.equal(r.error.code, 400);
  });

  test('Allocate asking for TCP relaying (REQUESTED-TRANSPORT 6) is 442 (§7.2 step 5)',
    { skip: onCoturn && 'coturn answers 400 for any transport but UDP' }, async (t) => {
      const c = await TurnClient.open({ port: server.port, username: 'u', password: 'p' });
      t.after(() => c.close());
      const r = await c.allocate([requestedTransport(6)]);
      assert.equal(r.cls, 'error');
      assert.equal(r.error.code, 442);
    });

  test('REST credentials from the secret allocate; an expired one is 401', async (t) => {
    const s = onCoturn ? await startTurn({ rest: true }) : server;
    if (s !== server) t.after(() => s.stop());
    const good = restCredential(SECRET, 'rest-alice');
    const c = await TurnClient.open({ port: s.port, ...good });
    t.after(() => c.close());
    assert.equal((await c.allocate()).cls, 'success');
    const old = restCredential(SECRET, 'rest-bob', Math.floor(Date.now() / 1000) - 60);
    const e = await TurnClient.open({ port: s.port, ...old });
    t.after(() => e.close());
    const r = await e.allocate();
    assert.equal(r.cls, 'error');
    assert.equal(r.error.code, 401);
  });
});

describe('refusals carry the RFC error and are counted', () => {
  // The relay itself is on 127.0.0.1, which the TURN-to-TURN exception (server.hpp: two relay-only browsers on one
  // server) lets through to relay ports only; the denied loopback peer is therefore another loopback address.
  test('relaying to a loopback peer without --turn-allow-loopback-peers is 403, and nothing reaches it (§9.3, §17)',
    async (t) => {
      const server = await startTurn({ allowLoopback: false });
      t.after(() => server.stop());
      const c = await TurnClient.open({ port: server.port, username: 'u', password: 'p' });
      const far = await UdpEndpoint.open('127.0.0.2');
      t.after(() => { c.close(); far.close(); });
      const at = { address: '127.0.0.2', port: far.address.port };
      assert.equal((await c.allocate()).cls, 'success');
      const perm = await c.request(Method.createPermission, [xorPeerAddress(at)]);
      assert.equal(perm.cls, 'error');
      assert.equal(perm.error.code, 403);
      const bind = await c.request(Method.channelBind, [channelNumber(0x4000), xorPeerAddress(at)]);
      assert.equal(bind.cls, 'error');
      assert.equal(bind.error.code, 403);
      // A Send indication to it is dropped: nothing reaches the peer.
      await c.ep.send(encode({ method: Method.send, cls: 'indication',
        attributes: [xorPeerAddress(at), data(Buffer.from('x'))] }), server.port);
      await assert.rejects(far.next(() => true, { timeoutMs: 500 }), /no matching datagram/);
      const m = await server.metrics();
      if (m) {
        assert.ok(sumMetrics(m, /^peerhub_turn_refused_total\{reason="peer"\}/) >= 2, 'refused peers are counted');
      }
    });

  test('private, carrier-grade NAT, link-local, metadata, multicast and "this network" peers are 403 by default',
    { skip: onCoturn && 'coturn relays to private ranges unless told --denied-peer-ip' }, async (t) => {
      const server = await startTurn({ allowLoopback: false });
      t.after(() => server.stop());
      const c = await TurnClient.open({ port: server.port, username: 'u', password: 'p' });
      t.after(() => c.close());
      assert.equal((await c.allocate()).cls, 'success');
      for (const address of ['10.1.2.3', '172.16.0.1', '192.168.1.1', '100.64.0.1', '169.254.1.1', '169.254.169.254',
        '224.0.0.1', '0.0.0.0', '255.255.255.255']) {
        const r = await c.request(Method.createPermission, [xorPeerAddress({ address, port: 5000 })]);
        assert.equal(r.error?.code, 403, `CreatePermission for ${address}: ${r.cls} ${JSON.stringify(r.error)}`);
      }
      // A public address is fine (nothing is sent to it).
      const ok = await c.request(Method.createPermission, [xorPeerAddress({ address: '192.0.2.1', port: 5000 })]);
      assert.equal(ok.cls, 'success', JSON.stringify(ok.error));
    });

  test('the TURN-to-TURN exception is narrow: the relay\'s own address, relay ports only',
    { skip: onCoturn && 'peerhub\'s own rule' }, async (t) => {
      const server = await startTurn({ allowLoopback: false });
      t.after(() => server.stop());
      const c = await TurnClient.open({ port: server.port, username: 'u', password: 'p' });
      const far = await UdpEndpoint.open('127.0.0.1'); // on an ephemeral port, outside the relay range
      t.after(() => { c.close(); far.close(); });
      assert.equal((await c.allocate()).cls, 'success');
      // Permissions are per IP address (§9), so the relay's own address gets one...
      const perm = await c.request(Method.createPermission, [xorPeerAddress(peerAt(far))]);
      assert.equal(perm.cls, 'success', JSON.stringify(perm.error));
      // ...but a channel to a port outside the relay range is refused, and data to such a port is dropped.
      const bind = await c.request(Method.channelBind, [channelNumber(0x4000), xorPeerAddress(peerAt(far))]);
      assert.equal(bind.error?.code, 403);
      await c.ep.send(encode({ method: Method.send, cls: 'indication',
        attributes: [xorPeerAddress(peerAt(far)), data(Buffer.from('x'))] }), server.port);
      await assert.rejects(far.next(() => true, { timeoutMs: 500 }), /no matching datagram/);
    });

  test('a wrong password (and an unknown user) is 401, with a fresh challenge (RFC 8489 §9.2.4)', async (t) => {
    const server = await startTurn();
    t.after(() => server.stop());
    for (const [user, pass] of [['u', 'wrong'], ['nobody', 'p']]) {
      const c = await TurnClient.open({ port: server.port, username: user, password: pass });
      t.after(() => c.close());
      const r = await c.allocate();
      assert.equal(r.cls, 'error', `${user}:${pass}`);
      assert.equal(r.error.code, 401, `${user}:${pass}`);
      assert.ok(r.realm && r.nonce, 'the 401 carries REALM and NONCE');
      assert.equal(r.get(Attr.messageIntegrity), undefined, 'no MESSAGE-INTEGRITY: the key is not known');
    }
    const m = await server.metrics();
    if (m) {
      assert.ok(sumMetrics(m, /^peerhub_turn_refused_total\{reason="auth"\}/) >= 2, 'refused logins are counted');
    }
  });

  test('a nonce the server no longer knows is 438 Stale Nonce, with a new NONCE (RFC 8489 §9.2.4)', async (t) => {
    const port = await freePort();
    let server = await startTurn({ port });
    // A nonce from the server before its restart.
    const c = await TurnClient.open({ port, username: 'u', password: 'p' });
    t.after(() => c.close());
    c.learn(await c.request(Method.allocate, [requestedTransport()]));
    await server.stop();
    server = await startTurn({ port });
    t.after(() => server.stop());
    const stale = await c.request(Method.allocate, [requestedTransport()]);
    assert.equal(stale.cls, 'error');
    assert.equal(stale.error.code, 438);
    assert.ok(stale.nonce && stale.nonce !== c.nonce, 'a 438 brings a fresh nonce');
    c.learn(stale);
    assert.equal((await c.request(Method.allocate, [requestedTransport()])).cls, 'success',
      'with the new nonce the same request succeeds');

    // A nonce handed to another client address, and one with a changed character, are no better.
    const other = await TurnClient.open({ port, username: 'u', password: 'p' });
    t.after(() => other.close());
    other.learn(await other.request(Method.allocate, [requestedTransport()]));
    const thief = await TurnClient.open({ port, username: 'u', password: 'p' });
    t.after(() => thief.close());
    thief.learn({ realm: other.realm, nonce: other.nonce });
    assert.equal((await thief.request(Method.allocate, [requestedTransport()])).error?.code, 438);
    other.nonce = other.nonce.slice(0, -1) + (other.nonce.endsWith('A') ? 'B' : 'A');
    assert.equal((await other.request(Method.allocate, [requestedTransport()])).error?.code, 438);
  });

  test('over the per-user quota is 486 Allocation Quota Reached (§7.2 step 9)', async (t) => {
    const server = await startTurn({ maxPerUser: 1 });
    t.after(() => server.stop());
    const first = await TurnClient.open({ port: server.port, username: 'u', password: 'p' });
    const second = await TurnClient.open({ port: server.port, username: 'u', password: 'p' });
    t.after(() => { first.close(); second.close(); });
    assert.equal((await first.allocate()).cls, 'success');
    const r = await second.allocate();
    assert.equal(r.cls, 'error');
    assert.equal(r.error.code, 486);
    // Once the first allocation is gone, the user may allocate again (coturn frees it only later).
    if (onCoturn) return;
    assert.equal((await first.request(Method.refresh, [lifetime(0)])).cls, 'success');
    const again = await second.request(Method.allocate, [requestedTransport()]);
    assert.equal(again.cls, 'success', JSON.stringify(again.error));
    const m = await server.metrics();
    if (m) {
      assert.ok(sumMetrics(m, /^peerhub_turn_refused_total\{reason="quota"\}/) >= 1, 'quota refusals are counted');
    }
  });
});

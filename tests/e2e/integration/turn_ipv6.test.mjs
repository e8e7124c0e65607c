// peerhub's TURN relaying over IPv6 (RFC 8656 with RFC 6156's address families), end to end on the loopback ::1:
// coturn's turnutils_uclient allocates an IPv6 relayed address and every packet it sends comes back from an IPv6
// turnutils_peer (ChannelData, Send indications, over TCP and TLS, and from an IPv4 client of a dual-stack
// server); two clients reach each other's IPv6 relays under the default peer policy. The raw STUN client
// (lib/stun.mjs) then checks the IPv6 addresses on the wire, the family errors (440, 443), and that IPv6 peers
// the policy refuses get 403 and nothing relayed.
//
// Skipped, with the reason, where ::1 cannot be bound (no IPv6 on loopback).
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { after, before, describe, test } from 'node:test';
import { freePort, relayRange, startTurnPeer, uclient, waitForStun } from '../lib/coturn.mjs';
import { parseMetrics, rawGet, sumMetrics } from '../lib/http.mjs';
import { selfSignedCert, startPeerhub } from '../lib/server.mjs';
import {
  Attr, Method, TurnClient, UdpEndpoint, channelData, channelNumber, data, decode, encode, requestedAddressFamily,
  requestedTransport, xorPeerAddress,
} from '../lib/stun.mjs';

const V6 = '::1';

// Why IPv6 cannot be tested here, or false when ::1 binds.
async function ipv6Missing() {
  const socket = dgram.createSocket({ type: 'udp6', ipv6Only: true });
  try {
    await new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, V6, resolve);
    });
    return false;
  } catch (err) {
    return `IPv6 loopback ${V6} is not usable here (${err.code ?? err.message})`;
  } finally {
    try { socket.close(); } catch { /* never bound */ }
  }
}
const skip = await ipv6Missing();

// peerhub with TURN on a free port of `host` for user u:p, relaying from `relayAddresses` (by default `host`) on a
// port range of its own.
async function startTurn({ host = V6, relayAddresses = [], allowLoopback = true, tls = null } = {}) {
  const port = await freePort(host);
  const relay = relayRange();
  const bracket = (ip) => (ip.includes(':') ? `[${ip}]` : ip);
  const args = ['--turn', `${bracket(host)}:${port}`, '--turn-user', 'u:p', '--turn-realm', 'ipv6.test',
    '--turn-relay-ports', `${relay.min}-${relay.max}`];
  for (const ip of relayAddresses) args.push('--turn-relay-address', ip);
  if (allowLoopback) args.push('--turn-allow-loopback-peers');
  if (tls) args.push('--tls-cert', tls.cert, '--tls-key', tls.key, '--turn-tls', `${bracket(host)}:${tls.port}`);
  const s = await startPeerhub({ args });
  await waitForStun(port, { host });
  return {
    host,
    port,
    relay,
    // With a certificate the HTTP listener speaks HTTPS too.
    metrics: async () => parseMetrics((await rawGet(s.port, '/metrics', { secure: Boolean(tls) })).text),
    stop: () => s.stop('SIGKILL'),
  };
}

async function relayed(server) {
  const m = await server.metrics();
  return {
    toPeers: sumMetrics(m, /^peerhub_turn_relayed_packets_total\{direction="to-peer"\}/),
    toClients: sumMetrics(m, /^peerhub_turn_relayed_packets_total\{direction="to-client"\}/),
  };
}

// Every relayed address uclient printed (-v) is an IPv6 one on ::1, in the server's relay range.
function assertIpv6Relays(r, server) {
  assert.ok(r.stats.relayed.length > 0, `no "Received relay addr" in:\n${r.output}`);
  for (const a of r.stats.relayed) {
    assert.equal(a.family, 6, `an IPv${a.family} relay ${a.address}:${a.port}`);
    assert.equal(a.address, V6);
    assert.ok(a.port >= server.relay.min && a.port <= server.relay.max,
      `relay port ${a.port} outside ${server.relay.min}-${server.relay.max}`);
  }
}

// uclient -x asks for an IPv6 relayed address (REQUESTED-ADDRESS-FAMILY) rather than leaving the family to its
// own defaults. Two sessions of 300 packets, 5 ms apart, echoed by the peer: on loopback nothing may be lost, as
// in turn_interop.test.mjs.
async function relayEverything(server, peer, extra, { tlsPort } = {}) {
  const before = await relayed(server);
  const r = await uclient(tlsPort ?? server.port, ['-v', '-u', 'u', '-w', 'p', '-x', '-e', peer.host,
    '-r', String(peer.port), '-c', '-m', '2', '-n', '300', '-z', '5', ...extra], { host: server.host });
  assert.equal(r.code, 0, r.output);
  assertIpv6Relays(r, server);
  assert.equal(r.stats.sent, 600, `uclient sent ${r.stats.sent} of 600:\n${r.output}`);
  assert.equal(r.stats.received, 600, `uclient got back ${r.stats.received} of 600:\n${r.output}`);
  assert.equal(r.stats.lost, 0, r.output);
  const grown = await relayed(server);
  assert.ok(grown.toPeers - before.toPeers >= 600, `metrics: ${grown.toPeers - before.toPeers} to peers`);
  assert.ok(grown.toClients - before.toClients >= 600, `metrics: ${grown.toClients - before.toClients} to clients`);
}

describe('coturn clients relay over IPv6 through a server on [::1]', { skip }, () => {
  let server;
  let peer;
  before(async () => {
    server = await startTurn();
    peer = await startTurnPeer({ port: await freePort(V6), host: V6 });
  });
  after(async () => {
    await peer?.stop('SIGKILL');
    await server?.stop();
  });

  test('UDP, ChannelData to an IPv6 peer', () => relayEverything(server, peer, ['-l', '120']));
  test('UDP, Send and Data indications (-s)', () => relayEverything(server, peer, ['-s', '-l', '1000']));
  test('TCP to the server (-t), ChannelData of 121 bytes', () => relayEverything(server, peer, ['-t', '-l', '121']));
});

describe('more ways to an IPv6 relay', { skip }, () => {
  test('TLS to the server on [::1] (-t -S)', async (t) => {
    const { cert, key } = selfSignedCert(t, V6);
    const tlsPort = await freePort(V6);
    const server = await startTurn({ tls: { cert, key, port: tlsPort } });
    t.after(() => server.stop());
    const peer = await startTurnPeer({ port: await freePort(V6), host: V6 });
    t.after(() => peer.stop('SIGKILL'));
    await relayEverything(server, peer, ['-t', '-S', '-l', '150'], { tlsPort });
  });

  // RFC 6156's reason to be: a client that has only IPv4 reaches a peer that has only IPv6.
  test('an IPv4 client of a dual-stack server reaches an IPv6 peer through an IPv6 relay', async (t) => {
    const server = await startTurn({ host: '127.0.0.1', relayAddresses: ['127.0.0.1', V6] });
    t.after(() => server.stop());
    const peer = await startTurnPeer({ port: await freePort(V6), host: V6 });
    t.after(() => peer.stop('SIGKILL'));
    await relayEverything(server, peer, ['-l', '120']);
  });

  // Two relay-only browsers on one server: each one's peer is the other's relayed address, which the default
  // policy lets through (relay ports only) although ::1 is loopback.
  test('two clients reach each other\'s IPv6 relays (-y) without --turn-allow-loopback-peers', async (t) => {
    const server = await startTurn({ allowLoopback: false });
    t.after(() => server.stop());
    const r = await uclient(server.port, ['-v', '-u', 'u', '-w', 'p', '-x', '-y', '-c', '-m', '2', '-n', '100',
      '-z', '5', '-l', '120'], { host: V6 });
    assert.equal(r.code, 0, r.output);
    assertIpv6Relays(r, server);
    assert.equal(r.stats.sent, 200, r.output);
    assert.equal(r.stats.received, 200, r.output);
    assert.equal(r.stats.lost, 0, r.output);
  });
});

describe('a raw STUN client: IPv6 allocations step by step', { skip }, () => {
  let server;
  before(async () => { server = await startTurn(); });
  after(() => server?.stop());

  test('Allocate, CreatePermission, Send/Data and ChannelBind/ChannelData with IPv6 addresses (RFC 8656 §7-§12)',
    async (t) => {
      const c = await TurnClient.open({ port: server.port, host: V6, username: 'u', password: 'p' });
      const far = await UdpEndpoint.open(V6);
      t.after(() => { c.close(); far.close(); });
      const peer = { address: V6, port: far.address.port };

      // §7.2 step 7: without REQUESTED-ADDRESS-FAMILY the client asks for IPv4, which a server relaying from
      // ::1 alone does not offer: 440. Asking for IPv6 gets a relayed address on ::1.
      const v4 = await c.allocate();
      assert.equal(v4.cls, 'error');
      assert.equal(v4.error.code, 440);
      const a = await c.allocate([requestedTransport(), requestedAddressFamily(6)]);
      assert.equal(a.cls, 'success', JSON.stringify(a.error));
      assert.equal(a.integrity, true);
      assert.equal(a.relayed.family, 6);
      assert.equal(a.relayed.address, V6);
      assert.ok(a.relayed.port >= server.relay.min && a.relayed.port <= server.relay.max,
        `relay port ${a.relayed.port} outside ${server.relay.min}-${server.relay.max}`);
      assert.deepEqual(a.mapped, { family: 6, address: V6, port: c.ep.address.port });

      // §9.2: an IPv4 peer does not fit an allocation with only an IPv6 relayed address: 443.
      const mismatch = await c.request(Method.createPermission, [xorPeerAddress({ address: '127.0.0.1', port: 9 })]);
      assert.equal(mismatch.error?.code, 443);

      // §10-§11: Send reaches the peer from the relayed address; its answer comes back as a Data indication
      // whose XOR-PEER-ADDRESS (masked with the transaction ID for IPv6) names the peer.
      const perm = await c.request(Method.createPermission, [xorPeerAddress(peer)]);
      assert.equal(perm.cls, 'success', JSON.stringify(perm.error));
      await c.ep.send(encode({ method: Method.send, cls: 'indication',
        attributes: [xorPeerAddress(peer), data(Buffer.from('hello v6 peer'))] }), server.port, V6);
      const atPeer = await far.next();
      assert.equal(atPeer.buf.toString(), 'hello v6 peer');
      assert.deepEqual(atPeer.from, { address: V6, port: a.relayed.port });
      await far.send(Buffer.from('hello v6 client'), a.relayed.port, V6);
      const ind = decode((await c.ep.next()).buf);
      assert.equal(ind.method, Method.data);
      assert.equal(ind.cls, 'indication');
      assert.deepEqual(ind.peer, { family: 6, ...peer });
      assert.equal(ind.get(Attr.data).toString(), 'hello v6 client');

      // §12: a channel to the IPv6 peer, ChannelData both ways.
      const bind = await c.request(Method.channelBind, [channelNumber(0x4001), xorPeerAddress(peer)]);
      assert.equal(bind.cls, 'success', JSON.stringify(bind.error));
      await c.ep.send(channelData(0x4001, Buffer.from('over the v6 channel')), server.port, V6);
      assert.equal((await far.next()).buf.toString(), 'over the v6 channel');
      await far.send(Buffer.from('v6 channel answer'), a.relayed.port, V6);
      const cd = (await c.ep.next()).buf;
      assert.equal(cd.readUInt16BE(0), 0x4001);
      assert.equal(cd.subarray(4, 4 + cd.readUInt16BE(2)).toString(), 'v6 channel answer');
    });
});

describe('IPv6 peers the policy refuses', { skip }, () => {
  let server;
  before(async () => { server = await startTurn({ allowLoopback: false }); });
  after(() => server?.stop());

  test('uclient to an IPv6 loopback peer without --turn-allow-loopback-peers gets 403 and no data back',
    async (t) => {
      const peer = await startTurnPeer({ port: await freePort(V6), host: V6 });
      t.after(() => peer.stop('SIGKILL'));
      const r = await uclient(server.port, ['-u', 'u', '-w', 'p', '-x', '-e', V6, '-r', String(peer.port), '-c',
        '-n', '10'], { host: V6, timeoutMs: 30000 });
      assert.match(r.output, /error 403/);
      assert.ok(!r.stats.received, `uclient got ${r.stats.received} packets back:\n${r.output}`);
    });

  // ::1 is this server's own relay address, so a permission for it (per IP, §9) is granted, but only its relay
  // ports may be reached: a channel to any other port is 403 and data to it is dropped.
  test('the loopback peer off the relay ports: ChannelBind 403, a Send indication reaches nothing', async (t) => {
    const c = await TurnClient.open({ port: server.port, host: V6, username: 'u', password: 'p' });
    const far = await UdpEndpoint.open(V6);
    t.after(() => { c.close(); far.close(); });
    const at = { address: V6, port: far.address.port };
    assert.equal((await c.allocate([requestedTransport(), requestedAddressFamily(6)])).cls, 'success');
    const bind = await c.request(Method.channelBind, [channelNumber(0x4000), xorPeerAddress(at)]);
    assert.equal(bind.error?.code, 403);
    await c.ep.send(encode({ method: Method.send, cls: 'indication',
      attributes: [xorPeerAddress(at), data(Buffer.from('x'))] }), server.port, V6);
    await assert.rejects(far.next(() => true, { timeoutMs: 500 }), /no matching datagram/);
  });

  test('unique-local, link-local, multicast, unspecified, metadata and IPv4-carrying peers are 403', async (t) => {
    const c = await TurnClient.open({ port: server.port, host: V6, username: 'u', password: 'p' });
    t.after(() => c.close());
    assert.equal((await c.allocate([requestedTransport(), requestedAddressFamily(6)])).cls, 'success');
    const refused = async () => sumMetrics(await server.metrics(), /^peerhub_turn_refused_total\{reason="peer"\}/);
    const before = await refused();
    const denied = [
      'fd00::1', // unique local (RFC 4193)
      'fe80::1', // link-local
      'ff02::1', // multicast
      '::', // unspecified
      'fd00:ec2::254', // the cloud metadata address
      '::ffff:7f00:1', // IPv4-mapped 127.0.0.1
      '::ffff:a00:1', // IPv4-mapped 10.0.0.1
      '64:ff9b::a9fe:a9fe', // NAT64 of 169.254.169.254
      '2002:7f00:1::1', // 6to4 of 127.0.0.1
    ];
    for (const address of denied) {
      const r = await c.request(Method.createPermission, [xorPeerAddress({ address, port: 5000 })]);
      assert.equal(r.error?.code, 403, `CreatePermission for ${address}: ${r.cls} ${JSON.stringify(r.error)}`);
    }
    const counted = (await refused()) - before;
    assert.ok(counted >= denied.length, `${counted} refused peers counted, want >= ${denied.length}`);
    // A global address is fine (nothing is sent to it).
    const ok = await c.request(Method.createPermission, [xorPeerAddress({ address: '2001:db8::1', port: 5000 })]);
    assert.equal(ok.cls, 'success', JSON.stringify(ok.error));
  });
});

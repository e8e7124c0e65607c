// The login answer hands out the embedded STUN/TURN server: a stun: URL and turn: URLs (UDP, TCP, and turns:
// with a certificate) on the port TURN really listens on, with REST credentials (coturn's use-auth-secret:
// username "<expiry>:<name>", password base64(HMAC-SHA1(secret, username))) minted for the name that logged in.
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { test } from 'node:test';
import { closeAll, connect, loginV1 } from '../lib/client.mjs';
import { selfSignedCert, serverFor } from '../lib/server.mjs';

const SECRET = 'login-test-secret';

const turnAddr = (server) => /listening service=turn addr=(\S+)/.exec(server.stderr())[1];
const turnsAddr = (server) => /listening service=turns addr=(\S+)/.exec(server.stderr())?.[1];
const urlsOf = (s) => (Array.isArray(s.urls) ? s.urls : [s.urls]);

// The iceServers entries that carry credentials (the TURN one) and the stun: one.
function split(iceServers) {
  const turn = iceServers.filter((s) => s.username !== undefined);
  const stun = iceServers.filter((s) => urlsOf(s).some((u) => u.startsWith('stun:')));
  return { turn, stun };
}

// A STUN Binding request (RFC 8489 §6) to 127.0.0.1:port over UDP: true when a success response comes back.
function bindingAnswers(port) {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    const request = Buffer.concat([Buffer.from([0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42]), randomBytes(12)]);
    const timer = setTimeout(() => {
      socket.close();
      resolve(false);
    }, 3000);
    socket.on('message', (msg) => {
      clearTimeout(timer);
      socket.close();
      resolve(msg.readUInt16BE(0) === 0x0101 && msg.subarray(8, 20).equals(request.subarray(8, 20)));
    });
    socket.send(request, port, '127.0.0.1');
  });
}

test('the login answer lists the configured servers, then stun: and turn: URLs with REST credentials', async (t) => {
  const server = await serverFor(t, {
    args: ['--turn', '127.0.0.1:0', '--turn-secret', SECRET, '--turn-credential-ttl', '600',
      '--ice-server', 'stun:stun.example.org:3478'],
  });
  const addr = turnAddr(server);
  const port = Number(addr.split(':')[1]);
  assert.ok(port > 0, addr);

  const before = Math.floor(Date.now() / 1000);
  const [alice, reply] = await loginV1(server.wsUrl, 'alice');
  t.after(() => closeAll(alice));
  assert.equal(reply.success, true);
  assert.deepEqual(urlsOf(reply.iceServers[0]), ['stun:stun.example.org:3478']);  // the operator's first

  const { turn, stun } = split(reply.iceServers);
  assert.ok(stun.some((s) => urlsOf(s).includes(`stun:${addr}`)), JSON.stringify(reply.iceServers));
  assert.equal(turn.length, 1, JSON.stringify(reply.iceServers));
  assert.deepEqual(urlsOf(turn[0]), [`turn:${addr}?transport=udp`, `turn:${addr}?transport=tcp`]);

  const [expiry, name] = turn[0].username.split(':');
  assert.equal(name, 'alice');
  assert.ok(Number(expiry) >= before + 600 && Number(expiry) <= Math.floor(Date.now() / 1000) + 600,
    `expiry ${expiry} is not about now + 600 s`);
  const expected = createHmac('sha1', SECRET).update(turn[0].username).digest('base64');
  assert.equal(turn[0].credential, expected);

  assert.equal(await bindingAnswers(port), true, 'the stun: URL answers a Binding request');
});

test('without a configured secret every login still gets well-formed credentials of its own', async (t) => {
  const server = await serverFor(t, { args: ['--turn', '127.0.0.1:0'] });
  const [a, ra] = await loginV1(server.wsUrl, 'bob');
  const [b, rb] = await loginV1(server.wsUrl, 'carol');
  t.after(() => closeAll(a, b));
  const ta = split(ra.iceServers).turn[0];
  const tb = split(rb.iceServers).turn[0];
  assert.match(ta.username, /^\d+:bob$/);
  assert.match(tb.username, /^\d+:carol$/);
  assert.match(ta.credential, /^[A-Za-z0-9+/]{27}=$/);
  assert.notEqual(ta.credential, tb.credential);
  // The secret was generated, never written anywhere: not in the log, and not the same as a fixed one.
  assert.notEqual(ta.credential, createHmac('sha1', '').update(ta.username).digest('base64'));
  assert.doesNotMatch(server.stderr(), /turn\.secret=(?!"?\(set\)|"")/);
});

test('with a certificate the TURN entry adds turns: on its own port', async (t) => {
  const server = await serverFor(t, { args: ['--turn', '127.0.0.1:0', ...selfSignedCert(t).args] });
  const tls = turnsAddr(server);
  assert.ok(tls, server.stderr());
  const alice = await connect(server.wsUrl, { rejectUnauthorized: false });  // a self-signed certificate
  t.after(() => closeAll(alice));
  alice.send({ type: 'login', name: 'alice', version: 1 });
  const reply = await alice.next({ type: 'login' });
  const urls = urlsOf(split(reply.iceServers).turn[0]);
  assert.equal(urls.length, 3, JSON.stringify(urls));
  assert.equal(urls[2], `turns:${tls}?transport=tcp`);
});

test('--turn off: no STUN/TURN entries and nothing listening', async (t) => {
  const server = await serverFor(t, { args: ['--turn', 'off'] });
  const [alice, reply] = await loginV1(server.wsUrl, 'alice');
  t.after(() => closeAll(alice));
  assert.deepEqual(reply.iceServers, []);
  assert.doesNotMatch(server.stderr(), /service=turn/);
});

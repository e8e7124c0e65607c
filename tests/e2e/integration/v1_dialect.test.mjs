// peerhub's own dialect (login with "version":1): payloads stay JSON objects, every relayed message names
// its real sender, and mistakes are answered with an error rather than silence.
import assert from 'node:assert/strict';
import { before, after, test } from 'node:test';
import { closeAll, connect, loginV1, sleep } from '../lib/client.mjs';
import { startPeerhub } from '../lib/server.mjs';

const offer = { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n' };
const answer = { type: 'answer', sdp: 'v=0\r\no=- 3 4 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n' };
const candidate = { candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host', sdpMid: '0', sdpMLineIndex: 0 };
const ICE = 'stun:127.0.0.1:3478';

let server;
before(async () => {
  server = await startPeerhub({ args: ['--ice-server', ICE] });
});
after(() => server.stop('SIGKILL'));

const urlsOf = (s) => (Array.isArray(s.urls) ? s.urls : [s.urls ?? s.url]);

test('login answers success with the name and the configured iceServers', async (t) => {
  const [alice, reply] = await loginV1(server.wsUrl, 'alice');
  t.after(() => closeAll(alice));
  assert.equal(reply.success, true);
  assert.equal(reply.name, 'alice');
  assert.ok(Array.isArray(reply.iceServers), JSON.stringify(reply));
  assert.ok(reply.iceServers.some((s) => urlsOf(s).includes(ICE)), `iceServers lacks ${ICE}: ${JSON.stringify(reply)}`);
});

test('a name held by a live connection is refused with name-taken, and is free again once it leaves', async (t) => {
  const [first, ok] = await loginV1(server.wsUrl, 'taken');
  const [second, refused] = await loginV1(server.wsUrl, 'taken');
  t.after(() => closeAll(first, second));
  assert.equal(ok.success, true);
  assert.equal(refused.success, false);
  assert.equal(refused.error, 'name-taken');

  await first.close();
  // The server learns of the close asynchronously: retry for a moment.
  let reply;
  for (let i = 0; i < 20; i++) {
    second.send({ type: 'login', name: 'taken', version: 1 });
    reply = await second.next({ type: 'login' });
    if (reply.success) break;
    await sleep(100);
  }
  assert.equal(reply.success, true, 'the name is free after its holder disconnected');
});

test('offer, answer and candidate are relayed as objects, naming the real sender', async (t) => {
  const [alice] = await loginV1(server.wsUrl, 'caller');
  const [bob] = await loginV1(server.wsUrl, 'callee');
  const [mallory] = await loginV1(server.wsUrl, 'mallory');
  t.after(() => closeAll(alice, bob, mallory));

  // Alice tries to pass herself off as mallory: the server must use the connection's name.
  alice.send({ type: 'offer', name: 'callee', myName: 'mallory', from: 'mallory', offer });
  const got = await bob.next({ type: 'offer' });
  assert.deepEqual(got.offer, offer);
  assert.equal(got.name, 'caller');
  assert.ok(got.myName === undefined || got.myName === 'caller', `forged myName leaked: ${JSON.stringify(got)}`);
  assert.ok(got.from === undefined || got.from === 'caller', `forged from leaked: ${JSON.stringify(got)}`);

  bob.send({ type: 'answer', name: 'caller', answer });
  const ans = await alice.next({ type: 'answer' });
  assert.deepEqual(ans.answer, answer);
  assert.equal(ans.name, 'callee');

  alice.send({ type: 'candidate', name: 'callee', candidate });
  bob.send({ type: 'candidate', name: 'caller', candidate });
  const c1 = await bob.next({ type: 'candidate' });
  const c2 = await alice.next({ type: 'candidate' });
  assert.deepEqual(c1.candidate, candidate);
  assert.equal(c1.name, 'caller');
  assert.deepEqual(c2.candidate, candidate);
  assert.equal(c2.name, 'callee');
  await mallory.expectNone();
});

test('leave with a reason reaches the caller with that reason', async (t) => {
  const [alice] = await loginV1(server.wsUrl, 'ring');
  const [bob] = await loginV1(server.wsUrl, 'busy-bob');
  t.after(() => closeAll(alice, bob));
  alice.send({ type: 'offer', name: 'busy-bob', offer });
  await bob.next({ type: 'offer' });
  bob.send({ type: 'leave', name: 'ring', reason: 'declined' });
  const left = await alice.next({ type: 'leave' });
  assert.equal(left.name, 'busy-bob');
  assert.equal(left.reason, 'declined');
});

test('list shows who is online', async (t) => {
  const [a] = await loginV1(server.wsUrl, 'list-a');
  const [b] = await loginV1(server.wsUrl, 'list-b');
  t.after(() => closeAll(a, b));
  a.send({ type: 'list' });
  const list = await a.next({ type: 'list' });
  assert.ok(Array.isArray(list.names), JSON.stringify(list));
  assert.ok(list.names.includes('list-a') && list.names.includes('list-b'), JSON.stringify(list));
});

test('an offer to an unknown name is answered with an error and reaches nobody', async (t) => {
  const [a] = await loginV1(server.wsUrl, 'lonely');
  const [bystander] = await loginV1(server.wsUrl, 'bystander');
  t.after(() => closeAll(a, bystander));
  a.send({ type: 'offer', name: 'nobody-here', offer });
  const err = await a.next({ type: 'error' });
  assert.equal(typeof err.message, 'string');
  assert.ok(err.message.length > 0);
  await bystander.expectNone();
});

test('a connection that has not logged in cannot call anyone by name', async (t) => {
  const [bob] = await loginV1(server.wsUrl, 'guarded');
  const anon = await connect(server.wsUrl);
  t.after(() => closeAll(bob, anon));
  anon.send({ type: 'offer', name: 'guarded', offer, version: 1 });
  await bob.expectNone({ type: 'offer' }, 400);
});

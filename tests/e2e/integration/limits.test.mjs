// Every limit is configurable and, when hit, the client is told why; the connection stays usable where the
// limit is about one message.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closeAll, connect, loginV1, sleep } from '../lib/client.mjs';
import { serverFor } from '../lib/server.mjs';

test('a message over --max-frame gets an error and the connection stays usable', async (t) => {
  const server = await serverFor(t, { args: ['--max-frame', '1024'] });
  const [alice] = await loginV1(server.wsUrl, 'big-alice');
  const [bob] = await loginV1(server.wsUrl, 'big-bob');
  t.after(() => closeAll(alice, bob));

  alice.send({ type: 'offer', name: 'big-bob', offer: { type: 'offer', sdp: 'x'.repeat(2000) } });
  const err = await alice.next({ type: 'error' });
  assert.equal(typeof err.message, 'string');
  await bob.expectNone({ type: 'offer' }, 200);
  assert.ok(alice.isOpen, 'an oversized message does not cost the connection');

  alice.send({ type: 'offer', name: 'big-bob', offer: { type: 'offer', sdp: 'y'.repeat(500) } });
  const got = await bob.next({ type: 'offer' });
  assert.equal(got.offer.sdp, 'y'.repeat(500));
});

test('over --messages-per-second the sender is told it is rate-limited, then recovers', async (t) => {
  const server = await serverFor(t, { args: ['--messages-per-second', '5', '--message-burst', '5'] });
  const [alice] = await loginV1(server.wsUrl, 'chatty');
  t.after(() => closeAll(alice));
  for (let i = 0; i < 40; i++) alice.send({ type: 'list' });
  await alice.next({ type: 'error' });
  await sleep(300);
  const lists = alice.drain().filter((m) => m?.type === 'list').length;
  assert.ok(lists >= 1 && lists < 40, `${lists} of 40 list requests were answered at 5/s`);
  assert.ok(alice.isOpen);

  await sleep(1500);
  alice.send({ type: 'list' });
  await alice.next({ type: 'list' });
});

test('--max-connections: the next connection is refused with an error and close 1013', async (t) => {
  const server = await serverFor(t, { args: ['--max-connections', '3'] });
  const clients = [];
  for (let i = 0; i < 3; i++) clients.push((await loginV1(server.wsUrl, `conn-${i}`))[0]);
  t.after(() => closeAll(clients));

  let extra;
  try {
    extra = await connect(server.wsUrl);
  } catch (e) {
    assert.fail(`the fourth connection should be told why, not refused at the HTTP level: ${e.message}`);
  }
  const err = await extra.next({ type: 'error' });
  assert.equal(typeof err.message, 'string');
  const { code } = await extra.closed;
  assert.equal(code, 1013);

  // The three that fit are unaffected, and a freed slot can be used again.
  clients[0].send({ type: 'list' });
  await clients[0].next({ type: 'list' });
  await clients.pop().close();
  let ok = false;
  for (let i = 0; i < 20 && !ok; i++) {
    const c = await connect(server.wsUrl);
    c.send({ type: 'login', name: 'conn-again', version: 1 });
    const reply = await Promise.race([c.next({ type: 'login' }), c.closed.then(() => null)]);
    ok = reply?.success === true;
    if (ok) clients.push(c);
    else await sleep(100);
  }
  assert.ok(ok, 'a slot freed by a close can be used again');
});

test('--rooms-per-connection: one room too many is refused, leaving one makes room', async (t) => {
  const server = await serverFor(t, { args: ['--rooms-per-connection', '2'] });
  const [a] = await loginV1(server.wsUrl, 'joiner');
  t.after(() => closeAll(a));
  for (const room of ['r1', 'r2']) {
    a.send({ type: 'join', room });
    await a.next({ type: 'joined', room });
  }
  a.send({ type: 'join', room: 'r3' });
  await a.next({ type: 'error' });
  await a.expectNone({ type: 'joined' }, 150);
  a.send({ type: 'leave', room: 'r1' });
  await a.next({ type: 'left' });
  a.send({ type: 'join', room: 'r3' });
  await a.next({ type: 'joined', room: 'r3' });
});

test('--members-per-room: a full room refuses the next member', async (t) => {
  const server = await serverFor(t, { args: ['--members-per-room', '2'] });
  const [a] = await loginV1(server.wsUrl, 'm-a');
  const [b] = await loginV1(server.wsUrl, 'm-b');
  const [c] = await loginV1(server.wsUrl, 'm-c');
  t.after(() => closeAll(a, b, c));
  for (const x of [a, b]) {
    x.send({ type: 'join', room: 'small' });
    await x.next({ type: 'joined' });
  }
  c.send({ type: 'join', room: 'small' });
  await c.next({ type: 'error' });
  await a.expectNone({ type: 'peer-joined', name: 'm-c' }, 150);
  b.send({ type: 'leave', room: 'small' });
  await b.next({ type: 'left' });
  c.send({ type: 'join', room: 'small' });
  const joined = await c.next({ type: 'joined' });
  assert.deepEqual(joined.peers, ['m-a']);
});

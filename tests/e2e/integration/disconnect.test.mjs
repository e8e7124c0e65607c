// A dropped connection is a leave: its call partners hear `leave` (in their own dialect), its rooms hear
// `peer-left`, and its name is free again.
import assert from 'node:assert/strict';
import { before, after, test } from 'node:test';
import { closeAll, connect, loginJava, loginV1, sleep } from '../lib/client.mjs';
import { startPeerhub } from '../lib/server.mjs';

const offer = { type: 'offer', sdp: 'v=0\r\n' };

let server;
before(async () => {
  server = await startPeerhub();
});
after(() => server.stop('SIGKILL'));

test('a dropped caller: the callee gets leave, the room gets peer-left, the name is free', async (t) => {
  const [alice] = await loginV1(server.wsUrl, 'drop-alice');
  const [bob] = await loginV1(server.wsUrl, 'drop-bob');
  const [carol] = await loginV1(server.wsUrl, 'drop-carol');
  t.after(() => closeAll(bob, carol));

  alice.send({ type: 'offer', name: 'drop-bob', offer });
  await bob.next({ type: 'offer' });
  for (const c of [alice, carol]) {
    c.send({ type: 'join', room: 'drop-room' });
    await c.next({ type: 'joined' });
  }
  await alice.next({ type: 'peer-joined' });

  await alice.terminate();  // no closing handshake, like a crashed tab

  const leave = await bob.next({ type: 'leave' });
  assert.equal(leave.name, 'drop-alice');
  const pl = await carol.next({ type: 'peer-left' });
  assert.deepEqual([pl.room, pl.name], ['drop-room', 'drop-alice']);

  const [again, reply] = await loginV1(server.wsUrl, 'drop-alice');
  t.after(() => closeAll(again));
  assert.equal(reply.success, true, 'the name of a dropped connection is free');
});

test('a closed Java-dialect caller: the partner gets leave', async (t) => {
  const [alice] = await loginJava(server.wsUrl, 'jdrop-alice');
  const [bob] = await loginJava(server.wsUrl, 'jdrop-bob');
  t.after(() => closeAll(bob));
  alice.send({ type: 'offer', name: 'jdrop-bob', offer });
  await bob.next({ type: 'offer' });
  bob.send({ type: 'answer', name: '', answer: { type: 'answer', sdp: 'v=0\r\n' } });
  await alice.next({ type: 'answer' });
  await alice.close();
  const leave = await bob.next({ type: 'leave' });
  assert.ok(leave.name === undefined || leave.name === 'jdrop-alice', JSON.stringify(leave));
});

test('a dropped Android caller: the partner gets EndCall', async (t) => {
  const alice = await connect(server.wsUrl);
  const bob = await connect(server.wsUrl);
  t.after(() => closeAll(bob));
  alice.send({ type: 'SignIn', username: 'adrop-alice', target: null, data: null });
  bob.send({ type: 'SignIn', username: 'adrop-bob', target: null, data: null });
  await sleep(100);
  alice.send({ type: 'StartStreaming', username: 'adrop-alice', target: 'adrop-bob', data: null });
  await bob.next({ type: 'StartStreaming' });
  alice.send({ type: 'Offer', username: 'adrop-alice', target: 'adrop-bob', data: 'v=0' });
  await bob.next({ type: 'Offer' });
  await alice.terminate();
  const end = await bob.next({ type: 'EndCall' });
  assert.equal(end.username, 'adrop-alice');
});

// Rooms: join / peer-joined, messages to everyone else in the room, leave / peer-left.
import assert from 'node:assert/strict';
import { before, after, test } from 'node:test';
import { closeAll, loginV1 } from '../lib/client.mjs';
import { startPeerhub } from '../lib/server.mjs';

let server;
before(async () => {
  server = await startPeerhub();
});
after(() => server.stop('SIGKILL'));

test('three clients join a room, talk in it, and one leaves', async (t) => {
  const [a] = await loginV1(server.wsUrl, 'room-a');
  const [b] = await loginV1(server.wsUrl, 'room-b');
  const [c] = await loginV1(server.wsUrl, 'room-c');
  const [outsider] = await loginV1(server.wsUrl, 'room-outsider');
  t.after(() => closeAll(a, b, c, outsider));

  a.send({ type: 'join', room: 'lobby' });
  const ja = await a.next({ type: 'joined' });
  assert.equal(ja.room, 'lobby');
  assert.equal(ja.name, 'room-a');
  assert.deepEqual(ja.peers, []);

  b.send({ type: 'join', room: 'lobby' });
  const jb = await b.next({ type: 'joined' });
  assert.deepEqual(jb.peers, ['room-a']);
  assert.deepEqual(await a.next({ type: 'peer-joined' }), { type: 'peer-joined', room: 'lobby', name: 'room-b' });

  c.send({ type: 'join', room: 'lobby' });
  const jc = await c.next({ type: 'joined' });
  assert.deepEqual([...jc.peers].sort(), ['room-a', 'room-b']);
  for (const peer of [a, b]) {
    const pj = await peer.next({ type: 'peer-joined' });
    assert.equal(pj.name, 'room-c');
    assert.equal(pj.room, 'lobby');
  }

  const data = { text: 'hello room', n: 1, nested: { ok: true } };
  a.send({ type: 'message', room: 'lobby', data });
  for (const peer of [b, c]) {
    const m = await peer.next({ type: 'message' });
    assert.equal(m.room, 'lobby');
    assert.equal(m.name, 'room-a', 'the message names its sender');
    assert.deepEqual(m.data, data);
  }

  c.send({ type: 'leave', room: 'lobby' });
  const left = await c.next({ type: 'left' });
  assert.equal(left.room, 'lobby');
  for (const peer of [a, b]) {
    const pl = await peer.next({ type: 'peer-left' });
    assert.equal(pl.room, 'lobby');
    assert.equal(pl.name, 'room-c');
  }

  b.send({ type: 'message', room: 'lobby', data: 'after c left' });
  const m2 = await a.next({ type: 'message' });
  assert.equal(m2.data, 'after c left');
  await c.expectNone({ type: 'message' });
  await outsider.expectNone();
});

test('a message to a room the sender is not in is refused', async (t) => {
  const [a] = await loginV1(server.wsUrl, 'member');
  const [b] = await loginV1(server.wsUrl, 'stranger');
  t.after(() => closeAll(a, b));
  a.send({ type: 'join', room: 'private' });
  await a.next({ type: 'joined' });
  b.send({ type: 'message', room: 'private', data: 'let me in' });
  await b.next({ type: 'error' });
  await a.expectNone({ type: 'message' });
});

// Bad input gets an error message; the connection stays open and usable, and nobody else notices.
import assert from 'node:assert/strict';
import { before, after, test } from 'node:test';
import { closeAll, connect, loginV1 } from '../lib/client.mjs';
import { startPeerhub } from '../lib/server.mjs';

let server;
before(async () => {
  server = await startPeerhub();
});
after(() => server.stop('SIGKILL'));

const isError = (m) => m.type === 'error' || (m.type === 'login' && m.success === false);

async function assertStillWorks(client, name, bystander) {
  assert.ok(client.isOpen, 'the connection stays open');
  client.send({ type: 'offer', name: bystander.name, offer: { type: 'offer', sdp: 'v=0' } });
  const got = await bystander.client.next({ type: 'offer' });
  assert.equal(got.name, name);
}

const garbage = [
  ['bad JSON', '{"type":"login",'],
  ['not JSON at all', 'hello'],
  ['an array', '[1,2,3]'],
  ['a number', '42'],
  ['a string', '"login"'],
  ['null', 'null'],
  ['no type', '{"name":"x"}'],
  ['a numeric type', '{"type":5}'],
  ['an object type', '{"type":{"nested":true}}'],
  ['an offer without a target', '{"type":"offer","offer":{"type":"offer","sdp":"v=0"},"version":1}'],
  ['an offer with a numeric target', '{"type":"offer","name":42,"offer":{}}'],
  ['a join without a room', '{"type":"join"}'],
  ['a join with a numeric room', '{"type":"join","room":7}'],
  ['a deeply nested value', '{"type":"offer","name":"x","offer":' + '['.repeat(5000) + ']'.repeat(5000) + '}'],
];

test('after login: every kind of garbage gets an error and changes nothing', async (t) => {
  const [alice] = await loginV1(server.wsUrl, 'garbage-alice');
  const [bob] = await loginV1(server.wsUrl, 'garbage-bob');
  t.after(() => closeAll(alice, bob));
  for (const [what, text] of garbage) {
    alice.send(text);
    const reply = await alice.next(() => true).catch((e) => assert.fail(`${what}: ${e.message}`));
    assert.ok(isError(reply), `${what}: expected an error, got ${JSON.stringify(reply)}`);
    assert.equal(typeof (reply.message ?? reply.error), 'string', `${what}: the error says what was wrong`);
  }
  alice.sendBinary(Buffer.from([0, 1, 2, 3, 0xff]));
  assert.ok(isError(await alice.next(() => true)), 'a binary frame gets an error');
  await bob.expectNone();
  await assertStillWorks(alice, 'garbage-alice', { name: 'garbage-bob', client: bob });
});

test('before login: garbage gets an error and the connection can still log in', async (t) => {
  const anon = await connect(server.wsUrl);
  const [bob] = await loginV1(server.wsUrl, 'garbage-bob2');
  t.after(() => closeAll(anon, bob));
  for (const [what, text] of garbage.slice(0, 9)) {
    anon.send(text);
    const reply = await anon.next(() => true).catch((e) => assert.fail(`${what}: ${e.message}`));
    assert.ok(isError(reply), `${what}: expected an error, got ${JSON.stringify(reply)}`);
  }
  anon.sendBinary(Buffer.from('not text'));
  assert.ok(isError(await anon.next(() => true)));
  anon.send({ type: 'login', name: 'x'.repeat(10000), version: 1 });
  assert.ok(isError(await anon.next(() => true)), 'an absurdly long name is refused');
  anon.send({ type: 'login', name: 'bad\u0000name', version: 1 });
  assert.ok(isError(await anon.next(() => true)), 'a name with control characters is refused');
  anon.send({ type: 'login', name: 'garbage-late', version: 1 });
  const ok = await anon.next({ type: 'login' });
  assert.equal(ok.success, true);
  await assertStillWorks(anon, 'garbage-late', { name: 'garbage-bob2', client: bob });
});

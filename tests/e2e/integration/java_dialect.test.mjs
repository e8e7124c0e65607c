// The Java-WebSocket tutorial's page must work unchanged: it logs in without "version", JSON.parses the
// offer/answer/candidate it receives (they arrive as strings), and sends answer/candidate/leave with whatever
// name it has, sometimes none.
import assert from 'node:assert/strict';
import { before, after, test } from 'node:test';
import { closeAll, connect, loginJava } from '../lib/client.mjs';
import { startPeerhub } from '../lib/server.mjs';

const offer = { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n' };
const answer = { type: 'answer', sdp: 'v=0\r\no=- 3 4 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n' };
const candidate = { candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host', sdpMid: '0', sdpMLineIndex: 0 };

let server;
before(async () => {
  server = await startPeerhub();
});
after(() => server.stop('SIGKILL'));

test('login without version succeeds, and a name held by a live connection is refused', async (t) => {
  const [alice, ok] = await loginJava(server.wsUrl, 'j-alice');
  const [thief, refused] = await loginJava(server.wsUrl, 'j-alice');
  t.after(() => closeAll(alice, thief));
  assert.equal(ok.success, true);
  assert.equal(refused.success, false);
  // The refused login did not take the name over: a call to j-alice still reaches the first connection.
  const [bob] = await loginJava(server.wsUrl, 'j-bob');
  t.after(() => closeAll(bob));
  bob.send({ type: 'offer', name: 'j-alice', offer });
  await alice.next({ type: 'offer' });
  await thief.expectNone({ type: 'offer' });
});

test('offer, answer and candidates are delivered as JSON strings, sender taken from the connection', async (t) => {
  const [alice] = await loginJava(server.wsUrl, 'j-caller');
  const [bob] = await loginJava(server.wsUrl, 'j-callee');
  t.after(() => closeAll(alice, bob));

  alice.send({ type: 'offer', name: 'j-callee', myName: 'mallory', offer });
  const got = await bob.next({ type: 'offer' });
  assert.equal(typeof got.offer, 'string', 'the page JSON.parses the offer: it must be a string');
  assert.deepEqual(JSON.parse(got.offer), offer);
  assert.equal(got.name, 'j-caller', 'the sender is the connection, never the myName it wrote');

  // The tutorial page answers with an empty name (it only knows the caller from the offer it got).
  bob.send({ type: 'answer', name: '', answer });
  const ans = await alice.next({ type: 'answer' });
  assert.equal(typeof ans.answer, 'string');
  assert.deepEqual(JSON.parse(ans.answer), answer);

  alice.send({ type: 'candidate', name: 'j-callee', candidate });
  const c1 = await bob.next({ type: 'candidate' });
  assert.equal(typeof c1.candidate, 'string');
  assert.deepEqual(JSON.parse(c1.candidate), candidate);

  // A candidate with an empty name goes to the call partner.
  bob.send({ type: 'candidate', name: '', candidate });
  const c2 = await alice.next({ type: 'candidate' });
  assert.deepEqual(JSON.parse(c2.candidate), candidate);
});

test('a payload that is already a string is delivered as that same string, not encoded twice', async (t) => {
  const [alice] = await loginJava(server.wsUrl, 'j-str-a');
  const [bob] = await loginJava(server.wsUrl, 'j-str-b');
  t.after(() => closeAll(alice, bob));
  alice.send({ type: 'offer', name: 'j-str-b', offer: JSON.stringify(offer) });
  const got = await bob.next({ type: 'offer' });
  assert.deepEqual(JSON.parse(got.offer), offer);
});

test('leave with an empty name hangs up the call partner', async (t) => {
  const [alice] = await loginJava(server.wsUrl, 'j-leave-a');
  const [bob] = await loginJava(server.wsUrl, 'j-leave-b');
  t.after(() => closeAll(alice, bob));
  alice.send({ type: 'offer', name: 'j-leave-b', offer });
  await bob.next({ type: 'offer' });
  bob.send({ type: 'answer', name: 'j-leave-a', answer });
  await alice.next({ type: 'answer' });

  alice.send({ type: 'leave', name: '' });
  const left = await bob.next({ type: 'leave' });
  assert.ok(left.name === undefined || left.name === 'j-leave-a', `leave names the sender: ${JSON.stringify(left)}`);
});

test('an unknown type gets exactly "Unrecognized command: X" and the connection stays', async (t) => {
  const [alice] = await loginJava(server.wsUrl, 'j-unknown');
  t.after(() => closeAll(alice));
  alice.send({ type: 'dance', name: 'j-unknown' });
  const { msg, raw } = await alice.nextRaw({ type: 'error' });
  assert.deepEqual(msg, { type: 'error', message: 'Unrecognized command: dance' }, raw);
  assert.ok(alice.isOpen);

  // Still usable: an offer to a fresh user is relayed.
  const [bob] = await loginJava(server.wsUrl, 'j-unknown-b');
  t.after(() => closeAll(bob));
  alice.send({ type: 'offer', name: 'j-unknown-b', offer });
  await bob.next({ type: 'offer' });
});

test('a call to a name nobody holds is answered with an error, not silence', async (t) => {
  const c = await connect(server.wsUrl);
  t.after(() => closeAll(c));
  c.send({ type: 'login', name: 'j-lonely' });
  await c.next({ type: 'login', success: true });
  c.send({ type: 'offer', name: 'j-nobody', offer });
  const err = await c.next({ type: 'error' });
  assert.equal(typeof err.message, 'string');
  assert.ok(err.message.length > 0);
});

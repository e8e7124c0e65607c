// The Android tutorial's app: {type, username, target, data}, routed by target; data is passed through
// exactly as sent (the app parses it itself), and username is the sender's real name.
import assert from 'node:assert/strict';
import { before, after, test } from 'node:test';
import { closeAll, connect } from '../lib/client.mjs';
import { startPeerhub } from '../lib/server.mjs';

let server;
before(async () => {
  server = await startPeerhub();
});
after(() => server.stop('SIGKILL'));

async function signIn(name) {
  const c = await connect(server.wsUrl);
  c.send({ type: 'SignIn', username: name, target: null, data: null });
  // The tutorial's server answers nothing to SignIn, peerhub may; either way it must not be an error.
  await c.expectNone({ type: 'error' }, 150);
  return c;
}

test('StartStreaming, Offer, Answer, IceCandidates and EndCall are routed by target with data untouched', async (t) => {
  const alice = await signIn('droid-alice');
  const bob = await signIn('droid-bob');
  const carol = await signIn('droid-carol');
  t.after(() => closeAll(alice, bob, carol));

  const sdpOffer = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n';
  const sdpAnswer = 'v=0\r\no=- 3 4 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n';
  const ice = JSON.stringify({ sdpMid: '0', sdpMLineIndex: 0, sdp: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host' });
  const steps = [
    [alice, bob, 'StartStreaming', null],
    [alice, bob, 'Offer', sdpOffer],
    [bob, alice, 'Answer', sdpAnswer],
    [alice, bob, 'IceCandidates', ice],
    [bob, alice, 'IceCandidates', { nested: { kept: [1, 2, 3] } }],
    [alice, bob, 'EndCall', null],
  ];
  for (const [from, to, type, data] of steps) {
    const fromName = from === alice ? 'droid-alice' : 'droid-bob';
    const toName = to === alice ? 'droid-alice' : 'droid-bob';
    // A forged username must not survive: the server knows who sent it.
    from.send({ type, username: 'droid-carol', target: toName, data });
    const got = await to.next({ type });
    assert.equal(got.username, fromName, `${type}: ${JSON.stringify(got)}`);
    assert.equal(got.target, toName, `${type}: ${JSON.stringify(got)}`);
    assert.deepEqual(got.data, data, `${type}: data changed in transit`);
  }
  await carol.expectNone();
});

test('a message to a target nobody holds gives the sender an error', async (t) => {
  const alice = await signIn('droid-solo');
  t.after(() => closeAll(alice));
  alice.send({ type: 'Offer', username: 'droid-solo', target: 'droid-ghost', data: 'v=0' });
  const err = await alice.next((m) => m.type === 'error' || m.type === 'Error' || m.error !== undefined);
  assert.ok(err, 'an error comes back');
});

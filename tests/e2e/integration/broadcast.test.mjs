// The broadcast demo's pages never log in: the recorder's offer goes to every other such page, and the
// watchers' answers and candidates come back, all without names.
import assert from 'node:assert/strict';
import { before, after, test } from 'node:test';
import { closeAll, connect, loginV1 } from '../lib/client.mjs';
import { startPeerhub } from '../lib/server.mjs';

let server;
before(async () => {
  server = await startPeerhub();
});
after(() => server.stop('SIGKILL'));

test('one recorder reaches three watchers, and their answers reach the recorder', async (t) => {
  const recorder = await connect(server.wsUrl);
  const watchers = await Promise.all([1, 2, 3].map(() => connect(server.wsUrl)));
  const [loggedIn] = await loginV1(server.wsUrl, 'not-a-watcher');
  t.after(() => closeAll(recorder, watchers, loggedIn));

  const offer = { type: 'offer', offer: { type: 'offer', sdp: 'v=0\r\ns=recorder\r\n' } };
  recorder.send(offer);
  for (const w of watchers) assert.deepEqual(await w.next({ type: 'offer' }), offer);
  await recorder.expectNone({ type: 'offer' }, 100);

  watchers.forEach((w, i) => w.send({ type: 'answer', answer: { type: 'answer', sdp: `v=0\r\ns=watcher${i}\r\n` } }));
  const answers = [];
  for (let i = 0; i < 3; i++) answers.push((await recorder.next({ type: 'answer' })).answer.sdp);
  assert.deepEqual(answers.sort(), [0, 1, 2].map((i) => `v=0\r\ns=watcher${i}\r\n`));

  const cand = { type: 'candidate', candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host', sdpMid: '0' } };
  recorder.send(cand);
  for (const w of watchers) assert.deepEqual(await w.next({ type: 'candidate' }), cand);

  // A logged-in connection is not part of the broadcast.
  await loggedIn.expectNone((m) => ['offer', 'answer', 'candidate'].includes(m.type), 100);
});

// A client that stops reading while someone floods it must be dropped once its send queue is full; the
// server, the flooder and everyone else carry on.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closeAll, loginV1, sleep } from '../lib/client.mjs';
import { serverFor } from '../lib/server.mjs';

test('a slow reader is dropped, the flooder and a bystander stay connected', async (t) => {
  const server = await serverFor(t, {
    args: ['--send-queue-bytes', '262144', '--messages-per-second', '1000000', '--message-burst', '1000000'],
  });
  const [slow] = await loginV1(server.wsUrl, 'slow');
  const [flooder] = await loginV1(server.wsUrl, 'flooder');
  const [bystander] = await loginV1(server.wsUrl, 'bystander');
  t.after(() => closeAll(slow, flooder, bystander));

  slow.ws._socket.pause();  // stop reading: the kernel buffers fill, then the server's queue
  const sdp = 'a'.repeat(30 * 1024);
  let gone = false;
  for (let round = 0; round < 40 && !gone; round++) {
    // 40 rounds × 50 × 30 KiB = 60 MB at most, far beyond any loopback socket buffer plus the queue.
    for (let i = 0; i < 50; i++) flooder.send({ type: 'offer', name: 'slow', offer: { type: 'offer', sdp } });
    await sleep(50);
    flooder.send({ type: 'list' });
    const list = await flooder.next({ type: 'list' }, 5000);
    gone = !list.names.includes('slow');
  }
  assert.ok(gone, 'the slow reader was never dropped');
  assert.ok(flooder.isOpen, 'the flooder stays connected');

  // The bystander still gets service.
  flooder.send({ type: 'offer', name: 'bystander', offer: { type: 'offer', sdp: 'v=0' } });
  const got = await bystander.next({ type: 'offer' });
  assert.equal(got.name, 'flooder');

  slow.ws._socket.resume();
  const outcome = await Promise.race([slow.closed.then(() => 'closed'), sleep(5000).then(() => 'open')]);
  assert.equal(outcome, 'closed', 'the slow reader sees its connection end');
});

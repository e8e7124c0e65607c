// Ping/pong keep-alive: a client that never answers pings is dropped after --idle-timeout; one that does
// stays as long as it likes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closeAll, connect, sleep } from '../lib/client.mjs';
import { serverFor } from '../lib/server.mjs';

test('a silent client is dropped after the idle timeout, a live one is kept', async (t) => {
  const server = await serverFor(t, { args: ['--ping-interval', '1', '--idle-timeout', '2'] });
  const silent = await connect(server.wsUrl, { autoPong: false });
  const live = await connect(server.wsUrl);
  t.after(() => closeAll(silent, live));
  const started = Date.now();

  const outcome = await Promise.race([silent.closed.then(() => 'closed'), sleep(8000).then(() => 'open')]);
  const elapsed = Date.now() - started;
  assert.equal(outcome, 'closed', 'a client that never answers pings must be dropped');
  assert.ok(silent.pings >= 1, 'the server pinged before dropping');
  assert.ok(elapsed >= 1500, `dropped after ${elapsed} ms, before the 2 s idle timeout`);

  assert.ok(live.isOpen, 'a client answering pings stays connected');
  assert.ok(live.pings >= 1);
  live.send({ type: 'list' });
  await live.next(() => true);
});

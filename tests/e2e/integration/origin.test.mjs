// --allowed-origin: a browser page from a site the operator did not name cannot open /ws (cross-site WebSocket
// hijacking); a named page and a native client (no Origin header) can.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closeAll, connect } from '../lib/client.mjs';
import { serverFor } from '../lib/server.mjs';

test('only the allowed origins and clients without an Origin open /ws', async (t) => {
  const server = await serverFor(t, { args: ['--allowed-origin', 'https://call.example:8443'] });

  await assert.rejects(connect(server.wsUrl, { origin: 'https://evil.example' }), /upgrade refused: HTTP 403/);

  const page = await connect(server.wsUrl, { origin: 'https://call.example:8443' });
  const native = await connect(server.wsUrl);
  t.after(() => closeAll(page, native));
  page.send({ type: 'login', name: 'page', version: 1 });
  assert.equal((await page.next({ type: 'login' })).success, true);
  native.send({ type: 'login', name: 'native', version: 1 });
  assert.equal((await native.next({ type: 'login' })).success, true);
});

test('without --allowed-origin any page may connect', async (t) => {
  const server = await serverFor(t);
  const page = await connect(server.wsUrl, { origin: 'https://anywhere.example' });
  t.after(() => closeAll(page));
  page.send({ type: 'login', name: 'anyone', version: 1 });
  assert.equal((await page.next({ type: 'login' })).success, true);
});

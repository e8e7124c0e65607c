// A second peerhub on an address the first holds refuses to start, rather than joining the first one's
// SO_REUSEPORT group and silently taking half of its connections (HTTP) or datagrams (TURN).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runPeerhub, serverFor } from '../lib/server.mjs';

test('the HTTP address of a running server is refused with a clear error', async (t) => {
  const first = await serverFor(t, { args: ['--turn', 'off'] });
  const second = runPeerhub(['--http', `127.0.0.1:${first.port}`, '--turn', 'off'], { timeoutMs: 10000 });
  assert.equal(second.status, 1, second.stderr);
  assert.match(second.stderr + second.stdout,
    new RegExp(`server\\.http 127\\.0\\.0\\.1:${first.port}: Address already in use \\(is another server running there\\?`));
});

test('the TURN address of a running server is refused with a clear error', async (t) => {
  const first = await serverFor(t, { args: ['--turn', '127.0.0.1:0'] });
  const line = /listening service=turn\S* addr=127\.0\.0\.1:(\d+)/.exec(first.stderr());
  assert.ok(line, `the first server logs its TURN address:\n${first.stderr()}`);
  const second = runPeerhub(['--http', '127.0.0.1:0', '--turn', `127.0.0.1:${line[1]}`], { timeoutMs: 10000 });
  assert.equal(second.status, 1, second.stderr);
  assert.match(second.stderr + second.stdout, /turn\.listen 127\.0\.0\.1:\d+: Address already in use .*--turn off/);
});

// Configuration precedence, seen from outside: defaults < TOML file < command-line flag < PEERHUB_* variable.
// The key used is max_frame, because its effect is easy to observe: a message just over it is refused.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { closeAll, loginV1 } from '../lib/client.mjs';
import { runPeerhub, serverFor, tempDir } from '../lib/server.mjs';

// Sends an offer whose frame is about `size` bytes; true when the callee got it, false when refused.
async function fits(server, size) {
  const [a] = await loginV1(server.wsUrl, `sender-${size}`);
  const [b] = await loginV1(server.wsUrl, `receiver-${size}`);
  try {
    const skeleton = JSON.stringify({ type: 'offer', name: `receiver-${size}`, offer: { sdp: '' } });
    a.send({ type: 'offer', name: `receiver-${size}`, offer: { sdp: 'x'.repeat(size - skeleton.length) } });
    const result = await Promise.race([
      b.next({ type: 'offer' }).then(() => true),
      a.next({ type: 'error' }).then(() => false),
    ]);
    return result;
  } finally {
    await closeAll(a, b);
  }
}

function tomlFile(dir, maxFrame) {
  const file = path.join(dir, 'peerhub.toml');
  writeFileSync(file, `[signaling]\nmax_frame = ${maxFrame}\n`);
  return file;
}

test('a TOML file sets max_frame', async (t) => {
  const tmp = tempDir();
  t.after(tmp.remove);
  const server = await serverFor(t, { args: ['--config', tomlFile(tmp.dir, 1000)] });
  assert.equal(await fits(server, 900), true);
  assert.equal(await fits(server, 1500), false);
});

test('a flag wins over the TOML file', async (t) => {
  const tmp = tempDir();
  t.after(tmp.remove);
  const server = await serverFor(t, { args: ['--config', tomlFile(tmp.dir, 1000), '--max-frame', '2000'] });
  assert.equal(await fits(server, 1500), true);
  assert.equal(await fits(server, 2500), false);
});

test('PEERHUB_MAX_FRAME wins over both the flag and the file', async (t) => {
  const tmp = tempDir();
  t.after(tmp.remove);
  const server = await serverFor(t, {
    args: ['--config', tomlFile(tmp.dir, 1000), '--max-frame', '2000'],
    env: { PEERHUB_MAX_FRAME: '3000' },
  });
  assert.equal(await fits(server, 2500), true);
  assert.equal(await fits(server, 3500), false);
});

test('a TOML file with an unknown key is a configuration error: exit 2 and a message naming the key', () => {
  const tmp = tempDir();
  try {
    const file = path.join(tmp.dir, 'bad.toml');
    writeFileSync(file, '[signaling]\nmax_frames = 10\n');
    const r = runPeerhub(['--config', file, '--http', '127.0.0.1:0'], { timeoutMs: 5000 });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /max_frames/);
  } finally {
    tmp.remove();
  }
});

test('a malformed flag value is a usage error: exit 2', () => {
  const r = runPeerhub(['--http', '127.0.0.1:0', '--max-frame', 'lots'], { timeoutMs: 5000 });
  assert.equal(r.status, 2, r.stderr);
  assert.ok(r.stderr.trim().length > 0);
});

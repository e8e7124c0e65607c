// Nothing outside the web folder can be read, however the path is spelled. Raw requests, so no client
// normalizes the target before the server sees it.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { before, after, test } from 'node:test';
import { rawGet } from '../lib/http.mjs';
import { startPeerhub, tempDir } from '../lib/server.mjs';

const SECRET = 'TOP-SECRET-outside-the-web-folder';
let server;
let root;
before(async () => {
  root = tempDir();
  mkdirSync(path.join(root.dir, 'web', 'sub'), { recursive: true });
  writeFileSync(path.join(root.dir, 'web', 'index.html'), '<!doctype html>');
  writeFileSync(path.join(root.dir, 'web', 'sub', 'a.txt'), 'a');
  writeFileSync(path.join(root.dir, 'secret.txt'), SECRET);
  server = await startPeerhub({ args: ['--web', path.join(root.dir, 'web')] });
});
after(async () => {
  await server.stop('SIGKILL');
  root.remove();
});

// Targets that must be refused with 400 (the contract: traversal attempts like /../ or %2e%2e).
const refused = [
  '/../secret.txt',
  '/../etc/passwd',
  '/../../../../../../etc/passwd',
  '/sub/../../secret.txt',
  '/%2e%2e/secret.txt',
  '/%2E%2E/secret.txt',
  '/..%2fsecret.txt',
  '/..%2Fsecret.txt',
  '/%2e%2e%2fsecret.txt',
  '/sub/%2e%2e/%2e%2e/secret.txt',
  '/.%2e/secret.txt',
];
// Targets that must not leak anything (400 or 404 are both fine: e.g. %252e decodes once to a literal "%2e").
const neverServed = [
  '/%252e%252e/secret.txt',
  '/%252e%252e%252fsecret.txt',
  '/..\\secret.txt',
  '/sub\\..\\..\\secret.txt',
  '/%5c..%5csecret.txt',
  '/..%5csecret.txt',
  '//etc/passwd',
  '/secret.txt%00.html',
  '/%00',
  'secret.txt',
  '/sub/..%00/../secret.txt',
];

test('traversal attempts are refused with 400', async () => {
  for (const target of refused) {
    const r = await rawGet(server.port, target);
    assert.ok(!r.text.includes(SECRET) && !r.text.includes('root:'), `${target} leaked a file`);
    assert.equal(r.status, 400, `${target} -> ${r.status}`);
  }
});

test('encoded, backslashed and NUL variants never reach a file outside the web folder', async () => {
  for (const target of neverServed) {
    let r;
    try {
      r = await rawGet(server.port, target);
    } catch {
      continue;  // the server hung up on it: nothing leaked
    }
    assert.ok(!r.text.includes(SECRET) && !r.text.includes('root:'), `${target} leaked a file`);
    assert.ok(r.status >= 400 && r.status < 500, `${target} -> ${r.status}`);
  }
});

test('the server still serves normally after all that', async () => {
  assert.equal((await rawGet(server.port, '/sub/a.txt')).text, 'a');
  assert.equal((await rawGet(server.port, '/healthz')).status, 200);
});

// The HTTP side: the web client's files with the right content types, /healthz, and /metrics counters that
// move when people use the server.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { before, after, test } from 'node:test';
import { closeAll, loginV1 } from '../lib/client.mjs';
import { parseMetrics, rawGet, sumMetrics } from '../lib/http.mjs';
import { startPeerhub, tempDir } from '../lib/server.mjs';

const files = {
  'index.html': ['<!doctype html><title>peerhub test</title>', /^text\/html/],
  'app.js': ['export const x = 1;\n', /^(text|application)\/javascript/],
  'style.css': ['body { color: red }\n', /^text\/css/],
  'logo.png': [Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), /^image\/png/],
  'icon.svg': ['<svg xmlns="http://www.w3.org/2000/svg"/>', /^image\/svg\+xml/],
  'data.json': ['{"a":1}', /^application\/json/],
  'mod.wasm': [Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]), /^application\/wasm/],
  'sub/index.html': ['<!doctype html><title>sub</title>', /^text\/html/],
};

let server;
let web;
before(async () => {
  web = tempDir();
  for (const [name, [content]] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(web.dir, name)), { recursive: true });
    writeFileSync(path.join(web.dir, name), content);
  }
  server = await startPeerhub({ args: ['--web', web.dir] });
});
after(async () => {
  await server.stop('SIGKILL');
  web.remove();
});

test('GET / serves index.html as text/html', async () => {
  const r = await rawGet(server.port, '/');
  assert.equal(r.status, 200);
  assert.match(r.headers['content-type'], /^text\/html/);
  assert.equal(r.text, files['index.html'][0]);
});

test('every kind of web file comes with its content type and exact bytes', async () => {
  for (const [name, [content, type]] of Object.entries(files)) {
    const r = await rawGet(server.port, `/${name}`);
    assert.equal(r.status, 200, name);
    assert.match(r.headers['content-type'] ?? '', type, `${name}: ${r.headers['content-type']}`);
    assert.deepEqual(r.body, Buffer.from(content), name);
  }
});

test('a directory serves its index.html; a missing file is 404', async () => {
  const dir = await rawGet(server.port, '/sub/');
  assert.equal(dir.status, 200);
  assert.equal(dir.text, files['sub/index.html'][0]);
  assert.equal((await rawGet(server.port, '/no-such-file.js')).status, 404);
});

test('/healthz answers ok', async () => {
  const r = await rawGet(server.port, '/healthz');
  assert.equal(r.status, 200);
  assert.equal(r.text.trim(), 'ok');
});

test('/metrics counts connections, logins and relayed messages', async (t) => {
  const before = await rawGet(server.port, '/metrics');
  assert.equal(before.status, 200);
  assert.match(before.headers['content-type'] ?? '', /^text\/plain/);
  const m0 = parseMetrics(before.text);
  assert.ok([...m0.keys()].every((k) => k.startsWith('peerhub_')), 'every series is named peerhub_*');

  const [alice] = await loginV1(server.wsUrl, 'metrics-alice');
  const [bob] = await loginV1(server.wsUrl, 'metrics-bob');
  t.after(() => closeAll(alice, bob));
  alice.send({ type: 'offer', name: 'metrics-bob', offer: { type: 'offer', sdp: 'v=0' } });
  await bob.next({ type: 'offer' });

  const m1 = parseMetrics((await rawGet(server.port, '/metrics')).text);
  const grew = (re, by) => {
    const d = sumMetrics(m1, re) - sumMetrics(m0, re);
    assert.ok(d >= by, `${re} grew by ${d}, expected at least ${by}:\n${[...m1.keys()].join('\n')}`);
  };
  grew(/^peerhub_\w*connections\w*(\{|$)/, 2);
  grew(/^peerhub_\w*login\w*\{[^}]*(ok|success)/, 2);
  grew(/^peerhub_\w*messages?\w*\{[^}]*type="offer"/, 1);
});

// `peerhub cert` makes a self-signed certificate; with it peerhub serves HTTPS and WSS on the same port.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { closeAll, connect } from '../lib/client.mjs';
import { rawGet } from '../lib/http.mjs';
import { runPeerhub, serverFor, tempDir } from '../lib/server.mjs';

test('peerhub cert, then https GET / and a wss login work', async (t) => {
  const tmp = tempDir();
  t.after(tmp.remove);
  const certDir = path.join(tmp.dir, 'tls');
  const r = runPeerhub(['cert', '--host', '127.0.0.1', '--host', 'localhost', '--out', certDir]);
  assert.equal(r.status, 0, r.stderr);
  const certFile = path.join(certDir, 'cert.pem');
  const keyFile = path.join(certDir, 'key.pem');
  assert.equal(statSync(keyFile).mode & 0o777, 0o600, 'the private key is readable by its owner only');
  const cert = new X509Certificate(readFileSync(certFile));
  assert.ok(cert.checkIP('127.0.0.1'), `SAN lacks IP 127.0.0.1: ${cert.subjectAltName}`);
  assert.ok(cert.checkHost('localhost'), `SAN lacks localhost: ${cert.subjectAltName}`);
  assert.ok(new Date(cert.validTo) > new Date(), 'the certificate is valid now');

  const web = path.join(tmp.dir, 'web');
  mkdirSync(web);
  writeFileSync(path.join(web, 'index.html'), '<!doctype html><title>secure</title>');
  const server = await serverFor(t, { args: ['--tls-cert', certFile, '--tls-key', keyFile, '--web', web] });
  assert.match(server.url, /^https:/, 'the listening line says service=https');

  const page = await rawGet(server.port, '/', { secure: true });
  assert.equal(page.status, 200);
  assert.equal(page.text, '<!doctype html><title>secure</title>');

  const c = await connect(server.wsUrl, { rejectUnauthorized: false });
  t.after(() => closeAll(c));
  c.send({ type: 'login', name: 'secure-alice', version: 1 });
  const reply = await c.next({ type: 'login' });
  assert.equal(reply.success, true);
});

test('peerhub cert refuses to overwrite an existing key', (t) => {
  const tmp = tempDir();
  t.after(tmp.remove);
  assert.equal(runPeerhub(['cert', '--host', '127.0.0.1', '--out', tmp.dir]).status, 0);
  const before = readFileSync(path.join(tmp.dir, 'key.pem'));
  const again = runPeerhub(['cert', '--host', '127.0.0.1', '--out', tmp.dir]);
  assert.notEqual(again.status, 0, 'a second run must not silently replace the key');
  assert.deepEqual(readFileSync(path.join(tmp.dir, 'key.pem')), before);
});

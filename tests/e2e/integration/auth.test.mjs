// With an auth secret, login needs a token for that very name (JWT HS256, sub = name, exp in the future).
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { closeAll, connect, loginV1 } from '../lib/client.mjs';
import { runPeerhub, serverFor } from '../lib/server.mjs';

const SECRET = 'correct-horse-battery-staple-4f9a';
const b64url = (x) => Buffer.from(typeof x === 'string' ? x : JSON.stringify(x)).toString('base64url');

// An independent HS256 signer, so peerhub's verifier is checked against more than its own minting.
function jwt(payload, { secret = SECRET, header = { alg: 'HS256', typ: 'JWT' } } = {}) {
  const body = `${b64url(header)}.${b64url(payload)}`;
  const sig = header.alg === 'none' ? '' : createHmac('sha256', secret).update(body).digest('base64url');
  return `${body}.${sig}`;
}
const now = () => Math.floor(Date.now() / 1000);

function mint(name, extra = []) {
  const r = runPeerhub(['token', name, '--auth-secret', SECRET, ...extra]);
  assert.equal(r.status, 0, `peerhub token failed: ${r.stderr}`);
  const token = r.stdout.trim();
  assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/, 'peerhub token prints a JWT');
  return token;
}

async function tryLogin(url, name, token) {
  const [c, reply] = await loginV1(url, name, token === undefined ? {} : { token });
  await c.close();
  return reply;
}

test('--auth-secret: no token, wrong name, expired, wrong secret and alg=none are refused; a minted token works',
  async (t) => {
    const server = await serverFor(t, { args: ['--auth-secret', SECRET, '--log-level', 'debug'] });
    const refusedCases = {
      'no token': undefined,
      'token for another name': mint('bob'),
      'expired token': jwt({ sub: 'alice', iat: now() - 120, exp: now() - 60 }),
      'wrong secret': jwt({ sub: 'alice', exp: now() + 600 }, { secret: 'not-the-secret' }),
      'alg none': jwt({ sub: 'alice', exp: now() + 600 }, { header: { alg: 'none', typ: 'JWT' } }),
      'garbage': 'not.a.token',
    };
    for (const [what, token] of Object.entries(refusedCases)) {
      const reply = await tryLogin(server.wsUrl, 'alice', token);
      assert.equal(reply.success, false, `${what}: ${JSON.stringify(reply)}`);
    }

    const token = mint('alice');
    const ok = await tryLogin(server.wsUrl, 'alice', token);
    assert.equal(ok.success, true, JSON.stringify(ok));
    const independent = await tryLogin(server.wsUrl, 'carol', jwt({ sub: 'carol', iat: now(), exp: now() + 600 }));
    assert.equal(independent.success, true, 'a standard HS256 token from another signer is accepted');

    const log = server.stderr();
    assert.ok(!log.includes(SECRET), 'the secret never appears in the log');
    assert.ok(!log.includes(token), 'tokens never appear in the log');
  });

test('nothing but login is accepted from an unauthenticated connection', async (t) => {
  const server = await serverFor(t, { args: ['--auth-secret', SECRET] });
  const [alice, ok] = await loginV1(server.wsUrl, 'alice', { token: mint('alice') });
  const anon = await connect(server.wsUrl);
  const anon2 = await connect(server.wsUrl);
  t.after(() => closeAll(alice, anon, anon2));
  assert.equal(ok.success, true);
  anon.send({ type: 'offer', name: 'alice', offer: { type: 'offer', sdp: 'v=0' } });
  anon.send({ type: 'offer', offer: { type: 'offer', sdp: 'v=0' } });  // broadcast-demo style
  anon.send({ type: 'SignIn', username: 'mallory', target: null, data: null });
  anon.send({ type: 'StartStreaming', username: 'mallory', target: 'alice', data: null });
  await anon.next((m) => m.type === 'error' || m.success === false);
  await alice.expectNone(() => true, 300);
  await anon2.expectNone((m) => m.type === 'offer', 0);
});

test('PEERHUB_AUTH_SECRET turns auth on too, and `peerhub token` reads it', async (t) => {
  const env = { PEERHUB_AUTH_SECRET: SECRET };
  const server = await serverFor(t, { env });
  assert.equal((await tryLogin(server.wsUrl, 'dave')).success, false);
  const r = runPeerhub(['token', 'dave'], { env });
  assert.equal(r.status, 0, r.stderr);
  assert.equal((await tryLogin(server.wsUrl, 'dave', r.stdout.trim())).success, true);
});

test('a short-lived token stops working once it expires', async (t) => {
  const server = await serverFor(t, { args: ['--auth-secret', SECRET] });
  const token = mint('erin', ['--ttl', '1']);
  await new Promise((r) => setTimeout(r, 2100));
  assert.equal((await tryLogin(server.wsUrl, 'erin', token)).success, false);
});

test('`peerhub token` without a secret refuses with a clear error', () => {
  const r = runPeerhub(['token', 'frank'], { env: { PEERHUB_AUTH_SECRET: '' } });
  assert.notEqual(r.status, 0);
  assert.ok(r.stderr.trim().length > 0, 'says why');
  assert.equal(r.stdout.trim(), '', 'prints no token');
});

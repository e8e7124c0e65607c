// peerhub-cli against peerhub-cli over loopback (peerhub's own WebRTC stack on both ends): through the server's
// signaling, and with no server at all (offer / answer / accept with JSON files). And the mistakes a person makes
// get words and an exit code.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { startCli } from '../lib/cli.mjs';
import { closeAll, loginV1 } from '../lib/client.mjs';
import { freePort, startCoturn } from '../lib/coturn.mjs';
import { serverFor, tempDir } from '../lib/server.mjs';

const sha256 = (b) => createHash('sha256').update(b).digest('hex');

test('send and receive through the server: a 8 MiB file arrives with the same SHA-256 on both ends', async (t) => {
  const server = await serverFor(t);
  const folder = tempDir();
  t.after(folder.remove);
  const content = randomBytes(8 * 1024 * 1024 + 3);
  const file = path.join(folder.dir, 'payload.bin');
  writeFileSync(file, content);
  const inbox = path.join(folder.dir, 'inbox');
  (await import('node:fs')).mkdirSync(inbox);
  const bob = startCli(['receive', '--server', server.wsUrl, '--name', 'bob', '--dir', inbox, '--count', '1'], { t });
  await bob.waitLine(/waiting for a call/);
  const alice = startCli(['send', file, '--to', 'bob', '--server', server.wsUrl, '--name', 'alice'], { t });
  const delivered = await alice.waitLine(/delivered "payload\.bin"/, 60000);
  assert.match(delivered, new RegExp(`${content.length} bytes, sha256 ${sha256(content)} confirmed`));
  await bob.waitLine(new RegExp(`received "payload\\.bin" .*sha256 ${sha256(content)} verified`));
  assert.equal(sha256(readFileSync(path.join(inbox, 'payload.bin'))), sha256(content));
  assert.deepEqual(await alice.exited, { code: 0, signal: null });
  assert.deepEqual(await bob.exited, { code: 0, signal: null });
});

test('relay-only through peerhub\'s TURN: both ends use relayed candidates and a file arrives intact', async (t) => {
  const server = await serverFor(t);
  const folder = tempDir();
  t.after(folder.remove);
  const content = randomBytes(2 * 1024 * 1024);
  const file = path.join(folder.dir, 'relayed.bin');
  writeFileSync(file, content);
  const inbox = path.join(folder.dir, 'inbox');
  (await import('node:fs')).mkdirSync(inbox);
  const bob = startCli(['receive', '--relay', '--server', server.wsUrl, '--name', 'rbob', '--dir', inbox, '--count',
    '1'], { t });
  await bob.waitLine(/waiting for a call/);
  const alice = startCli(['send', file, '--relay', '--to', 'rbob', '--server', server.wsUrl, '--name', 'ralice'],
    { t });
  // The selected pair is relay <-> relay: every packet went through the TURN server.
  assert.match(await alice.waitLine(/^\* path /, 30000), /^\* path relay \S+ <-> relay \S+$/);
  assert.match(await bob.waitLine(/^\* path /, 30000), /^\* path relay \S+ <-> relay \S+$/);
  await alice.waitLine(new RegExp(`delivered "relayed\\.bin": ${content.length} bytes, sha256 ${sha256(content)}`), 60000);
  assert.equal(sha256(readFileSync(path.join(inbox, 'relayed.bin'))), sha256(content));
  assert.deepEqual(await alice.exited, { code: 0, signal: null });
  // The TURN server counted the relayed traffic.
  const metrics = await (await fetch(`${server.url}/metrics`)).text();
  const relayed = /peerhub_turn_relayed_packets_total\S*\s+(\d+)/.exec(metrics);
  assert.ok(relayed && Number(relayed[1]) > 1000, `relayed packets in /metrics: ${relayed?.[1]}`);
});

// A signaling server whose login names one TURN URL and nothing else (a server with TURN on adds its own UDP and
// TCP URLs to every login, so the TURN server is another process), and two relay-only peerhub-cli that send a
// file through it: the path must be relay <-> relay and the file must arrive intact.
async function relayOnlyTransferThrough(t, turnUrl, username, credential) {
  const folder = tempDir();
  t.after(folder.remove);
  const config = path.join(folder.dir, 'signaling.toml');
  writeFileSync(config, `[[signaling.ice_servers]]\nurls = ["${turnUrl}"]\n` +
    `username = "${username}"\ncredential = "${credential}"\n`);
  const server = await serverFor(t, { args: ['--turn', 'off', '--config', config] });
  const [probe, login] = await loginV1(server.wsUrl, 'probe');
  await closeAll(probe);
  assert.deepEqual(login.iceServers, [{ urls: [turnUrl], username, credential }]);

  const content = randomBytes(2 * 1024 * 1024 + 5);
  const file = path.join(folder.dir, 'overtcp.bin');
  writeFileSync(file, content);
  const inbox = path.join(folder.dir, 'inbox');
  mkdirSync(inbox);
  const bob = startCli(['receive', '--relay', '--server', server.wsUrl, '--name', 'tbob', '--dir', inbox, '--count',
    '1'], { t });
  await bob.waitLine(/waiting for a call/);
  const alice = startCli(['send', file, '--relay', '--to', 'tbob', '--server', server.wsUrl, '--name', 'talice'],
    { t });
  assert.match(await alice.waitLine(/^\* path /, 30000), /^\* path relay \S+ <-> relay \S+$/);
  assert.match(await bob.waitLine(/^\* path /, 30000), /^\* path relay \S+ <-> relay \S+$/);
  await alice.waitLine(new RegExp(`delivered "overtcp\\.bin": ${content.length} bytes, sha256 ${sha256(content)}`), 60000);
  await bob.waitLine(new RegExp(`received "overtcp\\.bin" .*sha256 ${sha256(content)} verified`));
  assert.equal(sha256(readFileSync(path.join(inbox, 'overtcp.bin'))), sha256(content));
  assert.deepEqual(await alice.exited, { code: 0, signal: null });
  assert.deepEqual(await bob.exited, { code: 0, signal: null });
}

test('relay-only with TURN over TCP alone: the login names one turn:…?transport=tcp URL and a file arrives through it', async (t) => {
  const relay = await serverFor(t, { args: ['--turn-user', 'tcpuser:tcppass'] });
  const turnAddr = /listening service=turn addr=(\S+)/.exec(relay.stderr())[1];
  await relayOnlyTransferThrough(t, `turn:${turnAddr}?transport=tcp`, 'tcpuser', 'tcppass');

  // The TURN server saw two TCP connections (one per peer: the login named no UDP server), two allocations,
  // and relayed the transfer.
  const metrics = await (await fetch(`${relay.url}/metrics`)).text();
  const value = (re) => Number(re.exec(metrics)?.[1] ?? NaN);
  assert.equal(value(/^peerhub_turn_tcp_accepted_total\s+(\d+)/m), 2, metrics);
  assert.equal(value(/^peerhub_turn_allocations_created_total\s+(\d+)/m), 2, metrics);
  const toClients = value(/^peerhub_turn_relayed_packets_total\{direction="to-client"\}\s+(\d+)/m);
  assert.ok(toClients > 1000, `relayed packets to clients in /metrics: ${toClients}`);
});

test('relay-only with TURN over TCP through coturn: the same transfer, and coturn allocated over two TCP connections', async (t) => {
  const coturn = await startCoturn({ port: await freePort(), users: ['tcpuser:tcppass'], extra: ['--verbose'] });
  t.after(() => coturn.stop('SIGKILL'));
  await relayOnlyTransferThrough(t, `turn:127.0.0.1:${coturn.port}?transport=tcp`, 'tcpuser', 'tcppass');
  // coturn logs each accepted TCP connection, and each allocation under its session.
  const log = coturn.log();
  assert.equal(log.match(/tcp or tls connected to/g)?.length, 2, log);
  assert.equal(log.match(/ALLOCATE processed, success/g)?.length, 2, log);
  assert.match(log, /CHANNEL_BIND processed, success/);
});

test('chat through the server: lines typed on one side are printed on the other, both ways', async (t) => {
  const server = await serverFor(t);
  const bob = startCli(['chat', '--server', server.wsUrl, '--name', 'bob'], { t });
  await bob.waitLine(/waiting for a call/);
  const alice = startCli(['chat', '--server', server.wsUrl, '--name', 'alice', '--call', 'bob'], { t });
  await alice.waitLine(/chat with bob is open/);
  await bob.waitLine(/chat with alice is open/);
  await alice.waitLine(/connection connected/);
  alice.type('hello bob');
  await bob.waitLine(/^<alice> hello bob$/);
  bob.type('hi alice, ünïcødé ✓');
  await alice.waitLine(/^<bob> hi alice, ünïcødé ✓$/);
  // Alice leaves; Bob is told and waits for the next call.
  alice.endInput();
  assert.deepEqual(await alice.exited, { code: 0, signal: null });
  await bob.waitLine(/alice left/);
  assert.ok(bob.lines.filter((l) => /waiting for a call/.test(l)).length >= 1);
});

test('no server: offer, answer and accept with JSON files, then chat and a file', async (t) => {
  const folder = tempDir();
  t.after(folder.remove);
  const a = path.join(folder.dir, 'a.json');
  const b = path.join(folder.dir, 'b.json');
  const control = path.join(folder.dir, 'offer.sock');
  const content = randomBytes(3 * 1024 * 1024);
  const file = path.join(folder.dir, 'notes.bin');
  writeFileSync(file, content);
  const inbox = path.join(folder.dir, 'inbox');
  (await import('node:fs')).mkdirSync(inbox);

  const offerer = startCli(['offer', '--out', a, '--control', control, '--dir', inbox], { t });
  await offerer.waitLine(/wrote the offer/);
  const offer = JSON.parse(readFileSync(a, 'utf8'));
  assert.equal(offer.type, 'offer');
  assert.match(offer.sdp, /a=end-of-candidates/, 'gathering completed before the file was written');
  assert.ok(offer.candidates.length > 0 && offer.candidates.every((c) => c.candidate.startsWith('candidate:')));

  const answerer = startCli(['answer', '--in', a, '--out', b, '--send', file], { t });
  await answerer.waitLine(/wrote the answer/);
  assert.equal(JSON.parse(readFileSync(b, 'utf8')).type, 'answer');
  const accept = startCli(['accept', '--in', b, '--control', control], { t });
  assert.deepEqual(await accept.exited, { code: 0, signal: null }, accept.output());
  await offerer.waitLine(/chat with peer is open/, 20000);
  offerer.type('over the files');
  await answerer.waitLine(/^<peer> over the files$/);
  await offerer.waitLine(new RegExp(`received "notes\\.bin" .*sha256 ${sha256(content)} verified`), 30000);
  await answerer.waitLine(/delivered "notes\.bin"/);
  offerer.type('/quit');
  assert.deepEqual(await offerer.exited, { code: 0, signal: null });
  answerer.endInput();
  await answerer.exited;
});

test('mistakes are said in words with a failing exit code', async (t) => {
  const server = await serverFor(t);
  const folder = tempDir();
  t.after(folder.remove);
  // Calling someone who is not online.
  const lonely = startCli(['chat', '--server', server.wsUrl, '--name', 'lonely', '--call', 'nobody'], { t });
  assert.equal((await lonely.exited).code, 1);
  assert.match(lonely.stderr(), /error: the server says: .*nobody/);
  // A name already taken.
  const first = startCli(['chat', '--server', server.wsUrl, '--name', 'taken'], { t });
  await first.waitLine(/logged in as taken/);
  const second = startCli(['chat', '--server', server.wsUrl, '--name', 'taken'], { t });
  assert.equal((await second.exited).code, 1);
  assert.match(second.stderr(), /the name "taken" is already in use/);
  // A URL that is not a WebSocket URL, and a server that is not there.
  const bad = startCli(['chat', '--server', 'http://127.0.0.1:1/ws', '--name', 'x'], { t });
  assert.equal((await bad.exited).code, 2);
  assert.match(bad.stderr(), /must start with ws:\/\/ or wss:\/\//);
  const away = startCli(['chat', '--server', 'ws://127.0.0.1:1/ws', '--name', 'x'], { t });
  assert.equal((await away.exited).code, 1);
  assert.match(away.stderr(), /cannot connect to 127\.0\.0\.1:1/);
  // Offline: accepting with no offer waiting, and an answer file that is not one.
  const junk = path.join(folder.dir, 'junk.json');
  writeFileSync(junk, '{"type":"offer","sdp":"v=0"}');
  const lost = startCli(['accept', '--in', junk, '--control', path.join(folder.dir, 'none.sock')], { t });
  assert.equal((await lost.exited).code, 1);
  assert.match(lost.stderr(), /holds offer, not an answer/);
  const garbage = path.join(folder.dir, 'garbage.json');
  writeFileSync(garbage, '{"type":"offer","sdp":"v=0\\r\\nnonsense"}');
  const answerer = startCli(['answer', '--in', garbage, '--out', path.join(folder.dir, 'out.json')], { t });
  assert.equal((await answerer.exited).code, 1);
  assert.match(answerer.stderr(), /garbage\.json: the remote offer: line 2/);
  assert.equal(existsSync(path.join(folder.dir, 'out.json')), false);
  first.endInput();
  await first.exited;
});

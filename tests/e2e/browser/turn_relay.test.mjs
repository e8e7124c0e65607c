// Two Chromium pages call each other through peerhub's own TURN relay: the Call page with ?relay=1 (ICE
// transport policy 'relay', so no host or server-reflexive pair may carry the call), the iceServers taken from
// the login answer (REST credentials minted by the server), the server started with TURN on loopback and
// --turn-allow-loopback-peers (both relay addresses are on 127.0.0.1). getStats must show a selected pair of two
// relay candidates, frames must be decoded on both sides, and /metrics must have counted the relayed packets.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPage, screenshot, suiteServerAndBrowser, waitFor } from '../lib/browser.mjs';
import { freePort, relayRange } from '../lib/coturn.mjs';
import { parseMetrics, rawGet, sumMetrics } from '../lib/http.mjs';
import { connectCall, keepsDecoding, loginCall } from '../lib/pages.mjs';

const turnPort = await freePort();
const relay = relayRange();
const suite = suiteServerAndBrowser({
  args: ['--turn', `127.0.0.1:${turnPort}`, '--turn-allow-loopback-peers', '--turn-relay-ports',
    `${relay.min}-${relay.max}`],
});

// In the page: the selected candidate pair of its connection (both candidates' types, addresses and protocols)
// and the connection's ICE transport policy; null until there is one.
async function selectedPairIn() {
  const pc = window.peerhub.pc;
  if (!pc) return null;
  const report = await pc.getStats();
  const byId = new Map();
  report.forEach((s) => byId.set(s.id, s));
  let pair = null;
  report.forEach((s) => {
    if (s.type === 'transport' && s.selectedCandidatePairId) pair = byId.get(s.selectedCandidatePairId);
  });
  if (!pair) return null;
  const side = (c) => c && { type: c.candidateType, address: c.address ?? c.ip, port: c.port, protocol: c.protocol,
    relayProtocol: c.relayProtocol, url: c.url };
  return { state: pair.state, local: side(byId.get(pair.localCandidateId)),
    remote: side(byId.get(pair.remoteCandidateId)), policy: pc.getConfiguration().iceTransportPolicy };
}

async function relayedPackets() {
  const m = parseMetrics((await rawGet(suite.server.port, '/metrics')).text);
  return {
    toPeers: sumMetrics(m, /^peerhub_turn_relayed_packets_total\{direction="to-peer"\}/),
    toClients: sumMetrics(m, /^peerhub_turn_relayed_packets_total\{direction="to-client"\}/),
  };
}

test('a call with iceTransportPolicy relay goes through peerhub\'s TURN: relay pair and decoded video on both sides',
  async (t) => {
    const before = await relayedPackets();
    const url = `${suite.server.url}/call.html?relay=1`;
    const alice = await openPage(suite.browser, url, { name: 'relay-alice', t });
    const bob = await openPage(suite.browser, url, { name: 'relay-bob', t });
    await loginCall(alice, 'relay-alice');
    await loginCall(bob, 'relay-bob');

    // The login answer handed out this server's TURN URL with credentials: nothing in the page or the test
    // hard-codes them.
    for (const page of [alice, bob]) {
      const servers = await page.evaluate(() => window.peerhub.sig.iceServers);
      const turn = servers.filter((s) => [].concat(s.urls).some((u) => u.startsWith('turn:')));
      assert.ok(turn.length > 0, `no turn: URL in the login answer: ${JSON.stringify(servers)}`);
      assert.ok(turn.some((s) => [].concat(s.urls).some((u) => u.startsWith(`turn:127.0.0.1:${turnPort}`))),
        `no turn:127.0.0.1:${turnPort} in ${JSON.stringify(servers)}`);
      for (const s of turn) {
        assert.match(s.username ?? '', /^\d+:/, 'a REST username "<expiry>:<name>"');
        assert.ok((s.credential ?? '').length > 0, 'with a credential');
      }
    }

    await connectCall(alice, bob, 'relay-bob');
    for (const page of [alice, bob]) {
      const pair = await waitFor(page, selectedPairIn, null, { what: 'a selected candidate pair' });
      assert.equal(pair.policy, 'relay', `${page.peerhubName}: the page asked for relay only`);
      assert.equal(pair.local.type, 'relay', `${page.peerhubName}: local candidate ${JSON.stringify(pair.local)}`);
      assert.equal(pair.remote.type, 'relay', `${page.peerhubName}: remote candidate ${JSON.stringify(pair.remote)}`);
      assert.equal(pair.local.address, '127.0.0.1');
      assert.ok(pair.local.port >= relay.min && pair.local.port <= relay.max,
        `${page.peerhubName}: relay port ${pair.local.port} is from --turn-relay-ports ${relay.min}-${relay.max}`);
      assert.ok((await keepsDecoding(page)).flowing, `${page.peerhubName} keeps decoding video`);
    }
    await alice.waitForFunction(() => document.querySelector('#stats').dataset.pairType === 'relay');
    await screenshot(alice, 'call-relay', { fullPage: true });

    const after = await relayedPackets();
    assert.ok(after.toPeers - before.toPeers > 100, `TURN relayed ${after.toPeers - before.toPeers} packets to peers`);
    assert.ok(after.toClients - before.toClients > 100,
      `TURN relayed ${after.toClients - before.toClients} packets to clients`);
  });

// The Broadcast page in real Chromium against the real server: one broadcaster, several watchers, each with its
// own RTCPeerConnection from the broadcaster. Watchers come and go without disturbing the others, a watcher who
// opens the link early gets the picture when the broadcast starts, and a taken broadcast name is said in words.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPage, screenshot, suiteServerAndBrowser, webRoot } from '../lib/browser.mjs';
import { keepsDecoding, waitDecoding, waitNotice, waitState } from '../lib/pages.mjs';
import { startPeerhub } from '../lib/server.mjs';

const WEB = webRoot();
// A watcher page has one connection, to the broadcaster.
const WATCHER_PC = 'window.peerhub.pcs[0]';

const suite = suiteServerAndBrowser();

async function open(t, query, name, base = suite.server.url) {
  return openPage(suite.browser, `${base}/broadcast.html${query}`, { name, t });
}

function waitWatcherDecoding(page, { minFrames = 1, timeout = 20000 } = {}) {
  return waitDecoding(page, { pc: WATCHER_PC, video: '#watch-video', minFrames, timeout });
}

async function startBroadcast(page, name) {
  await page.fill('#broadcast-name', name);
  await page.click('#start-button');
}

async function watchState(page) {
  return page.getAttribute('#watch-status', 'data-state');
}

async function waitWatchState(page, wanted, timeout = 15000) {
  await page.waitForFunction((w) => document.querySelector('#watch-status')?.dataset.state === w, wanted,
    { timeout });
}

async function waitWatcherCount(page, count, timeout = 15000) {
  await page.waitForFunction((n) => document.querySelector('#watcher-count').dataset.count === String(n), count,
    { timeout });
}

test('one broadcaster and three watchers all decode; a watcher leaving does not disturb the others',
  async (t) => {
    const broadcaster = await open(t, '', 'broadcaster');
    await startBroadcast(broadcaster, 'town-hall');
    await waitState(broadcaster, 'broadcasting');
    assert.match(await broadcaster.getAttribute('#watch-link', 'href'), /\/broadcast\.html\?watch=town-hall$/);

    const watchers = [];
    for (let i = 1; i <= 3; i++) watchers.push(await open(t, '?watch=town-hall', `watcher${i}`));
    await waitWatcherCount(broadcaster, 3);
    await Promise.all(watchers.map((w) => waitWatcherDecoding(w)));
    for (const w of watchers) {
      assert.equal(await watchState(w), 'live');
      // Watchers connect to the broadcaster only, never to each other.
      assert.equal(await w.evaluate(() => window.peerhub.pcs.length), 1);
    }
    // Fan-out: the broadcaster holds one connection per watcher, and lists each by name.
    assert.equal(await broadcaster.evaluate(() => window.peerhub.pcs.length), 3);
    const names = await broadcaster.$$eval('#watchers li[data-name]', (items) => items.map((li) => li.dataset.name));
    const watcherNames = await Promise.all(watchers.map((w) => w.textContent('#watcher-name')));
    assert.deepEqual(names.sort(), watcherNames.sort());
    await screenshot(broadcaster, 'broadcast');
    await screenshot(watchers[0], 'broadcast-watcher');

    // One watcher closes its tab: the broadcaster counts two, and the other two keep receiving.
    await watchers[1].context().close();
    await waitWatcherCount(broadcaster, 2, 10000);
    assert.equal(await broadcaster.evaluate(() => window.peerhub.pcs.length), 2);
    const remaining = await Promise.all([watchers[0], watchers[2]].map((w) => keepsDecoding(w, { pc: WATCHER_PC })));
    for (const { before: was, after: now, flowing } of remaining) {
      assert.ok(flowing, `a remaining watcher keeps decoding (${was} → ${now} frames)`);
    }
  });

test('a watcher who opens the link before the broadcast starts gets it; stop and a new start are followed',
  async (t) => {
    const early = await open(t, '?watch=early-bird', 'early');
    await waitWatchState(early, 'waiting');
    assert.match(await early.textContent('#watch-text'), /waiting for the broadcast/i);

    const broadcaster = await open(t, '', 'broadcaster');
    await startBroadcast(broadcaster, 'early-bird');
    await waitWatcherDecoding(early);
    await waitWatcherCount(broadcaster, 1);

    // A second broadcaster cannot take the same name, and is told why.
    const rival = await open(t, '', 'rival');
    await startBroadcast(rival, 'early-bird');
    await waitNotice(rival, /already live/);
    assert.equal(await rival.evaluate(() => document.body.dataset.state), 'choose');

    await broadcaster.click('#stop');
    await waitWatchState(early, 'ended', 10000);
    assert.match(await early.textContent('#watch-text'), /broadcast ended/i);
    // Stopping turns the camera off.
    assert.equal(await broadcaster.evaluate(() => document.querySelector('#preview').srcObject), null);

    // The same name is free again, and the waiting watcher picks the new broadcast up by itself.
    await startBroadcast(rival, 'early-bird');
    await waitState(rival, 'broadcasting');
    await waitWatchState(early, 'live');
    await waitWatcherDecoding(early);
    assert.ok((await keepsDecoding(early, { pc: WATCHER_PC })).flowing, 'the watcher decodes the new broadcast');

    // Leave: the broadcaster's count drops at once.
    await waitWatcherCount(rival, 1);
    await early.click('#leave');
    await waitWatcherCount(rival, 0, 5000);
  });

test('the server restarts mid-broadcast: the picture goes on, both sides rejoin, a new watcher gets it',
  async (t) => {
    let restarted = await startPeerhub({ args: ['--web', WEB] });
    const { port } = restarted;
    t.after(() => restarted.stop('SIGKILL'));
    const openHere = (query, name) => open(t, query, name, restarted.url);
    const broadcaster = await openHere('', 'broadcaster');
    await startBroadcast(broadcaster, 'night-show');
    const first = await openHere('?watch=night-show', 'first');
    await waitWatcherDecoding(first);
    // Marks this connection, to tell afterwards that it is the same one rather than a new one.
    await first.evaluate(() => { window.peerhub.pcs[0].beforeRestart = true; });

    await restarted.stop('SIGTERM');
    await broadcaster.waitForFunction(() => document.querySelector('#conn-status').dataset.state === 'reconnecting',
      null, { timeout: 10000 });
    // The media does not go through the server: it keeps flowing while signaling is down.
    const down = await keepsDecoding(first, { pc: WATCHER_PC });
    assert.ok(down.flowing, `decoding while the server is down (${down.before} → ${down.after} frames)`);
    restarted = await startPeerhub({ http: false, args: ['--http', `127.0.0.1:${port}`, '--web', WEB] });

    for (const page of [broadcaster, first]) {
      await page.waitForFunction(() => document.querySelector('#conn-status').dataset.state === 'ready', null,
        { timeout: 20000 });
    }
    // Both rejoined the room: the broadcaster lists the first watcher again, on the connection it already had.
    await waitWatcherCount(broadcaster, 1);
    await broadcaster.waitForSelector('#watchers li[data-state="connected"]', { timeout: 10000 });
    assert.equal(await first.evaluate(() => window.peerhub.pcs[0].beforeRestart), true, 'the same connection');
    assert.equal(await watchState(first), 'live');

    const second = await openHere('?watch=night-show', 'second');
    await waitWatcherDecoding(second);
    await waitWatcherCount(broadcaster, 2);
    assert.ok((await keepsDecoding(first, { pc: WATCHER_PC, ms: 1000 })).flowing, 'the first still decodes');
  });

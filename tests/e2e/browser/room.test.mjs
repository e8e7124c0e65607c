// The Room page in real Chromium against the real server: three people in one room see and hear each other
// with their names under the tiles, chat through the room, and one leaving disturbs no one else — and a room
// that is full says so in the page, whether the page's own limit of six or the server's members_per_room.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPage, screenshot, suiteServerAndBrowser, webRoot } from '../lib/browser.mjs';
import { loginV1 } from '../lib/client.mjs';
import { audioPacketsReceived, keepsDecoding, sendChat, waitDecoding, waitNotice, waitState } from '../lib/pages.mjs';
import { startPeerhub } from '../lib/server.mjs';

const WEB = webRoot();
const suite = suiteServerAndBrowser();

// The page's connection to `other`, as an expression evaluated in the page (for pages.mjs).
const linkTo = (other) => `window.peerhub.links.get(${JSON.stringify(other)})?.pc`;
const tile = (name) => `.tile[data-name="${name}"]`;

// Waits until the page decodes `other`'s video (getStats of the link to them) and shows it in their tile.
function waitSeeing(page, other) {
  return waitDecoding(page, { pc: linkTo(other), video: `${tile(other)} video` });
}

function openRoom(t, name, url) {
  return openPage(suite.browser, url, { name, t });
}

async function join(page, name) {
  await page.fill('#name', name);
  await page.click('#join-button');
  await waitState(page, 'inroom');
}

// The names under the tiles, in page order.
function tileNames(page) {
  return page.$$eval('.tile .name', (labels) => labels.map((l) => l.textContent));
}

// The room chat's lines from others: [who, text].
function theirLines(page) {
  return page.$$eval('#chat .chat-log li.theirs',
    (items) => items.map((li) => [li.querySelector('.who').textContent, li.querySelector('.text').textContent]));
}

function systemLines(page) {
  return page.$$eval('#chat .chat-log li.system', (items) => items.map((li) => li.textContent));
}

test('three people in a room see and hear each other, chat with names, and one leaving disturbs no one',
  async (t) => {
    const url = `${suite.server.url}/room.html?room=standup`;
    const people = ['ann', 'bob', 'cat'];
    const pages = {};
    for (const name of people) {
      pages[name] = await openRoom(t, name, url);
      assert.equal(await pages[name].inputValue('#room'), 'standup', 'the link fills in the room');
      await join(pages[name], name);
    }

    // Every page decodes both others' video, shows it in their tile, and receives their sound.
    await Promise.all(people.flatMap((me) => people.filter((o) => o !== me).map((other) =>
      waitSeeing(pages[me], other))));
    for (const me of people) {
      const others = people.filter((o) => o !== me);
      assert.deepEqual(await tileNames(pages[me]), [`${me} (you)`, ...others], `${me} sees everyone by name`);
      assert.equal(await pages[me].textContent('#people-count'), '3');
      for (const other of others) {
        assert.ok(await audioPacketsReceived(pages[me], linkTo(other)) > 0, `${other}'s sound reaches ${me}`);
      }
    }
    assert.match(await pages.ann.inputValue('#share-link'), /\/room\.html\?room=standup$/);

    // Room chat: one message reaches both others with the sender's name; joins are announced.
    await sendChat(pages.bob, 'hello room');
    for (const name of ['ann', 'cat']) {
      await pages[name].waitForFunction(() => document.querySelector('#chat li.theirs .text')?.textContent === 'hello room');
      assert.deepEqual(await theirLines(pages[name]), [['bob', 'hello room']]);
    }
    assert.deepEqual(await theirLines(pages.bob), [], 'bob sees his own message as his, not twice');
    assert.ok((await systemLines(pages.ann)).includes('cat joined.'));

    // Cat mutes: the others see it on cat's tile.
    await pages.cat.click('#mute');
    for (const name of ['ann', 'bob']) {
      await pages[name].waitForFunction((sel) => /muted/.test(document.querySelector(sel).textContent),
        `${tile('cat')} .badge`);
    }
    await screenshot(pages.ann, 'room', { fullPage: true });

    // Cat leaves: cat's camera stops and its links close; the others drop cat's tile and keep decoding each other.
    await pages.cat.click('#leave');
    await waitState(pages.cat, 'form');
    assert.deepEqual(await pages.cat.evaluate(() => ({
      links: window.peerhub.links.size, stream: window.peerhub.page.stream, tiles: window.peerhub.tiles.size,
    })), { links: 0, stream: null, tiles: 0 });
    for (const [me, other] of [['ann', 'bob'], ['bob', 'ann']]) {
      await pages[me].waitForSelector(tile('cat'), { state: 'detached', timeout: 10000 });
      assert.deepEqual(await tileNames(pages[me]), [`${me} (you)`, other]);
      assert.equal(await pages[me].textContent('#people-count'), '2');
      assert.ok((await systemLines(pages[me])).includes('cat left.'));
      assert.ok((await keepsDecoding(pages[me], { pc: linkTo(other) })).flowing, `${me} keeps decoding ${other}`);
    }
  });

test('a full room is refused in words: six people already there, or the server\'s own limit', async (t) => {
  // Six people (plain WebSocket clients) are in "crowded": a seventh page joins, says so, and leaves again.
  const bots = [];
  t.after(() => bots.forEach((c) => c.close()));
  for (let i = 0; i < 6; i++) {
    const [bot] = await loginV1(suite.server.wsUrl, `crowd-${i}`);
    bot.send({ type: 'join', room: 'crowded' });
    await bot.next({ type: 'joined' });
    bots.push(bot);
  }
  const zed = await openRoom(t, 'zed', `${suite.server.url}/room.html?room=crowded`);
  await zed.fill('#name', 'zed');
  await zed.click('#join-button');
  assert.match(await waitNotice(zed, /full/), /already has 6 people.*at most 6/);
  await waitState(zed, 'form');
  await bots[0].next({ type: 'peer-left', room: 'crowded', name: 'zed' }, 5000);
  assert.equal(await zed.evaluate(() => window.peerhub.page.stream), null, 'the camera is released');

  // A server that allows two members per room: the page shows the server's error.
  const small = await startPeerhub({ args: ['--web', WEB, '--members-per-room', '2'] });
  t.after(() => small.stop('SIGKILL'));
  for (const name of ['one', 'two']) {
    const [bot] = await loginV1(small.wsUrl, name);
    bot.send({ type: 'join', room: 'pair' });
    await bot.next({ type: 'joined' });
    bots.push(bot);
  }
  const yan = await openRoom(t, 'yan', `${small.url}/room.html?room=pair`);
  await yan.fill('#name', 'yan');
  await yan.click('#join-button');
  assert.match(await waitNotice(yan, /full/), /at most 2 members/);
  await waitState(yan, 'form');

  // A name already in use is refused at login.
  await yan.fill('#name', 'one');
  await yan.click('#join-button');
  assert.match(await waitNotice(yan, /already in use/), /“one”/);
  await waitState(yan, 'form');
});

test('without a camera the page says why in words and still joins, to see and hear the others', async (t) => {
  const url = `${suite.server.url}/room.html?room=nocam`;
  const gus = await openRoom(t, 'gus', url);
  await join(gus, 'gus');
  // Fay's browser refuses the camera and microphone, as when the person clicks "Block".
  const fay = await openRoom(t, 'fay', url);
  await fay.context().addInitScript(() => {
    navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('denied', 'NotAllowedError'));
  });
  await fay.reload();
  await join(fay, 'fay');
  assert.match(await waitNotice(fay, /denied/), /Permission to use the camera or microphone was denied.*still join/);
  await waitSeeing(fay, 'gus');
  assert.equal(await fay.isDisabled('#mute'), true, 'nothing to mute');
  await gus.waitForSelector(tile('fay'));
  assert.deepEqual(await tileNames(gus), ['gus (you)', 'fay']);
});

test('the room outlives signaling trouble: a server restart keeps the links, a dropped connection is rebuilt',
  async (t) => {
    let own = await startPeerhub({ args: ['--web', WEB] });
    const { port } = own;
    t.after(() => own.stop('SIGKILL'));
    const url = `${own.url}/room.html?room=steady`;
    const dan = await openRoom(t, 'dan', url);
    const eve = await openRoom(t, 'eve', url);
    await join(dan, 'dan');
    await join(eve, 'eve');
    const pair = [[dan, 'eve'], [eve, 'dan']];
    await Promise.all(pair.map(([page, other]) => waitSeeing(page, other)));
    // Mark each page's connection, to tell later whether it is still the same one.
    for (const [page, other] of pair) await page.evaluate((o) => { window.peerhub.links.get(o).pc.mark = 1; }, other);

    await own.stop('SIGKILL');
    await dan.waitForTimeout(1000);
    own = await startPeerhub({ http: false, args: ['--http', `127.0.0.1:${port}`, '--web', WEB] });
    // Both pages rejoin by themselves: the room chat reaches the other side again.
    await sendChatWhenJoined(dan, eve, 'dan', 'back again');
    for (const [page, other] of pair) {
      assert.equal(await page.evaluate((o) => window.peerhub.links.get(o)?.pc.mark, other), 1,
        'the same connection carried on');
      const decoding = await keepsDecoding(page, { pc: linkTo(other) });
      assert.ok(decoding.flowing, `still decoding ${other} after the restart: ${JSON.stringify(decoding)}`);
      assert.equal(await page.evaluate(() => document.body.dataset.state), 'inroom');
    }

    // Only dan's signaling connection drops: the server tells eve that dan left, so eve closes her link; dan
    // reconnects, rejoins, and the two build a new connection.
    await dan.evaluate(() => window.peerhub.sig.ws.close());
    await eve.waitForFunction(() => [...document.querySelectorAll('#chat li.system')]
      .some((li) => li.textContent === 'dan left.'), null, { timeout: 10000 });
    await Promise.all(pair.map(([page, other]) => page.waitForFunction(
      (o) => window.peerhub.links.get(o) && window.peerhub.links.get(o).pc.mark === undefined, other,
      { timeout: 20000 })));
    await Promise.all(pair.map(([page, other]) => waitSeeing(page, other)));
    assert.deepEqual(await tileNames(eve), ['eve (you)', 'dan']);
  });

// Sends a room message from `from` until `to` shows it: right after a server restart the page may not have
// rejoined yet (the server then refuses it), so each try waits a little for the other side.
async function sendChatWhenJoined(from, to, fromName, text) {
  for (let attempt = 0; attempt < 20; attempt++) {
    await sendChat(from, text);
    try {
      await to.waitForFunction(([who, t]) => [...document.querySelectorAll('#chat li.theirs')].some((li) =>
        li.querySelector('.who').textContent === who && li.querySelector('.text').textContent === t),
      [fromName, text], { timeout: 1000 });
      return;
    } catch {
      // not yet
    }
  }
  assert.fail(`${fromName}'s message never reached the other page after the restart`);
}

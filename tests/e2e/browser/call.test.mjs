// The Call page in real Chromium against the real server: two people call each other, talk, chat, send a file,
// share a screen, record, and hang up — and the ways a call does not happen (declined, busy, offline, name
// taken, the other tab closed) say so in the page.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPage, screenshot, suiteServerAndBrowser } from '../lib/browser.mjs';
import {
  audioPacketsReceived, connectCall, downloadedSha256, framesDecoded, keepsDecoding, loginCall, placeCall,
  sendChat, sha256, waitChat, waitDecoding, waitNotice, waitState,
} from '../lib/pages.mjs';

const suite = suiteServerAndBrowser();

async function twoPeople(t, a, b) {
  const pa = await openPage(suite.browser, `${suite.server.url}/call.html`, { name: a, t });
  const pb = await openPage(suite.browser, `${suite.server.url}/call.html`, { name: b, t });
  await loginCall(pa, a);
  await loginCall(pb, b);
  return [pa, pb];
}

test('a call: both sides decode video, audio arrives, chat both ways, a file arrives intact, hang-up ends both',
  async (t) => {
    const [alice, bob] = await twoPeople(t, 'alice', 'bob');
    // Bob sees Alice in the list of people online.
    await bob.waitForSelector('#people li[data-name="alice"]', { timeout: 10000 });
    await placeCall(alice, bob, 'bob');
    assert.equal(await bob.textContent('#caller-name'), 'alice');
    await bob.click('#accept');
    await Promise.all([waitDecoding(alice), waitDecoding(bob)]);
    assert.ok((await keepsDecoding(alice)).flowing, 'alice keeps decoding bob');
    assert.ok(await audioPacketsReceived(alice) > 0, 'audio from bob reaches alice');
    assert.ok(await audioPacketsReceived(bob) > 0, 'audio from alice reaches bob');

    await sendChat(alice, 'hello bob');
    await waitChat(bob, 'hello bob');
    await sendChat(bob, 'hi alice');
    await waitChat(alice, 'hi alice');

    const content = Buffer.alloc(2 * 1024 * 1024 + 12345);
    for (let i = 0; i < content.length; i++) content[i] = (i * 2654435761) >>> 24;
    await alice.setInputFiles('#file-input', { name: 'report.bin', mimeType: 'application/octet-stream',
      buffer: content });
    await bob.waitForSelector('#chat a.download[download="report.bin"]', { timeout: 30000 });
    assert.equal(await downloadedSha256(bob, 'report.bin'), sha256(content), 'the saved file has the same SHA-256');
    await alice.waitForSelector('.transfer[data-state=done]', { timeout: 10000 });
    assert.equal(await alice.getAttribute('.transfer[data-state=done]', 'data-sha256'), sha256(content));

    // The stats panel shows the selected pair (host candidates on loopback) and decoded frames.
    await alice.waitForFunction(() => document.querySelector('#stats').dataset.pairType === 'host');
    await screenshot(alice, 'call', { fullPage: true });

    await alice.click('#hangup');
    await waitState(alice, 'idle');
    await waitState(bob, 'idle');
    assert.match(await waitNotice(bob, /alice hung up/), /alice hung up/);
    // The camera is released on both sides.
    for (const page of [alice, bob]) {
      assert.equal(await page.evaluate(() => window.peerhub.media.active), false);
      assert.equal(await page.evaluate(() => document.querySelector('#local-video').srcObject), null);
    }
  });

test('declining a call tells the caller, and both are free again', async (t) => {
  const [carol, dave] = await twoPeople(t, 'carol', 'dave');
  await placeCall(carol, dave, 'dave');
  await dave.click('#decline');
  assert.match(await waitNotice(carol, /declined/), /dave declined the call/);
  await waitState(carol, 'idle');
  await waitState(dave, 'idle');
  // Declined calls leave both able to call again.
  await connectCall(dave, carol, 'carol');
});

test('closing one tab ends the call on the other', async (t) => {
  const [erin, frank] = await twoPeople(t, 'erin', 'frank');
  await connectCall(erin, frank, 'frank');
  await frank.close();
  await waitState(erin, 'idle');
  assert.match(await waitNotice(erin, /frank/), /frank hung up/);
});

test('a busy callee, an offline name and a taken name are explained in words', async (t) => {
  const [gina, hank] = await twoPeople(t, 'gina', 'hank');
  const ivan = await openPage(suite.browser, `${suite.server.url}/call.html`, { name: 'ivan', t });
  await loginCall(ivan, 'ivan');
  await connectCall(gina, hank, 'hank');

  await ivan.fill('#callee', 'gina');
  await ivan.click('#call-form button');
  assert.match(await waitNotice(ivan, /busy/), /gina is busy/);
  await waitState(ivan, 'idle');
  assert.equal(await gina.evaluate(() => document.body.dataset.state), 'incall', 'gina stays in her call');

  await ivan.fill('#callee', 'nobody-here');
  await ivan.click('#call-form button');
  assert.match(await waitNotice(ivan, /not online/), /nobody-here is not online/);

  const second = await openPage(suite.browser, `${suite.server.url}/call.html`, { name: 'second-ivan', t });
  await second.fill('#name', 'ivan');
  await second.click('#login-button');
  assert.match(await waitNotice(second, /already in use/), /“ivan” is already in use/);
  assert.equal(await second.evaluate(() => document.body.dataset.state), 'login');
});

test('screen sharing replaces the outgoing video without renegotiating; the far side keeps decoding', async (t) => {
  const [jane, kyle] = await twoPeople(t, 'jane', 'kyle');
  await connectCall(jane, kyle, 'kyle');
  const senderLabel = () => jane.evaluate(() => window.peerhub.media.senders.video.track.label);
  const cameraLabel = await senderLabel();
  const offers = () => jane.evaluate(() => window.peerhub.pc.localDescription.sdp);
  const sdpBefore = await offers();

  await jane.click('#share');
  await jane.waitForFunction(() => document.querySelector('#share').getAttribute('aria-pressed') === 'true');
  const shareLabel = await senderLabel();
  assert.notEqual(shareLabel, cameraLabel, 'the sender now carries the shared screen');
  assert.equal(await jane.evaluate(() =>
    window.peerhub.media.senders.video.track.getSettings().displaySurface !== undefined), true);
  assert.ok((await keepsDecoding(kyle)).flowing, 'kyle keeps decoding while jane shares');
  assert.equal(await offers(), sdpBefore, 'no renegotiation happened');

  // The browser's own "stop sharing" ends the track: the camera comes back.
  await jane.evaluate(() => {
    const track = window.peerhub.media.screenTrack;
    track.stop();
    track.dispatchEvent(new Event('ended'));
  });
  await jane.waitForFunction(() => document.querySelector('#share').getAttribute('aria-pressed') === 'false');
  assert.equal(await senderLabel(), cameraLabel, 'the camera is sent again');
  assert.ok((await keepsDecoding(kyle)).flowing, 'kyle still decodes after sharing stopped');
});

test('recording the other side gives a WebM file the page plays back', async (t) => {
  const [lena, mike] = await twoPeople(t, 'lena', 'mike');
  await connectCall(lena, mike, 'mike');
  const type = await lena.inputValue('#rec-type');
  assert.match(type, /^video\/webm/);
  await lena.selectOption('#rec-source', 'remote');
  await lena.click('#rec-start');
  await lena.waitForTimeout(2500);
  await lena.click('#rec-stop');
  const playback = lena.locator('#recordings video.playback').first();
  await playback.waitFor({ timeout: 10000 });
  const result = await lena.evaluate(async () => {
    const video = document.querySelector('#recordings video.playback');
    const blob = await (await fetch(video.src)).blob();
    const head = new Uint8Array(await blob.slice(0, 4).arrayBuffer());
    await new Promise((resolve, reject) => {
      if (video.readyState >= 1) return resolve();
      video.onloadedmetadata = resolve;
      video.onerror = () => reject(new Error('the recording does not play'));
    });
    video.muted = true;
    await video.play();
    await new Promise((r) => setTimeout(r, 500));
    const link = document.querySelector('#recordings a.download');
    return { size: blob.size, type: blob.type, ebml: Array.from(head), width: video.videoWidth,
      time: video.currentTime, name: link.download };
  });
  assert.ok(result.size > 10000, `a non-empty recording (${result.size} bytes)`);
  assert.match(result.type, /^video\/webm/);
  assert.deepEqual(result.ebml, [0x1a, 0x45, 0xdf, 0xa3], 'a WebM (EBML) file');
  assert.ok(result.width > 0, 'the recording has a picture');
  assert.ok(result.time > 0, 'the recording plays');
  assert.match(result.name, /^peerhub-them-\d{8}-\d{6}\.webm$/);
});

test('effects, snapshot and a lower resolution during a call', async (t) => {
  const [nina, otto] = await twoPeople(t, 'nina', 'otto');
  await connectCall(nina, otto, 'otto');
  await nina.selectOption('#effect', 'grayscale');
  // The sender now carries the canvas that applies the effect, not the camera itself.
  await nina.waitForFunction(() => window.peerhub.media.senders.video.track !== window.peerhub.media.cameraTrack);
  assert.ok((await keepsDecoding(otto)).flowing, 'otto decodes the effect stream');

  const download = nina.waitForEvent('download');
  await nina.click('#snapshot');
  const file = await download;
  assert.match(file.suggestedFilename(), /^peerhub-snapshot-\d{8}-\d{6}\.png$/);
  const png = await nina.evaluate(async () => {
    const link = document.querySelector('#snapshots a');
    return Array.from(new Uint8Array(await (await (await fetch(link.href)).blob()).slice(0, 8).arrayBuffer()));
  });
  assert.deepEqual(png, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG');

  await nina.selectOption('#effect', 'none');
  await nina.selectOption('#resolution', '320x240');
  await otto.waitForFunction(() => document.querySelector('#remote-video').videoWidth === 320, null,
    { timeout: 15000 });
  assert.ok((await keepsDecoding(otto)).flowing);
});

test('an ICE restart renegotiates in place and media keeps flowing', async (t) => {
  const [pete, quin] = await twoPeople(t, 'pete', 'quin');
  await connectCall(pete, quin, 'quin');
  const ufrag = (page) => page.evaluate(() => /a=ice-ufrag:(\S+)/.exec(window.peerhub.pc.localDescription.sdp)[1]);
  const before = await ufrag(pete);
  await pete.evaluate(() => window.peerhub.call.link.restartIce());
  await pete.waitForFunction((old) => !window.peerhub.pc.localDescription.sdp.includes(`a=ice-ufrag:${old}`),
    before, { timeout: 10000 });
  await pete.waitForFunction(() => window.peerhub.pc.connectionState === 'connected', null, { timeout: 10000 });
  assert.notEqual(await ufrag(pete), before, 'new ICE credentials');
  assert.ok((await keepsDecoding(quin)).flowing);
  assert.ok((await keepsDecoding(pete)).flowing);
  assert.ok(await framesDecoded(pete) > 0);
});

test('an unanswered call gives up after the ring time and tells both sides', async (t) => {
  const uma = await openPage(suite.browser, `${suite.server.url}/call.html?ring=2`, { name: 'uma', t });
  const vic = await openPage(suite.browser, `${suite.server.url}/call.html`, { name: 'vic', t });
  await loginCall(uma, 'uma');
  await loginCall(vic, 'vic');
  await placeCall(uma, vic, 'vic');
  assert.match(await waitNotice(uma, /did not answer/), /vic did not answer/);
  await waitState(uma, 'idle');
  // The callee's "is calling" goes away when the caller gives up.
  await waitState(vic, 'idle');
  assert.match(await waitNotice(vic, /before you answered/), /uma hung up before you answered/);
});

test('camera, microphone and frame rate switched during a call replace the sent tracks', async (t) => {
  const [walt, xena] = await twoPeople(t, 'walt', 'xena');
  await connectCall(walt, xena, 'xena');
  const cameras = await walt.evaluate(() => [...document.querySelectorAll('#camera-select option')].map((o) => o.value));
  const mics = await walt.evaluate(() => [...document.querySelectorAll('#mic-select option')].map((o) => o.value));
  assert.ok(cameras.length >= 1 && mics.length >= 1, 'devices are listed from enumerateDevices()');
  const sent = () => walt.evaluate(() => ({
    video: window.peerhub.media.senders.video.track.id, audio: window.peerhub.media.senders.audio.track.id,
  }));
  const before = await sent();
  await walt.selectOption('#camera-select', cameras.at(-1));
  await walt.waitForFunction((id) => window.peerhub.media.senders.video.track.id !== id, before.video);
  await walt.selectOption('#mic-select', mics.at(-1));
  await walt.waitForFunction((id) => window.peerhub.media.senders.audio.track.id !== id, before.audio);
  assert.ok((await keepsDecoding(xena)).flowing, 'xena decodes the new camera');
  const audioBefore = await audioPacketsReceived(xena);
  await xena.waitForTimeout(1000);
  assert.ok(await audioPacketsReceived(xena) > audioBefore, 'xena receives audio from the new microphone');

  await walt.selectOption('#fps', '15');
  await walt.waitForFunction(() => window.peerhub.media.cameraTrack.getSettings().frameRate <= 15.5, null,
    { timeout: 10000 });
  assert.ok((await keepsDecoding(xena)).flowing);
});

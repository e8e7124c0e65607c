// What a person does on peerhub's pages, as steps for the browser tests, and what they would see, read from the
// page (the DOM, and getStats() of the page's own RTCPeerConnections through window.peerhub).
import { createHash } from 'node:crypto';
import { waitFor } from './browser.mjs';

// Inbound media on an RTCPeerConnection of the page, as getStats() reports it: video frames decoded and audio
// packets received. `pc` is an expression evaluated in the page (default: the Call page's current connection).
async function inboundIn([pcExpression, videoSelector]) {
  // eslint-disable-next-line no-new-func
  const pc = new Function(`return (${pcExpression});`)();
  const out = { frames: 0, audioPackets: 0, videoWidth: 0 };
  const video = videoSelector ? document.querySelector(videoSelector) : null;
  out.videoWidth = video?.videoWidth ?? 0;
  if (!pc) return out;
  (await pc.getStats()).forEach((s) => {
    if (s.type !== 'inbound-rtp') return;
    if (s.kind === 'video') out.frames += s.framesDecoded || 0;
    else if (s.kind === 'audio') out.audioPackets += s.packetsReceived || 0;
  });
  return out;
}

export async function inbound(page, pc = 'window.peerhub.pc', video = null) {
  return page.evaluate(inboundIn, [pc, video]);
}

export async function framesDecoded(page, pc) {
  return (await inbound(page, pc)).frames;
}

export async function audioPacketsReceived(page, pc) {
  return (await inbound(page, pc)).audioPackets;
}

// Waits until `pc` has decoded at least `minFrames` and the <video> matching `video` shows a picture.
export async function waitDecoding(page, { pc = 'window.peerhub.pc', video = '#remote-video', minFrames = 1,
  timeout = 20000 } = {}) {
  const checkIn = async ([source, args, min]) => {
    // eslint-disable-next-line no-new-func
    const read = new Function(`return (${source});`)();
    const r = await read(args);
    return r.frames >= min && r.videoWidth > 0 ? r : null;
  };
  return waitFor(page, checkIn, [inboundIn.toString(), [pc, video], minFrames],
    { timeout, what: `decoded video from ${pc} shown in ${video}` });
}

// Frames decoded now, and again after `ms`: the second must be larger for media to be still flowing.
export async function keepsDecoding(page, { pc, ms = 1500 } = {}) {
  const before = await framesDecoded(page, pc);
  await page.waitForTimeout(ms);
  const after = await framesDecoded(page, pc);
  return { before, after, flowing: after > before };
}

export async function loginCall(page, name) {
  await page.fill('#name', name);
  await page.click('#login-button');
  await page.waitForFunction(() => document.body.dataset.state === 'idle', null, { timeout: 10000 });
}

export async function state(page) {
  return page.evaluate(() => document.body.dataset.state);
}

export async function waitState(page, wanted, timeout = 15000) {
  await page.waitForFunction((w) => document.body.dataset.state === w, wanted, { timeout });
}

export async function notice(page) {
  return page.evaluate(() => {
    const box = document.querySelector('#notice');
    return box && !box.hidden ? box.querySelector('.notice-text')?.textContent ?? '' : '';
  });
}

export async function waitNotice(page, pattern, timeout = 10000) {
  await page.waitForFunction((source) => {
    const box = document.querySelector('#notice');
    const text = box && !box.hidden ? box.textContent : '';
    return new RegExp(source, 'i').test(text);
  }, pattern.source, { timeout });
  return notice(page);
}

export async function placeCall(caller, callee, calleeName) {
  await caller.fill('#callee', calleeName);
  await caller.click('#call-form button');
  await waitState(callee, 'ringing');
}

// caller calls callee and callee accepts; resolves when both decode each other's video.
export async function connectCall(caller, callee, calleeName) {
  await placeCall(caller, callee, calleeName);
  await callee.click('#accept');
  await Promise.all([waitDecoding(caller), waitDecoding(callee)]);
}

export async function sendChat(page, text) {
  await page.waitForFunction(() => !document.querySelector('#chat input[name=text]').disabled, null,
    { timeout: 10000 });
  await page.fill('#chat input[name=text]', text);
  await page.press('#chat input[name=text]', 'Enter');
}

export async function waitChat(page, text, timeout = 10000) {
  await page.waitForFunction((t) => [...document.querySelectorAll('#chat .chat-log li.theirs .text')]
    .some((n) => n.textContent === t), text, { timeout });
}

export function sha256(buffer) {
  return createHash('sha256').update(buffer).digest('hex');
}

// The SHA-256 of the bytes behind the receiver's download link for `name` (what "Save" would write).
export async function downloadedSha256(page, name) {
  return page.evaluate(async (n) => {
    const link = [...document.querySelectorAll('#chat a.download')].find((a) => a.download === n);
    if (!link) return null;
    const bytes = await (await fetch(link.href)).arrayBuffer();
    const digest = await crypto.subtle.digest('SHA-256', bytes);
    return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
  }, name);
}

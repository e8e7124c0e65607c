// Captures real Chromium SDP for the SDP parser's test vectors (tests/unit/sdp_*_test.cpp). Run once, by hand,
// inside a network namespace that has only loopback, so the only candidates gathered are 127.0.0.1 / ::1:
//
//   unshare -n sh -c 'ip link set lo up && node tests/unit/sdp_vectors/capture_chromium.mjs tests/unit/sdp_vectors'
//
// Every run draws new ICE credentials, fingerprints and ids, and the unit tests check those of the committed
// files: to add one capture without changing the others, name it after the folder (e.g. `... sdp_vectors
// chromium_answer_to_peerhub.sdp`).
//
// Writes, with CRLF line ends exactly as Chromium produced them:
//   chromium_offer_datachannel.sdp   createOffer() with one data channel, before any candidate
//   chromium_offer_av_data.sdp       createOffer() with the fake camera + microphone and a data channel
//   chromium_answer_av_data.sdp      a second page's createAnswer() to that offer
//   chromium_offer_candidates.sdp    localDescription of a data-channel offer once ICE gathering completed
//   chromium_answer_candidates.sdp   localDescription of the answer to it once gathering completed
//   chromium_answer_rejected.sdp     createAnswer() to that offer with audio and video left no codec in common
//                                    (munged to one unknown codec): how Chromium itself rejects m= sections
//   chromium_answer_to_peerhub.sdp  Chromium's answer to peerhub_offer_datachannel.sdp, the offer make_offer()
//                                    writes (sdp_jsep_test checks it byte for byte): Chromium takes it
// The page is served from 127.0.0.1 (a secure context, so getUserMedia works) by a tiny HTTP server here.
import http from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { launchBrowser } from '../../e2e/lib/browser.mjs';

const outDir = path.resolve(process.argv[2] || '.');
const only = new Set(process.argv.slice(3));

const server = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/html' });
  res.end('<!doctype html><title>sdp capture</title>');
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}/`;

const browser = await launchBrowser();
const context = await browser.newContext();
await context.grantPermissions(['camera', 'microphone'], { origin: new URL(url).origin });
const offerer = await context.newPage();
const answerer = await context.newPage();
await offerer.goto(url);
await answerer.goto(url);

function save(name, sdp) {
  if (only.size && !only.has(name)) return;
  if (!sdp.includes('\r\n')) throw new Error(`${name}: no CRLF line ends`);
  writeFileSync(path.join(outDir, name), sdp);
  console.log(`${name}: ${sdp.split('\r\n').length - 1} lines`);
}

// Resolves with the localDescription once gathering is complete.
const gatheredDescription = `
  window.gathered = (pc) => new Promise((resolve) => {
    const done = () => pc.iceGatheringState === 'complete' && resolve(pc.localDescription.sdp);
    pc.addEventListener('icegatheringstatechange', done);
    done();
  });`;
await offerer.evaluate(gatheredDescription);
await answerer.evaluate(gatheredDescription);

save('chromium_offer_datachannel.sdp', await offerer.evaluate(async () => {
  const pc = new RTCPeerConnection();
  pc.createDataChannel('chat');
  const offer = await pc.createOffer();
  pc.close();
  return offer.sdp;
}));

const avOffer = await offerer.evaluate(async () => {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
  const pc = new RTCPeerConnection();
  for (const track of stream.getTracks()) pc.addTrack(track, stream);
  pc.createDataChannel('chat');
  const offer = await pc.createOffer();
  window.avPc = pc;
  return offer.sdp;
});
save('chromium_offer_av_data.sdp', avOffer);

save('chromium_answer_av_data.sdp', await answerer.evaluate(async (sdp) => {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
  const pc = new RTCPeerConnection();
  await pc.setRemoteDescription({ type: 'offer', sdp });
  for (const track of stream.getTracks()) pc.addTrack(track, stream);
  const answer = await pc.createAnswer();
  pc.close();
  return answer.sdp;
}, avOffer));

// Chromium rejects an m= section only when it has nothing in common with it: offer audio and video with one
// unknown codec each, and the answer rejects both (port 0) and keeps the data channel.
save('chromium_answer_rejected.sdp', await answerer.evaluate(async (sdp) => {
  const munged = sdp.split('\r\nm=').map((section, i) => {
    if (i === 0 || section.startsWith('application')) return section;
    const lines = section.split('\r\n').filter((l) => !/^a=(rtpmap|fmtp|rtcp-fb)/.test(l));
    lines[0] = lines[0].replace(/SAVPF .*/, 'SAVPF 127');
    lines.splice(lines.length - 1, 0, 'a=rtpmap:127 NOSUCH/90000');
    return lines.join('\r\n');
  }).join('\r\nm=');
  const pc = new RTCPeerConnection();
  await pc.setRemoteDescription({ type: 'offer', sdp: munged });
  const answer = await pc.createAnswer();
  pc.close();
  return answer.sdp;
}, avOffer));

const gatheredOffer = await offerer.evaluate(async () => {
  const pc = new RTCPeerConnection();
  pc.createDataChannel('chat');
  await pc.setLocalDescription(await pc.createOffer());
  window.dcPc = pc;
  return window.gathered(pc);
});
save('chromium_offer_candidates.sdp', gatheredOffer);

save('chromium_answer_candidates.sdp', await answerer.evaluate(async (sdp) => {
  const pc = new RTCPeerConnection();
  await pc.setRemoteDescription({ type: 'offer', sdp });
  await pc.setLocalDescription(await pc.createAnswer());
  const text = await window.gathered(pc);
  pc.close();
  return text;
}, gatheredOffer));

save('chromium_answer_to_peerhub.sdp', await answerer.evaluate(async (sdp) => {
  const pc = new RTCPeerConnection();
  await pc.setRemoteDescription({ type: 'offer', sdp });
  await pc.setLocalDescription(await pc.createAnswer());
  const text = await window.gathered(pc);
  pc.close();
  return text;
}, readFileSync(path.join(outDir, 'peerhub_offer_datachannel.sdp'), 'utf8')));

console.log(`Chromium ${browser.version()}`);
await browser.close();
server.close();

// Captures real Firefox SDP for the SDP parser's test vectors (tests/unit/sdp_*_test.cpp). Run once, by hand,
// with Debian's firefox-esr installed (a one-off tool, not a dependency of peerhub), inside a network namespace
// that has only loopback, so the only candidates gathered are 127.0.0.1 / ::1:
//
//   unshare -n sh -c 'ip link set lo up && node tests/unit/sdp_vectors/capture_firefox.mjs tests/unit/sdp_vectors'
//
// Every run draws new ICE credentials, fingerprints and ids, and the unit tests check those of the committed
// files: to replace one capture without changing the others, name it after the folder (e.g. `... sdp_vectors
// firefox_offer_datachannel.sdp`).
//
// Writes, with CRLF line ends exactly as Firefox produced them:
//   firefox_offer_datachannel.sdp   localDescription of an offer with one data channel, once gathering completed
//   firefox_offer_av_data.sdp       localDescription of an offer with the fake camera + microphone and a data
//                                   channel, once gathering completed (default bundlePolicy: each section has
//                                   its own port and candidates)
//   firefox_offer_av_data_max_bundle.sdp  the same with bundlePolicy 'max-bundle' (video and data sections
//                                   bundle-only with port 0; candidates only in the first)
// Firefox runs headless on a throw-away profile whose user.js gives getUserMedia fake devices without a prompt
// and lets ICE gather on loopback; the page is served from 127.0.0.1 (a secure context) by a tiny HTTP server
// here and POSTs each description back. Firefox is killed once both arrived (or after a time limit).
import http from 'node:http';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const outDir = path.resolve(process.argv[2] || '.');
const only = new Set(process.argv.slice(3));
const firefox = process.env.FIREFOX || 'firefox-esr';
const names = ['firefox_offer_datachannel.sdp', 'firefox_offer_av_data.sdp', 'firefox_offer_av_data_max_bundle.sdp'];

const page = `<!doctype html><title>sdp capture</title><script>
const gathered = (pc) => new Promise((resolve) => {
  const done = () => pc.iceGatheringState === 'complete' && resolve();
  pc.addEventListener('icegatheringstatechange', done);
  setTimeout(resolve, 10000);  // whatever was gathered by then
  done();
});
const post = (name, text) => fetch('/sdp/' + name, { method: 'POST', body: text });
(async () => {
  try {
    // Capturing from the start lets every connection gather on loopback (see the prefs below).
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    const dc = new RTCPeerConnection();
    dc.createDataChannel('chat');
    await dc.setLocalDescription(await dc.createOffer());
    await gathered(dc);
    await post('firefox_offer_datachannel.sdp', dc.localDescription.sdp);
    dc.close();

    const av = new RTCPeerConnection();
    for (const track of stream.getTracks()) av.addTrack(track, stream);
    av.createDataChannel('chat');
    await av.setLocalDescription(await av.createOffer());
    await gathered(av);
    await post('firefox_offer_av_data.sdp', av.localDescription.sdp);
    av.close();

    const mb = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
    for (const track of stream.getTracks()) mb.addTrack(track, stream);
    mb.createDataChannel('chat');
    await mb.setLocalDescription(await mb.createOffer());
    await gathered(mb);
    await post('firefox_offer_av_data_max_bundle.sdp', mb.localDescription.sdp);
    mb.close();
  } catch (e) {
    await fetch('/error', { method: 'POST', body: String(e && e.stack || e) });
  }
})();
</script>`;

const received = new Map();
let finish;
const finished = new Promise((resolve) => { finish = resolve; });

const server = http.createServer((req, res) => {
  if (req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(page);
    return;
  }
  const chunks = [];
  let size = 0;
  req.on('data', (c) => {
    size += c.length;
    if (size > 1 << 20) req.destroy();  // a description is a few kB
    else chunks.push(c);
  });
  req.on('end', () => {
    res.writeHead(204);
    res.end();
    const body = Buffer.concat(chunks).toString('utf8');
    if (req.url === '/error') {
      finish(new Error(`page: ${body}`));
      return;
    }
    const name = req.url.replace(/^\/sdp\//, '');
    if (!names.includes(name)) return;
    received.set(name, body);
    if (received.size === names.length) finish();
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}/`;

const profile = mkdtempSync(path.join(os.tmpdir(), 'peerhub-firefox-'));
const prefs = {
  'media.navigator.streams.fake': true,           // synthetic camera and microphone
  'media.navigator.permission.disabled': true,    // no permission prompt
  // A page that captures may gather every address; one that does not, only the default route's (none here).
  // Fake devices count as capturing only with this:
  'media.navigator.permission.fake': true,
  'media.peerconnection.ice.loopback': true,      // gather on 127.0.0.1 / ::1
  'media.peerconnection.ice.obfuscate_host_addresses': false,  // addresses, not mDNS names
  'browser.shell.checkDefaultBrowser': false,
  'browser.startup.homepage_override.mstone': 'ignore',
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.reportingpolicy.firstRun': false,
  'app.update.enabled': false,
};
writeFileSync(path.join(profile, 'user.js'),
  Object.entries(prefs).map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});\n`).join(''));

const version = execFileSync(firefox, ['--version'], { encoding: 'utf8' }).trim();
const child = spawn(firefox, ['--headless', '--no-remote', '--profile', profile, url],
  { stdio: ['ignore', 'ignore', 'pipe'], detached: true });  // its own process group: content processes too
let stderr = '';
child.stderr.on('data', (c) => { stderr = (stderr + c).slice(-4000); });
child.on('exit', (code) => finish(new Error(`${firefox} exited (${code}) early:\n${stderr}`)));
const timer = setTimeout(() => finish(new Error(`no descriptions after 60 s:\n${stderr}`)), 60000);

const failure = await finished;
clearTimeout(timer);
child.removeAllListeners('exit');
const exited = new Promise((resolve) => child.once('exit', resolve));
if (child.exitCode === null) {
  process.kill(-child.pid, 'SIGTERM');
  const killer = setTimeout(() => process.kill(-child.pid, 'SIGKILL'), 5000);
  await exited;
  clearTimeout(killer);
}
server.close();
rmSync(profile, { recursive: true, force: true });
if (failure) throw failure;

for (const name of names) {
  if (only.size && !only.has(name)) continue;
  const sdp = received.get(name);
  if (!sdp.includes('\r\n')) throw new Error(`${name}: no CRLF line ends`);
  writeFileSync(path.join(outDir, name), sdp);
  console.log(`${name}: ${sdp.split('\r\n').length - 1} lines`);
}
console.log(version);

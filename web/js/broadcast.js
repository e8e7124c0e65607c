// The Broadcast page: start a broadcast (one camera to many watchers) or watch one.
//
// States (body[data-state], elements with data-when): choose → broadcasting | watching → choose.
// Opening the page as broadcast.html?watch=NAME starts watching NAME at once: watching asks for no permission.
// The rules of a broadcast over the server's rooms: broadcast-protocol.js; the two sides: broadcast-sender.js
// (Broadcaster) and broadcast-receiver.js (Watcher).
import { checkBroadcastName, watchUrl } from './broadcast-protocol.js';
import { Watcher } from './broadcast-receiver.js';
import { Broadcaster } from './broadcast-sender.js';
import { RESOLUTIONS, openMedia, stopStream } from './media.js';
import { Signaling, describeStatus } from './signaling.js';
import { StatsPanel } from './stats.js';
import { $, bindStatus, el, notify, showState } from './ui.js';

let session = null; // the Broadcaster or the Watcher while there is one
let preview = null; // the broadcaster's own camera and microphone

// For people debugging in the console (and the browser tests): the live objects of this page.
window.peerhub = {
  get session() { return session; },
  // Every RTCPeerConnection of this page: one per watcher when broadcasting, one when watching.
  get pcs() {
    if (session instanceof Broadcaster) return [...session.watchers.values()].map((w) => w.link?.pc).filter(Boolean);
    return session?.link ? [session.link.pc] : [];
  },
};

$('#resolution').replaceChildren(...Object.keys(RESOLUTIONS).map((r) => new Option(r, r, false, r === '640x480')));
showState('choose');

// ---- broadcasting ----

$('#start-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const name = $('#broadcast-name').value.trim();
  const problem = checkBroadcastName(name);
  if (problem) {
    notify(problem);
    return;
  }
  $('#start-button').disabled = true;
  const sig = new Signaling();
  bindStatus(sig, describeStatus);
  const broadcaster = new Broadcaster({ signaling: sig, name });
  let stream = null;
  try {
    // The name first: a taken name is said before the browser asks for the camera.
    await broadcaster.login();
    const opened = await openMedia({ resolution: $('#resolution').value });
    stream = opened.stream;
    if (opened.warning) notify(opened.warning, 'info');
  } catch (err) {
    sig.close();
    notify(err.message);
    $('#start-button').disabled = false;
    return;
  }
  $('#start-button').disabled = false;
  session = broadcaster;
  preview = stream;
  broadcaster.addEventListener('watchers', renderWatchers);
  broadcaster.addEventListener('error', ({ detail }) => notify(detail.message));
  showBroadcaster(name, stream);
  broadcaster.start(stream);
});

function showBroadcaster(name, stream) {
  $('#live-name').textContent = name;
  const link = $('#watch-link');
  link.href = watchUrl(name);
  link.textContent = link.href;
  $('#preview').srcObject = stream;
  const hasVideo = stream.getVideoTracks().length > 0;
  $('#preview-text').hidden = hasVideo;
  $('#preview-text').textContent = hasVideo ? '' : 'Broadcasting sound only.';
  setToggle($('#mute'), false, 'Mute');
  setToggle($('#camera'), false, 'Camera off');
  $('#camera').disabled = !hasVideo;
  renderWatchers();
  showState('broadcasting');
}

function renderWatchers() {
  const list = session instanceof Broadcaster ? session.list() : [];
  const count = $('#watcher-count');
  count.textContent = String(list.length);
  count.dataset.count = String(list.length);
  $('#watchers').replaceChildren(...(list.length
    ? list.map(({ name, state }) => el('li', { dataset: { name, state } },
      el('span', {}, name), el('span', { class: 'muted' }, stateWords(state))))
    : [el('li', { class: 'muted' }, 'Nobody yet.')]));
}

function stateWords(state) {
  switch (state) {
    case 'connected': return 'watching';
    case 'reconnecting': return 'reconnecting to the server…';
    case 'failed': return 'connection lost, retrying…';
    case 'disconnected': return 'connection interrupted…';
    default: return 'connecting…';
  }
}

// Mute and camera off switch the track off (silence / black frames) without renegotiating with anyone.
function toggleTracks(button, kind, offWord, onWord) {
  const off = button.getAttribute('aria-pressed') !== 'true';
  for (const track of preview?.getTracks() ?? []) {
    if (track.kind === kind) track.enabled = !off;
  }
  setToggle(button, off, off ? onWord : offWord);
}

function setToggle(button, pressed, text) {
  button.setAttribute('aria-pressed', String(pressed));
  button.textContent = text;
}

$('#mute').addEventListener('click', (e) => toggleTracks(e.currentTarget, 'audio', 'Mute', 'Unmute'));
$('#camera').addEventListener('click', (e) => toggleTracks(e.currentTarget, 'video', 'Camera off', 'Camera on'));

$('#copy-link').addEventListener('click', async () => {
  try {
    await navigator.clipboard.writeText($('#watch-link').href);
    notify('Link copied.', 'ok');
  } catch {
    notify('The browser did not allow copying: select the link and copy it by hand.', 'info');
  }
});

$('#stop').addEventListener('click', () => {
  endSession();
  notify('The broadcast stopped.', 'info');
});

// ---- watching ----

const watchVideo = $('#watch-video');
const watchStats = new StatsPanel($('#watch-stats'));

$('#watch-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const name = $('#watch-name').value.trim();
  const problem = checkBroadcastName(name);
  if (problem) notify(problem);
  else watch(name);
});

async function watch(name) {
  const sig = new Signaling();
  bindStatus(sig, describeStatus);
  const watcher = new Watcher({ signaling: sig, name });
  session = watcher;
  watcher.addEventListener('state', ({ detail }) => renderWatch(detail.state));
  watcher.addEventListener('stream', ({ detail }) => attach(detail.stream));
  watcher.addEventListener('link', ({ detail }) => watchStats.watch(detail.link.pc));
  watcher.addEventListener('error', ({ detail }) => notify(detail.message));
  $('#watching-name').textContent = name;
  $('#watcher-name').textContent = '…';
  renderWatch('joining');
  showState('watching');
  try {
    await watcher.start();
    $('#watcher-name').textContent = sig.name;
  } catch (err) {
    notify(err.message);
    endSession();
  }
}

function renderWatch(state) {
  const name = session?.name ?? '';
  const words = {
    joining: 'Connecting…',
    waiting: `Waiting for the broadcast “${name}” to start…`,
    starting: 'The broadcast is starting…',
    live: 'Live.',
    ended: 'The broadcast ended. If it starts again, it appears here by itself.',
    left: 'You left the broadcast.',
    full: 'This broadcast is full: no room for another watcher on this server.',
  }[state] ?? state;
  $('#watch-status').textContent = words;
  $('#watch-status').dataset.state = state;
  $('#watch-text').textContent = words;
  $('#watch-text').hidden = state === 'live';
  if (state !== 'live' && state !== 'starting') {
    watchVideo.srcObject = null;
    watchStats.stop();
    $('#unmute').hidden = true;
  }
}

// Browsers refuse to autoplay sound on a page nobody clicked yet (a shared link): then start muted and offer
// an Unmute button rather than showing nothing.
async function attach(stream) {
  if (watchVideo.srcObject !== stream) watchVideo.srcObject = stream;
  try {
    await watchVideo.play();
  } catch (err) {
    if (err.name !== 'NotAllowedError') return;
    watchVideo.muted = true;
    $('#unmute').hidden = false;
    watchVideo.play().catch(() => {});
  }
}

$('#unmute').addEventListener('click', () => {
  watchVideo.muted = false;
  watchVideo.play().catch(() => {});
  $('#unmute').hidden = true;
});

$('#leave').addEventListener('click', () => endSession());

// ---- both ----

function endSession() {
  if (session instanceof Broadcaster) session.stop();
  else session?.leave();
  session = null;
  stopStream(preview); // the camera light goes off
  preview = null;
  $('#preview').srcObject = null;
  watchVideo.srcObject = null;
  watchStats.stop();
  showState('choose');
}

// Closing the tab says so (ended / bye), so the other side need not wait for the connection to time out.
window.addEventListener('pagehide', () => {
  if (session) endSession();
});

const watchParam = new URLSearchParams(window.location.search).get('watch')?.trim();
if (watchParam) {
  $('#watch-name').value = watchParam;
  if (!checkBroadcastName(watchParam)) watch(watchParam);
}

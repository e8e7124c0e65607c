// The Room page: up to six people in one room, everyone linked to everyone (a full mesh), with a room chat.
//
// States (body[data-state], and elements with data-when): form → joining → inroom → form. Joining is: log in
// under your name, open camera and microphone, {type:'join', room}; the server's `joined` lists who is there
// and the mesh (room-mesh.js) opens a link to each. Room chat and mic/camera badges travel as room messages
// through the server; the mesh's own direct messages ({mesh}) are routed to it.
import { ChatBox } from './chat.js';
import { openMedia, stopStream } from './media.js';
import { Controls } from './room-controls.js';
import { Mesh } from './room-mesh.js';
import { Tiles } from './room-tiles.js';
import { Signaling, describeStatus } from './signaling.js';
import { $, bindStatus, notify, showState } from './ui.js';

const MAX_PEOPLE = 6;          // a mesh sends your video once per person: more than this is too much upload
const JOIN_TIMEOUT_MS = 10000;
// Server errors that answer a join (the server names no request in its errors).
const JOIN_ERRORS = new Set(['room-full', 'too-many-rooms', 'invalid-name', 'not-logged-in']);

const page = {
  state: 'form',
  sig: null,       // the Signaling of the name we are logged in under
  room: '',
  stream: null,    // your camera and microphone while in the room
  mesh: null,      // the Mesh while in the room
  joinTimer: null,
};
const tiles = new Tiles($('#tiles'));
const chat = new ChatBox($('#chat'), { send: sendChat });
const controls = new Controls({ onChange: (flags) => {
  tiles.setFlags(page.sig?.name, flags);
  page.sig?.send({ type: 'message', room: page.room, data: { state: flags } });
} });
// For people debugging in the console (and the browser tests): the live objects of this page.
window.peerhub = {
  page, tiles,
  get sig() { return page.sig; },
  get links() { return page.mesh?.links ?? new Map(); },
};

$('#people-max').textContent = String(MAX_PEOPLE);
const params = new URLSearchParams(location.search);
$('#name').value = params.get('name') || localStorage.getItem('peerhub.name') || '';
$('#room').value = params.get('room') || '';
setState('form');

function setState(state, progress = '') {
  page.state = state;
  showState(state);
  $('#join-progress').textContent = progress;
  $('#join-button').disabled = state !== 'form';
  $('#room-title').textContent = page.room ? `“${page.room}”` : '';
  chat.enable(state === 'inroom');
}

// ---- joining ----

$('#join-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const name = $('#name').value.trim();
  const room = $('#room').value.trim();
  if (!name || !room || page.state !== 'form') return;
  page.room = room;
  setState('joining', 'Logging in…');
  try {
    await logIn(name);
    localStorage.setItem('peerhub.name', name);
  } catch (err) {
    notify(err.message);
    setState('form');
    return;
  }
  setState('joining', 'Opening camera and microphone…');
  try {
    const { stream, warning } = await openMedia({ audio: true, video: true });
    page.stream = stream;
    if (warning) notify(warning, 'info');
  } catch (err) {
    page.stream = null;
    notify(`${err.message} You can still join, to see and hear the others; they will not see or hear you.`);
  }
  if (page.state !== 'joining') {
    // Given up meanwhile (the connection failed): do not leave the camera on.
    stopStream(page.stream);
    page.stream = null;
    return;
  }
  setState('joining', `Joining “${room}”…`);
  sendJoin();
});

// One Signaling per name: a different name needs a new connection (the server keeps a name per connection).
async function logIn(name) {
  if (page.sig?.name === name && page.sig.state !== 'closed') return;
  page.sig?.close();
  const sig = new Signaling();
  page.sig = sig;
  bindStatus(sig, describeStatus);
  wire(sig);
  await sig.login(name);
}

function sendJoin() {
  clearTimeout(page.joinTimer);
  if (!page.sig.send({ type: 'join', room: page.room })) {
    failJoin('The connection to the server is down; try again in a moment.');
    return;
  }
  page.joinTimer = setTimeout(() => {
    if (page.state === 'joining') failJoin('The server did not answer the join.');
  }, JOIN_TIMEOUT_MS);
}

function failJoin(message) {
  clearTimeout(page.joinTimer);
  notify(message);
  if (page.state === 'inroom') leaveRoom({ tellServer: false });
  else cleanUp();
}

function onJoined({ room, peers = [] }) {
  if (room !== page.room || (page.state !== 'joining' && page.state !== 'inroom')) return;
  clearTimeout(page.joinTimer);
  if (peers.length >= MAX_PEOPLE) {
    page.sig.send({ type: 'leave', room });
    failJoin(`The room “${room}” is full: it already has ${peers.length} people, and a room holds at most ` +
      `${MAX_PEOPLE}. Choose another room.`);
    return;
  }
  if (page.state === 'inroom') {
    page.mesh.rejoin(peers);
    chat.system('Back in the room after reconnecting.');
    updateCount();
    return;
  }
  enterRoom(peers);
}

function enterRoom(peers) {
  const sig = page.sig;
  const mesh = new Mesh({ signaling: sig, room: page.room, stream: page.stream });
  page.mesh = mesh;
  mesh.addEventListener('link', ({ detail }) => tiles.ensure(detail.name));
  mesh.addEventListener('stream', ({ detail }) => tiles.attach(detail.name, detail.stream));
  mesh.addEventListener('connection', ({ detail }) => tiles.setFlags(detail.name, { connection: detail.state }));
  mesh.addEventListener('gone', ({ detail }) => {
    tiles.remove(detail.name);
    if (detail.reason) notify(detail.reason, 'info');
  });
  mesh.addEventListener('error', ({ detail }) => console.warn('room:', detail.message));

  controls.use(page.stream);
  tiles.clear();
  tiles.showSelf(sig.name, page.stream);
  chat.clear();
  chat.system(peers.length ? `You joined “${page.room}” with ${listNames(peers)}.`
    : `You joined “${page.room}”. Nobody else is here yet — send them the link.`);
  showShareLink();
  setState('inroom');
  mesh.start(peers);
  updateCount();
}

// ---- leaving ----

$('#leave').addEventListener('click', () => {
  leaveRoom({ tellServer: true });
  notify('You left the room.', 'info');
});

function leaveRoom({ tellServer }) {
  if (tellServer && page.room) page.sig?.send({ type: 'leave', room: page.room });
  chat.system('You left the room.');
  cleanUp();
}

// Closes every link, turns the camera off and goes back to the form (the login stays).
function cleanUp() {
  clearTimeout(page.joinTimer);
  page.mesh?.close();
  page.mesh = null;
  stopStream(page.stream);
  page.stream = null;
  controls.use(null);
  tiles.clear();
  setState('form');
}

// ---- what the server tells us ----

function wire(sig) {
  const current = (fn) => (message) => { if (page.sig === sig) fn(message); };
  sig.on('joined', current(onJoined));
  sig.on('peer-joined', current(({ room, name }) => {
    if (!page.mesh || room !== page.room) return;
    page.mesh.peerJoined(name);
    chat.system(`${name} joined.`);
    updateCount();
    // Newcomers learn of a muted microphone or a camera that is off from us directly.
    if (controls.muted || controls.cameraOff) {
      sig.send({ type: 'message', name, data: { room: page.room, state: controls.flags } });
    }
  }));
  sig.on('peer-left', current(({ room, name }) => {
    if (!page.mesh || room !== page.room) return;
    page.mesh.peerLeft(name);
    chat.system(`${name} left.`);
    updateCount();
  }));
  // {type:'leave', name}: a person we had links with closed their page (or hung up on us).
  sig.on('leave', current(({ name }) => {
    if (page.mesh?.links.has(name)) page.mesh.peerLeft(name);
    updateCount();
  }));
  for (const type of ['offer', 'answer', 'candidate']) {
    sig.on(type, current((message) => {
      if (page.mesh?.handleSignal(message)) return;
      // Someone calling us from the Call page, or a late offer from a room we left: say we are not available.
      if (type === 'offer') sig.send({ type: 'leave', name: message.name, reason: 'busy' });
    }));
  }
  sig.on('message', current(onMessage));
  sig.on('error', current(onServerError));
  // Logged in again after a reconnect: the server forgot our rooms, so join again (the links stay up).
  sig.addEventListener('relogin', () => {
    if (page.sig !== sig || (page.state !== 'inroom' && page.state !== 'joining')) return;
    if (page.state === 'inroom') notify('Reconnected to the server; rejoining the room.', 'ok');
    sendJoin();
  });
}

function onMessage({ room, name, data }) {
  if (!data || typeof data !== 'object' || !page.mesh) return;
  if (room !== undefined && room !== page.room) return;
  if (room === undefined && data.room !== page.room) return; // a direct message about another room
  if (room === undefined && data.mesh) {
    page.mesh.handleControl(name, data);
    return;
  }
  if (data.state && typeof data.state === 'object') {
    tiles.setFlags(name, { muted: Boolean(data.state.muted), cameraOff: Boolean(data.state.cameraOff) });
  }
  if (room !== undefined && typeof data.text === 'string') chat.add(name, data.text, false);
}

function onServerError({ code, message }) {
  // A candidate or an offer to someone who just left: the 'peer-left' that follows says it in words.
  if (code === 'unknown-target') return;
  if (page.state === 'joining' && JOIN_ERRORS.has(code)) {
    failJoin(code === 'room-full'
      ? `The room “${page.room}” is full: the server says “${message}”. Choose another room.`
      : `Cannot join “${page.room}”: ${message}.`);
    return;
  }
  if (page.state === 'inroom' && code === 'room-full') {
    failJoin(`Rejoining “${page.room}” failed: the room filled up while you were disconnected (${message}).`);
    return;
  }
  notify(`The server says: ${message}`);
}

// ---- chat, share link, counts ----

function sendChat(text) {
  if (page.state !== 'inroom') return false;
  return page.sig.send({ type: 'message', room: page.room, data: { text } });
}

function showShareLink() {
  const url = new URL(location.pathname, location.origin);
  url.searchParams.set('room', page.room);
  $('#share-link').value = url.href;
  history.replaceState(null, '', `?room=${encodeURIComponent(page.room)}`);
}

$('#copy-link').addEventListener('click', async () => {
  const input = $('#share-link');
  try {
    await navigator.clipboard.writeText(input.value);
    notify('Link copied.', 'ok');
  } catch {
    input.select(); // no clipboard access (plain http from another machine): let the person copy it
  }
});

function updateCount() {
  const count = 1 + (page.mesh?.members.size ?? 0);
  $('#people-count').textContent = String(count);
  document.body.dataset.people = String(count);
}

function listNames(names) {
  return names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

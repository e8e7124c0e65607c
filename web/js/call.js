// The Call page: log in, see who is online, call or be called, and the call itself.
//
// States (body[data-state], and elements with data-when): login → idle → calling | ringing → incall → idle.
// The caller's PeerLink is impolite and opens the chat channel; the callee's is polite. Candidates and offers
// for a call that is still ringing are held until the callee accepts.
import { CallChannels } from './call-chat.js';
import { LocalMedia } from './call-media.js';
import { CallTools } from './call-tools.js';
import { PeerLink, answerOffer } from './peer.js';
import { Signaling, describeStatus } from './signaling.js';
import { StatsPanel } from './stats.js';
import { $, bindStatus, el, notify, showState } from './ui.js';

const params = new URLSearchParams(location.search);
// How long a call rings before it counts as unanswered: 30 s, or ?ring=<seconds> (1 to 120).
const RING_TIMEOUT_MS = Math.min(Math.max(Number(params.get('ring')) || 30, 1), 120) * 1000;
// ?relay=1: connect only through the TURN relay (iceTransportPolicy 'relay'), to check that TURN works end to end
// or to keep one's own address from the other side; a call then needs a turn: server in the login answer.
const ICE_TRANSPORT_POLICY = params.get('relay') === '1' ? 'relay' : 'all';
const LIST_INTERVAL_MS = 4000;

const sig = new Signaling();
const media = new LocalMedia($('#local-video'));
const remoteVideo = $('#remote-video');
const channels = new CallChannels($('#chat'), $('#file-input'));
const stats = new StatsPanel($('#stats'));
const tools = new CallTools({ media, remoteVideo });

const call = {
  state: 'login',
  partner: '',       // the other person's name while calling, ringing or in a call
  link: null,        // PeerLink while calling or in a call
  heldSignals: [],   // signals of a ringing call, applied on accept
  ringTimer: null,
  remoteStream: null,
};
// For people debugging in the console (and the browser tests): the live objects of this page.
window.peerhub = { sig, media, call, get pc() { return call.link?.pc ?? null; } };

bindStatus(sig, describeStatus);
setState('login');

function setState(state, text) {
  call.state = state;
  showState(state);
  $('#stage-text').textContent = text ?? stageText(state);
  $('#stage-text').hidden = state === 'incall' && remoteVideo.srcObject !== null;
}

function stageText(state) {
  switch (state) {
    case 'calling': return `Calling ${call.partner}…`;
    case 'ringing': return `${call.partner} is calling.`;
    case 'incall': return `Connecting to ${call.partner}…`;
    default: return 'Call someone to start.';
  }
}

// ---- login and the list of people online ----

$('#name').value = params.get('name') || localStorage.getItem('peerhub.name') || '';
$('#login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const name = $('#name').value.trim();
  if (!name) return;
  $('#login-button').disabled = true;
  try {
    await sig.login(name);
    localStorage.setItem('peerhub.name', name);
    $('#me').textContent = sig.name;
    setState('idle');
    refreshList();
  } catch (err) {
    notify(err.message);
  } finally {
    $('#login-button').disabled = false;
  }
});

let listTimer = null;
function refreshList() {
  clearTimeout(listTimer);
  if (sig.state === 'ready') sig.send({ type: 'list' });
  listTimer = setTimeout(refreshList, LIST_INTERVAL_MS);
}

sig.on('list', ({ names = [], total }) => {
  const others = names.filter((n) => n !== sig.name);
  const people = $('#people');
  $('#online-count').textContent = others.length ? `(${(total ?? names.length) - 1})` : '';
  if (!others.length) {
    people.replaceChildren(el('li', { class: 'muted' }, 'Nobody else yet.'));
    return;
  }
  people.replaceChildren(...others.map((name) => el('li', { dataset: { name } },
    el('span', {}, name),
    el('button', { class: 'primary', onclick: () => startCall(name), disabled: call.state !== 'idle' }, 'Call'))));
});

$('#call-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const name = $('#callee').value.trim();
  if (name) startCall(name);
});

sig.addEventListener('relogin', () => {
  notify('Reconnected to the server.', 'ok');
  refreshList();
});
sig.addEventListener('disconnected', () => {
  // The server tells the other side we are gone, so the call is over on both ends.
  if (call.state !== 'idle' && call.state !== 'login') endCall('The connection to the server was lost; the call ended.');
});

// ---- placing a call ----

async function startCall(name) {
  if (call.state !== 'idle') return;
  if (name === sig.name) {
    notify('That is you — call someone else.');
    return;
  }
  call.partner = name;
  $('#callee-name').textContent = name;
  setState('calling');
  try {
    const warning = await media.start();
    if (warning) notify(warning, 'info');
  } catch (err) {
    notify(`${err.message} Calling without sending video or sound.`, 'info');
  }
  if (call.state !== 'calling' || call.partner !== name) return; // cancelled while the camera opened
  const link = newLink(name, false);
  channels.bind(link, name, { initiator: true });
  media.attach(link.pc);
  if (!media.active) {
    // Nothing to send: still ask to receive, so the other side's media can flow to us.
    link.pc.addTransceiver('audio', { direction: 'recvonly' });
    link.pc.addTransceiver('video', { direction: 'recvonly' });
  }
  call.ringTimer = setTimeout(() => {
    if (call.state === 'calling') hangUp(`${name} did not answer.`);
  }, RING_TIMEOUT_MS);
}

$('#cancel').addEventListener('click', () => hangUp('Call cancelled.', 'info'));
$('#hangup').addEventListener('click', () => hangUp('Call ended.', 'info'));

function hangUp(message, kind = 'info') {
  if (call.partner) sig.send({ type: 'leave', name: call.partner });
  endCall(message, kind);
}

// ---- being called ----

sig.on('offer', (message) => {
  const from = message.name;
  if (call.link && from === call.partner) {
    call.link.handleSignal(message); // a renegotiation or an ICE restart in the current call
    return;
  }
  if (call.state !== 'idle') {
    sig.send({ type: 'leave', name: from, reason: 'busy' });
    return;
  }
  call.partner = from;
  call.heldSignals = [message];
  $('#caller-name').textContent = from;
  setState('ringing');
  call.ringTimer = setTimeout(() => {
    if (call.state === 'ringing' && call.partner === from) decline(`You missed a call from ${from}.`);
  }, RING_TIMEOUT_MS);
});

$('#accept').addEventListener('click', () => accept());
$('#decline').addEventListener('click', () => decline(`You declined ${call.partner}'s call.`));

async function accept() {
  if (call.state !== 'ringing') return;
  const from = call.partner;
  clearTimeout(call.ringTimer);
  setState('incall');
  try {
    const warning = await media.start();
    if (warning) notify(warning, 'info');
  } catch (err) {
    notify(`${err.message} You will see and hear ${from}, but they will not see or hear you.`);
  }
  if (call.partner !== from || call.state !== 'incall') return; // the caller gave up meanwhile
  const link = newLink(from, true);
  channels.bind(link, from, { initiator: false });
  const [offer, ...rest] = call.heldSignals;
  call.heldSignals = [];
  await answerOffer(link, offer.offer, (pc) => media.attach(pc));
  for (const message of rest) await link.handleSignal(message);
  tools.enable();
}

function decline(message) {
  if (call.partner) sig.send({ type: 'leave', name: call.partner, reason: 'declined' });
  endCall(message, 'info');
}

// ---- signals of the current call ----

for (const type of ['answer', 'candidate']) {
  sig.on(type, (message) => {
    if (message.name !== call.partner) return; // stale: from a call that is over
    if (call.state === 'ringing') {
      if (call.heldSignals.length < 200) call.heldSignals.push(message);
      return;
    }
    if (type === 'answer' && call.state === 'calling') {
      clearTimeout(call.ringTimer);
      setState('incall');
      tools.enable();
    }
    call.link?.handleSignal(message);
  });
}

sig.on('leave', ({ name, reason }) => {
  if (!name || name !== call.partner || call.state === 'idle') return;
  if (call.state === 'calling') {
    if (reason === 'declined') endCall(`${name} declined the call.`);
    else if (reason === 'busy') endCall(`${name} is busy in another call.`);
    else endCall(`${name} is no longer available.`);
  } else if (call.state === 'ringing') {
    endCall(`${name} hung up before you answered.`, 'info');
  } else {
    endCall(`${name} hung up.`, 'info');
  }
});

sig.on('error', (message) => {
  if (message.code === 'unknown-target') {
    // While calling: the callee is not there. Otherwise it is about a call that is over (candidates that were
    // on their way when it ended): nothing to tell.
    if (call.state === 'calling') endCall(`${call.partner} is not online.`);
    return;
  }
  notify(message.message || 'The server reported an error.');
});

function newLink(name, polite) {
  const link = new PeerLink({ signaling: sig, remote: name, polite, iceServers: sig.iceServers,
    iceTransportPolicy: ICE_TRANSPORT_POLICY });
  call.link = link;
  call.remoteStream = new MediaStream();
  link.addEventListener('track', ({ detail: { track } }) => {
    call.remoteStream.addTrack(track);
    remoteVideo.srcObject = call.remoteStream;
    remoteVideo.play().catch(() => {});
    $('#stage-text').hidden = true;
  });
  link.addEventListener('state', ({ detail: { state } }) => {
    document.body.dataset.connection = state;
    if (state === 'connected') stats.watch(link.pc);
  });
  link.addEventListener('restarting', () => notify(`The connection to ${name} dropped — trying to restore it…`, 'info'));
  link.addEventListener('failed', ({ detail }) => hangUp(detail.message, 'error'));
  link.addEventListener('error', ({ detail }) => notify(detail.message));
  return link;
}

function endCall(message, kind = 'error') {
  clearTimeout(call.ringTimer);
  call.link?.close();
  call.link = null;
  call.heldSignals = [];
  call.partner = '';
  call.remoteStream = null;
  remoteVideo.srcObject = null;
  stats.stop();
  channels.reset();
  tools.reset();
  media.stop(); // the camera light goes off
  delete document.body.dataset.connection;
  if (sig.name) setState('idle');
  if (message) notify(message, kind);
  refreshList();
}

window.addEventListener('pagehide', () => {
  if (call.partner) sig.send({ type: 'leave', name: call.partner });
});

// The broadcaster's side: one PeerLink per watcher, each sending the same camera and microphone tracks.
//
// The room says who is there (joined / peer-joined / peer-left); this class keeps one link per watcher in step
// with it. Events: 'watchers' (the list changed; read .list()), 'error' {message} for the page to show.
// Rules of the broadcast (names, messages): broadcast-protocol.js.
import { broadcastData, describeRoomError, isUp, kindOf, roomFor } from './broadcast-protocol.js';
import { PeerLink } from './peer.js';
import { LoginError } from './signaling.js';

// New links are started this far apart: each costs an offer and a few candidates, and the server drops messages
// above its per-connection rate (100/s by default) — a room full of watchers rejoining at once must fit under it.
const START_SPACING_MS = 100;
// A link whose ICE failed for good is started again after this long, if its watcher is still there.
const RETRY_MS = 2000;

export class Broadcaster extends EventTarget {
  // signaling: a fresh Signaling (this class logs it in); name: the broadcast's name.
  constructor({ signaling, name }) {
    super();
    this.sig = signaling;
    this.name = name;
    this.room = roomFor(name);
    this.stream = null;
    this.watchers = new Map(); // name -> { present, link, state }
    this.startQueue = Promise.resolve();
    this.stopped = false;
    this.#wire();
  }

  // Logs in under the broadcast's name (throws with words when it is taken).
  async login() {
    try {
      await this.sig.login(this.name);
    } catch (err) {
      if (err instanceof LoginError && err.code === 'name-taken') {
        throw new Error(`A broadcast called “${this.name}” is already live — choose another name.`);
      }
      throw err;
    }
  }

  // Goes live with `stream` (camera and microphone): watchers already in the room get a link when the server
  // answers the join.
  start(stream) {
    this.stream = stream;
    this.#join();
  }

  // Watchers in the order they came, with their connection state, for the page's list.
  list() {
    return [...this.watchers].map(([name, w]) => ({ name, state: w.present ? w.state : 'reconnecting' }));
  }

  stop() {
    if (this.stopped) return;
    this.stopped = true;
    this.sig.send({ type: 'message', room: this.room, data: broadcastData(this.name, 'ended') });
    this.sig.send({ type: 'leave', room: this.room });
    for (const name of [...this.watchers.keys()]) this.#drop(name);
    this.sig.close();
  }

  #join() {
    this.sig.send({ type: 'join', room: this.room });
  }

  #wire() {
    const sig = this.sig;
    const inRoom = (handler) => (m) => { if (m.room === this.room && !this.stopped) handler(m); };
    sig.on('joined', inRoom((m) => this.#reconcile(m.peers ?? [])));
    sig.on('peer-joined', inRoom((m) => this.#arrived(m.name)));
    sig.on('peer-left', inRoom((m) => this.#departed(m.name, false)));
    // A closed tab we exchanged offers with; the same as peer-left for us.
    sig.on('leave', (m) => { if (!this.stopped) this.#departed(m.name, false); });
    sig.on('message', (m) => {
      if (kindOf(m, this.name) === 'bye') this.#departed(m.name, true);
    });
    for (const type of ['offer', 'answer', 'candidate']) {
      sig.on(type, (m) => this.watchers.get(m.name)?.link?.handleSignal(m));
    }
    sig.on('error', (m) => this.#onError(m));
    // The server forgot our room when the connection dropped; links that are up carry on meanwhile.
    sig.addEventListener('relogin', () => { if (!this.stopped && this.stream) this.#join(); });
  }

  // After (re)joining: everyone listed is a watcher; anyone we had who is not listed left while we were away.
  #reconcile(peers) {
    const here = new Set(peers.filter((name) => name !== this.name));
    for (const name of [...this.watchers.keys()]) {
      if (!here.has(name)) this.#departed(name, false);
    }
    for (const name of here) this.#arrived(name);
  }

  #arrived(name) {
    if (name === this.name) return;
    const known = this.watchers.get(name);
    if (known && known.link && isUp(known.link)) {
      known.present = true; // back from a signaling blip; its media never stopped
      this.#changed();
      return;
    }
    if (known) this.#drop(name, false);
    const watcher = { present: true, link: null, state: 'waiting' };
    this.watchers.set(name, watcher);
    this.#queueStart(name, watcher);
    this.#changed();
  }

  // bye: the watcher said it is leaving; otherwise it may only have lost its signaling connection.
  #departed(name, bye) {
    const watcher = this.watchers.get(name);
    if (!watcher) return;
    if (bye || !isUp(watcher.link)) {
      this.#drop(name);
    } else {
      watcher.present = false;
      this.#changed();
    }
  }

  #queueStart(name, watcher) {
    this.startQueue = this.startQueue.then(() => {
      // Still wanted? It may have left, or been replaced, while queued.
      if (this.stopped || this.watchers.get(name) !== watcher || watcher.link) return null;
      this.#startLink(name, watcher);
      return new Promise((resolve) => setTimeout(resolve, START_SPACING_MS));
    });
  }

  #startLink(name, watcher) {
    // "start" goes first: the server keeps our messages in order, so the watcher drops any old connection
    // before our offer reaches it.
    this.sig.send({ type: 'message', name, data: broadcastData(this.name, 'start') });
    const link = new PeerLink({ signaling: this.sig, remote: name, polite: false, iceServers: this.sig.iceServers });
    watcher.link = link;
    watcher.state = 'connecting';
    for (const track of this.stream.getTracks()) {
      // sendonly: watchers send nothing back; adding transceivers fires negotiationneeded, which offers.
      link.pc.addTransceiver(track, { direction: 'sendonly', streams: [this.stream] });
    }
    link.addEventListener('state', ({ detail }) => {
      if (this.watchers.get(name) !== watcher) return;
      watcher.state = detail.state;
      // A watcher that vanished is kept only while its media flows.
      if (!watcher.present && !isUp(link)) this.#drop(name);
      else this.#changed();
    });
    link.addEventListener('failed', () => {
      if (this.watchers.get(name) !== watcher) return;
      link.close();
      watcher.link = null;
      watcher.state = 'failed';
      this.#changed();
      setTimeout(() => {
        if (watcher.present && this.watchers.get(name) === watcher && !watcher.link) this.#queueStart(name, watcher);
      }, RETRY_MS);
    });
    link.addEventListener('error', ({ detail }) => console.warn('broadcast:', detail.message));
  }

  #drop(name, announce = true) {
    const watcher = this.watchers.get(name);
    if (!watcher) return;
    this.watchers.delete(name);
    watcher.link?.close();
    if (announce) this.#changed();
  }

  #onError(message) {
    // An offer or a candidate to a watcher that just left: the room tells us about it too.
    if (message.code === 'unknown-target') return;
    this.#emit('error', { message: describeRoomError(message), code: message.code });
  }

  #changed() {
    this.#emit('watchers', {});
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

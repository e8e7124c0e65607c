// The watcher's side: joins the broadcast's room receive-only and answers the broadcaster's offers.
//
// States ('state' event, detail {state}): joining → waiting (no broadcaster in the room) → starting (it is
// there, media not yet) → live → ended (it stopped or went away; back to starting if it comes back) … left;
// full when the server refuses the join (the room has as many members as it allows).
// Also 'stream' {stream} when media arrives, 'link' {link} for a new connection, 'error' {message}.
// Rules of the broadcast (names, messages): broadcast-protocol.js.
import { WATCHER_PREFIX, broadcastData, describeRoomError, isUp, kindOf, roomFor } from './broadcast-protocol.js';
import { PeerLink } from './peer.js';
import { randomName } from './ui.js';

export class Watcher extends EventTarget {
  // signaling: a fresh Signaling (this class logs it in); name: the broadcast to watch.
  constructor({ signaling, name }) {
    super();
    this.sig = signaling;
    this.name = name;         // the broadcast's name, which is also the broadcaster's login name
    this.room = roomFor(name);
    this.state = 'joining';
    this.present = false;     // the broadcaster is in the room
    this.link = null;
    this.stream = null;
    this.#wire();
  }

  async start() {
    await this.sig.login(randomName(WATCHER_PREFIX));
    this.sig.send({ type: 'join', room: this.room });
  }

  leave() {
    if (this.state === 'left') return;
    if (this.present) this.sig.send({ type: 'message', name: this.name, data: broadcastData(this.name, 'bye') });
    this.sig.send({ type: 'leave', room: this.room });
    this.#closeLink();
    this.sig.close();
    this.#setState('left');
  }

  #wire() {
    const sig = this.sig;
    const inRoom = (handler) => (m) => { if (m.room === this.room && this.state !== 'left') handler(m); };
    const fromBroadcaster = (handler) => (m) => { if (m.name === this.name && this.state !== 'left') handler(m); };
    sig.on('joined', inRoom((m) => {
      if ((m.peers ?? []).includes(this.name)) this.#arrived();
      else this.#departed();
    }));
    // Other watchers come and go too; only the broadcaster matters here.
    sig.on('peer-joined', inRoom(fromBroadcaster(() => this.#arrived())));
    sig.on('peer-left', inRoom(fromBroadcaster(() => this.#departed())));
    sig.on('leave', fromBroadcaster(() => this.#departed()));
    sig.on('message', fromBroadcaster((m) => {
      const kind = kindOf(m, this.name);
      if (kind === 'start') this.#newLink();
      else if (kind === 'ended') this.#ended();
    }));
    for (const type of ['offer', 'answer', 'candidate']) {
      sig.on(type, fromBroadcaster((m) => {
        // An offer with no link: its "start" was lost (we were reconnecting); take it as one.
        if (!this.link && m.type === 'offer') this.#newLink();
        this.link?.handleSignal(m);
      }));
    }
    sig.on('error', (m) => {
      // Our answer or an ICE restart offer to a broadcaster who is gone: the room says so as well.
      if (m.code === 'unknown-target') return;
      if (m.code === 'room-full') this.#setState('full');
      this.#emit('error', { message: describeRoomError(m), code: m.code });
    });
    sig.addEventListener('relogin', () => {
      if (this.state !== 'left') sig.send({ type: 'join', room: this.room });
    });
  }

  #arrived() {
    this.present = true;
    if (!isUp(this.link)) this.#setState('starting');
  }

  // Gone from the room without saying "ended": keep the picture while it flows (its signaling may be back soon).
  #departed() {
    this.present = false;
    if (isUp(this.link)) return;
    if (this.state === 'joining' || this.state === 'waiting') this.#setState('waiting');
    else this.#ended();
  }

  #ended() {
    this.present = false;
    this.#closeLink();
    this.#setState('ended');
  }

  #newLink() {
    this.#closeLink();
    const link = new PeerLink({
      signaling: this.sig, remote: this.name, polite: true, iceServers: this.sig.iceServers,
    });
    this.link = link;
    const stream = new MediaStream();
    link.addEventListener('track', ({ detail }) => {
      stream.addTrack(detail.track);
      this.stream = stream;
      this.#emit('stream', { stream });
    });
    link.addEventListener('state', ({ detail }) => {
      if (this.link !== link) return;
      if (detail.state === 'connected') this.#setState('live');
      else if (!this.present && !isUp(link)) this.#ended();
    });
    link.addEventListener('failed', ({ detail }) => {
      if (this.link !== link) return;
      this.#closeLink();
      // The broadcaster starts a new connection to us if it is still there.
      if (this.present) {
        this.#emit('error', { message: `${detail.message} Trying again…` });
        this.#setState('starting');
      } else {
        this.#ended();
      }
    });
    link.addEventListener('error', ({ detail }) => console.warn('broadcast:', detail.message));
    this.#setState('starting');
    this.#emit('link', { link });
  }

  #closeLink() {
    this.link?.close();
    this.link = null;
    this.stream = null;
  }

  #setState(state) {
    if (this.state === state) return;
    this.state = state;
    this.#emit('state', { state });
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

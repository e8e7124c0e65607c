// The Room page's full mesh: one PeerLink to every other person in the room, each signaled by name.
//
// Who opens a link: the newcomer, to everyone the server listed in `joined` (impolite, it offers first);
// the members answer with a polite link. Before an offer that starts a NEW connection the opener sends a direct
// message {mesh:'new-link'}: the server delivers it before the offer, so the other side drops whatever old
// connection it still had to the opener and answers with a fresh one (an offer without it belongs to an old
// connection and is not answered that way). That one rule also rebuilds links that broke:
// - a link that failed (after its own ICE restarts) is rebuilt by whoever saw it fail; when both open at once,
//   the first name in sort order keeps its offer and the other yields;
// - after a signaling reconnect the page joins again and sends {mesh:'check'} over every link it kept; a person
//   who meanwhile dropped theirs (they saw us leave) answers by opening a new one.
// Events: 'link' {name} (a connection to name is being set up), 'stream' {name, stream},
// 'connection' {name, state: 'connecting' | 'reconnecting' | ''}, 'gone' {name, reason}, 'error' {message}.
import { PeerLink, answerOffer } from './peer.js';

const MAX_REBUILDS = 2;          // per person, reset once their link connects
const REBUILD_DELAY_MS = 1000;

export class Mesh extends EventTarget {
  // signaling: a logged-in Signaling; room: the room's name; stream: your camera and microphone (or null).
  constructor({ signaling, room, stream }) {
    super();
    this.signaling = signaling;
    this.room = room;
    this.stream = stream;
    this.members = new Set(); // the others in the room, as the server last told us
    this.links = new Map();   // name -> PeerLink
    this.rebuilds = new Map(); // name -> rebuilds since the last connected link
    this.expecting = new Set(); // names that announced a new link: their next offer starts it
    this.closed = false;
  }

  get self() {
    return this.signaling.name;
  }

  // The first `joined`: open a link to everyone already there.
  start(peers) {
    this.members = new Set(peers);
    for (const name of peers) this.connectTo(name);
  }

  // `joined` again after a signaling reconnect: keep the links that are up and ask their far ends whether they
  // kept theirs; open new links to the others listed, including those we were still negotiating with (their
  // offers or candidates may have been lost with the connection). Links to people not listed stay: after a
  // server restart the others rejoin one by one, and a link to someone really gone fails by itself.
  rejoin(peers) {
    this.members = new Set(peers);
    for (const name of peers) {
      if (this.links.get(name)?.pc.connectionState === 'connected') this.#control(name, 'check');
      else this.connectTo(name);
    }
  }

  peerJoined(name) {
    // An existing link stays: the person reconnected to the server, not to us. A new person offers to us.
    this.members.add(name);
  }

  peerLeft(name, reason) {
    this.members.delete(name);
    this.rebuilds.delete(name);
    this.expecting.delete(name);
    this.#drop(name);
    this.#emit('gone', { name, reason });
  }

  // offer / answer / candidate from `message.name`.
  handleSignal(message) {
    const from = message.name;
    const link = this.links.get(from);
    if (link) {
      link.handleSignal(message);
      return true;
    }
    if (message.type !== 'offer' || !this.members.has(from) || this.closed) return false;
    if (!this.expecting.delete(from)) {
      // An offer over a connection we no longer have (an ICE restart on their side of a link we dropped):
      // answering it with a new connection would not match theirs, so open a fresh one instead.
      this.connectTo(from);
      return true;
    }
    const fresh = this.#newLink(from, true);
    answerOffer(fresh, message.offer, (pc) => this.#addTracks(pc));
    return true;
  }

  // A direct {mesh, room} message from a person in the room.
  handleControl(from, data) {
    if (this.closed || data.room !== this.room || !this.members.has(from)) return;
    const link = this.links.get(from);
    if (data.mesh === 'new-link') {
      // Both opened at once: the first name in sort order keeps its own offer, the other yields.
      if (link && !link.polite && link.pc.connectionState !== 'connected' && this.self < from) return;
      this.#drop(from);
      this.expecting.add(from);
      this.#emit('connection', { name: from, state: 'connecting' });
    } else if (data.mesh === 'check' && !link) {
      this.connectTo(from);
    }
  }

  // Opens a fresh link to `name` (impolite: it offers as soon as the tracks are added).
  connectTo(name) {
    // Already announced by them: their offer is on its way, and a second opener would cross it.
    if (this.closed || this.expecting.has(name)) return;
    this.#drop(name);
    this.#control(name, 'new-link');
    const link = this.#newLink(name, false);
    if (!this.#addTracks(link.pc)) {
      // Nothing to send: still ask to receive, which also starts the negotiation.
      link.pc.addTransceiver('audio', { direction: 'recvonly' });
      link.pc.addTransceiver('video', { direction: 'recvonly' });
    }
  }

  close() {
    this.closed = true;
    for (const name of [...this.links.keys()]) this.#drop(name);
    this.members.clear();
    this.expecting.clear();
  }

  #newLink(name, polite) {
    const link = new PeerLink({ signaling: this.signaling, remote: name, polite,
      iceServers: this.signaling.iceServers });
    const stream = new MediaStream();
    link.remoteStream = stream;
    this.links.set(name, link);
    this.#emit('link', { name });
    link.addEventListener('track', ({ detail: { track } }) => {
      stream.addTrack(track);
      track.addEventListener('ended', () => stream.removeTrack(track));
      this.#emit('stream', { name, stream });
    });
    link.addEventListener('state', ({ detail: { state } }) => {
      if (state === 'connected') this.rebuilds.delete(name);
      const words = { connected: '', disconnected: 'reconnecting', new: 'connecting', connecting: 'connecting' };
      if (state in words) this.#emit('connection', { name, state: words[state] });
    });
    link.addEventListener('restarting', () => this.#emit('connection', { name, state: 'reconnecting' }));
    link.addEventListener('error', ({ detail }) => this.#emit('error', detail));
    link.addEventListener('failed', ({ detail }) => this.#onFailed(name, link, detail.message));
    return link;
  }

  #onFailed(name, link, message) {
    if (this.links.get(name) !== link) return;
    this.#drop(name);
    this.#emit('gone', { name, reason: message });
    const count = this.rebuilds.get(name) ?? 0;
    if (!this.members.has(name) || count >= MAX_REBUILDS) return;
    this.rebuilds.set(name, count + 1);
    setTimeout(() => {
      if (!this.closed && this.members.has(name) && !this.links.has(name)) this.connectTo(name);
    }, REBUILD_DELAY_MS);
  }

  // Adds your tracks to a connection; false when there are none.
  #addTracks(pc) {
    const tracks = this.stream?.getTracks() ?? [];
    for (const track of tracks) pc.addTrack(track, this.stream);
    return tracks.length > 0;
  }

  #drop(name) {
    const link = this.links.get(name);
    if (!link) return false;
    this.links.delete(name);
    link.close();
    return true;
  }

  #control(name, mesh) {
    this.signaling.send({ type: 'message', name, data: { mesh, room: this.room } });
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

// One RTCPeerConnection with one other person, signaled through the server by name.
//
// Negotiation follows the W3C "perfect negotiation" pattern: either side may (re)negotiate at any time, and when
// both offer at once the polite side yields. So an ICE restart, a track added later, or a renegotiation started
// by the far end all take the same path. Remote candidates that arrive before the remote description are
// queued. When ICE fails — or stays disconnected for a few seconds — the link restarts ICE, up to
// MAX_RESTARTS times, before it reports "failed" and the page ends the call.

const DISCONNECTED_GRACE_MS = 3000;
const RESTART_TIMEOUT_MS = 10000;
const MAX_RESTARTS = 2;

export class PeerLink extends EventTarget {
  // signaling: a Signaling; remote: the other person's name; polite: yields on offer collisions;
  // iceServers: from the login answer.
  constructor({ signaling, remote, polite, iceServers = [], iceTransportPolicy = 'all' }) {
    super();
    this.signaling = signaling;
    this.remote = remote;
    this.polite = polite;
    this.pc = new RTCPeerConnection({ iceServers, iceTransportPolicy });
    this.makingOffer = false;
    this.ignoreOffer = false;
    this.pendingCandidates = [];
    this.restarts = 0;
    this.closed = false;
    this.graceTimer = null;
    this.restartTimer = null;
    this.#wire();
  }

  // The message types this link consumes: the page routes { type, name: remote, … } here.
  async handleSignal(message) {
    if (this.closed) return;
    try {
      if (message.type === 'offer' || message.type === 'answer') {
        await this.#onDescription(message[message.type]);
      } else if (message.type === 'candidate') {
        await this.#onCandidate(message.candidate);
      }
    } catch (err) {
      this.#emit('error', { message: `Negotiation with ${this.remote} failed: ${err.message}` });
    }
  }

  createDataChannel(label, options) {
    return this.pc.createDataChannel(label, options);
  }

  restartIce() {
    if (this.closed) return;
    this.restarts += 1;
    this.#emit('restarting', { attempt: this.restarts });
    this.pc.restartIce();
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => this.#checkRecovered(), RESTART_TIMEOUT_MS);
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.graceTimer);
    clearTimeout(this.restartTimer);
    this.pc.close();
    this.#emit('closed', {});
  }

  #wire() {
    const pc = this.pc;
    pc.onnegotiationneeded = async () => {
      try {
        this.makingOffer = true;
        await pc.setLocalDescription();
        this.#send('offer', { offer: descriptionJson(pc.localDescription) });
      } catch (err) {
        this.#emit('error', { message: `Could not create an offer: ${err.message}` });
      } finally {
        this.makingOffer = false;
      }
    };
    pc.onicecandidate = ({ candidate }) => {
      // null: gathering is complete; it is passed on as end-of-candidates.
      this.#send('candidate', { candidate: candidate ? candidate.toJSON() : null });
    };
    pc.ontrack = (event) => this.#emit('track', { track: event.track, streams: event.streams });
    pc.ondatachannel = (event) => this.#emit('datachannel', { channel: event.channel });
    pc.onconnectionstatechange = () => {
      this.#emit('state', { state: pc.connectionState });
      if (pc.connectionState === 'connected') {
        this.restarts = 0;
        clearTimeout(this.restartTimer);
      }
    };
    pc.oniceconnectionstatechange = () => this.#onIceState(pc.iceConnectionState);
  }

  #onIceState(state) {
    clearTimeout(this.graceTimer);
    if (state === 'failed') {
      this.#recover();
    } else if (state === 'disconnected') {
      // Often a blip (a lost consent check): give it a moment before restarting.
      this.graceTimer = setTimeout(() => {
        if (this.pc.iceConnectionState === 'disconnected') this.#recover();
      }, DISCONNECTED_GRACE_MS);
    }
  }

  #recover() {
    if (this.closed) return;
    if (this.restarts >= MAX_RESTARTS) {
      this.#emit('failed', { message: `The connection to ${this.remote} was lost and could not be restored.` });
      return;
    }
    this.restartIce();
  }

  #checkRecovered() {
    const state = this.pc.iceConnectionState;
    if (!this.closed && state !== 'connected' && state !== 'completed') this.#recover();
  }

  async #onDescription(description) {
    if (!description || typeof description.sdp !== 'string') throw new Error('malformed session description');
    const pc = this.pc;
    const collision = description.type === 'offer' && (this.makingOffer || pc.signalingState !== 'stable');
    this.ignoreOffer = !this.polite && collision;
    if (this.ignoreOffer) return;
    await pc.setRemoteDescription(description);
    await this.#flushCandidates();
    if (description.type === 'offer') {
      this.#emit('offer-applied', {}); // the page may add its tracks now, before the answer
      await pc.setLocalDescription();
      this.#send('answer', { answer: descriptionJson(pc.localDescription) });
    }
  }

  async #onCandidate(candidate) {
    if (!this.pc.remoteDescription) {
      if (this.pendingCandidates.length < 200) this.pendingCandidates.push(candidate);
      return;
    }
    await this.#addCandidate(candidate);
  }

  async #flushCandidates() {
    const queued = this.pendingCandidates;
    this.pendingCandidates = [];
    for (const candidate of queued) await this.#addCandidate(candidate);
  }

  async #addCandidate(candidate) {
    try {
      await this.pc.addIceCandidate(candidate ?? undefined);
    } catch (err) {
      if (!this.ignoreOffer) console.warn(`candidate from ${this.remote} refused:`, err.message);
    }
  }

  #send(type, body) {
    if (this.closed) return;
    this.signaling.send({ type, name: this.remote, ...body });
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

function descriptionJson(d) {
  return { type: d.type, sdp: d.sdp };
}

// Applies an offer that arrived before the page decided to answer (an incoming call), then lets the page attach
// its tracks to the offered transceivers so that the answer sends them: call after constructing the link.
export async function answerOffer(link, offer, attachTracks) {
  const off = () => link.removeEventListener('offer-applied', onApplied);
  const onApplied = () => { off(); attachTracks(link.pc); };
  link.addEventListener('offer-applied', onApplied);
  await link.handleSignal({ type: 'offer', offer });
  off();
}

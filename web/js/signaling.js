// The signaling connection: one WebSocket to the server's /ws speaking peerhub's protocol ("version": 1).
//
// It logs in, hands every message to the handlers registered for its "type", and when the connection drops it
// reconnects by itself with exponential back-off (0.5 s doubling to 10 s, with jitter) and logs in again under
// the same name. Pages listen to the "status" event to say what is happening ("reconnecting in 4 s…") and to
// "relogin" to rejoin what they were in (rooms, a broadcast) once the server knows them again.

const BACKOFF_FIRST_MS = 500;
const BACKOFF_MAX_MS = 10000;
const LOGIN_TIMEOUT_MS = 10000;

export function defaultSignalingUrl(loc = window.location) {
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${loc.host}/ws`;
}

// Words for the error codes the server sends, for the page rather than the console.
const LOGIN_ERRORS = {
  'name-taken': (name) => `The name “${name}” is already in use — choose another.`,
  'invalid-name': () => 'Names are 1 to 64 characters without control characters.',
  unauthorized: () => 'This server requires an access token to log in.',
};

export class LoginError extends Error {
  constructor(reply, name) {
    const words = LOGIN_ERRORS[reply.error];
    super(words ? words(name) : reply.message || `Login refused (${reply.error}).`);
    this.code = reply.error;
  }
}

export class Signaling extends EventTarget {
  constructor({ url = defaultSignalingUrl(), token } = {}) {
    super();
    this.url = url;
    this.token = token;
    this.name = null;          // the name we are logged in under (kept across reconnects)
    this.iceServers = [];      // from the last login answer
    this.state = 'offline';    // offline | connecting | connected | ready | reconnecting | closed
    this.handlers = new Map(); // type -> Set<fn>
    this.ws = null;
    this.attempt = 0;
    this.retryTimer = null;
    this.pendingLogin = null;  // { resolve, reject, timer, name }
    this.closedByUser = false;
  }

  on(type, fn) {
    if (!this.handlers.has(type)) this.handlers.set(type, new Set());
    this.handlers.get(type).add(fn);
    return () => this.handlers.get(type)?.delete(fn);
  }

  // Resolves with the login answer ({ name, iceServers }); rejects with a LoginError the page can show.
  async login(name) {
    await this.open();
    const reply = await this.#sendLogin(name);
    this.name = reply.name;
    this.iceServers = Array.isArray(reply.iceServers) ? reply.iceServers : [];
    this.#setState('ready');
    return reply;
  }

  // Sends one message; false when the connection is down (the caller decides what that means for it).
  send(message) {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(message));
    return true;
  }

  close() {
    this.closedByUser = true;
    clearTimeout(this.retryTimer);
    this.ws?.close(1000, 'bye');
    this.#setState('closed');
  }

  // Connects (once) and resolves when the socket is open.
  open() {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) return Promise.resolve();
    if (this.opening) return this.opening;
    this.opening = new Promise((resolve, reject) => {
      this.#setState(this.attempt > 0 ? 'reconnecting' : 'connecting');
      let ws;
      try {
        ws = new WebSocket(this.url);
      } catch (err) {
        this.opening = null;
        reject(err);
        return;
      }
      this.ws = ws;
      ws.onopen = () => {
        this.opening = null;
        this.attempt = 0;
        this.#setState('connected');
        resolve();
      };
      ws.onmessage = (event) => this.#dispatch(event.data);
      ws.onclose = (event) => {
        const wasOpening = this.opening;
        this.opening = null;
        if (this.ws === ws) this.ws = null;
        this.#failLogin(new Error('The connection to the server closed.'));
        if (wasOpening) reject(new Error(`Cannot reach the signaling server at ${this.url}.`));
        this.#emit('disconnected', { code: event.code, reason: event.reason });
        if (!this.closedByUser) this.#scheduleReconnect();
      };
    });
    return this.opening;
  }

  #sendLogin(name) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.#failLogin(new Error('The server did not answer the login.')),
        LOGIN_TIMEOUT_MS);
      this.pendingLogin = { resolve, reject, timer, name };
      const message = { type: 'login', name, version: 1 };
      if (this.token) message.token = this.token;
      this.send(message);
    });
  }

  #failLogin(err) {
    const pending = this.pendingLogin;
    if (!pending) return;
    this.pendingLogin = null;
    clearTimeout(pending.timer);
    pending.reject(err);
  }

  #scheduleReconnect() {
    clearTimeout(this.retryTimer);
    const base = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** this.attempt);
    const delay = Math.round(base * (0.8 + Math.random() * 0.4));
    this.attempt += 1;
    this.#setState('reconnecting', { retryInMs: delay, attempt: this.attempt });
    this.retryTimer = setTimeout(() => this.#reconnect(), delay);
  }

  async #reconnect() {
    try {
      await this.open();
    } catch {
      return; // onclose scheduled the next attempt
    }
    if (!this.name) return;
    try {
      const reply = await this.#sendLogin(this.name);
      this.iceServers = Array.isArray(reply.iceServers) ? reply.iceServers : [];
      this.#setState('ready');
      this.#emit('relogin', reply);
    } catch (err) {
      // The server may not yet have noticed our old connection is gone (name-taken): try again shortly.
      if (err instanceof LoginError && err.code === 'name-taken' && this.ws) {
        this.ws.close(4000, 'retry login');
        return;
      }
      this.#emit('error-message', { message: err.message });
    }
  }

  #dispatch(text) {
    let message;
    try {
      message = JSON.parse(text);
    } catch {
      console.warn('signaling: not JSON', text);
      return;
    }
    if (message.type === 'login' && this.pendingLogin) {
      const pending = this.pendingLogin;
      this.pendingLogin = null;
      clearTimeout(pending.timer);
      if (message.success) pending.resolve(message);
      else pending.reject(new LoginError(message, pending.name));
      return;
    }
    const handlers = this.handlers.get(message.type);
    if (handlers && handlers.size) {
      for (const fn of [...handlers]) fn(message);
    } else if (message.type === 'error') {
      this.#emit('error-message', message);
    }
  }

  #setState(state, detail = {}) {
    this.state = state;
    this.#emit('status', { state, ...detail });
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

// Words for the connection status line every page shows.
export function describeStatus({ state, retryInMs }) {
  switch (state) {
    case 'connecting': return 'Connecting to the server…';
    case 'connected': return 'Connected.';
    case 'ready': return 'Online.';
    case 'reconnecting':
      return retryInMs ? `Connection lost — reconnecting in ${Math.ceil(retryInMs / 1000)} s…` : 'Reconnecting…';
    case 'closed': return 'Disconnected.';
    default: return 'Offline.';
  }
}

// A WebSocket client for tests: buffers every incoming message from the moment the socket opens, so a test
// can ask for the next one matching a predicate without racing the server.
import { isDeepStrictEqual } from 'node:util';
import WebSocket from 'ws';

// `pattern` is a function (msg) => bool, or an object whose keys must all equal the message's (deep).
export function matches(msg, pattern) {
  if (typeof pattern === 'function') return pattern(msg);
  if (msg === null || typeof msg !== 'object') return false;
  return Object.entries(pattern).every(([k, v]) => isDeepStrictEqual(msg[k], v));
}

export class Client {
  constructor(ws) {
    this.ws = ws;
    this.inbox = [];  // { msg, raw, binary }
    this.waiters = [];
    this.pings = 0;
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') }));
    });
    ws.on('ping', () => this.pings++);
    ws.on('message', (data, isBinary) => {
      const raw = isBinary ? data : data.toString('utf8');
      let msg = null;
      if (!isBinary) {
        try {
          msg = JSON.parse(raw);
        } catch {
          msg = null;
        }
      }
      this.inbox.push({ msg, raw, binary: isBinary });
      this.#wake();
    });
    ws.on('error', () => {});  // surfaced through `closed`
  }

  get isOpen() {
    return this.ws.readyState === WebSocket.OPEN;
  }

  send(message) {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  sendBinary(bytes) {
    this.ws.send(bytes, { binary: true });
  }

  // Resolves with the first buffered or future JSON message matching `pattern` (removing it from the buffer),
  // or rejects after timeoutMs listing what did arrive.
  next(pattern = () => true, timeoutMs = 3000) {
    return this.nextRaw(pattern, timeoutMs).then((e) => e.msg);
  }

  // Like next() but resolves with { msg, raw } so a test can check the exact text on the wire.
  nextRaw(pattern = () => true, timeoutMs = 3000) {
    const found = this.#take(pattern);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const waiter = { pattern, resolve };
      waiter.timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        const seen = this.inbox.map((e) => (e.binary ? '<binary>' : e.raw)).join('\n  ');
        reject(new Error(`no message matching ${describe(pattern)} within ${timeoutMs} ms; buffered:\n  ${seen}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  // Asserts that nothing matching `pattern` arrives within `ms` (buffered messages count too).
  async expectNone(pattern = () => true, ms = 300) {
    await new Promise((r) => setTimeout(r, ms));
    const hit = this.inbox.find((e) => e.msg !== null && matches(e.msg, pattern));
    if (hit) throw new Error(`unexpected message: ${hit.raw}`);
  }

  // Everything buffered so far (and clears the buffer).
  drain() {
    const all = this.inbox.map((e) => e.msg);
    this.inbox = [];
    return all;
  }

  close(code = 1000) {
    this.ws.close(code);
    return this.closed;
  }

  // Drops the TCP connection without a closing handshake, as a crashed browser would.
  terminate() {
    this.ws.terminate();
    return this.closed;
  }

  #take(pattern) {
    const i = this.inbox.findIndex((e) => e.msg !== null && matches(e.msg, pattern));
    if (i < 0) return null;
    const [entry] = this.inbox.splice(i, 1);
    return entry;
  }

  #wake() {
    for (const waiter of [...this.waiters]) {
      const found = this.#take(waiter.pattern);
      if (!found) continue;
      clearTimeout(waiter.timer);
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve(found);
    }
  }
}

function describe(pattern) {
  return typeof pattern === 'function' ? pattern.toString() : JSON.stringify(pattern);
}

// Opens a WebSocket to `url`; resolves once open. Options go to `ws` (e.g. autoPong: false,
// rejectUnauthorized: false, maxPayload).
export function connect(url, options = {}, timeoutMs = 5000) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { handshakeTimeout: timeoutMs, ...options });
    const client = new Client(ws);
    ws.once('open', () => resolve(client));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

// Connects and logs in with peerhub's own dialect (version 1); resolves with [client, loginReply].
export async function loginV1(url, name, extra = {}) {
  const c = await connect(url);
  c.send({ type: 'login', name, version: 1, ...extra });
  const reply = await c.next({ type: 'login' });
  return [c, reply];
}

// Connects and logs in the way the Java-WebSocket tutorial's page does (no version).
export async function loginJava(url, name) {
  const c = await connect(url);
  c.send({ type: 'login', name });
  const reply = await c.next({ type: 'login' });
  return [c, reply];
}

// Closes every client given, ignoring ones already gone.
export async function closeAll(...clients) {
  await Promise.all(clients.flat().filter(Boolean).map((c) => (c.isOpen ? c.close() : c.closed)));
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

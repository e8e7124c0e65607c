// A small STUN/TURN client for tests, written from RFC 8489 (STUN) and RFC 8656 (TURN) independently of peerhub's
// C++ codec (src/stun), so that it checks that codec from the outside: the tests build requests here, peerhub
// answers, and every response is parsed and verified (MESSAGE-INTEGRITY, FINGERPRINT) here again.
//
//   const c = await TurnClient.open({ port, username: 'u', password: 'p' });   // or openTcp, over one connection
//   const a = await c.allocate();                 // 401 challenge, then the signed Allocate
//   const r = await c.request(Method.createPermission, [xorPeerAddress({ address: '127.0.0.1', port: 9 })]);
//   r.cls === 'error' && r.error.code === 403
//
// Only what the tests need: UDP, TCP and TLS, IPv4 and IPv6 addresses, MD5 long-term credentials (RFC 8489 §9.2.2).
import { createHash, createHmac, randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import net from 'node:net';
import tls from 'node:tls';

export const MAGIC_COOKIE = 0x2112a442;

export const Method = {
  binding: 0x001, allocate: 0x003, refresh: 0x004, send: 0x006, data: 0x007, createPermission: 0x008,
  channelBind: 0x009,
};

// RFC 8489 §18.3 (STUN) and RFC 8656 §18 (TURN).
export const Attr = {
  mappedAddress: 0x0001, username: 0x0006, messageIntegrity: 0x0008, errorCode: 0x0009, unknownAttributes: 0x000a,
  channelNumber: 0x000c, lifetime: 0x000d, xorPeerAddress: 0x0012, data: 0x0013, realm: 0x0014, nonce: 0x0015,
  xorRelayedAddress: 0x0016, requestedAddressFamily: 0x0017, requestedTransport: 0x0019, xorMappedAddress: 0x0020,
  software: 0x8022, fingerprint: 0x8028,
};

const CLASSES = ['request', 'indication', 'success', 'error'];

// §5: the class bits C1 C0 sit at bits 8 and 4 of the type, between the method's bits M11..M7, M6..M4, M3..M0.
export function messageType(method, cls) {
  const c = CLASSES.indexOf(cls);
  if (c < 0) throw new Error(`unknown class ${cls}`);
  return (method & 0x000f) | ((method & 0x0070) << 1) | ((method & 0x0f80) << 2) | ((c & 1) << 4) | ((c & 2) << 7);
}

function splitType(type) {
  const method = (type & 0x000f) | ((type & 0x00e0) >> 1) | ((type & 0x3e00) >> 2);
  const cls = CLASSES[((type >> 4) & 1) | ((type >> 7) & 2)];
  return { method, cls };
}

// ---- attribute values ----

export function u32(value) {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(value >>> 0);
  return b;
}

const FAMILY = { 4: 0x01, 6: 0x02 };

// §14.2 XOR-MAPPED-ADDRESS (and XOR-PEER-ADDRESS / XOR-RELAYED-ADDRESS, RFC 8656 §18.3, §18.5): the port is
// XORed with the cookie's top 16 bits, an IPv4 address with the cookie, an IPv6 one with cookie + transaction ID.
function xorAddressValue({ address, port }, transactionId) {
  const v = net.isIP(address);
  if (!v) throw new Error(`not an IP address: ${address}`);
  const raw = v === 4 ? Buffer.from(address.split('.').map(Number)) : ipv6Bytes(address);
  const mask = Buffer.concat([u32(MAGIC_COOKIE), transactionId]);
  const out = Buffer.alloc(4 + raw.length);
  out[1] = FAMILY[v];
  out.writeUInt16BE(port ^ (MAGIC_COOKIE >>> 16), 2);
  for (let i = 0; i < raw.length; i++) out[4 + i] = raw[i] ^ mask[i];
  return out;
}

function readXorAddress(value, transactionId) {
  if (value.length < 8) throw new Error('address attribute too short');
  const family = value[1];
  const len = family === 0x01 ? 4 : family === 0x02 ? 16 : 0;
  if (!len || value.length !== 4 + len) throw new Error(`bad address family ${family} / length ${value.length}`);
  const mask = Buffer.concat([u32(MAGIC_COOKIE), transactionId]);
  const raw = Buffer.alloc(len);
  for (let i = 0; i < len; i++) raw[i] = value[4 + i] ^ mask[i];
  const port = value.readUInt16BE(2) ^ (MAGIC_COOKIE >>> 16);
  const address = len === 4 ? [...raw].join('.') : ipv6Text(raw);
  return { family: len === 4 ? 4 : 6, address, port };
}

function ipv6Bytes(text) {
  const [head, tail = ''] = text.split('::');
  const words = (s) => (s ? s.split(':').map((w) => parseInt(w, 16)) : []);
  const h = words(head);
  const t = text.includes('::') ? words(tail) : [];
  const all = [...h, ...new Array(8 - h.length - t.length).fill(0), ...t];
  const out = Buffer.alloc(16);
  all.forEach((w, i) => out.writeUInt16BE(w, 2 * i));
  return out;
}

function ipv6Text(raw) {
  const words = [];
  for (let i = 0; i < 16; i += 2) words.push(raw.readUInt16BE(i).toString(16));
  return words.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

// Attributes as [type, value] pairs, for encode().
export const username = (name) => [Attr.username, Buffer.from(name, 'utf8')];
export const realm = (text) => [Attr.realm, Buffer.from(text, 'utf8')];
export const nonce = (bytes) => [Attr.nonce, Buffer.from(bytes)];
export const lifetime = (seconds) => [Attr.lifetime, u32(seconds)];
// RFC 8656 §18.7: protocol 17 (UDP) in the first byte, then RFFU.
export const requestedTransport = (protocol = 17) => [Attr.requestedTransport, Buffer.from([protocol, 0, 0, 0])];
// RFC 8656 §18.8: the family (0x01 IPv4, 0x02 IPv6) in the first byte, then RFFU.
export const requestedAddressFamily = (family) =>
  [Attr.requestedAddressFamily, Buffer.from([FAMILY[family], 0, 0, 0])];
export const channelNumber = (n) => [Attr.channelNumber, Buffer.from([n >> 8, n & 0xff, 0, 0])];
export const data = (bytes) => [Attr.data, Buffer.from(bytes)];
// The address is encoded with the message's transaction ID, which encode() supplies: a function of it.
export const xorPeerAddress = (addr) => [Attr.xorPeerAddress, (tid) => xorAddressValue(addr, tid)];

// RFC 8489 §9.2.2: key = MD5(username ":" OpaqueString(realm) ":" OpaqueString(password)); the tests use ASCII.
export function longTermKey(user, realmText, password) {
  return createHash('md5').update(`${user}:${realmText}:${password}`, 'utf8').digest();
}

// coturn's use-auth-secret (the "TURN REST API" draft): username "<expiry>:<name>", password
// base64(HMAC-SHA1(secret, username)).
export function restCredential(secret, name, expiresUnix = Math.floor(Date.now() / 1000) + 3600) {
  const user = `${expiresUnix}:${name}`;
  return { username: user, password: createHmac('sha1', secret).update(user).digest('base64') };
}

// ---- messages ----

// Builds a message. `attributes` are [type, Buffer | (transactionId) => Buffer]; with `key`, MESSAGE-INTEGRITY
// (§14.5) is appended, then FINGERPRINT (§14.7) when `fingerprint`.
export function encode({ method, cls = 'request', transactionId = randomBytes(12), attributes = [], key = null,
  fingerprint = true }) {
  const parts = [];
  for (const [type, value] of attributes) {
    const v = typeof value === 'function' ? value(transactionId) : value;
    const head = Buffer.alloc(4);
    head.writeUInt16BE(type, 0);
    head.writeUInt16BE(v.length, 2);
    parts.push(head, v, Buffer.alloc((4 - (v.length % 4)) % 4));
  }
  let body = Buffer.concat(parts);
  const header = (extra) => {
    const h = Buffer.alloc(20);
    h.writeUInt16BE(messageType(method, cls), 0);
    h.writeUInt16BE(body.length + extra, 2);
    h.writeUInt32BE(MAGIC_COOKIE, 4);
    transactionId.copy(h, 8);
    return h;
  };
  if (key) {
    // The HMAC covers the header with a length that already counts the MESSAGE-INTEGRITY attribute (24 bytes).
    const mac = createHmac('sha1', key).update(Buffer.concat([header(24), body])).digest();
    body = Buffer.concat([body, attrHeader(Attr.messageIntegrity, 20), mac]);
  }
  if (fingerprint) {
    const crc = (crc32(Buffer.concat([header(8), body])) ^ 0x5354554e) >>> 0;
    body = Buffer.concat([body, attrHeader(Attr.fingerprint, 4), u32(crc)]);
  }
  return Buffer.concat([header(0), body]);
}

function attrHeader(type, length) {
  const h = Buffer.alloc(4);
  h.writeUInt16BE(type, 0);
  h.writeUInt16BE(length, 2);
  return h;
}

export function isStun(buf) {
  return buf.length >= 20 && (buf[0] & 0xc0) === 0 && buf.readUInt32BE(4) === MAGIC_COOKIE;
}

// Parses and validates a STUN message (§5, §14): throws on anything malformed. Returns { method, cls,
// transactionId, attributes: [{ type, value, offset }], get(type), raw, error?, and the decoded addresses }.
export function decode(buf) {
  if (!isStun(buf)) throw new Error('not a STUN message');
  const length = buf.readUInt16BE(2);
  if (length % 4 !== 0 || 20 + length !== buf.length) throw new Error(`length ${length} for ${buf.length} bytes`);
  const { method, cls } = splitType(buf.readUInt16BE(0));
  const transactionId = Buffer.from(buf.subarray(8, 20));
  const attributes = [];
  for (let at = 20; at < buf.length;) {
    if (at + 4 > buf.length) throw new Error('truncated attribute header');
    const type = buf.readUInt16BE(at);
    const len = buf.readUInt16BE(at + 2);
    if (at + 4 + len > buf.length) throw new Error(`attribute 0x${type.toString(16)} overruns the message`);
    attributes.push({ type, value: Buffer.from(buf.subarray(at + 4, at + 4 + len)), offset: at });
    at += 4 + len + ((4 - (len % 4)) % 4);
  }
  const msg = { method, cls, transactionId, attributes, raw: Buffer.from(buf) };
  msg.get = (type) => attributes.find((a) => a.type === type)?.value;
  const err = msg.get(Attr.errorCode);
  if (err) {
    // §14.8: class (hundreds) in the low 3 bits of byte 2, number (0-99) in byte 3, then the reason phrase.
    msg.error = { code: (err[2] & 7) * 100 + err[3], reason: err.subarray(4).toString('utf8') };
  }
  for (const [name, type] of [['mapped', Attr.xorMappedAddress], ['relayed', Attr.xorRelayedAddress],
    ['peer', Attr.xorPeerAddress]]) {
    const v = msg.get(type);
    if (v) msg[name] = readXorAddress(v, transactionId);
  }
  for (const [name, type] of [['realm', Attr.realm], ['nonce', Attr.nonce], ['software', Attr.software]]) {
    const v = msg.get(type);
    if (v) msg[name] = v.toString('utf8');
  }
  const lt = msg.get(Attr.lifetime);
  if (lt) msg.lifetime = lt.readUInt32BE(0);
  return msg;
}

// §14.5: recompute the HMAC over the bytes before MESSAGE-INTEGRITY, with the header's length ending right after
// it. Null when there is no MESSAGE-INTEGRITY.
export function verifyIntegrity(msg, key) {
  const mi = msg.attributes.find((a) => a.type === Attr.messageIntegrity);
  if (!mi) return null;
  const covered = Buffer.from(msg.raw.subarray(0, mi.offset));
  covered.writeUInt16BE(mi.offset - 20 + 24, 2);
  return createHmac('sha1', key).update(covered).digest().equals(mi.value);
}

// §14.7: CRC-32 of everything before FINGERPRINT, XORed with 0x5354554e. Null when there is none.
export function verifyFingerprint(msg) {
  const fp = msg.attributes.find((a) => a.type === Attr.fingerprint);
  if (!fp) return null;
  return ((crc32(msg.raw.subarray(0, fp.offset)) ^ 0x5354554e) >>> 0) === fp.value.readUInt32BE(0);
}

let crcTable;
function crc32(bytes) {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// RFC 8656 §12.4: ChannelData is the channel number (0x4000-0x4fff), the length, then the data (unpadded on UDP).
export function channelData(channel, bytes) {
  const h = Buffer.alloc(4);
  h.writeUInt16BE(channel, 0);
  h.writeUInt16BE(bytes.length, 2);
  return Buffer.concat([h, bytes]);
}

// ---- endpoints: UDP, and TCP to a TURN server ----

// What both endpoints share: a response goes to the request waiting for its transaction ID; anything else
// received (indications, ChannelData, plain datagrams of a peer) goes to an inbox read with next().
class Endpoint {
  constructor(unit) {
    this.unit = unit; // 'datagram' or 'frame', for the messages
    this.pending = new Map(); // transaction ID (hex) -> { resolve, reject }
    this.inbox = [];
    this.waiters = [];
    this.failure = null; // set once nothing more can arrive (a TCP connection that ended)
  }

  received(buf, from) {
    if (isStun(buf)) {
      const waiter = this.pending.get(buf.subarray(8, 20).toString('hex'));
      if (waiter && (buf[0] & 0x01) === 1) { // a success or error response (C1 set)
        waiter.resolve(buf);
        return;
      }
    }
    this.inbox.push({ buf, from });
    this.wake();
  }

  // Nothing more will arrive: waiting requests and next() fail with `err` instead of timing out.
  fail(err) {
    if (this.failure) return;
    this.failure = err;
    for (const waiter of [...this.pending.values()]) waiter.reject(err);
    this.wake();
  }

  wake() {
    for (const w of this.waiters.splice(0)) w();
  }

  // Sends request `bytes` with transmit(), again after each delay in `retransmitMs`, and resolves with the decoded
  // response (a wrong FINGERPRINT throws), or rejects after `timeoutMs`.
  async exchange(bytes, transmit, { timeoutMs, retransmitMs = [], to }) {
    const id = bytes.subarray(8, 20).toString('hex');
    const raw = await new Promise((resolve, reject) => {
      if (this.failure) {
        reject(this.failure);
        return;
      }
      const timers = retransmitMs.map((ms) => setTimeout(() => transmit().catch(() => {}), ms));
      const give = setTimeout(() => end(reject, new Error(`no response from ${to} within ${timeoutMs} ms`)),
        timeoutMs);
      const end = (settle, value) => {
        this.pending.delete(id);
        [...timers, give].forEach(clearTimeout);
        settle(value);
      };
      this.pending.set(id, { resolve: (buf) => end(resolve, buf), reject: (err) => end(reject, err) });
      transmit().catch((err) => end(reject, err));
    });
    const msg = decode(raw);
    const fp = verifyFingerprint(msg);
    if (fp === false) throw new Error('response with a wrong FINGERPRINT');
    msg.hasFingerprint = fp === true;
    return msg;
  }

  // The next entry ({ buf, from }) in the inbox that `match(entry)` accepts, waiting up to `timeoutMs`.
  async next(match = () => true, { timeoutMs = 3000 } = {}) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.inbox.findIndex(match);
      if (i >= 0) return this.inbox.splice(i, 1)[0];
      if (this.failure) throw this.failure;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching ${this.unit} within ${timeoutMs} ms`);
      await new Promise((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }
}

// One UDP socket on 127.0.0.1 (or ::1).
export class UdpEndpoint extends Endpoint {
  static async open(host = '127.0.0.1') {
    const socket = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
    await new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, host, resolve);
    });
    return new UdpEndpoint(socket);
  }

  constructor(socket) {
    super('datagram');
    this.socket = socket;
    socket.on('message', (buf, rinfo) => this.received(buf, { address: rinfo.address, port: rinfo.port }));
  }

  get address() {
    return this.socket.address();
  }

  send(bytes, port, host = '127.0.0.1') {
    return new Promise((resolve, reject) => this.socket.send(bytes, port, host, (e) => (e ? reject(e) : resolve())));
  }

  // Sends a request (retransmitted after 500 ms and 1.5 s, §6.2.1, though loopback loses nothing) and resolves
  // with its decoded response, or rejects after `timeoutMs`.
  transact(bytes, port, host = '127.0.0.1', { timeoutMs = 3000 } = {}) {
    return this.exchange(bytes, () => this.send(bytes, port, host),
      { timeoutMs, retransmitMs: [500, 1500], to: `${host}:${port}` });
  }

  close() {
    this.socket.close();
  }
}

// RFC 8656 §12.5: on a stream nothing marks where a message ends. A STUN message is 20 + its length bytes (the
// length at offset 2, a multiple of 4); ChannelData (first two bits 01) is 4 + its length bytes, padded to a
// multiple of 4. Returns { length, size } (the message, and the bytes it takes on the stream with the padding),
// null while the bytes needed to tell have not all arrived; throws on bytes that start no frame.
export function streamFrame(buf) {
  if (buf.length < 4) return null;
  const length = buf.readUInt16BE(2);
  switch (buf[0] >> 6) {
    case 0:
      if (buf.length < 8) return null;
      if (buf.readUInt32BE(4) !== MAGIC_COOKIE) throw new Error('a STUN message without the magic cookie');
      if (length % 4 !== 0) throw new Error(`a STUN message of length ${length}, not a multiple of 4`);
      return { length: 20 + length, size: 20 + length };
    case 1:
      return { length: 4 + length, size: 4 + length + ((4 - (length % 4)) % 4) };
    default:
      throw new Error(`0x${buf.subarray(0, 4).toString('hex')} starts neither STUN nor ChannelData`);
  }
}

// One TCP connection to a TURN server (RFC 8656 §3.1): the stream is cut into messages (streamFrame), each
// routed like a datagram (the inbox's `from` is the server). Requests are not retransmitted (§6.2.2: the
// stream is reliable). An end of the connection, or bytes that are no frame, fail what waits at once.
export class TcpEndpoint extends Endpoint {
  // `secure`: TURN over TLS (§3.1), accepting any certificate (the tests' are self-signed).
  static async open(port, host = '127.0.0.1', { secure = false } = {}) {
    const socket = secure ? tls.connect({ port, host, rejectUnauthorized: false }) : net.connect({ port, host });
    await new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.once(secure ? 'secureConnect' : 'connect', () => {
        socket.off('error', reject);
        resolve();
      });
    });
    socket.setNoDelay(true);
    return new TcpEndpoint(socket);
  }

  constructor(socket) {
    super('frame');
    this.socket = socket;
    this.server = { address: socket.remoteAddress, port: socket.remotePort };
    this.buffered = Buffer.alloc(0); // received bytes not yet a whole frame
    socket.on('data', (chunk) => this.take(chunk));
    socket.on('error', (err) => this.fail(new Error(`the TCP connection to the TURN server failed: ${err.message}`)));
    socket.on('close', () => this.fail(new Error('the TURN server closed the TCP connection')));
  }

  take(chunk) {
    this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
    let at = 0;
    try {
      for (let frame; (frame = streamFrame(this.buffered.subarray(at))) && at + frame.size <= this.buffered.length;
        at += frame.size) {
        this.received(Buffer.from(this.buffered.subarray(at, at + frame.length)), this.server);
      }
    } catch (err) {
      this.fail(new Error(`the TURN server sent bytes that are no frame: ${err.message}`));
      this.socket.destroy();
      return;
    }
    this.buffered = this.buffered.subarray(at);
  }

  get address() {
    return this.socket.address();
  }

  send(bytes) {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.socket.write(bytes, (e) => (e ? reject(e) : resolve())));
  }

  // Sends a request once and resolves with its decoded response, or rejects after `timeoutMs` or when the
  // connection ends.
  transact(bytes, { timeoutMs = 3000 } = {}) {
    return this.exchange(bytes, () => this.send(bytes),
      { timeoutMs, to: `${this.server.address}:${this.server.port} over TCP` });
  }

  // Stop and restart reading the socket: paused, the kernel's buffers fill and then the server's send queue.
  pause() {
    this.socket.pause();
  }

  resume() {
    this.socket.resume();
  }

  close() {
    this.fail(new Error('the TCP endpoint was closed'));
    this.socket.destroy();
  }
}

// ---- a TURN client with long-term credentials ----

export class TurnClient {
  // `port`/`host`: the TURN server. `username`/`password`: long-term (or REST) credentials.
  static async open({ port, host = '127.0.0.1', username: user, password }) {
    const ep = await UdpEndpoint.open(host);
    return new TurnClient(ep, { port, host, user, password });
  }

  // The same over one TCP connection to the server (`secure`: over TLS).
  static async openTcp({ port, host = '127.0.0.1', username: user, password, secure = false }) {
    const ep = await TcpEndpoint.open(port, host, { secure });
    return new TurnClient(ep, { port, host, user, password });
  }

  constructor(endpoint, { port, host, user, password }) {
    this.ep = endpoint;
    this.server = { port, host };
    // A UDP endpoint names the server in every request; a TCP one is connected to it.
    this.route = endpoint instanceof TcpEndpoint ? [] : [port, host];
    this.user = user;
    this.password = password;
    this.realm = null;
    this.nonce = null;
    this.key = null;
  }

  // Sends `method` with `attributes`: signed with the current realm/nonce when there are some. Returns the
  // decoded response; a response with MESSAGE-INTEGRITY must verify (else it throws).
  async request(method, attributes = [], { sign = true, transactionId } = {}) {
    const signed = sign && this.nonce !== null;
    const attrs = signed ? [username(this.user), realm(this.realm), nonce(this.nonce), ...attributes] : attributes;
    const bytes = encode({ method, attributes: attrs, key: signed ? this.key : null, transactionId });
    const res = await this.ep.transact(bytes, ...this.route);
    if (signed) {
      res.integrity = verifyIntegrity(res, this.key);
      if (res.integrity === false) throw new Error(`response to method ${method} with a wrong MESSAGE-INTEGRITY`);
    }
    return res;
  }

  // Takes REALM and NONCE from a 401/438 and derives the key (§9.2.3).
  learn(res) {
    if (res.realm !== undefined) this.realm = res.realm;
    if (res.nonce !== undefined) this.nonce = res.nonce;
    this.key = longTermKey(this.user, this.realm, this.password);
  }

  // RFC 8656 §7.1: an Allocate without credentials draws a 401 with REALM and NONCE; the same request signed
  // follows (and once more after a 438). Returns the final response, success or error.
  async allocate(extra = [requestedTransport()]) {
    let res = await this.request(Method.allocate, extra, { sign: this.nonce !== null });
    for (let i = 0; i < 2 && res.cls === 'error' && (res.error.code === 401 || res.error.code === 438); i++) {
      if (i > 0 && res.error.code === 401) break; // a signed request refused: wrong credentials
      this.learn(res);
      res = await this.request(Method.allocate, extra);
    }
    return res;
  }

  close() {
    this.ep.close();
  }
}

// What the stream flood tests start from: a TURN client over TCP (or TLS, `service: 'turns'`) of a peerhub whose
// log (`logText`) names the listener, with a UDP relay and a permission for a fresh UDP peer on 127.0.0.1.
// Both endpoints close when the test ends. Returns { client, peer, relayPort, allocation }.
export async function streamClientWithPeer(t, logText, { service = 'turn', username: user = 'u', password = 'p' } = {}) {
  const addr = new RegExp(`listening service=${service} addr=(\\S+)`).exec(logText)[1];
  const cut = addr.lastIndexOf(':');
  const client = await TurnClient.openTcp({ port: Number(addr.slice(cut + 1)), host: addr.slice(0, cut),
    username: user, password, secure: service === 'turns' });
  const peer = await UdpEndpoint.open('127.0.0.1');
  t.after(() => { client.close(); peer.close(); });
  const allocation = await client.allocate();
  if (allocation.cls !== 'success') throw new Error(`Allocate over ${service}: ${JSON.stringify(allocation.error)}`);
  const permission = await client.request(Method.createPermission,
    [xorPeerAddress({ address: '127.0.0.1', port: peer.address.port })]);
  if (permission.cls !== 'success') throw new Error(`CreatePermission: ${JSON.stringify(permission.error)}`);
  return { client, peer, relayPort: allocation.relayed.port, allocation };
}

// Reads what a stream TURN client gets until `quietMs` pass without a frame: every frame must be a Data
// indication carrying `payload` whole (a frame cut short or merged would fail). Returns how many came.
export async function drainDataIndications(endpoint, payload, { quietMs = 500 } = {}) {
  let drained = 0;
  for (;;) {
    let got;
    try {
      got = await endpoint.next(() => true, { timeoutMs: quietMs });
    } catch (err) {
      if (/^no matching frame/.test(err.message)) return drained; // quiet: drained
      throw new Error(`while draining, after ${drained} frames: ${err.message}`);
    }
    const ind = decode(got.buf);
    if (ind.method !== Method.data) throw new Error(`frame ${drained} after the pause is no Data indication`);
    if (!ind.get(Attr.data)?.equals(payload)) {
      throw new Error(`frame ${drained} after the pause does not carry a whole datagram`);
    }
    drained++;
  }
}

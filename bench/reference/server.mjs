#!/usr/bin/env node
// The reference that bench/signaling measures peerhub against: the Java-WebSocket tutorial's signaling server,
// written with Node's `ws` the way such servers usually are (one process, one thread, a map of names).
// Dialect: login / offer / answer / candidate / leave; offer, answer and candidate payloads are delivered as
// JSON strings; an answer without a name goes back to whoever sent the offer; candidate / leave without a
// known name go to the call partner; a name held by a live connection is refused.
//
// Usage: server.mjs [--http ADDR:PORT] (default 127.0.0.1:0). Logs `listening service=http addr=ADDR:PORT` on
// stderr, the same line peerhub logs, so scripts and the integration tests can start either one.
import { WebSocketServer } from 'ws';

const argAt = process.argv.indexOf('--http');
const listen = argAt > 0 ? process.argv[argAt + 1] : '127.0.0.1:0';
const colon = listen.lastIndexOf(':');
const host = listen.slice(0, colon).replace(/^\[|\]$/g, '') || '127.0.0.1';
const port = Number(listen.slice(colon + 1));

const users = new Map();  // name -> socket

function send(socket, message) {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
}

const asString = (payload) => (typeof payload === 'string' ? payload : JSON.stringify(payload ?? null));

function hangUp(socket) {
  const partner = socket.partner;
  socket.partner = null;
  if (partner && partner.partner === socket) partner.partner = null;
  return partner;
}

function handle(socket, data) {
  const named = typeof data.name === 'string' && data.name !== '' ? users.get(data.name) : undefined;
  switch (data.type) {
    case 'login': {
      const name = typeof data.name === 'string' ? data.name : '';
      if (!name || users.has(name) || socket.name) {
        send(socket, { type: 'login', success: false });
        return;
      }
      users.set(name, socket);
      socket.name = name;
      send(socket, { type: 'login', success: true });
      return;
    }
    case 'offer':
      if (!named) return send(socket, { type: 'error', message: `Unknown user: ${data.name}` });
      socket.partner = named;
      named.partner = socket;
      named.offerer = socket;
      return send(named, { type: 'offer', offer: asString(data.offer), name: socket.name });
    case 'answer': {
      const to = named ?? socket.offerer;
      if (!to) return send(socket, { type: 'error', message: `Unknown user: ${data.name}` });
      socket.partner = to;
      to.partner = socket;
      return send(to, { type: 'answer', answer: asString(data.answer), name: socket.name });
    }
    case 'candidate': {
      const to = named ?? socket.partner;
      if (!to) return send(socket, { type: 'error', message: `Unknown user: ${data.name}` });
      return send(to, { type: 'candidate', candidate: asString(data.candidate), name: socket.name });
    }
    case 'leave': {
      const to = named ?? socket.partner;
      hangUp(socket);
      if (to) {
        if (to.partner === socket) to.partner = null;
        send(to, { type: 'leave', name: socket.name });
      }
      return;
    }
    default:
      send(socket, { type: 'error', message: `Unrecognized command: ${data.type}` });
  }
}

const wss = new WebSocketServer({ host, port, maxPayload: 64 * 1024 });
wss.on('connection', (socket) => {
  socket.on('message', (raw, isBinary) => {
    let data;
    try {
      data = isBinary ? null : JSON.parse(raw.toString('utf8'));
    } catch {
      data = null;
    }
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
      send(socket, { type: 'error', message: 'Invalid JSON' });
      return;
    }
    handle(socket, data);
  });
  socket.on('close', () => {
    if (socket.name && users.get(socket.name) === socket) users.delete(socket.name);
    const partner = hangUp(socket);
    if (partner) send(partner, { type: 'leave', name: socket.name });
  });
});
wss.on('listening', () => {
  const a = wss.address();
  const shown = a.family === 'IPv6' ? `[${a.address}]` : a.address;
  process.stderr.write(`listening service=http addr=${shown}:${a.port}\n`);
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const client of wss.clients) client.close(1001, 'server stopping');
    wss.close(() => {
      process.stderr.write('stopped\n');
      process.exit(0);
    });
  });
}

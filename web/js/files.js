// Files over a data channel, as the browser and the native peer both speak it (DESIGN.md, "Data channel
// conventions"): one channel labelled "file" per file; a text message {"name","size","mime"}; binary chunks of at
// most 64 KiB, sent while bufferedAmount stays under a high-water mark; a text message {"sha256":"<hex>"}. The
// receiver checks size and hash, and closes the channel.
import { Sha256 } from './sha256.js';

export const FILE_LABEL = 'file';
const CHUNK = 64 * 1024;
const READ_SIZE = 1024 * 1024;       // bytes read from the file at a time, then cut into chunks
const HIGH_WATER = 4 * 1024 * 1024;  // stop sending above this much queued…
const LOW_WATER = 1024 * 1024;       // …and resume below this
export const MAX_FILE_BYTES = 2 * 1024 ** 3; // a received file is kept in memory until saved

// Sends `file` (a File or Blob with a name) on a new channel of `pc`. onProgress(sentBytes, totalBytes).
// Resolves with { sha256 } once the receiver has closed the channel; rejects when the channel closes early.
export async function sendFile(pc, file, { onProgress = () => {} } = {}) {
  const channel = pc.createDataChannel(FILE_LABEL, { ordered: true });
  channel.binaryType = 'arraybuffer';
  channel.bufferedAmountLowThreshold = LOW_WATER;
  await new Promise((resolve, reject) => {
    channel.onopen = resolve;
    channel.onclose = () => reject(new Error('the data channel for the file did not open'));
  });
  let finished = false;
  const closed = new Promise((resolve, reject) => {
    channel.onclose = () => (finished ? resolve() : reject(new Error('the transfer was interrupted')));
  });
  closed.catch(() => {}); // observed below; avoid an unhandled rejection while sending
  channel.send(JSON.stringify({ name: file.name || 'file', size: file.size, mime: file.type || '' }));

  const hash = new Sha256();
  let sent = 0;
  onProgress(0, file.size);
  while (sent < file.size) {
    const piece = new Uint8Array(await file.slice(sent, sent + READ_SIZE).arrayBuffer());
    for (let at = 0; at < piece.length; at += CHUNK) {
      while (channel.bufferedAmount > HIGH_WATER) await drained(channel);
      if (channel.readyState !== 'open') throw new Error('the transfer was interrupted');
      const chunk = piece.subarray(at, at + CHUNK);
      channel.send(chunk);
      hash.update(chunk);
      sent += chunk.length;
    }
    onProgress(sent, file.size);
  }
  const sha256 = hash.hex();
  finished = true;
  channel.send(JSON.stringify({ sha256 }));
  await closed;
  return { sha256 };
}

function drained(channel) {
  return new Promise((resolve) => {
    const done = () => {
      channel.removeEventListener('bufferedamountlow', done);
      channel.removeEventListener('close', done);
      resolve();
    };
    channel.addEventListener('bufferedamountlow', done);
    channel.addEventListener('close', done);
  });
}

// Receives one file on an incoming "file" channel. Callbacks:
//   onStart({ name, size, mime }), onProgress(receivedBytes, size),
//   onDone({ name, size, mime, blob, sha256 }), onError(message)
export function receiveFile(channel, { onStart = () => {}, onProgress = () => {}, onDone, onError }) {
  channel.binaryType = 'arraybuffer';
  let header = null;
  let received = 0;
  const parts = [];
  const hash = new Sha256();
  let settled = false;
  const fail = (message) => {
    if (settled) return;
    settled = true;
    parts.length = 0;
    onError(message);
    channel.close();
  };

  channel.onmessage = ({ data }) => {
    if (settled) return;
    if (typeof data === 'string') {
      let message;
      try {
        message = JSON.parse(data);
      } catch {
        fail('the sender sent a malformed control message');
        return;
      }
      if (!header) {
        const valid = message && typeof message.name === 'string' && Number.isSafeInteger(message.size) &&
          message.size >= 0;
        if (!valid) return fail('the sender did not describe the file (name and size)');
        if (message.size > MAX_FILE_BYTES) return fail(`the file is larger than ${MAX_FILE_BYTES} bytes`);
        header = { name: safeName(message.name), size: message.size, mime: String(message.mime || '') };
        onStart(header);
        onProgress(0, header.size);
        return;
      }
      if (typeof message.sha256 !== 'string') return fail('the sender ended the file without its SHA-256');
      if (received !== header.size) return fail(`received ${received} of ${header.size} bytes`);
      const sha256 = hash.hex();
      if (sha256 !== message.sha256.toLowerCase()) return fail('the SHA-256 of what arrived does not match');
      settled = true;
      const blob = new Blob(parts, { type: header.mime || 'application/octet-stream' });
      parts.length = 0;
      onDone({ ...header, blob, sha256 });
      channel.close();
      return;
    }
    if (!header) return fail('file data arrived before the file was described');
    const bytes = new Uint8Array(data);
    if (received + bytes.length > header.size) return fail('more data arrived than the file size announced');
    received += bytes.length;
    hash.update(bytes);
    parts.push(bytes);
    onProgress(received, header.size);
  };
  channel.onclose = () => fail('the sender stopped before the file was complete');
}

// A name for the download attribute: no folders, no control characters, not empty.
function safeName(name) {
  const base = name.split(/[\\/]/).pop().replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return base.slice(0, 200) || 'file';
}

export function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

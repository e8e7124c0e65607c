// The page's streaming SHA-256 (web/js/sha256.js), which checks every file sent over a data channel, agrees with
// node's crypto for every length around the block and padding boundaries, fed in pieces of every size.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { Sha256 } from '../../../web/js/sha256.js';

const reference = (bytes) => createHash('sha256').update(bytes).digest('hex');

function pattern(n) {
  const bytes = new Uint8Array(n);
  for (let i = 0; i < n; i++) bytes[i] = (i * 2654435761) >>> 24;
  return bytes;
}

test('the FIPS 180-4 examples', () => {
  assert.equal(new Sha256().hex(), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.equal(new Sha256().update(new TextEncoder().encode('abc')).hex(),
    'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.equal(new Sha256().update(new TextEncoder().encode(
    'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).hex(),
  '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
});

test('every length from 0 to 300 bytes, in one piece and byte by byte', () => {
  for (let n = 0; n <= 300; n++) {
    const bytes = pattern(n);
    assert.equal(new Sha256().update(bytes).hex(), reference(bytes), `length ${n}`);
    const h = new Sha256();
    for (let i = 0; i < n; i++) h.update(bytes.subarray(i, i + 1));
    assert.equal(h.hex(), reference(bytes), `length ${n}, byte by byte`);
  }
});

test('a 5 MiB stream in 64 KiB chunks and in uneven pieces', () => {
  const bytes = pattern(5 * 1024 * 1024 + 7);
  const chunked = new Sha256();
  for (let at = 0; at < bytes.length; at += 65536) chunked.update(bytes.subarray(at, at + 65536));
  assert.equal(chunked.hex(), reference(bytes));
  const uneven = new Sha256();
  let at = 0;
  for (let size = 1; at < bytes.length; size = (size * 7 + 3) % 99991 + 1) {
    uneven.update(bytes.subarray(at, at + size));
    at += size;
  }
  assert.equal(uneven.hex(), reference(bytes));
});

test('an ArrayBuffer is accepted as well as a Uint8Array', () => {
  const bytes = pattern(1000);
  assert.equal(new Sha256().update(bytes.buffer).hex(), reference(bytes));
});

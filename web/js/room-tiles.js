// The Room page's video tiles: one per person, the name under the video, badges for "muted", "camera off" and a
// connection that is not up yet. Each tile is `.tile[data-name="<name>"]`; your own is `.tile.self`.
import { el } from './ui.js';

export class Tiles {
  constructor(root) {
    this.root = root;
    this.byName = new Map(); // name -> { tile, video, badge, flags }
  }

  get size() {
    return this.byName.size;
  }

  // Your own tile comes first and is muted, so you never hear yourself.
  showSelf(name, stream) {
    const entry = this.#ensure(name, { self: true });
    entry.video.muted = true;
    this.attach(name, stream);
  }

  // A remote person's tile, created on the first mention (the link to them is being set up).
  ensure(name) {
    return this.#ensure(name, { self: false });
  }

  attach(name, stream) {
    const entry = this.byName.get(name);
    if (!entry || !stream || entry.video.srcObject === stream) return;
    entry.video.srcObject = stream;
    play(entry.video);
  }

  // flags: { connection: 'connecting' | 'reconnecting' | '', muted: bool, cameraOff: bool }
  setFlags(name, flags) {
    const entry = this.byName.get(name);
    if (!entry) return;
    Object.assign(entry.flags, flags);
    const { connection, muted, cameraOff } = entry.flags;
    const words = [connection, muted && 'muted', cameraOff && 'camera off'].filter(Boolean);
    entry.badge.textContent = words.join(' · ');
    entry.badge.hidden = words.length === 0;
    entry.tile.dataset.connection = connection || 'up';
  }

  remove(name) {
    const entry = this.byName.get(name);
    if (!entry) return;
    entry.video.srcObject = null;
    entry.tile.remove();
    this.byName.delete(name);
  }

  clear() {
    for (const name of [...this.byName.keys()]) this.remove(name);
  }

  #ensure(name, { self }) {
    const existing = this.byName.get(name);
    if (existing) return existing;
    const video = el('video', { autoplay: true, playsinline: true });
    const badge = el('span', { class: 'badge', hidden: true });
    const label = el('span', { class: 'name' }, self ? `${name} (you)` : name);
    const tile = el('div', { class: self ? 'tile self' : 'tile', dataset: { name } }, video, label, badge);
    const entry = { tile, video, badge, flags: { connection: self ? '' : 'connecting', muted: false, cameraOff: false } };
    this.byName.set(name, entry);
    if (self) this.root.prepend(tile);
    else this.root.append(tile);
    this.setFlags(name, {});
    return entry;
  }
}

// Autoplay with sound needs a click on the page first; joining is one, but if the browser still refuses, play
// muted rather than show a frozen picture, and let the next click anywhere turn the sound on.
function play(video) {
  video.play().catch((err) => {
    if (err.name !== 'NotAllowedError' || video.muted) return; // AbortError: the tile was replaced or removed
    video.muted = true;
    video.play().catch(() => {});
    document.addEventListener('click', () => { video.muted = false; }, { once: true });
  });
}

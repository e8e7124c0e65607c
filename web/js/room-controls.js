// The Room page's microphone and camera buttons. Muting disables the track rather than removing it, so no link
// needs renegotiating; the others learn of it from a room message and show it on your tile.
import { $ } from './ui.js';

export class Controls {
  // onChange({ muted, cameraOff }) is called after every toggle.
  constructor({ onChange }) {
    this.onChange = onChange;
    this.stream = null;
    this.muted = false;
    this.cameraOff = false;
    this.muteButton = $('#mute');
    this.cameraButton = $('#camera');
    this.muteButton.addEventListener('click', () => this.setMuted(!this.muted));
    this.cameraButton.addEventListener('click', () => this.setCameraOff(!this.cameraOff));
  }

  get flags() {
    return { muted: this.muted, cameraOff: this.cameraOff };
  }

  // A new stream (or null) at each join: the buttons start from "on" again.
  use(stream) {
    this.stream = stream;
    this.muted = false;
    this.cameraOff = false;
    this.#render();
  }

  setMuted(muted) {
    this.muted = muted;
    for (const track of this.stream?.getAudioTracks() ?? []) track.enabled = !muted;
    this.#render();
    this.onChange(this.flags);
  }

  setCameraOff(off) {
    this.cameraOff = off;
    for (const track of this.stream?.getVideoTracks() ?? []) track.enabled = !off;
    this.#render();
    this.onChange(this.flags);
  }

  #render() {
    const hasAudio = (this.stream?.getAudioTracks().length ?? 0) > 0;
    const hasVideo = (this.stream?.getVideoTracks().length ?? 0) > 0;
    this.muteButton.disabled = !hasAudio;
    this.muteButton.setAttribute('aria-pressed', String(this.muted));
    this.muteButton.textContent = this.muted ? 'Unmute' : 'Mute';
    this.cameraButton.disabled = !hasVideo;
    this.cameraButton.setAttribute('aria-pressed', String(this.cameraOff));
    this.cameraButton.textContent = this.cameraOff ? 'Camera on' : 'Camera off';
  }
}

// Local video effects: the camera is drawn onto a canvas through a CSS filter, and the canvas's own stream is
// what the call sends. With no effect the camera track is sent as is (no canvas work at all).
import { el } from './ui.js';

export const EFFECTS = {
  none: '',
  grayscale: 'grayscale(1)',
  sepia: 'sepia(1)',
  blur: 'blur(4px)',
  invert: 'invert(1)',
  brighten: 'brightness(1.5)',
  darken: 'brightness(0.6)',
  contrast: 'contrast(1.8)',
  saturate: 'saturate(2.5)',
  'hue-rotate': 'hue-rotate(180deg)',
};

export class VideoEffects {
  constructor() {
    this.effect = 'none';
    this.source = null;       // the camera track
    this.video = el('video', { muted: true, playsinline: true });
    this.video.muted = true;
    this.canvas = el('canvas');
    this.ctx = this.canvas.getContext('2d');
    this.canvasTrack = null;
    this.running = false;
  }

  // The track to send: the camera's, or the canvas's while an effect is on.
  get output() {
    return this.effect === 'none' || !this.source ? this.source : this.canvasTrack;
  }

  setSource(track) {
    this.source = track;
    this.video.srcObject = track ? new MediaStream([track]) : null;
    if (track) this.video.play().catch(() => {});
    if (this.effect !== 'none') this.#start();
  }

  // Returns the track to send from now on.
  setEffect(name) {
    if (!(name in EFFECTS)) throw new Error(`unknown effect ${name}`);
    this.effect = name;
    if (name === 'none') this.#stop();
    else this.#start();
    return this.output;
  }

  stop() {
    this.#stop();
    this.video.srcObject = null;
    this.source = null;
  }

  #start() {
    if (!this.source) return;
    const settings = this.source.getSettings();
    this.canvas.width = settings.width || 640;
    this.canvas.height = settings.height || 480;
    if (!this.canvasTrack || this.canvasTrack.readyState === 'ended') {
      this.canvasTrack = this.canvas.captureStream(settings.frameRate || 30).getVideoTracks()[0];
    }
    if (this.running) return;
    this.running = true;
    const draw = () => {
      if (!this.running) return;
      if (this.video.readyState >= 2) {
        if (this.video.videoWidth && this.canvas.width !== this.video.videoWidth) {
          this.canvas.width = this.video.videoWidth;
          this.canvas.height = this.video.videoHeight;
        }
        this.ctx.filter = EFFECTS[this.effect] || 'none';
        this.ctx.drawImage(this.video, 0, 0, this.canvas.width, this.canvas.height);
      }
      // requestVideoFrameCallback keeps drawing in a background tab, where animation frames stop.
      if (this.video.requestVideoFrameCallback) this.video.requestVideoFrameCallback(draw);
      else setTimeout(draw, 33);
    };
    draw();
  }

  #stop() {
    this.running = false;
    this.canvasTrack?.stop();
    this.canvasTrack = null;
  }
}

// A PNG of what a <video> shows right now (with the CSS filter of `effect`), as a Blob.
export function snapshot(video, effect = 'none') {
  if (!video.videoWidth) return Promise.reject(new Error('there is no picture to save yet'));
  const canvas = el('canvas', { width: video.videoWidth, height: video.videoHeight });
  const ctx = canvas.getContext('2d');
  ctx.filter = EFFECTS[effect] || 'none';
  ctx.drawImage(video, 0, 0);
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the picture could not be encoded'))),
      'image/png'));
}

// Recording with MediaRecorder: the container and codecs come from what this browser says it supports, the
// result plays back in the page and downloads as a file.
import { downloadLink, el, timestamp } from './ui.js';

const CANDIDATES = [
  'video/webm;codecs=vp9,opus',
  'video/webm;codecs=vp8,opus',
  'video/webm;codecs=h264,opus',
  'video/webm',
  'video/mp4',
];

export function supportedTypes() {
  if (typeof MediaRecorder === 'undefined') return [];
  return CANDIDATES.filter((type) => MediaRecorder.isTypeSupported(type));
}

export class Recording {
  // stream: what to record; mimeType: one of supportedTypes()
  constructor(stream, mimeType) {
    this.mimeType = mimeType;
    this.chunks = [];
    this.bytes = 0;
    this.started = Date.now();
    this.recorder = new MediaRecorder(stream, mimeType ? { mimeType } : {});
    this.recorder.ondataavailable = ({ data }) => {
      if (data.size) {
        this.chunks.push(data);
        this.bytes += data.size;
      }
    };
    this.stopped = new Promise((resolve, reject) => {
      this.recorder.onstop = () => resolve(new Blob(this.chunks, { type: this.recorder.mimeType || mimeType }));
      this.recorder.onerror = (event) => reject(event.error ?? new Error('the recorder failed'));
    });
    this.recorder.start(1000); // a chunk a second: a long recording is not one huge buffer at the end
  }

  get state() {
    return this.recorder.state;
  }

  // Resolves with the recorded Blob.
  stop() {
    if (this.recorder.state !== 'inactive') this.recorder.stop();
    return this.stopped;
  }
}

export function extensionFor(type) {
  return type.startsWith('video/mp4') ? 'mp4' : 'webm';
}

// A playback element and a download link for a finished recording.
export function recordingResult(blob, label) {
  const name = `peerhub-${label}-${timestamp()}.${extensionFor(blob.type || 'video/webm')}`;
  const video = el('video', { controls: true, class: 'playback', src: URL.createObjectURL(blob) });
  const size = `${(blob.size / 1024 / 1024).toFixed(2)} MiB`;
  return el('div', { class: 'recording' }, video, el('div', {}, downloadLink(blob, name, `Download ${name}`),
    ` (${size})`));
}

// What a call sends: the microphone, and the camera (through an optional effect) or a shared screen. Switching
// any of these during a call replaces the track on its RTCRtpSender — no renegotiation.
import { VideoEffects } from './effects.js';
import { MediaError, constraintsFor, describeMediaError, openMedia, stopStream } from './media.js';

export class LocalMedia extends EventTarget {
  constructor(preview) {
    super();
    this.preview = preview;
    this.options = { audioId: '', videoId: '', resolution: '640x480', fps: 30 };
    this.audioTrack = null;
    this.cameraTrack = null;
    this.screenTrack = null;
    this.effects = new VideoEffects();
    this.senders = { audio: null, video: null };
    this.pc = null;
    this.muted = false;
    this.cameraOff = false;
  }

  get active() {
    return Boolean(this.audioTrack || this.cameraTrack);
  }

  // The video that goes out: the screen while sharing, else the camera through the effect.
  get videoTrack() {
    return this.screenTrack || this.effects.output;
  }

  // Opens camera and microphone (once). Returns a warning for the page, or null.
  async start() {
    if (this.active) return null;
    const { stream, warning } = await openMedia(this.options);
    this.audioTrack = stream.getAudioTracks()[0] ?? null;
    this.cameraTrack = stream.getVideoTracks()[0] ?? null;
    this.#applyEnabled();
    this.effects.setSource(this.cameraTrack);
    this.#showPreview();
    return warning;
  }

  // Adds what we send to `pc`; the senders are kept for replaceTrack.
  attach(pc) {
    this.pc = pc;
    const stream = new MediaStream();
    if (this.audioTrack) this.senders.audio = pc.addTrack(this.audioTrack, stream);
    const video = this.videoTrack;
    if (video) this.senders.video = pc.addTrack(video, stream);
  }

  detach() {
    this.pc = null;
    this.senders = { audio: null, video: null };
  }

  setMuted(muted) {
    this.muted = muted;
    this.#applyEnabled();
  }

  setCameraOff(off) {
    this.cameraOff = off;
    this.#applyEnabled();
  }

  async setEffect(name) {
    this.effects.setEffect(name);
    await this.#sendVideo();
  }

  // Shares a screen (or window, or tab) in place of the camera until stopShare() or the browser's own "stop
  // sharing" ends the track; then the camera comes back.
  async share() {
    if (!navigator.mediaDevices?.getDisplayMedia) throw new MediaError('This browser cannot share the screen.');
    let stream;
    try {
      stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
    } catch (err) {
      throw new MediaError(describeMediaError(err, 'screen'), err);
    }
    this.screenTrack = stream.getVideoTracks()[0];
    this.screenTrack.addEventListener('ended', () => this.stopShare());
    await this.#sendVideo();
    this.#emit('sharing', { on: true });
  }

  async stopShare() {
    if (!this.screenTrack) return;
    const track = this.screenTrack;
    this.screenTrack = null;
    track.stop();
    await this.#sendVideo();
    this.#emit('sharing', { on: false });
  }

  async switchCamera(deviceId) {
    this.options.videoId = deviceId;
    await this.#reopen('video');
  }

  async switchMicrophone(deviceId) {
    this.options.audioId = deviceId;
    await this.#reopen('audio');
  }

  // Resolution ('640x480') and frame rate: applied to the running camera where it can, else by reopening it.
  async setFormat({ resolution = this.options.resolution, fps = this.options.fps }) {
    this.options.resolution = resolution;
    this.options.fps = fps;
    if (!this.cameraTrack) return;
    const { video } = constraintsFor({ ...this.options, audio: false });
    try {
      await this.cameraTrack.applyConstraints(video === true ? {} : video);
      this.effects.setSource(this.cameraTrack); // the canvas follows the new size
    } catch {
      await this.#reopen('video');
    }
  }

  stop() {
    this.screenTrack?.stop();
    this.screenTrack = null;
    this.effects.stop();
    stopStream(new MediaStream([this.audioTrack, this.cameraTrack].filter(Boolean)));
    this.audioTrack = null;
    this.cameraTrack = null;
    this.preview.srcObject = null;
    this.detach();
  }

  async #reopen(kind) {
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia(constraintsFor({
        ...this.options, audio: kind === 'audio', video: kind === 'video',
      }));
    } catch (err) {
      throw new MediaError(describeMediaError(err, kind === 'audio' ? 'microphone' : 'camera'), err);
    }
    const track = stream.getTracks()[0];
    if (kind === 'audio') {
      this.audioTrack?.stop();
      this.audioTrack = track;
      this.#applyEnabled();
      await this.#send('audio', track);
    } else {
      const old = this.cameraTrack;
      this.cameraTrack = track;
      this.#applyEnabled();
      this.effects.setSource(track);
      await this.#sendVideo();
      old?.stop();
    }
  }

  async #sendVideo() {
    this.#showPreview();
    await this.#send('video', this.videoTrack);
  }

  // Puts `track` on the call's sender of that kind: replaceTrack (no renegotiation), or a new sender when the
  // call had none of that kind (perfect negotiation then renegotiates by itself).
  async #send(kind, track) {
    if (this.senders[kind]) await this.senders[kind].replaceTrack(track);
    else if (this.pc && track) this.senders[kind] = this.pc.addTrack(track, new MediaStream());
  }

  #applyEnabled() {
    if (this.audioTrack) this.audioTrack.enabled = !this.muted;
    if (this.cameraTrack) this.cameraTrack.enabled = !this.cameraOff;
  }

  #showPreview() {
    const track = this.videoTrack;
    this.preview.srcObject = track ? new MediaStream([track]) : null;
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

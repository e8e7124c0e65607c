// The call's controls: mute, camera off, screen sharing, effects and snapshots, device and format choice, and
// recording either side.
import { EFFECTS, snapshot } from './effects.js';
import { FRAME_RATES, RESOLUTIONS, fillSelect, listDevices } from './media.js';
import { Recording, recordingResult, supportedTypes } from './recorder.js';
import { $, downloadLink, el, notify, timestamp } from './ui.js';

export class CallTools {
  constructor({ media, remoteVideo }) {
    this.media = media;
    this.remoteVideo = remoteVideo;
    this.recording = null;
    this.recordTimer = null;

    fillOptions($('#effect'), Object.keys(EFFECTS).map((name) => [name, name === 'none' ? 'None' : name]));
    fillOptions($('#resolution'), Object.keys(RESOLUTIONS).map((r) => [r, r.replace('x', ' × ')]), '640x480');
    fillOptions($('#fps'), FRAME_RATES.map((f) => [String(f), `${f} fps`]), '30');
    const types = supportedTypes();
    fillOptions($('#rec-type'), types.map((t) => [t, t.replace('video/', '').replace(';codecs=', ' · ')]));
    if (!types.length) {
      $('#rec-start').disabled = true;
      $('#rec-state').textContent = 'This browser cannot record.';
    }

    this.#toggle('#mute', (on) => media.setMuted(on), 'Unmute', 'Mute');
    this.#toggle('#camera', (on) => media.setCameraOff(on), 'Camera on', 'Camera off');
    $('#share').addEventListener('click', () => this.#share());
    media.addEventListener('sharing', ({ detail: { on } }) => {
      $('#share').setAttribute('aria-pressed', String(on));
      $('#share').textContent = on ? 'Stop sharing' : 'Share screen';
    });
    $('#effect').addEventListener('change', (e) => this.#run(() => media.setEffect(e.target.value)));
    $('#snapshot').addEventListener('click', () => this.#snapshot());
    $('#camera-select').addEventListener('change', (e) => this.#run(() => media.switchCamera(e.target.value)));
    $('#mic-select').addEventListener('change', (e) => this.#run(() => media.switchMicrophone(e.target.value)));
    const format = () => this.#run(() => media.setFormat({
      resolution: $('#resolution').value, fps: Number($('#fps').value),
    }));
    $('#resolution').addEventListener('change', format);
    $('#fps').addEventListener('change', format);
    $('#rec-start').addEventListener('click', () => this.#startRecording());
    $('#rec-stop').addEventListener('click', () => this.#stopRecording());
  }

  // Called when a call starts: the device lists have labels once the camera has been allowed.
  async enable() {
    try {
      const { cameras, microphones } = await listDevices();
      fillSelect($('#camera-select'), cameras, this.media.cameraTrack?.getSettings().deviceId);
      fillSelect($('#mic-select'), microphones, this.media.audioTrack?.getSettings().deviceId);
    } catch (err) {
      notify(`The list of devices is not available: ${err.message}`);
    }
  }

  reset() {
    if (this.recording) this.#stopRecording();
    for (const id of ['#mute', '#camera', '#share']) $(id).setAttribute('aria-pressed', 'false');
    $('#mute').textContent = 'Mute';
    $('#camera').textContent = 'Camera off';
    $('#share').textContent = 'Share screen';
    $('#effect').value = 'none';
    this.media.muted = false;
    this.media.cameraOff = false;
    this.media.effects.setEffect('none');
  }

  #toggle(selector, apply, onText, offText) {
    const button = $(selector);
    button.addEventListener('click', () => {
      const on = button.getAttribute('aria-pressed') !== 'true';
      apply(on);
      button.setAttribute('aria-pressed', String(on));
      button.textContent = on ? onText : offText;
    });
  }

  async #share() {
    if (this.media.screenTrack) await this.#run(() => this.media.stopShare());
    else await this.#run(() => this.media.share());
  }

  async #snapshot() {
    const video = $('#local-video');
    try {
      // The preview already shows the effect's output: no filter on top.
      const blob = await snapshot(video);
      const name = `peerhub-snapshot-${timestamp()}.png`;
      const link = downloadLink(blob, name, name);
      const thumb = el('img', { src: link.href, alt: 'snapshot', width: 160 });
      $('#snapshots').prepend(el('figure', { class: 'snapshot' }, thumb, el('figcaption', {}, link)));
      $('#saved').hidden = false;
      link.click(); // saves the PNG
    } catch (err) {
      notify(`No snapshot: ${err.message}.`);
    }
  }

  #startRecording() {
    const source = $('#rec-source').value;
    const stream = source === 'local'
      ? new MediaStream([this.media.videoTrack, this.media.audioTrack].filter(Boolean))
      : this.remoteVideo.srcObject;
    if (!stream || !stream.getTracks().length) {
      notify(source === 'local' ? 'There is nothing of yours to record.' : 'Nothing has arrived to record yet.');
      return;
    }
    try {
      this.recording = new Recording(stream, $('#rec-type').value);
    } catch (err) {
      notify(`Recording could not start: ${err.message}`);
      return;
    }
    this.recording.label = source === 'local' ? 'me' : 'them';
    $('#rec-start').disabled = true;
    $('#rec-stop').disabled = false;
    const started = Date.now();
    const tick = () => {
      const s = Math.floor((Date.now() - started) / 1000);
      $('#rec-state').replaceChildren(el('span', { class: 'recording-dot' }, '● '),
        `Recording ${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`);
    };
    tick();
    this.recordTimer = setInterval(tick, 1000);
  }

  async #stopRecording() {
    const recording = this.recording;
    this.recording = null;
    clearInterval(this.recordTimer);
    $('#rec-start').disabled = false;
    $('#rec-stop').disabled = true;
    $('#rec-state').textContent = '';
    try {
      const blob = await recording.stop();
      if (!blob.size) throw new Error('nothing was recorded');
      $('#recordings').prepend(recordingResult(blob, recording.label));
      $('#saved').hidden = false;
    } catch (err) {
      notify(`The recording failed: ${err.message}`);
    }
  }

  async #run(action) {
    try {
      await action();
    } catch (err) {
      notify(err.message);
    }
  }
}

function fillOptions(select, pairs, selected) {
  select.replaceChildren(...pairs.map(([value, text]) => new Option(text, value, false, value === selected)));
}

// Chat and files in a call, both over data channels of the call's own connection (nothing passes through the
// server): the caller opens the "chat" channel, either side opens a "file" channel per file it sends.
import { ChatBox } from './chat.js';
import { FILE_LABEL, formatBytes, receiveFile, sendFile } from './files.js';
import { $, downloadLink, el, notify } from './ui.js';

export const CHAT_LABEL = 'chat';

export class CallChannels {
  constructor(root, fileInput) {
    this.root = root;
    this.channel = null;
    this.link = null;
    this.partner = '';
    this.box = new ChatBox(root, {
      send: (text) => {
        if (this.channel?.readyState !== 'open') return false;
        this.channel.send(text);
        return true;
      },
    });
    this.box.enable(false);
    fileInput.addEventListener('change', () => {
      const file = fileInput.files[0];
      fileInput.value = '';
      if (file) this.sendFile(file);
    });
    this.fileInput = fileInput;
  }

  // A new call on `link` with `partner`; the caller (initiator) opens the chat channel.
  bind(link, partner, { initiator }) {
    this.reset();
    this.link = link;
    this.partner = partner;
    $('#partner-name').textContent = partner;
    if (initiator) this.#useChat(link.createDataChannel(CHAT_LABEL, { ordered: true }));
    link.addEventListener('datachannel', ({ detail: { channel } }) => {
      if (channel.label === CHAT_LABEL) this.#useChat(channel);
      else if (channel.label === FILE_LABEL) this.#receive(channel);
      else channel.close();
    });
  }

  reset() {
    this.channel?.close();
    this.channel = null;
    this.link = null;
    this.box.clear();
    this.box.enable(false);
  }

  async sendFile(file) {
    if (!this.link || this.link.pc.connectionState !== 'connected') {
      notify('Files can be sent once the call is connected.');
      return;
    }
    const row = transferRow(`Sending ${file.name}`, file.size);
    this.box.addNode(row.node);
    try {
      const { sha256 } = await sendFile(this.link.pc, file, { onProgress: row.progress });
      row.finish(true, `Sent and checked by ${this.partner} — SHA-256 ${sha256.slice(0, 16)}…`, { sha256 });
    } catch (err) {
      row.finish(false, `Not sent: ${err.message}.`);
    }
  }

  #useChat(channel) {
    this.channel = channel;
    channel.onopen = () => {
      this.box.enable(true);
      this.box.system(`Chat with ${this.partner} is open.`);
    };
    channel.onclose = () => this.box.enable(false);
    channel.onmessage = ({ data }) => {
      if (typeof data === 'string') this.box.add(this.partner, data);
    };
    if (channel.readyState === 'open') channel.onopen();
  }

  #receive(channel) {
    let row = null;
    receiveFile(channel, {
      onStart: ({ name, size }) => {
        row = transferRow(`Receiving ${name}`, size);
        this.box.addNode(row.node);
      },
      onProgress: (received) => row?.progress(received),
      onDone: ({ name, blob, sha256, size }) => {
        row.finish(true, `Received ${formatBytes(size)}, SHA-256 checked (${sha256.slice(0, 16)}…) `, { sha256 });
        row.node.append(downloadLink(blob, name, `Save ${name}`));
      },
      onError: (message) => {
        if (row) row.finish(false, `Failed: ${message}.`);
        else this.box.system(`A file from ${this.partner} failed: ${message}.`);
      },
    });
  }
}

// One line in the chat for a transfer: title, progress bar, and a verdict when it ends.
function transferRow(title, size) {
  const bar = el('progress', { max: size || 1, value: 0 });
  const text = el('span', { class: 'muted' }, `0 of ${formatBytes(size)}`);
  const verdict = el('span', { class: 'verdict' });
  const node = el('div', { class: 'transfer', dataset: { state: 'running' } }, el('strong', {}, title), bar, text,
    verdict);
  return {
    node,
    progress(done) {
      bar.value = done;
      text.textContent = `${formatBytes(done)} of ${formatBytes(size)}`;
    },
    finish(ok, message, data = {}) {
      node.dataset.state = ok ? 'done' : 'failed';
      if (data.sha256) node.dataset.sha256 = data.sha256;
      verdict.className = `verdict ${ok ? 'ok' : 'bad'}`;
      verdict.textContent = message;
    },
  };
}

// A chat box: a message list and an input line. The transport is the page's: a data channel labelled "chat" in a
// call, the server's room messages in a room. Each message is one UTF-8 text.
import { $, el } from './ui.js';

const MAX_MESSAGE_CHARS = 4000;
const MAX_SHOWN = 500; // older messages leave the list

export class ChatBox {
  // root: an element holding .chat-log, form.chat-form with input[name=text]; send(text) -> bool (sent?)
  constructor(root, { send }) {
    this.root = root;
    this.log = $('.chat-log', root);
    this.form = $('.chat-form', root);
    this.input = $('input[name=text]', this.form);
    this.send = send;
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      const text = this.input.value.trim();
      if (!text) return;
      if (text.length > MAX_MESSAGE_CHARS) {
        this.system(`A message is at most ${MAX_MESSAGE_CHARS} characters.`);
        return;
      }
      if (this.send(text)) {
        this.add('me', text);
        this.input.value = '';
      } else {
        this.system('Not sent: the chat is not connected.');
      }
    });
  }

  enable(on) {
    this.input.disabled = !on;
    $('button', this.form).disabled = !on;
  }

  add(who, text, mine = who === 'me') {
    const time = new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    this.#append(el('li', { class: mine ? 'mine' : 'theirs' },
      el('span', { class: 'who' }, mine ? 'You' : who), el('span', { class: 'time' }, time),
      el('div', { class: 'text' }, text)));
  }

  system(text) {
    this.#append(el('li', { class: 'system' }, text));
  }

  // An arbitrary element (a file transfer row) in the list.
  addNode(node) {
    this.#append(el('li', { class: 'item' }, node));
  }

  clear() {
    this.log.replaceChildren();
  }

  #append(item) {
    this.log.append(item);
    while (this.log.children.length > MAX_SHOWN) this.log.firstElementChild.remove();
    this.log.scrollTop = this.log.scrollHeight;
  }
}

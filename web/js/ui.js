// Small DOM helpers shared by the pages: element creation, the status line, and messages a person reads.

export const $ = (selector, root = document) => root.querySelector(selector);

// el('button', { class: 'primary', onclick: fn }, 'Call') — attributes starting with "on" become listeners.
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else if (key === 'class') node.className = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (value === true) node.setAttribute(key, '');
    else node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// The banner at the top of each page for errors and notices (role="alert" so screen readers announce it).
// kind: 'error' | 'info' | 'ok'. A notice fades after a while; an error stays until dismissed or replaced.
export function notify(message, kind = 'error') {
  const box = $('#notice');
  if (!box) {
    console.warn(message);
    return;
  }
  box.replaceChildren(
    el('span', { class: 'notice-text' }, message),
    el('button', { class: 'notice-close', 'aria-label': 'Dismiss', onclick: () => clearNotice() }, '×'),
  );
  box.className = `notice ${kind}`;
  box.hidden = false;
  clearTimeout(box.timer);
  if (kind !== 'error') box.timer = setTimeout(clearNotice, 6000);
}

export function clearNotice() {
  const box = $('#notice');
  if (box) box.hidden = true;
}

// Keeps the status line (#conn-status) in step with the signaling connection.
export function bindStatus(signaling, describe) {
  const line = $('#conn-status');
  signaling.addEventListener('status', ({ detail }) => {
    if (!line) return;
    line.textContent = describe(detail);
    line.dataset.state = detail.state;
  });
  signaling.addEventListener('error-message', ({ detail }) => notify(detail.message));
}

// Shows or hides every element that has data-when="<state>" according to the page's current state.
export function showState(state, root = document) {
  document.body.dataset.state = state;
  for (const node of root.querySelectorAll('[data-when]')) {
    node.hidden = !node.dataset.when.split(' ').includes(state);
  }
}

export function downloadLink(blob, filename, text = `Save ${filename}`) {
  const url = URL.createObjectURL(blob);
  return el('a', { href: url, download: filename, class: 'download' }, text);
}

export function timestamp(date = new Date()) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}-` +
    `${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`;
}

// A name that is free almost surely, for pages that do not ask for one (watchers).
export function randomName(prefix) {
  const bytes = crypto.getRandomValues(new Uint8Array(4));
  return `${prefix}-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

// Drives Debian's headless Chromium (/usr/bin/chromium) with playwright-core, for the browser tests in
// tests/e2e/browser. Never `npx playwright install`: it downloads a browser of its own and fails here.
//
//   const server = await serverFor(t, { args: ['--web', webRoot()] });
//   const browser = await browserFor(t);
//   const page = await openPage(browser, `${server.url}/`, { name: 'alice' });
//   await waitFor(page, () => document.title !== '', null, { what: 'a title' });
//   await screenshot(page, 'landing');
//
// When a test fails, browserFor prints every page's console log (console messages, uncaught errors, failed
// requests) and saves a screenshot of each page as FAILED-<test>-<page>.png, before it closes the browser.
//
// What was checked on Chromium 156 with the flags below (headless, and inside scripts/e2e.sh's namespace with
// only loopback up):
// - getUserMedia gives the fake camera (640x480, 20 fps test pattern) and a fake microphone, no prompt.
// - getDisplayMedia({ video: true }) resolves at once, even without a user gesture (page.evaluate), with a fake
//   "monitor" source: label "screen:-3:0", 1280x720, settings say 30 fps; ~18 frames per second, each different,
//   reach a <video> (requestVideoFrameCallback). { audio: true } adds a "Fake audio" track; { preferCurrentTab:
//   true } captures the tab itself (displaySurface "browser"). The flags that do it are
//   --use-fake-ui-for-media-stream (accepts the picker) and --use-fake-device-for-media-stream (supplies the
//   source): without the first, the call never settles; without the second, Chromium tries X11 ("Unable to open
//   display") and the call hangs. --auto-accept-this-tab-capture,
//   --auto-select-desktop-capture-source=..., --auto-select-tab-capture-source-by-title=... and
//   --enable-usermedia-screen-capturing do nothing on their own (the call never settles) and nothing more next to
//   the fake UI, so they are not passed.
// - MediaRecorder with 'video/webm;codecs=vp8' records the camera and the display capture (a WebM file, EBML
//   header 1a45dfa3, that a <video> plays back at the source's size). vp9, h264 and mp4 are supported as well.
// - Two pages of one browser connect an RTCPeerConnection over 127.0.0.1 host candidates in ~0.2-0.3 s, VP8
//   frames are decoded and a data channel echoes.
import { after, before } from 'node:test';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPeerhub } from './server.mjs';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));

// Playwright's own --disable-features list (playwright-core 1.65.1, server/chromium/chromiumSwitches.ts). Chromium
// keeps only the LAST --disable-features switch, and Playwright puts its own before ours, so ours must repeat
// these or they are silently dropped. Check the list again whenever playwright-core is updated.
export const PLAYWRIGHT_DISABLED_FEATURES = [
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'TcpPortRandomizationWin',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'PreconnectToSearch',
  'msForceBrowserSignIn',
  'msEdgeUpdateLaunchServicesPreferredVersion',
];

// Features the tests switch off on top of Playwright's.
const OUR_DISABLED_FEATURES = [
  // Host candidates as raw IP addresses, not random <uuid>.local names that need mDNS to resolve. Chromium hides
  // the addresses only from a page without camera/microphone permission; openPage grants both, so this is the
  // second line of defence for a page that was opened without them.
  'WebRtcHideLocalIpsWithMdns',
];

// The switches every test browser gets (Playwright adds its own defaults, --headless and --no-sandbox first).
export const CHROMIUM_ARGS = [
  '--headless', // new headless mode (the only one Chromium 156 has); playwright passes it too
  '--no-sandbox', // the tests run as root, where Chromium's sandbox refuses to start
  '--disable-gpu', // no GPU on these machines: software rendering, no GPU process errors
  '--disable-quic', // no QUIC (UDP) connection attempts to anything
  '--no-first-run', // no first-run tasks or dialogs
  '--disable-background-networking', // no update, safe-browsing or variations requests in the background
  '--disable-component-update', // no component downloads (Widevine, ...)
  '--disable-sync', // no sign-in or sync
  '--disable-dev-shm-usage', // shared memory in /tmp rather than a possibly small /dev/shm
  '--use-fake-device-for-media-stream', // fake camera, microphone and display-capture source
  '--use-fake-ui-for-media-stream', // accept getUserMedia and getDisplayMedia without any prompt or picker
  // Gather 127.0.0.1 / ::1 host candidates: without it, in a namespace with only loopback, Chromium gathers no
  // candidate at all and the connection stays in 'new' forever, without an error. (Chromium gathers on every
  // interface, loopback included, only for a page with camera/microphone permission; openPage grants it.)
  '--allow-loopback-in-peer-connection',
];

// Merges `--disable-features=` switches into one (Chromium would keep only the last) and prepends ours.
function withFeatures(args) {
  const disabled = [...PLAYWRIGHT_DISABLED_FEATURES, ...OUR_DISABLED_FEATURES];
  const rest = [];
  for (const arg of args) {
    if (arg.startsWith('--disable-features=')) disabled.push(...arg.slice('--disable-features='.length).split(','));
    else rest.push(arg);
  }
  return [...rest, `--disable-features=${[...new Set(disabled.filter(Boolean))].join(',')}`];
}

// The folder of the web client peerhub serves with --web (scripts/e2e.sh sets PEERHUB_WEB).
export function webRoot() {
  return process.env.PEERHUB_WEB || path.resolve(here, '../../../web');
}

// Where screenshots go: $E2E_ARTIFACTS, or tests/e2e/artifacts (git-ignored).
export function artifactsDir() {
  return path.resolve(process.env.E2E_ARTIFACTS || path.join(here, '../artifacts'));
}

// Launches headless Chromium with CHROMIUM_ARGS plus `args`. Playwright gives every launch a fresh user-data-dir
// (playwright_chromiumdev_profile-* under $TMPDIR) and deletes it on close(); --user-data-dir cannot be passed.
// The caller closes the browser; in a test, use browserFor(t).
export async function launchBrowser({ args = [], executablePath = process.env.CHROMIUM_BIN || '/usr/bin/chromium',
  timeoutMs = 30000 } = {}) {
  return chromium.launch({
    executablePath,
    headless: true,
    args: withFeatures([...CHROMIUM_ARGS, ...args]),
    timeout: timeoutMs,
  });
}

// One peerhub serving web/ (plus `args`) and one browser for a whole test file: registers before/after hooks and
// returns an object whose .server and .browser are set once the file's tests start.
export function suiteServerAndBrowser({ args = [] } = {}) {
  const suite = { server: null, browser: null };
  before(async () => {
    suite.server = await startPeerhub({ args: ['--web', webRoot(), ...args] });
    suite.browser = await launchBrowser();
  });
  after(async () => {
    await suite.browser?.close();
    await suite.server?.stop('SIGKILL');
  });
  return suite;
}

// A browser for the duration of one test: when the test failed, prints the console log of every page opened on it
// and screenshots them; then closes it.
export async function browserFor(t, options = {}) {
  const browser = await launchBrowser(options);
  t.after(async () => {
    if (!t.passed) {
      for (const page of pagesOf(browser)) await reportFailure(page, t.name);
    }
    await browser.close();
  });
  return browser;
}

const pages = new WeakMap(); // browser -> the pages openPage opened on it

function pagesOf(browser) {
  return pages.get(browser) ?? [];
}

// Opens `url` (when given) in a new page of its own context, with camera and microphone granted to the url's
// origin (to every origin without a url). `name` labels the page in logs and file names. Besides playwright's
// Page API, the page has:
//   page.response       the navigation's Response (null without a url)
//   page.log            [{ time, type, text }]: console messages, uncaught errors, failed requests, HTTP errors
//   page.errors         the uncaught exceptions (Error objects), as they happen
//   page.consoleLog()   page.log as text, one line each
// With `t`, the context is closed when the test ends (and reported on failure) rather than with the browser.
export async function openPage(browser, url, { name = 'page', t, permissions = ['camera', 'microphone'],
  timeoutMs = 15000, contextOptions = {} } = {}) {
  const context = await browser.newContext(contextOptions);
  if (permissions.length) await context.grantPermissions(permissions, url ? { origin: new URL(url).origin } : {});
  const page = await context.newPage();
  page.setDefaultTimeout(timeoutMs);
  page.peerhubName = name;
  page.log = [];
  page.errors = [];
  const started = Date.now();
  const add = (type, text) => page.log.push({ time: Date.now() - started, type, text });
  page.on('console', (msg) => {
    const loc = msg.location();
    add(`console.${msg.type()}`, loc?.url ? `${msg.text()} (${loc.url}:${loc.lineNumber})` : msg.text());
  });
  page.on('pageerror', (err) => {
    page.errors.push(err);
    add('pageerror', err.stack || String(err));
  });
  page.on('requestfailed', (req) => add('requestfailed', `${req.method()} ${req.url()}: ${req.failure()?.errorText}`));
  page.on('response', (res) => {
    if (res.status() >= 400) add('http', `${res.status()} ${res.request().method()} ${res.url()}`);
  });
  page.consoleLog = () =>
    page.log.map((e) => `[${name} +${e.time}ms] ${e.type}: ${e.text}`).join('\n') || `[${name}] (nothing logged)`;

  if (!pages.has(browser)) pages.set(browser, []);
  pages.get(browser).push(page);
  if (t) {
    t.after(async () => {
      if (!t.passed) await reportFailure(page, t.name);
      await context.close().catch(() => {});
    });
  }
  page.response = url ? await page.goto(url, { waitUntil: 'load' }) : null;
  return page;
}

// Prints a page's log and screenshots it, once, for a failed test.
async function reportFailure(page, testName) {
  if (page.peerhubReported) return;
  page.peerhubReported = true;
  process.stderr.write(`\n--- browser log of page '${page.peerhubName}' (test '${testName}' failed) ---\n` +
    `${page.consoleLog()}\n--- end of browser log ---\n`);
  if (page.isClosed()) return;
  try {
    const file = await screenshot(page, `FAILED-${testName}-${page.peerhubName}`);
    process.stderr.write(`screenshot of '${page.peerhubName}': ${file}\n`);
  } catch (err) {
    process.stderr.write(`no screenshot of '${page.peerhubName}': ${err.message}\n`);
  }
}

// Saves a PNG of the page's viewport as <artifactsDir>/<name>.png and returns its path.
export async function screenshot(page, name, { fullPage = false } = {}) {
  const dir = artifactsDir();
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name.replace(/[^\w.-]+/g, '_')}.png`);
  await page.screenshot({ path: file, fullPage, timeout: 10000 });
  return file;
}

// Waits until `fn(arg)`, evaluated in the page, returns (or resolves to) a truthy value, and returns that value
// (serialized as page.evaluate does). `fn` may be async, e.g. to read pc.getStats(): unlike page.waitForFunction,
// which takes the returned promise itself for a truthy value and returns at once. Polls every `interval` ms; an
// evaluation cut short by a navigation is retried. On timeout, throws an error that says what was awaited, on
// which page, and ends with the page's log.
export async function waitFor(page, fn, arg, { timeout = 10000, what = String(fn), interval = 100 } = {}) {
  const deadline = Date.now() + timeout;
  const fail = (why, cause) => {
    const log = typeof page.consoleLog === 'function' ? `\nbrowser log:\n${page.consoleLog()}` : '';
    return new Error(`waiting for ${what} on page '${page.peerhubName ?? 'page'}': ${why}${log}`, { cause });
  };
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) throw fail(`did not happen within ${timeout} ms`);
    let timer;
    const expired = new Promise((resolve) => { timer = setTimeout(resolve, left, expiredMark); });
    let value;
    try {
      value = await Promise.race([page.evaluate(fn, arg), expired]);
    } catch (err) {
      // A navigation meanwhile destroys the document the check ran in: ask the new one. Anything else is a bug.
      if (!/Execution context was destroyed|Cannot find context/.test(err?.message ?? '')) {
        throw fail(`the check failed: ${err.message}`, err);
      }
      value = undefined;
    } finally {
      clearTimeout(timer);
    }
    if (value === expiredMark) throw fail(`did not happen within ${timeout} ms (the last check had not returned)`);
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, Math.min(interval, Math.max(0, deadline - Date.now()))));
  }
}

const expiredMark = Symbol('expired');

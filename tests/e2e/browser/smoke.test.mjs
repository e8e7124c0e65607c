// The browser-test machinery end to end: the real binary serves web/ and headless Chromium opens it.
// Pages are still changing, so this asserts only what every version has: a title that names peerhub.
import assert from 'node:assert/strict';
import test from 'node:test';
import { serverFor } from '../lib/server.mjs';
import { browserFor, openPage, screenshot, webRoot } from '../lib/browser.mjs';

test('the landing page loads in Chromium without errors', async (t) => {
  const server = await serverFor(t, { args: ['--web', webRoot()] });
  const browser = await browserFor(t);
  const page = await openPage(browser, `${server.url}/`, { name: 'landing' });

  assert.equal(page.response?.status(), 200, 'GET / answers 200');
  assert.match(await page.title(), /peerhub/i);
  await screenshot(page, 'landing');
  assert.deepEqual(page.errors.map(String), [], 'no uncaught errors in the page');
});

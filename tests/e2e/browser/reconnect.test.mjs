// The signaling server restarts under a logged-in page: the page says it lost the connection, reconnects by
// itself (with back-off), logs in again under the same name, and can call and be called again.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser, openPage } from '../lib/browser.mjs';
import { connectCall, loginCall } from '../lib/pages.mjs';
import { startPeerhub } from '../lib/server.mjs';

const WEB = process.env.PEERHUB_WEB;
let browser;
before(async () => {
  browser = await launchBrowser();
});
after(() => browser?.close());

test('after a server restart the page reconnects, logs in again and can call again', async (t) => {
  let server = await startPeerhub({ args: ['--web', WEB] });
  const { port } = server;
  t.after(() => server.stop('SIGKILL'));
  const url = `${server.url}/call.html`;
  const rosa = await openPage(browser, url, { name: 'rosa', t });
  const sven = await openPage(browser, url, { name: 'sven', t });
  await loginCall(rosa, 'rosa');
  await loginCall(sven, 'sven');

  await server.stop('SIGTERM');
  // Both pages notice and say so.
  for (const page of [rosa, sven]) {
    await page.waitForFunction(() => document.querySelector('#conn-status').dataset.state === 'reconnecting',
      null, { timeout: 10000 });
    assert.match(await page.textContent('#conn-status'), /reconnecting/i);
  }
  // Let a few attempts fail against the closed port before the server comes back on the same address.
  await rosa.waitForTimeout(1500);
  server = await startPeerhub({ http: false, args: ['--http', `127.0.0.1:${port}`, '--web', WEB] });

  for (const page of [rosa, sven]) {
    await page.waitForFunction(() => document.querySelector('#conn-status').dataset.state === 'ready', null,
      { timeout: 20000 });
    assert.equal(await page.evaluate(() => window.peerhub.sig.name), page === rosa ? 'rosa' : 'sven');
  }
  await connectCall(rosa, sven, 'sven');
});

// The pages over HTTPS, as someone on another machine would use them (a browser allows the camera only on a
// secure origin other than localhost): `peerhub cert` makes a certificate, peerhub serves HTTPS and the pages
// reach the signaling endpoint over WSS on the same port, and two people call.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browserFor, openPage, webRoot } from '../lib/browser.mjs';
import { connectCall, loginCall, waitDecoding } from '../lib/pages.mjs';
import { selfSignedCert, serverFor } from '../lib/server.mjs';

test('over HTTPS with a self-signed certificate the call page uses WSS and a call works', async (t) => {
  const server = await serverFor(t, { args: [...selfSignedCert(t).args, '--web', webRoot()] });
  assert.match(server.url, /^https:/);

  // The person accepted the certificate warning once: the browser trusts it from then on.
  const browser = await browserFor(t);
  const options = { t, contextOptions: { ignoreHTTPSErrors: true } };
  const ada = await openPage(browser, `${server.url}/call.html`, { name: 'ada', ...options });
  const ben = await openPage(browser, `${server.url}/call.html`, { name: 'ben', ...options });
  assert.equal(await ada.evaluate(() => window.isSecureContext), true);
  await loginCall(ada, 'ada');
  await loginCall(ben, 'ben');
  assert.match(await ada.evaluate(() => window.peerhub.sig.url), /^wss:\/\/127\.0\.0\.1:\d+\/ws$/);
  await connectCall(ada, ben, 'ben');
  await waitDecoding(ben);
});

// peerhub-cli (the native peer, peerhub's own WebRTC stack) and the Call page in real Chromium reach each other by
// name through peerhub's signaling: chat both ways and a 20 MiB file each way with matching SHA-256 — with the CLI
// calling the page, and the page calling the CLI.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { openPage, suiteServerAndBrowser } from '../lib/browser.mjs';
import { startCli } from '../lib/cli.mjs';
import { downloadedSha256, loginCall, sendChat, waitChat, waitState } from '../lib/pages.mjs';
import { tempDir } from '../lib/server.mjs';

const suite = suiteServerAndBrowser();
const MiB = 1024 * 1024;
const sha256 = (b) => createHash('sha256').update(b).digest('hex');

async function chatAndFiles(t, page, cli, pageName, folder) {
  await cli.waitLine(new RegExp(`chat with ${pageName} is open`), 30000);
  await sendChat(page, 'hello from the browser');
  await cli.waitLine(new RegExp(`^<${pageName}> hello from the browser$`));
  cli.type('hello from the terminal');
  await waitChat(page, 'hello from the terminal');

  // Browser → CLI: 20 MiB, saved by the CLI into its folder and checked there.
  const up = randomBytes(20 * MiB);
  await page.setInputFiles('#file-input', { name: 'from-browser.bin', mimeType: 'application/octet-stream',
    buffer: up });
  await cli.waitLine(/received "from-browser\.bin" .* verified/, 120000);
  assert.equal(sha256(readFileSync(path.join(folder, 'from-browser.bin'))), sha256(up));
  await page.waitForSelector('.transfer[data-state=done]', { timeout: 30000 });

  // CLI → browser: 20 MiB, saved by the page (the Save link's bytes hashed in the page).
  const down = randomBytes(20 * MiB);
  const file = path.join(folder, 'from-terminal.bin');
  writeFileSync(file, down);
  cli.type(`/send ${file}`);
  await page.waitForSelector('#chat a.download[download="from-terminal.bin"]', { timeout: 120000 });
  assert.equal(await downloadedSha256(page, 'from-terminal.bin'), sha256(down));
  await cli.waitLine(/delivered "from-terminal\.bin": 20971520 bytes, sha256 [0-9a-f]{64} confirmed/, 30000);
}

test('the CLI calls a browser tab by name: chat both ways, 20 MiB each way with matching SHA-256', async (t) => {
  const folder = tempDir();
  t.after(folder.remove);
  const page = await openPage(suite.browser, `${suite.server.url}/call.html`, { name: 'anna', t });
  await loginCall(page, 'anna');
  const cli = startCli(['chat', '--server', suite.server.wsUrl, '--name', 'terminal', '--call', 'anna',
    '--dir', folder.dir], { t });
  await cli.waitLine(/logged in as terminal/);
  await waitState(page, 'ringing');
  assert.equal(await page.textContent('#caller-name'), 'terminal');
  await page.click('#accept');
  await chatAndFiles(t, page, cli, 'anna', folder.dir);
  // Hanging up in the page ends the CLI's call, and (it called) the CLI leaves with success.
  await page.click('#hangup');
  await cli.waitLine(/anna left/);
  assert.deepEqual(await cli.exited, { code: 0, signal: null });
});

test('a browser tab calls the CLI by name: chat both ways, 20 MiB each way with matching SHA-256', async (t) => {
  const folder = tempDir();
  t.after(folder.remove);
  const cli = startCli(['chat', '--server', suite.server.wsUrl, '--name', 'desk', '--dir', folder.dir], { t });
  await cli.waitLine(/waiting for a call/);
  const page = await openPage(suite.browser, `${suite.server.url}/call.html`, { name: 'ben', t });
  await loginCall(page, 'ben');
  await page.fill('#callee', 'desk');
  await page.click('#call-form button');
  await cli.waitLine(/ben is calling; answering/);
  await waitState(page, 'incall').catch((e) => { throw new Error(`${e.message}\n${cli.output()}`); });
  await chatAndFiles(t, page, cli, 'ben', folder.dir);
  // The CLI hangs up; the page says the other side left and goes back to idle.
  cli.type('/quit');
  await waitState(page, 'idle').catch((e) => { throw new Error(`${e.message}\n${cli.output()}`); });
  cli.endInput();
  await cli.exited;
});

// SIGTERM (and SIGINT) with people connected: everyone gets a close frame with 1001 "going away", the
// process logs `stopped` and exits 0.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connect, loginV1, sleep } from '../lib/client.mjs';
import { startPeerhub } from '../lib/server.mjs';

for (const signal of ['SIGTERM', 'SIGINT']) {
  test(`${signal} with connected clients: close 1001 for each, exit code 0`, async (t) => {
    const server = await startPeerhub();
    t.after(() => server.stop('SIGKILL'));
    const [caller] = await loginV1(server.wsUrl, 'sd-caller');
    const [member] = await loginV1(server.wsUrl, 'sd-member');
    member.send({ type: 'join', room: 'sd-room' });
    await member.next({ type: 'joined' });
    const anon = await connect(server.wsUrl);
    const clients = [caller, member, anon];

    server.proc.kill(signal);
    const closes = await Promise.race([
      Promise.all(clients.map((c) => c.closed)),
      sleep(5000).then(() => null),
    ]);
    assert.ok(closes, 'every client was closed within 5 s');
    for (const { code } of closes) assert.equal(code, 1001);

    const exit = await Promise.race([server.exited, sleep(5000).then(() => null)]);
    assert.ok(exit, 'the process exits within 5 s');
    assert.equal(exit.code, 0, `exit ${JSON.stringify(exit)}`);
    assert.match(server.stderr(), /stopped/);
  });
}

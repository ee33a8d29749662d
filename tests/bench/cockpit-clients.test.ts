// The cockpit-load bench's client process: every thread pinned where it is told (off the engine's hot core),
// every frame the server sends parsed and counted, the count reported when stdin closes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';
import { threadsOf } from '../testkit/process-threads.js';

const CLIENTS = fileURLToPath(new URL('../../bench/cockpit-clients.js', import.meta.url));

test('n clients connect, parse every frame and report the total; all their threads on the CPU given', { timeout: 20_000 }, async (t) => {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/ws' });
  t.after(() => wss.close());
  await new Promise((r) => wss.once('listening', r));
  const port = (wss.address() as { port: number }).port;
  const FRAMES = 7;
  wss.on('connection', (ws) => { for (let i = 0; i < FRAMES; i++) ws.send(JSON.stringify({ seq: i, pad: 'x'.repeat(1000) })); });
  const cpu = cpus().length - 1;
  const proc = spawn(process.execPath, [CLIENTS, `http://127.0.0.1:${port}/`, '3', String(cpu)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: proc.stdout! })[Symbol.asyncIterator]();
  assert.deepEqual(JSON.parse((await lines.next()).value as string), { connected: 3 });
  for (const th of threadsOf(proc.pid!)) assert.equal(th.cpus, String(cpu), `client thread ${th.tid} (${th.name}) on ${th.cpus}`);
  await new Promise((r) => setTimeout(r, 300));
  proc.stdin!.end();
  assert.deepEqual(JSON.parse((await lines.next()).value as string), { frames: 3 * FRAMES });
  assert.equal(await new Promise((r) => proc.once('exit', r)), 0);
});

// POST /api/kill as the monitor answers it (monitor/monitor-app.ts): the word is written from the route's first
// hook, so a body the route would refuse to parse cannot stand in the way of stopping; Server-Timing splits the
// answer's time; the control token is held in memory but follows its file (replaced: the new one works at once,
// the old one stops within the monitor's 100 ms look; removed: control stops).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, unlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { TradingState, TradingStateReason } from '../../host/model/vocabulary.js';
import { liveClock } from '../../host/platform/clock.js';
import { unlinkShared } from '../../host/platform/native.js';
import { controlTokenPath, ensureControlToken } from '../../host/telemetry/index.js';
import { createMonitor } from '../../monitor/monitor-app.js';
import { fakeEngine, type FakeEngine } from '../testkit/fake-engine.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Rig { base: string; token: string; engine: FakeEngine; ctl: string }

async function rig(t: { after(fn: () => unknown): void }): Promise<Rig> {
  const dir = mkdtempSync(join(tmpdir(), 'tradecore-kill-route-'));
  const ctl = join(dir, 'ctl');
  const token = ensureControlToken(ctl);
  const segment = `/tradecore-kill-route-${process.pid}-${randomBytes(3).toString('hex')}`;
  const engine = fakeEngine(segment, token);
  const monitor = createMonitor({
    segment, journal: join(dir, 'engine.journal'), controlDir: ctl, symbols: ['INFY'], clock: liveClock, cockpitDir: null,
    openReads: true, controlTimeoutMs: 1000,
  });
  await monitor.app.listen({ host: '127.0.0.1', port: 0 });
  const addr = monitor.app.server.address();
  t.after(async () => {
    engine.stop();
    await monitor.close();
    unlinkShared(segment);
    rmSync(dir, { recursive: true, force: true });
  });
  return { base: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`, token, engine, ctl };
}

const kill = (r: Rig, token: string, init: RequestInit = {}): Promise<Response> =>
  fetch(`${r.base}/api/kill`, { method: 'POST', ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string> ?? {}) } });

test('the kill word does not wait for the body: an unparseable one still halts the engine; Server-Timing splits the time', async (t) => {
  const r = await rig(t);
  // The same body on a route that parses it is refused: the kill route never reads it.
  const parsed = await fetch(`${r.base}/api/flatten`, { method: 'POST', headers: { authorization: `Bearer ${r.token}`, 'content-type': 'application/json' }, body: '{not json' });
  assert.equal(parsed.status, 400);
  const t0 = performance.now();
  const res = await kill(r, r.token, { headers: { 'content-type': 'application/json' }, body: '{not json' });
  const clientMs = performance.now() - t0;
  const json = await res.json() as { ok: boolean; ms: number; state: number; reason: number };
  assert.equal(res.status, 200, JSON.stringify(json));
  assert.deepEqual([json.ok, json.state, json.reason], [true, TradingState.HALTED, TradingStateReason.KILL]);
  assert.equal(r.engine.control.killSet(), true);
  assert.equal(res.headers.get('cross-origin-opener-policy'), 'same-origin', 'written straight to the socket, still with the isolation headers');
  assert.equal(res.headers.get('cross-origin-embedder-policy'), 'require-corp');
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  const again = await kill(r, r.token);
  assert.equal(again.status, 200, 'the connection and the route serve the next kill');
  assert.equal(((await again.json()) as { state: number }).state, TradingState.HALTED);
  const timing = Object.fromEntries([...(res.headers.get('server-timing') ?? '').matchAll(/([\w-]+);dur=([\d.]+)/g)].map((m) => [m[1], Number(m[2])]));
  assert.deepEqual(Object.keys(timing).sort(), ['engine', 'write']);
  assert.ok(Math.abs(timing['engine']! - json.ms) < 0.002, `engine ${timing['engine']} ms is the answer's ms ${json.ms}`);
  assert.ok(timing['write']! >= 0 && timing['write']! + timing['engine']! <= clientMs, `${JSON.stringify(timing)} within the ${clientMs} ms the client saw`);
});

test('without the token nothing is written; the token follows its file: a new one works at once, the old one and a removed one stop', async (t) => {
  const r = await rig(t);
  const refused = await kill(r, 'f'.repeat(32));
  assert.equal(refused.status, 401);
  assert.equal(r.engine.control.killSet(), false, 'nothing written without the token');
  const file = controlTokenPath(r.ctl);
  const next = randomBytes(16).toString('hex');
  unlinkSync(file);
  writeFileSync(file, `${next}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  assert.equal((await kill(r, next)).status, 200, 'the new one works at once');
  r.engine.control.reset(r.token); // the fake engine keeps the token it started with
  await sleep(250); // the monitor looks at the file every 100 ms
  assert.equal(r.engine.control.killSet(), false);
  assert.equal((await kill(r, r.token)).status, 401, 'the replaced one no longer works');
  assert.equal(r.engine.control.killSet(), false, 'and wrote nothing');
  unlinkSync(file);
  await sleep(250); // the monitor looks for the file every 100 ms
  const gone = await kill(r, next);
  assert.equal(gone.status, 401, 'no token file: no control');
  assert.match(((await gone.json()) as { message: string }).message, /no control token/);
});

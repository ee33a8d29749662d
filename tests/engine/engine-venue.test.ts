// The engine process against a real venue process, both topologies: it starts pinned, trades (orders rest at
// the venue and are cancelled by the 200 ms rule), a kill through the segment's control block halts it (HALTED
// published, no new order after the halt, every working order cancelled), it stops cleanly on SIGTERM (the
// /dev/shm segment gone), and the journal agrees. A bad config is refused naming the key; a worker that dies
// halts trading and the engine exits 1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startVenue, venueConfigToml, type LocalVenue } from '../../host/venue/venue-process.js';
import { ControlWriter, SegmentReader, mapSegmentFile, readTelemetry } from '../../host/telemetry/index.js';
import { liveClock } from '../../host/platform/clock.js';
import { TradingState, TradingStateReason } from '../../host/model/vocabulary.js';
import { readJournalFile } from '../../host/journal/journal-reader.js';
import { killAndCheckQuiet, startEngine } from '../testkit/engine-process.js';
import { threadsOf } from '../testkit/process-threads.js';

const ENGINE = fileURLToPath(new URL('../../host/engine.js', import.meta.url));

async function venue(t: import('node:test').TestContext): Promise<LocalVenue> {
  const v = await startVenue(venueConfigToml({
    users: [{ id: 1, token: 'alpha' }],
    symbols: [
      { name: 'AAA', refPrice: 10_000, bandLow: 9_000, bandHigh: 11_000, flowEventsPerSecond: 300, flowSeed: 5 },
      { name: 'BBB', refPrice: 20_000, bandLow: 18_000, bandHigh: 22_000, flowEventsPerSecond: 300, flowSeed: 6 },
    ],
  }));
  t.after(() => v.stop());
  return v;
}

/** An engine config that quotes whenever it may: threshold 0 and a large NEV gain (NEV > 0 on a 1-tick edge).
 *  Broker caps with room: at the default 10/s the quoting fills the per-second window and a due cancel waits for
 *  a slot (correct, and shown in ttl-cancel-window.test.ts), which is not the 200 ms timing measured here. */
const config = (topology: string): string => [
  '[engine]', `topology = "${topology}"`, 'symbols = ["AAA", "BBB"]', 'bookLevels = 4096',
  '[execution]', 'signalGain = 100', 'tradeRateFloor = 50',
  '[execution.strategy]', 'threshold = 0',
  '[execution.broker]', 'perSecond = 100', 'perMinute = 6000',
].join('\n');

async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

for (const topology of ['fused', 'modules']) {
  test(`${topology}: trades against the venue, the 200 ms rule cancels, kill halts and cancels, stops clean`, { timeout: 30_000 }, async (t) => {
    const v = await venue(t);
    const engine = await startEngine(t, config(topology), v);
    const names = engine.ready.workers.map((w) => w.name).sort();
    assert.deepEqual(names, topology === 'fused' ? ['cool', 'hot'] : ['execution', 'oracle', 'sentinel', 'sonar']);
    for (const w of engine.ready.workers) assert.match(w.cpus, /^\d+(-\d+)?(,\d+(-\d+)?)*$/, `${w.name} reports its Cpus_allowed_list`);
    const hot = engine.ready.workers.find((w) => w.name === (topology === 'fused' ? 'hot' : 'execution'))!;
    assert.equal(hot.cpus, '0', 'the order path is pinned to CPU 0 (config default)');

    const sab = mapSegmentFile(engine.segment);
    const reader = new SegmentReader(sab, { clock: liveClock });
    const counters = () => reader.counters().values;
    await until(() => (counters()['orders'] ?? 0) >= 3 && (counters()['cancels'] ?? 0) >= 2, 12_000, 'orders and TTL cancels');
    assert.equal(reader.tradingState().values['state'], TradingState.ACTIVE);
    // Each worker names its thread, so the per-thread CPU in telemetry says which module runs on which core.
    const named = (): boolean => names.every((n) => readTelemetry(reader).threads.some((x) => x.name === `tc-${n}`));
    await until(named, 3000, `every worker's thread named in telemetry (${JSON.stringify(readTelemetry(reader).threads)})`);
    // The hot path's cores are its own: every other thread of the engine (main, V8's helpers, the other workers,
    // the kill watcher) keeps off CPU 0.
    const hotNames = topology === 'fused' ? ['tc-hot'] : ['tc-oracle', 'tc-execution'];
    for (const th of threadsOf(engine.proc.pid!)) {
      if (hotNames.includes(th.name)) assert.equal(th.cpus, '0', `${th.name} on the hot path's CPU`);
      else assert.ok(!th.cpus.split(',').some((r) => r === '0' || r.startsWith('0-')), `engine thread ${th.tid} (${th.name}) allowed on ${th.cpus}: off CPU 0`);
    }
    for (const w of engine.ready.workers) {
      const t = readTelemetry(reader).threads.find((x) => x.name === `tc-${w.name}`)!;
      assert.ok(w.cpus.split(',').includes(String(t.cpu)), `${w.name} seen on CPU ${t.cpu}, pinned to ${w.cpus}`);
    }

    const { killAt, haltedAt } = await killAndCheckQuiet(sab, 700);

    const { code, signal, stopped } = await engine.stop();
    assert.equal(code, 0, `exit ${code} signal ${signal} ${stopped ? JSON.stringify(stopped).slice(0, 80) : "no stopped line"}; stderr:\n${engine.stderr()}`);
    assert.ok(stopped && stopped.engine === 'stopped');
    assert.ok(stopped.latency!['tick_to_order_ns']!.count >= 3, 'tick-to-order recorded per decision');
    assert.ok(!existsSync(`/dev/shm${engine.segment}`), 'the segment is unlinked');

    // The journal: every order before the halt; each acked order ends cancelled or filled; TTL cancels at 200 ms.
    const records = [...readJournalFile(engine.journal).records()];
    const news = records.filter((r) => r.type === 'OrderNew');
    assert.ok(news.length >= 3);
    for (const r of news) assert.ok(r.timestampNs < haltedAt, `order ${r.fields['clOrdId']} sent after the halt`);
    const acked = new Map(records.filter((r) => r.type === 'Ack').map((r) => [r.fields['clOrdId'], r.timestampNs]));
    const ended = new Set(records.filter((r) => r.type === 'Canceled').map((r) => r.fields['clOrdId']));
    for (const r of records.filter((x) => x.type === 'Fill' && x.fields['leavesQty'] === 0)) ended.add(r.fields['clOrdId']);
    for (const id of acked.keys()) {
      if (news.some((n) => n.fields['clOrdId'] === id)) assert.ok(ended.has(id), `order ${id} still working at the end`);
    }
    const ttl = records.filter((r) => r.type === 'OrderCancel' && r.timestampNs < killAt && acked.has(r.fields['origClOrdId']))
      .map((r) => (r.timestampNs - acked.get(r.fields['origClOrdId'])!) / 1e6).sort((a, b) => a - b);
    assert.ok(ttl.length >= 1, 'a 200 ms cancel before the halt');
    assert.ok(ttl[0]! >= 199.9, `a cancel ${ttl[0]} ms after its ack`);
    assert.ok(ttl[Math.floor(ttl.length / 2)]! < 230, `median cancel ${ttl[Math.floor(ttl.length / 2)]} ms after its ack`);
    const halts = records.filter((r) => r.type === 'TradingState' && r.fields['state'] === TradingState.HALTED);
    assert.ok(halts.length >= 1, 'the halt is journaled');
    assert.ok(records.some((r) => r.type === 'Control' && r.fields['action'] === 1), 'the kill is journaled');
  });
}

test('a bad config is refused naming the key (exit 2)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'engine-bad-'));
  const file = (name: string, text: string): string => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const r = spawnSync(process.execPath, [ENGINE, '--config', file('a.toml', '[engine]\ntopology = "ring"\n')], { encoding: 'utf8' });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /engine\.topology must be one of fused, modules, got "ring"/);
  const bad = spawnSync(process.execPath, [ENGINE, '--config', file('b.toml', '[execution.strategy]\nqty = 0\n')], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /execution\.strategy\.qty must be an integer in \[1, 1000000000\], got 0/);
  const none = spawnSync(process.execPath, [ENGINE], { encoding: 'utf8' });
  assert.equal(none.status, 2);
  assert.match(none.stderr, /--config is required/);
  rmSync(dir, { recursive: true, force: true });
});

test('a worker that dies halts trading (WORKER_DIED) and the engine exits 1', { timeout: 30_000 }, async (t) => {
  const v = await venue(t);
  const engine = await startEngine(t, config('fused'), v, { TRADECORE_ENGINE_CRASH: 'hot:1500' });
  const sab = mapSegmentFile(engine.segment); // stays mapped after the engine unlinks it
  const reader = new SegmentReader(sab, { clock: liveClock });
  const { code, signal, stopped } = await engine.exited;
  assert.equal(code, 1, `exit ${code} signal ${signal}; stderr:\n${engine.stderr()}`);
  assert.match(stopped!.reason, /worker hot/);
  const state = reader.tradingState().values;
  assert.equal(state['state'], TradingState.HALTED);
  assert.equal(state['reason'], TradingStateReason.WORKER_DIED);
  assert.ok(!existsSync(`/dev/shm${engine.segment}`), 'the segment is unlinked');
});

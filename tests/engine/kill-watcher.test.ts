// The kill watcher thread (host/engine/kill-watcher.ts) against a real venue: while the cool thread that runs
// Sentinel is blocked (the TRADECORE_ENGINE_STALL hook: a long turn or a GC pause), a kill still halts the
// engine at once (HALTED (KILL) published and acknowledged, no new order at the venue), and a reset sent while
// Sentinel is still blocked clears the kill word before Sentinel ever sees it: Sentinel must still journal the
// kill when it wakes, then apply the reset (ACTIVE again).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startVenue, venueConfigToml } from '../../host/venue/venue-process.js';
import { ControlWriter, SegmentReader, mapSegmentFile, readControlToken } from '../../host/telemetry/index.js';
import { liveClock } from '../../host/platform/clock.js';
import { TradingState, TradingStateReason } from '../../host/model/vocabulary.js';
import { readJournalFile } from '../../host/journal/journal-reader.js';
import { ControlAction } from '../../host/journal/records.js';
import { startEngine } from '../testkit/engine-process.js';

const toml = [
  '[engine]', 'topology = "fused"', 'symbols = ["AAA"]', 'bookLevels = 4096',
  '[execution]', 'signalGain = 100', 'tradeRateFloor = 50',
  '[execution.strategy]', 'threshold = 0',
  '[execution.broker]', 'perSecond = 100', 'perMinute = 6000',
].join('\n');

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('a kill halts the engine while Sentinel\'s thread is blocked; a reset before Sentinel looks still journals the kill', { timeout: 40_000 }, async (t) => {
  const v = await startVenue(venueConfigToml({
    users: [{ id: 1, token: 'alpha' }],
    symbols: [{ name: 'AAA', refPrice: 10_000, bandLow: 9_000, bandHigh: 11_000, flowEventsPerSecond: 300, flowSeed: 5 }],
  }));
  t.after(() => v.stop());
  // The cool thread blocks for 6 s, 3 s after it starts.
  const engine = await startEngine(t, toml, v, { TRADECORE_ENGINE_STALL: 'cool:3000:6000' });
  assert.ok(engine.ready.watcher, 'the ready line names the kill watcher');
  assert.equal(engine.ready.watcher.cpus, engine.ready.workers.find((w) => w.name === 'cool')!.cpus, 'the watcher sits on Sentinel\'s CPUs');
  const sab = mapSegmentFile(engine.segment);
  const reader = new SegmentReader(sab, { clock: liveClock });
  const control = new ControlWriter(sab);

  // Sentinel's heartbeat stops moving: its thread is blocked.
  let beat = reader.headerValues().heartbeat;
  for (let still = 0; still < 3;) {
    await sleep(150);
    const now = reader.headerValues().heartbeat;
    still = now === beat ? still + 1 : 0;
    beat = now;
  }
  const killAt = liveClock.nowNs();
  control.kill();
  while (!control.killSeen()) {
    assert.ok(liveClock.nowNs() - killAt < 500e6, 'the kill acknowledged within 500 ms while Sentinel is blocked');
    await sleep(2);
  }
  const halted = reader.tradingState().values;
  assert.deepEqual([halted['state'], halted['reason']], [TradingState.HALTED, TradingStateReason.KILL]);
  assert.ok(halted['changedNs']! - killAt < 500e6, `HALTED published ${(halted['changedNs']! - killAt) / 1e6} ms after the kill`);
  assert.equal(reader.headerValues().heartbeat, beat, 'Sentinel was still blocked when the halt was published');

  // Reset now: the kill word is cleared long before Sentinel's thread looks again.
  const seq = control.reset(readControlToken(join(engine.dir, 'ctl')));
  await sleep(1000);
  assert.equal(reader.tradingState().values['state'], TradingState.HALTED, 'no reset without Sentinel');
  for (const end = Date.now() + 10_000; !(control.resetAcked(seq) && reader.tradingState().values['state'] === TradingState.ACTIVE);) {
    assert.ok(Date.now() < end, `ACTIVE again after Sentinel woke: ${JSON.stringify(reader.tradingState().values)}`);
    await sleep(20);
  }
  const { code } = await engine.stop();
  assert.equal(code, 0, engine.stderr());

  const records = [...readJournalFile(engine.journal).records()];
  const kill = records.find((r) => r.type === 'Control' && r.fields['action'] === ControlAction.KILL);
  const reset = records.find((r) => r.type === 'Control' && r.fields['action'] === ControlAction.RESET);
  assert.ok(kill, 'the kill is journaled although its word was cleared before Sentinel looked');
  assert.ok(reset && reset.timestampNs >= kill.timestampNs, 'the reset journaled after the kill');
  assert.ok(records.some((r) => r.type === 'TradingState' && r.fields['state'] === TradingState.HALTED && r.fields['reason'] === TradingStateReason.KILL));
  const news = records.filter((r) => r.type === 'OrderNew');
  assert.ok(news.length >= 1, 'it traded before the stall');
  assert.ok(!news.some((r) => r.timestampNs > killAt && r.timestampNs < reset!.timestampNs), 'no order between the kill and the reset');
});

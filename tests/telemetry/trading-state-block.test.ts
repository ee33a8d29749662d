// The trading-state block's two writers (Sentinel and the kill watcher): the CAS write round excludes a second
// writer (seqlockLock), a set kill word wins over whatever a writer asks, and the watcher's halt happens only
// while the kill word is still set (a reset that cleared it first is never undone by a late watcher).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { once } from 'node:events';
import { SEGMENT_BYTES } from '../../host/telemetry/segment-layout.js';
import { EngineSegment } from '../../host/telemetry/segment-writer.js';
import { ControlWriter } from '../../host/telemetry/control.js';
import { SegmentReader } from '../../host/telemetry/segment-reader.js';
import { TradingStateBlock } from '../../host/telemetry/trading-state-block.js';
import { seqlockLock, seqlockWriteEnd } from '../../host/telemetry/seqlock.js';
import { TradingState, TradingStateReason } from '../../host/model/vocabulary.js';
import { ManualClock } from '../testkit/manual-clock.js';

function fresh(): { sab: SharedArrayBuffer; clock: ManualClock; engine: EngineSegment; block: TradingStateBlock; control: ControlWriter; reader: SegmentReader } {
  const sab = new SharedArrayBuffer(SEGMENT_BYTES);
  const clock = new ManualClock(1_000_000);
  const engine = new EngineSegment(sab, { pid: 1, clock });
  return { sab, clock, engine, block: new TradingStateBlock(sab, clock), control: new ControlWriter(sab), reader: new SegmentReader(sab, { clock }) };
}

test('while the kill word is set every publication shows HALTED (KILL); a repeat keeps the first stamp', () => {
  const { clock, engine, block, control, reader } = fresh();
  assert.deepEqual({ ...block.publish(TradingState.REDUCING, TradingStateReason.RTT_LOCKDOWN) }, { state: TradingState.REDUCING, reason: TradingStateReason.RTT_LOCKDOWN });
  control.kill();
  clock.advance(1000);
  const shown = engine.publishTradingState(TradingState.ACTIVE, TradingStateReason.NONE);
  assert.deepEqual([shown.state, shown.reason], [TradingState.HALTED, TradingStateReason.KILL]);
  const first = reader.tradingState().values;
  assert.deepEqual([first['state'], first['reason'], first['changes'], first['changedNs']], [TradingState.HALTED, TradingStateReason.KILL, 2, clock.nowNs()]);
  clock.advance(1000);
  block.publish(TradingState.HALTED, TradingStateReason.KILL);
  const again = reader.tradingState().values;
  assert.deepEqual([again['changes'], again['changedNs']], [2, first['changedNs']], 'the same state again is not a change');
  control.reset(null);
  assert.equal(block.publish(TradingState.ACTIVE, TradingStateReason.RESET).state, TradingState.ACTIVE, 'the word cleared: the writer decides');
});

test('a segment created over a set kill word starts HALTED (KILL), no change counted', () => {
  const sab = new SharedArrayBuffer(SEGMENT_BYTES);
  const clock = new ManualClock(5);
  new EngineSegment(sab, { pid: 1, clock });
  new ControlWriter(sab).kill();
  new EngineSegment(sab, { pid: 2, clock }); // a restarted engine over the same segment
  const s = new SegmentReader(sab, { clock }).tradingState().values;
  assert.deepEqual([s['state'], s['reason'], s['changes']], [TradingState.HALTED, TradingStateReason.KILL, 0]);
});

test('the watcher halts only while the kill word is set, inside the write round', () => {
  const { block, control, reader } = fresh();
  let halts = 0;
  assert.equal(block.publishKill(() => { halts++; }), false, 'no kill word: nothing');
  assert.equal(halts, 0);
  assert.equal(reader.tradingState().values['state'], TradingState.ACTIVE);
  control.kill();
  assert.equal(block.publishKill(() => { halts++; }), true);
  assert.equal(halts, 1);
  const s = reader.tradingState().values;
  assert.deepEqual([s['state'], s['reason']], [TradingState.HALTED, TradingStateReason.KILL]);
  assert.equal((s['version']! & 1), 0, 'the round ended');
});

const HAMMER = `
const { workerData, parentPort } = require('node:worker_threads');
const { i32, n } = workerData;
const nap = new Int32Array(new SharedArrayBuffer(4));
import(workerData.seqlock).then(({ seqlockLock, seqlockWriteEnd }) => {
  Atomics.wait(i32, 2, 0); // start together
  let busy = 0;
  for (let k = 0; k < n; k++) {
    seqlockLock(i32, 0, () => { busy++; Atomics.wait(nap, 0, 0, 0.001); });
    // Writers inside the round: more than one at once is the failure this lock exists to prevent.
    const inside = Atomics.add(i32, 3, 1) + 1;
    if (inside > Atomics.load(i32, 4)) Atomics.store(i32, 4, inside);
    const v = Atomics.load(i32, 1); // a read-modify-write in two steps: a second writer inside loses updates
    for (let spin = 0; spin < 200; spin++) Atomics.load(i32, 5);
    Atomics.store(i32, 1, v + 1);
    Atomics.sub(i32, 3, 1);
    seqlockWriteEnd(i32, 0);
  }
  parentPort.postMessage(busy);
});
`;

test('seqlockLock: two writers in two threads never hold the round at once (no lost update)', async () => {
  const i32 = new Int32Array(new SharedArrayBuffer(32));
  const n = 20_000;
  const url = new URL('../../host/telemetry/seqlock.js', import.meta.url).href;
  const ws = [0, 1].map(() => new Worker(HAMMER, { eval: true, workerData: { i32, n, seqlock: url } }));
  await new Promise((r) => setTimeout(r, 200));
  Atomics.store(i32, 2, 1);
  Atomics.notify(i32, 2);
  const busy = (await Promise.all(ws.map((w) => once(w, 'message')))).map(([b]) => b as number);
  await Promise.all(ws.map((w) => w.terminate()));
  assert.ok(busy[0]! + busy[1]! > 0, 'the writers met (one found the round held): the check below means something');
  assert.equal(i32[4], 1, 'never two writers inside the round');
  assert.equal(i32[1], 2 * n, 'every increment kept');
  assert.equal(i32[0], 4 * n, 'every round ended: the version is even');
  // A round held (odd) by a writer that never ends it: bounded, then a clear error.
  seqlockLock(i32, 0, () => {});
  assert.throws(() => seqlockLock(i32, 0, () => {}, 10), /held by another writer through 10 attempts/);
  seqlockWriteEnd(i32, 0);
});

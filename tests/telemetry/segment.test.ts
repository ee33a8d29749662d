// The segment's versioning and liveness: a reader refuses a segment whose magic, layout version or size it
// does not know, with an error that says what it found; the engine is up while the heartbeat moves and down
// once it has been still longer than the threshold, on a manual clock; seqlocked blocks round trip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TradingState, TradingStateReason } from '../../host/model/vocabulary.js';
import {
  EngineSegment, EventKind, SEGMENT_BYTES, SEGMENT_LAYOUT_VERSION, SEGMENT_MAGIC, SegmentError, SegmentReader, SeqlockRead,
  checkSegment, fieldOffset, seqlockWriteBegin, seqlockWriteEnd, region,
} from '../../host/telemetry/index.js';
import { ManualClock } from '../testkit/manual-clock.js';

function fresh(): { clock: ManualClock; sab: SharedArrayBuffer; engine: EngineSegment } {
  const clock = new ManualClock();
  const sab = new SharedArrayBuffer(SEGMENT_BYTES);
  return { clock, sab, engine: new EngineSegment(sab, { pid: 77, clock }) };
}

test('a fresh segment is accepted and reads what the engine wrote', () => {
  const { clock, sab } = fresh();
  assert.doesNotThrow(() => checkSegment(sab));
  const r = new SegmentReader(sab, { clock });
  const h = r.headerValues();
  assert.equal(h.magic, SEGMENT_MAGIC);
  assert.equal(h.layoutVersion, SEGMENT_LAYOUT_VERSION);
  assert.equal(h.totalBytes, SEGMENT_BYTES);
  assert.equal(h.enginePid, 77);
  const s = r.tradingState();
  assert.equal(s.status, SeqlockRead.OK);
  assert.equal(s.values.state, TradingState.ACTIVE);
  assert.equal(s.values.reason, TradingStateReason.NONE);
});

test('an unknown magic is refused with the magic found and the one expected', () => {
  const { sab } = fresh();
  new DataView(sab).setUint32(fieldOffset('header', 'magic'), 0xdeadbeef, true);
  assert.throws(() => checkSegment(sab), (e: unknown) =>
    e instanceof SegmentError && /magic 0xdeadbeef, expected 0x53544354 \("TCTS"\): not a tradecore telemetry segment/.test(e.message));
  assert.throws(() => new SegmentReader(sab, { clock: new ManualClock() }), SegmentError);
  const zero = new SharedArrayBuffer(SEGMENT_BYTES);
  assert.throws(() => checkSegment(zero), /magic 0x00000000.*has not finished creating it/);
});

test('an unknown layout version is refused, naming both versions', () => {
  for (const v of [0, SEGMENT_LAYOUT_VERSION + 1, 0xffffffff]) {
    const { sab } = fresh();
    new DataView(sab).setUint32(fieldOffset('header', 'layoutVersion'), v, true);
    assert.throws(() => checkSegment(sab), (e: unknown) =>
      e instanceof SegmentError && e.message.includes(`layout version ${v}, this reader knows only version ${SEGMENT_LAYOUT_VERSION}`), String(v));
  }
});

test('a wrong size is refused: header total, or a mapping too small', () => {
  const { sab } = fresh();
  new DataView(sab).setUint32(fieldOffset('header', 'totalBytes'), SEGMENT_BYTES - 64, true);
  assert.throws(() => checkSegment(sab), /header says \d+ bytes/);
  const small = new SharedArrayBuffer(SEGMENT_BYTES - 64);
  new Uint8Array(small).set(new Uint8Array(fresh().sab, 0, 64));
  assert.throws(() => checkSegment(small), /mapping has \d+/);
  assert.throws(() => new EngineSegment(new SharedArrayBuffer(1024), { pid: 1, clock: new ManualClock() }), new RegExp(`needs ${SEGMENT_BYTES}`));
});

test('heartbeat: up while it moves, down after the threshold of silence, up again when it resumes', () => {
  const { clock, sab, engine } = fresh();
  const r = new SegmentReader(sab, { clock, engineDownAfterMs: 500 });
  assert.equal(r.liveness().up, true, 'just opened');
  for (let i = 0; i < 10; i++) {
    clock.advance(100);
    engine.heartbeat();
    assert.equal(r.liveness().up, true, `beat ${i}`);
  }
  clock.advance(500);
  let l = r.liveness();
  assert.equal(l.up, true, 'exactly the threshold is still up');
  assert.equal(l.silentMs, 500);
  clock.advance(1);
  l = r.liveness();
  assert.equal(l.up, false, 'silent longer than the threshold: down');
  assert.equal(l.heartbeat, 10);
  clock.advance(10_000);
  assert.equal(r.liveness().up, false);
  engine.heartbeat();
  assert.equal(r.liveness().up, true, 'beats again: up');
  assert.equal(r.headerValues().heartbeatNs, clock.nowNs());
});

test('a reader that opens a segment whose engine never beats reports it down after the threshold', () => {
  const { clock, sab } = fresh();
  const r = new SegmentReader(sab, { clock, engineDownAfterMs: 1000 });
  clock.advance(1000);
  assert.equal(r.liveness().up, true);
  clock.advance(1);
  assert.equal(r.liveness().up, false);
  assert.throws(() => new SegmentReader(sab, { clock, engineDownAfterMs: 0 }), /engineDownAfterMs must be > 0/);
});

test('trading state, symbols and counters round trip through their seqlocks; a state change is an event', () => {
  const { clock, sab, engine } = fresh();
  const r = new SegmentReader(sab, { clock });
  clock.advance(5);
  engine.publishTradingState(TradingState.REDUCING, TradingStateReason.RTT_LOCKDOWN);
  const s = r.tradingState();
  assert.deepEqual([s.status, s.values.state, s.values.reason, s.values.changes, s.values.changedNs],
    [SeqlockRead.OK, TradingState.REDUCING, TradingStateReason.RTT_LOCKDOWN, 1, clock.nowNs()]);
  const [ev] = r.events.poll().events;
  assert.deepEqual([ev!.kind, ev!.code, ev!.detail, ev!.tsNs], [EventKind.STATE_CHANGE, TradingState.REDUCING, TradingStateReason.RTT_LOCKDOWN, clock.nowNs()]);

  engine.publishSymbol(15, { symbolId: 3, bidPrice: -2147483648, bidQty: 0, askPrice: 250_100, askQty: 7, imbalanceBp: -10000, signalBp: -12, regime: 2, entropyMilli: 1500, updatedNs: 9 });
  const sym = r.symbol(15);
  assert.equal(sym.status, SeqlockRead.OK);
  assert.deepEqual([sym.values.symbolId, sym.values.bidPrice, sym.values.askPrice, sym.values.askQty, sym.values.imbalanceBp, sym.values.signalBp, sym.values.entropyMilli],
    [3, -2147483648, 250_100, 7, -10000, -12, 1500]);
  assert.throws(() => engine.publishSymbol(16, {}), RangeError);
  assert.throws(() => r.symbol(-1), RangeError);

  engine.publishCounters({ orders: 4_000_000_000, fills: 2, cancels: 3, rejects: 4, refusedMaxPosition: 5, refusedOtrBudget: 6 });
  const c = r.counters();
  assert.deepEqual([c.values.orders, c.values.fills, c.values.refusedMaxPosition, c.values.refusedOtrBudget, c.values.refusedHalted], [4_000_000_000, 2, 5, 6, 0]);
});

test('a block stuck mid-write reads TORN after the bounded retries and keeps the last good snapshot', () => {
  const { clock, sab, engine } = fresh();
  const r = new SegmentReader(sab, { clock });
  engine.publishCounters({ orders: 1 });
  assert.equal(r.counters().values.orders, 1);
  const i32 = new Int32Array(sab);
  const v = fieldOffset('counters', 'version') / 4;
  seqlockWriteBegin(i32, v); // a writer that died mid-write
  Atomics.store(i32, fieldOffset('counters', 'orders') / 4, 99);
  const torn = r.counters(8);
  assert.equal(torn.status, SeqlockRead.TORN);
  assert.equal(torn.values.orders, 1, 'previous snapshot kept');
  assert.throws(() => seqlockWriteBegin(i32, v), /is odd, another write is in progress/);
  seqlockWriteEnd(i32, v);
  assert.deepEqual([r.counters().status, r.counters().values.orders], [SeqlockRead.OK, 99]);
  assert.equal(region('counters').offset % 64, 0);
});

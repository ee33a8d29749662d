// The control block round trip: the control side writes it (and only it), the engine side sees each request
// and answers in its own ack block: kill word → engine halts and acknowledges; reset sequence → cleared kill,
// acknowledged; flatten; the one-slot parameter mailbox refuses a second request until the first is acked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TradingState, TradingStateReason } from '../../host/model/vocabulary.js';
import { ControlWriter, EngineSegment, SEGMENT_BYTES, SegmentError, SegmentReader, region } from '../../host/telemetry/index.js';
import { ManualClock } from '../testkit/manual-clock.js';

function setup(): { clock: ManualClock; sab: SharedArrayBuffer; engine: EngineSegment; control: ControlWriter; reader: SegmentReader } {
  const clock = new ManualClock();
  const sab = new SharedArrayBuffer(SEGMENT_BYTES);
  const engine = new EngineSegment(sab, { pid: 1, clock });
  return { clock, sab, engine, control: new ControlWriter(sab), reader: new SegmentReader(sab, { clock }) };
}

/** What an engine does with its control block (the real one lives in the engine's cool worker). */
function engineStep(engine: EngineSegment, halted: { value: boolean }): void {
  const req = engine.pollControl();
  if (req.kill && !halted.value) {
    halted.value = true;
    engine.publishTradingState(TradingState.HALTED, TradingStateReason.KILL);
    engine.ackKill(true);
  }
  if (req.reset !== 0) {
    halted.value = false;
    engine.publishTradingState(TradingState.ACTIVE, TradingStateReason.RESET);
    engine.ackReset(req.reset);
  }
  if (req.flatten !== 0) engine.ackFlatten(req.flatten);
  if (req.param) engine.ackParam(req.param.seq, req.param.key === 99 ? -1 : 0);
}

test('kill word: written by the control side, seen by the engine, HALTED published and acknowledged', () => {
  const { engine, control, reader } = setup();
  const halted = { value: false };
  assert.deepEqual(engine.pollControl(), { kill: false, reset: 0, resetToken: null, flatten: 0, flattenCollarTicks: 0, param: null }, 'nothing pending at start');
  assert.equal(control.killSeen(), false);
  control.kill();
  assert.equal(engine.pollControl().kill, true, 'engine sees the kill word');
  assert.equal(control.killSeen(), false, 'not acknowledged before the engine acts');
  engineStep(engine, halted);
  assert.equal(control.killSeen(), true);
  const s = reader.tradingState().values;
  assert.deepEqual([s.state, s.reason], [TradingState.HALTED, TradingStateReason.KILL]);
  assert.equal(engine.pollControl().kill, true, 'the kill word stays set: a restarted engine halts again');
  engineStep(engine, halted);
  assert.equal(reader.tradingState().values.changes, 1, 'halting once, not on every poll');
});

test('reset: clears the kill word, its sequence is acknowledged, the engine leaves HALTED', () => {
  const { engine, control, reader } = setup();
  const halted = { value: false };
  control.kill();
  engineStep(engine, halted);
  const seq = control.reset();
  assert.equal(seq, 1);
  assert.equal(control.resetAcked(seq), false);
  const req = engine.pollControl();
  assert.deepEqual([req.kill, req.reset], [false, 1]);
  engineStep(engine, halted);
  assert.equal(control.resetAcked(seq), true);
  assert.equal(control.killSeen(), false);
  assert.equal(engine.pollControl().reset, 0, 'acknowledged: no longer pending');
  const s = reader.tradingState().values;
  assert.deepEqual([s.state, s.reason], [TradingState.ACTIVE, TradingStateReason.RESET]);
  const seq2 = control.reset();
  assert.equal(seq2, 2);
  assert.equal(engine.pollControl().reset, 2);
});

test('flatten sequence acknowledged', () => {
  const { engine, control } = setup();
  const halted = { value: false };
  const a = control.flatten();
  const b = control.flatten();
  assert.equal(engine.pollControl().flatten, b, 'two requests before the engine looked: it acts once on the last');
  engineStep(engine, halted);
  assert.equal(control.flattenAcked(a), false);
  assert.equal(control.flattenAcked(b), true);
});

test('parameter mailbox: key and value delivered with their sequence; busy until acknowledged; status returned', () => {
  const { engine, control, reader } = setup();
  const halted = { value: false };
  const seq = control.postParam(7, -123_456_789_012);
  assert.deepEqual(engine.pollControl().param, { seq, key: 7, value: -123_456_789_012 });
  assert.equal(control.paramResult(seq), null);
  assert.throws(() => control.postParam(8, 1), (e: unknown) => e instanceof SegmentError && /mailbox busy: request 1 not acknowledged/.test(e.message));
  assert.deepEqual(engine.pollControl().param, { seq, key: 7, value: -123_456_789_012 }, 'the refused post changed nothing');
  engineStep(engine, halted);
  assert.equal(control.paramResult(seq), 0);
  assert.equal(engine.pollControl().param, null);
  const bad = control.postParam(99, 1);
  engineStep(engine, halted);
  assert.equal(control.paramResult(bad), -1);
  const { control: c, ack } = reader.controlValues();
  assert.deepEqual([c.paramSeq, c.paramKey, ack.paramAck, ack.paramStatus], [2, 99, 2, -1]);
});

test('the control side writes only the control block; the engine only its ack block', () => {
  const { sab, engine, control } = setup();
  const before = new Uint8Array(sab).slice();
  control.kill();
  control.reset();
  control.flatten();
  control.postParam(3, 4);
  const ctl = region('control');
  const after = new Uint8Array(sab);
  for (let i = 0; i < SEGMENT_BYTES; i++) {
    if (i >= ctl.offset && i < ctl.offset + ctl.bytes) continue;
    if (after[i] !== before[i]) assert.fail(`control side wrote byte ${i}, outside the control block`);
  }
  const snap = after.slice();
  const req = engine.pollControl();
  engine.ackReset(req.reset);
  engine.ackFlatten(req.flatten);
  engine.ackParam(req.param!.seq, 0);
  engine.ackKill(false);
  for (let i = ctl.offset; i < ctl.offset + ctl.bytes; i++) {
    if (after[i] !== snap[i]) assert.fail(`engine wrote byte ${i} of the control block`);
  }
});

test('an engine restarted over the same segment still sees the kill word, and no stale request', () => {
  const { clock, sab, engine, control } = setup();
  control.postParam(5, 6);
  control.flatten();
  control.reset();
  control.kill();
  engine.heartbeat();
  const restarted = new EngineSegment(sab, { pid: 2, clock });
  assert.deepEqual(restarted.pollControl(), { kill: true, reset: 0, resetToken: null, flatten: 0, flattenCollarTicks: 0, param: null });
  const r = new SegmentReader(sab, { clock });
  assert.deepEqual([r.headerValues().enginePid, r.headerValues().heartbeat], [2, 0], 'the rest is the new engine\'s');
  assert.equal(control.killSeen(), false, 'the new engine has not acknowledged yet');
  const fresh = new SharedArrayBuffer(SEGMENT_BYTES);
  new Uint8Array(fresh).set(new Uint8Array(sab));
  new DataView(fresh).setUint32(0, 0, true); // not a segment any more: nothing carried over
  assert.equal(new EngineSegment(fresh, { pid: 3, clock }).pollControl().kill, false);
});

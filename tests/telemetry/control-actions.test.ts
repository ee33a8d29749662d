// ControlActions.kill's answer (host/telemetry/control-actions.ts): HALTED (KILL) published after the word is the
// answer, before the engine's acknowledgement (which follows its journal and log lines); a HALTED (KILL) still
// showing from the last kill is not; a wait that looks without sleeping falls back to sleeping and to timers.
// The "engine" here is a timer in this thread driving the engine's side of a segment: the wait blocks the thread
// for its first 5 ms, so everything it answers comes on the timers after.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TradingState, TradingStateReason } from '../../host/model/vocabulary.js';
import { liveClock } from '../../host/platform/clock.js';
import { ControlActions, ControlWriter, EngineSegment, SEGMENT_BYTES, SegmentReader } from '../../host/telemetry/index.js';

function setup(spinMs = 0): { engine: EngineSegment; control: ControlWriter; actions: ControlActions } {
  const sab = new SharedArrayBuffer(SEGMENT_BYTES);
  const engine = new EngineSegment(sab, { pid: 1, clock: liveClock });
  const control = new ControlWriter(sab);
  return { engine, control, actions: new ControlActions(control, new SegmentReader(sab, { clock: liveClock }), liveClock, { spinMs }) };
}

const after = (ms: number, fn: () => void): void => {
  setTimeout(fn, ms);
};

test('a kill is answered by HALTED (KILL) published after the word, before the engine acknowledges', async () => {
  const { engine, control, actions } = setup();
  after(20, () => {
    assert.equal(engine.pollControl().kill, true, 'the word was written before the wait');
    engine.publishTradingState(TradingState.HALTED, TradingStateReason.KILL); // and no ack (yet)
  });
  const out = await actions.kill(2000);
  assert.equal(out.ok, true);
  assert.ok(out.ok && out.state === TradingState.HALTED && out.reason === TradingStateReason.KILL);
  assert.equal(control.killSeen(), false, 'answered on the publication, not on the acknowledgement');
  assert.ok(out.ms >= 15, `not before the publication: ${out.ms} ms`);
});

test('HALTED (KILL) still showing from the last kill is not the answer: it waits for a new publication or the ack', async () => {
  const { engine, control, actions } = setup();
  // The last kill's state, as just after a reset was acknowledged and before ACTIVE is published.
  engine.publishTradingState(TradingState.HALTED, TradingStateReason.KILL);
  after(40, () => engine.ackKill(true));
  const out = await actions.kill(2000);
  assert.equal(out.ok, true);
  assert.equal(control.killSeen(), true);
  assert.ok(out.ms >= 35, `answered at ${out.ms} ms, before the acknowledgement at 40 ms`);
});

test('a wait that looks (spinMs) and sees nothing sleeps, then looks on timers: a late answer still arrives', async () => {
  const { engine, actions } = setup(2);
  after(25, () => engine.publishTradingState(TradingState.HALTED, TradingStateReason.KILL));
  const out = await actions.kill(2000);
  assert.equal(out.ok, true);
  assert.ok(out.ms >= 20, `${out.ms} ms`);
  const none = await setup(2).actions.kill(30);
  assert.equal(none.ok, false, 'nobody answers');
  assert.ok(!none.ok && none.why === 'no_answer' && none.ms >= 30);
});

test('spinMs is refused outside [0, 5] naming it', () => {
  const sab = new SharedArrayBuffer(SEGMENT_BYTES);
  new EngineSegment(sab, { pid: 1, clock: liveClock });
  const make = (spinMs: number): ControlActions => new ControlActions(new ControlWriter(sab), new SegmentReader(sab, { clock: liveClock }), liveClock, { spinMs });
  assert.throws(() => make(6), /spinMs must be in \[0, 5\], got 6/);
  assert.throws(() => make(-1), /spinMs must be in \[0, 5\]/);
  assert.doesNotThrow(() => make(5));
});

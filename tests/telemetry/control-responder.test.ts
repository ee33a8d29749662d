// The engine's control logic (ControlResponder) in one thread on a manual clock: a kill is handled once per
// setting of the word and acknowledged after the handler ran; a reset is accepted only with the engine's
// token (none or a wrong one: BAD_TOKEN, the engine stays halted, the handler is not called); the handler may
// refuse a reset or a flatten (REFUSED); the collar and parameters reach the handlers; every action journaled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ControlAction } from '../../host/journal/records.js';
import { ControlResponder, ControlStatus, ControlWriter, EngineSegment, SEGMENT_BYTES, type ControlHandlers } from '../../host/telemetry/index.js';
import { ManualClock } from '../testkit/manual-clock.js';

const TOKEN = '0123456789abcdef0123456789abcdef';

function setup(over: Partial<ControlHandlers> = {}): { control: ControlWriter; responder: ControlResponder; calls: string[]; journal: [number, boolean, number, number][] } {
  const sab = new SharedArrayBuffer(SEGMENT_BYTES);
  const segment = new EngineSegment(sab, { pid: 1, clock: new ManualClock() });
  const control = new ControlWriter(sab);
  const calls: string[] = [];
  const journal: [number, boolean, number, number][] = [];
  const responder = new ControlResponder(segment, TOKEN, {
    kill: () => {
      calls.push(`kill seen=${control.killSeen()}`);
    },
    reset: () => {
      calls.push('reset');
      return true;
    },
    flatten: (c) => {
      calls.push(`flatten ${c}`);
      return true;
    },
    param: (k, v) => {
      calls.push(`param ${k}=${v}`);
      return k === 13 ? -7 : 0;
    },
    journal: (a, ok, id, v) => journal.push([a, ok, id, v]),
    ...over,
  });
  return { control, responder, calls, journal };
}

test('kill: handled once while the word stays set, acknowledged after the handler', () => {
  const { control, responder, calls, journal } = setup();
  assert.equal(responder.poll(), 0);
  control.kill();
  assert.equal(responder.poll(), 1);
  assert.equal(responder.poll(), 0);
  assert.deepEqual(calls, ['kill seen=false'], 'the ack comes after the handler ran');
  assert.equal(control.killSeen(), true);
  assert.deepEqual(journal, [[ControlAction.KILL, true, 0, 0]]);
});

test('reset: no token or a wrong one is BAD_TOKEN and leaves the engine halted; the right one resets', () => {
  const { control, responder, calls, journal } = setup();
  control.kill();
  responder.poll();
  let seq = control.reset(null);
  responder.poll();
  assert.deepEqual([control.resetAcked(seq), control.resetStatus(), control.killSeen()], [true, ControlStatus.BAD_TOKEN, true]);
  control.kill(); // what the reset tool does after a refusal
  assert.equal(responder.poll(), 0, 'still halted from the first kill: nothing to do');
  seq = control.reset('f'.repeat(32));
  responder.poll();
  assert.equal(control.resetStatus(), ControlStatus.BAD_TOKEN);
  assert.deepEqual(calls, ['kill seen=false'], 'the reset handler never ran');
  seq = control.reset(TOKEN);
  responder.poll();
  assert.deepEqual([control.resetAcked(seq), control.resetStatus(), control.killSeen()], [true, ControlStatus.OK, false]);
  control.kill();
  responder.poll();
  assert.deepEqual(calls, ['kill seen=false', 'reset', 'kill seen=false'], 'after a reset a new kill halts again');
  assert.deepEqual(journal.map(([a, ok]) => [a, ok]), [
    [ControlAction.KILL, true], [ControlAction.RESET, false], [ControlAction.RESET, false], [ControlAction.RESET, true], [ControlAction.KILL, true],
  ]);
});

test('the engine may refuse a reset or a flatten; collar and parameters reach the handlers', () => {
  const { control, responder, calls, journal } = setup({ reset: () => false, flatten: (c) => c !== 99 });
  control.reset(TOKEN);
  responder.poll();
  assert.equal(control.resetStatus(), ControlStatus.REFUSED);
  let seq = control.flatten(12);
  responder.poll();
  assert.deepEqual([control.flattenAcked(seq), control.flattenStatus()], [true, ControlStatus.OK]);
  seq = control.flatten(99);
  responder.poll();
  assert.deepEqual([control.flattenAcked(seq), control.flattenStatus()], [true, ControlStatus.REFUSED]);
  const p = control.postParam(13, -5);
  responder.poll();
  assert.equal(control.paramResult(p), -7);
  const q = control.postParam(2, 40_000_000_000);
  responder.poll();
  assert.equal(control.paramResult(q), 0);
  assert.deepEqual(calls, ['param 13=-5', 'param 2=40000000000']);
  assert.deepEqual(journal, [
    [ControlAction.RESET, false, 0, 0], [ControlAction.FLATTEN, true, 0, 12], [ControlAction.FLATTEN, false, 0, 99],
    [ControlAction.PARAMS, false, 13, -5], [ControlAction.PARAMS, true, 2, 40_000_000_000],
  ]);
  assert.throws(() => control.flatten(-1), /flatten collar must be an integer number of ticks in \[0, 2147483647\], got -1/);
});

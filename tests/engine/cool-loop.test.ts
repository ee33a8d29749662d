// The cool loop sleeps between its turns and wakes on the doorbell: a kill written while it sleeps is seen
// within milliseconds even when its next turn is 30 s away (it used to poll the kill word every 100 µs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { once } from 'node:events';
import { liveClock } from '../../host/platform/clock.js';
import { ControlWord } from '../../host/engine/stage-records.js';
import { ControlWriter, EngineSegment, SEGMENT_BYTES } from '../../host/telemetry/index.js';

test('a kill rung while the cool loop sleeps is seen at once, without a turn and without polling', { timeout: 30_000 }, async () => {
  const segment = new SharedArrayBuffer(SEGMENT_BYTES);
  new EngineSegment(segment, { pid: process.pid, clock: liveClock });
  const control = new SharedArrayBuffer(4 * 64);
  const seen = new SharedArrayBuffer(24);
  const out = new Float64Array(seen);
  const worker = new Worker(new URL('../testkit/workers/cool-loop-worker.js', import.meta.url), { workerData: { segment, control, seen } });
  const exited = once(worker, 'exit');
  try {
    const ready = Date.now() + 10_000;
    while (out[1] === 0) { // the first turn runs at once
      assert.ok(Date.now() < ready, 'the loop never ran its first turn');
      await new Promise((r) => setTimeout(r, 5));
    }
    await new Promise((r) => setTimeout(r, 300));
    const looksAsleep = out[2]!;
    assert.ok(looksAsleep <= 3, `the loop looked ${looksAsleep} times in 300 ms with nothing rung: it is polling`);
    const t0 = liveClock.nowNs();
    new ControlWriter(segment).kill();
    while (out[0] === 0 && liveClock.nowNs() - t0 < 5e9) await new Promise((r) => setTimeout(r, 1));
    assert.ok(out[0]! > 0, 'the kill was not seen within 5 s');
    const ms = (out[0]! - t0) / 1e6;
    assert.ok(ms < 1000, `kill seen ${ms.toFixed(2)} ms after the ring`);
    assert.equal(out[1], 1, 'seen by the doorbell wake, not by a turn');
  } finally {
    Atomics.store(new Int32Array(control), ControlWord.STOP, 1);
    new ControlWriter(segment).postParam(0, 0); // any request rings, so the loop sees STOP now
    await exited;
  }
});

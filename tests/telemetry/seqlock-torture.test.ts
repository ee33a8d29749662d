// Seqlock torture: a writer worker publishes a block continuously (every field a function of the round
// number), a reader worker snapshots it for about a second. Every snapshot handed out as OK must be one the
// writer published (self-consistent, never older than the previous one), and the reader must get many fresh
// ones (how many depends on how often the two threads run at once: few on a loaded machine, hence the low
// bar); retries bounded at 4 so TORN outcomes happen and are reported, never returned as data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { EngineSegment, SEGMENT_BYTES } from '../../host/telemetry/index.js';
import { ManualClock } from '../testkit/manual-clock.js';
import type { TortureData, TortureReport } from '../testkit/workers/seqlock-torture-worker.js';

const WORKER = new URL('../testkit/workers/seqlock-torture-worker.js', import.meta.url);

test('a reader never returns a torn snapshot of a block written continuously, and sees fresh ones', { timeout: 30_000 }, async (t) => {
  const sab = new SharedArrayBuffer(SEGMENT_BYTES);
  new EngineSegment(sab, { pid: process.pid, clock: new ManualClock() });
  const flags = new SharedArrayBuffer(8);
  const f = new Int32Array(flags);
  const writer = new Worker(WORKER, { workerData: { role: 'writer', sab, flags, ms: 0 } satisfies TortureData });
  const writerDone = once(writer, 'message') as Promise<[TortureReport]>;
  try {
    const deadline = Date.now() + 10_000;
    while (Atomics.load(f, 1) === 0) {
      assert.ok(Date.now() < deadline, 'writer did not start');
      await new Promise((r) => setTimeout(r, 5));
    }
    const reader = new Worker(WORKER, { workerData: { role: 'reader', sab, flags, ms: 1000 } satisfies TortureData });
    const [report] = (await once(reader, 'message')) as [TortureReport];
    Atomics.store(f, 0, 1);
    const [w] = await writerDone;
    assert.equal(report.inconsistent, 0, `torn snapshot returned as OK: ${report.firstBad}`);
    assert.ok(report.ok > 100, `reader got ${report.ok} consistent snapshots`);
    assert.ok(report.fresh >= 3, `reader saw ${report.fresh} fresh snapshots`);
    assert.ok(w.rounds > 10_000, `writer published ${w.rounds} rounds`);
    t.diagnostic(`seqlock torture: ${w.rounds} writes, ${report.ok} ok reads (${report.fresh} fresh), ${report.torn} torn`);
  } finally {
    Atomics.store(f, 0, 1);
    await writer.terminate();
  }
});

// Events kept outside the heap (the simulator's periodic FLOW and GATE) run where a queued one would: each takes
// its sequence number from the queue (simQueueTakeSeq) and runs when its (time, sequence) comes before the heap's
// next (simQueueNextTime, simQueueNextSeq, simQueueBefore). Checked against a plain sorted list of every event,
// queued or kept outside, by (time, order of push or take), over seeded operations with many equal times.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rng, testCore } from '../testkit/core.js';
import { SimEventField } from '../../build/core-constants.js';

interface Ev { time: number; order: number; outside: number }

test('a merge of the heap with keys taken outside it runs every event in (time, push-or-take order)', async () => {
  const { core, memory } = await testCore(1 << 22);
  const q = 65536;
  const capacity = 1024;
  assert.equal(core.simQueueInit(q, capacity), 0);
  const dst = q + core.simQueueBytes(capacity) + 64;
  const view = new DataView(memory.buffer);
  const r = rng(7);
  const OUTSIDE = 3; // as the simulator's GATE and FLOWs: each always has one next occurrence
  const outside: { time: number; seq: number }[] = [];
  const ref: Ev[] = [];
  let order = 0;
  let now = 0;
  const takeOutside = (k: number, time: number): void => {
    const seq = core.simQueueTakeSeq(q);
    assert.equal(seq, order, 'a taken sequence is the one a push would have had');
    outside[k] = { time, seq };
    ref.push({ time, order: order++, outside: k });
  };
  for (let k = 0; k < OUTSIDE; k++) takeOutside(k, Math.floor(r() * 5));
  for (let op = 0; op < 20_000; op++) {
    if (core.simQueueSize(q) < capacity && r() < 0.5) {
      const time = now + Math.floor(r() * 6);
      assert.equal(core.simQueuePush(q, BigInt(time), 1, 0, 0, BigInt(order), 0n, 0, 0, 0, 0), 0);
      ref.push({ time, order: order++, outside: -1 });
      continue;
    }
    // The next event by the merge rule.
    let best = -1;
    for (let k = 0; k < OUTSIDE; k++) {
      if (best < 0 || core.simQueueBefore(BigInt(outside[k]!.time), outside[k]!.seq, BigInt(outside[best]!.time), outside[best]!.seq)) best = k;
    }
    const heapFirst = core.simQueueSize(q) > 0
      && !core.simQueueBefore(BigInt(outside[best]!.time), outside[best]!.seq, core.simQueueNextTime(q), core.simQueueNextSeq(q));
    ref.sort((a, b) => a.time - b.time || a.order - b.order);
    const want = ref.shift()!;
    if (heapFirst) {
      assert.equal(core.simQueuePop(q, dst), 1);
      assert.equal(want.outside, -1, `op ${op}: the reference's next is kept outside, the merge popped the heap`);
      assert.equal(Number(view.getBigInt64(dst + SimEventField.TIME, true)), want.time);
      assert.equal(Number(view.getBigUint64(dst + SimEventField.ID, true)), want.order, `op ${op}: payload of the push`);
      now = want.time;
    } else {
      assert.equal(want.outside, best, `op ${op}: the merge chose outside key ${best}, the reference ${want.outside}`);
      assert.equal(outside[best]!.time, want.time);
      now = want.time;
      takeOutside(best, now + 1 + Math.floor(r() * 4)); // its next occurrence, as a periodic event reschedules
    }
  }
});

test('simQueueBefore orders by time, then by sequence across its wrap-around', async () => {
  const { core } = await testCore(1 << 20);
  assert.equal(core.simQueueBefore(1n, 9, 2n, 0), 1);
  assert.equal(core.simQueueBefore(2n, 0, 1n, 9), 0);
  assert.equal(core.simQueueBefore(5n, 3, 5n, 4), 1);
  assert.equal(core.simQueueBefore(5n, 4, 5n, 3), 0);
  assert.equal(core.simQueueBefore(5n, 0xffffffff, 5n, 0), 1, 'sequence 2^32 − 1 was taken just before 0');
});

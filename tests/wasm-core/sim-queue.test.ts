// The simulator's event heap against a plain sorted-array reference: ≥ 10 000 seeded pushes and pops with
// many equal times; every pop must be the reference's next (earliest time, then earliest push) with its payload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rng, testCore } from '../testkit/core.js';
import { SimEventField, SimQueueStatus } from '../../build/core-constants.js';

interface Ref { time: number; order: number; kind: number; symbol: number; id: bigint; price: number; qty: number }

test('simQueue pops in (time, push order) like a sorted array, over 20 000 seeded operations', async () => {
  const { core, memory } = await testCore(1 << 22);
  const q = 65536;
  const capacity = 4096;
  assert.equal(core.simQueueInit(q, capacity), 0);
  const dst = q + core.simQueueBytes(capacity) + 64;
  const r = rng(42);
  const ref: Ref[] = [];
  let pushed = 0;
  const view = new DataView(memory.buffer);
  let now = 0;
  for (let op = 0; op < 20_000; op++) {
    if (ref.length === 0 || (ref.length < capacity && r() < 0.55)) {
      // Times from a small range ahead of now: many ties, as same-nanosecond events are.
      const e: Ref = { time: now + Math.floor(r() * 50), order: pushed++, kind: 1 + Math.floor(r() * 8), symbol: Math.floor(r() * 3),
        id: BigInt(Math.floor(r() * 1e9)), price: Math.floor(r() * 1e6) - 5e5, qty: Math.floor(r() * 1000) };
      assert.equal(core.simQueuePush(q, BigInt(e.time), e.kind, 0, e.symbol, e.id, 0n, e.price, e.qty, 0, 0), 0);
      ref.push(e);
    } else {
      ref.sort((a, b) => a.time - b.time || a.order - b.order);
      const want = ref.shift()!;
      assert.equal(Number(core.simQueueNextTime(q)), want.time);
      assert.equal(core.simQueuePop(q, dst), 1);
      assert.equal(Number(view.getBigInt64(dst + SimEventField.TIME, true)), want.time, `op ${op}`);
      assert.equal(view.getUint32(dst + SimEventField.SEQ, true), want.order, `op ${op}: ties in push order`);
      assert.equal(view.getUint8(dst + SimEventField.KIND), want.kind);
      assert.equal(view.getUint16(dst + SimEventField.SYMBOL, true), want.symbol);
      assert.equal(view.getBigUint64(dst + SimEventField.ID, true), want.id);
      assert.equal(view.getInt32(dst + SimEventField.PRICE, true), want.price);
      assert.equal(view.getInt32(dst + SimEventField.QTY, true), want.qty);
      now = want.time;
    }
    assert.equal(core.simQueueSize(q), ref.length);
  }
});

test('simQueue: full refuses and counts, empty pops nothing', async () => {
  const { core } = await testCore(1 << 20);
  const q = 65536;
  assert.equal(core.simQueueInit(q, 2), 0);
  assert.equal(core.simQueuePop(q, q + 4096), 0);
  assert.equal(core.simQueueNextTime(q), 2n ** 63n - 1n);
  assert.equal(core.simQueuePush(q, 5n, 1, 0, 0, 0n, 0n, 0, 0, 0, 0), 0);
  assert.equal(core.simQueuePush(q, 4n, 1, 0, 0, 0n, 0n, 0, 0, 0, 0), 0);
  assert.equal(core.simQueuePush(q, 3n, 1, 0, 0, 0n, 0n, 0, 0, 0, 0), SimQueueStatus.FULL);
  assert.equal(core.simQueueRefused(q), 1);
  assert.equal(core.simQueueNextTime(q), 4n);
  assert.equal(core.simQueueInit(q, 0), SimQueueStatus.BAD_CAPACITY);
});

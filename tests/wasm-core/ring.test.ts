import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testCore } from '../testkit/core.js';
import { RingStatus, SLOT_BYTES } from '../../host/core/core.js';

const RING = 65536;
const SRC = 1 << 18;
const DST = 1 << 19;

async function ringOf(slots: number) {
  const t = await testCore(4 << 20);
  assert.equal(t.core.ringInit(RING, slots), RingStatus.OK);
  const view = new DataView(t.memory.buffer);
  const writeMsg = (at: number, seq: number) => {
    for (let w = 0; w < SLOT_BYTES; w += 4) view.setUint32(at + w, (seq * 16 + w) >>> 0, true);
  };
  const readSeq = (at: number) => {
    const seq = view.getUint32(at, true) / 16;
    for (let w = 4; w < SLOT_BYTES; w += 4) assert.equal(view.getUint32(at + w, true), (seq * 16 + w) >>> 0, 'payload intact');
    return seq;
  };
  return { ...t, writeMsg, readSeq };
}

test('ringInit refuses slot counts that are not powers of two and unaligned bases', async () => {
  const { core } = await testCore();
  assert.equal(core.ringInit(RING, 3), RingStatus.BAD_SLOTS);
  assert.equal(core.ringInit(RING, 1), RingStatus.BAD_SLOTS);
  assert.equal(core.ringInit(RING, 0), RingStatus.BAD_SLOTS);
  assert.equal(core.ringInit(RING + 8, 8), RingStatus.MISALIGNED);
  assert.equal(core.ringInit(RING, 8), RingStatus.OK);
  assert.equal(core.ringCapacity(RING), 8);
  assert.equal(core.ringBytes(8), 384 + 8 * 64);
});

test('single push/pop: FIFO, explicit full, explicit empty, across many wrap-arounds', async () => {
  const { core, writeMsg, readSeq } = await ringOf(8);
  assert.equal(core.ringPop(RING, DST), 0, 'empty ring pops nothing');
  let next = 0;
  let expected = 0;
  for (let round = 0; round < 100; round++) {
    const fill = 1 + (round % 8);
    for (let i = 0; i < fill; i++) { writeMsg(SRC, next); assert.equal(core.ringPush(RING, SRC), 1); next++; }
    if (fill === 8) { writeMsg(SRC, 999); assert.equal(core.ringPush(RING, SRC), 0, 'full ring refuses'); }
    assert.equal(core.ringSize(RING), fill);
    for (let i = 0; i < fill; i++) { assert.equal(core.ringPop(RING, DST), 1); assert.equal(readSeq(DST), expected++); }
    assert.equal(core.ringPop(RING, DST), 0);
  }
});

test('batch push/pop split across the wrap point keep order and report partial counts', async () => {
  const { core, writeMsg, readSeq } = await ringOf(16);
  let next = 0;
  let expected = 0;
  for (let round = 0; round < 200; round++) {
    const want = 1 + (round * 7) % 23; // sometimes more than fits
    for (let i = 0; i < want; i++) writeMsg(SRC + i * SLOT_BYTES, next + i);
    const free = 16 - core.ringSize(RING);
    const pushed = core.ringPushBatch(RING, SRC, want);
    assert.equal(pushed, Math.min(want, free));
    next += pushed;
    const take = 1 + (round * 5) % 19;
    const size = core.ringSize(RING);
    const popped = core.ringPopBatch(RING, DST, take);
    assert.equal(popped, Math.min(take, size));
    for (let i = 0; i < popped; i++) assert.equal(readSeq(DST + i * SLOT_BYTES), expected++);
  }
  while (core.ringPop(RING, DST)) assert.equal(readSeq(DST), expected++);
  assert.equal(expected, next, 'nothing lost');
});

test('claim/publish and peek/release work in place', async () => {
  const { core, writeMsg, readSeq } = await ringOf(4);
  for (let i = 0; i < 4; i++) {
    const slot = core.ringClaim(RING);
    assert.ok(slot > 0);
    writeMsg(slot, i);
    core.ringPublish(RING);
  }
  assert.equal(core.ringClaim(RING), 0, 'full');
  for (let i = 0; i < 4; i++) {
    const slot = core.ringPeek(RING);
    assert.ok(slot > 0);
    assert.equal(readSeq(slot), i);
    core.ringRelease(RING);
  }
  assert.equal(core.ringPeek(RING), 0, 'empty');
});

test('producer counters and their cached copies sit on separate cache lines', async () => {
  const { core } = await ringOf(8);
  const head = core.ringWaitAddress(RING);
  const parked = core.ringParkedAddress(RING);
  assert.equal(head % 64, 0);
  assert.equal(parked % 64, 0);
  assert.notEqual(Math.floor(head / 64), Math.floor(parked / 64));
});

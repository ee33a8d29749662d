// The event ring: events come out in order with their fields; a reader that falls more than the ring's
// capacity behind is told how many it lost and resumes at the oldest event still there; a reader opened late
// starts at the head (or reads what the ring still holds); a record overwritten during the copy is detected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  EVENT_RING_RECORDS, EngineSegment, EventKind, EventRingReader, EventRingWriter, SEGMENT_BYTES, fieldOffset,
} from '../../host/telemetry/index.js';
import { ManualClock } from '../testkit/manual-clock.js';
import { rng } from '../testkit/core.js';

function segment(): SharedArrayBuffer {
  const sab = new SharedArrayBuffer(SEGMENT_BYTES);
  new EngineSegment(sab, { pid: 1, clock: new ManualClock() });
  return sab;
}

const ev = (n: number) => ({ kind: EventKind.FILL, tsNs: 1_000_000 + n, orderId: 2 ** 40 + n, symbolId: n % 16, side: n & 1, price: 100_000 + n, qty: n % 7 + 1, code: -n, detail: n * 3, value: -(2 ** 45) - n });

function check(e: Record<string, number>, n: number): void {
  assert.equal(e.seq, n);
  const want = ev(n) as Record<string, number>;
  for (const k of Object.keys(want)) assert.equal(e[k], want[k], `event ${n}.${k}`);
}

test('events are read in order with every field, across many wraps of the ring', () => {
  const sab = segment();
  const w = new EventRingWriter(sab);
  const r = new EventRingReader(sab);
  const next = rng(7);
  let n = 0;
  let read = 0;
  for (let round = 0; round < 500; round++) {
    const burst = Math.floor(next() * EVENT_RING_RECORDS);
    for (let i = 0; i < burst; i++) assert.equal(w.append(ev(++n)), n);
    const { events, lost } = r.poll();
    assert.equal(lost, 0, `round ${round}`);
    for (const e of events) check(e, ++read);
    assert.equal(read, n);
  }
  assert.ok(n > 100 * EVENT_RING_RECORDS, 'wrapped many times');
});

test('a reader more than the capacity behind is told how many it lost and resumes at the oldest kept', () => {
  const sab = segment();
  const w = new EventRingWriter(sab);
  const r = new EventRingReader(sab);
  for (let n = 1; n <= 10; n++) w.append(ev(n));
  assert.equal(r.poll(3).events.length, 3);
  for (let n = 11; n <= EVENT_RING_RECORDS + 3; n++) w.append(ev(n)); // exactly full from event 4: nothing lost
  let p = r.poll();
  assert.equal(p.lost, 0);
  assert.equal(p.events.length, EVENT_RING_RECORDS);
  check(p.events[0]!, 4);
  const total = EVENT_RING_RECORDS + 3 + EVENT_RING_RECORDS + 250;
  for (let n = EVENT_RING_RECORDS + 4; n <= total; n++) w.append(ev(n));
  p = r.poll();
  assert.equal(p.lost, 250, 'lost = behind − capacity');
  assert.equal(p.events.length, EVENT_RING_RECORDS);
  check(p.events[0]!, EVENT_RING_RECORDS + 3 + 251);
  check(p.events.at(-1)!, total);
  assert.deepEqual(r.poll(), { events: [], lost: 0 });
});

test('a late reader starts at the head, or at the oldest kept event with fromStart', () => {
  const sab = segment();
  const w = new EventRingWriter(sab);
  for (let n = 1; n <= 3000; n++) w.append(ev(n));
  assert.deepEqual(new EventRingReader(sab).poll(), { events: [], lost: 0 });
  const all = new EventRingReader(sab, true).poll();
  assert.equal(all.lost, 0);
  check(all.events[0]!, 3000 - EVENT_RING_RECORDS + 1);
  check(all.events.at(-1)!, 3000);
});

test('a record being rewritten (seq 0) or already holding a later event counts as lost, not as data', () => {
  const sab = segment();
  const w = new EventRingWriter(sab);
  const r = new EventRingReader(sab);
  for (let n = 1; n <= 5; n++) w.append(ev(n));
  const i32 = new Int32Array(sab);
  // Event 3's record as the writer leaves it in the middle of rewriting it: seq 0.
  Atomics.store(i32, fieldOffset('events', 'seq', 2) / 4, 0);
  // Event 4's record already holding event 4 + capacity (the head has not moved yet).
  Atomics.store(i32, fieldOffset('events', 'seq', 3) / 4, 4 + EVENT_RING_RECORDS);
  const p = r.poll();
  assert.equal(p.lost, 2);
  assert.deepEqual(p.events.map((e) => e.seq), [1, 2, 5]);
});

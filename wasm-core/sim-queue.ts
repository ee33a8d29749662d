// The simulator's event queue: a binary min-heap of fixed 48-byte records ordered by (time, sequence), so
// the virtual clock jumps straight to the next event, and events due at the same nanosecond run in the order
// they were pushed (the sequence), never in an order that depends on the heap's shape.
//
// Sequence numbers are a free-running u32 compared by wrapping difference: correct while the events queued
// at once were pushed within 2^31 of each other (the queue holds thousands, not billions).
//
// Layout at `q` (8-byte aligned), simQueueBytes(capacity) = 16 + capacity × 48:
//   +0 capacity u32 · +4 size u32 · +8 next sequence u32 · +12 pushes refused (full) u32
//   +16 records, capacity × 48 bytes, the heap in array order (children of i at 2i+1, 2i+2):
//     +0 time i64 (ns) · +8 seq u32 · +12 kind u8 · +13 sub u8 · +14 symbol u16
//     +16 id u64 · +24 id2 u64 · +32 price i32 · +36 qty i32 · +40 x i32 · +44 y i32
//   (the payload fields mean what the event kind says: sim-run.ts lists them)

const CAPACITY: usize = 0;
const SIZE: usize = 4;
const NEXT_SEQ: usize = 8;
const REFUSED: usize = 12;
const RECORDS: usize = 16;
const REC: usize = 48;

/** Record field offsets (for readers of a popped record). */
export namespace SimEventField {
  export const TIME: i32 = 0;
  export const SEQ: i32 = 8;
  export const KIND: i32 = 12;
  export const SUB: i32 = 13;
  export const SYMBOL: i32 = 14;
  export const ID: i32 = 16;
  export const ID2: i32 = 24;
  export const PRICE: i32 = 32;
  export const QTY: i32 = 36;
  export const X: i32 = 40;
  export const Y: i32 = 44;
  export const BYTES: i32 = 48;
}

export namespace SimQueueStatus {
  export const FULL: i32 = -1;
  export const BAD_CAPACITY: i32 = -2;
}

/** Bytes of a queue of `capacity` events (0 if capacity is 0 or above 2^24). */
export function simQueueBytes(capacity: u32): usize {
  if (capacity == 0 || capacity > (1 << 24)) return 0;
  return RECORDS + <usize>capacity * REC;
}

/** Empties the queue. 0 or BAD_CAPACITY. */
export function simQueueInit(q: usize, capacity: u32): i32 {
  if (capacity == 0 || capacity > (1 << 24)) return SimQueueStatus.BAD_CAPACITY;
  store<u32>(q + CAPACITY, capacity);
  store<u32>(q + SIZE, 0);
  store<u32>(q + NEXT_SEQ, 0);
  store<u32>(q + REFUSED, 0);
  return 0;
}

@inline function rec(q: usize, i: u32): usize {
  return q + RECORDS + <usize>i * REC;
}

/** a before b: earlier time, or the same time and pushed earlier. */
@inline function before(a: usize, b: usize): bool {
  const ta = load<i64>(a);
  const tb = load<i64>(b);
  if (ta != tb) return ta < tb;
  return <i32>(load<u32>(a + 8) - load<u32>(b + 8)) < 0;
}

@inline function swap(a: usize, b: usize): void {
  for (let k: usize = 0; k < REC; k += 8) {
    const t = load<u64>(a + k);
    store<u64>(a + k, load<u64>(b + k));
    store<u64>(b + k, t);
  }
}

/** Queues an event; 0, or FULL (counted, nothing queued). */
export function simQueuePush(
  q: usize, time: i64, kind: i32, sub: i32, symbol: i32, id: u64, id2: u64, price: i32, qty: i32, x: i32, y: i32,
): i32 {
  const n = load<u32>(q + SIZE);
  if (n >= load<u32>(q + CAPACITY)) {
    store<u32>(q + REFUSED, load<u32>(q + REFUSED) + 1);
    return SimQueueStatus.FULL;
  }
  const seq = load<u32>(q + NEXT_SEQ);
  store<u32>(q + NEXT_SEQ, seq + 1);
  const r = rec(q, n);
  store<i64>(r, time);
  store<u32>(r + 8, seq);
  store<u8>(r + 12, <u8>kind);
  store<u8>(r + 13, <u8>sub);
  store<u16>(r + 14, <u16>symbol);
  store<u64>(r + 16, id);
  store<u64>(r + 24, id2);
  store<i32>(r + 32, price);
  store<i32>(r + 36, qty);
  store<i32>(r + 40, x);
  store<i32>(r + 44, y);
  store<u32>(q + SIZE, n + 1);
  let i = n;
  while (i > 0) {
    const p = (i - 1) >> 1;
    const a = rec(q, i);
    const b = rec(q, p);
    if (!before(a, b)) break;
    swap(a, b);
    i = p;
  }
  return 0;
}

/** Events queued. */
export function simQueueSize(q: usize): u32 {
  return load<u32>(q + SIZE);
}

/** Pushes refused because the queue was full. */
export function simQueueRefused(q: usize): u32 {
  return load<u32>(q + REFUSED);
}

/** Time of the next event (i64.MAX_VALUE when empty). */
export function simQueueNextTime(q: usize): i64 {
  return load<u32>(q + SIZE) == 0 ? i64.MAX_VALUE : load<i64>(rec(q, 0));
}

/** Moves the next event's record to `dst` (48 bytes) and removes it: 1, or 0 when empty. */
export function simQueuePop(q: usize, dst: usize): i32 {
  const n = load<u32>(q + SIZE);
  if (n == 0) return 0;
  memory.copy(dst, rec(q, 0), REC);
  const last = n - 1;
  store<u32>(q + SIZE, last);
  if (last == 0) return 1;
  memory.copy(rec(q, 0), rec(q, last), REC);
  let i: u32 = 0;
  for (;;) {
    const l: u32 = 2 * i + 1;
    if (l >= last) break;
    let m = l;
    const rr: u32 = l + 1;
    if (rr < last && before(rec(q, rr), rec(q, l))) m = rr;
    if (!before(rec(q, m), rec(q, i))) break;
    swap(rec(q, m), rec(q, i));
    i = m;
  }
  return 1;
}

// Single-producer / single-consumer ring of 64-byte slots over the shared memory.
//
// Layout at `base` (64-byte aligned; the host memory map decides `base`):
//   +0    head         next sequence the producer will publish   (written by producer)
//   +64   cachedTail   producer's last seen tail                 (producer only)
//   +128  tail         next sequence the consumer will read      (written by consumer)
//   +192  cachedHead   consumer's last seen head                 (consumer only)
//   +256  parked       1 while the consumer sleeps in Atomics.wait on `head`
//   +320  mask         slot count − 1 (read-only after init)
//   +384  slots        count × 64 bytes
// Each counter sits alone on its cache line: a line written by one side and read by the other is
// the only sharing we pay for; a counter and the other side's cached copy on one line would
// ping-pong the line on every message (false sharing).
//
// head and tail are free-running u32 sequences; with a power-of-two slot count their difference is
// the fill level even across wrap-around. Payload stores are plain; the atomic store of head (or
// tail) publishes them, and wasm atomics are sequentially consistent, so a reader that sees the new
// index also sees the bytes.

export const SLOT_BYTES: u32 = 64;
const HEAD: usize = 0;
const CACHED_TAIL: usize = 64;
const TAIL: usize = 128;
const CACHED_HEAD: usize = 192;
const PARKED: usize = 256;
const MASK: usize = 320;
const HEADER_BYTES: usize = 384;

/** Status codes of ringInit. */
export namespace RingStatus {
  export const OK: i32 = 0;
  export const BAD_SLOTS: i32 = -1;
  export const MISALIGNED: i32 = -2;
}

/** Bytes a ring of `slots` slots occupies, header included. */
export function ringBytes(slots: u32): usize {
  return HEADER_BYTES + (<usize>slots << 6);
}

/** Zeroes the ring at `base`. Slots must be a power of two ≥ 2; base must be 64-byte aligned. */
export function ringInit(base: usize, slots: u32): i32 {
  if (slots < 2 || (slots & (slots - 1)) != 0) return RingStatus.BAD_SLOTS;
  if ((base & 63) != 0) return RingStatus.MISALIGNED;
  memory.fill(base, 0, HEADER_BYTES);
  atomic.store<u32>(base + MASK, slots - 1);
  return RingStatus.OK;
}

/** Number of slots the ring was initialised with. */
export function ringCapacity(base: usize): u32 {
  return atomic.load<u32>(base + MASK) + 1;
}

/** Messages published and not yet consumed (a snapshot; either side may move on). */
export function ringSize(base: usize): u32 {
  return atomic.load<u32>(base + HEAD) - atomic.load<u32>(base + TAIL);
}

/** Address of the word a parked consumer waits on (the head sequence). */
export function ringWaitAddress(base: usize): usize {
  return base + HEAD;
}

/** Address of the consumer's parked flag. */
export function ringParkedAddress(base: usize): usize {
  return base + PARKED;
}

@inline function slotAddress(base: usize, seq: u32, mask: u32): usize {
  return base + HEADER_BYTES + (<usize>(seq & mask) << 6);
}

/** Free slots as the producer sees them, refreshing its cached tail only when the cache says full. */
@inline function freeSlots(base: usize, head: u32, mask: u32, wanted: u32): u32 {
  let free = mask + 1 - (head - load<u32>(base + CACHED_TAIL));
  if (free < wanted) {
    const tail = atomic.load<u32>(base + TAIL);
    store<u32>(base + CACHED_TAIL, tail);
    free = mask + 1 - (head - tail);
  }
  return free;
}

/** Available messages as the consumer sees them, refreshing its cached head only when the cache says empty. */
@inline function availableSlots(base: usize, tail: u32, wanted: u32): u32 {
  let avail = load<u32>(base + CACHED_HEAD) - tail;
  if (avail < wanted) {
    const head = atomic.load<u32>(base + HEAD);
    store<u32>(base + CACHED_HEAD, head);
    avail = head - tail;
  }
  return avail;
}

@inline function publishHead(base: usize, head: u32): void {
  atomic.store<u32>(base + HEAD, head);
  // A parked consumer set `parked` before re-reading head; sequential consistency means either it
  // saw this head or we see its flag, so a wake-up is never lost.
  if (atomic.load<u32>(base + PARKED) != 0) atomic.notify(base + HEAD, 1);
}

/** Copies one 64-byte message from `src` into the ring. Returns 1, or 0 when the ring is full. */
export function ringPush(base: usize, src: usize): u32 {
  const mask = load<u32>(base + MASK);
  const head = load<u32>(base + HEAD);
  if (freeSlots(base, head, mask, 1) == 0) return 0;
  memory.copy(slotAddress(base, head, mask), src, SLOT_BYTES);
  publishHead(base, head + 1);
  return 1;
}

/** Copies up to `count` consecutive messages from `src`; returns how many fit (0 when full). */
export function ringPushBatch(base: usize, src: usize, count: u32): u32 {
  const mask = load<u32>(base + MASK);
  const head = load<u32>(base + HEAD);
  const free = freeSlots(base, head, mask, count);
  const n = count < free ? count : free;
  if (n == 0) return 0;
  const first = head & mask;
  const untilWrap = mask + 1 - first;
  const a = n < untilWrap ? n : untilWrap;
  memory.copy(slotAddress(base, head, mask), src, <usize>a << 6);
  if (n > a) memory.copy(base + HEADER_BYTES, src + (<usize>a << 6), <usize>(n - a) << 6);
  publishHead(base, head + n);
  return n;
}

/** Address of the next free slot for in-place writing, or 0 when full. Follow with ringPublish. */
// Inlined into matching's event writes, its hottest path; the export stays for the host.
@inline export function ringClaim(base: usize): usize {
  const mask = load<u32>(base + MASK);
  const head = load<u32>(base + HEAD);
  if (freeSlots(base, head, mask, 1) == 0) return 0;
  return slotAddress(base, head, mask);
}

/** Publishes the slot returned by the last ringClaim. */
@inline export function ringPublish(base: usize): void {
  publishHead(base, load<u32>(base + HEAD) + 1);
}

/** Copies the oldest message into `dst`. Returns 1, or 0 when the ring is empty. */
export function ringPop(base: usize, dst: usize): u32 {
  const tail = load<u32>(base + TAIL);
  if (availableSlots(base, tail, 1) == 0) return 0;
  const mask = load<u32>(base + MASK);
  memory.copy(dst, slotAddress(base, tail, mask), SLOT_BYTES);
  atomic.store<u32>(base + TAIL, tail + 1);
  return 1;
}

/** Copies up to `max` messages into `dst` in order; returns how many (0 when empty). */
export function ringPopBatch(base: usize, dst: usize, max: u32): u32 {
  const tail = load<u32>(base + TAIL);
  const avail = availableSlots(base, tail, max);
  const n = max < avail ? max : avail;
  if (n == 0) return 0;
  const mask = load<u32>(base + MASK);
  const first = tail & mask;
  const untilWrap = mask + 1 - first;
  const a = n < untilWrap ? n : untilWrap;
  memory.copy(dst, slotAddress(base, tail, mask), <usize>a << 6);
  if (n > a) memory.copy(dst + (<usize>a << 6), base + HEADER_BYTES, <usize>(n - a) << 6);
  atomic.store<u32>(base + TAIL, tail + n);
  return n;
}

/** Address of the oldest unread message for in-place reading, or 0 when empty. Follow with ringRelease. */
export function ringPeek(base: usize): usize {
  const tail = load<u32>(base + TAIL);
  if (availableSlots(base, tail, 1) == 0) return 0;
  return slotAddress(base, tail, load<u32>(base + MASK));
}

/** Frees the slot returned by the last ringPeek. */
export function ringRelease(base: usize): void {
  atomic.store<u32>(base + TAIL, load<u32>(base + TAIL) + 1);
}

// Seqlock over a SharedArrayBuffer: one writer publishes a multi-word block, readers take consistent
// snapshots without locks and without ever blocking the writer.
//
// Writer: seqlockWriteBegin bumps the block's `version` word to odd, the payload is written, seqlockWriteEnd
// bumps it to even. Reader: load the version; if odd, retry; copy the payload; load the version again; if it
// changed, retry. After `maxRetries` failed attempts the read reports TORN and the caller keeps its last
// snapshot (a monitor then shows "stale"), so a reader never spins forever behind a busy writer.
//
// Memory ordering (the one place it is written down): EVERY word of a seqlocked block, version and payload
// alike, is read and written with Atomics (Int32Array for 4-byte fields, BigInt64Array for 8-byte ones).
// Atomics are sequentially consistent in the JavaScript memory model: all of them fall in one total order
// consistent with each thread's program order, and an atomic load returns the last atomic store to that word
// in that order. So if a reader loads the same even version V before and after its copy, no writer's begin
// (which makes the version odd) lies between the two loads, and every payload load returned the value of the
// last completed write round before the first load: the snapshot is one the writer published. Plain
// (non-atomic) payload accesses would NOT be enough by the letter of the model (a plain store after the
// begin could become visible before it), even though x86-64 would in practice keep them in order; the cost
// of Atomics here is a few ns per word, on the cool side, never on the hot path.
//
// Why on the host and not in wasm-core: the segment is a /dev/shm file the addon maps as its own
// SharedArrayBuffer, a different buffer from the core's WebAssembly.Memory, so core code cannot address it.
// The engine's cool worker copies the core's state into the segment with these helpers.
//
// Versions wrap at 2^32 (Int32Array arithmetic); parity survives the wrap. A single writer per block is the
// rule: seqlockWriteBegin throws if it finds the version already odd (a second writer, or a writer that died
// mid-write, which readers then see as permanently TORN). The one block with two writers (the trading state:
// Sentinel and the kill watcher) takes its write round with seqlockLock instead, a compare-and-swap from even
// to odd, so the odd version is also the writers' lock.

export const SeqlockRead = { OK: 0, TORN: 1 } as const;
export type SeqlockRead = (typeof SeqlockRead)[keyof typeof SeqlockRead];

/** Default bound on read attempts: a write round is a few hundred ns, so 64 attempts is far past one. */
export const SEQLOCK_MAX_RETRIES = 64;

/** Start a write round on the version word at Int32 index `versionIndex`. Returns the (odd) version. */
export function seqlockWriteBegin(i32: Int32Array, versionIndex: number): number {
  const before = Atomics.add(i32, versionIndex, 1);
  if ((before & 1) !== 0) {
    Atomics.sub(i32, versionIndex, 1);
    throw new Error(`seqlock at word ${versionIndex}: version ${before} is odd, another write is in progress`);
  }
  return (before + 1) | 0;
}

/** A write round on a block with several writers: the version moves even → odd by compare-and-swap, so only
 *  one writer holds it. While another holds it, `busy(attempt)` runs (it should sleep a few µs: the holder
 *  may be a thread this one preempted on its core) and the swap is retried, up to `maxAttempts` times, then
 *  it throws (a writer died mid-round). Returns the (odd) version; seqlockWriteEnd releases it. */
export function seqlockLock(i32: Int32Array, versionIndex: number, busy: (attempt: number) => void, maxAttempts = 100_000): number {
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const v = Atomics.load(i32, versionIndex);
    if ((v & 1) === 0 && Atomics.compareExchange(i32, versionIndex, v, (v + 1) | 0) === v) return (v + 1) | 0;
    busy(attempt);
  }
  throw new Error(`seqlock at word ${versionIndex}: held by another writer through ${maxAttempts} attempts (a writer died mid-write?)`);
}

/** End the write round: the version becomes even again and readers accept the new payload. */
export function seqlockWriteEnd(i32: Int32Array, versionIndex: number): void {
  Atomics.add(i32, versionIndex, 1);
}

/** Read side, step 1: the version to compare against after the copy (odd: a write is in progress, retry). */
export function seqlockReadBegin(i32: Int32Array, versionIndex: number): number {
  return Atomics.load(i32, versionIndex);
}

/** Read side, step 2: true if the copy made since `seqlockReadBegin` returned `version` is a consistent one. */
export function seqlockReadValid(i32: Int32Array, versionIndex: number, version: number): boolean {
  return (version & 1) === 0 && Atomics.load(i32, versionIndex) === version;
}

/** Run `copy` until it saw a consistent block or `maxRetries` attempts failed. */
export function seqlockRead(i32: Int32Array, versionIndex: number, copy: () => void, maxRetries = SEQLOCK_MAX_RETRIES): SeqlockRead {
  for (let attempt = 0; attempt < maxRetries; attempt++) {
    const v = Atomics.load(i32, versionIndex);
    if ((v & 1) !== 0) continue;
    copy();
    if (Atomics.load(i32, versionIndex) === v) return SeqlockRead.OK;
  }
  return SeqlockRead.TORN;
}

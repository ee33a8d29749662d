// A doorbell between the engine and the control side, in both directions. The control block's `doorbell`: how a
// request written by another process (the monitor, `npm run kill`) wakes the engine's sleeping control watcher
// at once. The writer bumps the word after its request and futex-wakes it (native/src/futex.cc:
// Atomics.notify cannot reach another process); the watcher sleeps on the word between its turns. Without it
// the watcher had to poll the kill word, and every poll woke a core the venue, or anything else sharing it,
// was using. A writer that does not ring is still seen, at the watcher's next turn (1 ms). The ack block's
// `ackBell` is the way back: the engine rings it after every acknowledgement, so the control side sleeps
// until its answer instead of polling for it on a core the engine may need.
import { loadNative, type NativeAddon } from '../platform/native.js';
import { SegmentBlock } from './segment-block.js';

export class Doorbell {
  private readonly words: Int32Array;
  private readonly index: number;
  private readonly addon: NativeAddon;

  /** The control side's bell by default; `('ack', 'ackBell')` for the engine's answers. */
  constructor(sab: SharedArrayBuffer, region: 'control' | 'ack' = 'control', word: 'doorbell' | 'ackBell' = 'doorbell') {
    const block = new SegmentBlock(sab, region);
    this.words = block.i32;
    this.index = block.wordIndex(word);
    this.addon = loadNative();
  }

  /** After a request is written: count it and wake every watcher. */
  ring(): void {
    Atomics.add(this.words, this.index, 1);
    this.addon.futexWake(this.words, this.index, 0x7fffffff);
  }

  /** The rings so far; read it before looking at the control words, then `sleep` with it. */
  rings(): number {
    return Atomics.load(this.words, this.index);
  }

  /** Sleeps until a ring after `seen` or `timeoutNs` (at once if one came already). */
  sleep(seen: number, timeoutNs: number): void {
    this.addon.futexWait(this.words, this.index, seen, Math.max(0, Math.floor(timeoutNs)));
  }
}

// The segment's trading-state block, the one block with two writers: Sentinel publishes every state change
// the engine makes, and the kill watcher (engine/kill-watcher.ts) publishes HALTED (KILL) the moment the kill
// word rings, without waiting for Sentinel's thread. Both take the write round with seqlockLock (a CAS on
// the version), and inside it one rule holds: while the control block's kill word is set, the block says
// HALTED (KILL), whatever the writer asked; so a Sentinel that read the core's state just before a kill
// cannot overwrite the watcher's HALTED with it. A publication of what the block already shows changes
// nothing (its changedNs stays the first writer's stamp, the figure the kill bench quotes).
import type { Clock } from '../platform/clock.js';
import { TradingState, TradingStateReason } from '../model/vocabulary.js';
import { SegmentBlock } from './segment-block.js';
import { seqlockLock, seqlockWriteEnd } from './seqlock.js';

/** What the block shows after a publish. */
export interface ShownState {
  state: TradingState;
  reason: TradingStateReason;
}

export class TradingStateBlock {
  private readonly block: SegmentBlock;
  private readonly control: SegmentBlock;
  private readonly nap = new Int32Array(new SharedArrayBuffer(4));
  private readonly napFor = (): void => {
    Atomics.wait(this.nap, 0, 0, 0.02); // 20 µs: the holder may be the thread this one preempted
  };
  /** Reused answer of publish (no allocation per call). */
  private readonly shown: ShownState = { state: TradingState.ACTIVE, reason: TradingStateReason.NONE };

  constructor(sab: SharedArrayBuffer, private readonly clock: Clock) {
    this.block = new SegmentBlock(sab, 'state');
    this.control = new SegmentBlock(sab, 'control');
  }

  /** Publish (state, reason), or HALTED (KILL) while the kill word is set; returns what the block shows now. */
  publish(state: TradingState, reason: TradingStateReason): Readonly<ShownState> {
    const b = this.block;
    seqlockLock(b.i32, b.versionIndex, this.napFor);
    try {
      if (this.control.get('kill') !== 0) {
        state = TradingState.HALTED;
        reason = TradingStateReason.KILL;
      }
      this.write(state, reason);
    } finally {
      seqlockWriteEnd(b.i32, b.versionIndex);
    }
    this.shown.state = state;
    this.shown.reason = reason;
    return this.shown;
  }

  /** The kill watcher's halt: if the kill word is still set, `halt()` (the core's kill word) and HALTED (KILL),
   *  both inside the write round; true if it halted. Under the lock so that a reset cannot fall between the
   *  look and the halt: the reset's ACTIVE needs this lock, so it is published after, never before. */
  publishKill(halt: () => void): boolean {
    const b = this.block;
    seqlockLock(b.i32, b.versionIndex, this.napFor);
    try {
      if (this.control.get('kill') === 0) return false;
      halt();
      this.write(TradingState.HALTED, TradingStateReason.KILL);
      return true;
    } finally {
      seqlockWriteEnd(b.i32, b.versionIndex);
    }
  }

  /** A new segment's first state, no change counted: ACTIVE, or HALTED (KILL) if a kill word was carried over. */
  initialise(): void {
    const b = this.block;
    const killed = this.control.get('kill') !== 0;
    b.publish({
      state: killed ? TradingState.HALTED : TradingState.ACTIVE, reason: killed ? TradingStateReason.KILL : TradingStateReason.NONE,
      changes: 0, changedNs: this.clock.nowNs(),
    });
  }

  /** Inside a write round: the fields, unless the block shows this state and reason already. */
  private write(state: TradingState, reason: TradingStateReason): void {
    const b = this.block;
    if (b.get('state') === state && b.get('reason') === reason) return;
    b.set('state', state);
    b.set('reason', reason);
    b.set('changes', (b.get('changes') + 1) >>> 0);
    b.set('changedNs', this.clock.nowNs());
  }
}

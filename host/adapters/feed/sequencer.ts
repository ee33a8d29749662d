// Per-symbol sequencing of market data and gap recovery (docs/protocol.md, "Gap recovery").
//
// Symbol states: UNDEFINED (no SymbolDefinition on this connection) → SYNCING (defined, waiting for
// a Snapshot) → LIVE (book exact in its best 20 levels, every delta applied in sequence). A gap sends
// a LIVE symbol back to SYNCING.
//
// L2Delta and Trade share one per-symbol sequence. On a LIVE symbol:
//   seq = last + 1  → applied;
//   seq ≤ last      → ignored (counted as `oldFrames`; an L2Delta holds the level's total, so
//                     re-applying would be harmless too);
//   seq > last + 1  → gap: the symbol turns SYNCING (onStale(symbol, true)), a SnapshotRequest(symbol)
//                     goes out, and this frame is held.
// While SYNCING, the symbol's deltas and trades are held (not dropped) in the ResyncBuffer. When the
// Snapshot arrives the book is loaded from it, `last` = its lastSeq, then the held frames of that
// symbol are replayed in arrival order: seq ≤ lastSeq skipped (the snapshot already holds them),
// seq = last + 1 applied, and a jump past last + 1 is a new gap (another SnapshotRequest). With the
// venue answering in-band (the Snapshot written into the stream after every delta it includes) the
// held frames all have seq ≤ lastSeq and the replay only skips; holding them keeps the feed correct
// against a venue whose Snapshot overtakes deltas. A full buffer drops the newest frame (counted:
// `bufferOverflows`); the missing seq then shows as a gap after the snapshot and is recovered the
// same way. Trades are delivered (onTrade) when they arrive, stale or not: a print is a fact even
// when the book is not; they are held only for the sequence. A symbol that stays SYNCING for the
// snapshot timeout asks again. A Snapshot for a LIVE symbol (requestSnapshot(), or a second answer)
// is an audit when it is at the book's own seq: the best levels are compared (`audits`; a difference
// is logged, counted in `auditMismatches`, and the snapshot loaded); an older one is ignored, a newer
// one loaded.
import type { RateLimitedLog } from '../../platform/rate-limited-log.js';
import type { BookSync } from './book-sync.js';
import type { FeedCounters } from './feed-counters.js';
import type { FeedEvents } from './feed-events.js';
import { HeldKind, type ResyncBuffer } from './resync-buffer.js';
import { widened } from './symbol-directory.js';

/** Symbol states (`state(symbol)`). */
export const SymbolState = { UNDEFINED: 0, SYNCING: 1, LIVE: 2 } as const;

const UNDEFINED = SymbolState.UNDEFINED;
const SYNCING = SymbolState.SYNCING;
const LIVE = SymbolState.LIVE;

export class Sequencer {
  /** Symbols defined on this connection, and those LIVE. */
  defined = 0;
  live = 0;

  // Per symbol, indexed by symbol id (0 unused); grown only when a directory is larger.
  private cap = 0;
  private stateOf = new Uint8Array(0);
  private lastSeqOf = new Float64Array(0);
  private lastT0Of = new Float64Array(0);
  /** Clock when the symbol's Snapshot was last asked for (or the symbol defined). */
  private requestedAt = new Float64Array(0);
  /** 1 while SYNCING after a gap (its Snapshot then counts as a resync). */
  private afterGap = new Uint8Array(0);
  /** L2Deltas still to drop as lost (the loss test hook). */
  private toLose = new Uint32Array(0);

  constructor(
    private readonly books: BookSync,
    private readonly held: ResyncBuffer,
    private readonly events: FeedEvents,
    private readonly counters: FeedCounters,
    private readonly log: RateLimitedLog,
    /** Sends a SnapshotRequest for the symbol. */
    private readonly askSnapshot: (symbol: number) => void,
  ) {}

  ensureCapacity(n: number): void {
    if (n <= this.cap) return;
    this.stateOf = widened(this.stateOf, n);
    this.lastSeqOf = widened(this.lastSeqOf, n);
    this.lastT0Of = widened(this.lastT0Of, n);
    this.requestedAt = widened(this.requestedAt, n);
    this.afterGap = widened(this.afterGap, n);
    this.toLose = widened(this.toLose, n);
    this.cap = n;
  }

  state(symbol: number): number {
    return symbol > 0 && symbol < this.cap ? this.stateOf[symbol]! : UNDEFINED;
  }

  lastSeq(symbol: number): number {
    return symbol > 0 && symbol < this.cap ? this.lastSeqOf[symbol]! : 0;
  }

  lastT0(symbol: number): number {
    return symbol > 0 && symbol < this.cap ? this.lastT0Of[symbol]! : 0;
  }

  /** A SymbolDefinition (first or repeated): the symbol starts over, SYNCING until its Snapshot. */
  define(s: number, t0: number): void {
    if (this.stateOf[s] === UNDEFINED) this.defined++;
    else if (this.stateOf[s] === LIVE) this.live--;
    this.stateOf[s] = SYNCING;
    this.lastSeqOf[s] = 0;
    this.lastT0Of[s] = 0;
    this.afterGap[s] = 0;
    this.requestedAt[s] = t0;
  }

  delta(s: number, seq: number, side: number, price: number, qty: number, t0: number): void {
    if (this.toLose[s]! > 0) {
      this.toLose[s] = this.toLose[s]! - 1;
      return;
    }
    if (this.stateOf[s] === LIVE) {
      const last = this.lastSeqOf[s]!;
      if (seq === last + 1) {
        this.lastSeqOf[s] = seq;
        this.lastT0Of[s] = t0;
        this.apply(s, side, price, qty, seq, t0);
        return;
      }
      if (seq <= last) {
        this.counters.oldFrames++;
        return;
      }
      this.gap(s, t0);
    }
    this.hold(s, HeldKind.DELTA, side, seq, price, qty, t0);
  }

  trade(s: number, seq: number, aggressorSide: number, price: number, qty: number, tradeId: number, t0: number): void {
    this.counters.trades++;
    this.lastT0Of[s] = t0;
    this.events.onTrade?.(s, aggressorSide, price, qty, tradeId, seq, t0);
    if (this.stateOf[s] === LIVE) {
      const last = this.lastSeqOf[s]!;
      if (seq === last + 1) {
        this.lastSeqOf[s] = seq;
        return;
      }
      if (seq <= last) {
        this.counters.oldFrames++;
        return;
      }
      this.gap(s, t0);
    }
    this.hold(s, HeldKind.TRADE, 0, seq, 0, 0, t0);
  }

  /** The Snapshot at view[at] for `s`, whose lastSeq is `lastSeq`. */
  snapshot(s: number, lastSeq: number, view: DataView, at: number, t0: number): void {
    this.counters.snapshots++;
    if (this.stateOf[s] === LIVE) {
      const last = this.lastSeqOf[s]!;
      if (lastSeq < last) {
        this.counters.staleSnapshots++;
        return;
      }
      if (lastSeq === last) {
        this.counters.audits++;
        if (this.books.matches(s, view, at)) return;
        this.counters.auditMismatches++;
        this.log.log(`symbol ${s}: book differs from the venue's snapshot at seq ${lastSeq}: reloading`);
      } else {
        this.counters.aheadSnapshots++;
      }
      this.live--;
      this.stateOf[s] = SYNCING;
    }
    this.lastSeqOf[s] = lastSeq;
    this.lastT0Of[s] = t0;
    this.books.load(s, view, at);
    this.stateOf[s] = LIVE;
    this.live++;
    if (this.afterGap[s] === 1) {
      this.afterGap[s] = 0;
      this.counters.resyncs++;
    }
    this.events.onBookReset?.(s, lastSeq, t0);
    this.replay(s);
    if (this.stateOf[s] === LIVE) this.events.onStale?.(s, false);
  }

  /** Asks again for the Snapshot of every symbol in 1..count SYNCING for longer than `timeoutNs`. */
  askAgainOverdue(now: number, timeoutNs: number, count: number): void {
    for (let s = 1; s <= count && s < this.cap; s++) {
      if (this.stateOf[s] === SYNCING && now - this.requestedAt[s]! > timeoutNs) {
        this.requestedAt[s] = now;
        this.askSnapshot(s);
      }
    }
  }

  /** TEST HOOK (FeedHandler.simulateLoss): drop the next `count` L2Deltas of `symbol`. */
  lose(symbol: number, count: number): void {
    if (symbol > 0 && symbol < this.cap) this.toLose[symbol] = this.toLose[symbol]! + count;
  }

  /** The stream broke: every symbol UNDEFINED, its book emptied (the next connection re-syncs it). */
  reset(): void {
    for (let s = 1; s < this.cap; s++) {
      if (this.stateOf[s] === UNDEFINED) continue;
      const wasLive = this.stateOf[s] === LIVE;
      this.stateOf[s] = UNDEFINED;
      this.books.clear(s);
      if (wasLive) this.events.onStale?.(s, true);
    }
    this.defined = this.live = 0;
    this.held.clear();
  }

  private apply(s: number, side: number, price: number, qty: number, seq: number, t0: number): void {
    this.counters.deltas++;
    this.books.apply(s, side, price, qty);
    this.events.onBookChange?.(s, side, price, qty, seq, t0);
  }

  /** A gap on a LIVE symbol: stale, ask for the snapshot. */
  private gap(s: number, t0: number): void {
    this.counters.gaps++;
    this.stateOf[s] = SYNCING;
    this.live--;
    this.afterGap[s] = 1;
    this.requestedAt[s] = t0;
    this.askSnapshot(s);
    this.events.onStale?.(s, true);
  }

  private hold(s: number, kind: number, side: number, seq: number, price: number, qty: number, t0: number): void {
    if (this.held.hold(s, kind, side, seq, price, qty, t0)) this.counters.buffered++;
    else this.counters.bufferOverflows++;
  }

  /** Replays the held frames of `s` after its snapshot: skip ≤ last, apply last + 1, stop at a new gap. */
  private replay(s: number): void {
    const h = this.held;
    for (let i = 0; i < h.length; i++) {
      if (h.symbol[i] !== s) continue;
      const seq = h.seq[i]!;
      const last = this.lastSeqOf[s]!;
      if (seq > last + 1) {
        this.gap(s, h.t0[i]!); // entries from here on stay held for the next snapshot
        return;
      }
      h.release(i);
      if (seq <= last) continue;
      this.lastSeqOf[s] = seq;
      this.lastT0Of[s] = h.t0[i]!;
      if (h.kind[i] === HeldKind.DELTA) this.apply(s, h.side[i]!, h.price[i]!, h.qty[i]!, seq, h.t0[i]!);
    }
  }
}

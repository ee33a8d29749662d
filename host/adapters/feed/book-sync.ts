// The core's L2 books kept equal to the venue's: one book per symbol, at the offset the caller's
// memory map gave that symbol's name; levels written with bookSet, snapshots loaded, and a LIVE
// book audited against a snapshot at its own seq.
//
// Band. bookInit uses the SymbolDefinition's price band when it fits the book's levels (then the
// window never moves); otherwise a window of `levels` ticks centred on refPrice. A non-zero level
// outside the window recentres it on the touch (bookRecenter, O(levels), counted in `recenters`)
// when that brings the price in; a price still outside is a deep level the book cannot hold
// (counted in `outOfBand`), which the protocol allows ("a deeper level becomes known when it next
// changes"). A removal (qty 0) outside the window is a no-op.
import {
  SNAPSHOT_DEPTH,
  snapshotAskLevels,
  snapshotAskPrice,
  snapshotAskQty,
  snapshotBidLevels,
  snapshotBidPrice,
  snapshotBidQty,
} from '../../protocol/index.js';
import { BookStatus, SNAPSHOT_ROW_BYTES, type CoreExports } from '../../core/core.js';
import { NO_PRICE, Side } from '../../model/vocabulary.js';
import type { BookRegion, Region } from '../../core/memory-map.js';
import type { RateLimitedLog } from '../../platform/rate-limited-log.js';
import type { FeedCounters } from './feed-counters.js';
import { widened } from './symbol-directory.js';

/** The book functions of the core the feed handler calls. */
export type FeedCore = Pick<CoreExports,
  'memory' | 'bookInit' | 'bookClear' | 'bookSet' | 'bookRecenter' | 'bookBasePrice' | 'bookLevels' | 'bookBestBid' |
  'bookBestAsk' | 'bookSnapshot'>;

export interface FeedMemory {
  readonly core: FeedCore;
  /** Book regions by symbol name (the memory map's `books`). A symbol without one is sequenced but not booked. */
  readonly books: Readonly<Record<string, BookRegion>>;
  /** Scratch for bookSnapshot reads: ≥ SNAPSHOT_DEPTH × 16 bytes (top() and the snapshot audit). */
  readonly scratch: Region;
}

export interface BookLevel { readonly price: number; readonly qty: number }
export interface BookTop { readonly bids: BookLevel[]; readonly asks: BookLevel[] }

export class BookSync {
  // Per symbol, indexed by symbol id; grown only when a directory is larger.
  private cap = 0;
  private bookOff = new Int32Array(0);
  private levelsOf = new Int32Array(0);
  private bandLowOf = new Int32Array(0);
  private bandHighOf = new Int32Array(0);
  private rows: Int32Array | null = null;
  private readonly core: FeedCore;
  private readonly scratchOffset: number;
  private readonly auditDepth: number;

  constructor(private readonly memory: FeedMemory, private readonly counters: FeedCounters,
    private readonly log: RateLimitedLog, auditDepth: number) {
    this.core = memory.core;
    if (memory.scratch.bytes < SNAPSHOT_DEPTH * SNAPSHOT_ROW_BYTES) {
      throw new RangeError(`feed scratch needs ${SNAPSHOT_DEPTH * SNAPSHOT_ROW_BYTES} bytes, has ${memory.scratch.bytes}`);
    }
    this.scratchOffset = memory.scratch.offset;
    this.auditDepth = Math.min(SNAPSHOT_DEPTH, Math.max(0, auditDepth));
  }

  ensureCapacity(n: number): void {
    if (n <= this.cap) return;
    this.bookOff = widened(this.bookOff, n);
    this.levelsOf = widened(this.levelsOf, n);
    this.bandLowOf = widened(this.bandLowOf, n);
    this.bandHighOf = widened(this.bandHighOf, n);
    this.cap = n;
  }

  /** Offset of `symbol`'s book, −1 when it has none. */
  bookOffset(symbol: number): number {
    return symbol > 0 && symbol < this.cap ? this.bookOff[symbol]! : -1;
  }

  /** A SymbolDefinition: (re)initialise the symbol's book in the memory map's region for `name`. Returns
   *  its offset, or −1 when it is not booked (no region, or bookInit refused). */
  attach(s: number, name: string, bandLow: number, bandHigh: number, refPrice: number): number {
    this.bandLowOf[s] = bandLow;
    this.bandHighOf[s] = bandHigh;
    const region = this.memory.books[name];
    if (!region) {
      this.bookOff[s] = -1;
      this.levelsOf[s] = 0;
      this.log.log(`symbol ${s} ${name}: no book region in the memory map: sequenced, not booked`);
      return -1;
    }
    this.bookOff[s] = region.offset;
    this.levelsOf[s] = region.levels;
    const base = bandHigh - bandLow + 1 <= region.levels ? bandLow : this.windowBase(s, refPrice, region.levels);
    const status = this.core.bookInit(region.offset, region.levels, base);
    if (status !== BookStatus.OK) {
      this.bookOff[s] = -1;
      this.log.log(`symbol ${s} ${name}: bookInit(${region.levels} levels from ${base}) failed with status ${status}: not booked`);
      return -1;
    }
    return region.offset;
  }

  /** One level of an applied L2Delta. */
  apply(s: number, side: number, price: number, qty: number): void {
    const off = this.bookOff[s]!;
    if (off < 0) return;
    const status = this.core.bookSet(off, side, price, qty);
    if (status === BookStatus.OUT_OF_BAND && qty > 0) this.placeOutside(s, off, side, price, qty);
  }

  /** Replaces `s`'s book by the Snapshot at view[at]. */
  load(s: number, view: DataView, at: number): void {
    const off = this.bookOff[s]!;
    if (off < 0) return;
    const core = this.core;
    core.bookClear(off);
    const nb = snapshotBidLevels(view, at);
    const na = snapshotAskLevels(view, at);
    // Keep the touch inside the window; recentre on it when the snapshot's best prices lie outside.
    const levels = this.levelsOf[s]!;
    const base = core.bookBasePrice(off);
    const bb = nb > 0 ? snapshotBidPrice(view, at, 0) : 0;
    const ba = na > 0 ? snapshotAskPrice(view, at, 0) : 0;
    if ((bb !== 0 && (bb < base || bb >= base + levels)) || (ba !== 0 && (ba < base || ba >= base + levels))) {
      const centre = bb !== 0 && ba !== 0 ? (bb + ba) >> 1 : bb !== 0 ? bb : ba;
      const nbase = this.windowBase(s, centre, levels);
      if (nbase !== base) {
        core.bookRecenter(off, nbase);
        this.counters.recenters++;
      }
    }
    for (let i = 0; i < nb; i++) {
      if (core.bookSet(off, Side.BUY, snapshotBidPrice(view, at, i), snapshotBidQty(view, at, i)) !== BookStatus.OK) this.counters.outOfBand++;
    }
    for (let i = 0; i < na; i++) {
      if (core.bookSet(off, Side.SELL, snapshotAskPrice(view, at, i), snapshotAskQty(view, at, i)) !== BookStatus.OK) this.counters.outOfBand++;
    }
  }

  /** True when the book's best auditDepth levels per side equal the Snapshot's at view[at]. */
  matches(s: number, view: DataView, at: number): boolean {
    const off = this.bookOff[s]!;
    if (off < 0 || this.auditDepth === 0) return true;
    const d = this.auditDepth;
    const counts = this.core.bookSnapshot(off, this.scratchOffset, d);
    const rows = this.scratchRows();
    const nb = Math.min(d, snapshotBidLevels(view, at));
    const na = Math.min(d, snapshotAskLevels(view, at));
    if ((counts & 0xffff) !== nb || counts >>> 16 !== na) return false;
    for (let i = 0; i < nb; i++) {
      if (rows[i * 4] !== snapshotBidPrice(view, at, i) || rows[i * 4 + 1] !== snapshotBidQty(view, at, i)) return false;
    }
    for (let i = 0; i < na; i++) {
      if (rows[i * 4 + 2] !== snapshotAskPrice(view, at, i) || rows[i * 4 + 3] !== snapshotAskQty(view, at, i)) return false;
    }
    return true;
  }

  /** Empties `s`'s book (what it held cannot be trusted once the stream broke). */
  clear(s: number): void {
    const off = this.bookOffset(s);
    if (off >= 0) this.core.bookClear(off);
  }

  /** The best `depth` (≤ 20) levels per side of `symbol`'s book, best first (allocates). */
  top(symbol: number, depth: number): BookTop {
    const off = this.bookOffset(symbol);
    if (off < 0) return { bids: [], asks: [] };
    const d = Math.min(depth, SNAPSHOT_DEPTH);
    const counts = this.core.bookSnapshot(off, this.scratchOffset, d);
    const rows = this.scratchRows();
    const bids: BookLevel[] = [];
    const asks: BookLevel[] = [];
    for (let i = 0; i < (counts & 0xffff); i++) bids.push({ price: rows[i * 4]!, qty: rows[i * 4 + 1]! });
    for (let i = 0; i < counts >>> 16; i++) asks.push({ price: rows[i * 4 + 2]!, qty: rows[i * 4 + 3]! });
    return { bids, asks };
  }

  /** A level outside the book's window: recentre on the touch if that brings it in, else count it. */
  private placeOutside(s: number, off: number, side: number, price: number, qty: number): void {
    const core = this.core;
    const levels = this.levelsOf[s]!;
    const bid = core.bookBestBid(off);
    const ask = core.bookBestAsk(off);
    const mid = bid !== NO_PRICE && ask !== NO_PRICE ? (bid + ask) >> 1 : bid !== NO_PRICE ? bid : ask !== NO_PRICE ? ask : price;
    const base = this.windowBase(s, mid, levels);
    if (price >= base && price < base + levels && base !== core.bookBasePrice(off)) {
      core.bookRecenter(off, base);
      this.counters.recenters++;
      core.bookSet(off, side, price, qty);
    } else {
      this.counters.outOfBand++;
    }
  }

  /** Base of a `levels`-tick window centred on `centre`, kept inside the symbol's band when it can be. */
  private windowBase(s: number, centre: number, levels: number): number {
    const low = this.bandLowOf[s]!;
    const high = this.bandHighOf[s]!;
    let base = centre - (levels >> 1);
    if (base + levels - 1 > high) base = high - levels + 1;
    if (base < low) base = low;
    return base;
  }

  /** The scratch rows as i32s (a view made again only if the memory's buffer changed). */
  private scratchRows(): Int32Array {
    const buffer = this.core.memory.buffer;
    if (this.rows === null || this.rows.buffer !== buffer) this.rows = new Int32Array(buffer, this.scratchOffset, SNAPSHOT_DEPTH * 4);
    return this.rows;
  }
}

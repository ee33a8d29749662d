// The L2 book of a replayed symbol: level totals by price per side, rebuilt from the recording, for
// the Snapshots the venue sends on connect and on request. Orders on it are refused (VENUE_HALTED):
// the recording, not the matching engine, decides this book.
import { Side } from '../../model/vocabulary.js';
import { SNAPSHOT_DEPTH } from '../../protocol/index.js';
import type { LevelsScratch, MarketBook, SymbolSpec } from '../market/market-book.js';


export class ReplayBook implements MarketBook {
  readonly halted = true;
  private readonly levels: [Map<number, number>, Map<number, number>] = [new Map(), new Map()];

  constructor(public spec: SymbolSpec) {}

  qty(side: number, price: number): number {
    return this.levels[side]!.get(price) ?? 0;
  }

  /** Sets a level's total (0 removes it). */
  set(side: number, price: number, qty: number): void {
    if (qty > 0) this.levels[side]!.set(price, qty);
    else this.levels[side]!.delete(price);
  }

  clear(): void {
    this.levels[0].clear();
    this.levels[1].clear();
  }

  /** Prices present on a side (a copy: safe to modify the book while iterating). */
  prices(side: number): number[] {
    return [...this.levels[side]!.keys()];
  }

  levelCount(side: number): number {
    return this.levels[side]!.size;
  }

  /** Best levels, best first. Sorts the side: a snapshot is rare (connect, gap recovery). */
  topLevels(out: LevelsScratch): void {
    out.bidLevels = this.fill(Side.BUY, out.bidPrices, out.bidQtys);
    out.askLevels = this.fill(1, out.askPrices, out.askQtys);
  }

  private fill(side: number, prices: Int32Array, qtys: Int32Array): number {
    const m = this.levels[side]!;
    const sorted = [...m.keys()].sort(side === Side.BUY ? (a, b) => b - a : (a, b) => a - b);
    const n = Math.min(SNAPSHOT_DEPTH, sorted.length);
    for (let i = 0; i < n; i++) {
      prices[i] = sorted[i]!;
      qtys[i] = Math.min(0x7fffffff, m.get(sorted[i]!)!);
    }
    return n;
  }
}

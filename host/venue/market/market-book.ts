// What the market-data side needs from a symbol, whatever drives its book (the matching engine or a
// replayed recording): its definition and a snapshot of its best levels. And the sink book changes
// are published into.
import { SNAPSHOT_DEPTH, type SymbolSpec } from '../../protocol/index.js';

export type { SymbolSpec };

/** Best levels, best first, filled by a book for a Snapshot. */
export class LevelsScratch {
  readonly bidPrices = new Int32Array(SNAPSHOT_DEPTH);
  readonly bidQtys = new Int32Array(SNAPSHOT_DEPTH);
  readonly askPrices = new Int32Array(SNAPSHOT_DEPTH);
  readonly askQtys = new Int32Array(SNAPSHOT_DEPTH);
  bidLevels = 0;
  askLevels = 0;
}

export interface MarketBook {
  readonly spec: SymbolSpec;
  /** Orders on this symbol are refused VENUE_HALTED (a replayed symbol). Cancels are still accepted. */
  readonly halted: boolean;
  /** Fills `out` with the best SNAPSHOT_DEPTH levels per side. */
  topLevels(out: LevelsScratch): void;
}

/** Where book changes go: the market-data publisher sequences and fans them out. */
export interface MarketDataSink {
  l2Delta(symbol: number, side: number, price: number, qty: number): void;
  trade(symbol: number, aggressorSide: number, price: number, qty: number, tradeId: number): void;
}

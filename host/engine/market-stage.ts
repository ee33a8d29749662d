// The market stage: the venue's market data into the core's books (FeedHandler) and each changed book
// through the Oracle (oracleUpdate), then to a sink: the execution stage itself in the fused topology,
// a ring to the Execution worker in `modules`. Only the engine's symbols (engine.symbols) are booked
// and passed on, by their index in that list; the venue's symbol ids are mapped after each sync.
//
// Per tick (hot path) nothing is allocated: the feed hands primitives, the Oracle works in shared memory,
// and T1/T2 come from the hot clock (no BigInt). Stamps: T0 the socket read (the feed's), Tv the venue's
// send stamp of the frame, T1 the book applied (the callback runs after bookSet), T2 the signal computed.
import { FeedHandler, type FeedConfig } from '../adapters/feed/feed-handler.js';
import type { CoreExports } from '../core/core.js';
import type { BookRegion, Region } from '../core/memory-map.js';
import { MAX_SYMBOL_ID } from '../protocol/index.js';
import type { Clock } from '../platform/clock.js';
import type { LogSink } from '../platform/rate-limited-log.js';

export interface MarketSink {
  /** Book `index` changed (the Oracle has run on it): T0, Tv, the frame's seq, T1, T2. */
  onTick(index: number, t0: number, tv: number, seq: number, t1: number, t2: number): void;
  /** After a sync: engine symbol `index` is the venue's `symbolId`. */
  onDefine(index: number, symbolId: number, tickPaise: number, lotSize: number): void;
  /** A trade printed on engine symbol `index` (anyone's). */
  onTrade(index: number, price: number, qty: number, t0: number): void;
  /** Book `index` cannot be trusted (gap, disconnect) or is live again. */
  onStale(index: number, stale: boolean): void;
}

export interface MarketStageOptions {
  readonly core: CoreExports;
  /** The engine's symbols, in config order: the index every stage uses. */
  readonly symbols: readonly string[];
  readonly books: Readonly<Record<string, BookRegion>>;
  /** Oracle state offset per symbol index. */
  readonly oracles: readonly number[];
  /** Feed scratch (≥ 320 bytes). */
  readonly scratch: Region;
  readonly host: string;
  readonly port: number;
  readonly clock: Clock;
  readonly log: LogSink;
  readonly dial?: FeedConfig['dial'];
}

export class MarketStage {
  readonly feed: FeedHandler;
  /** Engine symbol index per venue symbol id (−1: not traded). */
  private readonly indexOf = new Int32Array(MAX_SYMBOL_ID + 1).fill(-1);
  private readonly bookAt: Int32Array;
  private readonly oracleAt: Int32Array;
  private readonly core: CoreExports;
  private readonly clock: Clock;

  constructor(private readonly options: MarketStageOptions, private readonly sink: MarketSink) {
    const { core, symbols } = options;
    this.core = core;
    this.clock = options.clock;
    this.bookAt = Int32Array.from(symbols, (s) => {
      const b = options.books[s];
      if (!b) throw new Error(`memory map has no book for ${s}`);
      return b.offset;
    });
    this.oracleAt = Int32Array.from(options.oracles);
    this.feed = new FeedHandler({
      host: options.host, port: options.port, reconnect: { initialMs: 50, maxMs: 2000, jitter: 0.2 }, log: options.log,
      clock: options.clock, dial: options.dial,
    }, { core, books: options.books, scratch: options.scratch }, {
      onBookChange: (s, _side, _price, _qty, seq, t0) => this.tick(s, seq, t0),
      onBookReset: (s, seq, t0) => this.tick(s, seq, t0),
      onTrade: (s, _side, price, qty, _id, _seq, t0) => {
        const i = this.indexOf[s]!;
        if (i >= 0) this.sink.onTrade(i, price, qty, t0);
      },
      onStale: (s, stale) => {
        const i = this.indexOf[s]!;
        if (i >= 0) this.sink.onStale(i, stale);
      },
      onSynced: () => this.synced(),
      onDisconnect: () => {
        for (let i = 0; i < this.bookAt.length; i++) this.sink.onStale(i, true);
        this.indexOf.fill(-1);
      },
    });
  }

  start(): void {
    this.feed.start();
  }

  close(): void {
    this.feed.close();
  }

  /** Book offset of engine symbol `index`. */
  book(index: number): number {
    return this.bookAt[index]!;
  }

  oracle(index: number): number {
    return this.oracleAt[index]!;
  }

  private tick(s: number, seq: number, t0: number): void {
    const i = this.indexOf[s]!;
    if (i < 0) return;
    const clock = this.clock;
    const t1 = clock.nowNs();
    this.core.oracleUpdate(this.oracleAt[i]!, this.bookAt[i]!);
    this.sink.onTick(i, t0, this.feed.frameSendNs, seq, t1, clock.nowNs());
  }

  private synced(): void {
    const byName = new Map(this.feed.symbols().map((s) => [s.name, s]));
    this.options.symbols.forEach((name, i) => {
      const s = byName.get(name);
      if (!s) {
        this.options.log(`engine symbol ${name} is not in the venue's directory: not traded`);
        return;
      }
      this.indexOf[s.id] = i;
      this.sink.onDefine(i, s.id, s.tickPaise, s.lotSize);
      this.sink.onStale(i, false);
    });
  }
}

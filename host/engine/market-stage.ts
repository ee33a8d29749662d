// The market stage: the venue's market data into the core's books (FeedHandler) and each changed book
// through the Oracle (oracleUpdate), then to a sink: the execution stage itself in the fused topology,
// a ring to the Execution worker in `modules`. Only the engine's symbols (engine.symbols) are booked
// and passed on, by their index in that list; the venue's symbol ids are mapped after each sync.
//
// Per tick (hot path) nothing is allocated: the feed hands primitives, the Oracle works in shared memory,
// and the stamps go to the sink in `stamps` (a Float64Array), never as arguments: a double passed to a
// function V8 did not inline is boxed, 16 bytes a tick. Stamps: T0 the socket read (the feed's, one clock
// read per read), Tv the venue's send stamp of the frame, T1 the book applied (the callback runs after
// bookSet), T2 the signal computed. Every clock read in Node allocates (performance.now builds an array,
// hrtime.bigint a BigInt), so T1 and T2 are taken on one tick in SAMPLE_EVERY only (NaN on the others);
// T0 and the order's T4 are exact on every decision.
import { FeedHandler, type FeedConfig } from '../adapters/feed/feed-handler.js';
import type { CoreExports } from '../core/core.js';
import type { BookRegion, Region } from '../core/memory-map.js';
import { MAX_SYMBOL_ID } from '../protocol/index.js';
import type { Clock } from '../platform/clock.js';
import type { LogSink } from '../platform/rate-limited-log.js';

/** T1 and T2 are stamped on one tick in this many (a power of two). */
export const SAMPLE_EVERY = 64;

/** Where MarketStage.stamps keeps the current tick's stamps (ns) and the Oracle's signal. */
export const Stamp = { T0: 0, TV: 1, T1: 2, T2: 3, SIGNAL: 4 } as const;
// SIGNAL is filled by a sink that needs it as a value (modules); fused reads it in the Oracle's state.

export interface MarketSink {
  /** Book `index` changed (the Oracle has run on it); its stamps are in the stage's `stamps`. */
  onTick(index: number, seq: number): void;
  /** After a sync: engine symbol `index` is the venue's `symbolId`. */
  onDefine(index: number, symbolId: number, tickPaise: number, lotSize: number): void;
  /** A trade printed on engine symbol `index` (anyone's), read at T0 (the feed's stamp, already a number). */
  onTrade(index: number, price: number, qty: number, t0: number): void;
  /** Book `index` cannot be trusted (gap, disconnect) or is live again. */
  onStale(index: number, stale: boolean): void;
  /** Around the frames of one socket read (fused: the orders they decide leave in one write). */
  onReadStart?(): void;
  onReadEnd?(): void;
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
  /** The current tick's T0, Tv, T1, T2 (NaN when not sampled) and signal (Stamp indexes). */
  readonly stamps = new Float64Array(5);
  private ticks = 0;
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
      onReadStart: () => this.sink.onReadStart?.(),
      onReadEnd: () => this.sink.onReadEnd?.(),
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
    const stamps = this.stamps;
    const sampled = (++this.ticks & (SAMPLE_EVERY - 1)) === 0;
    stamps[0] = t0;
    stamps[1] = this.feed.frameSendNs;
    stamps[2] = sampled ? this.clock.nowNs() : NaN;
    const oracle = this.oracleAt[i]!;
    this.core.oracleUpdate(oracle, this.bookAt[i]!);
    stamps[3] = sampled ? this.clock.nowNs() : NaN;
    this.sink.onTick(i, seq);
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

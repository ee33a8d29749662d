// Publishes a recorded feed as the market data of one symbol, on the recording's own clock scaled by
// `speed` (or as fast as the subscribers read, for "max").
//
// A source turns its file into records — set a level's total (Binance depth diffs), change it by a
// signed amount (LOBSTER order messages), a trade, or a whole book between BOOK_BEGIN and BOOK_END
// (a Binance REST depth snapshot: levels it does not list are removed) — each stamped with nanoseconds since the
// recording's first record. The feed applies level records to the symbol's ReplayBook (which answers
// snapshots) and publishes an L2Delta only when a level's total actually changes; trades become
// Trades with venue trade ids. Records whose price lies outside the symbol's band are dropped and
// counted (the SymbolDefinition promises prices inside it).
//
// Pacing: records are published in slices of at most SLICE per turn of the event loop, and the feed
// waits while any subscriber has more than BACKLOG_BYTES unsent, so "max" speed never buries a
// client that is reading. A subscriber that stops reading altogether holds the feed back for at most
// STALL_MS; then the feed goes on and that subscriber is dropped when its send buffer limit is hit.
import type { MarketDataPublisher } from '../ports/market-data-publisher.js';
import type { OutputCycle } from '../ports/output-cycle.js';
import type { ReplayBook } from './replay-book.js';
import type { VenueIds } from '../market/live-order.js';
import type { VenueLog } from '../venue-log.js';
import { NS_PER_MS, liveClock, type Clock } from '../../platform/clock.js';

export const ReplayAction = {
  /** The level's new total is `qty` (0 = gone). */
  SET_LEVEL: 0,
  /** The level's total changes by `qty` (signed), never below 0. */
  ADD_LEVEL: 1,
  /** A trade of `qty` at `price`; `side` is the aggressor's. */
  TRADE: 2,
  /** A full book follows as SET_LEVEL records, up to BOOK_END: levels it does not list are removed. */
  BOOK_BEGIN: 3,
  BOOK_END: 4,
} as const;

export interface ReplayRecord {
  /** Recording time since its first record, ns. */
  readonly atNs: number;
  readonly action: number;
  readonly side: number;
  readonly price: number;
  readonly qty: number;
}

export interface ReplaySource {
  /** What the feed is, for logs. */
  readonly name: string;
  /** A reference price in ticks for the SymbolDefinition when the config gives none. */
  readonly refPrice: number;
  /** Puts the levels that exist before the first record into `book` (no deltas are published). */
  initialLevels(book: ReplayBook): void;
  /** The next records in time order, or null at the end. */
  nextBatch(): Promise<ReplayRecord[] | null>;
  /** A line of counts for the end-of-replay log. */
  summary(): string;
  close(): void;
}

const SLICE = 2048;
const BACKLOG_BYTES = 1 << 20;
const STALL_MS = 2000;

export class ReplayFeed {
  private started = false;
  private stopped = false;
  private batch: ReplayRecord[] = [];
  private next = 0;
  private startedAt = 0;
  /** When the subscribers' backlog last went over the limit (0 = it is not over). */
  private stalledSince = 0;
  /** Inside BOOK_BEGIN..BOOK_END: the levels the full book listed, as side:price keys. */
  private listed: Set<string> | null = null;
  /** Counts since start. */
  deltas = 0;
  trades = 0;
  outOfBand = 0;
  unchanged = 0;
  finished = false;

  constructor(
    private readonly source: ReplaySource,
    private readonly book: ReplayBook,
    private readonly md: MarketDataPublisher,
    private readonly cycle: OutputCycle,
    private readonly ids: VenueIds,
    private readonly speed: number,
    private readonly log: VenueLog,
    private readonly clock: Clock = liveClock,
  ) {
    source.initialLevels(book);
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.startedAt = this.nowMs();
    this.log.info(`replay ${this.source.name}: publishing ${this.book.spec.name} at ${this.speed === Infinity ? 'max' : `${this.speed}x`} speed`);
    this.run().catch((err: unknown) => {
      this.log.event('replay', `${this.source.name}: stopped: ${(err as Error).stack ?? String(err)}`);
      this.stop();
    });
  }

  stop(): void {
    this.stopped = true;
    this.source.close();
  }

  private async run(): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      if (this.next >= this.batch.length) {
        const more = await this.source.nextBatch();
        if (more === null) break;
        this.batch = more;
        this.next = 0;
        continue;
      }
      const clockNs = this.speed === Infinity ? Infinity : (this.nowMs() - this.startedAt) * 1e6 * this.speed;
      let n = 0;
      while (this.next < this.batch.length && n < SLICE && this.batch[this.next]!.atNs <= clockNs) {
        this.apply(this.batch[this.next++]!);
        n++;
      }
      this.cycle.flush();
      if (this.stopped) return;
      const now = this.nowMs();
      if (this.md.maxBacklog() <= BACKLOG_BYTES) this.stalledSince = 0;
      else if (this.stalledSince === 0) this.stalledSince = now;
      if (this.stalledSince !== 0 && now - this.stalledSince < STALL_MS) {
        await this.sleep(2);
      } else if (this.next < this.batch.length && this.batch[this.next]!.atNs > clockNs) {
        await this.sleep((this.batch[this.next]!.atNs - clockNs) / 1e6 / this.speed);
      } else {
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    this.finished = true;
    this.log.info(`replay ${this.source.name}: finished: ${this.deltas} L2 deltas, ${this.trades} trades published, `
      + `${this.unchanged} level updates without change, ${this.outOfBand} outside the band; ${this.source.summary()}`);
    this.source.close();
  }

  private apply(r: ReplayRecord): void {
    const spec = this.book.spec;
    if (r.action === ReplayAction.BOOK_BEGIN) {
      this.listed = new Set();
      return;
    }
    if (r.action === ReplayAction.BOOK_END) {
      const listed = this.listed ?? new Set<string>();
      this.listed = null;
      for (const side of [0, 1]) {
        for (const price of this.book.prices(side)) {
          if (listed.has(`${side}:${price}`)) continue;
          this.book.set(side, price, 0);
          this.md.l2Delta(spec.id, side, price, 0);
          this.deltas++;
        }
      }
      return;
    }
    if (this.listed !== null && r.action === ReplayAction.SET_LEVEL) this.listed.add(`${r.side}:${r.price}`);
    if (r.price < spec.bandLow || r.price > spec.bandHigh) {
      this.outOfBand++;
      return;
    }
    if (r.action === ReplayAction.TRADE) {
      if (r.qty <= 0) return;
      this.md.trade(spec.id, r.side, r.price, Math.min(r.qty, 0x7fffffff), this.ids.nextTradeId());
      this.trades++;
      return;
    }
    const before = this.book.qty(r.side, r.price);
    const after = Math.min(0x7fffffff, r.action === ReplayAction.SET_LEVEL ? r.qty : Math.max(0, before + r.qty));
    if (after === before) {
      this.unchanged++;
      return;
    }
    this.book.set(r.side, r.price, after);
    this.md.l2Delta(spec.id, r.side, r.price, after);
    this.deltas++;
  }

  private nowMs(): number {
    return this.clock.nowNs() / NS_PER_MS;
  }

  /** Waits `ms` without spinning: a timer for the bulk, the next turn of the event loop below a millisecond. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (ms >= 1) this.clock.setTimer(Math.floor(ms), resolve);
      else setImmediate(resolve);
    });
  }
}

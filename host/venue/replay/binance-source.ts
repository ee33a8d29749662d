// A Binance stream recording as a replay source: gzip of `local_receive_ts_ns <stream JSON>` lines
// (fixtures/README.md), read as a stream (node:zlib gunzip + readline) so a long file is
// never held in memory.
//
//   <sym>@depth@100ms  diff of level totals → one SET_LEVEL record per [price, qty] pair. The book
//                      starts empty and is built from the diffs.
//   {lastUpdateId, bids, asks}  a REST depth snapshot line (the fixture has one, at line 8): the book
//                      becomes exactly its levels (BOOK_BEGIN, SET_LEVEL…, BOOK_END), and then, as in
//                      Binance's book-sync procedure, diffs with u ≤ lastUpdateId are stale and dropped
//   <sym>@trade        → a TRADE; the aggressor is the seller when the buyer was the maker (m = true)
//   <sym>@bookTicker   skipped (the depth diffs carry the same levels)
// Prices and quantities are decimal text, converted exactly to ticks and lots with the configured
// tick and lot sizes (DecimalUnits); a value off the grid is dropped and counted. A depth diff whose
// first update id skips past the last one seen (U > previous u + 1) is a gap: counted and logged.
import { Side } from '../../model/vocabulary.js';
import { DecimalUnits } from './decimal-units.js';
import type { ReplayBook } from './replay-book.js';
import { ReplayAction, type ReplayRecord, type ReplaySource } from './replay-feed.js';
import type { VenueLog } from '../venue-log.js';

const LINES_PER_BATCH = 512;
/** Lines read ahead at open to find a reference price (the first trade, else the first level). */
const REF_SCAN_LINES = 20_000;

interface DepthData { U?: number; u?: number; b?: [string, string][]; a?: [string, string][] }
interface DepthSnapshot { lastUpdateId?: unknown; bids?: [string, string][]; asks?: [string, string][] }
interface TradeData { p?: string; q?: string; m?: boolean }

export class BinanceReplay implements ReplaySource {
  readonly name: string;
  refPrice = 0;
  private readonly lines: AsyncIterator<string>;
  private readonly close_: () => void;
  private readonly ticks: DecimalUnits;
  private readonly lots: DecimalUnits;
  /** Records read ahead while looking for the reference price. */
  private ahead: ReplayRecord[] = [];
  /** The first line's receive time, ns since the epoch: a BigInt, because a double's step at ~1.7e18 is 256 ns. */
  private t0: bigint | null = null;
  private lineCount = 0;
  private done = false;
  private lastU = -1;
  // counts
  private depthLines = 0;
  private tradeLines = 0;
  private skippedLines = 0;
  private snapshots = 0;
  private staleDiffs = 0;
  private badLines = 0;
  private offGrid = 0;
  private gaps = 0;

  private constructor(
    file: string,
    lines: AsyncIterator<string>,
    close: () => void,
    tickSize: string,
    lotSize: string,
    private readonly maxLines: number,
    private readonly log: VenueLog,
  ) {
    this.name = `binance ${file}`;
    this.ticks = new DecimalUnits(tickSize);
    this.lots = new DecimalUnits(lotSize);
    this.lines = lines;
    this.close_ = close;
  }

  /** Opens the file and reads ahead until it knows a reference price. */
  static async open(file: string, tickSize: string, lotSize: string, maxLines: number, log: VenueLog): Promise<BinanceReplay> {
    // Imported here, not at the top: fromLines is used in a browser (the playground's replay scenarios).
    const [{ createReadStream }, { createInterface }, { createGunzip }] = await Promise.all([
      import('node:fs'), import('node:readline'), import('node:zlib'),
    ]);
    const input = createReadStream(file);
    const gunzip = createGunzip();
    const rl = createInterface({ input: input.pipe(gunzip), crlfDelay: Infinity });
    const name = `binance ${file}`;
    // A missing or corrupt file ends the replay (logged); it must not crash the venue.
    const fail = (err: Error): void => {
      log.event('replay', `${name}: ${err.message}`);
      rl.close();
    };
    input.on('error', fail);
    gunzip.on('error', fail);
    return BinanceReplay.start(new BinanceReplay(file, rl[Symbol.asyncIterator](), () => {
      rl.close();
      input.destroy();
      gunzip.destroy();
    }, tickSize, lotSize, maxLines, log));
  }

  /** The same from the recording's lines, already decompressed (`file` names it in messages). */
  static async fromLines(file: string, lines: Iterable<string> | AsyncIterable<string>, tickSize: string, lotSize: string,
    maxLines: number, log: VenueLog): Promise<BinanceReplay> {
    const it = Symbol.asyncIterator in lines
      ? (lines as AsyncIterable<string>)[Symbol.asyncIterator]()
      : (async function* () { yield* lines as Iterable<string>; })();
    return BinanceReplay.start(new BinanceReplay(file, it, () => {}, tickSize, lotSize, maxLines, log));
  }

  private static async start(r: BinanceReplay): Promise<BinanceReplay> {
    const file = r.name.slice('binance '.length);
    let firstLevel = 0;
    while (r.refPrice === 0 && r.lineCount < REF_SCAN_LINES && !r.done) {
      const batch = await r.readLines(LINES_PER_BATCH);
      if (batch === null) break;
      for (const rec of batch) {
        if (rec.action === ReplayAction.TRADE && r.refPrice === 0) r.refPrice = rec.price;
        if (rec.action === ReplayAction.SET_LEVEL && rec.qty > 0 && firstLevel === 0) firstLevel = rec.price;
      }
      r.ahead.push(...batch);
    }
    if (r.refPrice === 0) r.refPrice = firstLevel;
    if (r.refPrice === 0) {
      r.close();
      throw new Error(`${file}: no trade or depth level in the first ${REF_SCAN_LINES} lines: no reference price`);
    }
    return r;
  }

  initialLevels(book: ReplayBook): void {
    book.clear();
  }

  async nextBatch(): Promise<ReplayRecord[] | null> {
    if (this.ahead.length > 0) {
      const out = this.ahead;
      this.ahead = [];
      return out;
    }
    return this.readLines(LINES_PER_BATCH);
  }

  summary(): string {
    return `${this.lineCount} lines: ${this.depthLines} depth (${this.staleDiffs} stale), ${this.snapshots} depth snapshots, `
      + `${this.tradeLines} trade, ${this.skippedLines} other streams, ${this.badLines} unreadable; `
      + `${this.offGrid} values off the tick/lot grid; ${this.gaps} depth update-id gaps`;
  }

  close(): void {
    this.done = true;
    this.close_();
  }

  private async readLines(max: number): Promise<ReplayRecord[] | null> {
    if (this.done) return null;
    const out: ReplayRecord[] = [];
    for (let i = 0; i < max; i++) {
      if (this.maxLines > 0 && this.lineCount >= this.maxLines) {
        this.done = true;
        break;
      }
      const r = await this.lines.next();
      if (r.done === true) {
        this.done = true;
        break;
      }
      this.lineCount++;
      this.parseLine(r.value, out);
    }
    return out.length === 0 && this.done ? null : out;
  }

  private parseLine(line: string, out: ReplayRecord[]): void {
    const sp = line.indexOf(' ');
    const field = sp > 0 ? line.slice(0, sp) : '';
    const stamp = /^[0-9]{1,20}$/.test(field) ? BigInt(field) : null;
    // Times from the first line: small enough for a double to hold every nanosecond.
    if (stamp !== null && this.t0 === null) this.t0 = stamp;
    const ts = stamp === null ? NaN : Number(stamp - this.t0!);
    let msg: { stream?: unknown; data?: unknown };
    try {
      msg = JSON.parse(line.slice(sp + 1)) as typeof msg;
    } catch {
      msg = {};
    }
    if (Number.isFinite(ts) && msg.stream === undefined && 'lastUpdateId' in msg) {
      this.snapshot(msg as DepthSnapshot, ts, out);
      return;
    }
    if (!Number.isFinite(ts) || typeof msg.stream !== 'string' || typeof msg.data !== 'object' || msg.data === null) {
      this.badLines++;
      this.log.event('replay', `${this.name}: line ${this.lineCount} is not "<ns> {stream, data}" nor a depth snapshot`);
      return;
    }
    const atNs = ts;
    if (msg.stream.includes('@depth')) {
      this.depthLines++;
      const d = msg.data as DepthData;
      if (typeof d.U === 'number' && typeof d.u === 'number') {
        if (this.lastU >= 0 && d.u <= this.lastU) {
          this.staleDiffs++;
          return;
        }
        if (this.lastU >= 0 && d.U > this.lastU + 1) {
          this.gaps++;
          this.log.event('replay', `${this.name}: depth update ids jump from ${this.lastU} to ${d.U} at line ${this.lineCount}`);
        }
        this.lastU = d.u;
      }
      this.levels(d.b, Side.BUY, atNs, out);
      this.levels(d.a, Side.SELL, atNs, out);
    } else if (msg.stream.endsWith('@trade')) {
      this.tradeLines++;
      const t = msg.data as TradeData;
      const price = typeof t.p === 'string' ? this.ticks.toUnits(t.p) : NaN;
      const qty = typeof t.q === 'string' ? this.lots.toUnits(t.q) : NaN;
      if (!validPrice(price) || !validQty(qty)) {
        this.offGrid++;
        return;
      }
      out.push({ atNs, action: ReplayAction.TRADE, side: t.m === true ? Side.SELL : Side.BUY, price, qty });
    } else {
      this.skippedLines++;
    }
  }

  private snapshot(m: DepthSnapshot, atNs: number, out: ReplayRecord[]): void {
    if (typeof m.lastUpdateId !== 'number' || !Array.isArray(m.bids) || !Array.isArray(m.asks)) {
      this.badLines++;
      this.log.event('replay', `${this.name}: line ${this.lineCount}: depth snapshot without lastUpdateId, bids and asks`);
      return;
    }
    this.snapshots++;
    out.push({ atNs, action: ReplayAction.BOOK_BEGIN, side: 0, price: 0, qty: 0 });
    this.levels(m.bids, Side.BUY, atNs, out);
    this.levels(m.asks, Side.SELL, atNs, out);
    out.push({ atNs, action: ReplayAction.BOOK_END, side: 0, price: 0, qty: 0 });
    this.lastU = m.lastUpdateId;
  }

  private levels(pairs: [string, string][] | undefined, side: number, atNs: number, out: ReplayRecord[]): void {
    if (!Array.isArray(pairs)) return;
    for (const pair of pairs) {
      if (!Array.isArray(pair) || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') {
        this.offGrid++;
        continue;
      }
      const price = this.ticks.toUnits(pair[0]);
      const qty = this.lots.toUnits(pair[1]);
      if (!validPrice(price) || !(qty === 0 || validQty(qty))) {
        this.offGrid++;
        continue;
      }
      out.push({ atNs, action: ReplayAction.SET_LEVEL, side, price, qty });
    }
  }
}

function validPrice(p: number): boolean {
  return Number.isInteger(p) && p > 0 && p <= 0x7fffffff;
}
function validQty(q: number): boolean {
  return Number.isInteger(q) && q > 0 && q <= 0x7fffffff;
}

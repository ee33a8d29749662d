// The recorded L2 market of a replay scenario as one time-ordered buffer of fixed 24-byte records, the
// layout wasm-core/queue-position.ts documents and queueApply reads, so a simulator copies the buffer
// into the core's memory once and walks it there with nothing allocated per event:
//   +0 timeNs i64 (since the recording's first message) · +8 kind i32 (L2EventKind: LEVEL or TRADE)
//   +12 side i32 (LEVEL: the book side; TRADE: the aggressor's) · +16 price i32 (ticks)
//   +20 qty i32 (LEVEL: the level's new total in lots, 0 = gone; TRADE: lots traded)
//
// The records come from the venue's replay sources (host/venue/replay/*-source.ts), which already parse
// the fixtures (fixtures/README.md) into ticks and lots: signed LOBSTER level changes become the level's
// new total, a Binance REST snapshot becomes LEVEL records for the levels it lists and LEVEL 0 for the
// ones it drops, and the book that exists before the first message (LOBSTER's first orderbook row with
// message 1 undone) comes first, as LEVEL records at time 0, so the buffer alone rebuilds the book.
// A level record is written for every recorded level message, even when its total did not change: the
// message still tells a queue model that trades printed since the last one were absorbed by the level.
//
// The loaders import the Node file readers only when called, so the buffer type and the conversion stay
// usable from a Web Worker.
import { Side } from '../model/vocabulary.js';
import { L2EventKind } from '../../build/core-constants.js';
import { ReplayBook } from '../venue/replay/replay-book.js';
import { ReplayAction, type ReplaySource } from '../venue/replay/replay-feed.js';

export { L2EventKind };

export const L2_RECORD_BYTES = 24;
const T_LO = 0;
const T_HI = 4;
const KIND = 8;
const SIDE = 12;
const PRICE = 16;
const QTY = 20;
const TWO_32 = 4294967296;

/** A finished, read-only sequence of L2 event records. */
export class L2Events {
  readonly count: number;
  /** Exactly count × L2_RECORD_BYTES bytes, ready to copy into the core's memory (8-byte aligned there). */
  readonly bytes: Uint8Array;
  private readonly view: DataView;

  constructor(bytes: Uint8Array, readonly name: string, readonly summary: string) {
    if (bytes.byteLength % L2_RECORD_BYTES !== 0) throw new RangeError(`${bytes.byteLength} bytes is not a whole number of ${L2_RECORD_BYTES}-byte records`);
    this.bytes = bytes;
    this.count = bytes.byteLength / L2_RECORD_BYTES;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  timeNs(i: number): number {
    const at = this.at(i);
    return this.view.getUint32(at + T_HI, true) * TWO_32 + this.view.getUint32(at + T_LO, true);
  }
  kind(i: number): number {
    return this.view.getInt32(this.at(i) + KIND, true);
  }
  side(i: number): number {
    return this.view.getInt32(this.at(i) + SIDE, true);
  }
  price(i: number): number {
    return this.view.getInt32(this.at(i) + PRICE, true);
  }
  qty(i: number): number {
    return this.view.getInt32(this.at(i) + QTY, true);
  }

  /** Copies the records into `memory` at `offset` (8-byte aligned): record i then sits at offset + 24·i. */
  copyTo(memory: ArrayBufferLike, offset: number): void {
    if (offset % 8 !== 0) throw new RangeError(`offset must be 8-byte aligned, got ${offset}`);
    new Uint8Array(memory, offset, this.bytes.byteLength).set(this.bytes);
  }

  private at(i: number): number {
    if (!Number.isInteger(i) || i < 0 || i >= this.count) throw new RangeError(`record index must be in [0, ${this.count - 1}], got ${i}`);
    return i * L2_RECORD_BYTES;
  }
}

/** Appends records to a buffer that doubles as it fills. Times must not go backwards. */
export class L2EventWriter {
  private buf = new ArrayBuffer(L2_RECORD_BYTES * 1024);
  private view = new DataView(this.buf);
  private n = 0;
  private lastNs = 0;

  get count(): number {
    return this.n;
  }

  push(timeNs: number, kind: number, side: number, price: number, qty: number): void {
    if (!Number.isSafeInteger(timeNs) || timeNs < this.lastNs) {
      throw new RangeError(`record ${this.n}: time ${timeNs} ns is not an integer at or after the previous ${this.lastNs} ns`);
    }
    if ((this.n + 1) * L2_RECORD_BYTES > this.buf.byteLength) {
      const bigger = new ArrayBuffer(this.buf.byteLength * 2);
      new Uint8Array(bigger).set(new Uint8Array(this.buf));
      this.buf = bigger;
      this.view = new DataView(bigger);
    }
    const at = this.n * L2_RECORD_BYTES;
    this.view.setUint32(at + T_LO, timeNs % TWO_32, true);
    this.view.setUint32(at + T_HI, Math.floor(timeNs / TWO_32), true);
    this.view.setInt32(at + KIND, kind, true);
    this.view.setInt32(at + SIDE, side, true);
    this.view.setInt32(at + PRICE, price, true);
    this.view.setInt32(at + QTY, qty, true);
    this.lastNs = timeNs;
    this.n++;
  }

  finish(name: string, summary: string): L2Events {
    return new L2Events(new Uint8Array(this.buf, 0, this.n * L2_RECORD_BYTES).slice(), name, summary);
  }
}

const NO_SPEC = { id: 0, name: 'l2-events', tickPaise: 1, lotSize: 1, bandLow: 0, bandHigh: 0x7fffffff, refPrice: 0 };
const MAX_LOTS = 0x7fffffff;

/** Reads a replay source to its end into L2 event records (the source is closed afterwards). */
export async function l2EventsFromSource(source: ReplaySource): Promise<L2Events> {
  const out = new L2EventWriter();
  const book = new ReplayBook(NO_SPEC);
  try {
    source.initialLevels(book);
    for (const side of [Side.BUY, Side.SELL]) {
      for (const price of book.prices(side).sort((a, b) => a - b)) out.push(0, L2EventKind.LEVEL, side, price, book.qty(side, price));
    }
    let listed: Set<number>[] | null = null;
    let levels = 0;
    let trades = 0;
    for (let batch = await source.nextBatch(); batch !== null; batch = await source.nextBatch()) {
      for (const r of batch) {
        switch (r.action) {
          case ReplayAction.TRADE:
            if (r.qty <= 0) break;
            out.push(r.atNs, L2EventKind.TRADE, r.side, r.price, Math.min(r.qty, MAX_LOTS));
            trades++;
            break;
          case ReplayAction.SET_LEVEL:
          case ReplayAction.ADD_LEVEL: {
            const total = Math.min(MAX_LOTS, r.action === ReplayAction.SET_LEVEL ? r.qty : Math.max(0, book.qty(r.side, r.price) + r.qty));
            book.set(r.side, r.price, total);
            listed?.[r.side]!.add(r.price);
            out.push(r.atNs, L2EventKind.LEVEL, r.side, r.price, total);
            levels++;
            break;
          }
          case ReplayAction.BOOK_BEGIN:
            listed = [new Set(), new Set()];
            break;
          case ReplayAction.BOOK_END:
            // A full book replaces the one built so far: what it does not list is gone.
            for (const side of [Side.BUY, Side.SELL]) {
              for (const price of book.prices(side).sort((a, b) => a - b)) {
                if (listed?.[side]!.has(price) === true) continue;
                book.set(side, price, 0);
                out.push(r.atNs, L2EventKind.LEVEL, side, price, 0);
                levels++;
              }
            }
            listed = null;
            break;
        }
      }
    }
    return out.finish(source.name, `${out.count} records: ${levels} level changes, ${trades} trades; ${source.summary()}`);
  } finally {
    source.close();
  }
}

/** A LOBSTER pair from the two files' texts (browser-safe: the playground fetches them). */
export async function lobsterL2EventsFromText(messages: string, orderbook: string, name: string, priceUnitsPerTick = 100): Promise<L2Events> {
  const { LobsterReplay } = await import('../venue/replay/lobster-source.js');
  return l2EventsFromSource(LobsterReplay.fromText(messages, orderbook, priceUnitsPerTick, 0, name, `${name} (orderbook)`));
}

/** A Binance recording from its decompressed text (browser-safe: the playground gunzips it with DecompressionStream). */
export async function binanceL2EventsFromText(
  text: string, name: string, tickSize = '0.01', lotSize = '0.00001', note: (line: string) => void = () => {},
): Promise<L2Events> {
  const [{ BinanceReplay }, { VenueLog }, { liveClock }] = await Promise.all([
    import('../venue/replay/binance-source.js'),
    import('../venue/venue-log.js'),
    import('../platform/clock.js'),
  ]);
  // The log's rate limit reads a clock: performance.now, as a browser has no process.hrtime.
  const clock = { ...liveClock, nowNs: () => Math.round(performance.now() * 1e6) };
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return l2EventsFromSource(await BinanceReplay.fromLines(name, lines.map((l) => l.replace(/\r$/, '')), tickSize, lotSize, 0, new VenueLog(note, 20, 1000, clock)));
}

/** A LOBSTER message + orderbook pair (prices in USD × 10 000; `priceUnitsPerTick` 100 = $0.01 ticks). */
export async function loadLobsterL2Events(messageFile: string, orderbookFile: string, priceUnitsPerTick = 100): Promise<L2Events> {
  const { LobsterReplay } = await import('../venue/replay/lobster-source.js');
  return l2EventsFromSource(await LobsterReplay.open(messageFile, orderbookFile, priceUnitsPerTick, 0));
}

/**
 * A Binance stream recording (gzip of `<receive ns> <JSON>` lines). `tickSize` and `lotSize` are decimal
 * texts (BTCUSDT: 0.01 USDT and 0.00001 BTC). The source's notes (update-id gaps) go to `note`.
 */
export async function loadBinanceL2Events(
  file: string, tickSize = '0.01', lotSize = '0.00001', note: (line: string) => void = () => {},
): Promise<L2Events> {
  const [{ BinanceReplay }, { VenueLog }] = await Promise.all([
    import('../venue/replay/binance-source.js'),
    import('../venue/venue-log.js'),
  ]);
  return l2EventsFromSource(await BinanceReplay.open(file, tickSize, lotSize, 0, new VenueLog(note)));
}

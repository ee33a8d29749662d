// Replay of a LOBSTER message file through the core's L2 book, checked row by row against LOBSTER's
// orderbook file (row k = the visible book after message k). Browser-safe: text in, counts out; the
// caller owns files, memory and the core instance.
//
// LOBSTER message columns: time (s after midnight), type, order id, size, price (USD × 10000),
// direction (1 buy, −1 sell). Orderbook columns, per level: ask price, ask size, bid price, bid size;
// an empty level holds ±9999999999 with size 0.
import { BookStatus, SNAPSHOT_ROW_BYTES, type CoreExports } from '../core/core.js';
import { NO_PRICE, Side } from '../model/vocabulary.js';
import { ConfigError } from '../config/config-error.js';
import { ALIGN, type BookRegion, type MemoryMap, type MemoryMapConfig, type Region } from '../core/memory-map.js';

export const MessageType = {
  SUBMIT: 1, PARTIAL_CANCEL: 2, DELETE: 3, EXECUTE_VISIBLE: 4, EXECUTE_HIDDEN: 5, CROSS_TRADE: 6, HALT: 7,
} as const;

/** $0.01 in LOBSTER's USD × 10000 price units. */
export const DEFAULT_TICK_SIZE = 100;
/** Band of 4096 ticks ($40.96 at the default tick): room for a session's drift with few recenters. */
export const DEFAULT_BAND_LEVELS = 4096;
export const REPLAY_BOOK = 'LOBSTER';
export const REPLAY_SCRATCH = 'replay';

const MESSAGE_COLUMNS = 6;
const ORDERBOOK_COLUMNS_PER_LEVEL = 4;
const EMPTY_ASK_PRICE = 9999999999;
const EMPTY_BID_PRICE = -9999999999;
/** Highest price in ticks we accept: leaves room above it for a band of up to 2^20 levels in an i32. */
const MAX_PRICE_TICKS = 2 ** 30;

/** A row of a LOBSTER file the replay cannot read. The message names file:line:column and the reason. */
export class LobsterFormatError extends Error {
  override readonly name = 'LobsterFormatError';
  constructor(readonly file: string, readonly line: number, readonly column: number, readonly reason: string) {
    super(`${file}:${line}:${column}: ${reason}`);
  }
}

/** Messages in columns, one entry per message file row. */
export interface LobsterMessages {
  readonly count: number;
  /** Seconds after midnight. */
  readonly time: Float64Array;
  readonly type: Uint8Array;
  readonly orderId: Float64Array;
  readonly size: Int32Array;
  /** As in the file, USD × 10000: hidden executions may trade between ticks, and a halt's price is its state (−1, 0, 1). */
  readonly rawPrice: Float64Array;
  /** In ticks, or NO_PRICE where the raw price is off the tick grid (only allowed for types 5–7). */
  readonly price: Int32Array;
  /** 1 buy, −1 sell. For executions, the side of the resting order. */
  readonly direction: Int8Array;
}

/** The orderbook file in the core's snapshot layout, so a row compares with bookSnapshot word for word. */
export interface LobsterOrderbook {
  readonly rows: number;
  /** Levels per side in the file. */
  readonly depth: number;
  /** rows × depth × [bid price, bid size, ask price, ask size], prices in ticks, an empty level NO_PRICE, 0. */
  readonly levels: Int32Array;
}

export interface LobsterData {
  readonly messages: LobsterMessages;
  readonly orderbook: LobsterOrderbook;
}

export interface LobsterParseOptions {
  /** Price units (USD × 10000) per tick; default 100. */
  readonly tickSize?: number;
  /** Names used in errors; default "message" and "orderbook". */
  readonly messageFile?: string;
  readonly orderbookFile?: string;
}

// ── parsing ─────────────────────────────────────────────────────────────────────────────────────

const INTEGER = /^-?\d+$/;
const DECIMAL = /^\d+(\.\d+)?$/;

/** Non-empty lines of a CSV text; one trailing newline (or none) and CRLF endings are fine, blank lines are not. */
function csvLines(text: string, file: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.endsWith('\r') ? lines[i]!.slice(0, -1) : lines[i]!;
    if (line.length === 0) throw new LobsterFormatError(file, i + 1, 1, 'empty row');
    lines[i] = line;
  }
  if (lines.length === 0) throw new LobsterFormatError(file, 1, 1, 'no rows');
  return lines;
}

function fields(line: string, file: string, lineNo: number, expected: number): string[] {
  const f = line.split(',');
  if (f.length !== expected) {
    const column = Math.min(f.length, expected) + 1;
    throw new LobsterFormatError(file, lineNo, column, `expected ${expected} columns, got ${f.length}`);
  }
  return f;
}

function integer(text: string, file: string, line: number, column: number, what: string): number {
  const n = Number(text);
  if (!INTEGER.test(text) || !Number.isSafeInteger(n)) {
    throw new LobsterFormatError(file, line, column, `${what} must be an integer, got ${JSON.stringify(text)}`);
  }
  return n;
}

/** Raw price → ticks, refusing prices off the grid or too large for the book's i32 prices. */
function ticks(raw: number, tickSize: number, file: string, line: number, column: number): number {
  if (raw % tickSize !== 0) {
    throw new LobsterFormatError(file, line, column, `price ${raw} is not on the tick grid (tick ${tickSize})`);
  }
  const t = raw / tickSize;
  if (t <= 0 || t > MAX_PRICE_TICKS) {
    throw new LobsterFormatError(file, line, column, `price ${raw} is outside (0, ${MAX_PRICE_TICKS}] ticks`);
  }
  return t;
}

function checkTickSize(tickSize: number): void {
  if (!Number.isSafeInteger(tickSize) || tickSize <= 0) throw new ConfigError('tickSize', 'a positive integer', tickSize);
}

/** Whether a message type changes the visible book. */
function changesBook(type: number): boolean {
  return type >= MessageType.SUBMIT && type <= MessageType.EXECUTE_VISIBLE;
}

export function parseLobsterMessages(text: string, options: LobsterParseOptions = {}): LobsterMessages {
  const tickSize = options.tickSize ?? DEFAULT_TICK_SIZE;
  checkTickSize(tickSize);
  const file = options.messageFile ?? 'message';
  const lines = csvLines(text, file);
  const count = lines.length;
  const m = {
    count,
    time: new Float64Array(count),
    type: new Uint8Array(count),
    orderId: new Float64Array(count),
    size: new Int32Array(count),
    rawPrice: new Float64Array(count),
    price: new Int32Array(count),
    direction: new Int8Array(count),
  };
  for (let i = 0; i < count; i++) {
    const line = i + 1;
    const f = fields(lines[i]!, file, line, MESSAGE_COLUMNS);
    if (!DECIMAL.test(f[0]!)) throw new LobsterFormatError(file, line, 1, `time must be seconds ≥ 0, got ${JSON.stringify(f[0])}`);
    const type = integer(f[1]!, file, line, 2, 'type');
    if (type < MessageType.SUBMIT || type > MessageType.HALT) {
      throw new LobsterFormatError(file, line, 2, `unknown message type ${type} (LOBSTER types are 1–7)`);
    }
    const orderId = integer(f[2]!, file, line, 3, 'order id');
    const size = integer(f[3]!, file, line, 4, 'size');
    if (changesBook(type) ? size <= 0 : size < 0) {
      throw new LobsterFormatError(file, line, 4, `size must be ${changesBook(type) ? '> 0' : '≥ 0'} for type ${type}, got ${size}`);
    }
    if (size > 0x7fffffff) throw new LobsterFormatError(file, line, 4, `size ${size} does not fit an i32`);
    const raw = integer(f[4]!, file, line, 5, 'price');
    // Only book-changing prices must sit on the grid: hidden orders may execute at the midpoint and a
    // halt's "price" is its state.
    const onGrid = raw % tickSize === 0 && raw > 0 && raw / tickSize <= MAX_PRICE_TICKS;
    const price = changesBook(type) ? ticks(raw, tickSize, file, line, 5) : onGrid ? raw / tickSize : NO_PRICE;
    const direction = integer(f[5]!, file, line, 6, 'direction');
    if (direction !== 1 && direction !== -1) {
      throw new LobsterFormatError(file, line, 6, `direction must be 1 (buy) or -1 (sell), got ${direction}`);
    }
    m.time[i] = Number(f[0]);
    m.type[i] = type;
    m.orderId[i] = orderId;
    m.size[i] = size;
    m.rawPrice[i] = raw;
    m.price[i] = price;
    m.direction[i] = direction;
  }
  return m;
}

export function parseLobsterOrderbook(text: string, options: LobsterParseOptions = {}): LobsterOrderbook {
  const tickSize = options.tickSize ?? DEFAULT_TICK_SIZE;
  checkTickSize(tickSize);
  const file = options.orderbookFile ?? 'orderbook';
  const lines = csvLines(text, file);
  const columns = lines[0]!.split(',').length;
  if (columns % ORDERBOOK_COLUMNS_PER_LEVEL !== 0) {
    throw new LobsterFormatError(file, 1, columns + 1, `expected a multiple of ${ORDERBOOK_COLUMNS_PER_LEVEL} columns, got ${columns}`);
  }
  const depth = columns / ORDERBOOK_COLUMNS_PER_LEVEL;
  const rows = lines.length;
  const levels = new Int32Array(rows * depth * 4);
  // Snapshot layout slot for each file column within a level: ask price, ask size, bid price, bid size.
  const slot = [2, 3, 0, 1];
  for (let r = 0; r < rows; r++) {
    const f = fields(lines[r]!, file, r + 1, columns);
    for (let c = 0; c < columns; c += 2) {
      const isAsk = c % 4 === 0;
      const raw = integer(f[c]!, file, r + 1, c + 1, `${isAsk ? 'ask' : 'bid'} price`);
      const size = integer(f[c + 1]!, file, r + 1, c + 2, `${isAsk ? 'ask' : 'bid'} size`);
      const empty = raw === (isAsk ? EMPTY_ASK_PRICE : EMPTY_BID_PRICE);
      if (empty ? size !== 0 : size < 0 || size > 0x7fffffff) {
        throw new LobsterFormatError(file, r + 1, c + 2, `size ${size} is not valid for ${empty ? 'an empty' : 'a'} level`);
      }
      const at = (r * depth + (c >> 2)) * 4 + slot[c % 4]!;
      levels[at] = empty ? NO_PRICE : ticks(raw, tickSize, file, r + 1, c + 1);
      levels[at + 1] = size;
    }
  }
  return { rows, depth, levels };
}

/** Both files, checked to have one orderbook row per message. */
export function parseLobster(messageText: string, orderbookText: string, options: LobsterParseOptions = {}): LobsterData {
  const messages = parseLobsterMessages(messageText, options);
  const orderbook = parseLobsterOrderbook(orderbookText, options);
  if (orderbook.rows !== messages.count) {
    const file = options.orderbookFile ?? 'orderbook';
    const line = Math.min(orderbook.rows, messages.count) + 1;
    throw new LobsterFormatError(file, line, 1,
      `${orderbook.rows} rows for ${messages.count} messages: row k must be the book after message k`);
  }
  return { messages, orderbook };
}

// ── memory ──────────────────────────────────────────────────────────────────────────────────────

/** The replay's share of a memory map: one book and room for one top-`depth` snapshot. */
export function replayMemoryConfig(depth: number, bandLevels = DEFAULT_BAND_LEVELS): MemoryMapConfig {
  return {
    books: [{ symbol: REPLAY_BOOK, levels: bandLevels }],
    scratch: [{ worker: REPLAY_SCRATCH, bytes: Math.max(ALIGN, depth * SNAPSHOT_ROW_BYTES) }],
  };
}

export interface ReplayRegions {
  readonly book: BookRegion;
  /** Receives our top-N snapshot after each message. */
  readonly scratch: Region;
}

export function replayRegions(map: MemoryMap): ReplayRegions {
  const book = map.books[REPLAY_BOOK];
  const scratch = map.scratch[REPLAY_SCRATCH];
  if (!book || !scratch) throw new Error(`memory map lacks book ${REPLAY_BOOK} or scratch ${REPLAY_SCRATCH}: plan it with replayMemoryConfig`);
  return { book, scratch };
}

// ── replay ──────────────────────────────────────────────────────────────────────────────────────

/** What the replay saw at one row. One object, overwritten row after row: copy what you keep. */
export interface ReplayStep {
  /** 1-based: the message file line and the orderbook row it is checked against. */
  row: number;
  /** Book status of the message's update (BookStatus.OK when the type does not touch the book). */
  status: number;
  topOfBookMatch: boolean;
  allLevelsMatch: boolean;
  /** Our top `depth` levels after the message, laid out like LobsterOrderbook.levels (a view of the scratch region). */
  readonly snapshot: Int32Array;
}

export interface ReplayOptions {
  onRow?(step: Readonly<ReplayStep>): void;
}

export interface ReplayResult {
  readonly rows: number;
  readonly depth: number;
  /** Rows where best bid price and size and best ask price and size all equal the file's. */
  readonly topOfBookMatch: number;
  /** Rows where every one of the `depth` levels on both sides equals the file's. */
  readonly allLevelsMatch: number;
  /** 1-based row of the first row whose levels do not all match, or null. */
  readonly firstMismatchRow: number | null;
  /** Reductions larger than the level we held: they hit orders that rested before the file starts and never showed in its levels. */
  readonly clampedReductions: number;
  /** Times the band moved to follow the mid. */
  readonly recenters: number;
  /** Non-empty levels that fell outside the band when it moved. */
  readonly levelsDroppedByRecenter: number;
  /** Updates (initial levels included) that stayed outside the band and were not applied. */
  readonly outOfBandUpdates: number;
  readonly initialBasePrice: number;
  readonly finalBasePrice: number;
}

/** Mid of a book with these best prices; one side's best when the other is missing; `fallback` when both are. */
function midOf(bid: number, ask: number, fallback: number): number {
  if (bid !== NO_PRICE && ask !== NO_PRICE) return Math.floor((bid + ask) / 2);
  if (bid !== NO_PRICE) return bid;
  if (ask !== NO_PRICE) return ask;
  return fallback;
}

/** First tick of a band of `levels` that has `mid` in its middle. */
function bandBase(mid: number, levels: number): number {
  return mid - (levels >> 1);
}

/**
 * Rebuilds the book from the messages and checks it after each one against the orderbook file.
 * The book starts as orderbook row 1 with message 1 undone, so message 1 then replays onto it like
 * every other.
 */
export function replayLobster(
  core: CoreExports, regions: ReplayRegions, data: LobsterData, options: ReplayOptions = {},
): ReplayResult {
  const { messages, orderbook } = data;
  const { depth, rows } = orderbook;
  const book = regions.book.offset;
  const bandLevels = regions.book.levels;
  if (regions.scratch.bytes < depth * SNAPSHOT_ROW_BYTES) {
    throw new RangeError(`scratch of ${regions.scratch.bytes} bytes cannot hold a ${depth}-level snapshot`);
  }
  if (messages.count !== rows) throw new RangeError(`${messages.count} messages for ${rows} orderbook rows`);
  const width = depth * 4;
  const expected = orderbook.levels;

  let clampedReductions = 0;
  let recenters = 0;
  let levelsDroppedByRecenter = 0;
  let outOfBandUpdates = 0;

  const update = (add: boolean, side: number, price: number, size: number): number =>
    add ? core.bookAdd(book, side, price, size) : core.bookReduce(book, side, price, size);
  const tally = (status: number, row: number): void => {
    if (status === BookStatus.CLAMPED) clampedReductions++;
    else if (status === BookStatus.OUT_OF_BAND) outOfBandUpdates++;
    else if (status !== BookStatus.OK) throw new Error(`row ${row}: book refused the update with status ${status}`);
  };

  // Initial book: row 1, centred in the band, with message 1 undone.
  const firstMid = midOf(expected[0]!, expected[2]!, messages.price[0] !== NO_PRICE ? messages.price[0]! : 0);
  const initStatus = core.bookInit(book, bandLevels, bandBase(firstMid, bandLevels));
  if (initStatus !== BookStatus.OK) throw new Error(`bookInit failed with status ${initStatus}`);
  const initialBasePrice = core.bookBasePrice(book);
  for (let l = 0; l < depth; l++) {
    const at = l * 4;
    if (expected[at] !== NO_PRICE) tally(core.bookSet(book, Side.BUY, expected[at]!, expected[at + 1]!), 1);
    if (expected[at + 2] !== NO_PRICE) tally(core.bookSet(book, Side.SELL, expected[at + 2]!, expected[at + 3]!), 1);
  }
  if (changesBook(messages.type[0]!)) {
    // Undo: a submission comes off its level; a cancel, delete or execution goes back on.
    const side = messages.direction[0] === 1 ? Side.BUY : Side.SELL;
    tally(update(messages.type[0] !== MessageType.SUBMIT, side, messages.price[0]!, messages.size[0]!), 1);
  }

  const snapshot = new Int32Array(core.memory.buffer, regions.scratch.offset, width);
  const step: ReplayStep = { row: 0, status: BookStatus.OK, topOfBookMatch: false, allLevelsMatch: false, snapshot };
  let topOfBookMatch = 0;
  let allLevelsMatch = 0;
  let firstMismatchRow: number | null = null;

  for (let k = 0; k < rows; k++) {
    const row = k + 1;
    const type = messages.type[k]!;
    let status: number = BookStatus.OK;
    if (changesBook(type)) {
      // Executions carry the resting order's side, so every book-changing type maps direction the same way.
      const side = messages.direction[k] === 1 ? Side.BUY : Side.SELL;
      const add = type === MessageType.SUBMIT;
      const price = messages.price[k]!;
      const size = messages.size[k]!;
      status = update(add, side, price, size);
      if (status === BookStatus.OUT_OF_BAND) {
        const base = bandBase(midOf(core.bookBestBid(book), core.bookBestAsk(book), price), bandLevels);
        // A stray far price leaves the mid, and so the band, where it was: nothing to retry.
        if (base !== core.bookBasePrice(book)) {
          levelsDroppedByRecenter += core.bookRecenter(book, base);
          recenters++;
          status = update(add, side, price, size);
        }
      }
      tally(status, row);
    }

    core.bookSnapshot(book, regions.scratch.offset, depth);
    const o = k * width;
    const top = snapshot[0] === expected[o] && snapshot[1] === expected[o + 1]
      && snapshot[2] === expected[o + 2] && snapshot[3] === expected[o + 3];
    let all = top;
    for (let i = 4; all && i < width; i++) all = snapshot[i] === expected[o + i];
    if (top) topOfBookMatch++;
    if (all) allLevelsMatch++;
    else if (firstMismatchRow === null) firstMismatchRow = row;

    if (options.onRow) {
      step.row = row;
      step.status = status;
      step.topOfBookMatch = top;
      step.allLevelsMatch = all;
      options.onRow(step);
    }
  }

  return {
    rows, depth, topOfBookMatch, allLevelsMatch, firstMismatchRow, clampedReductions, recenters,
    levelsDroppedByRecenter, outOfBandUpdates, initialBasePrice, finalBasePrice: core.bookBasePrice(book),
  };
}

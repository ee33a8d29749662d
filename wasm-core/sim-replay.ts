// The recorded market of a replay scenario (docs/sim.md, "Replay scenarios"): the L2 event records of a
// recording (host/sim/l2-events.ts, 24 bytes each, in core memory, walked once with nothing allocated per
// event), the recorded book they build, and the queue-position tables (queue-position.ts) that decide when
// our resting orders fill. A table tracks one order of ours per (side, price); a second one at a price goes
// into the next of LAYERS tables, placed behind the first (the recorded level plus our lots resting there in
// the other layers), so a trade at that price reaches it only after the first: the FIFO between our own orders. Our orders are not in the recording: the recorded book never shows them, the
// market never reacts to them, and what we take from a level is not taken off it (hftbacktest does the same).
// sim-run.ts is the glue: it walks the records on its clock, hands each to the strategy after the market-data
// latency and turns the fills found here into reports.
//
// Layout at `r` (64-byte aligned), simReplayBytes(bookLevels, slots):
//   +0 magic u32 · +4 records u32 (address, 8-aligned) · +8 count u32 · +12 cursor u32 (the next record)
//   +16 book u32 · +20 queue tables u32 (LAYERS of them, `slots` slots each, queueBytes(slots) apart)
//   +24 slot table u32 (per slot, LAYERS × slots of them, 16 bytes: our clOrdId u64, 0 free · side u32 · price i32)
//   +28 slots per layer u32
//   +32 recording span i64 (the last record's time, ns) · +40 lots of ours the last step filled i64
//   +64 the recorded book (book.ts, bookLevels price slots), then (64-aligned) the LAYERS queue tables
//   (queue-position.ts, `slots` slots each, each 64-aligned), then the slot table.
// A slot number g names table g / slots, its slot g % slots.
import { bookBestAsk, bookBestBid, bookBytes, bookInit, bookLevelQty, bookBasePrice, bookLevels, bookSet } from "./book";
import {
  queueApply, queueBytes, queueCancel, queueInit, queueLastFill, queuePlace, queueRecordTime, queueRemaining, queueResting,
  QueueStatus,
} from "./queue-position";
import { NO_PRICE, Side } from "./vocabulary";

export namespace SimReplayStatus {
  export const BAD_ARGUMENT: i32 = -1;
  export const MISALIGNED: i32 = -2;
  /** The recorded book's window (book.ts refused the levels or base price). */
  export const BAD_BOOK: i32 = -3;
  /** The queue model (queue-position.ts refused the model, the exponent or the slots). */
  export const BAD_QUEUE: i32 = -4;
  /** Every queue slot holds an order of ours. */
  export const SLOTS_FULL: i32 = -5;
}

const MAGIC: u32 = 0x4c325250; // "PR2L"
const RECORDS: usize = 4;
const COUNT: usize = 8;
const CURSOR: usize = 12;
const BOOK: usize = 16;
const QUEUE: usize = 20;
const IDS: usize = 24;
const SLOTS: usize = 28;
const SPAN: usize = 32;
const LAST_FILLED: usize = 40;
const HEADER: usize = 64;
const RECORD_BYTES: usize = 24;
/** Queue tables: how many of our orders can rest at one (side, price). */
const LAYERS: u32 = 4;

@inline function al64(n: usize): usize {
  return (n + 63) & ~<usize>63;
}

/** Bytes of a recorded market with a book of `bookLevels` price slots and `slots` queue slots (0 when out of range). */
export function simReplayBytes(bookLevels: u32, slots: u32): usize {
  const book = bookBytes(bookLevels);
  if (book == 0 || slots == 0 || slots > 65536) return 0;
  return HEADER + al64(book) + <usize>LAYERS * al64(queueBytes(slots)) + al64(<usize>(slots * LAYERS) << 4);
}

/**
 * Sets up the recorded market at `r`: `count` records at `records` (time-ordered, 8-byte aligned), the
 * recorded book over [bookBase, bookBase + bookLevels), and a queue table of `slots` slots with `model`
 * and `exponent` (queue-position.ts QueueModel). 0 or a status.
 */
export function simReplayInit(r: usize, records: usize, count: u32, bookLevels: u32, bookBase: i32, slots: u32,
  model: u32, exponent: f64): i32 {
  if ((r & 63) != 0 || (records & 7) != 0) return SimReplayStatus.MISALIGNED;
  const bytes = simReplayBytes(bookLevels, slots);
  if (bytes == 0 || (count > 0 && records == 0)) return SimReplayStatus.BAD_ARGUMENT;
  memory.fill(r, 0, HEADER);
  const book = r + HEADER;
  if (bookInit(book, bookLevels, bookBase) != 0) return SimReplayStatus.BAD_BOOK;
  const queue = book + al64(bookBytes(bookLevels));
  for (let l: u32 = 0; l < LAYERS; l++) {
    if (queueInit(queue + <usize>l * al64(queueBytes(slots)), slots, model, exponent) != QueueStatus.OK) return SimReplayStatus.BAD_QUEUE;
  }
  const ids = queue + <usize>LAYERS * al64(queueBytes(slots));
  memory.fill(ids, 0, <usize>(slots * LAYERS) << 4);
  store<u32>(r + RECORDS, <u32>records);
  store<u32>(r + COUNT, count);
  store<u32>(r + BOOK, <u32>book);
  store<u32>(r + QUEUE, <u32>queue);
  store<u32>(r + IDS, <u32>ids);
  store<u32>(r + SLOTS, slots);
  store<i64>(r + SPAN, count > 0 ? queueRecordTime(records + <usize>(count - 1) * RECORD_BYTES) : 0);
  store<u32>(r, MAGIC);
  return 0;
}

@inline function u32At(a: usize): usize {
  return <usize>load<u32>(a);
}

@inline function table(r: usize, layer: u32): usize {
  return u32At(r + QUEUE) + <usize>layer * al64(queueBytes(load<u32>(r + SLOTS)));
}

/** The next record's time (ns since the recording's start), or i64.MAX_VALUE when every record was applied. */
export function simReplayNextTime(r: usize): i64 {
  const k = load<u32>(r + CURSOR);
  if (k >= load<u32>(r + COUNT)) return i64.MAX_VALUE;
  return queueRecordTime(u32At(r + RECORDS) + <usize>k * RECORD_BYTES);
}

/**
 * Applies the next record: a LEVEL sets the recorded book and moves the queue ahead of our order there; a
 * TRADE goes through the queue model. Returns the record's address (its fields are the market data event), 0
 * when none is left. The lots it filled of each of our orders: simReplaySlotFill after the call.
 */
export function simReplayStep(r: usize): usize {
  const k = load<u32>(r + CURSOR);
  if (k >= load<u32>(r + COUNT)) return 0;
  store<u32>(r + CURSOR, k + 1);
  const rec = u32At(r + RECORDS) + <usize>k * RECORD_BYTES;
  if (load<i32>(rec + 8) == 0) {
    // A level outside the recorded book's window is not kept (far from the touch: nothing of ours reaches it).
    bookSet(u32At(r + BOOK), <u32>load<i32>(rec + 12), load<i32>(rec + 16), load<i32>(rec + 20));
  }
  let filled: i64 = 0;
  for (let l: u32 = 0; l < LAYERS; l++) filled += queueApply(table(r, l), rec);
  store<i64>(r + LAST_FILLED, filled);
  return rec;
}

/** Lots of ours the last simReplayStep filled, over every slot (each slot's: queueLastFill). */
export function simReplayLastFilled(r: usize): i64 { return load<i64>(r + LAST_FILLED); }
/** The recorded book (book.ts). */
export function simReplayBook(r: usize): usize { return u32At(r + BOOK); }
/** Queue table `layer` (queue-position.ts; queueAhead etc. by slot g % slots). */
export function simReplayQueue(r: usize, layer: u32): usize { return table(r, layer); }
/** Lots the last record filled of our order in slot `g` (queue-position.ts queueLastFill). */
export function simReplaySlotLastFill(r: usize, g: u32): i64 {
  const n = load<u32>(r + SLOTS);
  return queueLastFill(table(r, g / n), g % n);
}
/** 1 while our order in slot `g` rests. */
export function simReplaySlotResting(r: usize, g: u32): i32 {
  const n = load<u32>(r + SLOTS);
  return queueResting(table(r, g / n), g % n);
}
/** Lots of our order in slot `g` not yet filled. */
export function simReplaySlotRemaining(r: usize, g: u32): i64 {
  const n = load<u32>(r + SLOTS);
  return queueRemaining(table(r, g / n), g % n);
}
/** Records applied so far. */
export function simReplayCursor(r: usize): u32 { return load<u32>(r + CURSOR); }
export function simReplayCount(r: usize): u32 { return load<u32>(r + COUNT); }
/** The last record's time, ns since the recording's start. */
export function simReplaySpan(r: usize): i64 { return load<i64>(r + SPAN); }
/** Slots in all (LAYERS × slots per layer). */
export function simReplaySlots(r: usize): u32 { return load<u32>(r + SLOTS) * LAYERS; }

/** The clOrdId of ours in queue slot `slot` (0: free). */
export function simReplaySlotId(r: usize, slot: u32): u64 {
  return load<u64>(u32At(r + IDS) + (<usize>slot << 4));
}
/** The side of our order in `slot`. */
export function simReplaySlotSide(r: usize, slot: u32): u32 {
  return load<u32>(u32At(r + IDS) + (<usize>slot << 4) + 8);
}
/** The price (ticks) of our order in `slot`. */
export function simReplaySlotPrice(r: usize, slot: u32): i32 {
  return load<i32>(u32At(r + IDS) + (<usize>slot << 4) + 12);
}

/**
 * Rests our order `clOrdId` of `qty` lots at (side, price) in a free slot of the first layer with none of ours
 * at that price, behind the recorded level's total and our lots already resting there. The slot g, or
 * SLOTS_FULL (every layer has one of ours there, or no free slot).
 */
export function simReplayPlace(r: usize, clOrdId: u64, side: u32, price: i32, qty: i32): i32 {
  const ids = u32At(r + IDS);
  const n = load<u32>(r + SLOTS);
  // Ours at this price already: ahead of the new one (none of them is in the recording).
  let ours: i64 = 0;
  let used: u32 = 0;
  for (let g: u32 = 0; g < n * LAYERS; g++) {
    const e = ids + (<usize>g << 4);
    if (load<u64>(e) == 0 || load<u32>(e + 8) != side || load<i32>(e + 12) != price) continue;
    ours += simReplaySlotRemaining(r, g);
    used |= <u32>1 << (g / n);
  }
  const ahead = <i64>bookLevelQty(u32At(r + BOOK), side, price) + ours;
  for (let l: u32 = 0; l < LAYERS; l++) {
    if ((used & (<u32>1 << l)) != 0) continue;
    for (let k: u32 = 0; k < n; k++) {
      const g = l * n + k;
      const e = ids + (<usize>g << 4);
      if (load<u64>(e) != 0) continue;
      if (queuePlace(table(r, l), k, side, price, <i64>qty, ahead) != QueueStatus.OK) return SimReplayStatus.BAD_ARGUMENT;
      store<u64>(e, clOrdId);
      store<u32>(e + 8, side);
      store<i32>(e + 12, price);
      return <i32>g;
    }
  }
  return SimReplayStatus.SLOTS_FULL;
}

/** Takes the order in `slot` out of the queue (cancelled or filled) and frees the slot. */
export function simReplayRelease(r: usize, slot: u32): void {
  const n = load<u32>(r + SLOTS);
  queueCancel(table(r, slot / n), slot % n);
  store<u64>(u32At(r + IDS) + (<usize>slot << 4), 0);
}

/** 1 when a buy (side BUY) at `price` would take the recorded ask, or a sell the recorded bid. */
export function simReplayCrosses(r: usize, side: u32, price: i32): i32 {
  const book = u32At(r + BOOK);
  if (side == Side.BUY) {
    const a = bookBestAsk(book);
    return <i32>(a != NO_PRICE && price >= a);
  }
  const b = bookBestBid(book);
  return <i32>(b != NO_PRICE && price <= b);
}

/**
 * The best recorded level a taker on `side` with limit `limit` can reach at or beyond `from` (asks upward
 * from `from` for a buy, bids downward for a sell): its price, or NO_PRICE. Walks price by price inside the
 * book's window (a taker's limit is near the touch; the window bounds the walk).
 */
export function simReplayNextLevel(r: usize, side: u32, limit: i32, from: i32): i32 {
  const book = u32At(r + BOOK);
  const lo = bookBasePrice(book);
  const hi = lo + <i32>bookLevels(book) - 1;
  if (side == Side.BUY) {
    const best = bookBestAsk(book);
    if (best == NO_PRICE) return NO_PRICE;
    let p = from < best ? best : from;
    const end = limit < hi ? limit : hi;
    for (; p <= end; p++) if (bookLevelQty(book, Side.SELL, p) > 0) return p;
  } else {
    const best = bookBestBid(book);
    if (best == NO_PRICE) return NO_PRICE;
    let p = from > best ? best : from;
    const end = limit > lo ? limit : lo;
    for (; p >= end; p--) if (bookLevelQty(book, Side.BUY, p) > 0) return p;
  }
  return NO_PRICE;
}

/** The recorded level's total at (side, price), lots. */
export function simReplayLevelQty(r: usize, side: u32, price: i32): i32 {
  return bookLevelQty(u32At(r + BOOK), side, price);
}

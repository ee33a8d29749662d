// L2 book (market-by-price) for one symbol over a band of integer ticks.
//
// Every price inside [basePrice, basePrice + levels) owns a fixed slot, so setting, adding to or
// reducing a level is one store plus a bit flip: O(1) with no search and no allocation. A two-level
// bitmap (price-bitmap.ts) finds the next best level after the best one empties without walking empty
// prices. Prices outside the band are refused with
// BookStatus.OUT_OF_BAND and counted; the host recentres the band (bookRecenter) when the market drifts.
//
// Layout at `base` (64-byte aligned):
//   +0   basePrice i32 · +4 levels u32 · +8 bestBid index i32 (−1 none) · +12 bestAsk index i32 (−1 none)
//   +16  outOfBand count u32 · +20 bid level count u32 · +24 ask level count u32
//   +28  writes u32 (level writes, wrapping; +2 for an init, clear or recenter, which also set the last
//        write's side to 2, none) · +32 last write's side u32 · +36 last write's price i32
//        (so a reader that saw `writes` before knows, when it is now one more, the one level that changed:
//        the Oracle skips its snapshot when that level lies below its depth, wasm-core/oracle.ts)
//   +64  bid quantities i32[levels] · ask quantities i32[levels]
//        bid bitmap u64[levels/64] · ask bitmap u64[levels/64]
//        bid summary u64[words/64] · ask summary u64[words/64]   (words = levels/64, at least one)

import { bitmapClear, bitmapSet, highestAtOrBelow, lowestAtOrAbove, summaryWords } from "./price-bitmap";
import { storeSnapshotGap, storeSnapshotLevel } from "./snapshot-row";
import { NO_PRICE, Side } from "./vocabulary";

/** Status codes of the book* calls (CLAMPED is a success). */
export namespace BookStatus {
  export const OK: i32 = 0;
  export const OUT_OF_BAND: i32 = -1;
  export const BAD_QTY: i32 = -2;
  export const BAD_SIDE: i32 = -3;
  export const BAD_LEVELS: i32 = -4;
  export const MISALIGNED: i32 = -5;
  export const OVERFLOW: i32 = -6;
  /** bookReduce asked for more than the level held; the level is now empty. */
  export const CLAMPED: i32 = 1;
}

const BASE_PRICE: usize = 0;
const LEVELS: usize = 4;
const BEST_BID: usize = 8;
const BEST_ASK: usize = 12;
const OUT_OF_BAND: usize = 16;
const BID_COUNT: usize = 20;
const WRITES: usize = 28;
const LAST_SIDE: usize = 32;
const LAST_PRICE: usize = 36;
/** The last write's side after an init, clear or recenter: no single level. */
const NO_SIDE: u32 = 2;
const HEADER_BYTES: usize = 64;

export const MIN_LEVELS: u32 = 64;
export const MAX_LEVELS: u32 = 1 << 20;

@inline function qtyArray(base: usize, side: u32): usize {
  return base + HEADER_BYTES + (<usize>side * <usize>load<u32>(base + LEVELS) << 2);
}

@inline function bitmap(base: usize, side: u32): usize {
  const levels = <usize>load<u32>(base + LEVELS);
  return base + HEADER_BYTES + (levels << 3) + <usize>side * (levels >> 3);
}

@inline function summary(base: usize, side: u32): usize {
  const levels = load<u32>(base + LEVELS);
  return base + HEADER_BYTES + (<usize>levels << 3) + (<usize>levels >> 2) + (<usize>side * <usize>summaryWords(levels) << 3);
}

/** Bytes a book of `levels` price slots occupies, rounded up to a cache line. */
export function bookBytes(levels: u32): usize {
  const raw = HEADER_BYTES + (<usize>levels << 3) + (<usize>levels >> 2) + (<usize>summaryWords(levels) << 4);
  return (raw + 63) & ~<usize>63;
}

/** Writes since init (wrapping): one per level write, two per init, clear or recenter. */
@inline export function bookWrites(base: usize): u32 {
  return load<u32>(base + WRITES);
}

/** The side of the last level write (2: the last change was an init, clear or recenter, not one level). */
@inline export function bookLastWriteSide(base: usize): u32 {
  return load<u32>(base + LAST_SIDE);
}

/** The price of the last level write, ticks (meaningful when bookLastWriteSide is a side). */
@inline export function bookLastWritePrice(base: usize): i32 {
  return load<i32>(base + LAST_PRICE);
}

/** Records a change that is not one level's: `writes` moves by two and names no level. `writes` is the count before. */
@inline function markRebuilt(base: usize, writes: u32): void {
  store<u32>(base + WRITES, writes + 2);
  store<u32>(base + LAST_SIDE, NO_SIDE);
}

/** Empties the book and sets its band to [basePrice, basePrice + levels). Levels: power of two in [64, 2^20]. */
export function bookInit(base: usize, levels: u32, basePrice: i32): i32 {
  if (levels < MIN_LEVELS || levels > MAX_LEVELS || (levels & (levels - 1)) != 0) return BookStatus.BAD_LEVELS;
  if ((base & 63) != 0) return BookStatus.MISALIGNED;
  if (<i64>basePrice + <i64>levels > <i64>i32.MAX_VALUE) return BookStatus.OUT_OF_BAND;
  // The write count carries on from whatever the memory held (a re-init of a book a reader saw before
  // must not look like one level write to it).
  const writes = load<u32>(base + WRITES);
  memory.fill(base, 0, bookBytes(levels));
  markRebuilt(base, writes);
  store<i32>(base + BASE_PRICE, basePrice);
  store<u32>(base + LEVELS, levels);
  store<i32>(base + BEST_BID, -1);
  store<i32>(base + BEST_ASK, -1);
  return BookStatus.OK;
}

/** Empties every level, keeping the band. */
export function bookClear(base: usize): void {
  const levels = load<u32>(base + LEVELS);
  const writes = load<u32>(base + WRITES);
  memory.fill(base + 16, 0, bookBytes(levels) - 16);
  markRebuilt(base, writes);
  store<i32>(base + BEST_BID, -1);
  store<i32>(base + BEST_ASK, -1);
}

export function bookBasePrice(base: usize): i32 {
  return load<i32>(base + BASE_PRICE);
}

export function bookLevels(base: usize): u32 {
  return load<u32>(base + LEVELS);
}

/** Updates refused because their price lay outside the band, since init. */
export function bookOutOfBand(base: usize): u32 {
  return load<u32>(base + OUT_OF_BAND);
}

/** Non-empty levels on a side. */
export function bookLevelCount(base: usize, side: u32): u32 {
  return load<u32>(base + BID_COUNT + (<usize>(side & 1) << 2));
}

@inline function setBit(base: usize, side: u32, idx: i32): void {
  bitmapSet(bitmap(base, side), summary(base, side), idx);
}

@inline function clearBit(base: usize, side: u32, idx: i32): void {
  bitmapClear(bitmap(base, side), summary(base, side), idx);
}

// ── level updates ────────────────────────────────────────────────────────────────────────────────

/** Stores `qty` at the level and keeps best prices, counts and bitmaps in step. */
function writeLevel(base: usize, side: u32, idx: i32, qty: i32): void {
  const p = qtyArray(base, side) + (<usize>idx << 2);
  const before = load<i32>(p);
  store<i32>(p, qty);
  store<u32>(base + WRITES, load<u32>(base + WRITES) + 1);
  store<u32>(base + LAST_SIDE, side);
  store<i32>(base + LAST_PRICE, load<i32>(base + BASE_PRICE) + idx);
  const countAt = base + BID_COUNT + (<usize>side << 2);
  const bestAt = base + BEST_BID + (<usize>side << 2);
  const best = load<i32>(bestAt);
  if (before == 0 && qty != 0) {
    setBit(base, side, idx);
    store<u32>(countAt, load<u32>(countAt) + 1);
    if (best < 0 || (side == Side.BUY ? idx > best : idx < best)) store<i32>(bestAt, idx);
  } else if (before != 0 && qty == 0) {
    clearBit(base, side, idx);
    store<u32>(countAt, load<u32>(countAt) - 1);
    if (idx == best) {
      const levels = <i32>load<u32>(base + LEVELS);
      store<i32>(bestAt, side == Side.BUY
        ? highestAtOrBelow(bitmap(base, side), summary(base, side), idx - 1)
        : lowestAtOrAbove(bitmap(base, side), summary(base, side), idx + 1, levels));
    }
  }
}

/** Band index of `price`, or −1 (and the out-of-band counter bumped) when outside. */
@inline function indexOf(base: usize, price: i32): i32 {
  const idx = <i64>price - <i64>load<i32>(base + BASE_PRICE);
  if (idx < 0 || idx >= <i64>load<u32>(base + LEVELS)) {
    store<u32>(base + OUT_OF_BAND, load<u32>(base + OUT_OF_BAND) + 1);
    return -1;
  }
  return <i32>idx;
}

/** Sets the level's total quantity (0 removes it). */
export function bookSet(base: usize, side: u32, price: i32, qty: i32): i32 {
  if (side > Side.SELL) return BookStatus.BAD_SIDE;
  if (qty < 0) return BookStatus.BAD_QTY;
  const idx = indexOf(base, price);
  if (idx < 0) return BookStatus.OUT_OF_BAND;
  writeLevel(base, side, idx, qty);
  return BookStatus.OK;
}

/** Adds `qty` (> 0) to the level. */
export function bookAdd(base: usize, side: u32, price: i32, qty: i32): i32 {
  if (side > Side.SELL) return BookStatus.BAD_SIDE;
  if (qty <= 0) return BookStatus.BAD_QTY;
  const idx = indexOf(base, price);
  if (idx < 0) return BookStatus.OUT_OF_BAND;
  const sum = <i64>load<i32>(qtyArray(base, side) + (<usize>idx << 2)) + <i64>qty;
  if (sum > <i64>i32.MAX_VALUE) return BookStatus.OVERFLOW;
  writeLevel(base, side, idx, <i32>sum);
  return BookStatus.OK;
}

/** Takes `qty` (> 0) off the level; more than it holds empties it and returns BookStatus.CLAMPED. */
export function bookReduce(base: usize, side: u32, price: i32, qty: i32): i32 {
  if (side > Side.SELL) return BookStatus.BAD_SIDE;
  if (qty <= 0) return BookStatus.BAD_QTY;
  const idx = indexOf(base, price);
  if (idx < 0) return BookStatus.OUT_OF_BAND;
  const held = load<i32>(qtyArray(base, side) + (<usize>idx << 2));
  if (qty > held) {
    writeLevel(base, side, idx, 0);
    return BookStatus.CLAMPED;
  }
  writeLevel(base, side, idx, held - qty);
  return BookStatus.OK;
}

/** Quantity resting at a price (0 when empty or outside the band; does not count as out-of-band). */
export function bookLevelQty(base: usize, side: u32, price: i32): i32 {
  const idx = <i64>price - <i64>load<i32>(base + BASE_PRICE);
  if (side > Side.SELL || idx < 0 || idx >= <i64>load<u32>(base + LEVELS)) return 0;
  return load<i32>(qtyArray(base, side) + (<usize>idx << 2));
}

/** Best bid price in ticks, or NO_PRICE. */
export function bookBestBid(base: usize): i32 {
  const idx = load<i32>(base + BEST_BID);
  return idx < 0 ? NO_PRICE : load<i32>(base + BASE_PRICE) + idx;
}

/** Best ask price in ticks, or NO_PRICE. */
export function bookBestAsk(base: usize): i32 {
  const idx = load<i32>(base + BEST_ASK);
  return idx < 0 ? NO_PRICE : load<i32>(base + BASE_PRICE) + idx;
}

export function bookBestBidQty(base: usize): i32 {
  const idx = load<i32>(base + BEST_BID);
  return idx < 0 ? 0 : load<i32>(qtyArray(base, Side.BUY) + (<usize>idx << 2));
}

export function bookBestAskQty(base: usize): i32 {
  const idx = load<i32>(base + BEST_ASK);
  return idx < 0 ? 0 : load<i32>(qtyArray(base, Side.SELL) + (<usize>idx << 2));
}

/** 1 when both sides are present and best bid ≥ best ask, else 0 (i32, not bool: see otrOpeningBan). */
export function bookCrossed(base: usize): i32 {
  return bookIsCrossed(base);
}

/** bookCrossed for callers inside the core, inlined (the zero-trust gate asks it of every book every 1 ms). */
@inline export function bookIsCrossed(base: usize): i32 {
  const b = load<i32>(base + BEST_BID);
  const a = load<i32>(base + BEST_ASK);
  return <i32>(b >= 0 && a >= 0 && b >= a);
}

/**
 * Writes the top `depth` levels into `dst` as rows of four i32: bid price, bid qty, ask price,
 * ask qty (best first; a missing level is NO_PRICE, 0). Returns bid levels | ask levels << 16.
 */
export function bookSnapshot(base: usize, dst: usize, depth: u32): u32 {
  const basePrice = load<i32>(base + BASE_PRICE);
  const levels = <i32>load<u32>(base + LEVELS);
  const bidQty = qtyArray(base, Side.BUY);
  const askQty = qtyArray(base, Side.SELL);
  const bidBits = bitmap(base, Side.BUY);
  const askBits = bitmap(base, Side.SELL);
  const bidSum = summary(base, Side.BUY);
  const askSum = summary(base, Side.SELL);
  let b = load<i32>(base + BEST_BID);
  let a = load<i32>(base + BEST_ASK);
  // The levels next to the touch mostly share its bitmap word: walk the word's remaining bits (`bw`: the
  // bids at or below b, `aw`: the asks at or above a) and ask the bitmap search only when a word runs out.
  let bw: u64 = b >= 0 ? load<u64>(bidBits + (<usize>(b >> 6) << 3)) & (<u64>-1 >> <u64>(63 - (b & 63))) : 0;
  let aw: u64 = a >= 0 ? load<u64>(askBits + (<usize>(a >> 6) << 3)) & (<u64>-1 << <u64>(a & 63)) : 0;
  let nb: u32 = 0;
  let na: u32 = 0;
  for (let i: u32 = 0; i < depth; i++) {
    const row = dst + (<usize>i << 4);
    if (b >= 0) {
      storeSnapshotLevel(row, Side.BUY, basePrice + b, load<i32>(bidQty + (<usize>b << 2)));
      nb++;
      bw ^= <u64>1 << <u64>(b & 63);
      if (bw != 0) {
        b = (b & ~63) + 63 - <i32>clz<u64>(bw);
      } else {
        b = highestAtOrBelow(bidBits, bidSum, (b & ~63) - 1);
        if (b >= 0) bw = load<u64>(bidBits + (<usize>(b >> 6) << 3)) & (<u64>-1 >> <u64>(63 - (b & 63)));
      }
    } else {
      storeSnapshotGap(row, Side.BUY);
    }
    if (a >= 0) {
      storeSnapshotLevel(row, Side.SELL, basePrice + a, load<i32>(askQty + (<usize>a << 2)));
      na++;
      aw ^= <u64>1 << <u64>(a & 63);
      if (aw != 0) {
        a = (a & ~63) + <i32>ctz<u64>(aw);
      } else {
        a = lowestAtOrAbove(askBits, askSum, (a | 63) + 1, levels);
        if (a >= 0) aw = load<u64>(askBits + (<usize>(a >> 6) << 3)) & (<u64>-1 << <u64>(a & 63));
      }
    } else {
      storeSnapshotGap(row, Side.SELL);
    }
  }
  return nb | (na << 16);
}

/**
 * Moves the band to start at `newBasePrice`, keeping every level that lies in both bands.
 * O(levels): for the rare drift of the market out of the band, not for the tick path.
 * Returns how many non-empty levels fell outside the new band and were dropped.
 */
export function bookRecenter(base: usize, newBasePrice: i32): u32 {
  const levels = load<u32>(base + LEVELS);
  if (<i64>newBasePrice + <i64>levels > <i64>i32.MAX_VALUE) return u32.MAX_VALUE;
  const shift = <i64>newBasePrice - <i64>load<i32>(base + BASE_PRICE);
  const before = load<u32>(base + BID_COUNT) + load<u32>(base + BID_COUNT + 4);
  for (let side: u32 = 0; side <= Side.SELL; side++) {
    const q = qtyArray(base, side);
    const n = <i64>levels;
    if (shift >= n || shift <= -n) {
      memory.fill(q, 0, <usize>levels << 2);
    } else if (shift > 0) {
      const s = <usize>shift;
      memory.copy(q, q + (s << 2), (<usize>levels - s) << 2);
      memory.fill(q + ((<usize>levels - s) << 2), 0, s << 2);
    } else if (shift < 0) {
      const s = <usize>(-shift);
      memory.copy(q + (s << 2), q, (<usize>levels - s) << 2);
      memory.fill(q, 0, s << 2);
    }
  }
  store<i32>(base + BASE_PRICE, newBasePrice);
  markRebuilt(base, load<u32>(base + WRITES));
  // Rebuild bitmaps, counts and best prices from the moved quantities.
  const bitsStart = bitmap(base, Side.BUY);
  memory.fill(bitsStart, 0, (<usize>levels >> 2) + (<usize>summaryWords(levels) << 4));
  store<u32>(base + BID_COUNT, 0);
  store<u32>(base + BID_COUNT + 4, 0);
  store<i32>(base + BEST_BID, -1);
  store<i32>(base + BEST_ASK, -1);
  for (let side: u32 = 0; side <= Side.SELL; side++) {
    const q = qtyArray(base, side);
    let count: u32 = 0;
    let best: i32 = -1;
    for (let i: i32 = 0; i < <i32>levels; i++) {
      if (load<i32>(q + (<usize>i << 2)) != 0) {
        setBit(base, side, i);
        count++;
        if (side == Side.BUY || best < 0) best = i;
      }
    }
    store<u32>(base + BID_COUNT + (<usize>side << 2), count);
    store<i32>(base + BEST_BID + (<usize>side << 2), best);
  }
  return before - load<u32>(base + BID_COUNT) - load<u32>(base + BID_COUNT + 4);
}

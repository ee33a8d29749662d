// Oracle: depth-decayed WOBI, imbalance %, weighted mid, per-level imbalance and the combined signal, per symbol.
//
// oracleUpdate reads the top N levels of one L2 book (wasm-core/book.ts, via bookSnapshot into a
// scratch area of this state) and stores, with Vbᵢ/Vaᵢ the bid/ask quantity at the i-th level from
// the best (i = 1..N, a missing level counts 0) and Pb/Pa, Vb/Va the best prices (ticks) and sizes:
//   wobi          = Σ wᵢ(Vbᵢ − Vaᵢ) / Σ wᵢ(Vbᵢ + Vaᵢ), wᵢ = e^(−λ(i−1)) precomputed at init; 0 when the
//                   denominator is 0.
//   imbalancePct  = 100·(ΣVbᵢ − ΣVaᵢ)/(ΣVbᵢ + ΣVaᵢ), unweighted, same N levels; 0 when both are 0.
//   levelImb[i]   = (Vbᵢ − Vaᵢ)/(Vbᵢ + Vaᵢ), 0 when both are 0 (f64[N] at oracleLevelImbalanceAddress).
//   weightedMid   = (Pb·Va + Pa·Vb)/(Va + Vb) (Stoikov's I·Pa + (1 − I)·Pb, I = Vb/(Vb + Va)), ticks.
//   mid           = (Pb + Pa)/2, ticks.     spread = Pa − Pb, ticks (≤ 0 on a crossed book).
//     Empty side: with one side empty, weightedMid = mid = the present best price and spread = 0;
//     with both empty all three are 0. (No NaN ever leaves the core.)
//   ofi, ofiZ     = order-flow imbalance over the last ofiWindow events and its z-score over the last
//                   zWindow values (wasm-core/ofi.ts); each oracleUpdate call is one event.
//   signal        = tanh(wWobi·wobi + wOfi·ofiZ + wMicro·(weightedMid − mid)/max(spread, 1)) ∈ [−1, 1].
//                   The micro term is the microprice tilt in spreads, in [−½, ½] (it equals ρ/2 with
//                   ρ = L1 imbalance when the spread is positive); weights come from config, defaults
//                   and their rationale in host/oracle.ts.
//
// Layout at `state` (8-byte aligned; the memory map gives 64):
//   +0   magic u32 · +4 levels N u32
//   +8   lambda f64 · +16 wWobi f64 · +24 wOfi f64 · +32 wMicro f64
//   +40  wobi f64 · +48 imbalancePct f64 · +56 weightedMid f64 · +64 mid f64 · +72 spread f64 · +80 signal f64
//   +88  snapshot counts u32 (bookSnapshot's answer) · +92 the book's write count at the last update u32
//   +96  the book's address u32 · +100 snapshot valid u32 (0 after init or reset) · +104..128 unused
//   +128 depth weights wᵢ f64[N] · level imbalance f64[N] · snapshot scratch N × 16 bytes (bookSnapshot rows)
//   +align64(128 + 32N)  OFI block (wasm-core/ofi.ts), ofiBytes(ofiWindow, zWindow) bytes
import { bookLastWritePrice, bookLastWriteSide, bookSnapshot, bookWrites, MIN_LEVELS, MAX_LEVELS } from "./book";
import { NO_PRICE, Side } from "./vocabulary";
import { ofiBytes, ofiInit, ofiReset, ofiOnTop, ofiValue, ofiZ, ofiEvents } from "./ofi";
import { MAX_DEPTH, MAX_WINDOW, OracleStatus } from "./oracle-status";

const MAGIC: u32 = 0x3143524f; // "ORC1"
const LEVELS: usize = 4;
const LAMBDA: usize = 8;
const W_WOBI: usize = 16;
const W_OFI: usize = 24;
const W_MICRO: usize = 32;
const WOBI: usize = 40;
const IMBALANCE_PCT: usize = 48;
const WEIGHTED_MID: usize = 56;
const MID: usize = 64;
const SPREAD: usize = 72;
const SIGNAL: usize = 80;
const SNAP_COUNTS: usize = 88;
const SNAP_WRITES: usize = 92;
const SNAP_BOOK: usize = 96;
const SNAP_VALID: usize = 100;
const HEADER_BYTES: usize = 128;

@inline function depth(state: usize): u32 {
  return load<u32>(state + LEVELS);
}

@inline function weights(state: usize): usize {
  return state + HEADER_BYTES;
}

@inline function levelImbalance(state: usize, n: u32): usize {
  return state + HEADER_BYTES + (<usize>n << 3);
}

@inline function scratch(state: usize, n: u32): usize {
  return state + HEADER_BYTES + (<usize>n << 4);
}

@inline function ofiOffset(n: u32): usize {
  return (HEADER_BYTES + (<usize>n << 5) + 63) & ~<usize>63;
}

@inline function ofiBlock(state: usize): usize {
  return state + ofiOffset(depth(state));
}

/** Bytes of an Oracle state (a multiple of 64), or 0 when levels ∉ [1, 64] or a window ∉ [1, 4096]. */
export function oracleBytes(levels: u32, ofiWindow: u32, zWindow: u32): usize {
  if (levels < 1 || levels > MAX_DEPTH) return 0;
  const ofi = ofiBytes(ofiWindow, zWindow);
  return ofi == 0 ? 0 : ofiOffset(levels) + ofi;
}

/**
 * Sets up an Oracle at `state` (8-byte aligned, oracleBytes long): levels ∈ [1, 64], lambda ≥ 0
 * (+∞ allowed: top level only), windows ∈ [1, 4096], finite weights. Returns 0 or a negative status
 * (−1 levels, −2 lambda, −3 ofiWindow, −4 zWindow, −5 weight, −6 misaligned); refused → uninitialised.
 */
export function oracleInit(
  state: usize, levels: u32, lambda: f64, ofiWindow: u32, zWindow: u32, wWobi: f64, wOfi: f64, wMicro: f64,
): i32 {
  if ((state & 7) != 0) return OracleStatus.MISALIGNED;
  store<u32>(state, 0);
  if (levels < 1 || levels > MAX_DEPTH) return OracleStatus.BAD_LEVELS;
  if (!(lambda >= 0)) return OracleStatus.BAD_LAMBDA;
  if (ofiWindow < 1 || ofiWindow > MAX_WINDOW) return OracleStatus.BAD_OFI_WINDOW;
  if (zWindow < 1 || zWindow > MAX_WINDOW) return OracleStatus.BAD_Z_WINDOW;
  if (!isFinite<f64>(wWobi) || !isFinite<f64>(wOfi) || !isFinite<f64>(wMicro)) return OracleStatus.BAD_WEIGHT;
  store<u32>(state + LEVELS, levels);
  store<f64>(state + LAMBDA, lambda);
  store<f64>(state + W_WOBI, wWobi);
  store<f64>(state + W_OFI, wOfi);
  store<f64>(state + W_MICRO, wMicro);
  // w₁ = 1 exactly, so λ = +∞ (where −λ·0 would be NaN) means "top level only".
  const w = weights(state);
  store<f64>(w, 1.0);
  for (let i: u32 = 1; i < levels; i++) store<f64>(w + (<usize>i << 3), Math.exp(-lambda * <f64>i));
  const status = ofiInit(state + ofiOffset(levels), ofiWindow, zWindow);
  if (status != OracleStatus.OK) return status;
  store<u32>(state, MAGIC);
  return oracleReset(state);
}

/** Clears outputs and OFI history, keeping the config. Returns 0, or −7 when uninitialised. */
export function oracleReset(state: usize): i32 {
  if (load<u32>(state) != MAGIC) return OracleStatus.UNINITIALISED;
  memory.fill(state + WOBI, 0, HEADER_BYTES - WOBI);
  memory.fill(levelImbalance(state, depth(state)), 0, <usize>depth(state) << 3);
  return ofiReset(ofiBlock(state));
}

/**
 * 1 when the top N levels are those of the last update's snapshot: the same book, exactly one level
 * write since (its write count), and that level lies below the N-th level of a side that had N levels
 * (it can neither enter the top N nor have been one of them). Then every output but OFI's is unchanged.
 */
@inline function topUnchanged(state: usize, book: usize, rows: usize, n: u32, writes: u32): bool {
  if (load<u32>(state + SNAP_VALID) == 0 || load<u32>(state + SNAP_BOOK) != <u32>book) return false;
  if (writes != load<u32>(state + SNAP_WRITES) + 1) return false;
  const side = bookLastWriteSide(book);
  const counts = load<u32>(state + SNAP_COUNTS);
  const last = rows + (<usize>(n - 1) << 4);
  if (side == Side.BUY) return (counts & 0xffff) == n && bookLastWritePrice(book) < load<i32>(last);
  if (side == Side.SELL) return (counts >> 16) == n && bookLastWritePrice(book) > load<i32>(last, 8);
  return false;
}

/** The snapshot's outputs: wobi, imbalance %, per-level imbalance, weighted mid, mid and spread. */
@inline function summarise(state: usize, rows: usize, n: u32, counts: u32): void {
  const w = weights(state);
  const imb = levelImbalance(state, n);
  let num: f64 = 0;
  let den: f64 = 0;
  let sumBid: i64 = 0;
  let sumAsk: i64 = 0;
  for (let i: u32 = 0; i < n; i++) {
    const row = rows + (<usize>i << 4);
    const vb = <i64>load<i32>(row, 4); // a missing level's row holds qty 0
    const va = <i64>load<i32>(row, 12);
    const wi = load<f64>(w + (<usize>i << 3));
    num += wi * <f64>(vb - va);
    den += wi * <f64>(vb + va);
    sumBid += vb;
    sumAsk += va;
    store<f64>(imb + (<usize>i << 3), vb + va == 0 ? 0 : <f64>(vb - va) / <f64>(vb + va));
  }
  const wobi: f64 = den == 0 ? 0 : num / den;
  const pct: f64 = sumBid + sumAsk == 0 ? 0 : 100.0 * <f64>(sumBid - sumAsk) / <f64>(sumBid + sumAsk);

  const hasBid = (counts & 0xffff) != 0;
  const hasAsk = (counts >> 16) != 0;
  const pb = <i64>load<i32>(rows);
  const vb = <i64>load<i32>(rows, 4);
  const pa = <i64>load<i32>(rows, 8);
  const va = <i64>load<i32>(rows, 12);
  let wmid: f64 = 0;
  let mid: f64 = 0;
  let spread: f64 = 0;
  if (hasBid && hasAsk) {
    spread = <f64>(pa - pb);
    mid = <f64>(pb + pa) * 0.5;
    // Pb + I·(Pa − Pb): the same value as (Pb·Va + Pa·Vb)/(Va + Vb) without the 2^62-sized products.
    wmid = <f64>pb + spread * (<f64>vb / <f64>(vb + va));
  } else if (hasBid) {
    wmid = mid = <f64>pb;
  } else if (hasAsk) {
    wmid = mid = <f64>pa;
  }
  store<f64>(state + WOBI, wobi);
  store<f64>(state + IMBALANCE_PCT, pct);
  store<f64>(state + WEIGHTED_MID, wmid);
  store<f64>(state + MID, mid);
  store<f64>(state + SPREAD, spread);
}

/**
 * Recomputes every output from the book at `book` and records one OFI event. Call once per book
 * change. Returns 0, or −7 (uninitialised state), −8 (no initialised book at `book`).
 * When the one level written since the last call lies below the N levels read, the snapshot and its
 * outputs are kept (they are what a new snapshot would give) and only OFI and the signal move.
 */
export function oracleUpdate(state: usize, book: usize): i32 {
  if (load<u32>(state) != MAGIC) return OracleStatus.UNINITIALISED;
  if ((book & 63) != 0) return OracleStatus.BAD_BOOK;
  const bookLevels = load<u32>(book + 4); // book.ts layout: +4 levels u32
  if (bookLevels < MIN_LEVELS || bookLevels > MAX_LEVELS || (bookLevels & (bookLevels - 1)) != 0) return OracleStatus.BAD_BOOK;

  const n = depth(state);
  const rows = scratch(state, n);
  const writes = bookWrites(book);
  let counts: u32;
  if (topUnchanged(state, book, rows, n, writes)) {
    counts = load<u32>(state + SNAP_COUNTS);
  } else {
    counts = bookSnapshot(book, rows, n);
    summarise(state, rows, n, counts);
    store<u32>(state + SNAP_COUNTS, counts);
    store<u32>(state + SNAP_BOOK, <u32>book);
    store<u32>(state + SNAP_VALID, 1);
  }
  store<u32>(state + SNAP_WRITES, writes);

  const hasBid = (counts & 0xffff) != 0;
  const hasAsk = (counts >> 16) != 0;
  const ofi = ofiBlock(state);
  ofiOnTop(ofi, hasBid ? load<i32>(rows) : NO_PRICE, load<i32>(rows, 4), hasAsk ? load<i32>(rows, 8) : NO_PRICE, load<i32>(rows, 12));
  const wmid = load<f64>(state + WEIGHTED_MID);
  const mid = load<f64>(state + MID);
  const spread = load<f64>(state + SPREAD);
  const micro = (wmid - mid) / (spread > 1.0 ? spread : 1.0);
  const x = load<f64>(state + W_WOBI) * load<f64>(state + WOBI) + load<f64>(state + W_OFI) * ofiZ(ofi) + load<f64>(state + W_MICRO) * micro;
  store<f64>(state + SIGNAL, Math.tanh(x));
  return OracleStatus.OK;
}

/** Depth-decayed weighted order-book imbalance, in [−1, 1]. */
export function oracleWobi(state: usize): f64 {
  return load<f64>(state + WOBI);
}

/** Unweighted imbalance over the N levels, percent in [−100, 100]. */
export function oracleImbalancePct(state: usize): f64 {
  return load<f64>(state + IMBALANCE_PCT);
}

/** Size-weighted mid (microprice) in ticks. */
export function oracleWeightedMid(state: usize): f64 {
  return load<f64>(state + WEIGHTED_MID);
}

/** Mid in ticks. */
export function oracleMid(state: usize): f64 {
  return load<f64>(state + MID);
}

/** Best ask − best bid in ticks (0 when a side is empty). */
export function oracleSpread(state: usize): f64 {
  return load<f64>(state + SPREAD);
}

/** Order-flow imbalance over the last ofiWindow events (an integer number of lots). */
export function oracleOfi(state: usize): f64 {
  return ofiValue(ofiBlock(state));
}

/** Rolling z-score of the OFI over the last zWindow events. */
export function oracleOfiZ(state: usize): f64 {
  return ofiZ(ofiBlock(state));
}

/** Combined signal in [−1, 1]. */
export function oracleSignal(state: usize): f64 {
  return load<f64>(state + SIGNAL);
}

/** Address of the per-level imbalance vector, f64[levels], best level first. */
export function oracleLevelImbalanceAddress(state: usize): usize {
  return levelImbalance(state, depth(state));
}

/** Book events (oracleUpdate calls) since init or reset. */
export function oracleEvents(state: usize): u64 {
  return ofiEvents(ofiBlock(state));
}

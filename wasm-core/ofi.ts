// Order-flow imbalance (Cont, Kukanov, Stoikov 2014) over a window of book events, with its rolling z-score.
//
// One event per ofiOnTop call (the Oracle makes one per book change), from the best bid and ask
// before (n−1) and after (n), with the paper's non-strict inequalities:
//   eₙ = 1{Pbₙ ≥ Pbₙ₋₁}·qbₙ − 1{Pbₙ ≤ Pbₙ₋₁}·qbₙ₋₁ − 1{Paₙ ≤ Paₙ₋₁}·qaₙ + 1{Paₙ ≥ Paₙ₋₁}·qaₙ₋₁
// An empty bid side is price −∞ with size 0 and an empty ask side +∞ with size 0, so a side that
// empties counts as all its size withdrawn and one that appears as all its size added. The first
// event after init or reset has no predecessor and contributes 0 (it still occupies a window slot).
//   ofi = Σ eₙ over the last `ofiWindow` events.
//   z   = (ofi − mean)/std over the last `zWindow` ofi values, the current one included; population
//         std; z = 0 with fewer than 2 values or when std = 0.
//
// Exact, so nothing drifts over millions of events: quantities are i32, so |e| < 2^32, |ofi| < 2^44,
// S = Σofi < 2^56 (i64) and Q = Σofi² < 2^100, kept as a 128-bit unsigned integer. With n values,
// z = (n·x − S)/√(n·Q − S²): the numerator is exact in i64 and n·Q − S² (= n²·variance) exact in 128
// bits, so there is no cancellation; the only roundings are the final conversion, sqrt and divide.
//
// Layout at `base` (8-byte aligned):
//   +0   magic u32 · +4 ofiWindow u32 · +8 zWindow u32 · +12 hasPrev u32 (1 once an event was seen)
//   +16  events u64 (since init/reset) · +24 ofi i64 · +32 S i64 · +40 Q low u64 · +48 Q high u64
//   +56  z f64
//   +64  previous bid price i64 · +72 bid qty i64 · +80 ask price i64 · +88 ask qty i64 (±∞ as i64 MIN/MAX)
//   +96  next e slot u32 · +100 next ofi slot u32 · +104..128 unused
//   +128 e i64[ofiWindow] · then ofi i64[zWindow]   (circular; unused slots hold 0)
import { NO_PRICE } from "./vocabulary";
import { MAX_WINDOW, OracleStatus } from "./oracle-status";

const MAGIC: u32 = 0x3149464f; // "OFI1"
const OFI_WINDOW: usize = 4;
const Z_WINDOW: usize = 8;
const HAS_PREV: usize = 12;
const EVENTS: usize = 16;
const OFI: usize = 24;
const SUM: usize = 32;
const SQ_LO: usize = 40;
const SQ_HI: usize = 48;
const Z: usize = 56;
const PREV_BID_PX: usize = 64;
const PREV_BID_QTY: usize = 72;
const PREV_ASK_PX: usize = 80;
const PREV_ASK_QTY: usize = 88;
const E_HEAD: usize = 96;
const X_HEAD: usize = 100;
const HEADER_BYTES: usize = 128;

/** High 64 bits of the 128-bit product a·b. */
@inline function mulHigh(a: u64, b: u64): u64 {
  const a0 = a & 0xffffffff;
  const a1 = a >> 32;
  const b0 = b & 0xffffffff;
  const b1 = b >> 32;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const mid = ((a0 * b0) >> 32) + (p01 & 0xffffffff) + (p10 & 0xffffffff);
  return a1 * b1 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
}

/** High 64 bits of a², exactly mulHigh(a, a): 0 without a multiply when a < 2^32 (the usual OFI sizes). */
@inline function squareHigh(a: u64): u64 {
  return a >> 32 == 0 ? 0 : mulHigh(a, a);
}

/** High 64 bits of a·n for n < 2^32, exactly mulHigh(a, n) with two multiplies instead of four. */
@inline function mulHighSmall(a: u64, n: u64): u64 {
  return ((a >> 32) * n + (((a & 0xffffffff) * n) >> 32)) >> 32;
}

@inline function abs64(x: i64): u64 {
  return <u64>(x < 0 ? -x : x);
}

@inline function ring(base: usize, which: usize): usize {
  return which == 0 ? base + HEADER_BYTES : base + HEADER_BYTES + (<usize>load<u32>(base + OFI_WINDOW) << 3);
}

/** Bytes of an OFI block with these windows (a multiple of 64), or 0 when a window is outside [1, 4096]. */
export function ofiBytes(ofiWindow: u32, zWindow: u32): usize {
  if (ofiWindow < 1 || ofiWindow > MAX_WINDOW || zWindow < 1 || zWindow > MAX_WINDOW) return 0;
  return (HEADER_BYTES + (<usize>ofiWindow << 3) + (<usize>zWindow << 3) + 63) & ~<usize>63;
}

/** Clears the history (events, windows, previous top, z), keeping the windows. */
export function ofiReset(base: usize): i32 {
  if (load<u32>(base) != MAGIC) return OracleStatus.UNINITIALISED;
  const w = <usize>load<u32>(base + OFI_WINDOW);
  const zw = <usize>load<u32>(base + Z_WINDOW);
  memory.fill(base + HAS_PREV, 0, HEADER_BYTES - HAS_PREV);
  memory.fill(base + HEADER_BYTES, 0, (w + zw) << 3);
  return OracleStatus.OK;
}

/** Sets up an OFI block at `base` (8-byte aligned) with windows in [1, 4096]; returns 0 or a negative status. */
export function ofiInit(base: usize, ofiWindow: u32, zWindow: u32): i32 {
  if ((base & 7) != 0) return OracleStatus.MISALIGNED;
  store<u32>(base, 0); // a refused re-init leaves the block uninitialised, not half-configured
  if (ofiWindow < 1 || ofiWindow > MAX_WINDOW) return OracleStatus.BAD_OFI_WINDOW;
  if (zWindow < 1 || zWindow > MAX_WINDOW) return OracleStatus.BAD_Z_WINDOW;
  store<u32>(base + OFI_WINDOW, ofiWindow);
  store<u32>(base + Z_WINDOW, zWindow);
  store<u32>(base, MAGIC);
  return ofiReset(base);
}

/**
 * One book event from the new best bid and ask (price NO_PRICE: an empty side, its qty ignored).
 * Updates ofi and z; returns 0, or a negative status (uninitialised block, negative quantity).
 */
export function ofiOnTop(base: usize, bidPrice: i32, bidQty: i32, askPrice: i32, askQty: i32): i32 {
  if (load<u32>(base) != MAGIC) return OracleStatus.UNINITIALISED;
  if (bidQty < 0 || askQty < 0) return OracleStatus.BAD_QTY;
  const pb: i64 = bidPrice == NO_PRICE ? i64.MIN_VALUE : <i64>bidPrice;
  const qb: i64 = bidPrice == NO_PRICE ? 0 : <i64>bidQty;
  const pa: i64 = askPrice == NO_PRICE ? i64.MAX_VALUE : <i64>askPrice;
  const qa: i64 = askPrice == NO_PRICE ? 0 : <i64>askQty;

  let e: i64 = 0;
  if (load<u32>(base + HAS_PREV) != 0) {
    const pb0 = load<i64>(base + PREV_BID_PX);
    const qb0 = load<i64>(base + PREV_BID_QTY);
    const pa0 = load<i64>(base + PREV_ASK_PX);
    const qa0 = load<i64>(base + PREV_ASK_QTY);
    if (pb >= pb0) e += qb;
    if (pb <= pb0) e -= qb0;
    if (pa <= pa0) e -= qa;
    if (pa >= pa0) e += qa0;
  }
  store<u32>(base + HAS_PREV, 1);
  store<i64>(base + PREV_BID_PX, pb);
  store<i64>(base + PREV_BID_QTY, qb);
  store<i64>(base + PREV_ASK_PX, pa);
  store<i64>(base + PREV_ASK_QTY, qa);

  // Rolling sum of e: the slot being overwritten holds the value leaving the window (0 until it fills).
  const w = load<u32>(base + OFI_WINDOW);
  const eHead = load<u32>(base + E_HEAD);
  const eSlot = ring(base, 0) + (<usize>eHead << 3);
  const x = load<i64>(base + OFI) - load<i64>(eSlot) + e;
  store<i64>(eSlot, e);
  store<i64>(base + OFI, x);
  store<u32>(base + E_HEAD, eHead + 1 == w ? 0 : eHead + 1);

  // Rolling S = Σx and 128-bit Q = Σx² over the z window: take the leaving value out, put x in.
  const zw = load<u32>(base + Z_WINDOW);
  const xHead = load<u32>(base + X_HEAD);
  const xSlot = ring(base, 1) + (<usize>xHead << 3);
  const old = load<i64>(xSlot);
  store<i64>(xSlot, x);
  store<u32>(base + X_HEAD, xHead + 1 == zw ? 0 : xHead + 1);
  const s = load<i64>(base + SUM) - old + x;
  store<i64>(base + SUM, s);
  let qLo = load<u64>(base + SQ_LO);
  let qHi = load<u64>(base + SQ_HI);
  const oa = abs64(old);
  const oLo = oa * oa;
  qHi = qHi - squareHigh(oa) - (qLo < oLo ? 1 : 0);
  qLo = qLo - oLo;
  const xa = abs64(x);
  const xLo = xa * xa;
  qLo = qLo + xLo;
  qHi = qHi + squareHigh(xa) + (qLo < xLo ? 1 : 0);
  store<u64>(base + SQ_LO, qLo);
  store<u64>(base + SQ_HI, qHi);

  const events = load<u64>(base + EVENTS) + 1;
  store<u64>(base + EVENTS, events);

  // z = (n·x − S)/√(n·Q − S²), all but the last steps in exact integers.
  const n: u64 = events < <u64>zw ? events : <u64>zw;
  let z: f64 = 0;
  if (n >= 2) {
    const nqLo = qLo * n;
    const nqHi = qHi * n + mulHighSmall(qLo, n); // n ≤ zWindow ≤ 4096
    const sa = abs64(s);
    const ssLo = sa * sa;
    const ssHi = squareHigh(sa);
    const dLo = nqLo - ssLo;
    const dHi = nqHi - ssHi - (nqLo < ssLo ? 1 : 0);
    if ((dLo | dHi) != 0) {
      const d = <f64>dHi * 18446744073709551616.0 + <f64>dLo;
      z = <f64>(<i64>n * x - s) / Math.sqrt(d);
    }
  }
  store<f64>(base + Z, z);
  return OracleStatus.OK;
}

/** OFI: Σ eₙ over the last ofiWindow events (an integer, exact in f64). */
export function ofiValue(base: usize): f64 {
  return <f64>load<i64>(base + OFI);
}

/** Rolling z-score of the OFI over the last zWindow values (0 until two values or while std = 0). */
export function ofiZ(base: usize): f64 {
  return load<f64>(base + Z);
}

/** Events seen since init or reset. */
export function ofiEvents(base: usize): u64 {
  return load<u64>(base + EVENTS);
}

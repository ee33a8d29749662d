// Cost of a fill in paise: STT, exchange transaction charge, SEBI fee, stamp duty, GST, brokerage.
//
// One state block holds one version of one cost profile (config/costs.toml; host/cost-model.ts validates it
// and calls costLoad). Rates are integers in RATE units: 1 unit = 1e-12 of turnover, so 100 % = 1e12 and
// 0.00297 % = 29 700 000. Parts per billion cannot hold the NSE charges exactly (0.00297 % is 29.7 ppb,
// 0.03503 % is 350.3 ppb); 1e-12 holds any percentage written with up to 10 decimals.
//
// Layout at `state` (8-byte aligned; 80 bytes used, costBytes() = 128: whole cache lines):
//   +0  magic u32 (0x54534F43 "COST" once loaded)   · +4  flags u32 (bit 0: STT rounded to the rupee)
//   +8  STT rate on a buy i64       · +16 STT rate on a sell i64
//   +24 exchange charge rate i64    · +32 SEBI fee rate i64
//   +40 stamp duty rate on a buy i64 · +48 stamp duty rate on a sell i64 (0 in law; kept so the side is config)
//   +56 GST rate i64 (on brokerage + exchange + SEBI)
//   +64 brokerage rate i64          · +72 brokerage cap, flat paise i64
//
// Breakdown written to `out` (8-byte aligned, 64 bytes, i64 paise each):
//   +0 STT · +8 exchange · +16 SEBI · +24 stamp · +32 GST · +40 brokerage · +48 total · +56 turnover
//
// Rounding. One fill is one executed order. turnover = price × qty in paise (exact). Each charge is
// turnover × rate rounded half-up to the nearest paisa, on its own: a contract note shows every charge as
// its own line in rupees and paise, and half-up is the common commercial rule. Brokerage is
// min(flat cap, turnover × brokerage rate rounded half-up). GST is 18 % (config) of the sum of the already
// rounded brokerage, exchange and SEBI lines, rounded half-up: GST is levied on the amounts billed, not on
// unrounded fractions. With flag bit 0, STT is turnover × rate rounded half-up to the nearest rupee (100
// paise) straight from the exact product, never from the paisa-rounded value (rounding twice would turn
// ₹49.496 into ₹49.50 and then ₹50). Brokers' contract notes compute charges on a day's aggregate per
// contract; per-fill rounding differs from that by at most half a paisa per charge per fill (half a rupee
// for rupee STT), which is what a per-order NEV gate should see anyway.
//
// Overflow. turnover ≤ 1e16 paise (₹1e14, far above any order) and rates ≤ 1e12 (100 %). turnover × rate
// would need 96 bits, so it is split: t = a·1e12 + b, b = b1·1e6 + b0; then
//   t·r = (a·r + ⌊b1·r / 1e6⌋)·1e12 + ((b1·r mod 1e6)·1e6 + b0·r)
// where every product stays below 1e18 < 2^63 and a·r ≤ t. The result is exact, not approximate.
// With those caps every charge is ≤ turnover, GST ≤ 3 × turnover and a round-trip total ≤ 1.6e17.
//
// Status codes (negative; costFill and costRoundTrip return them in place of a total, which is never negative):
//   −1 bad side (not 0 buy / 1 sell) · −2 negative price or quantity · −3 turnover above 1e16 paise
//   −4 state not loaded · −5 rate outside [0, 1e12] · −6 brokerage cap outside [0, 1e16] · −7 misaligned
//   −8 unknown flag bits

import { Side } from "./vocabulary";

const MAGIC: u32 = 0x54534f43;
const FLAGS: usize = 4;
const STT_BUY: usize = 8;
const EXCHANGE: usize = 24;
const SEBI: usize = 32;
const STAMP_BUY: usize = 40;
const GST: usize = 56;
const BROKERAGE_RATE: usize = 64;
const BROKERAGE_FLAT: usize = 72;
const STATE_BYTES: usize = 128;

const OUT_STT: usize = 0;
const OUT_EXCHANGE: usize = 8;
const OUT_SEBI: usize = 16;
const OUT_STAMP: usize = 24;
const OUT_GST: usize = 32;
const OUT_BROKERAGE: usize = 40;
const OUT_TOTAL: usize = 48;
const OUT_TURNOVER: usize = 56;

const FLAG_STT_RUPEE: u32 = 1;

const SCALE: i64 = 1000000000000;
const HALF: i64 = 500000000000;
const SPLIT: i64 = 1000000;
const MAX_TURNOVER: i64 = 10000000000000000;
const MAX_FLAT: i64 = 10000000000000000;

/** Status codes of costLoad, costFill and costRoundTrip. */
export namespace CostStatus {
  export const OK: i32 = 0;
  export const BAD_SIDE: i32 = -1;
  export const BAD_INPUT: i32 = -2;
  export const OVERFLOW: i32 = -3;
  export const NOT_LOADED: i32 = -4;
  export const BAD_RATE: i32 = -5;
  export const BAD_FLAT: i32 = -6;
  export const MISALIGNED: i32 = -7;
  export const BAD_FLAGS: i32 = -8;
}

/** ⌊(t·r + bias) / 1e12⌋ for 0 ≤ t < 2^63, 0 ≤ r ≤ 1e12, 0 ≤ bias < 1e12, without 128-bit arithmetic. */
@inline function mulScaled(t: i64, r: i64, bias: i64): i64 {
  const a = t / SCALE;
  const b = t % SCALE;
  const x = (b / SPLIT) * r;
  const y = (b % SPLIT) * r;
  return a * r + x / SPLIT + ((x % SPLIT) * SPLIT + y + bias) / SCALE;
}

/** t × r rounded half-up to the paisa. */
@inline function charge(t: i64, r: i64): i64 {
  return mulScaled(t, r, HALF);
}

/** Bytes of one cost-profile state block. */
export function costBytes(): usize {
  return STATE_BYTES;
}

/** Loads one profile version (rates in 1e-12 of turnover, cap in paise); 0 or a negative status. */
export function costLoad(
  state: usize, sttBuy: i64, sttSell: i64, exchange: i64, sebi: i64, stampBuy: i64, stampSell: i64,
  gst: i64, brokerageRate: i64, brokerageFlatPaise: i64, flags: u32,
): i32 {
  if ((state & 7) != 0) return CostStatus.MISALIGNED;
  if ((flags & ~FLAG_STT_RUPEE) != 0) return CostStatus.BAD_FLAGS;
  if (<u64>sttBuy > <u64>SCALE || <u64>sttSell > <u64>SCALE || <u64>exchange > <u64>SCALE || <u64>sebi > <u64>SCALE
    || <u64>stampBuy > <u64>SCALE || <u64>stampSell > <u64>SCALE || <u64>gst > <u64>SCALE || <u64>brokerageRate > <u64>SCALE) {
    return CostStatus.BAD_RATE;
  }
  if (<u64>brokerageFlatPaise > <u64>MAX_FLAT) return CostStatus.BAD_FLAT;
  store<u32>(state, 0);
  store<u32>(state + FLAGS, flags);
  store<i64>(state + STT_BUY, sttBuy);
  store<i64>(state + STT_BUY + 8, sttSell);
  store<i64>(state + EXCHANGE, exchange);
  store<i64>(state + SEBI, sebi);
  store<i64>(state + STAMP_BUY, stampBuy);
  store<i64>(state + STAMP_BUY + 8, stampSell);
  store<i64>(state + GST, gst);
  store<i64>(state + BROKERAGE_RATE, brokerageRate);
  store<i64>(state + BROKERAGE_FLAT, brokerageFlatPaise);
  store<u32>(state, MAGIC);
  return 0;
}

/** Turnover in paise, or a negative status. */
@inline function turnoverOf(pricePaise: i64, qty: i64): i64 {
  if (pricePaise < 0 || qty < 0) return CostStatus.BAD_INPUT;
  if (qty != 0 && pricePaise > MAX_TURNOVER / qty) return CostStatus.OVERFLOW;
  return pricePaise * qty;
}

/** Writes (add = false) or adds to (add = true) the breakdown at `out`; returns this fill's total. */
function fillInto(state: usize, side: i32, turnover: i64, out: usize, add: bool): i64 {
  const sideOffset = <usize>side << 3;
  const sttRate = load<i64>(state + STT_BUY + sideOffset);
  const stt = (load<u32>(state + FLAGS) & FLAG_STT_RUPEE) != 0
    ? (mulScaled(turnover, sttRate, 0) + 50) / 100 * 100
    : charge(turnover, sttRate);
  const exchange = charge(turnover, load<i64>(state + EXCHANGE));
  const sebi = charge(turnover, load<i64>(state + SEBI));
  const stamp = charge(turnover, load<i64>(state + STAMP_BUY + sideOffset));
  const byRate = charge(turnover, load<i64>(state + BROKERAGE_RATE));
  const flat = load<i64>(state + BROKERAGE_FLAT);
  const brokerage = byRate < flat ? byRate : flat;
  const gst = charge(brokerage + exchange + sebi, load<i64>(state + GST));
  const total = stt + exchange + sebi + stamp + gst + brokerage;
  if (add) {
    store<i64>(out + OUT_STT, load<i64>(out + OUT_STT) + stt);
    store<i64>(out + OUT_EXCHANGE, load<i64>(out + OUT_EXCHANGE) + exchange);
    store<i64>(out + OUT_SEBI, load<i64>(out + OUT_SEBI) + sebi);
    store<i64>(out + OUT_STAMP, load<i64>(out + OUT_STAMP) + stamp);
    store<i64>(out + OUT_GST, load<i64>(out + OUT_GST) + gst);
    store<i64>(out + OUT_BROKERAGE, load<i64>(out + OUT_BROKERAGE) + brokerage);
    store<i64>(out + OUT_TOTAL, load<i64>(out + OUT_TOTAL) + total);
    store<i64>(out + OUT_TURNOVER, load<i64>(out + OUT_TURNOVER) + turnover);
  } else {
    store<i64>(out + OUT_STT, stt);
    store<i64>(out + OUT_EXCHANGE, exchange);
    store<i64>(out + OUT_SEBI, sebi);
    store<i64>(out + OUT_STAMP, stamp);
    store<i64>(out + OUT_GST, gst);
    store<i64>(out + OUT_BROKERAGE, brokerage);
    store<i64>(out + OUT_TOTAL, total);
    store<i64>(out + OUT_TURNOVER, turnover);
  }
  return total;
}

/** Costs of one fill (side Side.BUY or Side.SELL) written to `out`; returns the total in paise or a negative status. */
export function costFill(state: usize, side: i32, pricePaise: i64, qty: i64, out: usize): i64 {
  if (side != Side.BUY && side != Side.SELL) return CostStatus.BAD_SIDE;
  if (load<u32>(state) != MAGIC) return CostStatus.NOT_LOADED;
  const turnover = turnoverOf(pricePaise, qty);
  if (turnover < 0) return turnover;
  return fillInto(state, side, turnover, out, false);
}

/** Entry fill plus the opposite-side exit fill of the same qty, summed into `out`; total or a negative status. */
export function costRoundTrip(state: usize, entrySide: i32, entryPricePaise: i64, exitPricePaise: i64, qty: i64, out: usize): i64 {
  if (entrySide != Side.BUY && entrySide != Side.SELL) return CostStatus.BAD_SIDE;
  if (load<u32>(state) != MAGIC) return CostStatus.NOT_LOADED;
  const entry = turnoverOf(entryPricePaise, qty);
  if (entry < 0) return entry;
  const exit = turnoverOf(exitPricePaise, qty);
  if (exit < 0) return exit;
  return fillInto(state, entrySide, entry, out, false) + fillInto(state, entrySide ^ 1, exit, out, true);
}

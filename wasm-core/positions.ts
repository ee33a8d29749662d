// Positions and P&L per symbol in integer paise: net position, entry cost, realized P&L and charges,
// today's totals, a mark for unrealized P&L, and totals across symbols for the risk checks.
//
// One state block holds symbols 0..n−1 (n ≤ 128, fixed at positionsInit). Prices arrive in ticks;
// each symbol's tick size in paise is configured (positionsSetSymbol), so money = ticks × tickPaise ×
// qty. Quantities are signed units (shares, or contracts for derivatives: the wire's quantity, a
// multiple of the lot size); positive long, negative short.
//
// Average cost. The open position keeps its entry value exactly: cost = Σ price × qty of what is
// still open, in paise, with the position's sign (long > 0, short < 0, flat 0). The average entry
// price is cost ÷ position, derived when read (positionsAvgPricePaise rounds it half away from zero;
// the exact pair is cost and position), so adding to a position never loses a paisa to rounding.
//   - a fill on the side of the position (or from flat) adds: cost += ±price × qty.
//   - a fill against it closes c = min(qty, |position|) units. The closed part carries
//     released = cost × c ÷ |position| of the entry value, rounded half away from zero to the
//     paisa (a whole close releases the whole cost, exactly); realized += sign(position) × price × c
//     − released, i.e. (exit − average) × c with the sign of the position. The rounding remainder
//     stays in the cost of what is still open, so once flat, realized = Σ sells − Σ buys to the paisa.
//   - a fill crossing through zero closes the whole position as above and opens the rest
//     (qty − |position|) at the fill price.
// Charges (STT, exchange, SEBI, stamp, GST, brokerage: the cost model's costFill total) arrive with
// the fill; this module does not compute them. Realized is kept gross and charges apart: net
// realized ("after every charge") = realized − charges, counting the charges of opening fills too.
// Unrealized = mark × position − cost = (mark − average) × position, exact. The first fill of a symbol
// without a mark sets the mark to the fill price, so an open position always has one.
// Day: positionsNewDay zeroes today's totals and keeps positions, costs, marks and the since-init
// totals; it snapshots each symbol's unrealized P&L, so the day's P&L = today's net realized +
// unrealized now − unrealized at the roll (a position carried overnight counts only today's move).
//
// Bounds (the overflow guard). Fill qty 1..1e9 and |position| ≤ 1e9 units (so the remainder product
// in the cost split, < |position|², stays below 2^63); tickPaise 1..1e6; lot size 1..1e9; prices
// and marks ≥ 1 tick. Every money field of a symbol — |cost|, |position| × mark, realized, charges,
// each of today's realized, charges, buy and sell turnover, a fill's turnover and its charges — stays
// within MAX_PAISE = 1e16 (₹1e14, the cost model's turnover bound); a fill or mark that would take
// any of them beyond is refused with OVERFLOW and changes nothing. With n ≤ 128 every total below is
// a sum of at most 6 such terms per symbol (|day start unrealized| ≤ 2e16): |total| ≤ 128 × 6e16 =
// 7.7e18 < 2^63, so the totals cannot overflow either.
//
// Layout at `state` (8-byte aligned): header, then n records of 128 bytes (two cache lines) each.
//   +0  magic u32 (0x504f5331 "POS1" once initialised) · +4 n i32 · +8..63 reserved
//   record i at +64 + 128 i:
//   +0  tickPaise i32 (0: not configured) · +4 lotSize i32 · +8 mark ticks i32 (NO_PRICE: none)
//   +12 fills today u32 (below 2^31)
//   +16 position i64 (units) · +24 cost i64 (paise, signed as the position)
//   +32 realized i64 (gross, since init) · +40 charges i64 (since init)
//   +48 realized today i64 · +56 charges today i64
//   +64 buy turnover today i64 · +72 sell turnover today i64
//   +80 bought today i64 (units) · +88 sold today i64 (units)
//   +96 unrealized at the last day roll i64 · +104 last fill ns i64 · +112 fills since init i64
//   +120 reserved
//
// Statuses (PositionsStatus): 0 OK; −1 symbol index outside 0..n−1; −2 symbol not configured;
// −3 bad side; −4 price or mark < 1 tick; −5 qty outside 1..1e9 or not a multiple of the lot size;
// −6 charges < 0 or above 1e16; −7 overflow (the bounds above); −8 bad config; −9 state misaligned;
// −10 not initialised; −11 reconfiguring a symbol with an open position.

import { NO_PRICE, Side } from "./vocabulary";

const MAGIC: u32 = 0x504f5331;
const COUNT: usize = 4;
const HEADER_BYTES: usize = 64;
const RECORD_BYTES: usize = 128;

const TICK: usize = 0;
const LOT: usize = 4;
const MARK: usize = 8;
const DAY_FILLS: usize = 12;
const POSITION: usize = 16;
const COST: usize = 24;
const REALIZED: usize = 32;
const CHARGES: usize = 40;
const DAY_REALIZED: usize = 48;
const DAY_CHARGES: usize = 56;
const DAY_BUY_TURNOVER: usize = 64;
const DAY_SELL_TURNOVER: usize = 72;
const DAY_BOUGHT: usize = 80;
const DAY_SOLD: usize = 88;
const DAY_START_UNREALIZED: usize = 96;
const LAST_FILL_NS: usize = 104;
const FILLS: usize = 112;

const MAX_SYMBOLS: i32 = 128;
const MAX_QTY: i64 = 1_000_000_000;
const MAX_TICK_PAISE: i32 = 1_000_000;
const MAX_PAISE: i64 = 10_000_000_000_000_000;

/** Answers of the positions* calls: 0 or a refusal (< 0) that changed nothing. */
export namespace PositionsStatus {
  export const OK: i32 = 0;
  export const BAD_SYMBOL: i32 = -1;
  export const NOT_CONFIGURED: i32 = -2;
  export const BAD_SIDE: i32 = -3;
  export const BAD_PRICE: i32 = -4;
  export const BAD_QTY: i32 = -5;
  export const BAD_CHARGES: i32 = -6;
  export const OVERFLOW: i32 = -7;
  export const BAD_CONFIG: i32 = -8;
  export const MISALIGNED: i32 = -9;
  export const NOT_INITIALIZED: i32 = -10;
  export const POSITION_OPEN: i32 = -11;
}

/** Bytes of a state block for `symbols` symbols (0 when outside 1..128). */
export function positionsBytes(symbols: i32): usize {
  if (symbols < 1 || symbols > MAX_SYMBOLS) return 0;
  return HEADER_BYTES + <usize>symbols * RECORD_BYTES;
}

/** Empties the block for `symbols` symbols, none configured. 0, −8 (count outside 1..128) or −9. */
export function positionsInit(state: usize, symbols: i32): i32 {
  if ((state & 7) != 0) return PositionsStatus.MISALIGNED;
  if (symbols < 1 || symbols > MAX_SYMBOLS) return PositionsStatus.BAD_CONFIG;
  memory.fill(state, 0, positionsBytes(symbols));
  for (let i: i32 = 0; i < symbols; i++) store<i32>(record(state, i) + MARK, NO_PRICE);
  store<i32>(state + COUNT, symbols);
  store<u32>(state, MAGIC);
  return PositionsStatus.OK;
}

/** Symbols the block holds (0 before positionsInit). */
export function positionsSymbolCount(state: usize): i32 {
  return load<u32>(state) == MAGIC ? load<i32>(state + COUNT) : 0;
}

@inline function record(state: usize, symbol: i32): usize {
  return state + HEADER_BYTES + <usize>symbol * RECORD_BYTES;
}

/** 0 when `symbol` names a record of an initialised block, else the status. */
@inline function checkSymbol(state: usize, symbol: i32): i32 {
  if (load<u32>(state) != MAGIC) return PositionsStatus.NOT_INITIALIZED;
  if (symbol < 0 || symbol >= load<i32>(state + COUNT)) return PositionsStatus.BAD_SYMBOL;
  return PositionsStatus.OK;
}

/**
 * Configures symbol `index`: tick size in paise (1..1e6) and lot size (1..1e9; fills must be whole
 * lots). Clears its mark. 0, −1, −8, −10, or −11 while it has an open position.
 */
export function positionsSetSymbol(state: usize, index: i32, tickPaise: i32, lotSize: i32): i32 {
  const s = checkSymbol(state, index);
  if (s < 0) return s;
  if (tickPaise < 1 || tickPaise > MAX_TICK_PAISE || lotSize < 1 || <i64>lotSize > MAX_QTY) return PositionsStatus.BAD_CONFIG;
  const r = record(state, index);
  if (load<i64>(r + POSITION) != 0) return PositionsStatus.POSITION_OPEN;
  store<i32>(r + TICK, tickPaise);
  store<i32>(r + LOT, lotSize);
  store<i32>(r + MARK, NO_PRICE);
  return PositionsStatus.OK;
}

/** |a| × b ≤ MAX_PAISE for b ≥ 1, without forming the product. */
@inline function withinProduct(a: i64, b: i64): bool {
  return abs<i64>(a) <= MAX_PAISE / b;
}

@inline function within(x: i64): bool {
  return x >= -MAX_PAISE && x <= MAX_PAISE;
}

/**
 * cost × c ÷ n rounded half away from zero, for |cost| ≤ 1e16 and 0 < c ≤ n ≤ 1e9: cost = a·n + b
 * (|b| < n) so cost·c/n = a·c + b·c/n, where |a·c| ≤ |cost| and |b·c| < n² ≤ 1e18.
 */
@inline function releasedCost(cost: i64, c: i64, n: i64): i64 {
  const m = abs<i64>(cost);
  const a = m / n;
  const bc = (m % n) * c;
  let part = a * c + bc / n;
  if ((bc % n) * 2 >= n) part++;
  return cost < 0 ? -part : part;
}

/**
 * A fill of our order on `symbol`: side Side.BUY or Side.SELL, `qty` units (1..1e9, whole lots) at
 * `priceTicks` (≥ 1), `chargesPaise` (≥ 0) its charges from the cost model, at `nowNs`.
 * Updates the position, its cost, realized P&L and today's totals as the header says. Returns 0 or a
 * refusal (−1..−7, −10) that changed nothing.
 */
export function positionsOnFill(
  state: usize, symbol: i32, side: i32, priceTicks: i32, qty: i64, chargesPaise: i64, nowNs: i64,
): i32 {
  const s = checkSymbol(state, symbol);
  if (s < 0) return s;
  const r = record(state, symbol);
  const tick = load<i32>(r + TICK);
  if (tick == 0) return PositionsStatus.NOT_CONFIGURED;
  if (side != Side.BUY && side != Side.SELL) return PositionsStatus.BAD_SIDE;
  if (priceTicks < 1) return PositionsStatus.BAD_PRICE;
  if (qty < 1 || qty > MAX_QTY || qty % <i64>load<i32>(r + LOT) != 0) return PositionsStatus.BAD_QTY;
  if (chargesPaise < 0 || chargesPaise > MAX_PAISE) return PositionsStatus.BAD_CHARGES;

  const price = <i64>priceTicks * <i64>tick; // ≤ 2^31 × 1e6 paise per unit
  if (!withinProduct(qty, price)) return PositionsStatus.OVERFLOW;
  const turnover = price * qty;
  const dir: i64 = side == Side.BUY ? 1 : -1;
  const pos = load<i64>(r + POSITION);
  const cost = load<i64>(r + COST);
  const next = pos + dir * qty;
  if (abs<i64>(next) > MAX_QTY) return PositionsStatus.OVERFLOW;

  let nextCost: i64;
  let gained: i64 = 0;
  if (pos == 0 || (pos > 0) == (dir > 0)) {
    nextCost = cost + dir * turnover;
  } else {
    const open = abs<i64>(pos);
    const closed = qty < open ? qty : open;
    const released = releasedCost(cost, closed, open);
    gained = -dir * price * closed - released; // sign(position) = −dir
    nextCost = qty > open ? dir * price * (qty - open) : cost - released;
  }
  if (!within(nextCost)) return PositionsStatus.OVERFLOW;

  let mark = load<i32>(r + MARK);
  if (mark == NO_PRICE) mark = priceTicks;
  if (!withinProduct(next, <i64>mark * <i64>tick)) return PositionsStatus.OVERFLOW;

  const realized = load<i64>(r + REALIZED) + gained;
  const charges = load<i64>(r + CHARGES) + chargesPaise;
  const dayRealized = load<i64>(r + DAY_REALIZED) + gained;
  const dayCharges = load<i64>(r + DAY_CHARGES) + chargesPaise;
  const turnoverAt = r + (dir > 0 ? DAY_BUY_TURNOVER : DAY_SELL_TURNOVER);
  const dayTurnover = load<i64>(turnoverAt) + turnover;
  const dayFills = load<u32>(r + DAY_FILLS);
  // today's charges need no check of their own: charges are ≥ 0, so 0 ≤ today's ≤ since init
  if (!within(realized) || !within(charges) || !within(dayRealized) || !within(dayTurnover) || dayFills >= <u32>i32.MAX_VALUE) {
    return PositionsStatus.OVERFLOW;
  }

  store<i64>(r + POSITION, next);
  store<i64>(r + COST, nextCost);
  store<i32>(r + MARK, mark);
  store<i64>(r + REALIZED, realized);
  store<i64>(r + CHARGES, charges);
  store<i64>(r + DAY_REALIZED, dayRealized);
  store<i64>(r + DAY_CHARGES, dayCharges);
  store<i64>(turnoverAt, dayTurnover);
  const qtyAt = r + (dir > 0 ? DAY_BOUGHT : DAY_SOLD);
  store<i64>(qtyAt, load<i64>(qtyAt) + qty); // ≤ turnover ≤ 1e16: a unit costs at least a paisa
  store<u32>(r + DAY_FILLS, dayFills + 1);
  store<i64>(r + FILLS, load<i64>(r + FILLS) + 1);
  store<i64>(r + LAST_FILL_NS, nowNs);
  return PositionsStatus.OK;
}

/** Sets the mark of `symbol` (≥ 1 tick) for unrealized P&L and exposure. 0, −1, −2, −4, −7, −10. */
export function positionsMark(state: usize, symbol: i32, markTicks: i32): i32 {
  const s = checkSymbol(state, symbol);
  if (s < 0) return s;
  const r = record(state, symbol);
  const tick = load<i32>(r + TICK);
  if (tick == 0) return PositionsStatus.NOT_CONFIGURED;
  if (markTicks < 1) return PositionsStatus.BAD_PRICE;
  if (!withinProduct(load<i64>(r + POSITION), <i64>markTicks * <i64>tick)) return PositionsStatus.OVERFLOW;
  store<i32>(r + MARK, markTicks);
  return PositionsStatus.OK;
}

/** Starts a new trading day: zeroes today's totals, keeps positions, costs, marks and the since-init totals. */
export function positionsNewDay(state: usize): i32 {
  if (load<u32>(state) != MAGIC) return PositionsStatus.NOT_INITIALIZED;
  const n = load<i32>(state + COUNT);
  for (let i: i32 = 0; i < n; i++) {
    const r = record(state, i);
    store<i64>(r + DAY_START_UNREALIZED, unrealizedAt(r));
    store<u32>(r + DAY_FILLS, 0);
    memory.fill(r + DAY_REALIZED, 0, DAY_START_UNREALIZED - DAY_REALIZED);
  }
  return PositionsStatus.OK;
}

// ── per symbol (an index outside 0..n−1, or a block not initialised, reads 0) ────────────────────

@inline function unrealizedAt(r: usize): i64 {
  const pos = load<i64>(r + POSITION);
  if (pos == 0) return 0;
  return <i64>load<i32>(r + MARK) * <i64>load<i32>(r + TICK) * pos - load<i64>(r + COST);
}

@inline function exposureAt(r: usize): i64 {
  const pos = load<i64>(r + POSITION);
  if (pos == 0) return 0;
  return <i64>load<i32>(r + MARK) * <i64>load<i32>(r + TICK) * abs<i64>(pos);
}

@inline function field64(state: usize, symbol: i32, at: usize): i64 {
  return checkSymbol(state, symbol) < 0 ? 0 : load<i64>(record(state, symbol) + at);
}

@inline function field32(state: usize, symbol: i32, at: usize): i32 {
  return checkSymbol(state, symbol) < 0 ? 0 : load<i32>(record(state, symbol) + at);
}

/** Tick size of `symbol` in paise (0: not configured). */
export function positionsTickPaise(state: usize, symbol: i32): i32 {
  return field32(state, symbol, TICK);
}

/** Lot size of `symbol` in units. */
export function positionsLotSize(state: usize, symbol: i32): i32 {
  return field32(state, symbol, LOT);
}

/** Net position in units: > 0 long, < 0 short. */
export function positionsPosition(state: usize, symbol: i32): i64 {
  return field64(state, symbol, POSITION);
}

/** Entry value of the open position in paise, signed as the position (exact: Σ price × qty still open). */
export function positionsCostPaise(state: usize, symbol: i32): i64 {
  return field64(state, symbol, COST);
}

/** Average entry price in paise per unit, cost ÷ position rounded half away from zero; 0 when flat. */
export function positionsAvgPricePaise(state: usize, symbol: i32): i64 {
  const pos = positionsPosition(state, symbol);
  if (pos == 0) return 0;
  const cost = abs<i64>(positionsCostPaise(state, symbol));
  const n = abs<i64>(pos);
  return cost / n + ((cost % n) * 2 >= n ? 1 : 0);
}

/** The mark in ticks, or NO_PRICE (i32 minimum) when none has been set. */
export function positionsMarkTicks(state: usize, symbol: i32): i32 {
  return checkSymbol(state, symbol) < 0 ? NO_PRICE : load<i32>(record(state, symbol) + MARK);
}

/** Gross realized P&L since init, paise (before charges). */
export function positionsRealizedPaise(state: usize, symbol: i32): i64 {
  return field64(state, symbol, REALIZED);
}

/** Charges paid since init, paise. */
export function positionsChargesPaise(state: usize, symbol: i32): i64 {
  return field64(state, symbol, CHARGES);
}

/** Realized P&L after every charge since init: realized − charges. */
export function positionsNetRealizedPaise(state: usize, symbol: i32): i64 {
  return positionsRealizedPaise(state, symbol) - positionsChargesPaise(state, symbol);
}

/** Unrealized P&L at the mark: mark × position − cost, paise (0 when flat). */
export function positionsUnrealizedPaise(state: usize, symbol: i32): i64 {
  return checkSymbol(state, symbol) < 0 ? 0 : unrealizedAt(record(state, symbol));
}

/** |position| × mark, paise. */
export function positionsExposurePaise(state: usize, symbol: i32): i64 {
  return checkSymbol(state, symbol) < 0 ? 0 : exposureAt(record(state, symbol));
}

/** Gross realized P&L today, paise. */
export function positionsDayRealizedPaise(state: usize, symbol: i32): i64 {
  return field64(state, symbol, DAY_REALIZED);
}

/** Charges paid today, paise. */
export function positionsDayChargesPaise(state: usize, symbol: i32): i64 {
  return field64(state, symbol, DAY_CHARGES);
}

/** Buy turnover today (Σ price × qty of buys), paise. */
export function positionsDayBuyTurnoverPaise(state: usize, symbol: i32): i64 {
  return field64(state, symbol, DAY_BUY_TURNOVER);
}

/** Sell turnover today, paise. */
export function positionsDaySellTurnoverPaise(state: usize, symbol: i32): i64 {
  return field64(state, symbol, DAY_SELL_TURNOVER);
}

/** Units bought today. */
export function positionsDayBoughtQty(state: usize, symbol: i32): i64 {
  return field64(state, symbol, DAY_BOUGHT);
}

/** Units sold today. */
export function positionsDaySoldQty(state: usize, symbol: i32): i64 {
  return field64(state, symbol, DAY_SOLD);
}

/** Fills today. */
export function positionsDayFills(state: usize, symbol: i32): i32 {
  return field32(state, symbol, DAY_FILLS);
}

/** Fills since init. */
export function positionsFills(state: usize, symbol: i32): i64 {
  return field64(state, symbol, FILLS);
}

/** Unrealized P&L at the last positionsNewDay (0 before the first). */
export function positionsDayStartUnrealizedPaise(state: usize, symbol: i32): i64 {
  return field64(state, symbol, DAY_START_UNREALIZED);
}

/** Today's P&L: realized today − charges today + unrealized − unrealized at the day roll. */
export function positionsDayPnlPaise(state: usize, symbol: i32): i64 {
  if (checkSymbol(state, symbol) < 0) return 0;
  const r = record(state, symbol);
  return load<i64>(r + DAY_REALIZED) - load<i64>(r + DAY_CHARGES) + unrealizedAt(r) - load<i64>(r + DAY_START_UNREALIZED);
}

/** Monotonic time of the last fill (0: none). */
export function positionsLastFillNs(state: usize, symbol: i32): i64 {
  return field64(state, symbol, LAST_FILL_NS);
}

// ── totals across symbols (0 when the block is not initialised) ─────────────────────────────────

const T_REALIZED: i32 = 0;
const T_CHARGES: i32 = 1;
const T_NET: i32 = 2;
const T_UNREALIZED: i32 = 3;
const T_EXPOSURE: i32 = 4;
const T_DAY_REALIZED: i32 = 5;
const T_DAY_CHARGES: i32 = 6;
const T_DAY_NET: i32 = 7;
const T_DAY_PNL: i32 = 8;
const T_DAY_FILLS: i32 = 9;

function total(state: usize, what: i32): i64 {
  if (load<u32>(state) != MAGIC) return 0;
  const n = load<i32>(state + COUNT);
  let sum: i64 = 0;
  for (let i: i32 = 0; i < n; i++) {
    const r = record(state, i);
    switch (what) {
      case T_REALIZED: sum += load<i64>(r + REALIZED); break;
      case T_CHARGES: sum += load<i64>(r + CHARGES); break;
      case T_NET: sum += load<i64>(r + REALIZED) - load<i64>(r + CHARGES); break;
      case T_UNREALIZED: sum += unrealizedAt(r); break;
      case T_EXPOSURE: sum += exposureAt(r); break;
      case T_DAY_REALIZED: sum += load<i64>(r + DAY_REALIZED); break;
      case T_DAY_CHARGES: sum += load<i64>(r + DAY_CHARGES); break;
      case T_DAY_NET: sum += load<i64>(r + DAY_REALIZED) - load<i64>(r + DAY_CHARGES); break;
      case T_DAY_PNL:
        sum += load<i64>(r + DAY_REALIZED) - load<i64>(r + DAY_CHARGES) + unrealizedAt(r) - load<i64>(r + DAY_START_UNREALIZED);
        break;
      default: sum += <i64>load<u32>(r + DAY_FILLS);
    }
  }
  return sum;
}

/** Gross realized P&L since init, all symbols, paise. */
export function positionsTotalRealizedPaise(state: usize): i64 {
  return total(state, T_REALIZED);
}

/** Charges since init, all symbols, paise. */
export function positionsTotalChargesPaise(state: usize): i64 {
  return total(state, T_CHARGES);
}

/** Realized P&L after every charge since init, all symbols, paise. */
export function positionsTotalNetRealizedPaise(state: usize): i64 {
  return total(state, T_NET);
}

/** Unrealized P&L at the marks, all symbols, paise. */
export function positionsTotalUnrealizedPaise(state: usize): i64 {
  return total(state, T_UNREALIZED);
}

/** Gross exposure Σ |position| × mark, paise (for the risk checks). */
export function positionsGrossExposurePaise(state: usize): i64 {
  return total(state, T_EXPOSURE);
}

/** Gross realized P&L today, all symbols, paise. */
export function positionsTotalDayRealizedPaise(state: usize): i64 {
  return total(state, T_DAY_REALIZED);
}

/** Charges today, all symbols, paise. */
export function positionsTotalDayChargesPaise(state: usize): i64 {
  return total(state, T_DAY_CHARGES);
}

/** Realized P&L after every charge today, all symbols, paise. */
export function positionsTotalDayNetRealizedPaise(state: usize): i64 {
  return total(state, T_DAY_NET);
}

/** Today's P&L after charges, realized and unrealized, all symbols (the daily-loss check's figure). */
export function positionsTotalDayPnlPaise(state: usize): i64 {
  return total(state, T_DAY_PNL);
}

/** Fills today, all symbols. */
export function positionsTotalDayFills(state: usize): i64 {
  return total(state, T_DAY_FILLS);
}

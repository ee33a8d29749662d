// Pre-trade risk and the trading state: the checks every order passes before it leaves, and the
// ACTIVE / REDUCING / HALTED state that decides what may leave at all.
//
// riskCheck is pure in what it decides: the caller passes what it knows (the symbol's position, its
// working quantities, the open-order count, the gross exposure, the day's P&L) and gets back 0
// (RiskRefusal.NONE) or the first refusing check in this fixed order, the order of the codes:
//   1 HALTED             the state is HALTED: nothing new (a FLATTEN-flagged order is let through
//                        to the reduce-only rule, so a halt never blocks the exit it exists for)
//   2 REDUCE_ONLY        the state is REDUCING (or the order is a flatten, or the state is HALTED)
//                        and the order is not reducing
//   3 MAX_ORDER_QTY      qty > max order qty
//   4 MAX_NOTIONAL       price × qty × tickPaise > max notional (paise)
//   5 MAX_POSITION       the order grows the worst-case position and |worst case after| > the
//                        symbol's max position
//   6 MAX_OPEN_ORDERS    open orders + 1 > max open orders
//   7 MAX_GROSS_EXPOSURE the order grows the worst-case position and gross exposure + the growth ×
//                        price × tickPaise > max gross exposure (paise)
//   8 DAILY_LOSS         daily P&L (realized + unrealized, paise) ≤ −daily loss limit and the order is
//                        not reducing
// A limit of 0 is no limit. Quantities, prices and money are integers, compared exactly (a product that
// would overflow i64 is compared by division instead).
//   worst case before  P = position + working same side (buy: + working buy qty; sell: − working sell qty)
//   worst case after   P + qty (buy) or P − qty (sell): every same-side working order and this one filled
//   grows              |after| > |P|; growth = |after| − |P|
//   reducing           it shrinks |position| and cannot flip it, same-side working orders counted:
//                      buy: position < 0 and position + working buy + qty ≤ 0;
//                      sell: position > 0 and position − working sell − qty ≥ 0
// The size limits (position, exposure) refuse only an order that grows the worst case, and the loss
// limit only an order that is not reducing, so marks or a lowered limit can never trap a position.
// Order size (qty, notional) and the open-order count apply to every order, exits included.
// Cancels are never checked (they only remove risk); a modify is checked as the order it becomes,
// with the old order's quantity taken out of the working quantity it is counted against.
//
// Trading state rule. Each source (a TradingStateReason: KILL, RTT_LOCKDOWN, CIRCUIT_BREAKER,
// DAILY_LOSS, OPERATOR, WORKER_DIED) holds its own demand (ACTIVE, REDUCING or HALTED), set by
// riskSetTradingState(state, demand, source, nowNs). The trading state is the most restrictive
// demand, and HALTED latches: once HALTED, a demand below HALTED answers HALT_LATCHED and changes
// nothing (another HALTED demand is recorded), and only riskReset leaves it, clearing every demand
// (ACTIVE, reason RESET; a source whose condition still holds demands again when it next looks). So an
// RTT release lifts only the RTT demand: REDUCING → ACTIVE when nothing else demands REDUCING,
// never HALTED → anything, and never past another source's REDUCING. The stored reason is the source
// behind the current state (the earlier one kept while it still demands that level; otherwise the
// lowest-numbered source at that level; back at ACTIVE, the source whose release did it), with the
// time of the last change of state or reason. The daily loss check refuses new risk by itself; the
// caller also demands REDUCING as DAILY_LOSS when riskDailyLossBreached says so (for telemetry and
// the strategies) and lifts that demand at the next trading day.
//
// Layout at `state` (8-byte aligned):
//   +0  symbols i32 · +4 max open orders i32 (0 none)
//   +8  max order qty i64 · +16 max notional paise i64 · +24 max gross exposure paise i64
//   +32 daily loss limit paise i64 (all 0 none)
//   +40 trading state u32 · +44 reason u32 · +48 since ns i64 (last change of state or reason)
//   +56 demands u8[8], one per TradingStateReason (index = code) · +64 state changes u32
//   +68 invalid calls u32 (riskCheck answered < 0)
//   +72 counts per riskCheck answer u32[16] (index = RiskRefusal code; [0] = orders passed)
//   +136 per-symbol max position i64[symbols] (0 none)

import { RiskRefusal, Side, TradingState, TradingStateReason } from "./vocabulary";

const SYMBOLS: usize = 0;
const MAX_OPEN: usize = 4;
const MAX_QTY: usize = 8;
const MAX_NOTIONAL: usize = 16;
const MAX_GROSS: usize = 24;
const DAILY_LOSS: usize = 32;
const TRADING: usize = 40;
const REASON: usize = 44;
const SINCE: usize = 48;
const DEMANDS: usize = 56;
const CHANGES: usize = 64;
const INVALID: usize = 68;
const COUNTS: usize = 72;
const MAX_POSITION: usize = 136;
const HEADER_BYTES: usize = 136;

const COUNT_SLOTS: u32 = 16;
const REASONS: u32 = 8;
const MAX_SYMBOLS: i32 = 1 << 20;
/** Positions and working quantities beyond ±2^60 are refused: the sums below then stay inside i64. */
const MAX_ABS_QTY: i64 = 1 << 60;

/** riskCheck flags. FLATTEN: an operator's exit, let through HALTED to the reduce-only rule. */
export namespace RiskFlag {
  export const FLATTEN: i32 = 1;
}

/** Status codes of the risk calls (riskCheck answers ≥ 0 are RiskRefusal codes). */
export namespace RiskStatus {
  export const OK: i32 = 0;
  /** riskSetTradingState: the trading state changed (0: it did not; the demand is recorded). */
  export const CHANGED: i32 = 1;
  export const BAD_CONFIG: i32 = -1;
  export const MISALIGNED: i32 = -2;
  export const BAD_SYMBOL: i32 = -3;
  export const BAD_SIDE: i32 = -4;
  /** riskCheck: price ≤ 0 (a market order is checked at its collar price) or tickPaise ≤ 0. */
  export const BAD_PRICE: i32 = -5;
  export const BAD_QTY: i32 = -6;
  /** riskCheck: a negative working qty, open-order count or gross exposure, or a quantity beyond ±2^60. */
  export const BAD_ARGUMENT: i32 = -7;
  export const BAD_STATE: i32 = -8;
  export const BAD_REASON: i32 = -9;
  /** riskSetTradingState in HALTED: only riskReset leaves it; nothing changed. */
  export const HALT_LATCHED: i32 = -10;
}

/** Bytes of a risk block for `symbols` symbols. */
export function riskBytes(symbols: i32): usize {
  return HEADER_BYTES + <usize>(symbols < 0 ? 0 : symbols) * 8;
}

/** Clears the block for `symbols` symbols: no limits, ACTIVE (reason NONE) since `nowNs`, counts 0. */
export function riskInit(state: usize, symbols: i32, nowNs: i64): i32 {
  if ((state & 7) != 0) return RiskStatus.MISALIGNED;
  if (symbols < 1 || symbols > MAX_SYMBOLS) return RiskStatus.BAD_CONFIG;
  memory.fill(state, 0, riskBytes(symbols));
  store<i32>(state + SYMBOLS, symbols);
  store<u32>(state + TRADING, TradingState.ACTIVE);
  store<u32>(state + REASON, TradingStateReason.NONE);
  store<i64>(state + SINCE, nowNs);
  return RiskStatus.OK;
}

/** Sets the global limits (each ≥ 0, 0 = none): max order qty, max notional per order, max open orders, max gross exposure, daily loss limit (money in paise). */
export function riskSetLimits(
  state: usize, maxOrderQty: i64, maxNotionalPaise: i64, maxOpenOrders: i32, maxGrossExposurePaise: i64, dailyLossPaise: i64,
): i32 {
  if (maxOrderQty < 0 || maxNotionalPaise < 0 || maxOpenOrders < 0 || maxGrossExposurePaise < 0 || dailyLossPaise < 0) {
    return RiskStatus.BAD_CONFIG;
  }
  if (dailyLossPaise > MAX_ABS_QTY) return RiskStatus.BAD_CONFIG;
  store<i64>(state + MAX_QTY, maxOrderQty);
  store<i64>(state + MAX_NOTIONAL, maxNotionalPaise);
  store<i32>(state + MAX_OPEN, maxOpenOrders);
  store<i64>(state + MAX_GROSS, maxGrossExposurePaise);
  store<i64>(state + DAILY_LOSS, dailyLossPaise);
  return RiskStatus.OK;
}

/** Sets one symbol's max |position| (≥ 0, 0 = none). */
export function riskSetMaxPosition(state: usize, symbol: i32, maxPosition: i64): i32 {
  if (symbol < 0 || symbol >= load<i32>(state + SYMBOLS)) return RiskStatus.BAD_SYMBOL;
  if (maxPosition < 0) return RiskStatus.BAD_CONFIG;
  store<i64>(state + MAX_POSITION + (<usize>symbol) * 8, maxPosition);
  return RiskStatus.OK;
}

@inline function abs64(x: i64): i64 {
  return x < 0 ? -x : x;
}

/** a × b × c > limit for a, b, c > 0 and limit ≥ 0, without overflow (a, b < 2^31 or a·b < 2^62). */
@inline function productAbove(ab: i64, c: i64, limit: i64): bool {
  // ab × c > limit ⇔ ab > ⌊limit / c⌋ for positive integers.
  return ab > limit / c;
}

function answer(state: usize, code: u32): i32 {
  const at = state + COUNTS + (<usize>code) * 4;
  store<u32>(at, load<u32>(at) + 1);
  return <i32>code;
}

function invalid(state: usize, status: i32): i32 {
  store<u32>(state + INVALID, load<u32>(state + INVALID) + 1);
  return status;
}

/**
 * Checks one order before it leaves: RiskRefusal.NONE (0) or the code of the first refusing check
 * in the documented order; negative RiskStatus for bad arguments. Counts its answer. `position` and
 * the working quantities are the symbol's; openOrders, grossExposurePaise and dailyPnlPaise global.
 */
export function riskCheck(
  state: usize, symbol: i32, side: u32, priceTicks: i32, qty: i32, tickPaise: i32,
  position: i64, workingBuyQty: i64, workingSellQty: i64, openOrders: i32,
  grossExposurePaise: i64, dailyPnlPaise: i64, flags: i32,
): i32 {
  if (symbol < 0 || symbol >= load<i32>(state + SYMBOLS)) return invalid(state, RiskStatus.BAD_SYMBOL);
  if (side != Side.BUY && side != Side.SELL) return invalid(state, RiskStatus.BAD_SIDE);
  if (priceTicks <= 0 || tickPaise <= 0) return invalid(state, RiskStatus.BAD_PRICE);
  if (qty <= 0) return invalid(state, RiskStatus.BAD_QTY);
  if (position <= -MAX_ABS_QTY || position >= MAX_ABS_QTY || workingBuyQty < 0 || workingBuyQty >= MAX_ABS_QTY
    || workingSellQty < 0 || workingSellQty >= MAX_ABS_QTY || openOrders < 0 || grossExposurePaise < 0) {
    return invalid(state, RiskStatus.BAD_ARGUMENT);
  }
  const buy = side == Side.BUY;
  const q = <i64>qty;
  const before = buy ? position + workingBuyQty : position - workingSellQty;
  const after = buy ? before + q : before - q;
  const reducing = buy ? position < 0 && after <= 0 : position > 0 && after >= 0;
  const growth = abs64(after) - abs64(before);
  const trading = load<u32>(state + TRADING);
  const flatten = (flags & RiskFlag.FLATTEN) != 0;

  if (trading == TradingState.HALTED && !flatten) return answer(state, RiskRefusal.HALTED);
  if ((trading != TradingState.ACTIVE || flatten) && !reducing) return answer(state, RiskRefusal.REDUCE_ONLY);
  const maxQty = load<i64>(state + MAX_QTY);
  if (maxQty != 0 && q > maxQty) return answer(state, RiskRefusal.MAX_ORDER_QTY);
  const priceQty = <i64>priceTicks * q; // < 2^62
  const maxNotional = load<i64>(state + MAX_NOTIONAL);
  if (maxNotional != 0 && productAbove(priceQty, <i64>tickPaise, maxNotional)) return answer(state, RiskRefusal.MAX_NOTIONAL);
  const maxPosition = load<i64>(state + MAX_POSITION + (<usize>symbol) * 8);
  if (maxPosition != 0 && growth > 0 && abs64(after) > maxPosition) return answer(state, RiskRefusal.MAX_POSITION);
  const maxOpen = load<i32>(state + MAX_OPEN);
  if (maxOpen != 0 && openOrders >= maxOpen) return answer(state, RiskRefusal.MAX_OPEN_ORDERS);
  const maxGross = load<i64>(state + MAX_GROSS);
  if (maxGross != 0 && growth > 0) {
    // growth ≤ qty < 2^31, so growth × price < 2^62; the room left may already be negative.
    const room = maxGross - grossExposurePaise;
    if (room < 0 || productAbove(growth * <i64>priceTicks, <i64>tickPaise, room)) return answer(state, RiskRefusal.MAX_GROSS_EXPOSURE);
  }
  const dailyLoss = load<i64>(state + DAILY_LOSS);
  if (dailyLoss != 0 && !reducing && dailyPnlPaise <= -dailyLoss) return answer(state, RiskRefusal.DAILY_LOSS);
  return answer(state, RiskRefusal.NONE);
}

/** 1 when `dailyPnlPaise` (realized + unrealized) is at or beyond the daily loss limit, else 0 (also with no limit). */
export function riskDailyLossBreached(state: usize, dailyPnlPaise: i64): i32 {
  const limit = load<i64>(state + DAILY_LOSS);
  return limit != 0 && dailyPnlPaise <= -limit ? 1 : 0;
}

/** Settles the trading state on the most restrictive demand after `source` changed its demand. */
function settle(state: usize, source: u32, nowNs: i64): i32 {
  let level: u32 = TradingState.ACTIVE;
  for (let r: u32 = 1; r < REASONS; r++) {
    const d = <u32>load<u8>(state + DEMANDS + r);
    if (d > level) level = d;
  }
  const current = load<u32>(state + TRADING);
  const currentReason = load<u32>(state + REASON);
  let reason = currentReason;
  if (level == TradingState.ACTIVE) {
    // Back to ACTIVE: name the source whose release did it.
    if (current != TradingState.ACTIVE) reason = source;
  } else if (<u32>load<u8>(state + DEMANDS + currentReason) != level) {
    for (let r: u32 = 1; r < REASONS; r++) {
      if (<u32>load<u8>(state + DEMANDS + r) == level) {
        reason = r;
        break;
      }
    }
  }
  if (level == current && reason == currentReason) return RiskStatus.OK;
  store<u32>(state + TRADING, level);
  store<u32>(state + REASON, reason);
  store<i64>(state + SINCE, nowNs);
  if (level == current) return RiskStatus.OK;
  store<u32>(state + CHANGES, load<u32>(state + CHANGES) + 1);
  return RiskStatus.CHANGED;
}

/**
 * Records `source`'s demand (TradingState) at `nowNs` and settles the trading state on the most
 * restrictive demand. Returns CHANGED (1) when the trading state changed, OK (0) when not, or
 * HALT_LATCHED / BAD_STATE / BAD_REASON (< 0, nothing recorded).
 */
export function riskSetTradingState(state: usize, demand: u32, source: u32, nowNs: i64): i32 {
  if (demand > TradingState.HALTED) return RiskStatus.BAD_STATE;
  if (source == TradingStateReason.NONE || source >= TradingStateReason.RESET) return RiskStatus.BAD_REASON;
  if (load<u32>(state + TRADING) == TradingState.HALTED) {
    if (demand != TradingState.HALTED) return RiskStatus.HALT_LATCHED;
    store<u8>(state + DEMANDS + source, <u8>demand);
    return RiskStatus.OK;
  }
  store<u8>(state + DEMANDS + source, <u8>demand);
  return settle(state, source, nowNs);
}

/** The explicit reset (authenticated on the host): clears every demand and the halt; ACTIVE, reason RESET, since nowNs. Returns CHANGED or OK. */
export function riskReset(state: usize, nowNs: i64): i32 {
  const was = load<u32>(state + TRADING);
  store<u64>(state + DEMANDS, 0);
  store<u32>(state + TRADING, TradingState.ACTIVE);
  store<u32>(state + REASON, TradingStateReason.RESET);
  store<i64>(state + SINCE, nowNs);
  if (was != TradingState.ACTIVE) {
    store<u32>(state + CHANGES, load<u32>(state + CHANGES) + 1);
    return RiskStatus.CHANGED;
  }
  return RiskStatus.OK;
}

/** The trading state (TradingState). */
export function riskTradingState(state: usize): u32 {
  return load<u32>(state + TRADING);
}

/** The source behind the trading state (TradingStateReason). */
export function riskTradingReason(state: usize): u32 {
  return load<u32>(state + REASON);
}

/** When the trading state or its reason last changed (ns, the caller's clock). */
export function riskTradingSinceNs(state: usize): i64 {
  return load<i64>(state + SINCE);
}

/** One source's current demand (TradingState; 0 for an unknown source). */
export function riskDemand(state: usize, source: u32): u32 {
  return source < REASONS ? <u32>load<u8>(state + DEMANDS + source) : 0;
}

/** Trading-state changes since init (u32, wraps). */
export function riskStateChanges(state: usize): u32 {
  return load<u32>(state + CHANGES);
}

/** How many riskCheck calls answered `code` (a RiskRefusal; NONE = orders passed); 0 for another code. */
export function riskRefusals(state: usize, code: u32): u32 {
  return code < COUNT_SLOTS ? load<u32>(state + COUNTS + (<usize>code) * 4) : 0;
}

/** riskCheck calls refused for bad arguments (answered < 0). */
export function riskInvalidCalls(state: usize): u32 {
  return load<u32>(state + INVALID);
}

/** Number of symbols of the block. */
export function riskSymbols(state: usize): i32 {
  return load<i32>(state + SYMBOLS);
}

/** One symbol's max |position| (0 none; −1 for a bad symbol). */
export function riskMaxPosition(state: usize, symbol: i32): i64 {
  if (symbol < 0 || symbol >= load<i32>(state + SYMBOLS)) return -1;
  return load<i64>(state + MAX_POSITION + (<usize>symbol) * 8);
}

/** Max order qty (0 none). */
export function riskMaxOrderQty(state: usize): i64 {
  return load<i64>(state + MAX_QTY);
}

/** Max notional per order, paise (0 none). */
export function riskMaxNotionalPaise(state: usize): i64 {
  return load<i64>(state + MAX_NOTIONAL);
}

/** Max open orders (0 none). */
export function riskMaxOpenOrders(state: usize): i32 {
  return load<i32>(state + MAX_OPEN);
}

/** Max gross exposure, paise (0 none). */
export function riskMaxGrossExposurePaise(state: usize): i64 {
  return load<i64>(state + MAX_GROSS);
}

/** Daily loss limit, paise (0 none). */
export function riskDailyLossPaise(state: usize): i64 {
  return load<i64>(state + DAILY_LOSS);
}

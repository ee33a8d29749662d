// The execution stage's order path: every request the core emits passes here, in this order
// (docs/execution.md):
//   NEW      capacity → kill word → pre-trade risk (trading state, limits) → broker windows (asked,
//            not yet counted) → flood control (OTR budget) → NEV gate (entries only) → broker windows
//            counted → order table → OTR ledger → command buffer
//   REPLACE  capacity → kill word → risk (as the order it becomes) → broker windows → flood → counted
//            → order table → OTR ledger → command buffer (a refused reprice falls back to a cancel)
//   CANCEL   never refused by risk, the kill word or the OTR budget (a halt must be able to cancel): broker windows
//            (a full window parks the cancel on the slot until its next free slot; execNextDeadline
//            says when) → order table → OTR ledger → command buffer
// The broker windows are asked with brokerWindowsNextFree first and counted with brokerWindowsTry
// only once every other check passed, so a refused order never uses a broker slot. A NEW or REPLACE is
// asked for more than itself: room for a cancel of every order that will be working after it too
// (brokerNeed), so the cancels the 200 ms rule or a kill must send never wait for a slot; a flatten's exits
// are asked only for themselves. The windows are
// the rate limit: flood control contributes only the OTR budget and the opening ban (its rate bit is
// ignored, and cancels, which have neither, skip it).
import {
  brokerWindowsNextFree, brokerWindowsTry,
} from "./broker-windows";
import { floodTry, FloodDecision } from "./flood-control";
import { nevEvaluate } from "./nev";
import {
  orderTableCancel, orderTableCapacity, orderTableClOrdId, orderTableFind, orderTableLeaves, orderTableNextLive,
  orderTableOpen, orderTableOpenCount, orderTablePrice, orderTableQty, orderTableReplace, orderTableSide,
  orderTableState, orderTableSymbol, orderTableWorkingQty, orderTableKind, orderTableTif,
} from "./order-table";
import { otrExemptAt, otrOnCancel, otrOnModify, otrOnNew } from "./otr-ledger";
import { positionsGrossExposurePaise, positionsPosition, positionsTotalDayPnlPaise } from "./positions";
import { RiskFlag, riskCheck, riskSetTradingState, riskTradingState } from "./pre-trade-risk";
import { tradeRatePerSecond } from "./trade-rate";
import { OrderKind, OrderState, RiskRefusal, Side, TimeInForce, TradingState, TradingStateReason } from "./vocabulary";
import {
  bump32, bump64, CMD_BYTES, ExecCommand, ExecFlag, ExecRefusal, ExecStatus, F_CANCEL_WANTED, F_EXIT, F_FLATTEN,
  F_REPLACE_SENT, H_CANCEL_COUNT, H_CMD_CAPACITY, H_CMD_COUNT, H_CMD_DROPPED, H_DAY, H_HORIZON, H_KILL,
  H_KILL_SEEN, H_LAST_NEV, H_LAST_NEV_SYMBOL, H_LAST_REFUSAL, H_NEW_COUNT, H_NEXT_ID, H_RATE_FLOOR, H_REFUSALS,
  H_REPLACE_COUNT, H_SEEN_STATE, H_DAY_PNL, H_DAY_PNL_VALID, H_TARGET_OTR, H_WAITED, H_WAITING, R_ASK, R_ASK_QTY, R_BID, R_BID_QTY, R_ID,
  R_LTP, R_NEV, R_TICK, R_TRADE_RATE, R_BUY_ID, R_SELL_ID, sub, SUB_BROKER, SUB_COMMANDS, SUB_COST, SUB_FLAGS, SUB_FLOOD, SUB_NEV,
  SUB_ORDERS, SUB_OTR, SUB_POSITIONS, SUB_RISK, symRec, indexOfSymbolId,
} from "./exec-layout";

// ── small pieces ─────────────────────────────────────────────────────────────────────────────────

@inline export function flagsAt(state: usize, slot: i32): usize {
  return sub(state, SUB_FLAGS) + <usize>slot;
}

/** Clears a slot's flags when its order is final (keeps the waiting-cancel count exact). */
export function releaseSlot(state: usize, slot: i32): void {
  const at = flagsAt(state, slot);
  if ((load<u8>(at) & F_CANCEL_WANTED) != 0) store<u32>(state + H_WAITING, load<u32>(state + H_WAITING) - 1);
  store<u8>(at, 0);
}

/** Counts a refusal under `code` and answers REFUSED. */
export function refuse(state: usize, code: i32): i32 {
  bump32(state + H_REFUSALS + <usize>code * 4);
  store<i32>(state + H_LAST_REFUSAL, code);
  return ExecStatus.REFUSED;
}

@inline function commandRoom(state: usize): bool {
  return load<i32>(state + H_CMD_COUNT) < load<i32>(state + H_CMD_CAPACITY);
}

export function appendCommand(
  state: usize, type: i32, side: u32, kind: u32, tif: u32, symbolId: u32, id: u64, orig: u64, price: i32, qty: i32,
): void {
  const n = load<i32>(state + H_CMD_COUNT);
  const c = sub(state, SUB_COMMANDS) + <usize>n * CMD_BYTES;
  store<u8>(c, <u8>type);
  store<u8>(c + 1, <u8>side);
  store<u8>(c + 2, <u8>kind);
  store<u8>(c + 3, <u8>tif);
  store<u32>(c + 4, symbolId);
  store<u64>(c + 8, id);
  store<u64>(c + 16, orig);
  store<i32>(c + 24, price);
  store<i32>(c + 28, qty);
  store<i32>(state + H_CMD_COUNT, n + 1);
}

@inline function takeId(state: usize): u64 {
  const id = load<u64>(state + H_NEXT_ID);
  store<u64>(state + H_NEXT_ID, id + 1);
  return id;
}

/** The broker windows allow `messages` now (asked without counting). */
@inline function brokerFree(state: usize, nowNs: i64, messages: i32 = 1): bool {
  return brokerWindowsNextFree(sub(state, SUB_BROKER), nowNs, messages) == nowNs;
}

/** Messages a NEW or REPLACE needs room for in every window: itself, and a cancel for each of the `working`
 *  orders that will work after it (a flatten: itself only, an exit must not wait for headroom). */
@inline function brokerNeed(flags: i32, working: i32): i32 {
  return (flags & ExecFlag.FLATTEN) != 0 ? 1 : 1 + working;
}

/** Today's P&L after charges (positionsTotalDayPnlPaise): the sum the market call under way took for its
 *  daily-loss look when there is one (positions cannot change within that call), else summed now. */
export function dayPnlPaise(state: usize): i64 {
  if (load<u32>(state + H_DAY_PNL_VALID) != 0) return load<i64>(state + H_DAY_PNL);
  return positionsTotalDayPnlPaise(sub(state, SUB_POSITIONS));
}

// ── trading state ────────────────────────────────────────────────────────────────────────────────

/** Reads the kill word (atomically); once set, demands HALTED as KILL. 1 when it is set. */
export function checkKill(state: usize, nowNs: i64): i32 {
  if (atomic.load<i32>(state + H_KILL) == 0) return 0;
  if (load<u32>(state + H_KILL_SEEN) == 0) {
    store<u32>(state + H_KILL_SEEN, 1);
    riskSetTradingState(sub(state, SUB_RISK), TradingState.HALTED, TradingStateReason.KILL, nowNs);
  }
  return 1;
}

/** After anything that may move the trading state: on entry to HALTED, cancel every working order once. */
export function settle(state: usize, nowNs: i64): void {
  checkKill(state, nowNs);
  const now = riskTradingState(sub(state, SUB_RISK));
  const seen = load<u32>(state + H_SEEN_STATE);
  store<u32>(state + H_SEEN_STATE, now);
  if (now == TradingState.HALTED && seen != TradingState.HALTED) cancelAllWorking(state, nowNs);
}

/** Requests a cancel for every working order that can take one (a pending replace is cancelled when it resolves). */
export function cancelAllWorking(state: usize, nowNs: i64): void {
  const ot = sub(state, SUB_ORDERS);
  let slot = orderTableNextLive(ot, 0);
  while (slot >= 0) {
    requestCancel(state, slot, nowNs);
    slot = orderTableNextLive(ot, slot + 1);
  }
}

// ── the paths ────────────────────────────────────────────────────────────────────────────────────

/**
 * A new order on symbol `index` (checked in the order at the top). Returns 1 (one NEW command
 * appended), REFUSED (the refusal counted in execRefusals) or BAD_SYMBOL / BAD_PARAM.
 */
export function submitNew(
  state: usize, index: i32, side: u32, priceTicks: i32, qty: i32, tif: u32, flags: i32, fairTicks: f64, nowNs: i64,
): i32 {
  if (side > Side.SELL || priceTicks <= 0 || qty <= 0 || tif > TimeInForce.POST_ONLY) return refuse(state, ExecRefusal.INVALID);
  const ot = sub(state, SUB_ORDERS);
  if (orderTableOpenCount(ot) >= orderTableCapacity(ot) || !commandRoom(state)) {
    if (!commandRoom(state)) bump32(state + H_CMD_DROPPED);
    return refuse(state, ExecRefusal.CAPACITY);
  }
  if (checkKill(state, nowNs) != 0 && (flags & ExecFlag.FLATTEN) == 0) {
    settle(state, nowNs);
    return refuse(state, <i32>RiskRefusal.HALTED);
  }
  const r = symRec(state, index);
  const symbolId = load<u32>(r + R_ID);
  const tick = load<i32>(r + R_TICK);
  const pos = sub(state, SUB_POSITIONS);
  const position = positionsPosition(pos, index);
  const risk = riskCheck(
    sub(state, SUB_RISK), index, side, priceTicks, qty, tick, position,
    orderTableWorkingQty(ot, symbolId, Side.BUY), orderTableWorkingQty(ot, symbolId, Side.SELL),
    <i32>orderTableOpenCount(ot), positionsGrossExposurePaise(pos), dayPnlPaise(state),
    (flags & ExecFlag.FLATTEN) != 0 ? RiskFlag.FLATTEN : 0,
  );
  if (risk < 0) return refuse(state, ExecRefusal.INVALID);
  if (risk != 0) return refuse(state, risk);
  const broker = sub(state, SUB_BROKER);
  const need = brokerNeed(flags, <i32>orderTableOpenCount(ot) + 1);
  if (!brokerFree(state, nowNs, need)) {
    const code = brokerWindowsTry(broker, nowNs, need); // refuses (nothing recorded) and names the window
    return refuse(state, code > 0 ? code : ExecRefusal.INVALID);
  }
  const otr = sub(state, SUB_OTR);
  // An exit skips the NEV gate and the OTR budget only if it really shrinks the position (with what
  // already works on its side), whatever the caller's flag says.
  let exit = (flags & ExecFlag.FLATTEN) != 0;
  if ((flags & ExecFlag.EXIT) != 0) {
    const q = <i64>qty;
    exit = side == Side.BUY
      ? position < 0 && position + orderTableWorkingQty(ot, symbolId, Side.BUY) + q <= 0
      : position > 0 && position - orderTableWorkingQty(ot, symbolId, Side.SELL) - q >= 0;
  }
  const ltp = load<i32>(r + R_LTP);
  // The OTR budget is an economic gate like NEV: the benchmark's UNGATED orders skip both.
  const ungated = (flags & ExecFlag.UNGATED) != 0;
  const flood = floodTry(sub(state, SUB_FLOOD), nowNs, otr, 1, budgetTarget(state, exit || ungated, priceTicks, ltp)) & ~FloodDecision.DENY_RATE;
  if (flood != 0) {
    if ((flood & (FloodDecision.DENY_OTR_BUDGET | FloodDecision.DENY_OPENING_BAN)) != 0) return refuse(state, <i32>RiskRefusal.OTR_BUDGET);
    return refuse(state, ExecRefusal.INVALID);
  }
  if (!exit && !ungated) {
    const nev = evaluateNev(state, index, side, priceTicks, qty, fairTicks, nowNs);
    if (!(nev > 0)) return refuse(state, ExecRefusal.NEV);
  }
  if (brokerWindowsTry(broker, nowNs, 1) != 0) return refuse(state, ExecRefusal.INVALID);
  const id = takeId(state);
  const slot = orderTableOpen(ot, id, symbolId, side, OrderKind.LIMIT, tif, priceTicks, qty, nowNs);
  if (slot < 0) return refuse(state, ExecRefusal.INVALID);
  let f: u8 = 0;
  if ((flags & ExecFlag.EXIT) != 0) f |= F_EXIT;
  if ((flags & ExecFlag.FLATTEN) != 0) f |= F_FLATTEN;
  store<u8>(flagsAt(state, slot), f);
  otrOnNew(otr, load<i32>(state + H_DAY), priceTicks, ltp);
  appendCommand(state, ExecCommand.NEW, side, OrderKind.LIMIT, tif, symbolId, id, 0, priceTicks, qty);
  bump32(state + H_REFUSALS); // [0]: orders passed
  bump64(state + H_NEW_COUNT);
  return 1;
}

/** The OTR target floodTry checks the budget against: none (−1) for an exit or a message the exchange exempts (near the LTP). */
@inline function budgetTarget(state: usize, exit: bool, priceTicks: i32, ltpTicks: i32): i32 {
  if (exit || otrExemptAt(sub(state, SUB_OTR), priceTicks, ltpTicks) != 0) return -1;
  return load<i32>(state + H_TARGET_OTR);
}

/** NEV of a candidate passive order (paise); also kept as the symbol's and the stage's last NEV. */
function evaluateNev(state: usize, index: i32, side: u32, priceTicks: i32, qty: i32, fairTicks: f64, nowNs: i64): f64 {
  const r = symRec(state, index);
  const touch = side == Side.BUY ? load<i32>(r + R_BID) : load<i32>(r + R_ASK);
  // Joining the touch queues behind what rests there; improving it queues behind nothing.
  const better = side == Side.BUY ? priceTicks > touch : priceTicks < touch;
  const queue: i64 = better ? 0 : <i64>load<i32>(r + (side == Side.BUY ? R_BID_QTY : R_ASK_QTY));
  let rate = tradeRatePerSecond(r + R_TRADE_RATE, nowNs);
  const floor = load<f64>(state + H_RATE_FLOOR);
  if (rate < floor) rate = floor;
  const out = sub(state, SUB_NEV);
  const otr = sub(state, SUB_OTR);
  // An order the exchange exempts (near the LTP) adds no OTR penalty, filled or cancelled.
  const counted = otrExemptAt(otr, priceTicks, load<i32>(r + R_LTP)) != 0 ? 0 : 1;
  const status = nevEvaluate(
    out, sub(state, SUB_COST), otr, out + 64, <i32>side, priceTicks, qty, fairTicks,
    queue, rate, load<i64>(state + H_HORIZON), load<i32>(r + R_TICK), counted,
  );
  const nev = status == 0 ? load<f64>(out + 32) : NaN;
  store<f64>(r + R_NEV, nev);
  store<f64>(state + H_LAST_NEV, nev);
  store<i32>(state + H_LAST_NEV_SYMBOL, index);
  return nev;
}

/**
 * A cancel for the working order in `slot`. Returns 1 (CANCEL appended), 0 (parked until the broker
 * windows free a slot, or nothing to do: already pending), or < 0.
 */
export function requestCancel(state: usize, slot: i32, nowNs: i64): i32 {
  const ot = sub(state, SUB_ORDERS);
  const st = orderTableState(ot, slot);
  if (st != <i32>OrderState.PENDING_NEW && st != <i32>OrderState.LIVE && st != <i32>OrderState.PARTIALLY_FILLED) return 0;
  const fa = flagsAt(state, slot);
  const f = load<u8>(fa);
  if (!commandRoom(state) || !brokerFree(state, nowNs)) {
    if (!commandRoom(state)) bump32(state + H_CMD_DROPPED);
    if ((f & F_CANCEL_WANTED) == 0) {
      store<u8>(fa, f | F_CANCEL_WANTED);
      store<u32>(state + H_WAITING, load<u32>(state + H_WAITING) + 1);
      bump32(state + H_WAITED);
    }
    return 0;
  }
  if (brokerWindowsTry(sub(state, SUB_BROKER), nowNs, 1) != 0) return -1;
  const id = takeId(state);
  const orig = orderTableClOrdId(ot, slot);
  if (orderTableCancel(ot, orig, id, nowNs) < 0) return -1;
  if ((f & F_CANCEL_WANTED) != 0) {
    store<u8>(fa, f & ~F_CANCEL_WANTED);
    store<u32>(state + H_WAITING, load<u32>(state + H_WAITING) - 1);
  }
  const symbolId = orderTableSymbol(ot, slot);
  const index = indexOfSymbolId(state, symbolId);
  const price = orderTablePrice(ot, slot);
  otrOnCancel(sub(state, SUB_OTR), load<i32>(state + H_DAY), price, index >= 0 ? load<i32>(symRec(state, index) + R_LTP) : 0);
  appendCommand(state, ExecCommand.CANCEL, orderTableSide(ot, slot), orderTableKind(ot, slot), orderTableTif(ot, slot),
    symbolId, id, orig, price, orderTableLeaves(ot, slot));
  bump64(state + H_CANCEL_COUNT);
  return 1;
}

/**
 * Reprices the order in `slot` to `priceTicks` (same total qty), checked as the order it becomes.
 * Returns 1 (REPLACE appended) or REFUSED (counted; the caller decides, e.g. cancel instead).
 */
export function requestReplace(state: usize, slot: i32, priceTicks: i32, flags: i32, nowNs: i64): i32 {
  const ot = sub(state, SUB_ORDERS);
  const st = orderTableState(ot, slot);
  if (st != <i32>OrderState.LIVE && st != <i32>OrderState.PARTIALLY_FILLED) return refuse(state, ExecRefusal.INVALID);
  if (priceTicks <= 0) return refuse(state, ExecRefusal.INVALID);
  if (!commandRoom(state)) {
    bump32(state + H_CMD_DROPPED);
    return refuse(state, ExecRefusal.CAPACITY);
  }
  if (checkKill(state, nowNs) != 0 && (flags & ExecFlag.FLATTEN) == 0) return refuse(state, <i32>RiskRefusal.HALTED);
  const symbolId = orderTableSymbol(ot, slot);
  const index = indexOfSymbolId(state, symbolId);
  if (index < 0) return refuse(state, ExecRefusal.INVALID);
  const r = symRec(state, index);
  const side = orderTableSide(ot, slot);
  const leaves = <i64>orderTableLeaves(ot, slot);
  let buyW = orderTableWorkingQty(ot, symbolId, Side.BUY);
  let sellW = orderTableWorkingQty(ot, symbolId, Side.SELL);
  if (side == Side.BUY) buyW -= leaves;
  else sellW -= leaves;
  const pos = sub(state, SUB_POSITIONS);
  const risk = riskCheck(
    sub(state, SUB_RISK), index, side, priceTicks, <i32>leaves, load<i32>(r + R_TICK), positionsPosition(pos, index),
    buyW, sellW, <i32>orderTableOpenCount(ot) - 1, positionsGrossExposurePaise(pos), dayPnlPaise(state),
    (flags & ExecFlag.FLATTEN) != 0 ? RiskFlag.FLATTEN : 0,
  );
  if (risk < 0) return refuse(state, ExecRefusal.INVALID);
  if (risk != 0) return refuse(state, risk);
  const broker = sub(state, SUB_BROKER);
  const need = brokerNeed(flags, <i32>orderTableOpenCount(ot));
  if (!brokerFree(state, nowNs, need)) {
    const code = brokerWindowsTry(broker, nowNs, need);
    return refuse(state, code > 0 ? code : ExecRefusal.INVALID);
  }
  const otr = sub(state, SUB_OTR);
  const fa = flagsAt(state, slot);
  const exit = (flags & ExecFlag.FLATTEN) != 0 || (load<u8>(fa) & (F_EXIT | F_FLATTEN)) != 0;
  const flood = floodTry(sub(state, SUB_FLOOD), nowNs, otr, 1, budgetTarget(state, exit, priceTicks, load<i32>(r + R_LTP))) & ~FloodDecision.DENY_RATE;
  if (flood != 0) {
    if ((flood & (FloodDecision.DENY_OTR_BUDGET | FloodDecision.DENY_OPENING_BAN)) != 0) return refuse(state, <i32>RiskRefusal.OTR_BUDGET);
    return refuse(state, ExecRefusal.INVALID);
  }
  if (brokerWindowsTry(broker, nowNs, 1) != 0) return refuse(state, ExecRefusal.INVALID);
  const id = takeId(state);
  const orig = orderTableClOrdId(ot, slot);
  const qty = orderTableQty(ot, slot);
  if (orderTableReplace(ot, orig, id, priceTicks, qty, nowNs) < 0) return refuse(state, ExecRefusal.INVALID);
  let f = load<u8>(fa) | F_REPLACE_SENT;
  if ((flags & ExecFlag.FLATTEN) != 0) f |= F_FLATTEN;
  store<u8>(fa, f);
  otrOnModify(otr, load<i32>(state + H_DAY), priceTicks, load<i32>(r + R_LTP));
  appendCommand(state, ExecCommand.REPLACE, side, orderTableKind(ot, slot), orderTableTif(ot, slot), symbolId, id, orig,
    priceTicks, qty);
  bump32(state + H_REFUSALS);
  bump64(state + H_REPLACE_COUNT);
  return 1;
}

/** Sends every parked cancel the broker windows now allow. */
export function sendWaitingCancels(state: usize, nowNs: i64): void {
  if (load<u32>(state + H_WAITING) == 0) return;
  const ot = sub(state, SUB_ORDERS);
  let slot = orderTableNextLive(ot, 0);
  while (slot >= 0 && load<u32>(state + H_WAITING) != 0) {
    if ((load<u8>(flagsAt(state, slot)) & F_CANCEL_WANTED) != 0) {
      if (requestCancel(state, slot, nowNs) == 0) return; // still no slot: the rest wait too
    }
    slot = orderTableNextLive(ot, slot + 1);
  }
}

/** 1 when the order with clOrdId `id` (0: none) is still working. */
export function idWorking(state: usize, id: u64): bool {
  return id != 0 && orderTableFind(sub(state, SUB_ORDERS), id) >= 0;
}

/** The strategy's working order on `side` of the symbol record `r`: its clOrdId, or 0 when none is working. */
export function strategyOrder(state: usize, r: usize, side: u32): u64 {
  const at = r + (side == Side.BUY ? R_BUY_ID : R_SELL_ID);
  const id = load<u64>(at);
  if (id != 0 && !idWorking(state, id)) {
    store<u64>(at, 0);
    return 0;
  }
  return id;
}

/** Submits for a strategy and remembers the order as its working order on that side. 1 when sent. */
export function strategySubmit(
  state: usize, index: i32, side: u32, priceTicks: i32, qty: i32, flags: i32, fairTicks: f64, nowNs: i64,
): i32 {
  const s = submitNew(state, index, side, priceTicks, qty, TimeInForce.GTC, flags, fairTicks, nowNs);
  if (s == 1) store<u64>(symRec(state, index) + (side == Side.BUY ? R_BUY_ID : R_SELL_ID), lastId(state));
  return s;
}

/** The clOrdId of the last request emitted. */
@inline export function lastId(state: usize): u64 {
  return load<u64>(state + H_NEXT_ID) - 1;
}

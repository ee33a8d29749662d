// The execution stage: the one place the core's execution modules meet. They do not call each other;
// this file does, in a fixed order (docs/execution.md): market data and execution reports in,
// decisions of the configured strategy, every request through the order path of exec-orders.ts, and
// commands out in a buffer the driver sends with the clOrdIds the core chose.
//
// State: one region of execBytes(...) bytes at `state`, laid out by execInit (exec-layout.ts: the
// header, then the order table, positions, risk, broker windows, flood control, OTR ledger, cost
// model, RTT watchdog, circuit breaker, NEV scratch, slot flags, symbol map, symbol records and the
// command buffer). execInit gives every sub-state a working default; the host then configures each
// one with its own init/set calls at the addresses exec*Address returns (host/modules/execution.ts).
//
// Calls: every event call (execOnBook, execOnMarket, execOnAck, execOnReject, execOnFill,
// execOnCanceled, execOnReplaced, execOnTimer, execFlatten) returns the number of commands it
// appended (≥ 0) or a negative ExecStatus; the driver sends execCommandCount commands from
// execCommandAddress and calls execCommandsClear. Each call first reads the kill word; every call
// that may move the trading state then settles it: on entry to HALTED every working order gets a
// cancel, once. Reports for an unknown or finished clOrdId change nothing and are counted
// (execIgnoredReports).
//
// The 200 ms rule: a resting order's deadline runs from its ack (order-table.ts); execOnTimer
// cancels, or with ExecTtlAction.REPRICE replaces to the current own-side touch, every order past it.
// execNextDeadline is the earliest of those deadlines and, while cancels wait for a broker slot, the
// time the windows free one, and the next RTT probe; the driver arms one timer for it. The RTT verdict
// (exec-probe.ts) is recomputed on every tick, answer and timer. The RTT watchdog itself moves only on
// samples (rtt-watchdog.ts); the probes (exec-probe.ts) make sure samples come while nothing trades
// and while a lockdown stops the orders whose acks would bring them.
import { bookBestAsk, bookBestAskQty, bookBestBid, bookBestBidQty } from "./book";
import { brokerWindowsBytes, brokerWindowsInit, brokerWindowsNewDay, brokerWindowsNextFree } from "./broker-windows";
import { circuitBreakerBytes, circuitBreakerInit, circuitBreakerOnAccept, circuitBreakerOnReject, circuitBreakerReset } from "./circuit-breaker";
import { costBytes, costFill } from "./cost-model";
import { floodBytes, floodInit } from "./flood-control";
import { nevFairTicks } from "./nev";
import { oracleSignal } from "./oracle";
import {
  orderTableBytes, orderTableClOrdId, orderTableDeadline, orderTableExpired, orderTableFind, orderTableInit,
  orderTableNextLive, orderTableOnAck, orderTableOnCanceled, orderTableOnFill, orderTableOnReject, orderTableOpenCount,
  orderTableOnReplaced, orderTablePrice, orderTableSetTtl, orderTableSide, orderTableState,
  orderTableSymbol, orderTableWorkingQty, orderTableTif,
} from "./order-table";
import { otrBytes, otrInit, otrOnTrade, otrRoll } from "./otr-ledger";
import {
  positionsBytes, positionsInit, positionsMark, positionsNewDay, positionsOnFill, positionsPosition,
  positionsSetSymbol, positionsTotalDayPnlPaise,
} from "./positions";
import {
  riskBytes, riskDailyLossBreached, riskDemand, riskInit, riskReset, riskSetMaxPosition, riskSetTradingState,
  riskTradingReason, riskTradingState,
} from "./pre-trade-risk";
import { rttWatchdogBytes, rttWatchdogInit, rttWatchdogOnSample } from "./rtt-watchdog";
import { tradeRateInit, tradeRateOnTrade } from "./trade-rate";
import { NO_PRICE, OrderState, Side, TimeInForce, TradingState, TradingStateReason } from "./vocabulary";
import {
  align64, bump32, bump64, CMD_BYTES, EXEC_MAGIC, ExecFlag, ExecParam, ExecStatus, ExecTtlAction, F_FLATTEN,
  F_REPLACE_SENT, H_CANCEL_COUNT, H_CAPACITY, H_CMD_CAPACITY, H_CMD_COUNT, H_COST_FAULTS, H_DAY, H_FILL_COUNT,
  H_FLATTEN_COLLAR, H_FLATTEN_SHORT, H_GAIN, H_HORIZON, H_IGNORED, H_K, H_KILL, H_KILL_SEEN, H_KIND, H_LAST_NEV,
  H_LAST_REFUSAL, H_MAGIC, H_MAX_POSITION, H_MAX_REJECTS, H_MAX_SYMBOL, H_NEW_COUNT, H_NEXT_ID, H_OFFSET,
  H_PER_MINUTE, H_PER_SECOND, H_POSITION_FAULTS, H_QTY, H_RATE_FLOOR, H_REFUSALS, H_REJECTS, H_REPLACE_COUNT,
  H_SEEN_STATE, H_SUBS, H_SYMBOLS, H_TARGET_OTR, H_THRESHOLD, H_TTL_ACTION, H_WAITED, H_WAITING, H_WINDOW, HEADER,
  indexOfSymbolId, MAX_SYMBOLS, MR_MAX_WINDOW, R_ASK, R_ASK_QTY, R_BID, R_BID_QTY, R_BUY_ID, R_FAIR, R_GATE, R_ID,
  R_LOT, R_LTP, R_NEV, R_REGIME, R_SELL_ID, R_SIGNAL, R_TICK, R_TRADE_RATE, STRESS_MAX_DEPTH, StrategyKind, sub,
  SUB_BREAKER, SUB_BROKER, SUB_COMMANDS, SUB_COST, SUB_COUNT, SUB_FLOOD, SUB_NEV, SUB_ORDERS, SUB_OTR,
  SUB_POSITIONS, SUB_RISK, SUB_RTT, SUB_SYMBOL_MAP, SYM_BYTES, symRec, F_CANCEL_WANTED, ExecGate,
  H_PROBE_ANSWERS, H_PROBE_IDLE, H_PROBE_INTERVAL, H_PROBE_LAST, H_PROBES, H_RTT_VERDICT, H_DAY_PNL, H_DAY_PNL_VALID,
} from "./exec-layout";
import {
  checkKill, flagsAt, releaseSlot, requestCancel, requestReplace, sendWaitingCancels, settle,
  submitNew,
} from "./exec-orders";
import {
  oldestPendingNs, probeAnswered, probeDueAt, probeForget, probeIfDue, refreshRttVerdict,
} from "./exec-probe";
import { wobiDecide } from "./strategy-wobi";
import { meanReversionDecide } from "./strategy-mean-reversion";
import { stressDecide } from "./strategy-stress";

const MS: i64 = 1_000_000;
const MAX_CAPACITY: u32 = 65536;
const MAX_SYMBOL_ID: u32 = 65535;
const MAX_RING: i32 = 100_000;
const MAX_REJECTS: i32 = 4096;
const COMMAND_SLACK: u32 = 64;
const MAX_QTY: i64 = 1_000_000_000;
const MAX_TTL_NS: i64 = 3_600_000_000_000;

// ── layout ───────────────────────────────────────────────────────────────────────────────────────

function validConfig(symbols: i32, orderCapacity: u32, maxSymbolId: u32, perSecond: i32, perMinute: i32, maxRejects: i32): bool {
  return symbols >= 1 && symbols <= MAX_SYMBOLS && orderCapacity >= 1 && orderCapacity <= MAX_CAPACITY
    && maxSymbolId <= MAX_SYMBOL_ID && perSecond >= 0 && perSecond <= MAX_RING && perMinute >= 0 && perMinute <= MAX_RING
    && maxRejects >= 1 && maxRejects <= MAX_REJECTS;
}

function subBytes(which: usize, symbols: i32, orderCapacity: u32, maxSymbolId: u32, perSecond: i32, perMinute: i32, maxRejects: i32): usize {
  switch (<i32>which) {
    case 0: return orderTableBytes(orderCapacity, maxSymbolId);
    case 1: return positionsBytes(symbols);
    case 2: return riskBytes(symbols);
    case 3: return brokerWindowsBytes(perSecond, perMinute);
    case 4: return floodBytes();
    case 5: return otrBytes();
    case 6: return costBytes();
    case 7: return rttWatchdogBytes();
    case 8: return circuitBreakerBytes(maxRejects);
    case 9: return 128;
    case 10: return <usize>orderCapacity;
    case 11: return (<usize>maxSymbolId + 1) * 2;
    case 12: return <usize>symbols * SYM_BYTES;
    default: return (<usize>orderCapacity + <usize>COMMAND_SLACK) * CMD_BYTES;
  }
}

/** Bytes of an execution region (0 when an argument is out of range; see ExecStatus.BAD_CONFIG). */
export function execBytes(symbols: i32, orderCapacity: u32, maxSymbolId: u32, perSecond: i32, perMinute: i32, maxRejects: i32): usize {
  if (!validConfig(symbols, orderCapacity, maxSymbolId, perSecond, perMinute, maxRejects)) return 0;
  let total = HEADER;
  for (let i: usize = 0; i < SUB_COUNT; i++) total += align64(subBytes(i, symbols, orderCapacity, maxSymbolId, perSecond, perMinute, maxRejects));
  return total;
}

/**
 * Lays out and clears the region at `state` (8-byte aligned, execBytes(...) bytes) with every
 * sub-state at a default: TTL 200 ms, no risk limits, broker caps perSecond/perMinute (no day cap),
 * an OTR ledger for cash, RTT lockdown above 20 ms on 3 samples (REDUCING), breaker maxRejects in
 * 10 s (HALTED), RTT probes every 100 ms in lockdown and after 1 s without a sample, the WOBI
 * strategy with qty 1, no costs loaded (the host loads them). 0 or < 0.
 */
export function execInit(
  state: usize, symbols: i32, orderCapacity: u32, maxSymbolId: u32, perSecond: i32, perMinute: i32, maxRejects: i32, nowNs: i64,
): i32 {
  if ((state & 7) != 0) return ExecStatus.MISALIGNED;
  const total = execBytes(symbols, orderCapacity, maxSymbolId, perSecond, perMinute, maxRejects);
  if (total == 0) return ExecStatus.BAD_CONFIG;
  memory.fill(state, 0, total);
  let at = HEADER;
  for (let i: usize = 0; i < SUB_COUNT; i++) {
    store<u32>(state + H_SUBS + i * 4, <u32>at);
    at += align64(subBytes(i, symbols, orderCapacity, maxSymbolId, perSecond, perMinute, maxRejects));
  }
  store<i32>(state + H_SYMBOLS, symbols);
  store<u32>(state + H_CAPACITY, orderCapacity);
  store<u32>(state + H_MAX_SYMBOL, maxSymbolId);
  store<i32>(state + H_PER_SECOND, perSecond);
  store<i32>(state + H_PER_MINUTE, perMinute);
  store<i32>(state + H_MAX_REJECTS, maxRejects);
  store<u64>(state + H_NEXT_ID, 1);
  store<i32>(state + H_CMD_CAPACITY, <i32>(orderCapacity + COMMAND_SLACK));
  store<i32>(state + H_KIND, StrategyKind.WOBI_PASSIVE);
  store<i32>(state + H_QTY, 1);
  store<f64>(state + H_THRESHOLD, 0.3);
  store<i32>(state + H_WINDOW, 50);
  store<f64>(state + H_K, 2.0);
  store<i32>(state + H_OFFSET, 20);
  store<i32>(state + H_TTL_ACTION, ExecTtlAction.CANCEL);
  store<i32>(state + H_TARGET_OTR, -1);
  store<f64>(state + H_GAIN, 1.0);
  store<i64>(state + H_HORIZON, 200 * MS);
  store<i32>(state + H_FLATTEN_COLLAR, -1);
  store<u32>(state + H_SEEN_STATE, TradingState.ACTIVE);
  store<i64>(state + H_PROBE_INTERVAL, 100 * MS);
  store<i64>(state + H_PROBE_IDLE, 1000 * MS);
  store<i64>(state + H_PROBE_LAST, i64.MIN_VALUE);
  if (orderTableInit(sub(state, SUB_ORDERS), orderCapacity, maxSymbolId, 200 * MS) != 0
    || positionsInit(sub(state, SUB_POSITIONS), symbols) != 0
    || riskInit(sub(state, SUB_RISK), symbols, nowNs) != 0
    || brokerWindowsInit(sub(state, SUB_BROKER), perSecond, perMinute, 0, 1000 * MS, 60_000 * MS) != 0
    || floodInit(sub(state, SUB_FLOOD), 1000, 1_000_000, 0, nowNs) != 0
    || otrInit(sub(state, SUB_OTR), 0, 5, 75, 4000, 2000, 0, 0, 2_000_000, 3, 30) != 0
    || rttWatchdogInit(sub(state, SUB_RTT), 20 * MS, 3, 10 * MS, 10, 1000 * MS, 100 * MS, TradingState.REDUCING) != 0
    || circuitBreakerInit(sub(state, SUB_BREAKER), maxRejects, 10_000 * MS, TradingState.HALTED) != 0) {
    return ExecStatus.SUB_MODULE;
  }
  for (let i: i32 = 0; i < symbols; i++) {
    const r = symRec(state, i);
    store<i32>(r + R_BID, NO_PRICE);
    store<i32>(r + R_ASK, NO_PRICE);
    tradeRateInit(r + R_TRADE_RATE, 5000 * MS);
  }
  store<u32>(state + H_MAGIC, EXEC_MAGIC);
  return ExecStatus.OK;
}

@inline function ready(state: usize): bool {
  return load<u32>(state + H_MAGIC) == EXEC_MAGIC;
}

@inline function validIndex(state: usize, index: i32): bool {
  return index >= 0 && index < load<i32>(state + H_SYMBOLS);
}

/** Address of the order table (order-table.ts) inside the region. */
export function execOrderTableAddress(state: usize): usize { return sub(state, SUB_ORDERS); }
/** Address of the positions block (positions.ts). */
export function execPositionsAddress(state: usize): usize { return sub(state, SUB_POSITIONS); }
/** Address of the risk block (pre-trade-risk.ts). */
export function execRiskAddress(state: usize): usize { return sub(state, SUB_RISK); }
/** Address of the broker windows (broker-windows.ts). */
export function execBrokerWindowsAddress(state: usize): usize { return sub(state, SUB_BROKER); }
/** Address of flood control (flood-control.ts). */
export function execFloodAddress(state: usize): usize { return sub(state, SUB_FLOOD); }
/** Address of the OTR ledger (otr-ledger.ts). */
export function execOtrAddress(state: usize): usize { return sub(state, SUB_OTR); }
/** Address of the cost model (cost-model.ts). */
export function execCostAddress(state: usize): usize { return sub(state, SUB_COST); }
/** Address of the RTT watchdog (rtt-watchdog.ts). */
export function execRttAddress(state: usize): usize { return sub(state, SUB_RTT); }
/** Address of the circuit breaker (circuit-breaker.ts). */
export function execBreakerAddress(state: usize): usize { return sub(state, SUB_BREAKER); }
/** Address of the NEV output of the last evaluation (nev.ts layout, 40 bytes). */
export function execNevAddress(state: usize): usize { return sub(state, SUB_NEV); }

// ── configuration ────────────────────────────────────────────────────────────────────────────────

/**
 * Symbol `index` is the venue's symbolId with tickPaise (1..1e6) and lotSize (1..1e9). 0, BAD_SYMBOL
 * (index out of range, id above maxSymbolId or already another index's), SUB_MODULE (positions
 * refused: bad sizes, or an open position).
 */
export function execSetSymbol(state: usize, index: i32, symbolId: u32, tickPaise: i32, lotSize: i32): i32 {
  if (!ready(state)) return ExecStatus.NOT_INITIALIZED;
  if (!validIndex(state, index) || symbolId > load<u32>(state + H_MAX_SYMBOL)) return ExecStatus.BAD_SYMBOL;
  const mapped = indexOfSymbolId(state, symbolId);
  if (mapped >= 0 && mapped != index) return ExecStatus.BAD_SYMBOL;
  if (positionsSetSymbol(sub(state, SUB_POSITIONS), index, tickPaise, lotSize) != 0) return ExecStatus.SUB_MODULE;
  const r = symRec(state, index);
  const map = sub(state, SUB_SYMBOL_MAP);
  const old = load<u32>(r + R_ID);
  if (load<i32>(r + R_TICK) != 0 && <i32>load<u16>(map + <usize>old * 2) == index + 1) store<u16>(map + <usize>old * 2, 0);
  store<u16>(map + <usize>symbolId * 2, <u16>(index + 1));
  store<u32>(r + R_ID, symbolId);
  store<i32>(r + R_TICK, tickPaise);
  store<i32>(r + R_LOT, lotSize);
  return ExecStatus.OK;
}

/**
 * The strategy (StrategyKind) and its parameters: qty (1..1e9 units), threshold (|signal|, ≥ 0),
 * window (mean reversion 2..256 mids; stress 1..8 working orders; WOBI ignores it), k (σ multiple,
 * > 0), offsetTicks (stress: distance from the touch, ≥ 1). Clears the strategies' per-symbol
 * state. 0 or BAD_PARAM.
 */
export function execSetStrategy(state: usize, kind: i32, qty: i32, threshold: f64, window: i32, k: f64, offsetTicks: i32): i32 {
  if (!ready(state)) return ExecStatus.NOT_INITIALIZED;
  if (kind < StrategyKind.WOBI_PASSIVE || kind > StrategyKind.NONE || qty < 1 || <i64>qty > MAX_QTY) return ExecStatus.BAD_PARAM;
  if (!(threshold >= 0) || !isFinite(threshold) || !(k > 0) || !isFinite(k) || offsetTicks < 1) return ExecStatus.BAD_PARAM;
  if (kind == StrategyKind.MEAN_REVERSION && (window < 2 || window > MR_MAX_WINDOW)) return ExecStatus.BAD_PARAM;
  if (kind == StrategyKind.STRESS && (window < 1 || window > STRESS_MAX_DEPTH)) return ExecStatus.BAD_PARAM;
  store<i32>(state + H_KIND, kind);
  store<i32>(state + H_QTY, qty);
  store<f64>(state + H_THRESHOLD, threshold);
  store<i32>(state + H_WINDOW, window);
  store<f64>(state + H_K, k);
  store<i32>(state + H_OFFSET, offsetTicks);
  const n = load<i32>(state + H_SYMBOLS);
  for (let i: i32 = 0; i < n; i++) {
    const r = symRec(state, i);
    memory.fill(r + R_BUY_ID, 0, 256 - R_BUY_ID);
  }
  return ExecStatus.OK;
}

/**
 * Sonar's verdict for symbol `index`: regime (Regime) and zero-trust gate (ExecGate: 0 closed, 1 open,
 * 2 closed by the RTT check alone; any other non-zero value counts as open). Atomic: any thread may call it.
 */
export function execSetGate(state: usize, index: i32, regime: i32, gateOpen: i32): i32 {
  if (!validIndex(state, index)) return ExecStatus.BAD_SYMBOL;
  const r = symRec(state, index);
  atomic.store<i32>(r + R_REGIME, regime);
  atomic.store<i32>(r + R_GATE, gateOpen == ExecGate.RTT_ONLY ? ExecGate.RTT_ONLY : gateOpen != 0 ? ExecGate.OPEN : ExecGate.CLOSED);
  return ExecStatus.OK;
}

/** Orders refused as `code` (RiskRefusal 1..12, ExecRefusal 13..15; 0 = requests passed). */
export function execRefusals(state: usize, code: i32): u32 {
  return code >= 0 && code < 16 ? load<u32>(state + H_REFUSALS + <usize>code * 4) : 0;
}

/** The code of the last refusal (0 none yet). */
export function execLastRefusal(state: usize): i32 {
  return load<i32>(state + H_LAST_REFUSAL);
}

/** Execution reports for an unknown or finished order (or otherwise refused by the order table), ignored. */
export function execIgnoredReports(state: usize): u32 {
  return load<u32>(state + H_IGNORED);
}

/** Cancels waiting now for a broker-window slot. */
export function execWaitingCancels(state: usize): u32 {
  return load<u32>(state + H_WAITING);
}

/** Cancels that had to wait for a broker-window slot, since init. */
export function execCancelsWaited(state: usize): u32 {
  return load<u32>(state + H_WAITED);
}

/** Requests emitted since init: 1 NEW, 2 CANCEL, 3 REPLACE; 4: fills applied. */
export function execEmitted(state: usize, type: i32): u64 {
  if (type == 1) return load<u64>(state + H_NEW_COUNT);
  if (type == 2) return load<u64>(state + H_CANCEL_COUNT);
  if (type == 3) return load<u64>(state + H_REPLACE_COUNT);
  if (type == 4) return load<u64>(state + H_FILL_COUNT);
  return 0;
}

/** Rejects received since init (new, replace and cancel). */
export function execRejects(state: usize): u32 {
  return load<u32>(state + H_REJECTS);
}

/** Fills whose charges the cost model refused (applied with 0 charges), and fills positions refused. */
export function execFaults(state: usize, which: i32): u32 {
  return which == 0 ? load<u32>(state + H_COST_FAULTS) : load<u32>(state + H_POSITION_FAULTS);
}

/** NEV (paise) of the last evaluation, of any symbol (0 before one; NaN when the cost model refused). */
export function execLastNev(state: usize): f64 {
  return load<f64>(state + H_LAST_NEV);
}

/** NEV (paise) of the last evaluation on symbol `index` (0 before one). */
export function execSymbolNev(state: usize, index: i32): f64 {
  return validIndex(state, index) ? load<f64>(symRec(state, index) + R_NEV) : 0;
}

/** The symbol index of a venue symbol id (−1 none). */
export function execSymbolIndex(state: usize, symbolId: u32): i32 {
  return indexOfSymbolId(state, symbolId);
}

/** Flatten orders (IOC) that ended with quantity left: the collar found too little to trade; the flatten stopped. */
export function execFlattenShort(state: usize): u32 {
  return load<u32>(state + H_FLATTEN_SHORT);
}

/** 1 while a flatten is under way (until every position is flat or a flatten order ends short). */
export function execFlattening(state: usize): i32 {
  return load<i32>(state + H_FLATTEN_COLLAR) >= 0 ? 1 : 0;
}

// ── the calls ────────────────────────────────────────────────────────────────────────────────────

@inline function commandCount(state: usize): i32 {
  return load<i32>(state + H_CMD_COUNT);
}

function decide(state: usize, index: i32, nowNs: i64): void {
  const kind = load<i32>(state + H_KIND);
  if (kind == StrategyKind.WOBI_PASSIVE) wobiDecide(state, index, nowNs);
  else if (kind == StrategyKind.MEAN_REVERSION) meanReversionDecide(state, index, nowNs);
  else if (kind == StrategyKind.STRESS) stressDecide(state, index, nowNs);
}

/**
 * Daily loss: demand REDUCING (source DAILY_LOSS) once the day's P&L reaches the limit. `memo`: keep the
 * sum for the risk checks of the rest of this call (onMarket only, which clears it when it returns).
 */
function checkDailyLoss(state: usize, nowNs: i64, memo: bool): void {
  const risk = sub(state, SUB_RISK);
  if (riskDemand(risk, TradingStateReason.DAILY_LOSS) >= TradingState.REDUCING) return;
  const pnl = positionsTotalDayPnlPaise(sub(state, SUB_POSITIONS));
  if (memo) {
    store<i64>(state + H_DAY_PNL, pnl);
    store<u32>(state + H_DAY_PNL_VALID, 1);
  }
  if (riskDailyLossBreached(risk, pnl) != 0) {
    riskSetTradingState(risk, TradingState.REDUCING, TradingStateReason.DAILY_LOSS, nowNs);
  }
}

function onMarket(
  state: usize, index: i32, bid: i32, bidQty: i32, ask: i32, askQty: i32, signal: f64, fair: f64, nowNs: i64,
): i32 {
  if (!ready(state)) return ExecStatus.NOT_INITIALIZED;
  if (!validIndex(state, index)) return ExecStatus.BAD_SYMBOL;
  const before = commandCount(state);
  const r = symRec(state, index);
  store<i32>(r + R_BID, bid);
  store<i32>(r + R_BID_QTY, bidQty);
  store<i32>(r + R_ASK, ask);
  store<i32>(r + R_ASK_QTY, askQty);
  store<f64>(r + R_SIGNAL, signal);
  store<f64>(r + R_FAIR, fair);
  if (bid != NO_PRICE && ask != NO_PRICE && bid > 0 && ask > bid && load<i32>(r + R_TICK) != 0) {
    positionsMark(sub(state, SUB_POSITIONS), index, bid + ((ask - bid) >> 1));
    checkDailyLoss(state, nowNs, true);
  }
  settle(state, nowNs);
  sendWaitingCancels(state, nowNs);
  if (load<i32>(state + H_FLATTEN_COLLAR) >= 0) flattenPass(state, nowNs);
  refreshRttVerdict(state, nowNs); // time alone turns a request overdue
  if (load<i32>(r + R_TICK) != 0) decide(state, index, nowNs);
  store<u32>(state + H_DAY_PNL_VALID, 0); // the memo lives within this call only
  return commandCount(state) - before;
}

/** A book update of symbol `index`, fused: the top from the book state, the signal and fair price from the oracle state. */
export function execOnBook(state: usize, index: i32, book: usize, oracle: usize, nowNs: i64): i32 {
  return onMarket(
    state, index, bookBestBid(book), bookBestBidQty(book), bookBestAsk(book), bookBestAskQty(book),
    oracleSignal(oracle), nevFairTicks(oracle, load<f64>(state + H_GAIN)), nowNs,
  );
}

/** A book update of symbol `index` from values (NO_PRICE for an empty side); fair = mid + gain × signal × half the spread. */
export function execOnMarket(
  state: usize, index: i32, bidTicks: i32, bidQty: i32, askTicks: i32, askQty: i32, signal: f64, nowNs: i64,
): i32 {
  let fair: f64 = NaN;
  if (bidTicks != NO_PRICE && askTicks != NO_PRICE) {
    const mid = (<f64>bidTicks + <f64>askTicks) * 0.5;
    fair = mid + load<f64>(state + H_GAIN) * signal * 0.5 * (<f64>askTicks - <f64>bidTicks);
  }
  return onMarket(state, index, bidTicks, bidQty, askTicks, askQty, signal, fair, nowNs);
}

/** A book update of symbol `index` as execOnBook saw it: the top, the signal and the fair price as values (a
 *  capture's replay, host/capture/capture-replay.ts, decides on exactly what the live call read). */
export function execOnQuote(
  state: usize, index: i32, bidTicks: i32, bidQty: i32, askTicks: i32, askQty: i32, signal: f64, fair: f64, nowNs: i64,
): i32 {
  return onMarket(state, index, bidTicks, bidQty, askTicks, askQty, signal, fair, nowNs);
}

/** A trade on the market of symbol `index` (anyone's): the last traded price (OTR exemption) and the trade rate (NEV's fill model). */
export function execOnTrade(state: usize, index: i32, priceTicks: i32, qty: i32, nowNs: i64): i32 {
  if (!ready(state)) return ExecStatus.NOT_INITIALIZED;
  if (!validIndex(state, index)) return ExecStatus.BAD_SYMBOL;
  const r = symRec(state, index);
  if (priceTicks > 0) store<i32>(r + R_LTP, priceTicks);
  // In units, like the order qty and the book's queue that NEV's fill model sets against it.
  if (qty > 0) tradeRateOnTrade(r + R_TRADE_RATE, <i64>qty, nowNs);
  return 0;
}

/** A round trip (ns) measured on some other answer than an ack (a cancel's), for the RTT watchdog. */
export function execOnRtt(state: usize, rttNs: i64, nowNs: i64): i32 {
  if (!ready(state)) return ExecStatus.NOT_INITIALIZED;
  const before = commandCount(state);
  rttSample(state, rttNs, nowNs);
  settle(state, nowNs);
  return commandCount(state) - before;
}

function rttSample(state: usize, rttNs: i64, nowNs: i64): void {
  const ask = rttWatchdogOnSample(sub(state, SUB_RTT), rttNs, nowNs);
  if (ask >= 0) {
    const risk = sub(state, SUB_RISK);
    if (riskDemand(risk, TradingStateReason.RTT_LOCKDOWN) != <u32>ask) {
      riskSetTradingState(risk, <u32>ask, TradingStateReason.RTT_LOCKDOWN, nowNs);
    }
  }
  refreshRttVerdict(state, nowNs);
}

/**
 * The answer to RTT probe `probeId` (its PROBE command's id), rttNs its round trip (T5 − T4); rttNs < 0:
 * the probe is lost (it could not be sent, or got no answer in time). The round trip feeds the RTT
 * watchdog exactly like an ack's. An id other than the probe out changes nothing. Returns the commands appended.
 */
export function execOnProbe(state: usize, probeId: u64, rttNs: i64, nowNs: i64): i32 {
  if (!ready(state)) return ExecStatus.NOT_INITIALIZED;
  const before = commandCount(state);
  checkKill(state, nowNs);
  if (probeAnswered(state, probeId, rttNs) == 0) return 0;
  if (rttNs >= 0) rttSample(state, rttNs, nowNs);
  else refreshRttVerdict(state, nowNs);
  settle(state, nowNs);
  return commandCount(state) - before;
}

/** The order path's RTT verdict as last computed (ExecRttVerdict): what the zero-trust gate's RTT check reads. */
export function execRttVerdict(state: usize): i32 {
  return atomic.load<i32>(state + H_RTT_VERDICT);
}

/** Address of the RTT verdict (i32, stored atomically by the core): a driver passes it on to the gate's thread. */
export function execRttVerdictAddress(state: usize): usize {
  return state + H_RTT_VERDICT;
}

/** RTT probes since init: 0 sent, 1 answered. */
export function execProbes(state: usize, which: i32): u64 {
  return which == 0 ? load<u64>(state + H_PROBES) : which == 1 ? load<u64>(state + H_PROBE_ANSWERS) : 0;
}

/** Send time of the oldest request still waiting for its first answer (an order not yet acked, or the probe); −1 none. */
export function execOldestPendingNs(state: usize): i64 {
  const oldest = oldestPendingNs(state);
  return oldest == i64.MAX_VALUE ? -1 : oldest;
}

@inline function ignored(state: usize, before: i32): i32 {
  bump32(state + H_IGNORED);
  return commandCount(state) - before;
}

/** The venue's Ack of NewOrder clOrdId (its exchange id), rttNs its round trip: order table, RTT watchdog, breaker's accept count. */
export function execOnAck(state: usize, clOrdId: u64, exchOrderId: u64, rttNs: i64, nowNs: i64): i32 {
  if (!ready(state)) return ExecStatus.NOT_INITIALIZED;
  const before = commandCount(state);
  checkKill(state, nowNs);
  if (orderTableOnAck(sub(state, SUB_ORDERS), clOrdId, exchOrderId, nowNs) < 0) return ignored(state, before);
  rttSample(state, rttNs, nowNs);
  circuitBreakerOnAccept(sub(state, SUB_BREAKER));
  settle(state, nowNs);
  return commandCount(state) - before;
}

/**
 * The venue's Reject naming clOrdId (a NewOrder's, or a cancel's or replace's own id), `reason` the
 * venue's code (counted only). New and replace rejects feed the circuit breaker; a cancel-reject is
 * an ordinary race with a fill and does not.
 */
export function execOnReject(state: usize, clOrdId: u64, reason: i32, nowNs: i64): i32 {
  if (!ready(state)) return ExecStatus.NOT_INITIALIZED;
  const before = commandCount(state);
  checkKill(state, nowNs);
  const ot = sub(state, SUB_ORDERS);
  const own = orderTableFind(ot, clOrdId);
  const slot = orderTableOnReject(ot, clOrdId, nowNs);
  if (slot < 0) return ignored(state, before);
  bump32(state + H_REJECTS);
  const fa = flagsAt(state, slot);
  let feedBreaker = false;
  let replaceResolved = false;
  if (own >= 0) {
    feedBreaker = true; // the NewOrder itself: the order is REJECTED (final)
    releaseSlot(state, slot);
  } else if ((load<u8>(fa) & F_REPLACE_SENT) != 0) {
    feedBreaker = true;
    replaceResolved = true;
    store<u8>(fa, load<u8>(fa) & ~F_REPLACE_SENT);
  }
  if (feedBreaker) {
    const ask = circuitBreakerOnReject(sub(state, SUB_BREAKER), nowNs);
    if (ask > <i32>TradingState.ACTIVE) {
      riskSetTradingState(sub(state, SUB_RISK), <u32>ask, TradingStateReason.CIRCUIT_BREAKER, nowNs);
    }
  }
  settle(state, nowNs);
  // HALTED cancels a pending replace once it resolves.
  if (replaceResolved && riskTradingState(sub(state, SUB_RISK)) == TradingState.HALTED) requestCancel(state, slot, nowNs);
  if (own >= 0) refreshRttVerdict(state, nowNs); // a NewOrder answered: one request less waiting
  return commandCount(state) - before;
}

/** A Fill of our order clOrdId: qty at priceTicks. Order table, charges (cost model), position and P&L, OTR trade, daily loss. */
export function execOnFill(state: usize, clOrdId: u64, priceTicks: i32, qty: i32, nowNs: i64): i32 {
  if (!ready(state)) return ExecStatus.NOT_INITIALIZED;
  const before = commandCount(state);
  checkKill(state, nowNs);
  const ot = sub(state, SUB_ORDERS);
  const slot = orderTableFind(ot, clOrdId);
  if (slot < 0 || priceTicks <= 0) return ignored(state, before);
  const side = orderTableSide(ot, slot);
  const index = indexOfSymbolId(state, orderTableSymbol(ot, slot));
  if (index < 0 || orderTableOnFill(ot, clOrdId, qty, nowNs) < 0) return ignored(state, before);
  bump64(state + H_FILL_COUNT);
  const r = symRec(state, index);
  const scratch = sub(state, SUB_NEV) + 64;
  let charges = costFill(sub(state, SUB_COST), <i32>side, <i64>priceTicks * <i64>load<i32>(r + R_TICK), <i64>qty, scratch);
  if (charges < 0) {
    bump32(state + H_COST_FAULTS);
    charges = 0;
  }
  if (positionsOnFill(sub(state, SUB_POSITIONS), index, <i32>side, priceTicks, <i64>qty, charges, nowNs) != 0) {
    bump32(state + H_POSITION_FAULTS);
  }
  otrOnTrade(sub(state, SUB_OTR), load<i32>(state + H_DAY));
  if (orderTableState(ot, slot) == <i32>OrderState.FILLED) releaseSlot(state, slot);
  checkDailyLoss(state, nowNs, false);
  settle(state, nowNs);
  sendWaitingCancels(state, nowNs);
  if (load<i32>(state + H_FLATTEN_COLLAR) >= 0) flattenPass(state, nowNs);
  decide(state, index, nowNs);
  return commandCount(state) - before;
}

/** A Canceled for our order clOrdId (the report's origClOrdId; solicited or not, e.g. an IOC remainder). */
export function execOnCanceled(state: usize, clOrdId: u64, nowNs: i64): i32 {
  if (!ready(state)) return ExecStatus.NOT_INITIALIZED;
  const before = commandCount(state);
  checkKill(state, nowNs);
  const ot = sub(state, SUB_ORDERS);
  const slot = orderTableOnCanceled(ot, clOrdId, nowNs);
  if (slot < 0) return ignored(state, before);
  const flatten = (load<u8>(flagsAt(state, slot)) & F_FLATTEN) != 0;
  releaseSlot(state, slot);
  if (flatten && orderTableTif(ot, slot) == TimeInForce.IOC && load<i32>(state + H_FLATTEN_COLLAR) >= 0) {
    // The venue found too little within the collar: stop rather than fire IOC after IOC.
    bump32(state + H_FLATTEN_SHORT);
    store<i32>(state + H_FLATTEN_COLLAR, -1);
  }
  settle(state, nowNs);
  sendWaitingCancels(state, nowNs);
  if (load<i32>(state + H_FLATTEN_COLLAR) >= 0) flattenPass(state, nowNs);
  refreshRttVerdict(state, nowNs); // an order canceled before its ack waits no more
  return commandCount(state) - before;
}

/** The venue's Replaced: origClOrdId now lives on as newClOrdId (exchange id exchOrderId), its deadline re-armed. */
export function execOnReplaced(state: usize, origClOrdId: u64, newClOrdId: u64, exchOrderId: u64, nowNs: i64): i32 {
  if (!ready(state)) return ExecStatus.NOT_INITIALIZED;
  const before = commandCount(state);
  checkKill(state, nowNs);
  const ot = sub(state, SUB_ORDERS);
  const slot = orderTableOnReplaced(ot, origClOrdId, newClOrdId, exchOrderId, nowNs);
  if (slot < 0) return ignored(state, before);
  const fa = flagsAt(state, slot);
  store<u8>(fa, load<u8>(fa) & ~F_REPLACE_SENT);
  const index = indexOfSymbolId(state, orderTableSymbol(ot, slot));
  if (index >= 0) {
    const r = symRec(state, index);
    if (load<u64>(r + R_BUY_ID) == origClOrdId) store<u64>(r + R_BUY_ID, newClOrdId);
    if (load<u64>(r + R_SELL_ID) == origClOrdId) store<u64>(r + R_SELL_ID, newClOrdId);
  }
  circuitBreakerOnAccept(sub(state, SUB_BREAKER));
  settle(state, nowNs);
  if (riskTradingState(sub(state, SUB_RISK)) == TradingState.HALTED) requestCancel(state, slot, nowNs);
  return commandCount(state) - before;
}

/**
 * The order-entry session ended (disconnect, logout): the venue cancels every resting order of a
 * session and a new session starts with none (docs/protocol.md), so every working order is closed
 * as CANCELED here, without a command. Positions stay: a fill lost in flight is the reconciliation's
 * business. Returns the orders closed.
 */
export function execOnSessionEnd(state: usize, nowNs: i64): i32 {
  if (!ready(state)) return ExecStatus.NOT_INITIALIZED;
  const ot = sub(state, SUB_ORDERS);
  let closed: i32 = 0;
  let slot = orderTableNextLive(ot, 0);
  while (slot >= 0) {
    if (orderTableOnCanceled(ot, orderTableClOrdId(ot, slot), nowNs) >= 0) {
      releaseSlot(state, slot);
      closed++;
    }
    slot = orderTableNextLive(ot, slot + 1);
  }
  store<i32>(state + H_FLATTEN_COLLAR, -1);
  probeForget(state);
  refreshRttVerdict(state, nowNs);
  return closed;
}

/** The driver's timer: parked cancels, then the 200 ms rule for every order past its deadline. */
export function execOnTimer(state: usize, nowNs: i64): i32 {
  if (!ready(state)) return ExecStatus.NOT_INITIALIZED;
  const before = commandCount(state);
  settle(state, nowNs);
  sendWaitingCancels(state, nowNs);
  const ot = sub(state, SUB_ORDERS);
  const reprice = load<i32>(state + H_TTL_ACTION) == ExecTtlAction.REPRICE;
  let slot = orderTableExpired(ot, nowNs, 0);
  while (slot >= 0) {
    if ((load<u8>(flagsAt(state, slot)) & F_CANCEL_WANTED) == 0) {
      let done = false;
      if (reprice) {
        const index = indexOfSymbolId(state, orderTableSymbol(ot, slot));
        if (index >= 0) {
          const r = symRec(state, index);
          const touch = orderTableSide(ot, slot) == Side.BUY ? load<i32>(r + R_BID) : load<i32>(r + R_ASK);
          if (touch != NO_PRICE && touch > 0 && touch != orderTablePrice(ot, slot)) {
            done = requestReplace(state, slot, touch, 0, nowNs) == 1;
          }
        }
      }
      if (!done) requestCancel(state, slot, nowNs);
    }
    slot = orderTableExpired(ot, nowNs, slot + 1);
  }
  if (load<i32>(state + H_FLATTEN_COLLAR) >= 0) flattenPass(state, nowNs);
  probeIfDue(state, nowNs);
  refreshRttVerdict(state, nowNs);
  return commandCount(state) - before;
}

/**
 * When execOnTimer next has work: the earliest deadline of a resting order with no request out;
 * while cancels wait for the broker windows, when the windows free a slot; the next RTT probe
 * (i64.MIN when one is due now). i64.MAX when none.
 */
export function execNextDeadline(state: usize): i64 {
  if (!ready(state)) return i64.MAX_VALUE;
  const ot = sub(state, SUB_ORDERS);
  let min = i64.MAX_VALUE;
  let left = orderTableOpenCount(ot); // stop at the last working order, not the table's high water
  let slot = left == 0 ? -1 : orderTableNextLive(ot, 0);
  while (slot >= 0) {
    const st = orderTableState(ot, slot);
    if ((st == <i32>OrderState.LIVE || st == <i32>OrderState.PARTIALLY_FILLED)
      && (load<u8>(flagsAt(state, slot)) & F_CANCEL_WANTED) == 0) {
      const d = orderTableDeadline(ot, slot);
      if (d < min) min = d;
    }
    slot = --left == 0 ? -1 : orderTableNextLive(ot, slot + 1);
  }
  if (load<u32>(state + H_WAITING) != 0) {
    const free = brokerWindowsNextFree(sub(state, SUB_BROKER), i64.MIN_VALUE, 1);
    if (free >= 0 && free < min) min = free;
  }
  const probe = probeDueAt(state);
  if (probe < min) min = probe;
  return min;
}

/** Address of the kill word (i32): any thread may Atomics.store 1; the core halts on its next call. */
export function execKillAddress(state: usize): usize {
  return state + H_KILL;
}

/**
 * The operator's flatten, allowed in every trading state (from ACTIVE it first demands REDUCING as
 * OPERATOR, lifted by execReset): per symbol with a position, cancel the
 * orders that would add to it and send a reduce-only IOC at the touch ∓ collarTicks (a long sells at
 * bid − collar) for what the working exits do not already cover; repeated as cancels and fills come
 * back until every position is flat, or stopped when an IOC ends with quantity left.
 */
export function execFlatten(state: usize, collarTicks: i32, nowNs: i64): i32 {
  if (!ready(state)) return ExecStatus.NOT_INITIALIZED;
  if (collarTicks < 0) return ExecStatus.BAD_PARAM;
  const before = commandCount(state);
  // A flatten means "get me flat": no new entries while it runs (and after, until execReset).
  const risk = sub(state, SUB_RISK);
  if (riskTradingState(risk) == TradingState.ACTIVE) riskSetTradingState(risk, TradingState.REDUCING, TradingStateReason.OPERATOR, nowNs);
  settle(state, nowNs);
  store<i32>(state + H_FLATTEN_COLLAR, collarTicks);
  flattenPass(state, nowNs);
  return commandCount(state) - before;
}

function flattenPass(state: usize, nowNs: i64): void {
  const collar = load<i32>(state + H_FLATTEN_COLLAR);
  const ot = sub(state, SUB_ORDERS);
  const pos = sub(state, SUB_POSITIONS);
  const n = load<i32>(state + H_SYMBOLS);
  let open = false;
  for (let i: i32 = 0; i < n; i++) {
    const position = positionsPosition(pos, i);
    if (position == 0) continue;
    open = true;
    const r = symRec(state, i);
    const symbolId = load<u32>(r + R_ID);
    const exitSide = position > 0 ? Side.SELL : Side.BUY;
    // Orders that would add to the position go first.
    let slot = orderTableNextLive(ot, 0);
    while (slot >= 0) {
      if (orderTableSymbol(ot, slot) == symbolId && orderTableSide(ot, slot) != exitSide) requestCancel(state, slot, nowNs);
      slot = orderTableNextLive(ot, slot + 1);
    }
    const held = position > 0 ? position : -position;
    const remainder = held - orderTableWorkingQty(ot, symbolId, exitSide);
    if (remainder <= 0) continue;
    const touch = exitSide == Side.SELL ? load<i32>(r + R_BID) : load<i32>(r + R_ASK);
    if (touch == NO_PRICE || touch <= 0) continue;
    let price = exitSide == Side.SELL ? touch - collar : touch + collar;
    if (price < 1) price = 1;
    submitNew(state, i, exitSide, price, <i32>remainder, TimeInForce.IOC, ExecFlag.FLATTEN, load<f64>(r + R_FAIR), nowNs);
  }
  if (!open) store<i32>(state + H_FLATTEN_COLLAR, -1);
}

/** The operator's reset (authenticated on the host): clears the kill word, every trading-state demand and the halt, re-arms the breaker, ends a flatten. */
export function execReset(state: usize, nowNs: i64): i32 {
  if (!ready(state)) return ExecStatus.NOT_INITIALIZED;
  atomic.store<i32>(state + H_KILL, 0);
  store<u32>(state + H_KILL_SEEN, 0);
  riskReset(sub(state, SUB_RISK), nowNs);
  circuitBreakerReset(sub(state, SUB_BREAKER), nowNs);
  store<i32>(state + H_FLATTEN_COLLAR, -1);
  store<u32>(state + H_SEEN_STATE, TradingState.ACTIVE);
  return ExecStatus.OK;
}

/** A new trading day (OTR ledger numbering, ≥ the current one): day totals of positions and broker windows restart, the OTR ledger rolls, the daily-loss demand lifts. */
export function execNewDay(state: usize, day: i32, nowNs: i64): i32 {
  if (!ready(state)) return ExecStatus.NOT_INITIALIZED;
  if (day < load<i32>(state + H_DAY)) return ExecStatus.BAD_PARAM;
  if (otrRoll(sub(state, SUB_OTR), day) < 0) return ExecStatus.SUB_MODULE;
  store<i32>(state + H_DAY, day);
  positionsNewDay(sub(state, SUB_POSITIONS));
  brokerWindowsNewDay(sub(state, SUB_BROKER));
  const risk = sub(state, SUB_RISK);
  if (riskTradingState(risk) != TradingState.HALTED) riskSetTradingState(risk, TradingState.ACTIVE, TradingStateReason.DAILY_LOSS, nowNs);
  return ExecStatus.OK;
}

/** Sets one parameter (ExecParam; value ranges there). 0 or BAD_PARAM (nothing changed). */
export function execSetParam(state: usize, key: i32, value: i64): i32 {
  if (!ready(state)) return ExecStatus.NOT_INITIALIZED;
  if (key == ExecParam.QTY) {
    if (value < 1 || value > MAX_QTY) return ExecStatus.BAD_PARAM;
    store<i32>(state + H_QTY, <i32>value);
  } else if (key == ExecParam.THRESHOLD_MILLI) {
    if (value < 0 || value > 1_000_000) return ExecStatus.BAD_PARAM;
    store<f64>(state + H_THRESHOLD, <f64>value / 1000.0);
  } else if (key == ExecParam.MAX_POSITION) {
    if (value < 0 || value > (<i64>1 << 50)) return ExecStatus.BAD_PARAM;
    const n = load<i32>(state + H_SYMBOLS);
    for (let i: i32 = 0; i < n; i++) riskSetMaxPosition(sub(state, SUB_RISK), i, value);
    store<i64>(state + H_MAX_POSITION, value);
  } else if (key == ExecParam.TTL_NS) {
    if (value < 1 || value > MAX_TTL_NS) return ExecStatus.BAD_PARAM;
    orderTableSetTtl(sub(state, SUB_ORDERS), value);
  } else if (key == ExecParam.TTL_ACTION) {
    if (value != ExecTtlAction.CANCEL && value != ExecTtlAction.REPRICE) return ExecStatus.BAD_PARAM;
    store<i32>(state + H_TTL_ACTION, <i32>value);
  } else if (key == ExecParam.NEV_GAIN_MILLI) {
    if (value < 0 || value > 100_000) return ExecStatus.BAD_PARAM;
    store<f64>(state + H_GAIN, <f64>value / 1000.0);
  } else if (key == ExecParam.TARGET_OTR_MILLI) {
    if (value < -1 || value > 1_000_000_000) return ExecStatus.BAD_PARAM;
    store<i32>(state + H_TARGET_OTR, <i32>value);
  } else if (key == ExecParam.WINDOW) {
    const kind = load<i32>(state + H_KIND);
    const hi: i64 = kind == StrategyKind.STRESS ? <i64>STRESS_MAX_DEPTH : <i64>MR_MAX_WINDOW;
    const lo: i64 = kind == StrategyKind.STRESS ? 1 : 2;
    if (value < lo || value > hi) return ExecStatus.BAD_PARAM;
    store<i32>(state + H_WINDOW, <i32>value);
  } else if (key == ExecParam.K_MILLI) {
    if (value < 1 || value > 100_000) return ExecStatus.BAD_PARAM;
    store<f64>(state + H_K, <f64>value / 1000.0);
  } else if (key == ExecParam.OFFSET_TICKS) {
    if (value < 1 || value > 1_000_000) return ExecStatus.BAD_PARAM;
    store<i32>(state + H_OFFSET, <i32>value);
  } else if (key == ExecParam.DAY) {
    if (value < <i64>load<i32>(state + H_DAY) || value > <i64>i32.MAX_VALUE) return ExecStatus.BAD_PARAM;
    if (otrRoll(sub(state, SUB_OTR), <i32>value) < 0) return ExecStatus.BAD_PARAM;
    store<i32>(state + H_DAY, <i32>value);
  } else if (key == ExecParam.TRADE_RATE_FLOOR_MILLI) {
    if (value < 0 || value > 1_000_000_000) return ExecStatus.BAD_PARAM;
    store<f64>(state + H_RATE_FLOOR, <f64>value / 1000.0);
  } else if (key == ExecParam.NEV_HORIZON_NS) {
    if (value < 1 || value > MAX_TTL_NS) return ExecStatus.BAD_PARAM;
    store<i64>(state + H_HORIZON, value);
  } else if (key == ExecParam.PROBE_INTERVAL_NS || key == ExecParam.PROBE_IDLE_NS) {
    const hi: i64 = key == ExecParam.PROBE_INTERVAL_NS ? 60_000 * MS : 3_600_000 * MS;
    if ((value != 0 && value < MS) || value < 0 || value > hi) return ExecStatus.BAD_PARAM;
    store<i64>(state + (key == ExecParam.PROBE_INTERVAL_NS ? H_PROBE_INTERVAL : H_PROBE_IDLE), value);
  } else if (key == ExecParam.TRADE_RATE_HALF_LIFE_NS) {
    if (value < 1 || value > 86_400_000 * MS) return ExecStatus.BAD_PARAM;
    const n = load<i32>(state + H_SYMBOLS);
    for (let i: i32 = 0; i < n; i++) tradeRateInit(symRec(state, i) + R_TRADE_RATE, value);
  } else {
    return ExecStatus.BAD_PARAM;
  }
  return ExecStatus.OK;
}

/** The trading state (TradingState), the kill word folded in: HALTED from the moment it is set. */
export function execTradingState(state: usize): u32 {
  if (atomic.load<i32>(state + H_KILL) != 0) return TradingState.HALTED;
  return riskTradingState(sub(state, SUB_RISK));
}

/** Why (TradingStateReason): KILL from the moment the kill word is set and the core has not yet reset. */
export function execTradingReason(state: usize): u32 {
  if (atomic.load<i32>(state + H_KILL) != 0 && load<u32>(state + H_KILL_SEEN) == 0) return TradingStateReason.KILL;
  return riskTradingReason(sub(state, SUB_RISK));
}

/** Commands appended since the last execCommandsClear. */
export function execCommandCount(state: usize): i32 {
  return load<i32>(state + H_CMD_COUNT);
}

/** Address of the first command record (32 bytes each; layout in exec-layout.ts). */
export function execCommandAddress(state: usize): usize {
  return sub(state, SUB_COMMANDS);
}

/** Empties the command buffer (after the driver sent them). */
export function execCommandsClear(state: usize): void {
  store<i32>(state + H_CMD_COUNT, 0);
}

/**
 * The order path for a test or a driver: a new LIMIT order on symbol `index` (ExecFlag flags),
 * through every check of the stage. 1 (NEW appended) or REFUSED (execLastRefusal says why) or < 0.
 */
export function execSubmit(state: usize, index: i32, side: u32, priceTicks: i32, qty: i32, tif: u32, flags: i32, nowNs: i64): i32 {
  if (!ready(state)) return ExecStatus.NOT_INITIALIZED;
  if (!validIndex(state, index) || load<i32>(symRec(state, index) + R_TICK) == 0) return ExecStatus.BAD_SYMBOL;
  settle(state, nowNs);
  const s = submitNew(state, index, side, priceTicks, qty, tif, flags, load<f64>(symRec(state, index) + R_FAIR), nowNs);
  return s;
}

/** A cancel of the working order clOrdId (test hook and operator): 1 sent, 0 parked or nothing to do, < 0 unknown. */
export function execCancel(state: usize, clOrdId: u64, nowNs: i64): i32 {
  if (!ready(state)) return ExecStatus.NOT_INITIALIZED;
  const slot = orderTableFind(sub(state, SUB_ORDERS), clOrdId);
  if (slot < 0) return ExecStatus.BAD_PARAM;
  return requestCancel(state, slot, nowNs);
}

/** A reprice of the working order clOrdId to priceTicks (test hook): 1 sent or REFUSED. */
export function execReplace(state: usize, clOrdId: u64, priceTicks: i32, nowNs: i64): i32 {
  if (!ready(state)) return ExecStatus.NOT_INITIALIZED;
  const slot = orderTableFind(sub(state, SUB_ORDERS), clOrdId);
  if (slot < 0) return ExecStatus.BAD_PARAM;
  return requestReplace(state, slot, priceTicks, 0, nowNs);
}

/** The clOrdId the core will give its next request. */
export function execNextClOrdId(state: usize): u64 {
  return load<u64>(state + H_NEXT_ID);
}

// Host side of pre-trade risk and the trading state (wasm-core/pre-trade-risk.ts): config validation,
// the state block's size and init, a typed check, trading-state calls and readers for telemetry.
//
// The checks, their fixed order and the trading-state rule (per-source demands, HALTED latched until
// riskReset) are documented once, in the core file. Limits are global except the max position, which
// is per symbol (a default for every symbol plus overrides by name). Every limit 0 = none. Money is
// configured in rupees (number or decimal string, at most 2 decimals) and kept in paise.
import { ConfigError } from '../config/config-error.js';
import { decimalTextOf, integerIn, isTable, onlyKeys, type Table } from '../config/validate.js';
import { decimalToScaled } from './cost-model.js';

import type { CoreExports } from '../core/core.js';
import { RiskFlag, RiskStatus } from '../../build/core-constants.js';
import { TradingStateReason } from '../model/vocabulary.js';
import { RiskRefusal, Side, TradingState } from '../model/vocabulary.js';

export { RiskFlag, RiskStatus, TradingStateReason };

export type RiskRefusalName = keyof typeof RiskRefusal;
export type TradingStateName = keyof typeof TradingState;
export type TradingStateReasonName = keyof typeof TradingStateReason;
/** The sources that may demand a trading state (NONE and RESET are only ever reported). */
export type DemandSource = Exclude<TradingStateReasonName, 'NONE' | 'RESET'>;

export interface RiskConfig {
  /** Largest quantity of one order. */
  readonly maxOrderQty: number;
  /** Largest price × qty of one order, rupees. */
  readonly maxNotionalRupees: number | string;
  /** Working orders at once, every symbol together. */
  readonly maxOpenOrders: number;
  /** Σ |position| × price over symbols after an order, rupees. */
  readonly maxGrossExposureRupees: number | string;
  /** Realized + unrealized P&L of the day at or below −this refuses new risk, rupees. */
  readonly dailyLossRupees: number | string;
  /** Max |position + working same side| of every symbol not named in maxPositionBySymbol. */
  readonly maxPosition: number;
  /** Max position by symbol name. */
  readonly maxPositionBySymbol: Readonly<Record<string, number>>;
}

/** Placeholder limits for the default config (a cash-intraday account of a few lakh rupees). */
export const DEFAULT_RISK_CONFIG: RiskConfig = {
  maxOrderQty: 1000,
  maxNotionalRupees: 500_000,
  maxOpenOrders: 20,
  maxGrossExposureRupees: 2_000_000,
  dailyLossRupees: 10_000,
  maxPosition: 2000,
  maxPositionBySymbol: {},
};

const KEYS = Object.keys(DEFAULT_RISK_CONFIG);
export const MAX_QTY_LIMIT = 2 ** 31 - 1;
export const MAX_POSITION_LIMIT = 2 ** 50;
export const MAX_OPEN_ORDERS = 1_000_000;
/** ₹10^13 (10^15 paise): any account, and far inside the core's i64 arithmetic. */
export const MAX_RUPEES = 10_000_000_000_000n;

export interface ResolvedRiskConfig {
  readonly maxOrderQty: number;
  readonly maxNotionalPaise: bigint;
  readonly maxOpenOrders: number;
  readonly maxGrossExposurePaise: bigint;
  readonly dailyLossPaise: bigint;
  /** Max position per symbol, in the order of the symbols given. */
  readonly maxPositions: readonly number[];
}

/** Rupees (number or decimal string, ≥ 0, at most 2 decimals) to paise, exactly. */
export function rupeesConfig(key: string, v: unknown): bigint {
  const allowed = `rupees in [0, ${MAX_RUPEES}] with at most 2 decimals (0 = none)`;
  if (typeof v === 'number' && !Number.isFinite(v)) throw new ConfigError(key, allowed, String(v));
  const text = decimalTextOf(v);
  const paise = text === undefined ? undefined : decimalToScaled(text, 2);
  if (paise === undefined || paise < 0n || paise > MAX_RUPEES * 100n) throw new ConfigError(key, allowed, v);
  return paise;
}

/** Fills defaults and checks every key (errors name `risk.<key>`); `symbols` are the engine's, in block order. */
export function resolveRiskConfig(partial: Partial<RiskConfig> | Table = {}, symbols: readonly string[], path = 'risk'): ResolvedRiskConfig {
  onlyKeys(path, partial as Table, KEYS);
  if (symbols.length < 1) throw new ConfigError('symbols', 'at least one symbol', symbols.length);
  const c = { ...DEFAULT_RISK_CONFIG, ...(partial as Partial<RiskConfig>) };
  const maxPosition = integerIn(`${path}.maxPosition`, c.maxPosition, 0, MAX_POSITION_LIMIT, ' (0 = none)');
  const bySymbol: unknown = c.maxPositionBySymbol;
  if (!isTable(bySymbol)) throw new ConfigError(`${path}.maxPositionBySymbol`, 'a table of symbol = max position', bySymbol);
  onlyKeys(`${path}.maxPositionBySymbol`, bySymbol, symbols, `a configured symbol (${symbols.join(', ')})`);
  const maxPositions = symbols.map((s) => bySymbol[s] === undefined
    ? maxPosition
    : integerIn(`${path}.maxPositionBySymbol.${s}`, bySymbol[s], 0, MAX_POSITION_LIMIT, ' (0 = none)'));
  return {
    maxOrderQty: integerIn(`${path}.maxOrderQty`, c.maxOrderQty, 0, MAX_QTY_LIMIT, ' (0 = none)'),
    maxNotionalPaise: rupeesConfig(`${path}.maxNotionalRupees`, c.maxNotionalRupees),
    maxOpenOrders: integerIn(`${path}.maxOpenOrders`, c.maxOpenOrders, 0, MAX_OPEN_ORDERS, ' (0 = none)'),
    maxGrossExposurePaise: rupeesConfig(`${path}.maxGrossExposureRupees`, c.maxGrossExposureRupees),
    dailyLossPaise: rupeesConfig(`${path}.dailyLossRupees`, c.dailyLossRupees),
    maxPositions,
  };
}

/** A memory-map state entry for a block of `symbols` symbols. */
export function riskStatePlan(core: Pick<CoreExports, 'riskBytes'>, name: string, symbols: number): { name: string; bytes: number } {
  return { name, bytes: core.riskBytes(symbols) };
}

function ok(fn: string, status: number): void {
  if (status < 0) throw new Error(`${fn} failed with status ${status} (${statusName(status)})`);
}

function statusName(status: number): string {
  const hit = Object.entries(RiskStatus).find(([, v]) => v === status);
  return hit ? hit[0] : 'unknown';
}

/** Writes the config's limits into an initialised block (also at run time: the parameter mailbox). */
export function writeRiskLimits(core: CoreExports, state: number, c: ResolvedRiskConfig): void {
  ok('riskSetLimits', core.riskSetLimits(
    state, BigInt(c.maxOrderQty), c.maxNotionalPaise, c.maxOpenOrders, c.maxGrossExposurePaise, c.dailyLossPaise,
  ));
  c.maxPositions.forEach((m, i) => ok('riskSetMaxPosition', core.riskSetMaxPosition(state, i, BigInt(m))));
}

/** Validates, clears the block at `state` (ACTIVE since nowNs) and writes the limits. */
export function initRisk(
  core: CoreExports, state: number, symbols: readonly string[], partial: Partial<RiskConfig> | Table = {}, nowNs = 0n,
): ResolvedRiskConfig {
  const c = resolveRiskConfig(partial, symbols);
  ok('riskInit', core.riskInit(state, symbols.length, nowNs));
  writeRiskLimits(core, state, c);
  return c;
}

/** One order as riskCheck sees it (money in paise, quantities in lots/shares, price in ticks). */
export interface RiskOrder {
  readonly symbol: number;
  readonly side: 'buy' | 'sell';
  readonly priceTicks: number;
  readonly qty: number;
  readonly tickPaise: number;
  readonly position: bigint;
  readonly workingBuyQty: bigint;
  readonly workingSellQty: bigint;
  readonly openOrders: number;
  readonly grossExposurePaise: bigint;
  readonly dailyPnlPaise: bigint;
  /** An operator's flatten exit: let through HALTED to the reduce-only rule. */
  readonly flatten?: boolean;
}

/** riskCheck with names: 'NONE' (passed) or the refusing check; a bad argument throws a RangeError. */
export function checkOrder(core: CoreExports, state: number, o: RiskOrder): RiskRefusalName {
  const code = core.riskCheck(
    state, o.symbol, o.side === 'buy' ? Side.BUY : Side.SELL, o.priceTicks, o.qty, o.tickPaise,
    o.position, o.workingBuyQty, o.workingSellQty, o.openOrders, o.grossExposurePaise, o.dailyPnlPaise,
    o.flatten ? RiskFlag.FLATTEN : 0,
  );
  if (code < 0) throw new RangeError(`riskCheck: ${statusName(code)} (${code})`);
  return refusalName(code);
}

export function refusalName(code: number): RiskRefusalName {
  const hit = (Object.keys(RiskRefusal) as RiskRefusalName[]).find((k) => RiskRefusal[k] === code);
  if (hit === undefined) throw new RangeError(`unknown risk refusal code ${code}`);
  return hit;
}

export function tradingStateName(code: number): TradingStateName {
  const hit = (Object.keys(TradingState) as TradingStateName[]).find((k) => TradingState[k] === code);
  if (hit === undefined) throw new RangeError(`unknown trading state ${code}`);
  return hit;
}

export function reasonName(code: number): TradingStateReasonName {
  const hit = (Object.keys(TradingStateReason) as TradingStateReasonName[]).find((k) => TradingStateReason[k] === code);
  if (hit === undefined) throw new RangeError(`unknown trading-state reason ${code}`);
  return hit;
}

/** `source` demands `demand`: 'changed' or 'unchanged' (the trading state), 'halt-latched' (refused: HALTED until reset). */
export function demandTradingState(
  core: CoreExports, state: number, demand: TradingStateName, source: DemandSource, nowNs: bigint,
): 'changed' | 'unchanged' | 'halt-latched' {
  const s = core.riskSetTradingState(state, TradingState[demand], TradingStateReason[source], nowNs);
  if (s === RiskStatus.HALT_LATCHED) return 'halt-latched';
  ok('riskSetTradingState', s);
  return s === RiskStatus.CHANGED ? 'changed' : 'unchanged';
}

export interface RiskSnapshot {
  readonly trading_state: TradingStateName;
  readonly reason: TradingStateReasonName;
  readonly since_ns: bigint;
  readonly state_changes: number;
  /** Each source's current demand. */
  readonly demands: Readonly<Record<DemandSource, TradingStateName>>;
  readonly limits: {
    readonly max_order_qty: number;
    readonly max_notional_paise: bigint;
    readonly max_open_orders: number;
    readonly max_gross_exposure_paise: bigint;
    readonly daily_loss_paise: bigint;
    readonly max_position: Readonly<Record<string, number>>;
  };
  /** riskCheck answers by code name; NONE = orders passed. */
  readonly checks: Readonly<Record<RiskRefusalName, number>>;
  readonly invalid_calls: number;
}

const SOURCES = (Object.keys(TradingStateReason) as TradingStateReasonName[])
  .filter((k): k is DemandSource => k !== 'NONE' && k !== 'RESET');

/** The block as plain JSON-ready data; `symbols` name the per-symbol limits. */
export function readRisk(core: CoreExports, state: number, symbols: readonly string[]): RiskSnapshot {
  return {
    trading_state: tradingStateName(core.riskTradingState(state)),
    reason: reasonName(core.riskTradingReason(state)),
    since_ns: core.riskTradingSinceNs(state),
    state_changes: core.riskStateChanges(state) >>> 0,
    demands: Object.fromEntries(SOURCES.map((s) => [s, tradingStateName(core.riskDemand(state, TradingStateReason[s]))])) as
      Record<DemandSource, TradingStateName>,
    limits: {
      max_order_qty: Number(core.riskMaxOrderQty(state)),
      max_notional_paise: core.riskMaxNotionalPaise(state),
      max_open_orders: core.riskMaxOpenOrders(state),
      max_gross_exposure_paise: core.riskMaxGrossExposurePaise(state),
      daily_loss_paise: core.riskDailyLossPaise(state),
      max_position: Object.fromEntries(symbols.map((s, i) => [s, Number(core.riskMaxPosition(state, i))])),
    },
    checks: Object.fromEntries((Object.keys(RiskRefusal) as RiskRefusalName[])
      .map((k) => [k, core.riskRefusals(state, RiskRefusal[k]) >>> 0])) as Record<RiskRefusalName, number>,
    invalid_calls: core.riskInvalidCalls(state) >>> 0,
  };
}

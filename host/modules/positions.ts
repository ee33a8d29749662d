// Host side of positions and P&L (wasm-core/positions.ts): typed exports, config validation, layout,
// and readers that turn the state block into plain data.
//
// One block holds every symbol of a book of positions (the engine's symbols, indexed 0..n−1 as in
// its config). Money is bigint paise throughout: the core's bound is 1e16 paise, above 2^53, so a
// number would round. The execution stage calls costFill (wasm-core/cost-model.ts) for a fill's
// charges and passes the total to positionsOnFill; this file does neither on the hot path.
import type { CoreExports } from '../core/core.js';
import type { Side } from '../model/vocabulary.js';
import { PositionsStatus } from '../../build/core-constants.js';
export { PositionsStatus };
import { ConfigError } from '../config/config-error.js';
import { integerIn, objectWithKeys } from '../config/validate.js';

/** Symbols one block may hold (the totals' overflow bound assumes no more). */
export const MAX_POSITION_SYMBOLS = 128;
/** Largest tick size, paise. */
export const MAX_TICK_PAISE = 1_000_000;
/** Largest fill quantity, |position| and lot size, units. */
export const MAX_POSITION_QTY = 1_000_000_000;
/** Bound of every per-symbol money field (cost, |position| × mark, realized, charges, day totals), paise. */
export const MAX_POSITION_PAISE = 10_000_000_000_000_000n;
/** A symbol's mark before the first mark or fill (the core's NO_PRICE). */
export const NO_MARK = -2147483648;

const STATUS_TEXT: Record<number, string> = {
  [PositionsStatus.BAD_SYMBOL]: 'symbol index outside the block',
  [PositionsStatus.NOT_CONFIGURED]: 'symbol not configured (no tick size)',
  [PositionsStatus.BAD_SIDE]: 'side is neither buy (0) nor sell (1)',
  [PositionsStatus.BAD_PRICE]: 'price or mark below 1 tick',
  [PositionsStatus.BAD_QTY]: `quantity outside 1..${MAX_POSITION_QTY} or not a whole number of lots`,
  [PositionsStatus.BAD_CHARGES]: 'charges negative or above 1e16 paise',
  [PositionsStatus.OVERFLOW]: 'a position, cost, exposure or P&L would pass its bound (1e9 units, 1e16 paise)',
  [PositionsStatus.BAD_CONFIG]: 'bad positions config',
  [PositionsStatus.MISALIGNED]: 'positions state is not 8-byte aligned',
  [PositionsStatus.NOT_INITIALIZED]: 'positions state not initialised',
  [PositionsStatus.POSITION_OPEN]: 'symbol has an open position and cannot be reconfigured',
};

export function describePositionsStatus(status: number): string {
  if (status === PositionsStatus.OK) return 'ok';
  return STATUS_TEXT[status] ?? `unknown status ${status}`;
}

/** A refused positions call. */
export class PositionsError extends Error {
  override readonly name = 'PositionsError';
  constructor(readonly status: number, what: string) {
    super(`${what}: ${describePositionsStatus(status)} (status ${status})`);
  }
}

export interface PositionSymbolConfig {
  /** Tick size in paise: money = ticks × tickPaise × qty. */
  readonly tickPaise: number;
  /** Units per lot; fills must be whole lots. Default 1. */
  readonly lotSize?: number;
}

export interface PositionsConfig {
  /** Index i is the core's symbol i. */
  readonly symbols: readonly PositionSymbolConfig[];
}

export interface ResolvedPositionSymbol {
  readonly tickPaise: number;
  readonly lotSize: number;
}

/** Checks every key (errors name `positions.<key>`) and fills the lot-size default. */
export function resolvePositionsConfig(config: PositionsConfig): readonly ResolvedPositionSymbol[] {
  const t = objectWithKeys('positions', config, ['symbols']);
  const symbols = t.symbols;
  if (!Array.isArray(symbols) || symbols.length < 1 || symbols.length > MAX_POSITION_SYMBOLS) {
    throw new ConfigError('positions.symbols', `a list of 1 to ${MAX_POSITION_SYMBOLS} symbols`, symbols);
  }
  return symbols.map((s: unknown, i) => {
    const key = `positions.symbols[${i}]`;
    const v = objectWithKeys(key, s, ['tickPaise', 'lotSize']);
    return {
      tickPaise: integerIn(`${key}.tickPaise`, v.tickPaise, 1, MAX_TICK_PAISE),
      lotSize: v.lotSize === undefined ? 1 : integerIn(`${key}.lotSize`, v.lotSize, 1, MAX_POSITION_QTY),
    };
  });
}

/** Bytes of a block for `symbols` symbols. */
export function positionsStatePlan(core: Pick<CoreExports, 'positionsBytes'>, name: string, symbols: number): { name: string; bytes: number } {
  integerIn('positions.symbols', symbols, 1, MAX_POSITION_SYMBOLS, ' (symbol count)');
  return { name, bytes: core.positionsBytes(symbols) };
}

/** Validates `config` and writes it at `state`: every position flat, no marks, no totals. */
export function initPositions(core: CoreExports, state: number, config: PositionsConfig): readonly ResolvedPositionSymbol[] {
  const symbols = resolvePositionsConfig(config);
  const status = core.positionsInit(state, symbols.length);
  if (status !== PositionsStatus.OK) throw new PositionsError(status, `positionsInit(${state}, ${symbols.length})`);
  symbols.forEach((s, i) => {
    const got = core.positionsSetSymbol(state, i, s.tickPaise, s.lotSize);
    if (got !== PositionsStatus.OK) throw new PositionsError(got, `positionsSetSymbol(${i})`);
  });
  return symbols;
}

/** One fill as the execution stage reports it. */
export interface PositionFill {
  readonly symbol: number;
  readonly side: Side;
  readonly priceTicks: number;
  readonly qty: bigint;
  /** The cost model's total for this fill (costFill), paise. */
  readonly chargesPaise: bigint;
  readonly nowNs: bigint;
}

/** positionsOnFill off the hot path (tools, replay, tests): throws PositionsError on a refusal. */
export function applyFill(core: CoreExports, state: number, f: PositionFill): void {
  const s = core.positionsOnFill(state, f.symbol, f.side, f.priceTicks, f.qty, f.chargesPaise, f.nowNs);
  if (s !== PositionsStatus.OK) throw new PositionsError(s, `positionsOnFill(symbol ${f.symbol})`);
}

export interface PositionSnapshot {
  readonly symbol: number;
  readonly tick_paise: number;
  readonly lot_size: number;
  readonly position: bigint;
  readonly cost_paise: bigint;
  readonly avg_price_paise: bigint;
  /** null before the first mark or fill. */
  readonly mark_ticks: number | null;
  readonly realized_paise: bigint;
  readonly charges_paise: bigint;
  readonly net_realized_paise: bigint;
  readonly unrealized_paise: bigint;
  readonly exposure_paise: bigint;
  readonly fills: bigint;
  readonly day: {
    readonly realized_paise: bigint;
    readonly charges_paise: bigint;
    readonly buy_turnover_paise: bigint;
    readonly sell_turnover_paise: bigint;
    readonly bought: bigint;
    readonly sold: bigint;
    readonly fills: number;
    readonly start_unrealized_paise: bigint;
    readonly pnl_paise: bigint;
  };
  readonly last_fill_ns: bigint;
}

export interface PositionsSnapshot {
  readonly symbols: readonly PositionSnapshot[];
  readonly realized_paise: bigint;
  readonly charges_paise: bigint;
  readonly net_realized_paise: bigint;
  readonly unrealized_paise: bigint;
  readonly gross_exposure_paise: bigint;
  readonly day: {
    readonly realized_paise: bigint;
    readonly charges_paise: bigint;
    readonly net_realized_paise: bigint;
    readonly pnl_paise: bigint;
    readonly fills: number;
  };
}

/** Symbol `i` of the block as plain data. */
export function readPosition(core: CoreExports, state: number, i: number): PositionSnapshot {
  const mark = core.positionsMarkTicks(state, i);
  return {
    symbol: i,
    tick_paise: core.positionsTickPaise(state, i),
    lot_size: core.positionsLotSize(state, i),
    position: core.positionsPosition(state, i),
    cost_paise: core.positionsCostPaise(state, i),
    avg_price_paise: core.positionsAvgPricePaise(state, i),
    mark_ticks: mark === NO_MARK ? null : mark,
    realized_paise: core.positionsRealizedPaise(state, i),
    charges_paise: core.positionsChargesPaise(state, i),
    net_realized_paise: core.positionsNetRealizedPaise(state, i),
    unrealized_paise: core.positionsUnrealizedPaise(state, i),
    exposure_paise: core.positionsExposurePaise(state, i),
    fills: core.positionsFills(state, i),
    day: {
      realized_paise: core.positionsDayRealizedPaise(state, i),
      charges_paise: core.positionsDayChargesPaise(state, i),
      buy_turnover_paise: core.positionsDayBuyTurnoverPaise(state, i),
      sell_turnover_paise: core.positionsDaySellTurnoverPaise(state, i),
      bought: core.positionsDayBoughtQty(state, i),
      sold: core.positionsDaySoldQty(state, i),
      fills: core.positionsDayFills(state, i),
      start_unrealized_paise: core.positionsDayStartUnrealizedPaise(state, i),
      pnl_paise: core.positionsDayPnlPaise(state, i),
    },
    last_fill_ns: core.positionsLastFillNs(state, i),
  };
}

/** The whole block as plain data: every symbol and the totals. */
export function readPositions(core: CoreExports, state: number): PositionsSnapshot {
  const n = core.positionsSymbolCount(state);
  return {
    symbols: Array.from({ length: n }, (_, i) => readPosition(core, state, i)),
    realized_paise: core.positionsTotalRealizedPaise(state),
    charges_paise: core.positionsTotalChargesPaise(state),
    net_realized_paise: core.positionsTotalNetRealizedPaise(state),
    unrealized_paise: core.positionsTotalUnrealizedPaise(state),
    gross_exposure_paise: core.positionsGrossExposurePaise(state),
    day: {
      realized_paise: core.positionsTotalDayRealizedPaise(state),
      charges_paise: core.positionsTotalDayChargesPaise(state),
      net_realized_paise: core.positionsTotalDayNetRealizedPaise(state),
      pnl_paise: core.positionsTotalDayPnlPaise(state),
      fills: Number(core.positionsTotalDayFills(state)),
    },
  };
}

/** Paise as rupees text, exact: -123456n → "-1234.56". */
export function rupees(paise: bigint): string {
  const sign = paise < 0n ? '-' : '';
  const a = paise < 0n ? -paise : paise;
  return `${sign}${a / 100n}.${(a % 100n).toString().padStart(2, '0')}`;
}

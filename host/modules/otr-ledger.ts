// Host side of the OTR ledger (wasm-core/otr-ledger.ts): typed exports, config validation, layout.
//
// Days are integers: the IST calendar date as days since 1970-01-01 (dayNumber('1970-01-01') = 0).
// The ban window is therefore in calendar days. Prices reach the core in integer ticks; OTR
// thresholds and targets as OTR × 1000 integers ("milli"), so slab boundaries compare exactly.
import type { CoreExports } from '../core/core.js';
import { OtrStatus } from '../../build/core-constants.js';
export { OtrStatus };
import { ConfigError } from '../config/config-error.js';
import { integerIn, isTable, oneOf } from '../config/validate.js';


const STATUS_TEXT: Record<number, string> = {
  [-1]: 'day is earlier than the ledger\'s current day',
  [-2]: 'bad ledger config',
  [-3]: 'bad penalty slab',
  [-4]: 'a daily count would pass 2^31 - 1',
  [-5]: 'negative OTR target',
  [-6]: 'negative day number',
  [-7]: 'ledger state is not 8-byte aligned',
};

export function describeOtrStatus(status: number): string {
  if (status === OtrStatus.COUNTED) return 'counted';
  if (status === OtrStatus.EXEMPT) return 'exempt';
  return STATUS_TEXT[status] ?? `unknown status ${status}`;
}

/** A refused ledger call. */
export class OtrError extends Error {
  override readonly name = 'OtrError';
  constructor(readonly status: number, what: string) {
    super(`${what}: ${describeOtrStatus(status)} (status ${status})`);
  }
}

/** The ledger's day before its first event. */
export const NO_DAY = -2147483648;
/** otrBudget's answer when nothing limits (no trades and zeroTradeOtr 'zero'). */
export const UNLIMITED_BUDGET = 2147483647;

export type Segment = 'cash' | 'futures' | 'options';
export const SEGMENTS: readonly Segment[] = ['cash', 'futures', 'options'];
export type ZeroTradeOtr = 'orders' | 'zero';

export interface OtrSlab {
  /** Lowest OTR of the slab (the first slab starts at 0); at most three decimals. */
  readonly threshold: number;
  /** Charge per counted message of the day when the day's OTR falls in this slab. */
  readonly paisePerOrder: number;
}

export interface OtrConfig {
  readonly segment: Segment;
  /** Tick size in paise: turns the options ₹ floor into ticks. */
  readonly tickPaise: number;
  /** Cash/futures exemption band (and options before optionsEffectiveFrom), in 1/10000 of LTP. */
  readonly exemptBps: number;
  /** Options band as a percentage of the premium LTP, from optionsEffectiveFrom. */
  readonly optionsExemptPct: number;
  /** Options band floor in paise (₹20 = 2000). */
  readonly optionsFloorPaise: number;
  /** First day (YYYY-MM-DD, IST) of the options rule. */
  readonly optionsEffectiveFrom: string;
  /** A day without trades has OTR = counted messages ('orders', the worst case) or 0 ('zero'). */
  readonly zeroTradeOtr: ZeroTradeOtr;
  readonly slabs: readonly OtrSlab[];
  /** A day at or above this OTR is flagged for the opening ban. */
  readonly banOtr: number;
  /** Flagged days within the window that ban the next day's opening. */
  readonly banDays: number;
  /** Rolling window, in days, ending on the flagged day. */
  readonly banWindowDays: number;
}

/** Slabs as published by BSE under the SEBI circular of 2020-06-24 (NSE assumed equal). */
export const DEFAULT_OTR_SLABS: readonly OtrSlab[] = [
  { threshold: 0, paisePerOrder: 0 },
  { threshold: 50, paisePerOrder: 2 },
  { threshold: 250, paisePerOrder: 10 },
  { threshold: 500, paisePerOrder: 15 },
  { threshold: 1000, paisePerOrder: 20 },
  { threshold: 2000, paisePerOrder: 25 },
];

export const DEFAULT_OTR_CONFIG: OtrConfig = {
  segment: 'cash',
  tickPaise: 5,
  exemptBps: 75,
  optionsExemptPct: 40,
  optionsFloorPaise: 2000,
  optionsEffectiveFrom: '2026-04-06',
  zeroTradeOtr: 'orders',
  slabs: DEFAULT_OTR_SLABS,
  banOtr: 2000,
  banDays: 3,
  banWindowDays: 30,
};

export const MAX_OTR_SLABS = 8;
/** Largest OTR a threshold, ban level or target may name (thresholds × trades stay inside i64). */
export const MAX_OTR = 1_000_000;
export const MAX_RATE_PAISE = 1_000_000;
export const HISTORY_DAYS = 64;

const DAY_MS = 86_400_000;
const IST_OFFSET_MS = 19_800_000;

/** IST calendar date 'YYYY-MM-DD' → days since 1970-01-01. `key` names the value in the error. */
export function dayNumber(date: string, key = 'date'): number {
  const m = typeof date === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(date) : null;
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const ms = Date.UTC(y, mo - 1, d);
    const back = new Date(ms);
    if (y >= 1970 && back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d) {
      return ms / DAY_MS;
    }
  }
  throw new ConfigError(key, 'a calendar date YYYY-MM-DD from 1970-01-01 on', date);
}

/** Day number → 'YYYY-MM-DD'. */
export function dateOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Day number of the IST calendar date at a Unix time in milliseconds. */
export function dayNumberAt(epochMs: number): number {
  return Math.floor((epochMs + IST_OFFSET_MS) / DAY_MS);
}

/** `value` × 1000 as an exact integer, or undefined when it has more than three decimals. */
export function toMilli(value: number): number | undefined {
  return scaled(value, 1000);
}

/** value × scale as an exact integer when value has no more decimals than the scale allows. */
function scaled(value: number, scale: number): number | undefined {
  if (!Number.isFinite(value) || Math.abs(value) > 1e9) return undefined;
  const n = Math.round(value * scale);
  return Math.abs(n - value * scale) < 1e-6 ? n : undefined;
}

function milliIn(key: string, value: unknown, lo: number, hi: number): number {
  const milli = typeof value === 'number' ? toMilli(value) : undefined;
  if (milli === undefined || milli < lo * 1000 || milli > hi * 1000) {
    throw new ConfigError(key, `a number in [${lo}, ${hi}] with at most three decimals`, value);
  }
  return milli;
}

/** The config as the core takes it. */
export interface OtrCoreConfig {
  readonly segment: number;
  readonly tickPaise: number;
  readonly exemptBps: number;
  readonly optionsBps: number;
  readonly optionsFloorPaise: number;
  readonly optionsFromDay: number;
  readonly zeroTradeMode: number;
  readonly banOtrMilli: number;
  readonly banDays: number;
  readonly banWindowDays: number;
  readonly slabs: readonly { readonly thresholdMilli: number; readonly paisePerOrder: number }[];
}

/** Fills defaults, checks every key (errors name `otr.<key>`), and converts to core units. */
export function resolveOtrConfig(partial: Partial<OtrConfig> = {}): { config: OtrConfig; core: OtrCoreConfig } {
  const config: OtrConfig = { ...DEFAULT_OTR_CONFIG, ...partial };
  const segment = SEGMENTS.indexOf(oneOf('otr.segment', config.segment, SEGMENTS));
  const tickPaise = integerIn('otr.tickPaise', config.tickPaise, 1, 1_000_000);
  const exemptBps = integerIn('otr.exemptBps', config.exemptBps, 0, 10_000);
  const optionsBps = typeof config.optionsExemptPct === 'number' ? scaled(config.optionsExemptPct, 100) : undefined;
  if (optionsBps === undefined || optionsBps < 0 || optionsBps > 10_000) {
    throw new ConfigError('otr.optionsExemptPct', 'a percentage in [0, 100] with at most two decimals', config.optionsExemptPct);
  }
  const optionsFloorPaise = integerIn('otr.optionsFloorPaise', config.optionsFloorPaise, 0, 2_147_483_647);
  const optionsFromDay = dayNumber(config.optionsEffectiveFrom, 'otr.optionsEffectiveFrom');
  oneOf<ZeroTradeOtr>('otr.zeroTradeOtr', config.zeroTradeOtr, ['orders', 'zero'], '"orders" or "zero"');
  if (!Array.isArray(config.slabs) || config.slabs.length < 1 || config.slabs.length > MAX_OTR_SLABS) {
    throw new ConfigError('otr.slabs', `a list of 1 to ${MAX_OTR_SLABS} slabs`, config.slabs);
  }
  const slabs = config.slabs.map((s, i) => {
    const key = `otr.slabs[${i}]`;
    if (!isTable(s)) throw new ConfigError(key, 'an object { threshold, paisePerOrder }', s);
    const thresholdMilli = milliIn(`${key}.threshold`, s.threshold, 0, MAX_OTR);
    if (i === 0 && thresholdMilli !== 0) throw new ConfigError(`${key}.threshold`, '0 (the first slab starts at OTR 0)', s.threshold);
    const paisePerOrder = integerIn(`${key}.paisePerOrder`, s.paisePerOrder, 0, MAX_RATE_PAISE);
    return { thresholdMilli, paisePerOrder };
  });
  slabs.forEach((s, i) => {
    if (i > 0 && s.thresholdMilli <= slabs[i - 1]!.thresholdMilli) {
      throw new ConfigError(`otr.slabs[${i}].threshold`, `greater than otr.slabs[${i - 1}].threshold (${config.slabs[i - 1]!.threshold})`, config.slabs[i]!.threshold);
    }
  });
  const banOtrMilli = milliIn('otr.banOtr', config.banOtr, 0.001, MAX_OTR);
  const banDays = integerIn('otr.banDays', config.banDays, 1, HISTORY_DAYS);
  const banWindowDays = integerIn('otr.banWindowDays', config.banWindowDays, 1, HISTORY_DAYS);
  return {
    config,
    core: {
      segment, tickPaise, exemptBps, optionsBps, optionsFloorPaise, optionsFromDay,
      zeroTradeMode: config.zeroTradeOtr === 'zero' ? 1 : 0, banOtrMilli, banDays, banWindowDays, slabs,
    },
  };
}

/** Validates `partial` (defaults for the rest) and writes it into the ledger at `state`, emptying it. */
export function initOtrLedger(core: CoreExports, state: number, partial: Partial<OtrConfig> = {}): OtrConfig {
  const { config, core: c } = resolveOtrConfig(partial);
  const status = core.otrInit(
    state, c.segment, c.tickPaise, c.exemptBps, c.optionsBps, c.optionsFloorPaise, c.optionsFromDay,
    c.zeroTradeMode, c.banOtrMilli, c.banDays, c.banWindowDays,
  );
  if (status !== 0) throw new OtrError(status, `otrInit(${state})`);
  c.slabs.forEach((s, i) => {
    const got = core.otrAddSlab(state, s.thresholdMilli, s.paisePerOrder);
    if (got !== i) throw new OtrError(got, `otrAddSlab(${i})`);
  });
  return config;
}

/** A memory-map state entry for one ledger. */
export function otrStatePlan(core: Pick<CoreExports, 'otrBytes'>, name: string): { name: string; bytes: number } {
  return { name, bytes: core.otrBytes() };
}

/** The ledger as plain JSON-ready data (snake_case, like the CLIs). */
export interface LedgerSnapshot {
  readonly day: number | null;
  readonly date: string | null;
  readonly new: number;
  readonly modify: number;
  readonly cancel: number;
  readonly counted: number;
  readonly exempt_new: number;
  readonly exempt_modify: number;
  readonly exempt_cancel: number;
  readonly exempt: number;
  readonly trades: number;
  readonly otr: number;
  readonly slab: number;
  readonly slab_paise_per_order: number;
  readonly penalty_paise: number;
  /** Penalty of one more counted message. */
  readonly marginal_penalty_paise: number;
  readonly target_otr: number | null;
  readonly budget_to_target: number | null;
  /** Opening ban on the current day, and on the next day if today's running OTR were final. */
  readonly opening_ban: boolean;
  readonly next_day_opening_ban: boolean;
  readonly flagged_days_in_window: number;
  readonly previous: { day: number; date: string; counted: number; trades: number; penalty_paise: number } | null;
}

/** Reads the ledger at `state`; with a target (OTR × 1000) also the budget to it. */
export function readLedger(core: CoreExports, state: number, targetOtrMilli?: number): LedgerSnapshot {
  const day = core.otrDay(state);
  const has = day !== NO_DAY;
  const prevDay = core.otrPrevDay(state);
  return {
    day: has ? day : null,
    date: has ? dateOfDay(day) : null,
    new: core.otrNewOrders(state),
    modify: core.otrModifications(state),
    cancel: core.otrCancels(state),
    counted: core.otrCounted(state),
    exempt_new: core.otrExemptNew(state),
    exempt_modify: core.otrExemptModify(state),
    exempt_cancel: core.otrExemptCancel(state),
    exempt: core.otrExempt(state),
    trades: core.otrTrades(state),
    otr: core.otrRatio(state),
    slab: core.otrSlab(state),
    slab_paise_per_order: core.otrSlabPaise(state),
    penalty_paise: Number(core.otrPenaltyPaise(state)),
    marginal_penalty_paise: Number(core.otrMarginalPenaltyPaise(state, 1, 0)),
    target_otr: targetOtrMilli === undefined ? null : targetOtrMilli / 1000,
    budget_to_target: targetOtrMilli === undefined ? null : core.otrBudget(state, targetOtrMilli),
    opening_ban: has && core.otrOpeningBan(state, day) !== 0,
    next_day_opening_ban: has && core.otrOpeningBan(state, day + 1) !== 0,
    flagged_days_in_window: core.otrFlaggedInWindow(state),
    previous: prevDay === NO_DAY ? null : {
      day: prevDay, date: dateOfDay(prevDay), counted: core.otrPrevCounted(state), trades: core.otrPrevTrades(state),
      penalty_paise: Number(core.otrPrevPenaltyPaise(state)),
    },
  };
}

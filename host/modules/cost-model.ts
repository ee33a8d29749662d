// Host side of the cost model (wasm-core/cost-model.ts): typed exports, the cost profiles of
// config/costs.toml validated and converted exactly to fixed point, and helpers to load a profile
// version into a state block and read a fill's breakdown.
import type { CoreExports } from '../core/core.js';
import type { Side } from '../model/vocabulary.js';
import { CostStatus } from '../../build/core-constants.js';
export { CostStatus };
import { ConfigError } from '../config/config-error.js';
import { isLocalDate, readConfigFile } from '../config/config-file.js';
import { decimalTextOf, isTable, onlyKeys, oneOf, type Table } from '../config/validate.js';


/** Rates are integers in units of 1e-12 of turnover: 100 % = RATE_SCALE. */
export const RATE_SCALE = 1_000_000_000_000n;
/** Decimals a percentage may have and still be exact in RATE_SCALE units. */
export const MAX_PERCENT_DECIMALS = 10;
/** Largest turnover (price × qty, paise) the core accepts. */
export const MAX_TURNOVER_PAISE = 10_000_000_000_000_000n;
/** Largest flat brokerage cap in paise. */
export const MAX_BROKERAGE_FLAT_PAISE = 10_000_000_000_000_000n;
/** Bytes of the breakdown costFill writes, and the byte offset of each i64 field in it. */
export const COST_OUT_BYTES = 64;
export const CostOut = { stt: 0, exchange: 8, sebi: 16, stamp: 24, gst: 32, brokerage: 40, total: 48, turnover: 56 } as const;
/** costLoad flag: STT rounded half-up to the rupee instead of the paisa. */
export const COST_FLAG_STT_RUPEE = 1;

export type SttRounding = 'paisa' | 'rupee';

/** One version of one profile, converted exactly: rates in RATE_SCALE units, the cap in paise. */
export interface CostProfileVersion {
  readonly profile: string;
  /** The key of this version in the file, e.g. `profiles.futures[1]`, for messages. */
  readonly key: string;
  readonly effectiveFrom: string;
  readonly sttBuy: bigint;
  readonly sttSell: bigint;
  readonly exchange: bigint;
  readonly sebi: bigint;
  readonly stampBuy: bigint;
  readonly stampSell: bigint;
  readonly gst: bigint;
  readonly brokerageRate: bigint;
  readonly brokerageFlatPaise: bigint;
  readonly sttRounding: SttRounding;
}

/** Profile name → its versions in ascending effective_from order (file order of names kept). */
export type CostProfiles = ReadonlyMap<string, readonly CostProfileVersion[]>;

/** A fill's costs in paise. */
export interface CostBreakdown {
  readonly turnover_paise: number;
  readonly stt_paise: number;
  readonly exchange_paise: number;
  readonly sebi_paise: number;
  readonly stamp_paise: number;
  readonly gst_paise: number;
  readonly brokerage_paise: number;
  readonly total_paise: number;
}

const PERCENT_KEYS = [
  ['stt_buy_pct', 'sttBuy'], ['stt_sell_pct', 'sttSell'], ['exchange_pct', 'exchange'], ['sebi_pct', 'sebi'],
  ['stamp_buy_pct', 'stampBuy'], ['stamp_sell_pct', 'stampSell'], ['gst_pct', 'gst'], ['brokerage_pct', 'brokerageRate'],
] as const;
/** Keys a version may omit, with the value they default to. */
const OPTIONAL_KEYS = new Set(['stamp_sell_pct', 'stt_rounding']);
const VERSION_KEYS = ['effective_from', ...PERCENT_KEYS.map(([k]) => k), 'brokerage_flat_rupees', 'stt_rounding'];

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/**
 * The exact value of decimal text × 10^shift as a bigint, or undefined if it is not a whole number
 * (more decimals than `shift` allows) or not decimal text.
 */
export function decimalToScaled(text: string, shift: number): bigint | undefined {
  const m = DECIMAL.exec(text);
  if (!m) return undefined;
  const [, sign, whole, frac = '', exp = '0'] = m;
  const e = Number(exp) + shift - frac.length;
  if (!Number.isSafeInteger(e) || Math.abs(e) > 400) return undefined;
  let digits = BigInt(whole! + frac);
  if (e >= 0) digits *= 10n ** BigInt(e);
  else {
    const div = 10n ** BigInt(-e);
    if (digits % div !== 0n) return undefined;
    digits /= div;
  }
  return sign === '-' ? -digits : digits;
}

/** Decimal rupees (at most 2 decimals, not negative) to paise, exactly; undefined if not so written. */
export function rupeesToPaise(text: string): bigint | undefined {
  if (!/^\d+(\.\d{1,2})?$/.test(text)) return undefined;
  return decimalToScaled(text, 2);
}

/** The text of a number or decimal string from the TOML, and the value to show in a message. */
function decimalText(key: string, v: unknown, allowed: string): { text: string; shown: unknown } {
  if (typeof v === 'number' && !Number.isFinite(v)) throw new ConfigError(key, allowed, String(v));
  const text = decimalTextOf(v);
  if (text === undefined || !DECIMAL.test(text)) throw new ConfigError(key, allowed, v);
  return { text, shown: v };
}

function percent(key: string, v: unknown): bigint {
  const allowed = 'a percentage (number or decimal string) in [0, 100]';
  const { text, shown } = decimalText(key, v, v === undefined ? `present: ${allowed}` : allowed);
  const units = decimalToScaled(text, MAX_PERCENT_DECIMALS);
  if (units !== undefined && units < 0n) throw new ConfigError(key, '≥ 0', shown);
  if (units === undefined && text.startsWith('-')) throw new ConfigError(key, '≥ 0', shown);
  if (units === undefined) throw new ConfigError(key, `a percentage with at most ${MAX_PERCENT_DECIMALS} decimals`, shown);
  if (units > RATE_SCALE) throw new ConfigError(key, 'at most 100 (percent)', shown);
  return units;
}

function rupees(key: string, v: unknown): bigint {
  const allowed = 'an amount in rupees (number or decimal string)';
  const { text, shown } = decimalText(key, v, v === undefined ? `present: ${allowed}` : allowed);
  const paise = decimalToScaled(text, 2);
  if ((paise !== undefined && paise < 0n) || (paise === undefined && text.startsWith('-'))) throw new ConfigError(key, '≥ 0', shown);
  if (paise === undefined) throw new ConfigError(key, 'rupees with at most 2 decimals', shown);
  if (paise > MAX_BROKERAGE_FLAT_PAISE) throw new ConfigError(key, `at most ${MAX_BROKERAGE_FLAT_PAISE / 100n} rupees`, shown);
  return paise;
}

function parseVersion(profile: string, key: string, t: Table): CostProfileVersion {
  onlyKeys(key, t, VERSION_KEYS, `not there: a version's keys are ${VERSION_KEYS.join(', ')}`);
  const date = t['effective_from'];
  if (typeof date !== 'string' || !isLocalDate(date)) {
    throw new ConfigError(`${key}.effective_from`, 'a date YYYY-MM-DD', typeof date === 'number' ? decimalTextOf(date) : date);
  }
  const rates: Record<string, bigint> = {};
  for (const [tomlKey, field] of PERCENT_KEYS) {
    rates[field] = OPTIONAL_KEYS.has(tomlKey) && t[tomlKey] === undefined ? 0n : percent(`${key}.${tomlKey}`, t[tomlKey]);
  }
  const rounding = oneOf<SttRounding>(`${key}.stt_rounding`, t['stt_rounding'] ?? 'paisa', ['paisa', 'rupee'], 'one of "paisa", "rupee"');
  return {
    profile, key, effectiveFrom: date,
    sttBuy: rates['sttBuy']!, sttSell: rates['sttSell']!, exchange: rates['exchange']!, sebi: rates['sebi']!,
    stampBuy: rates['stampBuy']!, stampSell: rates['stampSell']!, gst: rates['gst']!, brokerageRate: rates['brokerageRate']!,
    brokerageFlatPaise: rupees(`${key}.brokerage_flat_rupees`, t['brokerage_flat_rupees']),
    sttRounding: rounding,
  };
}

/**
 * Parses and validates cost profiles (`[[profiles.<name>]]` versions; see config/costs.toml). Throws
 * ConfigSyntaxError (naming `source`, the line and the column) for bad TOML and ConfigError naming the
 * key for a bad value.
 */
export function loadCostProfiles(tomlText: string, source = 'costs.toml'): CostProfiles {
  const doc = readConfigFile(tomlText, source);
  onlyKeys('', doc, ['profiles'], 'not there: the file holds only [[profiles.<name>]] tables');
  const root = doc['profiles'];
  if (!isTable(root) || Object.keys(root).length === 0) {
    throw new ConfigError('profiles', 'one or more [[profiles.<name>]] versions', root === undefined ? null : root);
  }
  const out = new Map<string, CostProfileVersion[]>();
  for (const [name, versions] of Object.entries(root)) {
    if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new ConfigError(`profiles.${name}`, 'named with lower-case letters, digits and _', name);
    if (!Array.isArray(versions) || versions.length === 0 || !versions.every(isTable)) {
      throw new ConfigError(`profiles.${name}`, `an array of tables: [[profiles.${name}]]`, typeof versions);
    }
    const parsed = (versions as Table[]).map((v, i) => parseVersion(name, `profiles.${name}[${i}]`, v));
    const seen = new Map<string, string>();
    for (const v of parsed) {
      const other = seen.get(v.effectiveFrom);
      if (other !== undefined) throw new ConfigError(`${v.key}.effective_from`, `different from ${other}.effective_from`, v.effectiveFrom);
      seen.set(v.effectiveFrom, v.key);
    }
    out.set(name, parsed.sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : 1)));
  }
  return out;
}

/** The version of `name` in force on `date` (YYYY-MM-DD): the latest effective_from ≤ date. */
export function pickProfileVersion(profiles: CostProfiles, name: string, date: string): CostProfileVersion {
  const versions = profiles.get(name);
  if (versions === undefined) throw new ConfigError('profile', `one of ${[...profiles.keys()].join(', ')}`, name);
  if (!isLocalDate(date)) throw new ConfigError('date', 'a date YYYY-MM-DD', date);
  let picked: CostProfileVersion | undefined;
  for (const v of versions) if (v.effectiveFrom <= date) picked = v;
  if (picked === undefined) {
    throw new ConfigError('date', `on or after ${versions[0]!.effectiveFrom}, the first effective_from of profile ${name}`, date);
  }
  return picked;
}

/** Loads `version` into the state block at `state` (core.costBytes() bytes). */
export function writeCostProfile(core: CoreExports, state: number, version: CostProfileVersion): void {
  const status = core.costLoad(
    state, version.sttBuy, version.sttSell, version.exchange, version.sebi, version.stampBuy, version.stampSell,
    version.gst, version.brokerageRate, version.brokerageFlatPaise, version.sttRounding === 'rupee' ? COST_FLAG_STT_RUPEE : 0,
  );
  if (status !== CostStatus.OK) throw new Error(`costLoad(${version.key}) failed with status ${status}`);
}

function statusError(fn: string, status: bigint): Error {
  const s = Number(status);
  if (s === CostStatus.OVERFLOW) return new RangeError(`${fn}: turnover (price × qty) above ${MAX_TURNOVER_PAISE} paise`);
  if (s === CostStatus.BAD_INPUT) return new RangeError(`${fn}: price and qty must not be negative`);
  if (s === CostStatus.BAD_SIDE) return new RangeError(`${fn}: side must be 0 (buy) or 1 (sell)`);
  if (s === CostStatus.NOT_LOADED) return new Error(`${fn}: no cost profile loaded in this state block`);
  return new Error(`${fn} failed with status ${s}`);
}

function readBreakdown(memory: ArrayBufferLike, out: number): CostBreakdown {
  const view = new BigInt64Array(memory, out, COST_OUT_BYTES / 8);
  const n = (i: number): number => {
    const v = view[i]!;
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`cost ${v} paise is beyond Number.MAX_SAFE_INTEGER`);
    return Number(v);
  };
  return {
    turnover_paise: n(CostOut.turnover / 8), stt_paise: n(CostOut.stt / 8), exchange_paise: n(CostOut.exchange / 8),
    sebi_paise: n(CostOut.sebi / 8), stamp_paise: n(CostOut.stamp / 8), gst_paise: n(CostOut.gst / 8),
    brokerage_paise: n(CostOut.brokerage / 8), total_paise: n(CostOut.total / 8),
  };
}


/** Costs of one fill through the core, read back from `scratch` (COST_OUT_BYTES, 8-byte aligned). */
export function fillCosts(
  core: CoreExports, state: number, scratch: number, side: Side, pricePaise: bigint | number, qty: bigint | number,
): CostBreakdown {
  const total = core.costFill(state, side, BigInt(pricePaise), BigInt(qty), scratch);
  if (total < 0n) throw statusError('costFill', total);
  return readBreakdown(core.memory.buffer, scratch);
}

/** Costs of an entry fill and the opposite-side exit fill of the same qty, summed. */
export function roundTripCosts(
  core: CoreExports, state: number, scratch: number, entrySide: Side,
  entryPricePaise: bigint | number, exitPricePaise: bigint | number, qty: bigint | number,
): CostBreakdown {
  const total = core.costRoundTrip(state, entrySide, BigInt(entryPricePaise), BigInt(exitPricePaise), BigInt(qty), scratch);
  if (total < 0n) throw statusError('costRoundTrip', total);
  return readBreakdown(core.memory.buffer, scratch);
}

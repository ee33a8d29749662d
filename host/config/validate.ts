// The checks every config reader is built from (engine.toml's sections, costs.toml, venue.toml, the
// CLIs' options). Each one returns the value it accepted or throws a ConfigError naming the key, the
// allowed range and the value, so a refusal reads the same whichever file it came from.
//
// Hand-written rather than a schema library (valibot, zod): the readers' rules are mostly cross-field
// (regime.exit > regime.enter, min_lots ≤ max_lots, a band that fits the matching book, the sum of the
// flow fractions), their messages are pinned by tests word for word, and the modules that use them are
// browser-safe. A schema library would need a custom message and a refinement on nearly every field and
// would still leave those rules here; these few functions are the whole vocabulary.
// Browser-safe: no Node imports.
import { ConfigError } from './config-error.js';

/** A TOML table or a JSON-like object, as the readers see it. */
export type Table = Record<string, unknown>;

export function isTable(v: unknown): v is Table {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `path.key`, or `key` at the top level (path ''). */
export function keyOf(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** The sub-table `parent[key]`: {} when absent, refused when not a table. `path` names it in errors. */
export function tableAt(parent: Table, key: string, path = key): Table {
  const v = parent[key];
  if (v === undefined) return {};
  if (!isTable(v)) throw new ConfigError(path, 'a table', v);
  return v;
}

/**
 * Refuses a key of `t` not in `known`, naming `path.key`; a typo never falls back to a default.
 * `allowed` says what is allowed there (default: the known keys).
 */
export function onlyKeys(path: string, t: Table, known: readonly string[], allowed = `a known key (${known.join(', ')})`): void {
  for (const k of Object.keys(t)) {
    if (!known.includes(k)) throw new ConfigError(keyOf(path, k), allowed, k);
  }
}

/** An object (not null, not an array) with only `known` keys. */
export function objectWithKeys(path: string, v: unknown, known: readonly string[]): Table {
  if (!isTable(v)) throw new ConfigError(path, 'an object', v);
  onlyKeys(path, v, known, `one of the known keys (${known.join(', ')})`);
  return v;
}

/** An integer in [lo, hi]; `note` follows the range in the message, e.g. " (at least sonar.order + 1)". */
export function integerIn(key: string, v: unknown, lo: number, hi: number, note = ''): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) {
    throw new ConfigError(key, `an integer in [${lo}, ${hi}]${note}`, v);
  }
  return v;
}

/** A finite number in [lo, hi], or in (lo, hi] with `loOpen`. */
export function numberIn(key: string, v: unknown, lo: number, hi: number, loOpen = false): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || (loOpen ? v <= lo : v < lo) || v > hi) {
    throw new ConfigError(key, `a number in ${loOpen ? '(' : '['}${lo}, ${hi}]`, v);
  }
  return v;
}

/** A number ≥ lo; +∞ allowed (a decay rate of ∞ is meaningful), NaN not. */
export function numberAtLeast(key: string, v: unknown, lo: number): number {
  if (typeof v !== 'number' || !(v >= lo)) throw new ConfigError(key, `a number ≥ ${lo}`, v);
  return v;
}

export function finiteNumber(key: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ConfigError(key, 'a finite number', v);
  return v;
}

/** One of `options`; `allowed` says how the message lists them (default: comma-separated). */
export function oneOf<T extends string>(key: string, v: unknown, options: readonly T[], allowed = `one of ${options.join(', ')}`): T {
  if (typeof v !== 'string' || !(options as readonly string[]).includes(v)) throw new ConfigError(key, allowed, v);
  return v as T;
}

export function nonEmptyString(key: string, v: unknown): string {
  if (typeof v !== 'string' || v.length === 0) throw new ConfigError(key, 'a non-empty string', v);
  return v;
}

/** True when every character is printable ASCII (0x20..0x7e): what the wire's fixed-width text fields carry. */
export function isPrintableAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

/**
 * A number's decimal text without an exponent: the shortest text that reads back as the same double
 * (String(0.00297) === "0.00297"), so a reader converting to fixed point sees what the file said.
 */
export function numberText(n: number): string {
  const s = String(n);
  const m = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const [, sign, whole, frac = '', exp] = m;
  const digits = whole! + frac;
  const point = whole!.length + Number(exp);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** The decimal text of a config value written as a number or as a decimal string ("0.01"); undefined otherwise. */
export function decimalTextOf(v: unknown): string | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? numberText(v) : undefined;
  if (typeof v === 'string') return v.trim();
  return undefined;
}

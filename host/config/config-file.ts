// Reads a TOML config file (smol-toml) into plain tables for the config readers: numbers as JS
// numbers, local dates as their 'YYYY-MM-DD' text. Bad TOML is a ConfigSyntaxError naming the file,
// the line and the column; a value no config can use (a time, a date-time, an integer a double
// cannot hold exactly, a date the calendar does not have) is a ConfigError naming its key.
//
// Decimals stay exact without keeping source text: a double prints as the shortest text that reads
// back to it (String(0.00297) === "0.00297"), and that is what the fixed-point readers convert.
import { parse, TomlDate, TomlError } from 'smol-toml';
import { ConfigError, ConfigSyntaxError } from './config-error.js';
import type { Table } from './validate.js';

/** A bare local date at a value's place: after `=`, `[` or `,`, or at the start of an array's line. */
const BARE_DATE = /(^|[=[,])([ \t]*)(\d{4})-(\d{2})-(\d{2})(?![\d:Tt]|[ \t]*[=.]|[ \t]+\d)/gm;

/** True for a real calendar date written YYYY-MM-DD. */
export function isLocalDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1];
  return days !== undefined && d >= 1 && d <= days;
}

function lineAndColumn(text: string, at: number): { line: number; column: number } {
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  return { line, column: at - (before.lastIndexOf('\n') + 1) + 1 };
}

/** smol-toml rolls 2024-02-30 over to 2024-03-01; the config must say what it means. */
function refuseImpossibleDates(text: string, source: string): void {
  for (const m of text.matchAll(BARE_DATE)) {
    const date = `${m[3]}-${m[4]}-${m[5]}`;
    if (!isLocalDate(date)) {
      const { line, column } = lineAndColumn(text, m.index + m[1]!.length + m[2]!.length);
      throw new ConfigSyntaxError(source, line, column, `${date} is not a calendar date`);
    }
  }
}

function plain(v: unknown, key: string): unknown {
  if (typeof v === 'bigint') throw new ConfigError(key, 'an integer within ±(2^53 − 1), which a double holds exactly', String(v));
  if (v instanceof TomlDate) {
    if (!v.isDate()) throw new ConfigError(key, 'a local date YYYY-MM-DD (no times or date-times)', v.toISOString());
    return v.toISOString();
  }
  if (Array.isArray(v)) return v.map((e, i) => plain(e, `${key}[${i}]`));
  if (typeof v === 'object' && v !== null) {
    const out: Table = {};
    for (const [k, e] of Object.entries(v)) {
      // An own data property even for a key named __proto__.
      Object.defineProperty(out, k, { value: plain(e, key === '' ? k : `${key}.${k}`), writable: true, enumerable: true, configurable: true });
    }
    return out;
  }
  return v;
}

/** Parses TOML `text`; `source` (the file) names it in errors. */
export function readConfigFile(text: string, source: string): Table {
  let doc: unknown;
  try {
    doc = parse(text, { integersAsBigInt: 'asNeeded' });
  } catch (err) {
    if (!(err instanceof TomlError)) throw err;
    const reason = err.message.split('\n')[0]!.replace(/^Invalid TOML document: /, '');
    throw new ConfigSyntaxError(source, err.line, err.column, reason);
  }
  refuseImpossibleDates(text, source);
  return plain(doc, '') as Table;
}

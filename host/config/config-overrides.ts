// A TOML config with some keys replaced, for a process started with a variant of a shipped config
// (`npm start -- --topology modules`, the benchmark's private segment and strategy). Each override is a
// dotted key path; tables on the way are created as needed. The result is checked by the config's own
// reader when the process loads it, so a path the config does not know is refused there, naming the key.
import { parse, stringify } from 'smol-toml';

type Table = Record<string, unknown>;

function isTable(v: unknown): v is Table {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** `base` TOML with every `path = value` of `overrides` set (tables created as needed). */
export function withOverrides(base: string, overrides: Readonly<Record<string, unknown>>): string {
  const doc = parse(base) as Table;
  for (const [path, value] of Object.entries(overrides)) {
    const keys = path.split('.');
    let t = doc;
    for (const k of keys.slice(0, -1)) {
      const next = t[k];
      if (next === undefined) t[k] = {};
      else if (!isTable(next)) throw new Error(`override ${path}: ${k} is not a table in the base config`);
      t = t[k] as Table;
    }
    t[keys[keys.length - 1]!] = value;
  }
  return stringify(doc);
}

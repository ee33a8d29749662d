// The playground's parameters as an engine TOML and back. Export: config/engine.toml (or an imported file) with
// the chosen values set at their dotted keys, written by smol-toml: the same keys the engine reads, and the text
// the playground itself loads through loadEngineConfig, so what is exported is what was simulated. Import: the
// loader first (a bad file is refused with its ConfigError, naming the key), then the values read back.
import { parse, stringify } from 'smol-toml';
import { loadEngineConfig, type EngineConfig } from '../host/config/engine-config.js';
import { readConfigFile } from '../host/config/config-file.js';
import type { CostProfiles } from '../host/modules/cost-model.js';

/** Values by dotted engine.toml key (execution.strategy.threshold); a key left out keeps the file's value. */
export type ParamValues = Readonly<Record<string, number | string>>;

type Doc = Record<string, unknown>;

function tableFor(doc: Doc, path: readonly string[]): Doc {
  let t = doc;
  for (const part of path) {
    const next = t[part];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) {
      const created: Doc = {};
      t[part] = created;
      t = created;
    } else {
      t = next as Doc;
    }
  }
  return t;
}

/** `base` with each of `values` set at its dotted key, as TOML text (comments are not kept). */
export function engineTomlWith(base: string, values: ParamValues): string {
  const doc = parse(base) as Doc;
  for (const [key, value] of Object.entries(values)) {
    const parts = key.split('.');
    tableFor(doc, parts.slice(0, -1))[parts[parts.length - 1]!] = value;
  }
  return `# Exported by the tradecore playground: npm run engine -- --config <this file>\n${stringify(doc)}\n`;
}

/** The values at `keys` that `text` sets (keys it leaves out are left out). */
export function valuesIn(text: string, keys: readonly string[], source = 'engine.toml'): Record<string, number | string> {
  const doc = readConfigFile(text, source);
  const out: Record<string, number | string> = {};
  for (const key of keys) {
    let v: unknown = doc;
    for (const part of key.split('.')) v = typeof v === 'object' && v !== null ? (v as Doc)[part] : undefined;
    if (typeof v === 'number' || typeof v === 'string') out[key] = v;
  }
  return out;
}

export interface ImportedToml {
  readonly config: EngineConfig;
  readonly values: Record<string, number | string>;
}

/** Loads `text` as the engine would (throws its ConfigError on a bad file), then reads `keys` back. */
export function importEngineToml(text: string, profiles: CostProfiles, keys: readonly string[], source = 'imported engine.toml'): ImportedToml {
  const config = loadEngineConfig(text, profiles, source);
  return { config, values: valuesIn(text, keys, source) };
}

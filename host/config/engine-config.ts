// Loads config/engine.toml: every section validated by its module, unknown sections and keys refused,
// the cost profile checked against the cost profiles file. Errors are ConfigError naming the key.
import { ConfigError } from './config-error.js';
import { parseToml, TomlError, type TomlTable } from './toml.js';
import { validateOracleConfig, type OracleConfig, type OracleConfigInput } from '../modules/oracle.js';
import { resolveSonarConfig, type SonarConfig, type SonarConfigInput } from '../modules/sonar.js';
import { DEFAULT_OTR_CONFIG, resolveOtrConfig, type OtrConfig } from '../modules/otr-ledger.js';
import { DEFAULT_FLOOD_CONFIG, resolveFloodConfig, type FloodConfig, type ResolvedFloodConfig } from '../modules/flood-control.js';
import type { CostProfiles } from '../modules/cost-model.js';

export interface ExecutionConfig {
  readonly costProfile: string;
  readonly cancelAfterMs: number;
  readonly signalGain: number;
  readonly targetOtr: number;
  readonly tradeRateHalfLifeMs: number;
}

export const DEFAULT_EXECUTION_CONFIG: ExecutionConfig = {
  costProfile: 'cash_intraday', cancelAfterMs: 200, signalGain: 1, targetOtr: 49.999, tradeRateHalfLifeMs: 5000,
};

export interface EngineConfig {
  readonly oracle: OracleConfig;
  readonly sonar: SonarConfig;
  readonly otr: OtrConfig;
  readonly flood: ResolvedFloodConfig;
  readonly execution: ExecutionConfig;
}

const SECTIONS = ['oracle', 'sonar', 'regime', 'gate', 'otr', 'flood', 'execution'] as const;

function table(doc: TomlTable, key: string): Record<string, unknown> {
  const v = doc[key];
  if (v === undefined) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new ConfigError(key, 'a table', v);
  return v as Record<string, unknown>;
}

function onlyKeys(section: string, t: Record<string, unknown>, known: readonly string[]): void {
  for (const k of Object.keys(t)) {
    if (!known.includes(k)) throw new ConfigError(`${section}.${k}`, `a known key (${known.join(', ')})`, t[k]);
  }
}

function numberIn(key: string, v: unknown, lo: number, hi: number, loOpen: boolean): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || (loOpen ? v <= lo : v < lo) || v > hi) {
    throw new ConfigError(key, `a number in ${loOpen ? '(' : '['}${lo}, ${hi}]`, v);
  }
  return v;
}

function execution(t: Record<string, unknown>, profiles: CostProfiles): ExecutionConfig {
  onlyKeys('execution', t, Object.keys(DEFAULT_EXECUTION_CONFIG));
  const c = { ...DEFAULT_EXECUTION_CONFIG, ...t };
  if (typeof c.costProfile !== 'string' || !profiles.has(c.costProfile)) {
    throw new ConfigError('execution.costProfile', `one of ${[...profiles.keys()].join(', ')}`, c.costProfile);
  }
  return {
    costProfile: c.costProfile,
    cancelAfterMs: numberIn('execution.cancelAfterMs', c.cancelAfterMs, 0, 60_000, true),
    signalGain: numberIn('execution.signalGain', c.signalGain, 0, 100, false),
    targetOtr: numberIn('execution.targetOtr', c.targetOtr, 0, 1_000_000, true),
    tradeRateHalfLifeMs: numberIn('execution.tradeRateHalfLifeMs', c.tradeRateHalfLifeMs, 0, 86_400_000, true),
  };
}

/** Parses and validates an engine config. `source` names the file in errors. */
export function loadEngineConfig(text: string, profiles: CostProfiles, source = 'engine.toml'): EngineConfig {
  let doc: TomlTable;
  try {
    doc = parseToml(text);
  } catch (err) {
    if (err instanceof TomlError) throw new ConfigError(source, 'valid TOML', err.message);
    throw err;
  }
  for (const k of Object.keys(doc)) {
    if (!(SECTIONS as readonly string[]).includes(k)) throw new ConfigError(k, `a known section (${SECTIONS.join(', ')})`, k);
  }
  const sonarTables = { sonar: table(doc, 'sonar'), regime: table(doc, 'regime'), gate: table(doc, 'gate') };
  onlyKeys('sonar', sonarTables.sonar, ['window', 'order', 'source']);
  onlyKeys('regime', sonarTables.regime, ['enter', 'exit', 'minDwellMs']);
  onlyKeys('gate', sonarTables.gate, ['maxFeedAgeMs', 'maxRttMs']);
  const otr = table(doc, 'otr');
  onlyKeys('otr', otr, Object.keys(DEFAULT_OTR_CONFIG));
  const flood = table(doc, 'flood');
  onlyKeys('flood', flood, [...Object.keys(DEFAULT_FLOOD_CONFIG), 'burst']);
  return {
    oracle: validateOracleConfig(table(doc, 'oracle') as OracleConfigInput),
    sonar: resolveSonarConfig(sonarTables as SonarConfigInput),
    otr: resolveOtrConfig(otr as Partial<OtrConfig>).config,
    flood: resolveFloodConfig(flood as Partial<FloodConfig>),
    execution: execution(table(doc, 'execution'), profiles),
  };
}

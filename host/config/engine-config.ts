// Loads config/engine.toml: every section validated by its module, unknown sections and keys refused,
// the cost profile checked against the cost profiles file. Errors are ConfigError naming the key.
import { readConfigFile } from './config-file.js';
import { numberIn, onlyKeys, oneOf, tableAt, type Table } from './validate.js';
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

function execution(t: Table, profiles: CostProfiles): ExecutionConfig {
  onlyKeys('execution', t, Object.keys(DEFAULT_EXECUTION_CONFIG));
  const c = { ...DEFAULT_EXECUTION_CONFIG, ...t };
  return {
    costProfile: oneOf('execution.costProfile', c.costProfile, [...profiles.keys()]),
    cancelAfterMs: numberIn('execution.cancelAfterMs', c.cancelAfterMs, 0, 60_000, true),
    signalGain: numberIn('execution.signalGain', c.signalGain, 0, 100, false),
    targetOtr: numberIn('execution.targetOtr', c.targetOtr, 0, 1_000_000, true),
    tradeRateHalfLifeMs: numberIn('execution.tradeRateHalfLifeMs', c.tradeRateHalfLifeMs, 0, 86_400_000, true),
  };
}

/** Parses and validates an engine config. `source` names the file in errors. */
export function loadEngineConfig(text: string, profiles: CostProfiles, source = 'engine.toml'): EngineConfig {
  const doc = readConfigFile(text, source);
  onlyKeys('', doc, SECTIONS, `a known section (${SECTIONS.join(', ')})`);
  const sonarTables = { sonar: tableAt(doc, 'sonar'), regime: tableAt(doc, 'regime'), gate: tableAt(doc, 'gate') };
  onlyKeys('sonar', sonarTables.sonar, ['window', 'order', 'source']);
  onlyKeys('regime', sonarTables.regime, ['enter', 'exit', 'minDwellMs']);
  onlyKeys('gate', sonarTables.gate, ['maxFeedAgeMs', 'maxRttMs']);
  const otr = tableAt(doc, 'otr');
  onlyKeys('otr', otr, Object.keys(DEFAULT_OTR_CONFIG));
  const flood = tableAt(doc, 'flood');
  onlyKeys('flood', flood, [...Object.keys(DEFAULT_FLOOD_CONFIG), 'burst']);
  return {
    oracle: validateOracleConfig(tableAt(doc, 'oracle') as OracleConfigInput),
    sonar: resolveSonarConfig(sonarTables as SonarConfigInput),
    otr: resolveOtrConfig(otr as Partial<OtrConfig>).config,
    flood: resolveFloodConfig(flood as Partial<FloodConfig>),
    execution: execution(tableAt(doc, 'execution'), profiles),
  };
}

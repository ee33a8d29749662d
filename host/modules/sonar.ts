// Host side of the Sonar (wasm-core/entropy.ts, wasm-core/regime.ts, wasm-core/trust-gate.ts): typed exports, config validation, layout.
// Browser-safe (no Node imports). Times cross into the core as bigint nanoseconds; config speaks milliseconds.
import type { CoreExports } from '../core/core.js';
import { EntropyScore, EntropyStatus, GateStatus, Regime, RegimeStatus, TrustCheck } from '../../build/core-constants.js';
export { EntropyScore, EntropyStatus, GateStatus, Regime, RegimeStatus, TrustCheck };
import { ConfigError } from '../config/config-error.js';
import { integerIn, numberIn, oneOf } from '../config/validate.js';
import type { StatePlan } from '../core/memory-map.js';


export const EntropySource = { shannon: 0, permutation: 1 } as const;
export type EntropySourceName = keyof typeof EntropySource;

export type TrustCheckName = keyof typeof TrustCheck;

/** Names of the failing checks in a gate mask, lowest bit first; unknown bits as `UNKNOWN(0x..)`. */
export function describeTrustFailures(mask: number): string[] {
  const out: string[] = [];
  let rest = mask >>> 0;
  for (const [name, bit] of Object.entries(TrustCheck)) {
    if ((rest & bit) !== 0) out.push(name);
    rest &= ~bit;
  }
  if (rest !== 0) out.push(`UNKNOWN(0x${rest.toString(16)})`);
  return out;
}

// ── config ───────────────────────────────────────────────────────────────────────────────────────

export const MIN_ORDER = 3;
export const MAX_ORDER = 6;
export const MAX_WINDOW = 4096;
export const MAX_DWELL_MS = 60_000;
export const MAX_FEED_AGE_MS = 60_000;

export interface EntropyConfig {
  /** Mids in the window (Shannon: sign changes), in [order + 1, 4096]. */
  readonly window: number;
  /** Permutation order d in [3, 6]. */
  readonly order: number;
  /** Which entropy drives the regime. */
  readonly source: EntropySourceName;
}
export interface RegimeConfig {
  /** a: enter Attack when score ≤ enter, in [0, 1]. */
  readonly enter: number;
  /** b: leave Attack when score ≥ exit, in [0, 1], > enter. */
  readonly exit: number;
  /** No switch until this long after the previous one, in [0, 60000] ms. */
  readonly minDwellMs: number;
}
export interface GateConfig {
  /** FEED_STALE when the last feed event is older, in (0, 60000] ms. (RTT_HIGH has no limit of its own:
   *  it is the execution core's RTT verdict, set by [execution.rttWatchdog].) */
  readonly maxFeedAgeMs: number;
}
export interface SonarConfig {
  readonly sonar: EntropyConfig;
  readonly regime: RegimeConfig;
  readonly gate: GateConfig;
}
/** What a config file may give: any key may be left out for its default. */
export interface SonarConfigInput {
  readonly sonar?: Partial<EntropyConfig>;
  readonly regime?: Partial<RegimeConfig>;
  readonly gate?: Partial<GateConfig>;
}

export const SONAR_DEFAULTS: SonarConfig = {
  // 256 mids at order 4: 253 windows over 24 patterns, about ten per pattern.
  sonar: { window: 256, order: 4, source: 'permutation' },
  regime: { enter: 0.6, exit: 0.7, minDwellMs: 500 },
  gate: { maxFeedAgeMs: 1000 },
};

/** Fills defaults and validates every key; throws ConfigError naming the first bad key. */
export function resolveSonarConfig(input: SonarConfigInput = {}): SonarConfig {
  const s = { ...SONAR_DEFAULTS.sonar, ...input.sonar };
  const r = { ...SONAR_DEFAULTS.regime, ...input.regime };
  const g = { ...SONAR_DEFAULTS.gate, ...input.gate };
  const order = integerIn('sonar.order', s.order, MIN_ORDER, MAX_ORDER);
  const window = integerIn('sonar.window', s.window, order + 1, MAX_WINDOW, ' (at least sonar.order + 1)');
  const sources = Object.keys(EntropySource) as EntropySourceName[];
  const source = oneOf('sonar.source', s.source, sources, `one of ${sources.map((k) => `"${k}"`).join(', ')}`);
  const enter = numberIn('regime.enter', r.enter, 0, 1);
  const exit = numberIn('regime.exit', r.exit, 0, 1);
  if (!(exit > enter)) throw new ConfigError('regime.exit', `> regime.enter (${enter})`, exit);
  const minDwellMs = numberIn('regime.minDwellMs', r.minDwellMs, 0, MAX_DWELL_MS);
  const maxFeedAgeMs = numberIn('gate.maxFeedAgeMs', g.maxFeedAgeMs, 0, MAX_FEED_AGE_MS, true);
  return {
    sonar: { window, order, source },
    regime: { enter, exit, minDwellMs },
    gate: { maxFeedAgeMs },
  };
}

/** Milliseconds (fractions allowed) to integer nanoseconds for the core. */
export function msToNs(ms: number): bigint {
  return BigInt(Math.round(ms * 1e6));
}

// ── state blocks ─────────────────────────────────────────────────────────────────────────────────

type SizeExports = Pick<CoreExports, 'entropyBytes' | 'regimeBytes' | 'gateBytes'>;

/** The three state blocks of one Sonar instance for the memory map: `${name}.entropy`, `.regime`, `.gate`. */
export function sonarStatePlans(core: SizeExports, config: SonarConfig, name = 'sonar'): StatePlan[] {
  const entropy = core.entropyBytes(config.sonar.window, config.sonar.order);
  if (entropy === 0) throw new ConfigError('sonar.window', `an integer in [${config.sonar.order + 1}, ${MAX_WINDOW}]`, config.sonar.window);
  return [
    { name: `${name}.entropy`, bytes: entropy },
    { name: `${name}.regime`, bytes: core.regimeBytes() },
    { name: `${name}.gate`, bytes: core.gateBytes() },
  ];
}

/** Offsets of one Sonar instance's blocks (from MemoryMap.states). */
export interface SonarStates { readonly entropy: number; readonly regime: number; readonly gate: number }

/** Picks `${name}.entropy`, `.regime`, `.gate` out of a planned map's states. */
export function sonarStates(states: Readonly<Record<string, { offset: number }>>, name = 'sonar'): SonarStates {
  const get = (part: string): number => {
    const region = states[`${name}.${part}`];
    if (!region) throw new Error(`memory map has no state block "${name}.${part}" (add sonarStatePlans to its states)`);
    return region.offset;
  };
  return { entropy: get('entropy'), regime: get('regime'), gate: get('gate') };
}

/** A core init call refused its arguments; `status` is the core's code. */
export class SonarInitError extends Error {
  override readonly name = 'SonarInitError';
  constructor(readonly call: string, readonly status: number, readonly reason: string) {
    super(`${call} refused: ${reason} (status ${status})`);
  }
}

function statusName(table: Record<string, number>, status: number): string {
  return Object.entries(table).find(([, v]) => v === status)?.[0] ?? 'UNKNOWN';
}

export function initEntropy(core: CoreExports, state: number, config: EntropyConfig): void {
  const status = core.entropyInit(state, config.window, config.order, EntropySource[config.source]);
  if (status !== EntropyStatus.OK) throw new SonarInitError('entropyInit', status, statusName(EntropyStatus, status));
}

export function initRegime(core: CoreExports, state: number, config: RegimeConfig): void {
  const status = core.regimeInit(state, config.enter, config.exit, msToNs(config.minDwellMs));
  if (status !== RegimeStatus.OK) throw new SonarInitError('regimeInit', status, statusName(RegimeStatus, status));
}

export function initGate(core: CoreExports, state: number, config: GateConfig): void {
  const status = core.gateInit(state, msToNs(config.maxFeedAgeMs));
  if (status !== GateStatus.OK) throw new SonarInitError('gateInit', status, statusName(GateStatus, status));
}

/** Writes a resolved config into the three blocks; throws SonarInitError if the core refuses. */
export function initSonar(core: CoreExports, states: SonarStates, config: SonarConfig): void {
  initEntropy(core, states.entropy, config.sonar);
  initRegime(core, states.regime, config.regime);
  initGate(core, states.gate, config.gate);
}

// Host side of the Oracle (wasm-core/oracle.ts, wasm-core/ofi.ts): typed exports, config validation, layout.
//
// Per symbol, one state block of `oracleStateBytes(core, config)` bytes (a `states` region of the
// memory map); `initOracle` writes the config into it; the engine then calls
// `core.oracleUpdate(state, bookOffset)` after every change to that symbol's book and reads the
// outputs through the getters (or `readOracle`). Browser-safe: no Node imports.
//
// The signal (see wasm-core/oracle.ts for every formula):
//   signal = tanh(w.wobi·wobi + w.ofi·ofiZ + w.micro·(weightedMid − mid)/max(spread, 1 tick)) ∈ [−1, 1]
// Defaults, and why: each input is put on a comparable scale before tanh squashes the sum.
//   wobi  1.0 — already in [−1, 1]; a fully one-sided book alone gives tanh(1) ≈ 0.76.
//   ofi   0.5 — a z-score is unbounded (≈ N(0, 1) in quiet markets), so half weight: a 2σ burst of
//               order flow weighs as much as a fully one-sided book, a 1σ wiggle half as much.
//   micro 1.0 — the microprice tilt in spreads is in [−½, ½] (it is half the L1 imbalance), so it
//               can at most add ±0.5: it refines the depth view rather than dominating it.
import type { CoreExports } from '../core/core.js';
import { finiteNumber, integerIn, numberAtLeast, objectWithKeys } from '../config/validate.js';

import { OracleStatus } from '../../build/core-constants.js';

export { OracleStatus };

export const ORACLE_MAX_LEVELS = 64;
export const ORACLE_MAX_WINDOW = 4096;

export interface OracleWeights {
  readonly wobi: number;
  readonly ofi: number;
  readonly micro: number;
}

export interface OracleConfig {
  /** Book levels N from the best on each side, in [1, 64]. */
  readonly levels: number;
  /** Depth decay λ ≥ 0 of wᵢ = e^(−λ(i−1)); 0 weighs all N levels equally, +∞ keeps the top only. */
  readonly lambda: number;
  /** Events summed into the OFI, in [1, 4096]. */
  readonly ofiWindow: number;
  /** OFI values in its z-score, in [1, 4096]. */
  readonly zWindow: number;
  readonly weights: OracleWeights;
}

export interface OracleConfigInput {
  readonly levels?: number;
  readonly lambda?: number;
  readonly ofiWindow?: number;
  readonly zWindow?: number;
  readonly weights?: Partial<OracleWeights>;
}

/**
 * Defaults: 5 levels with λ = 0.5 (level 5 weighs e^−2 ≈ 0.14 of the top: deep enough to see
 * walls, shallow enough that stale far levels don't steer it); OFI over 50 events (a few hundred ms
 * of a liquid book); z-score over 1000 OFI values so the scale adapts within minutes.
 */
export const DEFAULT_ORACLE_CONFIG: OracleConfig = Object.freeze({
  levels: 5,
  lambda: 0.5,
  ofiWindow: 50,
  zWindow: 1000,
  weights: Object.freeze({ wobi: 1.0, ofi: 0.5, micro: 1.0 }),
});

const TOP_KEYS = ['levels', 'lambda', 'ofiWindow', 'zWindow', 'weights'] as const;
const WEIGHT_KEYS = ['wobi', 'ofi', 'micro'] as const;

/** Fills defaults and checks every key; throws ConfigError naming `oracle.<key>` and its allowed range. */
export function validateOracleConfig(input: OracleConfigInput | undefined = {}): OracleConfig {
  const o = objectWithKeys('oracle', input, TOP_KEYS);
  const d = DEFAULT_ORACLE_CONFIG;
  const levels = integerIn('oracle.levels', o.levels ?? d.levels, 1, ORACLE_MAX_LEVELS);
  const lambda = numberAtLeast('oracle.lambda', o.lambda ?? d.lambda, 0);
  const ofiWindow = integerIn('oracle.ofiWindow', o.ofiWindow ?? d.ofiWindow, 1, ORACLE_MAX_WINDOW);
  const zWindow = integerIn('oracle.zWindow', o.zWindow ?? d.zWindow, 1, ORACLE_MAX_WINDOW);
  const w = objectWithKeys('oracle.weights', o.weights ?? {}, WEIGHT_KEYS);
  const weights: OracleWeights = Object.freeze({
    wobi: finiteNumber('oracle.weights.wobi', w.wobi ?? d.weights.wobi),
    ofi: finiteNumber('oracle.weights.ofi', w.ofi ?? d.weights.ofi),
    micro: finiteNumber('oracle.weights.micro', w.micro ?? d.weights.micro),
  });
  return Object.freeze({ levels, lambda, ofiWindow, zWindow, weights });
}

/** Bytes of one symbol's Oracle state, for the memory map's `states: [{ name, bytes }]`. */
export function oracleStateBytes(core: Pick<CoreExports, 'oracleBytes'>, config: OracleConfig): number {
  const c = validateOracleConfig(config);
  return core.oracleBytes(c.levels, c.ofiWindow, c.zWindow);
}

function statusName(status: number): string {
  const entry = Object.entries(OracleStatus).find(([, v]) => v === status);
  return entry ? entry[0] : `unknown status ${status}`;
}

/** Writes `config` into the state block at `stateOffset`; a refused init throws naming the status. */
export function initOracle(core: Pick<CoreExports, 'oracleInit'>, stateOffset: number, config: OracleConfig): void {
  const c = validateOracleConfig(config);
  const status = core.oracleInit(stateOffset, c.levels, c.lambda, c.ofiWindow, c.zWindow,
    c.weights.wobi, c.weights.ofi, c.weights.micro);
  if (status !== OracleStatus.OK) {
    throw new Error(`oracleInit at offset ${stateOffset} refused: ${statusName(status)} (${status})`);
  }
}

/** Everything the Oracle last computed for one symbol. */
export interface OracleReading {
  readonly wobi: number;
  readonly imbalancePct: number;
  readonly weightedMid: number;
  readonly mid: number;
  readonly spread: number;
  readonly ofi: number;
  readonly ofiZ: number;
  readonly signal: number;
  readonly levelImbalance: Float64Array;
  readonly events: bigint;
}

/** Reads the outputs of the state at `state` (`levels` = the config's levels; the vector is copied). */
export function readOracle(core: CoreExports, state: number, levels: number): OracleReading {
  const at = core.oracleLevelImbalanceAddress(state);
  return {
    wobi: core.oracleWobi(state),
    imbalancePct: core.oracleImbalancePct(state),
    weightedMid: core.oracleWeightedMid(state),
    mid: core.oracleMid(state),
    spread: core.oracleSpread(state),
    ofi: core.oracleOfi(state),
    ofiZ: core.oracleOfiZ(state),
    signal: core.oracleSignal(state),
    levelImbalance: new Float64Array(core.memory.buffer, at, levels).slice(),
    events: core.oracleEvents(state),
  };
}

/** Throws unless `status` is OK; for oracleUpdate / oracleReset on the host's slow paths and in tools. */
export function checkOracleStatus(what: string, status: number): void {
  if (status !== OracleStatus.OK) throw new Error(`${what} failed: ${statusName(status)} (${status})`);
}

// Host side of the Avellaneda–Stoikov market maker (wasm-core/avellaneda-stoikov.ts): parameter checks that
// name the key, typed quote and simulation calls, and the summary the paper's tables report.
// Browser-safe (no Node imports): the playground can run the same simulation in a Web Worker.
import { ConfigError } from '../config/config-error.js';
import { integerIn, numberIn } from '../config/validate.js';
import type { CoreExports } from '../core/core.js';
import { AsStatus } from '../../build/core-constants.js';

export { AsStatus };

/** The core calls this file makes (a slice of the generated CoreExports). */
type AsExports = Pick<CoreExports, 'asQuoteTicks' | 'asSimInit' | 'asSimRun' | 'asSimMeanSpread' | 'asSimPathBytes' | 'memory'>;

/** The paper's simulation parameters (section 4): σ and A, k in price units, T and dt in the same time unit. */
export interface AsModel {
  /** Risk aversion γ > 0. */
  readonly gamma: number;
  /** Volatility of the mid per √time, price units. */
  readonly sigma: number;
  /** Decay of the fill intensity with the distance from the mid, per price unit. */
  readonly k: number;
  /** Fill intensity at zero distance, per unit of time. */
  readonly A: number;
  /** Horizon. */
  readonly T: number;
  /** Time step; T/dt must be a whole number of steps. */
  readonly dt: number;
  /** Mid at t = 0. */
  readonly s0: number;
}

/** The paper's values; only γ varies between its tables. */
export const PAPER_MODEL: Omit<AsModel, 'gamma'> = { sigma: 2, k: 1.5, A: 140, T: 1, dt: 0.005, s0: 100 };
/** The paper ran 1000 paths per table. */
export const PAPER_PATHS = 1000;
/** Beyond this a run is a typo, not a study (a million paths is ~20 s here). */
export const MAX_PATHS = 1_000_000;
export const MAX_STEPS = 1_000_000;
/** Paths per core call: small enough for a smooth progress bar, large enough that the calls cost nothing. */
export const PATHS_PER_CHUNK = 100;

/** Bytes of the quote output and of the per-chunk path records the host reads back. */
export const QUOTE_BYTES = 16;
export const PATH_RECORD_BYTES = 32;
export const CHUNK_BYTES = PATHS_PER_CHUNK * PATH_RECORD_BYTES;

/**
 * Checks every parameter; `prefix` goes before each key in messages ('--' for a CLI). Throws ConfigError
 * naming the key, the allowed range and the value.
 */
export function checkModel(m: AsModel, prefix = ''): AsModel {
  const key = (k: string): string => `${prefix}${k}`;
  numberIn(key('gamma'), m.gamma, 0, 1000, true);
  numberIn(key('sigma'), m.sigma, 0, 1e6);
  numberIn(key('k'), m.k, 0, 1e6, true);
  numberIn(key('A'), m.A, 0, 1e9);
  numberIn(key('T'), m.T, 0, 1e6, true);
  numberIn(key('dt'), m.dt, 0, m.T, true);
  numberIn(key('s0'), m.s0, -1e12, 1e12);
  const ratio = m.T / m.dt;
  const steps = Math.round(ratio);
  if (steps < 1 || steps > MAX_STEPS || Math.abs(ratio - steps) > 1e-9 * steps) {
    throw new ConfigError(key('dt'), `a step dividing T = ${m.T} into a whole number of steps in [1, ${MAX_STEPS}]`, m.dt);
  }
  return m;
}

/** Steps of a checked model. */
export function stepsOf(m: AsModel): number {
  return Math.round(m.T / m.dt);
}

/** A status the core returned, as a typed error naming it. */
export class AsRefused extends Error {
  override readonly name = 'AsRefused';
  constructor(readonly call: string, readonly status: number) {
    super(`${call} refused: ${Object.entries(AsStatus).find(([, v]) => v === status)?.[0] ?? `status ${status}`}`);
  }
}

export interface QuoteRequest {
  readonly midTicks: number;
  /** Price of one tick, in the units of σ. */
  readonly tick: number;
  /** Inventory in lots (signed). */
  readonly q: number;
  /** T − t. */
  readonly timeLeft: number;
  readonly gamma: number;
  readonly sigma: number;
  readonly k: number;
}

export interface Quote { readonly bidTicks: number; readonly askTicks: number }

/** Bid and ask ticks from the core (never crossing the mid); `out` is QUOTE_BYTES of scratch. */
export function quoteTicks(core: AsExports, out: number, r: QuoteRequest): Quote {
  integerIn('midTicks', r.midTicks, 1, Number.MAX_SAFE_INTEGER);
  integerIn('q', r.q, -Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  numberIn('tick', r.tick, 0, 1e12, true);
  numberIn('timeLeft', r.timeLeft, 0, 1e6);
  numberIn('gamma', r.gamma, 0, 1000, true);
  numberIn('sigma', r.sigma, 0, 1e6);
  numberIn('k', r.k, 0, 1e6, true);
  const status = core.asQuoteTicks(out, BigInt(r.midTicks), r.tick, BigInt(r.q), r.timeLeft, r.gamma, r.sigma, r.k);
  if (status !== AsStatus.OK) throw new AsRefused('asQuoteTicks', status);
  const view = new DataView(core.memory.buffer, out, QUOTE_BYTES);
  return { bidTicks: Number(view.getBigInt64(0, true)), askTicks: Number(view.getBigInt64(8, true)) };
}

/** One path's outcome for both strategies. */
export interface PathOutcome {
  readonly inventoryProfit: number;
  readonly inventoryQ: number;
  readonly symmetricProfit: number;
  readonly symmetricQ: number;
}

/** What the paper's tables report for one strategy (sample standard deviations, n − 1). */
export interface StrategyFigures {
  readonly mean_spread: number;
  readonly profit_mean: number;
  readonly profit_std: number;
  readonly final_q_mean: number;
  readonly final_q_std: number;
}

export interface AsRun {
  readonly meanSpread: number;
  /** Per path, in path order: profit and final q of each strategy. */
  readonly profits: { readonly inventory: Float64Array; readonly symmetric: Float64Array };
  readonly finalQ: { readonly inventory: Float64Array; readonly symmetric: Float64Array };
}

export interface AsRegions {
  /** asSimBytes() of state. */
  readonly state: number;
  /** CHUNK_BYTES for the path records of one chunk. */
  readonly chunk: number;
}

/**
 * Runs `paths` paths of the paper's simulation with `seed`, PATHS_PER_CHUNK per core call; `onProgress`
 * hears the paths done after each call. The model must have passed checkModel.
 */
export function simulate(
  core: AsExports, r: AsRegions, m: AsModel, paths: number, seed: number,
  onProgress?: (done: number, total: number) => void,
): AsRun {
  integerIn('paths', paths, 1, MAX_PATHS);
  integerIn('seed', seed, 0, 0xffff_ffff);
  if (Number(core.asSimPathBytes()) !== PATH_RECORD_BYTES) throw new Error('core path record size differs from the host');
  const status = core.asSimInit(r.state, m.s0, m.sigma, m.T, m.dt, m.A, m.k, m.gamma, seed);
  if (status !== AsStatus.OK) throw new AsRefused('asSimInit', status);
  const inventory = new Float64Array(paths), symmetric = new Float64Array(paths);
  const qInv = new Float64Array(paths), qSym = new Float64Array(paths);
  for (let done = 0; done < paths;) {
    const n = core.asSimRun(r.state, r.chunk, Math.min(PATHS_PER_CHUNK, paths - done));
    const rec = new Float64Array(core.memory.buffer, r.chunk, n * 4);
    for (let i = 0; i < n; i++) {
      inventory[done + i] = rec[i * 4]!;
      qInv[done + i] = rec[i * 4 + 1]!;
      symmetric[done + i] = rec[i * 4 + 2]!;
      qSym[done + i] = rec[i * 4 + 3]!;
    }
    done += n;
    onProgress?.(done, paths);
  }
  return { meanSpread: core.asSimMeanSpread(r.state), profits: { inventory, symmetric }, finalQ: { inventory: qInv, symmetric: qSym } };
}

/** Mean and sample standard deviation (n − 1; 0 for one value). */
export function meanStd(xs: ArrayLike<number>): { mean: number; std: number } {
  const n = xs.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += xs[i]!;
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (xs[i]! - mean) ** 2;
  return { mean, std: n > 1 ? Math.sqrt(ss / (n - 1)) : 0 };
}

/** The paper's table row for each strategy. Both quote the same spread, so both report the same mean spread. */
export function figures(run: AsRun): { inventory: StrategyFigures; symmetric: StrategyFigures } {
  const row = (profit: Float64Array, q: Float64Array): StrategyFigures => {
    const p = meanStd(profit), f = meanStd(q);
    return { mean_spread: run.meanSpread, profit_mean: p.mean, profit_std: p.std, final_q_mean: f.mean, final_q_std: f.std };
  };
  return { inventory: row(run.profits.inventory, run.finalQ.inventory), symmetric: row(run.profits.symmetric, run.finalQ.symmetric) };
}

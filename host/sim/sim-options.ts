// A simulation's run options, validated (a bad value is a ConfigError naming the option, the allowed range and
// the value). Browser-safe: the playground builds the same object from its controls.
import { ConfigError } from '../config/config-error.js';
import { NOISE_TAKERS_DEFAULT } from './synthetic-scenario.js';

export const SCENARIOS = ['synthetic', 'lobster', 'binance'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];
/** The scenarios that replay a recording (host/sim/replay-scenario.ts). */
export const REPLAY_SCENARIOS = ['lobster', 'binance'] as const;
export type ReplayScenarioName = (typeof REPLAY_SCENARIOS)[number];
/** The queue-position models of a replay scenario (docs/queue-models.md; host/modules/queue-position.ts QUEUE_MODELS). */
export const SIM_QUEUE_MODELS = ['conservative', 'power', 'log'] as const;
export type SimQueueModel = (typeof SIM_QUEUE_MODELS)[number];

export interface SimOptions {
  /** Seed of the flow (each symbol's generator is seeded from it and the symbol's index), 0..2^32−1. */
  readonly seed: number;
  /** Virtual duration, ms, 1..86 400 000 (one day). */
  readonly durationMs: number;
  readonly scenario: ScenarioName;
  /** A replay scenario's queue-position model for our passive orders (ignored by synthetic). */
  readonly queueModel: SimQueueModel;
  /** n of the power model, (0, 16]; null: its default 1. Only with queueModel power. */
  readonly queueExponent: number | null;
  /** The synthetic flow's information knob, [0, 100]. */
  readonly info: number;
  /** The synthetic flow's share of marketable orders from noise takers (blind to the fair value), [0, 1]. */
  readonly noiseTakers: number;
  /** Constant latency of each path (market data, order → venue, report → us), ms, [0, 10 000]; with
   *  `roundTripsNs`, market data's only. */
  readonly latencyMs: number;
  /** Recorded order round trips, ns (host/journal/round-trips.ts): each order's drawn from them (wasm-core/sim-latency.ts)
   *  instead of the constant latency. Empty: the constant model. */
  readonly roundTripsNs: readonly number[];
  /** Equity curve sampling interval, ms, [1, 3 600 000]. */
  readonly sampleMs: number;
}

export const DEFAULT_SIM_OPTIONS: SimOptions = {
  seed: 1, durationMs: 3_600_000, scenario: 'synthetic', queueModel: 'conservative', queueExponent: null, info: 0, noiseTakers: NOISE_TAKERS_DEFAULT, latencyMs: 1, sampleMs: 1000, roundTripsNs: [],
};

/** Round trips a recorded-latency table holds at most. */
export const MAX_ROUND_TRIPS = 1 << 24;

const MAX_DURATION_MS = 86_400_000;
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "1h", "30m", "90s", "250ms" or a plain number of ms → ms; ConfigError('duration') otherwise. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  const ms = m ? Number(m[1]) * UNIT_MS[m[2] ?? 'ms']! : NaN;
  if (!Number.isFinite(ms) || !Number.isInteger(ms) || ms < 1 || ms > MAX_DURATION_MS) {
    throw new ConfigError('duration', `a whole number of ms in [1, ${MAX_DURATION_MS}] written as 250ms, 90s, 30m or 1h`, text);
  }
  return ms;
}

function check(key: string, value: number, ok: boolean, allowed: string): number {
  if (!ok) throw new ConfigError(key, allowed, value);
  return value;
}

/** Fills defaults and checks every option. */
export function resolveSimOptions(input: Partial<SimOptions>): SimOptions {
  const o = { ...DEFAULT_SIM_OPTIONS, ...input };
  check('seed', o.seed, Number.isInteger(o.seed) && o.seed >= 0 && o.seed <= 0xffffffff, 'an integer in [0, 4294967295]');
  check('duration', o.durationMs, Number.isInteger(o.durationMs) && o.durationMs >= 1 && o.durationMs <= MAX_DURATION_MS,
    `a whole number of ms in [1, ${MAX_DURATION_MS}]`);
  if (!SCENARIOS.includes(o.scenario)) throw new ConfigError('scenario', `one of ${SCENARIOS.join(', ')}`, o.scenario);
  if (!SIM_QUEUE_MODELS.includes(o.queueModel)) throw new ConfigError('queue-model', `one of ${SIM_QUEUE_MODELS.join(', ')}`, o.queueModel);
  if (o.queueExponent !== null) {
    if (o.queueModel !== 'power') throw new ConfigError('queue-exponent', 'left out unless queue-model is power', o.queueExponent);
    check('queue-exponent', o.queueExponent, Number.isFinite(o.queueExponent) && o.queueExponent > 0 && o.queueExponent <= 16, 'a number in (0, 16]');
  }
  check('info', o.info, Number.isFinite(o.info) && o.info >= 0 && o.info <= 100, 'a number in [0, 100]');
  check('noise-takers', o.noiseTakers, Number.isFinite(o.noiseTakers) && o.noiseTakers >= 0 && o.noiseTakers <= 1, 'a share in [0, 1]');
  check('latency-ms', o.latencyMs, Number.isFinite(o.latencyMs) && o.latencyMs >= 0 && o.latencyMs <= 10_000, 'a number of ms in [0, 10000]');
  if (o.roundTripsNs.length > MAX_ROUND_TRIPS) throw new ConfigError('latency-from', `at most ${MAX_ROUND_TRIPS} round trips`, o.roundTripsNs.length);
  const bad = o.roundTripsNs.findIndex((x) => !(Number.isInteger(x) && x > 0 && x <= 1e13));
  if (bad >= 0) throw new ConfigError(`latency-from[${bad}]`, 'a round trip of a whole number of ns in [1, 10^13]', o.roundTripsNs[bad]);
  check('sample-ms', o.sampleMs, Number.isInteger(o.sampleMs) && o.sampleMs >= 1 && o.sampleMs <= 3_600_000, 'an integer in [1, 3600000]');
  return o;
}

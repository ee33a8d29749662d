// Host side of Sentinel's two watchdogs (wasm-core/rtt-watchdog.ts, wasm-core/circuit-breaker.ts):
// typed exports, config validation, layout and readers.
// Browser-safe (no Node imports). Config speaks milliseconds; times cross into the core as bigint
// nanoseconds. Both watchdogs answer with the TradingState they ask for (host/model/vocabulary.ts);
// the execution stage applies the most restrictive ask of all its sources (the highest code).
import type { CoreExports } from '../core/core.js';
import type { StatePlan } from '../core/memory-map.js';
import {
  CircuitBreakerLimit, CircuitBreakerMode, CircuitBreakerStatus, RttWatchdogMode, RttWatchdogRing, RttWatchdogStatus,
} from '../../build/core-constants.js';
export { CircuitBreakerLimit, CircuitBreakerMode, CircuitBreakerStatus, RttWatchdogMode, RttWatchdogRing, RttWatchdogStatus };
import { ConfigError } from '../config/config-error.js';
import { integerIn, isTable, numberIn, onlyKeys, oneOf, type Table } from '../config/validate.js';
import { TradingState } from '../model/vocabulary.js';

export type TradingStateName = keyof typeof TradingState;
/** The states a lockdown or a trip may ask for. */
export type RestrictiveState = 'REDUCING' | 'HALTED';
const RESTRICTIVE: readonly RestrictiveState[] = ['REDUCING', 'HALTED'];

/** Pass as rttWatchdogHealthy's oldestPendingSentNs when no request awaits its first answer. */
export const NO_PENDING = -1n;
/** The core's "never" for a time (i64 minimum). */
export const NEVER_NS = -(2n ** 63n);

// ── config ───────────────────────────────────────────────────────────────────────────────────────

export const MAX_RTT_MS = 10_000;
export const MAX_SAMPLES = 1_000_000;
export const MAX_MIN_LOCKDOWN_MS = 3_600_000;
export const MAX_ACK_WAIT_MS = 60_000;
export const MAX_WINDOW_MS = 86_400_000;

export interface RttWatchdogConfig {
  /** A sample above this RTT is slow, in (0, 10000] ms. The seed's 20 ms suits a co-located link. */
  readonly lockdownMs: number;
  /** Consecutive slow samples that lock down, in [1, 1e6]; 3 so one slow ack does not. */
  readonly confirmSamples: number;
  /** A sample below this RTT is calm, in (0, lockdownMs] ms: the hysteresis band. */
  readonly releaseMs: number;
  /** Consecutive calm samples that release, in [1, 1e6]. */
  readonly releaseSamples: number;
  /** No release sooner than this after the lockdown, in [0, 3600000] ms. */
  readonly minLockdownMs: number;
  /** Unhealthy while a request has waited longer than this for its first answer, in (0, 60000] ms. */
  readonly maxAckWaitMs: number;
  /** What a lockdown asks of the trading state. */
  readonly lockdownState: RestrictiveState;
}

export interface CircuitBreakerConfig {
  /** Rejects within the window that trip the breaker, in [1, 4096]. */
  readonly maxRejects: number;
  /** Sliding window, in (0, 86400000] ms; half-open: a reject exactly one window older is out. */
  readonly windowMs: number;
  /** What a trip asks of the trading state until an operator reset. */
  readonly tripState: RestrictiveState;
}

export interface SentinelConfig {
  readonly rttWatchdog: RttWatchdogConfig;
  readonly circuitBreaker: CircuitBreakerConfig;
}

/** What a config file may give: any key may be left out for its default. */
export interface SentinelConfigInput {
  readonly rttWatchdog?: Partial<RttWatchdogConfig>;
  readonly circuitBreaker?: Partial<CircuitBreakerConfig>;
}

export const SENTINEL_DEFAULTS: SentinelConfig = {
  // REDUCING by default: a slow order path should stop new exposure but leave the exit open, and the
  // exits' acks are the samples that can prove the path healthy again.
  rttWatchdog: {
    lockdownMs: 20, confirmSamples: 3, releaseMs: 10, releaseSamples: 10, minLockdownMs: 1000, maxAckWaitMs: 100,
    lockdownState: 'REDUCING',
  },
  // HALTED: repeated rejects mean a fault that needs a person; the trip holds until a reset.
  circuitBreaker: { maxRejects: 5, windowMs: 10_000, tripState: 'HALTED' },
};

export const RTT_WATCHDOG_KEYS = Object.keys(SENTINEL_DEFAULTS.rttWatchdog) as (keyof RttWatchdogConfig)[];
export const CIRCUIT_BREAKER_KEYS = Object.keys(SENTINEL_DEFAULTS.circuitBreaker) as (keyof CircuitBreakerConfig)[];

function sectionOf(input: unknown, path: string, known: readonly string[]): Table {
  if (input === undefined) return {};
  if (!isTable(input)) throw new ConfigError(path, 'a table', input);
  onlyKeys(path, input, known);
  return input;
}

/** Milliseconds in (0, hi] that are at least one whole nanosecond for the core. */
function positiveMs(key: string, v: unknown, hi: number): number {
  const ms = numberIn(key, v, 0, hi, true);
  if (msToNs(ms) < 1n) throw new ConfigError(key, `a number in (0, ${hi}] of at least 0.000001 (one nanosecond)`, ms);
  return ms;
}

const quoted = (names: readonly string[]): string => `one of ${names.map((n) => `"${n}"`).join(', ')}`;

/**
 * Fills defaults and validates every key of the `[rttWatchdog]` and `[circuitBreaker]` sections;
 * throws ConfigError naming the first bad key (`rttWatchdog.releaseMs` ...), unknown keys included.
 */
export function resolveSentinelConfig(input: SentinelConfigInput = {}): SentinelConfig {
  const r = { ...SENTINEL_DEFAULTS.rttWatchdog, ...sectionOf(input.rttWatchdog, 'rttWatchdog', RTT_WATCHDOG_KEYS) };
  const b = { ...SENTINEL_DEFAULTS.circuitBreaker, ...sectionOf(input.circuitBreaker, 'circuitBreaker', CIRCUIT_BREAKER_KEYS) };
  const lockdownMs = positiveMs('rttWatchdog.lockdownMs', r.lockdownMs, MAX_RTT_MS);
  const releaseMs = positiveMs('rttWatchdog.releaseMs', r.releaseMs, MAX_RTT_MS);
  if (releaseMs > lockdownMs) throw new ConfigError('rttWatchdog.releaseMs', `≤ rttWatchdog.lockdownMs (${lockdownMs})`, releaseMs);
  return {
    rttWatchdog: {
      lockdownMs,
      confirmSamples: integerIn('rttWatchdog.confirmSamples', r.confirmSamples, 1, MAX_SAMPLES),
      releaseMs,
      releaseSamples: integerIn('rttWatchdog.releaseSamples', r.releaseSamples, 1, MAX_SAMPLES),
      minLockdownMs: numberIn('rttWatchdog.minLockdownMs', r.minLockdownMs, 0, MAX_MIN_LOCKDOWN_MS),
      maxAckWaitMs: positiveMs('rttWatchdog.maxAckWaitMs', r.maxAckWaitMs, MAX_ACK_WAIT_MS),
      lockdownState: oneOf('rttWatchdog.lockdownState', r.lockdownState, RESTRICTIVE, quoted(RESTRICTIVE)),
    },
    circuitBreaker: {
      maxRejects: integerIn('circuitBreaker.maxRejects', b.maxRejects, 1, CircuitBreakerLimit.MAX_REJECTS),
      windowMs: positiveMs('circuitBreaker.windowMs', b.windowMs, MAX_WINDOW_MS),
      tripState: oneOf('circuitBreaker.tripState', b.tripState, RESTRICTIVE, quoted(RESTRICTIVE)),
    },
  };
}

/** Milliseconds (fractions allowed) to integer nanoseconds for the core. */
export function msToNs(ms: number): bigint {
  return BigInt(Math.round(ms * 1e6));
}

// ── state blocks ─────────────────────────────────────────────────────────────────────────────────

type SizeExports = Pick<CoreExports, 'rttWatchdogBytes' | 'circuitBreakerBytes'>;

/** The two state blocks of one Sentinel for the memory map: `${name}.rttWatchdog`, `${name}.circuitBreaker`. */
export function sentinelStatePlans(core: SizeExports, config: SentinelConfig, name = 'sentinel'): StatePlan[] {
  const breaker = core.circuitBreakerBytes(config.circuitBreaker.maxRejects);
  if (breaker === 0) {
    throw new ConfigError('circuitBreaker.maxRejects', `an integer in [1, ${CircuitBreakerLimit.MAX_REJECTS}]`, config.circuitBreaker.maxRejects);
  }
  return [
    { name: `${name}.rttWatchdog`, bytes: core.rttWatchdogBytes() },
    { name: `${name}.circuitBreaker`, bytes: breaker },
  ];
}

/** Offsets of one Sentinel's blocks (from MemoryMap.states). */
export interface SentinelStates { readonly rttWatchdog: number; readonly circuitBreaker: number }

/** Picks `${name}.rttWatchdog` and `${name}.circuitBreaker` out of a planned map's states. */
export function sentinelStates(states: Readonly<Record<string, { offset: number }>>, name = 'sentinel'): SentinelStates {
  const get = (part: string): number => {
    const region = states[`${name}.${part}`];
    if (!region) throw new Error(`memory map has no state block "${name}.${part}" (add sentinelStatePlans to its states)`);
    return region.offset;
  };
  return { rttWatchdog: get('rttWatchdog'), circuitBreaker: get('circuitBreaker') };
}

/** A core init call refused its arguments; `status` is the core's code. */
export class SentinelInitError extends Error {
  override readonly name = 'SentinelInitError';
  constructor(readonly call: string, readonly status: number, readonly reason: string) {
    super(`${call} refused: ${reason} (status ${status})`);
  }
}

function nameOf<T extends Record<string, number>>(table: T, code: number): keyof T & string {
  const hit = Object.entries(table).find(([, v]) => v === code);
  if (!hit) throw new RangeError(`unknown code ${code}`);
  return hit[0];
}

/** The name of a status code of either watchdog ('UNKNOWN' for a code it does not have). */
export function statusName(table: typeof RttWatchdogStatus | typeof CircuitBreakerStatus, status: number): string {
  return Object.entries(table).find(([, v]) => v === status)?.[0] ?? 'UNKNOWN';
}

/** The name of a TradingState code (throws on a code the vocabulary does not have). */
export function tradingStateName(code: number): TradingStateName {
  return nameOf(TradingState, code);
}

export function initRttWatchdog(core: CoreExports, state: number, config: RttWatchdogConfig): void {
  const status = core.rttWatchdogInit(
    state, msToNs(config.lockdownMs), config.confirmSamples, msToNs(config.releaseMs), config.releaseSamples,
    msToNs(config.minLockdownMs), msToNs(config.maxAckWaitMs), TradingState[config.lockdownState],
  );
  if (status !== RttWatchdogStatus.OK) throw new SentinelInitError('rttWatchdogInit', status, statusName(RttWatchdogStatus, status));
}

export function initCircuitBreaker(core: CoreExports, state: number, config: CircuitBreakerConfig): void {
  const status = core.circuitBreakerInit(state, config.maxRejects, msToNs(config.windowMs), TradingState[config.tripState]);
  if (status !== CircuitBreakerStatus.OK) {
    throw new SentinelInitError('circuitBreakerInit', status, statusName(CircuitBreakerStatus, status));
  }
}

/** Writes a resolved config into both blocks; throws SentinelInitError if the core refuses. */
export function initSentinel(core: CoreExports, states: SentinelStates, config: SentinelConfig): void {
  initRttWatchdog(core, states.rttWatchdog, config.rttWatchdog);
  initCircuitBreaker(core, states.circuitBreaker, config.circuitBreaker);
}

// ── readers ──────────────────────────────────────────────────────────────────────────────────────

const timeOrNull = (ns: bigint): bigint | null => (ns === NEVER_NS ? null : ns);

export interface RttWatchdogSnapshot {
  readonly mode: keyof typeof RttWatchdogMode;
  /** What the watchdog asks of the trading state now. */
  readonly ask: TradingStateName;
  /** Consecutive slow samples (NORMAL) or calm samples (LOCKDOWN) so far. */
  readonly run: number;
  readonly lockdowns: number;
  readonly releases: number;
  /** Time of the last lockdown or release, and the RTT that made it (null before any). */
  readonly change_ns: bigint | null;
  readonly change_rtt_ns: bigint | null;
  readonly last_sample_ns: bigint | null;
  readonly samples: bigint;
  /** The latest accepted RTTs, latest first, at most RttWatchdogRing.SAMPLES (64). */
  readonly recent_rtt_ns: readonly bigint[];
  readonly bad_samples: number;
  readonly clock_faults: number;
}

/** The watchdog as plain data (times as bigint ns). */
export function readRttWatchdog(core: CoreExports, state: number): RttWatchdogSnapshot {
  const samples = core.rttWatchdogSamples(state);
  const held = samples < BigInt(RttWatchdogRing.SAMPLES) ? Number(samples) : RttWatchdogRing.SAMPLES;
  const recent: bigint[] = [];
  for (let back = 0; back < held; back++) recent.push(core.rttWatchdogSample(state, back));
  const changeRtt = core.rttWatchdogChangeRttNs(state);
  return {
    mode: nameOf(RttWatchdogMode, core.rttWatchdogMode(state)),
    ask: tradingStateName(core.rttWatchdogAsk(state)),
    run: core.rttWatchdogRun(state) >>> 0,
    lockdowns: core.rttWatchdogLockdowns(state) >>> 0,
    releases: core.rttWatchdogReleases(state) >>> 0,
    change_ns: timeOrNull(core.rttWatchdogChangeNs(state)),
    change_rtt_ns: changeRtt < 0n ? null : changeRtt,
    last_sample_ns: timeOrNull(core.rttWatchdogLastNs(state)),
    samples,
    recent_rtt_ns: recent,
    bad_samples: core.rttWatchdogBadSamples(state) >>> 0,
    clock_faults: core.rttWatchdogClockFaults(state) >>> 0,
  };
}

export interface CircuitBreakerSnapshot {
  readonly mode: keyof typeof CircuitBreakerMode;
  /** What the breaker asks of the trading state now. */
  readonly ask: TradingStateName;
  readonly trips: number;
  /** Time of the last trip and of the last operator reset (null: never). */
  readonly trip_ns: bigint | null;
  readonly reset_ns: bigint | null;
  /** Rejects since the last reset still inside the window at nowNs (at most maxRejects). */
  readonly rejects_in_window: number;
  readonly rejects: number;
  readonly accepts: number;
  readonly resets: number;
  readonly clock_faults: number;
}

/** The breaker as plain data at `nowNs` (times as bigint ns). */
export function readCircuitBreaker(core: CoreExports, state: number, nowNs: bigint): CircuitBreakerSnapshot {
  return {
    mode: nameOf(CircuitBreakerMode, core.circuitBreakerMode(state)),
    ask: tradingStateName(core.circuitBreakerAsk(state)),
    trips: core.circuitBreakerTrips(state) >>> 0,
    trip_ns: timeOrNull(core.circuitBreakerTripNs(state)),
    reset_ns: timeOrNull(core.circuitBreakerResetNs(state)),
    rejects_in_window: core.circuitBreakerRejectsInWindow(state, nowNs),
    rejects: core.circuitBreakerRejects(state) >>> 0,
    accepts: core.circuitBreakerAccepts(state) >>> 0,
    resets: core.circuitBreakerResets(state) >>> 0,
    clock_faults: core.circuitBreakerClockFaults(state) >>> 0,
  };
}

// The engine configs the benchmark runs: the shipped config/engine.toml (or `--base-config <file>`)
// with a few keys replaced, so the benchmark trades what `npm start` trades and only what a
// benchmark must change differs: the topology, the one symbol, private segment / journal / token
// paths, and for the sustained run the stress strategy with the broker's caps lifted (the venue's
// orders_per_second is 0 there too). Each override is a dotted key path; a path the engine's config
// does not know is refused by the engine, naming the key, and the benchmark stops with that message.
import { withOverrides } from '../host/config/config-overrides.js';

export { withOverrides };

/** config/engine.toml, from dist/bench/. */
export const ENGINE_TOML_URL = new URL('../../config/engine.toml', import.meta.url);

export interface BenchEngineSetup {
  readonly topology: 'fused' | 'modules';
  /** Venue symbol name the engine trades. */
  readonly symbol: string;
  /** Private paths: segment name under /dev/shm, journal file, control-token dir. */
  readonly segment: string;
  readonly journal: string;
  readonly controlDir: string;
  readonly userId: number;
  readonly token: string;
  /** The latency runs' strategy (execution.strategy.kind), or undefined for the shipped one. */
  readonly latencyStrategy?: string;
}

/** Overrides of the latency runs: one symbol, private paths, the shipped strategy unless another is named
 *  (the shipped WOBI executor quotes only in Attack regime with the gate open, so a short run may see
 *  few orders: `--latency-strategy` picks one that reacts more often). */
/** The stress strategy keeps at most this many orders working (its window's limit). */
export const STRESS_WINDOW = 8;

/** The window over which a paced run counts the engine's messages, ms. */
export const PACE_WINDOW_MS = 2;

/** Overrides that hold the engine to `messagesPerSecond` (new orders and cancels together) through its own broker
 *  window, counted over PACE_WINDOW_MS so the pace is smooth, not a burst each second; 0: unpaced. The stress
 *  strategy answers every book update, and its own orders and cancels come back as book updates, so unpaced its
 *  order rate follows how fast the venue answers, which is what a busier or quieter machine changes: two runs
 *  compared at different rates compare different workloads. A new order needs room for itself and a cancel of each
 *  working order (execution's cancel headroom), so the window must hold at least STRESS_WINDOW + 2 messages. */
export function pacedOverrides(messagesPerSecond: number): Record<string, unknown> {
  if (messagesPerSecond === 0) return {};
  const perWindow = (messagesPerSecond * PACE_WINDOW_MS) / 1000;
  const least = STRESS_WINDOW + 2;
  if (!Number.isInteger(perWindow) || perWindow < least) {
    throw new RangeError(`--message-rate must be 0 (unpaced) or a multiple of ${1000 / PACE_WINDOW_MS} from `
      + `${(least * 1000) / PACE_WINDOW_MS} (the stress strategy's ${STRESS_WINDOW} working orders need room for their cancels), got ${messagesPerSecond}`);
  }
  return { 'execution.broker.perSecond': perWindow, 'execution.broker.secondWindowMs': PACE_WINDOW_MS };
}

/** Overrides that select strategy `kind` (and, for stress, its window: the shipped one is a mean
 *  reversion's window of mids, out of the stress strategy's range). */
function strategy(kind: string): Record<string, unknown> {
  return kind === 'stress'
    ? { 'execution.strategy.kind': kind, 'execution.strategy.window': STRESS_WINDOW }
    : { 'execution.strategy.kind': kind };
}

export function latencyOverrides(s: BenchEngineSetup): Record<string, unknown> {
  return {
    ...(s.latencyStrategy === undefined ? {} : strategy(s.latencyStrategy)),
    ...LIFTED_LIMITS,
    'engine.topology': s.topology,
    'engine.symbols': [s.symbol],
    'engine.segment': s.segment,
    'engine.journal': s.journal,
    'engine.controlDir': s.controlDir,
    'venue.userId': s.userId,
    'venue.token': s.token,
  };
}

/** The broker caps of the benchmark's runs (per second, minute, day): 0 = none, the execution config's
 *  way of lifting a cap. */
export const SUSTAINED_CAPS = { perSecond: 0, perMinute: 0, perDay: 0 } as const;
/** The flood controller's per-second budget in the benchmark's runs: the most [flood] ordersPerSecond
 *  the engine's config accepts today (1000); an engine whose flood control gates its own orders needs
 *  this raised past 10 000 for the sustained figure to mean anything. */
export const SUSTAINED_FLOOD_PER_SECOND = 1000;

/** The RTT watchdog's lockdown threshold in the benchmark's runs, ms (the most the config accepts). At the
 *  shipped 20 ms, three slow acks of a venue queueing under the stress strategy's flood lock the order
 *  path down (REDUCING) for the rest of the run: with no position there is no exit whose ack could
 *  release it, and the run measures nothing (0 venue orders in its timed part). */
export const BENCH_LOCKDOWN_MS = 10_000;

/** Limits every benchmark run lifts (latency and sustained): the broker caps (10/s would leave a 5 s
 *  latency run some 50 decisions, too few for a p99 and all of them on code the JIT has not warmed),
 *  the OTR budget (a stress strategy's thousands of unfilled orders exhaust it within seconds) and the
 *  RTT lockdown (BENCH_LOCKDOWN_MS). The
 *  venue's orders_per_second is 0 in both runs. Each engine line says so (`limits_lifted`). */
export const LIFTED_LIMITS: Readonly<Record<string, unknown>> = {
  'execution.broker.perSecond': SUSTAINED_CAPS.perSecond,
  'execution.broker.perMinute': SUSTAINED_CAPS.perMinute,
  'execution.broker.perDay': SUSTAINED_CAPS.perDay,
  'execution.targetOtr': false,
  'execution.rttWatchdog.lockdownMs': BENCH_LOCKDOWN_MS,
  'flood.ordersPerSecond': SUSTAINED_FLOOD_PER_SECOND,
};

/** What LIFTED_LIMITS lifts, as the engine lines print it. */
export const LIFTED_LIMITS_NOTE = 'broker caps (per second, minute, day), the OTR budget, RTT lockdown at 10 s';

/** Overrides of the sustained run: the latency run's (limits lifted) plus the stress strategy. */
export function sustainedOverrides(s: BenchEngineSetup): Record<string, unknown> {
  return {
    ...latencyOverrides({ ...s, latencyStrategy: undefined }),
    ...strategy('stress'),
  };
}

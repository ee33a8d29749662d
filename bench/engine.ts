// `npm run bench -- engine [--seconds 20] [--sustained-seconds 60] [--warmup-seconds 3] [--spacing-us 1000]
//   [--topologies fused,modules] [--waits event,spin] [--sustained fused|modules|none] [--echo-samples 2000]
//   [--base-config <toml>] [--engine-js <entry.js>] [--latency-strategy wobi|mean-reversion|stress]`:
// the venue and the engine on loopback, one run, JSON lines (engine-lines.ts):
//   1. the echo floor: a bare Node TCP round trip at the market data's spacing and back to back
//      ({"bench":"echo_floor",…}), before anything else runs;
//   2. per topology, a latency run: a venue process driving steady synthetic market data for one symbol
//      (one write every `spacing` µs: flow_tick_ms 1 at 10^6/spacing events per second), with its audit
//      on (orders and market data), and the engine on the default strategy with the broker caps and the
//      OTR budget lifted (engine-config.ts LIFTED_LIMITS: thousands of samples, not the 10/s cap's fifty). After the warm-up, the
//      timed part; then SIGTERM and the engine's stopped line gives tick-to-order (T4 − T0) and
//      wire-to-order (T4 − Tv) from its own histograms; the venue's audit gives the venue reaction
//      (order arrival − Tv of the frame that triggered it, reaction-pairing.ts) → {"bench":"engine",…};
//      fused runs once per wait strategy of `--waits` ("wait":"event": the hot worker sleeps in its event
//      loop; "wait":"spin": it busy-polls its sockets, host/engine/spin-loop.ts). A spin run pins the
//      spinning hot worker to CPU 0 and everything else away from it: the cool worker and the venue
//      (its --cpus flag) to CPU 1 (SPIN_PINNING); its line carries the loop's figures ("spin");
//   3. the sustained run: the stress strategy with the broker caps lifted against a venue without an
//      order-rate limit, acks counted by the venue (its stats) over `--sustained-seconds`, the
//      engine's RSS at the start and end of the timed part, and its collections per worker (the
//      stopped line's "gc" when the engine counts them, else --trace-gc per isolate)
//      → {"bench":"engine_sustained",…}.
// The engine's figures cover its whole run (warm-up included: it has no way to be told when timing
// starts); the venue's (reaction, orders, acks) cover the timed part only.
// Every venue and engine started here is stopped before the next starts, and on failure.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { echoFloor, type EchoFloor } from './echo-floor.js';
import { engineLine, sustainedLine, type GcCounts, type NsSummary } from './engine-lines.js';
import { ENGINE_TOML_URL, LIFTED_LIMITS_NOTE, latencyOverrides, sustainedOverrides, withOverrides, type BenchEngineSetup } from './engine-config.js';
import { startEngine, type EngineProcess, type JsonLine } from '../host/platform/engine-process.js';
import { pairReactions } from './reaction-pairing.js';
import { startVenue, venueConfigToml, type LocalVenue, type VenueStatsLine } from '../host/venue/venue-process.js';

export type Topology = 'fused' | 'modules';
export type SocketWait = 'event' | 'spin';

/** CPUs of a spin run on a 2-core machine: the spinning hot worker alone on CPU 0, the rest on CPU 1 (a
 *  spinning thread starves whatever shares its core). */
export const SPIN_PINNING = { hot: [0], cool: [1], venue: [1] } as const;

/** Engine overrides of a latency run with the fused hot worker waiting with `wait`. */
export function waitOverrides(wait: SocketWait): Record<string, unknown> {
  return wait === 'spin'
    ? { 'workers.hot.wait': 'spin', 'workers.hot.cpus': [...SPIN_PINNING.hot], 'workers.cool.cpus': [...SPIN_PINNING.cool] }
    : {};
}

export interface EngineBenchOptions {
  /** Timed part of each latency run, s. */
  readonly seconds: number;
  /** Timed part of the sustained run, s. */
  readonly sustainedSeconds: number;
  readonly warmupSeconds: number;
  /** Market-data spacing of the latency runs and of the echo floor, µs. */
  readonly spacingUs: number;
  readonly topologies: readonly Topology[];
  /** The fused hot worker's wait strategies, one latency run each (default event only; `npm run bench`: both).
   *  Modules runs wait on events. */
  readonly waits?: readonly SocketWait[];
  /** Topology of the sustained run, or null for none. */
  readonly sustained: Topology | null;
  /** Round trips per echo-floor measurement. */
  readonly echoSamples: number;
  /** The engine config the overrides apply to (default config/engine.toml). */
  readonly baseConfig?: string;
  /** Another engine entry (default dist/host/engine.js). */
  readonly engineJs?: string;
  /** The latency runs' strategy kind (default: the base config's). */
  readonly latencyStrategy?: string;
}

const SYMBOL = 'RELIANCE';
const USER = { id: 1, token: 'alpha' } as const;

/** The venue of a latency run: one symbol, steady flow at `spacingUs`, audit with market data. */
export function latencyVenueToml(spacingUs: number): string {
  return venueConfigToml({
    users: [USER],
    symbols: [{ name: SYMBOL, refPrice: 58_000, tickPaise: 5, flowEventsPerSecond: Math.round(1e6 / spacingUs), flowSeed: 11, flowWarmupEvents: 400 }],
    flowTickMs: Math.max(1, Math.round(spacingUs / 1000)),
    ordersPerSecond: 0,
  });
}

/** The venue of the sustained run: the same market, no order-rate limit, room for a flood. */
export function sustainedVenueToml(spacingUs: number): string {
  return venueConfigToml({
    users: [USER],
    symbols: [{ name: SYMBOL, refPrice: 58_000, tickPaise: 5, capacity: 262_144, flowEventsPerSecond: Math.round(1e6 / spacingUs), flowSeed: 11, flowWarmupEvents: 400 }],
    flowTickMs: Math.max(1, Math.round(spacingUs / 1000)),
    ordersPerSecond: 0,
    inboundQueueFrames: 1 << 20,
    sendBufferBytes: 64 << 20,
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const nowNs = (): number => Number(process.hrtime.bigint());

function userOf(stats: VenueStatsLine): VenueStatsLine['users'][number] {
  return stats.users.find((u) => u.user === USER.id)
    ?? { user: USER.id, orders: 0, cancels: 0, replaces: 0, acks: 0, fills: 0, canceled: 0, replaced: 0, rejects: 0 };
}

function latencyOf(stopped: JsonLine | null, key: string): NsSummary | null {
  const latency = stopped?.['latency'] as Record<string, NsSummary> | null | undefined;
  return latency?.[key] ?? null;
}

/** One venue and one engine for `body`; both stopped afterwards, whatever happens. The latency runs
 *  keep the venue's audit (orders and market data); the sustained run does not (three lines per order
 *  at 10^4 orders/s would load the venue's core with formatting) and counts with `--trace-gc`. */
export async function withVenueAndEngine<T>(o: Pick<EngineBenchOptions, 'baseConfig' | 'engineJs' | 'latencyStrategy'>,
  venueToml: string, overrides: (s: BenchEngineSetup) => Record<string, unknown>, topology: Topology, sustained: boolean,
  body: (venue: LocalVenue, engine: EngineProcess, setup: BenchEngineSetup) => Promise<T>,
  venueCpus?: readonly number[], venuePriority?: number): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-engine-'));
  let venue: LocalVenue | null = null;
  let engine: EngineProcess | null = null;
  try {
    venue = await startVenue(venueToml, { control: true, audit: !sustained, auditMd: !sustained, cpus: venueCpus, priority: venuePriority });
    const setup: BenchEngineSetup = {
      topology, symbol: SYMBOL, segment: `/tradecore-bench-${process.pid}-${topology}`, journal: join(dir, 'engine.journal'),
      controlDir: dir, userId: USER.id, token: USER.token, latencyStrategy: o.latencyStrategy,
    };
    const configFile = join(dir, 'engine.toml');
    writeFileSync(configFile, withOverrides(readFileSync(o.baseConfig ?? ENGINE_TOML_URL, 'utf8'), overrides(setup)));
    engine = await startEngine({ configFile, oePort: venue.oePort, mdPort: venue.mdPort, traceGc: sustained, engineJs: o.engineJs });
    return await body(venue, engine, setup);
  } finally {
    if (engine !== null) await engine.stop();
    if (venue !== null) await venue.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function latencyRun(o: EngineBenchOptions, topology: Topology, wait: SocketWait, floor: EchoFloor,
  progress: (s: string) => void): Promise<object> {
  const overrides = (s: BenchEngineSetup): Record<string, unknown> => ({ ...latencyOverrides(s), ...waitOverrides(wait) });
  const venueCpus = wait === 'spin' ? SPIN_PINNING.venue : undefined;
  return withVenueAndEngine(o, latencyVenueToml(o.spacingUs), overrides, topology, false, async (venue, engine) => {
    progress(`  ${topology} (wait ${wait}): engine pid ${engine.pid} ready; ${o.warmupSeconds} s warm-up, ${o.seconds} s timed`);
    await sleep(o.warmupSeconds * 1000);
    const before = userOf(await venue.stats());
    const startNs = nowNs();
    await sleep(o.seconds * 1000);
    const after = userOf(await venue.stats());
    const endNs = nowNs();
    const seconds = (endNs - startNs) / 1e9;
    const stopped = await engine.stop();
    if (stopped === null) progress(`  ${topology}: no stopped line from the engine; stderr tail:\n${engine.stderrText().slice(-2000)}`);
    // Orders of the timed part only; market data from any time (an early order's trigger may precede it).
    const audit = (await venue.audit()).filter((l) => l.dir !== 'in' || (l.ns >= startNs && l.ns <= endNs));
    const pairing = pairReactions(audit, { user: USER.id, windowNs: o.spacingUs * 1000 });
    const line = engineLine({
      topology,
      tickToOrderNs: latencyOf(stopped, 'tick_to_order_ns'),
      wireToOrderNs: latencyOf(stopped, 'wire_to_order_ns'),
      venueReactionNs: pairing.reactionNs,
      orderWireInNs: pairing.wireInNs,
      unpaired: pairing.unpaired,
      ambiguous: pairing.ambiguous,
      echoFloorRttUs: { p50: floor.rtt_us.p50, p99: floor.rtt_us.p99, p999: floor.rtt_us.p999 },
      echoSpacingUs: o.spacingUs,
      echoMeanSpacingUs: floor.mean_spacing_us,
      mdMeanSpacingUs: pairing.meanWriteSpacingNs / 1000,
      seconds: Math.round(seconds * 1000) / 1000,
      venueOrders: after.orders - before.orders,
    });
    const spin = (stopped?.['spin'] as Record<string, Record<string, number>> | undefined)?.['hot'] ?? null;
    if (wait === 'spin' && spin === null) progress(`  ${topology} (wait spin): the engine reported no spin figures: did it spin?`);
    return {
      ...line, wait, ...(wait === 'spin' ? { pinning: SPIN_PINNING, spin } : {}),
      limits_lifted: LIFTED_LIMITS_NOTE, stages_us: stagesUs(stopped),
    };
  }, venueCpus);
}

/** Where tick-to-order goes, from the engine's stage histograms (T1..T3 are sampled ticks only), µs. */
function stagesUs(stopped: JsonLine | null): Record<string, { p50: number; p99: number; count: number }> | null {
  const out: Record<string, { p50: number; p99: number; count: number }> = {};
  for (const key of ['t0_t1_ns', 't1_t2_ns', 't2_t3_ns', 't3_t4_ns']) {
    const s = latencyOf(stopped, key);
    if (s === null) continue;
    out[key.replace('_ns', '')] = { p50: Math.round(s.p50 / 10) / 100, p99: Math.round(s.p99 / 10) / 100, count: s.count ?? 0 };
  }
  return Object.keys(out).length > 0 ? out : null;
}

function gcDiff(end: Record<string, GcCounts>, start: Record<string, GcCounts>): Record<string, GcCounts> {
  const out: Record<string, GcCounts> = {};
  for (const [k, v] of Object.entries(end)) {
    const s = start[k] ?? { scavenges: 0, mark_sweeps: 0 };
    out[k] = { scavenges: v.scavenges - s.scavenges, mark_sweeps: v.mark_sweeps - s.mark_sweeps };
  }
  return out;
}

async function sustainedRun(o: EngineBenchOptions, topology: Topology, progress: (s: string) => void): Promise<object> {
  return withVenueAndEngine(o, sustainedVenueToml(o.spacingUs), sustainedOverrides, topology, true, async (venue, engine) => {
    progress(`  sustained ${topology}: engine pid ${engine.pid}; ${o.warmupSeconds} s warm-up, ${o.sustainedSeconds} s timed`);
    await sleep(o.warmupSeconds * 1000);
    const before = userOf(await venue.stats());
    const rssStart = engine.rssBytes();
    const gcStart = engine.gcCounts();
    const startNs = nowNs();
    await sleep(o.sustainedSeconds * 1000);
    const after = userOf(await venue.stats());
    const rssEnd = engine.rssBytes();
    const gcEnd = engine.gcCounts();
    const seconds = (nowNs() - startNs) / 1e9;
    const stopped = await engine.stop();
    const own = stopped?.['gc'] as Record<string, GcCounts> | undefined;
    return sustainedLine({
      topology,
      acks: after.acks - before.acks,
      seconds: Math.round(seconds * 1000) / 1000,
      rssBytesStart: rssStart,
      rssBytesEnd: rssEnd,
      gc: own ?? (Object.keys(gcEnd).length > 0 ? gcDiff(gcEnd, gcStart) : null),
      rejects: after.rejects - before.rejects,
    });
  });
}

export async function engineBench(o: EngineBenchOptions, emit: (line: object) => void, progress: (s: string) => void): Promise<void> {
  progress(`engine bench: echo floor at ${o.spacingUs} µs spacing and back to back, ${o.echoSamples} round trips each`);
  const floor = await echoFloor({ spacingUs: o.spacingUs, samples: o.echoSamples, warmup: Math.ceil(o.echoSamples / 10) });
  emit({ bench: 'echo_floor', ...floor });
  emit({ bench: 'echo_floor', ...await echoFloor({ spacingUs: 0, samples: o.echoSamples, warmup: Math.ceil(o.echoSamples / 10) }) });
  for (const topology of o.topologies) {
    for (const wait of topology === 'fused' ? o.waits ?? ['event'] : ['event'] as const) {
      progress(`engine bench: ${topology}, wait ${wait}`);
      emit(await latencyRun(o, topology, wait, floor, progress));
    }
  }
  if (o.sustained !== null) {
    progress(`engine bench: sustained, ${o.sustained}, stress strategy`);
    emit(await sustainedRun(o, o.sustained, progress));
  }
}

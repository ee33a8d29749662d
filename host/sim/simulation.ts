// One simulation in one WebAssembly.Memory: the memory planned (host/core/memory-map.ts) with the live engine's
// decision regions (a book, an Oracle and Sonar's states per symbol, the execution region) plus the simulator's
// state (wasm-core/sim-run.ts), each set up by the same host init functions the live engine uses, then the
// simulator started. Browser-safe: it takes a compiled module, so a Web Worker can run it as Node does.
import { createSharedMemory, instantiateCore, type CoreExports } from '../core/core.js';
import { planMemory, type MemoryMapConfig } from '../core/memory-map.js';
import type { EngineConfig } from '../config/engine-config.js';
import { initOracle, oracleStateBytes } from '../modules/oracle.js';
import { initSonar, sonarStatePlans, sonarStates, type SonarStates } from '../modules/sonar.js';
import { executionBytes, initExecution, type ExecSymbol } from '../modules/execution.js';
import { SimLatency } from '../../build/core-constants.js';
import type { SimOptions } from './sim-options.js';
import { NOISE_TAKERS_DEFAULT, type SimSymbolSpec, type SyntheticScenario } from './synthetic-scenario.js';
import { queueModelCode, REPLAY_QUEUE_SLOTS, type ReplayScenario } from './replay-scenario.js';
import { L2_RECORD_BYTES } from './l2-events.js';

/** Resting orders each symbol's matching pool holds (flow and ours). */
export const MATCH_CAPACITY = 16384;
/** Ticks in each symbol's matching band, centred on its reference price (the flow keeps its fair value inside). */
export const MATCH_LEVELS = 8192;
/** Events the queue holds at once. */
export const QUEUE_CAPACITY = 1 << 16;
/** Virtual start: 1 s (0 means "never" to several sub-modules). */
export const START_NS = 1_000_000_000;
/** Sonar's gate evaluation period, as the live cool loop's 1 ms turn. */
export const GATE_NS = 1_000_000;

export interface Simulation {
  readonly core: CoreExports;
  readonly memory: WebAssembly.Memory;
  /** The simulator's state offset. */
  readonly sim: number;
  readonly exec: number;
  readonly scenario: SyntheticScenario | ReplayScenario;
  readonly options: SimOptions;
  readonly symbols: readonly string[];
}

export class SimInitError extends Error {
  override readonly name = 'SimInitError';
  constructor(readonly call: string, readonly status: number) {
    super(`${call} failed with status ${status}`);
  }
}

function ok(call: string, status: number): void {
  if (status < 0) throw new SimInitError(call, status);
}

/** The live engine's placeholders (host/engine/engine-memory.ts placeholderSymbols, which imports Node-only code):
 *  each index on an id at the top of the id range, so the region's id map fits every real id. */
function placeholderSymbols(names: readonly string[]): ExecSymbol[] {
  return names.map((name, i) => ({ name, symbolId: 65535 - i, tickPaise: 5, lotSize: 1 }));
}

/** Each symbol's flow seed from the run's seed and its venue id (as the live venue seeds its flows). */
export function flowSeed(seed: number, symbolId: number): number {
  return (seed ^ Math.imul(symbolId, 0x27d4eb2d)) >>> 0;
}

/** A replay scenario's symbol as the synthetic set-up takes it: its flow never runs (no warm-up, no FLOW). */
function replaySymbol(r: ReplayScenario): SimSymbolSpec {
  return {
    ...r.symbol,
    refPrice: r.bookBase + r.bookLevels / 2,
    flow: { eventsPerSecond: 1, sigmaTicks: 1, passiveFraction: 0.5, cancelFraction: 0.3, depthTicks: 1, minLots: 1,
      maxLots: 1, maxResting: 1, warmupEvents: 0 },
  };
}

/**
 * The virtual duration: the options', or, when shorter, a replay's recording span plus the time its last
 * record's market data and our reports to it take to reach us (+1 ns: events at the end run).
 */
export function simDurationNs(scenario: SyntheticScenario | ReplayScenario, options: SimOptions): bigint {
  const asked = BigInt(options.durationMs) * 1_000_000n;
  if (scenario.kind === 'synthetic') return asked;
  const span = replayEndNs(scenario, options);
  return span < asked ? span : asked;
}

/** A replay's end: its last record, then one latency (the longest recorded round trip with a table) and 1 ns. */
export function replayEndNs(scenario: ReplayScenario, options: SimOptions): bigint {
  const trip = options.roundTripsNs.reduce((a, b) => Math.max(a, b), 0);
  return BigInt(scenario.spanNs) + BigInt(Math.max(Math.round(options.latencyMs * 1e6), trip)) + 1n;
}

/** Plans memory, sets every region up from `config`, `scenario` and `options`, and starts the simulator. */
export function createSimulation(module: WebAssembly.Module, config: EngineConfig, scenario: SyntheticScenario | ReplayScenario,
  options: SimOptions): Simulation {
  const sizer = instantiateCore(module, createSharedMemory(65536));
  const replay = scenario.kind === 'synthetic' ? null : scenario;
  const symbols: readonly SimSymbolSpec[] = replay === null ? (scenario as SyntheticScenario).symbols : [replaySymbol(replay)];
  const names = symbols.map((s) => s.name);
  const durationNs = simDurationNs(scenario, options);
  const equityCapacity = Math.floor(Number(durationNs / 1_000_000n) / options.sampleMs) + 2;
  const maxResting = Math.max(...symbols.map((s) => s.flow.maxResting));
  const simBytes = sizer.simBytes(names.length, MATCH_CAPACITY, MATCH_LEVELS, QUEUE_CAPACITY, equityCapacity, maxResting);
  if (simBytes === 0) throw new SimInitError('simBytes', 0);
  const table = options.roundTripsNs;
  const plan: MemoryMapConfig = {
    books: names.map((symbol) => ({ symbol, levels: replay?.bookLevels ?? config.engine.bookLevels })),
    states: [
      { name: 'sim', bytes: simBytes },
      ...(replay !== null ? [
        { name: 'sim.replay', bytes: sizer.simReplayBytes(replay.bookLevels, REPLAY_QUEUE_SLOTS) },
        { name: 'sim.l2', bytes: replay.events.count * L2_RECORD_BYTES },
      ] : []),
      ...(table.length > 0 ? [{ name: 'sim.latency', bytes: sizer.simLatencyBytes(table.length) }] : []),
      { name: 'exec', bytes: executionBytes(sizer, config.execution, placeholderSymbols(names)) },
      ...names.map((_, i) => ({ name: `oracle.${i}`, bytes: oracleStateBytes(sizer, config.oracle) })),
      ...names.flatMap((_, i) => sonarStatePlans(sizer, config.sonar, `sonar.${i}`)),
    ],
  };
  const map = planMemory(plan, sizer);
  const memory = createSharedMemory(map.totalBytes);
  const core = instantiateCore(module, memory);
  const state = (name: string): number => map.states[name]!.offset;
  const exec = state('exec');
  const sim = state('sim');
  const start = BigInt(START_NS);
  // The live engine's order: the execution region on placeholders, then each symbol as the feed defines it.
  initExecution(core, exec, config.execution, placeholderSymbols(names), start);
  const latencyNs = BigInt(Math.round(options.latencyMs * 1e6));
  ok('simInit', core.simInit(sim, names.length, MATCH_CAPACITY, MATCH_LEVELS, QUEUE_CAPACITY, equityCapacity, maxResting,
    exec, start, durationNs, table.length > 0 ? SimLatency.TABLE : SimLatency.CONSTANT,
    latencyNs, latencyNs, latencyNs, BigInt(options.sampleMs) * 1_000_000n, BigInt(GATE_NS)));
  if (table.length > 0) {
    // The table's draws on a generator of their own, seeded from the run's seed: the flow's draws stay as they were.
    const at = state('sim.latency');
    ok('simLatencyInit', core.simLatencyInit(at, table.length, (options.seed ^ 0x5bd1e995) >>> 0));
    table.forEach((ns, k) => ok(`simLatencySet(${k})`, core.simLatencySet(at, k, BigInt(ns))));
    ok('simSetLatencyTable', core.simSetLatencyTable(sim, at));
  }
  symbols.forEach((s, i) => {
    const book = map.books[s.name]!;
    const base = Math.max(0, s.refPrice - MATCH_LEVELS / 2);
    // The strategy's book window centred on the band's centre too (the live feed recentres on the venue's book);
    // a replay's is the recorded book's window.
    ok(`bookInit(${s.name})`, core.bookInit(book.offset, book.levels, replay?.bookBase ?? Math.max(0, s.refPrice - book.levels / 2)));
    const oracle = state(`oracle.${i}`);
    initOracle(core, oracle, config.oracle);
    const sonar: SonarStates = sonarStates(map.states, `sonar.${i}`);
    initSonar(core, sonar, config.sonar);
    ok(`execSetSymbol(${s.name})`, core.execSetSymbol(exec, i, s.symbolId, s.tickPaise, s.lotSize));
    const f = s.flow;
    ok(`simSetSymbol(${s.name})`, core.simSetSymbol(sim, i, book.offset, oracle, sonar.entropy, sonar.regime, sonar.gate,
      s.tickPaise, base, flowSeed(options.seed, s.symbolId), s.refPrice, f.eventsPerSecond, f.sigmaTicks,
      f.passiveFraction, f.cancelFraction, scenario.info, f.depthTicks, f.minLots, f.maxLots, s.lotSize, f.warmupEvents));
    ok(`flowSetNoiseTakers(${s.name})`, core.flowSetNoiseTakers(core.simFlowAddress(sim, i),
      replay === null ? (scenario as SyntheticScenario).noiseTakers ?? NOISE_TAKERS_DEFAULT : 0));
  });
  if (replay !== null) {
    // The recording into core memory once; the core walks it there.
    const l2 = state('sim.l2');
    replay.events.copyTo(memory.buffer, l2);
    const at = state('sim.replay');
    ok('simReplayInit', core.simReplayInit(at, l2, replay.events.count, replay.bookLevels, replay.bookBase, REPLAY_QUEUE_SLOTS,
      queueModelCode(replay.queueModel), replay.queueExponent));
    ok('simSetReplay', core.simSetReplay(sim, 0, at));
  }
  ok('simStart', core.simStart(sim));
  return { core, memory, sim, exec, scenario, options, symbols: names };
}

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
import { NOISE_TAKERS_DEFAULT, type SyntheticScenario } from './synthetic-scenario.js';

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
  readonly scenario: SyntheticScenario;
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

/** Plans memory, sets every region up from `config`, `scenario` and `options`, and starts the simulator. */
export function createSimulation(module: WebAssembly.Module, config: EngineConfig, scenario: SyntheticScenario,
  options: SimOptions): Simulation {
  const sizer = instantiateCore(module, createSharedMemory(65536));
  const names = scenario.symbols.map((s) => s.name);
  const equityCapacity = Math.floor(options.durationMs / options.sampleMs) + 2;
  const maxResting = Math.max(...scenario.symbols.map((s) => s.flow.maxResting));
  const simBytes = sizer.simBytes(names.length, MATCH_CAPACITY, MATCH_LEVELS, QUEUE_CAPACITY, equityCapacity, maxResting);
  if (simBytes === 0) throw new SimInitError('simBytes', 0);
  const table = options.roundTripsNs;
  const plan: MemoryMapConfig = {
    books: names.map((symbol) => ({ symbol, levels: config.engine.bookLevels })),
    states: [
      { name: 'sim', bytes: simBytes },
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
    exec, start, BigInt(options.durationMs) * 1_000_000n, table.length > 0 ? SimLatency.TABLE : SimLatency.CONSTANT,
    latencyNs, latencyNs, latencyNs, BigInt(options.sampleMs) * 1_000_000n, BigInt(GATE_NS)));
  if (table.length > 0) {
    // The table's draws on a generator of their own, seeded from the run's seed: the flow's draws stay as they were.
    const at = state('sim.latency');
    ok('simLatencyInit', core.simLatencyInit(at, table.length, (options.seed ^ 0x5bd1e995) >>> 0));
    table.forEach((ns, k) => ok(`simLatencySet(${k})`, core.simLatencySet(at, k, BigInt(ns))));
    ok('simSetLatencyTable', core.simSetLatencyTable(sim, at));
  }
  scenario.symbols.forEach((s, i) => {
    const book = map.books[s.name]!;
    const base = s.refPrice - MATCH_LEVELS / 2;
    // The strategy's book window centred on the band's centre too (the live feed recentres on the venue's book).
    ok(`bookInit(${s.name})`, core.bookInit(book.offset, book.levels, Math.max(0, s.refPrice - book.levels / 2)));
    const oracle = state(`oracle.${i}`);
    initOracle(core, oracle, config.oracle);
    const sonar: SonarStates = sonarStates(map.states, `sonar.${i}`);
    initSonar(core, sonar, config.sonar);
    ok(`execSetSymbol(${s.name})`, core.execSetSymbol(exec, i, s.symbolId, s.tickPaise, s.lotSize));
    const f = s.flow;
    ok(`simSetSymbol(${s.name})`, core.simSetSymbol(sim, i, book.offset, oracle, sonar.entropy, sonar.regime, sonar.gate,
      s.tickPaise, base, flowSeed(options.seed, s.symbolId), s.refPrice, f.eventsPerSecond, f.sigmaTicks,
      f.passiveFraction, f.cancelFraction, scenario.info, f.depthTicks, f.minLots, f.maxLots, s.lotSize, f.warmupEvents));
    ok(`flowSetNoiseTakers(${s.name})`, core.flowSetNoiseTakers(core.simFlowAddress(sim, i), scenario.noiseTakers ?? NOISE_TAKERS_DEFAULT));
  });
  ok('simStart', core.simStart(sim));
  return { core, memory, sim, exec, scenario, options, symbols: names };
}

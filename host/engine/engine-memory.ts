// The engine's shared memory: what lives where (planned by host/core/memory-map.ts, sized by the core)
// and the one-time set-up the main thread does before any worker starts: books, an Oracle and a Sonar
// (entropy, regime, gate) per symbol, the execution region with its sub-modules configured, the rings
// between the workers and the engine's control words.
//
// Rings: `ticks.sonar` (market stage → Sonar, both topologies), `ticks.exec` (Oracle worker → Execution
// worker, modules only) and `events` (execution → the cool side: Sentinel, journal, telemetry).
import { createSharedMemory, instantiateCore, type CoreExports } from '../core/core.js';
import { compileCore, createSharedCore, type SharedCore } from '../core/core-loader.js';
import type { MemoryMapConfig, Region } from '../core/memory-map.js';
import type { EngineConfig } from '../config/engine-config.js';
import { oracleStateBytes, initOracle } from '../modules/oracle.js';
import { initSonar, sonarStatePlans, sonarStates, type SonarStates } from '../modules/sonar.js';
import { executionBytes, initExecution, type ExecSymbol } from '../modules/execution.js';
import { CONTROL_BYTES } from './stage-records.js';
import { HOT_INPUT_BYTES } from './hot-inputs.js';
import { CAPTURE_RING_SLOTS } from '../capture/capture-format.js';

export const TICK_RING_SLOTS = 8192;
export const EVENT_RING_SLOTS = 16384;
/** The highest venue symbol id the execution region maps (the protocol's u16 symbol field). */
export const MAX_VENUE_SYMBOL_ID = 65535;
const FEED_SCRATCH_BYTES = 4096;
const COOL_SCRATCH_BYTES = 256;

/** Every offset a worker needs, as plain numbers (it crosses to workers by structured clone). */
export interface EngineLayout {
  readonly symbols: readonly string[];
  readonly books: readonly number[];
  readonly oracles: readonly number[];
  readonly sonar: readonly SonarStates[];
  readonly exec: number;
  readonly control: number;
  readonly ticksSonar: number;
  /** 0 in the fused topology. */
  readonly ticksExec: number;
  readonly events: number;
  /** Inputs other threads hand to the execution thread (hot-inputs.ts). */
  readonly inputs: number;
  /** The capture ring (engine.capture set), else 0; and the execution region's bytes (a capture's snapshot). */
  readonly capture: number;
  readonly execBytes: number;
  readonly feedScratch: Region;
  readonly coolScratch: Region;
  /** The execution thread's: values the core hands back through memory (a wasm f64 result would be boxed). */
  readonly hotScratch: Region;
}

export interface EngineMemory {
  readonly shared: SharedCore;
  readonly layout: EngineLayout;
}

/**
 * The symbols as the execution region is first laid out: the venue's ids are learnt only when the feed
 * syncs (then execSetSymbol maps each index to its id, tick and lot), so each index starts on a
 * placeholder id at the top of the id range (which also sizes the region's id map for every real id).
 */
export function placeholderSymbols(names: readonly string[]): ExecSymbol[] {
  return names.map((name, i) => ({ name, symbolId: MAX_VENUE_SYMBOL_ID - i, tickPaise: 5, lotSize: 1 }));
}

function memoryPlan(core: CoreExports, config: EngineConfig): MemoryMapConfig {
  const symbols = config.engine.symbols;
  const execBytes = executionBytes(core, config.execution, placeholderSymbols(symbols));
  return {
    rings: [
      { name: 'ticks.sonar', slots: TICK_RING_SLOTS },
      ...(config.engine.topology === 'modules' ? [{ name: 'ticks.exec', slots: TICK_RING_SLOTS }] : []),
      { name: 'events', slots: EVENT_RING_SLOTS },
      ...(config.engine.capture !== '' ? [{ name: 'capture', slots: CAPTURE_RING_SLOTS }] : []),
    ],
    books: symbols.map((symbol) => ({ symbol, levels: config.engine.bookLevels })),
    scratch: [
      { worker: 'feed', bytes: FEED_SCRATCH_BYTES }, { worker: 'cool', bytes: COOL_SCRATCH_BYTES }, { worker: 'hot', bytes: 64 },
    ],
    states: [
      { name: 'engine.control', bytes: CONTROL_BYTES },
      { name: 'engine.inputs', bytes: HOT_INPUT_BYTES },
      { name: 'exec', bytes: execBytes },
      ...symbols.map((_, i) => ({ name: `oracle.${i}`, bytes: oracleStateBytes(core, config.oracle) })),
      ...symbols.flatMap((_, i) => sonarStatePlans(core, config.sonar, `sonar.${i}`)),
    ],
  };
}

/** Creates the shared core over a planned memory and sets every state up; `nowNs` starts the clocks. */
export async function createEngineMemory(config: EngineConfig, nowNs: number): Promise<EngineMemory> {
  const module = await compileCore();
  const shared = await createSharedCore(memoryPlan(instantiateCore(module, createSharedMemory(65536)), config), module);
  const { core, map } = shared;
  const symbols = config.engine.symbols;
  const state = (name: string): number => {
    const r = map.states[name];
    if (!r) throw new Error(`memory map has no state ${name}`);
    return r.offset;
  };
  const layout: EngineLayout = {
    symbols,
    books: symbols.map((s) => map.books[s]!.offset),
    oracles: symbols.map((_, i) => state(`oracle.${i}`)),
    sonar: symbols.map((_, i) => sonarStates(map.states, `sonar.${i}`)),
    exec: state('exec'),
    control: state('engine.control'),
    ticksSonar: map.rings['ticks.sonar']!.offset,
    ticksExec: map.rings['ticks.exec']?.offset ?? 0,
    events: map.rings['events']!.offset,
    inputs: state('engine.inputs'),
    capture: map.rings['capture']?.offset ?? 0,
    execBytes: map.states['exec']!.bytes,
    feedScratch: map.scratch['feed']!,
    coolScratch: map.scratch['cool']!,
    hotScratch: map.scratch['hot']!,
  };
  layout.oracles.forEach((o) => initOracle(core, o, config.oracle));
  layout.sonar.forEach((s) => initSonar(core, s, config.sonar));
  initExecutionRegion(core, layout.exec, config, nowNs);
  return { shared, layout };
}

/** The execution region laid out and configured from the config (host/modules/execution.ts). */
export function initExecutionRegion(core: CoreExports, exec: number, config: EngineConfig, nowNs: number): void {
  initExecution(core, exec, config.execution, placeholderSymbols(config.engine.symbols), BigInt(Math.round(nowNs)));
}

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
import { pickProfileVersion, writeCostProfile, type CostProfiles } from '../modules/cost-model.js';
import { CONTROL_BYTES } from './stage-records.js';

export const TICK_RING_SLOTS = 8192;
export const EVENT_RING_SLOTS = 16384;
/** Orders the execution region's table holds at once. */
export const ORDER_CAPACITY = 4096;
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
  readonly feedScratch: Region;
  readonly coolScratch: Region;
}

export interface EngineMemory {
  readonly shared: SharedCore;
  readonly layout: EngineLayout;
}

/** The execution region's size arguments, from the config's broker limits. */
function execSizing(config: EngineConfig): [number, number, number, number, number, number] {
  const perSecond = config.flood.ordersPerSecond;
  return [config.engine.symbols.length, ORDER_CAPACITY, MAX_VENUE_SYMBOL_ID, Math.ceil(perSecond), Math.ceil(perSecond * 40), 5];
}

function memoryPlan(core: CoreExports, config: EngineConfig): MemoryMapConfig {
  const symbols = config.engine.symbols;
  const execBytes = core.execBytes(...execSizing(config));
  if (execBytes === 0) throw new Error(`execBytes refused the sizing ${JSON.stringify(execSizing(config))}`);
  return {
    rings: [
      { name: 'ticks.sonar', slots: TICK_RING_SLOTS },
      ...(config.engine.topology === 'modules' ? [{ name: 'ticks.exec', slots: TICK_RING_SLOTS }] : []),
      { name: 'events', slots: EVENT_RING_SLOTS },
    ],
    books: symbols.map((symbol) => ({ symbol, levels: config.engine.bookLevels })),
    scratch: [{ worker: 'feed', bytes: FEED_SCRATCH_BYTES }, { worker: 'cool', bytes: COOL_SCRATCH_BYTES }],
    states: [
      { name: 'engine.control', bytes: CONTROL_BYTES },
      { name: 'exec', bytes: execBytes },
      ...symbols.map((_, i) => ({ name: `oracle.${i}`, bytes: oracleStateBytes(core, config.oracle) })),
      ...symbols.flatMap((_, i) => sonarStatePlans(core, config.sonar, `sonar.${i}`)),
    ],
  };
}

/** Creates the shared core over a planned memory and sets every state up; `nowNs` starts the clocks. */
export async function createEngineMemory(config: EngineConfig, profiles: CostProfiles, nowNs: number): Promise<EngineMemory> {
  const module = await compileCore();
  const shared = await createSharedCore(memoryPlan(instantiateCore(module, createSharedMemory(65536)), config));
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
    feedScratch: map.scratch['feed']!,
    coolScratch: map.scratch['cool']!,
  };
  layout.oracles.forEach((o) => initOracle(core, o, config.oracle));
  layout.sonar.forEach((s) => initSonar(core, s, config.sonar));
  initExecutionRegion(core, layout.exec, config, profiles, nowNs);
  return { shared, layout };
}

/** execInit with the config's sizing, the cost profile of today, the strategy; throws naming the call. */
export function initExecutionRegion(core: CoreExports, exec: number, config: EngineConfig, profiles: CostProfiles, nowNs: number): void {
  const status = core.execInit(exec, ...execSizing(config), BigInt(Math.round(nowNs)));
  if (status !== 0) throw new Error(`execInit refused the engine's sizing: status ${status}`);
  const today = new Date().toISOString().slice(0, 10);
  writeCostProfile(core, core.execCostAddress(exec), pickProfileVersion(profiles, config.execution.costProfile, today));
  const ttl = core.execSetParam(exec, 3 /* ExecParam.TTL_NS */, BigInt(Math.round(config.execution.cancelAfterMs * 1e6)));
  if (ttl !== 0) throw new Error(`execSetParam(TTL_NS) refused ${config.execution.cancelAfterMs} ms: status ${ttl}`);
  const gain = core.execSetParam(exec, 5 /* ExecParam.NEV_GAIN_MILLI */, BigInt(Math.round(config.execution.signalGain * 1000)));
  if (gain !== 0) throw new Error(`execSetParam(NEV_GAIN_MILLI) refused ${config.execution.signalGain}: status ${gain}`);
}

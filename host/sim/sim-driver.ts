// Runs a simulation to its end in chunks of events (simRun), reporting progress between chunks, and builds
// its summary. Browser-safe: a Web Worker calls runSimulation the same way (and may yield between chunks
// through runSimulationAsync).
import type { EngineConfig } from '../config/engine-config.js';
import { createSimulation, START_NS, type Simulation } from './simulation.js';
import { resolveSimOptions, type SimOptions } from './sim-options.js';
import { replayScenario } from './replay-scenario.js';
import type { L2Events } from './l2-events.js';
import { ConfigError } from '../config/config-error.js';
import { buildSummary, type SimSummary } from './sim-summary.js';
import { syntheticScenario } from './synthetic-scenario.js';

/** Events per simRun call: small enough for a responsive progress bar, large enough that the call is cheap. */
export const CHUNK_EVENTS = 200_000;

/** Fraction of the virtual duration done, [0, 1]. */
export type Progress = (fraction: number) => void;

/**
 * The simulation `options` describe, over the engine's config, ready to run. A replay scenario needs its
 * `recording` (host/sim/replay-fixtures.ts in Node; the playground converts the fetched fixture); it trades the
 * recording's symbol, not the config's.
 */
export function prepareSimulation(module: WebAssembly.Module, config: EngineConfig, input: Partial<SimOptions>,
  recording?: L2Events): Simulation {
  const options = resolveSimOptions(input);
  if (options.scenario === 'synthetic') {
    return createSimulation(module, config, syntheticScenario(config.engine.symbols, options.info, options.noiseTakers), options);
  }
  if (recording === undefined) throw new ConfigError('scenario', `run with its recording loaded`, options.scenario);
  if (options.info !== 0) throw new ConfigError('info', '0 with a replay scenario (the recording is the market)', options.info);
  return createSimulation(module, config, replayScenario(options.scenario, recording, options.queueModel, options.queueExponent,
    config.engine.bookLevels), options);
}

function fraction(s: Simulation): number {
  const end = Number(s.core.simEnd(s.sim));
  const start = START_NS;
  return Math.min(1, Math.max(0, (Number(s.core.simNow(s.sim)) - start) / (end - start)));
}

/** Runs `s` to its end; the summary. */
export function runSimulation(s: Simulation, onProgress?: Progress, chunk = CHUNK_EVENTS): SimSummary {
  const t0 = performance.now();
  while (s.core.simRun(s.sim, chunk) > 0) onProgress?.(fraction(s));
  return buildSummary(s, performance.now() - t0);
}

/** As runSimulation, yielding to the event loop between chunks (a Web Worker stays responsive). */
export async function runSimulationAsync(s: Simulation, onProgress?: Progress, chunk = CHUNK_EVENTS): Promise<SimSummary> {
  const t0 = performance.now();
  while (s.core.simRun(s.sim, chunk) > 0) {
    onProgress?.(fraction(s));
    await new Promise<void>((r) => setTimeout(r, 0));
  }
  return buildSummary(s, performance.now() - t0);
}

// Runs a simulation to its end in chunks of events (simRun), reporting progress between chunks, and builds
// its summary. Browser-safe: a Web Worker calls runSimulation the same way (and may yield between chunks
// through runSimulationAsync).
import type { EngineConfig } from '../config/engine-config.js';
import { createSimulation, type Simulation } from './simulation.js';
import { resolveSimOptions, type SimOptions } from './sim-options.js';
import { buildSummary, type SimSummary } from './sim-summary.js';
import { syntheticScenario } from './synthetic-scenario.js';

/** Events per simRun call: small enough for a responsive progress bar, large enough that the call is cheap. */
export const CHUNK_EVENTS = 200_000;

/** Fraction of the virtual duration done, [0, 1]. */
export type Progress = (fraction: number) => void;

/** The simulation `options` describe, over the engine's config, ready to run. */
export function prepareSimulation(module: WebAssembly.Module, config: EngineConfig, input: Partial<SimOptions>): Simulation {
  const options = resolveSimOptions(input);
  return createSimulation(module, config, syntheticScenario(config.engine.symbols, options.info, options.noiseTakers), options);
}

function fraction(s: Simulation): number {
  const end = Number(s.core.simEnd(s.sim));
  const start = end - s.options.durationMs * 1e6;
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

// Shared by the simulator's tests: the shipped engine config (or one edited) and the compiled core, and a run.
import { readFileSync } from 'node:fs';
import { loadEngineConfig, type EngineConfig } from '../../host/config/engine-config.js';
import { loadCostProfiles } from '../../host/modules/cost-model.js';
import { compileCore } from '../../host/core/core-loader.js';
import { prepareSimulation, runSimulation } from '../../host/sim/sim-driver.js';
import type { SimOptions } from '../../host/sim/sim-options.js';
import type { SimSummary } from '../../host/sim/sim-summary.js';

const ROOT = new URL('../../../', import.meta.url);
export const ENGINE_TOML = new URL('config/engine.toml', ROOT);
const COSTS = new URL('config/costs.toml', ROOT);

/** config/engine.toml with `edit` applied to its text. */
export function engineConfig(edit: (toml: string) => string = (t) => t): EngineConfig {
  return loadEngineConfig(edit(readFileSync(ENGINE_TOML, 'utf8')), loadCostProfiles(readFileSync(COSTS, 'utf8')));
}

let module: Promise<WebAssembly.Module> | undefined;
export function coreModule(): Promise<WebAssembly.Module> {
  module ??= compileCore();
  return module;
}

export async function simulate(options: Partial<SimOptions>, config: EngineConfig = engineConfig()): Promise<SimSummary> {
  return runSimulation(prepareSimulation(await coreModule(), config, options));
}

/** A summary without its wall-clock fields (they differ between two identical runs). */
export function deterministicPart(s: SimSummary): Omit<SimSummary, 'wallMs' | 'eventsPerSecond'> {
  const { wallMs: _w, eventsPerSecond: _e, ...rest } = s;
  return rest;
}

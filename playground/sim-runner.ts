// One playground run, as a worker does it: load the engine and cost TOML with the loaders Node uses, prepare the
// simulation the sim driver prepares, run it to its end while sampling NEV. Browser-safe and Node-safe: the
// bench and the parity test call it in Node to get the very run a worker does.
import { loadEngineConfig } from '../host/config/engine-config.js';
import { loadCostProfiles } from '../host/modules/cost-model.js';
import { prepareSimulation } from '../host/sim/sim-driver.js';
import { runSampled, type SampledRun } from '../host/sim/nev-samples.js';
import type { SimRunRequest } from './sim-api.js';

export function runRequest(module: WebAssembly.Module, request: SimRunRequest, onProgress?: (fraction: number) => void): Promise<SampledRun> {
  const config = loadEngineConfig(request.engineToml, loadCostProfiles(request.costsToml), 'engine.toml');
  const sim = prepareSimulation(module, config, request.options);
  return runSampled(sim, onProgress);
}

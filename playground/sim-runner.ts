// One playground run, as a worker does it: load the engine and cost TOML with the loaders Node uses, prepare the
// simulation the sim driver prepares, run it to its end while sampling NEV. Browser-safe and Node-safe: the
// bench and the parity test call it in Node to get the very run a worker does.
import { loadEngineConfig } from '../host/config/engine-config.js';
import { loadCostProfiles } from '../host/modules/cost-model.js';
import { prepareSimulation } from '../host/sim/sim-driver.js';
import { runSampled, type SampledRun } from '../host/sim/nev-samples.js';
import type { SimRunRequest } from './sim-api.js';
import { cachedRecordingEvents } from './replay-recording.js';

export async function runRequest(module: WebAssembly.Module, request: SimRunRequest, onProgress?: (fraction: number) => void): Promise<SampledRun> {
  const config = loadEngineConfig(request.engineToml, loadCostProfiles(request.costsToml), 'engine.toml');
  const scenario = request.options.scenario ?? 'synthetic';
  if (scenario !== 'synthetic' && request.recording?.kind !== scenario) {
    throw new Error(`scenario ${scenario} needs its recording (got ${request.recording?.kind ?? 'none'})`);
  }
  // A replay's recording: the fixture's bytes converted by the replay sources `npm run sim` uses.
  const recording = request.recording !== undefined && scenario !== 'synthetic' ? await cachedRecordingEvents(request.recording) : undefined;
  const sim = prepareSimulation(module, config, request.options, recording);
  return runSampled(sim, onProgress);
}

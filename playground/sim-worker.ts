// The playground's Web Worker: exposes SimWorkerApi over comlink. The page compiles core.wasm once and posts the
// module here; each run instantiates it over a fresh shared memory (host/sim/simulation.ts).
import * as Comlink from 'comlink';
import type { SimRunRequest, SimWorkerApi } from './sim-api.js';
import { runRequest } from './sim-runner.js';

let module: WebAssembly.Module | null = null;

const api: SimWorkerApi = {
  setModule(m: WebAssembly.Module): void {
    module = m;
  },
  async run(request: SimRunRequest, onProgress?: (fraction: number) => void) {
    if (module === null) throw new Error('setModule first: the worker has no core module');
    // A comlink proxy's call returns a promise; progress is fire-and-forget.
    return runRequest(module, request, onProgress ? (f) => void onProgress(f) : undefined);
  },
};

Comlink.expose(api);

// The playground's browser runtime: core.wasm fetched and compiled once, the Web Workers (one per logical core,
// at most 8) each given that module, and the config text the bundler inlines (config/engine.toml and
// config/costs.toml, read by the same loaders Node uses).
/// <reference types="vite/client" />
import wasmUrl from '../../../build/core.wasm?url';
import engineToml from '../../../config/engine.toml?raw';
import costsToml from '../../../config/costs.toml?raw';
import { createWorkerPool, poolSize, type WorkerPool } from '../../../playground/worker-pool.js';

export { engineToml as BASE_ENGINE_TOML, costsToml as COSTS_TOML };

let modulePromise: Promise<WebAssembly.Module> | null = null;
let poolPromise: Promise<WorkerPool> | null = null;

/** core.wasm, compiled once for every worker. */
export function coreModule(): Promise<WebAssembly.Module> {
  modulePromise ??= fetch(wasmUrl).then(async (r) => {
    if (!r.ok) throw new Error(`core.wasm: HTTP ${r.status}`);
    return WebAssembly.compile(await r.arrayBuffer());
  });
  return modulePromise;
}

export function workerCount(): number {
  return poolSize(navigator.hardwareConcurrency);
}

export function workerPool(): Promise<WorkerPool> {
  poolPromise ??= coreModule().then((m) => createWorkerPool(m, workerCount(),
    () => new Worker(new URL('../../../playground/sim-worker.ts', import.meta.url), { type: 'module' })));
  return poolPromise;
}

// What a playground Web Worker offers over comlink: one simulation run from an engine TOML, the cost profiles'
// TOML and the run options, on the core module the page compiled once and posted to every worker.
import type { SimOptions } from '../host/sim/sim-options.js';
import type { SampledRun } from '../host/sim/nev-samples.js';
import type { RecordingBytes } from './replay-recording.js';

export interface SimRunRequest {
  /** The engine config as engine.toml text (what is loaded is what an export writes). */
  readonly engineToml: string;
  readonly costsToml: string;
  readonly options: Partial<SimOptions>;
  /** A replay scenario's recording (options.scenario lobster or binance): the fixture's bytes. */
  readonly recording?: RecordingBytes;
}

export interface SimWorkerApi {
  /** Sets the compiled core.wasm for the runs that follow. */
  setModule(module: WebAssembly.Module): void;
  /** One run to its end; `onProgress` gets the fraction of virtual time done. Config errors reject with the loader's message. */
  run(request: SimRunRequest, onProgress?: (fraction: number) => void): Promise<SampledRun>;
}

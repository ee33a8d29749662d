// Compiles the core once and runs it in worker threads that all share one memory. Node-only.
import { readFile } from 'node:fs/promises';
import { Worker, workerData } from 'node:worker_threads';
import { createSharedMemory, instantiateCore, type CoreExports } from './core.js';
import { planMemory, type MemoryMap, type MemoryMapConfig } from './memory-map.js';

/** build/core.wasm, relative to this file's place in dist/host/. */
export const CORE_WASM_URL = new URL('../../../build/core.wasm', import.meta.url);

export async function compileCore(url: URL = CORE_WASM_URL): Promise<WebAssembly.Module> {
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = new Uint8Array(await readFile(url));
  } catch (err) {
    throw new Error(`core not built: cannot read ${url.pathname} (run \`npm run build\`): ${(err as Error).message}`);
  }
  return WebAssembly.compile(bytes);
}

/** Sizes the core reports, asked of a throw-away instance over one page. */
export function coreSizes(module: WebAssembly.Module): Pick<CoreExports, 'ringBytes' | 'bookBytes'> {
  return instantiateCore(module, createSharedMemory(65536));
}

export interface SharedCore {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly map: MemoryMap;
  /** The core instantiated on the calling (main) thread, for setup and inspection only. */
  readonly core: CoreExports;
}

/** Compiles the core, plans memory, creates it and initialises every ring and book in the plan. */
export async function createSharedCore(config: MemoryMapConfig, source?: URL | WebAssembly.Module): Promise<SharedCore> {
  // A caller that compiled the core already (to size its states) passes the module, not the work again.
  const module = source instanceof WebAssembly.Module ? source : await compileCore(source);
  const map = planMemory(config, coreSizes(module));
  const memory = createSharedMemory(map.totalBytes);
  const core = instantiateCore(module, memory);
  for (const [name, r] of Object.entries(map.rings)) {
    const status = core.ringInit(r.offset, r.slots);
    if (status !== 0) throw new Error(`ringInit(${name}) failed with status ${status}`);
  }
  for (const [symbol, b] of Object.entries(map.books)) {
    const status = core.bookInit(b.offset, b.levels, 0);
    if (status !== 0) throw new Error(`bookInit(${symbol}) failed with status ${status}`);
  }
  return { module, memory, map, core };
}

/** What every core worker receives. */
export interface CoreWorkerData<T = unknown> {
  readonly name: string;
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly map: MemoryMap;
  readonly cpus?: readonly number[];
  readonly data: T;
}

export interface CoreWorkerSpec<T = unknown> {
  readonly name: string;
  /** Compiled worker entry (a .js file URL). */
  readonly url: URL;
  /** CPUs the worker pins itself to before its first core call; omitted: not pinned. */
  readonly cpus?: readonly number[];
  readonly data: T;
}

/**
 * Starts one worker per spec over the shared core's memory. Attach 'message' listeners in the same tick:
 * a worker's messages are emitted as they arrive and are lost to a listener added later.
 */
export function spawnCoreWorkers<T>(shared: SharedCore, specs: readonly CoreWorkerSpec<T>[]): Worker[] {
  return specs.map((spec) => {
    const data: CoreWorkerData<T> = {
      name: spec.name, module: shared.module, memory: shared.memory, map: shared.map, cpus: spec.cpus, data: spec.data,
    };
    return new Worker(spec.url, { workerData: data, name: spec.name });
  });
}

/** The first message a worker posts; rejects if it errors or exits first. */
export function firstMessage<R>(worker: Worker): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`worker exited with code ${code} before reporting`)));
  });
}

export interface JoinedCore<T> {
  readonly name: string;
  readonly core: CoreExports;
  readonly memory: WebAssembly.Memory;
  readonly map: MemoryMap;
  readonly data: T;
}

/**
 * Called first thing inside a core worker: pins the thread if asked, then instantiates the shared
 * module over the shared memory. Pinning comes first so the instance's first touches happen on
 * the core the thread will live on.
 */
export async function joinCore<T>(): Promise<JoinedCore<T>> {
  const wd = workerData as CoreWorkerData<T>;
  if (wd.cpus && wd.cpus.length > 0) {
    const { setAffinity } = await import('../platform/native.js');
    setAffinity([...wd.cpus]);
  }
  return { name: wd.name, core: instantiateCore(wd.module, wd.memory), memory: wd.memory, map: wd.map, data: wd.data };
}

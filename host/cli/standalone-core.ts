// The core for a one-shot CLI: compiled, sized by a throw-away instance (state blocks are sized by the
// core's own *Bytes functions), planned, and instantiated over a memory of its own on this thread.
import { compileCore } from '../core/core-loader.js';
import { createSharedMemory, instantiateCore, type CoreExports } from '../core/core.js';
import { planMemory, type MemoryMap, type MemoryMapConfig } from '../core/memory-map.js';

export interface StandaloneCore {
  readonly core: CoreExports;
  readonly map: MemoryMap;
}

/** `plan` receives a sizing instance and returns the regions the CLI needs; the CLI initialises them. */
export async function openStandaloneCore(plan: (sizes: CoreExports) => MemoryMapConfig): Promise<StandaloneCore> {
  const module = await compileCore();
  const sizes = instantiateCore(module, createSharedMemory(65536));
  const map = planMemory(plan(sizes), sizes);
  return { core: instantiateCore(module, createSharedMemory(map.totalBytes)), map };
}

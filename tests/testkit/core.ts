// Test helper: the built core over a fresh shared memory of `bytes`.
import { compileCore } from '../../host/core/core-loader.js';
import { createSharedMemory, instantiateCore, type CoreExports } from '../../host/core/core.js';

export async function testCore(bytes = 1 << 20): Promise<{ core: CoreExports; memory: WebAssembly.Memory; module: WebAssembly.Module }> {
  const module = await compileCore();
  const memory = createSharedMemory(bytes);
  return { core: instantiateCore(module, memory), memory, module };
}

/** Deterministic xorshift32: the one seeded generator of test and bench workloads (bench/book.ts draws from it). */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
}

// The playground's workers: `size` Web Workers each wrapped by comlink, each given the one compiled core module.
// `spawn` makes a worker (the page passes `new Worker(new URL(...), { type: 'module' })`, which the bundler sees).
import * as Comlink from 'comlink';
import type { SimWorkerApi } from './sim-api.js';

export interface WorkerPool {
  readonly workers: readonly Comlink.Remote<SimWorkerApi>[];
  terminate(): void;
}

/** Workers for a machine with `cores` logical cores: all of them, at most `max`, at least 1. */
export function poolSize(cores: number | undefined, max = 8): number {
  return Math.max(1, Math.min(max, Math.floor(cores ?? 1) || 1));
}

export async function createWorkerPool(module: WebAssembly.Module, size: number, spawn: () => Worker): Promise<WorkerPool> {
  const raw = Array.from({ length: size }, spawn);
  const workers = raw.map((w) => Comlink.wrap<SimWorkerApi>(w));
  await Promise.all(workers.map((w) => w.setModule(module)));
  return { workers, terminate: () => raw.forEach((w) => w.terminate()) };
}

/** Wraps a progress callback so a worker can call it across the message channel. */
export function progressProxy(fn: (fraction: number) => void): (fraction: number) => void {
  return Comlink.proxy(fn);
}

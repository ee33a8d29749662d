// Runs a pair of bench workers either over the shared-memory ring (both instantiate the core over
// one memory) or over a MessagePort pair, and collects their results.
import { MessageChannel, Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { createSharedCore, firstMessage, spawnCoreWorkers } from '../host/core/core-loader.js';
import type { MemoryMapConfig } from '../host/core/memory-map.js';

export type Impl = 'wasm-ring' | 'postMessage';

export interface PairSpec<T> {
  readonly impl: Impl;
  readonly url: URL;
  readonly names: readonly [string, string];
  readonly data: readonly [T, T];
  readonly rings: MemoryMapConfig['rings'];
  readonly scratchBytes: number;
  /** Pin the two workers to CPUs 0 and 1 (when the machine has two). */
  readonly pin: boolean;
}

export async function runPair<T extends object, R>(spec: PairSpec<T>): Promise<[R, R]> {
  const cpus = spec.pin && availableParallelism() >= 2 ? [[0], [1]] : [undefined, undefined];
  let workers: Worker[];
  if (spec.impl === 'wasm-ring') {
    const shared = await createSharedCore({
      rings: spec.rings,
      scratch: spec.names.map((worker) => ({ worker, bytes: spec.scratchBytes })),
    });
    workers = spawnCoreWorkers(shared, spec.names.map((name, i) => ({
      name, url: spec.url, cpus: cpus[i], data: spec.data[i]!,
    })));
  } else {
    const { port1, port2 } = new MessageChannel();
    const ports = [port1, port2];
    workers = spec.names.map((name, i) => new Worker(spec.url, {
      name,
      workerData: { name, cpus: cpus[i], data: { ...spec.data[i]!, port: ports[i] } },
      transferList: [ports[i]!],
    }));
  }
  try {
    return await Promise.all([firstMessage<R>(workers[0]!), firstMessage<R>(workers[1]!)]) as [R, R];
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

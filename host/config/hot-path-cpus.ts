// Which CPUs the engine's configuration gives its hot path and its kill watcher. The hot path (the hot worker in
// fused, Oracle's and Execution's in modules) must have its cores to itself: everything else, the engine's own
// main thread and V8's helper threads included, and the monitor, keeps to the other cores (offHotPath).
import type { EngineConfig, WorkerName } from './engine-config.js';

const HOT: Record<EngineConfig['engine']['topology'], readonly WorkerName[]> = { fused: ['hot'], modules: ['oracle', 'execution'] };
const WATCHER: Record<EngineConfig['engine']['topology'], WorkerName> = { fused: 'cool', modules: 'sentinel' };

/** The CPUs of the engine thread that watches the control block: the cool worker (fused) or Sentinel's (modules). */
export function killWatcherCpus(config: EngineConfig): readonly number[] {
  return config.workers[WATCHER[config.engine.topology]].cpus;
}

/** The CPUs of the engine's hot path: the hot worker (fused) or Oracle's and Execution's (modules). */
export function hotPathCpus(config: EngineConfig): readonly number[] {
  return [...new Set(HOT[config.engine.topology].flatMap((w) => config.workers[w].cpus))].sort((a, b) => a - b);
}

/** `online` without the hot path's CPUs; null when the hot path is not pinned or that leaves none. */
export function offHotPath(config: EngineConfig, online: readonly number[]): number[] | null {
  const hot = hotPathCpus(config);
  const away = online.filter((c) => !hot.includes(c));
  return hot.length > 0 && away.length > 0 ? away : null;
}

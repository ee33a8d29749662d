// Where the monitor's threads run, from the engine's config. The main thread stays off the engine's hot path (the
// cores of the hot worker, or Oracle's and Execution's): the cockpit's telemetry frames cost up to ~1 ms of CPU
// each, 15 times a second, and must not land between a tick and its order. On two cores that puts it beside the
// engine's kill watcher (the cool worker, or Sentinel's), where a control wait must sleep; so a kill's answer is
// looked for by a second thread on a core the watcher does not use (answer-looker.ts). A main thread that is
// already off the watcher's cores (--cpus) looks for every control answer itself.
import type { EngineConfig, WorkerName } from '../host/config/engine-config.js';

/** How long a control wait looks for the answer without sleeping, off the watcher's cores. The engine answers in
 *  ~0.2–0.5 ms (p99 ~2 ms); past this the waiting thread sleeps on the ack bell. */
export const CONTROL_LOOK_MS = 2;

export interface MonitorPlacement {
  /** CPUs the main thread pins itself to at start; null: not pinned. */
  readonly home: readonly number[] | null;
  /** CPUs of the thread that looks for a kill's answer; null: no such thread. */
  readonly looker: readonly number[] | null;
  /** How long a control wait on the main thread looks before sleeping (0 unless home avoids the watcher). */
  readonly homeLookMs: number;
}

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

const without = (cpus: readonly number[], not: readonly number[]): number[] => cpus.filter((c) => !not.includes(c));

/**
 * `online`: the CPUs this process may use. `cpus` (--cpus) overrides home; `lookerCpus` (--looker-cpus)
 * overrides the looker's ([]: none). Defaults: home = online minus the hot path's CPUs (not pinned if that
 * leaves none or the hot path is not pinned); looker = online minus the watcher's CPUs, unless home already
 * avoids them, the watcher is not pinned, or that leaves none.
 */
export function planPlacement(config: EngineConfig, online: readonly number[], cpus?: readonly number[], lookerCpus?: readonly number[]): MonitorPlacement {
  const hot = hotPathCpus(config);
  const watcher = killWatcherCpus(config);
  const awayFromHot = without(online, hot);
  const home = cpus ?? (hot.length > 0 && awayFromHot.length > 0 ? awayFromHot : null);
  const homeAvoidsWatcher = watcher.length > 0 && home !== null && without(home, watcher).length === home.length;
  let looker: readonly number[] | null = null;
  if (lookerCpus !== undefined) looker = lookerCpus.length > 0 ? lookerCpus : null;
  else if (watcher.length > 0 && !homeAvoidsWatcher) {
    const away = without(online, watcher);
    looker = away.length > 0 ? away : null;
  }
  return { home, looker, homeLookMs: homeAvoidsWatcher ? CONTROL_LOOK_MS : 0 };
}

// Where the monitor's main thread runs, from the engine's config. At home it stays off the engine's hot path
// (the cores of the hot worker, or Oracle's and Execution's): the cockpit's telemetry frames cost ~1 ms of CPU
// each, 15 times a second, and must not land between a tick and its order. A kill's wait is the exception: after
// writing the kill word, the thread moves to a core the engine's kill watcher (the cool worker, or Sentinel's)
// does not use and looks for the answer there without sleeping, then moves home once the answer is sent. On
// the watcher's core it would have to sleep (looking would hold the core the answer needs), and waking it again
// on that busy core was the slowest part of a kill: write → answer seen went from ~0.75–0.9 ms to ~0.23 ms at the
// median (bench monitor-kill, 22:10). The engine is halting then, so its hot core can spare the look.
import type { EngineConfig, WorkerName } from '../host/config/engine-config.js';

/** How long a control wait looks for the answer before sleeping, off the watcher's cores. The engine answers in
 *  ~0.2–0.5 ms (p99 ~2 ms); past this the thread sleeps on the ack bell. */
export const CONTROL_SPIN_MS = 2;

export interface MonitorPlacement {
  /** CPUs the main thread pins itself to at start; null: not pinned. */
  readonly home: readonly number[] | null;
  /** CPUs a kill's wait moves the thread to (it looks there, then returns home); null: it waits at home. */
  readonly killWait: readonly number[] | null;
  /** How long a control wait at home looks before sleeping (0 when home may be the watcher's core). */
  readonly homeSpinMs: number;
  /** The same for a kill's wait (where killWait puts it). */
  readonly killSpinMs: number;
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
 * `online`: the CPUs this process may use. `cpus` (--cpus) overrides home; `waitCpus` (--wait-cpus) overrides
 * where a kill waits ([]: at home). Defaults: home = online minus the hot path's CPUs (not pinned if that leaves
 * none, or the hot path is not pinned); kill wait = online minus the watcher's (none if that leaves none, the
 * watcher is not pinned, or home already avoids the watcher).
 */
export function planPlacement(config: EngineConfig, online: readonly number[], cpus?: readonly number[], waitCpus?: readonly number[]): MonitorPlacement {
  const hot = hotPathCpus(config);
  const watcher = killWatcherCpus(config);
  const awayFromHot = without(online, hot);
  const home = cpus ?? (hot.length > 0 && awayFromHot.length > 0 ? awayFromHot : null);
  const avoidsWatcher = (at: readonly number[] | null): boolean => watcher.length > 0 && at !== null && without(at, watcher).length === at.length;
  const homeAvoidsWatcher = avoidsWatcher(home);
  const homeSpinMs = homeAvoidsWatcher ? CONTROL_SPIN_MS : 0;
  let killWait: readonly number[] | null = null;
  if (waitCpus !== undefined) killWait = waitCpus.length > 0 ? waitCpus : null;
  else if (watcher.length > 0 && !homeAvoidsWatcher) {
    const away = without(online, watcher);
    killWait = away.length > 0 ? away : null;
  }
  return { home, killWait, homeSpinMs, killSpinMs: killWait === null ? homeSpinMs : avoidsWatcher(killWait) ? CONTROL_SPIN_MS : 0 };
}

// Where the monitor's threads run, from the engine's config. By default all of them (V8's helpers and the frame
// builder included: host/platform/process-threads.ts) stay off the engine's hot path
// (the cores of the hot worker, or Oracle's and Execution's): the cockpit's telemetry frames cost up to ~1 ms of
// CPU each, 15 times a second, and must not land between a tick and its order ("the dashboard must never slow
// the engine"). On two cores that puts it beside the engine's kill watcher (the cool worker, or Sentinel's),
// where a control wait must sleep: looking for the answer would hold the core the answer needs. A main thread
// pinned off the watcher's cores (--cpus) looks for every control answer without sleeping for up to
// CONTROL_SPIN_MS, which spares the wake-up on a busy core: kill word → HALTED seen took 0.23–0.39 ms at the
// median from CPU 0 against 0.75–1.1 ms asleep on CPU 1 (bench monitor-kill, 4 runs at load 3.3–7.4). The whole
// answer, HTTP included, was not faster for it, and the cockpit's frames would run on the hot core.
// Tried and dropped: moving the main thread to the other core for a kill's wait only (the migration is itself a
// scheduling event on a busy machine: 1.2 ms), and a second thread looking there that wakes the main thread on the
// publication (1.2 ms: the main thread's wake-up on the busy core was the cost, not the ack after the publication).
// What did help on the watcher's core: the main thread real-time, one below the watcher (kill word → HALTED seen
// p50 0.22–0.29 ms, p99 0.7–1.2 ms, against 0.80–0.91 / 2.9–3.0 ms ordinary). Raised only for a control request's
// wait, it did not (p50 0.63–0.90 ms): the whole thread must be real-time, from the request's arrival on.
import type { EngineConfig } from '../host/config/engine-config.js';
import { killWatcherCpus, offHotPath } from '../host/config/hot-path-cpus.js';

/** How long a control wait looks for the answer without sleeping, off the watcher's cores. The engine answers in
 *  ~0.2–0.5 ms (p99 ~2 ms); past this the waiting thread sleeps on the ack bell. */
export const CONTROL_SPIN_MS = 2;

export interface MonitorPlacement {
  /** CPUs every thread of the monitor pins itself to at start; null: not pinned. */
  readonly home: readonly number[] | null;
  /** How long a control wait looks before sleeping: CONTROL_SPIN_MS when home avoids the watcher, else 0. */
  readonly spinMs: number;
  /** SCHED_FIFO priority of the main thread (server.ts sets it once the monitor is built, so the frame builder's
   *  worker and V8's helpers stay ordinary): one below the kill watcher's, so a control request and its answer
   *  never queue behind ordinary threads on the watcher's core, and never go before the watcher. 0 when the
   *  thread looks for answers (it may then be on the hot path's core, which real time would take from the
   *  engine), or the watcher is an ordinary thread. */
  readonly priority: number;
}

const without = (cpus: readonly number[], not: readonly number[]): number[] => cpus.filter((c) => !not.includes(c));

/** `online`: the CPUs this process may use; `cpus` (--cpus) overrides home, `priority` (--priority) the priority.
 *  Default home: online minus the hot path's CPUs (not pinned if the hot path is not pinned, or that leaves none). */
export function planPlacement(config: EngineConfig, online: readonly number[], cpus?: readonly number[], priority?: number): MonitorPlacement {
  const watcher = killWatcherCpus(config);
  const home = cpus ?? offHotPath(config, online);
  const avoidsWatcher = watcher.length > 0 && home !== null && without(home, watcher).length === home.length;
  const spinMs = avoidsWatcher ? CONTROL_SPIN_MS : 0;
  return { home, spinMs, priority: priority ?? (spinMs === 0 ? Math.max(0, config.engine.killWatcherPriority - 1) : 0) };
}

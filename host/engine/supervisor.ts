// The engine's main thread after the config is read: plans and sets up the shared memory, spawns the
// workers of the topology (each pins itself), waits until every one runs, and then supervises:
//   - a worker that throws or exits on its own halts trading at once: the execution core's kill word and
//     the engine's HALT_REASON (WORKER_DIED, which Sentinel publishes), a wake so the execution thread
//     sends its cancels, an error in the log; then the engine stops and exits non-zero;
//   - stop(): the socket workers cancel what works and log out first (their last reports still reach the
//     journal), then the loops end; the /dev/shm segment is unlinked; one stopped line goes to stdout.
import { fdatasync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { spawnCoreWorkers } from '../core/core-loader.js';
import { TOPOLOGY_WORKERS, type EngineConfig, type WorkerName } from '../config/engine-config.js';
import { TradingStateReason } from '../model/vocabulary.js';
import { unlinkShared } from '../platform/native.js';
import type { CostProfiles } from '../modules/cost-model.js';
import { createEngineMemory, type EngineMemory } from './engine-memory.js';
import type { EngineWorkerData, WorkerStopped } from './engine-worker.js';
import type { Logger } from './engine-log.js';
import { ControlWord, controlWords } from './stage-records.js';
import type { KillWatcherData } from './kill-watcher.js';
import { Doorbell } from '../telemetry/doorbell.js';

const WORKER_URL = new URL('./engine-worker.js', import.meta.url);
const WATCHER_URL = new URL('./kill-watcher.js', import.meta.url);
/** Workers on the order path: stopped first, so their cancels and last reports reach the cool side. */
const SOCKET_ROLES: readonly WorkerName[] = ['hot', 'execution', 'oracle'];

export interface ReadyLine {
  readonly engine: 'ready';
  readonly topology: string;
  readonly workers: { name: string; cpus: string; tid: number }[];
  readonly segment: string;
  readonly journal: string;
  readonly pid: number;
  /** The kill watcher thread (engine/kill-watcher.ts): where it runs, and whether it got its real-time priority. */
  readonly watcher: { cpus: string; tid: number; realtime: boolean };
}

export interface StoppedLine {
  readonly engine: 'stopped';
  readonly code: number;
  readonly reason: string;
  readonly latency: WorkerStopped['latency'] | null;
  readonly counts: WorkerStopped['counts'] | null;
  readonly sent: WorkerStopped['sent'] | null;
  /** Per socket worker that waited with `spin` (wait = "spin"): its loop's figures. */
  readonly spin?: Record<string, NonNullable<WorkerStopped['spin']>>;
}

export interface SupervisorOptions {
  readonly config: EngineConfig;
  readonly profiles: CostProfiles;
  readonly venue: { readonly host: string; readonly oePort: number; readonly mdPort: number };
  readonly controlToken: string;
  readonly log: Logger;
  /** Startup (login, first sync) must finish within this (default 15 s). */
  readonly startTimeoutMs?: number;
}

interface Running {
  readonly worker: Worker;
  readonly name: WorkerName;
  cpus: string;
  tid: number;
  running: boolean;
  exited: boolean;
  stopped: WorkerStopped | null;
  readonly exit: Promise<void>;
}

export class EngineSupervisor {
  private memory!: EngineMemory;
  private control!: Int32Array;
  private readonly workers: Running[] = [];
  private stopping: Promise<StoppedLine> | null = null;
  private haltReason = '';
  /** The segment's mapping, held so that it outlives the worker that created it. */
  private segmentMapping: SharedArrayBuffer | null = null;
  private journalSync: 'idle' | 'busy' | 'again' = 'idle';
  private watcher: { worker: Worker; exited: boolean; exit: Promise<void> } | null = null;
  /** Called once when the engine has stopped (code: 0 clean, 1 after a worker died). */
  onStopped: (line: StoppedLine) => void = () => {};

  constructor(private readonly o: SupervisorOptions) {}

  /** Sets up memory and workers; resolves with the ready line once every worker runs. */
  async start(): Promise<ReadyLine> {
    const { config } = this.o;
    this.memory = await createEngineMemory(config, Number(process.hrtime.bigint()));
    this.control = controlWords(this.memory.shared.memory, this.memory.layout.control);
    const roles = TOPOLOGY_WORKERS[config.engine.topology];
    // Cool side first: the segment and the journal exist before the first order can. Then the order path
    // in SOCKET_ROLES order: in `modules` the Execution worker logs in and consumes its ring before the
    // Oracle worker produces into it, else the ticks of the login's time wait there and the first
    // decisions act on a book hundreds of milliseconds old.
    const rank = (r: WorkerName): number => SOCKET_ROLES.indexOf(r);
    const order = [...roles].sort((a, b) => rank(a) - rank(b));
    const timeoutMs = this.o.startTimeoutMs ?? 15_000;
    for (const role of order) {
      const data: EngineWorkerData = {
        role, layout: this.memory.layout, config, venue: this.o.venue, controlToken: this.o.controlToken, enginePid: process.pid,
      };
      const [worker] = spawnCoreWorkers(this.memory.shared, [{ name: role, url: WORKER_URL, cpus: config.workers[role].cpus, data }]);
      const r = this.track(worker!, role);
      await this.until(() => r.running, timeoutMs, `worker ${role} did not start within ${timeoutMs} ms`);
    }
    const watcher = await this.startWatcher(timeoutMs);
    return {
      engine: 'ready', topology: config.engine.topology,
      workers: this.workers.map((w) => ({ name: w.name, cpus: w.cpus, tid: w.tid })),
      segment: config.engine.segment, journal: config.engine.journal, pid: process.pid, watcher,
    };
  }

  /** The kill watcher, once the segment exists, on Sentinel's CPUs. Like any worker, if it dies trading halts. */
  private async startWatcher(timeoutMs: number): Promise<ReadyLine['watcher']> {
    const { config } = this.o;
    const { shared, layout } = this.memory;
    const sentinel: WorkerName = config.engine.topology === 'fused' ? 'cool' : 'sentinel';
    const data: KillWatcherData = {
      memory: shared.memory, killWordIndex: shared.core.execKillAddress(layout.exec) >>> 2, controlIndex: layout.control >>> 2,
      segment: config.engine.segment, cpus: config.workers[sentinel].cpus, priority: config.engine.killWatcherPriority,
    };
    const worker = new Worker(WATCHER_URL, { workerData: data });
    let pinned: ReadyLine['watcher'] | null = null;
    let running = false;
    let resolveExit!: () => void;
    const w = { worker, exited: false, exit: new Promise<void>((r) => { resolveExit = r; }) };
    this.watcher = w;
    worker.on('message', (m: { type: string; cpus?: string; tid?: number; realtime?: boolean }) => {
      if (m.type === 'pinned') {
        pinned = { cpus: m.cpus ?? '?', tid: m.tid ?? 0, realtime: m.realtime === true };
        this.o.log.info({ worker: 'watch', ...pinned }, 'kill watcher pinned');
        if (!pinned.realtime && config.engine.killWatcherPriority > 0) {
          this.o.log.warn('kill watcher: real-time priority refused (needs root or CAP_SYS_NICE); a kill may wait for its core');
        }
      } else if (m.type === 'running') running = true;
      else if (m.type === 'wake') this.wakeExecution();
    });
    worker.on('error', (err) => {
      this.o.log.error({ worker: 'watch', err: { message: err.message, stack: err.stack } }, 'worker threw');
      this.died('watch', `worker watch threw: ${err.message}`);
    });
    worker.on('exit', (code) => {
      w.exited = true;
      resolveExit();
      if (this.stopping === null) this.died('watch', `worker watch exited with code ${code}`);
    });
    await this.until(() => running, timeoutMs, `the kill watcher did not start within ${timeoutMs} ms`);
    return pinned!;
  }

  private track(worker: Worker, name: WorkerName): Running {
    let resolveExit!: () => void;
    const r: Running = {
      worker, name, cpus: '?', tid: 0, running: false, exited: false, stopped: null,
      exit: new Promise<void>((res) => { resolveExit = res; }),
    };
    this.workers.push(r);
    worker.on('message', (m: { type: string; cpus?: string; tid?: number }) => {
      if (m.type === 'pinned') {
        r.cpus = m.cpus ?? '?';
        r.tid = m.tid ?? 0;
        this.o.log.info({ worker: name, cpus: r.cpus, tid: r.tid }, 'worker pinned');
      } else if (m.type === 'running') {
        r.running = true;
      } else if (m.type === 'stopped') {
        r.stopped = m as unknown as WorkerStopped;
      } else if (m.type === 'segment') {
        this.segmentMapping = (m as unknown as { sab: SharedArrayBuffer }).sab;
      } else if (m.type === 'wake') {
        this.wakeExecution();
      } else if (m.type === 'journal-sync') {
        this.syncJournal((m as unknown as { fd: number }).fd);
      } else if (m.type === 'session-lost') {
        this.died(name, 'the order-entry session ended');
      }
    });
    worker.on('error', (err) => {
      this.o.log.error({ worker: name, err: { message: err.message, stack: err.stack } }, 'worker threw');
      this.died(name, `worker ${name} threw: ${err.message}`);
    });
    worker.on('exit', (code) => {
      r.exited = true;
      resolveExit();
      if (this.stopping === null) this.died(name, `worker ${name} exited with code ${code}`);
    });
    return r;
  }

  /** A worker is gone (or its session): HALTED with reason WORKER_DIED, cancels sent, then stop with code 1. */
  private died(name: string, why: string): void {
    if (this.stopping !== null || this.haltReason !== '') return;
    this.haltReason = why;
    Atomics.store(this.control, ControlWord.HALT_REASON, TradingStateReason.WORKER_DIED);
    const { core } = this.memory.shared;
    Atomics.store(new Int32Array(this.memory.shared.memory.buffer), core.execKillAddress(this.memory.layout.exec) >>> 2, 1);
    // A ring consumer that is gone must not be notified again: its parked flag goes down first.
    if (this.memory.layout.ticksExec !== 0) {
      const words = new Int32Array(this.memory.shared.memory.buffer);
      Atomics.store(words, core.ringParkedAddress(this.memory.layout.ticksExec) >>> 2, 0);
    }
    this.wakeExecution();
    this.o.log.error({ worker: name, reason: why }, 'trading HALTED: a worker died; cancelling and stopping');
    // Give Sentinel a moment to publish the halt and the execution thread to send its cancels.
    setTimeout(() => void this.stop(1, why), 300);
  }

  /** The journal's fdatasync after a Sentinel flush, on the thread pool: milliseconds on a disk, which the kill
   *  watcher's thread must not spend. One at a time; a request during one runs once it is done; none once stopping
   *  (Sentinel syncs its last flush itself before closing the file). */
  private syncJournal(fd: number): void {
    if (this.stopping !== null) return;
    if (this.journalSync !== 'idle') {
      this.journalSync = 'again';
      return;
    }
    this.journalSync = 'busy';
    fdatasync(fd, (err) => {
      if (err) this.o.log.warn({ err: err.message }, 'journal fdatasync failed');
      const again = this.journalSync === 'again';
      this.journalSync = 'idle';
      if (again) this.syncJournal(fd);
    });
  }

  /** Forwards a wake to the order-path worker (fused hot, modules execution) while it lives. */
  private wakeExecution(): void {
    Atomics.add(this.control, ControlWord.WAKE, 1);
    for (const w of this.workers) if ((w.name === 'hot' || w.name === 'execution') && !w.exited) w.worker.postMessage({ type: 'wake' });
  }

  /** Stops everything (idempotent); resolves with the stopped line. */
  stop(code = 0, reason = 'signal'): Promise<StoppedLine> {
    if (this.stopping === null) this.stopping = this.doStop(code, this.haltReason || reason);
    return this.stopping;
  }

  private async doStop(code: number, reason: string): Promise<StoppedLine> {
    const alive = (w: Running): boolean => !w.exited;
    // Producers before consumers: the Oracle worker stops first, so no tick is pushed (and no Atomics.notify
    // sent) towards an Execution worker that is gone; then the order path cancels, logs out and ends.
    for (const roles of [['oracle'], ['hot', 'execution']]) {
      const group = this.workers.filter((w) => roles.includes(w.name));
      for (const w of group.filter(alive)) w.worker.postMessage({ type: 'stop' });
      await this.allExited(group, 3000);
    }
    if (this.control) Atomics.store(this.control, ControlWord.STOP, 1);
    await this.allExited(this.workers, 3000);
    if (this.watcher && !this.watcher.exited) {
      // It sleeps up to 100 ms between looks at STOP: a ring ends that sleep.
      if (this.segmentMapping) new Doorbell(this.segmentMapping).ring();
      await Promise.race([this.watcher.exit, new Promise((r) => setTimeout(r, 1000))]);
      if (!this.watcher.exited) await this.watcher.worker.terminate();
    }
    try {
      unlinkShared(this.o.config.engine.segment);
    } catch (err) {
      this.o.log.warn({ err: (err as Error).message }, 'could not unlink the telemetry segment');
    }
    const cool = this.workers.find((w) => w.stopped?.latency);
    const exec = this.workers.find((w) => w.stopped?.sent);
    const line: StoppedLine = {
      engine: 'stopped', code, reason, latency: cool?.stopped?.latency ?? null, counts: cool?.stopped?.counts ?? null,
      sent: exec?.stopped?.sent ?? null,
    };
    const spun = this.workers.filter((w) => w.stopped?.spin !== undefined);
    if (spun.length > 0) Object.assign(line, { spin: Object.fromEntries(spun.map((w) => [w.name, w.stopped!.spin!])) });
    this.onStopped(line);
    return line;
  }

  private async allExited(ws: readonly Running[], timeoutMs: number): Promise<void> {
    const timer = new Promise<void>((r) => setTimeout(r, timeoutMs));
    await Promise.race([Promise.all(ws.map((w) => w.exit)), timer]);
    for (const w of ws) {
      if (!w.exited) {
        this.o.log.warn({ worker: w.name }, 'worker did not stop in time: terminated');
        await w.worker.terminate();
      }
    }
  }

  private async until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!cond()) {
      if (this.stopping !== null) throw new Error(`engine stopping: ${this.haltReason || 'stopped'}`);
      if (Date.now() > end) throw new Error(what);
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}

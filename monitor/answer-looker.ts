// A kill's answer, looked for from a core the engine's kill watcher does not use. The monitor's main thread lives
// off the engine's hot path (monitor-placement.ts), which on two cores is the kill watcher's core; there it must
// sleep while the engine answers (looking would hold the core the answer needs), and it wakes on the engine's ack
// bell. The engine publishes HALTED first and acknowledges only after its journal and log lines: ~0.5 ms later
// at the median under load (bench monitor-kill, 22:10: 0.23 ms to the publication seen by a looking thread, 0.75
// to the ack seen by a sleeping one). So for a kill the main thread hands the look to this thread, pinned to the
// other core, which looks at the trading-state block without sleeping (up to `lookMs`) and rings the ack bell
// as soon as a new state is published: the main thread wakes on the publication, not on the ack. Cheaper
// alternatives measured worse: the main thread moving itself to the other core for the wait (a migration is a
// scheduling event on a busy machine: 1.2 ms), or living there (the cockpit's frames would share the hot core).
// If the thread is gone, the kill still waits for the ack as before.
import { Worker } from 'node:worker_threads';

export interface LookRequest {
  readonly sab: SharedArrayBuffer;
  /** The state block's seqlock version and the ack bell's count, read right after the kill word was written. */
  readonly published: number;
  readonly rings: number;
}

export class AnswerLooker {
  private readonly worker: Worker;
  private alive = true;

  constructor(readonly cpus: readonly number[], readonly lookMs: number) {
    if (!(lookMs > 0 && lookMs <= 5)) throw new RangeError(`lookMs must be in (0, 5], got ${lookMs}`);
    this.worker = new Worker(new URL('./answer-looker-worker.js', import.meta.url), { workerData: { cpus: [...cpus], lookMs } });
    this.worker.on('error', () => {
      this.alive = false;
    });
    this.worker.on('exit', () => {
      this.alive = false;
    });
    this.worker.unref();
  }

  /** Starts a look; false when the thread is gone (the caller then waits for the ack alone). */
  look(r: LookRequest): boolean {
    if (this.alive) this.worker.postMessage(r);
    return this.alive;
  }

  async close(): Promise<void> {
    this.alive = false;
    await this.worker.terminate();
  }
}

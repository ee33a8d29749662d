// The floor under the kill path's latency on this machine: a futex ring from this process to a thread that
// sleeps where the engine's kill watcher sleeps (same CPU, same real-time priority), measured ring → that
// thread awake. Nothing the engine does can make a kill faster than its watcher waking, and on a VM an idle
// vCPU wakes slowly (hundreds of µs at the tail here), so the kill bench quotes this beside its own figure,
// measured in the same run between its trials.
import { Worker } from 'node:worker_threads';
import { once } from 'node:events';
import { hrtime } from 'node:process';
import { loadNative } from '../host/platform/native.js';

export class WakeFloor {
  private readonly words: Int32Array;
  private readonly stamp: Float64Array;
  private readonly addon = loadNative();

  private constructor(private readonly name: string, private readonly worker: Worker, sab: SharedArrayBuffer,
    /** The sleeper got its SCHED_FIFO priority (false: refused, or priority 0). */
    readonly realtime: boolean) {
    this.words = new Int32Array(sab);
    this.stamp = new Float64Array(sab, 16, 1);
  }

  static async start(cpus: readonly number[], priority = 0): Promise<WakeFloor> {
    const addon = loadNative();
    const name = `/tradecore-wake-floor-${process.pid}`;
    const sab = addon.mapShared(name, 64);
    new Int32Array(sab).fill(0);
    const worker = new Worker(new URL('./wake-floor-worker.js', import.meta.url), { workerData: { name, cpus: [...cpus], priority } });
    const [realtime] = (await once(worker, 'message')) as [boolean];
    await new Promise((r) => setTimeout(r, 200)); // asleep in its futex
    return new WakeFloor(name, worker, sab, realtime);
  }

  /** One ring → the sleeper's wake stamp, µs. Waits for the answer with `nap` (the caller's reader naps). */
  measure(nap: () => void): number {
    const t0 = Number(hrtime.bigint());
    const n = Atomics.add(this.words, 0, 1) + 1;
    this.addon.futexWake(this.words, 0, 1);
    while (Atomics.load(this.words, 1) !== n) {
      if (Number(hrtime.bigint()) - t0 > 5e9) throw new Error('wake floor: the sleeper did not wake within 5 s');
      nap();
    }
    return (this.stamp[0]! - t0) / 1000;
  }

  async stop(): Promise<void> {
    Atomics.store(this.words, 2, 1);
    Atomics.add(this.words, 0, 1);
    this.addon.futexWake(this.words, 0, 1);
    await this.worker.terminate();
    this.addon.unlinkShared(this.name);
  }
}

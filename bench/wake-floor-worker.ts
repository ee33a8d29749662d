// The wake floor's sleeper (wake-floor.ts): pinned where the engine's kill watcher runs, at its real-time
// priority, it sleeps on a futex word of a shared mapping, exactly as the watcher sleeps on the segment's
// doorbell, and stamps when it wakes. workerData: { name, cpus, priority }; first message: realtime granted. Words: [0] rings, [1] rings answered, [2] stop; f64 at byte 16: wake stamp.
import { parentPort, workerData } from 'node:worker_threads';
import { hrtime } from 'node:process';
import { loadNative } from '../host/platform/native.js';
import { tightenTimerSlack } from '../host/platform/timer-slack.js';

const { name, cpus, priority } = workerData as { name: string; cpus: number[]; priority: number };
const addon = loadNative();
if (cpus.length > 0) addon.setAffinity(cpus);
parentPort!.postMessage(priority > 0 && addon.setRealtimePriority(priority));
tightenTimerSlack();
const sab = addon.mapShared(name, 64);
const words = new Int32Array(sab);
const stamp = new Float64Array(sab, 16, 1);
let seen = Atomics.load(words, 0);
while (Atomics.load(words, 2) === 0) {
  addon.futexWait(words, 0, seen, 100e6); // the watcher's longest sleep
  const rings = Atomics.load(words, 0);
  if (rings !== seen) {
    stamp[0] = Number(hrtime.bigint());
    seen = rings;
    Atomics.store(words, 1, rings);
  }
}

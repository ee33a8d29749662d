// A thread's timer slack: Linux lets the timers of a thread fire up to its slack late (50 µs by default), so
// that wake-ups can be batched. An Atomics.wait timeout is such a timer: a 100 µs nap slept about 210 µs at the
// median on this machine, 160 µs with a slack of 1 ns. Threads that poll by napping (the cool loop watching
// the kill word, a benchmark reading telemetry) set theirs to 1 ns. The file is per thread
// (/proc/<tid>/timerslack_ns) and the process may write its own threads'.
import { writeFileSync } from 'node:fs';
import { gettid } from './native.js';

/** Sets the calling thread's timer slack to 1 ns. False (the default slack stays) off Linux or when refused. */
export function tightenTimerSlack(): boolean {
  try {
    writeFileSync(`/proc/${gettid()}/timerslack_ns`, '1');
    return true;
  } catch {
    return false;
  }
}

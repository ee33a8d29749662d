// How an engine thread shows itself to the kernel and to us: its name (so `top -H`, /proc and the telemetry's
// per-thread CPU say which module runs on it instead of "node") and the CPUs it may run on, as the kernel prints
// them. Both act on the calling thread.
import { readFileSync, writeFileSync } from 'node:fs';
import { gettid } from './native.js';

/** Gives the calling thread a kernel name (15 bytes at most). A thread may rename itself through /proc; where it
 *  cannot, the kernel's name stays. */
export function nameThread(name: string): void {
  try {
    writeFileSync(`/proc/self/task/${gettid()}/comm`, name.slice(0, 15));
  } catch {
    // not Linux, or /proc not writable: keep the kernel's name
  }
}

/** The CPUs the calling thread may run on, as the kernel prints them (e.g. "0" or "0-1"). */
export function cpusAllowedList(): string {
  const m = /^Cpus_allowed_list:\s*(\S+)/m.exec(readFileSync('/proc/thread-self/status', 'utf8'));
  return m ? m[1]! : '?';
}

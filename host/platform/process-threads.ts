// Every thread of this process, by kernel id and name, and pinning them all at once. A thread pinned with
// setAffinity moves alone: the threads V8 started before any JS ran (its platform workers for GC and compiles,
// the inspector's, the signal watchdog) keep the full mask and go wherever the scheduler puts them, the hot
// core included. A process that must stay off a core pins all of its threads, then the ones it creates later
// inherit the mask from their creator.
import { readdirSync, readFileSync } from 'node:fs';
import { setAffinity, setThreadAffinity } from './native.js';

export interface ProcessThread {
  readonly tid: number;
  /** The kernel's name (comm): "node", "V8 DefaultWorke", "libuv-worker", or what nameThread gave it. */
  readonly name: string;
  /** Cpus_allowed_list as the kernel prints it. */
  readonly cpus: string;
}

function readTask(tid: number): ProcessThread | null {
  try {
    const name = readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim();
    const m = /^Cpus_allowed_list:\s*(\S+)/m.exec(readFileSync(`/proc/self/task/${tid}/status`, 'utf8'));
    return { tid, name, cpus: m ? m[1]! : '?' };
  } catch {
    return null; // exited between the listing and the read
  }
}

/** The threads of this process now (those that exit meanwhile are left out). */
export function processThreads(): ProcessThread[] {
  return readdirSync('/proc/self/task').map(Number).sort((a, b) => a - b)
    .map(readTask).filter((t): t is ProcessThread => t !== null);
}

/** Pins the calling thread and every other thread of this process to `cpus`; answers how many were pinned. */
export function pinProcessThreads(cpus: readonly number[]): number {
  setAffinity(cpus);
  let pinned = 0;
  for (const name of readdirSync('/proc/self/task')) if (setThreadAffinity(Number(name), cpus)) pinned++;
  return pinned;
}

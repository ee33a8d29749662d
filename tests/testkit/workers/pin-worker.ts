// Worker for affinity.test.ts. Runs setAffinity on ITS OWN thread and reports
// what the kernel says, then stays alive until the parent has read
// /proc/self/task/<tid>/status and posts 'exit'.
import { parentPort, workerData } from 'node:worker_threads';
import { getAffinity, getCpu, gettid, loadNative } from '../../../host/platform/native.js';

export type PinRequest =
  | { kind: 'pin'; cpus: number[] }
  // Arbitrary (possibly invalid) arguments passed straight to setAffinity.
  | { kind: 'try'; cases: unknown[] };

export interface PinReport {
  kind: 'pin';
  tid: number;
  affinity: number[];
  cpu: number;
  /** sched_getcpu sampled repeatedly after pinning (should all be the pinned CPU). */
  cpuSamples: number[];
}

export interface CaseResult {
  threw: boolean;
  name?: string;
  message?: string;
}

export interface TryReport {
  kind: 'try';
  before: number[];
  after: number[];
  results: CaseResult[];
}

export interface WorkerFailure {
  kind: 'error';
  name: string;
  message: string;
}

if (parentPort === null) throw new Error('pin-worker must run in a worker_thread');
const port = parentPort;
const req = workerData as PinRequest;

try {
  if (req.kind === 'pin') {
    loadNative().setAffinity(req.cpus);
    const cpuSamples: number[] = [];
    for (let i = 0; i < 200; i++) cpuSamples.push(getCpu());
    const report: PinReport = { kind: 'pin', tid: gettid(), affinity: getAffinity(), cpu: getCpu(), cpuSamples };
    port.postMessage(report);
  } else {
    const before = getAffinity();
    // Deliberately untyped: the point is to feed setAffinity bad input.
    const setAffinityUnchecked = loadNative().setAffinity as (cpus: unknown) => void;
    const results: CaseResult[] = req.cases.map((c) => {
      try {
        setAffinityUnchecked(c);
        return { threw: false };
      } catch (err) {
        const e = err as Error;
        return { threw: true, name: e.constructor.name, message: e.message };
      }
    });
    const report: TryReport = { kind: 'try', before, after: getAffinity(), results };
    port.postMessage(report);
  }
} catch (err) {
  const e = err as Error;
  const failure: WorkerFailure = { kind: 'error', name: e.constructor.name, message: e.message };
  port.postMessage(failure);
}

// Keep the thread (and its /proc/self/task/<tid> entry) alive until told to go.
port.once('message', () => {
  // Removing the only listener un-refs the port; the worker then exits normally (code 0).
});

// Thread pinning via the native addon: each worker pins ITSELF, and the kernel's
// view (/proc/self/task/<tid>/status) must agree. The main thread is never
// pinned (every setAffinity call in this file runs inside a worker).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { once } from 'node:events';
import { getAffinity, gettid } from '../../host/platform/native.js';
import type { PinReport, PinRequest, TryReport, WorkerFailure } from '../testkit/workers/pin-worker.js';

type Report = PinReport | TryReport | WorkerFailure;

interface Running {
  worker: Worker;
  report: Report;
}

async function startWorker(req: PinRequest): Promise<Running> {
  const worker = new Worker(new URL('../testkit/workers/pin-worker.js', import.meta.url), { workerData: req });
  const first = await Promise.race([
    once(worker, 'message') as Promise<[Report]>,
    once(worker, 'error').then(([err]) => {
      throw err;
    }),
    once(worker, 'exit').then(([code]) => {
      throw new Error(`pin-worker exited (code ${String(code)}) before reporting`);
    }),
  ]);
  return { worker, report: first[0] };
}

async function release(worker: Worker): Promise<number> {
  const exited = once(worker, 'exit') as Promise<[number]>;
  worker.postMessage('exit');
  const [code] = await exited;
  return code;
}

function cpusAllowedList(tid: number): string {
  const status = readFileSync(`/proc/self/task/${tid}/status`, 'utf8');
  const m = /^Cpus_allowed_list:\s*(\S+)\s*$/m.exec(status);
  assert.ok(m, `no Cpus_allowed_list line in /proc/self/task/${tid}/status`);
  return m[1]!;
}

/** Parse the kernel's list format, e.g. "0-2,5" -> [0, 1, 2, 5]. */
function parseCpuList(list: string): number[] {
  const out: number[] = [];
  for (const part of list.split(',')) {
    const [lo, hi] = part.split('-').map(Number) as [number, number | undefined];
    for (let c = lo; c <= (hi ?? lo); c++) out.push(c);
  }
  return out;
}

function expectPin(report: Report): PinReport {
  if (report.kind === 'error') assert.fail(`worker failed: ${report.name}: ${report.message}`);
  assert.equal(report.kind, 'pin');
  return report as PinReport;
}

test('two worker_threads each pin themselves to a different CPU', { timeout: 30_000 }, async () => {
  const parallelism = os.availableParallelism();
  if (parallelism < 2) {
    assert.fail(`affinity test needs at least 2 CPUs, os.availableParallelism() = ${parallelism}`);
  }
  const mainTid = gettid();
  const mainBefore = getAffinity();
  assert.equal(mainTid, process.pid, 'main thread tid should equal the pid');
  assert.ok(
    mainBefore.length >= 2,
    `main thread may only run on CPUs [${mainBefore.join(', ')}]; need 2 (cgroup/cpuset too small)`,
  );
  // The first two CPUs this process may use (0 and 1 on the reference 2-CPU box).
  const [cpuA, cpuB] = [mainBefore[0]!, mainBefore[1]!];

  const workers: Worker[] = [];
  try {
    const [a, b] = await Promise.all([
      startWorker({ kind: 'pin', cpus: [cpuA] }),
      startWorker({ kind: 'pin', cpus: [cpuB] }),
    ]);
    workers.push(a.worker, b.worker);
    const ra = expectPin(a.report);
    const rb = expectPin(b.report);

    // Both workers are still alive here, so their tids are live and distinct.
    assert.notEqual(ra.tid, rb.tid, 'the two workers must run on different kernel threads');
    assert.notEqual(ra.tid, mainTid, 'worker A tid must differ from the main thread');
    assert.notEqual(rb.tid, mainTid, 'worker B tid must differ from the main thread');

    for (const [r, cpu] of [
      [ra, cpuA],
      [rb, cpuB],
    ] as const) {
      assert.equal(cpusAllowedList(r.tid), String(cpu), `kernel affinity of tid ${r.tid}`);
      assert.deepEqual(r.affinity, [cpu], `getAffinity() inside the worker pinned to ${cpu}`);
      assert.equal(r.cpu, cpu, `getCpu() inside the worker pinned to ${cpu}`);
      assert.deepEqual(new Set(r.cpuSamples), new Set([cpu]), `every getCpu() sample on ${cpu}`);
    }

    // Pinning a worker did not touch the main thread (affinity is per thread).
    assert.deepEqual(getAffinity(), mainBefore);
    assert.deepEqual(parseCpuList(cpusAllowedList(mainTid)), mainBefore, 'main thread kernel affinity');
  } finally {
    const codes = await Promise.all(workers.map(release));
    assert.deepEqual(codes, codes.map(() => 0), 'workers exit cleanly');
  }
});

test('setAffinity rejects bad input with clear errors', { timeout: 30_000 }, async () => {
  const mainBefore = getAffinity();
  const cases: unknown[] = [[100000], [], ['x'], 0, [1.5], [-1], [0, 'y'], [1024], null];
  const { worker, report } = await startWorker({ kind: 'try', cases });
  try {
    if (report.kind === 'error') assert.fail(`worker failed: ${report.name}: ${report.message}`);
    assert.equal(report.kind, 'try');
    const r = report as TryReport;
    const [big, empty, str, notArray, frac, neg, mixed, setsize, nul] = r.results.map((x) => x!);

    const expectThrow = (
      res: (typeof r.results)[number] | undefined,
      name: string,
      pattern: RegExp,
      label: string,
    ): void => {
      assert.ok(res, `no result for ${label}`);
      assert.equal(res.threw, true, `setAffinity(${label}) should throw`);
      assert.equal(res.name, name, `setAffinity(${label}) error type (message: ${res.message})`);
      assert.match(res.message ?? '', pattern, `setAffinity(${label}) message`);
    };
    expectThrow(big, 'RangeError', /cpus\[0\] = 100000 is out of range \[0, 1024\)/, '[100000]');
    expectThrow(empty, 'RangeError', /non-empty/, '[]');
    expectThrow(str, 'TypeError', /cpus\[0\] must be an integer.*"x"/, "['x']");
    expectThrow(notArray, 'TypeError', /must be an array/, '0');
    expectThrow(frac, 'RangeError', /cpus\[0\] must be an integer.*1\.5/, '[1.5]');
    expectThrow(neg, 'RangeError', /cpus\[0\] = -1 is out of range/, '[-1]');
    expectThrow(mixed, 'TypeError', /cpus\[1\] must be an integer.*"y"/, "[0, 'y']");
    expectThrow(setsize, 'RangeError', /cpus\[0\] = 1024 is out of range/, '[1024]');
    expectThrow(nul, 'TypeError', /must be an array.*null/, 'null');

    // Failed calls leave the (worker) thread's affinity untouched.
    assert.deepEqual(r.after, r.before);
  } finally {
    assert.equal(await release(worker), 0);
  }
  assert.deepEqual(getAffinity(), mainBefore, 'main thread affinity unchanged');
});

test('setAffinity syscall failure reports errno text and the cpus', { timeout: 30_000 }, async (t) => {
  // CPU 1023 is valid for cpu_set_t but does not exist on any machine with
  // fewer than 1024 CPUs, so sched_setaffinity fails with EINVAL regardless
  // of cgroups. Runs in a worker so the main thread can never be pinned.
  if (os.cpus().length >= 1024) {
    t.skip('machine has >= 1024 CPUs');
    return;
  }
  const { worker, report } = await startWorker({ kind: 'pin', cpus: [1023] });
  try {
    assert.equal(report.kind, 'error', 'setAffinity([1023]) should fail');
    const f = report as WorkerFailure;
    assert.equal(f.name, 'Error');
    assert.equal(f.message, 'setAffinity([1023]): Invalid argument');
  } finally {
    assert.equal(await release(worker), 0);
  }
});

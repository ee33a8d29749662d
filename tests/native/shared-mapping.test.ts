// mapShared/unlinkShared: a POSIX shm segment exposed as a real
// SharedArrayBuffer, shared with another PROCESS (polling; Atomics.notify does
// not cross processes) and with worker_threads (workerData and postMessage).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { randomInt } from 'node:crypto';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { types } from 'node:util';
import { Worker } from 'node:worker_threads';
import { mapShared, unlinkShared } from '../../host/platform/native.js';
import { W, answer } from '../testkit/workers/shm-layout.js';
import type { SabWorkerData, SabWorkerReport } from '../testkit/workers/sab-worker.js';

const BYTES = 4096;
let seq = 0;
function uniqueName(): string {
  return `/tradecore-test-${process.pid}-${Date.now()}-${seq++}`;
}

function shmPath(name: string): string {
  return `/dev/shm${name}`;
}

/** Poll `i32[idx]` until it equals `want` or the deadline passes. */
async function waitForWord(
  i32: Int32Array,
  idx: number,
  want: number,
  label: string,
  timeoutMs = 10_000,
  alive?: () => string | undefined,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Atomics.load(i32, idx) !== want) {
    const dead = alive?.();
    if (dead !== undefined) assert.fail(`${label}: ${dead}`);
    if (Date.now() > deadline) {
      assert.fail(`${label}: word ${idx} is ${Atomics.load(i32, idx)}, wanted ${want} within ${timeoutMs} ms`);
    }
    await sleep(2);
  }
}

function cleanup(name: string): void {
  try {
    unlinkShared(name);
  } catch {
    // best effort; the test body already asserted on unlink
  }
}

test('mapShared returns a real, zeroed SharedArrayBuffer; grows but never shrinks the segment', () => {
  const name = uniqueName();
  try {
    const a = mapShared(name, BYTES);
    assert.ok(a instanceof SharedArrayBuffer, 'instanceof SharedArrayBuffer');
    assert.ok(types.isSharedArrayBuffer(a), 'util.types.isSharedArrayBuffer');
    assert.equal(a.byteLength, BYTES);
    assert.equal(statSync(shmPath(name)).size, BYTES, 'segment created with the requested size');
    const ua = new Uint8Array(a);
    assert.ok(ua.every((b) => b === 0), 'fresh segment is zeroed');
    ua[100] = 0xab;

    // Larger: file grows, existing contents kept, second mapping aliases the first.
    const b = mapShared(name, 2 * BYTES);
    assert.equal(b.byteLength, 2 * BYTES);
    assert.equal(statSync(shmPath(name)).size, 2 * BYTES, 'segment grown');
    const ub = new Uint8Array(b);
    assert.equal(ub[100], 0xab, 'second mapping sees first mapping write');
    ub[101] = 0xcd;
    assert.equal(ua[101], 0xcd, 'first mapping sees second mapping write');
    ub[BYTES + 5] = 0xef;

    // Smaller: maps only `bytes`, file NOT truncated.
    const c = mapShared(name, 1000);
    assert.equal(c.byteLength, 1000);
    assert.equal(statSync(shmPath(name)).size, 2 * BYTES, 'segment not shrunk');
    assert.equal(new Uint8Array(c)[100], 0xab);
    assert.equal(ub[BYTES + 5], 0xef, 'bytes past the small mapping untouched');

    // Atomics on the mapping.
    const i32 = new Int32Array(a);
    assert.equal(Atomics.add(i32, 10, 5), 0);
    assert.equal(Atomics.compareExchange(i32, 10, 5, 9), 5);
    assert.equal(Atomics.load(new Int32Array(b), 10), 9);

    // Unlink: true, then false; existing mappings keep working; file is gone.
    assert.equal(unlinkShared(name), true);
    assert.equal(unlinkShared(name), false);
    assert.equal(existsSync(shmPath(name)), false);
    ua[200] = 7;
    assert.equal(ub[200], 7, 'mappings survive unlink');

    // Same name again is a brand-new zeroed segment.
    const d = mapShared(name, BYTES);
    assert.equal(new Uint8Array(d)[100], 0, 're-created segment is fresh');
    assert.equal(unlinkShared(name), true);
  } finally {
    cleanup(name);
  }
});

test('a separate node process maps the same segment and exchanges values', { timeout: 30_000 }, async () => {
  const name = uniqueName();
  let child: ChildProcess | undefined;
  try {
    const sab = mapShared(name, BYTES);
    assert.ok(sab instanceof SharedArrayBuffer);
    assert.equal(sab.byteLength, BYTES);
    const i32 = new Int32Array(sab);

    const script = fileURLToPath(new URL('../testkit/workers/shm-child.js', import.meta.url));
    const proc = spawn(process.execPath, [script, name, String(BYTES)], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    let stdout = '';
    let stderr = '';
    proc.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    proc.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const exited = once(proc, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    const alive = (): string | undefined =>
      proc.exitCode !== null || proc.signalCode !== null
        ? `child exited early (code ${proc.exitCode}, signal ${proc.signalCode}); stderr: ${stderr}`
        : undefined;

    // The child maps first, then waits for us: the value it reads can only have
    // come through the shared segment.
    await waitForWord(i32, W.READY, 1, 'child READY', 10_000, alive);
    const p = randomInt(1, 2 ** 31 - 1);
    Atomics.store(i32, W.PARENT_VAL, p);
    Atomics.store(i32, W.PARENT_FLAG, 1);

    await waitForWord(i32, W.CHILD_FLAG, 1, 'child write', 10_000, alive);
    assert.equal(Atomics.load(i32, W.CHILD_VAL), answer(p, 7), "parent sees the child's write");

    const [code, signal] = await exited;
    assert.equal(signal, null, `child killed by signal; stderr: ${stderr}`);
    assert.equal(code, 0, `child exit code; stderr: ${stderr}`);
    const report = JSON.parse(stdout.trim()) as {
      isSharedArrayBuffer: boolean;
      byteLength: number;
      seen: number;
      pid: number;
    };
    assert.equal(report.isSharedArrayBuffer, true, 'child got a SharedArrayBuffer');
    assert.equal(report.byteLength, BYTES);
    assert.equal(report.seen, p, "child saw the parent's write");
    assert.notEqual(report.pid, process.pid);

    assert.equal(unlinkShared(name), true);
    assert.equal(unlinkShared(name), false);
  } finally {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    cleanup(name);
  }
});

test('a mapped SharedArrayBuffer works across worker_threads (workerData and postMessage)', { timeout: 30_000 }, async () => {
  const name = uniqueName();
  let worker: Worker | undefined;
  try {
    const sab = mapShared(name, BYTES);
    const i32 = new Int32Array(sab);
    const data: SabWorkerData = { sab, name, bytes: BYTES };
    const w = new Worker(new URL('../testkit/workers/sab-worker.js', import.meta.url), { workerData: data });
    worker = w;
    let failure: unknown;
    w.on('error', (err) => (failure = err));
    const alive = (): string | undefined => (failure !== undefined ? `worker error: ${String(failure)}` : undefined);

    await waitForWord(i32, W.READY, 1, 'worker READY', 10_000, alive);
    const p = randomInt(1, 2 ** 31 - 1);
    Atomics.store(i32, W.PARENT_VAL, p);
    Atomics.store(i32, W.PARENT_FLAG, 1);
    Atomics.notify(i32, W.PARENT_FLAG);

    await waitForWord(i32, W.CHILD_FLAG, 1, 'worker write', 10_000, alive);
    assert.equal(Atomics.load(i32, W.CHILD_VAL), answer(p, 7), 'write through workerData SAB visible');
    assert.equal(Atomics.load(i32, W.OWN_VAL), answer(p, 11), "write through the worker's own mapping visible");

    // A second, independent mapping of the same segment, sent by postMessage.
    const second = mapShared(name, BYTES);
    const reportP = once(w, 'message') as Promise<[SabWorkerReport]>;
    w.postMessage({ sab: second });
    const [report] = await reportP;
    assert.equal(Atomics.load(i32, W.MSG_VAL), answer(p, 13), 'write through postMessage SAB visible');
    assert.equal(Atomics.load(new Int32Array(second), W.MSG_VAL), answer(p, 13));

    assert.equal(report.workerDataIsSab, true);
    assert.equal(report.messageIsSab, true);
    assert.notEqual(report.waitResult, 'timed-out', 'Atomics.wait in the worker was released');
    assert.equal(report.seenViaWorkerData, p);
    assert.equal(report.seenViaOwnMapping, p);
    assert.equal(report.seenViaMessage, p);

    const [code] = (await once(w, 'exit')) as [number];
    assert.equal(code, 0);
    worker = undefined;

    assert.equal(unlinkShared(name), true);
    assert.equal(unlinkShared(name), false);
  } finally {
    if (worker) await worker.terminate();
    cleanup(name);
  }
});

test('mapShared/unlinkShared reject bad input with clear errors', () => {
  const rule = /name must start with "\/" and contain no other "\/"/;
  assert.throws(() => mapShared('noslash', BYTES), (e: unknown) => e instanceof TypeError && rule.test(e.message) && /"noslash"/.test(e.message));
  assert.throws(() => mapShared('/a/b', BYTES), rule);
  assert.throws(() => mapShared('/', BYTES), rule);
  assert.throws(() => unlinkShared('noslash'), rule);
  assert.throws(() => mapShared(42 as unknown as string, BYTES), { name: 'TypeError', message: /name must be a string/ });

  const size = /bytes must be an integer in \[1, 2\^40\]/;
  assert.throws(() => mapShared('/x', 0), (e: unknown) => e instanceof RangeError && size.test(e.message));
  for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 40 + 1]) {
    assert.throws(() => mapShared('/x', bad), (e: unknown) => e instanceof RangeError && size.test(e.message), String(bad));
  }
  assert.throws(() => mapShared('/x', '4096' as unknown as number), { name: 'TypeError', message: /bytes must be a number/ });

  // errno path: a 300-character name is rejected by shm_open itself.
  const long = '/' + 'a'.repeat(300);
  assert.throws(
    () => mapShared(long, BYTES),
    (e: unknown) =>
      e instanceof Error &&
      e.message.startsWith(`mapShared(${long}, ${BYTES}): shm_open: `) &&
      /(Invalid argument|File name too long)$/.test(e.message),
  );
});

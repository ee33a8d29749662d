// pinProcessThreads moves every thread of a process, V8's helpers included, and the threads created afterwards
// inherit the mask; setThreadAffinity refuses bad ids and other processes' threads. Run in a child process so
// the test runner itself is never pinned.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { setThreadAffinity } from '../../host/platform/native.js';

const THREADS = new URL('../../host/platform/process-threads.js', import.meta.url).href;

test('every thread, V8\'s and a later worker\'s included, ends on the CPU given', { skip: cpus().length < 2 && 'needs 2 CPUs' }, () => {
  const target = cpus().length - 1;
  const script = `
    import { Worker } from 'node:worker_threads';
    import { processThreads, pinProcessThreads } from '${THREADS}';
    const before = processThreads();
    const pinned = pinProcessThreads([${target}]);
    const w = new Worker('setTimeout(() => {}, 300)', { eval: true });
    await new Promise((r) => w.once('online', r));
    const after = processThreads();
    await w.terminate();
    console.log(JSON.stringify({ before, pinned, after }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const { before, pinned, after } = JSON.parse(r.stdout) as { before: { tid: number; name: string; cpus: string }[]; pinned: number; after: { tid: number; name: string; cpus: string }[] };
  assert.ok(before.length >= 4, `node starts V8 helper threads (${before.map((t) => t.name).join(', ')})`);
  assert.ok(before.some((t) => t.cpus !== String(target)), 'before: some thread may run elsewhere (else the test proves nothing)');
  assert.ok(pinned >= before.length - 1, `pinned ${pinned} of ${before.length}`);
  assert.ok(after.length > before.length, 'the worker added threads');
  for (const t of after) assert.equal(t.cpus, String(target), `thread ${t.tid} (${t.name}) allowed on ${t.cpus}`);
});

test('setThreadAffinity: a bad id is refused naming it; another process\'s thread is not touched', () => {
  assert.throws(() => setThreadAffinity(0, [0]), /setThreadAffinity: tid must be a thread id in \[1, 2147483647\], got 0/);
  assert.throws(() => setThreadAffinity(1.5, [0]), /tid must be a thread id/);
  assert.throws(() => setThreadAffinity(process.pid, []), /setThreadAffinity: cpus must be a non-empty array/);
  assert.throws(() => setThreadAffinity(process.pid, [-1]), /setThreadAffinity: cpus\[0\] = -1 is out of range/);
  assert.equal(setThreadAffinity(1, [0]), false, 'pid 1 is not a thread of this process');
});

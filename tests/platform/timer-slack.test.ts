// A thread's timer slack (host/platform/timer-slack.ts): set to 1 ns for the calling thread only, so a napping
// poll loop (the cool loop watching the kill word) wakes when it asked to, not up to 50 µs later. Checked in a
// worker thread against /proc: its own slack becomes 1, the main thread's stays what it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

const slackOf = (tid: number): number => Number(readFileSync(`/proc/${tid}/timerslack_ns`, 'utf8').trim());

test('tightenTimerSlack: the calling thread\'s timer slack becomes 1 ns, the other threads\' stay', { skip: process.platform !== 'linux' }, async () => {
  const mainBefore = slackOf(process.pid);
  const src = `
    const { parentPort } = require('node:worker_threads');
    const { readFileSync } = require('node:fs');
    import(${JSON.stringify(new URL('../../host/platform/timer-slack.js', import.meta.url).href)}).then(async (m) => {
      const { gettid } = await import(${JSON.stringify(new URL('../../host/platform/native.js', import.meta.url).href)});
      const tid = gettid();
      const before = Number(readFileSync('/proc/' + tid + '/timerslack_ns', 'utf8'));
      const ok = m.tightenTimerSlack();
      const after = Number(readFileSync('/proc/' + tid + '/timerslack_ns', 'utf8'));
      parentPort.postMessage({ tid, before, ok, after });
    });`;
  const worker = new Worker(src, { eval: true });
  const r = await new Promise<{ tid: number; before: number; ok: boolean; after: number }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  assert.notEqual(r.tid, process.pid, 'the worker is a thread of its own');
  assert.ok(r.before > 1, `the default slack (${r.before} ns) is above 1 ns`);
  assert.equal(r.ok, true);
  assert.equal(r.after, 1);
  assert.equal(slackOf(process.pid), mainBefore, 'the main thread keeps its slack');
});

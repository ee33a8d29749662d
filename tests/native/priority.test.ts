// Real-time scheduling via the native addon (native/src/priority.cc): a worker raises ITSELF to SCHED_FIFO and
// the kernel's view of that thread (/proc/thread-self/stat: rt_priority, policy) must agree; 0 takes it back.
// Where the kernel refuses (no CAP_SYS_NICE), the call answers false and the thread's policy is unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { once } from 'node:events';
import { loadNative } from '../../host/platform/native.js';

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const addon = require(workerData.addon);
// Fields after the command name (which may hold spaces) start at the state, field 3; rt_priority is 40, policy 41.
const sched = () => { const s = readFileSync('/proc/thread-self/stat', 'utf8'); const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
  return { rtPriority: Number(f[40 - 3]), policy: Number(f[41 - 3]) }; };
const before = sched();
const granted = addon.setRealtimePriority(7);
const raised = sched();
const back = addon.setRealtimePriority(0);
parentPort.postMessage({ before, granted, raised, back, after: sched() });
`;

test('setRealtimePriority: SCHED_FIFO at the priority asked for the calling thread only, 0 back to SCHED_OTHER', async () => {
  const addon = (await import('../../host/platform/native.js')).addonUrl;
  const w = new Worker(WORKER, { eval: true, workerData: { addon: addon.pathname } });
  const [r] = (await once(w, 'message')) as [{ before: S; granted: boolean; raised: S; back: boolean; after: S }];
  await w.terminate();
  type S = { rtPriority: number; policy: number };
  assert.deepEqual(r.before, { rtPriority: 0, policy: 0 }, 'a worker starts as an ordinary thread');
  if (r.granted) {
    assert.deepEqual(r.raised, { rtPriority: 7, policy: 1 }, 'SCHED_FIFO (1) at priority 7');
  } else {
    assert.deepEqual(r.raised, r.before, 'refused: nothing changed');
  }
  assert.equal(r.back, true, 'back to SCHED_OTHER is always allowed');
  assert.deepEqual(r.after, { rtPriority: 0, policy: 0 });
  // This (main) thread was never touched.
  const { readFileSync } = await import('node:fs');
  const s = readFileSync('/proc/thread-self/stat', 'utf8');
  assert.equal(Number(s.slice(s.lastIndexOf(')') + 2).split(' ')[41 - 3]), 0);
});

test('setRealtimePriority refuses a priority outside [0, 99] or not an integer, naming the range', () => {
  const addon = loadNative();
  assert.throws(() => addon.setRealtimePriority(100), { name: 'RangeError', message: /priority must be an integer in \[0, 99\], got 100/ });
  assert.throws(() => addon.setRealtimePriority(-1), RangeError);
  assert.throws(() => addon.setRealtimePriority(1.5), RangeError);
  assert.throws(() => addon.setRealtimePriority('5' as unknown as number), { name: 'TypeError', message: /got "5"/ });
});

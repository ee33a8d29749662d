// The engine child's side readings (host/platform/engine-process.ts): V8's --trace-gc lines counted per
// isolate and kind, and a process's resident set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { countGcLine, rssBytesOf } from '../../host/platform/engine-process.js';

test('--trace-gc lines counted per isolate: young and full collections apart, other lines refused', () => {
  const counts = new Map<string, { scavenges: number; mark_sweeps: number }>();
  const lines = [
    '[13974:0x8737290]      144 ms: Scavenge 4.4 (4.5) -> 3.6 (5.5) MB, 7.47 / 0.00 ms  (average mu = 1.000, current mu = 1.000) allocation failure; ',
    '[13974:0x7f985c000f00]      150 ms: Scavenge 4.4 (5.5) -> 3.6 (5.7) MB, 1.2 / 0.00 ms  (average mu = 1.000) allocation failure; ',
    '[13974:0x8737290]     2001 ms: Mark-Compact 9.1 (12.0) -> 6.0 (11.0) MB, 12.3 / 0.0 ms  (average mu = 0.9) finalize incremental marking',
    '[13974:0x8737290]     2101 ms: Minor Mark-Sweep 5.1 (12.0) -> 4.0 (11.0) MB, 1.3 / 0.0 ms  (average mu = 0.9) allocation failure',
    '{"engine":"ready"}',
    '',
  ];
  assert.deepEqual(lines.map((l) => countGcLine(l, counts)), [true, true, true, true, false, false]);
  assert.deepEqual(Object.fromEntries(counts), {
    '0x8737290': { scavenges: 2, mark_sweeps: 1 },
    '0x7f985c000f00': { scavenges: 1, mark_sweeps: 0 },
  });
});

test('a real node --trace-gc run with a worker: two isolates counted', () => {
  const program = "const {Worker}=require('node:worker_threads');"
    + "const churn='let a=[];for(let i=0;i<2e6;i++){a.push({i});if(a.length>1000)a=[]}';"
    + 'new Worker(churn,{eval:true});eval(churn)';
  const r = spawnSync(process.execPath, ['--trace-gc', '-e', program], { encoding: 'utf8' });
  const counts = new Map<string, { scavenges: number; mark_sweeps: number }>();
  for (const line of r.stdout.split('\n')) countGcLine(line, counts);
  assert.equal(counts.size, 2, 'the main thread and the worker');
  for (const c of counts.values()) assert.ok(c.scavenges > 0);
});

test('rssBytesOf: this process has a resident set, a gone pid has none', () => {
  const rss = rssBytesOf(process.pid);
  const mine = process.memoryUsage().rss;
  assert.ok(Math.abs(rss - mine) < mine * 0.5, `${rss} vs ${mine}`);
  assert.equal(rssBytesOf(2 ** 22 + 12345), 0);
});

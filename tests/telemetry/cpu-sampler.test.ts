// CpuSampler on fixture text: /proc/stat per-core lines (idle and iowait idle, everything else busy) and a
// task's stat line (comm with spaces and parentheses; utime field 14, stime 15, processor 39); busy shares
// are deltas between two samples, in basis points, on a manual clock. And once against this machine's /proc.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CpuSampler, parseProcStat, parseTaskStat } from '../../host/telemetry/index.js';
import { liveClock } from '../../host/platform/clock.js';
import { ManualClock } from '../testkit/manual-clock.js';

const STAT_1 = `cpu  110 0 60 1770 60 0 0 0 0 0
cpu0 100 0 50 800 50 0 0 0 0 0
cpu1 10 0 10 970 10 0 0 0 0 0
intr 12345 0 0
ctxt 999
`;
const STAT_2 = `cpu  410 0 160 2970 60 0 0 0 0 0
cpu0 400 0 150 1000 50 0 0 0 0 0
cpu1 10 0 10 1970 10 0 0 0 0 0
`;

/** A task stat line: fields 1 (tid) and 2 (comm) then 3.. as given (index = field number). */
function taskLine(tid: number, comm: string, utime: number, stime: number, processor: number): string {
  const f: (string | number)[] = [];
  for (let n = 3; n <= 52; n++) f[n] = n === 3 ? 'S' : 0;
  f[14] = utime;
  f[15] = stime;
  f[39] = processor;
  return `${tid} (${comm}) ${f.slice(3).join(' ')}\n`;
}

test('parseProcStat: per-core lines only; idle + iowait are idle, irq, softirq and steal busy', () => {
  assert.deepEqual(parseProcStat(STAT_1), [{ core: 0, busy: 150, total: 1000 }, { core: 1, busy: 20, total: 1000 }]);
  assert.deepEqual(parseProcStat('cpu3 1 2 3 4 5 6 7 8 9 10\ncpu2 0 0 0 1 0 0 0 0 0 0\n'), [
    { core: 2, busy: 0, total: 1 },
    { core: 3, busy: 1 + 2 + 3 + 6 + 7 + 8, total: 1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 },
  ]);
  assert.throws(() => parseProcStat('cpu0 1 x 3 4\n'), /cannot read line "cpu0 1 x 3 4"/);
});

test('parseTaskStat: comm may hold spaces and parentheses', () => {
  const t = parseTaskStat(taskLine(4321, 'my (odd) name', 250, 50, 1));
  assert.deepEqual(t, { tid: 4321, comm: 'my (odd) name', cpuTicks: 300, processor: 1 });
  assert.throws(() => parseTaskStat('4321 node S 1 2'), /no "\(comm\)"/);
  assert.throws(() => parseTaskStat('4321 (node) S 1 2'), /field 14 missing/);
});

test('sampleCores: busy share of the interval per core, 0 on the first sample', () => {
  let text = STAT_1;
  const clock = new ManualClock();
  const s = new CpuSampler({ clock, readText: () => text });
  const first = s.sampleCores();
  assert.deepEqual(first.busyBp, [0, 0]);
  text = STAT_2;
  clock.advance(500);
  const out = { sampledNs: 0, busyBp: [9, 9, 9, 9] };
  const second = s.sampleCores(out);
  assert.equal(second, out, 'fills the object it is given');
  assert.deepEqual(second.busyBp, [6667, 0], 'cpu0: 400 busy of 600 ticks; cpu1: 0 of 1000');
  assert.equal(second.sampledNs, clock.nowNs());
});

test('sampleThreads: CPU ticks over the interval at USER_HZ, the names given, exited threads left out', () => {
  const files = new Map<string, string>([
    ['/proc/self/task/11/stat', taskLine(11, 'node', 250, 50, 1)],
    ['/proc/self/task/12/stat', taskLine(12, 'node', 0, 0, 0)],
  ]);
  const clock = new ManualClock();
  const readText = (p: string): string => {
    const t = files.get(p);
    if (t === undefined) throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
    return t;
  };
  const s = new CpuSampler({ clock, readText, listTasks: () => [11, 12], ticksPerSecond: 100 });
  const named = [{ tid: 11, name: 'oracle' }, { tid: 12, name: 'sonar' }, { tid: 13, name: 'gone' }];
  assert.deepEqual(s.sampleThreads(named), [{ tid: 11, name: 'oracle', cpu: 1, busyBp: 0 }, { tid: 12, name: 'sonar', cpu: 0, busyBp: 0 }]);
  clock.advance(1000);
  files.set('/proc/self/task/11/stat', taskLine(11, 'node', 320, 60, 0));
  files.set('/proc/self/task/12/stat', taskLine(12, 'node', 5, 0, 1));
  assert.deepEqual(s.sampleThreads(named), [
    { tid: 11, name: 'oracle', cpu: 0, busyBp: 8000 }, // 80 ticks in 1 s at 100 Hz
    { tid: 12, name: 'sonar', cpu: 1, busyBp: 500 },
  ]);
  assert.deepEqual(s.sampleThreads().map((t) => [t.tid, t.name]), [[11, 'node'], [12, 'node']], 'no list: every thread, kernel names');
});

test('against this machine\'s /proc: one figure per core, and this thread listed', () => {
  const s = new CpuSampler({ clock: liveClock });
  s.sampleCores();
  const cores = s.sampleCores();
  assert.ok(cores.busyBp.length >= 1);
  for (const bp of cores.busyBp) assert.ok(bp >= 0 && bp <= 10000, String(bp));
  const threads = s.sampleThreads();
  assert.ok(threads.some((t) => t.tid === process.pid), 'the main thread (tid = pid) is one of them');
});

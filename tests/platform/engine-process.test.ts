// The engine as a child process (host/platform/engine-process.ts): V8's --trace-gc lines counted per
// isolate and kind, a process's resident set, and the process contract against a stand-in engine
// (tests/testkit/workers/fake-engine.ts): ready line, stop by SIGTERM with the stopped line, an engine
// that refuses to start, one that hangs, one that ignores SIGTERM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { countGcLine, rssBytesOf, startEngine } from '../../host/platform/engine-process.js';

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

const FAKE = fileURLToPath(new URL('../testkit/workers/fake-engine.js', import.meta.url));

test('startEngine: passes config and venue ports, waits for the ready line, stop() sends SIGTERM and returns the stopped line', async (t) => {
  const logged: string[] = [];
  const cwd = tmpdir();
  const engine = await startEngine({
    configFile: '/x/engine.toml', oePort: 4001, mdPort: 4002, engineJs: FAKE, env: { FAKE_ENGINE: 'ready' }, cwd,
    onStderr: (s) => logged.push(s),
  });
  assert.deepEqual(engine.ready['argv'], ['--config', '/x/engine.toml', '--venue-oe', '4001', '--venue-md', '4002']);
  assert.equal(engine.ready['cwd'], realpathSync(cwd));
  assert.equal(engine.ready['pid'], engine.pid);
  assert.ok(engine.alive());
  assert.ok(engine.rssBytes() > 0);
  t.after(() => void engine.stop(0));
  // Its stdout's non-JSON lines are read as --trace-gc lines.
  assert.deepEqual(engine.gcCounts(), { 'isolate-1': { scavenges: 1, mark_sweeps: 0 } });
  const stopped = await engine.stop();
  assert.deepEqual(stopped, { engine: 'stopped', code: 0, reason: 'SIGTERM' });
  assert.equal(await engine.exited, 0);
  assert.ok(!engine.alive());
  assert.equal(engine.rssBytes(), 0);
  assert.match(logged.join(''), /"msg":"engine ready"[\s\S]*"msg":"stopping"/);
  assert.match(engine.stderrText(), /"msg":"stopping"/);
  assert.equal(await engine.stop(), stopped, 'a second stop() answers at once with the same line');
});

test('startEngine: an engine that exits before ready rejects with its exit code and stderr', async () => {
  await assert.rejects(
    startEngine({ configFile: 'c.toml', oePort: 1, mdPort: 2, engineJs: FAKE, env: { FAKE_ENGINE: 'refuse' } }),
    /engine not ready \(it exited with code 2\); stderr:\nengine: execution\.strategy\.threshold must be/,
  );
});

test('startEngine: no ready line within the timeout → killed and rejected', async () => {
  const t0 = Date.now();
  await assert.rejects(
    startEngine({ configFile: 'c.toml', oePort: 1, mdPort: 2, engineJs: FAKE, env: { FAKE_ENGINE: 'silent' }, readyTimeoutMs: 300 }),
    /engine not ready \(none within 300 ms\)/,
  );
  assert.ok(Date.now() - t0 < 5000);
});

test('stop(): an engine that ignores SIGTERM is killed after the grace period; no stopped line', async (t) => {
  const engine = await startEngine({ configFile: 'c.toml', oePort: 1, mdPort: 2, engineJs: FAKE, env: { FAKE_ENGINE: 'stubborn' } });
  t.after(() => void engine.stop(0));
  const t0 = Date.now();
  assert.equal(await engine.stop(300), null);
  assert.ok(Date.now() - t0 >= 290, 'it had its grace period');
  assert.equal(await engine.exited, null, 'ended by a signal');
  assert.ok(!engine.alive());
});

test('startEngine detached: the engine leads a process group of its own', async () => {
  const engine = await startEngine({ configFile: 'c.toml', oePort: 1, mdPort: 2, engineJs: FAKE, env: { FAKE_ENGINE: 'ready' }, detached: true });
  try {
    const stat = readFileSync(`/proc/${engine.pid}/stat`, 'utf8');
    // Fields after the command's closing paren: state, ppid, pgrp.
    const pgrp = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
    assert.equal(pgrp, engine.pid);
  } finally {
    await engine.stop();
  }
});

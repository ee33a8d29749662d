// `npm run monitor` as its own process: finds the engine through the engine config, prints one listening line,
// pins itself with --cpus, stops on SIGTERM; bad arguments and a bad config are refused naming what is wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unlinkShared } from '../../host/platform/native.js';
import { startMonitor } from '../../host/platform/monitor-process.js';
import { ensureControlToken } from '../../host/telemetry/index.js';
import { runCli } from '../testkit/cli.js';
import { fakeEngine } from '../testkit/fake-engine.js';
import { threadsOf } from '../testkit/process-threads.js';

test('the monitor process reads the engine named in the config, pins itself, and stops on SIGTERM', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tradecore-monitor-proc-'));
  const segment = `/tradecore-monitor-proc-${process.pid}`;
  const engine = fakeEngine(segment, ensureControlToken(join(dir, 'ctl')));
  t.after(() => {
    engine.stop();
    unlinkShared(segment);
    rmSync(dir, { recursive: true, force: true });
  });
  const config = join(dir, 'engine.toml');
  writeFileSync(config, `[engine]\nsymbols = ["INFY"]\nsegment = "${segment}"\njournal = "${join(dir, 'j')}"\ncontrolDir = "${join(dir, 'ctl')}"\n`);
  const m = await startMonitor({ configFile: config, port: 0, cpus: [1] });
  try {
    assert.match(m.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.equal(m.ready['engine'], 'up');
    const state = await (await fetch(`${m.url}api/state`)).json() as { link: { status: string; pid: number }; symbols: string[] };
    assert.equal(state.link.status, 'up');
    assert.equal(state.link.pid, process.pid);
    assert.deepEqual(state.symbols, ['INFY']);
    const status = readFileSync(`/proc/${m.pid}/task/${m.pid}/status`, 'utf8');
    assert.match(status, /^Cpus_allowed_list:\s+1$/m, 'the main thread pinned with --cpus 1');
    const threads = threadsOf(m.pid);
    assert.ok(threads.length >= 5, 'V8 helpers and the frame builder are threads too');
    for (const th of threads) assert.equal(th.cpus, '1', `monitor thread ${th.tid} (${th.name}) pinned with --cpus 1 too`);
    assert.ok(Number(m.ready['threadsPinned']) >= 2, `the ready line counts the threads pinned at start (${m.ready['threadsPinned']})`);
    // Beside the kill watcher (CPU 1 in the shipped config) the main thread runs real-time, one below the watcher;
    // every other thread stays ordinary, those started since included (libuv's threadpool serves the cockpit).
    assert.equal(m.ready['controlSpinMs'], 0);
    assert.equal((await fetch(m.url)).status, 200);
    assert.equal((await fetch(`${m.url}metrics`)).status, 200);
    const priority = Number(m.ready['priority']);
    for (const th of threadsOf(m.pid)) {
      const main = th.tid === m.pid;
      assert.equal(th.policy, main && priority > 0 ? 1 : 0, `thread ${th.tid} (${th.name}) policy`);
      assert.equal(th.rtPriority, main ? priority : 0, `thread ${th.tid} (${th.name}) real-time priority`);
    }
    if (process.getuid?.() === 0) assert.equal(priority, 9, 'as root: one below the kill watcher\'s shipped 10');
  } finally {
    await m.stop();
  }
  assert.equal(await m.exited, 0);
});

test('bad arguments and a bad config exit 2 naming the problem', async () => {
  const port = await runCli('monitor/server', ['--port', '70000']);
  assert.equal(port.code, 2);
  assert.match(port.stderr, /--port must be an integer in \[0, 65535\], got "70000"/);
  const cpus = await runCli('monitor/server', ['--cpus', 'x']);
  assert.equal(cpus.code, 2);
  assert.match(cpus.stderr, /--cpus must list CPU numbers/);
  const dir = mkdtempSync(join(tmpdir(), 'tradecore-monitor-bad-'));
  try {
    writeFileSync(join(dir, 'engine.toml'), '[engine]\ntelemetryHz = 0\n');
    const bad = await runCli('monitor/server', ['--config', join(dir, 'engine.toml')]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /engine\.telemetryHz/);
    const missing = await runCli('monitor/server', ['--config', join(dir, 'none.toml')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no such file|ENOENT/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const help = await runCli('monitor/server', ['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^usage: monitor/);
});

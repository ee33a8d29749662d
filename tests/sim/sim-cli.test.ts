// npm run sim: exit 2 naming the argument and its range on a bad argument; one JSON summary on a short run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { runCli } from '../testkit/cli.js';
import { ENGINE_TOML } from './sim-setup.js';

const CONFIG = fileURLToPath(ENGINE_TOML);

test('sim: bad arguments exit 2 naming the argument and the allowed range', async () => {
  const cases: [string[], RegExp][] = [
    [['--seed', '1'], /--config is required/],
    [['--config', CONFIG, '--seed', '-1'], /seed must be an integer in \[0, 4294967295\], got -1/],
    [['--config', CONFIG, '--duration', '2d'], /duration must be a whole number of ms in \[1, 86400000\].*got "2d"/],
    [['--config', CONFIG, '--info', '-0.5'], /info must be a number in \[0, 100\], got -0.5/],
    [['--config', CONFIG, '--latency-ms', 'x'], /--latency-ms must be a number, got "x"/],
    [['--config', CONFIG, '--scenario', 'nasdaq'], /scenario must be one of synthetic/],
    [['--config', CONFIG, '--nope'], /Unknown option '--nope'/],
  ];
  for (const [args, message] of cases) {
    const run = await runCli('sim', args);
    assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
    assert.match(run.stderr, message);
    assert.match(run.stderr, /usage: sim --config/);
    assert.equal(run.stdout, '');
  }
});

test('sim: a short run prints one JSON summary', async () => {
  const run = await runCli('sim', ['--config', CONFIG, '--seed', '3', '--duration', '20s', '--latency-ms', '2']);
  assert.equal(run.code, 0, run.stderr);
  const lines = run.stdout.trim().split('\n');
  assert.equal(lines.length, 1);
  const s = JSON.parse(lines[0]!);
  assert.equal(s.seed, 3);
  assert.equal(s.durationMs, 20_000);
  assert.equal(s.latencyMs, 2);
  assert.match(s.traceHash, /^[0-9a-f]{16}$/);
  for (const k of ['stt', 'exchange', 'sebi', 'stamp', 'gst', 'brokerage', 'otrPenalty', 'total']) {
    assert.equal(typeof s.chargesPaise[k], 'number', k);
  }
  const c = s.chargesPaise;
  assert.equal(c.total, c.stt + c.exchange + c.sebi + c.stamp + c.gst + c.brokerage + c.otrPenalty);
  assert.equal(s.pnlAfterCostsPaise, s.pnlBeforeCostsPaise - c.total, 'after costs = before − every charge');
  assert.equal(s.equitySamples, 20, 'one sample a second');
  assert.ok(s.events > 1000);
  assert.equal(run.stderr, '', 'no progress bar when stderr is not a terminal');
});

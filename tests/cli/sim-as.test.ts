// `npm run sim:as` as a child process: one JSON object whose figures are the paper's procedure re-implemented
// (tests/testkit/avellaneda-stoikov-reference.ts) on the same seed; exit 2 naming a bad argument; no progress
// bar when stderr is not a terminal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../testkit/cli.js';
import { PAPER, refMeanStd, refSimulate, refSpread } from '../testkit/avellaneda-stoikov-reference.js';

function close(a: number, b: number, what: string): void {
  assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);
}

test('prints the parameters and both strategies\' figures, equal to the reference on the same seed', async () => {
  const r = await runCli('sim-as', ['--gamma', '0.1', '--paths', '300', '--seed', '9']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '', 'no progress bar when stderr is not a terminal');
  assert.equal(r.stdout.trim().split('\n').length, 1);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(out.parameters, { gamma: 0.1, sigma: 2, k: 1.5, A: 140, T: 1, dt: 0.005, s0: 100, steps: 200, paths: 300, seed: 9 });
  const ref = refSimulate({ gamma: 0.1, ...PAPER }, 300, 9);
  let spread = 0;
  for (let i = 0; i < 200; i++) spread += refSpread(0.1, 2, 1 - i * 0.005, 1.5) / 200;
  for (const side of ['inventory', 'symmetric'] as const) {
    const p = refMeanStd(ref.map((x) => (side === 'inventory' ? x.inventoryProfit : x.symmetricProfit)));
    const q = refMeanStd(ref.map((x) => (side === 'inventory' ? x.inventoryQ : x.symmetricQ)));
    assert.deepEqual(Object.keys(out[side]), ['mean_spread', 'profit_mean', 'profit_std', 'final_q_mean', 'final_q_std']);
    close(out[side].mean_spread, spread, `${side} mean spread`);
    close(out[side].profit_mean, p.mean, `${side} mean profit`);
    close(out[side].profit_std, p.std, `${side} std(profit)`);
    close(out[side].final_q_mean, q.mean, `${side} mean q`);
    close(out[side].final_q_std, q.std, `${side} std(q)`);
  }
});

test('the optional model parameters reach the simulation; the same seed prints the same output', async () => {
  const args = ['--gamma', '0.5', '--paths', '40', '--seed', '3', '--sigma', '1', '--k', '2', '--A', '100', '--T', '2', '--dt', '0.01', '--s0', '50'];
  const [a, b] = await Promise.all([runCli('sim-as', args), runCli('sim-as', args)]);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(a.stdout, b.stdout);
  const out = JSON.parse(a.stdout);
  assert.equal(out.parameters.steps, 200);
  const ref = refSimulate({ gamma: 0.5, sigma: 1, k: 2, A: 100, T: 2, dt: 0.01, s0: 50 }, 40, 3);
  close(out.inventory.profit_mean, refMeanStd(ref.map((x) => x.inventoryProfit)).mean, 'inventory mean profit');
  close(out.symmetric.final_q_std, refMeanStd(ref.map((x) => x.symmetricQ)).std, 'symmetric std(q)');
  const other = await runCli('sim-as', [...args.slice(0, 4), '--seed', '4', ...args.slice(6)]);
  assert.notEqual(JSON.parse(other.stdout).inventory.profit_mean, out.inventory.profit_mean);
});

test('exit 2 with a usage line naming the bad argument', async () => {
  const cases: [string[], RegExp][] = [
    [[], /--gamma is required/],
    [['--gamma', '0'], /--gamma must be a number in \(0, 1000\], got 0/],
    [['--gamma', 'abc'], /--gamma must be a number, got "abc"/],
    [['--gamma', '0.1', '--paths', '0'], /--paths must be an integer in \[1, 1000000\], got "0"/],
    [['--gamma', '0.1', '--paths', '2.5'], /--paths must be an integer/],
    [['--gamma', '0.1', '--seed', '-1'], /--seed must be an integer in \[0, 4294967295\], got "-1"/],
    [['--gamma', '0.1', '--dt', '0.003'], /--dt must be a step dividing T = 1 into a whole number of steps/],
    [['--gamma', '0.1', '--k', '-1'], /--k must be a number in \(0, 1000000\], got -1/],
    [['--gamma', '0.1', '--sigma', 'x'], /--sigma must be a number, got "x"/],
    [['--gamma', '0.1', '--bogus', '1'], /Unknown option '--bogus'/],
  ];
  for (const [args, message] of cases) {
    const r = await runCli('sim-as', args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, message, args.join(' '));
    assert.match(r.stderr, /usage: sim:as --gamma G/);
  }
});

test('--help prints the usage and exits 0', async () => {
  const r = await runCli('sim-as', ['--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^usage: sim:as --gamma G/);
});

// Honesty: nothing in the simulator leaks the future. With the information knob at 0 the default strategy's mean
// P&L after costs over 30 seeds is not significantly positive (one-sided t-test at 5 %); with the knob up the
// book does carry information about the next moves (the flow's hidden drift), and the strategy's P&L before
// costs over the same seeds is compared with the knob-off runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulate } from './sim-setup.js';

const SEEDS = Array.from({ length: 30 }, (_, i) => i + 1);
const DURATION_MS = 120_000;
/** One-sided 5 % critical value of Student's t with 29 degrees of freedom. */
const T_CRIT_29 = 1.699;

function tStatistic(xs: readonly number[]): { mean: number; t: number } {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1));
  return { mean, t: sd > 0 ? mean / (sd / Math.sqrt(n)) : mean > 0 ? Infinity : mean < 0 ? -Infinity : 0 };
}

test('info = 0: the default strategy earns nothing significant after costs over 30 seeds', async () => {
  const pnl: number[] = [];
  for (const seed of SEEDS) pnl.push((await simulate({ seed, durationMs: DURATION_MS, info: 0 })).pnlAfterCostsPaise);
  const { mean, t } = tStatistic(pnl);
  assert.ok(t < T_CRIT_29, `mean P&L after costs ${mean.toFixed(1)} paise, t = ${t.toFixed(3)} ≥ ${T_CRIT_29}: significantly positive`);
});

test('info up: the default strategy\'s mean P&L before costs is positive', {
  todo: 'the book does lead the fair value (sim-information.test.ts), but the flow\'s takers know the fair value now and ' +
    'trade against a resting quote only once it has moved through it, so every passive fill of the WOBI quoter is ' +
    'adversely selected (info 1: entries 0.97 ticks, exits 1.72 ticks worse than the fair value); the knob also raises ' +
    'the fair value\'s volatility. No variant tried (thresholds, ttl, reprice, inside the touch, exit held, volatility ' +
    'held) is significantly positive before costs: docs/sim.md has the figures',
}, async () => {
  const pnl: number[] = [];
  for (const seed of SEEDS.slice(0, 10)) pnl.push((await simulate({ seed, durationMs: DURATION_MS, info: 1 })).pnlBeforeCostsPaise);
  const { mean, t } = tStatistic(pnl);
  assert.ok(mean > 0, `mean P&L before costs with info = 1: ${mean.toFixed(1)} paise (t = ${t.toFixed(3)})`);
});

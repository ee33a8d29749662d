// Honesty: nothing in the simulator leaks the future. With the information knob at 0 the default strategy's mean
// P&L after costs over 30 seeds is not significantly positive (one-sided t-test at 5 %); with the knob up the
// book does carry information about the next moves (the flow's hidden drift), and the strategy's P&L before costs
// is significantly positive, and significantly above its P&L with the knob at 0 on the same seeds (a paired
// one-sided t-test): the gain is the knob's, not only the spread the flow's noise takers pay every quoter
// (docs/sim.md, "Noise takers").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulate } from './sim-setup.js';
import type { SimSummary } from '../../host/sim/sim-summary.js';

const SEEDS_OFF = 30;
/** The knob-up half compares two means a few tens of paise apart: 60 seeds (docs/sim.md has the 100-seed table). */
const SEEDS_UP = 60;
const INFO_UP = 1;
const DURATION_MS = 120_000;
/** One-sided 5 % critical values of Student's t with 29 and 59 degrees of freedom. */
const T_CRIT_29 = 1.699;
const T_CRIT_59 = 1.671;

function tStatistic(xs: readonly number[]): { mean: number; t: number } {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1));
  return { mean, t: sd > 0 ? mean / (sd / Math.sqrt(n)) : mean > 0 ? Infinity : mean < 0 ? -Infinity : 0 };
}

/** Seeds 1..n at `info`, each run once for both tests. */
const runs = new Map<number, SimSummary[]>();
async function summaries(info: number, n: number): Promise<SimSummary[]> {
  const done = runs.get(info) ?? [];
  for (let seed = done.length + 1; seed <= n; seed++) done.push(await simulate({ seed, durationMs: DURATION_MS, info }));
  runs.set(info, done);
  return done.slice(0, n);
}

test('info = 0: the default strategy earns nothing significant after costs over 30 seeds', async () => {
  const pnl = (await summaries(0, SEEDS_OFF)).map((s) => s.pnlAfterCostsPaise);
  const { mean, t } = tStatistic(pnl);
  assert.ok(t < T_CRIT_29, `mean P&L after costs ${mean.toFixed(1)} paise, t = ${t.toFixed(3)} ≥ ${T_CRIT_29}: significantly positive`);
});

test('info up: the default strategy\'s mean P&L before costs is positive, and above its knob-off P&L', async (t) => {
  const up = (await summaries(INFO_UP, SEEDS_UP)).map((s) => s.pnlBeforeCostsPaise);
  const off = (await summaries(0, SEEDS_UP)).map((s) => s.pnlBeforeCostsPaise);
  const a = tStatistic(up);
  const gain = tStatistic(up.map((x, i) => x - off[i]!));
  t.diagnostic(`info ${INFO_UP}: mean before costs ${a.mean.toFixed(1)} paise (t ${a.t.toFixed(2)}); ` +
    `over info 0 on the same seeds ${gain.mean.toFixed(1)} (paired t ${gain.t.toFixed(2)})`);
  assert.ok(a.t > T_CRIT_59, `mean P&L before costs with info = ${INFO_UP}: ${a.mean.toFixed(1)} paise, t = ${a.t.toFixed(3)} ≤ ${T_CRIT_59}`);
  assert.ok(gain.t > T_CRIT_59,
    `the knob adds ${gain.mean.toFixed(1)} paise before costs per run over info 0, paired t = ${gain.t.toFixed(3)} ≤ ${T_CRIT_59}`);
});

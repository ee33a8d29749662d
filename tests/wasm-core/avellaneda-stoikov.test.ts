// The Avellaneda–Stoikov core (wasm-core/avellaneda-stoikov.ts) against a plain TypeScript reference written
// from the paper (tests/testkit/avellaneda-stoikov-reference.ts): the formulas on 10 000 seeded cases, the tick
// quotes' rounding and their never crossing the mid, and the simulation path by path on the same uniforms.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rng, testCore } from '../testkit/core.js';
import { PAPER, refReservation, refSimulate, refSpread } from '../testkit/avellaneda-stoikov-reference.js';
import { AsStatus } from '../../build/core-constants.js';
import {
  AsRefused, checkModel, PATHS_PER_CHUNK, quoteTicks, simulate,
} from '../../host/modules/avellaneda-stoikov.js';
import { ConfigError } from '../../host/config/config-error.js';

const STATE = 65536;
const OUT = STATE + 128;

function close(a: number, b: number, what: string, rel = 1e-9): void {
  assert.ok(Math.abs(a - b) <= rel * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);
}

/** The integers an exact rounding of `x` may give when x is within float noise of an integer. */
function roundings(x: number, round: (v: number) => number): number[] {
  const near = Math.round(x);
  return Math.abs(x - near) < 1e-7 ? [near, round(x)] : [round(x)];
}

test('reservation price and optimal spread follow the formulas on 10 000 seeded cases', async () => {
  const { core } = await testCore();
  const r = rng(2008);
  for (let i = 0; i < 10_000; i++) {
    const s = 1 + r() * 10_000, q = Math.round((r() - 0.5) * 200), gamma = 10 ** (r() * 5 - 3);
    const sigma = r() * 5, tau = r() * 2, k = 0.05 + r() * 10;
    close(core.asReservationPrice(s, q, gamma, sigma, tau), refReservation(s, q, gamma, sigma, tau), `r case ${i}`);
    close(core.asOptimalSpread(gamma, sigma, tau, k), refSpread(gamma, sigma, tau, k), `spread case ${i}`);
  }
});

test('hand-worked: s = 100, q = 2, γ = 0.1, σ = 2, T − t = 0.5, k = 1.5', async () => {
  const { core } = await testCore();
  // r = 100 − 2·0.1·4·0.5 = 100 − 0.4 = 99.6
  close(core.asReservationPrice(100, 2, 0.1, 2, 0.5), 99.6, 'r', 1e-12);
  // spread = 0.1·4·0.5 + (2/0.1)·ln(1 + 0.1/1.5) = 0.2 + 20·0.06453852113757118 = 1.4907704227514236
  close(core.asOptimalSpread(0.1, 2, 0.5, 1.5), 1.4907704227514236, 'spread', 1e-12);
  // In ticks of 0.05 with the mid at 2000 ticks (100.00): r = 2000 − 0.4/0.05 = 1992 ticks, half spread =
  // 1.49077/0.1 = 14.9077 ticks, so bid = floor(1977.092) = 1977 (98.85) and ask = ceil(2006.908) = 2007 (100.35).
  const req = { midTicks: 2000, tick: 0.05, q: 2, timeLeft: 0.5, gamma: 0.1, sigma: 2, k: 1.5 };
  assert.deepEqual(quoteTicks(core, OUT, req), { bidTicks: 1977, askTicks: 2007 });
  // Short 100 lots at T − t = 1: r = 100 + 100·0.4 = 140 (2800 ticks), far above the mid; the formula's bid,
  // floor(2800 − 16.9) = 2783, would cross the mid and is held one tick below it (1999); the ask is 2817.
  assert.deepEqual(quoteTicks(core, OUT, { ...req, q: -100, timeLeft: 1 }), { bidTicks: 1999, askTicks: 2817 });
  // Long 100 000 lots: r = 100 − 40 000 < 0, no bid of at least one tick exists.
  assert.throws(() => quoteTicks(core, OUT, { ...req, q: 100_000, timeLeft: 1 }), (e: unknown) =>
    e instanceof AsRefused && e.status === AsStatus.OUT_OF_RANGE);
});

test('tick quotes: rounded away from the mid, never crossing it, on 10 000 seeded cases', async () => {
  const { core, memory } = await testCore();
  const r = rng(217);
  let clamped = 0;
  for (let i = 0; i < 10_000; i++) {
    const tick = [0.01, 0.05, 0.5, 1, 5][i % 5]!;
    // |q|·γ·σ²·(T − t) ≤ 200·1·4·1 = 800 price units, 80 000 ticks of 0.01: the bid stays above one tick.
    const mid = 100_000 + Math.floor(r() * 1_000_000), q = Math.round((r() - 0.5) * 400);
    const gamma = 10 ** (r() * 3 - 3), sigma = r() * 2, tau = r(), k = 0.1 + r() * 5;
    assert.equal(core.asQuoteTicks(OUT, BigInt(mid), tick, BigInt(q), tau, gamma, sigma, k), AsStatus.OK, `case ${i}`);
    const view = new DataView(memory.buffer, OUT, 16);
    const bid = Number(view.getBigInt64(0, true)), ask = Number(view.getBigInt64(8, true));
    // Reference in price units: r ± spread/2, then to ticks, rounded away from the mid and held off it.
    const res = refReservation(mid * tick, q, gamma, sigma, tau), half = refSpread(gamma, sigma, tau, k) / 2;
    const bids = roundings((res - half) / tick, Math.floor).map((b) => Math.min(b, mid - 1));
    const asks = roundings((res + half) / tick, Math.ceil).map((a) => Math.max(a, mid + 1));
    assert.ok(bids.includes(bid), `case ${i}: bid ${bid}, reference ${bids}`);
    assert.ok(asks.includes(ask), `case ${i}: ask ${ask}, reference ${asks}`);
    assert.ok(bid < mid && ask > mid, `case ${i}: ${bid} < ${mid} < ${ask}`);
    if (bid === mid - 1 && (res - half) / tick > mid - 1 || ask === mid + 1 && (res + half) / tick < mid + 1) clamped++;
  }
  assert.ok(clamped > 100, `the cases include inventories large enough to push a quote over the mid (${clamped})`);
});

test('bad quote parameters are refused by the core and named by the host', async () => {
  const { core } = await testCore();
  for (const [gamma, k, tick, sigma, tau] of [[0, 1.5, 0.05, 2, 1], [0.1, 0, 0.05, 2, 1], [0.1, 1.5, 0, 2, 1], [0.1, 1.5, 0.05, -1, 1], [0.1, 1.5, 0.05, 2, -0.1], [NaN, 1.5, 0.05, 2, 1], [0.1, Infinity, 0.05, 2, 1]] as const) {
    assert.equal(core.asQuoteTicks(OUT, 2000n, tick, 0n, tau, gamma, sigma, k), AsStatus.BAD_PARAMETER, `${[gamma, k, tick, sigma, tau]}`);
  }
  const req = { midTicks: 2000, tick: 0.05, q: 0, timeLeft: 1, gamma: 0.1, sigma: 2, k: 1.5 };
  assert.throws(() => quoteTicks(core, OUT, { ...req, gamma: 0 }), (e: unknown) => e instanceof ConfigError && e.key === 'gamma');
  assert.throws(() => quoteTicks(core, OUT, { ...req, midTicks: 1.5 }), (e: unknown) => e instanceof ConfigError && e.key === 'midTicks');
  assert.throws(() => checkModel({ gamma: 0.1, ...PAPER, dt: 0.003 }, '--'), (e: unknown) => e instanceof ConfigError && e.key === '--dt');
  assert.throws(() => checkModel({ gamma: 0.1, ...PAPER, k: -1 }), (e: unknown) => e instanceof ConfigError && e.key === 'k');
  assert.equal(core.asSimInit(STATE, 100, 2, 1, 0.003, 140, 1.5, 0.1, 1), AsStatus.BAD_STEPS);
  assert.equal(core.asSimInit(STATE, 100, 2, 1, 0.005, 140, 1.5, -0.1, 1), AsStatus.BAD_PARAMETER);
});

test('the simulation matches the paper procedure re-implemented, path by path, on the same uniforms', async () => {
  const { core } = await testCore();
  for (const gamma of [0.01, 0.1, 1, 3]) {
    for (const seed of [0, 1, 0xdeadbeef]) {
      const model = { gamma, ...PAPER };
      const run = simulate(core, { state: STATE, chunk: OUT }, model, 250, seed);
      const ref = refSimulate(model, 250, seed);
      ref.forEach((p, i) => {
        const what = `γ ${gamma} seed ${seed} path ${i}`;
        assert.equal(run.finalQ.inventory[i], p.inventoryQ, `${what} inventory q`);
        assert.equal(run.finalQ.symmetric[i], p.symmetricQ, `${what} symmetric q`);
        close(run.profits.inventory[i]!, p.inventoryProfit, `${what} inventory profit`);
        close(run.profits.symmetric[i]!, p.symmetricProfit, `${what} symmetric profit`);
      });
      // The paper's average spread: the formula over the 200 steps t = 0, dt, …, T − dt.
      let sum = 0;
      for (let i = 0; i < 200; i++) sum += refSpread(gamma, 2, 1 - i * 0.005, 1.5);
      close(run.meanSpread, sum / 200, `γ ${gamma} mean spread`);
    }
  }
});

test('same seed, same paths, however the paths are split into calls; another seed, other paths', async () => {
  const { core, memory } = await testCore();
  const model = { gamma: 0.1, ...PAPER };
  // 44 calls of 7 paths against the host's chunks of PATHS_PER_CHUNK: the boundaries never line up.
  const total = 44 * 7;
  assert.ok(total % PATHS_PER_CHUNK !== 0);
  const whole = simulate(core, { state: STATE, chunk: OUT }, model, total, 42);
  const again = simulate(core, { state: STATE, chunk: OUT }, model, total, 42);
  assert.deepEqual(again.profits.inventory, whole.profits.inventory);
  assert.equal(core.asSimInit(STATE, 100, 2, 1, 0.005, 140, 1.5, 0.1, 42), AsStatus.OK);
  for (let done = 0; done < total; done += 7) {
    assert.equal(core.asSimRun(STATE, OUT, 7), 7);
    const rec = new Float64Array(memory.buffer, OUT, 28);
    for (let i = 0; i < 7; i++) assert.equal(rec[i * 4], whole.profits.inventory[done + i], `path ${done + i}`);
  }
  assert.equal(core.asSimPathsRun(STATE), total);
  assert.equal(core.asSimRun(STATE, OUT, 0), 0);
  assert.equal(core.asSimRun(STATE, OUT, -5), 0);
  const other = simulate(core, { state: STATE, chunk: OUT }, model, 50, 43);
  assert.notDeepEqual(other.profits.inventory, whole.profits.inventory.slice(0, 50));
});

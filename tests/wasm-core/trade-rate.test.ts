// The recursive trade-rate estimate against its closed form λ(t) = Σ qᵢ·k·e^(−k(t − tᵢ)), k = ln 2 / half-life.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rng, testCore } from '../testkit/core.js';
import { initTradeRate } from '../../host/modules/trade-rate.js';

const STATE = 65536;
const close = (a: number, b: number, what: string) =>
  assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

test('matches the closed-form sum on 10 000 seeded random trade sequences', async () => {
  const { core } = await testCore();
  const r = rng(7);
  for (let seq = 0; seq < 10_000; seq++) {
    const halfLifeMs = 50 + r() * 5000;
    initTradeRate(core, STATE, halfLifeMs);
    const k = Math.LN2 / Math.round(halfLifeMs * 1e6); // the host passes whole nanoseconds
    const trades: [number, number][] = [];
    let t = 1e12 + Math.floor(r() * 1e12);
    for (let i = 0, n = 1 + Math.floor(r() * 12); i < n; i++) {
      t += Math.floor(r() * 2e9);
      const q = 1 + Math.floor(r() * 1000);
      trades.push([t, q]);
      core.tradeRateOnTrade(STATE, BigInt(q), BigInt(t));
    }
    const at = t + Math.floor(r() * 3e9);
    const expected = trades.reduce((sum, [ti, qi]) => sum + qi * k * 1e9 * Math.exp(-k * (at - ti)), 0);
    close(core.tradeRatePerSecond(STATE, BigInt(at)), expected, `sequence ${seq}`);
  }
});

test('a steady 200 lots/s settles at 200 and halves after one half-life of silence', async () => {
  const { core } = await testCore();
  initTradeRate(core, STATE, 1000);
  // 10 lots every 50 ms = 200 lots/s, for 20 s (20 half-lives).
  let t = 0n;
  for (let i = 0; i < 400; i++) { t += 50_000_000n; core.tradeRateOnTrade(STATE, 10n, t); }
  const settled = core.tradeRatePerSecond(STATE, t + 25_000_000n); // mid-way between trades
  assert.ok(Math.abs(settled - 200) < 2, `settled at ${settled}`);
  const later = core.tradeRatePerSecond(STATE, t + 25_000_000n + 1_000_000_000n);
  close(later, settled / 2, 'one half-life later');
  assert.equal(core.tradeRatePerSecond(STATE, t - 1_000_000_000n), core.tradeRatePerSecond(STATE, t), 'a clock going back decays nothing');
});

test('a half-life outside (0, 1 day] is refused naming the key', async () => {
  const { core } = await testCore();
  assert.throws(() => initTradeRate(core, STATE, 0), /nev\.tradeRateHalfLifeMs must be a number in \(0, 86400000\], got 0/);
  assert.throws(() => initTradeRate(core, STATE, -5), /nev\.tradeRateHalfLifeMs/);
});

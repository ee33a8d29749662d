// NEV = P(fill) × (edge − round-trip costs) − E[OTR penalty], checked against the formula written
// out here. Costs and marginal penalties come from the cost model and the OTR ledger (tested on their
// own); this pins down how NEV combines them and the fill-probability model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { rng, testCore } from '../testkit/core.js';
import { loadCostProfiles, pickProfileVersion, roundTripCosts, writeCostProfile } from '../../host/modules/cost-model.js';
import { dayNumber, initOtrLedger } from '../../host/modules/otr-ledger.js';
import { evaluateNev, NEV_OUT_BYTES } from '../../host/modules/nev.js';

const COST = 65536;
const LEDGER = COST + 1024;
const OUT = LEDGER + 1024;
const SCRATCH = OUT + 1024;
const close = (a: number, b: number, what: string) =>
  assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

async function setup(profile = 'cash_intraday') {
  const t = await testCore();
  const profiles = loadCostProfiles(await readFile(new URL('../../../config/costs.toml', import.meta.url), 'utf8'));
  writeCostProfile(t.core, COST, pickProfileVersion(profiles, profile, '2024-11-01'));
  initOtrLedger(t.core, LEDGER, { segment: 'cash', tickPaise: 5 });
  return t;
}

test('agrees with the formula on 10 000 seeded random candidates and ledger states', async () => {
  const { core } = await setup();
  const regions = { out: OUT, scratch: SCRATCH, costState: COST, ledgerState: LEDGER };
  const r = rng(11);
  const day = dayNumber('2024-11-01');
  for (let i = 0; i < 10_000; i++) {
    if (i % 100 === 0) initOtrLedger(core, LEDGER, { segment: 'cash', tickPaise: 5 });
    // Move the ledger somewhere random: far-from-LTP (counted) orders and some trades.
    for (let k = Math.floor(r() * 30); k > 0; k--) core.otrOnNew(LEDGER, day, 1000, 2000);
    if (r() < 0.3) core.otrOnTrade(LEDGER, day);
    const side = r() < 0.5 ? 'buy' : 'sell';
    const priceTicks = 20_000 + Math.floor(r() * 60_000); // ₹1,000–₹4,000 at 5 paise a tick
    const qty = 1 + Math.floor(r() * 500);
    const fairTicks = priceTicks + (r() - 0.5) * 20;
    const queueAhead = Math.floor(r() * 5000);
    const tradeRatePerSec = r() < 0.1 ? 0 : r() * 50_000;
    const horizonMs = 50 + r() * 950;
    const counted = r() < 0.8;
    const got = evaluateNev(core, regions, { side, priceTicks, qty, fairTicks, queueAhead, tradeRatePerSec, horizonMs, tickPaise: 5, counted });

    const expectedVolume = tradeRatePerSec * Math.round(horizonMs * 1e6) / 1e9;
    const p = expectedVolume > 0 ? Math.exp(-(queueAhead + qty) / expectedVolume) : 0;
    const edge = (side === 'buy' ? fairTicks - priceTicks : priceTicks - fairTicks) * 5 * qty;
    const cost = roundTripCosts(core, COST, SCRATCH, side === 'buy' ? 0 : 1, BigInt(priceTicks * 5), BigInt(Math.round(fairTicks) * 5), BigInt(qty)).total_paise;
    const ifFilled = Number(core.otrMarginalPenaltyPaise(LEDGER, 1, 1));
    const ifCancelled = Number(core.otrMarginalPenaltyPaise(LEDGER, 2, 0));
    const penalty = counted ? p * ifFilled + (1 - p) * ifCancelled : 0;
    close(got.fill_probability, p, `P at ${i}`);
    close(got.edge_paise, edge, `edge at ${i}`);
    assert.equal(got.cost_paise, cost, `cost at ${i}`);
    close(got.otr_penalty_paise, penalty, `penalty at ${i}`);
    close(got.nev_paise, p * (edge - cost) - penalty, `NEV at ${i}`);
  }
});

test('hand-worked: buy 100 at ₹2,500.00 with fair ₹2,500.50, queue 400, 3000 lots/s, 200 ms', async () => {
  const { core } = await setup();
  // Ledger: 120 counted orders, 2 trades → OTR 60, slab 2 paise.
  const day = dayNumber('2024-11-01');
  for (let k = 0; k < 120; k++) core.otrOnNew(LEDGER, day, 1000, 2000);
  core.otrOnTrade(LEDGER, day);
  core.otrOnTrade(LEDGER, day);
  const got = evaluateNev(core, { out: OUT, scratch: SCRATCH, costState: COST, ledgerState: LEDGER }, {
    side: 'buy', priceTicks: 50_000, qty: 100, fairTicks: 50_010, queueAhead: 400,
    tradeRatePerSec: 3000, horizonMs: 200, tickPaise: 5, counted: true,
  });
  // Expected volume in 200 ms: 3000 × 0.2 = 600 lots; P = e^(−(400 + 100)/600) = e^(−5/6) = 0.434598…
  close(got.fill_probability, Math.exp(-5 / 6), 'P');
  // Edge: (50 010 − 50 000) ticks × 5 paise × 100 = 5 000 paise (₹50).
  close(got.edge_paise, 5000, 'edge');
  // Costs, intraday 2024-10-01 profile:
  //  buy 100 @ ₹2,500.00 (turnover 2,50,00,000 p): exchange 742.5→743, SEBI 25, stamp 0.003 % = 750,
  //    brokerage min(2000, 7500) = 2000, GST 18 % × 2768 = 498.24→498, STT 0 → 4 016 p
  //  sell 100 @ ₹2,500.50 (2,50,05,000 p): STT 0.025 % = 6251.25→6251, exchange 742.6485→743, SEBI 25.005→25,
  //    brokerage 2000, GST 18 % × 2768 = 498 → 9 517 p;  round trip 13 533 p
  assert.equal(got.cost_paise, 13_533);
  // OTR: filled → 121 counted / 3 trades = 40.3 → slab 0 → 0 paise, minus today's 240 → −240;
  //      cancelled → 122 / 2 = 61 → 2 paise × 122 = 244 → +4. E = P × (−240) + (1 − P) × 4.
  const p = Math.exp(-5 / 6);
  close(got.otr_penalty_paise, p * -240 + (1 - p) * 4, 'penalty');
  close(got.nev_paise, p * (5000 - 13_533) - (p * -240 + (1 - p) * 4), 'NEV');
  assert.ok(got.nev_paise < 0, 'a ₹0.50 edge on ₹2,500 does not pay for STT and brokerage');
});

test('nothing trading means no fill; bad candidates are refused', async () => {
  const { core } = await setup();
  const regions = { out: OUT, scratch: SCRATCH, costState: COST, ledgerState: LEDGER };
  const base = { side: 'sell' as const, priceTicks: 100, qty: 1, fairTicks: 90, queueAhead: 0, tradeRatePerSec: 0, tickPaise: 5, counted: false };
  const idle = evaluateNev(core, regions, base);
  assert.equal(idle.fill_probability, 0);
  assert.equal(idle.nev_paise, 0, 'no fill, not counted: nothing gained or paid');
  assert.throws(() => evaluateNev(core, regions, { ...base, qty: 0 }), /BAD_ORDER/);
  assert.throws(() => evaluateNev(core, regions, { ...base, horizonMs: 0 }), /execution\.ttlMs/);
  assert.equal(NEV_OUT_BYTES, core.nevOutBytes());
});

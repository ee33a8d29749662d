// The cost model against a reference written from docs/market-rules.md in BigInt rationals (not from the
// core's split arithmetic), on the shipped config/costs.toml; hand-worked contract-note examples; refusals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { rng, testCore } from '../testkit/core.js';
import { ConfigError, ConfigSyntaxError } from '../../host/config/config-error.js';
import {
  COST_OUT_BYTES, CostOut, CostStatus, RATE_SCALE, fillCosts, loadCostProfiles, pickProfileVersion,
  roundTripCosts, writeCostProfile, type CostBreakdown, type CostProfiles,
} from '../../host/modules/cost-model.js';
import { Side } from '../../host/model/vocabulary.js';

const { BUY, SELL } = Side;

const CONFIG_URL = new URL('../../../config/costs.toml', import.meta.url);
const STATE = 65536;
const OUT = STATE + 4096;

// ── reference, from MARKET_RULES.md ─────────────────────────────────────────────────────────────────────

interface RuleSet {
  readonly from: string;
  readonly sttBuy: string; readonly sttSell: string; readonly exchange: string; readonly sebi: string;
  readonly stampBuy: string; readonly gst: string; readonly brokerageFlatRupees: string; readonly brokeragePct: string;
}

// Percent figures as MARKET_RULES.md states them. Delivery brokerage ₹0: the typical discount broker the config documents.
const common = { sebi: '0.0001', gst: '18' };
const RULES: Record<string, RuleSet[]> = {
  cash_intraday: [{ from: '2024-10-01', sttBuy: '0', sttSell: '0.025', exchange: '0.00297', stampBuy: '0.003', brokerageFlatRupees: '20', brokeragePct: '0.03', ...common }],
  cash_delivery: [{ from: '2024-10-01', sttBuy: '0.1', sttSell: '0.1', exchange: '0.00297', stampBuy: '0.015', brokerageFlatRupees: '0', brokeragePct: '0', ...common }],
  futures: [
    { from: '2024-10-01', sttBuy: '0', sttSell: '0.02', exchange: '0.00173', stampBuy: '0.002', brokerageFlatRupees: '20', brokeragePct: '0.03', ...common },
    { from: '2026-04-01', sttBuy: '0', sttSell: '0.05', exchange: '0.00173', stampBuy: '0.002', brokerageFlatRupees: '20', brokeragePct: '0.03', ...common },
  ],
  options: [
    { from: '2024-10-01', sttBuy: '0', sttSell: '0.10', exchange: '0.03503', stampBuy: '0.003', brokerageFlatRupees: '20', brokeragePct: '0.03', ...common },
    { from: '2026-04-01', sttBuy: '0', sttSell: '0.15', exchange: '0.03503', stampBuy: '0.003', brokerageFlatRupees: '20', brokeragePct: '0.03', ...common },
  ],
};

/** "0.00297" percent → [297, 10^7]: the fraction of turnover as numerator and denominator. */
function percentFraction(pct: string): [bigint, bigint] {
  const [whole, frac = ''] = pct.split('.');
  return [BigInt(whole! + frac), 100n * 10n ** BigInt(frac.length)];
}

/** num / den rounded to the nearest integer, halves up (num, den > 0). */
const roundHalfUp = (num: bigint, den: bigint): bigint => (2n * num + den) / (2n * den);

function chargeOf(turnover: bigint, pct: string): bigint {
  const [n, d] = percentFraction(pct);
  return roundHalfUp(turnover * n, d);
}

interface RefCosts { stt: bigint; exchange: bigint; sebi: bigint; stamp: bigint; gst: bigint; brokerage: bigint; total: bigint; turnover: bigint }

function referenceFill(rules: RuleSet, side: Side, pricePaise: bigint, qty: bigint, sttRupee = false): RefCosts {
  const turnover = pricePaise * qty;
  const sttPct = side === BUY ? rules.sttBuy : rules.sttSell;
  let stt: bigint;
  if (sttRupee) {
    const [n, d] = percentFraction(sttPct);
    stt = roundHalfUp(turnover * n, d * 100n) * 100n;  // whole rupees, from the exact amount
  } else {
    stt = chargeOf(turnover, sttPct);
  }
  const exchange = chargeOf(turnover, rules.exchange);
  const sebi = chargeOf(turnover, rules.sebi);
  const stamp = side === BUY ? chargeOf(turnover, rules.stampBuy) : 0n;   // buyer only
  const flat = BigInt(rules.brokerageFlatRupees) * 100n;
  const pctBrokerage = chargeOf(turnover, rules.brokeragePct);
  const brokerage = pctBrokerage < flat ? pctBrokerage : flat;
  const gst = chargeOf(brokerage + exchange + sebi, rules.gst);            // not on STT or stamp
  return { stt, exchange, sebi, stamp, gst, brokerage, total: stt + exchange + sebi + stamp + gst + brokerage, turnover };
}

function rulesOn(profile: string, date: string): RuleSet {
  return RULES[profile]!.filter((r) => r.from <= date).at(-1)!;
}

function asRef(c: CostBreakdown): RefCosts {
  return {
    stt: BigInt(c.stt_paise), exchange: BigInt(c.exchange_paise), sebi: BigInt(c.sebi_paise), stamp: BigInt(c.stamp_paise),
    gst: BigInt(c.gst_paise), brokerage: BigInt(c.brokerage_paise), total: BigInt(c.total_paise), turnover: BigInt(c.turnover_paise),
  };
}

async function shipped(): Promise<CostProfiles> {
  return loadCostProfiles(await readFile(CONFIG_URL, 'utf8'));
}

/** A core with every version of every shipped profile loaded, one state block each. */
async function loadedCore() {
  const { core, memory } = await testCore(4 << 20);
  const profiles = await shipped();
  const stateOf = new Map<string, number>();
  let at = STATE;
  for (const versions of profiles.values()) {
    for (const v of versions) {
      writeCostProfile(core, at, v);
      stateOf.set(v.key, at);
      at += core.costBytes();
    }
  }
  const fill = (profile: string, date: string, side: Side, pricePaise: bigint, qty: bigint): CostBreakdown => {
    const v = pickProfileVersion(profiles, profile, date);
    return fillCosts(core, stateOf.get(v.key)!, OUT, side, pricePaise, qty);
  };
  return { core, memory, profiles, stateOf, fill };
}

// ── random agreement ──────────────────────────────────────────────────────────────────────────────────

test('20 000 seeded random fills agree exactly with the reference (all profiles, both sides, both STT regimes)', async () => {
  const { fill } = await loadedCore();
  const r = rng(20241001);
  const names = Object.keys(RULES);
  const dates = ['2024-10-01', '2024-11-01', '2025-06-30', '2026-03-31', '2026-04-01', '2026-11-22'];
  for (let i = 0; i < 20_000; i++) {
    const profile = names[Math.floor(r() * names.length)]!;
    const date = dates[Math.floor(r() * dates.length)]!;
    const side: Side = r() < 0.5 ? BUY : SELL;
    // ₹0.05 .. ₹1,00,000, log-uniform so both small premiums and large prices are common; qty 1 .. 100 000.
    const pricePaise = BigInt(Math.min(10_000_000, Math.max(5, Math.round(5 * Math.exp(r() * Math.log(2_000_000))))));
    const qty = BigInt(r() < 0.3 ? 1 + Math.floor(r() * 100) : 1 + Math.floor(r() * 100_000));
    const got = asRef(fill(profile, date, side, pricePaise, qty));
    const want = referenceFill(rulesOn(profile, date), side, pricePaise, qty);
    assert.deepEqual(got, want, `#${i} ${profile} ${date} ${side === BUY ? 'buy' : 'sell'} ${pricePaise} × ${qty}`);
  }
});

test('10 000 seeded random round trips equal an entry fill plus the opposite exit fill', async () => {
  const { core, profiles, stateOf } = await loadedCore();
  const r = rng(777);
  const names = Object.keys(RULES);
  for (let i = 0; i < 10_000; i++) {
    const profile = names[Math.floor(r() * names.length)]!;
    const date = r() < 0.5 ? '2025-01-15' : '2026-05-04';
    const entrySide: Side = r() < 0.5 ? BUY : SELL;
    const entry = BigInt(5 + Math.floor(r() * 10_000_000));
    const exit = BigInt(5 + Math.floor(r() * 10_000_000));
    const qty = BigInt(1 + Math.floor(r() * 100_000));
    const state = stateOf.get(pickProfileVersion(profiles, profile, date).key)!;
    const got = asRef(roundTripCosts(core, state, OUT, entrySide, entry, exit, qty));
    const rules = rulesOn(profile, date);
    const a = referenceFill(rules, entrySide, entry, qty);
    const b = referenceFill(rules, entrySide === BUY ? SELL : BUY, exit, qty);
    const want = Object.fromEntries(Object.keys(a).map((k) => [k, a[k as keyof RefCosts] + b[k as keyof RefCosts]]));
    assert.deepEqual(got, want, `#${i}`);
  }
});

test('turnover up to 1e16 paise with rates up to 100 % (10 decimals) stays exact: no 64-bit overflow', async () => {
  const { core, memory } = await testCore();
  const r = rng(99);
  const digits = (n: number): string => String(Math.floor(r() * 10 ** n)).padStart(n, '0');
  for (let i = 0; i < 10_000; i++) {
    // Random percentages with 10 decimals, occasionally exactly 100 %.
    const pct = (): string => (r() < 0.05 ? '100' : `${Math.floor(r() * 100)}.${digits(5)}${digits(5)}`);
    const rules: RuleSet = {
      from: '2024-10-01', sttBuy: pct(), sttSell: pct(), exchange: pct(), sebi: pct(), stampBuy: pct(), gst: pct(),
      brokerageFlatRupees: String(Math.floor(r() * 1e9)), brokeragePct: pct(),
    };
    const toml = `[[profiles.x]]\neffective_from = ${rules.from}\nstt_buy_pct = "${rules.sttBuy}"\nstt_sell_pct = "${rules.sttSell}"\n`
      + `exchange_pct = "${rules.exchange}"\nsebi_pct = "${rules.sebi}"\nstamp_buy_pct = "${rules.stampBuy}"\ngst_pct = "${rules.gst}"\n`
      + `brokerage_pct = "${rules.brokeragePct}"\nbrokerage_flat_rupees = ${rules.brokerageFlatRupees}\nstt_rounding = "${i % 2 ? 'rupee' : 'paisa'}"\n`;
    writeCostProfile(core, STATE, loadCostProfiles(toml).get('x')![0]!);
    // Turnover spread over 1 .. 1e16 paise (1e13 and above half the time).
    const qty = BigInt(1 + Math.floor(r() * 1_000_000));
    const target = 10n ** BigInt(r() < 0.5 ? 13 + Math.floor(r() * 4) : Math.floor(r() * 13));
    let price = (target * BigInt(1 + Math.floor(r() * 1_000_000))) / 1_000_000n / qty;
    if (price * qty > 10n ** 16n) price = 10n ** 16n / qty;
    const side: Side = r() < 0.5 ? BUY : SELL;
    const total = core.costFill(STATE, side, price, qty, OUT);
    const got = new BigInt64Array(memory.buffer, OUT, COST_OUT_BYTES / 8);
    const want = referenceFill(rules, side, price, qty, i % 2 === 1);
    assert.equal(total, want.total, `#${i} total`);
    assert.deepEqual(
      [got[0], got[1], got[2], got[3], got[4], got[5], got[6], got[7]],
      [want.stt, want.exchange, want.sebi, want.stamp, want.gst, want.brokerage, want.total, want.turnover],
      `#${i} ${price} × ${qty} at ${JSON.stringify(rules)}`,
    );
  }
});

// ── hand-worked examples (2024-10-01 and 2026-04-01 versions) ─────────────────────────────────────────

test('intraday SELL 100 @ ₹2,500.00 (2024-10-01 profile), worked by hand', async () => {
  const { fill } = await loadedCore();
  // turnover = 2,50,000.00 rupees = 2,50,00,000 paise
  // STT 0.025 %        = 25,000,000 × 0.00025   = 6,250 paise
  // exchange 0.00297 % = 25,000,000 × 0.0000297 = 742.5  → 743 (half-up)
  // SEBI 0.0001 %      = 25,000,000 × 0.000001  = 25
  // stamp              = 0 (sell)
  // brokerage          = min(2,000, 0.03 % = 7,500) = 2,000
  // GST 18 % × (2,000 + 743 + 25) = 0.18 × 2,768 = 498.24 → 498
  // total = 6,250 + 743 + 25 + 0 + 498 + 2,000 = 9,516 paise (₹95.16)
  assert.deepEqual(fill('cash_intraday', '2024-11-01', SELL, 250_000n, 100n), {
    turnover_paise: 25_000_000, stt_paise: 6_250, exchange_paise: 743, sebi_paise: 25, stamp_paise: 0,
    gst_paise: 498, brokerage_paise: 2_000, total_paise: 9_516,
  });
});

test('intraday BUY 100 @ ₹2,500.00: no STT, stamp duty 0.003 %', async () => {
  const { fill } = await loadedCore();
  // STT 0 (intraday STT is sell-side only); exchange 743; SEBI 25 as above
  // stamp 0.003 % = 25,000,000 × 0.00003 = 750
  // brokerage 2,000; GST = 0.18 × 2,768 = 498.24 → 498 (stamp is not in GST's base)
  // total = 0 + 743 + 25 + 750 + 498 + 2,000 = 4,016
  assert.deepEqual(fill('cash_intraday', '2024-11-01', BUY, 250_000n, 100n), {
    turnover_paise: 25_000_000, stt_paise: 0, exchange_paise: 743, sebi_paise: 25, stamp_paise: 750,
    gst_paise: 498, brokerage_paise: 2_000, total_paise: 4_016,
  });
});

test('delivery BUY 10 @ ₹1,234.55: STT on the buy, stamp 0.015 %, zero brokerage', async () => {
  const { fill } = await loadedCore();
  // turnover = 1,23,455 × 10 = 12,34,550 paise
  // STT 0.1 %          = 1,234.55    → 1,235
  // exchange 0.00297 % = 36.666135   → 37
  // SEBI 0.0001 %      = 1.23455     → 1
  // stamp 0.015 %      = 185.1825    → 185
  // brokerage 0; GST = 0.18 × (0 + 37 + 1) = 6.84 → 7
  // total = 1,235 + 37 + 1 + 185 + 7 + 0 = 1,465
  assert.deepEqual(fill('cash_delivery', '2025-02-03', BUY, 123_455n, 10n), {
    turnover_paise: 1_234_550, stt_paise: 1_235, exchange_paise: 37, sebi_paise: 1, stamp_paise: 185,
    gst_paise: 7, brokerage_paise: 0, total_paise: 1_465,
  });
});

test('futures SELL 75 @ ₹24,500.50 under the 2024-10-01 (0.02 %) and 2026-04-01 (0.05 %) versions', async () => {
  const { fill } = await loadedCore();
  // turnover = 24,50,050 paise × 75 = 18,37,53,750 paise
  // STT 2024: 0.02 %   = 36,750.75          → 36,751
  // exchange 0.00173 % = 31,789,398,750 / 1e7 = 3,178.939875 → 3,179
  // SEBI 0.0001 %      = 183.75375          → 184
  // stamp 0 (sell); brokerage min(2,000, 0.03 % = 55,126.125) = 2,000
  // GST = 0.18 × (2,000 + 3,179 + 184) = 0.18 × 5,363 = 965.34 → 965
  // total 2024 = 36,751 + 3,179 + 184 + 0 + 965 + 2,000 = 43,079
  const rest = { turnover_paise: 183_753_750, exchange_paise: 3_179, sebi_paise: 184, stamp_paise: 0, gst_paise: 965, brokerage_paise: 2_000 };
  assert.deepEqual(fill('futures', '2026-03-31', SELL, 2_450_050n, 75n), { ...rest, stt_paise: 36_751, total_paise: 43_079 });
  // STT 2026: 0.05 %   = 91,876.875 → 91,877; total = 91,877 + 3,179 + 184 + 965 + 2,000 = 98,205
  assert.deepEqual(fill('futures', '2026-04-01', SELL, 2_450_050n, 75n), { ...rest, stt_paise: 91_877, total_paise: 98_205 });
});

test('options SELL 75 @ premium ₹120.35: STT 0.10 % → 0.15 %, exchange 0.03503 % of premium', async () => {
  const { fill } = await loadedCore();
  // turnover = 12,035 × 75 = 9,02,625 paise
  // STT 2024: 0.10 %   = 902.625          → 903
  // exchange 0.03503 % = 3,161,895,375 / 1e7 = 316.1895375 → 316
  // SEBI 0.0001 %      = 0.902625         → 1
  // brokerage = min(2,000, 0.03 % = 270.7875 → 271) = 271
  // GST = 0.18 × (271 + 316 + 1) = 0.18 × 588 = 105.84 → 106
  // total 2024 = 903 + 316 + 1 + 0 + 106 + 271 = 1,597
  const rest = { turnover_paise: 902_625, exchange_paise: 316, sebi_paise: 1, stamp_paise: 0, gst_paise: 106, brokerage_paise: 271 };
  assert.deepEqual(fill('options', '2025-08-14', SELL, 12_035n, 75n), { ...rest, stt_paise: 903, total_paise: 1_597 });
  // STT 2026: 0.15 % = 1,353.9375 → 1,354; total = 1,354 + 316 + 1 + 106 + 271 = 2,048
  assert.deepEqual(fill('options', '2026-08-14', SELL, 12_035n, 75n), { ...rest, stt_paise: 1_354, total_paise: 2_048 });
});

test('STT rounded to the rupee comes from the exact amount, not from the paisa-rounded one', async () => {
  const { core } = await testCore();
  const text = (await readFile(CONFIG_URL, 'utf8')).replace(
    /(\[\[profiles\.cash_intraday\]\][^[]*?brokerage_flat_rupees = 20)/, '$1\nstt_rounding = "rupee"',
  );
  const v = pickProfileVersion(loadCostProfiles(text), 'cash_intraday', '2024-11-01');
  assert.equal(v.sttRounding, 'rupee');
  writeCostProfile(core, STATE, v);
  // 100 @ ₹1,979.84: turnover 1,97,98,400 paise; STT 0.025 % = 4,949.6 paise = ₹49.496 → ₹49 = 4,900 paise.
  // Rounding to the paisa first (4,950 = ₹49.50) and then to the rupee would give ₹50.
  assert.equal(fillCosts(core, STATE, OUT, SELL, 197_984n, 100n).stt_paise, 4_900);
  // ₹62.50 exactly rounds half-up to ₹63.
  assert.equal(fillCosts(core, STATE, OUT, SELL, 250_000n, 100n).stt_paise, 6_300);
});

// ── status codes ──────────────────────────────────────────────────────────────────────────────────────

test('the core refuses bad sides, negative inputs, overflow, unloaded state and bad rates', async () => {
  const { core } = await testCore();
  const zeroState = STATE + 1024;
  assert.equal(core.costFill(zeroState, BUY, 100n, 1n, OUT), BigInt(CostStatus.NOT_LOADED));
  const v = pickProfileVersion(await shipped(), 'futures', '2025-01-01');
  writeCostProfile(core, STATE, v);
  assert.equal(core.costFill(STATE, 2, 100n, 1n, OUT), BigInt(CostStatus.BAD_SIDE));
  assert.equal(core.costFill(STATE, -1, 100n, 1n, OUT), BigInt(CostStatus.BAD_SIDE));
  assert.equal(core.costFill(STATE, BUY, -1n, 1n, OUT), BigInt(CostStatus.BAD_INPUT));
  assert.equal(core.costFill(STATE, BUY, 1n, -1n, OUT), BigInt(CostStatus.BAD_INPUT));
  assert.equal(core.costFill(STATE, BUY, 10n ** 16n, 1n, OUT) > 0n, true, '1e16 paise is the limit, accepted');
  assert.equal(core.costFill(STATE, BUY, 10n ** 16n + 1n, 1n, OUT), BigInt(CostStatus.OVERFLOW));
  assert.equal(core.costFill(STATE, BUY, 1n << 62n, 1n << 62n, OUT), BigInt(CostStatus.OVERFLOW));
  assert.equal(core.costRoundTrip(STATE, BUY, 100n, 10n ** 17n, 1n, OUT), BigInt(CostStatus.OVERFLOW));
  assert.equal(core.costRoundTrip(STATE, 3, 100n, 100n, 1n, OUT), BigInt(CostStatus.BAD_SIDE));
  assert.equal(core.costFill(STATE, SELL, 0n, 5n, OUT), 0n, 'zero turnover costs nothing');
  const load = (state: number, rate: bigint, flat = 0n, flags = 0) => core.costLoad(state, rate, 0n, 0n, 0n, 0n, 0n, 0n, 0n, flat, flags);
  assert.equal(load(STATE + 256, RATE_SCALE + 1n), CostStatus.BAD_RATE);
  assert.equal(load(STATE + 256, -1n), CostStatus.BAD_RATE);
  assert.equal(load(STATE + 256, 0n, -1n), CostStatus.BAD_FLAT);
  assert.equal(load(STATE + 256, 0n, 0n, 2), CostStatus.BAD_FLAGS);
  assert.equal(load(STATE + 260, 0n), CostStatus.MISALIGNED);
  assert.equal(core.costFill(STATE + 256, BUY, 100n, 1n, OUT), BigInt(CostStatus.NOT_LOADED), 'a refused load leaves the block unloaded');
  assert.throws(() => fillCosts(core, STATE, OUT, BUY, 10n ** 16n + 1n, 1n), RangeError);
});

test('the breakdown layout is what the host reads', async () => {
  const { core, memory } = await testCore();
  writeCostProfile(core, STATE, pickProfileVersion(await shipped(), 'cash_intraday', '2024-11-01'));
  core.costFill(STATE, SELL, 250_000n, 100n, OUT);
  const v = new BigInt64Array(memory.buffer, OUT, 8);
  assert.equal(v[CostOut.stt / 8], 6_250n);
  assert.equal(v[CostOut.exchange / 8], 743n);
  assert.equal(v[CostOut.total / 8], 9_516n);
  assert.equal(v[CostOut.turnover / 8], 25_000_000n);
  assert.equal(core.costBytes() % 64, 0);
});

// ── config ────────────────────────────────────────────────────────────────────────────────────────────

test('rates convert exactly from the decimal text to 1e-12 units', async () => {
  const p = await shipped();
  assert.deepEqual([...p.keys()], ['cash_intraday', 'cash_delivery', 'futures', 'options']);
  const intraday = pickProfileVersion(p, 'cash_intraday', '2024-10-01');
  assert.equal(intraday.exchange, 29_700_000n);            // 0.00297 % = 2.97e-5 = 29 700 000 × 1e-12
  assert.equal(intraday.sebi, 1_000_000n);                 // 0.0001 %
  assert.equal(intraday.gst, 180_000_000_000n);            // 18 %
  assert.equal(intraday.brokerageFlatPaise, 2_000n);
  assert.equal(pickProfileVersion(p, 'options', '2024-10-01').exchange, 350_300_000n);   // 0.03503 %
  assert.equal(pickProfileVersion(p, 'futures', '2026-03-31').sttSell, 200_000_000n);    // 0.02 %
  assert.equal(pickProfileVersion(p, 'futures', '2026-04-01').sttSell, 500_000_000n);    // 0.05 %
  assert.equal(pickProfileVersion(p, 'cash_delivery', '2030-01-01').effectiveFrom, '2024-10-01');
  // A decimal that is not exact in binary stays exact: 0.1 + 0.2 style surprises cannot happen.
  const v = loadCostProfiles(minimal({ exchange_pct: '0.0000000003' })).get('x')![0]!;
  assert.equal(v.exchange, 3n);
  assert.equal(loadCostProfiles(minimal({ exchange_pct: '3e-3' })).get('x')![0]!.exchange, 30_000_000n);
});

const BASE_VERSION: Record<string, string> = {
  effective_from: '2024-10-01', stt_buy_pct: '0', stt_sell_pct: '0.02', exchange_pct: '0.00173', sebi_pct: '0.0001',
  stamp_buy_pct: '0.002', gst_pct: '18', brokerage_pct: '0.03', brokerage_flat_rupees: '20',
};

/** A one-profile TOML (`x`, or `name`) with `over` replacing or (value undefined) removing keys; values are TOML text. */
function minimal(over: Record<string, string | undefined>, name = 'x'): string {
  const kv = { ...BASE_VERSION, ...over };
  return `[[profiles.${name}]]\n${Object.entries(kv).filter(([, v]) => v !== undefined).map(([k, v]) => `${k} = ${v}`).join('\n')}\n`;
}

function throwsConfig(fn: () => unknown, key: string, message: string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ConfigError, `ConfigError, got ${String(err)}`);
    assert.equal(err.key, key);
    assert.equal(err.message, message);
    return true;
  });
}

test('config refusals name the key', async () => {
  const p = await shipped();
  throwsConfig(() => pickProfileVersion(p, 'x', '2024-11-01'), 'profile',
    'profile must be one of cash_intraday, cash_delivery, futures, options, got "x"');
  throwsConfig(() => pickProfileVersion(p, 'futures', '2024-13-01'), 'date', 'date must be a date YYYY-MM-DD, got "2024-13-01"');
  throwsConfig(() => pickProfileVersion(p, 'futures', '2024-09-30'), 'date',
    'date must be on or after 2024-10-01, the first effective_from of profile futures, got "2024-09-30"');
  const shippedText = await readFile(CONFIG_URL, 'utf8');
  throwsConfig(() => loadCostProfiles(shippedText.replace('stt_sell_pct = 0.02\n', 'stt_sell_pct = -0.02\n')),
    'profiles.futures[0].stt_sell_pct', 'profiles.futures[0].stt_sell_pct must be ≥ 0, got -0.02');
  throwsConfig(() => loadCostProfiles(minimal({ gst_pct: undefined })), 'profiles.x[0].gst_pct',
    'profiles.x[0].gst_pct must be present: a percentage (number or decimal string) in [0, 100], got undefined');
  throwsConfig(() => loadCostProfiles(minimal({ effective_from: '"2024-02-30"' })), 'profiles.x[0].effective_from',
    'profiles.x[0].effective_from must be a date YYYY-MM-DD, got "2024-02-30"');
  throwsConfig(() => loadCostProfiles(minimal({ stt_sell_pct: '"-0.02"' })), 'profiles.x[0].stt_sell_pct',
    'profiles.x[0].stt_sell_pct must be ≥ 0, got "-0.02"');
  throwsConfig(() => loadCostProfiles(minimal({ stt_sell_pct: '100.5' })), 'profiles.x[0].stt_sell_pct',
    'profiles.x[0].stt_sell_pct must be at most 100 (percent), got 100.5');
  throwsConfig(() => loadCostProfiles(minimal({ sebi_pct: '0.00000000001' })), 'profiles.x[0].sebi_pct',
    'profiles.x[0].sebi_pct must be a percentage with at most 10 decimals, got 1e-11');
  throwsConfig(() => loadCostProfiles(minimal({ sebi_pct: 'true' })), 'profiles.x[0].sebi_pct',
    'profiles.x[0].sebi_pct must be a percentage (number or decimal string) in [0, 100], got true');
  throwsConfig(() => loadCostProfiles(minimal({ brokerage_flat_rupees: '20.005' })), 'profiles.x[0].brokerage_flat_rupees',
    'profiles.x[0].brokerage_flat_rupees must be rupees with at most 2 decimals, got 20.005');
  throwsConfig(() => loadCostProfiles(minimal({ stt_rounding: '"nearest"' })), 'profiles.x[0].stt_rounding',
    'profiles.x[0].stt_rounding must be one of "paisa", "rupee", got "nearest"');
  throwsConfig(() => loadCostProfiles(minimal({ stt_sel_pct: '0.1' })), 'profiles.x[0].stt_sel_pct',
    `profiles.x[0].stt_sel_pct must be not there: a version's keys are effective_from, stt_buy_pct, stt_sell_pct, exchange_pct, sebi_pct, stamp_buy_pct, stamp_sell_pct, gst_pct, brokerage_pct, brokerage_flat_rupees, stt_rounding, got "stt_sel_pct"`);
  throwsConfig(() => loadCostProfiles(minimal({}) + minimal({})), 'profiles.x[1].effective_from',
    'profiles.x[1].effective_from must be different from profiles.x[0].effective_from, got "2024-10-01"');
  throwsConfig(() => loadCostProfiles('[profiles.x]\nstt = 1\n'), 'profiles.x',
    'profiles.x must be an array of tables: [[profiles.x]], got "object"');
  throwsConfig(() => loadCostProfiles('# nothing\n'), 'profiles',
    'profiles must be one or more [[profiles.<name>]] versions, got null');
});

test('versions are picked by the latest effective_from on or before the date, whatever their file order', () => {
  const p = loadCostProfiles(minimal({ effective_from: '2026-04-01', stt_sell_pct: '0.05' }) + minimal({}));
  assert.equal(pickProfileVersion(p, 'x', '2024-10-01').sttSell, 200_000_000n);
  assert.equal(pickProfileVersion(p, 'x', '2026-03-31').sttSell, 200_000_000n);
  assert.equal(pickProfileVersion(p, 'x', '2026-04-01').sttSell, 500_000_000n);
  assert.equal(pickProfileVersion(p, 'x', '2099-12-31').key, 'profiles.x[0]');
});

test('unparseable TOML is a ConfigSyntaxError naming the file and the line', () => {
  const text = minimal({}).replace('sebi_pct = 0.0001', 'sebi_pct = 0.0001 0.0002');
  assert.throws(() => loadCostProfiles(text), (err: unknown) => {
    assert.ok(err instanceof ConfigSyntaxError);
    assert.equal(err.key, 'costs.toml');
    assert.equal(err.line, 6);
    assert.equal(err.column, 19);
    assert.match(err.where, /^line 6, column 19: each key-value declaration must be followed by an end-of-line/);
    return true;
  });
});

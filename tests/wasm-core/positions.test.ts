// Positions and P&L against a BigInt reference written from the rules (average cost, exact entry value,
// released cost rounded half away from zero, realized = (exit − average) × closed × sign), on 10 000
// seeded fill sequences compared field by field after every event; hand-worked examples with charges
// from the shipped cost profile; crossings through zero; the overflow bounds; the day roll; the host's
// config validation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { rng, testCore } from '../testkit/core.js';
import { ConfigError } from '../../host/config/config-error.js';
import type { CoreExports } from '../../host/core/core.js';
import { Side } from '../../host/model/vocabulary.js';
import { COST_OUT_BYTES, fillCosts, loadCostProfiles, pickProfileVersion, writeCostProfile } from '../../host/modules/cost-model.js';
import {
  MAX_POSITION_PAISE, MAX_POSITION_QTY, MAX_POSITION_SYMBOLS, NO_MARK, PositionsError, PositionsStatus, applyFill,
  describePositionsStatus, initPositions, positionsStatePlan, readPosition, readPositions, resolvePositionsConfig, rupees,
} from '../../host/modules/positions.js';

const STATE = 65536;
const COSTS = 8192;
const SCRATCH = 8192 + 256;
const BUY = Side.BUY;
const SELL = Side.SELL;
const S = PositionsStatus;

// ── reference ────────────────────────────────────────────────────────────────────────────────────

const MAX_QTY = 1_000_000_000n;
const MAX_PAISE = 10n ** 16n;
const abs = (x: bigint): bigint => (x < 0n ? -x : x);
const sgn = (x: bigint): bigint => (x > 0n ? 1n : x < 0n ? -1n : 0n);
/** x ÷ n (n > 0) rounded half away from zero. */
const divHalfAway = (x: bigint, n: bigint): bigint => sgn(x) * ((2n * abs(x) + n) / (2n * n));

interface RefSymbol {
  tick: bigint;
  lot: bigint;
  pos: bigint;
  /** Entry value of what is open, signed as the position. */
  cost: bigint;
  mark: number | null;
  realized: bigint;
  charges: bigint;
  day: { realized: bigint; charges: bigint; buy: bigint; sell: bigint; bought: bigint; sold: bigint; fills: number; startU: bigint };
  fills: bigint;
  lastNs: bigint;
  /** Since init: Σ buy and sell turnover (the conservation check). */
  bought: bigint;
  sold: bigint;
}

const emptyDay = () => ({ realized: 0n, charges: 0n, buy: 0n, sell: 0n, bought: 0n, sold: 0n, fills: 0, startU: 0n });

/** The rules, straight, in BigInt: no bound can overflow here, so each bound is a plain comparison. */
class RefPositions {
  readonly syms: RefSymbol[];
  constructor(n: number) {
    this.syms = Array.from({ length: n }, () => ({
      tick: 0n, lot: 0n, pos: 0n, cost: 0n, mark: null, realized: 0n, charges: 0n, day: emptyDay(), fills: 0n, lastNs: 0n,
      bought: 0n, sold: 0n,
    }));
  }

  sym(i: number): RefSymbol | undefined { return Number.isInteger(i) && i >= 0 && i < this.syms.length ? this.syms[i] : undefined; }

  setSymbol(i: number, tick: number, lot: number): number {
    const s = this.sym(i);
    if (!s) return S.BAD_SYMBOL;
    if (tick < 1 || tick > 1_000_000 || lot < 1 || lot > 1_000_000_000) return S.BAD_CONFIG;
    if (s.pos !== 0n) return S.POSITION_OPEN;
    s.tick = BigInt(tick); s.lot = BigInt(lot); s.mark = null;
    return S.OK;
  }

  unrealized(s: RefSymbol): bigint { return s.pos === 0n ? 0n : BigInt(s.mark!) * s.tick * s.pos - s.cost; }
  exposure(s: RefSymbol): bigint { return s.pos === 0n ? 0n : BigInt(s.mark!) * s.tick * abs(s.pos); }
  avg(s: RefSymbol): bigint { return s.pos === 0n ? 0n : divHalfAway(abs(s.cost), abs(s.pos)); }
  dayPnl(s: RefSymbol): bigint { return s.day.realized - s.day.charges + this.unrealized(s) - s.day.startU; }

  /** Last fill's realized P&L (for the per-fill check against (exit − average) × closed × sign). */
  lastGain = 0n;
  lastClosed = 0n;

  fill(i: number, side: number, ticks: number, qty: bigint, charges: bigint, now: bigint): number {
    const s = this.sym(i);
    if (!s) return S.BAD_SYMBOL;
    if (s.tick === 0n) return S.NOT_CONFIGURED;
    if (side !== BUY && side !== SELL) return S.BAD_SIDE;
    if (ticks < 1) return S.BAD_PRICE;
    if (qty < 1n || qty > MAX_QTY || qty % s.lot !== 0n) return S.BAD_QTY;
    if (charges < 0n || charges > MAX_PAISE) return S.BAD_CHARGES;
    const p = BigInt(ticks) * s.tick;
    const d = side === BUY ? 1n : -1n;
    let pos = s.pos;
    let cost = s.cost;
    // first the units that close part (or all) of the position, then the units that open
    const closing = pos !== 0n && sgn(pos) !== d ? (qty < abs(pos) ? qty : abs(pos)) : 0n;
    let gain = 0n;
    if (closing > 0n) {
      const released = divHalfAway(cost * closing, abs(pos));
      gain = sgn(pos) * p * closing - released;
      cost -= released;
      pos += d * closing;
    }
    const opening = qty - closing;
    pos += d * opening;
    cost += d * p * opening;
    const mark = BigInt(s.mark ?? ticks) * s.tick;
    const turnover = p * qty;
    const over = (x: bigint) => abs(x) > MAX_PAISE;
    if (over(turnover) || abs(pos) > MAX_QTY || over(cost) || over(abs(pos) * mark)
      || over(s.realized + gain) || over(s.charges + charges) || over(s.day.realized + gain) || over(s.day.charges + charges)
      || over((side === BUY ? s.day.buy : s.day.sell) + turnover)) {
      return S.OVERFLOW;
    }
    s.pos = pos; s.cost = cost; s.mark ??= ticks;
    s.realized += gain; s.charges += charges;
    s.day.realized += gain; s.day.charges += charges; s.day.fills++;
    if (side === BUY) { s.day.buy += turnover; s.day.bought += qty; s.bought += turnover; }
    else { s.day.sell += turnover; s.day.sold += qty; s.sold += turnover; }
    s.fills++;
    s.lastNs = now;
    this.lastGain = gain;
    this.lastClosed = closing;
    return S.OK;
  }

  mark(i: number, ticks: number): number {
    const s = this.sym(i);
    if (!s) return S.BAD_SYMBOL;
    if (s.tick === 0n) return S.NOT_CONFIGURED;
    if (ticks < 1) return S.BAD_PRICE;
    if (abs(s.pos) * BigInt(ticks) * s.tick > MAX_PAISE) return S.OVERFLOW;
    s.mark = ticks;
    return S.OK;
  }

  newDay(): number {
    for (const s of this.syms) s.day = { ...emptyDay(), startU: this.unrealized(s) };
    return S.OK;
  }
}

function compareSymbol(core: CoreExports, ref: RefPositions, i: number, where: string): void {
  const s = ref.syms[i]!;
  const got = readPosition(core, STATE, i);
  assert.deepEqual(got, {
    symbol: i,
    tick_paise: Number(s.tick),
    lot_size: Number(s.lot),
    position: s.pos,
    cost_paise: s.cost,
    avg_price_paise: ref.avg(s),
    mark_ticks: s.mark,
    realized_paise: s.realized,
    charges_paise: s.charges,
    net_realized_paise: s.realized - s.charges,
    unrealized_paise: ref.unrealized(s),
    exposure_paise: ref.exposure(s),
    fills: s.fills,
    day: {
      realized_paise: s.day.realized,
      charges_paise: s.day.charges,
      buy_turnover_paise: s.day.buy,
      sell_turnover_paise: s.day.sell,
      bought: s.day.bought,
      sold: s.day.sold,
      fills: s.day.fills,
      start_unrealized_paise: s.day.startU,
      pnl_paise: ref.dayPnl(s),
    },
    last_fill_ns: s.lastNs,
  }, `symbol ${i} ${where}`);
}

function compareAll(core: CoreExports, ref: RefPositions, where: string): void {
  ref.syms.forEach((_, i) => compareSymbol(core, ref, i, where));
  const sum = (f: (s: RefSymbol) => bigint) => ref.syms.reduce((a, s) => a + f(s), 0n);
  assert.deepEqual(
    [
      core.positionsTotalRealizedPaise(STATE), core.positionsTotalChargesPaise(STATE), core.positionsTotalNetRealizedPaise(STATE),
      core.positionsTotalUnrealizedPaise(STATE), core.positionsGrossExposurePaise(STATE), core.positionsTotalDayRealizedPaise(STATE),
      core.positionsTotalDayChargesPaise(STATE), core.positionsTotalDayNetRealizedPaise(STATE), core.positionsTotalDayPnlPaise(STATE),
      core.positionsTotalDayFills(STATE),
    ],
    [
      sum((s) => s.realized), sum((s) => s.charges), sum((s) => s.realized - s.charges), sum((s) => ref.unrealized(s)),
      sum((s) => ref.exposure(s)), sum((s) => s.day.realized), sum((s) => s.day.charges), sum((s) => s.day.realized - s.day.charges),
      sum((s) => ref.dayPnl(s)), sum((s) => BigInt(s.day.fills)),
    ],
    `totals ${where}`,
  );
}

// ── random sequences ─────────────────────────────────────────────────────────────────────────────

type Mode = 'normal' | 'money' | 'qty';

interface Market { ticks: number; mode: Mode }

function randomSymbol(r: () => number, mode: Mode): { tick: number; lot: number; ticks: number } {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  if (mode === 'money') return { tick: pick([1_000_000, 100_000, 999_983]), lot: 1, ticks: 1e8 + Math.floor(r() * 2e9) };
  if (mode === 'qty') return { tick: 1, lot: pick([1, 1, 7]), ticks: 1 + Math.floor(r() * 100) };
  return { tick: pick([1, 5, 5, 5, 10, 100, 1 + Math.floor(r() * 1000)]), lot: pick([1, 1, 1, 25, 75, 1 + Math.floor(r() * 50)]), ticks: 100 + Math.floor(r() * 100_000) };
}

function randomQty(r: () => number, lot: bigint, pos: bigint, opposite: boolean, mode: Mode): bigint {
  if (mode === 'qty') return lot * BigInt(1 + Math.floor(r() * (r() < 0.5 ? 100 : 3e8 / Number(lot))));
  if (mode === 'money') return BigInt(1 + Math.floor(r() * 6));
  if (opposite && pos !== 0n) {
    const open = abs(pos);
    const c = r();
    if (c < 0.3) return open; // exactly flat
    if (c < 0.6) return open + lot * BigInt(1 + Math.floor(r() * 20)); // through zero
    if (open > lot) return lot * BigInt(1 + Math.floor(r() * Number(open / lot - 1n))); // part of it
    return open;
  }
  return lot * BigInt(1 + Math.floor(r() * (r() < 0.2 ? 2000 : 20)));
}

test('10 000 seeded fill sequences agree with a BigInt reference to the paisa after every event', async () => {
  const { core } = await testCore();
  const seen = { fills: 0, crossings: 0, flats: 0, partials: 0, remainders: 0, ties: 0, overflows: 0, refusals: 0, marks: 0, rolls: 0, shorts: 0 };
  for (let seq = 0; seq < 10_000; seq++) {
    const r = rng(0x9e37 + seq * 104_729);
    const n = 1 + Math.floor(r() * 3);
    const mode: Mode = r() < 0.08 ? 'money' : r() < 0.08 ? 'qty' : 'normal';
    assert.equal(core.positionsInit(STATE, n), S.OK);
    const ref = new RefPositions(n);
    const markets: Market[] = [];
    for (let i = 0; i < n; i++) {
      const m = randomSymbol(r, mode);
      assert.equal(core.positionsSetSymbol(STATE, i, m.tick, m.lot), ref.setSymbol(i, m.tick, m.lot));
      markets.push({ ticks: m.ticks, mode });
    }
    compareAll(core, ref, `after init of sequence ${seq}`);
    let now = BigInt(seq) * 1_000_000_000n;
    const events = 20 + Math.floor(r() * 40);
    for (let e = 0; e < events; e++) {
      const where = `after event ${e} of sequence ${seq}`;
      const i = Math.floor(r() * n);
      const m = markets[i]!;
      const s = ref.syms[i]!;
      m.ticks = Math.max(1, Math.min(2_147_483_647, m.ticks + Math.floor(r() * 21) - 10));
      now += BigInt(1 + Math.floor(r() * 1e6));
      const op = r();
      if (op < 0.62) {
        const opposite = r() < 0.45;
        const side = opposite ? (s.pos > 0n ? SELL : BUY) : r() < 0.5 ? BUY : SELL;
        const qty = randomQty(r, s.lot, s.pos, opposite, m.mode);
        const turnover = BigInt(m.ticks) * s.tick * qty;
        const charges = r() < 0.1 ? 0n : r() < 0.03 ? MAX_PAISE / 4n : turnover / 1000n + BigInt(Math.floor(r() * 2500));
        const before = s.pos;
        const beforeCost = s.cost;
        const want = ref.fill(i, side, m.ticks, qty, charges, now);
        assert.equal(core.positionsOnFill(STATE, i, side, m.ticks, qty, charges, now), want, `status ${where}`);
        if (want === S.OVERFLOW) seen.overflows++;
        if (want === S.OK) {
          seen.fills++;
          const closed = ref.lastClosed;
          if (closed > 0n) {
            if (closed < abs(before)) {
              seen.partials++;
              // the released cost is inexact: the remainder stayed in the open cost
              if ((beforeCost * closed) % before !== 0n) seen.remainders++;
              if (2n * (abs(beforeCost * closed) % abs(before)) === abs(before)) seen.ties++;
            } else if (qty === closed) seen.flats++;
            else seen.crossings++;
            // realized = (exit − average) × closed × sign(position), to within half a paisa:
            // |gain × |pos| − sign × closed × (price × |pos| − |cost|)| ≤ |pos| / 2
            const exact = sgn(before) * closed * (BigInt(m.ticks) * s.tick * abs(before) - abs(beforeCost));
            assert.ok(2n * abs(ref.lastGain * abs(before) - exact) <= abs(before), `half-paisa bound ${where}`);
          }
          if (s.pos < 0n) seen.shorts++;
        }
      } else if (op < 0.8) {
        const ticks = m.mode === 'money' && r() < 0.3 ? 2_147_483_647 : m.ticks;
        const want = ref.mark(i, ticks);
        assert.equal(core.positionsMark(STATE, i, ticks), want, `mark status ${where}`);
        if (want === S.OK) seen.marks++;
        if (want === S.OVERFLOW) seen.overflows++;
      } else if (op < 0.85) {
        assert.equal(core.positionsNewDay(STATE), ref.newDay());
        seen.rolls++;
      } else if (op < 0.88) {
        const m2 = randomSymbol(r, mode);
        assert.equal(core.positionsSetSymbol(STATE, i, m2.tick, m2.lot), ref.setSymbol(i, m2.tick, m2.lot), `setSymbol ${where}`);
        if (s.pos === 0n) m.ticks = m2.ticks;
      } else {
        // a bad input of every kind: refused, nothing changes
        const k = Math.floor(r() * 9);
        const notALot = s.lot > 1n ? s.lot + 1n : MAX_QTY + 1n;
        const bad: [number, number, number, bigint, bigint] = ([
          [n, BUY, m.ticks, s.lot, 0n], [-1, SELL, m.ticks, s.lot, 0n], [i, 2, m.ticks, s.lot, 0n], [i, BUY, 0, s.lot, 0n],
          [i, SELL, -2_147_483_648, s.lot, 0n], [i, BUY, m.ticks, 0n, 0n], [i, SELL, m.ticks, notALot, 0n],
          [i, BUY, m.ticks, s.lot, -1n], [i, SELL, m.ticks, s.lot, MAX_PAISE + 1n],
        ] as const)[k]!.slice() as [number, number, number, bigint, bigint];
        const want = ref.fill(...bad, now);
        assert.ok(want < 0 && want !== S.OVERFLOW, `bad input ${k} is refused by the reference`);
        assert.equal(core.positionsOnFill(STATE, ...bad, now), want, `bad input ${k} ${where}`);
        const badSymbol = r() < 0.5;
        const [ms, mt] = badSymbol ? [n, m.ticks] : [i, r() < 0.5 ? 0 : -5];
        assert.equal(core.positionsMark(STATE, ms, mt), ref.mark(ms, mt), `bad mark ${where}`);
        seen.refusals++;
      }
      compareAll(core, ref, where);
      for (const x of ref.syms) {
        // nothing lost to rounding: realized − open cost = Σ sells − Σ buys, always
        assert.equal(x.realized - x.cost, x.sold - x.bought, `conservation ${where}`);
      }
    }
  }
  // every branch the test is about was reached many times
  for (const [k, v] of Object.entries(seen)) assert.ok(v > 1000 || (k === 'ties' && v > 100), `${k}: ${v}`);
});

// ── hand-worked examples ─────────────────────────────────────────────────────────────────────────

async function book(symbols: { tickPaise: number; lotSize?: number }[]) {
  const { core, memory } = await testCore();
  initPositions(core, STATE, { symbols });
  return { core, memory };
}

const fill = (core: CoreExports, symbol: number, side: Side, ticks: number, qty: bigint | number, charges: bigint | number = 0n, now = 1n) =>
  core.positionsOnFill(STATE, symbol, side, ticks, BigInt(qty), BigInt(charges), now);

test('buy 100 @ ₹2 500.00, sell 40 @ ₹2 510.05 (cash intraday charges): realized ₹402.00, ₹309.51 after charges', async () => {
  const { core } = await book([{ tickPaise: 5 }]);
  const profiles = loadCostProfiles(await readFile(new URL('../../../config/costs.toml', import.meta.url), 'utf8'));
  writeCostProfile(core, COSTS, pickProfileVersion(profiles, 'cash_intraday', '2026-11-20'));
  const charges = (side: Side, paise: number, qty: number) => BigInt(fillCosts(core, COSTS, SCRATCH, side, paise, qty).total_paise);
  assert.ok(SCRATCH + COST_OUT_BYTES <= STATE);

  // buy 100 @ ₹2 500.00 = 250 000 paise = 50 000 ticks of 5 paise; turnover 25 000 000 paise.
  // exchange 0.00297 % = 742.5 → 743 · SEBI 0.0001 % = 25 · stamp 0.003 % = 750 · brokerage min(₹20, 7 500) = 2 000
  // GST 18 % × (2 000 + 743 + 25) = 498.24 → 498 · STT 0 on an intraday buy → 4 016 paise
  const buyCharges = charges(BUY, 250_000, 100);
  assert.equal(buyCharges, 4_016n);
  assert.equal(fill(core, 0, BUY, 50_000, 100, buyCharges), S.OK);
  let p = readPosition(core, STATE, 0);
  assert.deepEqual([p.position, p.cost_paise, p.avg_price_paise, p.mark_ticks], [100n, 25_000_000n, 250_000n, 50_000]);
  assert.deepEqual([p.realized_paise, p.charges_paise, p.net_realized_paise, p.unrealized_paise], [0n, 4_016n, -4_016n, 0n]);

  // sell 40 @ ₹2 510.05 = 251 005 paise = 50 201 ticks; turnover 10 040 200.
  // STT 0.025 % = 2 510.05 → 2 510 · exchange 298.19394 → 298 · SEBI 10.0402 → 10 · stamp 0 on a sell
  // brokerage min(2 000, 3 012.06) = 2 000 · GST 18 % × (2 000 + 298 + 10) = 415.44 → 415 → 5 233 paise
  const sellCharges = charges(SELL, 251_005, 40);
  assert.equal(sellCharges, 5_233n);
  assert.equal(fill(core, 0, SELL, 50_201, 40, sellCharges), S.OK);
  // realized (2 510.05 − 2 500.00) × 40 = ₹402.00; after charges 40 200 − 4 016 − 5 233 = 30 951 (₹309.51)
  p = readPosition(core, STATE, 0);
  assert.deepEqual([p.position, p.cost_paise, p.avg_price_paise], [60n, 15_000_000n, 250_000n]);
  assert.deepEqual([p.realized_paise, p.charges_paise, p.net_realized_paise], [40_200n, 9_249n, 30_951n]);
  assert.equal(rupees(p.net_realized_paise), '309.51');
  assert.deepEqual([p.day.buy_turnover_paise, p.day.sell_turnover_paise, p.day.bought, p.day.sold, p.day.fills], [25_000_000n, 10_040_200n, 100n, 40n, 2]);
  // the mark is still the first fill's price (a fill sets it only when there is none): unrealized 0
  assert.equal(p.unrealized_paise, 0n);
  // mark ₹2 505.00 = 50 100 ticks: unrealized (250 500 − 250 000) × 60 = 30 000; exposure 60 × 250 500
  assert.equal(core.positionsMark(STATE, 0, 50_100), S.OK);
  p = readPosition(core, STATE, 0);
  assert.deepEqual([p.unrealized_paise, p.exposure_paise, p.day.pnl_paise], [30_000n, 15_030_000n, 30_951n + 30_000n]);

  // sell the other 60 @ ₹2 490.00 = 49 800 ticks; turnover 14 940 000.
  // STT 3 735 · exchange 443.718 → 444 · SEBI 14.94 → 15 · brokerage 2 000 · GST 18 % × 2 459 = 442.62 → 443 → 6 637
  const exitCharges = charges(SELL, 249_000, 60);
  assert.equal(exitCharges, 6_637n);
  assert.equal(fill(core, 0, SELL, 49_800, 60, exitCharges), S.OK);
  // realized += (2 490 − 2 500) × 60 = −60 000 → −19 800 = sells 24 980 200 − buys 25 000 000
  p = readPosition(core, STATE, 0);
  assert.deepEqual([p.position, p.cost_paise, p.avg_price_paise, p.unrealized_paise, p.exposure_paise], [0n, 0n, 0n, 0n, 0n]);
  assert.deepEqual([p.realized_paise, p.charges_paise, p.net_realized_paise], [-19_800n, 15_886n, -35_686n]);
  assert.equal(rupees(p.net_realized_paise), '-356.86');
  const totals = readPositions(core, STATE);
  assert.deepEqual([totals.net_realized_paise, totals.day.pnl_paise, totals.day.fills], [-35_686n, -35_686n, 3]);
});

test('adding moves the average; the cost stays exact and the average is rounded only when read', async () => {
  const { core } = await book([{ tickPaise: 5 }]);
  // buy 1 @ 2 000 ticks (10 000 paise), 2 @ 2 001 (10 005): cost 30 010, average 10 003.33 → 10 003
  fill(core, 0, BUY, 2_000, 1);
  fill(core, 0, BUY, 2_001, 2);
  assert.deepEqual([core.positionsCostPaise(STATE, 0), core.positionsAvgPricePaise(STATE, 0)], [30_010n, 10_003n]);
  // 3 more @ 2 002 (10 010): cost 60 040 over 6, average 10 006.67 → 10 007
  fill(core, 0, BUY, 2_002, 3);
  assert.deepEqual([core.positionsCostPaise(STATE, 0), core.positionsAvgPricePaise(STATE, 0)], [60_040n, 10_007n]);
  // sell 1 @ 2 010 (10 050): the unit carries 60 040 / 6 = 10 006.67 → 10 007 of cost; realized 43, cost 50 033
  fill(core, 0, SELL, 2_010, 1);
  assert.deepEqual([core.positionsRealizedPaise(STATE, 0), core.positionsCostPaise(STATE, 0), core.positionsPosition(STATE, 0)], [43n, 50_033n, 5n]);
  // the rest @ 10 050: realized += 50 250 − 50 033 = 217 → 260 = sells 60 300 − buys 60 040, to the paisa
  fill(core, 0, SELL, 2_010, 5);
  assert.deepEqual([core.positionsRealizedPaise(STATE, 0), core.positionsCostPaise(STATE, 0)], [260n, 0n]);
});

test('a half-paisa released cost rounds away from zero, long and short, and the remainder stays open', async () => {
  const { core } = await book([{ tickPaise: 1 }, { tickPaise: 1 }]);
  // long: 1 @ 1 + 1 @ 2 = cost 3 over 2, average 1.5 → 2 when read
  fill(core, 0, BUY, 1, 1);
  fill(core, 0, BUY, 2, 1);
  assert.equal(core.positionsAvgPricePaise(STATE, 0), 2n);
  // sell 1 @ 10: released 1.5 → 2, realized 8; 1 paisa of cost stays with the last unit
  fill(core, 0, SELL, 10, 1);
  assert.deepEqual([core.positionsRealizedPaise(STATE, 0), core.positionsCostPaise(STATE, 0)], [8n, 1n]);
  fill(core, 0, SELL, 10, 1);
  assert.equal(core.positionsRealizedPaise(STATE, 0), 17n); // 20 − 3
  // short: sell 1 @ 1 + 1 @ 2 = cost −3; buy 1 @ 1 releases −1.5 → −2: realized −1 + 2 = 1, cost −1
  fill(core, 1, SELL, 1, 1);
  fill(core, 1, SELL, 2, 1);
  assert.deepEqual([core.positionsCostPaise(STATE, 1), core.positionsAvgPricePaise(STATE, 1)], [-3n, 2n]);
  fill(core, 1, BUY, 1, 1);
  assert.deepEqual([core.positionsRealizedPaise(STATE, 1), core.positionsCostPaise(STATE, 1), core.positionsPosition(STATE, 1)], [1n, -1n, -1n]);
  fill(core, 1, BUY, 1, 1);
  assert.deepEqual([core.positionsRealizedPaise(STATE, 1), core.positionsCostPaise(STATE, 1)], [1n, 0n]); // sells 3 − buys 2
});

test('through zero: the closed part is realized, the rest opens at the fill price; exactly flat clears the cost', async () => {
  const { core } = await book([{ tickPaise: 5, lotSize: 5 }]);
  // long 10 @ 1 000 ticks (5 000 paise); the fill sets the mark (none before)
  assert.equal(core.positionsMarkTicks(STATE, 0), NO_MARK);
  fill(core, 0, BUY, 1_000, 10);
  assert.equal(core.positionsMarkTicks(STATE, 0), 1_000);
  // sell 25 @ 1 010 (5 050): closes 10, realized (5 050 − 5 000) × 10 = 500; opens short 15 @ 5 050
  fill(core, 0, SELL, 1_010, 25);
  let p = readPosition(core, STATE, 0);
  assert.deepEqual([p.position, p.cost_paise, p.avg_price_paise, p.realized_paise], [-15n, -75_750n, 5_050n, 500n]);
  // unrealized at the (old) mark 5 000: (5 000 − 5 050) × −15 = 750; exposure 15 × 5 000
  assert.deepEqual([p.unrealized_paise, p.exposure_paise], [750n, 75_000n]);
  // buy 15 @ 1 020 (5 100): exactly flat, realized += (5 100 − 5 050) × 15 × −1 = −750 → −250
  fill(core, 0, BUY, 1_020, 15);
  p = readPosition(core, STATE, 0);
  assert.deepEqual([p.position, p.cost_paise, p.avg_price_paise, p.realized_paise, p.unrealized_paise, p.exposure_paise], [0n, 0n, 0n, -250n, 0n, 0n]);
  // long 5 @ 5 000 from flat, then sell 12 @ 990 (4 950): realized += (4 950 − 5 000) × 5 = −250; short 7 @ 4 950
  fill(core, 0, BUY, 1_000, 5);
  fill(core, 0, SELL, 990, 10);
  assert.equal(fill(core, 0, SELL, 990, 2), S.BAD_QTY); // 2 is not a whole lot of 5
  p = readPosition(core, STATE, 0);
  assert.deepEqual([p.position, p.cost_paise, p.realized_paise], [-5n, -24_750n, -500n]);
  // conservation: realized − cost = −500 + 24 750 = sells (126 250 + 49 500) − buys (50 000 + 76 500 + 25 000)
  assert.equal(p.realized_paise - p.cost_paise, 126_250n + 49_500n - (50_000n + 76_500n + 25_000n));
});

test('the day roll zeroes today and keeps positions; the day P&L counts only the move since the roll', async () => {
  const { core } = await book([{ tickPaise: 5 }, { tickPaise: 10 }]);
  fill(core, 0, BUY, 1_000, 10, 20n, 7n); // 10 @ 5 000 paise, charges 20
  fill(core, 1, SELL, 300, 4, 8n, 9n); // short 4 @ 3 000 paise, charges 8
  core.positionsMark(STATE, 0, 1_100); // 5 500: unrealized 5 000
  core.positionsMark(STATE, 1, 310); // 3 100: unrealized −400
  let t = readPositions(core, STATE);
  assert.deepEqual([t.unrealized_paise, t.day.pnl_paise, t.day.charges_paise, t.day.fills], [4_600n, 4_600n - 28n, 28n, 2]);
  assert.equal(core.positionsNewDay(STATE), S.OK);
  t = readPositions(core, STATE);
  const [a, b] = t.symbols;
  assert.deepEqual([a!.position, a!.cost_paise, a!.mark_ticks, a!.charges_paise, a!.fills, a!.last_fill_ns], [10n, 50_000n, 1_100, 20n, 1n, 7n]);
  assert.deepEqual([b!.position, b!.cost_paise, b!.mark_ticks], [-4n, -12_000n, 310]);
  assert.deepEqual(a!.day, {
    realized_paise: 0n, charges_paise: 0n, buy_turnover_paise: 0n, sell_turnover_paise: 0n, bought: 0n, sold: 0n, fills: 0,
    start_unrealized_paise: 5_000n, pnl_paise: 0n,
  });
  assert.deepEqual([b!.day.start_unrealized_paise, t.day.pnl_paise, t.day.fills, t.unrealized_paise], [-400n, 0n, 0, 4_600n]);
  // overnight long falls to 5 250: −2 500 today though still +2 500 since entry
  core.positionsMark(STATE, 0, 1_050);
  assert.deepEqual([core.positionsUnrealizedPaise(STATE, 0), core.positionsDayPnlPaise(STATE, 0)], [2_500n, -2_500n]);
  // sold there with charges 30: realized 2 500 (today's too), day P&L 2 500 − 30 + 0 − 5 000 = −2 530
  fill(core, 0, SELL, 1_050, 10, 30n, 11n);
  const p = readPosition(core, STATE, 0);
  assert.deepEqual([p.realized_paise, p.charges_paise, p.day.realized_paise, p.day.charges_paise, p.day.pnl_paise, p.day.fills, p.fills],
    [2_500n, 50n, 2_500n, 30n, -2_530n, 1, 2n]);
  assert.deepEqual([core.positionsTotalDayPnlPaise(STATE), core.positionsTotalNetRealizedPaise(STATE)], [-2_530n, 2_500n - 58n]);
});

test('totals across symbols: net realized after charges, unrealized, gross exposure of longs and shorts', async () => {
  const { core } = await book([{ tickPaise: 5 }, { tickPaise: 5 }, { tickPaise: 100, lotSize: 75 }]);
  fill(core, 0, BUY, 2_000, 100, 50n); // long 100 @ 10 000
  fill(core, 0, SELL, 2_020, 50, 40n); // realized 50 × 100 = 5 000
  fill(core, 1, SELL, 1_000, 30, 10n); // short 30 @ 5 000
  fill(core, 2, BUY, 150, 150, 25n); // long 150 @ 15 000
  core.positionsMark(STATE, 0, 2_010); // 10 050: +2 500, exposure 502 500
  core.positionsMark(STATE, 1, 1_010); // 5 050: −1 500, exposure 151 500
  core.positionsMark(STATE, 2, 149); // 14 900: −15 000, exposure 2 235 000
  const t = readPositions(core, STATE);
  assert.deepEqual(
    [t.realized_paise, t.charges_paise, t.net_realized_paise, t.unrealized_paise, t.gross_exposure_paise],
    [5_000n, 125n, 4_875n, 2_500n - 1_500n - 15_000n, 502_500n + 151_500n + 2_235_000n],
  );
  // an index outside the block reads 0 (and no mark)
  assert.deepEqual([core.positionsPosition(STATE, 3), core.positionsUnrealizedPaise(STATE, -1), core.positionsMarkTicks(STATE, 3)], [0n, 0n, NO_MARK]);
});

test('overflow: each bound is reached exactly and refused one step beyond, and a refusal changes nothing', async () => {
  const { core } = await book([{ tickPaise: 1_000_000 }, { tickPaise: 1 }, { tickPaise: 1 }]);
  const refused = (status: number, call: () => number) => {
    const before = readPositions(core, STATE);
    assert.equal(call(), status);
    assert.deepEqual(readPositions(core, STATE), before, 'a refused call changed the state');
  };
  const E = 1_000_000_000; // ticks of ₹10 000: 1e15 paise a unit
  // turnover: 11 units = 1.1e16 > 1e16; 10 units = 1e16 exactly (cost and exposure at the bound too)
  refused(S.OVERFLOW, () => fill(core, 0, BUY, E, 11));
  assert.equal(fill(core, 0, BUY, E, 10), S.OK);
  assert.deepEqual([core.positionsCostPaise(STATE, 0), core.positionsExposurePaise(STATE, 0)], [MAX_POSITION_PAISE, MAX_POSITION_PAISE]);
  // one more unit at 1 tick (1e6 paise): cost 1e16 + 1e6; today's buy turnover would pass too
  refused(S.OVERFLOW, () => fill(core, 0, BUY, 1, 1));
  // the mark: 1e9 + 1 ticks × 10 units passes 1e16; the largest price passes it by far
  refused(S.OVERFLOW, () => core.positionsMark(STATE, 0, E + 1));
  refused(S.OVERFLOW, () => core.positionsMark(STATE, 0, 2_147_483_647));
  assert.equal(core.positionsMark(STATE, 0, E), S.OK);
  // sell all at 1 tick: realized 1e7 − 1e16, inside the bound
  assert.equal(fill(core, 0, SELL, 1, 10), S.OK);
  assert.equal(core.positionsRealizedPaise(STATE, 0), 10_000_000n - MAX_POSITION_PAISE);
  // today's buy turnover is at 1e16: another buy of 1e15 is refused until the day rolls
  refused(S.OVERFLOW, () => fill(core, 0, BUY, E, 1));
  core.positionsNewDay(STATE);
  assert.equal(fill(core, 0, BUY, E, 10), S.OK);
  // the same loss again would take realized since init to −2e16 + 2e7: refused
  refused(S.OVERFLOW, () => fill(core, 0, SELL, 1, 10));
  // at the entry price nothing is realized: accepted
  assert.equal(fill(core, 0, SELL, E, 10), S.OK);
  assert.equal(core.positionsRealizedPaise(STATE, 0), 10_000_000n - MAX_POSITION_PAISE);
  // the entry value since the roll: 10 @ 1e15 today, then tomorrow at a low mark 1 more @ 1e15 is
  // within today's turnover and the exposure, but the open cost would be 1.1e16
  core.positionsNewDay(STATE);
  assert.equal(fill(core, 0, BUY, E, 10), S.OK);
  core.positionsNewDay(STATE);
  assert.equal(core.positionsMark(STATE, 0, 1), S.OK);
  refused(S.OVERFLOW, () => fill(core, 0, BUY, E, 1));
  assert.equal(fill(core, 0, SELL, E, 10), S.OK);
  // today's realized has a bound of its own: a short carried overnight bought back at 1 tick gains
  // 1e16 − 1e7 today (since init back to 0); a long bought and sold the same way would make today's
  // 2e16 − 2e7 while since init would be only 1e16 − 1e7
  core.positionsNewDay(STATE);
  assert.equal(fill(core, 0, SELL, E, 10), S.OK);
  core.positionsNewDay(STATE);
  assert.equal(fill(core, 0, BUY, 1, 10), S.OK);
  assert.deepEqual([core.positionsRealizedPaise(STATE, 0), core.positionsDayRealizedPaise(STATE, 0)], [0n, MAX_POSITION_PAISE - 10_000_000n]);
  assert.equal(fill(core, 0, BUY, 1, 10), S.OK);
  refused(S.OVERFLOW, () => fill(core, 0, SELL, E, 10));
  // a product past 2^64 must not wrap: 2^40 paise × 2^24 units = 2^64 ≡ 0 in i64 arithmetic
  const wrap = await book([{ tickPaise: 262_144 }]);
  assert.equal(wrap.core.positionsMark(STATE, 0, 1), S.OK);
  assert.equal(wrap.core.positionsOnFill(STATE, 0, BUY, 4_194_304, 16_777_216n, 0n, 1n), S.OVERFLOW);
  assert.equal(wrap.core.positionsPosition(STATE, 0), 0n);

  // position: 1e9 units is the bound, long or short; a fill of more than 1e9 is a bad quantity
  const Q = BigInt(MAX_POSITION_QTY);
  refused(S.BAD_QTY, () => fill(core, 1, BUY, 1, Q + 1n));
  assert.equal(fill(core, 1, BUY, 1, Q), S.OK);
  refused(S.OVERFLOW, () => fill(core, 1, BUY, 1, 1));
  assert.equal(fill(core, 1, SELL, 1, Q), S.OK); // flat
  assert.equal(fill(core, 1, SELL, 2, Q), S.OK); // short 1e9 @ 2
  refused(S.OVERFLOW, () => fill(core, 1, SELL, 2, 1));
  assert.equal(fill(core, 1, BUY, 3, Q), S.OK); // flat again: realized 1e9 × (1 − 1) + 1e9 × (2 − 3)
  assert.equal(core.positionsRealizedPaise(STATE, 1), -Q);

  // charges: one fill may carry at most 1e16; the sum since init stays within 1e16 (the day roll does not reset it)
  refused(S.BAD_CHARGES, () => fill(core, 2, BUY, 1, 1, MAX_POSITION_PAISE + 1n));
  refused(S.BAD_CHARGES, () => fill(core, 2, BUY, 1, 1, -1n));
  assert.equal(fill(core, 2, BUY, 1, 1, MAX_POSITION_PAISE - 1n), S.OK);
  assert.equal(fill(core, 2, SELL, 1, 1, 1n), S.OK);
  core.positionsNewDay(STATE);
  refused(S.OVERFLOW, () => fill(core, 2, BUY, 1, 1, 1n));
  assert.equal(fill(core, 2, BUY, 1, 1, 0n), S.OK);
  assert.equal(core.positionsNetRealizedPaise(STATE, 2), -MAX_POSITION_PAISE);
});

test('128 symbols at their bounds: every total is the exact sum (the bound leaves room in i64)', async () => {
  const { core } = await testCore();
  assert.equal(core.positionsBytes(MAX_POSITION_SYMBOLS + 1), 0);
  assert.equal(core.positionsInit(STATE, MAX_POSITION_SYMBOLS + 1), S.BAD_CONFIG);
  initPositions(core, STATE, { symbols: Array.from({ length: MAX_POSITION_SYMBOLS }, () => ({ tickPaise: 1_000_000 })) });
  const E = 1_000_000_000;
  for (let i = 0; i < MAX_POSITION_SYMBOLS; i++) {
    const side = i % 2 === 0 ? BUY : SELL;
    // 10 units of 1e15 paise each way, charges 1e16 - 1 each: every money field near its bound
    assert.equal(fill(core, i, side, E, 10, MAX_POSITION_PAISE - 1n), S.OK);
    assert.equal(core.positionsMark(STATE, i, side === BUY ? 1 : E), S.OK);
  }
  core.positionsNewDay(STATE);
  for (let i = 0; i < MAX_POSITION_SYMBOLS; i += 2) core.positionsMark(STATE, i, E);
  // longs: unrealized 0 now (was 1e7 − 1e16 at the roll); shorts: 0 throughout
  const n = BigInt(MAX_POSITION_SYMBOLS);
  const t = readPositions(core, STATE);
  assert.equal(t.charges_paise, n * (MAX_POSITION_PAISE - 1n));
  assert.equal(t.net_realized_paise, -n * (MAX_POSITION_PAISE - 1n));
  assert.equal(t.gross_exposure_paise, n * MAX_POSITION_PAISE);
  assert.equal(t.day.pnl_paise, (n / 2n) * (MAX_POSITION_PAISE - 10_000_000n));
  assert.ok(t.charges_paise > 2n ** 60n, 'the sums are well past 2^53 and near 2^63');
});

test('bad inputs: misaligned, not initialised, not configured, reconfiguring an open symbol', async () => {
  const { core } = await testCore();
  assert.equal(core.positionsInit(STATE + 4, 2), S.MISALIGNED);
  assert.equal(core.positionsInit(STATE, 0), S.BAD_CONFIG);
  // a zeroed block is not initialised: every call refuses, every reader answers 0
  assert.equal(fill(core, 0, BUY, 1, 1), S.NOT_INITIALIZED);
  assert.equal(core.positionsMark(STATE, 0, 1), S.NOT_INITIALIZED);
  assert.equal(core.positionsNewDay(STATE), S.NOT_INITIALIZED);
  assert.equal(core.positionsSetSymbol(STATE, 0, 5, 1), S.NOT_INITIALIZED);
  assert.deepEqual([core.positionsSymbolCount(STATE), core.positionsGrossExposurePaise(STATE), core.positionsPosition(STATE, 0)], [0, 0n, 0n]);
  assert.equal(core.positionsInit(STATE, 2), S.OK);
  assert.equal(fill(core, 1, BUY, 1, 1), S.NOT_CONFIGURED);
  assert.equal(core.positionsMark(STATE, 1, 1), S.NOT_CONFIGURED);
  for (const [tick, lot] of [[0, 1], [1_000_001, 1], [5, 0], [5, 1_000_000_001], [-5, 1]] as const) {
    assert.equal(core.positionsSetSymbol(STATE, 1, tick, lot), S.BAD_CONFIG, `tick ${tick} lot ${lot}`);
  }
  assert.equal(core.positionsSetSymbol(STATE, 2, 5, 1), S.BAD_SYMBOL);
  assert.equal(core.positionsSetSymbol(STATE, 1, 5, 25), S.OK);
  assert.equal(fill(core, 1, BUY, 100, 50), S.OK);
  assert.equal(core.positionsSetSymbol(STATE, 1, 10, 25), S.POSITION_OPEN);
  assert.equal(core.positionsTickPaise(STATE, 1), 5);
  assert.equal(fill(core, 1, SELL, 100, 50), S.OK);
  // flat again: reconfigurable, and the mark in the old ticks is dropped
  assert.equal(core.positionsSetSymbol(STATE, 1, 10, 1), S.OK);
  assert.deepEqual([core.positionsTickPaise(STATE, 1), core.positionsLotSize(STATE, 1), core.positionsMarkTicks(STATE, 1)], [10, 1, NO_MARK]);
  assert.equal(fill(core, 1, 7 as Side, 100, 1), S.BAD_SIDE);
});

// ── host ─────────────────────────────────────────────────────────────────────────────────────────

function throwsConfig(fn: () => unknown, key: string, allowed: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof ConfigError && e.key === key && allowed.test(e.allowed), key);
}

test('host config: each bad key is named with its range; defaults, plan and readers', async () => {
  throwsConfig(() => resolvePositionsConfig({ symbols: [] }), 'positions.symbols', /1 to 128/);
  throwsConfig(() => resolvePositionsConfig({ symbols: Array(129).fill({ tickPaise: 5 }) }), 'positions.symbols', /1 to 128/);
  throwsConfig(() => resolvePositionsConfig({ symbols: [{ tickPaise: 5 }, { tickPaise: 0 }] }), 'positions.symbols[1].tickPaise', /\[1, 1000000\]/);
  throwsConfig(() => resolvePositionsConfig({ symbols: [{ tickPaise: 2.5 }] }), 'positions.symbols[0].tickPaise', /integer/);
  throwsConfig(() => resolvePositionsConfig({ symbols: [{ tickPaise: 5, lotSize: 0 }] }), 'positions.symbols[0].lotSize', /\[1, 1000000000\]/);
  throwsConfig(() => resolvePositionsConfig({ symbols: [{ tickPaise: 5, lot: 75 } as never] }), 'positions.symbols[0].lot', /tickPaise, lotSize/);
  throwsConfig(() => resolvePositionsConfig({ symbols: [{ tickPaise: 5 }], extra: 1 } as never), 'positions.extra', /symbols/);
  assert.deepEqual(resolvePositionsConfig({ symbols: [{ tickPaise: 5 }, { tickPaise: 100, lotSize: 75 }] }),
    [{ tickPaise: 5, lotSize: 1 }, { tickPaise: 100, lotSize: 75 }]);
  const { core } = await testCore();
  assert.deepEqual(positionsStatePlan(core, 'positions', 3), { name: 'positions', bytes: 64 + 3 * 128 });
  throwsConfig(() => positionsStatePlan(core, 'positions', 0), 'positions.symbols', /\[1, 128\]/);
  initPositions(core, STATE, { symbols: [{ tickPaise: 5, lotSize: 75 }] });
  applyFill(core, STATE, { symbol: 0, side: BUY, priceTicks: 2_000, qty: 150n, chargesPaise: 12n, nowNs: 5n });
  assert.throws(() => applyFill(core, STATE, { symbol: 0, side: BUY, priceTicks: 2_000, qty: 10n, chargesPaise: 0n, nowNs: 6n }),
    (e: unknown) => e instanceof PositionsError && e.status === S.BAD_QTY && /whole number of lots/.test(e.message));
  assert.equal(readPositions(core, STATE).symbols[0]!.position, 150n);
  assert.equal(describePositionsStatus(S.OVERFLOW), 'a position, cost, exposure or P&L would pass its bound (1e9 units, 1e16 paise)');
  assert.equal(describePositionsStatus(-99), 'unknown status -99');
  assert.deepEqual([rupees(0n), rupees(5n), rupees(-100n), rupees(123_456n)], ['0.00', '0.05', '-1.00', '1234.56']);
});

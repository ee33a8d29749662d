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

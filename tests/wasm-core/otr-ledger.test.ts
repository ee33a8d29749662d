// The OTR ledger against a plain reference written from docs/market-rules.md on seeded random
// event sequences, plus hand-worked examples, exemption edges, the 30-day opening-ban rule and the
// host's config validation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rng, testCore } from '../testkit/core.js';
import { ConfigError } from '../../host/config/config-error.js';
import type { CoreExports } from '../../host/core/core.js';
import {
  DEFAULT_OTR_CONFIG, NO_DAY, OtrStatus, UNLIMITED_BUDGET, dateOfDay, dayNumber, dayNumberAt, initOtrLedger, readLedger,
  resolveOtrConfig, type OtrConfig, type OtrSlab, type Segment,
} from '../../host/modules/otr-ledger.js';

const STATE = 65536;
const OPTIONS_FROM = dayNumber('2026-04-06');

// ── reference ────────────────────────────────────────────────────────────────────────────────────

interface RefConfig {
  segment: Segment;
  tickPaise: number;
  exemptBps: number;
  optionsPct: number;
  optionsFloorPaise: number;
  optionsFromDay: number;
  zeroTradeOtr: 'orders' | 'zero';
  /** Thresholds are multiples of 1/4, so `counted >= threshold * trades` is exact in doubles. */
  slabs: { threshold: number; paise: number }[];
  banOtr: number;
  banDays: number;
  banWindow: number;
}

type Kind = 'new' | 'modify' | 'cancel';

/** The rules, straight: no shared code with the core. */
class RefLedger {
  day: number | null = null;
  counted = { new: 0, modify: 0, cancel: 0 };
  exempt = { new: 0, modify: 0, cancel: 0 };
  trades = 0;
  /** Finished days: day → flagged (OTR ≥ banOtr). */
  readonly history = new Map<number, boolean>();
  prev: { day: number; counted: number; trades: number; penalty: number } | null = null;

  constructor(readonly c: RefConfig) {}

  get total(): number { return this.counted.new + this.counted.modify + this.counted.cancel; }

  otrOf(counted: number, trades: number): number {
    if (trades > 0) return counted / trades;
    return this.c.zeroTradeOtr === 'orders' ? counted : 0;
  }

  /** OTR ≥ x, decided on the fraction so boundaries are exact. */
  otrAtLeast(counted: number, trades: number, x: number): boolean {
    if (trades > 0) return counted >= x * trades;
    return (this.c.zeroTradeOtr === 'orders' ? counted : 0) >= x;
  }

  slabOf(counted: number, trades: number): number {
    let slab = -1;
    this.c.slabs.forEach((s, i) => { if (this.otrAtLeast(counted, trades, s.threshold)) slab = i; });
    return slab;
  }

  penaltyOf(counted: number, trades: number): number {
    const slab = this.slabOf(counted, trades);
    return slab < 0 ? 0 : this.c.slabs[slab]!.paise * counted;
  }

  isExempt(price: number, ltp: number): boolean {
    if (ltp <= 0) return false;
    const diffPaise = Math.abs(price - ltp) * this.c.tickPaise;
    const ltpPaise = ltp * this.c.tickPaise;
    if (this.c.segment === 'options' && this.day! >= this.c.optionsFromDay) {
      // within ±max(pct % of the premium, ₹ floor), all in paise × 100
      return diffPaise * 100 <= Math.max(this.c.optionsPct * ltpPaise, this.c.optionsFloorPaise * 100);
    }
    // |price − LTP| / LTP ≤ bps / 10000
    return diffPaise * 10000 <= this.c.exemptBps * ltpPaise;
  }

  /** Returns the status the core must give. */
  enter(day: number): number {
    if (day < 0) return OtrStatus.BAD_DAY;
    if (this.day === null) { this.day = day; return 0; }
    if (day < this.day) return OtrStatus.EARLIER_DAY;
    if (day > this.day) {
      this.history.set(this.day, this.otrAtLeast(this.total, this.trades, this.c.banOtr));
      this.prev = { day: this.day, counted: this.total, trades: this.trades, penalty: this.penaltyOf(this.total, this.trades) };
      this.counted = { new: 0, modify: 0, cancel: 0 };
      this.exempt = { new: 0, modify: 0, cancel: 0 };
      this.trades = 0;
      this.day = day;
    }
    return 0;
  }

  message(kind: Kind, day: number, price: number, ltp: number): number {
    const s = this.enter(day);
    if (s < 0) return s;
    if (this.isExempt(price, ltp)) { this.exempt[kind]++; return OtrStatus.EXEMPT; }
    this.counted[kind]++;
    return OtrStatus.COUNTED;
  }

  trade(day: number): number {
    const s = this.enter(day);
    if (s < 0) return s;
    this.trades++;
    return 0;
  }

  budget(targetMilli: number): number {
    if (this.trades === 0 && this.c.zeroTradeOtr === 'zero') return UNLIMITED_BUDGET;
    // the largest n with OTR(counted + n) ≤ target
    const den = this.trades > 0 ? this.trades : 1;
    const n = Math.floor((targetMilli * den) / 1000) - this.total;
    return Math.max(0, n);
  }

  /** Days the ledger still remembers: today and the 63 before it. */
  remembered(q: number): boolean { return q >= this.day! - 63; }

  flaggedInWindowEnding(p: number, includeToday: boolean): number {
    let n = 0;
    for (let q = p - this.c.banWindow + 1; q <= p; q++) {
      if (!this.remembered(q)) continue;
      if (q === this.day) { if (includeToday && this.otrAtLeast(this.total, this.trades, this.c.banOtr)) n++; continue; }
      if (this.history.get(q)) n++;
    }
    return n;
  }

  /** Banned at the opening of `d`: the last day seen before d was the banDays-th flagged day in its window. */
  openingBan(d: number): boolean {
    if (this.day === null) return false;
    const days = [...this.history.keys()].filter((q) => this.remembered(q));
    if (d > this.day) days.push(this.day);
    const before = days.filter((q) => q < d);
    if (before.length === 0) return false;
    const p = Math.max(...before);
    const flaggedP = p === this.day ? this.otrAtLeast(this.total, this.trades, this.c.banOtr) : this.history.get(p)!;
    return flaggedP && this.flaggedInWindowEnding(p, true) >= this.c.banDays;
  }
}

function toConfig(c: RefConfig): Partial<OtrConfig> {
  return {
    segment: c.segment, tickPaise: c.tickPaise, exemptBps: c.exemptBps, optionsExemptPct: c.optionsPct,
    optionsFloorPaise: c.optionsFloorPaise, optionsEffectiveFrom: dateOfDay(c.optionsFromDay), zeroTradeOtr: c.zeroTradeOtr,
    slabs: c.slabs.map((s): OtrSlab => ({ threshold: s.threshold, paisePerOrder: s.paise })),
    banOtr: c.banOtr, banDays: c.banDays, banWindowDays: c.banWindow,
  };
}

const DEFAULT_REF: RefConfig = {
  segment: 'cash', tickPaise: 5, exemptBps: 75, optionsPct: 40, optionsFloorPaise: 2000, optionsFromDay: OPTIONS_FROM,
  zeroTradeOtr: 'orders',
  slabs: [{ threshold: 0, paise: 0 }, { threshold: 50, paise: 2 }, { threshold: 250, paise: 10 }, { threshold: 500, paise: 15 },
    { threshold: 1000, paise: 20 }, { threshold: 2000, paise: 25 }],
  banOtr: 2000, banDays: 3, banWindow: 30,
};

function randomConfig(r: () => number, base: number): RefConfig {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  if (r() < 0.1) return { ...DEFAULT_REF, segment: pick(['cash', 'futures', 'options'] as const), optionsFromDay: base + Math.floor(r() * 6) };
  const slabs = [{ threshold: 0, paise: Math.floor(r() * 3) }];
  const n = 1 + Math.floor(r() * 8);
  for (let i = 1; i < n; i++) slabs.push({ threshold: slabs[i - 1]!.threshold + 0.25 * (1 + Math.floor(r() * 16)), paise: Math.floor(r() * 30) });
  return {
    segment: pick(['cash', 'futures', 'options'] as const),
    tickPaise: pick([1, 5, 5, 10, 100]),
    exemptBps: pick([0, 75, 75, 100, Math.floor(r() * 500)]),
    optionsPct: pick([40, 40, 0, 100, Math.floor(r() * 100)]),
    optionsFloorPaise: pick([2000, 2000, 0, Math.floor(r() * 10_000)]),
    optionsFromDay: base + Math.floor(r() * 6),
    zeroTradeOtr: r() < 0.5 ? 'orders' : 'zero',
    slabs,
    banOtr: 0.25 * (1 + Math.floor(r() * 24)),
    banDays: 1 + Math.floor(r() * 4),
    banWindow: r() < 0.1 ? 64 : 1 + Math.floor(r() * 40),
  };
}

/** A price near the edges of whichever exemption band applies, or anywhere. */
function randomPrice(r: () => number, c: RefConfig, ltp: number): number {
  const bands = [
    Math.floor((c.exemptBps * ltp) / 10000),
    Math.floor((c.optionsPct * ltp) / 100),
    Math.floor(c.optionsFloorPaise / c.tickPaise),
  ];
  const b = bands[Math.floor(r() * bands.length)]!;
  const choice = r();
  let off: number;
  if (choice < 0.6) off = b + Math.floor(r() * 3) - 1;
  else if (choice < 0.8) off = Math.floor(r() * (ltp * 0.05 + 2));
  else off = Math.floor(r() * (ltp + 2000));
  const price = r() < 0.5 ? ltp + off : ltp - off;
  return Math.max(1, price);
}

function near(got: number, want: number, what: string): void {
  const tol = 1e-9 * Math.max(1, Math.abs(want));
  assert.ok(Math.abs(got - want) <= tol, `${what}: got ${got}, want ${want}`);
}

function compare(core: CoreExports, ref: RefLedger, r: () => number, where: string): void {
  const s = STATE;
  assert.equal(core.otrDay(s), ref.day ?? NO_DAY, `day ${where}`);
  assert.deepEqual(
    [core.otrNewOrders(s), core.otrModifications(s), core.otrCancels(s), core.otrTrades(s)],
    [ref.counted.new, ref.counted.modify, ref.counted.cancel, ref.trades], `counts ${where}`);
  assert.deepEqual(
    [core.otrExemptNew(s), core.otrExemptModify(s), core.otrExemptCancel(s), core.otrExempt(s)],
    [ref.exempt.new, ref.exempt.modify, ref.exempt.cancel, ref.exempt.new + ref.exempt.modify + ref.exempt.cancel],
    `exempt counts ${where}`);
  assert.equal(core.otrCounted(s), ref.total, `counted ${where}`);
  near(core.otrRatio(s), ref.otrOf(ref.total, ref.trades), `otr ${where}`);
  const slab = ref.slabOf(ref.total, ref.trades);
  assert.equal(core.otrSlab(s), slab, `slab ${where}`);
  assert.equal(core.otrSlabPaise(s), slab < 0 ? 0 : ref.c.slabs[slab]!.paise, `slab rate ${where}`);
  const penalty = ref.penaltyOf(ref.total, ref.trades);
  assert.equal(core.otrPenaltyPaise(s), BigInt(penalty), `penalty ${where}`);
  assert.equal(core.otrMarginalPenaltyPaise(s, 1, 0), BigInt(ref.penaltyOf(ref.total + 1, ref.trades) - penalty), `marginal ${where}`);
  const ec = Math.floor(r() * 60);
  const et = Math.floor(r() * 4);
  assert.equal(core.otrMarginalPenaltyPaise(s, ec, et), BigInt(ref.penaltyOf(ref.total + ec, ref.trades + et) - penalty),
    `marginal +${ec}/+${et} ${where}`);
  const target = r() < 0.2 ? 0 : Math.floor(r() * 40_000);
  assert.equal(core.otrBudget(s, target), ref.budget(target), `budget to ${target} ${where}`);
  if (ref.day !== null) {
    for (const d of [ref.day, ref.day + 1, ref.day + 1 + Math.floor(r() * 5), ref.day - 1 - Math.floor(r() * 70)]) {
      assert.equal(core.otrOpeningBan(s, d) !== 0, ref.openingBan(d), `opening ban on ${d} (today ${ref.day}) ${where}`);
    }
    assert.equal(core.otrFlaggedInWindow(s), ref.flaggedInWindowEnding(ref.day, true), `flagged in window ${where}`);
  }
  if (ref.prev) {
    assert.deepEqual([core.otrPrevDay(s), core.otrPrevCounted(s), core.otrPrevTrades(s), core.otrPrevPenaltyPaise(s)],
      [ref.prev.day, ref.prev.counted, ref.prev.trades, BigInt(ref.prev.penalty)], `previous day ${where}`);
  } else {
    assert.equal(core.otrPrevDay(s), NO_DAY);
  }
}

test('10 000 random event sequences agree with the reference ledger', async () => {
  const { core } = await testCore();
  let exempt = 0;
  let counted = 0;
  let banned = 0;
  let refused = 0;
  for (let seq = 0; seq < 10_000; seq++) {
    const r = rng(0x07a + seq * 7919);
    const base = 20_500 + Math.floor(r() * 100);
    const c = randomConfig(r, base);
    initOtrLedger(core, STATE, toConfig(c));
    const ref = new RefLedger(c);
    let day = base;
    const events = 10 + Math.floor(r() * 70);
    for (let e = 0; e < events; e++) {
      const roll = r();
      if (roll < 0.12) day += 1 + Math.floor(r() * 3);
      else if (roll < 0.13) day += 30 + Math.floor(r() * 60);
      const op = r();
      const smallLtp = c.segment === 'options' && r() < 0.5;
      const ltp = r() < 0.04 ? 0 : 1 + Math.floor(r() * (smallLtp ? 2000 : 200_000));
      const price = randomPrice(r, c, Math.max(ltp, 1));
      let got: number;
      let want: number;
      let d = day;
      if (op < 0.04) d = (ref.day ?? day) - 1 - Math.floor(r() * 3); // an earlier day: refused
      if (op < 0.3) { got = core.otrOnNew(STATE, d, price, ltp); want = ref.message('new', d, price, ltp); }
      else if (op < 0.45) { got = core.otrOnModify(STATE, d, price, ltp); want = ref.message('modify', d, price, ltp); }
      else if (op < 0.6) { got = core.otrOnCancel(STATE, d, price, ltp); want = ref.message('cancel', d, price, ltp); }
      else if (op < 0.95) {
        // bursts of orders so OTRs reach the upper slabs and the ban level
        const n = 1 + Math.floor(r() * 12);
        got = 0; want = 0;
        for (let i = 0; i < n; i++) {
          got = core.otrOnNew(STATE, d, Math.max(1, ltp * 2 + 7), ltp);
          want = ref.message('new', d, Math.max(1, ltp * 2 + 7), ltp);
          assert.equal(got, want);
        }
        if (r() < 0.35) { got = core.otrOnTrade(STATE, d); want = ref.trade(d); }
      } else if (op < 0.98) { got = core.otrOnTrade(STATE, d); want = ref.trade(d); }
      else { got = core.otrRoll(STATE, d); want = ref.enter(d); }
      assert.equal(got, want, `status of event ${e} in sequence ${seq}`);
      if (got === OtrStatus.EXEMPT) exempt++;
      if (got === OtrStatus.COUNTED) counted++;
      if (got === OtrStatus.EARLIER_DAY) refused++;
      compare(core, ref, r, `after event ${e} of sequence ${seq}`);
      if (ref.day !== null && ref.openingBan(ref.day)) banned++;
    }
  }
  // the random walk must reach every branch the test is about
  assert.ok(exempt > 10_000 && counted > 10_000, `exempt ${exempt}, counted ${counted}`);
  assert.ok(banned > 1000, `opening bans seen: ${banned}`);
  assert.ok(refused > 1000, `earlier-day refusals: ${refused}`);
});

// ── hand-worked examples (default config: cash, 0.75 %, BSE slabs) ─────────────────────────────

async function ledger(config: Partial<OtrConfig> = {}) {
  const { core, memory } = await testCore();
  initOtrLedger(core, STATE, config);
  return { core, memory };
}

const DAY = dayNumber('2026-11-20');
const LTP = 100_000;
const FAR = 90_000; // 10 % away: counted

function orders(core: CoreExports, n: number, day = DAY): void {
  for (let i = 0; i < n; i++) assert.equal(core.otrOnNew(STATE, day, FAR, LTP), OtrStatus.COUNTED);
}
function trades(core: CoreExports, n: number, day = DAY): void {
  for (let i = 0; i < n; i++) assert.equal(core.otrOnTrade(STATE, day), 0);
}

test('120 counted, 2 trades: OTR 60, slab 2 paise, penalty 240; one more order costs 2', async () => {
  const { core } = await ledger();
  orders(core, 120);
  trades(core, 2);
  // OTR = 120 / 2 = 60 → slab 50–<250 (index 1) at 2 paise → 2 × 120 = 240 paise
  assert.equal(core.otrRatio(STATE), 60);
  assert.equal(core.otrSlab(STATE), 1);
  assert.equal(core.otrSlabPaise(STATE), 2);
  assert.equal(core.otrPenaltyPaise(STATE), 240n);
  // one more: 121 / 2 = 60.5 → still 2 paise → 242 → marginal 2
  assert.equal(core.otrMarginalPenaltyPaise(STATE, 1, 0), 2n);
  // one more trade instead: 120 / 3 = 40 → nil slab → 0 − 240
  assert.equal(core.otrMarginalPenaltyPaise(STATE, 0, 1), -240n);
  // negative extras count as 0
  assert.equal(core.otrMarginalPenaltyPaise(STATE, -5, -5), 0n);
  // budget to OTR ≤ 100: 100 × 2 = 200 messages in all → 80 more; to ≤ 60: 0 more; to ≤ 49.999: over → 0
  assert.equal(core.otrBudget(STATE, 100_000), 80);
  assert.equal(core.otrBudget(STATE, 60_000), 0);
  assert.equal(core.otrBudget(STATE, 60_500), 1); // 60.5 × 2 = 121
  assert.equal(core.otrBudget(STATE, 49_999), 0);
  assert.equal(core.otrBudget(STATE, -1), OtrStatus.BAD_TARGET);
});

test('slab boundary: 99 orders / 2 trades = 49.5 pays nothing; the 100th makes 50 and costs 200', async () => {
  const { core } = await ledger();
  orders(core, 99);
  trades(core, 2);
  assert.equal(core.otrRatio(STATE), 49.5);
  assert.equal(core.otrSlab(STATE), 0);
  assert.equal(core.otrPenaltyPaise(STATE), 0n);
  // 100 / 2 = 50 → 2 paise × all 100 counted = 200
  assert.equal(core.otrMarginalPenaltyPaise(STATE, 1, 0), 200n);
  // budget to ≤ 49.999: ⌊49.999 × 2⌋ = 99 → 0 more; to ≤ 50: 100 → 1 more
  assert.equal(core.otrBudget(STATE, 49_999), 0);
  assert.equal(core.otrBudget(STATE, 50_000), 1);
  orders(core, 1);
  assert.equal(core.otrRatio(STATE), 50);
  assert.equal(core.otrSlab(STATE), 1);
  assert.equal(core.otrPenaltyPaise(STATE), 200n);
  // 2000 orders / 1 trade = 2000 → top slab, 25 paise × 2000 = 50 000 paise (₹500)
  const { core: c2 } = await ledger();
  orders(c2, 2000);
  trades(c2, 1);
  assert.equal(c2.otrSlab(STATE), 5);
  assert.equal(c2.otrPenaltyPaise(STATE), 50_000n);
});

test('a day without trades: OTR = counted by default, 0 in zero mode', async () => {
  const { core } = await ledger();
  orders(core, 60);
  // 60 / "1" → 2 paise × 60 = 120; budget to ≤ 100 is 40 more
  assert.equal(core.otrRatio(STATE), 60);
  assert.equal(core.otrPenaltyPaise(STATE), 120n);
  assert.equal(core.otrBudget(STATE, 100_000), 40);
  const { core: z } = await ledger({ zeroTradeOtr: 'zero' });
  orders(z, 60);
  assert.equal(z.otrRatio(STATE), 0);
  assert.equal(z.otrPenaltyPaise(STATE), 0n);
  assert.equal(z.otrBudget(STATE, 50_000), UNLIMITED_BUDGET);
  // the first trade makes it 60 / 1 = 60 → 120 paise: the marginal penalty of that trade is +120
  assert.equal(z.otrMarginalPenaltyPaise(STATE, 0, 1), 120n);
});

test('exemption edges: exactly 0.75 % is exempt (cash, futures); a cancel is judged at cancel-time LTP', async () => {
  for (const segment of ['cash', 'futures'] as const) {
    const { core } = await ledger({ segment });
    // |100 750 − 100 000| × 10000 = 7 500 000 = 75 × 100 000 → exempt; one tick more is counted
    assert.equal(core.otrOnNew(STATE, DAY, 100_750, LTP), OtrStatus.EXEMPT);
    assert.equal(core.otrOnNew(STATE, DAY, 99_250, LTP), OtrStatus.EXEMPT);
    assert.equal(core.otrOnNew(STATE, DAY, 100_751, LTP), OtrStatus.COUNTED);
    assert.equal(core.otrOnModify(STATE, DAY, 99_249, LTP), OtrStatus.COUNTED);
    assert.equal(core.otrOnModify(STATE, DAY, LTP, LTP), OtrStatus.EXEMPT);
    // resting at 100 000, cancelled after the LTP moved to 110 000: 10 % away then → counted
    assert.equal(core.otrOnCancel(STATE, DAY, 100_000, 110_000), OtrStatus.COUNTED);
    assert.equal(core.otrOnCancel(STATE, DAY, 100_000, 100_100), OtrStatus.EXEMPT);
    // no LTP known → counted
    assert.equal(core.otrOnNew(STATE, DAY, 100_000, 0), OtrStatus.COUNTED);
    assert.deepEqual([core.otrNewOrders(STATE), core.otrModifications(STATE), core.otrCancels(STATE)], [2, 1, 1]);
    assert.deepEqual([core.otrExemptNew(STATE), core.otrExemptModify(STATE), core.otrExemptCancel(STATE)], [2, 1, 1]);
    assert.equal(core.otrCounted(STATE), 4);
    assert.equal(core.otrExempt(STATE), 4);
  }
});

test('options exemption: ±max(40 % of premium, ₹20) from 2026-04-06, ±0.75 % before', async () => {
  const { core } = await ledger({ segment: 'options', tickPaise: 5 });
  const before = OPTIONS_FROM - 1;
  // premium 4000 ticks = ₹200: 0.75 % = 30 ticks before the effective day
  assert.equal(core.otrOnNew(STATE, before, 4030, 4000), OtrStatus.EXEMPT);
  assert.equal(core.otrOnNew(STATE, before, 4031, 4000), OtrStatus.COUNTED);
  assert.equal(core.otrOnNew(STATE, before, 5600, 4000), OtrStatus.COUNTED);
  // from the effective day: 40 % of ₹200 = ₹80 = 1600 ticks > ₹20 (400 ticks)
  assert.equal(core.otrOnNew(STATE, OPTIONS_FROM, 5600, 4000), OtrStatus.EXEMPT);
  assert.equal(core.otrOnNew(STATE, OPTIONS_FROM, 2400, 4000), OtrStatus.EXEMPT);
  assert.equal(core.otrOnNew(STATE, OPTIONS_FROM, 5601, 4000), OtrStatus.COUNTED);
  // premium 200 ticks = ₹10: 40 % = ₹4 < floor ₹20 = 400 ticks → up to 600 exempt
  assert.equal(core.otrOnNew(STATE, OPTIONS_FROM, 600, 200), OtrStatus.EXEMPT);
  assert.equal(core.otrOnNew(STATE, OPTIONS_FROM, 601, 200), OtrStatus.COUNTED);
  // premium 1000 ticks = ₹50: 40 % = ₹20 = floor → 1400 exempt, 1401 counted
  assert.equal(core.otrOnModify(STATE, OPTIONS_FROM, 1400, 1000), OtrStatus.EXEMPT);
  assert.equal(core.otrOnModify(STATE, OPTIONS_FROM, 1401, 1000), OtrStatus.COUNTED);
  // a 1-paise tick: ₹20 = 2000 ticks
  const { core: fine } = await ledger({ segment: 'options', tickPaise: 1 });
  assert.equal(fine.otrOnNew(STATE, OPTIONS_FROM, 3000, 1000), OtrStatus.EXEMPT);
  assert.equal(fine.otrOnNew(STATE, OPTIONS_FROM, 3001, 1000), OtrStatus.COUNTED);
});

test('days: rollover keeps the previous day, earlier days are refused and change nothing', async () => {
  const { core } = await ledger();
  assert.equal(core.otrDay(STATE), NO_DAY);
  assert.equal(core.otrOpeningBan(STATE, DAY), 0);
  orders(core, 120);
  trades(core, 2);
  assert.equal(core.otrOnNew(STATE, DAY - 1, FAR, LTP), OtrStatus.EARLIER_DAY);
  assert.equal(core.otrOnTrade(STATE, DAY - 1), OtrStatus.EARLIER_DAY);
  assert.equal(core.otrRoll(STATE, DAY - 1), OtrStatus.EARLIER_DAY);
  assert.equal(core.otrOnNew(STATE, -5, FAR, LTP), OtrStatus.BAD_DAY);
  assert.equal(core.otrCounted(STATE), 120);
  assert.equal(core.otrDay(STATE), DAY);
  assert.equal(core.otrOnNew(STATE, DAY + 3, FAR, LTP), OtrStatus.COUNTED);
  assert.equal(core.otrDay(STATE), DAY + 3);
  assert.equal(core.otrCounted(STATE), 1);
  assert.equal(core.otrTrades(STATE), 0);
  assert.deepEqual([core.otrPrevDay(STATE), core.otrPrevCounted(STATE), core.otrPrevTrades(STATE), core.otrPrevPenaltyPaise(STATE)],
    [DAY, 120, 2, 240n]);
});

test('a daily count that would pass 2^31 − 1 is refused', async () => {
  const { core, memory } = await ledger();
  orders(core, 1);
  // layout: +116 counted new orders (u32)
  new Uint32Array(memory.buffer, STATE + 116, 1)[0] = 2 ** 31 - 1;
  assert.equal(core.otrOnNew(STATE, DAY, FAR, LTP), OtrStatus.OVERFLOW);
  assert.equal(core.otrOnModify(STATE, DAY, FAR, LTP), OtrStatus.OVERFLOW);
  assert.equal(core.otrOnNew(STATE, DAY, LTP, LTP), OtrStatus.EXEMPT);
});

// ── the opening ban: a third day at OTR ≥ 2000 within 30 rolling days ─────────────────────────

/** A day at OTR 2000 (2000 counted, 1 trade): flagged. */
function flaggedDay(core: CoreExports, day: number): void {
  assert.equal(core.otrRoll(STATE, day), 0);
  orders(core, 2000, day);
  trades(core, 1, day);
}

test('opening ban: third flagged day within 30 days bans the next day; outside the window it does not', async () => {
  const D = dayNumber('2026-01-05');
  {
    const { core } = await ledger();
    flaggedDay(core, D);
    // 1999 / 1 is below 2000: not flagged
    assert.equal(core.otrRoll(STATE, D + 5), 0);
    orders(core, 1999, D + 5);
    trades(core, 1, D + 5);
    flaggedDay(core, D + 10);
    flaggedDay(core, D + 29);
    // D, D+10, D+29 all lie in the 30 days D..D+29 ending on D+29 → three flags
    assert.equal(core.otrFlaggedInWindow(STATE), 3);
    assert.equal(core.otrOpeningBan(STATE, D + 29), 0); // the day before (D+10) made only two
    assert.equal(core.otrOpeningBan(STATE, D + 30), 1); // today, taken as finished
    assert.equal(core.otrRoll(STATE, D + 30), 0);
    assert.equal(core.otrOpeningBan(STATE, D + 30), 1);
    // D+30 passes quietly: D+31 is not banned (the last day, D+30, was not flagged)
    assert.equal(core.otrOpeningBan(STATE, D + 31), 0);
    assert.equal(core.otrRoll(STATE, D + 31), 0);
    assert.equal(core.otrOpeningBan(STATE, D + 31), 0);
    // a question about a past day: the opening of D+30 was banned, of D+11 not
    assert.equal(core.otrOpeningBan(STATE, D + 30), 1);
    assert.equal(core.otrOpeningBan(STATE, D + 11), 0);
    // a fourth flag at D+35: D+10, D+29, D+35 lie in D+6..D+35 → banned again on the next day
    flaggedDay(core, D + 35);
    assert.equal(core.otrOpeningBan(STATE, D + 36), 1);
  }
  {
    const { core } = await ledger();
    flaggedDay(core, D);
    flaggedDay(core, D + 10);
    flaggedDay(core, D + 30);
    // the window ending on D+30 is D+1..D+30: D has left it → two flags, no ban
    assert.equal(core.otrFlaggedInWindow(STATE), 2);
    assert.equal(core.otrOpeningBan(STATE, D + 31), 0);
  }
  {
    // Friday, then the next day the ledger sees is Monday: the ban lands on Monday's opening
    const { core } = await ledger();
    flaggedDay(core, D);
    flaggedDay(core, D + 1);
    flaggedDay(core, D + 4);
    assert.equal(core.otrOnNew(STATE, D + 7, FAR, LTP), OtrStatus.COUNTED);
    assert.equal(core.otrOpeningBan(STATE, D + 7), 1);
    const snap = readLedger(core, STATE);
    assert.equal(snap.opening_ban, true);
    assert.equal(snap.next_day_opening_ban, false);
  }
  {
    // a zero-trade day with 2000 counted is OTR 2000 in the default mode: flagged
    const { core } = await ledger();
    for (const d of [D, D + 1, D + 2]) { assert.equal(core.otrRoll(STATE, d), 0); orders(core, 2000, d); }
    assert.equal(core.otrOpeningBan(STATE, D + 3), 1);
    const { core: z } = await ledger({ zeroTradeOtr: 'zero' });
    for (const d of [D, D + 1, D + 2]) { assert.equal(z.otrRoll(STATE, d), 0); orders(z, 2000, d); }
    assert.equal(z.otrOpeningBan(STATE, D + 3), 0);
  }
});

// ── core refusals and the host's config ─────────────────────────────────────────────────────────

test('core refuses bad config, slabs and alignment', async () => {
  const { core } = await testCore();
  const ok = [0, 5, 75, 4000, 2000, OPTIONS_FROM, 0, 2_000_000, 3, 30] as const;
  assert.equal(core.otrInit(STATE, ...ok), 0);
  assert.equal(core.otrInit(STATE + 4, ...ok), OtrStatus.MISALIGNED);
  const bad = (i: number, v: number) => { const a: number[] = [...ok]; a[i] = v; return core.otrInit(STATE, ...(a as unknown as typeof ok)); };
  for (const [i, v] of [[0, 3], [1, 0], [2, -1], [2, 10_001], [3, -1], [4, -1], [5, -1], [6, 2], [7, 0], [8, 0], [8, 65], [9, 0], [9, 65]] as const) {
    assert.equal(bad(i, v), OtrStatus.BAD_CONFIG, `arg ${i} = ${v}`);
  }
  assert.equal(core.otrInit(STATE, ...ok), 0);
  assert.equal(core.otrAddSlab(STATE, 1, 0), OtrStatus.BAD_SLAB); // first must start at 0
  assert.equal(core.otrAddSlab(STATE, 0, 0), 0);
  assert.equal(core.otrAddSlab(STATE, 0, 2), OtrStatus.BAD_SLAB); // not ascending
  assert.equal(core.otrAddSlab(STATE, 50_000, -2), OtrStatus.BAD_SLAB);
  for (let i = 1; i < 8; i++) assert.equal(core.otrAddSlab(STATE, i * 1000, i), i);
  assert.equal(core.otrAddSlab(STATE, 9000, 9), OtrStatus.BAD_SLAB); // nine
  assert.equal(core.otrSlabCount(STATE), 8);
  assert.equal(core.otrSlabThresholdMilli(STATE, 3), 3000);
  assert.equal(core.otrSlabRatePaise(STATE, 3), 3);
  assert.equal(core.otrSlabRatePaise(STATE, 8), -1);
});

test('host config: defaults, ConfigError naming the key', () => {
  const { core: c } = resolveOtrConfig();
  assert.deepEqual(c.slabs.map((s) => [s.thresholdMilli, s.paisePerOrder]),
    [[0, 0], [50_000, 2], [250_000, 10], [500_000, 15], [1_000_000, 20], [2_000_000, 25]]);
  assert.equal(c.optionsBps, 4000);
  assert.equal(c.optionsFromDay, 20549);
  assert.equal(c.banOtrMilli, 2_000_000);
  const slabs = DEFAULT_OTR_CONFIG.slabs;
  const cases: [Partial<OtrConfig>, string][] = [
    [{ segment: 'equity' as Segment }, 'otr.segment'],
    [{ tickPaise: 0 }, 'otr.tickPaise'],
    [{ tickPaise: 2.5 }, 'otr.tickPaise'],
    [{ exemptBps: -75 }, 'otr.exemptBps'],
    [{ optionsExemptPct: 40.123 }, 'otr.optionsExemptPct'],
    [{ optionsFloorPaise: -1 }, 'otr.optionsFloorPaise'],
    [{ optionsEffectiveFrom: '2026-4-6' }, 'otr.optionsEffectiveFrom'],
    [{ zeroTradeOtr: 'none' as 'zero' }, 'otr.zeroTradeOtr'],
    [{ slabs: [] }, 'otr.slabs'],
    [{ slabs: [...slabs, ...slabs] }, 'otr.slabs'],
    [{ slabs: [{ threshold: 10, paisePerOrder: 0 }] }, 'otr.slabs[0].threshold'],
    [{ slabs: [slabs[0]!, slabs[1]!, { threshold: 50, paisePerOrder: 10 }] }, 'otr.slabs[2].threshold'],
    [{ slabs: [slabs[0]!, slabs[1]!, { threshold: 40, paisePerOrder: 10 }] }, 'otr.slabs[2].threshold'],
    [{ slabs: [slabs[0]!, { threshold: 50, paisePerOrder: -2 }] }, 'otr.slabs[1].paisePerOrder'],
    [{ slabs: [slabs[0]!, { threshold: 50.0001, paisePerOrder: 2 }] }, 'otr.slabs[1].threshold'],
    [{ banOtr: 0 }, 'otr.banOtr'],
    [{ banDays: 0 }, 'otr.banDays'],
    [{ banWindowDays: 65 }, 'otr.banWindowDays'],
  ];
  for (const [partial, key] of cases) {
    assert.throws(() => resolveOtrConfig(partial), (err: unknown) => err instanceof ConfigError && err.key === key,
      `${JSON.stringify(partial)} → ${key}`);
  }
  assert.match(String((() => { try { resolveOtrConfig(cases[11]![0]); } catch (e) { return e; } })()),
    /otr\.slabs\[2\]\.threshold must be greater than otr\.slabs\[1\]\.threshold \(50\), got 50/);
});

test('dayNumber: IST dates to days since 1970-01-01, validated', () => {
  assert.equal(dayNumber('1970-01-01'), 0);
  assert.equal(dayNumber('2026-04-06'), 20549);
  assert.equal(dayNumber('2026-11-20'), 20777);
  assert.equal(dateOfDay(20549), '2026-04-06');
  for (const bad of ['2026-02-30', '2026-13-01', '2026-4-6', '20260406', '1969-12-31', '', '2026-04-06T00:00']) {
    assert.throws(() => dayNumber(bad), ConfigError, bad);
  }
  // IST is UTC+5:30: 2026-04-05T18:30Z is midnight of the 6th in India
  assert.equal(dayNumberAt(Date.UTC(2026, 3, 5, 18, 30)), 20549);
  assert.equal(dayNumberAt(Date.UTC(2026, 3, 5, 18, 29, 59, 999)), 20548);
});

test('readLedger gives plain JSON-ready values', async () => {
  const { core } = await ledger();
  orders(core, 120);
  trades(core, 2);
  assert.equal(core.otrOnNew(STATE, DAY, LTP, LTP), OtrStatus.EXEMPT);
  const snap = readLedger(core, STATE, 100_000);
  assert.deepEqual(snap, {
    day: DAY, date: '2026-11-20', new: 120, modify: 0, cancel: 0, counted: 120, exempt_new: 1, exempt_modify: 0,
    exempt_cancel: 0, exempt: 1, trades: 2, otr: 60, slab: 1, slab_paise_per_order: 2, penalty_paise: 240,
    marginal_penalty_paise: 2, target_otr: 100, budget_to_target: 80, opening_ban: false, next_day_opening_ban: false,
    flagged_days_in_window: 0, previous: null,
  });
  assert.doesNotThrow(() => JSON.stringify(snap));
});

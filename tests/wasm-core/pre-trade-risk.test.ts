// Pre-trade risk and the trading state: every check worked by hand at, just below and just above its
// limit, the fixed order when several fail, REDUCING and HALTED, the flatten exit, the counts per
// refusal code; then 10 000 seeded orders drawn at and around the limits against a BigInt reference
// written from the rules in wasm-core/pre-trade-risk.ts, and 10 000 seeded sequences of trading-state
// demands against a reference of the demand/latch rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rng, testCore } from '../testkit/core.js';
import { ConfigError } from '../../host/config/config-error.js';
import type { CoreExports } from '../../host/core/core.js';
import {
  DEFAULT_RISK_CONFIG, RiskFlag, RiskStatus, TradingStateReason, checkOrder, demandTradingState, initRisk, readRisk,
  refusalName, resolveRiskConfig, riskStatePlan, type RiskConfig, type RiskOrder, type RiskRefusalName,
} from '../../host/modules/pre-trade-risk.js';
import { RiskRefusal, Side, TradingState } from '../../host/model/vocabulary.js';

const STATE = 65536;
const { ACTIVE, REDUCING, HALTED } = TradingState;
const R = TradingStateReason;

interface Limits {
  maxOrderQty: bigint;
  maxNotionalPaise: bigint;
  maxOpenOrders: number;
  maxGrossExposurePaise: bigint;
  dailyLossPaise: bigint;
  maxPosition: bigint[];
}

const NO_LIMITS: Limits = {
  maxOrderQty: 0n, maxNotionalPaise: 0n, maxOpenOrders: 0, maxGrossExposurePaise: 0n, dailyLossPaise: 0n, maxPosition: [0n, 0n],
};

function setLimits(core: CoreExports, l: Limits): void {
  assert.equal(core.riskSetLimits(STATE, l.maxOrderQty, l.maxNotionalPaise, l.maxOpenOrders, l.maxGrossExposurePaise, l.dailyLossPaise), 0);
  l.maxPosition.forEach((m, i) => assert.equal(core.riskSetMaxPosition(STATE, i, m), 0));
}

async function setup(limits: Partial<Limits> = {}) {
  const { core } = await testCore();
  const l = { ...NO_LIMITS, ...limits };
  assert.equal(core.riskInit(STATE, l.maxPosition.length, 0n), 0);
  setLimits(core, l);
  return core;
}

/** A quiet order: symbol 0, buy 10 at 2000 ticks of 5 paise, flat, nothing working, no P&L. */
const BASE: RiskOrder = {
  symbol: 0, side: 'buy', priceTicks: 2000, qty: 10, tickPaise: 5, position: 0n, workingBuyQty: 0n, workingSellQty: 0n,
  openOrders: 0, grossExposurePaise: 0n, dailyPnlPaise: 0n,
};

function check(core: CoreExports, o: Partial<RiskOrder>): RiskRefusalName {
  return checkOrder(core, STATE, { ...BASE, ...o });
}

test('max order qty 100: 99 and 100 pass, 101 is refused (exits too)', async () => {
  const core = await setup({ maxOrderQty: 100n });
  assert.equal(check(core, { qty: 99 }), 'NONE');
  assert.equal(check(core, { qty: 100 }), 'NONE');
  assert.equal(check(core, { qty: 101 }), 'MAX_ORDER_QTY');
  // a sell of 101 that only reduces a long of 500 is still one order above the size limit
  assert.equal(check(core, { side: 'sell', qty: 101, position: 500n }), 'MAX_ORDER_QTY');
});

test('max notional ₹10,000: price × qty × tick at 2000 ticks of 5 paise is ₹100 a share', async () => {
  // 2000 × 5 = 10 000 paise a share; the limit is 1 000 000 paise
  const core = await setup({ maxNotionalPaise: 1_000_000n });
  assert.equal(check(core, { qty: 99 }), 'NONE'); // 990 000
  assert.equal(check(core, { qty: 100 }), 'NONE'); // 1 000 000: at the limit
  assert.equal(check(core, { qty: 101 }), 'MAX_NOTIONAL'); // 1 010 000
  // one paisa matters: 1999 ticks × 5 × 100 = 999 500; limit 999 499 refuses, 999 500 passes
  setLimits(core, { ...NO_LIMITS, maxNotionalPaise: 999_499n });
  assert.equal(check(core, { priceTicks: 1999, qty: 100 }), 'MAX_NOTIONAL');
  setLimits(core, { ...NO_LIMITS, maxNotionalPaise: 999_500n });
  assert.equal(check(core, { priceTicks: 1999, qty: 100 }), 'NONE');
  // beyond i64: (2^31 − 1)² × 2^20 ≈ 4.8e24 paise is refused by the largest limit, not wrapped
  setLimits(core, { ...NO_LIMITS, maxNotionalPaise: 2n ** 63n - 1n });
  assert.equal(check(core, { priceTicks: 2 ** 31 - 1, qty: 2 ** 31 - 1, tickPaise: 2 ** 20 }), 'MAX_NOTIONAL');
  // (2^31 − 1)² × 2 = 9 223 372 028 264 841 218 < 2^63 − 1 = 9 223 372 036 854 775 807: passes
  assert.equal(check(core, { priceTicks: 2 ** 31 - 1, qty: 2 ** 31 - 1, tickPaise: 2 }), 'NONE');
  assert.equal(check(core, { priceTicks: 2 ** 31 - 1, qty: 2 ** 31 - 1, tickPaise: 3 }), 'MAX_NOTIONAL');
});

test('max position per symbol: |position + working same side + qty| at 500 passes, 501 refused; the other side ignored', async () => {
  const core = await setup({ maxPosition: [500n, 50n] });
  // long 300 with 150 more working to buy: a buy of 49 → 499, 50 → 500, 51 → 501
  const long = { position: 300n, workingBuyQty: 150n, workingSellQty: 10_000n };
  assert.equal(check(core, { ...long, qty: 49 }), 'NONE');
  assert.equal(check(core, { ...long, qty: 50 }), 'NONE');
  assert.equal(check(core, { ...long, qty: 51 }), 'MAX_POSITION');
  // short side: −300 − 150 working sells − 51 = −501
  const short = { position: -300n, workingSellQty: 150n, workingBuyQty: 10_000n, side: 'sell' as const };
  assert.equal(check(core, { ...short, qty: 50 }), 'NONE');
  assert.equal(check(core, { ...short, qty: 51 }), 'MAX_POSITION');
  // symbol 1's limit is 50
  assert.equal(check(core, { symbol: 1, qty: 50 }), 'NONE');
  assert.equal(check(core, { symbol: 1, qty: 51 }), 'MAX_POSITION');
  // an order that does not grow the worst case is never refused by it: short 700 (over the limit after
  // it was lowered), buy 900 → +200 (|200| < |−700|); buy 1300 → +600 (shrinks too: 600 < 700) passes;
  // buy 1401 → +701 grows and is over
  assert.equal(check(core, { position: -700n, qty: 900 }), 'NONE');
  assert.equal(check(core, { position: -700n, qty: 1300 }), 'NONE');
  assert.equal(check(core, { position: -700n, qty: 1400 }), 'NONE'); // +700: same size, does not grow
  assert.equal(check(core, { position: -700n, qty: 1401 }), 'MAX_POSITION');
});

test('max open orders 5: with 3 or 4 open one more passes, with 5 open it is refused', async () => {
  const core = await setup({ maxOpenOrders: 5 });
  assert.equal(check(core, { openOrders: 3 }), 'NONE');
  assert.equal(check(core, { openOrders: 4 }), 'NONE'); // the 5th
  assert.equal(check(core, { openOrders: 5 }), 'MAX_OPEN_ORDERS'); // a 6th
});

test('max gross exposure ₹1 lakh: exposure + growth × price × tick; an order that adds nothing always passes', async () => {
  // limit 10 000 000 paise, 9 000 000 held: room 1 000 000 = 100 shares of ₹100
  const core = await setup({ maxGrossExposurePaise: 10_000_000n });
  const g = { grossExposurePaise: 9_000_000n };
  assert.equal(check(core, { ...g, qty: 99 }), 'NONE');
  assert.equal(check(core, { ...g, qty: 100 }), 'NONE');
  assert.equal(check(core, { ...g, qty: 101 }), 'MAX_GROSS_EXPOSURE');
  // short 50: a buy of 150 ends long 100, growth |100| − |−50| = 50 shares = 500 000: passes; a buy of 200
  // ends long 150, growth 100 = 1 000 000: at the limit; 201 → growth 101
  assert.equal(check(core, { ...g, position: -50n, qty: 150 }), 'NONE');
  assert.equal(check(core, { ...g, position: -50n, qty: 200 }), 'NONE');
  assert.equal(check(core, { ...g, position: -50n, qty: 201 }), 'MAX_GROSS_EXPOSURE');
  // marks pushed exposure above the limit: new risk refused, the exit not
  const over = { grossExposurePaise: 12_000_000n };
  assert.equal(check(core, { ...over, qty: 1 }), 'MAX_GROSS_EXPOSURE');
  assert.equal(check(core, { ...over, position: 300n, side: 'sell', qty: 300 }), 'NONE');
  assert.equal(check(core, { ...over, position: 300n, side: 'sell', qty: 600 }), 'NONE'); // flips to −300: no growth
  assert.equal(check(core, { ...over, position: 300n, side: 'sell', qty: 601 }), 'MAX_GROSS_EXPOSURE');
  // working orders on the same side count in the worst case: long 0 + 80 working buys, buy 21 grows by 21
  assert.equal(check(core, { grossExposurePaise: 9_800_000n, workingBuyQty: 80n, qty: 20 }), 'NONE');
  assert.equal(check(core, { grossExposurePaise: 9_800_000n, workingBuyQty: 80n, qty: 21 }), 'MAX_GROSS_EXPOSURE');
});

test('daily loss ₹5,000: P&L ≤ −500 000 paise refuses new risk; reducing orders still pass', async () => {
  const core = await setup({ dailyLossPaise: 500_000n });
  assert.equal(check(core, { dailyPnlPaise: -499_999n }), 'NONE');
  assert.equal(check(core, { dailyPnlPaise: -500_000n }), 'DAILY_LOSS'); // at the limit
  assert.equal(check(core, { dailyPnlPaise: -500_001n }), 'DAILY_LOSS');
  assert.equal(check(core, { dailyPnlPaise: 1_000_000n }), 'NONE');
  // the exit stays open: long 40, sell 40 (or less) is reducing; sell 41 would flip: refused
  const loss = { dailyPnlPaise: -600_000n, position: 40n, side: 'sell' as const };
  assert.equal(check(core, { ...loss, qty: 40 }), 'NONE');
  assert.equal(check(core, { ...loss, qty: 1 }), 'NONE');
  assert.equal(check(core, { ...loss, qty: 41 }), 'DAILY_LOSS');
  // 15 already working to sell: only 25 more reduce
  assert.equal(check(core, { ...loss, workingSellQty: 15n, qty: 25 }), 'NONE');
  assert.equal(check(core, { ...loss, workingSellQty: 15n, qty: 26 }), 'DAILY_LOSS');
  assert.equal(core.riskDailyLossBreached(STATE, -499_999n), 0);
  assert.equal(core.riskDailyLossBreached(STATE, -500_000n), 1);
});

test('limits of 0 are no limits', async () => {
  const core = await setup();
  assert.equal(check(core, { qty: 2 ** 31 - 1, priceTicks: 2 ** 31 - 1, tickPaise: 2 ** 31 - 1, openOrders: 2 ** 31 - 1,
    grossExposurePaise: 2n ** 63n - 1n, dailyPnlPaise: -(2n ** 63n), position: 2n ** 60n - 1n, workingBuyQty: 2n ** 60n - 1n }), 'NONE');
});

test('the fixed order when several checks fail: HALTED, REDUCE_ONLY, then 3 … 8 in code order', async () => {
  const limits: Limits = {
    maxOrderQty: 10n, maxNotionalPaise: 1000n, maxOpenOrders: 1, maxGrossExposurePaise: 1000n, dailyLossPaise: 100n, maxPosition: [10n, 10n],
  };
  const core = await setup(limits);
  // buy 100 at 2000 ticks of 5 paise while flat: breaks every limit (qty, notional 1 000 000, position 100,
  // 1 open already, exposure 1 000 000 over, P&L −100 at the loss limit)
  const bad = { qty: 100, openOrders: 1, dailyPnlPaise: -100n };
  const order: RiskRefusalName[] = [];
  const relax: ((l: Limits) => void)[] = [
    (l) => { l.maxOrderQty = 0n; }, (l) => { l.maxNotionalPaise = 0n; }, (l) => { l.maxPosition = [0n, 0n]; },
    (l) => { l.maxOpenOrders = 0; }, (l) => { l.maxGrossExposurePaise = 0n; }, (l) => { l.dailyLossPaise = 0n; },
  ];
  assert.equal(core.riskSetTradingState(STATE, HALTED, R.KILL, 1n), RiskStatus.CHANGED);
  order.push(check(core, bad));
  core.riskReset(STATE, 2n);
  core.riskSetTradingState(STATE, REDUCING, R.RTT_LOCKDOWN, 3n);
  order.push(check(core, bad));
  core.riskSetTradingState(STATE, ACTIVE, R.RTT_LOCKDOWN, 4n);
  const l = { ...limits };
  for (const step of relax) {
    order.push(check(core, bad));
    step(l);
    setLimits(core, l);
  }
  order.push(check(core, bad));
  assert.deepEqual(order, [
    'HALTED', 'REDUCE_ONLY', 'MAX_ORDER_QTY', 'MAX_NOTIONAL', 'MAX_POSITION', 'MAX_OPEN_ORDERS', 'MAX_GROSS_EXPOSURE', 'DAILY_LOSS', 'NONE',
  ]);
  assert.deepEqual(order.map((n) => RiskRefusal[n]), [1, 2, 3, 4, 5, 6, 7, 8, 0]);
});

test('REDUCING lets through exactly the orders that shrink |position| without flipping it, same-side working counted', async () => {
  const core = await setup();
  core.riskSetTradingState(STATE, REDUCING, R.DAILY_LOSS, 0n);
  // long 100 with 30 already working to sell: sells of 1..70 reduce, 71 could flip
  const long = { position: 100n, workingSellQty: 30n, workingBuyQty: 500n };
  for (const qty of [1, 69, 70]) assert.equal(check(core, { ...long, side: 'sell', qty }), 'NONE', `sell ${qty}`);
  assert.equal(check(core, { ...long, side: 'sell', qty: 71 }), 'REDUCE_ONLY');
  assert.equal(check(core, { ...long, side: 'buy', qty: 1 }), 'REDUCE_ONLY');
  // short 100: buys of up to 100 reduce
  assert.equal(check(core, { position: -100n, qty: 100 }), 'NONE');
  assert.equal(check(core, { position: -100n, qty: 101 }), 'REDUCE_ONLY');
  assert.equal(check(core, { position: -100n, side: 'sell', qty: 1 }), 'REDUCE_ONLY');
  // flat: nothing reduces
  assert.equal(check(core, { qty: 1 }), 'REDUCE_ONLY');
  assert.equal(check(core, { side: 'sell', qty: 1 }), 'REDUCE_ONLY');
  // exhaustive over small numbers against the definition
  for (let pos = -6; pos <= 6; pos++) {
    for (let working = 0; working <= 4; working++) {
      for (let qty = 1; qty <= 8; qty++) {
        for (const side of ['buy', 'sell'] as const) {
          const reduces = side === 'buy' ? pos < 0 && pos + working + qty <= 0 : pos > 0 && pos - working - qty >= 0;
          const o = { position: BigInt(pos), side, qty, workingBuyQty: side === 'buy' ? BigInt(working) : 9n, workingSellQty: side === 'sell' ? BigInt(working) : 9n };
          assert.equal(check(core, o), reduces ? 'NONE' : 'REDUCE_ONLY', JSON.stringify({ pos, working, qty, side }));
        }
      }
    }
  }
});

test('HALTED refuses everything new; a FLATTEN exit passes to the reduce-only rule', async () => {
  const core = await setup({ maxOrderQty: 50n });
  core.riskSetTradingState(STATE, HALTED, R.KILL, 0n);
  for (const o of [{}, { position: 100n, side: 'sell' as const, qty: 10 }, { position: -5n, qty: 5 }]) {
    assert.equal(check(core, o), 'HALTED', JSON.stringify(o, (_, v) => (typeof v === 'bigint' ? String(v) : v)));
  }
  // the operator's flatten: reducing orders go, others are reduce-only refusals; the size limits still hold
  assert.equal(check(core, { position: 100n, side: 'sell', qty: 50, flatten: true }), 'NONE');
  assert.equal(check(core, { position: 100n, side: 'sell', qty: 51, flatten: true }), 'MAX_ORDER_QTY');
  assert.equal(check(core, { position: 100n, side: 'buy', qty: 1, flatten: true }), 'REDUCE_ONLY');
  assert.equal(check(core, { position: 0n, side: 'sell', qty: 1, flatten: true }), 'REDUCE_ONLY');
  // a flatten is reduce-only in every state
  core.riskReset(STATE, 1n);
  assert.equal(check(core, { position: 10n, side: 'buy', qty: 1, flatten: true }), 'REDUCE_ONLY');
  assert.equal(check(core, { position: 10n, side: 'sell', qty: 10, flatten: true }), 'NONE');
  assert.equal(RiskFlag.FLATTEN, 1);
});

test('the trading-state rule: demands per source, the most restrictive wins, HALTED latched until riskReset', async () => {
  const core = await setup();
  const st = () => [core.riskTradingState(STATE), core.riskTradingReason(STATE), core.riskTradingSinceNs(STATE)];
  assert.deepEqual(st(), [ACTIVE, R.NONE, 0n]);
  // RTT lockdown → REDUCING; the daily loss limit demands REDUCING too (the reason stays RTT's)
  assert.equal(core.riskSetTradingState(STATE, REDUCING, R.RTT_LOCKDOWN, 10n), RiskStatus.CHANGED);
  assert.equal(core.riskSetTradingState(STATE, REDUCING, R.DAILY_LOSS, 20n), RiskStatus.OK);
  assert.deepEqual(st(), [REDUCING, R.RTT_LOCKDOWN, 10n]);
  // the RTT release lifts only its own demand: still REDUCING, now because of the loss limit
  assert.equal(core.riskSetTradingState(STATE, ACTIVE, R.RTT_LOCKDOWN, 30n), RiskStatus.OK);
  assert.deepEqual(st(), [REDUCING, R.DAILY_LOSS, 30n]);
  // the operator lifts the loss limit's demand: ACTIVE, named by the source that released it
  assert.equal(core.riskSetTradingState(STATE, ACTIVE, R.DAILY_LOSS, 40n), RiskStatus.CHANGED);
  assert.deepEqual(st(), [ACTIVE, R.DAILY_LOSS, 40n]);
  // the circuit breaker halts; nothing but riskReset leaves HALTED
  assert.equal(core.riskSetTradingState(STATE, HALTED, R.CIRCUIT_BREAKER, 50n), RiskStatus.CHANGED);
  assert.equal(core.riskSetTradingState(STATE, ACTIVE, R.CIRCUIT_BREAKER, 60n), RiskStatus.HALT_LATCHED);
  assert.equal(core.riskSetTradingState(STATE, REDUCING, R.RTT_LOCKDOWN, 60n), RiskStatus.HALT_LATCHED);
  assert.equal(core.riskSetTradingState(STATE, ACTIVE, R.OPERATOR, 60n), RiskStatus.HALT_LATCHED);
  assert.equal(core.riskSetTradingState(STATE, HALTED, R.KILL, 70n), RiskStatus.OK); // recorded, the cause kept
  assert.deepEqual(st(), [HALTED, R.CIRCUIT_BREAKER, 50n]);
  assert.equal(core.riskDemand(STATE, R.KILL), HALTED);
  assert.equal(core.riskDemand(STATE, R.CIRCUIT_BREAKER), HALTED);
  assert.equal(core.riskReset(STATE, 80n), RiskStatus.CHANGED);
  assert.deepEqual(st(), [ACTIVE, R.RESET, 80n]);
  assert.equal(core.riskDemand(STATE, R.KILL), ACTIVE);
  assert.equal(core.riskReset(STATE, 90n), RiskStatus.OK); // already ACTIVE
  assert.equal(core.riskStateChanges(STATE), 4); // → REDUCING, → ACTIVE, → HALTED, reset
  // bad calls change nothing
  assert.equal(core.riskSetTradingState(STATE, 3, R.KILL, 100n), RiskStatus.BAD_STATE);
  assert.equal(core.riskSetTradingState(STATE, HALTED, R.NONE, 100n), RiskStatus.BAD_REASON);
  assert.equal(core.riskSetTradingState(STATE, HALTED, R.RESET, 100n), RiskStatus.BAD_REASON);
  assert.equal(core.riskSetTradingState(STATE, HALTED, 99, 100n), RiskStatus.BAD_REASON);
  assert.deepEqual(st(), [ACTIVE, R.RESET, 90n]);
});

test('counts per refusal code and bad arguments', async () => {
  const core = await setup({ maxOrderQty: 10n, maxOpenOrders: 2 });
  const answers: RiskRefusalName[] = [];
  for (let qty = 8; qty <= 12; qty++) answers.push(check(core, { qty })); // 3 pass, 2 MAX_ORDER_QTY
  answers.push(check(core, { openOrders: 2 }), check(core, { openOrders: 7 }));
  core.riskSetTradingState(STATE, REDUCING, R.OPERATOR, 0n);
  answers.push(check(core, {}));
  core.riskSetTradingState(STATE, HALTED, R.KILL, 0n);
  answers.push(check(core, {}), check(core, {}), check(core, {}));
  assert.deepEqual(answers, ['NONE', 'NONE', 'NONE', 'MAX_ORDER_QTY', 'MAX_ORDER_QTY', 'MAX_OPEN_ORDERS', 'MAX_OPEN_ORDERS',
    'REDUCE_ONLY', 'HALTED', 'HALTED', 'HALTED']);
  const counts = readRisk(core, STATE, ['A', 'B']).checks;
  assert.deepEqual(counts, {
    NONE: 3, HALTED: 3, REDUCE_ONLY: 1, MAX_ORDER_QTY: 2, MAX_NOTIONAL: 0, MAX_POSITION: 0, MAX_OPEN_ORDERS: 2,
    MAX_GROSS_EXPOSURE: 0, DAILY_LOSS: 0, RATE_PER_SECOND: 0, RATE_PER_MINUTE: 0, RATE_PER_DAY: 0, OTR_BUDGET: 0,
  });
  // bad arguments: a negative status, counted apart, no refusal counted
  const c = (o: Partial<RiskOrder>, side: number = Side.BUY) => core.riskCheck(STATE, o.symbol ?? 0, side, o.priceTicks ?? 2000, o.qty ?? 1, o.tickPaise ?? 5,
    o.position ?? 0n, o.workingBuyQty ?? 0n, o.workingSellQty ?? 0n, o.openOrders ?? 0, o.grossExposurePaise ?? 0n, 0n, 0);
  assert.equal(c({ symbol: 2 }), RiskStatus.BAD_SYMBOL);
  assert.equal(c({ symbol: -1 }), RiskStatus.BAD_SYMBOL);
  assert.equal(c({}, 2), RiskStatus.BAD_SIDE);
  assert.equal(c({ priceTicks: 0 }), RiskStatus.BAD_PRICE);
  assert.equal(c({ priceTicks: -2147483648 }), RiskStatus.BAD_PRICE); // NO_PRICE: a market order is checked at its collar
  assert.equal(c({ tickPaise: 0 }), RiskStatus.BAD_PRICE);
  assert.equal(c({ qty: 0 }), RiskStatus.BAD_QTY);
  assert.equal(c({ workingBuyQty: -1n }), RiskStatus.BAD_ARGUMENT);
  assert.equal(c({ workingSellQty: 2n ** 60n }), RiskStatus.BAD_ARGUMENT);
  assert.equal(c({ position: -(2n ** 60n) }), RiskStatus.BAD_ARGUMENT);
  assert.equal(c({ position: 2n ** 60n - 1n }), RiskRefusal.HALTED);
  assert.equal(c({ openOrders: -1 }), RiskStatus.BAD_ARGUMENT);
  assert.equal(c({ grossExposurePaise: -1n }), RiskStatus.BAD_ARGUMENT);
  assert.equal(core.riskInvalidCalls(STATE), 12);
  assert.equal(core.riskRefusals(STATE, RiskRefusal.HALTED), 4);
  assert.equal(core.riskRefusals(STATE, 16), 0);
  assert.throws(() => check(core, { qty: 0 }), /riskCheck: BAD_QTY \(-6\)/);
});

// ── reference ────────────────────────────────────────────────────────────────────────────────────

interface RefOrder {
  symbol: number; side: 'buy' | 'sell'; price: bigint; qty: bigint; tick: bigint; position: bigint; wBuy: bigint; wSell: bigint;
  open: bigint; gross: bigint; pnl: bigint; flatten: boolean;
}

const abs = (x: bigint): bigint => (x < 0n ? -x : x);

/** The rules as written in the core's header, in BigInt, no overflow care needed. */
function refCheck(l: Limits, trading: number, o: RefOrder): RiskRefusalName {
  const before = o.side === 'buy' ? o.position + o.wBuy : o.position - o.wSell;
  const after = o.side === 'buy' ? before + o.qty : before - o.qty;
  const reducing = o.side === 'buy' ? o.position < 0n && after <= 0n : o.position > 0n && after >= 0n;
  const growth = abs(after) - abs(before);
  if (trading === HALTED && !o.flatten) return 'HALTED';
  if ((trading !== ACTIVE || o.flatten) && !reducing) return 'REDUCE_ONLY';
  if (l.maxOrderQty !== 0n && o.qty > l.maxOrderQty) return 'MAX_ORDER_QTY';
  if (l.maxNotionalPaise !== 0n && o.price * o.qty * o.tick > l.maxNotionalPaise) return 'MAX_NOTIONAL';
  const maxPos = l.maxPosition[o.symbol]!;
  if (maxPos !== 0n && growth > 0n && abs(after) > maxPos) return 'MAX_POSITION';
  if (l.maxOpenOrders !== 0 && o.open + 1n > BigInt(l.maxOpenOrders)) return 'MAX_OPEN_ORDERS';
  if (l.maxGrossExposurePaise !== 0n && growth > 0n && o.gross + growth * o.price * o.tick > l.maxGrossExposurePaise) return 'MAX_GROSS_EXPOSURE';
  if (l.dailyLossPaise !== 0n && !reducing && o.pnl <= -l.dailyLossPaise) return 'DAILY_LOSS';
  return 'NONE';
}

test('10 000 seeded orders at and around every limit agree with the BigInt reference, counts included', async () => {
  const { core } = await testCore();
  const hits = new Map<RiskRefusalName, number>();
  for (let seq = 0; seq < 10_000; seq++) {
    const r = rng(0x7215c + seq * 104_729);
    const pick = (n: number): number => Math.floor(r() * n);
    const big = (bits: number): bigint => BigInt(pick(2 ** Math.min(bits, 30))) * (bits > 30 ? BigInt(1 + pick(2 ** (bits - 30))) : 1n);
    const nudge = (): bigint => BigInt(pick(3) - 1); // −1, 0, +1
    const huge = r() < 0.1;
    const o: RefOrder = {
      symbol: pick(3),
      side: r() < 0.5 ? 'buy' : 'sell',
      price: BigInt(1 + (huge ? pick(2 ** 31 - 1) : pick(100_000))),
      qty: BigInt(1 + (huge ? pick(2 ** 31 - 1) : r() < 0.5 ? pick(20) : pick(5000))),
      tick: BigInt(1 + (huge ? pick(2 ** 31 - 1) : pick(100))),
      position: BigInt(pick(3) - 1) * (huge ? big(59) : BigInt(pick(r() < 0.5 ? 30 : 10_000))),
      wBuy: r() < 0.5 ? 0n : huge ? big(59) : BigInt(pick(r() < 0.5 ? 20 : 5000)),
      wSell: r() < 0.5 ? 0n : huge ? big(59) : BigInt(pick(r() < 0.5 ? 20 : 5000)),
      open: BigInt(pick(50)),
      gross: huge ? big(62) : BigInt(pick(1e12)),
      pnl: BigInt(pick(2e9) - 1.5e9),
      flatten: r() < 0.1,
    };
    // often an order that closes the worst case to exactly flat, one short or one past (the reducing edge)
    const toFlat = abs(o.side === 'buy' ? o.position + o.wBuy : o.position - o.wSell) + nudge();
    if (r() < 0.25 && toFlat >= 1n && toFlat < 2n ** 31n) o.qty = toFlat;
    const before = o.side === 'buy' ? o.position + o.wBuy : o.position - o.wSell;
    const after = o.side === 'buy' ? before + o.qty : before - o.qty;
    const growth = abs(after) - abs(before);
    // each limit: none, at/around what this order reaches (±1), or anything
    const limit = (edge: bigint, any: () => bigint): bigint => {
      const u = r();
      if (u < 0.15) return 0n;
      if (u < 0.65) { const v = edge + nudge(); return v > 0n ? v : 1n; }
      return any();
    };
    const l: Limits = {
      maxOrderQty: limit(o.qty, () => BigInt(1 + pick(5000))),
      maxNotionalPaise: limit(o.price * o.qty * o.tick, () => BigInt(1 + pick(1e12))),
      maxOpenOrders: Number(limit(o.open + 1n, () => BigInt(1 + pick(50)))),
      maxGrossExposurePaise: limit(o.gross + (growth > 0n ? growth : 0n) * o.price * o.tick, () => BigInt(1 + pick(1e12))),
      dailyLossPaise: limit(o.pnl < 0n ? -o.pnl : 1n, () => BigInt(1 + pick(1e9))),
      maxPosition: [0, 1, 2].map(() => limit(abs(after), () => BigInt(pick(10_000)))),
    };
    // the core keeps limits in i64: the edge-derived ones of the huge orders may not fit; keep those at the i64 maximum
    const clamp = (x: bigint): bigint => (x > 2n ** 63n - 1n ? 2n ** 63n - 1n : x);
    l.maxNotionalPaise = clamp(l.maxNotionalPaise);
    l.maxGrossExposurePaise = clamp(l.maxGrossExposurePaise);
    l.dailyLossPaise = l.dailyLossPaise > 2n ** 60n ? 2n ** 60n : l.dailyLossPaise;
    l.maxOpenOrders = Math.min(l.maxOpenOrders, 2 ** 31 - 1);
    assert.equal(core.riskInit(STATE, 3, 0n), 0);
    setLimits(core, l);
    const trading = [ACTIVE, ACTIVE, ACTIVE, REDUCING, HALTED][pick(5)]!;
    if (trading !== ACTIVE) core.riskSetTradingState(STATE, trading, R.OPERATOR, 0n);
    const want = refCheck(l, trading, o);
    const got = core.riskCheck(STATE, o.symbol, o.side === 'buy' ? Side.BUY : Side.SELL, Number(o.price), Number(o.qty), Number(o.tick),
      o.position, o.wBuy, o.wSell, Number(o.open), o.gross, o.pnl, o.flatten ? RiskFlag.FLATTEN : 0);
    assert.equal(refusalName(got), want, `seq ${seq}: ${JSON.stringify(o, (_, v) => (typeof v === 'bigint' ? String(v) : v))}`);
    assert.equal(core.riskRefusals(STATE, RiskRefusal[want]), 1);
    hits.set(want, (hits.get(want) ?? 0) + 1);
  }
  // every answer came up, each many times
  for (const k of ['NONE', 'HALTED', 'REDUCE_ONLY', 'MAX_ORDER_QTY', 'MAX_NOTIONAL', 'MAX_POSITION', 'MAX_OPEN_ORDERS', 'MAX_GROSS_EXPOSURE', 'DAILY_LOSS'] as const) {
    assert.ok((hits.get(k) ?? 0) >= 300, `${k}: ${hits.get(k) ?? 0}`);
  }
});

/** The demand/latch rule from the core's header, with a Map of demands. */
class RefTradingState {
  demands = new Map<number, number>();
  state: number = ACTIVE;
  reason: number = R.NONE;
  since = 0n;
  changes = 0;

  set(demand: number, source: number, now: bigint): number {
    if (demand > HALTED) return RiskStatus.BAD_STATE;
    if (source < 1 || source > 6) return RiskStatus.BAD_REASON;
    if (this.state === HALTED) {
      if (demand !== HALTED) return RiskStatus.HALT_LATCHED;
      this.demands.set(source, demand);
      return RiskStatus.OK;
    }
    this.demands.set(source, demand);
    const level = Math.max(ACTIVE, ...this.demands.values());
    let reason = this.reason;
    if (level === ACTIVE) {
      if (this.state !== ACTIVE) reason = source;
    } else if ((this.demands.get(this.reason) ?? ACTIVE) !== level) {
      reason = Math.min(...[...this.demands].filter(([, d]) => d === level).map(([s]) => s));
    }
    const changed = level !== this.state;
    if (changed || reason !== this.reason) this.since = now;
    if (changed) this.changes++;
    this.state = level;
    this.reason = reason;
    return changed ? RiskStatus.CHANGED : RiskStatus.OK;
  }

  reset(now: bigint): number {
    const changed = this.state !== ACTIVE;
    this.demands.clear();
    this.state = ACTIVE;
    this.reason = R.RESET;
    this.since = now;
    if (changed) this.changes++;
    return changed ? RiskStatus.CHANGED : RiskStatus.OK;
  }
}

test('10 000 seeded sequences of demands and resets agree with the reference trading-state rule', async () => {
  const { core } = await testCore();
  let latched = 0;
  for (let seq = 0; seq < 10_000; seq++) {
    const r = rng(0x57a7e + seq * 15_485_863);
    const pick = (n: number): number => Math.floor(r() * n);
    assert.equal(core.riskInit(STATE, 1, 0n), 0);
    const ref = new RefTradingState();
    let now = 0n;
    for (let step = 0; step < 12; step++) {
      now += BigInt(pick(1000));
      if (r() < 0.08) {
        assert.equal(core.riskReset(STATE, now), ref.reset(now), `seq ${seq} step ${step}: reset`);
      } else {
        // mostly ACTIVE/REDUCING demands, HALTED rarer; sometimes a bad state or source
        const demand = r() < 0.02 ? 3 : [ACTIVE, ACTIVE, REDUCING, REDUCING, HALTED][pick(5)]!;
        const source = r() < 0.02 ? pick(9) : 1 + pick(6);
        const want = ref.set(demand, source, now);
        if (want === RiskStatus.HALT_LATCHED) latched++;
        assert.equal(core.riskSetTradingState(STATE, demand, source, now), want, `seq ${seq} step ${step}: set(${demand}, ${source})`);
      }
      assert.deepEqual(
        [core.riskTradingState(STATE), core.riskTradingReason(STATE), core.riskTradingSinceNs(STATE), core.riskStateChanges(STATE)],
        [ref.state, ref.reason, ref.since, ref.changes], `seq ${seq} step ${step}`);
      for (let s = 1; s <= 6; s++) assert.equal(core.riskDemand(STATE, s), ref.demands.get(s) ?? ACTIVE);
    }
  }
  assert.ok(latched > 5000, `latched ${latched}`);
});

test('host config: defaults, rupees to paise, per-symbol max position, ConfigError naming the key, the snapshot', async () => {
  const symbols = ['RELIANCE', 'INFY'];
  const d = resolveRiskConfig({}, symbols);
  assert.deepEqual(d, {
    maxOrderQty: 1000, maxNotionalPaise: 50_000_000n, maxOpenOrders: 20, maxGrossExposurePaise: 200_000_000n, dailyLossPaise: 1_000_000n,
    maxPositions: [2000, 2000],
  });
  const c = resolveRiskConfig({ maxNotionalRupees: '12345.67', dailyLossRupees: 0.05, maxGrossExposureRupees: 0, maxPositionBySymbol: { INFY: 300 } }, symbols);
  assert.equal(c.maxNotionalPaise, 1_234_567n);
  assert.equal(c.dailyLossPaise, 5n);
  assert.equal(c.maxGrossExposurePaise, 0n);
  assert.deepEqual(c.maxPositions, [2000, 300]);
  const cases: [Record<string, unknown>, string][] = [
    [{ maxOrderQty: -1 }, 'risk.maxOrderQty'],
    [{ maxOrderQty: 1.5 }, 'risk.maxOrderQty'],
    [{ maxOrderQty: 2 ** 31 }, 'risk.maxOrderQty'],
    [{ maxNotionalRupees: 1.234 }, 'risk.maxNotionalRupees'],
    [{ maxNotionalRupees: -1 }, 'risk.maxNotionalRupees'],
    [{ maxNotionalRupees: 'lots' }, 'risk.maxNotionalRupees'],
    [{ maxNotionalRupees: Infinity }, 'risk.maxNotionalRupees'],
    [{ maxGrossExposureRupees: 1e14 }, 'risk.maxGrossExposureRupees'],
    [{ dailyLossRupees: null }, 'risk.dailyLossRupees'],
    [{ maxOpenOrders: -3 }, 'risk.maxOpenOrders'],
    [{ maxPosition: -1 }, 'risk.maxPosition'],
    [{ maxPositionBySymbol: 5 }, 'risk.maxPositionBySymbol'],
    [{ maxPositionBySymbol: { TCS: 10 } }, 'risk.maxPositionBySymbol.TCS'],
    [{ maxPositionBySymbol: { INFY: -10 } }, 'risk.maxPositionBySymbol.INFY'],
    [{ maxLoss: 10 }, 'risk.maxLoss'],
  ];
  for (const [partial, key] of cases) {
    assert.throws(() => resolveRiskConfig(partial as Partial<RiskConfig>, symbols), (err: unknown) => err instanceof ConfigError && err.key === key, key);
  }
  assert.throws(() => resolveRiskConfig({ maxPositionBySymbol: { TCS: 10 } }, symbols),
    /risk\.maxPositionBySymbol\.TCS must be a configured symbol \(RELIANCE, INFY\), got "TCS"/);
  assert.throws(() => resolveRiskConfig({ maxNotionalRupees: 1.234 }, symbols),
    /risk\.maxNotionalRupees must be rupees in \[0, 10000000000000\] with at most 2 decimals \(0 = none\), got 1.234/);
  assert.throws(() => resolveRiskConfig({}, []), (err: unknown) => err instanceof ConfigError && err.key === 'symbols');
  assert.equal(DEFAULT_RISK_CONFIG.maxOpenOrders, 20);

  const { core } = await testCore();
  assert.deepEqual(riskStatePlan(core, 'risk', 2), { name: 'risk', bytes: 136 + 16 });
  assert.equal(core.riskInit(STATE + 4, 2, 0n), RiskStatus.MISALIGNED);
  assert.equal(core.riskInit(STATE, 0, 0n), RiskStatus.BAD_CONFIG);
  initRisk(core, STATE, symbols, { maxPositionBySymbol: { INFY: 300 } }, 5n);
  assert.equal(core.riskSetLimits(STATE, -1n, 0n, 0, 0n, 0n), RiskStatus.BAD_CONFIG);
  assert.equal(core.riskSetMaxPosition(STATE, 2, 10n), RiskStatus.BAD_SYMBOL);
  assert.equal(core.riskSetMaxPosition(STATE, 0, -1n), RiskStatus.BAD_CONFIG);
  assert.equal(checkOrder(core, STATE, { ...BASE, symbol: 1, qty: 301 }), 'MAX_POSITION');
  assert.equal(demandTradingState(core, STATE, 'REDUCING', 'RTT_LOCKDOWN', 7n), 'changed');
  assert.equal(demandTradingState(core, STATE, 'HALTED', 'KILL', 8n), 'changed');
  assert.equal(demandTradingState(core, STATE, 'ACTIVE', 'RTT_LOCKDOWN', 9n), 'halt-latched');
  assert.equal(demandTradingState(core, STATE, 'HALTED', 'OPERATOR', 9n), 'unchanged');
  const snap = readRisk(core, STATE, symbols);
  assert.equal(snap.trading_state, 'HALTED');
  assert.equal(snap.reason, 'KILL');
  assert.equal(snap.since_ns, 8n);
  assert.equal(snap.state_changes, 2);
  assert.deepEqual(snap.demands, {
    KILL: 'HALTED', RTT_LOCKDOWN: 'REDUCING', CIRCUIT_BREAKER: 'ACTIVE', DAILY_LOSS: 'ACTIVE', OPERATOR: 'HALTED', WORKER_DIED: 'ACTIVE',
  });
  assert.deepEqual(snap.limits, {
    max_order_qty: 1000, max_notional_paise: 50_000_000n, max_open_orders: 20, max_gross_exposure_paise: 200_000_000n,
    daily_loss_paise: 1_000_000n, max_position: { RELIANCE: 2000, INFY: 300 },
  });
  assert.equal(snap.checks.MAX_POSITION, 1);
  assert.equal(snap.invalid_calls, 0);
});

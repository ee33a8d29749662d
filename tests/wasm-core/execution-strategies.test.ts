// Each strategy's decisions on hand-built books: the WOBI passive executor (regime, gate, threshold,
// NEV, one order per side, passive exits), mean reversion (window, k σ, exit at the mean), stress
// (alternating far orders, cancel of the oldest).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExecParam } from '../../host/modules/execution.js';
import { RiskRefusal, Side, TimeInForce, TradingState, TradingStateReason } from '../../host/model/vocabulary.js';
import { one, stage, take, type Stage } from '../testkit/exec-stage.js';

const { BUY, SELL } = Side;

async function wobi(): Promise<Stage> {
  const s = await stage({ strategy: { kind: 'wobi', qty: 5, threshold: 0.4 } });
  // trades seen: a fill is likely within the horizon, so an entry with edge has NEV > 0
  s.core.execSetParam(s.state, ExecParam.TRADE_RATE_FLOOR_MILLI, 1_000_000n);
  return s;
}

function book(s: Stage, bid: number, ask: number, signal: number, now: bigint, regime = 1, gate = 1, qty = 1): number {
  s.core.execSetGate(s.state, 0, regime, gate);
  return s.core.execOnMarket(s.state, 0, bid, qty, ask, qty, signal, now);
}

test('WOBI: quotes the favoured side at its own touch only in Attack, gate open, |signal| ≥ threshold', async () => {
  const s = await wobi();
  assert.equal(book(s, 2000, 2010, 0.9, 1n, 0), 0, 'Veto regime');
  assert.equal(book(s, 2000, 2010, 0.9, 2n, 1, 0), 0, 'gate closed');
  assert.equal(book(s, 2000, 2010, 0.39, 3n), 0, 'below the threshold');
  assert.equal(book(s, 2000, 2010, 0.4, 4n), 1);
  const c = one(s);
  assert.deepEqual([c.type, c.side, c.priceTicks, c.qty, c.tif], ['new', BUY, 2000, 5, TimeInForce.GTC]);
  assert.equal(book(s, 2001, 2010, 0.9, 5n), 0, 'one working order per side');
  assert.equal(book(s, 2001, 2010, -0.9, 6n), 1);
  const sell = one(s);
  assert.deepEqual([sell.side, sell.priceTicks], [SELL, 2010]);
});

test('WOBI: no entry without edge: no trade seen, so P(fill) = 0 and NEV ≤ 0', async () => {
  const s = await stage({ strategy: { kind: 'wobi', qty: 5, threshold: 0.4 } });
  // no trade seen: the fill model gives P = 0, NEV ≤ 0
  assert.equal(book(s, 2000, 2010, 0.9, 1n), 0);
  assert.ok(!(s.core.execSymbolNev(s.state, 0) > 0));
});

test('WOBI: inventory is worked out passively at the opposite touch, not NEV-gated, also in REDUCING', async () => {
  const s = await stage({ strategy: { kind: 'wobi', qty: 5, threshold: 0.4 }, risk: { dailyLossRupees: 1 } });
  const { core, state } = s;
  core.execSetParam(state, ExecParam.TRADE_RATE_FLOOR_MILLI, 1_000_000n);
  book(s, 2000, 2010, 0.9, 1n);
  const buy = one(s);
  core.execOnAck(state, buy.clOrdId, 1n, 1000n, 2n);
  core.execSetParam(state, ExecParam.TRADE_RATE_FLOOR_MILLI, 0n); // exits must not need edge
  assert.equal(core.execOnFill(state, buy.clOrdId, 2000, 3, 3n), 1);
  const exit = one(s);
  assert.deepEqual([exit.side, exit.priceTicks, exit.qty], [SELL, 2010, 3]);
  // a loss beyond ₹1 → REDUCING; the exit stays the only order, no new entry even with a strong signal
  core.execOnCanceled(state, exit.clOrdId, 4n);
  book(s, 1990, 1992, 0.9, 5n, 1, 0);
  assert.equal(core.execTradingState(state), TradingState.REDUCING);
  assert.equal(core.execTradingReason(state), TradingStateReason.DAILY_LOSS);
  const cmds = take(s);
  assert.deepEqual(cmds.map((c) => [c.type, c.side, c.priceTicks, c.qty]), [['new', SELL, 1992, 3]]);
});

test('mean reversion: entry beyond k σ of the last N mids, passive; exit at the mean', async () => {
  const s = await stage({ strategy: { kind: 'mean-reversion', qty: 2, window: 4, k: 1 } });
  const { core, state } = s;
  core.execSetParam(state, ExecParam.TRADE_RATE_FLOOR_MILLI, 1_000_000n);
  // mids 100, 102, 100, 102 (spread 2): mean 101, σ 1
  for (const [i, [b, a]] of [[99, 101], [101, 103], [99, 101], [101, 103]].entries()) {
    assert.equal(book(s, b!, a!, 0, BigInt(i + 1)), 0, 'window not full yet');
  }
  // mid 100.5 is inside mean ± 1σ: nothing
  assert.equal(book(s, 100, 101, 0, 5n), 0);
  // window now 102, 100, 102, 100.5: mean 101.125, σ = sqrt(((.875)²+(1.125)²+(.875)²+(.625)²)/4) = 0.8927
  // mid 99.5 < 101.125 − 0.8927: buy at the bid
  assert.equal(book(s, 99, 100, 0, 6n), 1);
  const buy = one(s);
  assert.deepEqual([buy.side, buy.priceTicks, buy.qty], [BUY, 99, 2]);
  core.execOnAck(state, buy.clOrdId, 1n, 1000n, 7n);
  core.execOnFill(state, buy.clOrdId, 99, 2, 8n);
  // window 100, 102, 100.5, 99.5: mean 100.5 → sell ⌈100.5⌉ = 101, at or above the ask (100)
  const exit = one(s);
  assert.deepEqual([exit.side, exit.priceTicks, exit.qty], [SELL, 101, 2]);
});

test('mean reversion: above mean + kσ sells at the ask; a flat window (σ = 0) never trades', async () => {
  const s = await stage({ strategy: { kind: 'mean-reversion', qty: 1, window: 3, k: 1 } });
  s.core.execSetParam(s.state, ExecParam.TRADE_RATE_FLOOR_MILLI, 1_000_000n);
  for (let i = 0; i < 5; i++) assert.equal(book(s, 100, 102, 0, BigInt(i + 1)), 0);
  assert.equal(book(s, 101, 102, 0, 10n), 0, 'σ of 101,101,101 is 0: no band, no trade');
  // window 101, 101, 101.5: mean 101.1667, σ 0.2357; mid 103 → sell at the ask
  assert.equal(book(s, 102, 104, 0, 11n), 1);
  const sell = one(s);
  assert.deepEqual([sell.side, sell.priceTicks], [SELL, 104]);
});

test('stress: alternating orders offset ticks behind the touch; beyond depth the oldest is cancelled', async () => {
  const s = await stage({ strategy: { kind: 'stress', qty: 1, window: 2, offsetTicks: 5 }, broker: { perSecond: 0, perMinute: 0 } });
  const { core, state } = s;
  book(s, 2000, 2002, 0, 1n, 0, 0); // regime, gate and NEV are ignored
  book(s, 2000, 2002, 0, 2n, 0, 0);
  assert.deepEqual(take(s).map((c) => [c.type, c.side, c.priceTicks, c.clOrdId]), [['new', BUY, 1995, 1n], ['new', SELL, 2007, 2n]]);
  book(s, 2001, 2003, 0, 3n, 0, 0);
  assert.deepEqual(take(s).map((c) => [c.type, c.side, c.priceTicks, c.origClOrdId]), [['cancel', BUY, 1995, 1n], ['new', BUY, 1996, 0n]]);
  core.execOnCanceled(state, 1n, 4n);
  // risk still applies: with a max position of 1, a second order on a side with one working is refused
  core.execSetParam(state, ExecParam.MAX_POSITION, 1n);
  book(s, 2001, 2003, 0, 5n, 0, 0);
  assert.deepEqual(take(s).map((c) => [c.type, c.origClOrdId, c.side]), [['cancel', 2n, SELL]],
    'the sell being cancelled still counts: a new sell would make −2');
  assert.equal(core.execRefusals(state, RiskRefusal.MAX_POSITION), 1);
  book(s, 2001, 2003, 0, 6n, 0, 0);
  assert.deepEqual(take(s), [], 'the buy is refused too: order 3 (buy) is working');
  assert.equal(core.execRefusals(state, RiskRefusal.MAX_POSITION), 2);
});

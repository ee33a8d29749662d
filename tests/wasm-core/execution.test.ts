// The execution stage, worked by hand: the command records, the kill word, HALTED cancelling every
// working order once, flatten in HALTED, the 200 ms rule (cancel and reprice), cancels parked by a
// full broker window, RTT lockdown and release, the circuit breaker, daily loss, the NEV gate,
// unknown reports, execSetParam and the config errors. The seeded reference comparison is in
// execution-reference.test.ts, the strategies in execution-strategies.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../host/config/config-error.js';
import {
  ExecFlag, ExecParam, ExecRefusal, ExecStatus, executionBytes, readExecution, resolveExecutionConfig,
} from '../../host/modules/execution.js';
import { OrderState, RiskRefusal, Side, TimeInForce, TradingState, TradingStateReason } from '../../host/model/vocabulary.js';
import { MS, SECOND, costProfiles, market, one, stage, take } from '../testkit/exec-stage.js';

const { BUY, SELL } = Side;
const { GTC, IOC } = TimeInForce;
const UNGATED = ExecFlag.UNGATED;

test('a submitted order leaves as one NEW command with the id the core chose, then acks, fills and P&L', async () => {
  const s = await stage();
  const { core, state } = s;
  market(s, 0, 2000, 2002, 1n);
  take(s);
  assert.equal(core.execSubmit(state, 0, BUY, 2000, 10, GTC, UNGATED, 2n), 1);
  const c = one(s);
  assert.deepEqual(c, { type: 'new', side: BUY, kind: 0, tif: GTC, symbolId: 1, clOrdId: 1n, origClOrdId: 0n, priceTicks: 2000, qty: 10 });
  const ot = core.execOrderTableAddress(state);
  assert.equal(core.orderTableState(ot, core.orderTableFind(ot, 1n)), OrderState.PENDING_NEW);
  assert.equal(core.execOnAck(state, 1n, 900n, 50_000n, 3n), 0);
  assert.equal(core.orderTableState(ot, core.orderTableFind(ot, 1n)), OrderState.LIVE);
  assert.equal(core.execOnFill(state, 1n, 2000, 10, 4n), 0);
  const pos = core.execPositionsAddress(state);
  assert.equal(core.positionsPosition(pos, 0), 10n);
  // buy 10 @ 2000 ticks × 5 paise = ₹1000 turnover (100 000 paise), cash intraday:
  // exchange 0.00297 % = 2.97 → 3; SEBI 0.0001 % = 0.1 → 0; stamp 0.003 % = 3; brokerage min(2000, 0.03 % = 30) = 30;
  // GST 18 % × (30 + 3 + 0) = 5.94 → 6; STT 0 on a buy. Total 42 paise.
  assert.equal(core.positionsChargesPaise(pos, 0), 42n);
  assert.equal(core.execEmitted(state, 4), 1n);
});

test('unknown and finished ids are counted and ignored; nothing changes', async () => {
  const s = await stage();
  const { core, state } = s;
  market(s, 0, 2000, 2002, 1n);
  take(s);
  core.execSubmit(state, 0, BUY, 2000, 5, GTC, UNGATED, 2n);
  take(s);
  core.execOnAck(state, 1n, 1n, 1000n, 3n);
  core.execOnFill(state, 1n, 2000, 5, 4n);
  assert.equal(core.execIgnoredReports(state), 0);
  core.execOnFill(state, 1n, 2000, 5, 5n); // finished
  core.execOnAck(state, 77n, 1n, 1000n, 6n); // never seen
  core.execOnCanceled(state, 77n, 7n);
  core.execOnReject(state, 1n, 3, 8n);
  core.execOnReplaced(state, 1n, 99n, 5n, 9n);
  assert.equal(core.execIgnoredReports(state), 5);
  assert.equal(core.positionsPosition(core.execPositionsAddress(state), 0), 5n);
  assert.equal(take(s).length, 0);
});

test('kill word: HALTED (reason KILL) at once, a cancel for every working order, no new order after it', async () => {
  const s = await stage();
  const { core, state } = s;
  market(s, 0, 2000, 2002, 1n);
  market(s, 1, 1500, 1502, 1n);
  take(s);
  for (const [i, p] of [[0, 1999], [0, 1998], [1, 1500]] as const) assert.equal(core.execSubmit(state, i, BUY, p, 1, GTC, UNGATED, 2n), 1);
  take(s);
  core.execOnAck(state, 1n, 11n, 1000n, 3n);
  core.execOnAck(state, 2n, 12n, 1000n, 3n);
  // order 3 stays PENDING_NEW: a cancel may be sent before the ack
  const kill = core.execKillAddress(state);
  Atomics.store(new Int32Array(core.memory.buffer), kill >> 2, 1);
  assert.equal(core.execTradingState(state), TradingState.HALTED);
  assert.equal(core.execTradingReason(state), TradingStateReason.KILL);
  const n = core.execOnTimer(state, 4n);
  assert.equal(n, 3);
  const cmds = take(s);
  assert.deepEqual(cmds.map((c) => [c.type, c.origClOrdId]).sort(), [['cancel', 1n], ['cancel', 2n], ['cancel', 3n]]);
  assert.equal(core.execSubmit(state, 0, BUY, 1990, 1, GTC, UNGATED, 5n), ExecStatus.REFUSED);
  assert.equal(core.execLastRefusal(state), RiskRefusal.HALTED);
  assert.equal(market(s, 0, 2000, 2002, 6n, 0.9), 0, 'the strategy sends nothing while halted');
  // cancels already pending are not sent twice
  assert.equal(core.execOnTimer(state, SECOND), 0);
  assert.equal(core.execTradingReason(state), TradingStateReason.KILL);
});

test('a pending replace is cancelled when it resolves under HALTED', async () => {
  const s = await stage({ ttlAction: 'reprice' });
  const { core, state } = s;
  market(s, 0, 2000, 2002, 1n);
  take(s);
  core.execSubmit(state, 0, BUY, 1999, 1, GTC, UNGATED, 2n);
  take(s);
  core.execOnAck(state, 1n, 11n, 1000n, 3n);
  assert.equal(core.execReplace(state, 1n, 2000, 4n), 1);
  const r = one(s);
  assert.equal(r.type, 'replace');
  Atomics.store(new Int32Array(core.memory.buffer), core.execKillAddress(state) >> 2, 1);
  assert.equal(core.execOnTimer(state, 5n), 0, 'nothing to cancel while the replace is in flight');
  core.execOnReplaced(state, 1n, r.clOrdId, 12n, 6n);
  const c = one(s);
  assert.equal(c.type, 'cancel');
  assert.equal(c.origClOrdId, r.clOrdId);
});

test('flatten works in HALTED: a reduce-only IOC at the bid − collar for a long, after the kill cancels', async () => {
  const s = await stage({ flattenCollarTicks: 3 });
  const { core, state } = s;
  market(s, 0, 2000, 2002, 1n);
  take(s);
  core.execSubmit(state, 0, BUY, 2000, 7, GTC, UNGATED, 2n);
  take(s);
  core.execOnAck(state, 1n, 11n, 1000n, 3n);
  core.execOnFill(state, 1n, 2000, 7, 4n);
  core.execSubmit(state, 0, SELL, 2002, 7, GTC, ExecFlag.EXIT, 5n); // a passive exit working
  take(s);
  Atomics.store(new Int32Array(core.memory.buffer), core.execKillAddress(state) >> 2, 1);
  core.execOnTimer(state, 6n);
  const cancel = one(s);
  assert.equal(cancel.origClOrdId, 2n);
  assert.equal(core.execFlatten(state, 3, 7n), 0, 'the exit being cancelled still covers the position');
  core.execOnCanceled(state, 2n, 8n);
  const f = one(s);
  assert.deepEqual([f.type, f.side, f.tif, f.priceTicks, f.qty], ['new', SELL, IOC, 1997, 7]);
  core.execOnAck(state, f.clOrdId, 13n, 1000n, 9n);
  core.execOnFill(state, f.clOrdId, 1999, 7, 10n);
  assert.equal(core.positionsPosition(core.execPositionsAddress(state), 0), 0n);
  assert.equal(core.execFlattening(state), 0, 'flat: the flatten is over');
  assert.equal(core.execTradingState(state), TradingState.HALTED);
});

test('kill with the broker window as full as new orders may make it: every cancel leaves at once; a fill meanwhile is what flatten exits', async () => {
  // The engine scenario "flatten after kill" in the core. New orders keep room in the broker windows for a cancel
  // of every working order (at 10/s: 5 orders, each new one needing itself + a cancel for every order working
  // after it), so the kill's cancels all leave at once and fill the second. An order fills before its cancel
  // reaches the venue; flatten's exit of that fill waits for the window's next slot, the only message that does.
  const s = await stage({ flattenCollarTicks: 3, risk: { maxOpenOrders: 0 } });
  const { core, state } = s;
  market(s, 0, 2000, 2002, 1n);
  market(s, 1, 1500, 1502, 1n);
  take(s);
  const accepted: number[] = [];
  for (let i = 0; i < 4; i++) {
    accepted.push(core.execSubmit(state, 0, BUY, 1999 - i, 1, GTC, UNGATED, 1000n + BigInt(i)));
    accepted.push(core.execSubmit(state, 1, BUY, 1499 - i, 1, GTC, UNGATED, 1000n + BigInt(i)));
  }
  assert.deepEqual(accepted, [1, 1, 1, 1, 1, ExecStatus.REFUSED, ExecStatus.REFUSED, ExecStatus.REFUSED]);
  assert.equal(core.execLastRefusal(state), RiskRefusal.RATE_PER_SECOND, 'the headroom for cancels is what refuses');
  const sent = take(s);
  const symbolOf = new Map(sent.map((c) => [c.clOrdId, c.symbolId]));
  for (const c of sent) core.execOnAck(state, c.clOrdId, 100n + c.clOrdId, 1000n, 2000n);
  Atomics.store(new Int32Array(core.memory.buffer), core.execKillAddress(state) >> 2, 1);
  assert.equal(core.execOnTimer(state, 3000n), 5, 'a cancel for every working order, now');
  assert.equal(core.execWaitingCancels(state), 0);
  assert.deepEqual(take(s).map((c) => [c.type, c.origClOrdId]), sent.map((c) => ['cancel', c.clOrdId]));
  const filled = sent[1]!; // symbol 1's first buy fills before its cancel arrives
  core.execOnFill(state, filled.clOrdId, 1499, 1, 4000n);
  assert.equal(core.execFlatten(state, 3, 5000n), 0, 'the window is full: the exit waits for a slot');
  const after: ReturnType<typeof take> = [];
  for (let at = 5000n + MS; at <= 1000n + 2n * SECOND && after.length === 0; at += 100n * MS) {
    // Flatten retries on ticks and timers alike.
    market(s, 0, 2000, 2002, at);
    market(s, 1, 1500, 1502, at);
    after.push(...take(s));
  }
  assert.equal(after.length, 1, `one exit: ${JSON.stringify(after, (_, v) => (typeof v === 'bigint' ? String(v) : v))}`);
  assert.deepEqual([after[0]!.type, after[0]!.symbolId, after[0]!.side, after[0]!.tif, after[0]!.priceTicks, after[0]!.qty],
    ['new', symbolOf.get(filled.clOrdId), SELL, IOC, 1497, 1]);
});

test('flatten refuses to add: a short is bought back, never oversold; an IOC left short stops it', async () => {
  const s = await stage();
  const { core, state } = s;
  market(s, 0, 2000, 2002, 1n);
  take(s);
  core.execSubmit(state, 0, SELL, 2002, 4, GTC, UNGATED, 2n);
  take(s);
  core.execOnAck(state, 1n, 11n, 1000n, 3n);
  core.execOnFill(state, 1n, 2002, 4, 4n);
  core.execFlatten(state, 5, 5n);
  const f = one(s);
  assert.deepEqual([f.side, f.priceTicks, f.qty, f.tif], [BUY, 2007, 4, IOC]);
  core.execOnAck(state, f.clOrdId, 12n, 1000n, 6n);
  core.execOnFill(state, f.clOrdId, 2003, 1, 7n);
  core.execOnCanceled(state, f.clOrdId, 8n); // the venue found no more within the collar
  assert.equal(core.execFlattenShort(state), 1);
  assert.equal(core.execFlattening(state), 0);
  assert.equal(take(s).length, 0, 'no IOC after IOC');
});

test('flatten from ACTIVE: REDUCING as OPERATOR first (no new entries), the exit sent; reset lifts it', async () => {
  const s = await stage();
  const { core, state } = s;
  market(s, 0, 2000, 2002, 1n);
  take(s);
  core.execSubmit(state, 0, BUY, 2000, 4, GTC, UNGATED, 2n);
  take(s);
  core.execOnAck(state, 1n, 11n, 1000n, 3n);
  core.execOnFill(state, 1n, 2000, 4, 4n);
  core.execSubmit(state, 1, BUY, 1500, 1, GTC, UNGATED, 5n); // an entry working on the other symbol
  take(s);
  assert.equal(core.execFlatten(state, 2, 6n), 1);
  assert.deepEqual(take(s).map((c) => [c.type, c.side, c.priceTicks, c.qty, c.tif]), [['new', SELL, 1998, 4, IOC]]);
  assert.equal(core.execTradingState(state), TradingState.REDUCING);
  assert.equal(core.execTradingReason(state), TradingStateReason.OPERATOR);
  assert.equal(core.execSubmit(state, 1, BUY, 1499, 1, GTC, UNGATED, 7n), ExecStatus.REFUSED);
  assert.equal(core.execLastRefusal(state), RiskRefusal.REDUCE_ONLY);
  core.execReset(state, 8n);
  assert.equal(core.execTradingState(state), TradingState.ACTIVE);
});

test('the 200 ms rule: cancel exactly at ack + 200 ms, not 1 ns before; the deadline is exposed', async () => {
  const s = await stage();
  const { core, state } = s;
  market(s, 0, 2000, 2002, 1n);
  take(s);
  core.execSubmit(state, 0, BUY, 1999, 1, GTC, UNGATED, 2n);
  take(s);
  assert.equal(core.execNextDeadline(state), 2n ** 63n - 1n, 'no deadline before the ack');
  core.execOnAck(state, 1n, 11n, 1000n, 10n * MS);
  assert.equal(core.execNextDeadline(state), 210n * MS);
  assert.equal(core.execOnTimer(state, 210n * MS - 1n), 0);
  assert.equal(core.execOnTimer(state, 210n * MS), 1);
  const c = one(s);
  assert.deepEqual([c.type, c.origClOrdId, c.clOrdId], ['cancel', 1n, 2n]);
  assert.equal(core.execNextDeadline(state), 2n ** 63n - 1n, 'a cancel is out: no deadline');
  // a new time-to-live applies from the next ack on
  assert.equal(core.execSetParam(state, ExecParam.TTL_NS, 300n * MS), 0);
  core.execSubmit(state, 0, BUY, 1998, 1, GTC, UNGATED, 220n * MS);
  const next = one(s);
  core.execOnAck(state, next.clOrdId, 12n, 1000n, 230n * MS);
  assert.equal(core.execNextDeadline(state), 530n * MS);
});

test('the 200 ms rule with reprice: replaced to the new touch; an unchanged touch is cancelled', async () => {
  const s = await stage({ ttlAction: 'reprice', ttlMs: 50 });
  const { core, state } = s;
  market(s, 0, 2000, 2002, 1n);
  take(s);
  core.execSubmit(state, 0, BUY, 2000, 3, GTC, UNGATED, 2n);
  core.execSubmit(state, 0, SELL, 2002, 3, GTC, UNGATED, 2n);
  take(s);
  core.execOnAck(state, 1n, 11n, 1000n, 0n);
  core.execOnAck(state, 2n, 12n, 1000n, 0n);
  market(s, 0, 2001, 2002, MS);
  take(s);
  assert.equal(core.execOnTimer(state, 50n * MS), 2);
  const cmds = take(s).sort((a, b) => Number(a.origClOrdId - b.origClOrdId));
  assert.deepEqual(cmds.map((c) => [c.type, c.origClOrdId, c.priceTicks, c.qty]), [['replace', 1n, 2001, 3], ['cancel', 2n, 2002, 3]]);
  core.execOnReplaced(state, 1n, cmds[0]!.clOrdId, 13n, 60n * MS);
  assert.equal(core.execNextDeadline(state), 110n * MS, 'the repriced order rests anew');
});

test('broker windows 10/s: a new order needs room for itself and a cancel of every working order; a cancel never waits for one', async () => {
  const s = await stage({ risk: { maxOpenOrders: 0 } });
  const { core, state } = s;
  market(s, 0, 2000, 2002, 1n);
  take(s);
  // The k-th order needs k + 1 free messages with k − 1 sent: 2k ≤ 10, so five pass and the sixth is refused.
  for (let i = 0; i < 5; i++) assert.equal(core.execSubmit(state, 0, BUY, 1990 - i, 1, GTC, UNGATED, 1000n + BigInt(i)), 1);
  assert.equal(core.execSubmit(state, 0, BUY, 1970, 1, GTC, UNGATED, 2000n), ExecStatus.REFUSED);
  assert.equal(core.execLastRefusal(state), RiskRefusal.RATE_PER_SECOND);
  assert.equal(core.execRefusals(state, RiskRefusal.RATE_PER_SECOND), 1);
  take(s);
  // Every working order can be cancelled now, within the second: 5 sends + 5 cancels = the cap.
  for (let id = 1n; id <= 5n; id++) assert.equal(core.execCancel(state, id, 3000n), 1, `cancel of ${id}`);
  assert.equal(core.execWaitingCancels(state), 0);
  assert.equal(core.execCancelsWaited(state), 0);
  assert.deepEqual(take(s).map((c) => c.type), ['cancel', 'cancel', 'cancel', 'cancel', 'cancel']);
  const bw = core.execBrokerWindowsAddress(state);
  assert.equal(core.brokerWindowsUsed(bw, 0, 3000n), 10n, 'the second is full, and no more');
  // Once cancelled, an order needs no headroom: the next new order waits only for the window to slide.
  for (let id = 1n; id <= 5n; id++) core.execOnCanceled(state, id, 4000n);
  assert.equal(core.execSubmit(state, 0, BUY, 1970, 1, GTC, UNGATED, 1000n + SECOND - 1n), ExecStatus.REFUSED);
  assert.equal(core.execSubmit(state, 0, BUY, 1970, 1, GTC, UNGATED, 1001n + SECOND), 1, 'two sends have left the window: room for 1 + its cancel');
});

test('a flatten exit needs room for itself only: it may take the last slot an entry may not', async () => {
  const s = await stage({ broker: { perSecond: 4, perMinute: 100 }, risk: { maxOpenOrders: 0 } });
  const { core, state } = s;
  market(s, 0, 2000, 2002, 1n);
  take(s);
  assert.equal(core.execSubmit(state, 0, BUY, 2002, 1, IOC, UNGATED, 1000n), 1);
  const [buy] = take(s);
  core.execOnAck(state, buy!.clOrdId, 9n, 1000n, 2000n);
  core.execOnFill(state, buy!.clOrdId, 2002, 1, 2000n); // long 1, 1 message sent
  assert.equal(core.execSubmit(state, 0, BUY, 1990, 1, GTC, UNGATED, 3000n), 1, 'needs 2 of the 3 left');
  const [rest] = take(s);
  assert.equal(core.execCancel(state, rest!.clOrdId, 3000n), 1, 'its cancel had its room');
  take(s);
  core.execOnCanceled(state, rest!.clOrdId, 4000n); // 3 sent, 1 left, nothing working
  assert.equal(core.execSubmit(state, 0, BUY, 1989, 1, GTC, UNGATED, 5000n), ExecStatus.REFUSED, 'an entry needs 2');
  assert.equal(core.execLastRefusal(state), RiskRefusal.RATE_PER_SECOND);
  assert.equal(core.execFlatten(state, 3, 6000n), 1, 'the exit takes the last slot');
  const [exit] = take(s);
  assert.deepEqual([exit!.type, exit!.side, exit!.tif, exit!.priceTicks, exit!.qty], ['new', SELL, IOC, 1997, 1]);
});

test('OTR budget: with no trade and target 49.999, 49 counted messages pass and the 50th is refused OTR_BUDGET; exempt ones pass', async () => {
  const s = await stage({ targetOtr: 49.999, broker: { perSecond: 0, perMinute: 0, perDay: 0 }, risk: { maxOpenOrders: 0, maxPosition: 0 } });
  const { core, state } = s;
  // a fill is near certain (10^6 lots/s), so NEV > 0 even where a cancel would cross into the 2-paise slab
  core.execSetParam(state, ExecParam.TRADE_RATE_FLOOR_MILLI, 1_000_000_000n);
  market(s, 0, 2000, 2002, 1n);
  take(s);
  // zero-trade mode "orders": OTR = counted; 49 ≤ 49.999 < 50
  for (let i = 0; i < 49; i++) assert.equal(core.execSubmit(state, 0, BUY, 1990, 1, GTC, 0, 2n), 1, `order ${i + 1}`);
  assert.equal(core.execSubmit(state, 0, BUY, 1990, 1, GTC, 0, 3n), ExecStatus.REFUSED);
  assert.equal(core.execLastRefusal(state), RiskRefusal.OTR_BUDGET);
  // a cancel is never refused by the budget (it still counts in the ledger)
  assert.equal(core.execCancel(state, 1n, 4n), 1);
  assert.equal(core.otrCounted(core.execOtrAddress(state)), 50);
  // with the last traded price at 2000, an order within 0.75 % of it is exempt: it passes and is not counted
  core.execOnTrade(state, 0, 2000, 10, 5n);
  assert.equal(core.execSubmit(state, 0, BUY, 1990, 1, GTC, 0, 6n), 1);
  assert.equal(core.otrCounted(core.execOtrAddress(state)), 50);
  // and NEV priced no OTR penalty for it (nev.ts output: +24 expected penalty)
  assert.equal(new Float64Array(core.memory.buffer, core.execNevAddress(state) + 24, 1)[0], 0);
  // 0.75 % of 2000 ticks is 15 ticks: 1985 is inside, 1984 outside and refused again
  assert.equal(core.otrExemptAt(core.execOtrAddress(state), 1985, 2000), 1);
  assert.equal(core.otrExemptAt(core.execOtrAddress(state), 1984, 2000), 0);
  assert.equal(core.execSubmit(state, 0, BUY, 1984, 1, GTC, 0, 7n), ExecStatus.REFUSED);
  assert.equal(core.execRefusals(state, RiskRefusal.OTR_BUDGET), 2);
  // the benchmark's UNGATED orders skip the economic gates, the OTR budget included
  assert.equal(core.execSubmit(state, 0, BUY, 1984, 1, GTC, UNGATED, 8n), 1);
});

test('RTT lockdown on 3 slow acks (REDUCING: exits only), release after 10 calm acks and the minimum time', async () => {
  const s = await stage({
    rttWatchdog: { lockdownMs: 20, confirmSamples: 3, releaseMs: 10, releaseSamples: 10, minLockdownMs: 1000 },
    broker: { perSecond: 0, perMinute: 0 },
  });
  const { core, state } = s;
  market(s, 0, 2000, 2002, 1n);
  take(s);
  let id = 0n;
  const order = (side: number, price: number, qty: number, now: bigint, flags: number = UNGATED): bigint => {
    assert.equal(core.execSubmit(state, 0, side, price, qty, GTC, flags, now), 1, `refused ${core.execLastRefusal(state)}`);
    take(s);
    return ++id;
  };
  // a position of 20 to exit from later
  const first = order(BUY, 2000, 20, 5n);
  core.execOnAck(state, first, 0n, MS, 5n);
  core.execOnFill(state, first, 2000, 20, 6n);
  // one slow ack does not lock down, nor two
  for (let i = 0; i < 2; i++) core.execOnAck(state, order(BUY, 1990, 1, 10n), 0n, 21n * MS, 10n);
  core.execOnAck(state, order(BUY, 1990, 1, 10n), 0n, 5n * MS, 10n);
  assert.equal(core.execTradingState(state), TradingState.ACTIVE);
  for (let i = 0; i < 3; i++) core.execOnAck(state, order(BUY, 1990, 1, 20n), 0n, 25n * MS, 20n);
  assert.equal(core.execTradingState(state), TradingState.REDUCING);
  assert.equal(core.execTradingReason(state), TradingStateReason.RTT_LOCKDOWN);
  assert.equal(core.execSubmit(state, 0, BUY, 1990, 1, GTC, UNGATED, 30n), ExecStatus.REFUSED);
  assert.equal(core.execLastRefusal(state), RiskRefusal.REDUCE_ONLY);
  // 10 calm acks of exits before the minimum lockdown time do not release; the next one after it does
  for (let i = 0; i < 10; i++) core.execOnAck(state, order(SELL, 2002 + i, 1, 100n * MS, ExecFlag.EXIT), 0n, MS, 100n * MS);
  assert.equal(core.execTradingState(state), TradingState.REDUCING);
  core.execOnRtt(state, MS, 20n + SECOND);
  assert.equal(core.execTradingState(state), TradingState.ACTIVE);
  assert.equal(core.execTradingReason(state), TradingStateReason.RTT_LOCKDOWN);
});

test('circuit breaker: 5 new-order rejects in 10 s halt; a cancel-reject does not count; reset re-arms', async () => {
  const s = await stage({ circuitBreaker: { maxRejects: 5, windowMs: 10_000, tripState: 'HALTED' } });
  const { core, state } = s;
  market(s, 0, 2000, 2002, 1n);
  take(s);
  // a cancel-reject: not a fault
  core.execSubmit(state, 0, BUY, 1990, 1, GTC, UNGATED, 1n);
  take(s);
  core.execOnAck(state, 1n, 1n, 1000n, 1n);
  core.execCancel(state, 1n, 2n);
  const cancel = one(s);
  core.execOnReject(state, cancel.clOrdId, 1, 3n);
  const ot = core.execOrderTableAddress(state);
  assert.equal(core.orderTableState(ot, core.orderTableFind(ot, 1n)), OrderState.LIVE);
  for (let i = 0; i < 4; i++) {
    assert.equal(core.execSubmit(state, 0, BUY, 1980 - i, 1, GTC, UNGATED, 10n), 1);
    core.execOnReject(state, one(s).clOrdId, 2, 11n);
  }
  assert.equal(core.execTradingState(state), TradingState.ACTIVE);
  assert.equal(core.execSubmit(state, 0, BUY, 1970, 1, GTC, UNGATED, 12n), 1);
  core.execOnReject(state, one(s).clOrdId, 2, 13n);
  assert.equal(core.execTradingState(state), TradingState.HALTED);
  assert.equal(core.execTradingReason(state), TradingStateReason.CIRCUIT_BREAKER);
  const c = one(s);
  assert.deepEqual([c.type, c.origClOrdId], ['cancel', 1n], 'the halt cancels the one working order');
  assert.equal(core.execReset(state, 20n), 0);
  assert.equal(core.execTradingState(state), TradingState.ACTIVE);
  assert.equal(core.execTradingReason(state), TradingStateReason.RESET);
  assert.equal(core.circuitBreakerMode(core.execBreakerAddress(state)), 0);
});

test('daily loss: a mark at the limit moves to REDUCING (DAILY_LOSS); new entries refused, exits pass', async () => {
  // limit ₹10: a long of 100 at 2000 ticks (5 paise) loses ₹10 = 1000 paise at 1998 ticks, less the charges
  const s = await stage({ risk: { dailyLossRupees: 10 } });
  const { core, state } = s;
  market(s, 0, 2000, 2002, 1n);
  take(s);
  core.execSubmit(state, 0, BUY, 2000, 100, GTC, UNGATED, 2n);
  take(s);
  core.execOnAck(state, 1n, 1n, 1000n, 3n);
  core.execOnFill(state, 1n, 2000, 100, 4n);
  const pos = core.execPositionsAddress(state);
  const charges = core.positionsChargesPaise(pos, 0);
  assert.ok(charges > 0n);
  market(s, 0, 2000, 2002, 5n); // mark 2001: +500 − charges
  assert.equal(core.execTradingState(state), TradingState.ACTIVE);
  take(s);
  // mark 1998: unrealized −1000 paise, −1000 − charges ≤ −1000
  market(s, 0, 1997, 1999, 6n);
  assert.equal(core.positionsTotalDayPnlPaise(pos), -1000n - charges);
  assert.equal(core.execTradingState(state), TradingState.REDUCING);
  assert.equal(core.execTradingReason(state), TradingStateReason.DAILY_LOSS);
  take(s);
  assert.equal(core.execSubmit(state, 1, BUY, 1500, 1, GTC, UNGATED, 7n), ExecStatus.REFUSED);
  assert.equal(core.execLastRefusal(state), RiskRefusal.REDUCE_ONLY);
  assert.equal(core.execSubmit(state, 0, SELL, 1999, 100, GTC, ExecFlag.EXIT, 8n), 1);
  // the next day lifts the demand
  assert.equal(core.execNewDay(state, core.otrDay(core.execOtrAddress(state)) + 1, 9n), 0);
  assert.equal(core.execTradingState(state), TradingState.ACTIVE);
});

test('daily loss: an order checked after a fill sees the fill in the day P&L, not the sum its last market call took', async () => {
  // A market call keeps the day P&L it summed for its own risk checks (execution.ts, checkDailyLoss's memo);
  // it must not outlive the call. Limit ₹100 (10 000 paise): short 100 at 2000 ticks with the mark at 2001
  // loses 100 × 1 × 5 = 500 paise plus the charges, far inside it; then the limit is lowered to ₹10
  // (1 000 paise) with no market call in between, and the next entry is refused DAILY_LOSS.
  const s = await stage({ risk: { dailyLossRupees: 100 } });
  const { core, state } = s;
  market(s, 0, 2000, 2002, 1n); // mark 2001; the day P&L summed here is 0
  take(s);
  assert.equal(core.execSubmit(state, 0, SELL, 2000, 100, GTC, UNGATED, 2n), 1);
  take(s);
  core.execOnAck(state, 1n, 1n, 1000n, 3n);
  core.execOnFill(state, 1n, 2000, 100, 4n);
  const pos = core.execPositionsAddress(state);
  const pnl = core.positionsTotalDayPnlPaise(pos);
  assert.equal(pnl, -500n - core.positionsChargesPaise(pos, 0));
  assert.ok(pnl > -10_000n && pnl <= -1_000n, `day P&L ${pnl} paise`);
  assert.equal(core.execTradingState(state), TradingState.ACTIVE);
  const risk = core.execRiskAddress(state);
  assert.equal(core.riskSetLimits(risk, core.riskMaxOrderQty(risk), core.riskMaxNotionalPaise(risk),
    core.riskMaxOpenOrders(risk), core.riskMaxGrossExposurePaise(risk), 1_000n), 0);
  assert.equal(core.execSubmit(state, 1, BUY, 1500, 1, GTC, UNGATED, 5n), ExecStatus.REFUSED);
  assert.equal(core.execLastRefusal(state), RiskRefusal.DAILY_LOSS);
  // The next market call's own look finds the breach and demands REDUCING.
  market(s, 1, 1500, 1502, 6n);
  assert.equal(core.execTradingState(state), TradingState.REDUCING);
  assert.equal(core.execTradingReason(state), TradingStateReason.DAILY_LOSS);
});

test('the NEV gate refuses an entry without edge, passes one with edge and every real exit; NEV is kept for telemetry', async () => {
  const s = await stage();
  const { core, state } = s;
  market(s, 0, 2000, 2002, 1n);
  take(s);
  // no trades seen: P(fill) = 0, NEV = −(expected OTR penalty) ≤ 0
  assert.equal(core.execSubmit(state, 0, BUY, 2000, 1, GTC, 0, 2n), ExecStatus.REFUSED);
  assert.equal(core.execLastRefusal(state), ExecRefusal.NEV);
  assert.ok(!(core.execSymbolNev(state, 0) > 0));
  // a heavy trade rate and a strong buy signal: fair well above the bid, fill likely → NEV > 0
  core.execSetParam(state, ExecParam.TRADE_RATE_FLOOR_MILLI, 1_000_000n);
  core.execOnMarket(state, 0, 2000, 1, 2040, 1, 1.0, 3n);
  take(s);
  assert.equal(core.execSubmit(state, 0, BUY, 2000, 1, GTC, 0, 4n), 1, `refused ${core.execLastRefusal(state)}`);
  assert.ok(core.execSymbolNev(state, 0) > 0);
  assert.equal(core.execRefusals(state, ExecRefusal.NEV), 1);
  // exits are not NEV-gated, but an "exit" that does not reduce is an entry
  core.execSetParam(state, ExecParam.TRADE_RATE_FLOOR_MILLI, 0n);
  assert.equal(core.execSubmit(state, 1, SELL, 1500, 1, GTC, ExecFlag.EXIT, 5n), ExecStatus.REFUSED, 'flat: nothing to exit');
  assert.equal(core.execLastRefusal(state), ExecRefusal.NEV);
  core.execOnAck(state, 1n, 1n, 1000n, 6n);
  core.execOnFill(state, 1n, 2000, 1, 7n);
  assert.equal(core.execSubmit(state, 0, SELL, 2040, 1, GTC, ExecFlag.EXIT, 8n), 1, 'a real exit passes without edge');
  assert.equal(core.execSubmit(state, 0, SELL, 2041, 1, GTC, ExecFlag.EXIT, 9n), ExecStatus.REFUSED,
    'the position is already covered by the working exit: this one would open a short, so it needs edge');
  assert.equal(core.execLastRefusal(state), ExecRefusal.NEV);
  assert.equal(core.execRefusals(state, ExecRefusal.NEV), 3);
});

test('execSetParam validates in the core; execSetStrategy and execSetSymbol refuse bad values', async () => {
  const s = await stage();
  const { core, state } = s;
  assert.equal(core.execSetParam(state, ExecParam.QTY, 0n), ExecStatus.BAD_PARAM);
  assert.equal(core.execSetParam(state, ExecParam.QTY, 25n), 0);
  assert.equal(core.execSetParam(state, ExecParam.TTL_ACTION, 2n), ExecStatus.BAD_PARAM);
  assert.equal(core.execSetParam(state, ExecParam.TTL_NS, 0n), ExecStatus.BAD_PARAM);
  assert.equal(core.execSetParam(state, ExecParam.MAX_POSITION, 40n), 0);
  assert.equal(core.riskMaxPosition(core.execRiskAddress(state), 1), 40n);
  assert.equal(core.execSetParam(state, 999, 1n), ExecStatus.BAD_PARAM);
  assert.equal(core.execSetStrategy(state, 4, 1, 0.3, 50, 2, 1), ExecStatus.BAD_PARAM);
  assert.equal(core.execSetStrategy(state, 1, 1, 0.3, 1, 2, 1), ExecStatus.BAD_PARAM, 'mean reversion needs ≥ 2 mids');
  assert.equal(core.execSetSymbol(state, 1, 1, 5, 1), ExecStatus.BAD_SYMBOL, 'symbol id 1 is index 0');
  assert.equal(core.execSetSymbol(state, 2, 3, 5, 1), ExecStatus.BAD_SYMBOL, 'two symbols only');
});

test('a bad [execution] config names the key, the allowed range and the value', async () => {
  const profiles = await costProfiles();
  const bad = (t: Record<string, unknown>, key: string): void => {
    assert.throws(() => resolveExecutionConfig(t, { profiles, date: '2026-11-30' }), (e: unknown) => {
      assert.ok(e instanceof ConfigError, String(e));
      assert.equal(e.key, key);
      return true;
    });
  };
  bad({ ttlMs: 0 }, 'execution.ttlMs');
  bad({ ttlAction: 'hold' }, 'execution.ttlAction');
  bad({ strategy: { kind: 'momentum' } }, 'execution.strategy.kind');
  bad({ strategy: { kind: 'stress', window: 9 } }, 'execution.strategy.window');
  bad({ broker: { perSecond: -1 } }, 'execution.broker.perSecond');
  bad({ risk: { maxOrderQty: 1.5 } }, 'execution.risk.maxOrderQty');
  bad({ rttWatchdog: { lockdownMs: 0 } }, 'execution.rttWatchdog.lockdownMs');
  bad({ costProfile: 'nope' }, 'execution.costProfile');
  bad({ colour: 1 }, 'execution.colour');
  bad({ targetOtr: 'x' }, 'execution.targetOtr');
  bad({ strategy: { qty: 0 } }, 'execution.strategy.qty');
  bad({ circuitBreaker: { maxRejects: 0 } }, 'execution.circuitBreaker.maxRejects');
  assert.equal(resolveExecutionConfig({ targetOtr: false }, { profiles }).targetOtr, null);
  // 1970..2025: 56 × 365 + 14 leap days = 20 454; Jan..Oct 2026 = 304 days; + 29 → 2026-11-30 is day 20 787
  assert.equal(resolveExecutionConfig({}, { profiles, date: '2026-11-30' }).day, 20_787);
  assert.throws(() => resolveExecutionConfig({ ttlMs: -5 }, { profiles }), /execution\.ttlMs must be a number in \[0\.001, 3600000\], got -5/);
});

test('a strategy qty that is not a whole number of lots is refused naming the key', async () => {
  await assert.rejects(stage({ strategy: { kind: 'wobi', qty: 3 } }, [{ name: 'NIFTY-FUT', symbolId: 3, tickPaise: 5, lotSize: 75 }]),
    /execution\.strategy\.qty must be a multiple of every symbol's lot size \(NIFTY-FUT: 75\), got 3/);
});

test('session end: every working order is closed without a command; later reports for them are ignored', async () => {
  const s = await stage();
  const { core, state } = s;
  market(s, 0, 2000, 2002, 1n);
  take(s);
  core.execSubmit(state, 0, BUY, 1999, 1, GTC, UNGATED, 2n);
  core.execSubmit(state, 0, SELL, 2003, 1, GTC, UNGATED, 2n);
  take(s);
  core.execOnAck(state, 1n, 11n, 1000n, 3n);
  assert.equal(core.execOnSessionEnd(state, 4n), 2);
  assert.equal(take(s).length, 0);
  assert.equal(core.orderTableOpenCount(core.execOrderTableAddress(state)), 0);
  assert.equal(core.execNextDeadline(state), 2n ** 63n - 1n);
  core.execOnCanceled(state, 1n, 5n);
  assert.equal(core.execIgnoredReports(state), 1);
});

test('execNewDay: the broker day count, the day P&L and the OTR counts restart; an earlier day is refused', async () => {
  // 5 a day: the first order needs 2 (itself, its cancel), the second 3 (and the first's cancel), the third 4 of
  // the 3 left.
  const s = await stage({ broker: { perDay: 5 } });
  const { core, state } = s;
  market(s, 0, 2000, 2002, 1n);
  take(s);
  for (let i = 0; i < 2; i++) assert.equal(core.execSubmit(state, 0, BUY, 1990 + i, 1, GTC, UNGATED, BigInt(i + 1) * SECOND), 1);
  assert.equal(core.execSubmit(state, 0, BUY, 1989, 1, GTC, UNGATED, 5n * SECOND), ExecStatus.REFUSED);
  assert.equal(core.execLastRefusal(state), RiskRefusal.RATE_PER_DAY);
  core.execOnAck(state, 1n, 1n, 1000n, 6n * SECOND);
  core.execOnFill(state, 1n, 1990, 1, 6n * SECOND);
  const pos = core.execPositionsAddress(state);
  assert.ok(core.positionsDayChargesPaise(pos, 0) > 0n);
  const otr = core.execOtrAddress(state);
  const day = core.otrDay(otr);
  assert.equal(core.execNewDay(state, day - 1, 7n * SECOND), ExecStatus.BAD_PARAM);
  assert.equal(core.execNewDay(state, day + 1, 7n * SECOND), 0);
  assert.equal(core.brokerWindowsUsed(core.execBrokerWindowsAddress(state), 2, 7n * SECOND), 0n);
  assert.equal(core.positionsDayChargesPaise(pos, 0), 0n);
  assert.equal(core.positionsPosition(pos, 0), 1n, 'the position carries over');
  assert.equal(core.otrCounted(otr), 0);
  assert.equal(core.execSubmit(state, 0, BUY, 1989, 1, GTC, UNGATED, 8n * SECOND), 1);
});

test('executionBytes sizes the region; readExecution reads it back', async () => {
  const s = await stage();
  const bytes = executionBytes(s.core, s.cfg, [{ name: 'X', symbolId: 1, tickPaise: 5, lotSize: 1 }]);
  assert.ok(bytes > 0 && bytes % 64 === 0);
  const snap = readExecution(s.core, s.state);
  assert.equal(snap.trading_state, 'ACTIVE');
  assert.equal(snap.next_deadline_ns, null);
});

// The execution stage's RTT probes and RTT verdict (wasm-core/exec-probe.ts): when a probe is due (idle,
// lockdown), that its round trip feeds the watchdog like an ack's (lockdown confirmed and released on
// probes alone), that it is no order (broker windows, OTR ledger, order counts untouched, sent even with
// the broker's second full), the verdict the zero-trust gate reads, and exits through a gate closed by an
// RTT lockdown alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExecCommand, ExecGate, ExecRttVerdict } from '../../build/core-constants.js';
import { ExecFlag, ExecParam, readCommands } from '../../host/modules/execution.js';
import { Side, TimeInForce, TradingState, TradingStateReason } from '../../host/model/vocabulary.js';
import { MS, SECOND, market, one, stage, take, type Stage } from '../testkit/exec-stage.js';

const MAX = 2n ** 63n - 1n;
const MIN = -(2n ** 63n);

/** A stage with probes on (defaults: 100 ms in lockdown, 1 s idle; watchdog 20 ms × 3, release 10 ms × 10 after 1 s). */
const probing = (table: Record<string, unknown> = {}): Promise<Stage> => stage(table, undefined, true);

/** Runs the timer at `now` and returns the one PROBE it must have appended (its id). */
function probeAt(s: Stage, now: bigint): bigint {
  assert.equal(s.core.execOnTimer(s.state, now), 1, `a probe at ${now}`);
  const c = one(s);
  assert.equal(c.type, 'probe');
  assert.deepEqual([c.side, c.kind, c.tif, c.symbolId, c.origClOrdId, c.priceTicks, c.qty], [0, 0, 0, 0, 0n, 0, 0]);
  return c.clOrdId;
}

test('probe schedule: due at once, one out at a time, then probeIdle after the last round trip (an ack\'s too)', async () => {
  const s = await probing();
  const { core, state } = s;
  assert.equal(core.execNextDeadline(state), MIN, 'no round trip yet, no probe yet: due now');
  const t0 = 5n * SECOND;
  const id = probeAt(s, t0);
  assert.equal(id, 1n, 'from the stage\'s own numbering');
  assert.equal(core.execNextDeadline(state), MAX, 'one out: no second');
  assert.equal(core.execOnTimer(state, t0 + 10n * SECOND), 0, 'still none while it is out');
  assert.deepEqual([core.execProbes(state, 0), core.execProbes(state, 1)], [1n, 0n]);
  assert.equal(core.execOnProbe(state, id + 7n, 2n * MS, t0 + 2n * MS), 0, 'another id: ignored');
  assert.equal(core.rttWatchdogSamples(core.execRttAddress(state)), 0n);
  assert.equal(core.execOnProbe(state, id, 2n * MS, t0 + 2n * MS), 0);
  assert.deepEqual([core.execProbes(state, 0), core.execProbes(state, 1)], [1n, 1n]);
  assert.equal(core.rttWatchdogSamples(core.execRttAddress(state)), 1n, 'the answer is a watchdog sample');
  assert.equal(core.execNextDeadline(state), t0 + 2n * MS + SECOND, 'idle: 1 s after the last round trip');
  // A round trip from elsewhere (here the login's) pushes the idle probe out.
  core.execOnRtt(state, 3n * MS, t0 + 500n * MS);
  assert.equal(core.execNextDeadline(state), t0 + 1500n * MS);
  assert.equal(core.execOnTimer(state, t0 + 1500n * MS - 1n), 0, 'not 1 ns early');
  const id2 = probeAt(s, t0 + 1500n * MS);
  assert.ok(id2 > id);
  // A lost probe (not sent, no session): forgotten, the next one idle after it.
  assert.equal(core.execOnProbe(state, id2, -1n, t0 + 1501n * MS), 0);
  assert.deepEqual([core.execProbes(state, 0), core.execProbes(state, 1)], [2n, 1n]);
  assert.equal(core.rttWatchdogSamples(core.execRttAddress(state)), 2n, 'a loss is no sample');
  assert.equal(core.execNextDeadline(state), t0 + 2500n * MS);
  // Off: no probes and no probe deadline.
  assert.equal(core.execSetParam(state, ExecParam.PROBE_IDLE_NS, 0n), 0);
  assert.equal(core.execNextDeadline(state), MAX);
  assert.equal(core.execOnTimer(state, t0 + 100n * SECOND), 0);
  for (const bad of [-1n, 999_999n, 3_600_000n * MS + 1n]) assert.equal(core.execSetParam(state, ExecParam.PROBE_IDLE_NS, bad), -5);
  assert.equal(core.execSetParam(state, ExecParam.PROBE_INTERVAL_NS, 60_001n * MS), -5);
});

test('probe round trips alone confirm a lockdown (3 slow) and release it (10 calm, ≥ 1 s later), probing every 100 ms', async () => {
  const s = await probing();
  const { core, state } = s;
  const rtt = core.execRttAddress(state);
  let t = 10n * SECOND;
  /** The next probe, sent when it is due (the first at t), answered after rttNs. */
  const answer = (rttNs: bigint): void => {
    const due = core.execNextDeadline(state);
    if (due > t) t = due;
    const id = probeAt(s, t);
    t += rttNs;
    core.execOnProbe(state, id, rttNs, t);
  };
  answer(40n * MS);
  answer(40n * MS);
  assert.equal(t, 10n * SECOND + 40n * MS + SECOND + 40n * MS, 'the second idle, 1 s after the first answer');
  assert.equal(core.execTradingState(state), TradingState.ACTIVE, 'two slow round trips lock nothing down');
  assert.equal(core.execRttVerdict(state), ExecRttVerdict.OK);
  answer(40n * MS);
  assert.equal(core.rttWatchdogMode(rtt), 1);
  assert.equal(core.execTradingState(state), TradingState.REDUCING);
  assert.equal(core.execTradingReason(state), TradingStateReason.RTT_LOCKDOWN);
  assert.equal(core.execRttVerdict(state), ExecRttVerdict.LOCKDOWN);
  const lockedAt = t;
  const lastProbe = t - 40n * MS;
  assert.equal(core.execNextDeadline(state), lastProbe + 100n * MS, 'in lockdown: every 100 ms after the last probe');
  let calm = 0;
  while (core.rttWatchdogMode(rtt) === 1) {
    answer(1n * MS);
    calm++;
    assert.ok(calm < 40, 'released');
  }
  assert.ok(t - lockedAt >= SECOND, 'not before minLockdownMs');
  assert.ok(calm >= 10);
  assert.equal(core.execTradingState(state), TradingState.ACTIVE);
  assert.equal(core.execRttVerdict(state), ExecRttVerdict.OK);
  assert.equal(core.execNextDeadline(state), t + SECOND, 'back to idle probing');
});

test('a probe is not an order: no broker slot, no OTR message, no order count, and it goes out with the broker\'s second full', async () => {
  // 2 a second: the first order takes one and keeps the other for its cancel, so the second finds no room.
  const s = await probing({ broker: { perSecond: 2, perMinute: 100 } });
  const { core, state } = s;
  market(s, 0, 2000, 2002, 1n);
  take(s);
  const t = 2n * SECOND;
  assert.equal(core.execSubmit(state, 0, Side.BUY, 2000, 1, TimeInForce.GTC, ExecFlag.UNGATED, t), 1);
  take(s);
  assert.equal(core.execSubmit(state, 0, Side.BUY, 1999, 1, TimeInForce.GTC, ExecFlag.UNGATED, t), -6, 'the second is full');
  const bw = core.execBrokerWindowsAddress(state);
  const otr = core.execOtrAddress(state);
  const before = {
    second: core.brokerWindowsUsed(bw, 0, t), minute: core.brokerWindowsUsed(bw, 1, t), day: core.brokerWindowsUsed(bw, 2, t),
    otrNew: core.otrNewOrders(otr), otrCounted: core.otrCounted(otr), news: core.execEmitted(state, 1),
    passed: core.execRefusals(state, 0), open: core.orderTableOpenCount(core.execOrderTableAddress(state)),
  };
  const id = probeAt(s, t);
  core.execOnProbe(state, id, 1n * MS, t + MS);
  const after = {
    second: core.brokerWindowsUsed(bw, 0, t), minute: core.brokerWindowsUsed(bw, 1, t), day: core.brokerWindowsUsed(bw, 2, t),
    otrNew: core.otrNewOrders(otr), otrCounted: core.otrCounted(otr), news: core.execEmitted(state, 1),
    passed: core.execRefusals(state, 0), open: core.orderTableOpenCount(core.execOrderTableAddress(state)),
  };
  assert.deepEqual(after, before);
  assert.equal(before.second, 1n);
  assert.equal(core.execIgnoredReports(state), 0);
});

test('the RTT verdict: NO_SAMPLE, then OK on one slow round trip, OVERDUE when an order waits > maxAckWait, OK on its ack', async () => {
  const s = await stage(); // probes off: the verdict alone
  const { core, state } = s;
  assert.equal(core.execRttVerdict(state), ExecRttVerdict.NO_SAMPLE);
  market(s, 0, 2000, 2002, 1n);
  assert.equal(core.execRttVerdict(state), ExecRttVerdict.NO_SAMPLE, 'nothing proves the path yet');
  // A slow login (50 ms > 20 ms): one slow sample, so the gate may open; it used to stay shut on it.
  core.execOnRtt(state, 50n * MS, 2n);
  assert.equal(core.execRttVerdict(state), ExecRttVerdict.OK);
  assert.equal(core.execTradingState(state), TradingState.ACTIVE);
  const t = SECOND;
  assert.equal(core.execSubmit(state, 0, Side.BUY, 2000, 1, TimeInForce.GTC, ExecFlag.UNGATED, t), 1);
  const order = one(s);
  assert.equal(core.execOldestPendingNs(state), t);
  market(s, 0, 2000, 2002, t + 100n * MS);
  assert.equal(core.execRttVerdict(state), ExecRttVerdict.OK, 'exactly maxAckWait: not overdue');
  market(s, 0, 2000, 2002, t + 100n * MS + 1n);
  assert.equal(core.execRttVerdict(state), ExecRttVerdict.OVERDUE, 'a tick finds it overdue');
  core.execOnAck(state, order.clOrdId, 9n, 101n * MS, t + 101n * MS);
  assert.equal(core.execRttVerdict(state), ExecRttVerdict.OK, 'answered: one slow ack, no lockdown');
  assert.equal(core.execOldestPendingNs(state), -1n);
  // The verdict word is where the driver reads it.
  const word = new Int32Array(core.memory.buffer, core.execRttVerdictAddress(state), 1);
  assert.equal(Atomics.load(word, 0), ExecRttVerdict.OK);
});

test('an RTT lockdown: exits pass a gate closed by the RTT check alone (RTT_ONLY), entries do not; outside a lockdown RTT_ONLY stops both', async () => {
  const s = await stage({ strategy: { kind: 'wobi', qty: 5, threshold: 0.4 } });
  const { core, state } = s;
  core.execSetParam(state, ExecParam.TRADE_RATE_FLOOR_MILLI, 1_000_000n);
  const book = (bid: number, ask: number, signal: number, now: bigint, gate: number): number => {
    core.execSetGate(state, 0, 1, gate);
    return core.execOnMarket(state, 0, bid, 1, ask, 1, signal, now);
  };
  core.execOnRtt(state, MS, 1n);
  assert.equal(book(2000, 2010, 0.9, 2n, ExecGate.OPEN), 1);
  const buy = one(s);
  core.execOnAck(state, buy.clOrdId, 1n, MS, 3n);
  // long 5: the strategy's exit (and a new entry) go out at once; take them off the book again
  core.execOnFill(state, buy.clOrdId, 2000, 5, 4n);
  const after = take(s);
  assert.ok(after.some((c) => c.type === 'new' && c.side === Side.SELL && c.qty === 5), 'the exit');
  for (const c of after) core.execOnCanceled(state, c.clOrdId, 5n);
  assert.equal(book(2000, 2010, 0.9, 6n, ExecGate.RTT_ONLY), 0, 'RTT_ONLY without a lockdown (no sample, overdue): nothing');
  // three slow round trips: LOCKDOWN (REDUCING)
  for (let i = 0; i < 3; i++) core.execOnRtt(state, 40n * MS, 10n + BigInt(i));
  assert.equal(core.execTradingState(state), TradingState.REDUCING);
  assert.equal(book(2000, 2010, 0.9, 20n, ExecGate.CLOSED), 0, 'a gate closed by anything else: no exit either');
  assert.equal(book(2000, 2010, 0.9, 21n, ExecGate.RTT_ONLY), 1);
  const cmds = readCommands(core, state);
  assert.deepEqual(cmds.map((c) => [c.type, c.side, c.priceTicks, c.qty]), [['new', Side.SELL, 2010, 5]], 'the exit, no entry');
  assert.equal(ExecCommand.PROBE, 4);
});

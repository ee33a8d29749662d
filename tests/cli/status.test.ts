// `npm run status --once` as a user runs it: a separate process maps a /dev/shm segment this test writes
// (as an engine would, heartbeat beating) and prints one screen. The figures the test published appear,
// formatted (rupees with 2 decimals, percentiles in µs, gate open, broker windows); "ENGINE DOWN" when the
// heartbeat does not move; a clear error and exit 1 when there is no segment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TradingState, TradingStateReason, Side } from '../../host/model/vocabulary.js';
import { liveClock } from '../../host/platform/clock.js';
import { unlinkShared } from '../../host/platform/native.js';
import { EventKind, LatencyHistograms, TelemetryPublisher, createSegmentFile } from '../../host/telemetry/index.js';
import { bar, rupees } from '../../host/cli/status.js';
import { runCli } from '../testkit/cli.js';

let n = 0;
const uniqueName = (): string => `/tradecore-status-test-${process.pid}-${n++}`;

function engine(name: string): TelemetryPublisher {
  const pub = new TelemetryPublisher(createSegmentFile(name, { pid: 9999, clock: liveClock }));
  pub.publishTradingState(TradingState.HALTED, TradingStateReason.KILL);
  pub.publishCounters({ orders: 42, fills: 17, cancels: 20, rejects: 1, replaces: 3, unknownReports: 0, refusedRatePerSecond: 5 });
  pub.publishSymbolName(0, 'RELIANCE');
  pub.publishMarket(0, {
    symbolId: 7, bidPrice: 250_050, bidQty: 300, askPrice: 250_060, askQty: 120, wobiBp: [1500], imbalanceBp: 4285, signalBp: -2500,
    regime: 1, entropyMilli: 1250,
  }, liveClock.nowNs());
  pub.publishGate(0, { feedFresh: true, noGaps: true, bookUncrossed: true, rttHealthy: true, clocksSane: true, open: true }, liveClock.nowNs());
  pub.recordDecision(0, 1234, liveClock.nowNs());
  pub.publishPosition(0, {
    symbolId: 7, position: -25, openOrders: 2, avgPricePaise: 250_055, markPaise: 250_055, realizedPaise: 123_456,
    unrealizedPaise: -5, chargesPaise: 7_890,
  });
  pub.publishTotals(liveClock.nowNs());
  pub.publishOtr({ ratioMilli: 2_500, slab: 0, countedMessages: 45, trades: 18, budgetLeft: 1_000, projectedPenaltyPaise: 0 }, 0);
  pub.publishBrokerWindows({ second: 9, secondCap: 10, minute: 123, minuteCap: 400, day: 456, dayCap: 5000 });
  pub.publishRisk({
    positionUsed: 25, positionLimit: 100, openOrdersUsed: 2, openOrdersLimit: 10, orderRateUsed: 9, orderRateLimit: 10,
    dailyLossUsedPaise: 0, dailyLossLimitPaise: 5_000_000, exposureUsedPaise: 6_251_375, exposureLimitPaise: 100_000_000,
  });
  pub.recordRtt(812_300);
  const h = new LatencyHistograms();
  for (let i = 0; i < 100; i++) h.record(1_000_000, 1_002_000, 1_004_000, 1_010_000, 1_042_000, 900_000);
  pub.publishLatency(h);
  pub.publishCpu({ sampledNs: 1, busyBp: [9950, 1234] });
  pub.publishThreads([{ tid: 31337, name: 'hot-fused', cpu: 1, busyBp: 9990 }]);
  pub.appendEvent({ kind: EventKind.FILL, tsNs: liveClock.nowNs(), orderId: 555, symbolId: 7, side: Side.SELL, price: 250_060, qty: 25 });
  pub.appendEvent({ kind: EventKind.ORDER, tsNs: liveClock.nowNs(), orderId: 556, symbolId: 9, side: Side.BUY, price: 100, qty: 1 });
  return pub;
}

test('status --once prints the published figures, formatted', { timeout: 30_000 }, async () => {
  const name = uniqueName();
  try {
    const pub = engine(name);
    const beat = setInterval(() => pub.heartbeat(), 2);
    let run;
    try {
      run = await runCli('status', ['--segment', name, '--once']);
    } finally {
      clearInterval(beat);
    }
    assert.equal(run.code, 0, run.stderr);
    const out = run.stdout;
    const has = (s: string): void => assert.ok(out.includes(s), `"${s}" in:\n${out}`);
    has('pid 9999');
    has('up, heartbeat');
    has('state HALTED (KILL)');
    has('orders 42  fills 17  cancels 20  replaces 3  rejects 1');
    has('RATE_PER_SECOND 5');
    has('OPEN FGURC');
    has('ATTACK');
    has('42.9%'); // imbalance 4285 bp
    has('-0.250'); // signal
    has('12.34'); // last NEV, rupees
    has('1234.56'); // realized
    has('-0.05'); // unrealized
    has('78.90'); // charges
    has('1155.61'); // day P&L: 1234.56 − 0.05 − 78.90
    has('2500.55'); // avg and mark
    has('second 9/10  minute 123/400  day 456/5000');
    has('OTR 2.500');
    has('[##################..]  90%  9/10 per s');
    has('812.3'); // RTT µs
    assert.match(out, /tick→order T0→T4\s+100\s+42\.0\s+42\.0/, 'tick-to-order 42 µs');
    assert.match(out, /wire→order Tv→T4\s+100\s+142\.0/, 'wire-to-order 142 µs');
    has('cpu0 99.5%  cpu1 12.3%');
    has('hot-fused        tid 31337 on cpu1  99.9%');
    // Symbols by the engine's names, not the venue's ids; an id the engine did not name shows as #id.
    assert.match(out, /FILL\s+order 555 RELIANCE SELL 25@250060/);
    assert.match(out, /ORDER\s+order 556 #9 BUY 1@100/);
    assert.match(out, /^RELIANCE\s+250050\s+300\s+250060/m, 'book row named');
    assert.match(out, /^RELIANCE\s+-25\s+2500\.55/m, 'position row named');
  } finally {
    unlinkShared(name);
  }
});

test('status --once says ENGINE DOWN when the heartbeat does not move', { timeout: 30_000 }, async () => {
  const name = uniqueName();
  try {
    engine(name);
    const run = await runCli('status', ['--segment', name, '--once', '--down-after-ms', '150']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /ENGINE DOWN: no heartbeat for 0\.\d s/);
    assert.ok(run.stdout.includes('1234.56'), 'the last figures are still shown');
  } finally {
    unlinkShared(name);
  }
});

test('status --json: the same figures as one JSON object', { timeout: 30_000 }, async () => {
  const name = uniqueName();
  try {
    const pub = engine(name);
    const beat = setInterval(() => pub.heartbeat(), 2);
    let run;
    try {
      run = await runCli('status', ['--segment', name, '--json']);
    } finally {
      clearInterval(beat);
    }
    assert.equal(run.code, 0, run.stderr);
    const v = JSON.parse(run.stdout) as { liveness: { up: boolean }; state: { state: number }; positions: { realizedPaise: number }[]; latency: { TICK_TO_ORDER: { count: number } }; events: { kind: number }[] };
    assert.equal(v.liveness.up, true);
    assert.equal(v.state.state, TradingState.HALTED);
    assert.equal(v.positions[0]!.realizedPaise, 123_456);
    assert.equal(v.latency.TICK_TO_ORDER.count, 100);
    assert.deepEqual(v.events.map((e) => e.kind), [EventKind.STATE_CHANGE, EventKind.FILL, EventKind.ORDER]);
  } finally {
    unlinkShared(name);
  }
});

test('status without a segment: a clear error, exit 1; a bad option: usage, exit 2', async () => {
  const run = await runCli('status', ['--segment', uniqueName(), '--once']);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /^status: telemetry segment \/dev\/shm\/tradecore-status-test-\S+ does not exist: is the engine running\?/);
  const bad = await runCli('status', ['--interval-ms', '0']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--interval-ms must be an integer in \[1, 60000\], got "0"/);
});

test('rupees and bars', () => {
  assert.deepEqual([rupees(0), rupees(5), rupees(-5), rupees(123_456), rupees(-100)], ['0.00', '0.05', '-0.05', '1234.56', '-1.00']);
  assert.equal(bar(5, 10, 10), '[#####.....]  50%');
  assert.equal(bar(15, 10, 10), '[##########] 150%');
  assert.equal(bar(1, 0, 4), '[    ]  no limit');
});

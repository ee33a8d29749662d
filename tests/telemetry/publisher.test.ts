// The publisher round trip: every block the engine's cool worker publishes through TelemetryPublisher reads
// back through readTelemetry (the status tool's and the monitor's reader) with the same figures. The short
// histories (NEV per symbol, RTT) and the totals are checked against references computed here (arrays,
// BigInt sums), over seeded random figures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TradingState, TradingStateReason } from '../../host/model/vocabulary.js';
import {
  EngineSegment, LatencyHistograms, LatencySeries, MAX_SYMBOLS, MAX_THREADS, NEV_HISTORY, RTT_HISTORY, SEGMENT_BYTES, SegmentReader,
  TelemetryPublisher, WOBI_LEVELS, readTelemetry, nameOf, nameWords, type PositionFigures,
} from '../../host/telemetry/index.js';
import { ManualClock } from '../testkit/manual-clock.js';
import { rng } from '../testkit/core.js';

function setup(): { clock: ManualClock; pub: TelemetryPublisher; reader: SegmentReader } {
  const clock = new ManualClock();
  const sab = new SharedArrayBuffer(SEGMENT_BYTES);
  const pub = new TelemetryPublisher(new EngineSegment(sab, { pid: 321, clock }));
  return { clock, pub, reader: new SegmentReader(sab, { clock }) };
}

const int = (r: () => number, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));

test('market, gate, decisions and order rates of every symbol slot read back as published', () => {
  const { clock, pub, reader } = setup();
  const r = rng(11);
  const want = new Map<number, { symbolId: number; wobi: number[]; nev: number[]; bid: number; open: boolean; inputs: boolean[]; fill: number; cancel: number }>();
  for (let slot = 0; slot < MAX_SYMBOLS; slot += 3) {
    const wobi = Array.from({ length: WOBI_LEVELS }, () => int(r, -10000, 10000));
    const symbolId = 100 + slot;
    const bid = int(r, 1, 2_000_000);
    pub.publishMarket(slot, {
      symbolId, bidPrice: bid, bidQty: int(r, 0, 1e6), askPrice: bid + 1, askQty: 5, wobiBp: wobi, imbalanceBp: -1234,
      signalBp: int(r, -10000, 10000), regime: 2, entropyMilli: 1789,
    }, clock.nowNs());
    const inputs = Array.from({ length: 5 }, () => r() < 0.5);
    const open = inputs.every(Boolean);
    pub.publishGate(slot, { feedFresh: inputs[0]!, noGaps: inputs[1]!, bookUncrossed: inputs[2]!, rttHealthy: inputs[3]!, clocksSane: inputs[4]!, open }, clock.nowNs());
    const history: number[] = [];
    const decisions = int(r, 0, 30);
    for (let d = 0; d < decisions; d++) {
      const nev = int(r, -5_000_000_000, 5_000_000_000);
      history.unshift(nev);
      pub.recordDecision(slot, nev, clock.nowNs());
    }
    pub.publishOrderRates(slot, 400, 123, 277, slot);
    pub.publishSymbolName(slot, `SYM-${slot}`);
    want.set(slot, { symbolId, wobi, nev: history.slice(0, NEV_HISTORY), bid, open, inputs, fill: 3075, cancel: 6925 });
  }
  const v = readTelemetry(reader);
  assert.deepEqual(v.torn, []);
  assert.deepEqual(v.symbols.map((s) => s.slot), [...want.keys()], 'only the slots in use');
  for (const s of v.symbols) {
    const w = want.get(s.slot)!;
    assert.equal(s.symbolId, w.symbolId);
    assert.equal(s.bidPrice, w.bid);
    assert.equal(s.askPrice, w.bid + 1);
    assert.deepEqual(s.wobiBp, w.wobi);
    assert.equal(s.imbalanceBp, -1234);
    assert.equal(s.entropyMilli, 1789);
    assert.deepEqual([s.gate.feedFresh, s.gate.noGaps, s.gate.bookUncrossed, s.gate.rttHealthy, s.gate.clocksSane], w.inputs);
    assert.equal(s.gate.open, w.open);
    assert.deepEqual(s.nevPaise, w.nev, `slot ${s.slot}: the last ${NEV_HISTORY} NEVs, newest first`);
    assert.deepEqual([s.fillRateBp, s.cancelRateBp], [w.fill, w.cancel], '123/400 and 277/400 in basis points');
    assert.deepEqual([s.orders, s.fills, s.cancels, s.rejects], [400, 123, 277, s.slot], 'the counts themselves');
    assert.equal(s.name, `SYM-${s.slot}`);
  }
  pub.publishMarket(0, { symbolId: 1, bidPrice: 1, bidQty: 1, askPrice: 2, askQty: 1, wobiBp: [7, 8], imbalanceBp: 0, signalBp: 0, regime: 0, entropyMilli: 0 }, 0);
  assert.deepEqual(readTelemetry(reader).symbols[0]!.wobiBp, [7, 8, 0, 0, 0, 0, 0, 0, 0, 0], 'levels past the given ones are 0');
  assert.throws(() => pub.publishMarket(MAX_SYMBOLS, {} as never, 0), /index 16 outside \[0, 16\)/);
  assert.throws(() => pub.recordDecision(-1, 0, 0), RangeError);
});

test('positions, and totals summed from them, agree with a BigInt reference to the paisa', () => {
  const { clock, pub, reader } = setup();
  const r = rng(12);
  const held = new Map<number, PositionFigures>();
  for (let round = 0; round < 200; round++) {
    const slot = int(r, 0, MAX_SYMBOLS - 1);
    const p: PositionFigures = {
      symbolId: 500 + slot, position: int(r, -100_000, 100_000), openOrders: int(r, 0, 20), avgPricePaise: int(r, 1, 10_000_000),
      markPaise: int(r, 1, 10_000_000), realizedPaise: int(r, -1e10, 1e10), unrealizedPaise: int(r, -1e10, 1e10), chargesPaise: int(r, 0, 1e8),
    };
    pub.publishPosition(slot, p);
    held.set(slot, p);
  }
  clock.advance(3);
  pub.publishTotals(clock.nowNs());
  const v = readTelemetry(reader);
  assert.equal(v.positions.length, held.size);
  for (const p of v.positions) {
    const w = held.get(p.slot)!;
    assert.deepEqual(
      [p.symbolId, p.position, p.openOrders, p.avgPricePaise, p.markPaise, p.realizedPaise, p.unrealizedPaise, p.chargesPaise],
      [w.symbolId, w.position, w.openOrders, w.avgPricePaise, w.markPaise, w.realizedPaise, w.unrealizedPaise, w.chargesPaise],
    );
    assert.equal(BigInt(p.dayPnlPaise), BigInt(w.realizedPaise) + BigInt(w.unrealizedPaise) - BigInt(w.chargesPaise));
  }
  let realized = 0n, unrealized = 0n, charges = 0n, gross = 0n, net = 0n, open = 0;
  for (const p of held.values()) {
    realized += BigInt(p.realizedPaise);
    unrealized += BigInt(p.unrealizedPaise);
    charges += BigInt(p.chargesPaise);
    const pos = BigInt(p.position);
    gross += (pos < 0n ? -pos : pos) * BigInt(p.markPaise);
    net += pos * BigInt(p.markPaise);
    if (p.position !== 0) open++;
  }
  const t = v.totals;
  assert.deepEqual(
    [t.openPositions, BigInt(t.realizedPaise!), BigInt(t.unrealizedPaise!), BigInt(t.chargesPaise!), BigInt(t.dayPnlPaise!), BigInt(t.grossExposurePaise!), BigInt(t.netExposurePaise!), t.updatedNs],
    [open, realized, unrealized, charges, realized + unrealized - charges, gross, net, clock.nowNs()],
  );
});

test('OTR, broker windows and risk utilisation read back as published', () => {
  const { pub, reader } = setup();
  pub.publishOtr({ ratioMilli: 12_345, slab: 2, countedMessages: 98_765, trades: 8, budgetLeft: -3, projectedPenaltyPaise: 4_200_000_000 }, 77);
  pub.publishBrokerWindows({ second: 9, secondCap: 10, minute: 399, minuteCap: 400, day: 4_999, dayCap: 5_000 });
  pub.publishRisk({
    positionUsed: 750, positionLimit: 1000, openOrdersUsed: 3, openOrdersLimit: 10, orderRateUsed: 9, orderRateLimit: 10,
    dailyLossUsedPaise: 1_234_567, dailyLossLimitPaise: 5_000_000, exposureUsedPaise: 9_007_199_254_740_991, exposureLimitPaise: 2 ** 52,
  });
  const v = readTelemetry(reader);
  const { version: _o, ...otr } = v.otr;
  assert.deepEqual(otr, { ratioMilli: 12_345, slab: 2, countedMessages: 98_765, trades: 8, budgetLeft: -3, projectedPenaltyPaise: 4_200_000_000, updatedNs: 77 });
  const { version: _b, ...bw } = v.brokerWindows;
  assert.deepEqual(bw, { second: 9, secondCap: 10, minute: 399, minuteCap: 400, day: 4_999, dayCap: 5_000 });
  assert.equal(v.risk.exposureUsedPaise, 9_007_199_254_740_991, '2^53 − 1 paise survive the i64 field');
  assert.deepEqual([v.risk.positionUsed, v.risk.positionLimit, v.risk.dailyLossUsedPaise, v.risk.dailyLossLimitPaise], [750, 1000, 1_234_567, 5_000_000]);
});

test('RTT: the last 16 samples newest first, and the count', () => {
  const { pub, reader } = setup();
  assert.deepEqual(readTelemetry(reader).rttNs, []);
  const ref: number[] = [];
  for (let i = 1; i <= 40; i++) {
    const ns = i * 1_000_003;
    pub.recordRtt(ns);
    ref.unshift(ns);
    const v = readTelemetry(reader);
    assert.equal(v.rttSamples, i);
    assert.deepEqual(v.rttNs, ref.slice(0, RTT_HISTORY), `after ${i} samples`);
  }
});

test('CPU per core and per thread; thread names round trip; a shorter list clears the slots after it', () => {
  const { pub, reader } = setup();
  pub.publishCpu({ sampledNs: 5, busyBp: [10000, 0, 4321] });
  pub.publishThreads([{ tid: 4001, name: 'oracle', cpu: 1, busyBp: 9876 }, { tid: 4002, name: 'execution-hot-worker', cpu: 0, busyBp: 12 }, { tid: 4003, name: 'sonar', cpu: 1, busyBp: 0 }]);
  let v = readTelemetry(reader);
  assert.deepEqual(v.cpu, { sampledNs: 5, busyBp: [10000, 0, 4321] });
  assert.deepEqual(v.threads, [
    { tid: 4001, name: 'oracle', cpu: 1, busyBp: 9876 },
    { tid: 4002, name: 'execution-hot-wo', cpu: 0, busyBp: 12 },
    { tid: 4003, name: 'sonar', cpu: 1, busyBp: 0 },
  ], 'a name longer than 16 bytes is cut');
  pub.publishThreads([{ tid: 4001, name: 'oracle', cpu: 0, busyBp: 1 }]);
  v = readTelemetry(reader);
  assert.deepEqual(v.threads.map((t) => t.tid), [4001]);
  assert.equal(nameOf(nameWords('sentinel\u00e9')), 'sentinel?', 'non-ASCII published as ?');
  const many = Array.from({ length: MAX_THREADS + 4 }, (_, i) => ({ tid: i + 1, name: `w${i}`, cpu: 0, busyBp: 0 }));
  pub.publishThreads(many);
  assert.equal(readTelemetry(reader).threads.length, MAX_THREADS);
});

test('latency summaries published from the histograms read back per series', () => {
  const { pub, reader } = setup();
  const h = new LatencyHistograms();
  for (let i = 1; i <= 1000; i++) h.record(1_000_000, 1_000_000 + i * 10, 0, 0, 0, 0);
  h.recordRtt(250_000);
  pub.publishLatency(h);
  const v = readTelemetry(reader);
  assert.equal(v.latency.T0_T1.count, 1000);
  assert.equal(v.latency.T0_T1.minNs, 10);
  assert.equal(v.latency.T0_T1.maxNs, 10_000);
  assert.ok(Math.abs(v.latency.T0_T1.p50Ns - 5000) <= 5, `p50 ${v.latency.T0_T1.p50Ns}`);
  assert.equal(v.latency.RTT.count, 1);
  assert.ok(Math.abs(v.latency.RTT.p99Ns - 250_000) <= 250, `rtt p99 ${v.latency.RTT.p99Ns}`);
  assert.deepEqual(v.latency.TICK_TO_ORDER, { count: 0, minNs: 0, p50Ns: 0, p90Ns: 0, p95Ns: 0, p99Ns: 0, p999Ns: 0, maxNs: 0 }, 'no T4: no tick-to-order');
  assert.equal(Object.keys(v.latency).length, Object.keys(LatencySeries).length);
  // T0→T1 samples are 10, 20, .. 10 000 ns: 1 ≤ 10 µs, all ≤ 25 µs; their sum is 10 × (1 + .. + 1000).
  assert.equal(v.latencyBuckets.T0_T1.sumNs, 10 * 500_500);
  assert.deepEqual(v.latencyBuckets.T0_T1.le.slice(0, 3), [1000, 1000, 1000]);
  assert.deepEqual(v.latencyBuckets.RTT.le.slice(0, 7), [0, 0, 0, 0, 0, 1, 1], '250 µs: above 200 µs, within 500 µs');
});

test('trading state, counters and events go through the publisher too', () => {
  const { pub, reader } = setup();
  pub.publishTradingState(TradingState.HALTED, TradingStateReason.KILL);
  pub.publishCounters({ orders: 10, fills: 4, cancels: 5, rejects: 1, replaces: 2, unknownReports: 3, refusedMaxPosition: 6, refusedRatePerSecond: 7 });
  pub.heartbeat();
  const v = readTelemetry(reader);
  assert.deepEqual([v.state.state, v.state.reason], [TradingState.HALTED, TradingStateReason.KILL]);
  assert.deepEqual(v.counters, { orders: 10, fills: 4, cancels: 5, rejects: 1, replaces: 2, unknownReports: 3 });
  assert.deepEqual(v.refusals, [{ code: 5, count: 6 }, { code: 9, count: 7 }]);
  assert.equal(v.pid, 321);
});

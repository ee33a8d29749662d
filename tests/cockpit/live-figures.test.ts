// The figures the cockpit derives from frames: message rates from wrapping counters, new RTT samples from the
// 16 kept, the blotter's rows and latencies from journal records, the alerts' lines, the OTR distance, the
// chart series' bound, and the code names against the host's and the core's own tables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEvent, type EngineEvent } from '../../cockpit/src/lib/alerts.js';
import { Blotter, type JournalRecord } from '../../cockpit/src/lib/blotter.js';
import { CounterRates } from '../../cockpit/src/lib/counter-rates.js';
import { backoffMs } from '../../cockpit/src/lib/frame.js';
import { EVENT_KINDS, GATE_INPUTS, REGIMES, reasonName, regimeName, stateName, symbolName } from '../../cockpit/src/lib/names.js';
import { otrDistance } from '../../cockpit/src/lib/otr.js';
import { RttSamples } from '../../cockpit/src/lib/rtt-samples.js';
import { Series } from '../../cockpit/src/lib/series.js';
import { tokenFromHash } from '../../cockpit/src/lib/token.js';
import { RiskRefusal, Side, TradingState, TradingStateReason } from '../../host/model/vocabulary.js';
import { EventKind, GATE_INPUTS as SEGMENT_GATE_INPUTS } from '../../host/telemetry/segment-layout.js';
import { Regime } from '../../build/core-constants.js';

test('rates are counter growth over the last second, across a u32 wrap, restarting with the engine', () => {
  const r = new CounterRates(1000);
  assert.equal(r.rate('orders'), null, 'no rate before two samples');
  r.push({ wallMs: 0, pid: 7, counters: { orders: 100 } });
  assert.equal(r.rate('orders'), null);
  for (let t = 100; t <= 2000; t += 100) r.push({ wallMs: t, pid: 7, counters: { orders: 100 + t / 10 } });
  // 10 orders per 100 ms.
  assert.equal(r.rate('orders'), 100);
  const near = 4294967296 - 50;
  const w = new CounterRates(1000);
  w.push({ wallMs: 0, pid: 1, counters: { fills: near } });
  w.push({ wallMs: 500, pid: 1, counters: { fills: 25 } });
  assert.equal(w.rate('fills'), 150, '75 fills over the wrap in 0.5 s');
  w.push({ wallMs: 600, pid: 2, counters: { fills: 3 } });
  assert.equal(w.rate('fills'), null, 'another engine: the history starts over, no burst');
  assert.throws(() => new CounterRates(0), /windowMs/);
});

test('only RTT samples new since the last frame are taken, oldest first', () => {
  const s = new RttSamples();
  assert.deepEqual(s.take({ rttSamples: 3, rttNs: [30, 20, 10] }), [10, 20, 30], 'first frame: every kept sample');
  assert.deepEqual(s.take({ rttSamples: 3, rttNs: [30, 20, 10] }), [], 'the same frame again: nothing new');
  assert.deepEqual(s.take({ rttSamples: 5, rttNs: [50, 40, 30, 20, 10] }), [40, 50]);
  const kept = Array.from({ length: 16 }, (_, i) => 1000 - i);
  assert.equal(s.take({ rttSamples: 105, rttNs: kept }).length, 16, 'more than 16 new: the 16 kept');
  assert.deepEqual(s.take({ rttSamples: 2, rttNs: [7, 6] }), [6, 7], 'fewer than before: a restarted engine');
});

test('the blotter folds order, ack, fill, cancel and reject records into one row per order', () => {
  const b = new Blotter(3);
  const rec = (type: string, ts: number, f: Record<string, unknown>): JournalRecord => ({ type, timestamp_ns: ts, offset: ts / 1000, ...f });
  b.add([
    rec('order-new', 1_000, { cl_ord_id: 1, symbol: 101, side_name: 'BUY', price: 500, qty: 4 }),
    rec('ack', 351_000, { cl_ord_id: 1 }),
    rec('fill', 400_000, { cl_ord_id: 1, qty: 1, price: 500, leaves_qty: 3, charges_paise: 120 }),
    rec('fill', 500_000, { cl_ord_id: 1, qty: 3, price: 504, leaves_qty: 0, charges_paise: 300 }),
    rec('order-new', 600_000, { cl_ord_id: 2, symbol: 102, side_name: 'SELL', price: 900, qty: 2 }),
    rec('reject', 2_600_000, { cl_ord_id: 2, reason_name: 'PRICE_BAND' }),
  ]);
  b.add([
    rec('order-new', 3_000_000, { cl_ord_id: 3, symbol: 101, side_name: 'BUY', price: 499, qty: 1 }),
    rec('ack', 3_200_000, { cl_ord_id: 3 }),
    rec('order-cancel', 3_300_000, { cl_ord_id: 9, orig_cl_ord_id: 3 }),
    rec('canceled', 3_400_000, { cl_ord_id: 3, reason_name: 'USER' }),
    rec('ack', 3_500_000, { cl_ord_id: 77 }),
  ]);
  const rows = b.list();
  assert.deepEqual(rows.map((r) => [r.clOrdId, r.status, r.latencyNs]), [[3, 'canceled', 200_000], [2, 'rejected', 2_000_000], [1, 'filled', 350_000]]);
  assert.equal(rows[2]!.filledQty, 4);
  assert.equal(Blotter.avgFill(rows[2]!), (500 + 3 * 504) / 4);
  assert.equal(rows[2]!.chargesPaise, 420);
  assert.equal(rows[1]!.why, 'PRICE_BAND');
  assert.equal(b.lastNs, 3_500_000, 'the next poll asks for records after the newest seen');
  // A reconnect's hello repeats recent records: folded in once only.
  b.add([rec('fill', 500_000, { cl_ord_id: 1, qty: 3, price: 504, leaves_qty: 0, charges_paise: 300 })]);
  assert.equal(b.list().find((r) => r.clOrdId === 1)!.filledQty, 4, 'a repeated fill is not counted twice');
  b.add([rec('order-new', 4_000_000, { cl_ord_id: 4, symbol: 101, side_name: 'BUY', price: 1, qty: 1 })]);
  assert.deepEqual(b.list().map((r) => r.clOrdId), [4, 3, 2], 'the oldest order leaves beyond `keep`');
  assert.equal(b.list()[0]!.latencyNs, null, 'no answer yet, no latency');
});

test('alerts: state changes, rejects, refusals and engine alerts become lines; order traffic does not', () => {
  const ev = (kind: number, f: Partial<EngineEvent> = {}): EngineEvent => ({
    seq: 1, kind, tsNs: 5, orderId: 0, symbolId: 0, side: 0, price: 0, qty: 0, code: 0, detail: 0, value: 0, ...f,
  });
  const name = (id: number): string => (id === 101 ? 'RELIANCE' : `#${id}`);
  const halted = describeEvent(ev(EventKind.STATE_CHANGE, { code: TradingState.HALTED, detail: TradingStateReason.KILL }), name);
  assert.deepEqual([halted?.severity, halted?.text], ['alarm', 'trading state HALTED (KILL)']);
  const refusal = describeEvent(ev(EventKind.RISK_REFUSAL, { symbolId: 101, side: Side.SELL, qty: 5, code: RiskRefusal.MAX_POSITION }), name);
  assert.equal(refusal?.text, 'risk refused SELL 5 lots RELIANCE: MAX_POSITION');
  assert.equal(describeEvent(ev(EventKind.REJECT, { orderId: 42, code: 3 }), name)?.severity, 'warn');
  assert.match(describeEvent(ev(EventKind.ALERT, { code: 2, value: 99 }), name)!.text, /code 2, value 99/);
  for (const k of [EventKind.ORDER, EventKind.FILL, EventKind.CANCEL]) assert.equal(describeEvent(ev(k), name), null);
});

test('the distance to the penalty-free OTR band (ratio < 50)', () => {
  assert.deepEqual(otrDistance(0, 0), { inside: true, ratioAbove: 0, tradesNeeded: 0 });
  assert.deepEqual(otrDistance(49, 1), { inside: true, ratioAbove: 0, tradesNeeded: 0 });
  assert.deepEqual(otrDistance(50, 1), { inside: false, ratioAbove: 0, tradesNeeded: 1 }, '50 is not below 50');
  assert.deepEqual(otrDistance(1000, 10), { inside: false, ratioAbove: 50, tradesNeeded: 11 });
  // The reference: the smallest trade count t with counted / t < 50, by search.
  for (const [counted, trades] of [[1, 0], [499, 3], [12345, 17], [100, 2]] as const) {
    let t = trades;
    while (!(t > 0 && counted / t < 50)) t++;
    assert.equal(otrDistance(counted, trades).tradesNeeded, t - trades, `${counted}/${trades}`);
  }
});

test('a chart series keeps its last `capacity` points, columns aligned', () => {
  const s = new Series(2, 3);
  for (let i = 0; i < 5; i++) s.push([i, i * 10]);
  assert.deepEqual(s.data(), [[2, 3, 4], [20, 30, 40]]);
  assert.throws(() => s.push([1]), /2 values/);
  s.clear();
  assert.equal(s.length, 0);
});

test('reconnects back off from 0.5 s, doubling, to at most 8 s', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 9].map(backoffMs), [500, 1000, 2000, 4000, 8000, 8000, 8000]);
});

test("the cockpit's code names match the host's and the core's tables", () => {
  assert.deepEqual(EVENT_KINDS, EventKind);
  assert.deepEqual(REGIMES, { VETO: Regime.VETO, ATTACK: Regime.ATTACK });
  assert.deepEqual(GATE_INPUTS.map((g) => `gate${g.key[0]!.toUpperCase()}${g.key.slice(1)}`), [...SEGMENT_GATE_INPUTS]);
  assert.equal(stateName(TradingState.REDUCING), 'REDUCING');
  assert.equal(reasonName(TradingStateReason.RTT_LOCKDOWN), 'RTT_LOCKDOWN');
  assert.equal(stateName(99), 'code 99');
  assert.deepEqual([regimeName(1), regimeName(0)], ['Attack', 'Veto']);
  assert.equal(symbolName(['A', 'B'], 1, 7), 'B');
  assert.equal(symbolName(['A'], 3, 7), '#7');
});

test('the control token comes from the URL fragment, alone or among other parameters', () => {
  assert.equal(tokenFromHash('#token=0123abcdef'), '0123abcdef');
  assert.equal(tokenFromHash('token=0123abcdef'), '0123abcdef');
  assert.equal(tokenFromHash('#view=wide&token=ab12&x=1'), 'ab12');
  for (const none of ['', '#', '#tokens=ab', '#mytoken=ab', '#token=', '#token=ab cd']) assert.equal(tokenFromHash(none), null, JSON.stringify(none));
});

// The status line `npm start` keeps on screen (host/cli/status-line.ts), from hand-built telemetry views:
// every figure where it belongs, money to the paisa, the order rate from two readings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OrderRate, statusLine, tradingStateText } from '../../host/cli/status-line.js';
import { TradingState, TradingStateReason } from '../../host/model/vocabulary.js';
import type { LatencySummary, PositionView, TelemetryView } from '../../host/telemetry/index.js';

const NAMES = new Map([[1, 'RELIANCE'], [2, 'INFY'], [3, 'NIFTY-FUT']]);
const NO_LATENCY: LatencySummary = { count: 0, minNs: 0, p50Ns: 0, p90Ns: 0, p95Ns: 0, p99Ns: 0, p999Ns: 0, maxNs: 0 };

function position(symbolId: number, qty: number): PositionView {
  return { slot: symbolId - 1, symbolId, position: qty, openOrders: 0, avgPricePaise: 0, markPaise: 0, realizedPaise: 0, unrealizedPaise: 0, chargesPaise: 0, dayPnlPaise: 0 };
}

function view(o: { state?: number; reason?: number; up?: boolean; orders?: number; fills?: number; positions?: PositionView[]; dayPnlPaise?: number; tickToOrder?: LatencySummary }): TelemetryView {
  return {
    liveness: { up: o.up ?? true, heartbeat: 7, silentMs: 2500 },
    state: { state: o.state ?? TradingState.ACTIVE, reason: o.reason ?? TradingStateReason.NONE, changes: 1, changedNs: 0 },
    counters: { orders: o.orders ?? 0, fills: o.fills ?? 0, cancels: 0, rejects: 0, replaces: 0, unknownReports: 0 },
    positions: o.positions ?? [],
    totals: { dayPnlPaise: o.dayPnlPaise ?? 0 },
    latency: { TICK_TO_ORDER: o.tickToOrder ?? NO_LATENCY },
  } as unknown as TelemetryView;
}

test('statusLine: state, rate, orders, fills, positions by name, P&L after costs in rupees, tick-to-order in µs', () => {
  const line = statusLine(view({
    orders: 1234, fills: 56, positions: [position(1, 3), position(2, 0), position(3, -25)], dayPnlPaise: -12_345,
    tickToOrder: { count: 900, minNs: 9_000, p50Ns: 41_250, p90Ns: 90_000, p95Ns: 120_000, p99Ns: 187_049, p999Ns: 400_000, maxNs: 500_000 },
  }), NAMES, 7.5);
  assert.equal(line, 'ACTIVE · 7.5 orders/s · orders 1234 · fills 56 · pos RELIANCE +3 INFY 0 NIFTY-FUT -25 · '
    + 'P&L after costs ₹-123.45 · tick→order p50 41.3 µs p99 187.0 µs');
});

test('statusLine: a halt shows its reason; an unknown symbol shows its id; no samples yet shows a dash; a profit to the paisa', () => {
  const line = statusLine(view({
    state: TradingState.HALTED, reason: TradingStateReason.KILL, positions: [position(9, 1)], dayPnlPaise: 5,
  }), NAMES, 0);
  assert.equal(line, 'HALTED (KILL) · 0.0 orders/s · orders 0 · fills 0 · pos #9 +1 · P&L after costs ₹0.05 · tick→order -');
  assert.match(statusLine(view({}), NAMES, 0), / · no positions · /);
});

test('statusLine: an engine whose heartbeat stopped is shown as down, not as its last state', () => {
  assert.match(statusLine(view({ up: false }), NAMES, 0), /^ENGINE DOWN \(no heartbeat for 2\.5 s\) · /);
});

test('tradingStateText names every state and reason of the vocabulary', () => {
  assert.equal(tradingStateText(TradingState.REDUCING, TradingStateReason.RTT_LOCKDOWN), 'REDUCING (RTT_LOCKDOWN)');
  assert.equal(tradingStateText(TradingState.ACTIVE, TradingStateReason.NONE), 'ACTIVE');
  assert.equal(tradingStateText(9, 99), 'state #9 (reason #99)');
});

test('OrderRate: orders per second between readings, 0 before the second', () => {
  const r = new OrderRate();
  assert.equal(r.sample(100, 10_000), 0);
  assert.equal(r.sample(130, 12_000), 15);
  assert.equal(r.sample(130, 13_000), 0);
  assert.equal(r.sample(131, 13_000), 0, 'no time passed: the last rate stands');
});

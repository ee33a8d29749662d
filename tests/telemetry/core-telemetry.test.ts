// CoreTelemetry: the core's positions, risk limits, broker windows and OTR ledger (sub-states at host-chosen
// addresses, as execution lays them out) published into the segment and read back with readTelemetry. The
// expected figures are worked out here by hand from the fills, marks and messages the test feeds the core.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Side } from '../../host/model/vocabulary.js';
import { applyFill, initPositions } from '../../host/modules/positions.js';
import { initRisk } from '../../host/modules/pre-trade-risk.js';
import { initBrokerWindows } from '../../host/modules/broker-windows.js';
import { dayNumber, initOtrLedger } from '../../host/modules/otr-ledger.js';
import { CoreTelemetry, EngineSegment, SEGMENT_BYTES, SegmentReader, TelemetryPublisher, readTelemetry } from '../../host/telemetry/index.js';
import { ManualClock } from '../testkit/manual-clock.js';
import { testCore } from '../testkit/core.js';

test('positions, totals, risk, broker windows and OTR from the core\'s states', async () => {
  const { core } = await testCore(1 << 21);
  const at = { positions: 65_536, risk: 65_536 * 2, brokerWindows: 65_536 * 3, otr: 65_536 * 6 };
  assert.ok(core.positionsBytes(2) <= 65_536 && core.riskBytes(2) <= 65_536 && core.brokerWindowsBytes(10, 400) <= 65_536 * 3);
  initPositions(core, at.positions, { symbols: [{ tickPaise: 5 }, { tickPaise: 10 }] });
  initRisk(core, at.risk, ['A', 'B'], { maxPosition: 200, maxPositionBySymbol: { B: 40 }, maxOpenOrders: 8, dailyLossRupees: 1000, maxGrossExposureRupees: 50_000 });
  initBrokerWindows(core, at.brokerWindows);
  initOtrLedger(core, at.otr);

  const t = 5_000_000_000;
  applyFill(core, at.positions, { symbol: 0, side: Side.BUY, priceTicks: 2000, qty: 100n, chargesPaise: 250n, nowNs: BigInt(t) });
  applyFill(core, at.positions, { symbol: 1, side: Side.SELL, priceTicks: 500, qty: 30n, chargesPaise: 40n, nowNs: BigInt(t) });
  core.positionsMark(at.positions, 0, 2010);
  core.positionsMark(at.positions, 1, 495);
  for (let i = 0; i < 3; i++) assert.equal(core.brokerWindowsTry(at.brokerWindows, BigInt(t), 1), 0);
  const day = dayNumber('2026-12-01');
  core.otrRoll(at.otr, day);
  for (let i = 0; i < 5; i++) core.otrOnNew(at.otr, day, 4000, 2000); // far from the LTP: counted
  core.otrOnTrade(at.otr, day);

  const clock = new ManualClock(t);
  const sab = new SharedArrayBuffer(SEGMENT_BYTES);
  const pub = new TelemetryPublisher(new EngineSegment(sab, { pid: 1, clock }));
  new CoreTelemetry(core, at, { symbolIds: [71, 72], targetOtrMilli: 10_000 }).publish(pub, t, [2, 1]);
  const v = readTelemetry(new SegmentReader(sab, { clock }));

  assert.deepEqual(v.positions.map((p) => [p.symbolId, p.position, p.openOrders, p.avgPricePaise, p.markPaise, p.realizedPaise, p.unrealizedPaise, p.chargesPaise, p.dayPnlPaise]), [
    [71, 100, 2, 10_000, 10_050, 0, 100 * 50, 250, 5000 - 250],
    [72, -30, 1, 5_000, 4_950, 0, 30 * 50, 40, 1500 - 40],
  ]);
  const gross = 100 * 10_050 + 30 * 4_950;
  assert.deepEqual(
    [v.totals.openPositions, v.totals.unrealizedPaise, v.totals.chargesPaise, v.totals.dayPnlPaise, v.totals.grossExposurePaise, v.totals.netExposurePaise],
    [2, 6500, 290, 6500 - 290, gross, 100 * 10_050 - 30 * 4_950],
  );
  const { version: _w, ...windows } = v.brokerWindows;
  assert.deepEqual(windows, { second: 3, secondCap: 10, minute: 3, minuteCap: 400, day: 3, dayCap: 5000 });
  const { version: _r, ...risk } = v.risk;
  assert.deepEqual(risk, {
    positionUsed: 30, positionLimit: 40, // B at 75 % of its limit, A at 50 %
    openOrdersUsed: 3, openOrdersLimit: 8, orderRateUsed: 3, orderRateLimit: 10,
    dailyLossUsedPaise: 0, dailyLossLimitPaise: 100_000, exposureUsedPaise: gross, exposureLimitPaise: 5_000_000,
  });
  assert.deepEqual([v.otr.ratioMilli, v.otr.countedMessages, v.otr.trades, v.otr.budgetLeft, v.otr.updatedNs], [5000, 5, 1, 5, t]);
});

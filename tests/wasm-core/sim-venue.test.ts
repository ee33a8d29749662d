// Matching parity inside the simulator: orders that reach the simulated venue (ORDER events, after their
// latency) meet the matching engine's price-time queue exactly as at the venue. A hand-built case: an order
// resting first at a price is filled first, ours behind it fills only once the quantity ahead has traded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSimulation, START_NS, type Simulation } from '../../host/sim/simulation.js';
import { resolveSimOptions } from '../../host/sim/sim-options.js';
import type { SyntheticScenario } from '../../host/sim/synthetic-scenario.js';
import { ExecCommand, SimCounter, SimEvent } from '../../build/core-constants.js';
import { OrderKind, Side, TimeInForce } from '../../host/model/vocabulary.js';
import { coreModule, engineConfig } from '../sim/sim-setup.js';

const P = 58000;

async function quietVenue(): Promise<Simulation> {
  // No flow during the test (one event in 10^6 s) and no strategy: only the orders queued below trade.
  const scenario: SyntheticScenario = {
    kind: 'synthetic', info: 0,
    symbols: [{ name: 'RELIANCE', symbolId: 1, tickPaise: 5, lotSize: 1, refPrice: P, flow: {
      eventsPerSecond: 1e-6, sigmaTicks: 0, passiveFraction: 0.6, cancelFraction: 0.3, depthTicks: 10, minLots: 1,
      maxLots: 1, maxResting: 100, warmupEvents: 0 } }],
  };
  const config = engineConfig((t) => t.replace(/^kind = "wobi"/m, 'kind = "none"').replace(/^symbols = .*$/m, 'symbols = ["RELIANCE"]'));
  return createSimulation(await coreModule(), config, scenario, resolveSimOptions({ durationMs: 10_000, latencyMs: 0 }));
}

function order(s: Simulation, atMs: number, clOrdId: number, side: number, tif: number, qty: number): void {
  const q = s.core.simQueueAddress(s.sim);
  const x = side | (OrderKind.LIMIT << 8) | (tif << 16);
  const status = s.core.simQueuePush(q, BigInt(START_NS + atMs * 1e6), SimEvent.ORDER, ExecCommand.NEW, 0, BigInt(clOrdId), 0n, P, qty, x, 0);
  assert.equal(status, 0);
}

function runUntil(s: Simulation, ms: number): void {
  const q = s.core.simQueueAddress(s.sim);
  while (s.core.simQueueNextTime(q) <= BigInt(START_NS + ms * 1e6)) s.core.simRun(s.sim, 1);
}

test('our passive order fills only through the queue ahead of it (price-time)', async () => {
  const s = await quietVenue();
  const { core, sim } = s;
  const match = core.simMatchAddress(sim, 0);
  const counter = (k: number): number => Number(core.simCounter(sim, k));
  order(s, 1, 101, Side.BUY, TimeInForce.GTC, 5); // someone's bid, first at P
  order(s, 2, 102, Side.BUY, TimeInForce.GTC, 3); // ours, behind it
  runUntil(s, 2);
  assert.equal(core.matchLevelQty(match, Side.BUY, P), 8n);
  assert.equal(core.matchLevelOrders(match, Side.BUY, P), 2);

  order(s, 3, 103, Side.SELL, TimeInForce.IOC, 4); // takes 4 of the 5 ahead of us
  runUntil(s, 3);
  assert.equal(core.matchLevelQty(match, Side.BUY, P), 4n, '1 left ahead + our 3');
  assert.equal(counter(SimCounter.FILLS), 2, 'one maker fill (101) and its taker (103)');
  assert.equal(counter(SimCounter.ORDERS_FILLED), 2, '101 and 103 filled, ours not');

  order(s, 4, 104, Side.SELL, TimeInForce.IOC, 2); // 1 finishes 101, 1 reaches us
  runUntil(s, 4);
  assert.equal(core.matchLevelQty(match, Side.BUY, P), 2n);
  assert.equal(core.matchLevelOrders(match, Side.BUY, P), 1, 'only ours rests');
  assert.equal(counter(SimCounter.FILLS), 6, '101 and ours as makers, 104 twice as taker');
  assert.equal(counter(SimCounter.ORDERS_FILLED), 4, 'now ours (102) and 104 too');
});

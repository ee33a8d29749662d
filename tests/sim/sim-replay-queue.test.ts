// Issue 10, "Queue model": on a hand-built L2 sequence, our order fills exactly when each queue-position model
// says, through the whole simulator. The stress strategy (window 8, offset 1 tick, 9 lots) sends one BUY at
// bid − 1 = 99 when it first sees both sides; the ask then leaves, so it sends nothing more. The sequence then
// moves level 99 and prints trades. The expected fills come from a reference written here from the models'
// formulas (docs/queue-models.md: hftbacktest's RiskAverseQueueModel; Rigtorp's split with f(x) = xⁿ or ln(1 + x)),
// not from the core's code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { L2EventWriter, L2EventKind, type L2Events } from '../../host/sim/l2-events.js';
import { prepareSimulation } from '../../host/sim/sim-driver.js';
import { SimCounter } from '../../build/core-constants.js';
import type { SimQueueModel } from '../../host/sim/sim-options.js';
import { coreModule, engineConfig } from './sim-setup.js';

const MS = 1_000_000;
const BUY = 0;
const SELL = 1;
const OUR_PRICE = 99;
const OUR_QTY = 9;
const LATENCY_MS = 1;

type Rec = [ms: number, kind: number, side: number, price: number, qty: number];
const LEVEL = L2EventKind.LEVEL;
const TRADE = L2EventKind.TRADE;

/** The book before our order, the ask leaving, then level 99's story. */
const SEQUENCE: Rec[] = [
  [0, LEVEL, BUY, 99, 20], [0, LEVEL, BUY, 100, 10], [0, LEVEL, SELL, 101, 10],
  [10, LEVEL, SELL, 101, 0], // no ask: the stress strategy sends nothing more
  [1000, LEVEL, BUY, 99, 14], // 6 cancelled
  [1500, TRADE, SELL, 100, 50], // above our bid: not ours
  [2000, TRADE, SELL, 99, 5],
  [2000, LEVEL, BUY, 99, 9],
  [2500, TRADE, BUY, 99, 7], // the aggressor on our side: it took from the asks
  [3000, LEVEL, BUY, 99, 25], // joins behind
  [4000, LEVEL, BUY, 99, 19], // 6 cancelled
  [5000, TRADE, SELL, 99, 4],
  [5000, LEVEL, BUY, 99, 15],
  [6000, LEVEL, BUY, 99, 10], // 5 cancelled
  [7000, TRADE, SELL, 99, 3],
  [7000, LEVEL, BUY, 99, 7],
  [8000, TRADE, SELL, 99, 4],
  [8000, LEVEL, BUY, 99, 3],
  [9000, TRADE, SELL, 99, 2],
  [9000, LEVEL, BUY, 99, 1],
  [10000, TRADE, SELL, 99, 2],
  [10000, LEVEL, BUY, 99, 0],
  [11000, LEVEL, BUY, 99, 4],
  [12000, TRADE, SELL, 98, 1], // through our price: all we have left
];

function recording(seq: Rec[]): L2Events {
  const w = new L2EventWriter();
  for (const [ms, kind, side, price, qty] of seq) w.push(ms * MS, kind, side, price, qty);
  return w.finish('hand-built', `${seq.length} records`);
}

/** The reference: our BUY of OUR_QTY at OUR_PRICE placed with `ahead` = the level then; (record ms, lots) per fill. */
function expectedFills(model: SimQueueModel, n: number, placedAfterMs: number): [number, number][] {
  const f = (x: number): number => (model === 'power' ? x ** n : Math.log(1 + x));
  let placed = false;
  let level = 0; // the level's total as recorded, before placement too
  let ahead = 0;
  let lastLevel = 0;
  let traded = 0;
  let left = OUR_QTY;
  const fills: [number, number][] = [];
  for (const [ms, kind, side, price, qty] of SEQUENCE) {
    if (!placed && ms > placedAfterMs) {
      placed = true;
      ahead = level;
      lastLevel = level;
      traded = 0;
    }
    if (kind === LEVEL) {
      if (side === BUY && price === OUR_PRICE) {
        level = qty;
        if (placed && left > 0) {
          if (model !== 'conservative') {
            const before = Math.max(0, lastLevel - traded);
            const cancelled = before - qty;
            if (cancelled > 0) {
              const behind = Math.max(0, before - ahead);
              const fa = f(ahead);
              const fb = f(behind);
              const shareAhead = fa + fb > 0 ? cancelled * fa / (fa + fb) : 0;
              const spill = Math.max(0, cancelled - shareAhead - behind);
              ahead = Math.max(0, ahead - shareAhead - spill);
            }
          }
          ahead = Math.min(ahead, qty);
          lastLevel = qty;
          traded = 0;
        }
      }
      continue;
    }
    if (!placed || left === 0) continue;
    if (price < OUR_PRICE) {
      fills.push([ms, left]);
      left = 0;
    } else if (price === OUR_PRICE && side === SELL) {
      const past = qty - ahead;
      const lots = past > 0 ? Math.min(left, Math.floor(past + 1e-9)) : 0;
      ahead = past >= 0 ? 0 : -past;
      traded += qty;
      if (lots > 0) {
        fills.push([ms, lots]);
        left -= lots;
      }
    }
  }
  return fills;
}

const STRESS = (toml: string): string => toml
  .replace(/^kind = "wobi".*$/m, 'kind = "stress"\nwindow = 8\noffsetTicks = 1')
  .replace(/^qty = 1$/m, `qty = ${OUR_QTY}`)
  .replace(/^ttlMs = 200 .*$/m, 'ttlMs = 3600000');

/** Runs the sequence through the simulator one event at a time: each fill's venue time (ms) and lots. */
async function simulatedFills(model: SimQueueModel, n: number | null): Promise<{ fills: [number, number][]; orders: number; hash: string }> {
  const config = engineConfig(STRESS);
  assert.equal(config.execution.strategy.kind, 'stress');
  const sim = prepareSimulation(await coreModule(), config, {
    scenario: 'lobster', queueModel: model, queueExponent: n, latencyMs: LATENCY_MS, durationMs: 20_000, seed: 1,
  }, recording(SEQUENCE));
  const { core } = sim;
  const positions = core.execPositionsAddress(sim.exec);
  const fills: [number, number][] = [];
  let reports = 0;
  let position = 0n;
  while (core.simRun(sim.sim, 1) > 0) {
    const now = Number(core.simNow(sim.sim) - 1_000_000_000n) / MS;
    const r = Number(core.simCounter(sim.sim, SimCounter.FILLS));
    if (r > reports) {
      // The fill is decided at the venue when the record runs; its report reaches us one latency later.
      reports = r;
      fills.push([now, -1]);
    }
    const p = core.positionsPosition(positions, 0);
    if (p !== position) {
      const open = fills.find(([, lots]) => lots === -1);
      assert.ok(open, `a position change at ${now} ms without a fill at the venue`);
      assert.equal(now, open![0] + LATENCY_MS, 'the fill report arrives one report latency after the record');
      open![1] = Number(p - position);
      position = p;
    }
  }
  return {
    fills,
    orders: Number(core.simCounter(sim.sim, SimCounter.NEW)),
    hash: BigInt.asUintN(64, core.simTraceHash(core.simTraceAddress(sim.sim))).toString(16),
  };
}

const MODELS: [SimQueueModel, number | null, number][] = [
  ['conservative', null, 1], ['power', null, 1], ['power', 2, 2], ['power', 0.5, 0.5], ['log', null, 1],
];

// The order is sent when the strategy sees the ask (1 ms) and placed at the venue 1 ms later: after the records at
// 0 ms, before the one at 10 ms.
const PLACED_AFTER_MS = 0;

test('a passive order the strategy sends fills at the record each queue model says, in the lots it says', async () => {
  const expected = new Map<string, string>();
  for (const [model, n, ref] of MODELS) {
    const want = expectedFills(model, ref, PLACED_AFTER_MS);
    const got = await simulatedFills(model, n);
    assert.equal(got.orders, 1, `${model} ${n}: the strategy sent one order`);
    assert.deepEqual(got.fills, want, `${model} n=${n}`);
    assert.equal(want.reduce((a, [, l]) => a + l, 0), OUR_QTY, `${model}: the sequence fills the whole order`);
    expected.set(`${model} ${n}`, JSON.stringify(want));
  }
  // The sequence tells the models apart: the conservative model fills later than the proportional split.
  assert.notEqual(expected.get('conservative null'), expected.get('power null'));
  assert.notEqual(expected.get('power null'), expected.get('log null'));
});

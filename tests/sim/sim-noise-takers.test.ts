// The flow's noise takers (wasm-core/sim-flow.ts): a share of the marketable orders comes from liquidity traders
// blind to the fair value: a random side, priced at the touch. The rest are informed: when a quote is stale (the
// ask below the fair value, or the bid above it) they take that side, priced back to the fair value. Checked
// decision by decision against that rule on the venue with no strategy trading: the book each FLOW event saw
// (before it ran) and the fair value it decided on (after it ran, the flow moves the fair value first).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareSimulation } from '../../host/sim/sim-driver.js';
import { NO_PRICE, Side } from '../../host/model/vocabulary.js';
import { FlowOp, FlowStatus } from '../../build/core-constants.js';
import { resolveSimOptions } from '../../host/sim/sim-options.js';
import { syntheticScenario } from '../../host/sim/synthetic-scenario.js';
import { ConfigError } from '../../host/config/config-error.js';
import { coreModule, engineConfig } from './sim-setup.js';

interface Takes {
  /** Marketable decisions made while a quote was stale. */
  stale: number;
  /** ... of which took the side opposite to the stale quote (only a noise taker does). */
  againstStale: number;
  /** Marketable decisions priced beyond the touch (only an informed taker eats past it). */
  beyondTouch: number;
  /** Marketable decisions in all. */
  marketable: number;
}

async function marketableDecisions(noiseTakers: number, seed: number, durationMs = 60_000): Promise<Takes> {
  const config = engineConfig((t) => t.replace(/^kind = "wobi"/m, 'kind = "none"').replace(/^symbols = .*$/m, 'symbols = ["RELIANCE"]'));
  const { core, sim } = prepareSimulation(await coreModule(), config, { seed, durationMs, noiseTakers });
  const match = core.simMatchAddress(sim, 0);
  const flow = core.simFlowAddress(sim, 0);
  assert.equal(core.flowNoiseTakers(flow), noiseTakers);
  const takes: Takes = { stale: 0, againstStale: 0, beyondTouch: 0, marketable: 0 };
  while (core.simFinished(sim) === 0) {
    const events = core.flowEvents(flow);
    const bid = core.matchBestBid(match);
    const ask = core.matchBestAsk(match);
    if (core.simRun(sim, 1) === 0) break;
    if (core.flowEvents(flow) === events || core.flowOp(flow) !== FlowOp.MARKETABLE) continue;
    const fair = Math.round(core.flowFair(flow));
    const side = core.flowSide(flow);
    const price = core.flowPrice(flow);
    takes.marketable++;
    if (side === Side.BUY ? price !== ask : price !== bid) takes.beyondTouch++;
    const staleAsk = ask !== NO_PRICE && ask < fair;
    const staleBid = !staleAsk && bid !== NO_PRICE && bid > fair;
    if (staleAsk || staleBid) {
      takes.stale++;
      if ((staleAsk && side === Side.SELL) || (staleBid && side === Side.BUY)) takes.againstStale++;
    }
  }
  return takes;
}

test('no noise takers: every marketable order facing a stale quote takes it', async () => {
  const t = await marketableDecisions(0, 3);
  assert.ok(t.stale > 200, `enough stale-quote decisions to judge: ${JSON.stringify(t)}`);
  assert.equal(t.againstStale, 0, `an informed taker never takes the side away from a stale quote: ${JSON.stringify(t)}`);
  assert.ok(t.beyondTouch > 0, `informed takers eat stale quotes back to the fair value, past the touch: ${JSON.stringify(t)}`);
});

test('all noise takers: a random side at the touch, whatever the fair value', async () => {
  const t = await marketableDecisions(1, 3);
  assert.equal(t.beyondTouch, 0, `a noise taker takes the touch's level only: ${JSON.stringify(t)}`);
  // Facing a stale quote, a noise taker takes the other side with probability ½: a binomial, 4 σ either way.
  const sd = Math.sqrt(t.stale * 0.25);
  assert.ok(Math.abs(t.againstStale - t.stale / 2) < 4 * sd, `side independent of the fair value: ${JSON.stringify(t)}`);
});

test('a share s of noise takers: the side away from a stale quote with probability s/2', async () => {
  const s = 0.8;
  const t = await marketableDecisions(s, 4, 120_000);
  const p = s / 2;
  const sd = Math.sqrt(t.stale * p * (1 - p));
  assert.ok(Math.abs(t.againstStale - t.stale * p) < 4 * sd,
    `${t.againstStale} of ${t.stale} away from the stale quote, expected ${(t.stale * p).toFixed(0)} ± ${(4 * sd).toFixed(0)}`);
});

test('the noise share is checked: the core, the scenario and the options refuse a share outside [0, 1]', async () => {
  const config = engineConfig((t) => t.replace(/^symbols = .*$/m, 'symbols = ["RELIANCE"]'));
  const { core, sim } = prepareSimulation(await coreModule(), config, { seed: 1, durationMs: 1000 });
  const flow = core.simFlowAddress(sim, 0);
  const before = core.flowNoiseTakers(flow);
  for (const bad of [-0.1, 1.5, NaN]) {
    assert.equal(core.flowSetNoiseTakers(flow, bad), FlowStatus.BAD_CONFIG, `share ${bad}`);
    assert.equal(core.flowNoiseTakers(flow), before, 'a refused share leaves the flow as it was');
  }
  assert.throws(() => syntheticScenario(['RELIANCE'], 0, 2), (e: unknown) => e instanceof ConfigError && /noise-takers/.test(e.message));
  assert.throws(() => resolveSimOptions({ noiseTakers: -1 }), (e: unknown) => e instanceof ConfigError && /noise-takers/.test(e.message));
});

test('the noise share changes what events do, not which draws they take: the fair value path is the same', async () => {
  // Each event draws the same uniforms whatever it does (docs/sim.md), so the fair value, which only the draws
  // move, follows the same path at any noise share, while the decisions (sides and prices) differ.
  const config = engineConfig((t) => t.replace(/^kind = "wobi"/m, 'kind = "none"').replace(/^symbols = .*$/m, 'symbols = ["RELIANCE"]'));
  const paths: number[][] = [];
  const decisions: string[] = [];
  for (const noiseTakers of [0, 0.8]) {
    const { core, sim } = prepareSimulation(await coreModule(), config, { seed: 9, durationMs: 20_000, noiseTakers, info: 1 });
    const flow = core.simFlowAddress(sim, 0);
    const path: number[] = [];
    const made: string[] = [];
    let last = core.flowEvents(flow);
    while (core.simRun(sim, 1) > 0) {
      if (core.flowEvents(flow) === last) continue;
      last = core.flowEvents(flow);
      path.push(core.flowFair(flow));
      made.push(`${core.flowOp(flow)}:${core.flowSide(flow)}:${core.flowPrice(flow)}`);
    }
    paths.push(path);
    decisions.push(made.join(','));
  }
  assert.ok(paths[0]!.length > 1000, `events: ${paths[0]!.length}`);
  assert.deepEqual(paths[0], paths[1], 'the same fair value, event by event');
  assert.notEqual(decisions[0], decisions[1], 'noise takers do decide otherwise');
});

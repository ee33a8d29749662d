// The simulator's shortcuts decide nothing (docs/sim.md "Throughput"): each is checked against a run that cannot
// take it.
// - The execution core's deadline is asked again only after an event that called into the core; the memo lives
//   inside one simRun call, so a run in chunks of one event (the deadline asked afresh before every event)
//   against one in large chunks checks it.
// - At info = 0 the flow skips its drift (every use is info·d). At info = 5e-324, the smallest positive double, the
//   drift is computed and used, and info·d underflows or is absorbed by the fair value and by ½ in the side tilt:
//   the same decisions, reached through the full path.
// - FLOW and GATE run outside the heap in the heap's (time, sequence) order: the queue-level check is in
//   sim-queue-merge.test.ts; here the whole run with scenario-queued events on the same nanoseconds as them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareSimulation, runSimulation } from '../../host/sim/sim-driver.js';
import { SimEvent } from '../../build/core-constants.js';
import { START_NS, GATE_NS } from '../../host/sim/simulation.js';
import { coreModule, deterministicPart, engineConfig } from './sim-setup.js';

const RUN = { seed: 11, durationMs: 20_000, latencyMs: 1 };

test('chunking: one event per simRun call and 200 000 per call give the same run', async () => {
  const module = await coreModule();
  for (const info of [0, 1]) {
    const one = runSimulation(prepareSimulation(module, engineConfig(), { ...RUN, info }), undefined, 1);
    const big = runSimulation(prepareSimulation(module, engineConfig(), { ...RUN, info }), undefined, 200_000);
    const odd = runSimulation(prepareSimulation(module, engineConfig(), { ...RUN, info }), undefined, 7);
    assert.ok(one.traceCommands > 10, `the run should decide orders, got ${one.traceCommands}`);
    assert.deepEqual(deterministicPart(big), deterministicPart(one), `info ${info}: chunks of 200 000`);
    assert.deepEqual(deterministicPart(odd), deterministicPart(one), `info ${info}: chunks of 7`);
  }
});

test('info = 0 (drift skipped) decides exactly what info = 5e-324 (drift computed, underflowing) decides', async () => {
  const module = await coreModule();
  for (const seed of [1, 2, 3]) {
    const zero = runSimulation(prepareSimulation(module, engineConfig(), { ...RUN, seed, info: 0 }));
    const tiny = runSimulation(prepareSimulation(module, engineConfig(), { ...RUN, seed, info: Number.MIN_VALUE }));
    assert.ok(zero.traceCommands > 0, `seed ${seed}: some orders`);
    assert.equal(tiny.traceHash, zero.traceHash, `seed ${seed}`);
    assert.equal(tiny.pnlBeforeCostsPaise, zero.pnlBeforeCostsPaise);
    assert.equal(tiny.events, zero.events);
  }
});

test('events a scenario queues on the nanoseconds of the periodic GATEs all run, once, beside them', async () => {
  // A GATE queued by the scenario at each of the first 200 gate times: a second gate evaluation at the same
  // nanosecond decides nothing new (same clock, same book, same word), so the run is the plain run with exactly
  // 200 more events and the same decisions: nothing lost or run twice where heap and periodic events meet.
  const module = await coreModule();
  const plain = prepareSimulation(module, engineConfig(), RUN);
  const extra = prepareSimulation(module, engineConfig(), RUN);
  const q = extra.core.simQueueAddress(extra.sim);
  for (let k = 1; k <= 200; k++) {
    assert.equal(extra.core.simQueuePush(q, BigInt(START_NS + k * GATE_NS), SimEvent.GATE, 0, 0, 0n, 0n, 0, 0, 0, 0), 0);
  }
  const a = runSimulation(plain);
  const b = runSimulation(extra);
  assert.equal(b.events, a.events + 200, 'every queued GATE ran once');
  assert.equal(b.traceHash, a.traceHash);
  assert.equal(b.queueRefused, 0);
});

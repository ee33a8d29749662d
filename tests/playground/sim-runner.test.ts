// The worker's run in Node: the same engine TOML and options give the trace hash npm run sim gives
// (prepareSimulation + runSimulation, another chunk size), and the same summary but for wall-clock fields; the
// NEV samples are finite and the equity curve has one sample per second of virtual time. The pool's size rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadEngineConfig } from '../../host/config/engine-config.js';
import { loadCostProfiles } from '../../host/modules/cost-model.js';
import { compileCore } from '../../host/core/core-loader.js';
import { prepareSimulation, runSimulation } from '../../host/sim/sim-driver.js';
import { engineTomlWith } from '../../playground/engine-toml.js';
import { runRequest } from '../../playground/sim-runner.js';
import { poolSize } from '../../playground/worker-pool.js';

const ROOT = new URL('../../../', import.meta.url);
const BASE = readFileSync(new URL('config/engine.toml', ROOT), 'utf8');
const COSTS = readFileSync(new URL('config/costs.toml', ROOT), 'utf8');

test('a worker run and npm run sim agree on the hash and the summary', async () => {
  const module = await compileCore();
  const engineToml = engineTomlWith(BASE, { 'execution.strategy.threshold': 0.12 });
  const options = { seed: 11, durationMs: 20_000, latencyMs: 1 };
  const fractions: number[] = [];
  const worker = await runRequest(module, { engineToml, costsToml: COSTS, options }, (f) => fractions.push(f));
  const node = runSimulation(prepareSimulation(module, loadEngineConfig(engineToml, loadCostProfiles(COSTS)), options));
  assert.ok(node.traceCommands > 0, 'the run decides some orders, so the hash covers something');
  assert.equal(worker.summary.traceHash, node.traceHash);
  const { wallMs: _a, eventsPerSecond: _b, ...w } = worker.summary;
  const { wallMs: _c, eventsPerSecond: _d, ...n } = node;
  assert.deepEqual(w, n);
  assert.equal(worker.equityPaise.length, node.equitySamples);
  assert.ok(worker.nevPaise.every(Number.isFinite));
  assert.equal(fractions.at(-1), 1);
  for (let i = 1; i < fractions.length; i++) assert.ok(fractions[i]! >= fractions[i - 1]!, 'progress never goes back');
});

test('pool size: the logical cores, at most 8, at least 1', () => {
  assert.equal(poolSize(2), 2);
  assert.equal(poolSize(32), 8);
  assert.equal(poolSize(undefined), 1);
  assert.equal(poolSize(0), 1);
  assert.equal(poolSize(6, 4), 4);
});

// The decision-trace hash is a function of the inputs: the same seed and parameters give the same hash (and the
// same summary) twice; a changed seed, strategy parameter or latency gives a different one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deterministicPart, engineConfig, simulate } from './sim-setup.js';

const BASE = { seed: 7, durationMs: 60_000, latencyMs: 1 };

test('same seed, same parameters: the same hash and the same summary twice', async () => {
  const a = await simulate(BASE);
  const b = await simulate(BASE);
  assert.match(a.traceHash, /^[0-9a-f]{16}$/);
  assert.ok(a.traceCommands > 10, `a minute should decide some orders, got ${a.traceCommands}`);
  assert.equal(a.traceHash, b.traceHash);
  assert.deepEqual(deterministicPart(a), deterministicPart(b));
});

test('a changed seed, strategy parameter (the order qty) or latency changes the hash', async () => {
  const base = await simulate(BASE);
  const seed = await simulate({ ...BASE, seed: 8 });
  const latency = await simulate({ ...BASE, latencyMs: 2 });
  const qty = await simulate(BASE, engineConfig((t) => t.replace(/^qty = 1\b/m, "qty = 2")));
  const hashes = new Set([base.traceHash, seed.traceHash, latency.traceHash, qty.traceHash]);
  assert.equal(hashes.size, 4, `hashes: base ${base.traceHash}, seed ${seed.traceHash}, latency ${latency.traceHash}, qty ${qty.traceHash}`);
});

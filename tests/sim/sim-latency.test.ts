// The recorded-latency model (wasm-core/sim-latency.ts, SimLatency.TABLE; `npm run sim -- --latency-from <journal>`):
// draws come only from the table, evenly, reproducibly from the seed; a table holding the one round trip 2 L makes
// every timing what the constant model with latency L makes it, so the two runs decide the same (same hash); a
// spread table decides otherwise, the same way twice; a journal's round trips are each order's send → its ack.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { testCore } from '../testkit/core.js';
import { simulate } from './sim-setup.js';
import { journalRoundTrips } from '../../host/journal/round-trips.js';
import type { JournalRecord } from '../../host/journal/records.js';

test('the table: sizes and bad arguments refused; draws only its members, evenly, the same for the same seed', async () => {
  const { core } = await testCore();
  assert.equal(core.simLatencyBytes(0), 0);
  assert.equal(core.simLatencyBytes((1 << 24) + 1), 0);
  assert.equal(core.simLatencyBytes(3), 32 + 24);
  const at = 4096;
  assert.equal(core.simLatencyInit(at + 4, 3, 1), -1, 'misaligned');
  assert.equal(core.simLatencyInit(at, 3, 1), 0);
  const values = [100_000n, 250_000n, 2_000_000n];
  values.forEach((v, k) => assert.equal(core.simLatencySet(at, k, v), 0));
  assert.equal(core.simLatencySet(at, 3, 1n), -1, 'index past the table');
  assert.equal(core.simLatencySet(at, 0, 0n), -1, 'a round trip must be > 0');
  const draws = (seed: number, n: number): bigint[] => {
    core.simLatencyInit(at, 3, seed);
    values.forEach((v, k) => core.simLatencySet(at, k, v));
    return Array.from({ length: n }, () => core.simLatencyDraw(at));
  };
  const a = draws(7, 30_000);
  const counts = values.map((v) => a.filter((x) => x === v).length);
  assert.equal(counts.reduce((x, y) => x + y, 0), a.length, 'every draw is a member of the table');
  for (const c of counts) assert.ok(Math.abs(c - 10_000) < 400, `even draws: ${counts.join(', ')}`); // ~4.9 σ
  assert.deepEqual(draws(7, 200), a.slice(0, 200), 'the same seed draws the same');
  assert.notDeepEqual(draws(8, 200), a.slice(0, 200), 'another seed draws otherwise');
});

const BASE = { seed: 3, durationMs: 60_000 };

test('a table of the one round trip 2 L decides exactly what the constant latency L decides', async () => {
  for (const latencyMs of [1, 3]) {
    const constant = await simulate({ ...BASE, latencyMs });
    const table = await simulate({ ...BASE, latencyMs, roundTripsNs: [2 * latencyMs * 1_000_000] });
    assert.ok(constant.traceCommands > 10, `a minute decides some orders, got ${constant.traceCommands}`);
    assert.equal(table.roundTrips, 1);
    assert.equal(constant.roundTrips, 0);
    assert.equal(table.traceHash, constant.traceHash, `latency ${latencyMs} ms`);
    assert.equal(table.fills, constant.fills);
  }
});

test('a spread table decides otherwise than its mean as a constant, and the same twice', async () => {
  const trips = [400_000, 900_000, 1_500_000, 4_000_000, 9_000_000];
  const a = await simulate({ ...BASE, latencyMs: 1, roundTripsNs: trips });
  const b = await simulate({ ...BASE, latencyMs: 1, roundTripsNs: trips });
  const constant = await simulate({ ...BASE, latencyMs: 1 });
  assert.equal(a.traceHash, b.traceHash);
  assert.notEqual(a.traceHash, constant.traceHash);
  await assert.rejects(simulate({ ...BASE, roundTripsNs: [1_000_000, 0] }), /latency-from\[1\] must be a round trip of a whole number of ns/);
});

test('journal round trips: each order\'s send to its ack, in ack order; an ack of an unknown order is left out', () => {
  const r = (type: JournalRecord['type'], timestampNs: number, clOrdId: number): JournalRecord => ({ type, timestampNs, fields: { clOrdId } });
  const trips = journalRoundTrips([
    r('OrderNew', 100, 1), r('OrderNew', 150, 2), r('Ack', 400, 2), r('Ack', 500, 1), r('Ack', 600, 3), r('OrderNew', 700, 4),
  ]);
  assert.deepEqual(trips, [250, 400]);
});

test('npm run sim -- --latency-from refuses a journal it cannot read, naming the flag (exit 2)', () => {
  const cli = fileURLToPath(new URL('../../host/cli/sim.js', import.meta.url));
  const config = fileURLToPath(new URL('../../../config/engine.toml', import.meta.url));
  const r = spawnSync(process.execPath, [cli, '--config', config, '--duration', '1s', '--latency-from', '/nonexistent/engine.journal'], { encoding: 'utf8' });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /--latency-from \/nonexistent\/engine\.journal: ENOENT/);
});

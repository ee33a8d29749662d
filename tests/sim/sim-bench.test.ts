// The sim bench's function on a tiny input: it counts what it says and its figures are consistent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simBench } from '../../bench/sim.js';

test('simBench: market events counted and rated over a short run', async () => {
  const lines: string[] = [];
  const r = await simBench({ durationS: 5, seed: 2, info: 0 }, (s) => lines.push(s));
  assert.equal(r.bench, 'sim');
  assert.ok(r.marketEvents > 100, `market events ${r.marketEvents}`);
  assert.ok(r.marketEvents < r.events, 'market events are a part of all events');
  assert.ok(r.marketEventsPerSecond > 0 && r.eventsPerSecond >= r.marketEventsPerSecond);
  assert.match(r.traceHash, /^[0-9a-f]{16}$/);
  assert.equal(lines.length, 1);
});

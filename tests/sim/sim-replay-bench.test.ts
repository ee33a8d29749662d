// The replay line of `npm run bench -- sim` (bench/sim-replay.ts): it counts what it says and its figures are consistent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simReplayBench } from '../../bench/sim-replay.js';

test('simReplayBench: the binance replay\'s records, market events and rates', async () => {
  const lines: string[] = [];
  const r = await simReplayBench((s) => lines.push(s));
  assert.equal(r.bench, 'sim-replay');
  assert.equal(r.records, 135_848, 'every record of the recording ran');
  assert.ok(r.marketEvents >= r.records, 'each record reaches the strategy as one market event');
  assert.ok(r.recordsPerSecond > 0 && r.eventsPerSecond >= r.marketEventsPerSecond);
  assert.match(r.traceHash, /^[0-9a-f]{16}$/);
  assert.equal(lines.length, 1);
});

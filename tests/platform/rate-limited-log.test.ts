// The rate-limited log keeps its window on the injected clock: at most maxLines lines per window, then
// one line counting what it left out when the next window opens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RateLimitedLog } from '../../host/platform/rate-limited-log.js';
import { ManualClock } from '../testkit/manual-clock.js';

test('at most maxLines per window on the injected clock; the next window reports the suppressed count', () => {
  const clock = new ManualClock();
  const lines: string[] = [];
  const log = new RateLimitedLog('feed', (l) => lines.push(l), 3, 1000, clock);
  for (let i = 0; i < 10; i++) log.log(`bad frame ${i}`);
  assert.deepEqual(lines, ['feed: bad frame 0', 'feed: bad frame 1', 'feed: bad frame 2']);
  assert.equal(log.totalSuppressed, 7);

  clock.advance(999);
  log.log('still the same window');
  assert.equal(lines.length, 3, 'the window has not ended 999 ms in');
  assert.equal(log.totalSuppressed, 8);

  clock.advance(1);
  log.log('next window');
  assert.deepEqual(lines.slice(3), ['feed: 8 similar line(s) suppressed', 'feed: next window']);
  assert.equal(log.totalSuppressed, 8);
});

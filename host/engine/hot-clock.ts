// The clock of the engine's hot path: the same CLOCK_MONOTONIC nanoseconds as liveClock, read without a
// BigInt. liveClock reads process.hrtime.bigint(), which allocates a BigInt per read; performance.now()
// is the same monotonic clock (libuv's hrtime) as a double of milliseconds since this thread's time
// origin, so one calibration against hrtime when the worker starts puts it on the shared time base that
// the venue's Tv and every other thread's stamps use. A double of ms keeps sub-nanosecond resolution
// for 100+ days of uptime. performance.now() still returns a heap number when V8 does not inline it into
// its caller (about one young-generation collection per 45 000 reads measured in a bare loop); the hot path
// reads it only where V8 inlines and unboxes it, and tests/engine/hot-path-allocation.test.ts holds the
// whole path to no collection at all.
import { performance } from 'node:perf_hooks';
import { liveClock, type Clock } from '../platform/clock.js';

/** hrtime ns − performance.now() ns, taken as the midpoint of three readings. */
function calibrate(): number {
  let best = Infinity;
  let offset = 0;
  for (let i = 0; i < 5; i++) {
    const a = performance.now();
    const h = Number(process.hrtime.bigint());
    const b = performance.now();
    if (b - a < best) {
      best = b - a;
      offset = h - ((a + b) / 2) * 1e6;
    }
  }
  return offset;
}

/** A Clock without a BigInt per read (whole ns, like liveClock's); timers are liveClock's. */
export function hotClock(): Clock {
  const offset = calibrate();
  return {
    nowNs: () => Math.round(performance.now() * 1e6 + offset),
    wallMs: liveClock.wallMs,
    setTimer: liveClock.setTimer,
    setInterval: liveClock.setInterval,
  };
}

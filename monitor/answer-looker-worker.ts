// The answer looker's thread (answer-looker.ts): pinned off the kill watcher's core; per request, looks at the
// ack bell and the trading-state block's version without sleeping until either moves or `lookMs` passes, and
// rings the ack bell when the state was published, which wakes the monitor's main thread.
import { parentPort, workerData } from 'node:worker_threads';
import { setAffinity } from '../host/platform/native.js';
import { liveClock } from '../host/platform/clock.js';
import { SegmentBlock } from '../host/telemetry/segment-block.js';
import { Doorbell } from '../host/telemetry/doorbell.js';
import type { LookRequest } from './answer-looker.js';

const { cpus, lookMs } = workerData as { cpus: number[]; lookMs: number };
setAffinity(cpus);

parentPort!.on('message', (r: LookRequest) => {
  const state = new SegmentBlock(r.sab, 'state');
  const bell = new Doorbell(r.sab, 'ack', 'ackBell');
  const until = liveClock.nowNs() + lookMs * 1e6;
  // A look is two word loads, nothing allocated; the clock every 256 looks.
  for (let n = 1; bell.rings() === r.rings && state.get('version') === r.published; n++) {
    if ((n & 255) === 0 && liveClock.nowNs() >= until) return;
  }
  if (state.get('version') !== r.published) bell.ring();
});

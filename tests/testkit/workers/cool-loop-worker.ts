// Worker for cool-loop.test.ts: runs the engine's cool loop with a stand-in Sentinel whose watchControl notes,
// in shared words, when it first sees the kill word. workerData: { segment, control, seen } (SharedArrayBuffers).
import { workerData } from 'node:worker_threads';
import { runCoolLoop } from '../../../host/engine/cool-loop.js';
import type { SentinelStage } from '../../../host/engine/sentinel-stage.js';
import { liveClock } from '../../../host/platform/clock.js';
import { Doorbell, SegmentBlock } from '../../../host/telemetry/index.js';

const { segment, control, seen } = workerData as { segment: SharedArrayBuffer; control: SharedArrayBuffer; seen: SharedArrayBuffer };
const kill = new SegmentBlock(segment, 'control');
const out = new Float64Array(seen); // [0] kill seen at (ns, liveClock), [1] turns, [2] looks
const sentinel = {
  watchControl(): void {
    out[2]! += 1;
    if (out[0] === 0 && kill.get('kill') !== 0) out[0] = liveClock.nowNs();
  },
  turn(): void {
    out[1]! += 1;
  },
  finish(): void {},
} as unknown as SentinelStage;
runCoolLoop({ control: new Int32Array(control), clock: liveClock, wait: 'park', sentinel, doorbell: new Doorbell(segment), turnEveryNs: 30e9 });

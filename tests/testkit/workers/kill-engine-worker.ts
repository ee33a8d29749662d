// Worker for kill-latency.test.ts: a minimal engine cool loop over the segment. Every 0.1 ms it beats the
// heartbeat and reads the control block: on the kill word it publishes HALTED (reason KILL) and acknowledges;
// on a reset it publishes ACTIVE (reason RESET) and acknowledges. Stops when the stop word is set.
import { workerData } from 'node:worker_threads';
import { TradingState, TradingStateReason } from '../../../host/model/vocabulary.js';
import { liveClock } from '../../../host/platform/clock.js';
import { EngineSegment } from '../../../host/telemetry/index.js';

const { sab, stop } = workerData as { sab: SharedArrayBuffer; stop: SharedArrayBuffer };
const stopWord = new Int32Array(stop);
const engine = new EngineSegment(sab, { pid: process.pid, clock: liveClock });
Atomics.store(stopWord, 1, 1); // ready
let halted = false;
while (Atomics.load(stopWord, 0) === 0) {
  engine.heartbeat();
  const req = engine.pollControl();
  if (req.kill && !halted) {
    halted = true;
    engine.publishTradingState(TradingState.HALTED, TradingStateReason.KILL);
    engine.ackKill(true);
  }
  if (req.reset !== 0) {
    halted = false;
    engine.publishTradingState(TradingState.ACTIVE, TradingStateReason.RESET);
    engine.ackReset(req.reset);
  }
  Atomics.wait(stopWord, 0, 0, 0.1);
}

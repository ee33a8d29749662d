// Worker for kill-latency.test.ts: a minimal engine cool loop over the segment. Every 0.1 ms it beats the
// heartbeat and runs the engine's ControlResponder: on the kill word it publishes HALTED (reason KILL) and
// acknowledges; on a reset carrying the token it publishes ACTIVE (reason RESET). Stops when the stop word is set.
import { workerData } from 'node:worker_threads';
import { TradingState, TradingStateReason } from '../../../host/model/vocabulary.js';
import { liveClock } from '../../../host/platform/clock.js';
import { ControlResponder, EngineSegment } from '../../../host/telemetry/index.js';

const { sab, stop, token } = workerData as { sab: SharedArrayBuffer; stop: SharedArrayBuffer; token: string };
const stopWord = new Int32Array(stop);
const engine = new EngineSegment(sab, { pid: process.pid, clock: liveClock });
const responder = new ControlResponder(engine, token, {
  kill: () => engine.publishTradingState(TradingState.HALTED, TradingStateReason.KILL),
  reset: () => {
    engine.publishTradingState(TradingState.ACTIVE, TradingStateReason.RESET);
    return true;
  },
  flatten: () => true,
  param: () => 0,
  journal: () => {},
});
Atomics.store(stopWord, 1, 1); // ready
while (Atomics.load(stopWord, 0) === 0) {
  engine.heartbeat();
  responder.poll();
  Atomics.wait(stopWord, 0, 0, 0.1);
}

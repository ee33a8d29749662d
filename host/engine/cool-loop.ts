// The loop of a worker that no socket drives (fused: cool; modules: sonar, sentinel). Every `turnEveryNs`
// (1 ms) it runs its stages' turns: Sonar's ticks, Sentinel's events, control requests and telemetry. In
// between it sleeps. A loop with Sentinel sleeps on the segment's doorbell (telemetry/doorbell.ts), which every
// control request rings, so a kill is handled as soon as the thread wakes, without polling the kill word:
// a poll every 100 µs woke the core it shares (with the venue, in our benchmarks) 10 000 times a second and
// delayed the venue's reads of our orders by ~30 µs. Other loops sleep in Atomics.wait on a private word.
// Wait strategies: park sleeps every turn; spin-then-park sleeps only after `spins` empty turns; busy-spin
// never sleeps (a core of its own). Ends when the engine's STOP word is set. A sleeping loop sets its
// thread's timer slack to 1 ns (platform/timer-slack.ts): with the default 50 µs, a 100 µs sleep took ~210 µs.
import type { Clock } from '../platform/clock.js';
import { tightenTimerSlack } from '../platform/timer-slack.js';
import type { WorkerWait } from '../config/engine-config.js';
import { ControlWord } from './stage-records.js';
import type { SonarStage } from './sonar-stage.js';
import type { SentinelStage } from './sentinel-stage.js';
import type { Doorbell } from '../telemetry/doorbell.js';
import type { CaptureWriter } from '../capture/capture-writer.js';

export interface CoolLoopOptions {
  readonly control: Int32Array;
  readonly clock: Clock;
  readonly wait: WorkerWait;
  /** The segment's doorbell, with Sentinel: the sleep ends when a control request rings it. */
  readonly doorbell?: Doorbell;
  readonly sonar?: SonarStage;
  readonly sentinel?: SentinelStage;
  /** engine.capture: the capture ring drained to its file every turn, finished when the loop ends. */
  readonly capture?: CaptureWriter;
  /** Sonar's gates are evaluated this often, ns (default 1 ms). */
  readonly evaluateEveryNs?: number;
  /** The stages' turns (Sonar's ticks, Sentinel's events, control requests, telemetry) run this often, ns
   *  (default 1 ms); a doorbell wake in between only looks at the kill word. */
  readonly turnEveryNs?: number;
  /** Test hook: throw (a worker crash) once the clock passes this. */
  readonly crashAtNs?: number;
  /** Test hook: block the thread once for `forMs` once the clock passes `atNs`. */
  readonly stall?: { readonly atNs: number; readonly forMs: number };
}

const SPINS = 1000;

export function runCoolLoop(o: CoolLoopOptions): void {
  if (o.wait !== 'busy-spin') tightenTimerSlack();
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  const evaluateEvery = o.evaluateEveryNs ?? 1e6;
  const turnEvery = o.turnEveryNs ?? 1e6;
  const bell = o.doorbell;
  let rings = bell?.rings() ?? 0;
  let nextEvaluate = 0;
  let nextTurn = 0;
  let idle = 0;
  let stallAt = o.stall?.atNs;
  while (Atomics.load(o.control, ControlWord.STOP) === 0) {
    if (o.wait === 'park' || (o.wait === 'spin-then-park' && idle >= SPINS)) {
      const sleepNs = Math.min(turnEvery, Math.max(0, nextTurn - o.clock.nowNs()));
      if (bell) bell.sleep(rings, sleepNs);
      else Atomics.wait(sleeper, 0, 0, sleepNs / 1e6);
    }
    if (bell) rings = bell.rings(); // before the look: a ring after it ends the next sleep at once
    o.sentinel?.watchControl(); // before anything else this turn spends time on
    const now = o.clock.nowNs();
    // A doorbell wake before the turn is due only answers the control block.
    if (now < nextTurn && o.wait !== 'busy-spin') continue;
    nextTurn = now + turnEvery;
    let work = 0;
    if (o.sonar) {
      work += o.sonar.drain(now);
      if (now >= nextEvaluate) {
        nextEvaluate = now + evaluateEvery;
        o.sonar.evaluate(o.clock.nowNs());
      }
    }
    if (o.sentinel) o.sentinel.turn(now);
    if (o.capture) work += o.capture.drain();
    idle = work > 0 ? 0 : idle + 1;
    if (o.crashAtNs !== undefined && now >= o.crashAtNs) throw new Error('injected worker crash (TRADECORE_ENGINE_CRASH)');
    if (stallAt !== undefined && now >= stallAt) {
      stallAt = undefined;
      Atomics.wait(sleeper, 0, 0, o.stall!.forMs);
    }
  }
  o.sentinel?.finish();
  o.capture?.finish();
}

// The loop of a worker that no socket drives (fused: cool; modules: sonar, sentinel): it sleeps
// `pollUs` in Atomics.wait on a private word (so nothing can wake it early and it costs no CPU while
// asleep), looks at the kill word, and every `turnEveryNs` (1 ms) runs its stages' turns: Sonar's ticks,
// Sentinel's events and telemetry. The sleep bounds the kill word's latency to about pollUs plus one turn; Sentinel keeps its
// turns short and looks at the kill word between their pieces. Wait strategies: park sleeps every turn;
// spin-then-park sleeps only after `spins` empty turns; busy-spin never sleeps (a core of its own). Ends
// when the engine's STOP word is set. A sleeping loop sets its thread's timer slack to 1 ns
// (platform/timer-slack.ts): with the default 50 µs, a 100 µs poll slept about 210 µs here.
import type { Clock } from '../platform/clock.js';
import { tightenTimerSlack } from '../platform/timer-slack.js';
import type { WorkerWait } from '../config/engine-config.js';
import { ControlWord } from './stage-records.js';
import type { SonarStage } from './sonar-stage.js';
import type { SentinelStage } from './sentinel-stage.js';

export interface CoolLoopOptions {
  readonly control: Int32Array;
  readonly clock: Clock;
  readonly pollUs: number;
  readonly wait: WorkerWait;
  readonly sonar?: SonarStage;
  readonly sentinel?: SentinelStage;
  /** Sonar's gates are evaluated this often, ns (default 1 ms). */
  readonly evaluateEveryNs?: number;
  /** The stages' turns (Sonar's ticks, Sentinel's events, control requests, telemetry) run this often, ns
   *  (default 1 ms); every wake in between only looks at the kill word. */
  readonly turnEveryNs?: number;
  /** Test hook: throw (a worker crash) once the clock passes this. */
  readonly crashAtNs?: number;
}

const SPINS = 1000;

export function runCoolLoop(o: CoolLoopOptions): void {
  if (o.wait !== 'busy-spin') tightenTimerSlack();
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  const sleepMs = o.pollUs / 1000;
  const evaluateEvery = o.evaluateEveryNs ?? 1e6;
  const turnEvery = o.turnEveryNs ?? 1e6;
  let nextEvaluate = 0;
  let nextTurn = 0;
  let idle = 0;
  while (Atomics.load(o.control, ControlWord.STOP) === 0) {
    if (o.wait === 'park' || (o.wait === 'spin-then-park' && idle >= SPINS)) Atomics.wait(sleeper, 0, 0, sleepMs);
    o.sentinel?.watchKill(); // before anything else this turn spends time on
    const now = o.clock.nowNs();
    // A wake that only looks at the kill word is nearly free; one that runs every stage is not, and on a small
    // machine the core it shares (with the venue, in our benchmarks) pays for each: at a full turn every 100 µs
    // the venue read our orders ~70 µs late. So the turns run at their own, slower pace.
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
    idle = work > 0 ? 0 : idle + 1;
    if (o.crashAtNs !== undefined && now >= o.crashAtNs) throw new Error('injected worker crash (TRADECORE_ENGINE_CRASH)');
  }
  o.sentinel?.finish();
}

// `npm run bench -- kill`: the kill path against the real engine. A venue and an engine (fused, the shipped
// strategy, market data every millisecond) run; this process maps the engine's telemetry segment and, per
// trial, writes the kill word and polls (20 µs naps) the seqlocked trading-state block until it reads HALTED (reason
// KILL), then resets with the engine's control token and waits for ACTIVE. The figure is kill word written →
// HALTED readable by any reader of the segment: the engine's Sentinel polls the word, stores the execution
// core's kill word (from then on the core refuses every order) and publishes the state. This thread naps with
// a timer slack of 1 ns (platform/timer-slack.ts), so a nap of 20 µs is not 70 µs and the figure is the
// engine's, not the reader's poll period. Two figures: kill_to_halted_us, the kill word written → this
// reader sees HALTED (its own wake-ups included: on a loaded machine a napping reader wakes late too), and
// kill_to_published_us, the kill word written → the state block's changedNs, the engine's stamp of the
// publication (same monotonic clock). Beside them, measured between the same trials: wake_floor_us, a futex
// ring to a thread sleeping on the watcher's CPU (wake-floor.ts), the least any kill can take here.
import { DEFAULT_ENGINE_PROCESS } from '../host/config/engine-config.js';
import { TradingState, TradingStateReason } from '../host/model/vocabulary.js';
import { liveClock } from '../host/platform/clock.js';
import { ControlWriter, SegmentReader } from '../host/telemetry/index.js';
import { mapSegmentFile } from '../host/telemetry/segment-reader.js';
import { readControlToken } from '../host/telemetry/control-token.js';
import { tightenTimerSlack } from '../host/platform/timer-slack.js';
import { latencyOverrides } from './engine-config.js';
import { latencyVenueToml, withVenueAndEngine } from './engine.js';
import { WakeFloor } from './wake-floor.js';
import { readTelemetry } from '../host/telemetry/telemetry-view.js';

export interface KillBenchOptions {
  readonly trials: number;
  readonly topology: 'fused' | 'modules';
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export async function killBench(o: KillBenchOptions, progress: (s: string) => void): Promise<object> {
  return withVenueAndEngine({}, latencyVenueToml(1000), latencyOverrides, o.topology, false, async (_venue, engine, setup) => {
    progress(`kill bench: engine pid ${engine.pid} (${o.topology}) ready; ${o.trials} trials`);
    const sab = mapSegmentFile(setup.segment);
    const control = new ControlWriter(sab);
    const reader = new SegmentReader(sab, { clock: liveClock });
    const token = readControlToken(setup.controlDir);
    const us: number[] = [];
    const publishedUs: number[] = [];
    const floorUs: number[] = [];
    const nap = new Int32Array(new SharedArrayBuffer(4));
    const napShort = (): void => void Atomics.wait(nap, 0, 0, 0.02);
    if (!tightenTimerSlack()) progress('kill bench: could not set this thread\'s timer slack; naps overshoot by up to 50 µs');
    // The watcher sits on Sentinel's CPUs (telemetry may leave an idle thread like it out of its thread list).
    const threads = readTelemetry(reader).threads;
    const watcher = threads.find((t) => t.name === 'tc-watch') ?? threads.find((t) => t.name === (o.topology === 'fused' ? 'tc-cool' : 'tc-sentinel'));
    const watcherCpus = watcher && watcher.cpu >= 0 ? [watcher.cpu] : [];
    // The floor's sleeper gets the watcher's scheduling too (engine.killWatcherPriority), or it is no floor.
    const priority = DEFAULT_ENGINE_PROCESS.killWatcherPriority;
    const floor = await WakeFloor.start(watcherCpus, priority);
    try {
    for (let trial = 0; trial < o.trials; trial++) {
      await pause(20 + (trial % 7) * 3);
      floorUs.push(floor.measure(napShort));
      await pause(20 + (trial % 7) * 3); // the engine idles between trials, as it would before a real kill
      const t0 = liveClock.nowNs();
      control.kill();
      let st = reader.tradingState().values;
      while (st.state !== TradingState.HALTED) {
        if (liveClock.nowNs() - t0 > 5e9) throw new Error(`trial ${trial}: no HALTED within 5 s`);
        // 20 µs naps, not a spin: on two cores a spinning reader would take the CPU the engine needs.
        napShort();
        st = reader.tradingState().values;
      }
      us.push((liveClock.nowNs() - t0) / 1000);
      publishedUs.push((st.changedNs! - t0) / 1000);
      if (st.reason !== TradingStateReason.KILL) throw new Error(`trial ${trial}: HALTED with reason ${st.reason}, not KILL`);
      for (let w = 0; !control.killSeen(); w++) {
        if (w > 5000) throw new Error(`trial ${trial}: the engine never acknowledged the kill`);
        await pause(1);
      }
      const seq = control.reset(token);
      for (let w = 0; !control.resetAcked(seq) || reader.tradingState().values.state !== TradingState.ACTIVE; w++) {
        if (w > 5000) throw new Error(`trial ${trial}: the engine never came back to ACTIVE after the reset`);
        await pause(1);
      }
    }
    } finally {
      await floor.stop();
    }
    const r = (x: number): number => Math.round(x * 10) / 10;
    const figures = (xs: readonly number[]): { p50: number; p99: number; max: number } => {
      const sorted = [...xs].sort((a, b) => a - b);
      return { p50: r(percentile(sorted, 0.5)), p99: r(percentile(sorted, 0.99)), max: r(sorted.at(-1)!) };
    };
    const published = figures(publishedUs);
    const wake = figures(floorUs);
    return {
      bench: 'kill', topology: o.topology, trials: o.trials,
      kill_to_halted_us: figures(us), kill_to_published_us: published,
      wake_floor_us: { ...wake, cpus: watcherCpus, priority, realtime: floor.realtime },
      published_over_floor: { p50: r(published.p50 / wake.p50), p99: r(published.p99 / wake.p99) },
    };
  });
}

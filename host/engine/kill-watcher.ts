// The kill watcher: a thread of the engine that does nothing but sleep on the segment's doorbell and, the
// moment a ring finds the kill word newly set, halt: the execution core's kill word (from then on the core
// refuses every order, and its next look cancels what works), HALTED (KILL) in the segment's state block, the
// kill acknowledged, and a wake for the execution thread so the cancels leave now. Sentinel still handles the
// same kill on its next turn (journal, event ring, log), finding the halt already published.
//
// Why a thread of its own: the cool thread that runs Sentinel is busy part of every millisecond (turns,
// publications, GC), and a kill that lands then waits; this thread is always asleep when the bell rings. It
// runs SCHED_FIFO (engine.killWatcherPriority; native/src/priority.cc) so that, when it wakes, no ordinary
// thread on its core stands before it: as an ordinary thread its wake took up to ~10 ms at the tail on this
// VM under load, as FIFO a few hundred µs. It only sleeps, so it can never starve its core.
//
// workerData: KillWatcherData. Messages to the main thread: {type:'pinned', cpus, tid, realtime},
// {type:'running'}, {type:'wake'} after a kill (the main thread wakes the execution thread).
import { parentPort, workerData } from 'node:worker_threads';
import { cpusAllowedList, nameThread } from '../platform/thread-identity.js';
import { liveClock } from '../platform/clock.js';
import { loadNative } from '../platform/native.js';
import { tightenTimerSlack } from '../platform/timer-slack.js';
import { SEGMENT_BYTES } from '../telemetry/segment-layout.js';
import { SegmentBlock } from '../telemetry/segment-block.js';
import { Doorbell } from '../telemetry/doorbell.js';
import { TradingStateBlock } from '../telemetry/trading-state-block.js';
import { acknowledgeKill } from '../telemetry/segment-writer.js';
import { ControlWord } from './stage-records.js';

export interface KillWatcherData {
  /** The engine's shared core memory (the execution core's kill word and the engine's control words live there). */
  readonly memory: WebAssembly.Memory;
  /** Int32 index of the execution core's kill word in `memory`. */
  readonly killWordIndex: number;
  /** Int32 index of the engine's control words (ControlWord) in `memory`. */
  readonly controlIndex: number;
  /** The telemetry segment's shared-memory name (it exists: Sentinel's worker created it). */
  readonly segment: string;
  /** CPUs to pin to (Sentinel's); empty: not pinned. */
  readonly cpus: readonly number[];
  /** SCHED_FIFO priority, 1..99; 0: an ordinary thread. */
  readonly priority: number;
}

/** The longest sleep between looks at the engine's STOP word, ns (a ring ends it at once). */
const STOP_LOOK_NS = 100e6;

function main(d: KillWatcherData): void {
  const addon = loadNative();
  if (d.cpus.length > 0) addon.setAffinity(d.cpus);
  const realtime = d.priority > 0 && addon.setRealtimePriority(d.priority);
  tightenTimerSlack();
  nameThread('tc-watch');
  parentPort!.postMessage({ type: 'pinned', cpus: cpusAllowedList(), tid: addon.gettid(), realtime });

  const core = new Int32Array(d.memory.buffer);
  const sab = addon.mapShared(d.segment, SEGMENT_BYTES);
  const bell = new Doorbell(sab);
  const control = new SegmentBlock(sab, 'control');
  const ack = new SegmentBlock(sab, 'ack');
  const ackBell = new Doorbell(sab, 'ack', 'ackBell');
  const state = new TradingStateBlock(sab, liveClock);
  const wake = { type: 'wake' };
  const halt = (): void => {
    Atomics.store(core, d.killWordIndex, 1);
  };
  parentPort!.postMessage({ type: 'running' });

  let handled = false;
  while (Atomics.load(core, d.controlIndex + ControlWord.STOP) === 0) {
    const rings = bell.rings(); // before the look: a ring after it ends the sleep at once
    const kill = control.get('kill') !== 0;
    if (kill && !handled) {
      handled = true;
      if (state.publishKill(halt)) {
        Atomics.add(core, d.controlIndex + ControlWord.KILLS, 1); // before the ack: a reset can only follow it
        acknowledgeKill(ack, ackBell, liveClock.nowNs(), true);
        Atomics.add(core, d.controlIndex + ControlWord.WAKE, 1);
        parentPort!.postMessage(wake);
      }
    } else if (!kill) {
      handled = false; // a reset cleared the word: the next kill is a new one
    }
    bell.sleep(rings, STOP_LOOK_NS);
  }
}

main(workerData as KillWatcherData);

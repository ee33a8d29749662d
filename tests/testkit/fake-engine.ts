// Test helper: an engine's control side without an engine: a /dev/shm telemetry segment whose heartbeat beats
// and whose control requests are answered every millisecond by the engine's real ControlResponder (kill →
// HALTED (KILL), reset → ACTIVE (RESET), flatten and parameters recorded). What the monitor and the control
// tools talk to in their tests. Not a test file.
import { liveClock } from '../../host/platform/clock.js';
import { TradingState, TradingStateReason } from '../../host/model/vocabulary.js';
import {
  ControlResponder, ControlWriter, SegmentReader, TelemetryPublisher, createSegmentFile, type EngineSegment,
} from '../../host/telemetry/index.js';

export interface Journaled { action: number; accepted: boolean; paramId: number; paramValue: number }

export interface FakeEngine {
  readonly segment: EngineSegment;
  readonly pub: TelemetryPublisher;
  readonly journal: Journaled[];
  readonly collars: number[];
  readonly params: { key: number; value: number }[];
  readonly reader: SegmentReader;
  readonly control: ControlWriter;
  /** Stops the heartbeat and the answers (the segment stays, as after a crash). */
  stop(): void;
}

/** `paramStatus`: what the engine answers a parameter with (0 applied). */
export function fakeEngine(name: string, token: string, paramStatus = (_key: number, _value: number): number => 0): FakeEngine {
  const segment = createSegmentFile(name, { pid: process.pid, clock: liveClock });
  const pub = new TelemetryPublisher(segment);
  const journal: Journaled[] = [];
  const collars: number[] = [];
  const params: { key: number; value: number }[] = [];
  const responder = new ControlResponder(segment, token, {
    kill: () => pub.publishTradingState(TradingState.HALTED, TradingStateReason.KILL),
    reset: () => {
      pub.publishTradingState(TradingState.ACTIVE, TradingStateReason.RESET);
      return true;
    },
    flatten: (collar) => {
      collars.push(collar);
      return true;
    },
    param: (key, value) => {
      const status = paramStatus(key, value);
      if (status === 0) params.push({ key, value });
      return status;
    },
    journal: (action, accepted, paramId, paramValue) => journal.push({ action, accepted, paramId, paramValue }),
  });
  const timer = setInterval(() => {
    pub.heartbeat();
    responder.poll();
  }, 1);
  return {
    segment, pub, journal, collars, params,
    reader: new SegmentReader(segment.sab, { clock: liveClock }), control: new ControlWriter(segment.sab),
    stop: () => clearInterval(timer),
  };
}

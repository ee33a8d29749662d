// What the monitor sends over /ws (docs/monitor.md "The WebSocket stream"): a hello, then telemetry frames.
// The view's shape is the host's own TelemetryView (imported as a type only, so no host code is bundled).
import type { TelemetryView } from '../../../host/telemetry/telemetry-view.js';
import type { ChoiceSpec, TunableSpec } from '../../../host/config/tunable-params.js';
import type { EngineEvent } from './alerts.js';
import type { JournalRecord } from './blotter.js';

export type { TelemetryView };

export type { TunableSpec };

export interface Hello {
  readonly type: 'hello';
  readonly symbols: readonly string[];
  readonly tunables: readonly TunableSpec[];
  readonly choices: readonly ChoiceSpec[];
  readonly streamHz: number;
  readonly journal: readonly JournalRecord[];
}

export type LinkStatus = 'up' | 'down' | 'absent' | 'incompatible';

export interface Link {
  readonly status: LinkStatus;
  readonly detail: string;
  readonly pid: number;
  readonly attaches: number;
}

export interface Frame {
  readonly type: 'telemetry';
  readonly seq: number;
  readonly wallMs: number;
  readonly link: Link;
  readonly view: TelemetryView | null;
  readonly events: readonly EngineEvent[];
  readonly eventsLost: number;
  readonly skipped: number;
}

/** The reconnect delay after `failures` failed attempts in a row: 0.5 s doubling up to 8 s. */
export function backoffMs(failures: number): number {
  return Math.min(8000, 500 * 2 ** Math.max(0, failures));
}

// The monitor's hold on the engine: its telemetry segment, mapped read-mostly, re-found whenever the engine
// restarts. The monitor never blocks the engine and never needs it: a missing segment, a stopped heartbeat or a
// layout this build does not know are states to show ("engine down", "incompatible"), not errors to die of.
// A restarted engine creates a new /dev/shm file under the same name (the old one is unlinked on a clean stop,
// or left behind by a crash), so while the engine is down the link looks at the file's identity (inode and
// creation time) every `retryMs` and maps the new one when it appears.
import { statSync } from 'node:fs';
import type { Clock } from '../host/platform/clock.js';
import {
  ControlWriter, SegmentError, SegmentReader, mapSegmentFile, readTelemetry, segmentPath, type TelemetryView,
} from '../host/telemetry/index.js';

export type LinkStatus =
  /** Mapped and the heartbeat moves. */
  | 'up'
  /** Mapped, but the heartbeat has stopped (engine stopped, crashed or hung). */
  | 'down'
  /** No segment file under the name: no engine has started, or it stopped cleanly. */
  | 'absent'
  /** A file is there but this build cannot read it (another layout version, not a segment). */
  | 'incompatible';

export interface LinkState {
  readonly status: LinkStatus;
  /** Why, for a person: the reader's error, or how long the heartbeat has been still. */
  readonly detail: string;
  /** The engine's pid from the segment header (0 while absent). */
  readonly pid: number;
  /** Maps and re-maps since the monitor started (1 after the first engine is found). */
  readonly attaches: number;
}

export interface EngineLinkOptions {
  /** POSIX shared-memory name, "/tradecore-engine". */
  readonly segment: string;
  readonly clock: Clock;
  /** Heartbeat silence after which the engine counts as down. Default 1000 ms. */
  readonly downAfterMs?: number;
  /** How often a missing or stale segment is looked for again. Default 500 ms. */
  readonly retryMs?: number;
}

interface Attached {
  readonly reader: SegmentReader;
  readonly control: ControlWriter;
  readonly identity: string;
}

export class EngineLink {
  private attached: Attached | null = null;
  private lastTryNs = Number.NEGATIVE_INFINITY;
  private lastError = '';
  private lastAbsent = true;
  private attachCount = 0;
  private readonly downAfterMs: number;
  private readonly retryNs: number;

  constructor(private readonly o: EngineLinkOptions) {
    this.downAfterMs = o.downAfterMs ?? 1000;
    this.retryNs = (o.retryMs ?? 500) * 1e6;
    if (!(this.downAfterMs > 0)) throw new RangeError(`downAfterMs must be > 0, got ${this.downAfterMs}`);
    if (!(this.retryNs > 0)) throw new RangeError(`retryMs must be > 0, got ${o.retryMs}`);
  }

  /** The file's identity, or null when there is none. */
  private identity(): string | null {
    try {
      const s = statSync(segmentPath(this.o.segment), { bigint: true });
      return `${s.ino}:${s.ctimeNs}`;
    } catch {
      return null;
    }
  }

  /** Maps the segment if there is none mapped or the engine behind the mapping is down and a new file is there. */
  private refresh(): void {
    const now = this.o.clock.nowNs();
    const a = this.attached;
    if (a && a.reader.liveness().up) return;
    if (now - this.lastTryNs < this.retryNs) return;
    this.lastTryNs = now;
    const id = this.identity();
    this.lastAbsent = id === null;
    if (id === null || (a && a.identity === id)) return;
    try {
      const sab = mapSegmentFile(this.o.segment);
      this.attached = {
        reader: new SegmentReader(sab, { clock: this.o.clock, engineDownAfterMs: this.downAfterMs, eventsFromStart: true }),
        control: new ControlWriter(sab),
        identity: id,
      };
      this.attachCount++;
      this.lastError = '';
    } catch (err) {
      if (!(err instanceof SegmentError)) throw err;
      this.lastError = err.message;
    }
  }

  state(): LinkState {
    this.refresh();
    const a = this.attached;
    if (this.lastError !== '' && (!a || !a.reader.liveness().up)) {
      return { status: 'incompatible', detail: this.lastError, pid: 0, attaches: this.attachCount };
    }
    if (!a) {
      return { status: 'absent', detail: `no telemetry segment ${segmentPath(this.o.segment)}: is the engine running?`, pid: 0, attaches: 0 };
    }
    const live = a.reader.liveness();
    const pid = a.reader.headerValues().enginePid ?? 0;
    if (live.up) return { status: 'up', detail: `engine pid ${pid}`, pid, attaches: this.attachCount };
    return {
      status: 'down',
      detail: `engine pid ${pid}: no heartbeat for ${(live.silentMs / 1000).toFixed(1)} s` + (this.lastAbsent ? ' (segment removed)' : ''),
      pid, attaches: this.attachCount,
    };
  }

  /** Every figure of the mapped segment (the last engine's, frozen, while it is down), or null before any. */
  view(): TelemetryView | null {
    this.refresh();
    return this.attached ? readTelemetry(this.attached.reader) : null;
  }

  /** The reader of the mapped segment (events, single blocks), or null. */
  reader(): SegmentReader | null {
    this.refresh();
    return this.attached?.reader ?? null;
  }

  /** The control side of the mapped segment, only while the engine is up (a request to a dead engine would
   *  wait in the control block for whichever engine maps it next), unless `evenIfDown`: the kill word is
   *  meant to wait there (an engine that maps the segment again halts at once). */
  control(evenIfDown = false): ControlWriter | null {
    // What state() says 'up' for, without building its answer (this stands before the kill word).
    this.refresh();
    const a = this.attached;
    if (!a) return null;
    return evenIfDown || a.reader.liveness().up ? a.control : null;
  }
}

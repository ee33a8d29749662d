// The engine's side of the telemetry segment: creates and initialises it, beats the heartbeat, publishes the
// seqlocked telemetry blocks, appends events, and reads the control block (which only the control side
// writes), acknowledging what it acted on in its own ack block. One writer per segment: the engine's cool
// worker. Off the hot path.
import { DEFAULT_ENGINE_PROCESS } from '../config/engine-config.js';
import type { Clock } from '../platform/clock.js';
import { mapShared } from '../platform/native.js';
import { TradingState, TradingStateReason } from '../model/vocabulary.js';
import {
  ControlStatus, EVENT_RECORD_BYTES, EVENT_RING_RECORDS, EventKind, MAX_SYMBOLS, RESET_TOKEN_WORDS, SEGMENT_BYTES, SEGMENT_LAYOUT_VERSION,
  SEGMENT_MAGIC,
} from './segment-layout.js';
import { SegmentBlock, type Snapshot } from './segment-block.js';
import { Doorbell } from './doorbell.js';
import { EventRingWriter, type EventValues } from './event-ring.js';
import { TradingStateBlock, type ShownState } from './trading-state-block.js';

export interface EngineSegmentOptions {
  /** Written to the header so tools can tell whose segment it is. */
  readonly pid: number;
  readonly clock: Clock;
}

/** What the control side asks for that the engine has not acknowledged yet. */
export interface ControlRequests {
  /** The kill word is set: trading must be (or stay) HALTED. */
  readonly kill: boolean;
  /** A reset request's sequence number, or 0 if none is pending. */
  readonly reset: number;
  /** The token the pending reset carries (RESET_TOKEN_WORDS words; control-token.ts compares it), or null. */
  readonly resetToken: readonly number[] | null;
  /** A flatten request's sequence number, or 0 if none is pending. */
  readonly flatten: number;
  /** The pending flatten's price collar, ticks from the touch (0: the engine's configured collar). */
  readonly flattenCollarTicks: number;
  /** A parameter write not yet acknowledged, or null. */
  readonly param: { readonly seq: number; readonly key: number; readonly value: number } | null;
}

/** Fields of a SymbolBlock (segment-layout.ts), any subset per publish. */
export type SymbolValues = Readonly<Record<string, number>>;

export class EngineSegment {
  readonly sab: SharedArrayBuffer;
  private readonly clock: Clock;
  private readonly header: SegmentBlock;
  private readonly control: SegmentBlock;
  private readonly ack: SegmentBlock;
  private readonly ackBell: Doorbell;
  private readonly state: TradingStateBlock;
  private readonly symbols: SegmentBlock[] = [];
  private readonly counters: SegmentBlock;
  private readonly ring: EventRingWriter;

  /** Initialise the segment over `sab` (zeroed first): every header field, then the magic last of all.
   *  If `sab` already holds a segment of this layout (a previous engine's), its control block is carried
   *  over: a kill word set before this engine started still halts it, while earlier reset, flatten and
   *  parameter requests are marked acknowledged (they were meant for the previous engine, not replayed). */
  constructor(sab: SharedArrayBuffer, options: EngineSegmentOptions) {
    if (sab.byteLength < SEGMENT_BYTES) {
      throw new RangeError(`telemetry segment: buffer of ${sab.byteLength} bytes, the layout needs ${SEGMENT_BYTES}`);
    }
    this.sab = sab;
    this.clock = options.clock;
    this.header = new SegmentBlock(sab, 'header');
    this.control = new SegmentBlock(sab, 'control');
    this.ack = new SegmentBlock(sab, 'ack');
    this.ackBell = new Doorbell(sab, 'ack', 'ackBell');
    const previous = this.header.get('magic') === SEGMENT_MAGIC && this.header.get('layoutVersion') === SEGMENT_LAYOUT_VERSION
      ? this.control.read() : null;
    new Uint8Array(sab, 0, SEGMENT_BYTES).fill(0);
    if (previous) {
      for (const name in previous) this.control.set(name, previous[name]!);
      this.ack.set('resetAck', previous.resetSeq!);
      this.ack.set('flattenAck', previous.flattenSeq!);
      this.ack.set('paramAck', previous.paramSeq!);
    }
    this.state = new TradingStateBlock(sab, this.clock);
    for (let i = 0; i < MAX_SYMBOLS; i++) this.symbols.push(new SegmentBlock(sab, 'symbols', i));
    this.counters = new SegmentBlock(sab, 'counters');
    this.ring = new EventRingWriter(sab);

    const h = this.header;
    h.set('totalBytes', SEGMENT_BYTES);
    h.set('enginePid', options.pid);
    h.set('maxSymbols', MAX_SYMBOLS);
    h.set('ringRecords', EVENT_RING_RECORDS);
    h.set('ringRecordBytes', EVENT_RECORD_BYTES);
    h.set('createdWallMs', this.clock.wallMs());
    h.set('heartbeatNs', this.clock.nowNs());
    this.state.initialise();
    h.set('layoutVersion', SEGMENT_LAYOUT_VERSION);
    h.set('magic', SEGMENT_MAGIC);
  }

  /** Advance the heartbeat (counter, then its monotonic stamp). Call it every few ms from a timer. */
  heartbeat(): number {
    this.header.set('heartbeatNs', this.clock.nowNs());
    return this.header.add('heartbeat', 1);
  }

  /** The state block (shared with the kill watcher: trading-state-block.ts) and a STATE_CHANGE event of what
   *  it shows. */
  publishTradingState(state: TradingState, reason: TradingStateReason): Readonly<ShownState> {
    const shown = this.state.publish(state, reason);
    this.ring.append({ kind: EventKind.STATE_CHANGE, tsNs: this.clock.nowNs(), code: shown.state, detail: shown.reason });
    return shown;
  }

  publishSymbol(index: number, values: Readonly<SymbolValues>): void {
    const block = this.symbols[index];
    if (!block) throw new RangeError(`publishSymbol: index ${index} outside [0, ${MAX_SYMBOLS})`);
    block.publish(values as Readonly<Snapshot>);
  }

  /** Counters: orders, fills, cancels, rejects, and refused<Code> for each RiskRefusal (REFUSAL_COUNTERS). */
  publishCounters(values: Readonly<Snapshot>): void {
    this.counters.publish(values);
  }

  appendEvent(values: Readonly<EventValues>): number {
    return this.ring.append(values);
  }

  /** Read the control block against the acks: what is pending. */
  pollControl(): ControlRequests {
    const c = this.control;
    const paramSeq = c.get('paramSeq');
    const resetSeq = c.get('resetSeq');
    const flattenSeq = c.get('flattenSeq');
    // The control side writes key and value, then the sequence; reading the sequence first means the key and
    // value read after it are at least that request's (the control side waits for the ack before the next).
    const param = paramSeq !== this.ack.get('paramAck') ? { seq: paramSeq, key: c.get('paramKey'), value: c.get('paramValue') } : null;
    const reset = resetSeq !== this.ack.get('resetAck') ? resetSeq : 0;
    const flatten = flattenSeq !== this.ack.get('flattenAck') ? flattenSeq : 0;
    let resetToken: number[] | null = null;
    if (reset !== 0) {
      resetToken = [];
      for (let i = 0; i < RESET_TOKEN_WORDS; i++) resetToken.push(c.get(`resetToken${i}`));
    }
    return {
      kill: c.get('kill') !== 0,
      reset,
      resetToken,
      flatten,
      flattenCollarTicks: flatten !== 0 ? c.get('flattenCollarTicks') : 0,
      param,
    };
  }

  /** The engine has halted on the kill word (1), or left the kill behind on a reset (0). */
  ackKill(seen: boolean): void {
    acknowledgeKill(this.ack, this.ackBell, this.clock.nowNs(), seen);
  }

  /** `status`: ControlStatus.OK (the engine left HALTED; killSeen cleared) or a refusal (BAD_TOKEN). */
  ackReset(seq: number, status: number = ControlStatus.OK): void {
    this.ack.set('ackNs', this.clock.nowNs());
    if (status === ControlStatus.OK) this.ack.set('killSeen', 0);
    this.ack.set('resetStatus', status);
    this.ack.set('resetAck', seq);
    this.ackBell.ring();
  }

  ackFlatten(seq: number, status: number = ControlStatus.OK): void {
    this.ack.set('ackNs', this.clock.nowNs());
    this.ack.set('flattenStatus', status);
    this.ack.set('flattenAck', seq);
    this.ackBell.ring();
  }

  /** `status`: 0 applied, negative: refused (the engine's code for why). */
  ackParam(seq: number, status: number): void {
    this.ack.set('ackNs', this.clock.nowNs());
    this.ack.set('paramStatus', status);
    this.ack.set('paramAck', seq);
    this.ackBell.ring();
  }
}

/** The kill's acknowledgement in the ack block (the engine's two kill handlers, Sentinel's and the watcher's,
 *  both give it), then the ack bell for a control side sleeping on its answer. */
export function acknowledgeKill(ack: SegmentBlock, ackBell: Doorbell, nowNs: number, seen: boolean): void {
  ack.set('ackNs', nowNs);
  ack.set('killSeen', seen ? 1 : 0);
  ackBell.ring();
}

/** The segment the tools read unless told otherwise: the engine config's default (config/engine.toml). */
export const DEFAULT_SEGMENT_NAME = DEFAULT_ENGINE_PROCESS.segment;

/** The path of a segment name ("/tradecore-...") under /dev/shm. */
export function segmentPath(name: string): string {
  return `/dev/shm${name}`;
}

/** Map (creating) /dev/shm `name` with the addon and initialise a fresh segment in it (a previous engine's
 *  segment of the same name is zeroed and rewritten). */
export function createSegmentFile(name: string, options: EngineSegmentOptions): EngineSegment {
  return new EngineSegment(mapShared(name, SEGMENT_BYTES), options);
}

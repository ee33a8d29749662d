// The readers' side of the telemetry segment (`npm run status`, the monitor, the control tools): refuses a
// segment it does not understand, takes seqlocked snapshots of the telemetry blocks, polls the event ring,
// and tells whether the engine is alive from its heartbeat, on an injected clock.
import { statSync } from 'node:fs';
import type { Clock } from '../platform/clock.js';
import { NS_PER_MS } from '../platform/clock.js';
import { mapShared } from '../platform/native.js';
import { MAX_SYMBOLS, SEGMENT_BYTES, SEGMENT_LAYOUT_VERSION, SEGMENT_MAGIC } from './segment-layout.js';
import { SegmentBlock, type Snapshot } from './segment-block.js';
import { EventRingReader } from './event-ring.js';
import { SeqlockRead } from './seqlock.js';
import { segmentPath } from './segment-writer.js';

/** A segment this reader will not read: not a segment, another layout version, or the wrong size. */
export class SegmentError extends Error {
  override readonly name = 'SegmentError';
}

function hex(n: number): string {
  return '0x' + (n >>> 0).toString(16).padStart(8, '0');
}

/** Throws SegmentError unless `sab` holds a segment of the layout this code knows. */
export function checkSegment(sab: SharedArrayBuffer, where = 'telemetry segment'): void {
  if (sab.byteLength < 64) throw new SegmentError(`${where}: ${sab.byteLength} bytes, too small for a header`);
  const header = new SegmentBlock(sab, 'header');
  const magic = header.get('magic');
  if (magic !== SEGMENT_MAGIC) {
    throw new SegmentError(
      `${where}: magic ${hex(magic)}, expected ${hex(SEGMENT_MAGIC)} ("TCTS"): not a tradecore telemetry segment` +
        (magic === 0 ? ' (or the engine has not finished creating it)' : ''),
    );
  }
  const version = header.get('layoutVersion');
  if (version !== SEGMENT_LAYOUT_VERSION) {
    throw new SegmentError(
      `${where}: layout version ${version}, this reader knows only version ${SEGMENT_LAYOUT_VERSION}; ` +
        'run the tools built with the engine that wrote it',
    );
  }
  const total = header.get('totalBytes');
  if (total !== SEGMENT_BYTES || sab.byteLength < SEGMENT_BYTES) {
    throw new SegmentError(`${where}: header says ${total} bytes, mapping has ${sab.byteLength}, layout version ${version} is ${SEGMENT_BYTES}`);
  }
}

/** Map an existing /dev/shm segment (never creating one) and check it. */
export function mapSegmentFile(name: string): SharedArrayBuffer {
  let size: number;
  try {
    size = statSync(segmentPath(name)).size;
  } catch {
    throw new SegmentError(`telemetry segment ${segmentPath(name)} does not exist: is the engine running?`);
  }
  if (size < SEGMENT_BYTES) throw new SegmentError(`telemetry segment ${segmentPath(name)}: ${size} bytes, layout version ${SEGMENT_LAYOUT_VERSION} needs ${SEGMENT_BYTES}`);
  const sab = mapShared(name, SEGMENT_BYTES);
  checkSegment(sab, `telemetry segment ${segmentPath(name)}`);
  return sab;
}

export interface ReaderOptions {
  readonly clock: Clock;
  /** The engine is "down" when its heartbeat counter has not moved for longer than this. Default 1000 ms. */
  readonly engineDownAfterMs?: number;
  /** Read events already in the ring (true) or only new ones (false, default). */
  readonly eventsFromStart?: boolean;
}

export interface Liveness {
  readonly up: boolean;
  readonly heartbeat: number;
  /** ms since this reader last saw the heartbeat advance (or since it opened the segment). */
  readonly silentMs: number;
}

export interface Reading {
  readonly status: SeqlockRead;
  /** The last consistent snapshot (kept as it was on TORN). The reader's own object, updated in place by the
   *  next read of the same block: copy it to keep it. */
  readonly values: Readonly<Snapshot>;
}

class Tracked {
  readonly values: Snapshot = {};
  private readonly scratch: Snapshot = {};
  constructor(private readonly block: SegmentBlock) {}
  read(maxRetries?: number): Reading {
    const status = this.block.snapshot(this.scratch, maxRetries);
    if (status === SeqlockRead.OK) Object.assign(this.values, this.scratch);
    return { status, values: this.values };
  }
}

export class SegmentReader {
  readonly sab: SharedArrayBuffer;
  readonly events: EventRingReader;
  private readonly clock: Clock;
  private readonly downAfterNs: number;
  private readonly header: SegmentBlock;
  private readonly control: SegmentBlock;
  private readonly ack: SegmentBlock;
  private readonly state: Tracked;
  private readonly symbols: Tracked[] = [];
  private readonly counterBlock: Tracked;
  private readonly tracked = new Map<string, Tracked>();
  private lastBeat: number;
  private lastBeatSeenNs: number;

  constructor(sab: SharedArrayBuffer, options: ReaderOptions) {
    checkSegment(sab);
    this.sab = sab;
    this.clock = options.clock;
    const downMs = options.engineDownAfterMs ?? 1000;
    if (!(downMs > 0)) throw new RangeError(`engineDownAfterMs must be > 0, got ${downMs}`);
    this.downAfterNs = downMs * NS_PER_MS;
    this.header = new SegmentBlock(sab, 'header');
    this.control = new SegmentBlock(sab, 'control');
    this.ack = new SegmentBlock(sab, 'ack');
    this.state = new Tracked(new SegmentBlock(sab, 'state'));
    for (let i = 0; i < MAX_SYMBOLS; i++) this.symbols.push(new Tracked(new SegmentBlock(sab, 'symbols', i)));
    this.counterBlock = new Tracked(new SegmentBlock(sab, 'counters'));
    this.events = new EventRingReader(sab, options.eventsFromStart ?? false);
    this.lastBeat = this.header.get('heartbeat');
    this.lastBeatSeenNs = this.clock.nowNs();
  }

  /** Header fields: magic, layoutVersion, totalBytes, enginePid, heartbeat, heartbeatNs, ... */
  headerValues(): Snapshot {
    return this.header.read();
  }

  /** Up while the heartbeat counter keeps moving; down once it has been still for longer than the threshold. */
  liveness(): Liveness {
    const now = this.clock.nowNs();
    const beat = this.header.get('heartbeat');
    if (beat !== this.lastBeat) {
      this.lastBeat = beat;
      this.lastBeatSeenNs = now;
    }
    const silentNs = now - this.lastBeatSeenNs;
    return { up: silentNs <= this.downAfterNs, heartbeat: beat, silentMs: silentNs / NS_PER_MS };
  }

  /** state (TradingState), reason (TradingStateReason), changes, changedNs. */
  tradingState(maxRetries?: number): Reading {
    return this.state.read(maxRetries);
  }

  symbol(index: number, maxRetries?: number): Reading {
    const t = this.symbols[index];
    if (!t) throw new RangeError(`symbol index ${index} outside [0, ${MAX_SYMBOLS})`);
    return t.read(maxRetries);
  }

  counters(maxRetries?: number): Reading {
    return this.counterBlock.read(maxRetries);
  }

  /** Seqlocked read of element `index` of any telemetry region (segment-layout.ts REGIONS), e.g. 'positions'. */
  block(regionName: string, index = 0, maxRetries?: number): Reading {
    const key = `${regionName}/${index}`;
    let t = this.tracked.get(key);
    if (!t) {
      t = new Tracked(new SegmentBlock(this.sab, regionName, index));
      this.tracked.set(key, t);
    }
    return t.read(maxRetries);
  }

  /** The control block and the engine's acks, word by word (each word is independent). */
  controlValues(): { control: Snapshot; ack: Snapshot } {
    return { control: this.control.read(), ack: this.ack.read() };
  }
}

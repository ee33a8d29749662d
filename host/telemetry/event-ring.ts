// The segment's event ring: EVENT_RING_RECORDS fixed 64-byte records (segment-layout.ts EventLayout) and a
// head counter, one writer (the engine's cool worker), any number of pollers, none of which the writer
// waits for. Event n (1, 2, ...) lives in record (n - 1) mod capacity.
//
// Writer, per event: store the record's `seq` = 0 (being rewritten), write the fields, store `seq` = n, then
// store head = n. All with Atomics (sequentially consistent; seqlock.ts), so a reader that sees head = n
// sees record n complete.
// Reader, per event n it wants: if head − n ≥ capacity the record was already overwritten (overrun); else load
// `seq`, copy the fields, load `seq` again: both must be n, otherwise the writer lapped the reader during the
// copy (overrun too). An overrun is reported as the number of events lost and the reader resumes at the
// oldest event still in the ring. head and seq wrap at 2^32; distances are taken modulo 2^32.
import { EVENT_RING_RECORDS } from './segment-layout.js';
import { SegmentBlock, type Snapshot } from './segment-block.js';

function records(sab: SharedArrayBuffer): SegmentBlock[] {
  const out: SegmentBlock[] = [];
  for (let i = 0; i < EVENT_RING_RECORDS; i++) out.push(new SegmentBlock(sab, 'events', i));
  return out;
}

/** The fields of an event a writer gives (seq is the ring's). */
export type EventValues = Partial<Record<'kind' | 'tsNs' | 'orderId' | 'symbolId' | 'side' | 'price' | 'qty' | 'code' | 'detail' | 'value', number>>;

export class EventRingWriter {
  private readonly head: SegmentBlock;
  private readonly recs: SegmentBlock[];
  private readonly names: readonly string[];

  constructor(sab: SharedArrayBuffer) {
    this.head = new SegmentBlock(sab, 'ringHead');
    this.recs = records(sab);
    this.names = this.recs[0]!.slots.map((s) => s.name).filter((n) => n !== 'seq');
  }

  /** Append one event; returns its number. */
  append(values: Readonly<EventValues>): number {
    const n = (this.head.get('head') + 1) >>> 0;
    const rec = this.recs[((n - 1) >>> 0) % EVENT_RING_RECORDS]!;
    rec.set('seq', 0);
    const v = values as Readonly<Record<string, number | undefined>>;
    for (const name of this.names) rec.set(name, v[name] ?? 0);
    rec.set('seq', n);
    this.head.set('head', n);
    return n;
  }
}

export interface PollResult {
  /** Events read, oldest first. */
  readonly events: Snapshot[];
  /** Events overwritten before this reader got to them. */
  readonly lost: number;
}

export class EventRingReader {
  private readonly head: SegmentBlock;
  private readonly recs: SegmentBlock[];
  /** Number of the last event consumed (or skipped). */
  private cursor: number;

  /** `fromStart`: read what the ring still holds; else only events appended from now on. */
  constructor(sab: SharedArrayBuffer, fromStart = false) {
    this.head = new SegmentBlock(sab, 'ringHead');
    this.recs = records(sab);
    const head = this.head.get('head');
    this.cursor = fromStart ? (head > EVENT_RING_RECORDS ? head - EVENT_RING_RECORDS : 0) : head;
  }

  /** Everything appended since the last poll, at most `max` events. */
  poll(max = EVENT_RING_RECORDS): PollResult {
    const events: Snapshot[] = [];
    let lost = 0;
    const head = this.head.get('head');
    while (events.length < max && this.cursor !== head) {
      const n = (this.cursor + 1) >>> 0;
      const behind = (head - this.cursor) >>> 0;
      if (behind > EVENT_RING_RECORDS) {
        const skip = behind - EVENT_RING_RECORDS;
        lost += skip;
        this.cursor = (this.cursor + skip) >>> 0;
        continue;
      }
      const rec = this.recs[((n - 1) >>> 0) % EVENT_RING_RECORDS]!;
      const before = rec.get('seq');
      const copy = before === n ? rec.read() : null;
      if (copy === null || rec.get('seq') !== n) {
        // Lapped during the copy: this event is gone; the next poll re-reads head and skips ahead.
        lost += 1;
        this.cursor = n;
        continue;
      }
      events.push(copy);
      this.cursor = n;
    }
    return { events, lost };
  }
}

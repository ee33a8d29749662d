// The control side of the segment (`npm run kill`, `flatten`, `reset`, later the monitor): the only writer
// of the control block. The engine never writes it; it answers in its ack block (segment-writer.ts).
//   kill:    set the kill word to 1. The engine halts (HALTED, reason KILL, every working order cancelled)
//            and sets ack.killSeen = 1. The word stays set, across an engine restart too
//            (segment-writer.ts carries the control block over): a restarted engine halts again.
//   reset:   clear the kill word, then bump resetSeq; the engine acknowledges with ack.resetAck = resetSeq.
//            (Issue 8 point 4: the reset tool checks the engine's control token before calling this.)
//   flatten: bump flattenSeq; the engine exits its positions (reduce-only) and sets ack.flattenAck.
//   param:   a one-slot mailbox: write paramKey and paramValue, then bump paramSeq; the engine applies it and
//            sets ack.paramAck = paramSeq and ack.paramStatus. A new value is refused until the last one is
//            acknowledged, so the engine never reads a key of one request with the value of another.
// Every word is written with Atomics (sequentially consistent, seqlock.ts), the sequence number last.
import { SegmentBlock } from './segment-block.js';
import { SegmentError, checkSegment } from './segment-reader.js';

export class ControlWriter {
  private readonly control: SegmentBlock;
  private readonly ack: SegmentBlock;

  constructor(sab: SharedArrayBuffer) {
    checkSegment(sab);
    this.control = new SegmentBlock(sab, 'control');
    this.ack = new SegmentBlock(sab, 'ack');
  }

  kill(): void {
    this.control.set('kill', 1);
  }

  /** True once the engine has halted on the kill word. */
  killSeen(): boolean {
    return this.ack.get('killSeen') === 1;
  }

  /** Clears the kill word and asks for a reset; returns the request's sequence number. */
  reset(): number {
    this.control.set('kill', 0);
    return this.control.add('resetSeq', 1);
  }

  resetAcked(seq: number): boolean {
    return this.ack.get('resetAck') === seq;
  }

  flatten(): number {
    return this.control.add('flattenSeq', 1);
  }

  flattenAcked(seq: number): boolean {
    return this.ack.get('flattenAck') === seq;
  }

  /** Post a parameter change; throws SegmentError while the previous one is unacknowledged. */
  postParam(key: number, value: number): number {
    const pending = this.control.get('paramSeq');
    if (pending !== this.ack.get('paramAck')) {
      throw new SegmentError(`parameter mailbox busy: request ${pending} not acknowledged by the engine yet`);
    }
    this.control.set('paramKey', key);
    this.control.set('paramValue', value);
    return this.control.add('paramSeq', 1);
  }

  /** The engine's status for request `seq` (0 applied, negative refused), or null if not acknowledged yet. */
  paramResult(seq: number): number | null {
    return this.ack.get('paramAck') === seq ? this.ack.get('paramStatus') : null;
  }
}

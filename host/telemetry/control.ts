// The control side of the segment (`npm run kill`, `flatten`, `reset`, and the monitor): the only writer
// of the control block. The engine never writes it; it answers in its ack block (segment-writer.ts).
//   kill:    set the kill word to 1. The engine halts (HALTED, reason KILL, every working order cancelled)
//            and sets ack.killSeen = 1. The word stays set, across an engine restart too
//            (segment-writer.ts carries the control block over): a restarted engine halts again.
//   reset:   write the control token (control-token.ts), clear the kill word, then bump resetSeq; the engine
//            checks the token and answers ack.resetStatus, then ack.resetAck = resetSeq.
//   flatten: write the price collar, bump flattenSeq; the engine exits its positions (reduce-only) and sets
//            ack.flattenStatus, then ack.flattenAck.
//   param:   a one-slot mailbox: write paramKey and paramValue, then bump paramSeq; the engine applies it and
//            sets ack.paramAck = paramSeq and ack.paramStatus. A new value is refused until the last one is
//            acknowledged, so the engine never reads a key of one request with the value of another.
// Every word is written with Atomics (sequentially consistent, seqlock.ts), the sequence number last; then
// the doorbell rings (doorbell.ts), so the engine acts now rather than at its next turn.
import { SegmentBlock } from './segment-block.js';
import { RESET_TOKEN_WORDS } from './segment-layout.js';
import { tokenWords } from './control-token.js';
import { SegmentError, checkSegment } from './segment-reader.js';
import { Doorbell } from './doorbell.js';

export class ControlWriter {
  private readonly control: SegmentBlock;
  private readonly ack: SegmentBlock;
  private readonly doorbell: Doorbell;
  private readonly ackBell: Doorbell;

  constructor(sab: SharedArrayBuffer) {
    checkSegment(sab);
    this.control = new SegmentBlock(sab, 'control');
    this.ack = new SegmentBlock(sab, 'ack');
    this.doorbell = new Doorbell(sab);
    this.ackBell = new Doorbell(sab, 'ack', 'ackBell');
  }

  /** The engine's acknowledgements so far; read it before checking for an answer, then `sleepForAck` with it. */
  ackRings(): number {
    return this.ackBell.rings();
  }

  /** Sleeps (blocking the thread) until the engine acknowledges something after `seen`, at most `timeoutNs`. */
  sleepForAck(seen: number, timeoutNs: number): void {
    this.ackBell.sleep(seen, timeoutNs);
  }

  kill(): void {
    this.control.set('kill', 1);
    this.doorbell.ring();
  }

  /** True once the engine has halted on the kill word. */
  killSeen(): boolean {
    return this.ack.get('killSeen') === 1;
  }

  /** True while the kill word is set. */
  killSet(): boolean {
    return this.control.get('kill') !== 0;
  }

  /** Writes `token` (null: none, which an engine checking tokens refuses), clears the kill word and asks for a
   *  reset; returns the request's sequence number. */
  reset(token: string | null = null): number {
    const words = token === null ? null : tokenWords(token);
    for (let i = 0; i < RESET_TOKEN_WORDS; i++) this.control.set(`resetToken${i}`, words ? words[i]! : 0);
    this.control.set('kill', 0);
    const seq = this.control.add('resetSeq', 1);
    this.doorbell.ring();
    return seq;
  }

  resetAcked(seq: number): boolean {
    return this.ack.get('resetAck') === seq;
  }

  /** The engine's ControlStatus for the last acknowledged reset. */
  resetStatus(): number {
    return this.ack.get('resetStatus');
  }

  /** Asks the engine to exit its positions, reduce-only, within `collarTicks` of the touch (0: its configured
   *  collar); returns the request's sequence number. */
  flatten(collarTicks = 0): number {
    if (!Number.isInteger(collarTicks) || collarTicks < 0 || collarTicks > 0x7fffffff) {
      throw new RangeError(`flatten collar must be an integer number of ticks in [0, 2147483647], got ${collarTicks}`);
    }
    this.control.set('flattenCollarTicks', collarTicks);
    const seq = this.control.add('flattenSeq', 1);
    this.doorbell.ring();
    return seq;
  }

  flattenAcked(seq: number): boolean {
    return this.ack.get('flattenAck') === seq;
  }

  /** The engine's ControlStatus for the last acknowledged flatten. */
  flattenStatus(): number {
    return this.ack.get('flattenStatus');
  }

  /** Post a parameter change; throws SegmentError while the previous one is unacknowledged. */
  postParam(key: number, value: number): number {
    const pending = this.control.get('paramSeq');
    if (pending !== this.ack.get('paramAck')) {
      throw new SegmentError(`parameter mailbox busy: request ${pending} not acknowledged by the engine yet`);
    }
    this.control.set('paramKey', key);
    this.control.set('paramValue', value);
    const seq = this.control.add('paramSeq', 1);
    this.doorbell.ring();
    return seq;
  }

  /** The engine's status for request `seq` (0 applied, negative refused), or null if not acknowledged yet. */
  paramResult(seq: number): number | null {
    return this.ack.get('paramAck') === seq ? this.ack.get('paramStatus') : null;
  }
}

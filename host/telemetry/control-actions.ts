// The control requests as whole actions: write the control block (control.ts), wait for the engine's
// acknowledgement, and say what happened. Shared by the command-line tools (`npm run kill|flatten|reset`) and
// the monitor's /api routes, so both wait, time out and explain the same way.
//   kill:    the word stays set even if the engine does not answer: an engine that comes back halts at once.
//   reset:   if the engine refuses or does not answer, the kill word is set back as it was.
//   param:   refused while the one-slot mailbox still holds an unacknowledged request.
import { TradingState, TradingStateReason } from '../model/vocabulary.js';
import type { Clock } from '../platform/clock.js';
import { ControlStatus } from './segment-layout.js';
import type { ControlWriter } from './control.js';
import type { SegmentReader } from './segment-reader.js';
import { SegmentError } from './segment-reader.js';
import { SegmentBlock } from './segment-block.js';

export interface ControlDone {
  readonly ok: true;
  /** From writing the request to seeing the engine's answer. */
  readonly ms: number;
  /** The trading state (TradingState) and reason read right after the answer. */
  readonly state: number;
  readonly reason: number;
  /** For a parameter: the engine's status (0 applied). */
  readonly status: number;
}

export interface ControlFailure {
  readonly ok: false;
  /** refused: the engine said no; bad_token: a reset with the wrong token; no_answer: nothing within the
   *  timeout; busy: the parameter mailbox still holds an unacknowledged request. */
  readonly why: 'refused' | 'bad_token' | 'no_answer' | 'busy';
  readonly message: string;
  readonly ms: number;
  readonly status: number;
}

export type ControlOutcome = ControlDone | ControlFailure;

const STATE = new Map(Object.entries(TradingState).map(([k, v]) => [v as number, k]));
const REASON = new Map(Object.entries(TradingStateReason).map(([k, v]) => [v as number, k]));

/** "HALTED (KILL)". */
export function describeState(state: number, reason: number): string {
  return `${STATE.get(state) ?? `#${state}`} (${REASON.get(reason) ?? `#${reason}`})`;
}

/** How long a wait blocks this thread (looking, or sleeping on the engine's ack bell) before it falls back to
 *  looking on timers (an engine that does not answer must not hold the monitor's event loop). */
const BLOCK_MS = 5;

export interface ControlWaitOptions {
  /** How long to look for the answer without sleeping before sleeping on the ack bell, ms (≤ 5; default 0).
   *  Only for a thread on a core the engine's control watcher does not use: there, looking costs the engine
   *  nothing and spares the wake-up of a sleeping thread (on this VM ~0.1 ms, with a tail of ~1 ms); on the
   *  watcher's core it would take the core the answer needs. */
  readonly spinMs?: number;
}

export class ControlActions {
  private readonly spinNs: number;
  /** The trading-state block: its seqlock version moves with every publication of the state. */
  private readonly stateBlock: SegmentBlock;

  constructor(
    private readonly control: ControlWriter,
    private readonly reader: SegmentReader,
    private readonly clock: Clock,
    o: ControlWaitOptions = {},
  ) {
    const spinMs = o.spinMs ?? 0;
    if (!(spinMs >= 0 && spinMs <= BLOCK_MS)) throw new RangeError(`spinMs must be in [0, ${BLOCK_MS}], got ${spinMs}`);
    this.spinNs = spinMs * 1e6;
    this.stateBlock = new SegmentBlock(reader.sab, 'state');
  }

  private async waitFor(done: () => boolean, timeoutMs: number): Promise<boolean> {
    const start = this.clock.nowNs();
    const until = start + timeoutMs * 1e6;
    // The engine answers within a fraction of a millisecond and rings the ack bell when it does. First look
    // without sleeping for spinNs (when the caller's core is not the watcher's), then sleep on the bell (the
    // thread gives its core to the engine, which may share it), up to BLOCK_MS in all. Blocking the event loop
    // that long is the price of a control action answered at once; they are rare. After that, look every 1 ms
    // on a timer until the timeout.
    const blockUntil = Math.min(until, start + BLOCK_MS * 1e6);
    const spinUntil = Math.min(blockUntil, start + this.spinNs);
    for (;;) {
      const seen = this.control.ackRings();
      const published = this.stateBlock.get('version');
      if (done()) return true;
      const now = this.clock.nowNs();
      if (now >= blockUntil) break;
      if (now < spinUntil) this.lookForAnswer(seen, published, spinUntil);
      else this.control.sleepForAck(seen, blockUntil - now);
    }
    while (!done()) {
      if (this.clock.nowNs() >= until) return false;
      await new Promise<void>((r) => setTimeout(r, 1));
    }
    return true;
  }

  /** Looks until the ack bell rings after `seen`, the trading state is published again after `published` (a
   *  kill's HALTED comes before the engine's ack), or the clock passes `untilNs`. A look is two word loads
   *  (nothing allocated, so no collection mid-wait); the clock is read every 256 looks. */
  private lookForAnswer(seen: number, published: number, untilNs: number): void {
    for (let n = 1; this.control.ackRings() === seen && this.stateBlock.get('version') === published; n++) {
      if ((n & 255) === 0 && this.clock.nowNs() >= untilNs) return;
    }
  }

  private done(t0: number, status = 0): ControlDone {
    const s = this.reader.tradingState().values;
    return { ok: true, ms: (this.clock.nowNs() - t0) / 1e6, state: s.state!, reason: s.reason!, status };
  }

  private failed(why: ControlFailure['why'], message: string, t0: number, status = 0): ControlFailure {
    return { ok: false, why, message, ms: (this.clock.nowNs() - t0) / 1e6, status };
  }

  private noAnswer(what: string, timeoutMs: number, after: string, t0: number): ControlFailure {
    const l = this.reader.liveness();
    const why = l.up ? 'its heartbeat moves, but it did not act on the request'
      : `its heartbeat has not moved for ${(l.silentMs / 1000).toFixed(1)} s: is the engine running?`;
    return this.failed('no_answer', `${what}: no acknowledgement from the engine within ${timeoutMs} ms (${why}). ${after}`.trim(), t0);
  }

  /** Kill word → HALTED seen in telemetry: acknowledged (killSeen), or published with reason KILL after the word
   *  was written. The engine publishes HALTED first, then writes its journal and log lines, then acknowledges;
   *  the publication is the answer, seen sooner. "After": the state's change count has moved since just after
   *  the write (HALTED (KILL) can still show from the last kill for a moment after a reset; read before the
   *  engine acted, the count tells them apart; read after, the answer waits for the ack). */
  async kill(timeoutMs: number): Promise<ControlOutcome> {
    // The change count before the word: the engine's kill watcher may publish within microseconds of it.
    const changes = this.reader.tradingState().values.changes;
    const t0 = this.clock.nowNs();
    this.control.kill();
    const ok = await this.waitFor(() => {
      const s = this.reader.tradingState().values;
      return s.state === TradingState.HALTED && (this.control.killSeen() || (s.reason === TradingStateReason.KILL && s.changes !== changes));
    }, timeoutMs);
    if (!ok) return this.noAnswer('kill word set', timeoutMs, 'The word stays set: the engine halts as soon as it reads it.', t0);
    return this.done(t0);
  }

  /** Reduce-only exit of every position within `collarTicks` of the touch (0: the engine's configured collar). */
  async flatten(collarTicks: number, timeoutMs: number): Promise<ControlOutcome> {
    const t0 = this.clock.nowNs();
    const seq = this.control.flatten(collarTicks);
    if (!(await this.waitFor(() => this.control.flattenAcked(seq), timeoutMs))) {
      return this.noAnswer(`flatten request ${seq}`, timeoutMs, 'The request stays pending.', t0);
    }
    const status = this.control.flattenStatus();
    if (status !== ControlStatus.OK) return this.failed('refused', `flatten refused by the engine (status ${status})`, t0, status);
    return this.done(t0, status);
  }

  /** Leave HALTED with the engine's control token. */
  async reset(token: string, timeoutMs: number): Promise<ControlOutcome> {
    const t0 = this.clock.nowNs();
    const killWasSet = this.control.killSet();
    const seq = this.control.reset(token);
    const restore = (): string => {
      if (!killWasSet) return '';
      this.control.kill();
      return ' The kill word is set again.';
    };
    if (!(await this.waitFor(() => this.control.resetAcked(seq), timeoutMs))) {
      return this.noAnswer(`reset request ${seq}`, timeoutMs, restore().trim(), t0);
    }
    const status = this.control.resetStatus();
    if (status === ControlStatus.BAD_TOKEN) return this.failed('bad_token', `reset refused by the engine: wrong control token.${restore()}`, t0, status);
    if (status !== ControlStatus.OK) return this.failed('refused', `reset refused by the engine (status ${status}).${restore()}`, t0, status);
    return this.done(t0, status);
  }

  /** One parameter through the mailbox (ExecParam code, the core's integer value). */
  async param(param: number, value: number, timeoutMs: number): Promise<ControlOutcome> {
    const t0 = this.clock.nowNs();
    let seq: number;
    try {
      seq = this.control.postParam(param, value);
    } catch (err) {
      if (err instanceof SegmentError) return this.failed('busy', err.message, t0);
      throw err;
    }
    if (!(await this.waitFor(() => this.control.paramResult(seq) !== null, timeoutMs))) {
      return this.noAnswer(`parameter request ${seq}`, timeoutMs, 'The request stays in the mailbox.', t0);
    }
    const status = this.control.paramResult(seq)!;
    if (status !== 0) return this.failed('refused', `parameter ${param} = ${value} refused by the engine (status ${status})`, t0, status);
    return this.done(t0, status);
  }
}

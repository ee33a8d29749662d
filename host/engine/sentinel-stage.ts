// Sentinel on the cool side: the part of the engine's safety and observability that is not inline in the
// execution core. It owns the telemetry segment (the one writer), and per turn of the cool loop:
//   - watches the segment's kill word; when it is set, stores the execution core's kill word (the core
//     refuses every order from then on and cancels what works), wakes the execution thread so the cancels
//     leave now, publishes HALTED (reason KILL) and acknowledges;
//   - passes flatten, reset (only with the engine's control token) and parameter requests to the execution
//     thread through the engine's control words and acknowledges each when execution answers;
//   - drains the event ring: the journal (every order event, fill with its charges, refusal, state change
//     and control action), the segment's event ring and counters, and the latency samples;
//   - publishes the trading state on every change, and the rest of the telemetry ~telemetryHz times a second.
import type { CoreExports } from '../core/core.js';
import type { Clock } from '../platform/clock.js';
import { RiskRefusal, TradingState, TradingStateReason } from '../model/vocabulary.js';
import { ControlAction } from '../journal/records.js';
import type { JournalWriter } from '../journal/journal-writer.js';
import { EngineSegment } from '../telemetry/segment-writer.js';
import { SegmentBlock } from '../telemetry/segment-block.js';
import { ControlStatus, EventKind as SegEvent, REFUSAL_COUNTERS, GATE_INPUTS } from '../telemetry/segment-layout.js';
import { tokenMatches } from '../telemetry/control-token.js';
import { TrustCheck } from '../../build/core-constants.js';
import type { EngineLayout } from './engine-memory.js';
import { ControlWord, Ev, EventKind, GATE_STALE_BIT, type RecordViews } from './stage-records.js';
import type { LatencySamples } from './latency-samples.js';
import type { Logger } from './engine-log.js';

const DRAIN_BATCH = 4096;
const NO_STATE = -1;

export interface SentinelOptions {
  readonly core: CoreExports;
  readonly views: RecordViews;
  readonly layout: EngineLayout;
  readonly control: Int32Array;
  readonly segment: EngineSegment;
  readonly journal: JournalWriter | null;
  readonly latency: LatencySamples;
  readonly clock: Clock;
  readonly log: Logger;
  /** The engine's control token: a reset must carry it. */
  readonly controlToken: string;
  readonly telemetryHz: number;
  /** Levels the Oracle weighs (its per-level imbalance vector's length). */
  readonly oracleLevels: number;
  /** Sonar's per-symbol readings when it runs in this thread (fused); else read from shared memory. */
  readonly entropyScore?: (index: number) => number;
}

export class SentinelStage {
  /** Counts of what went through the event ring. */
  readonly counts = { orders: 0, cancels: 0, replaces: 0, acks: 0, rejects: 0, fills: 0, canceled: 0, filledQty: 0 };
  private readonly core: CoreExports;
  private readonly v: RecordViews;
  private readonly layout: EngineLayout;
  private readonly control: Int32Array;
  private readonly segment: EngineSegment;
  private readonly killBlock: SegmentBlock;
  private readonly clock: Clock;
  private killSeen = false;
  private lastState = NO_STATE;
  private lastReason = NO_STATE;
  private readonly refusals: Uint32Array;
  private readonly tickPaise: Int32Array;
  private nextPublishNs = 0;
  private readonly periodNs: number;
  private pending = { flatten: 0, reset: 0, param: 0 };
  private readonly costOut: number;

  constructor(private readonly o: SentinelOptions) {
    this.core = o.core;
    this.v = o.views;
    this.layout = o.layout;
    this.control = o.control;
    this.segment = o.segment;
    this.killBlock = new SegmentBlock(o.segment.sab, 'control');
    this.clock = o.clock;
    this.refusals = new Uint32Array(32);
    this.tickPaise = new Int32Array(65536);
    this.periodNs = 1e9 / o.telemetryHz;
    this.costOut = o.layout.coolScratch.offset;
  }

  /** One turn: kill word first (the latency that matters), then control requests, events, telemetry. */
  turn(nowNs: number): void {
    this.watchKill();
    this.drainEvents();
    this.watchState();
    if (nowNs >= this.nextPublishNs) {
      this.nextPublishNs = nowNs + this.periodNs;
      this.pollRequests();
      this.publish(nowNs);
      this.o.journal?.flush();
    }
  }

  /** The last turn before the thread ends: everything still in the ring, a final publication, the journal closed. */
  finish(): void {
    for (let i = 0; i < 64 && this.drainEvents() === DRAIN_BATCH; i++) { /* more */ }
    this.watchState();
    this.publish(this.clock.nowNs());
    this.o.journal?.flush();
    this.o.journal?.close();
  }

  /** Wakes the execution thread (its waitAsync on the WAKE word). */
  private wake(): void {
    Atomics.add(this.control, ControlWord.WAKE, 1);
    Atomics.notify(this.control, ControlWord.WAKE);
  }

  private watchKill(): void {
    const kill = this.killBlock.get('kill') !== 0;
    if (kill === this.killSeen) return;
    this.killSeen = kill;
    if (!kill) return; // cleared by a reset request, handled with it
    Atomics.store(this.v.i32, this.core.execKillAddress(this.layout.exec) >>> 2, 1);
    this.wake();
    this.lastState = TradingState.HALTED;
    this.lastReason = TradingStateReason.KILL;
    this.segment.publishTradingState(TradingState.HALTED, TradingStateReason.KILL);
    this.segment.ackKill(true);
    const now = this.clock.nowNs();
    this.o.journal?.Control(now, ControlAction.KILL, 1, 0, 0);
    this.o.journal?.TradingState(now, TradingState.HALTED, TradingState.ACTIVE, TradingStateReason.KILL);
    this.o.log.warn('kill word set: HALTED, cancelling every working order');
  }

  /** Trading-state changes the core made (RTT lockdown, breaker, daily loss, worker death, reset). */
  private watchState(): void {
    const core = this.core;
    let state = core.execTradingState(this.layout.exec);
    let reason = core.execTradingReason(this.layout.exec);
    const halt = Atomics.load(this.control, ControlWord.HALT_REASON);
    if (halt !== 0) {
      state = TradingState.HALTED;
      reason = halt;
    } else if (state === TradingState.HALTED && this.killSeen) {
      reason = TradingStateReason.KILL;
    }
    if (state === this.lastState && reason === this.lastReason) return;
    const previous = this.lastState === NO_STATE ? TradingState.ACTIVE : this.lastState;
    this.lastState = state;
    this.lastReason = reason;
    this.segment.publishTradingState(state as TradingState, reason as TradingStateReason);
    this.o.journal?.TradingState(this.clock.nowNs(), state, previous, reason);
  }

  private pollRequests(): void {
    const req = this.segment.pollControl();
    const c = this.control;
    if (req.flatten !== 0 && req.flatten !== this.pending.flatten) {
      this.pending.flatten = req.flatten;
      Atomics.store(c, ControlWord.FLATTEN_COLLAR, req.flattenCollarTicks);
      Atomics.store(c, ControlWord.FLATTEN_REQ, req.flatten);
      this.wake();
    }
    if (req.reset !== 0 && req.reset !== this.pending.reset) {
      this.pending.reset = req.reset;
      if (req.resetToken && tokenMatches(this.o.controlToken, req.resetToken)) {
        Atomics.store(c, ControlWord.HALT_REASON, 0);
        Atomics.store(c, ControlWord.RESET_REQ, req.reset);
        this.wake();
      } else {
        this.segment.ackReset(req.reset, ControlStatus.BAD_TOKEN);
        this.o.journal?.Control(this.clock.nowNs(), ControlAction.RESET, 0, 0, 0);
        this.o.log.warn({ seq: req.reset }, 'reset refused: the request does not carry the control token');
      }
    }
    if (req.param && req.param.seq !== this.pending.param) {
      this.pending.param = req.param.seq;
      Atomics.store(c, ControlWord.PARAM_KEY, req.param.key);
      Atomics.store(c, ControlWord.PARAM_VALUE_LO, req.param.value % 4294967296);
      Atomics.store(c, ControlWord.PARAM_VALUE_HI, Math.floor(req.param.value / 4294967296));
      Atomics.store(c, ControlWord.PARAM_REQ, req.param.seq);
      this.wake();
    }
  }

  /** Handles up to DRAIN_BATCH events; returns how many. */
  private drainEvents(): number {
    const core = this.core;
    const ring = this.layout.events;
    const { u32, i32, f64, u8 } = this.v;
    const j = this.o.journal;
    const seg = this.segment;
    let n = 0;
    for (; n < DRAIN_BATCH; n++) {
      const at = core.ringPeek(ring);
      if (at === 0) break;
      const kind = u32[at >>> 2]!;
      const index = i32[(at >>> 2) + 1]!;
      const ts = f64[(at >>> 3) + 1]!;
      const id = f64[(at + Ev.ID) >>> 3]!;
      const id2 = f64[(at + Ev.ID2) >>> 3]!;
      const price = i32[(at + Ev.PRICE) >>> 2]!;
      const qty = i32[(at + Ev.QTY) >>> 2]!;
      const side = u8[at + Ev.SIDE]!;
      const symbol = u32[(at + Ev.SYMBOL) >>> 2]!;
      const x = f64[(at + Ev.X) >>> 3]!;
      switch (kind) {
        case EventKind.ORDER_NEW:
          this.counts.orders++;
          j?.OrderNew(ts, id, symbol, side, u8[at + Ev.KIND]!, u8[at + Ev.TIF]!, price, qty);
          seg.appendEvent({ kind: SegEvent.ORDER, tsNs: ts, orderId: id, symbolId: symbol, side, price, qty });
          break;
        case EventKind.ORDER_CANCEL:
          this.counts.cancels++;
          j?.OrderCancel(ts, id, id2, symbol);
          break;
        case EventKind.ORDER_REPLACE:
          this.counts.replaces++;
          j?.OrderReplace(ts, id, id2, symbol, price, qty);
          break;
        case EventKind.ACK:
          this.counts.acks++;
          j?.Ack(ts, id, id2, symbol);
          if (x > 0) this.o.latency.rtt(x);
          break;
        case EventKind.REJECT:
          this.counts.rejects++;
          j?.Reject(ts, id, symbol, price, qty);
          seg.appendEvent({ kind: SegEvent.REJECT, tsNs: ts, orderId: id, code: price, detail: qty });
          break;
        case EventKind.FILL: {
          this.counts.fills++;
          this.counts.filledQty += qty;
          const tick = f64[(at + Ev.Y) >>> 3]!;
          const charges = tick > 0
            ? Number(core.costFill(core.execCostAddress(this.layout.exec), side, BigInt(price * tick), BigInt(qty), this.costOut))
            : 0;
          j?.Fill(ts, id, id2, symbol, side, price, qty, x, charges);
          seg.appendEvent({ kind: SegEvent.FILL, tsNs: ts, orderId: id, symbolId: symbol, side, price, qty, value: charges });
          break;
        }
        case EventKind.CANCELED:
          this.counts.canceled++;
          j?.Canceled(ts, id, symbol, price, qty);
          seg.appendEvent({ kind: SegEvent.CANCEL, tsNs: ts, orderId: id, symbolId: symbol, qty, code: price });
          break;
        case EventKind.REPLACED:
          j?.Ack(ts, id, id2, symbol);
          break;
        case EventKind.LATENCY:
          this.o.latency.decision(ts, f64[(at + Ev.TV) >>> 3]!, f64[(at + Ev.T1) >>> 3]!, f64[(at + Ev.T2) >>> 3]!,
            f64[(at + Ev.T3) >>> 3]!, f64[(at + Ev.T4) >>> 3]!);
          break;
        case EventKind.CONTROL_DONE:
          this.controlDone(id, id2, price, ts);
          break;
        case EventKind.SESSION:
          if (x > 0) this.o.latency.rtt(x);
          break;
      }
      void index;
      core.ringRelease(ring);
    }
    return n;
  }

  private controlDone(word: number, seq: number, status: number, ts: number): void {
    const ok = status >= 0 ? ControlStatus.OK : ControlStatus.REFUSED;
    const j = this.o.journal;
    if (word === ControlWord.FLATTEN_REQ) {
      this.segment.ackFlatten(seq, ok);
      j?.Control(ts, ControlAction.FLATTEN, ok === ControlStatus.OK ? 1 : 0, 0, 0);
    } else if (word === ControlWord.RESET_REQ) {
      this.segment.ackReset(seq, ok);
      this.killSeen = this.killBlock.get('kill') !== 0;
      j?.Control(ts, ControlAction.RESET, ok === ControlStatus.OK ? 1 : 0, 0, 0);
    } else if (word === ControlWord.PARAM_REQ) {
      const key = Atomics.load(this.control, ControlWord.PARAM_KEY);
      const value = (Atomics.load(this.control, ControlWord.PARAM_VALUE_LO) >>> 0)
        + Atomics.load(this.control, ControlWord.PARAM_VALUE_HI) * 4294967296;
      this.segment.ackParam(seq, status);
      j?.Control(ts, ControlAction.PARAMS, status >= 0 ? 1 : 0, key, value);
    }
  }

  /** Telemetry the segment's blocks carry, read from the core's states in shared memory (plain loads). */
  private publish(nowNs: number): void {
    const core = this.core;
    const L = this.layout;
    const seg = this.segment;
    seg.heartbeat();
    for (let i = 0; i < L.symbols.length; i++) {
      const book = L.books[i]!;
      const oracle = L.oracles[i]!;
      const mask = Atomics.load(this.control, ControlWord.GATE_MASK + i);
      const bit = (b: number): number => ((mask & b) === 0 ? 1 : 0);
      const values: Record<string, number> = {
        bidPrice: core.bookBestBid(book), bidQty: core.bookBestBidQty(book),
        askPrice: core.bookBestAsk(book), askQty: core.bookBestAskQty(book),
        imbalanceBp: Math.round(core.oracleImbalancePct(oracle) * 100) || 0,
        signalBp: Math.round(core.oracleSignal(oracle) * 10000) || 0,
        regime: core.regimeCurrent(L.sonar[i]!.regime),
        entropyMilli: Math.round((this.o.entropyScore ? this.o.entropyScore(i) : core.entropyScore(L.sonar[i]!.entropy)) * 1000) || 0,
        [GATE_INPUTS[0]]: bit(TrustCheck.FEED_STALE), [GATE_INPUTS[1]]: (mask & TrustCheck.SEQ_GAP) === 0 && (mask & GATE_STALE_BIT) === 0 ? 1 : 0,
        [GATE_INPUTS[2]]: bit(TrustCheck.BOOK_CROSSED), [GATE_INPUTS[3]]: bit(TrustCheck.RTT_HIGH),
        [GATE_INPUTS[4]]: bit(TrustCheck.CLOCK_BACKWARDS), gateOpen: mask === 0 ? 1 : 0,
        updatedNs: nowNs,
      };
      const levels = core.oracleLevelImbalanceAddress(oracle) >>> 3;
      for (let l = 0; l < Math.min(10, this.o.oracleLevels); l++) {
        const w = this.v.f64[levels + l]!;
        values[`wobiBp${l}`] = Number.isFinite(w) ? Math.round(w * 10000) : 0;
      }
      seg.publishSymbol(i, values);
    }
    const counters: Record<string, number> = {
      orders: this.counts.orders, fills: this.counts.fills, cancels: this.counts.cancels, rejects: this.counts.rejects,
      replaces: this.counts.replaces, unknownReports: core.execIgnoredReports(L.exec),
    };
    for (const r of REFUSAL_COUNTERS) {
      const count = core.execRefusals(L.exec, r.code);
      counters[r.field] = count;
      const before = this.refusals[r.code]!;
      if (count > before && this.o.journal) {
        for (let k = 0; k < Math.min(count - before, 100); k++) this.o.journal.RiskRefusal(nowNs, 0, 0, r.code, 0, 0);
      }
      this.refusals[r.code] = count;
    }
    seg.publishCounters(counters);
    this.o.latency.publish(seg);
    void RiskRefusal;
  }
}

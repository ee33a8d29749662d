// Sentinel on the cool side: the part of the engine's safety and observability that is not inline in the
// execution core. It owns the telemetry segment (the one writer), and per turn of the cool loop:
//   - watches the segment's kill word; when it is set, stores the execution core's kill word (the core
//     refuses every order from then on and cancels what works), publishes HALTED (reason KILL), wakes the
//     execution thread so the cancels leave now, and acknowledges. The kill watcher thread
//     (kill-watcher.ts) does the same first, usually long before this thread looks; Sentinel then finds
//     the halt published and journals it, also when the watcher's kill was reset before Sentinel saw the
//     word (ControlWord.KILLS). The cool loop looks at the word before each turn and the turn between its
//     pieces, so without the watcher no long turn stands between the word and HALTED either; the
//     journal's fdatasync, milliseconds on this machine's disk, is done by another thread (syncJournal);
//   - passes flatten, reset (only with the engine's control token) and parameter requests to the execution
//     thread through the engine's control words and acknowledges each (a parameter once execution has applied
//     it and answered with its status: the monitor's 422 on a refused value);
//   - drains the event ring: the journal (every order event, fill with its charges, refusal, state change
//     and control action), the segment's event ring and counters, and the latency samples;
//   - publishes the trading state on every change, and the rest of the telemetry ~telemetryHz times a second.
import type { CoreExports } from '../core/core.js';
import type { Clock } from '../platform/clock.js';
import { TradingState, TradingStateReason } from '../model/vocabulary.js';
import type { JournalWriter } from '../journal/journal-writer.js';
import { EngineSegment } from '../telemetry/segment-writer.js';
import { SegmentBlock } from '../telemetry/segment-block.js';
import { EventKind as SegEvent, REFUSAL_COUNTERS } from '../telemetry/segment-layout.js';
import { ControlResponder } from '../telemetry/control-responder.js';
import { ControlAction } from '../journal/records.js';
import { TrustCheck } from '../../build/core-constants.js';
import type { EngineLayout } from './engine-memory.js';
import { ControlWord, Ev, EventKind, GATE_STALE_BIT, type RecordViews } from './stage-records.js';
import { HotInput, hotInputWords } from './hot-inputs.js';
import type { LatencyHistograms } from '../telemetry/latency-histograms.js';
import { TelemetryPublisher } from '../telemetry/telemetry-publisher.js';
import { CpuSampler } from '../telemetry/cpu-sampler.js';
import { CoreTelemetry } from '../telemetry/core-telemetry.js';
import { fdatasyncSync } from 'node:fs';
import type { Logger } from './engine-log.js';

const DRAIN_BATCH = 4096;
/** How long a parameter request waits for the execution thread's answer, ms. */
const PARAM_WAIT_MS = 1000;
/** The status reported when it did not answer in time (refused: the monitor says 422). */
const PARAM_NO_ANSWER = -100;
const NO_STATE = -1;
/** The heartbeat moves at least this often, ns, even when telemetry is published less often. */
const HEARTBEAT_EVERY_NS = 100e6;

export interface SentinelOptions {
  readonly core: CoreExports;
  readonly views: RecordViews;
  readonly layout: EngineLayout;
  readonly control: Int32Array;
  readonly segment: EngineSegment;
  readonly journal: JournalWriter | null;
  readonly latency: LatencyHistograms;
  readonly clock: Clock;
  readonly log: Logger;
  /** The engine's control token: a reset must carry it. */
  readonly controlToken: string;
  readonly telemetryHz: number;
  /** Wakes the execution thread (a message through the main thread) so it acts on the control words now. */
  readonly wakeExecution: () => void;
  /** Levels the Oracle weighs (its per-level imbalance vector's length). */
  readonly oracleLevels: number;
  /** The execution config's OTR target × 1000 (−1: none), for the OTR block's budget. */
  readonly targetOtrMilli: number;
  /** Sonar's per-symbol readings when it runs in this thread (fused); else read from shared memory. */
  readonly entropyScore?: (index: number) => number;
  /** Asks another thread to fdatasync the journal after a flush (the journal then opened with fsync 'none');
   *  absent: the journal's own policy, in this thread. */
  readonly syncJournal?: () => void;
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
  private readonly ackBlock: SegmentBlock;
  private readonly responder: ControlResponder;
  private readonly clock: Clock;
  private killSeen = false;
  /** ControlWord.KILLS as last accounted for. */
  private watcherKills = 0;
  /** Kills this stage has journaled (noteKill). */
  private killsNoted = 0;
  private lastState = NO_STATE;
  private lastReason = NO_STATE;
  private readonly refusals: Uint32Array;
  private readonly tickPaise: Int32Array;
  private nextPublishNs = 0;
  private nextBeatNs = 0;
  private readonly periodNs: number;
  private readonly costOut: number;
  private readonly pub: TelemetryPublisher;
  private readonly cpu: CpuSampler;
  private nextCpuNs = 0;
  private readonly wobi = new Int32Array(10);
  /** Per symbol index: orders sent, fills, cancels, rejects (×4); open orders; the venue's id. */
  private readonly perSymbol: Float64Array;
  private readonly open: Int32Array;
  private readonly symbolIdOf: Int32Array;
  /** Positions, totals, risk utilisation, broker windows and OTR, read from the core's sub-states. */
  private readonly coreTelemetry: CoreTelemetry;
  /** Per symbol index: the gate mask word last published (−1: none yet). */
  private readonly gateShown: Int32Array;
  private readonly inputs: Int32Array;

  constructor(private readonly o: SentinelOptions) {
    this.core = o.core;
    this.v = o.views;
    this.layout = o.layout;
    this.control = o.control;
    this.inputs = hotInputWords(o.core.memory, o.layout.inputs);
    this.segment = o.segment;
    this.killBlock = new SegmentBlock(o.segment.sab, 'control');
    this.ackBlock = new SegmentBlock(o.segment.sab, 'ack');
    const journal = o.journal;
    this.responder = new ControlResponder(o.segment, o.controlToken, {
      kill: () => this.kill(),
      reset: () => this.reset(),
      flatten: (collar) => this.flatten(collar),
      param: (key, value) => this.param(key, value),
      journal: (action, accepted, paramId, paramValue) => journal?.Control(this.clock.nowNs(), action, accepted ? 1 : 0, paramId, paramValue),
    });
    this.clock = o.clock;
    this.refusals = new Uint32Array(32);
    this.tickPaise = new Int32Array(65536);
    this.periodNs = 1e9 / o.telemetryHz;
    this.costOut = o.layout.coolScratch.offset;
    this.pub = new TelemetryPublisher(o.segment);
    o.layout.symbols.forEach((name, i) => this.pub.publishSymbolName(i, name));
    this.cpu = new CpuSampler({ clock: o.clock });
    const n = o.layout.symbols.length;
    this.perSymbol = new Float64Array(n * 4);
    this.open = new Int32Array(n);
    this.symbolIdOf = new Int32Array(n);
    this.gateShown = new Int32Array(n).fill(-1);
    const exec = o.layout.exec;
    this.coreTelemetry = new CoreTelemetry(o.core, {
      positions: o.core.execPositionsAddress(exec), risk: o.core.execRiskAddress(exec),
      brokerWindows: o.core.execBrokerWindowsAddress(exec), otr: o.core.execOtrAddress(exec),
    }, { symbolIds: this.symbolIdOf, targetOtrMilli: o.targetOtrMilli });
  }

  /** One turn: control requests first (the kill word's latency is the one that matters), then events, telemetry. */
  turn(nowNs: number): void {
    this.watchKill();
    if (this.pendingRequests()) this.responder.poll();
    this.watchGates();
    this.drainEvents();
    this.watchState();
    // The heartbeat says "alive" to readers (down after 1 s of silence by default), whatever telemetryHz is.
    if (nowNs >= this.nextBeatNs) {
      this.nextBeatNs = nowNs + HEARTBEAT_EVERY_NS;
      this.pub.heartbeat();
    }
    if (nowNs >= this.nextPublishNs) {
      this.nextPublishNs = nowNs + this.periodNs;
      this.responder.poll();
      this.publish(nowNs);
      this.watchKill();
      this.o.journal?.flush();
      this.o.syncJournal?.();
    }
  }

  /** The kill word, then any reset, flatten or parameter request: what a doorbell wake looks at. */
  watchControl(): void {
    this.watchKill();
    if (this.pendingRequests()) this.responder.poll();
  }

  /** watchKill as a value, for the long pieces of a turn to call between their parts. */
  private readonly lookForKill = (): void => this.watchKill();

  /** The kill word: handled at once when newly set; otherwise two loads. */
  watchKill(): void {
    const kills = Atomics.load(this.control, ControlWord.KILLS);
    if (kills !== this.watcherKills) {
      this.watcherKills = kills;
      if (!this.killSeen) {
        // The watcher halted on a kill this stage has not handled: the responder handles it while the word is
        // set; if a reset cleared it first, the kill is still journaled here.
        const noted = this.killsNoted;
        if (this.killBlock.get('kill') !== 0) this.responder.poll();
        if (this.killsNoted === noted) {
          this.noteKill();
          this.o.journal?.Control(this.clock.nowNs(), ControlAction.KILL, 1, 0, 0);
        }
      }
    }
    if (!this.killSeen && this.killBlock.get('kill') !== 0) this.responder.poll();
  }

  /** The last turn before the thread ends: everything still in the ring, a final publication, the journal closed. */
  finish(): void {
    for (let i = 0; i < 64 && this.drainEvents() === DRAIN_BATCH; i++) { /* more */ }
    this.watchState();
    this.publish(this.clock.nowNs());
    this.o.journal?.flush();
    if (this.o.journal && this.o.syncJournal) fdatasyncSync(this.o.journal.fd);
    this.o.journal?.close();
  }

  /** A reset, flatten or parameter request not acknowledged yet (three word loads, no allocation). */
  private pendingRequests(): boolean {
    const c = this.killBlock;
    const a = this.ackBlock;
    return c.get('resetSeq') !== a.get('resetAck') || c.get('flattenSeq') !== a.get('flattenAck') || c.get('paramSeq') !== a.get('paramAck');
  }

  /** Wakes the execution thread: the control words say what to do, the message says when. */
  private wake(): void {
    Atomics.add(this.control, ControlWord.WAKE, 1);
    this.o.wakeExecution();
  }

  /** The kill handler: the core's kill word (it refuses every order from now on and cancels what works),
   *  HALTED published, then a wake so the cancels leave at once; the responder acknowledges after. */
  private kill(): void {
    Atomics.store(this.v.i32, this.core.execKillAddress(this.layout.exec) >>> 2, 1);
    this.wake();
    if (!this.killSeen) this.noteKill();
  }

  /** A kill's bookkeeping, once per kill whoever halted first: HALTED (KILL) published (the state block keeps
   *  the watcher's stamp when it was first), the state change journaled and logged. */
  private noteKill(): void {
    this.killSeen = true;
    this.killsNoted++;
    const previous = this.lastState === NO_STATE ? TradingState.ACTIVE : this.lastState;
    this.lastState = TradingState.HALTED;
    this.lastReason = TradingStateReason.KILL;
    this.pub.publishTradingState(TradingState.HALTED, TradingStateReason.KILL);
    this.o.journal?.TradingState(this.clock.nowNs(), TradingState.HALTED, previous, TradingStateReason.KILL);
    this.o.log.warn('kill word set: HALTED, cancelling every working order');
  }

  /** An authenticated reset: the execution thread resets the core (riskReset, breaker) and clears its kill word. */
  private reset(): boolean {
    this.killSeen = false;
    Atomics.store(this.control, ControlWord.HALT_REASON, 0);
    Atomics.add(this.control, ControlWord.RESET_REQ, 1);
    this.wake();
    return true;
  }

  /** Flatten: the execution thread sends the reduce-only exits (allowed in HALTED and REDUCING). */
  private flatten(collarTicks: number): boolean {
    Atomics.store(this.control, ControlWord.FLATTEN_COLLAR, collarTicks);
    Atomics.add(this.control, ControlWord.FLATTEN_REQ, 1);
    this.wake();
    return true;
  }

  /** A parameter: the execution thread applies it (hot-inputs.ts: every change of the decision state is made
   *  there, where a capture records it); this thread waits for its status, at most PARAM_WAIT_MS. */
  private param(key: number, value: number): number {
    const c = this.control;
    const v = Math.trunc(value);
    const inputs = this.inputs;
    Atomics.store(c, ControlWord.PARAM_KEY, key);
    Atomics.store(c, ControlWord.PARAM_VALUE_LO, v % 4294967296 | 0);
    Atomics.store(c, ControlWord.PARAM_VALUE_HI, Math.floor(v / 4294967296));
    const seq = (Atomics.add(c, ControlWord.PARAM_REQ, 1) + 1) | 0;
    this.wake();
    const end = Date.now() + PARAM_WAIT_MS;
    for (let done = Atomics.load(inputs, HotInput.PARAM_DONE); done !== seq; done = Atomics.load(inputs, HotInput.PARAM_DONE)) {
      const left = end - Date.now();
      if (left <= 0) {
        this.o.log.warn({ key, value }, 'the execution thread did not answer a parameter in time: reported refused');
        return PARAM_NO_ANSWER;
      }
      Atomics.wait(inputs, HotInput.PARAM_DONE, done, left);
    }
    return Atomics.load(inputs, HotInput.PARAM_STATUS);
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
    const shown = this.pub.publishTradingState(state as TradingState, reason as TradingStateReason);
    this.lastState = shown.state;
    this.lastReason = shown.reason;
    this.o.journal?.TradingState(this.clock.nowNs(), shown.state, previous, shown.reason);
  }

  /** Handles up to DRAIN_BATCH events; returns how many. */
  private drainEvents(): number {
    const core = this.core;
    const ring = this.layout.events;
    const { u32, i32, f64, u8 } = this.v;
    const j = this.o.journal;
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
          if (index >= 0) {
            this.perSymbol[index * 4]!++;
            this.open[index]!++;
            this.symbolIdOf[index] = symbol;
            // The gate as it is now, before the decision stamps the symbol's block: an order decided through a
            // gate opened since the last look must not leave the block showing the closed gate at the order's time.
            this.showGate(index, this.clock.nowNs());
            this.pub.recordDecision(index, Math.round(core.execSymbolNev(this.layout.exec, index)) || 0, ts);
          }
          j?.OrderNew(ts, id, symbol, side, u8[at + Ev.KIND]!, u8[at + Ev.TIF]!, price, qty);
          this.pub.appendEvent({ kind: SegEvent.ORDER, tsNs: ts, orderId: id, symbolId: symbol, side, price, qty });
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
          if (x > 0) {
            this.o.latency.recordRtt(x);
            this.pub.recordRtt(x);
          }
          break;
        case EventKind.PROBE: // an RTT probe's round trip: the RTT history, not an order event
          this.o.latency.recordRtt(x);
          this.pub.recordRtt(x);
          break;
        case EventKind.REJECT:
          this.counts.rejects++;
          if (index >= 0) this.perSymbol[index * 4 + 3]!++;
          if (index >= 0 && this.open[index]! > 0) this.open[index]!--;
          j?.Reject(ts, id, symbol, price, qty);
          this.pub.appendEvent({ kind: SegEvent.REJECT, tsNs: ts, orderId: id, code: price, detail: qty });
          break;
        case EventKind.FILL: {
          this.counts.fills++;
          this.counts.filledQty += qty;
          if (index >= 0) {
            this.perSymbol[index * 4 + 1]!++;
            if (x === 0 && this.open[index]! > 0) this.open[index]!--;
          }
          const tick = f64[(at + Ev.Y) >>> 3]!;
          const charges = tick > 0
            ? Number(core.costFill(core.execCostAddress(this.layout.exec), side, BigInt(price * tick), BigInt(qty), this.costOut))
            : 0;
          j?.Fill(ts, id, id2, symbol, side, price, qty, x, charges);
          this.pub.appendEvent({ kind: SegEvent.FILL, tsNs: ts, orderId: id, symbolId: symbol, side, price, qty, value: charges });
          break;
        }
        case EventKind.CANCELED:
          this.counts.canceled++;
          if (index >= 0) {
            this.perSymbol[index * 4 + 2]!++;
            if (this.open[index]! > 0) this.open[index]!--;
          }
          j?.Canceled(ts, id, symbol, price, qty);
          this.pub.appendEvent({ kind: SegEvent.CANCEL, tsNs: ts, orderId: id, symbolId: symbol, qty, code: price });
          break;
        case EventKind.REPLACED:
          j?.Ack(ts, id, id2, symbol);
          break;
        case EventKind.LATENCY:
          this.o.latency.record(ts, f64[(at + Ev.T1) >>> 3]!, f64[(at + Ev.T2) >>> 3]!, f64[(at + Ev.T3) >>> 3]!,
            f64[(at + Ev.T4) >>> 3]!, f64[(at + Ev.TV) >>> 3]!);
          break;
        case EventKind.DEFINE:
          if (index >= 0) this.symbolIdOf[index] = symbol;
          break;
        case EventKind.CONTROL_DONE:
          if (price < 0) this.o.log.warn({ word: id, seq: id2, status: price }, 'the execution core refused a control action');
          break;
        case EventKind.SESSION:
          if (x > 0) this.o.latency.recordRtt(x);
          break;
      }
      core.ringRelease(ring);
      if ((n & 255) === 255) this.watchKill(); // a burst of events (journal appends) is a long turn too
    }
    return n;
  }

  /** Sonar's gate verdicts that changed since the last look, published now (stamped before the read). */
  private watchGates(): void {
    const now = this.clock.nowNs();
    for (let i = 0; i < this.gateShown.length; i++) this.showGate(i, now);
  }

  /** Publishes symbol `index`'s gate if its mask word changed since last shown. */
  private showGate(index: number, nowNs: number): void {
    const mask = Atomics.load(this.control, ControlWord.GATE_MASK + index);
    if (mask !== this.gateShown[index]) this.publishGate(index, mask, nowNs);
  }

  private publishGate(index: number, mask: number, nowNs: number): void {
    this.gateShown[index] = mask;
    this.pub.publishGate(index, {
      feedFresh: (mask & TrustCheck.FEED_STALE) === 0, noGaps: (mask & (TrustCheck.SEQ_GAP | GATE_STALE_BIT)) === 0,
      bookUncrossed: (mask & TrustCheck.BOOK_CROSSED) === 0, rttHealthy: (mask & TrustCheck.RTT_HIGH) === 0,
      clocksSane: (mask & TrustCheck.CLOCK_BACKWARDS) === 0, open: mask === 0,
    }, nowNs);
  }

  /** Telemetry the segment's blocks carry, read from the core's states in shared memory (plain loads). */
  private publish(nowNs: number): void {
    const core = this.core;
    const L = this.layout;
    const pub = this.pub;
    pub.heartbeat();
    const wobi = this.wobi;
    for (let i = 0; i < L.symbols.length; i++) {
      const book = L.books[i]!;
      const oracle = L.oracles[i]!;
      const levels = core.oracleLevelImbalanceAddress(oracle) >>> 3;
      for (let l = 0; l < wobi.length; l++) {
        const w = l < this.o.oracleLevels ? this.v.f64[levels + l]! : 0;
        wobi[l] = Number.isFinite(w) ? Math.round(w * 10000) : 0;
      }
      const score = this.o.entropyScore ? this.o.entropyScore(i) : core.entropyScore(L.sonar[i]!.entropy);
      pub.publishMarket(i, {
        symbolId: this.symbolIdOf[i]!, bidPrice: core.bookBestBid(book), bidQty: core.bookBestBidQty(book),
        askPrice: core.bookBestAsk(book), askQty: core.bookBestAskQty(book), wobiBp: wobi,
        imbalanceBp: Math.round(core.oracleImbalancePct(oracle) * 100) || 0,
        signalBp: Math.round(core.oracleSignal(oracle) * 10000) || 0,
        regime: core.regimeCurrent(L.sonar[i]!.regime), entropyMilli: Math.round(score * 1000) || 0,
      }, nowNs);
      this.publishGate(i, Atomics.load(this.control, ControlWord.GATE_MASK + i), nowNs);
      const c = i * 4;
      pub.publishOrderRates(i, this.perSymbol[c]!, this.perSymbol[c + 1]!, this.perSymbol[c + 2]!, this.perSymbol[c + 3]!);
      this.watchKill();
    }
    this.coreTelemetry.publish(pub, nowNs, this.open);
    this.watchKill();
    const counters: Record<string, number> = {
      orders: this.counts.orders, fills: this.counts.fills, cancels: this.counts.cancels, rejects: this.counts.rejects,
      replaces: this.counts.replaces, unknownReports: core.execIgnoredReports(L.exec),
      probes: Number(core.execProbes(L.exec, 0)),
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
    pub.publishCounters(counters);
    this.watchKill();
    pub.publishLatency(this.o.latency, this.lookForKill);
    this.watchKill();
    if (nowNs >= this.nextCpuNs) {
      this.nextCpuNs = nowNs + 1e9;
      try {
        pub.publishCpu(this.cpu.sampleCores());
        this.watchKill();
        pub.publishThreads(this.cpu.sampleThreads(null, this.lookForKill));
      } catch (err) {
        this.o.log.warn({ err: (err as Error).message }, 'CPU sampling failed');
        this.nextCpuNs = Infinity;
      }
    }
  }
}

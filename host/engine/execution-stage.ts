// The execution stage on the host: the core's execution state (wasm-core/execution.ts) driven by market
// ticks, the order gateway's execution reports and one timer, and its commands sent through the gateway
// under the ids the core gave them. Every decision is the core's; this file moves bytes and stamps time.
//
// Per tick (hot path): hotOnBook (fused: the core reads the book and the Oracle in shared memory) or
// hotOnMarket (modules: the values a ring carried), then the command buffer: each NEW / CANCEL / REPLACE
// is encoded into the gateway's slab and all of them leave in one socket write (cork/uncork). The f64
// variants of the core calls (wasm-core/hot-calls.ts) avoid a BigInt per i64 argument. One record per
// order and one LATENCY record (T0, Tv, T1..T4) per decision that sent orders go to the event ring for
// the cool side (journal, telemetry, histograms); nothing else leaves this thread on the hot path.
//
// Fused, one market-data read often carries several frames (the venue's answers to our own orders move the
// book too). Between holdSends() and releaseSends() (the read's start and end) the commands of every
// decision are encoded but the socket write waits for the read's end: one write per read, not one per
// frame, so a later frame of the read does not wait behind the earlier frames' writes. Their LATENCY
// records wait too (in a preallocated buffer) and all get that write's T4.
//
// The timer: after every call that may move it, execNextDeadline (the 200 ms rule, a cancel waiting for
// a broker-window slot, the next RTT probe) is compared with the armed one,
// and the timer re-armed only when the deadline came earlier (a new order's TTL ends after the ones already armed).
//
// RTT: the core's PROBE commands leave as TestRequests (not orders: no ORDER event, no order count); their
// TestResponses, like acks, feed the core's watchdog, and a PROBE event carries the round trip to the cool
// side's RTT telemetry. After every report and timer the core's RTT verdict is copied to the RTT_VERDICT
// control word, where Sonar (another thread in both topologies) reads it for the zero-trust gate.
//
// Without a session (before login, after the venue ended it) commands cannot leave: a NEW or REPLACE is
// answered to the core as rejected NOT_LOGGED_IN, a CANCEL as done (the venue cancels a session's
// resting orders when it ends: cancel on disconnect).
//
// Every change of the core's decision state is made on this thread (host/engine/hot-inputs.ts): Sonar's gate
// verdicts and the operator's parameters are applied here, before the next core call (syncInputs). With
// engine.capture set each such call goes through a CaptureRecorder (host/capture/), which records it with
// the commands it appended, for `npm run sim -- --capture` to replay and diff.
import { OrderGateway, NullExecutionEvents, type GatewayConfig } from '../adapters/gateway/order-gateway.js';
import type { CoreExports } from '../core/core.js';
import { MAX_SYMBOL_ID, MessageType, RejectReason } from '../protocol/index.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from './engine-log.js';
import { logSink } from './engine-log.js';
import { ControlWord, Ev, EventKind, claimEvent, type RecordViews } from './stage-records.js';
import { HOT_INPUT_BYTES, HotInput } from './hot-inputs.js';
import { CaptureRecorder } from '../capture/capture-recorder.js';

/** The command record the core writes (seam: 32 bytes). */
export const Command = { BYTES: 32, TYPE: 0, SIDE: 1, KIND: 2, TIF: 3, SYMBOL: 4, ID: 8, ORIG: 16, PRICE: 24, QTY: 28 } as const;
export const CommandType = { NEW: 1, CANCEL: 2, REPLACE: 3, PROBE: 4 } as const;

/** Decisions one held read may carry before their orders are written anyway; fields kept per decision. */
const HELD_MAX = 8;
const HELD_FIELDS = 6;

export interface ExecutionStageOptions {
  readonly core: CoreExports;
  readonly views: RecordViews;
  /** The execution state (execInit done by the main thread). */
  readonly execState: number;
  /** Event ring to the cool side. */
  readonly eventRing: number;
  readonly control: Int32Array;
  /** Book and Oracle offsets per symbol index (fused decisions read them in place). */
  readonly books: readonly number[];
  readonly oracles: readonly number[];
  /** 16 bytes, 8-aligned, of this thread's own (execNextDeadline comes back through it, T0 goes in). */
  readonly scratch: number;
  readonly gateway: Pick<GatewayConfig, 'host' | 'port' | 'userId' | 'token' | 'dial'>;
  readonly clock: Clock;
  readonly log: Logger;
  /** Collar of flatten's reduce-only exits, ticks. */
  readonly flattenCollarTicks: number;
  /** The session ended without close(): the engine must halt. */
  readonly onSessionLost?: (reason: number) => void;
  /** The hot-input words (hot-inputs.ts): Sonar's gates, the parameter answers, the capture's drop count
   *  (absent: private words, no other thread hands this stage anything). */
  readonly inputs?: Int32Array;
  /** The capture ring (engine.capture), 0: no capture. */
  readonly captureRing?: number;
}

export class ExecutionStage extends NullExecutionEvents {
  readonly gateway: OrderGateway;
  /** Orders, cancels and replaces sent; decisions that sent something. */
  readonly sent = new Float64Array(4);
  private readonly core: CoreExports;
  private readonly v: RecordViews;
  private readonly state: number;
  private readonly ring: number;
  private readonly control: Int32Array;
  private readonly clock: Clock;
  private readonly books: Int32Array;
  private readonly oracles: Int32Array;
  private readonly indexOf = new Int32Array(MAX_SYMBOL_ID + 1).fill(-1);
  private readonly tickOf = new Int32Array(MAX_SYMBOL_ID + 1);
  private readonly killWord: number;
  /** The core's RTT verdict word (i32 index) and the value last copied to the control word. */
  private readonly verdictWord: number;
  private verdict = -1;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private timerAt = Infinity;
  private readonly onTimerFn = (): void => this.onTimer();
  private closing = false;
  /** The session ended under us: nothing can be sent again, and the RTT probes' timer must not keep the thread alive. */
  private sessionLost = false;
  /** Inside holdSends(): decisions' writes wait for releaseSends(). */
  private holding = false;
  /** Decisions held: HELD_FIELDS per decision (index, T0, Tv, T1, T2, T3). */
  private held = 0;
  private readonly heldStamps = new Float64Array(HELD_MAX * HELD_FIELDS);
  /** The last clOrdId sendCommands handed to the gateway (its write's T4 is the decision's). */
  private lastSentId = 0;
  private readonly inputs: Int32Array;
  /** Records each core call (engine.capture), else null. */
  private readonly rec: CaptureRecorder | null;
  /** The gate version last applied, and per symbol the regime and gate word applied (−1: none yet). */
  private gateVersion = 0;
  private readonly regimeApplied: Int32Array;
  private readonly gateApplied: Int32Array;

  constructor(private readonly options: ExecutionStageOptions) {
    super();
    this.core = options.core;
    this.v = options.views;
    this.state = options.execState;
    this.ring = options.eventRing;
    this.control = options.control;
    this.clock = options.clock;
    this.books = Int32Array.from(options.books);
    this.oracles = Int32Array.from(options.oracles);
    this.killWord = this.core.execKillAddress(this.state) >>> 2;
    this.verdictWord = this.core.execRttVerdictAddress(this.state) >>> 2;
    this.inputs = options.inputs ?? new Int32Array(new SharedArrayBuffer(HOT_INPUT_BYTES));
    this.regimeApplied = new Int32Array(options.books.length).fill(-1);
    this.gateApplied = new Int32Array(options.books.length).fill(-1);
    this.rec = options.captureRing ? new CaptureRecorder(this.core, this.v, options.captureRing, this.state, this.inputs) : null;
    this.gateway = new OrderGateway({
      ...options.gateway, heartbeatMs: 1000, requestTimeoutMs: 2000, clock: options.clock,
      log: logSink(options.log, 'gateway'),
    }, this);
  }

  /** Log in; the login's round trip (Login written → LoginAck read) is the order path's first RTT sample: the
   *  zero-trust gate stays closed until the watchdog has one (an RTT probe would bring it otherwise). */
  async connect(): Promise<void> {
    await this.gateway.connect();
    this.sessionLost = false;
    const rtt = this.gateway.loginRttNs;
    this.rttSample(rtt);
    // The watchdog's first sample: one slow login is one slow sample, which locks nothing down.
    this.syncInputs();
    if (rtt > 0) {
      if (this.rec === null) this.core.hotOnRtt(this.state, rtt, this.clock.nowNs());
      else this.rec.rtt(rtt, this.clock.nowNs());
    }
    const at = claimEvent(this.v, this.ring, this.control, EventKind.SESSION, -1, this.clock.nowNs());
    if (at !== 0) {
      this.v.f64[(at + Ev.ID) >>> 3] = 1;
      this.v.f64[(at + Ev.X) >>> 3] = rtt;
      this.core.ringPublish(this.ring);
    }
    this.afterReport();
  }

  /** Cancel what is working (through the kill word), give the answers `graceMs`, then log out. */
  async close(graceMs = 300): Promise<void> {
    if (this.gateway.isLoggedIn) {
      this.storeKill(1);
      this.onTimer();
      const end = Date.now() + graceMs;
      while (Date.now() < end && this.gateway.inFlight > 0) await new Promise((r) => setTimeout(r, 5));
    }
    this.closing = true;
    this.disarm();
    await this.gateway.close();
  }

  /** Engine symbol `index` is the venue's `symbolId`. */
  define(index: number, symbolId: number, tickPaise: number, lotSize: number): void {
    this.indexOf[symbolId] = index;
    this.tickOf[symbolId] = tickPaise;
    this.syncInputs();
    const status = this.rec === null ? this.core.execSetSymbol(this.state, index, symbolId, tickPaise, lotSize)
      : this.rec.symbol(index, symbolId, tickPaise, lotSize);
    if (status < 0) this.options.log.error({ index, symbolId, status }, 'execSetSymbol refused the symbol');
    const at = claimEvent(this.v, this.ring, this.control, EventKind.DEFINE, index, this.clock.nowNs());
    if (at !== 0) {
      this.v.u32[(at + Ev.SYMBOL) >>> 2] = symbolId;
      this.core.ringPublish(this.ring);
    }
  }

  // ── decisions (hot path) ─────────────────────────────────────────────────────────────────────

  /**
   * Fused: book `index` and its Oracle were just updated in shared memory; `stamps` (MarketStage's) holds
   * T0, Tv, T1, T2. The decision's time is T0, the socket read: no clock read per tick (each allocates).
   */
  onBook(index: number, stamps: Float64Array): void {
    // T0 goes through memory: a double argument to a wasm call V8 did not inline would be boxed.
    this.syncInputs();
    const nowAt = this.options.scratch + 8;
    this.v.f64[nowAt >>> 3] = stamps[0]!;
    if (this.rec === null) this.core.hotOnBookAt(this.state, index, this.books[index]!, this.oracles[index]!, nowAt);
    else this.rec.quote(index, this.books[index]!, this.oracles[index]!, nowAt);
    this.afterDecision(index, stamps);
  }

  /** Modules: a tick's top of book from the Oracle worker's ring; `stamps` holds T0, Tv, T1, T2, signal. */
  onMarket(index: number, bid: number, bidQty: number, ask: number, askQty: number, stamps: Float64Array): void {
    this.syncInputs();
    if (this.rec === null) this.core.hotOnMarket(this.state, index, bid, bidQty, ask, askQty, stamps[4]!, stamps[0]!);
    else this.rec.market(index, bid, bidQty, ask, askQty, stamps[4]!, stamps[0]!);
    this.afterDecision(index, stamps);
  }

  private afterDecision(index: number, stamps: Float64Array): void {
    const core = this.core;
    this.publishVerdict(); // a tick may find a request overdue
    if (core.execCommandCount(this.state) === 0) {
      if (!this.holding) this.armTimer();
      return;
    }
    const t3 = this.clock.nowNs();
    this.sent[3]!++;
    Atomics.add(this.control, ControlWord.DECISIONS, 1);
    // The decision's stamps go to the held buffer (slot `held`); held, or recorded at once with its T4.
    const h = this.heldStamps;
    const b = this.held * HELD_FIELDS;
    h[b] = index;
    h[b + 1] = stamps[0]!;
    h[b + 2] = stamps[1]!;
    h[b + 3] = stamps[2]!;
    h[b + 4] = stamps[3]!;
    h[b + 5] = t3;
    if (this.holding) {
      this.sendCommands();
      if (++this.held === HELD_MAX) {
        this.releaseSends();
        this.holdSends();
      }
      return;
    }
    const t4 = this.sendCommands();
    this.recordLatency(b, t4);
    this.armTimer();
  }

  /** One LATENCY event from held slot at `b` (index, T0, Tv, T1, T2, T3) and T4. Doubles are copied
   *  between typed arrays, never passed as arguments (a double argument may be boxed). */
  private recordLatency(b: number, t4: number): void {
    const h = this.heldStamps;
    const at = claimEvent(this.v, this.ring, this.control, EventKind.LATENCY, h[b]! | 0, 0); // +8 is T0, written below
    if (at === 0) return;
    const f = this.v.f64;
    const d = at >>> 3;
    f[d + (Ev.T0 >>> 3)] = h[b + 1]!;
    f[d + (Ev.TV >>> 3)] = h[b + 2]!;
    f[d + (Ev.T1 >>> 3)] = h[b + 3]!;
    f[d + (Ev.T2 >>> 3)] = h[b + 4]!;
    f[d + (Ev.T3 >>> 3)] = h[b + 5]!;
    f[d + (Ev.T4 >>> 3)] = t4;
    this.core.ringPublish(this.ring);
  }

  /** A market-data read begins (fused): the orders its frames decide wait for releaseSends(). */
  holdSends(): void {
    if (this.holding) this.releaseSends(); // the last read ended without its end (its connection dropped)
    if (!this.gateway.isLoggedIn) return;
    this.gateway.cork();
    this.holding = true;
    this.lastSentId = 0;
  }

  /** The read's frames are done: what they decided leaves in one write; their LATENCY records get its T4. */
  releaseSends(): void {
    if (!this.holding) return;
    this.holding = false;
    const gw = this.gateway;
    gw.uncork();
    const n = this.held;
    if (n > 0) {
      const id = this.lastSentId;
      const t4 = id !== 0 ? gw.sentAt(id) || this.clock.nowNs() : this.clock.nowNs();
      for (let k = 0; k < n; k++) this.recordLatency(k * HELD_FIELDS, t4);
      this.held = 0;
    }
    this.armTimer();
  }

  /** Sends every command in the core's buffer in one write, records each, clears the buffer; returns T4. */
  private sendCommands(): number {
    const core = this.core;
    const state = this.state;
    const n = core.execCommandCount(state);
    if (n === 0) return 0;
    const base = core.execCommandAddress(state);
    const u8 = this.v.u8;
    const u32 = this.v.u32;
    const i32 = this.v.i32;
    const gw = this.gateway;
    const live = gw.isLoggedIn;
    const now = this.clock.nowNs();
    let lastSent = 0;
    if (live) gw.cork();
    for (let k = 0; k < n; k++) {
      const at = base + k * Command.BYTES;
      const w = at >>> 2;
      const type = u8[at]!;
      const side = u8[at + Command.SIDE]!;
      const kind = u8[at + Command.KIND]!;
      const tif = u8[at + Command.TIF]!;
      const symbol = u32[w + 1]!;
      const id = u32[w + 2]! + u32[w + 3]! * 4294967296;
      const orig = u32[w + 4]! + u32[w + 5]! * 4294967296;
      const price = i32[w + 6]!;
      const qty = i32[w + 7]!;
      let evKind = 0;
      if (type === CommandType.NEW) {
        evKind = EventKind.ORDER_NEW;
        if (live) gw.newOrderWithId(id, symbol, side, kind, tif, price, qty);
        this.sent[0]!++;
      } else if (type === CommandType.CANCEL) {
        evKind = EventKind.ORDER_CANCEL;
        if (live) gw.cancelWithId(id, orig);
        this.sent[1]!++;
      } else if (type === CommandType.REPLACE) {
        evKind = EventKind.ORDER_REPLACE;
        if (live) gw.replaceWithId(id, orig, price, qty);
        this.sent[2]!++;
      } else {
        if (type === CommandType.PROBE && live) gw.testRequestWithId(id); // not an order: no ORDER event
        continue;
      }
      if (live) lastSent = id;
      this.recordOrder(evKind, symbol, now, id, orig, price, qty, side, kind, tif);
    }
    if (live) gw.uncork();
    if (!live) {
      this.answerUnsent(base, n);
      return this.clock.nowNs();
    }
    core.execCommandsClear(state);
    if (lastSent !== 0) this.lastSentId = lastSent;
    return lastSent !== 0 ? gw.sentAt(lastSent) || this.clock.nowNs() : this.clock.nowNs();
  }

  /** Commands that could not leave (no session), answered to the core; off the hot path (allocates). */
  private answerUnsent(base: number, n: number): void {
    const u8 = this.v.u8;
    const u32 = this.v.u32;
    const todo: [number, number, number][] = [];
    for (let k = 0; k < n; k++) {
      const at = base + k * Command.BYTES;
      const w = at >>> 2;
      todo.push([u8[at]!, u32[w + 2]! + u32[w + 3]! * 4294967296, u32[w + 4]! + u32[w + 5]! * 4294967296]);
    }
    this.core.execCommandsClear(this.state);
    const now = this.clock.nowNs();
    for (const [type, id, orig] of todo) {
      if (type === CommandType.CANCEL) this.canceled(orig, now);
      else if (type === CommandType.PROBE) this.probe(id, -1, now); // lost: the next is due later
      else this.rejected(id, RejectReason.NOT_LOGGED_IN, now);
    }
  }

  private recordOrder(kind: number, symbol: number, now: number, id: number, orig: number, price: number, qty: number,
    side: number, okind: number, tif: number): void {
    const at = claimEvent(this.v, this.ring, this.control, kind, this.indexOf[symbol]!, now);
    if (at === 0) return;
    const f = this.v.f64;
    const i = this.v.i32;
    const u8 = this.v.u8;
    f[(at + Ev.ID) >>> 3] = id;
    f[(at + Ev.ID2) >>> 3] = orig;
    i[(at + Ev.PRICE) >>> 2] = price;
    i[(at + Ev.QTY) >>> 2] = qty;
    u8[at + Ev.SIDE] = side;
    u8[at + Ev.KIND] = okind;
    u8[at + Ev.TIF] = tif;
    this.v.u32[(at + Ev.SYMBOL) >>> 2] = symbol;
    this.core.ringPublish(this.ring);
  }

  /** A trade on the market of symbol `index` (anyone's), read at `t0`: NEV's fill model counts it. */
  onTrade(index: number, price: number, qty: number, t0: number): void {
    this.syncInputs();
    if (this.rec === null) this.core.hotOnTrade(this.state, index, price, qty, t0);
    else this.rec.trade(index, price, qty, t0);
  }

  // ── inputs from other threads, and the core calls a capture records ──────────────────────────

  /** Sonar's gate verdicts that changed (one load when none did). A capture looks at the kill word itself. */
  private syncInputs(): void {
    const version = Atomics.load(this.inputs, HotInput.GATE_VERSION);
    if (version !== this.gateVersion) this.applyGates(version);
  }

  private applyGates(version: number): void {
    this.gateVersion = version;
    const w = this.inputs;
    for (let i = 0; i < this.gateApplied.length; i++) {
      const regime = Atomics.load(w, HotInput.GATES + 2 * i);
      const gate = Atomics.load(w, HotInput.GATES + 2 * i + 1);
      if (regime === this.regimeApplied[i] && gate === this.gateApplied[i]) continue;
      this.regimeApplied[i] = regime;
      this.gateApplied[i] = gate;
      if (this.rec === null) this.core.execSetGate(this.state, i, regime, gate);
      else this.rec.gate(i, regime, gate);
    }
  }

  /** The kill word stored by this thread (close, a lost session, a reset), recorded with a capture. */
  private storeKill(value: number): void {
    this.rec?.kill(value);
    Atomics.store(this.v.i32, this.killWord, value);
  }

  private canceled(clOrdId: number, now: number): void {
    if (this.rec === null) this.core.hotOnCanceled(this.state, clOrdId, now);
    else this.rec.canceled(clOrdId, now);
  }

  private probe(id: number, rttNs: number, now: number): void {
    if (this.rec === null) this.core.hotOnProbe(this.state, id, rttNs, now);
    else this.rec.probe(id, rttNs, now);
  }

  private rejected(clOrdId: number, reason: number, now: number): void {
    if (this.rec === null) this.core.hotOnReject(this.state, clOrdId, reason, now);
    else this.rec.reject(clOrdId, reason, now);
  }

  // ── the timer ────────────────────────────────────────────────────────────────────────────────

  private armTimer(): void {
    if (this.closing || this.sessionLost) return;
    this.core.hotNextDeadlineInto(this.state, this.options.scratch);
    const next = this.v.f64[this.options.scratch >>> 3]!;
    if (!(next < this.timerAt)) return;
    this.disarm();
    this.timerAt = next;
    const delayMs = Math.max(0, (next - this.clock.nowNs()) / 1e6);
    this.timer = setTimeout(this.onTimerFn, delayMs);
  }

  private disarm(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = Infinity;
  }

  /** A worker that polls instead of sleeping (spin-loop.ts): the deadline's work now if it is due at `now`
   *  (the armed timer would only run when the loop yields to its event loop). */
  runDue(now: number): void {
    if (now < this.timerAt) return;
    this.disarm();
    this.onTimer();
  }

  /** The deadline came (or the kill word was set elsewhere and this thread woken): let the core act. */
  onTimer(): void {
    this.timer = null;
    this.timerAt = Infinity;
    this.syncInputs();
    if (this.rec === null) this.core.hotOnTimer(this.state, this.clock.nowNs());
    else this.rec.timer(this.clock.nowNs());
    this.sendCommands();
    this.publishVerdict();
    this.armTimer();
  }

  /** The core's RTT verdict to the RTT_VERDICT control word, when it changed (a load and a compare otherwise). */
  private publishVerdict(): void {
    const v = Atomics.load(this.v.i32, this.verdictWord);
    if (v === this.verdict) return;
    this.verdict = v;
    Atomics.store(this.control, ControlWord.RTT_VERDICT, v);
  }

  // ── control (off the hot path) ───────────────────────────────────────────────────────────────

  /**
   * Called when another thread woke this one (a message: Atomics.waitAsync is not used, a pending async wait
   * in a thread that ends takes the process down when it is notified later). A kill word set elsewhere →
   * the core's cancels go now; a flatten or reset asked for (their counters moved) → done now.
   */
  onWake(): void {
    if (!this.closing) this.handleControl();
  }

  private killHandled = false;
  private done = { flatten: 0, reset: 0, param: 0 };

  private handleControl(): void {
    const c = this.control;
    const killed = Atomics.load(this.v.i32, this.killWord) !== 0;
    if (killed && !this.killHandled) {
      this.killHandled = true;
      this.onTimer();
    }
    const flatten = Atomics.load(c, ControlWord.FLATTEN_REQ);
    if (flatten !== this.done.flatten) {
      this.done.flatten = flatten;
      this.flatten(flatten, Atomics.load(c, ControlWord.FLATTEN_COLLAR));
    }
    const reset = Atomics.load(c, ControlWord.RESET_REQ);
    if (reset !== this.done.reset) {
      this.done.reset = reset;
      this.killHandled = false;
      this.reset(reset);
    }
    const param = Atomics.load(c, ControlWord.PARAM_REQ);
    if (param !== this.done.param) {
      this.done.param = param;
      this.setParam(param);
    }
  }

  /** The operator's parameter (Sentinel's request in the PARAM_* words), applied here; Sentinel waits for the answer. */
  private setParam(seq: number): void {
    const c = this.control;
    const key = Atomics.load(c, ControlWord.PARAM_KEY);
    const value = (Atomics.load(c, ControlWord.PARAM_VALUE_LO) >>> 0) + Atomics.load(c, ControlWord.PARAM_VALUE_HI) * 4294967296;
    this.syncInputs();
    const status = this.rec === null ? this.core.execSetParam(this.state, key, BigInt(value)) : this.rec.param(key, value);
    Atomics.store(this.inputs, HotInput.PARAM_STATUS, status);
    Atomics.store(this.inputs, HotInput.PARAM_DONE, seq);
    Atomics.notify(this.inputs, HotInput.PARAM_DONE);
    this.sendCommands();
    this.armTimer();
  }

  /** Reduce-only exits of every position within `collarTicks` of the touch (0: the configured collar). */
  flatten(seq: number, collarTicks = 0): void {
    const collar = collarTicks > 0 ? collarTicks : this.options.flattenCollarTicks;
    this.syncInputs();
    const status = this.rec === null ? this.core.hotFlatten(this.state, collar, this.clock.nowNs())
      : this.rec.flatten(collar, this.clock.nowNs());
    this.sendCommands();
    this.armTimer();
    this.controlDone(ControlWord.FLATTEN_REQ, seq, status);
  }

  reset(seq: number): void {
    this.storeKill(0);
    const status = this.rec === null ? this.core.hotReset(this.state, this.clock.nowNs()) : this.rec.reset(this.clock.nowNs());
    this.sendCommands();
    this.armTimer();
    this.controlDone(ControlWord.RESET_REQ, seq, status);
  }

  private controlDone(word: number, seq: number, status: number): void {
    const at = claimEvent(this.v, this.ring, this.control, EventKind.CONTROL_DONE, -1, this.clock.nowNs());
    if (at === 0) return;
    this.v.f64[(at + Ev.ID) >>> 3] = word;
    this.v.f64[(at + Ev.ID2) >>> 3] = seq;
    this.v.i32[(at + Ev.PRICE) >>> 2] = status;
    this.core.ringPublish(this.ring);
  }

  private rttSample(rttNs: number): void {
    Atomics.store(this.control, ControlWord.LAST_RTT_US, Math.min(0x7fffffff, Math.round(rttNs / 1000)));
  }

  // ── execution reports (the gateway's callbacks) ──────────────────────────────────────────────

  override onAck(clOrdId: number, exchOrderId: number, symbol: number, _side: number, _price: number, _qty: number,
    rttNs: number, t5: number): void {
    this.syncInputs();
    if (this.rec === null) this.core.hotOnAck(this.state, clOrdId, exchOrderId, rttNs, t5);
    else this.rec.ack(clOrdId, exchOrderId, rttNs, t5);
    if (rttNs > 0) this.rttSample(rttNs);
    const at = claimEvent(this.v, this.ring, this.control, EventKind.ACK, this.indexOf[symbol]!, t5);
    if (at !== 0) {
      this.v.f64[(at + Ev.ID) >>> 3] = clOrdId;
      this.v.f64[(at + Ev.ID2) >>> 3] = exchOrderId;
      this.v.u32[(at + Ev.SYMBOL) >>> 2] = symbol;
      this.v.f64[(at + Ev.X) >>> 3] = rttNs;
      this.core.ringPublish(this.ring);
    }
    this.afterReport();
  }

  override onReject(clOrdId: number, reason: number, detail: number, refType: number, rttNs: number, t5: number): void {
    if (clOrdId === 0 || refType === MessageType.Heartbeat) return;
    this.syncInputs();
    this.rejected(clOrdId, reason, t5);
    const at = claimEvent(this.v, this.ring, this.control, EventKind.REJECT, -1, t5);
    if (at !== 0) {
      this.v.f64[(at + Ev.ID) >>> 3] = clOrdId;
      this.v.i32[(at + Ev.PRICE) >>> 2] = reason;
      this.v.i32[(at + Ev.QTY) >>> 2] = detail;
      this.v.f64[(at + Ev.X) >>> 3] = rttNs;
      this.core.ringPublish(this.ring);
    }
    this.afterReport();
  }

  override onFill(clOrdId: number, _exchOrderId: number, tradeId: number, symbol: number, side: number, price: number,
    qty: number, leavesQty: number, _flags: number, t5: number): void {
    this.syncInputs();
    if (this.rec === null) this.core.hotOnFill(this.state, clOrdId, price, qty, t5);
    else this.rec.fill(clOrdId, price, qty, t5);
    const at = claimEvent(this.v, this.ring, this.control, EventKind.FILL, this.indexOf[symbol]!, t5);
    if (at !== 0) {
      this.v.f64[(at + Ev.ID) >>> 3] = clOrdId;
      this.v.f64[(at + Ev.ID2) >>> 3] = tradeId;
      this.v.i32[(at + Ev.PRICE) >>> 2] = price;
      this.v.i32[(at + Ev.QTY) >>> 2] = qty;
      this.v.u8[at + Ev.SIDE] = side;
      this.v.u32[(at + Ev.SYMBOL) >>> 2] = symbol;
      this.v.f64[(at + Ev.X) >>> 3] = leavesQty;
      this.v.f64[(at + Ev.Y) >>> 3] = this.tickOf[symbol]!;
      this.core.ringPublish(this.ring);
    }
    this.afterReport();
  }

  override onCanceled(_clOrdId: number, origClOrdId: number, _exchOrderId: number, symbol: number, _side: number,
    canceledQty: number, reason: number, _rttNs: number, t5: number): void {
    this.syncInputs();
    this.canceled(origClOrdId, t5);
    const at = claimEvent(this.v, this.ring, this.control, EventKind.CANCELED, this.indexOf[symbol]!, t5);
    if (at !== 0) {
      this.v.f64[(at + Ev.ID) >>> 3] = origClOrdId;
      this.v.i32[(at + Ev.PRICE) >>> 2] = reason;
      this.v.i32[(at + Ev.QTY) >>> 2] = canceledQty;
      this.v.u32[(at + Ev.SYMBOL) >>> 2] = symbol;
      this.core.ringPublish(this.ring);
    }
    this.afterReport();
  }

  override onReplaced(clOrdId: number, origClOrdId: number, _oldExchOrderId: number, exchOrderId: number, symbol: number,
    _side: number, price: number, qty: number, _leavesQty: number, rttNs: number, t5: number): void {
    this.syncInputs();
    if (this.rec === null) this.core.hotOnReplaced(this.state, origClOrdId, clOrdId, exchOrderId, t5);
    else this.rec.replaced(origClOrdId, clOrdId, exchOrderId, t5);
    if (rttNs > 0) this.rttSample(rttNs);
    const at = claimEvent(this.v, this.ring, this.control, EventKind.REPLACED, this.indexOf[symbol]!, t5);
    if (at !== 0) {
      this.v.f64[(at + Ev.ID) >>> 3] = clOrdId;
      this.v.f64[(at + Ev.ID2) >>> 3] = origClOrdId;
      this.v.i32[(at + Ev.PRICE) >>> 2] = price;
      this.v.i32[(at + Ev.QTY) >>> 2] = qty;
      this.v.u32[(at + Ev.SYMBOL) >>> 2] = symbol;
      this.core.ringPublish(this.ring);
    }
    this.afterReport();
  }

  /** An RTT probe's answer: its round trip feeds the core's watchdog exactly like an ack's. */
  override onTestResponse(testId: number, rttNs: number, t5: number): void {
    this.syncInputs();
    this.probe(testId, rttNs, t5);
    if (rttNs > 0) {
      this.rttSample(rttNs);
      const at = claimEvent(this.v, this.ring, this.control, EventKind.PROBE, -1, t5);
      if (at !== 0) {
        this.v.f64[(at + Ev.ID) >>> 3] = testId;
        this.v.f64[(at + Ev.X) >>> 3] = rttNs;
        this.core.ringPublish(this.ring);
      }
    }
    this.afterReport();
  }

  override onTimeout(clOrdId: number, type: number): void {
    this.options.log.warn({ clOrdId, type }, 'no answer from the venue in time');
    if (type === MessageType.TestRequest) {
      // The probe is lost to the core (it was overdue long ago: the gate is closed); the next one is due.
      this.syncInputs();
      this.probe(clOrdId, -1, this.clock.nowNs());
      this.afterReport();
    }
  }

  override onSessionEnd(reason: number, detail: number, byVenue: boolean): void {
    const at = claimEvent(this.v, this.ring, this.control, EventKind.SESSION, -1, this.clock.nowNs());
    if (at !== 0) {
      this.v.f64[(at + Ev.ID) >>> 3] = 0;
      this.v.f64[(at + Ev.X) >>> 3] = 0;
      this.core.ringPublish(this.ring);
    }
    if (this.closing) return;
    this.options.log.error({ reason, detail, byVenue }, 'order-entry session ended: halting');
    this.sessionLost = true;
    this.disarm();
    this.storeKill(1);
    this.onTimer(); // the core cancels what it thinks is working; without a session each is answered as done
    this.options.onSessionLost?.(reason);
  }

  /** Commands a report caused (an exit after a fill, a cancel after a reject) go in the same write. */
  private afterReport(): void {
    this.sendCommands();
    this.publishVerdict();
    this.armTimer();
  }
}

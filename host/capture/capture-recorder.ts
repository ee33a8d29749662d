// The execution thread's side of a capture: each core call that changes the decision state, made through here,
// is written into a slot of the capture ring (its kind, arguments, time and result, and the commands it
// appended as a count and an FNV-1a hash), then published for the cool side's CaptureWriter. Allocates
// nothing and posts nothing: a slot is claimed in place; a full ring drops the record and counts it
// (HotInput.CAPTURE_DROPPED), the call itself is made all the same.
//
// The kill word is stored by other threads straight into the core's state (the safety path waits for nobody), so
// the recorder looks at it before each call and records a KILL when it changed; when it changed during a call
// (the core may have seen either value) that call's record is flagged KILL_RACE and a KILL follows it, so a
// replay difference there is explained rather than silent.
import type { CoreExports } from '../core/core.js';
import type { RecordViews } from '../engine/stage-records.js';
import { HotInput } from '../engine/hot-inputs.js';
import { CaptureField as F, CaptureKind as K, CaptureFlag, fnv1a } from './capture-format.js';

const CMD_BYTES = 32;

export class CaptureRecorder {
  private readonly core: CoreExports;
  private readonly f64: Float64Array;
  private readonly i32: Int32Array;
  private readonly u32: Uint32Array;
  private readonly u8: Uint8Array;
  private before = 0;
  /** The kill word's i32 index and the value last recorded. */
  private readonly killWord: number;
  private killValue = 0;

  constructor(core: CoreExports, views: RecordViews, private readonly ring: number, private readonly state: number,
    private readonly inputs: Int32Array) {
    this.core = core;
    this.f64 = views.f64;
    this.i32 = views.i32;
    this.u32 = views.u32;
    this.u8 = views.u8;
    this.killWord = core.execKillAddress(state) >>> 2;
  }

  /** Claims a slot for `kind` at `timeNs` (0 and counted when the ring is full) and notes the command count. */
  private begin(kind: number, timeNs: number): number {
    const kill = Atomics.load(this.i32, this.killWord);
    if (kill !== this.killValue) this.kill(kill);
    this.before = this.core.execCommandCount(this.state);
    const at = this.core.ringClaim(this.ring);
    if (at === 0) {
      Atomics.add(this.inputs, HotInput.CAPTURE_DROPPED, 1);
      return 0;
    }
    this.u32[at >>> 2] = kind;
    this.f64[(at + F.TIME) >>> 3] = timeNs;
    return at;
  }

  /** The call's result and the commands it appended; publishes the slot. */
  private end(at: number, result: number): number {
    if (at === 0) return result;
    const core = this.core;
    const count = core.execCommandCount(this.state);
    const n = count > this.before ? count - this.before : 0;
    const w = at >>> 2;
    this.i32[w + 1] = result;
    this.u32[w + 4] = n;
    this.u32[w + 5] = n === 0 ? 0 : fnv1a(this.u8, core.execCommandAddress(this.state) + this.before * CMD_BYTES, n * CMD_BYTES);
    const kill = Atomics.load(this.i32, this.killWord);
    if (kill !== this.killValue) this.u32[w] = this.u32[w]! | CaptureFlag.KILL_RACE;
    core.ringPublish(this.ring);
    if (kill !== this.killValue) this.kill(kill);
    return result;
  }

  /** Fused decision: execOnBook's inputs recorded by the core itself (hotOnBookCaptured); its time is the f64 at
   *  `nowAt` (copied between typed arrays: a double passed as an argument may be boxed, 16 bytes a tick). */
  quote(index: number, book: number, oracle: number, nowAt: number): number {
    const at = this.begin(K.QUOTE, 0);
    if (at === 0) return this.core.hotOnBookAt(this.state, index, book, oracle, nowAt);
    this.f64[(at + F.TIME) >>> 3] = this.f64[nowAt >>> 3]!;
    return this.end(at, this.core.hotOnBookCaptured(this.state, index, book, oracle, at));
  }

  market(index: number, bid: number, bidQty: number, ask: number, askQty: number, signal: number, now: number): number {
    const at = this.begin(K.MARKET, now);
    if (at !== 0) {
      const w = at >>> 2;
      this.i32[w + 6] = index;
      this.i32[w + 7] = bid;
      this.i32[w + 8] = bidQty;
      this.i32[w + 9] = ask;
      this.i32[w + 10] = askQty;
      this.f64[(at + F.F) >>> 3] = signal;
    }
    return this.end(at, this.core.hotOnMarket(this.state, index, bid, bidQty, ask, askQty, signal, now));
  }

  trade(index: number, price: number, qty: number, now: number): number {
    const at = this.begin(K.TRADE, now);
    if (at !== 0) this.ints(at, index, price, qty);
    return this.end(at, this.core.hotOnTrade(this.state, index, price, qty, now));
  }

  symbol(index: number, symbolId: number, tickPaise: number, lotSize: number): number {
    const at = this.begin(K.SYMBOL, NaN);
    if (at !== 0) {
      this.ints(at, index, symbolId, tickPaise);
      this.i32[(at + F.D) >>> 2] = lotSize;
    }
    return this.end(at, this.core.execSetSymbol(this.state, index, symbolId, tickPaise, lotSize));
  }

  gate(index: number, regime: number, gate: number): number {
    const at = this.begin(K.GATE, NaN);
    if (at !== 0) this.ints(at, index, regime, gate);
    return this.end(at, this.core.execSetGate(this.state, index, regime, gate));
  }

  param(key: number, value: number): number {
    const at = this.begin(K.PARAM, NaN);
    if (at !== 0) {
      this.i32[(at + F.A) >>> 2] = key;
      this.f64[(at + F.F) >>> 3] = value;
    }
    return this.end(at, this.core.execSetParam(this.state, key, BigInt(value)));
  }

  /** The kill word's value as this thread found it or is about to store it (the store itself is the caller's). */
  kill(value: number): void {
    this.killValue = value;
    const at = this.core.ringClaim(this.ring);
    if (at === 0) {
      Atomics.add(this.inputs, HotInput.CAPTURE_DROPPED, 1);
      return;
    }
    const w = at >>> 2;
    this.u32[w] = K.KILL;
    this.i32[w + 1] = 0;
    this.f64[(at + F.TIME) >>> 3] = NaN;
    this.u32[w + 4] = 0;
    this.u32[w + 5] = 0;
    this.i32[(at + F.A) >>> 2] = value;
    this.core.ringPublish(this.ring);
  }

  rtt(rttNs: number, now: number): number {
    const at = this.begin(K.RTT, now);
    if (at !== 0) this.f64[(at + F.F) >>> 3] = rttNs;
    return this.end(at, this.core.hotOnRtt(this.state, rttNs, now));
  }

  ack(clOrdId: number, exchOrderId: number, rttNs: number, now: number): number {
    const at = this.begin(K.ACK, now);
    if (at !== 0) this.doubles(at, clOrdId, exchOrderId, rttNs);
    return this.end(at, this.core.hotOnAck(this.state, clOrdId, exchOrderId, rttNs, now));
  }

  reject(clOrdId: number, reason: number, now: number): number {
    const at = this.begin(K.REJECT, now);
    if (at !== 0) {
      this.f64[(at + F.X) >>> 3] = clOrdId;
      this.i32[(at + F.C) >>> 2] = reason;
    }
    return this.end(at, this.core.hotOnReject(this.state, clOrdId, reason, now));
  }

  fill(clOrdId: number, price: number, qty: number, now: number): number {
    const at = this.begin(K.FILL, now);
    if (at !== 0) {
      this.f64[(at + F.X) >>> 3] = clOrdId;
      this.i32[(at + F.C) >>> 2] = price;
      this.i32[(at + F.D) >>> 2] = qty;
    }
    return this.end(at, this.core.hotOnFill(this.state, clOrdId, price, qty, now));
  }

  canceled(clOrdId: number, now: number): number {
    const at = this.begin(K.CANCELED, now);
    if (at !== 0) this.f64[(at + F.X) >>> 3] = clOrdId;
    return this.end(at, this.core.hotOnCanceled(this.state, clOrdId, now));
  }

  replaced(origClOrdId: number, newClOrdId: number, exchOrderId: number, now: number): number {
    const at = this.begin(K.REPLACED, now);
    if (at !== 0) this.doubles(at, origClOrdId, newClOrdId, exchOrderId);
    return this.end(at, this.core.hotOnReplaced(this.state, origClOrdId, newClOrdId, exchOrderId, now));
  }

  probe(probeId: number, rttNs: number, now: number): number {
    const at = this.begin(K.PROBE, now);
    if (at !== 0) {
      this.f64[(at + F.X) >>> 3] = probeId;
      this.f64[(at + F.Y) >>> 3] = rttNs;
    }
    return this.end(at, this.core.hotOnProbe(this.state, probeId, rttNs, now));
  }

  timer(now: number): number {
    return this.end(this.begin(K.TIMER, now), this.core.hotOnTimer(this.state, now));
  }

  flatten(collarTicks: number, now: number): number {
    const at = this.begin(K.FLATTEN, now);
    if (at !== 0) this.i32[(at + F.A) >>> 2] = collarTicks;
    return this.end(at, this.core.hotFlatten(this.state, collarTicks, now));
  }

  reset(now: number): number {
    return this.end(this.begin(K.RESET, now), this.core.hotReset(this.state, now));
  }

  private ints(at: number, a: number, b: number, c: number): void {
    const w = at >>> 2;
    this.i32[w + 6] = a;
    this.i32[w + 7] = b;
    this.i32[w + 8] = c;
  }

  private doubles(at: number, x: number, y: number, z: number): void {
    const d = at >>> 3;
    this.f64[d + 3] = x;
    this.f64[d + 4] = y;
    this.f64[d + 5] = z;
  }
}

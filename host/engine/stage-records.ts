// What the engine's workers tell each other through the core's SPSC rings (64-byte slots), and the
// engine's own control words in shared memory. Records are written in place (ringClaim → stores →
// ringPublish) and read in place (ringPeek → loads → ringRelease) through typed views of the one
// shared memory, so passing one allocates nothing. A full ring drops the record and counts it: the
// hot path never waits for a slower reader.
//
// Tick ring (market stage → execution in `modules`, → sonar in both topologies), 64 bytes:
//   +0 u32 kind (TickKind)   +4 i32 symbol index (position in engine.symbols)
//   TICK:   +8 f64 T0 (socket read) · +16 f64 Tv (venue send stamp of the frame) · +24 u32 seq
//           +28 i32 bid ticks · +32 i32 bid qty · +36 i32 ask ticks · +40 i32 ask qty (NO_PRICE: side empty)
//           +48 f64 signal · +56 f64 T2 (signal computed; the mid is (bid + ask) / 2)
//   DEFINE: +8 u32 venue symbol id · +12 u32 tick paise · +16 u32 lot size (after each sync)
//   STALE:  +8 u32 1 stale / 0 live again (a gap, a disconnect: the book cannot be trusted)
//   TRADE:  +8 i32 price ticks · +12 i32 qty (anyone's trade: the NEV fill model's trade rate)
//
// Event ring (execution → the cool side: journal, telemetry, latency, sentinel), 64 bytes:
//   +0 u32 kind (EventKind) · +4 i32 symbol index · +8 f64 timestamp ns
//   ORDER_NEW / ORDER_CANCEL / ORDER_REPLACE: +16 f64 clOrdId · +24 f64 origClOrdId · +32 i32 price · +36 i32 qty
//           +40 u8 side · +41 u8 kind · +42 u8 tif · +44 u32 venue symbol id
//   ACK:    +16 f64 clOrdId · +24 f64 exchOrderId · +44 u32 venue symbol id · +48 f64 RTT ns
//   REJECT: +16 f64 clOrdId · +32 i32 reason · +36 i32 detail · +44 u32 venue symbol id · +48 f64 RTT ns
//   FILL:   +16 f64 clOrdId · +24 f64 tradeId · +32 i32 price · +36 i32 qty · +40 u8 side · +44 u32 venue symbol id
//           +48 f64 leaves qty
//   CANCELED: +16 f64 clOrdId (of the order) · +32 i32 reason · +36 i32 canceled qty · +44 u32 venue symbol id
//   REPLACED: +16 f64 new clOrdId · +24 f64 orig clOrdId · +32 i32 price · +36 i32 qty · +44 u32 venue symbol id
//   LATENCY (one per decision that sent orders): +8 f64 T0 · +16 f64 Tv · +24 f64 T1 book applied · +32 f64 T2 signal
//           · +40 f64 T3 decided · +48 f64 T4 written
//   SESSION: +16 f64 1 logged in / 0 session over · +48 f64 login RTT ns (a first RTT sample before any ack)
//   CONTROL_DONE: +16 f64 ControlWord it answers · +24 f64 the request's sequence · +32 i32 status
//   DEFINE: +44 u32 the venue's symbol id of this index (after each sync)
import type { CoreExports } from '../core/core.js';

export const TickKind = { TICK: 1, DEFINE: 2, STALE: 3, TRADE: 4 } as const;
export const EventKind = {
  ORDER_NEW: 1, ORDER_CANCEL: 2, ORDER_REPLACE: 3, ACK: 4, REJECT: 5, FILL: 6, CANCELED: 7, REPLACED: 8, LATENCY: 9,
  SESSION: 10, CONTROL_DONE: 11, DEFINE: 12, PROBE: 13,
} as const;

export const SLOT = 64;

/**
 * The engine's control words (i32, in the memory map's `engine.control` state), each written by one side:
 *   STOP            main → all: stop (1)
 *   HALT_REASON     main: TradingStateReason of a halt the engine itself decided (WORKER_DIED), 0 none
 *   FLATTEN_REQ / RESET_REQ: cool → execution: bumped per request (execution reports a refusal with a
 *                   CONTROL_DONE event); PARAM_REQ / PARAM_KEY / PARAM_VALUE_LO / _HI: cool → execution: a parameter
 *                   (bumped per request; execution applies it and answers in the hot-input words, hot-inputs.ts)
 *   WAKE            anyone → execution: bumped, then a 'wake' message through the main thread says when to look
 *   LAST_RTT_US     execution → anyone: the last order-path RTT sample (ack, probe, login), µs
 *   RTT_VERDICT     execution → sonar: the execution core's RTT verdict (ExecRttVerdict; 0 NO_SAMPLE until
 *                   the first), the zero-trust gate's RTT check
 *   DROPPED_TICKS / DROPPED_EVENTS: producers count records a full ring refused; TICKS, DECISIONS: counts
 *   FLATTEN_COLLAR  cool → execution: the pending flatten's collar, ticks (0: the configured one)
 *   GATE_MASK + i   Sonar → Sentinel: symbol i's gate mask, for telemetry
 *   KILLS           kill watcher → Sentinel: bumped per kill the watcher halted on (Sentinel journals it even
 *                   when a reset cleared the kill word before its own look)
 */
export const ControlWord = {
  STOP: 0, HALT_REASON: 1, FLATTEN_REQ: 2, RESET_REQ: 3, PARAM_REQ: 4, PARAM_KEY: 5, PARAM_VALUE_LO: 6, PARAM_VALUE_HI: 7,
  WAKE: 8, LAST_RTT_US: 9, RTT_VERDICT: 10, DROPPED_TICKS: 11, DROPPED_EVENTS: 12, TICKS: 13, DECISIONS: 14,
  FLATTEN_COLLAR: 15, GATE_MASK: 16, KILLS: 32,
} as const;
/** GATE_MASK + symbol index: Sonar's last gate mask (TrustCheck bits) | 0x100 while the feed calls it stale. */
export const GATE_STALE_BIT = 0x100;
export const CONTROL_WORDS = 48;
export const CONTROL_BYTES = CONTROL_WORDS * 4;

/** Typed views of the shared memory and the ring calls the record writers and readers use. */
export class RecordViews {
  readonly f64: Float64Array;
  readonly i32: Int32Array;
  readonly u32: Uint32Array;
  readonly u8: Uint8Array;
  constructor(readonly core: Pick<CoreExports, 'memory' | 'ringClaim' | 'ringPublish' | 'ringPeek' | 'ringRelease'>) {
    const buf = core.memory.buffer;
    this.f64 = new Float64Array(buf);
    this.i32 = new Int32Array(buf);
    this.u32 = new Uint32Array(buf);
    this.u8 = new Uint8Array(buf);
  }
}

/** The engine's control words at `offset` (an Int32Array over the shared memory). */
export function controlWords(memory: WebAssembly.Memory, offset: number): Int32Array {
  return new Int32Array(memory.buffer, offset, CONTROL_WORDS);
}

/** Writes one tick record, stamps and signal from `stamps` (MarketStage's: T0, Tv, T1, T2, signal); false
 *  (and counted in DROPPED_TICKS) when the ring is full. */
export function pushTick(v: RecordViews, ring: number, control: Int32Array, index: number, stamps: Float64Array, seq: number,
  bid: number, bidQty: number, ask: number, askQty: number): boolean {
  const at = v.core.ringClaim(ring);
  if (at === 0) {
    Atomics.add(control, ControlWord.DROPPED_TICKS, 1);
    return false;
  }
  const w = at >>> 2;
  const d = at >>> 3;
  v.u32[w] = TickKind.TICK;
  v.i32[w + 1] = index;
  v.f64[d + 1] = stamps[0]!;
  v.f64[d + 2] = stamps[1]!;
  v.u32[w + 6] = seq;
  v.i32[w + 7] = bid;
  v.i32[w + 8] = bidQty;
  v.i32[w + 9] = ask;
  v.i32[w + 10] = askQty;
  v.f64[d + 6] = stamps[4]!;
  v.f64[d + 7] = stamps[3]!;
  v.core.ringPublish(ring);
  return true;
}

/** A DEFINE or STALE record (off the hot path: after a sync, on a gap or disconnect). */
export function pushTickControl(v: RecordViews, ring: number, control: Int32Array, kind: number, index: number,
  a: number, b = 0, c = 0): boolean {
  const at = v.core.ringClaim(ring);
  if (at === 0) {
    Atomics.add(control, ControlWord.DROPPED_TICKS, 1);
    return false;
  }
  const w = at >>> 2;
  v.u32[w] = kind;
  v.i32[w + 1] = index;
  v.u32[w + 2] = a;
  v.u32[w + 3] = b;
  v.u32[w + 4] = c;
  v.core.ringPublish(ring);
  return true;
}

/**
 * Claims an event slot and writes its kind, symbol index and timestamp; returns the slot's address for the
 * kind's fields (then ringPublish), or 0 (counted) when the ring is full. `tsNs` must already be a number
 * object (a clock's return value): a raw double passed here would be boxed.
 */
export function claimEvent(v: RecordViews, ring: number, control: Int32Array, kind: number, index: number, tsNs: number): number {
  const at = v.core.ringClaim(ring);
  if (at === 0) {
    Atomics.add(control, ControlWord.DROPPED_EVENTS, 1);
    return 0;
  }
  v.u32[at >>> 2] = kind;
  v.i32[(at >>> 2) + 1] = index;
  v.f64[(at >>> 3) + 1] = tsNs;
  return at;
}

/** Field offsets inside an event slot, for the writers and readers. */
export const Ev = {
  ID: 16, ID2: 24, PRICE: 32, QTY: 36, SIDE: 40, KIND: 41, TIF: 42, SYMBOL: 44, X: 48, Y: 56,
  // LATENCY
  T0: 8, TV: 16, T1: 24, T2: 32, T3: 40, T4: 48,
} as const;

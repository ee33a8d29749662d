// The execution stage's calls with times, ids and durations as f64, for a JavaScript driver's hot path.
// Every i64 parameter of a wasm export is a BigInt in JavaScript, and making a BigInt allocates: one per
// argument per call, enough to run the young-generation collector every few thousand ticks. A double
// holds every integer nanosecond up to 2^53 (104 days of uptime) and every client order id the wire
// carries (the protocol's ids stay below 2^53), so these wrappers convert once inside the core and call
// the i64 API unchanged. No state of their own: pure forwarding.
import {
  execFlatten, execNextDeadline, execOnAck, execOnBook, execOnCanceled, execOnFill, execOnMarket, execOnReject,
  execOnProbe, execOnReplaced, execOnRtt, execOnTimer, execOnTrade, execReset,
} from "./execution";

/** execOnBook with nowNs as f64. */
export function hotOnBook(state: usize, index: i32, book: usize, oracle: usize, nowNs: f64): i32 {
  return execOnBook(state, index, book, oracle, <i64>nowNs);
}

/** execOnMarket with nowNs as f64. */
export function hotOnMarket(state: usize, index: i32, bidTicks: i32, bidQty: i32, askTicks: i32, askQty: i32, signal: f64, nowNs: f64): i32 {
  return execOnMarket(state, index, bidTicks, bidQty, askTicks, askQty, signal, <i64>nowNs);
}

/** execOnAck with ids, RTT and time as f64. */
export function hotOnAck(state: usize, clOrdId: f64, exchOrderId: f64, rttNs: f64, nowNs: f64): i32 {
  return execOnAck(state, <u64>clOrdId, <u64>exchOrderId, <i64>rttNs, <i64>nowNs);
}

/** execOnReject with the id and time as f64. */
export function hotOnReject(state: usize, clOrdId: f64, reason: i32, nowNs: f64): i32 {
  return execOnReject(state, <u64>clOrdId, reason, <i64>nowNs);
}

/** execOnFill with the id and time as f64. */
export function hotOnFill(state: usize, clOrdId: f64, priceTicks: i32, qty: i32, nowNs: f64): i32 {
  return execOnFill(state, <u64>clOrdId, priceTicks, qty, <i64>nowNs);
}

/** execOnCanceled with the id and time as f64. */
export function hotOnCanceled(state: usize, clOrdId: f64, nowNs: f64): i32 {
  return execOnCanceled(state, <u64>clOrdId, <i64>nowNs);
}

/** execOnReplaced with ids and time as f64. */
export function hotOnReplaced(state: usize, origClOrdId: f64, newClOrdId: f64, exchOrderId: f64, nowNs: f64): i32 {
  return execOnReplaced(state, <u64>origClOrdId, <u64>newClOrdId, <u64>exchOrderId, <i64>nowNs);
}

/** execOnTimer with nowNs as f64. */
export function hotOnTimer(state: usize, nowNs: f64): i32 {
  return execOnTimer(state, <i64>nowNs);
}

/** execNextDeadline as f64 (+∞ when none). */
export function hotNextDeadline(state: usize): f64 {
  const d = execNextDeadline(state);
  return d == i64.MAX_VALUE ? Infinity : <f64>d;
}

/** execFlatten with nowNs as f64. */
export function hotFlatten(state: usize, collarTicks: i32, nowNs: f64): i32 {
  return execFlatten(state, collarTicks, <i64>nowNs);
}

/** execReset with nowNs as f64. */
export function hotReset(state: usize, nowNs: f64): i32 {
  return execReset(state, <i64>nowNs);
}

/** execOnTrade with nowNs as f64. */
export function hotOnTrade(state: usize, index: i32, priceTicks: i32, qty: i32, nowNs: f64): i32 {
  return execOnTrade(state, index, priceTicks, qty, <i64>nowNs);
}

/** execOnRtt with the RTT and time as f64. */
export function hotOnRtt(state: usize, rttNs: f64, nowNs: f64): i32 {
  return execOnRtt(state, <i64>rttNs, <i64>nowNs);
}

/** execOnProbe with the id, RTT and time as f64. */
export function hotOnProbe(state: usize, probeId: f64, rttNs: f64, nowNs: f64): i32 {
  return execOnProbe(state, <u64>probeId, <i64>rttNs, <i64>nowNs);
}

/** execNextDeadline stored as f64 at `out` (+∞ when none): a wasm f64 result reaches JavaScript boxed, a load is not. */
export function hotNextDeadlineInto(state: usize, out: usize): void {
  const d = execNextDeadline(state);
  store<f64>(out, d == i64.MAX_VALUE ? Infinity : <f64>d);
}

/** execOnBook with the time read from memory (f64 at `nowAt`): no argument to box even when the call is not inlined. */
export function hotOnBookAt(state: usize, index: i32, book: usize, oracle: usize, nowAt: usize): i32 {
  return execOnBook(state, index, book, oracle, <i64>load<f64>(nowAt));
}

// Recent traded volume per second, for the fill-probability model of NEV.
//
// An exponentially decaying intensity estimate: every trade of q lots adds q·k to the rate, and the
// rate decays as e^(−k·Δt), k = ln 2 / half-life. For trades arriving at a steady rate r this
// settles at r, and after a burst it forgets with the configured half-life, so a quiet market
// reads as quiet within a few half-lives rather than averaging in a busy morning.
//
// Layout at `state` (8-byte aligned), 32 bytes:
//   +0 rate f64 (lots/s at lastNs) · +8 lastNs i64 · +16 k f64 (1/ns) · +24 initialised u32

const RATE: usize = 0;
const LAST_NS: usize = 8;
const K: usize = 16;
const READY: usize = 24;
const LN2: f64 = 0.6931471805599453;

export function tradeRateBytes(): usize {
  return 32;
}

/** Half-life in ns, > 0. Returns 0, or −1 for a bad half-life. */
export function tradeRateInit(state: usize, halfLifeNs: i64): i32 {
  if (halfLifeNs <= 0) return -1;
  store<f64>(state + RATE, 0);
  store<i64>(state + LAST_NS, 0);
  store<f64>(state + K, LN2 / <f64>halfLifeNs);
  store<u32>(state + READY, 1);
  return 0;
}

@inline function decayed(state: usize, nowNs: i64): f64 {
  const dt = nowNs - load<i64>(state + LAST_NS);
  // A clock that went backwards decays nothing rather than inflating the rate.
  return dt <= 0 ? load<f64>(state + RATE) : load<f64>(state + RATE) * Math.exp(-load<f64>(state + K) * <f64>dt);
}

/** Records a trade of `qty` lots at `nowNs`. */
export function tradeRateOnTrade(state: usize, qty: i64, nowNs: i64): void {
  const r = decayed(state, nowNs) + <f64>qty * load<f64>(state + K) * 1e9;
  store<f64>(state + RATE, r);
  if (nowNs > load<i64>(state + LAST_NS)) store<i64>(state + LAST_NS, nowNs);
}

/** Estimated traded lots per second as of `nowNs`. */
export function tradeRatePerSecond(state: usize, nowNs: i64): f64 {
  return decayed(state, nowNs);
}

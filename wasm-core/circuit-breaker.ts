// Circuit breaker (Sentinel): trips on maxRejects venue rejects within a sliding window and stays
// tripped until an operator resets it.
//
// Window: a reject at time r is in the window at time t when t − r < windowNs (half-open: with a
// 10 s window, rejects at t0 and at exactly t0 + 10 s are not in one window; at t0 + 10 s − 1 ns they
// are). The breaker trips on the reject that makes maxRejects rejects in the window, i.e. when the
// maxRejects-th latest reject (this one included) is less than windowNs old.
//
// Sticky: a tripped breaker asks the configured TradingState (default HALTED) until
// circuitBreakerReset. Repeated rejects mean something is wrong that time will not fix (a price band
// or lot size the strategy keeps violating, an account blocked at the broker, a venue refusing the
// session's orders), and a breaker that re-armed itself after the window would let the same fault
// trip it again and again, each time after more rejects. The reset also empties the window, so the
// rejects that tripped it cannot trip it again. Rejects while tripped are counted and kept in the
// window but do not count as new trips.
//
// Accepts do not matter for tripping: circuitBreakerOnAccept only counts them (telemetry: rejects
// against accepts). A breaker that forgave rejects on an accept would never trip on a fault that hits
// every other order (one symbol out of its band, one side blocked), and an order that was accepted
// says nothing about the one that was refused.
//
// What to feed: the venue's or broker's rejects of new orders and replaces. A cancel-reject for an
// order that has just filled or expired is an ordinary race, not a fault: do not feed it.
//
// A nowNs earlier than the last call's is taken as the last call's (the window stays ordered) and
// counted as a clock fault; the reject itself counts, because dropping a sign of trouble is the
// unsafe choice.
//
// Layout at `state` (8-byte aligned; host-given), circuitBreakerBytes(maxRejects) bytes:
//   +0   windowNs i64
//   +8   tripNs i64     time of the last trip (i64.MIN: never)
//   +16  resetNs i64    time of the last reset (i64.MIN: never)
//   +24  lastNs i64     time of the last reject or reset (i64.MIN: none)
//   +32  maxRejects u32 · +36 tripAsk u32 (TradingState) · +40 mode u32 (CircuitBreakerMode) · +44 trips u32
//   +48  rejects u32 · +52 accepts u32 · +56 resets u32 · +60 clockFaults u32   (all since init)
//   +64  head u32       ring slot of the next reject
//   +68  held u32       rejects in the ring: min(rejects since the last reset, maxRejects)
//   +72  reserved to +128
//   +128 ring: maxRejects × i64, the times of the latest rejects

import { TradingState } from "./vocabulary";

/** Status codes of circuitBreakerInit. */
export namespace CircuitBreakerStatus {
  export const OK: i32 = 0;
  /** circuitBreakerInit: maxRejects outside [1, 4096]. */
  export const BAD_COUNT: i32 = -1;
  /** circuitBreakerInit: windowNs ≤ 0. */
  export const BAD_WINDOW: i32 = -2;
  /** circuitBreakerInit: tripAsk is neither TradingState.REDUCING nor TradingState.HALTED. */
  export const BAD_ASK: i32 = -3;
  /** circuitBreakerInit: state not 8-byte aligned. */
  export const MISALIGNED: i32 = -4;
}

/** The breaker's mode (circuitBreakerMode). */
export namespace CircuitBreakerMode {
  export const ARMED: u32 = 0;
  export const TRIPPED: u32 = 1;
}

/** Bounds of maxRejects. */
export namespace CircuitBreakerLimit {
  export const MAX_REJECTS: i32 = 4096;
}

const WINDOW: usize = 0;
const TRIP_NS: usize = 8;
const RESET_NS: usize = 16;
const LAST_NS: usize = 24;
const MAX_REJECTS: usize = 32;
const ASK: usize = 36;
const MODE: usize = 40;
const TRIPS: usize = 44;
const REJECTS: usize = 48;
const ACCEPTS: usize = 52;
const RESETS: usize = 56;
const CLOCK_FAULTS: usize = 60;
const HEAD: usize = 64;
const HELD: usize = 68;
const RING: usize = 128;

/** Bytes of one breaker's state block for maxRejects in [1, 4096] (a multiple of 64); 0 outside. */
export function circuitBreakerBytes(maxRejects: i32): usize {
  if (maxRejects < 1 || maxRejects > CircuitBreakerLimit.MAX_REJECTS) return 0;
  return (RING + (<usize>maxRejects << 3) + 63) & ~(<usize>63);
}

/**
 * Configures the breaker, armed and with an empty window: maxRejects rejects in windowNs trip it;
 * tripped asks tripAsk (TradingState REDUCING or HALTED). The block must be circuitBreakerBytes(maxRejects).
 */
export function circuitBreakerInit(state: usize, maxRejects: i32, windowNs: i64, tripAsk: u32): i32 {
  if (maxRejects < 1 || maxRejects > CircuitBreakerLimit.MAX_REJECTS) return CircuitBreakerStatus.BAD_COUNT;
  if (windowNs <= 0) return CircuitBreakerStatus.BAD_WINDOW;
  if (tripAsk != TradingState.REDUCING && tripAsk != TradingState.HALTED) return CircuitBreakerStatus.BAD_ASK;
  if ((state & 7) != 0) return CircuitBreakerStatus.MISALIGNED;
  memory.fill(state, 0, circuitBreakerBytes(maxRejects));
  store<i64>(state + WINDOW, windowNs);
  store<i64>(state + TRIP_NS, i64.MIN_VALUE);
  store<i64>(state + RESET_NS, i64.MIN_VALUE);
  store<i64>(state + LAST_NS, i64.MIN_VALUE);
  store<u32>(state + MAX_REJECTS, <u32>maxRejects);
  store<u32>(state + ASK, tripAsk);
  store<u32>(state + MODE, CircuitBreakerMode.ARMED);
  return CircuitBreakerStatus.OK;
}

@inline function askOf(state: usize): i32 {
  return load<u32>(state + MODE) == CircuitBreakerMode.TRIPPED ? <i32>load<u32>(state + ASK) : <i32>TradingState.ACTIVE;
}

/** nowNs, or the last call's time when nowNs is earlier (counted as a clock fault when `count`). */
@inline function clamp(state: usize, nowNs: i64, count: bool): i64 {
  const last = load<i64>(state + LAST_NS);
  if (nowNs >= last) return nowNs;
  if (count) store<u32>(state + CLOCK_FAULTS, load<u32>(state + CLOCK_FAULTS) + 1);
  return last;
}

/** Records a reject at nowNs; returns the TradingState the breaker asks after it (ACTIVE while armed). */
export function circuitBreakerOnReject(state: usize, nowNs: i64): i32 {
  nowNs = clamp(state, nowNs, true);
  store<i64>(state + LAST_NS, nowNs);
  store<u32>(state + REJECTS, load<u32>(state + REJECTS) + 1);
  const cap = load<u32>(state + MAX_REJECTS);
  let head = load<u32>(state + HEAD);
  store<i64>(state + RING + (<usize>head << 3), nowNs);
  head = head + 1 == cap ? 0 : head + 1;
  store<u32>(state + HEAD, head);
  const held = load<u32>(state + HELD);
  if (held < cap) store<u32>(state + HELD, held + 1);
  // With the ring full, slot `head` holds the cap-th latest reject (this one is the first latest).
  if (load<u32>(state + MODE) == CircuitBreakerMode.ARMED && held + 1 >= cap
      && nowNs - load<i64>(state + RING + (<usize>head << 3)) < load<i64>(state + WINDOW)) {
    store<u32>(state + MODE, CircuitBreakerMode.TRIPPED);
    store<u32>(state + TRIPS, load<u32>(state + TRIPS) + 1);
    store<i64>(state + TRIP_NS, nowNs);
  }
  return askOf(state);
}

/** Counts an accepted order (accepts never arm or trip the breaker); returns the TradingState the breaker asks. */
export function circuitBreakerOnAccept(state: usize): i32 {
  store<u32>(state + ACCEPTS, load<u32>(state + ACCEPTS) + 1);
  return askOf(state);
}

/** Operator reset at nowNs: re-arms the breaker and empties the window; returns ACTIVE. */
export function circuitBreakerReset(state: usize, nowNs: i64): i32 {
  nowNs = clamp(state, nowNs, true);
  store<i64>(state + LAST_NS, nowNs);
  store<i64>(state + RESET_NS, nowNs);
  store<u32>(state + RESETS, load<u32>(state + RESETS) + 1);
  store<u32>(state + MODE, CircuitBreakerMode.ARMED);
  store<u32>(state + HEAD, 0);
  store<u32>(state + HELD, 0);
  return askOf(state);
}

/** The TradingState the breaker asks now: ACTIVE when armed, the configured one when tripped. */
export function circuitBreakerAsk(state: usize): i32 {
  return askOf(state);
}

/** Current mode: 0 ARMED, 1 TRIPPED. */
export function circuitBreakerMode(state: usize): i32 {
  return <i32>load<u32>(state + MODE);
}

/**
 * Rejects since the last reset still in the window at nowNs (a nowNs before the last call counts as
 * the last call's); at most maxRejects, the ring's size. Does not change state.
 */
export function circuitBreakerRejectsInWindow(state: usize, nowNs: i64): i32 {
  nowNs = clamp(state, nowNs, false);
  const cap = load<u32>(state + MAX_REJECTS);
  const held = load<u32>(state + HELD);
  const window = load<i64>(state + WINDOW);
  let slot = load<u32>(state + HEAD);
  let n: i32 = 0;
  // Walk from the latest back; times only fall, so stop at the first one outside the window.
  for (let i: u32 = 0; i < held; i++) {
    slot = slot == 0 ? cap - 1 : slot - 1;
    if (nowNs - load<i64>(state + RING + (<usize>slot << 3)) >= window) break;
    n++;
  }
  return n;
}

/** Trips since init. */
export function circuitBreakerTrips(state: usize): u32 {
  return load<u32>(state + TRIPS);
}

/** Time of the last trip (i64.MIN: never). */
export function circuitBreakerTripNs(state: usize): i64 {
  return load<i64>(state + TRIP_NS);
}

/** Time of the last reset (i64.MIN: never). */
export function circuitBreakerResetNs(state: usize): i64 {
  return load<i64>(state + RESET_NS);
}

/** Rejects since init. */
export function circuitBreakerRejects(state: usize): u32 {
  return load<u32>(state + REJECTS);
}

/** Accepts since init. */
export function circuitBreakerAccepts(state: usize): u32 {
  return load<u32>(state + ACCEPTS);
}

/** Resets since init. */
export function circuitBreakerResets(state: usize): u32 {
  return load<u32>(state + RESETS);
}

/** Calls whose nowNs was earlier than the previous reject's or reset's, since init. */
export function circuitBreakerClockFaults(state: usize): u32 {
  return load<u32>(state + CLOCK_FAULTS);
}

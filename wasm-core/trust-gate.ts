// Zero-trust gate: opens only when every named check passes; exposes the failing checks as a bitmask.
//
// Checks (bit values mirrored on the host as TrustCheck in host/sonar.ts):
//   FEED_STALE 1       no feed event yet, or now − last feed receive > maxFeedAgeNs
//   SEQ_GAP 2          a feed sequence number other than last + 1 (gap, duplicate or regression)
//                      since the last resync; latched
//   BOOK_CROSSED 4     the book passed to gateEvaluate is crossed (best bid ≥ best ask)
//   RTT_HIGH 8         the order path's RTT verdict is not healthy: none given yet, or the last one
//                      (gateOnRtt) said so. The verdict is the execution core's (execRttVerdict: its
//                      RTT watchdog has no sample yet, is in LOCKDOWN, or a request is overdue), so
//                      one slow ack closes nothing and the lockdown threshold is set in one place;
//                      not latched: a healthy verdict clears it
//   CLOCK_BACKWARDS 16 a timestamp went backwards; latched
// gateEvaluate returns the OR of the failing bits: 0 means open. SEQ_GAP and CLOCK_BACKWARDS stay set
// until gateResync, because a gap or a clock jump leaves the book and the latency figures suspect
// until a snapshot has rebuilt them.
//
// Timestamps come in two streams, each of which must not go backwards: feed receive stamps
// (gateOnFeed's recvNs, taken by the feed worker) and the calling worker's clock (nowNs of gateOnRtt,
// gateResync, gateEvaluate). They are kept apart because an event received before the gate's last
// evaluation but handed over after it is ordinary pipelining, not a clock fault. Across the two,
// an evaluation at a nowNs earlier than the last feed receive stamp is a fault too (the feed saw
// the future), so take nowNs after passing in the feed events it covers.
//
// Sequence numbers are i64: venue ids (e.g. Binance update ids ~5e10) outgrow u32, and i64 needs no
// wrap-around arithmetic. The first event after init or resync sets the baseline.
//
// Layout at `state` (8-byte aligned; host-given):
//   +0   maxFeedAgeNs i64 · +8 reserved i64
//   +16  lastFeedNs i64   receive stamp of the last feed event
//   +24  lastSeq i64      sequence number of the last feed event
//   +32  rttHealthy i32   the last RTT verdict, 1 healthy · +36 reserved
//   +40  lastNowNs i64    last nowNs of gateOnRtt / gateResync / gateEvaluate
//   +48  have u32         HAVE_FEED 1 · HAVE_SEQ 2 · HAVE_RTT 4 (a verdict was given) · HAVE_NOW 8
//   +52  latched u32      SEQ_GAP | CLOCK_BACKWARDS until gateResync
//   +56  gaps u32         sequence breaks since init · +60 clockFaults u32 calls that saw time go backwards since init

import { bookIsCrossed } from "./book";

/** Bits of gateEvaluate's mask. */
export namespace TrustCheck {
  export const FEED_STALE: i32 = 1;
  export const SEQ_GAP: i32 = 2;
  export const BOOK_CROSSED: i32 = 4;
  export const RTT_HIGH: i32 = 8;
  export const CLOCK_BACKWARDS: i32 = 16;
}

/** Status codes of gateInit. */
export namespace GateStatus {
  export const OK: i32 = 0;
  /** gateInit: maxFeedAgeNs ≤ 0. */
  export const BAD_LIMIT: i32 = -1;
  /** gateInit: state not 8-byte aligned. */
  export const MISALIGNED: i32 = -2;
}

const HAVE_FEED: u32 = 1;
const HAVE_SEQ: u32 = 2;
const HAVE_RTT: u32 = 4;
const HAVE_NOW: u32 = 8;

const MAX_FEED_AGE: usize = 0;
const LAST_FEED: usize = 16;
const LAST_SEQ: usize = 24;
const RTT_HEALTHY: usize = 32;
const LAST_NOW: usize = 40;
const HAVE: usize = 48;
const LATCHED: usize = 52;
const GAPS: usize = 56;
const CLOCK_FAULTS: usize = 60;
const BYTES: usize = 64;

/** Bytes the gate state occupies. */
export function gateBytes(): usize {
  return BYTES;
}

/** Sets the feed-age limit (> 0 ns) and forgets everything seen: the gate starts closed (FEED_STALE | RTT_HIGH). */
export function gateInit(state: usize, maxFeedAgeNs: i64): i32 {
  if (maxFeedAgeNs <= 0) return GateStatus.BAD_LIMIT;
  if ((state & 7) != 0) return GateStatus.MISALIGNED;
  memory.fill(state, 0, BYTES);
  store<i64>(state + MAX_FEED_AGE, maxFeedAgeNs);
  return 0;
}

/** Advances the caller-clock stream; CLOCK_BACKWARDS when nowNs is earlier than the last one. */
@inline function stepNow(state: usize, nowNs: i64): i32 {
  const have = load<u32>(state + HAVE);
  const bits = (have & HAVE_NOW) != 0 && nowNs < load<i64>(state + LAST_NOW) ? TrustCheck.CLOCK_BACKWARDS : 0;
  store<i64>(state + LAST_NOW, nowNs);
  store<u32>(state + HAVE, have | HAVE_NOW);
  return bits;
}

/** Latches what one call found and counts it once (a call may see time go back in two ways). */
@inline function latch(state: usize, bits: i32): i32 {
  if (bits == 0) return 0;
  store<u32>(state + LATCHED, load<u32>(state + LATCHED) | <u32>bits);
  if ((bits & TrustCheck.SEQ_GAP) != 0) store<u32>(state + GAPS, load<u32>(state + GAPS) + 1);
  if ((bits & TrustCheck.CLOCK_BACKWARDS) != 0) store<u32>(state + CLOCK_FAULTS, load<u32>(state + CLOCK_FAULTS) + 1);
  return bits;
}

/** Records a feed event received at recvNs with sequence `seq`; returns the bits it latched (SEQ_GAP, CLOCK_BACKWARDS) or 0. */
export function gateOnFeed(state: usize, recvNs: i64, seq: i64): i32 {
  const have = load<u32>(state + HAVE);
  let bits: i32 = 0;
  if ((have & HAVE_FEED) != 0 && recvNs < load<i64>(state + LAST_FEED)) bits |= TrustCheck.CLOCK_BACKWARDS;
  if ((have & HAVE_SEQ) != 0 && seq != load<i64>(state + LAST_SEQ) + 1) bits |= TrustCheck.SEQ_GAP;
  store<i64>(state + LAST_FEED, recvNs);
  store<i64>(state + LAST_SEQ, seq);
  store<u32>(state + HAVE, have | HAVE_FEED | HAVE_SEQ);
  return latch(state, bits);
}

/**
 * Records the order path's RTT verdict at nowNs: `healthy` 1 when the execution core's verdict is OK
 * (execRttVerdict == ExecRttVerdict.OK), 0 otherwise. Returns CLOCK_BACKWARDS if it latched that, else 0.
 */
export function gateOnRtt(state: usize, healthy: i32, nowNs: i64): i32 {
  const bits = stepNow(state, nowNs);
  store<i32>(state + RTT_HEALTHY, healthy == 1 ? 1 : 0);
  store<u32>(state + HAVE, load<u32>(state + HAVE) | HAVE_RTT);
  return latch(state, bits);
}

/**
 * After a snapshot resync: clears the SEQ_GAP and CLOCK_BACKWARDS latches and re-baselines both
 * timestamp streams and the sequence at the next event. The feed counts as stale until the next
 * feed event (its stream position is forgotten); the RTT verdict is kept.
 */
export function gateResync(state: usize, nowNs: i64): void {
  store<u32>(state + LATCHED, 0);
  store<i64>(state + LAST_NOW, nowNs);
  store<u32>(state + HAVE, (load<u32>(state + HAVE) & ~(HAVE_FEED | HAVE_SEQ)) | HAVE_NOW);
}

/** Runs every check against `book` at nowNs; returns the failing checks' bits, 0 when the gate is open. */
export function gateEvaluate(state: usize, book: usize, nowNs: i64): i32 {
  let bits = stepNow(state, nowNs);
  const have = load<u32>(state + HAVE);
  const haveFeed = (have & HAVE_FEED) != 0;
  const lastFeed = load<i64>(state + LAST_FEED);
  if (haveFeed && nowNs < lastFeed) bits |= TrustCheck.CLOCK_BACKWARDS;
  latch(state, bits);
  let mask = <i32>load<u32>(state + LATCHED);
  if (!haveFeed || nowNs - lastFeed > load<i64>(state + MAX_FEED_AGE)) mask |= TrustCheck.FEED_STALE;
  if (bookIsCrossed(book) != 0) mask |= TrustCheck.BOOK_CROSSED;
  if ((have & HAVE_RTT) == 0 || load<i32>(state + RTT_HEALTHY) != 1) mask |= TrustCheck.RTT_HIGH;
  return mask;
}

/** Sequence breaks (gaps, duplicates, regressions) since init. */
export function gateGaps(state: usize): u32 {
  return load<u32>(state + GAPS);
}

/** Calls since init that saw a backwards timestamp. */
export function gateClockFaults(state: usize): u32 {
  return load<u32>(state + CLOCK_FAULTS);
}

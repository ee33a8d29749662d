// RTT watchdog (Sentinel): locks the order path down when acks come back slowly, releases with hysteresis.
//
// Fed every ack's round trip, rttNs = T5 − T4 of the request it answers first, at the caller's
// clock nowNs. Two modes:
//   NORMAL → LOCKDOWN  on the confirmSamples-th consecutive sample with rtt > lockdownRttNs (strictly
//                      above: an ack at exactly the threshold is not slow). Any sample at or below the
//                      threshold restarts the count, so one slow ack (a GC pause, a venue hiccup) never
//                      halts trading.
//   LOCKDOWN → NORMAL  on a sample that completes a run of releaseSamples consecutive samples with
//                      rtt < releaseRttNs (strictly below; releaseRttNs ≤ lockdownRttNs), taken at least
//                      minLockdownNs after the lockdown began. Any sample at or above releaseRttNs
//                      (slow, or in the band between the two thresholds) restarts the run. A run that
//                      is complete before the minimum time keeps counting; the first sample at or after
//                      the minimum time then releases. Release happens only on a sample: silence proves
//                      nothing, so the order path needs answers to come back out (the execution
//                      stage sends RTT probes while locked down: exec-probe.ts).
// In each mode the counter of the other mode is zero; a change restarts both.
//
// What a lockdown asks: the configured TradingState (REDUCING or HALTED); NORMAL asks ACTIVE.
// rttWatchdogOnSample returns the ask after the sample, so the execution stage can combine it
// with its other sources (kill word, circuit breaker, risk) by taking the most restrictive, i.e.
// the highest TradingState code. Its release withdraws only its own demand: a lockdown configured
// as HALTED stays HALTED after the release, because only an operator's reset leaves HALTED
// (riskSetTradingState in pre-trade-risk.ts); REDUCING, the default, lifts on release.
//
// Staleness: rttWatchdogHealthy(state, nowNs, oldestPendingSentNs) is 0 in LOCKDOWN, and 0 when a
// request still waiting for its first answer was sent more than maxAckWaitNs before nowNs (its RTT
// will exceed maxAckWaitNs whenever it comes, so a silent order path counts as a slow one for the
// zero-trust gate at once). oldestPendingSentNs < 0 means nothing is outstanding. Staleness only
// closes the gate; it changes no mode and no counter: a late ack arrives as a slow sample and counts
// then. No sample yet is not unhealthy here (the gate's RTT_HIGH covers "no proof yet").
//
// Bad input: a negative rtt (an ack before its send: a clock fault) is refused with BAD_SAMPLE and
// counted, nothing else changes. A nowNs earlier than the last sample's is taken as the last
// sample's time (time never runs backwards inside the watchdog) and counted as a clock fault; the
// sample itself counts, because dropping a sign of trouble is the unsafe choice.
//
// Telemetry: the last RING_SAMPLES (64) accepted RTTs in a ring, the time and RTT of the last mode
// change, lockdown and release counts.
//
// Layout at `state` (8-byte aligned; host-given), RTT_WATCHDOG_BYTES = 640:
//   +0   lockdownRttNs i64 · +8 releaseRttNs i64 · +16 minLockdownNs i64 · +24 maxAckWaitNs i64
//   +32  confirmSamples u32 (N) · +36 releaseSamples u32 (M) · +40 lockdownAsk u32 (TradingState)
//   +44  mode u32 (RttWatchdogMode)
//   +48  slowRun u32   consecutive samples > lockdownRttNs (NORMAL)
//   +52  calmRun u32   consecutive samples < releaseRttNs (LOCKDOWN)
//   +56  lockdowns u32 · +60 releases u32
//   +64  changeNs i64    time of the last mode change (i64.MIN: none)
//   +72  changeRttNs i64 the RTT of the sample that made it (−1: none)
//   +80  lastNs i64      time of the last accepted sample (i64.MIN: none)
//   +88  samples i64     accepted samples since init; the ring slot of the next one is samples % 64
//   +96  badSamples u32 · +100 clockFaults u32
//   +104 reserved to +128
//   +128 ring: 64 × i64 RTT in ns

import { TradingState } from "./vocabulary";

/** Status codes of rttWatchdogInit and rttWatchdogOnSample. */
export namespace RttWatchdogStatus {
  export const OK: i32 = 0;
  /** rttWatchdogInit: lockdownRttNs ≤ 0, releaseRttNs ≤ 0 or releaseRttNs > lockdownRttNs. */
  export const BAD_THRESHOLD: i32 = -1;
  /** rttWatchdogInit: confirmSamples or releaseSamples outside [1, 1 000 000]. */
  export const BAD_COUNT: i32 = -2;
  /** rttWatchdogInit: minLockdownNs < 0 or maxAckWaitNs ≤ 0. */
  export const BAD_DURATION: i32 = -3;
  /** rttWatchdogInit: lockdownAsk is neither TradingState.REDUCING nor TradingState.HALTED. */
  export const BAD_ASK: i32 = -4;
  /** rttWatchdogInit: state not 8-byte aligned. */
  export const MISALIGNED: i32 = -5;
  /** rttWatchdogOnSample: rttNs < 0; refused, counted. */
  export const BAD_SAMPLE: i32 = -6;
}

/** The watchdog's mode (rttWatchdogMode). */
export namespace RttWatchdogMode {
  export const NORMAL: u32 = 0;
  export const LOCKDOWN: u32 = 1;
}

/** Size of the telemetry ring of recent RTT samples. */
export namespace RttWatchdogRing {
  export const SAMPLES: i32 = 64;
}

const LOCKDOWN_RTT: usize = 0;
const RELEASE_RTT: usize = 8;
const MIN_LOCKDOWN: usize = 16;
const MAX_ACK_WAIT: usize = 24;
const CONFIRM: usize = 32;
const RELEASE_N: usize = 36;
const ASK: usize = 40;
const MODE: usize = 44;
const SLOW_RUN: usize = 48;
const CALM_RUN: usize = 52;
const LOCKDOWNS: usize = 56;
const RELEASES: usize = 60;
const CHANGE_NS: usize = 64;
const CHANGE_RTT: usize = 72;
const LAST_NS: usize = 80;
const SAMPLES: usize = 88;
const BAD_SAMPLES: usize = 96;
const CLOCK_FAULTS: usize = 100;
const RING: usize = 128;
const BYTES: usize = 128 + 64 * 8;
const MAX_COUNT: i32 = 1_000_000;

/** Bytes of one watchdog's state block. */
export function rttWatchdogBytes(): usize {
  return BYTES;
}

/**
 * Configures the watchdog and starts it NORMAL with nothing seen: lockdown above lockdownRttNs on
 * confirmSamples consecutive samples; release after releaseSamples consecutive samples below
 * releaseRttNs (≤ lockdownRttNs) and ≥ minLockdownNs in lockdown; a lockdown asks lockdownAsk
 * (TradingState REDUCING or HALTED); unhealthy when an answer is overdue by more than maxAckWaitNs.
 */
export function rttWatchdogInit(
  state: usize, lockdownRttNs: i64, confirmSamples: i32, releaseRttNs: i64, releaseSamples: i32,
  minLockdownNs: i64, maxAckWaitNs: i64, lockdownAsk: u32,
): i32 {
  if (lockdownRttNs <= 0 || releaseRttNs <= 0 || releaseRttNs > lockdownRttNs) return RttWatchdogStatus.BAD_THRESHOLD;
  if (confirmSamples < 1 || confirmSamples > MAX_COUNT || releaseSamples < 1 || releaseSamples > MAX_COUNT) {
    return RttWatchdogStatus.BAD_COUNT;
  }
  if (minLockdownNs < 0 || maxAckWaitNs <= 0) return RttWatchdogStatus.BAD_DURATION;
  if (lockdownAsk != TradingState.REDUCING && lockdownAsk != TradingState.HALTED) return RttWatchdogStatus.BAD_ASK;
  if ((state & 7) != 0) return RttWatchdogStatus.MISALIGNED;
  memory.fill(state, 0, BYTES);
  store<i64>(state + LOCKDOWN_RTT, lockdownRttNs);
  store<i64>(state + RELEASE_RTT, releaseRttNs);
  store<i64>(state + MIN_LOCKDOWN, minLockdownNs);
  store<i64>(state + MAX_ACK_WAIT, maxAckWaitNs);
  store<u32>(state + CONFIRM, <u32>confirmSamples);
  store<u32>(state + RELEASE_N, <u32>releaseSamples);
  store<u32>(state + ASK, lockdownAsk);
  store<u32>(state + MODE, RttWatchdogMode.NORMAL);
  store<i64>(state + CHANGE_NS, i64.MIN_VALUE);
  store<i64>(state + CHANGE_RTT, -1);
  store<i64>(state + LAST_NS, i64.MIN_VALUE);
  return RttWatchdogStatus.OK;
}

@inline function askOf(state: usize, mode: u32): i32 {
  return mode == RttWatchdogMode.LOCKDOWN ? <i32>load<u32>(state + ASK) : <i32>TradingState.ACTIVE;
}

@inline function change(state: usize, mode: u32, nowNs: i64, rttNs: i64): void {
  store<u32>(state + MODE, mode);
  store<u32>(state + SLOW_RUN, 0);
  store<u32>(state + CALM_RUN, 0);
  store<i64>(state + CHANGE_NS, nowNs);
  store<i64>(state + CHANGE_RTT, rttNs);
}

/**
 * Feeds one ack's RTT (T5 − T4, ns) observed at nowNs. Returns the TradingState the watchdog asks
 * after it (ACTIVE when NORMAL, the configured lockdown state when LOCKDOWN), or BAD_SAMPLE (rtt < 0).
 */
export function rttWatchdogOnSample(state: usize, rttNs: i64, nowNs: i64): i32 {
  if (rttNs < 0) {
    store<u32>(state + BAD_SAMPLES, load<u32>(state + BAD_SAMPLES) + 1);
    return RttWatchdogStatus.BAD_SAMPLE;
  }
  const last = load<i64>(state + LAST_NS);
  if (nowNs < last) {
    store<u32>(state + CLOCK_FAULTS, load<u32>(state + CLOCK_FAULTS) + 1);
    nowNs = last;
  }
  store<i64>(state + LAST_NS, nowNs);
  const samples = load<i64>(state + SAMPLES);
  store<i64>(state + RING + ((<usize>samples & 63) << 3), rttNs);
  store<i64>(state + SAMPLES, samples + 1);

  let mode = load<u32>(state + MODE);
  if (mode == RttWatchdogMode.NORMAL) {
    const slow = rttNs > load<i64>(state + LOCKDOWN_RTT) ? load<u32>(state + SLOW_RUN) + 1 : 0;
    store<u32>(state + SLOW_RUN, slow);
    if (slow >= load<u32>(state + CONFIRM)) {
      mode = RttWatchdogMode.LOCKDOWN;
      change(state, mode, nowNs, rttNs);
      store<u32>(state + LOCKDOWNS, load<u32>(state + LOCKDOWNS) + 1);
    }
  } else {
    const calm = rttNs < load<i64>(state + RELEASE_RTT) ? load<u32>(state + CALM_RUN) + 1 : 0;
    store<u32>(state + CALM_RUN, calm);
    if (calm >= load<u32>(state + RELEASE_N) && nowNs - load<i64>(state + CHANGE_NS) >= load<i64>(state + MIN_LOCKDOWN)) {
      mode = RttWatchdogMode.NORMAL;
      change(state, mode, nowNs, rttNs);
      store<u32>(state + RELEASES, load<u32>(state + RELEASES) + 1);
    }
  }
  return askOf(state, mode);
}

/**
 * 1 when the order path may be trusted at nowNs: NORMAL, and no request waiting for its first
 * answer (oldest sent at oldestPendingSentNs; < 0: none) for more than maxAckWaitNs. Else 0.
 */
export function rttWatchdogHealthy(state: usize, nowNs: i64, oldestPendingSentNs: i64): i32 {
  if (load<u32>(state + MODE) != RttWatchdogMode.NORMAL) return 0;
  if (oldestPendingSentNs >= 0 && nowNs - oldestPendingSentNs > load<i64>(state + MAX_ACK_WAIT)) return 0;
  return 1;
}

/** The TradingState the watchdog asks now: ACTIVE when NORMAL, the configured one in LOCKDOWN. */
export function rttWatchdogAsk(state: usize): i32 {
  return askOf(state, load<u32>(state + MODE));
}

/** The configured maxAckWait, ns: a request unanswered for longer makes rttWatchdogHealthy 0. */
export function rttWatchdogMaxAckWaitNs(state: usize): i64 {
  return load<i64>(state + MAX_ACK_WAIT);
}

/** Current mode: 0 NORMAL, 1 LOCKDOWN. */
export function rttWatchdogMode(state: usize): i32 {
  return <i32>load<u32>(state + MODE);
}

/** Time of the last mode change (i64.MIN before any). */
export function rttWatchdogChangeNs(state: usize): i64 {
  return load<i64>(state + CHANGE_NS);
}

/** RTT of the sample that made the last mode change (−1 before any). */
export function rttWatchdogChangeRttNs(state: usize): i64 {
  return load<i64>(state + CHANGE_RTT);
}

/** Lockdowns since init. */
export function rttWatchdogLockdowns(state: usize): u32 {
  return load<u32>(state + LOCKDOWNS);
}

/** Releases since init. */
export function rttWatchdogReleases(state: usize): u32 {
  return load<u32>(state + RELEASES);
}

/** The current run: consecutive slow samples in NORMAL, consecutive calm samples in LOCKDOWN. */
export function rttWatchdogRun(state: usize): u32 {
  return load<u32>(state + MODE) == RttWatchdogMode.NORMAL ? load<u32>(state + SLOW_RUN) : load<u32>(state + CALM_RUN);
}

/** Accepted samples since init. */
export function rttWatchdogSamples(state: usize): i64 {
  return load<i64>(state + SAMPLES);
}

/** Time of the last accepted sample (after clamping; i64.MIN before any). */
export function rttWatchdogLastNs(state: usize): i64 {
  return load<i64>(state + LAST_NS);
}

/** The accepted RTT `back` samples ago (0: the latest), or −1 when back is outside [0, min(samples, 64)). */
export function rttWatchdogSample(state: usize, back: i32): i64 {
  const samples = load<i64>(state + SAMPLES);
  if (back < 0 || back >= RttWatchdogRing.SAMPLES || <i64>back >= samples) return -1;
  const slot = <usize>(samples - 1 - <i64>back) & 63;
  return load<i64>(state + RING + (slot << 3));
}

/** Samples refused for a negative RTT since init. */
export function rttWatchdogBadSamples(state: usize): u32 {
  return load<u32>(state + BAD_SAMPLES);
}

/** Samples whose nowNs was earlier than the previous sample's, since init. */
export function rttWatchdogClockFaults(state: usize): u32 {
  return load<u32>(state + CLOCK_FAULTS);
}

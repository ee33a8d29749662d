// Broker order-rate windows: nested caps on new + modify + cancel messages counted together, per
// second, per minute and per trading day, the way retail brokers enforce them (defaults in
// host/modules/broker-windows.ts: 10/s, 400/min, 5000/day). Every cap is configurable, 0 = none.
//
// The second and minute windows slide and are exact to the nanosecond: a message sent at s counts
// at time t while t − W < s ≤ t (W = the window's length, 1 s and 60 s by default, configurable so
// a broker's "2000 per 30 min" fits the minute window set to 30 min). So a message sent at t no
// longer counts at exactly t + W. Each sliding window keeps a ring of its last `capacity` send times,
// one per message (capacity = the cap given to brokerWindowsInit, the most brokerWindowsSetCaps may
// set later; the ring keeps recording under a lower cap or none, so a cap change is exact).
// Allowing m messages at t with cap k needs at most k − m in the window, i.e. the (k − m + 1)-th
// newest send time is ≤ t − W (or there are fewer than k − m + 1): one ring read, O(1), exact.
// The day window is not a time window: it counts from the last brokerWindowsNewDay (the host calls
// it at each trading day's start), never from the monotonic clock, whose zero is arbitrary.
//
// brokerWindowsTry records only what it allows. Send times must not go backwards (a call earlier
// than the last recorded send is refused with CLOCK_BACKWARDS and changes nothing), which keeps the
// rings sorted. When several windows refuse, the answer names the tightest: the one that keeps
// refusing longest (the day: until brokerWindowsNewDay; a sliding window: until its blocking send
// time leaves it), ties to the longer window, so the code names what brokerWindowsNextFree waits for.
//
// Layout at `state` (8-byte aligned):
//   +0  second ring capacity i32 · +4 minute ring capacity i32
//   +8  per-second cap i32 (0 none) · +12 per-minute cap i32 (0 none) · +16 per-day cap i64 (0 none)
//   +24 second window ns i64 · +32 minute window ns i64
//   +40 second ring head i32 (next slot written) · +44 second ring filled i32 (≤ capacity)
//   +48 minute ring head i32 · +52 minute ring filled i32
//   +56 messages today i64 · +64 last recorded send ns i64 (i64.MIN_VALUE before any)
//   +72 messages allowed since init i64
//   +80 refusals RATE_PER_SECOND u32 · +84 RATE_PER_MINUTE u32 · +88 RATE_PER_DAY u32
//   +92 refusals clock backwards u32 · +96 bad requests u32 · +100 trading days started u32
//   +128 second ring: i64[second capacity] send times · then the minute ring: i64[minute capacity]
//
// Statuses (negative i32) of init, set-caps and try: see BrokerWindowsStatus.

import { RiskRefusal } from "./vocabulary";

const CAP_SEC_RING: usize = 0;
const CAP_MIN_RING: usize = 4;
const CAP_SEC: usize = 8;
const CAP_MIN: usize = 12;
const CAP_DAY: usize = 16;
const WIN_SEC: usize = 24;
const WIN_MIN: usize = 32;
const HEAD_SEC: usize = 40;
const FILLED_SEC: usize = 44;
const HEAD_MIN: usize = 48;
const FILLED_MIN: usize = 52;
const TODAY: usize = 56;
const LAST_NS: usize = 64;
const ALLOWED: usize = 72;
const REFUSED_SEC: usize = 80;
const REFUSED_MIN: usize = 84;
const REFUSED_DAY: usize = 88;
const REFUSED_CLOCK: usize = 92;
const REFUSED_BAD: usize = 96;
const DAYS: usize = 100;
const HEADER_BYTES: usize = 128;

/** A ring of a million send times is 8 MB: far above any broker's per-window cap. */
const MAX_RING: i32 = 1_000_000;
/** Seven days: longer sliding windows are the day cap's job. */
const MAX_WINDOW_NS: i64 = 7 * 86_400 * 1_000_000_000;
/** Messages one call may ask for at once (an order and its cancels, a batch of modifies). */
const MAX_BATCH: i32 = 65_535;

/** Status codes of brokerWindowsInit, brokerWindowsSetCaps and the refusals of brokerWindowsTry that are not rate refusals. */
export namespace BrokerWindowsStatus {
  export const OK: i32 = 0;
  export const BAD_CONFIG: i32 = -1;
  export const MISALIGNED: i32 = -2;
  /** A cap above the ring capacity the block was initialised with. */
  export const ABOVE_CAPACITY: i32 = -3;
  /** brokerWindowsTry: nowNs is before the last recorded send (nothing recorded, state unchanged). */
  export const CLOCK_BACKWARDS: i32 = -4;
  /** brokerWindowsTry / brokerWindowsNextFree: messages < 1 or > 65 535. */
  export const BAD_REQUEST: i32 = -5;
}

/** The windows, as readers name them. */
export namespace BrokerWindow {
  export const SECOND: i32 = 0;
  export const MINUTE: i32 = 1;
  export const DAY: i32 = 2;
}

/** Bytes of one block whose second and minute rings hold `perSecond` and `perMinute` send times (the largest caps it will ever be set to; 0 for a window without a cap). */
export function brokerWindowsBytes(perSecond: i32, perMinute: i32): usize {
  const s = perSecond < 0 ? 0 : perSecond;
  const m = perMinute < 0 ? 0 : perMinute;
  return HEADER_BYTES + (<usize>s + <usize>m) * 8;
}

/** Initialises the block for caps perSecond, perMinute (the ring capacities too) and perDay (0 = none) over windows of secondWindowNs and minuteWindowNs; nothing sent yet, day 0 started. */
export function brokerWindowsInit(
  state: usize, perSecond: i32, perMinute: i32, perDay: i64, secondWindowNs: i64, minuteWindowNs: i64,
): i32 {
  if ((state & 7) != 0) return BrokerWindowsStatus.MISALIGNED;
  if (perSecond < 0 || perSecond > MAX_RING || perMinute < 0 || perMinute > MAX_RING || perDay < 0) {
    return BrokerWindowsStatus.BAD_CONFIG;
  }
  if (secondWindowNs < 1 || secondWindowNs > MAX_WINDOW_NS || minuteWindowNs < 1 || minuteWindowNs > MAX_WINDOW_NS) {
    return BrokerWindowsStatus.BAD_CONFIG;
  }
  memory.fill(state, 0, HEADER_BYTES);
  store<i32>(state + CAP_SEC_RING, perSecond);
  store<i32>(state + CAP_MIN_RING, perMinute);
  store<i32>(state + CAP_SEC, perSecond);
  store<i32>(state + CAP_MIN, perMinute);
  store<i64>(state + CAP_DAY, perDay);
  store<i64>(state + WIN_SEC, secondWindowNs);
  store<i64>(state + WIN_MIN, minuteWindowNs);
  store<i64>(state + LAST_NS, i64.MIN_VALUE);
  return BrokerWindowsStatus.OK;
}

/** Changes the caps at run time (0 = none); a sliding cap may not exceed its ring capacity. History is kept, so the new caps apply exactly from the next call. */
export function brokerWindowsSetCaps(state: usize, perSecond: i32, perMinute: i32, perDay: i64): i32 {
  if (perSecond < 0 || perMinute < 0 || perDay < 0) return BrokerWindowsStatus.BAD_CONFIG;
  if (perSecond > load<i32>(state + CAP_SEC_RING) || perMinute > load<i32>(state + CAP_MIN_RING)) {
    return BrokerWindowsStatus.ABOVE_CAPACITY;
  }
  store<i32>(state + CAP_SEC, perSecond);
  store<i32>(state + CAP_MIN, perMinute);
  store<i64>(state + CAP_DAY, perDay);
  return BrokerWindowsStatus.OK;
}

/** Starts a new trading day: the day count goes back to 0 (the sliding windows keep their history). */
export function brokerWindowsNewDay(state: usize): void {
  store<i64>(state + TODAY, 0);
  store<u32>(state + DAYS, load<u32>(state + DAYS) + 1);
}

@inline function ringBase(state: usize, window: i32): usize {
  return window == BrokerWindow.SECOND
    ? state + HEADER_BYTES
    : state + HEADER_BYTES + (<usize>load<i32>(state + CAP_SEC_RING)) * 8;
}

/** The j-th newest send time (1 = newest) of a ring, 1 ≤ j ≤ filled. */
@inline function newest(state: usize, window: i32, j: i32): i64 {
  const capacity = load<i32>(state + (window == BrokerWindow.SECOND ? CAP_SEC_RING : CAP_MIN_RING));
  const head = load<i32>(state + (window == BrokerWindow.SECOND ? HEAD_SEC : HEAD_MIN));
  let at = head - j;
  if (at < 0) at += capacity;
  return load<i64>(ringBase(state, window) + (<usize>at) * 8);
}

/**
 * When a sliding window stops refusing `messages` sent at `atNs`: atNs if it allows them now,
 * i64.MAX_VALUE if it never can (messages > cap), else the time its blocking send leaves it.
 */
function slidingRelease(state: usize, window: i32, atNs: i64, messages: i32): i64 {
  const cap = load<i32>(state + (window == BrokerWindow.SECOND ? CAP_SEC : CAP_MIN));
  if (cap == 0) return atNs;
  if (messages > cap) return i64.MAX_VALUE;
  const j = cap - messages + 1;
  const filled = load<i32>(state + (window == BrokerWindow.SECOND ? FILLED_SEC : FILLED_MIN));
  if (filled < j) return atNs;
  const release = newest(state, window, j) + load<i64>(state + (window == BrokerWindow.SECOND ? WIN_SEC : WIN_MIN));
  return release > atNs ? release : atNs;
}

/** Whether the day cap refuses `messages` more today. */
@inline function dayRefuses(state: usize, messages: i32): bool {
  const cap = load<i64>(state + CAP_DAY);
  return cap != 0 && load<i64>(state + TODAY) + <i64>messages > cap;
}

function record(state: usize, window: i32, nowNs: i64, messages: i32): void {
  const capacity = load<i32>(state + (window == BrokerWindow.SECOND ? CAP_SEC_RING : CAP_MIN_RING));
  if (capacity == 0) return;
  const headAt = state + (window == BrokerWindow.SECOND ? HEAD_SEC : HEAD_MIN);
  const filledAt = state + (window == BrokerWindow.SECOND ? FILLED_SEC : FILLED_MIN);
  const base = ringBase(state, window);
  // More messages than slots: only the newest `capacity` of them can ever be read back.
  const n = messages < capacity ? messages : capacity;
  let head = load<i32>(headAt);
  for (let i = 0; i < n; i++) {
    store<i64>(base + (<usize>head) * 8, nowNs);
    head = head + 1 == capacity ? 0 : head + 1;
  }
  store<i32>(headAt, head);
  const filled = load<i32>(filledAt) + n;
  store<i32>(filledAt, filled < capacity ? filled : capacity);
}

@inline function bump(at: usize): void {
  store<u32>(at, load<u32>(at) + 1);
}

/**
 * Asks to send `messages` (new, modify and cancel alike) at `nowNs`. Returns 0 and records them in
 * every window, or the RiskRefusal code (RATE_PER_SECOND 9, RATE_PER_MINUTE 10, RATE_PER_DAY 11) of
 * the window that refuses longest and records nothing; or CLOCK_BACKWARDS / BAD_REQUEST (< 0).
 */
export function brokerWindowsTry(state: usize, nowNs: i64, messages: i32): i32 {
  if (messages < 1 || messages > MAX_BATCH) {
    bump(state + REFUSED_BAD);
    return BrokerWindowsStatus.BAD_REQUEST;
  }
  if (nowNs < load<i64>(state + LAST_NS)) {
    bump(state + REFUSED_CLOCK);
    return BrokerWindowsStatus.CLOCK_BACKWARDS;
  }
  if (dayRefuses(state, messages)) {
    bump(state + REFUSED_DAY);
    return <i32>RiskRefusal.RATE_PER_DAY;
  }
  const releaseMinute = slidingRelease(state, BrokerWindow.MINUTE, nowNs, messages);
  const releaseSecond = slidingRelease(state, BrokerWindow.SECOND, nowNs, messages);
  if (releaseMinute > nowNs && releaseMinute >= releaseSecond) {
    bump(state + REFUSED_MIN);
    return <i32>RiskRefusal.RATE_PER_MINUTE;
  }
  if (releaseSecond > nowNs) {
    bump(state + REFUSED_SEC);
    return <i32>RiskRefusal.RATE_PER_SECOND;
  }
  record(state, BrokerWindow.SECOND, nowNs, messages);
  record(state, BrokerWindow.MINUTE, nowNs, messages);
  store<i64>(state + TODAY, load<i64>(state + TODAY) + <i64>messages);
  store<i64>(state + ALLOWED, load<i64>(state + ALLOWED) + <i64>messages);
  store<i64>(state + LAST_NS, nowNs);
  return 0;
}

/**
 * Earliest time ≥ max(nowNs, last recorded send) at which brokerWindowsTry would allow `messages`;
 * −1 when no time today will (the day cap is reached, or messages exceed a cap) or messages is out
 * of range. Does not change state.
 */
export function brokerWindowsNextFree(state: usize, nowNs: i64, messages: i32): i64 {
  if (messages < 1 || messages > MAX_BATCH) return -1;
  if (dayRefuses(state, messages)) return -1;
  const last = load<i64>(state + LAST_NS);
  const at = nowNs > last ? nowNs : last;
  const s = slidingRelease(state, BrokerWindow.SECOND, at, messages);
  const m = slidingRelease(state, BrokerWindow.MINUTE, at, messages);
  const release = s > m ? s : m;
  return release == i64.MAX_VALUE ? -1 : release;
}

/**
 * Messages counted in a window at `nowNs` (taken as max(nowNs, last recorded send)): sent within
 * (t − W, t] for SECOND and MINUTE, since the last brokerWindowsNewDay for DAY; −1 for another
 * window. A sliding count saturates at the window's ring capacity (exact whenever a cap is set).
 */
export function brokerWindowsUsed(state: usize, window: i32, nowNs: i64): i64 {
  if (window == BrokerWindow.DAY) return load<i64>(state + TODAY);
  if (window != BrokerWindow.SECOND && window != BrokerWindow.MINUTE) return -1;
  const last = load<i64>(state + LAST_NS);
  const at = nowNs > last ? nowNs : last;
  const oldest = at - load<i64>(state + (window == BrokerWindow.SECOND ? WIN_SEC : WIN_MIN));
  // Send times are sorted newest first: find the largest j whose j-th newest is still inside.
  let lo: i32 = 0;
  let hi: i32 = load<i32>(state + (window == BrokerWindow.SECOND ? FILLED_SEC : FILLED_MIN));
  while (lo < hi) {
    const mid = lo + ((hi - lo + 1) >> 1);
    if (newest(state, window, mid) > oldest) lo = mid;
    else hi = mid - 1;
  }
  return <i64>lo;
}

/** A window's cap (0 = none; −1 for an unknown window). */
export function brokerWindowsCap(state: usize, window: i32): i64 {
  if (window == BrokerWindow.SECOND) return <i64>load<i32>(state + CAP_SEC);
  if (window == BrokerWindow.MINUTE) return <i64>load<i32>(state + CAP_MIN);
  if (window == BrokerWindow.DAY) return load<i64>(state + CAP_DAY);
  return -1;
}

/** A sliding window's length in ns (−1 for DAY or an unknown window). */
export function brokerWindowsLengthNs(state: usize, window: i32): i64 {
  if (window == BrokerWindow.SECOND) return load<i64>(state + WIN_SEC);
  if (window == BrokerWindow.MINUTE) return load<i64>(state + WIN_MIN);
  return -1;
}

/** Messages allowed since init. */
export function brokerWindowsAllowed(state: usize): i64 {
  return load<i64>(state + ALLOWED);
}

/** Trading days started by brokerWindowsNewDay since init (u32, wraps). */
export function brokerWindowsDays(state: usize): u32 {
  return load<u32>(state + DAYS);
}

/** Refused calls since init for one answer of brokerWindowsTry: a RATE_PER_ code, CLOCK_BACKWARDS or BAD_REQUEST (0 for anything else). */
export function brokerWindowsRefusals(state: usize, code: i32): u32 {
  if (code == <i32>RiskRefusal.RATE_PER_SECOND) return load<u32>(state + REFUSED_SEC);
  if (code == <i32>RiskRefusal.RATE_PER_MINUTE) return load<u32>(state + REFUSED_MIN);
  if (code == <i32>RiskRefusal.RATE_PER_DAY) return load<u32>(state + REFUSED_DAY);
  if (code == BrokerWindowsStatus.CLOCK_BACKWARDS) return load<u32>(state + REFUSED_CLOCK);
  if (code == BrokerWindowsStatus.BAD_REQUEST) return load<u32>(state + REFUSED_BAD);
  return 0;
}

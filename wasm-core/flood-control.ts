// Flood controller: token bucket at the broker orders-per-second limit, combined with the OTR budget.
//
// One state block per exchange segment (the broker's limit is per segment). Tokens are integer
// nano-tokens (1 message = 1e9): a rate of R messages per second refills exactly R nano-tokens per
// elapsed nanosecond, so refill is integer arithmetic on the caller's monotonic clock and the same
// calls give the same answers everywhere. The bucket holds at most `burst` messages and starts
// full; burst = rate lets a second's worth go at once, so a sliding one-second window can see up to
// burst + rate − 1 messages. Set burst 1 where the broker measures a sliding window strictly.
//
// floodTry asks for `messages` at once and answers 0 (allow, tokens taken) or a mask of every reason
// that applies (nothing taken): 1 rate, 2 OTR budget (otrBudget(ledger, target) < messages),
// 4 opening ban (otrOpeningBan(ledger, session day) before session open + ban duration),
// 8 clock went backwards (state untouched), 16 bad request (messages < 1).
// ledger 0 skips the OTR and ban checks (0 lies in the reserved low memory, never a state block);
// a negative target skips only the budget check, for messages the caller knows to be exempt.
// floodTry does not count messages in the ledger: the host reports what it sent with otrOnNew etc.
//
// Layout at `state` (8-byte aligned):
//   +0  ordersPerSecond i32 · +4 burst i32 · +8 capacity i64 (nano-tokens) · +16 tokens i64 (nano)
//   +24 last refill ns i64 · +32 opening ban ns i64 · +40 session open ns i64
//   +48 session day i32 (−1 none) · +52 allowed messages u32
//   +56 denials for rate · +60 OTR budget · +64 opening ban · +68 clock · +72 bad request (u32 each)
//
// Statuses of floodInit / floodOpenSession: 0, −1 bad config, −2 misaligned.

import { otrBudget, otrOpeningBan } from "./otr-ledger";

const RATE: usize = 0;
const BURST: usize = 4;
const CAPACITY: usize = 8;
const TOKENS: usize = 16;
const LAST_NS: usize = 24;
const BAN_NS: usize = 32;
const SESSION_OPEN: usize = 40;
const SESSION_DAY: usize = 48;
const ALLOWED: usize = 52;
const DENIED_RATE: usize = 56;
const DENIED_OTR: usize = 60;
const DENIED_BAN: usize = 64;
const DENIED_CLOCK: usize = 68;
const DENIED_BAD: usize = 72;
const STATE_BYTES: usize = 128;

const NANO: i64 = 1_000_000_000;
const MAX_RATE: i32 = 1000;
const MAX_BURST: i32 = 1_000_000;

/** Status codes of floodInit and floodOpenSession. */
export namespace FloodStatus {
  export const OK: i32 = 0;
  export const BAD_CONFIG: i32 = -1;
  export const MISALIGNED: i32 = -2;
}

/** floodTry's answer: ALLOW, or an OR of the DENY_ bits. */
export namespace FloodDecision {
  export const ALLOW: i32 = 0;
  export const DENY_RATE: i32 = 1;
  export const DENY_OTR_BUDGET: i32 = 2;
  export const DENY_OPENING_BAN: i32 = 4;
  export const DENY_CLOCK_BACKWARDS: i32 = 8;
  export const DENY_BAD_REQUEST: i32 = 16;
}

/** Bytes of one controller's state block. */
export function floodBytes(): usize {
  return STATE_BYTES;
}

/** Sets the limit (1..1000 per second), burst (1..1e6 messages) and opening-ban length; the bucket starts full at nowNs. */
export function floodInit(state: usize, ordersPerSecond: i32, burst: i32, openingBanNs: i64, nowNs: i64): i32 {
  if ((state & 7) != 0) return FloodStatus.MISALIGNED;
  if (ordersPerSecond < 1 || ordersPerSecond > MAX_RATE || burst < 1 || burst > MAX_BURST || openingBanNs < 0) {
    return FloodStatus.BAD_CONFIG;
  }
  memory.fill(state, 0, STATE_BYTES);
  store<i32>(state + RATE, ordersPerSecond);
  store<i32>(state + BURST, burst);
  store<i64>(state + CAPACITY, <i64>burst * NANO);
  store<i64>(state + TOKENS, <i64>burst * NANO);
  store<i64>(state + LAST_NS, nowNs);
  store<i64>(state + BAN_NS, openingBanNs);
  store<i32>(state + SESSION_DAY, -1);
  return FloodStatus.OK;
}

/** Starts the trading session of `day` (ledger day numbering) opening at `openNs`; the opening ban runs from there. */
export function floodOpenSession(state: usize, day: i32, openNs: i64): i32 {
  if (day < 0) return FloodStatus.BAD_CONFIG;
  store<i32>(state + SESSION_DAY, day);
  store<i64>(state + SESSION_OPEN, openNs);
  return FloodStatus.OK;
}

/** Nano-tokens at `nowNs` (≥ the last call's time) without touching state. */
@inline function tokensAt(state: usize, nowNs: i64): i64 {
  const tokens = load<i64>(state + TOKENS);
  const missing = load<i64>(state + CAPACITY) - tokens;
  const elapsed = nowNs - load<i64>(state + LAST_NS);
  if (missing <= 0 || elapsed <= 0) return tokens;
  const rate = <i64>load<i32>(state + RATE);
  // elapsed ≤ ⌊missing/rate⌋ keeps elapsed × rate ≤ missing; anything longer fills the bucket.
  return elapsed > missing / rate ? tokens + missing : tokens + elapsed * rate;
}

@inline function bump(at: usize): void {
  store<u32>(at, load<u32>(at) + 1);
}

/**
 * Asks to send `messages` now. Returns 0 and takes the tokens, or the mask of deny reasons
 * (1 rate, 2 OTR budget, 4 opening ban, 8 clock backwards, 16 messages < 1) and takes nothing.
 */
export function floodTry(state: usize, nowNs: i64, ledger: usize, messages: i32, targetOtrMilli: i32): i32 {
  if (messages < 1) {
    bump(state + DENIED_BAD);
    return FloodDecision.DENY_BAD_REQUEST;
  }
  if (nowNs < load<i64>(state + LAST_NS)) {
    bump(state + DENIED_CLOCK);
    return FloodDecision.DENY_CLOCK_BACKWARDS;
  }
  const tokens = tokensAt(state, nowNs);
  store<i64>(state + TOKENS, tokens);
  store<i64>(state + LAST_NS, nowNs);
  const need = <i64>messages * NANO;
  let reasons: i32 = 0;
  if (tokens < need) reasons |= FloodDecision.DENY_RATE;
  if (ledger != 0) {
    if (targetOtrMilli >= 0 && otrBudget(ledger, targetOtrMilli) < messages) reasons |= FloodDecision.DENY_OTR_BUDGET;
    const day = load<i32>(state + SESSION_DAY);
    if (day >= 0 && nowNs < load<i64>(state + SESSION_OPEN) + load<i64>(state + BAN_NS) && otrOpeningBan(ledger, day) != 0) {
      reasons |= FloodDecision.DENY_OPENING_BAN;
    }
  }
  if (reasons == 0) {
    store<i64>(state + TOKENS, tokens - need);
    store<u32>(state + ALLOWED, load<u32>(state + ALLOWED) + <u32>messages);
    return 0;
  }
  if (reasons & FloodDecision.DENY_RATE) bump(state + DENIED_RATE);
  if (reasons & FloodDecision.DENY_OTR_BUDGET) bump(state + DENIED_OTR);
  if (reasons & FloodDecision.DENY_OPENING_BAN) bump(state + DENIED_BAN);
  return reasons;
}

/** Nano-tokens available at `nowNs` (1e9 per message), without changing state. */
export function floodTokensNano(state: usize, nowNs: i64): i64 {
  return tokensAt(state, nowNs);
}

/**
 * Earliest time ≥ max(nowNs, last call) at which the rate alone allows `messages` (−1 when
 * messages < 1 or > burst: never). Does not change state.
 */
export function floodNextAllowedNs(state: usize, nowNs: i64, messages: i32): i64 {
  if (messages < 1 || messages > load<i32>(state + BURST)) return -1;
  const last = load<i64>(state + LAST_NS);
  const at = nowNs > last ? nowNs : last;
  const short = <i64>messages * NANO - tokensAt(state, at);
  if (short <= 0) return at;
  const rate = <i64>load<i32>(state + RATE);
  return at + (short + rate - 1) / rate;
}

/** Configured refill rate, messages per second. */
export function floodOrdersPerSecond(state: usize): i32 {
  return load<i32>(state + RATE);
}

/** Configured bucket size, messages. */
export function floodBurst(state: usize): i32 {
  return load<i32>(state + BURST);
}

/** Day of the current session (−1 before floodOpenSession). */
export function floodSessionDay(state: usize): i32 {
  return load<i32>(state + SESSION_DAY);
}

/** Messages allowed since init (u32, wraps). */
export function floodAllowedMessages(state: usize): u32 {
  return load<u32>(state + ALLOWED);
}

/** Denied calls since init for one reason bit (1, 2, 4, 8 or 16; 0 for anything else). */
export function floodDenials(state: usize, reason: i32): u32 {
  if (reason == FloodDecision.DENY_RATE) return load<u32>(state + DENIED_RATE);
  if (reason == FloodDecision.DENY_OTR_BUDGET) return load<u32>(state + DENIED_OTR);
  if (reason == FloodDecision.DENY_OPENING_BAN) return load<u32>(state + DENIED_BAN);
  if (reason == FloodDecision.DENY_CLOCK_BACKWARDS) return load<u32>(state + DENIED_CLOCK);
  if (reason == FloodDecision.DENY_BAD_REQUEST) return load<u32>(state + DENIED_BAD);
  return 0;
}

// Order-to-Trade Ratio ledger (NSE/BSE rules): daily counts, exemptions, penalty slabs, budget.
//
// One ledger per exchange segment and trading member, fed one call per algo message the exchange
// sees (new, modify, cancel) and one per trade. Rules (docs/market-rules.md), as read here:
//   - counted = new + modify + cancel messages that are not exempt; OTR = counted ÷ trades. A day
//     with no trades has OTR = counted (zero-trade mode ORDERS, the worst case) or 0 (mode ZERO).
//   - exempt: |price − LTP| ≤ exemptBps/10000 × LTP (cash, futures; 75 bps = ±0.75 %). Options from
//     `optionsFromDay` on: |price − LTP| ≤ max(optionsBps/10000 × LTP, optionsFloorPaise/tickPaise ticks);
//     before that day options use the cash/futures rule. A message with LTP ≤ 0 (none known) is counted.
//     A modify is judged on its new price, a cancel on the order's resting price, both against the
//     LTP at the moment of the message: the exchange judges each message as it arrives.
//   - penalty for the day = slab rate(OTR) × counted: the slab's per-order charge applies to every
//     counted message of the day, not only to those above the slab's threshold.
//   - slabs are compared exactly: OTR ≥ threshold ⇔ counted × 1000 ≥ thresholdMilli × trades.
//   - opening ban: a day flagged (OTR ≥ banOtr) that makes `banDays` flagged days within the
//     `banWindowDays` days ending on it bans orders for the opening minutes of the next day the
//     ledger sees. "Next day" is the next day recorded, so the host calls otrRoll at each session
//     open (a day without algo activity is then recorded as an unflagged day). Window and day are in
//     the host's day numbering (calendar days since 1970-01-01 IST in host/otr-ledger.ts).
// Days only move forward: an event for an earlier day is refused and changes nothing. An event for a
// later day first rolls the ledger: the finished day's totals move to the prev* fields and its flag
// into a bitmap history (the ban rule sees today and the 63 days before it).
//
// Layout at `state` (8-byte aligned), config written by otrInit/otrAddSlab:
//   +0   segment i32 (0 cash, 1 futures, 2 options)    +4  tickPaise i32
//   +8   exemptBps i32                                  +12 optionsBps i32
//   +16  optionsFloorPaise i32                          +20 optionsFromDay i32
//   +24  zeroTradeMode i32 (0 ORDERS, 1 ZERO)            +28 slab count i32 (0..8)
//   +32  banOtrMilli i32                                +36 banDays i32 · +40 banWindowDays i32
//   +48  slab thresholds, OTR × 1000, i32[8] (ascending, first 0)
//   +80  slab rates, paise per counted message, i32[8]
//   +112 day i32 (NO_DAY before the first event)
//   +116 new · +120 modify · +124 cancel (counted, u32)
//   +128 exempt new · +132 exempt modify · +136 exempt cancel (u32) · +140 trades (u32)
//   +144 recorded u64: bit k set ⇔ day (day − 1 − k) was recorded
//   +152 flagged  u64: bit k set ⇔ day (day − 1 − k) had OTR ≥ banOtr
//   +160 prevDay i32 (NO_DAY none) · +164 prevCounted u32 · +168 prevTrades u32
//   +176 prevPenaltyPaise i64
//
// Statuses: 0 counted (OtrStatus.COUNTED), 1 exempt (OtrStatus.EXEMPT), −1 earlier day, −2 bad config,
// −3 bad slab, −4 count overflow (a daily count would pass i32.MAX_VALUE), −5 negative target,
// −6 negative day, −7 state not 8-byte aligned.

const SEGMENT: usize = 0;
const TICK_PAISE: usize = 4;
const EXEMPT_BPS: usize = 8;
const OPTIONS_BPS: usize = 12;
const OPTIONS_FLOOR: usize = 16;
const OPTIONS_FROM: usize = 20;
const ZERO_MODE: usize = 24;
const SLAB_COUNT: usize = 28;
const BAN_OTR: usize = 32;
const BAN_DAYS: usize = 36;
const BAN_WINDOW: usize = 40;
const SLAB_THRESHOLDS: usize = 48;
const SLAB_RATES: usize = 80;
const DAY: usize = 112;
const NEW: usize = 116;
const EXEMPT_NEW: usize = 128;
const TRADES: usize = 140;
const RECORDED: usize = 144;
const FLAGGED: usize = 152;
const PREV_DAY: usize = 160;
const PREV_COUNTED: usize = 164;
const PREV_TRADES: usize = 168;
const PREV_PENALTY: usize = 176;
const STATE_BYTES: usize = 192;

const SEG_OPTIONS: i32 = 2;
const ZERO_TRADE_ZERO: i32 = 1;
const MAX_SLABS: i32 = 8;
const NO_DAY: i32 = i32.MIN_VALUE;
/** OTR thresholds up to 1,000,000 keep thresholdMilli × trades inside i64. */
const MAX_OTR_MILLI: i32 = 1_000_000_000;
/** ₹10,000 per message keeps rate × counted inside 2^53. */
const MAX_RATE_PAISE: i32 = 1_000_000;

/** Event answers (≥ 0) and refusals (< 0) of the otr* calls. */
export namespace OtrStatus {
  export const COUNTED: i32 = 0;
  export const EXEMPT: i32 = 1;
  export const EARLIER_DAY: i32 = -1;
  export const BAD_CONFIG: i32 = -2;
  export const BAD_SLAB: i32 = -3;
  export const OVERFLOW: i32 = -4;
  export const BAD_TARGET: i32 = -5;
  export const BAD_DAY: i32 = -6;
  export const MISALIGNED: i32 = -7;
}

// Message kinds: offsets of their counters from NEW / EXEMPT_NEW.
const KIND_NEW: usize = 0;
const KIND_MODIFY: usize = 4;
const KIND_CANCEL: usize = 8;

/** Bytes of one ledger's state block. */
export function otrBytes(): usize {
  return STATE_BYTES;
}

/**
 * Writes the config and empties the ledger (no day, no history, no slabs: add them with otrAddSlab).
 * Bps are 1/10000 of LTP; days in the host's numbering. Returns 0 or −2 (bad config), −7 (misaligned).
 */
export function otrInit(
  state: usize, segment: i32, tickPaise: i32, exemptBps: i32, optionsBps: i32, optionsFloorPaise: i32,
  optionsFromDay: i32, zeroTradeMode: i32, banOtrMilli: i32, banDays: i32, banWindowDays: i32,
): i32 {
  if ((state & 7) != 0) return OtrStatus.MISALIGNED;
  if (segment < 0 || segment > SEG_OPTIONS || tickPaise < 1 || exemptBps < 0 || exemptBps > 10000
    || optionsBps < 0 || optionsBps > 10000 || optionsFloorPaise < 0 || optionsFromDay < 0
    || zeroTradeMode < 0 || zeroTradeMode > ZERO_TRADE_ZERO || banOtrMilli < 1 || banOtrMilli > MAX_OTR_MILLI
    || banDays < 1 || banDays > 64 || banWindowDays < 1 || banWindowDays > 64) return OtrStatus.BAD_CONFIG;
  memory.fill(state, 0, STATE_BYTES);
  store<i32>(state + SEGMENT, segment);
  store<i32>(state + TICK_PAISE, tickPaise);
  store<i32>(state + EXEMPT_BPS, exemptBps);
  store<i32>(state + OPTIONS_BPS, optionsBps);
  store<i32>(state + OPTIONS_FLOOR, optionsFloorPaise);
  store<i32>(state + OPTIONS_FROM, optionsFromDay);
  store<i32>(state + ZERO_MODE, zeroTradeMode);
  store<i32>(state + BAN_OTR, banOtrMilli);
  store<i32>(state + BAN_DAYS, banDays);
  store<i32>(state + BAN_WINDOW, banWindowDays);
  store<i32>(state + DAY, NO_DAY);
  store<i32>(state + PREV_DAY, NO_DAY);
  return OtrStatus.COUNTED;
}

/**
 * Appends a penalty slab: from OTR ≥ thresholdMilli/1000 on, `paisePerOrder` per counted message.
 * The first slab starts at 0; thresholds strictly ascend; at most 8. Returns the slab index or −3.
 */
export function otrAddSlab(state: usize, thresholdMilli: i32, paisePerOrder: i32): i32 {
  const n = load<i32>(state + SLAB_COUNT);
  if (n >= MAX_SLABS || thresholdMilli < 0 || thresholdMilli > MAX_OTR_MILLI) return OtrStatus.BAD_SLAB;
  if (paisePerOrder < 0 || paisePerOrder > MAX_RATE_PAISE) return OtrStatus.BAD_SLAB;
  if (n == 0 ? thresholdMilli != 0 : thresholdMilli <= load<i32>(state + SLAB_THRESHOLDS + (<usize>(n - 1) << 2))) {
    return OtrStatus.BAD_SLAB;
  }
  store<i32>(state + SLAB_THRESHOLDS + (<usize>n << 2), thresholdMilli);
  store<i32>(state + SLAB_RATES + (<usize>n << 2), paisePerOrder);
  store<i32>(state + SLAB_COUNT, n + 1);
  return n;
}

/** Slabs configured (0..8). */
export function otrSlabCount(state: usize): i32 {
  return load<i32>(state + SLAB_COUNT);
}

/** Threshold of slab i as OTR × 1000 (−1 when i is not a slab). */
export function otrSlabThresholdMilli(state: usize, i: i32): i32 {
  if (i < 0 || i >= load<i32>(state + SLAB_COUNT)) return -1;
  return load<i32>(state + SLAB_THRESHOLDS + (<usize>i << 2));
}

/** Paise per counted message of slab i (−1 when i is not a slab). */
export function otrSlabRatePaise(state: usize, i: i32): i32 {
  if (i < 0 || i >= load<i32>(state + SLAB_COUNT)) return -1;
  return load<i32>(state + SLAB_RATES + (<usize>i << 2));
}

// ── arithmetic on (counted, trades) ──────────────────────────────────────────────────────────────

/** OTR as the fraction num/den the rules define, including the zero-trade convention. */
@inline function otrNum(state: usize, counted: i64, trades: i64): i64 {
  return trades == 0 && load<i32>(state + ZERO_MODE) == ZERO_TRADE_ZERO ? 0 : counted;
}

@inline function otrDen(trades: i64): i64 {
  return trades == 0 ? 1 : trades;
}

/** OTR ≥ thresholdMilli/1000, exactly. */
@inline function atLeast(state: usize, counted: i64, trades: i64, thresholdMilli: i32): bool {
  return otrNum(state, counted, trades) * 1000 >= <i64>thresholdMilli * otrDen(trades);
}

function slabFor(state: usize, counted: i64, trades: i64): i32 {
  for (let i = load<i32>(state + SLAB_COUNT) - 1; i >= 0; i--) {
    if (atLeast(state, counted, trades, load<i32>(state + SLAB_THRESHOLDS + (<usize>i << 2)))) return i;
  }
  return -1;
}

function penaltyFor(state: usize, counted: i64, trades: i64): i64 {
  const slab = slabFor(state, counted, trades);
  return slab < 0 ? 0 : <i64>load<i32>(state + SLAB_RATES + (<usize>slab << 2)) * counted;
}

@inline function counted(state: usize): i64 {
  return <i64>load<u32>(state + NEW) + <i64>load<u32>(state + NEW + 4) + <i64>load<u32>(state + NEW + 8);
}

@inline function trades(state: usize): i64 {
  return <i64>load<u32>(state + TRADES);
}

@inline function flaggedToday(state: usize): bool {
  return load<i32>(state + DAY) != NO_DAY && atLeast(state, counted(state), trades(state), load<i32>(state + BAN_OTR));
}

/** Moves bitmap history back by `gap` days and records the finished day as bit gap − 1. */
@inline function shiftIn(mask: u64, gap: i64, bit: u64): u64 {
  const moved: u64 = gap >= 64 ? 0 : mask << <u64>gap;
  const fresh: u64 = gap > 64 ? 0 : bit << <u64>(gap - 1);
  return moved | fresh;
}

function rollTo(state: usize, day: i32): i32 {
  if (day < 0) return OtrStatus.BAD_DAY;
  const cur = load<i32>(state + DAY);
  if (day == cur) return OtrStatus.COUNTED;
  if (cur == NO_DAY) {
    store<i32>(state + DAY, day);
    return OtrStatus.COUNTED;
  }
  if (day < cur) return OtrStatus.EARLIER_DAY;
  const gap = <i64>day - <i64>cur;
  const c = counted(state);
  const t = trades(state);
  const flag: u64 = flaggedToday(state) ? 1 : 0;
  store<u64>(state + RECORDED, shiftIn(load<u64>(state + RECORDED), gap, 1));
  store<u64>(state + FLAGGED, shiftIn(load<u64>(state + FLAGGED), gap, flag));
  store<i32>(state + PREV_DAY, cur);
  store<u32>(state + PREV_COUNTED, <u32>c);
  store<u32>(state + PREV_TRADES, <u32>t);
  store<i64>(state + PREV_PENALTY, penaltyFor(state, c, t));
  memory.fill(state + NEW, 0, 28);
  store<i32>(state + DAY, day);
  return OtrStatus.COUNTED;
}

function isExempt(state: usize, price: i32, ltp: i32): bool {
  if (ltp <= 0) return false;
  const diff = abs<i64>(<i64>price - <i64>ltp);
  if (load<i32>(state + SEGMENT) == SEG_OPTIONS && load<i32>(state + DAY) >= load<i32>(state + OPTIONS_FROM)) {
    return diff * 10000 <= <i64>load<i32>(state + OPTIONS_BPS) * <i64>ltp
      || diff * <i64>load<i32>(state + TICK_PAISE) <= <i64>load<i32>(state + OPTIONS_FLOOR);
  }
  return diff * 10000 <= <i64>load<i32>(state + EXEMPT_BPS) * <i64>ltp;
}

function onMessage(state: usize, day: i32, price: i32, ltp: i32, kind: usize): i32 {
  const rolled = rollTo(state, day);
  if (rolled < 0) return rolled;
  const exempt = isExempt(state, price, ltp);
  const base = state + (exempt ? EXEMPT_NEW : NEW);
  const total = <i64>load<u32>(base) + <i64>load<u32>(base + 4) + <i64>load<u32>(base + 8);
  if (total >= <i64>i32.MAX_VALUE) return OtrStatus.OVERFLOW;
  store<u32>(base + kind, load<u32>(base + kind) + 1);
  return exempt ? OtrStatus.EXEMPT : OtrStatus.COUNTED;
}

// ── events ───────────────────────────────────────────────────────────────────────────────────────

/** Starts `day` without a message (call at each session open so quiet days are recorded). 0, −1, −6. */
export function otrRoll(state: usize, day: i32): i32 {
  return rollTo(state, day);
}

/** A new algo order at `priceTicks` while the LTP is `ltpTicks`. 0 counted, 1 exempt, or < 0. */
export function otrOnNew(state: usize, day: i32, priceTicks: i32, ltpTicks: i32): i32 {
  return onMessage(state, day, priceTicks, ltpTicks, KIND_NEW);
}

/** A modification to `newPriceTicks` (judged on the new price). 0 counted, 1 exempt, or < 0. */
export function otrOnModify(state: usize, day: i32, newPriceTicks: i32, ltpTicks: i32): i32 {
  return onMessage(state, day, newPriceTicks, ltpTicks, KIND_MODIFY);
}

/** A cancel of an order resting at `priceTicks`, judged against the LTP at cancel time. 0, 1 or < 0. */
export function otrOnCancel(state: usize, day: i32, priceTicks: i32, ltpTicks: i32): i32 {
  return onMessage(state, day, priceTicks, ltpTicks, KIND_CANCEL);
}

/** One trade (execution) of an algo order. 0 or < 0. */
export function otrOnTrade(state: usize, day: i32): i32 {
  const rolled = rollTo(state, day);
  if (rolled < 0) return rolled;
  const t = load<u32>(state + TRADES);
  if (t >= <u32>i32.MAX_VALUE) return OtrStatus.OVERFLOW;
  store<u32>(state + TRADES, t + 1);
  return OtrStatus.COUNTED;
}

// ── answers ──────────────────────────────────────────────────────────────────────────────────────

/** The ledger's current day, or i32.MIN_VALUE before the first event. */
export function otrDay(state: usize): i32 {
  return load<i32>(state + DAY);
}

/** Counted (non-exempt) new orders today. */
export function otrNewOrders(state: usize): i32 {
  return load<i32>(state + NEW + KIND_NEW);
}

/** Counted modifications today. */
export function otrModifications(state: usize): i32 {
  return load<i32>(state + NEW + KIND_MODIFY);
}

/** Counted cancels today. */
export function otrCancels(state: usize): i32 {
  return load<i32>(state + NEW + KIND_CANCEL);
}

/** Trades today. */
export function otrTrades(state: usize): i32 {
  return load<i32>(state + TRADES);
}

/** Exempt new orders today. */
export function otrExemptNew(state: usize): i32 {
  return load<i32>(state + EXEMPT_NEW + KIND_NEW);
}

/** Exempt modifications today. */
export function otrExemptModify(state: usize): i32 {
  return load<i32>(state + EXEMPT_NEW + KIND_MODIFY);
}

/** Exempt cancels today. */
export function otrExemptCancel(state: usize): i32 {
  return load<i32>(state + EXEMPT_NEW + KIND_CANCEL);
}

/** Exempt messages today (not in the OTR). */
export function otrExempt(state: usize): i32 {
  return otrExemptNew(state) + otrExemptModify(state) + otrExemptCancel(state);
}

/** Messages that count towards today's OTR: non-exempt new + modify + cancel. */
export function otrCounted(state: usize): i32 {
  return <i32>counted(state);
}

/** Today's OTR (counted ÷ trades; with no trades, counted or 0 by the zero-trade mode). */
export function otrRatio(state: usize): f64 {
  const t = trades(state);
  return <f64>otrNum(state, counted(state), t) / <f64>otrDen(t);
}

/** Index of today's penalty slab (−1 when no slab is configured). */
export function otrSlab(state: usize): i32 {
  return slabFor(state, counted(state), trades(state));
}

/** Paise per counted message at today's slab. */
export function otrSlabPaise(state: usize): i32 {
  const slab = otrSlab(state);
  return slab < 0 ? 0 : load<i32>(state + SLAB_RATES + (<usize>slab << 2));
}

/** Today's penalty so far: slab rate × every counted message of the day. */
export function otrPenaltyPaise(state: usize): i64 {
  return penaltyFor(state, counted(state), trades(state));
}

/** Penalty with `extraCounted` more counted messages and `extraTrades` more trades, minus today's (negative extras count as 0). */
export function otrMarginalPenaltyPaise(state: usize, extraCounted: i32, extraTrades: i32): i64 {
  const c = counted(state);
  const t = trades(state);
  const ec: i64 = extraCounted > 0 ? <i64>extraCounted : 0;
  const et: i64 = extraTrades > 0 ? <i64>extraTrades : 0;
  return penaltyFor(state, c + ec, t + et) - penaltyFor(state, c, t);
}

/**
 * How many more counted messages keep today's OTR ≤ targetOtrMilli/1000 at today's trades: 0 when
 * already over, i32.MAX_VALUE when unlimited (no trades in zero-trade mode ZERO), −5 for a negative target.
 */
export function otrBudget(state: usize, targetOtrMilli: i32): i32 {
  if (targetOtrMilli < 0) return OtrStatus.BAD_TARGET;
  const t = trades(state);
  if (t == 0 && load<i32>(state + ZERO_MODE) == ZERO_TRADE_ZERO) return i32.MAX_VALUE;
  // (counted + n) × 1000 ≤ target × den  ⇔  n ≤ ⌊target × den / 1000⌋ − counted
  const n = <i64>targetOtrMilli * otrDen(t) / 1000 - counted(state);
  return n <= 0 ? 0 : n >= <i64>i32.MAX_VALUE ? i32.MAX_VALUE : <i32>n;
}

/**
 * 1 when orders are banned for the opening minutes of `day`, else 0: the last recorded day before it
 * (today, taken as finished, when `day` is later) was flagged and made ≥ banDays flagged days in the
 * banWindowDays ending on it. The ledger remembers today and the 63 days before it; older days read
 * as unrecorded. i32, not bool: build/core.d.ts would type a bool as boolean, but the host calls the
 * export raw, where it arrives as the number 0 or 1.
 */
export function otrOpeningBan(state: usize, day: i32): i32 {
  const cur = load<i32>(state + DAY);
  if (cur == NO_DAY) return 0;
  // Bit k stands for day cur − k; today counts as recorded only when asked about a later day.
  const later = day > cur;
  const recorded = (load<u64>(state + RECORDED) << 1) | (later ? 1 : 0);
  const flagged = (load<u64>(state + FLAGGED) << 1) | (later && flaggedToday(state) ? 1 : 0);
  // Days before `day` are bits k ≥ cur − day + 1; the latest of them is the lowest set bit.
  let kmin = <i64>cur - <i64>day + 1;
  if (kmin >= 64) return 0;
  if (kmin < 0) kmin = 0;
  const candidates = recorded & (<u64>-1 << <u64>kmin);
  if (candidates == 0) return 0;
  let window = flagged >> ctz<u64>(candidates);
  if ((window & 1) == 0) return 0;
  const w = load<i32>(state + BAN_WINDOW);
  if (w < 64) window &= (<u64>1 << <u64>w) - 1;
  return <i32>(<i32>popcnt<u64>(window) >= load<i32>(state + BAN_DAYS));
}

/** Flagged days (OTR ≥ banOtr) in the banWindowDays ending today, today's running OTR included. */
export function otrFlaggedInWindow(state: usize): i32 {
  if (load<i32>(state + DAY) == NO_DAY) return 0;
  let flagged = (load<u64>(state + FLAGGED) << 1) | (flaggedToday(state) ? 1 : 0);
  const w = load<i32>(state + BAN_WINDOW);
  if (w < 64) flagged &= (<u64>1 << <u64>w) - 1;
  return <i32>popcnt<u64>(flagged);
}

/** The day before the current one that the ledger recorded, or i32.MIN_VALUE. */
export function otrPrevDay(state: usize): i32 {
  return load<i32>(state + PREV_DAY);
}

/** Counted messages of the previous recorded day. */
export function otrPrevCounted(state: usize): i32 {
  return load<i32>(state + PREV_COUNTED);
}

/** Trades of the previous recorded day. */
export function otrPrevTrades(state: usize): i32 {
  return load<i32>(state + PREV_TRADES);
}

/** Final penalty of the previous recorded day. */
export function otrPrevPenaltyPaise(state: usize): i64 {
  return load<i64>(state + PREV_PENALTY);
}

/**
 * 1 when a message at `priceTicks` while the LTP is `ltpTicks` would be exempt today (the rule the
 * ledger applies to it), else 0. Lets the execution stage skip the OTR budget for a message that will
 * not count. i32, not bool (see otrOpeningBan).
 */
export function otrExemptAt(state: usize, priceTicks: i32, ltpTicks: i32): i32 {
  return isExempt(state, priceTicks, ltpTicks) ? 1 : 0;
}

// Where our resting passive orders stand in their price level's queue when the market is replayed from L2
// (market-by-price) data, which shows only each level's total: who cancelled, ahead of us or behind, is
// not in the data and has to be modelled (docs/queue-models.md). Our orders are not in the recording, so
// the queue ahead at placement is the level's visible total at that moment and "behind" is the rest of it.
//
// Two models, chosen per table:
//   CONSERVATIVE  the queue ahead shrinks only by trades at our price; any other decrease of the level is
//                 taken as cancellations behind us, except that the queue ahead never exceeds the level's
//                 total (hftbacktest's RiskAverseQueueModel).
//   POWER, LOG    a decrease not explained by trades printed at our price since the level's last update is
//                 split between ahead and behind in proportion f(ahead) / (f(ahead) + f(behind)),
//                 f(x) = x^n or ln(1 + x) (Rigtorp, "Estimating order queue position", 2013; hftbacktest's
//                 ProbQueueModel with its power and log functions); a share larger than what is behind
//                 spills ahead. Applied as the expected value, with no random draw, so the queue ahead is
//                 a fractional f64 and the same inputs give bit-identical results in Node and the browser.
// In every model: a trade at our price whose aggressor is on the other side consumes the queue ahead
// first, then fills us; a trade strictly through our price (a sell below our bid, a buy above our ask)
// means our level was exhausted, and fills all we have left. Fills are whole lots: a fractional queue
// ahead left by the split counts within FILL_EPS of the next whole lot. Level changes never fill us.
//
// One order per (side, price) in a table (queuePlace refuses a second): two of ours at one price would
// share a queue, which this model does not track.
//
// Layout at `state` (8-byte aligned): a 32-byte header, then `slots` slots of 64 bytes.
//   header  +0 slots u32 · +4 model u32 (QueueModel) · +8 exponent n f64 (POWER) · +16..31 reserved
//   slot    +0 resting u32 (1 = resting) · +4 side u32 · +8 price i32 (ticks) · +12 reserved u32
//           +16 remaining i64 (our lots left) · +24 ahead f64 (lots ahead of us)
//           +32 level i64 (the level's total at its last update) · +40 traded i64 (lots traded at our
//           price since that update) · +48 lastFill i64 (lots the last event filled) · +56 filled i64
//
// L2 event record (24 bytes, 8-byte aligned, written by host/sim/l2-events.ts, read by queueApply):
//   +0 timeNs i64 · +8 kind i32 (L2EventKind) · +12 side i32 (LEVEL: the book side; TRADE: the aggressor's)
//   +16 price i32 (ticks) · +20 qty i32 (LEVEL: the level's new total; TRADE: lots traded)

import { Side } from "./vocabulary";

const H_SLOTS: usize = 0;
const H_MODEL: usize = 4;
const H_EXPONENT: usize = 8;
const HEADER_BYTES: usize = 32;

const S_RESTING: usize = 0;
const S_SIDE: usize = 4;
const S_PRICE: usize = 8;
const S_REMAINING: usize = 16;
const S_AHEAD: usize = 24;
const S_LEVEL: usize = 32;
const S_TRADED: usize = 40;
const S_LAST_FILL: usize = 48;
const S_FILLED: usize = 56;
const SLOT_BYTES: usize = 64;

const R_TIME: usize = 0;
const R_KIND: usize = 8;
const R_SIDE: usize = 12;
const R_PRICE: usize = 16;
const R_QTY: usize = 20;

const MAX_SLOTS: u32 = 1 << 16;
const MAX_EXPONENT: f64 = 16.0;
/** A queue ahead within this many lots above a whole number counts as that whole number when a trade fills us. */
const FILL_EPS: f64 = 1e-9;

/** How a table splits the level's decreases. */
export namespace QueueModel {
  export const CONSERVATIVE: u32 = 0;
  export const POWER: u32 = 1;
  export const LOG: u32 = 2;
}

/** Kinds of the 24-byte L2 event records queueApply reads. */
export namespace L2EventKind {
  /** The level at (side, price) now holds qty lots (0 = gone). */
  export const LEVEL: i32 = 0;
  /** qty lots traded at price; side is the aggressor's. */
  export const TRADE: i32 = 1;
}

/** Status codes of queueInit, queuePlace and queueCancel. */
export namespace QueueStatus {
  export const OK: i32 = 0;
  export const MISALIGNED: i32 = -1;
  /** slots 0 or above 65 536. */
  export const BAD_SLOTS: i32 = -2;
  export const BAD_MODEL: i32 = -3;
  /** POWER with an exponent outside (0, 16]. */
  export const BAD_EXPONENT: i32 = -4;
  /** A slot index at or above the table's slot count. */
  export const BAD_SLOT: i32 = -5;
  export const SLOT_BUSY: i32 = -6;
  export const BAD_SIDE: i32 = -7;
  /** Our qty ≤ 0, or a level total < 0. */
  export const BAD_QTY: i32 = -8;
  /** Another of our orders already rests at this side and price. */
  export const SAME_LEVEL: i32 = -9;
  /** queueCancel on a slot with no resting order. */
  export const NOT_RESTING: i32 = -10;
}

/** Bytes of a table of `slots` orders. */
export function queueBytes(slots: u32): usize {
  return HEADER_BYTES + <usize>slots * SLOT_BYTES;
}

/** Clears a table of `slots` (1..65 536) orders using `model`; `exponent` is n of POWER (ignored otherwise). */
export function queueInit(state: usize, slots: u32, model: u32, exponent: f64): i32 {
  if ((state & 7) != 0) return QueueStatus.MISALIGNED;
  if (slots == 0 || slots > MAX_SLOTS) return QueueStatus.BAD_SLOTS;
  if (model > QueueModel.LOG) return QueueStatus.BAD_MODEL;
  if (model == QueueModel.POWER && !(exponent > 0.0 && exponent <= MAX_EXPONENT)) return QueueStatus.BAD_EXPONENT;
  memory.fill(state, 0, queueBytes(slots));
  store<u32>(state + H_SLOTS, slots);
  store<u32>(state + H_MODEL, model);
  store<f64>(state + H_EXPONENT, model == QueueModel.POWER ? exponent : 0.0);
  return QueueStatus.OK;
}

@inline function slotAt(state: usize, slot: u32): usize {
  return state + HEADER_BYTES + <usize>slot * SLOT_BYTES;
}

/** Rests our order of `qty` lots at (side, price) in `slot`; the queue ahead is `levelQty`, the level's visible total now. */
export function queuePlace(state: usize, slot: u32, side: u32, price: i32, qty: i64, levelQty: i64): i32 {
  const slots = load<u32>(state + H_SLOTS);
  if (slot >= slots) return QueueStatus.BAD_SLOT;
  if (side > Side.SELL) return QueueStatus.BAD_SIDE;
  if (qty <= 0 || levelQty < 0) return QueueStatus.BAD_QTY;
  const s = slotAt(state, slot);
  if (load<u32>(s + S_RESTING) != 0) return QueueStatus.SLOT_BUSY;
  for (let i: u32 = 0; i < slots; i++) {
    const o = slotAt(state, i);
    if (load<u32>(o + S_RESTING) != 0 && load<u32>(o + S_SIDE) == side && load<i32>(o + S_PRICE) == price) {
      return QueueStatus.SAME_LEVEL;
    }
  }
  store<u32>(s + S_RESTING, 1);
  store<u32>(s + S_SIDE, side);
  store<i32>(s + S_PRICE, price);
  store<i64>(s + S_REMAINING, qty);
  store<f64>(s + S_AHEAD, <f64>levelQty);
  store<i64>(s + S_LEVEL, levelQty);
  store<i64>(s + S_TRADED, 0);
  store<i64>(s + S_LAST_FILL, 0);
  store<i64>(s + S_FILLED, 0);
  return QueueStatus.OK;
}

/** Takes our order in `slot` off the book (its fills so far stay readable). */
export function queueCancel(state: usize, slot: u32): i32 {
  if (slot >= load<u32>(state + H_SLOTS)) return QueueStatus.BAD_SLOT;
  const s = slotAt(state, slot);
  if (load<u32>(s + S_RESTING) == 0) return QueueStatus.NOT_RESTING;
  store<u32>(s + S_RESTING, 0);
  return QueueStatus.OK;
}

@inline function weight(model: u32, exponent: f64, x: f64): f64 {
  return model == QueueModel.POWER ? Math.pow(x, exponent) : Math.log(1.0 + x);
}

/** The level at (side, price) now totals `levelQty` lots: moves the queue ahead of our order resting there, if any. */
export function queueOnLevel(state: usize, side: u32, price: i32, levelQty: i64): void {
  const slots = load<u32>(state + H_SLOTS);
  const model = load<u32>(state + H_MODEL);
  const exponent = load<f64>(state + H_EXPONENT);
  const total = levelQty < 0 ? 0 : levelQty;
  for (let i: u32 = 0; i < slots; i++) {
    const s = slotAt(state, i);
    if (load<u32>(s + S_RESTING) == 0) continue;
    store<i64>(s + S_LAST_FILL, 0);
    if (load<u32>(s + S_SIDE) != side || load<i32>(s + S_PRICE) != price) continue;
    let ahead = load<f64>(s + S_AHEAD);
    if (model != QueueModel.CONSERVATIVE) {
      // The trades printed since the last update already moved the queue; what they took off the level
      // is not a cancellation.
      let before = load<i64>(s + S_LEVEL) - load<i64>(s + S_TRADED);
      if (before < 0) before = 0;
      const cancelled = <f64>(before - total);
      if (cancelled > 0.0) {
        let behind = <f64>before - ahead;
        if (behind < 0.0) behind = 0.0;
        const fa = weight(model, exponent, ahead);
        const fb = weight(model, exponent, behind);
        const sum = fa + fb;
        const shareAhead = sum > 0.0 ? cancelled * (fa / sum) : 0.0;
        const shareBehind = cancelled - shareAhead;
        const spill = shareBehind > behind ? shareBehind - behind : 0.0;
        ahead = ahead - shareAhead - spill;
        if (ahead < 0.0) ahead = 0.0;
      }
    }
    if (ahead > <f64>total) ahead = <f64>total;
    store<f64>(s + S_AHEAD, ahead);
    store<i64>(s + S_LEVEL, total);
    store<i64>(s + S_TRADED, 0);
  }
}

/** `qty` lots traded at `price` (`aggressor` is the taker's side): returns the lots of ours it filled, over all slots. */
export function queueOnTrade(state: usize, aggressor: u32, price: i32, qty: i64): i64 {
  const slots = load<u32>(state + H_SLOTS);
  let total: i64 = 0;
  for (let i: u32 = 0; i < slots; i++) {
    const s = slotAt(state, i);
    if (load<u32>(s + S_RESTING) == 0) continue;
    store<i64>(s + S_LAST_FILL, 0);
    if (qty <= 0) continue;
    const side = load<u32>(s + S_SIDE);
    const ours = load<i32>(s + S_PRICE);
    const remaining = load<i64>(s + S_REMAINING);
    let fill: i64 = 0;
    if (side == Side.BUY ? price < ours : price > ours) {
      // Through our price: the level was emptied, us included.
      fill = remaining;
      store<f64>(s + S_AHEAD, 0.0);
    } else if (price == ours && aggressor != side) {
      const ahead = load<f64>(s + S_AHEAD);
      const past = <f64>qty - ahead;
      if (past > 0.0) {
        fill = <i64>Math.floor(past + FILL_EPS);
        if (fill > remaining) fill = remaining;
      }
      store<f64>(s + S_AHEAD, past >= 0.0 ? 0.0 : -past);
      store<i64>(s + S_TRADED, load<i64>(s + S_TRADED) + qty);
    } else {
      continue;
    }
    if (fill <= 0) continue;
    store<i64>(s + S_LAST_FILL, fill);
    store<i64>(s + S_FILLED, load<i64>(s + S_FILLED) + fill);
    store<i64>(s + S_REMAINING, remaining - fill);
    if (remaining == fill) store<u32>(s + S_RESTING, 0);
    total += fill;
  }
  return total;
}

/** Applies one 24-byte L2 event record at `record`: returns the lots of ours it filled (0 for a level change). */
export function queueApply(state: usize, record: usize): i64 {
  const kind = load<i32>(record + R_KIND);
  const side = <u32>load<i32>(record + R_SIDE);
  const price = load<i32>(record + R_PRICE);
  const qty = <i64>load<i32>(record + R_QTY);
  if (kind == L2EventKind.TRADE) return queueOnTrade(state, side, price, qty);
  if (kind == L2EventKind.LEVEL) queueOnLevel(state, side, price, qty);
  return 0;
}

/** The record's time, ns (for a driver that walks records in the core). */
export function queueRecordTime(record: usize): i64 {
  return load<i64>(record + R_TIME);
}

/** 1 while the order in `slot` rests, else 0 (never placed, cancelled or filled). */
export function queueResting(state: usize, slot: u32): i32 {
  return <i32>load<u32>(slotAt(state, slot) + S_RESTING);
}

/** Lots estimated ahead of the order in `slot` (fractional in the probabilistic models). */
export function queueAhead(state: usize, slot: u32): f64 {
  return load<f64>(slotAt(state, slot) + S_AHEAD);
}

/** Lots of the order in `slot` not yet filled. */
export function queueRemaining(state: usize, slot: u32): i64 {
  return load<i64>(slotAt(state, slot) + S_REMAINING);
}

/** Lots of `slot` the last level or trade event filled (0 if none); an order no longer resting keeps the fill of the event that ended it. */
export function queueLastFill(state: usize, slot: u32): i64 {
  return load<i64>(slotAt(state, slot) + S_LAST_FILL);
}

/** Lots of the order in `slot` filled since it was placed. */
export function queueFilled(state: usize, slot: u32): i64 {
  return load<i64>(slotAt(state, slot) + S_FILLED);
}

// Matching (L3, price-time priority) for the venue and the playground's simulated exchange.
//
// One state block per symbol. Orders live in a pre-allocated pool of fixed 32-byte records; every
// price inside the band [basePrice, basePrice + levels) owns one level slot per side holding an
// intrusive doubly-linked FIFO of its resting orders (head/tail slot indices; prev/next in the order
// record), its total quantity and order count. A two-level bitmap per side (as in book.ts) finds the
// next best level when the best one empties. Add, cancel and each execution are O(1); nothing is
// allocated. The band is the exchange's circuit limits: a limit price outside it is rejected.
//
// ── API (all status codes are negative i32; see "Status codes") ─────────────────────────────────
//   matchBytes(capacity, levels): usize             state size (0 when the arguments are invalid)
//   matchInit(state, capacity, levels, basePrice, stpMode): i32
//       capacity in [1, 2^20] resting orders; levels a power of two in [64, 2^20];
//       stpMode 0 none · 1 cancel-taker · 2 cancel-maker · 3 cancel-both. 0 or a status.
//   matchSubmit(state, ring, owner, clientRef, side, kind, tif, price, qty, nowNs): i32
//       side 0 bid · 1 ask; kind 0 limit · 1 market (price ignored); tif 0 GTC · 1 IOC · 2 post-only
//       (market: GTC or IOC, both mean "never rests"). Returns the order id (≥ 1) if it rests, 0 if
//       it is done (filled, or its remainder canceled), or a status (reject or NEED_DRAIN).
//   matchCancel(state, ring, orderId, clientRef, nowNs): i32          0 or a status
//   matchReplace(state, ring, orderId, newPrice, newQty, clientRef, nowNs): i32
//       newQty is the new open (leaves) quantity. Same price and newQty ≤ leaves: reduced in place,
//       keeps its queue position and its id. Otherwise the order leaves its level, gets a new id
//       (same record, next generation) and re-enters as a GTC (or post-only) limit that may match.
//       A post-only order whose new price would cross is rejected and left untouched.
//       Returns the (possibly new) id if it rests, 0 if the re-entry filled completely, or a status.
//   matchResume(state, ring): i32     after NEED_DRAIN and a drain of the ring: continues the parked
//       call and returns what it would have returned (or NEED_DRAIN again); NOTHING_PENDING if idle.
//   matchQueueAhead(state, orderId): i64   sum of leaves ahead of the order at its price (−1 unknown);
//       O(orders ahead): a query, not a tick-path call.
//   Getters: matchBestBid/Ask (price, or NO_PRICE: i32.MIN), matchLevelQty (i64 total),
//   matchLevelOrders, matchLevelCount(side), matchOrderCount (resting), matchOrderLeaves (−1 unknown),
//   matchOrderPrice (NO_PRICE unknown), matchOrderSide (−1 unknown), matchOrderOwner (0 unknown),
//   matchPending (parked call kind, 0 none), matchCapacity, matchLevels, matchBasePrice, matchStpMode;
//   matchSnapshot(state, dst, depth) → rows of 4 × i32 as bookSnapshot (bid price, bid qty, ask price,
//   ask qty; level totals clamped to i32.MAX), returns bid levels | ask levels << 16.
//
// Order ids are u32 < 2^31, never 0: id = generation << slotBits | slot, slotBits = bits of capacity.
// The generation (1 … 2^(31−slotBits)−1, wrapping) moves on every use of a record, so an id held
// after its order is gone is refused (UNKNOWN_ORDER) unless that record has since been reused a
// whole multiple of 2^(31−slotBits)−1 times (≥ 1023 even at capacity 2^20).
//
// Pool: capacity + 1 records. At most `capacity` orders rest; the extra record is the incoming
// order's while it is in flight (it carries the order's id from ACCEPTED on, and its parked state
// across NEED_DRAIN). So IOC and market orders never meet a full pool. A GTC/post-only limit that
// would have to rest while `capacity` orders already rest is rejected with POOL_FULL before
// anything happens. That is exactly a limit that crosses nothing: if it reaches any maker, that
// maker either fills it completely or leaves the book (filled, or canceled by STP) and frees a
// record, or STP cancel-taker ends it, so it never needs a record of its own beyond the spare.
//
// Self-trade prevention (one stpMode per matching state) applies when maker owner == taker owner
// and owner ≠ 0 (owner 0 = no identity, never self-matches). cancel-taker: the taker's remainder is canceled;
// cancel-maker: the resting order is canceled and matching goes on; cancel-both: both.
//
// Quantities: i32 per order (> 0); level totals i64 internally (events carry i64; snapshot clamps).
//
// ── Events: 64-byte messages written into the host's ring (ring.ts) with ringClaim/ringPublish ──
//   +0  u8  type      1 ACCEPTED · 2 RESTED · 3 FILL · 4 CANCELED · 5 REPLACED · 6 REJECTED
//   +1  u8  side      side of the order (FILL: the maker's side); with LEVEL, the changed level's side
//   +2  u8  reason    CANCELED: 1 user · 2 IOC remainder · 3 STP · 4 market without liquidity;
//                     REJECTED: −status (1 bad side … 8 unknown order); else 0
//   +3  u8  flags     bit0 LEVEL (the level fields describe a level this event changed: an L2
//                     delta), bit1 market order, bits2–3 tif (ACCEPTED, REJECTED of a submit)
//   +4  u32 clientRef the caller's clientRef, echoed
//   +8  i64 nowNs     the caller's timestamp
//   +16 u32 id        the order (FILL: maker; REPLACED: old id; REJECTED: the target id or 0)
//   +20 u32 id2       FILL: taker id; REPLACED: new id (= id when priority kept); else 0
//   +24 u32 owner     the order's owner (FILL: maker's)
//   +28 u32 owner2    FILL: taker's owner; else 0
//   +32 i32 price     order price (market: NO_PRICE) · FILL: trade price · REPLACED: new price
//   +36 i32 qty       ACCEPTED/RESTED/REJECTED: order qty · FILL: traded · CANCELED: qty canceled
//                     · REPLACED: new qty
//   +40 i32 leaves    open qty after the event (FILL: maker's)
//   +44 i32 leaves2   FILL: taker's leaves after the fill; else 0
//   +48 i64 levelQty  with LEVEL: the level's new total quantity; else 0
//   +56 i32 levelPrice with LEVEL: the level's price (REPLACED: the old price it left); else NO_PRICE
//   +60 u32 levelOrders with LEVEL: orders now at that level; else 0
//   Sequences: every submit starts with exactly one ACCEPTED or REJECTED. An order that rests at
//   once without crossing sends nothing else: its ACCEPTED carries LEVEL (leaves = qty and the
//   level it joined). Otherwise ACCEPTED (no LEVEL), FILL* (and STP CANCELED of makers), then
//   RESTED or CANCELED of the remainder (nothing when filled). cancel → CANCELED(user).
//   replace → REPLACED (in place: LEVEL of its level; re-queued: LEVEL of the level it left), then
//   when re-queued FILL* and RESTED as for a submit. Any refusal → one REJECTED and nothing else.
//
// ── NEED_DRAIN ────────────────────────────────────────────────────────────────────────────────
// Each event's ring slot is claimed before the state change it reports, so a full ring stops the
// call between two steps: the call's state is parked in this block and NEED_DRAIN returned. The
// host drains the ring and calls matchResume until it answers something else; no event is lost or
// doubled. While a call is parked, submit/cancel/replace answer BUSY and do nothing.
//
// ── Status codes ──────────────────────────────────────────────────────────────────────────────
//   −1 BAD_SIDE · −2 BAD_KIND · −3 BAD_TIF · −4 BAD_QTY · −5 OUT_OF_BAND · −6 POST_ONLY_WOULD_CROSS
//   −7 POOL_FULL · −8 UNKNOWN_ORDER (rejects, each also sent as a REJECTED event)
//   −9 NEED_DRAIN · −10 BUSY · −11 NOTHING_PENDING
//   matchInit: −20 BAD_CAPACITY · −21 BAD_LEVELS · −22 MISALIGNED · −23 BAD_BAND · −24 BAD_STP
//
// ── Layout at `state` (64-byte aligned) ──────────────────────────────────────────────────────
//   +0 capacity u32 · +4 levels u32 · +8 basePrice i32 · +12 stpMode u32 · +16 slotBits u32
//   +20 max generation u32 · +24 free-list head i32 (−1 none) · +28 resting orders u32
//   +32 best bid index i32 (−1) · +36 best ask index i32 (−1) · +40 bid levels u32 · +44 ask levels u32
//   +48 level array offset u32[2] (bid, ask) · +56 bitmap offset u32[2] · +64 summary offset u32[2]
//   +72 slot mask u32 · +76 generation unit u32 (1 << slotBits)
//   parked call (written only when a call parks or goes on to match):
//     +128 op u32 (0 none, 1 submit, 2 cancel, 3 replace) · +132 phase u32 · +136 nowNs i64
//     +144 clientRef u32 · +148 record i32 · +152 kind u32 · +156 tif u32 · +160 owner / target id u32
//     +164 side u32 · +168 price i32 · +172 qty i32 · +176 STP hit u32
//   +192 order records, (capacity + 1) × 32 bytes:
//     +0 next i32 (FIFO; free list) · +4 prev i32 · +8 leaves i32 · +12 level index i32
//     +16 owner u32 · +20 id u32 · +24 flags u32 (bit0 side, bit1 post-only, bits4–5 0 free /
//     1 in flight / 2 resting) · +28 qty i32 (at entry or last replace)
//   then (64-aligned) levels: bid[levels] then ask[levels], 24 bytes each:
//     +0 total i64 · +8 head i32 · +12 tail i32 · +16 orders u32 (head/tail valid only when orders > 0)
//   then bid bitmap u64[levels/64] · ask bitmap · bid summary u64[words] · ask summary u64[words]

import { ringClaim, ringPublish } from "./ring";
import { bitmapClear, bitmapSet, highestAtOrBelow, lowestAtOrAbove, summaryWords } from "./price-bitmap";
import { storeSnapshotGap, storeSnapshotLevel } from "./snapshot-row";
import { NO_PRICE, OrderKind, Side, TimeInForce } from "./vocabulary";

/** Self-trade prevention, one mode per matching state (matchInit's stpMode). */
export namespace StpMode {
  export const NONE: u32 = 0;
  export const CANCEL_TAKER: u32 = 1;
  /** The action taken when the mode is neither NONE, CANCEL_TAKER nor CANCEL_BOTH. */
  export const CANCEL_MAKER: u32 = 2;
  export const CANCEL_BOTH: u32 = 3;
}

/** Answers of matchSubmit/Cancel/Replace/Resume below 0 (≥ 0 is an order id or 0 "done"), and of matchInit. */
export namespace MatchStatus {
  export const BAD_SIDE: i32 = -1;
  export const BAD_KIND: i32 = -2;
  export const BAD_TIF: i32 = -3;
  export const BAD_QTY: i32 = -4;
  export const OUT_OF_BAND: i32 = -5;
  export const POST_ONLY_WOULD_CROSS: i32 = -6;
  export const POOL_FULL: i32 = -7;
  export const UNKNOWN_ORDER: i32 = -8;
  export const NEED_DRAIN: i32 = -9;
  export const BUSY: i32 = -10;
  export const NOTHING_PENDING: i32 = -11;
  export const BAD_CAPACITY: i32 = -20;
  export const BAD_LEVELS: i32 = -21;
  export const MISALIGNED: i32 = -22;
  export const BAD_BAND: i32 = -23;
  export const BAD_STP: i32 = -24;
}

/**
 * Why matching canceled (part of) an order: the `reason` of a CANCELED event. Not the wire protocol's
 * CancelReason: the venue maps these to it (a USER cancel may be the client's, a logout's or a halt's).
 */
export namespace MatchCancelReason {
  /** matchCancel. */
  export const USER: u32 = 1;
  /** The unfilled remainder of an IOC order. */
  export const IOC: u32 = 2;
  /** Self-trade prevention. */
  export const STP: u32 = 3;
  /** The unfilled remainder of a market order (no more liquidity). */
  export const MARKET_NO_LIQUIDITY: u32 = 4;
}

/** Byte +0 of an event. */
export namespace EventType {
  export const ACCEPTED: u32 = 1;
  export const RESTED: u32 = 2;
  export const FILL: u32 = 3;
  export const CANCELED: u32 = 4;
  export const REPLACED: u32 = 5;
  export const REJECTED: u32 = 6;
}
/** Bits of byte +3 of an event (bits 2–3 carry the tif). */
export namespace EventFlag {
  export const LEVEL: u32 = 1;
  export const MARKET: u32 = 2;
}

const MAX_CAPACITY: u32 = 1 << 20;
const MIN_LEVELS: u32 = 64;
const MAX_LEVELS: u32 = 1 << 20;

// header
const CAPACITY: usize = 0;
const LEVELS: usize = 4;
const BASE_PRICE: usize = 8;
const STP_MODE: usize = 12;
const SLOT_BITS: usize = 16;
const GEN_MAX: usize = 20;
const FREE_HEAD: usize = 24;
const RESTING: usize = 28;
const BEST_BID: usize = 32;
const BID_LEVELS: usize = 40;
const LEVELS_OFF: usize = 48;
const BITS_OFF: usize = 56;
const SUM_OFF: usize = 64;
const SLOT_MASK: usize = 72;
const GEN_UNIT: usize = 76;
const P_OP: usize = 128;
const P_PHASE: usize = 132;
const P_NOW: usize = 136;
const P_REF: usize = 144;
const P_SLOT: usize = 148;
const P_KIND: usize = 152;
const P_TIF: usize = 156;
const P_OWNER: usize = 160;
const P_SIDE: usize = 164;
const P_PRICE: usize = 168;
const P_QTY: usize = 172;
const P_STP_HIT: usize = 176;
const HEADER_BYTES: usize = 192;

const OP_NONE: u32 = 0;
const OP_SUBMIT: u32 = 1;
const OP_CANCEL: u32 = 2;
const OP_REPLACE: u32 = 3;
const PH_START: u32 = 0;
const PH_MATCH: u32 = 1;
const PH_FINISH: u32 = 2;

// order record
const R_NEXT: usize = 0;
const R_PREV: usize = 4;
const R_LEAVES: usize = 8;
const R_IDX: usize = 12;
const R_OWNER: usize = 16;
const R_ID: usize = 20;
const R_FLAGS: usize = 24;
const R_QTY: usize = 28;
const RF_POST_ONLY: u32 = 2;
const RF_STATE_SHIFT: u32 = 4;
const ST_FREE: u32 = 0;
const ST_FLIGHT: u32 = 1;
const ST_RESTING: u32 = 2;

// level record
const L_TOTAL: usize = 0;
const L_HEAD: usize = 8;
const L_TAIL: usize = 12;
const L_COUNT: usize = 16;
const LEVEL_BYTES: usize = 24;

@inline function recAt(s: usize, slot: i32): usize {
  return s + HEADER_BYTES + (<usize>slot << 5);
}

@inline function levelAt(s: usize, side: u32, idx: i32): usize {
  return s + <usize>load<u32>(s + LEVELS_OFF + (<usize>side << 2)) + <usize>idx * LEVEL_BYTES;
}

@inline function bitsAt(s: usize, side: u32): usize {
  return s + <usize>load<u32>(s + BITS_OFF + (<usize>side << 2));
}

@inline function sumAt(s: usize, side: u32): usize {
  return s + <usize>load<u32>(s + SUM_OFF + (<usize>side << 2));
}

@inline function recState(r: usize): u32 {
  return (load<u32>(r + R_FLAGS) >> RF_STATE_SHIFT) & 3;
}

@inline function setRecState(r: usize, st: u32): void {
  store<u32>(r + R_FLAGS, (load<u32>(r + R_FLAGS) & ~(<u32>3 << RF_STATE_SHIFT)) | (st << RF_STATE_SHIFT));
}

/** Marks a level non-empty: bitmap, level count, best price. */
@inline function levelOpened(s: usize, side: u32, idx: i32): void {
  bitmapSet(bitsAt(s, side), sumAt(s, side), idx);
  const countAt = s + BID_LEVELS + (<usize>side << 2);
  store<u32>(countAt, load<u32>(countAt) + 1);
  const bestAt = s + BEST_BID + (<usize>side << 2);
  const best = load<i32>(bestAt);
  if (best < 0 || (side == Side.BUY ? idx > best : idx < best)) store<i32>(bestAt, idx);
}

/** Marks a level empty and finds the next best when it was the best. */
function levelClosed(s: usize, side: u32, idx: i32): void {
  const bits = bitsAt(s, side);
  const sum = sumAt(s, side);
  bitmapClear(bits, sum, idx);
  const countAt = s + BID_LEVELS + (<usize>side << 2);
  store<u32>(countAt, load<u32>(countAt) - 1);
  const bestAt = s + BEST_BID + (<usize>side << 2);
  if (load<i32>(bestAt) == idx) {
    store<i32>(bestAt, side == Side.BUY
      ? highestAtOrBelow(bits, sum, idx - 1)
      : lowestAtOrAbove(bits, sum, idx + 1, <i32>load<u32>(s + LEVELS)));
  }
}

// ── records and FIFOs ────────────────────────────────────────────────────────────────────────────

/** Takes a record off the free list and gives it its next id. The caller knows one is free. */
@inline function allocRecord(s: usize): i32 {
  const slot = load<i32>(s + FREE_HEAD);
  store<i32>(s + FREE_HEAD, load<i32>(recAt(s, slot) + R_NEXT));
  renewId(s, slot);
  return slot;
}

/** Next generation of a record's id: + one generation unit, wrapping to generation 1 at 2^31. */
@inline function renewId(s: usize, slot: i32): u32 {
  const r = recAt(s, slot);
  const unit = load<u32>(s + GEN_UNIT);
  let id = load<u32>(r + R_ID) + unit;
  if (<i32>id < 0) id = unit | <u32>slot;
  store<u32>(r + R_ID, id);
  return id;
}

@inline function freeRecord(s: usize, slot: i32): void {
  const r = recAt(s, slot);
  setRecState(r, ST_FREE);
  store<i32>(r + R_NEXT, load<i32>(s + FREE_HEAD));
  store<i32>(s + FREE_HEAD, slot);
}

/** Record slot of a resting order, or −1. */
@inline function lookup(s: usize, id: u32): i32 {
  const slot = id & load<u32>(s + SLOT_MASK);
  if (slot > load<u32>(s + CAPACITY)) return -1;
  const r = recAt(s, <i32>slot);
  if (load<u32>(r + R_ID) != id || recState(r) != ST_RESTING) return -1;
  return <i32>slot;
}

/** Appends a record to the tail of its level's FIFO. */
@inline function appendToLevel(s: usize, side: u32, idx: i32, slot: i32, qty: i32): usize {
  const l = levelAt(s, side, idx);
  const r = recAt(s, slot);
  const count = load<u32>(l + L_COUNT);
  store<i32>(r + R_NEXT, -1);
  if (count == 0) {
    store<i32>(r + R_PREV, -1);
    store<i32>(l + L_HEAD, slot);
    levelOpened(s, side, idx);
  } else {
    const tail = load<i32>(l + L_TAIL);
    store<i32>(recAt(s, tail) + R_NEXT, slot);
    store<i32>(r + R_PREV, tail);
  }
  store<i32>(l + L_TAIL, slot);
  store<u32>(l + L_COUNT, count + 1);
  store<i64>(l + L_TOTAL, load<i64>(l + L_TOTAL) + <i64>qty);
  store<u32>(s + RESTING, load<u32>(s + RESTING) + 1);
  setRecState(r, ST_RESTING);
  return l;
}

/** Unlinks a resting record (with `leaves` open) from anywhere in its level's FIFO. */
@inline function unlinkFromLevel(s: usize, side: u32, idx: i32, slot: i32, leaves: i32): usize {
  const l = levelAt(s, side, idx);
  const r = recAt(s, slot);
  const prev = load<i32>(r + R_PREV);
  const next = load<i32>(r + R_NEXT);
  if (prev >= 0) store<i32>(recAt(s, prev) + R_NEXT, next); else store<i32>(l + L_HEAD, next);
  if (next >= 0) store<i32>(recAt(s, next) + R_PREV, prev); else store<i32>(l + L_TAIL, prev);
  const count = load<u32>(l + L_COUNT) - 1;
  store<u32>(l + L_COUNT, count);
  store<i64>(l + L_TOTAL, load<i64>(l + L_TOTAL) - <i64>leaves);
  store<u32>(s + RESTING, load<u32>(s + RESTING) - 1);
  if (count == 0) levelClosed(s, side, idx);
  return l;
}

// ── events ───────────────────────────────────────────────────────────────────────────────────────

@inline function writeEvent(
  e: usize, head: u32, ref: u32, now: i64, id: u32, id2: u32, owner: u32, owner2: u32,
  price: i32, qty: i32, leaves: i32, leaves2: i32,
): void {
  store<u32>(e, head);
  store<u32>(e, ref, 4);
  store<i64>(e, now, 8);
  store<u32>(e, id, 16);
  store<u32>(e, id2, 20);
  store<u32>(e, owner, 24);
  store<u32>(e, owner2, 28);
  store<i32>(e, price, 32);
  store<i32>(e, qty, 36);
  store<i32>(e, leaves, 40);
  store<i32>(e, leaves2, 44);
}

@inline function eventHead(type: u32, side: u32, reason: u32, flags: u32): u32 {
  return type | ((side & 0xff) << 8) | (reason << 16) | (flags << 24);
}

@inline function writeLevel(e: usize, l: usize, price: i32): void {
  store<i64>(e, load<i64>(l + L_TOTAL), 48);
  store<i32>(e, price, 56);
  store<u32>(e, load<u32>(l + L_COUNT), 60);
}

@inline function writeNoLevel(e: usize): void {
  store<i64>(e, 0, 48);
  store<i32>(e, NO_PRICE, 56);
  store<u32>(e, 0, 60);
}

@inline function orderFlags(kind: u32, tif: u32): u32 {
  return (kind == OrderKind.MARKET ? EventFlag.MARKET : 0) | ((tif & 3) << 2);
}

@inline function priceOf(s: usize, idx: i32): i32 {
  return load<i32>(s + BASE_PRICE) + idx;
}

// ── calls ────────────────────────────────────────────────────────────────────────────────────────
// Each call claims the ring slot of its first event before touching anything; when the ring is
// full it parks its arguments (phase START) and answers NEED_DRAIN. A call that goes on to match
// writes its state into the parked-call block first, so a full ring mid-sweep parks it there.
// The *With functions start with no call parked (P_OP none) and set it only to go on matching.

@inline function endCall(s: usize, result: i32): i32 {
  store<u32>(s + P_OP, OP_NONE);
  return result;
}

/** Writes a REJECTED event into the claimed slot `e`; the call ends with `status`. */
function reject(s: usize, ring: usize, e: usize, status: i32, ref: u32, now: i64, id: u32, owner: u32, side: u32, price: i32, qty: i32, flags: u32): i32 {
  writeEvent(e, eventHead(EventType.REJECTED, side, <u32>(-status), flags), ref, now, id, 0, owner, 0, price, qty, 0, 0);
  writeNoLevel(e);
  ringPublish(ring);
  return status;
}

/** Band index of a limit price, or −1 when outside. */
@inline function bandIndex(s: usize, price: i32): i32 {
  const idx = <i64>price - <i64>load<i32>(s + BASE_PRICE);
  if (idx < 0 || idx >= <i64>load<u32>(s + LEVELS)) return -1;
  return <i32>idx;
}

/** Would an order on `side` with limit index `idx` trade against the best opposite level? */
@inline function crosses(s: usize, side: u32, idx: i32): bool {
  if (side == Side.BUY) {
    const a = load<i32>(s + BEST_BID + 4);
    return a >= 0 && a <= idx;
  }
  const b = load<i32>(s + BEST_BID);
  return b >= 0 && b >= idx;
}

/** Records an in-flight order's call state so matching can park and resume. */
@inline function enterMatch(s: usize, op: u32, slot: i32, kind: u32, tif: u32, ref: u32, now: i64): void {
  store<u32>(s + P_OP, op);
  store<u32>(s + P_PHASE, PH_MATCH);
  store<i64>(s + P_NOW, now);
  store<u32>(s + P_REF, ref);
  store<i32>(s + P_SLOT, slot);
  store<u32>(s + P_KIND, kind);
  store<u32>(s + P_TIF, tif);
  store<u32>(s + P_STP_HIT, 0);
}

/** A submit whose first event slot `e` is claimed. */
@inline function submitWith(
  s: usize, ring: usize, e: usize, owner: u32, ref: u32, side: u32, kind: u32, tif: u32, price: i32, qty: i32, now: i64,
): i32 {
  const flags = orderFlags(kind, tif);
  if (side > Side.SELL) return reject(s, ring, e, MatchStatus.BAD_SIDE, ref, now, 0, owner, side, price, qty, flags);
  if (kind > OrderKind.MARKET) return reject(s, ring, e, MatchStatus.BAD_KIND, ref, now, 0, owner, side, price, qty, flags);
  if (tif > TimeInForce.POST_ONLY || (kind == OrderKind.MARKET && tif == TimeInForce.POST_ONLY)) return reject(s, ring, e, MatchStatus.BAD_TIF, ref, now, 0, owner, side, price, qty, flags);
  if (qty <= 0) return reject(s, ring, e, MatchStatus.BAD_QTY, ref, now, 0, owner, side, price, qty, flags);
  let idx: i32;
  let crossing = true;
  if (kind == OrderKind.LIMIT) {
    idx = bandIndex(s, price);
    if (idx < 0) return reject(s, ring, e, MatchStatus.OUT_OF_BAND, ref, now, 0, owner, side, price, qty, flags);
    crossing = crosses(s, side, idx);
    if (tif == TimeInForce.POST_ONLY && crossing) return reject(s, ring, e, MatchStatus.POST_ONLY_WOULD_CROSS, ref, now, 0, owner, side, price, qty, flags);
    // Full pool: an order that crosses frees a record or ends before resting (see the header).
    if (tif != TimeInForce.IOC && !crossing && load<u32>(s + RESTING) >= load<u32>(s + CAPACITY)) {
      return reject(s, ring, e, MatchStatus.POOL_FULL, ref, now, 0, owner, side, price, qty, flags);
    }
  } else {
    // A market order crosses every level: its limit index lies beyond the band.
    idx = side == Side.BUY ? <i32>load<u32>(s + LEVELS) : -1;
    price = NO_PRICE;
  }
  const slot = allocRecord(s);
  const r = recAt(s, slot);
  store<i32>(r + R_LEAVES, qty);
  store<i32>(r + R_IDX, idx);
  store<u32>(r + R_OWNER, owner);
  store<u32>(r + R_FLAGS, side | (tif == TimeInForce.POST_ONLY ? RF_POST_ONLY : 0) | (ST_FLIGHT << RF_STATE_SHIFT));
  store<i32>(r + R_QTY, qty);
  const id = load<u32>(r + R_ID);
  if (!crossing && tif != TimeInForce.IOC) {
    // Rests at once: one event, the ACCEPTED carrying the level it joined.
    const l = appendToLevel(s, side, idx, slot, qty);
    writeEvent(e, eventHead(EventType.ACCEPTED, side, 0, flags | EventFlag.LEVEL), ref, now, id, 0, owner, 0, price, qty, qty, 0);
    writeLevel(e, l, price);
    ringPublish(ring);
    return <i32>id;
  }
  writeEvent(e, eventHead(EventType.ACCEPTED, side, 0, flags), ref, now, id, 0, owner, 0, price, qty, qty, 0);
  writeNoLevel(e);
  ringPublish(ring);
  enterMatch(s, OP_SUBMIT, slot, kind, tif, ref, now);
  return continueTaker(s, ring);
}

/** A cancel whose event slot `e` is claimed. */
@inline function cancelWith(s: usize, ring: usize, e: usize, id: u32, ref: u32, now: i64): i32 {
  const slot = lookup(s, id);
  if (slot < 0) return reject(s, ring, e, MatchStatus.UNKNOWN_ORDER, ref, now, id, 0, 0, 0, 0, 0);
  const r = recAt(s, slot);
  const side = load<u32>(r + R_FLAGS) & 1;
  const idx = load<i32>(r + R_IDX);
  const leaves = load<i32>(r + R_LEAVES);
  const l = unlinkFromLevel(s, side, idx, slot, leaves);
  const price = priceOf(s, idx);
  writeEvent(e, eventHead(EventType.CANCELED, side, MatchCancelReason.USER, EventFlag.LEVEL), ref, now, id, 0, load<u32>(r + R_OWNER), 0, price, leaves, 0, 0);
  writeLevel(e, l, price);
  ringPublish(ring);
  freeRecord(s, slot);
  return 0;
}

/** A replace whose first event slot `e` is claimed. */
@inline function replaceWith(s: usize, ring: usize, e: usize, id: u32, price: i32, qty: i32, ref: u32, now: i64): i32 {
  const slot = lookup(s, id);
  if (slot < 0) return reject(s, ring, e, MatchStatus.UNKNOWN_ORDER, ref, now, id, 0, 0, price, qty, 0);
  const r = recAt(s, slot);
  const flags = load<u32>(r + R_FLAGS);
  const side = flags & 1;
  const owner = load<u32>(r + R_OWNER);
  const tif = (flags & RF_POST_ONLY) != 0 ? TimeInForce.POST_ONLY : TimeInForce.GTC;
  const evFlags = orderFlags(OrderKind.LIMIT, tif);
  if (qty <= 0) return reject(s, ring, e, MatchStatus.BAD_QTY, ref, now, id, owner, side, price, qty, evFlags);
  const newIdx = bandIndex(s, price);
  if (newIdx < 0) return reject(s, ring, e, MatchStatus.OUT_OF_BAND, ref, now, id, owner, side, price, qty, evFlags);
  const idx = load<i32>(r + R_IDX);
  const leaves = load<i32>(r + R_LEAVES);
  if (newIdx == idx && qty <= leaves) {
    // Reduced in place: keeps its queue position and its id.
    const l = levelAt(s, side, idx);
    store<i32>(r + R_LEAVES, qty);
    store<i32>(r + R_QTY, qty);
    store<i64>(l + L_TOTAL, load<i64>(l + L_TOTAL) - <i64>(leaves - qty));
    writeEvent(e, eventHead(EventType.REPLACED, side, 0, EventFlag.LEVEL), ref, now, id, id, owner, 0, price, qty, qty, 0);
    writeLevel(e, l, price);
    ringPublish(ring);
    return <i32>id;
  }
  if (tif == TimeInForce.POST_ONLY && crosses(s, side, newIdx)) {
    return reject(s, ring, e, MatchStatus.POST_ONLY_WOULD_CROSS, ref, now, id, owner, side, price, qty, evFlags);
  }
  const l = unlinkFromLevel(s, side, idx, slot, leaves);
  const newId = renewId(s, slot);
  setRecState(r, ST_FLIGHT);
  store<i32>(r + R_LEAVES, qty);
  store<i32>(r + R_QTY, qty);
  store<i32>(r + R_IDX, newIdx);
  writeEvent(e, eventHead(EventType.REPLACED, side, 0, EventFlag.LEVEL), ref, now, id, newId, owner, 0, price, qty, qty, 0);
  writeLevel(e, l, priceOf(s, idx));
  ringPublish(ring);
  enterMatch(s, OP_REPLACE, slot, OrderKind.LIMIT, tif, ref, now);
  return continueTaker(s, ring);
}

/** Sweeps the opposite side while the in-flight order crosses. False when the ring filled. */
function matchLoop(s: usize, ring: usize): bool {
  const slot = load<i32>(s + P_SLOT);
  const r = recAt(s, slot);
  const side = load<u32>(r + R_FLAGS) & 1;
  const opp = side ^ 1;
  const limit = load<i32>(r + R_IDX);
  const owner = load<u32>(r + R_OWNER);
  const id = load<u32>(r + R_ID);
  const stp = owner != 0 ? load<u32>(s + STP_MODE) : StpMode.NONE;
  const ref = load<u32>(s + P_REF);
  const now = load<i64>(s + P_NOW);
  const base = load<i32>(s + BASE_PRICE);
  const bestAt = s + BEST_BID + (<usize>opp << 2);
  let leaves = load<i32>(r + R_LEAVES);
  while (leaves > 0) {
    const best = load<i32>(bestAt);
    if (best < 0 || (side == Side.BUY ? best > limit : best < limit)) break;
    const e = ringClaim(ring);
    if (e == 0) {
      store<i32>(r + R_LEAVES, leaves);
      return false;
    }
    const l = levelAt(s, opp, best);
    const m = load<i32>(l + L_HEAD);
    const mr = recAt(s, m);
    const mOwner = load<u32>(mr + R_OWNER);
    const mId = load<u32>(mr + R_ID);
    const mLeaves = load<i32>(mr + R_LEAVES);
    const price = base + best;
    if (stp != StpMode.NONE && mOwner == owner) {
      if (stp == StpMode.CANCEL_TAKER) {
        store<u32>(s + P_STP_HIT, 1);
        break;
      }
      unlinkFromLevel(s, opp, best, m, mLeaves);
      writeEvent(e, eventHead(EventType.CANCELED, opp, MatchCancelReason.STP, EventFlag.LEVEL), ref, now, mId, 0, mOwner, 0, price, mLeaves, 0, 0);
      writeLevel(e, l, price);
      ringPublish(ring);
      freeRecord(s, m);
      if (stp == StpMode.CANCEL_BOTH) {
        store<u32>(s + P_STP_HIT, 1);
        break;
      }
      continue;
    }
    const fill = leaves < mLeaves ? leaves : mLeaves;
    leaves -= fill;
    const mLeft = mLeaves - fill;
    store<i64>(l + L_TOTAL, load<i64>(l + L_TOTAL) - <i64>fill);
    if (mLeft == 0) {
      // The head leaves the FIFO: its successor becomes the head.
      const next = load<i32>(mr + R_NEXT);
      store<u32>(l + L_COUNT, load<u32>(l + L_COUNT) - 1);
      store<u32>(s + RESTING, load<u32>(s + RESTING) - 1);
      if (next >= 0) {
        store<i32>(l + L_HEAD, next);
        store<i32>(recAt(s, next) + R_PREV, -1);
      } else {
        levelClosed(s, opp, best);
      }
      freeRecord(s, m);
    } else {
      store<i32>(mr + R_LEAVES, mLeft);
    }
    writeEvent(e, eventHead(EventType.FILL, opp, 0, EventFlag.LEVEL), ref, now, mId, id, mOwner, owner, price, fill, mLeft, leaves);
    writeLevel(e, l, price);
    ringPublish(ring);
  }
  store<i32>(r + R_LEAVES, leaves);
  return true;
}

/** Rests or cancels what is left of the in-flight order. */
function finishTaker(s: usize, ring: usize): i32 {
  const slot = load<i32>(s + P_SLOT);
  const r = recAt(s, slot);
  const leaves = load<i32>(r + R_LEAVES);
  if (leaves == 0) {
    freeRecord(s, slot);
    return endCall(s, 0);
  }
  const e = ringClaim(ring);
  if (e == 0) return MatchStatus.NEED_DRAIN;
  const side = load<u32>(r + R_FLAGS) & 1;
  const kind = load<u32>(s + P_KIND);
  const tif = load<u32>(s + P_TIF);
  const stpHit = load<u32>(s + P_STP_HIT) != 0;
  const id = load<u32>(r + R_ID);
  const owner = load<u32>(r + R_OWNER);
  const idx = load<i32>(r + R_IDX);
  const ref = load<u32>(s + P_REF);
  const now = load<i64>(s + P_NOW);
  if (!stpHit && kind == OrderKind.LIMIT && tif != TimeInForce.IOC) {
    const l = appendToLevel(s, side, idx, slot, leaves);
    const price = priceOf(s, idx);
    writeEvent(e, eventHead(EventType.RESTED, side, 0, EventFlag.LEVEL), ref, now, id, 0, owner, 0, price, load<i32>(r + R_QTY), leaves, 0);
    writeLevel(e, l, price);
    ringPublish(ring);
    return endCall(s, <i32>id);
  }
  const reason = stpHit ? MatchCancelReason.STP : kind == OrderKind.MARKET ? MatchCancelReason.MARKET_NO_LIQUIDITY : MatchCancelReason.IOC;
  writeEvent(e, eventHead(EventType.CANCELED, side, reason, 0), ref, now, id, 0, owner, 0,
    kind == OrderKind.MARKET ? NO_PRICE : priceOf(s, idx), leaves, 0, 0);
  writeNoLevel(e);
  ringPublish(ring);
  freeRecord(s, slot);
  return endCall(s, 0);
}

/** Matches the in-flight order from its parked phase, then rests or cancels its remainder. */
function continueTaker(s: usize, ring: usize): i32 {
  if (load<u32>(s + P_PHASE) == PH_MATCH) {
    if (!matchLoop(s, ring)) return MatchStatus.NEED_DRAIN;
    store<u32>(s + P_PHASE, PH_FINISH);
  }
  return finishTaker(s, ring);
}

/** Parks a call that found the ring full before its first event. */
@inline function parkCall(s: usize, op: u32, ref: u32, now: i64): i32 {
  store<u32>(s + P_OP, op);
  store<u32>(s + P_PHASE, PH_START);
  store<i64>(s + P_NOW, now);
  store<u32>(s + P_REF, ref);
  return MatchStatus.NEED_DRAIN;
}

// ── exports ──────────────────────────────────────────────────────────────────────────────────────

/** Bytes of a matching state for `capacity` resting orders and `levels` prices (0 if invalid). */
export function matchBytes(capacity: u32, levels: u32): usize {
  if (capacity < 1 || capacity > MAX_CAPACITY) return 0;
  if (levels < MIN_LEVELS || levels > MAX_LEVELS || (levels & (levels - 1)) != 0) return 0;
  const levelsOff = (HEADER_BYTES + ((<usize>capacity + 1) << 5) + 63) & ~<usize>63;
  const bitsOff = levelsOff + (<usize>levels * 2 * LEVEL_BYTES);
  const sumOff = bitsOff + (<usize>levels >> 2);
  return (sumOff + (<usize>summaryWords(levels) << 4) + 63) & ~<usize>63;
}

/** Empties the matching state: band [basePrice, basePrice + levels), pool of `capacity`, STP mode. */
export function matchInit(state: usize, capacity: u32, levels: u32, basePrice: i32, stpMode: u32): i32 {
  if (capacity < 1 || capacity > MAX_CAPACITY) return MatchStatus.BAD_CAPACITY;
  if (levels < MIN_LEVELS || levels > MAX_LEVELS || (levels & (levels - 1)) != 0) return MatchStatus.BAD_LEVELS;
  if ((state & 63) != 0) return MatchStatus.MISALIGNED;
  if (<i64>basePrice + <i64>levels > <i64>i32.MAX_VALUE || basePrice == NO_PRICE) return MatchStatus.BAD_BAND;
  if (stpMode > StpMode.CANCEL_BOTH) return MatchStatus.BAD_STP;
  const bytes = matchBytes(capacity, levels);
  memory.fill(state, 0, bytes);
  const levelsOff = (HEADER_BYTES + ((<usize>capacity + 1) << 5) + 63) & ~<usize>63;
  const bitsOff = levelsOff + (<usize>levels * 2 * LEVEL_BYTES);
  const slotBits = <u32>32 - clz<u32>(capacity);
  store<u32>(state + CAPACITY, capacity);
  store<u32>(state + LEVELS, levels);
  store<i32>(state + BASE_PRICE, basePrice);
  store<u32>(state + STP_MODE, stpMode);
  store<u32>(state + SLOT_BITS, slotBits);
  store<u32>(state + GEN_MAX, (<u32>1 << (31 - slotBits)) - 1);
  store<u32>(state + SLOT_MASK, (<u32>1 << slotBits) - 1);
  store<u32>(state + GEN_UNIT, <u32>1 << slotBits);
  store<i32>(state + BEST_BID, -1);
  store<i32>(state + BEST_BID + 4, -1);
  store<u32>(state + LEVELS_OFF, <u32>levelsOff);
  store<u32>(state + LEVELS_OFF + 4, <u32>(levelsOff + <usize>levels * LEVEL_BYTES));
  store<u32>(state + BITS_OFF, <u32>bitsOff);
  store<u32>(state + BITS_OFF + 4, <u32>(bitsOff + (<usize>levels >> 3)));
  const sumOff = bitsOff + (<usize>levels >> 2);
  store<u32>(state + SUM_OFF, <u32>sumOff);
  store<u32>(state + SUM_OFF + 4, <u32>(sumOff + (<usize>summaryWords(levels) << 3)));
  // Free list in slot order: record i links to i + 1, the last (index capacity) ends it. Each id
  // starts at generation 0 (id = slot, never handed out): the first use makes it generation 1.
  for (let i: u32 = 0; i <= capacity; i++) {
    const r = recAt(state, <i32>i);
    store<i32>(r + R_NEXT, i < capacity ? <i32>i + 1 : -1);
    store<u32>(r + R_ID, i);
  }
  store<i32>(state + FREE_HEAD, 0);
  return 0;
}

/** Enters an order (see the file header). Order id if it rests, 0 if done, or a status. */
export function matchSubmit(
  state: usize, ring: usize, owner: u32, clientRef: u32, side: u32, kind: u32, tif: u32, price: i32, qty: i32, nowNs: i64,
): i32 {
  if (load<u32>(state + P_OP) != OP_NONE) return MatchStatus.BUSY;
  const e = ringClaim(ring);
  if (e == 0) {
    store<u32>(state + P_OWNER, owner);
    store<u32>(state + P_SIDE, side);
    store<u32>(state + P_KIND, kind);
    store<u32>(state + P_TIF, tif);
    store<i32>(state + P_PRICE, price);
    store<i32>(state + P_QTY, qty);
    return parkCall(state, OP_SUBMIT, clientRef, nowNs);
  }
  return submitWith(state, ring, e, owner, clientRef, side, kind, tif, price, qty, nowNs);
}

/** Cancels a resting order: 0, or UNKNOWN_ORDER / NEED_DRAIN / BUSY. */
export function matchCancel(state: usize, ring: usize, orderId: u32, clientRef: u32, nowNs: i64): i32 {
  if (load<u32>(state + P_OP) != OP_NONE) return MatchStatus.BUSY;
  const e = ringClaim(ring);
  if (e == 0) {
    store<u32>(state + P_OWNER, orderId);
    return parkCall(state, OP_CANCEL, clientRef, nowNs);
  }
  return cancelWith(state, ring, e, orderId, clientRef, nowNs);
}

/** Replaces price and/or open quantity (see the file header). The resting id, 0 if filled, or a status. */
export function matchReplace(state: usize, ring: usize, orderId: u32, newPrice: i32, newQty: i32, clientRef: u32, nowNs: i64): i32 {
  if (load<u32>(state + P_OP) != OP_NONE) return MatchStatus.BUSY;
  const e = ringClaim(ring);
  if (e == 0) {
    store<u32>(state + P_OWNER, orderId);
    store<i32>(state + P_PRICE, newPrice);
    store<i32>(state + P_QTY, newQty);
    return parkCall(state, OP_REPLACE, clientRef, nowNs);
  }
  return replaceWith(state, ring, e, orderId, newPrice, newQty, clientRef, nowNs);
}

/** Continues a call parked by NEED_DRAIN; returns what that call returns, or NOTHING_PENDING. */
export function matchResume(state: usize, ring: usize): i32 {
  const op = load<u32>(state + P_OP);
  if (op == OP_NONE) return MatchStatus.NOTHING_PENDING;
  if (load<u32>(state + P_PHASE) != PH_START) return continueTaker(state, ring);
  const e = ringClaim(ring);
  if (e == 0) return MatchStatus.NEED_DRAIN;
  store<u32>(state + P_OP, OP_NONE);
  const ref = load<u32>(state + P_REF);
  const now = load<i64>(state + P_NOW);
  const target = load<u32>(state + P_OWNER);
  if (op == OP_CANCEL) return cancelWith(state, ring, e, target, ref, now);
  const price = load<i32>(state + P_PRICE);
  const qty = load<i32>(state + P_QTY);
  if (op == OP_REPLACE) return replaceWith(state, ring, e, target, price, qty, ref, now);
  return submitWith(state, ring, e, target, ref, load<u32>(state + P_SIDE), load<u32>(state + P_KIND), load<u32>(state + P_TIF), price, qty, now);
}

/** The parked call's kind: 0 none, 1 submit, 2 cancel, 3 replace. */
export function matchPending(state: usize): u32 {
  return load<u32>(state + P_OP);
}

/** Quantity resting ahead of the order at its price (−1 for an unknown id). O(orders ahead). */
export function matchQueueAhead(state: usize, orderId: u32): i64 {
  const slot = lookup(state, orderId);
  if (slot < 0) return -1;
  let sum: i64 = 0;
  let p = load<i32>(recAt(state, slot) + R_PREV);
  while (p >= 0) {
    const r = recAt(state, p);
    sum += <i64>load<i32>(r + R_LEAVES);
    p = load<i32>(r + R_PREV);
  }
  return sum;
}

/** Best bid price, or NO_PRICE. */
export function matchBestBid(state: usize): i32 {
  const idx = load<i32>(state + BEST_BID);
  return idx < 0 ? NO_PRICE : priceOf(state, idx);
}

/** Best ask price, or NO_PRICE. */
export function matchBestAsk(state: usize): i32 {
  const idx = load<i32>(state + BEST_BID + 4);
  return idx < 0 ? NO_PRICE : priceOf(state, idx);
}

/** Total open quantity at a price (0 when empty or outside the band). */
export function matchLevelQty(state: usize, side: u32, price: i32): i64 {
  const idx = bandIndex(state, price);
  if (side > Side.SELL || idx < 0) return 0;
  return load<i64>(levelAt(state, side, idx) + L_TOTAL);
}

/** Orders resting at a price. */
export function matchLevelOrders(state: usize, side: u32, price: i32): u32 {
  const idx = bandIndex(state, price);
  if (side > Side.SELL || idx < 0) return 0;
  return load<u32>(levelAt(state, side, idx) + L_COUNT);
}

/** Non-empty levels on a side. */
export function matchLevelCount(state: usize, side: u32): u32 {
  return load<u32>(state + BID_LEVELS + (<usize>(side & 1) << 2));
}

/** Resting orders. */
export function matchOrderCount(state: usize): u32 {
  return load<u32>(state + RESTING);
}

/** Open quantity of a resting order, or −1 for an unknown id. */
export function matchOrderLeaves(state: usize, orderId: u32): i32 {
  const slot = lookup(state, orderId);
  return slot < 0 ? -1 : load<i32>(recAt(state, slot) + R_LEAVES);
}

/** Price of a resting order, or NO_PRICE. */
export function matchOrderPrice(state: usize, orderId: u32): i32 {
  const slot = lookup(state, orderId);
  return slot < 0 ? NO_PRICE : priceOf(state, load<i32>(recAt(state, slot) + R_IDX));
}

/** Side of a resting order (0 bid, 1 ask), or −1. */
export function matchOrderSide(state: usize, orderId: u32): i32 {
  const slot = lookup(state, orderId);
  return slot < 0 ? -1 : <i32>(load<u32>(recAt(state, slot) + R_FLAGS) & 1);
}

/** Owner of a resting order, or 0 (check matchOrderLeaves to tell an unknown id from owner 0). */
export function matchOrderOwner(state: usize, orderId: u32): u32 {
  const slot = lookup(state, orderId);
  return slot < 0 ? 0 : load<u32>(recAt(state, slot) + R_OWNER);
}

export function matchCapacity(state: usize): u32 {
  return load<u32>(state + CAPACITY);
}

export function matchLevels(state: usize): u32 {
  return load<u32>(state + LEVELS);
}

export function matchBasePrice(state: usize): i32 {
  return load<i32>(state + BASE_PRICE);
}

export function matchStpMode(state: usize): u32 {
  return load<u32>(state + STP_MODE);
}

/** A level's total quantity, clamped to i32 for the snapshot row. */
@inline function clampedTotal(state: usize, side: u32, idx: i32): i32 {
  const q = load<i64>(levelAt(state, side, idx) + L_TOTAL);
  return q > <i64>i32.MAX_VALUE ? i32.MAX_VALUE : <i32>q;
}

/**
 * Writes the top `depth` levels into `dst` as rows of four i32 (bid price, bid qty, ask price,
 * ask qty; missing: NO_PRICE, 0; totals clamped to i32.MAX) like bookSnapshot.
 * Returns bid levels | ask levels << 16.
 */
export function matchSnapshot(state: usize, dst: usize, depth: u32): u32 {
  const levels = <i32>load<u32>(state + LEVELS);
  const bidBits = bitsAt(state, Side.BUY);
  const askBits = bitsAt(state, Side.SELL);
  const bidSum = sumAt(state, Side.BUY);
  const askSum = sumAt(state, Side.SELL);
  let b = load<i32>(state + BEST_BID);
  let a = load<i32>(state + BEST_BID + 4);
  let nb: u32 = 0;
  let na: u32 = 0;
  for (let i: u32 = 0; i < depth; i++) {
    const row = dst + (<usize>i << 4);
    if (b >= 0) {
      storeSnapshotLevel(row, Side.BUY, priceOf(state, b), clampedTotal(state, Side.BUY, b));
      nb++;
      b = highestAtOrBelow(bidBits, bidSum, b - 1);
    } else {
      storeSnapshotGap(row, Side.BUY);
    }
    if (a >= 0) {
      storeSnapshotLevel(row, Side.SELL, priceOf(state, a), clampedTotal(state, Side.SELL, a));
      na++;
      a = lowestAtOrAbove(askBits, askSum, a + 1, levels);
    } else {
      storeSnapshotGap(row, Side.SELL);
    }
  }
  return nb | (na << 16);
}

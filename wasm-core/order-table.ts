// Working-order table: our orders from send to their final state, keyed by client order id (clOrdId).
//
// One table per engine. The gateway hands out the ids (u64, new for every NewOrder, Cancel and
// Replace); the host passes them in. An open-addressing hash index (linear probing, backward-shift
// deletion, so no tombstones) maps an id to its slot in O(1). Each working order has up to two ids in
// the index: its own, and while a cancel or replace is pending, that request's id, because the
// venue's Reject names the refused request's id (docs/protocol.md) and the table turns it back into
// a cancel-reject or replace-reject without a map on the host.
//
// States (OrderState, Nautilus' names). "Working" = PENDING_NEW, LIVE, PARTIALLY_FILLED,
// PENDING_CANCEL, PENDING_REPLACE; the others are final and free the slot.
//   open                      free → PENDING_NEW
//   ack                       any working order not yet acked: PENDING_NEW → LIVE, else the state stays
//                             (a cancel may be sent before the ack: the protocol allows it)
//   fill q (0 < q ≤ leaves)   any working order: cumQty += q; cumQty = qty → FILLED (final); else
//                             PENDING_NEW / LIVE → PARTIALLY_FILLED, the pending states stay pending
//                             (the fill that races a cancel or replace is applied; so is a fill
//                             before the ack, which the protocol never sends: the table follows the venue)
//   reject of the order's id  not acked and nothing filled (PENDING_NEW, or PENDING_CANCEL sent before
//                             the ack) → REJECTED (final)
//   cancel request            PENDING_NEW, LIVE, PARTIALLY_FILLED → PENDING_CANCEL
//   reject of the cancel's id PENDING_CANCEL → back (see below)
//   canceled                  any working order → CANCELED (final; solicited or not, e.g. an IOC remainder)
//   replace request           LIVE, PARTIALLY_FILLED → PENDING_REPLACE (newQty is the new total, > cumQty)
//   reject of the replace id  PENDING_REPLACE → back
//   replaced(orig, new)       PENDING_REPLACE whose request id is `new` → back, as the new identity
//   back = PARTIALLY_FILLED if cumQty > 0, else LIVE if acked, else PENDING_NEW: "whichever it was",
//   including fills that arrived while the request was pending.
// Only one request may be pending at a time: a cancel while a replace is in flight would have to
// guess which id the venue knows the order by. HALTED cancels a PENDING_REPLACE order once the
// replace resolves (orderTableNextLive returns it; its state says to wait).
//
// Replace identity: the old clOrdId reaches REPLACED (final: its index entry is removed, it is counted
// in orderTableFinals(REPLACED), later reports for it are unknown). The order continues in the same
// slot under the new clOrdId with the new price, total qty, exchange id and ack time; cumQty carries
// over, so leaves = newQty − cumQty, as the venue computes it.
//
// Anything else is refused with a negative status, COUNTED per event kind (orderTableRefused) and
// changes nothing: a report for an unknown or finished id (e.g. the Reject of a cancel that lost the
// race with the last fill: that fill already freed the order and its cancel's id), a duplicate ack, an overfill (also counted
// in orderTableOverfills), a request from a state that does not allow it, a bad argument.
//
// Time-to-live: a resting order (LIMIT with GTC or POST_ONLY) gets deadline = ack time + ttlNs at its
// ack, and again at its Replaced (the repriced order rests anew). Measured from the ack, not the send:
// the 200 ms rule is about time resting in the book, which starts when the venue accepts the order;
// measuring from the send would cut every order's life by its RTT, and by more exactly when the venue
// is slow, which is when we least want to add cancels. A lost ack is the gateway's request timeout's
// business. IOC and MARKET orders never rest and have no deadline. A cancel- or replace-reject keeps
// the old deadline (already due, the driver decides again: cancel, or reprice once more).
// orderTableNextDeadline covers LIVE and PARTIALLY_FILLED only: an order pending cancel or replace
// already has a request out.
//
// Every transition takes the caller's nowNs. The table keeps it where it means something (sent at the
// open, last acknowledgement at an Ack or Replaced, from which the deadline runs) and ignores it
// elsewhere, so the execution stage calls every transition the same way.
//
// Slots are handed out from a LIFO free stack, lowest first, so the slots in use stay packed at the
// bottom; scans (orderTableNextLive, orderTableNextDeadline, orderTableExpired) run up to the highest
// slot ever used, i.e. the peak number of open orders, not the capacity. A freed slot keeps its
// fields (final state included) readable until it is reused by the next open.
//
// Layout at `state` (8-byte aligned):
//   +0   capacity u32 · +4 maxSymbolId u32 · +8 index size u32 (power of two ≥ 4 × capacity)
//   +12  open (working) orders u32 · +16 ttlNs i64 · +24 free-stack size u32 · +28 high water u32
//   +32  refused u32[8], per OrderTableEvent · +64 overfills u32 · +68 opened u32
//   +72  finals u32[9], per OrderState (FILLED, CANCELED, REPLACED, REJECTED used)
//   +108 index shift u32 (64 − log2 index size)
//   +128 slots, 80 bytes each:
//        +0 clOrdId u64 · +8 pending request id u64 (0 none) · +16 exchange order id u64 (0 before ack)
//        +24 sentNs i64 · +32 last ack ns i64 (ack or Replaced) · +40 deadline ns i64 (i64.MAX none)
//        +48 price i32 · +52 qty i32 (total) · +56 cumQty i32 · +60 pending price i32 · +64 pending qty i32
//        +68 symbol u16 · +70 side u8 · +71 kind u8 · +72 tif u8 · +73 state u8 (0xFF never used)
//        +74 acked u8
//   then the free stack u32[capacity] (padded to 8)
//   then per symbol id 0..maxSymbolId, 24 bytes: +0 working orders u32 · +8 working qty BUY i64
//        · +16 working qty SELL i64 (leaves; during PENDING_REPLACE the larger of current and pending leaves,
//        either may be what the venue holds)
//   then the index, 16 bytes an entry: +0 id u64 (0 empty) · +8 slot i32
//
// Statuses (OrderTableStatus): see the namespace. Transitions return the slot (≥ 0) or a status.

import { OrderKind, OrderState, Side, TimeInForce } from "./vocabulary";

const CAPACITY: usize = 0;
const MAX_SYMBOL: usize = 4;
const INDEX_SIZE: usize = 8;
const OPEN: usize = 12;
const TTL: usize = 16;
const FREE_TOP: usize = 24;
const HIGH_WATER: usize = 28;
const REFUSED: usize = 32;
const OVERFILLS: usize = 64;
const OPENED: usize = 68;
const FINALS: usize = 72;
const INDEX_SHIFT: usize = 108;
const HEADER: usize = 128;

const S_ID: usize = 0;
const S_REQ: usize = 8;
const S_EXCH: usize = 16;
const S_SENT: usize = 24;
const S_ACK: usize = 32;
const S_DEADLINE: usize = 40;
const S_PRICE: usize = 48;
const S_QTY: usize = 52;
const S_CUM: usize = 56;
const S_NEW_PRICE: usize = 60;
const S_NEW_QTY: usize = 64;
const S_SYMBOL: usize = 68;
const S_SIDE: usize = 70;
const S_KIND: usize = 71;
const S_TIF: usize = 72;
const S_STATE: usize = 73;
const S_ACKED: usize = 74;
const SLOT: usize = 80;

const SYM: usize = 24;
const SYM_OPEN: usize = 0;
const SYM_BUY: usize = 8;
const SYM_SELL: usize = 16;
const ENTRY: usize = 16;

const NEVER_USED: u8 = 0xff;
const MAX_CAPACITY: u32 = 65536;
const MAX_SYMBOL_ID: u32 = 65535;
const NO_DEADLINE: i64 = i64.MAX_VALUE;
const HASH_MUL: u64 = 0x9e3779b97f4a7c15;

/** Status codes: transitions and queries return the slot (≥ 0) or one of these. */
export namespace OrderTableStatus {
  export const OK: i32 = 0;
  /** orderTableInit: capacity 1..65536, maxSymbolId 0..65535, ttlNs > 0. */
  export const BAD_CONFIG: i32 = -1;
  export const MISALIGNED: i32 = -2;
  /** Every slot holds a working order: the open is refused. */
  export const FULL: i32 = -3;
  /** The id is already in the table (an order's or a pending request's). */
  export const DUPLICATE_ID: i32 = -4;
  /** id 0, a symbol/side/kind/tif out of range, qty ≤ 0, a LIMIT price ≤ 0, a replace qty ≤ cumQty. */
  export const BAD_ARGUMENT: i32 = -5;
  /** No working order (or pending request) has this id: never seen, or already final. */
  export const UNKNOWN_ORDER: i32 = -6;
  /** The order's state does not allow this transition. */
  export const NOT_ALLOWED: i32 = -7;
  /** A fill larger than the order's leaves. */
  export const OVERFILL: i32 = -8;
}

/** What a refusal is counted under (orderTableRefused). */
export namespace OrderTableEvent {
  export const OPEN: i32 = 0;
  export const ACK: i32 = 1;
  export const FILL: i32 = 2;
  export const REJECT: i32 = 3;
  export const CANCEL_REQUEST: i32 = 4;
  export const CANCELED: i32 = 5;
  export const REPLACE_REQUEST: i32 = 6;
  export const REPLACED: i32 = 7;
}

// ── layout ───────────────────────────────────────────────────────────────────────────────────────

@inline function indexSizeFor(capacity: u32): u32 {
  // ≤ 2 ids per order, load factor ≤ 1/2
  let size: u32 = 8;
  while (size < capacity * 4) size <<= 1;
  return size;
}

@inline function freeAt(state: usize): usize {
  return state + HEADER + <usize>load<u32>(state + CAPACITY) * SLOT;
}

@inline function symAt(state: usize): usize {
  const cap = <usize>load<u32>(state + CAPACITY);
  return state + HEADER + cap * SLOT + ((cap * 4 + 7) & ~(<usize>7));
}

@inline function indexAt(state: usize): usize {
  return symAt(state) + (<usize>load<u32>(state + MAX_SYMBOL) + 1) * SYM;
}

@inline function slotAt(state: usize, slot: i32): usize {
  return state + HEADER + <usize>slot * SLOT;
}

/** Bytes of a table of `capacity` orders for symbol ids 0..maxSymbolId (0 when out of range). */
export function orderTableBytes(capacity: u32, maxSymbolId: u32): usize {
  if (capacity < 1 || capacity > MAX_CAPACITY || maxSymbolId > MAX_SYMBOL_ID) return 0;
  const cap = <usize>capacity;
  return HEADER + cap * SLOT + ((cap * 4 + 7) & ~(<usize>7)) + (<usize>maxSymbolId + 1) * SYM
    + <usize>indexSizeFor(capacity) * ENTRY;
}

/** Clears the table: `capacity` slots, symbol ids 0..maxSymbolId, time-to-live ttlNs from each ack. */
export function orderTableInit(state: usize, capacity: u32, maxSymbolId: u32, ttlNs: i64): i32 {
  if ((state & 7) != 0) return OrderTableStatus.MISALIGNED;
  const bytes = orderTableBytes(capacity, maxSymbolId);
  if (bytes == 0 || ttlNs <= 0) return OrderTableStatus.BAD_CONFIG;
  memory.fill(state, 0, bytes);
  const size = indexSizeFor(capacity);
  store<u32>(state + CAPACITY, capacity);
  store<u32>(state + MAX_SYMBOL, maxSymbolId);
  store<u32>(state + INDEX_SIZE, size);
  store<i64>(state + TTL, ttlNs);
  store<u32>(state + INDEX_SHIFT, 64 - <u32>ctz(size));
  for (let i: u32 = 0; i < capacity; i++) {
    store<u8>(slotAt(state, <i32>i) + S_STATE, NEVER_USED);
    store<u32>(freeAt(state) + <usize>i * 4, capacity - 1 - i); // slot 0 on top
  }
  store<u32>(state + FREE_TOP, capacity);
  return OrderTableStatus.OK;
}

// ── index: id → slot ─────────────────────────────────────────────────────────────────────────────

@inline function home(state: usize, id: u64): u32 {
  return <u32>((id * HASH_MUL) >> <u64>load<u32>(state + INDEX_SHIFT));
}

/** The slot whose order id or pending request id is `id`, or −1. */
function lookup(state: usize, id: u64): i32 {
  if (id == 0) return -1;
  const index = indexAt(state);
  const mask = load<u32>(state + INDEX_SIZE) - 1;
  let i = home(state, id);
  while (true) {
    const e = index + <usize>i * ENTRY;
    const key = load<u64>(e);
    if (key == 0) return -1;
    if (key == id) return load<i32>(e + 8);
    i = (i + 1) & mask;
  }
  return -1;
}

function indexInsert(state: usize, id: u64, slot: i32): void {
  const index = indexAt(state);
  const mask = load<u32>(state + INDEX_SIZE) - 1;
  let i = home(state, id);
  while (load<u64>(index + <usize>i * ENTRY) != 0) i = (i + 1) & mask;
  store<u64>(index + <usize>i * ENTRY, id);
  store<i32>(index + <usize>i * ENTRY + 8, slot);
}

/** Removes `id` and shifts the rest of its probe run back, so lookups never need tombstones. */
function indexRemove(state: usize, id: u64): void {
  if (id == 0) return;
  const index = indexAt(state);
  const mask = load<u32>(state + INDEX_SIZE) - 1;
  let i = home(state, id);
  while (true) {
    const key = load<u64>(index + <usize>i * ENTRY);
    if (key == 0) return;
    if (key == id) break;
    i = (i + 1) & mask;
  }
  let j = i;
  while (true) {
    j = (j + 1) & mask;
    const key = load<u64>(index + <usize>j * ENTRY);
    if (key == 0) break;
    const k = home(state, key);
    // the entry at j may fill the hole at i unless its home lies cyclically in (i, j]
    const stays = i <= j ? (k > i && k <= j) : (k > i || k <= j);
    if (!stays) {
      store<u64>(index + <usize>i * ENTRY, key);
      store<i32>(index + <usize>i * ENTRY + 8, load<i32>(index + <usize>j * ENTRY + 8));
      i = j;
    }
  }
  store<u64>(index + <usize>i * ENTRY, 0);
  store<i32>(index + <usize>i * ENTRY + 8, 0);
}

// ── per-slot helpers ─────────────────────────────────────────────────────────────────────────────

@inline function isWorking(st: u32): bool {
  return st == OrderState.PENDING_NEW || st == OrderState.LIVE || st == OrderState.PARTIALLY_FILLED
    || st == OrderState.PENDING_CANCEL || st == OrderState.PENDING_REPLACE;
}

@inline function bump(at: usize): void {
  store<u32>(at, load<u32>(at) + 1);
}

/** Counts a refusal under `event` and returns `status`. */
function refuse(state: usize, event: i32, status: i32): i32 {
  bump(state + REFUSED + <usize>event * 4);
  if (status == OrderTableStatus.OVERFILL) bump(state + OVERFILLS);
  return status;
}

/** Quantity the order may still trade: leaves, or during PENDING_REPLACE the larger of old and new leaves. */
function workingQty(s: usize): i64 {
  const cum = load<i32>(s + S_CUM);
  let w = <i64>load<i32>(s + S_QTY) - <i64>cum;
  if (<u32>load<u8>(s + S_STATE) == OrderState.PENDING_REPLACE) {
    const pending = <i64>load<i32>(s + S_NEW_QTY) - <i64>cum;
    if (pending > w) w = pending;
  }
  return w;
}

/** Adds (sign 1) or removes (−1) the slot's share of its symbol's working counts. */
function account(state: usize, s: usize, sign: i64): void {
  const sym = symAt(state) + <usize>load<u16>(s + S_SYMBOL) * SYM;
  store<u32>(sym + SYM_OPEN, <u32>(<i64>load<u32>(sym + SYM_OPEN) + sign));
  const at = sym + (<u32>load<u8>(s + S_SIDE) == Side.BUY ? SYM_BUY : SYM_SELL);
  store<i64>(at, load<i64>(at) + sign * workingQty(s));
}

/** State to return to when a request is refused or answered: "whichever it was". */
@inline function back(s: usize): u32 {
  if (load<i32>(s + S_CUM) > 0) return OrderState.PARTIALLY_FILLED;
  return load<u8>(s + S_ACKED) != 0 ? OrderState.LIVE : OrderState.PENDING_NEW;
}

@inline function rests(s: usize): bool {
  const tif = <u32>load<u8>(s + S_TIF);
  return <u32>load<u8>(s + S_KIND) == OrderKind.LIMIT && (tif == TimeInForce.GTC || tif == TimeInForce.POST_ONLY);
}

@inline function deadlineFrom(state: usize, s: usize, ackNs: i64): i64 {
  if (!rests(s)) return NO_DEADLINE;
  const ttl = load<i64>(state + TTL);
  return ackNs > NO_DEADLINE - ttl ? NO_DEADLINE : ackNs + ttl;
}

/** Ends the order in final state `st`: index entries out, counts down, slot back on the free stack. */
function finish(state: usize, slot: i32, st: u32): void {
  const s = slotAt(state, slot);
  indexRemove(state, load<u64>(s + S_ID));
  indexRemove(state, load<u64>(s + S_REQ));
  store<u64>(s + S_REQ, 0);
  store<u8>(s + S_STATE, <u8>st);
  store<u32>(state + OPEN, load<u32>(state + OPEN) - 1);
  bump(state + FINALS + <usize>st * 4);
  const top = load<u32>(state + FREE_TOP);
  store<u32>(freeAt(state) + <usize>top * 4, <u32>slot);
  store<u32>(state + FREE_TOP, top + 1);
}

/** The slot of the working order whose own id is `id` (not a request id), or −1. */
function orderSlot(state: usize, id: u64): i32 {
  const slot = lookup(state, id);
  if (slot < 0 || load<u64>(slotAt(state, slot) + S_ID) != id) return -1;
  return slot;
}

// ── transitions ──────────────────────────────────────────────────────────────────────────────────

/**
 * Records a NewOrder sent at nowNs as PENDING_NEW; returns its slot, or FULL, DUPLICATE_ID, BAD_ARGUMENT.
 * price is in ticks (> 0 for LIMIT; anything for MARKET), qty > 0.
 */
export function orderTableOpen(
  state: usize, clOrdId: u64, symbol: u32, side: u32, kind: u32, tif: u32, price: i32, qty: i32, nowNs: i64,
): i32 {
  if (clOrdId == 0 || symbol > load<u32>(state + MAX_SYMBOL) || side > Side.SELL || kind > OrderKind.MARKET
    || tif > TimeInForce.POST_ONLY || qty <= 0 || (kind == OrderKind.LIMIT && price <= 0)) {
    return refuse(state, OrderTableEvent.OPEN, OrderTableStatus.BAD_ARGUMENT);
  }
  if (lookup(state, clOrdId) >= 0) return refuse(state, OrderTableEvent.OPEN, OrderTableStatus.DUPLICATE_ID);
  const top = load<u32>(state + FREE_TOP);
  if (top == 0) return refuse(state, OrderTableEvent.OPEN, OrderTableStatus.FULL);
  const slot = <i32>load<u32>(freeAt(state) + <usize>(top - 1) * 4);
  store<u32>(state + FREE_TOP, top - 1);
  if (<u32>slot >= load<u32>(state + HIGH_WATER)) store<u32>(state + HIGH_WATER, <u32>slot + 1);
  const s = slotAt(state, slot);
  store<u64>(s + S_ID, clOrdId);
  store<u64>(s + S_REQ, 0);
  store<u64>(s + S_EXCH, 0);
  store<i64>(s + S_SENT, nowNs);
  store<i64>(s + S_ACK, 0);
  store<i64>(s + S_DEADLINE, NO_DEADLINE);
  store<i32>(s + S_PRICE, price);
  store<i32>(s + S_QTY, qty);
  store<i32>(s + S_CUM, 0);
  store<i32>(s + S_NEW_PRICE, 0);
  store<i32>(s + S_NEW_QTY, 0);
  store<u16>(s + S_SYMBOL, <u16>symbol);
  store<u8>(s + S_SIDE, <u8>side);
  store<u8>(s + S_KIND, <u8>kind);
  store<u8>(s + S_TIF, <u8>tif);
  store<u8>(s + S_STATE, <u8>OrderState.PENDING_NEW);
  store<u8>(s + S_ACKED, 0);
  indexInsert(state, clOrdId, slot);
  store<u32>(state + OPEN, load<u32>(state + OPEN) + 1);
  bump(state + OPENED);
  account(state, s, 1);
  return slot;
}

/** The venue's Ack at nowNs: PENDING_NEW → LIVE (a pending cancel stays pending); arms the deadline. */
export function orderTableOnAck(state: usize, clOrdId: u64, exchOrderId: u64, nowNs: i64): i32 {
  const slot = orderSlot(state, clOrdId);
  if (slot < 0) return refuse(state, OrderTableEvent.ACK, OrderTableStatus.UNKNOWN_ORDER);
  const s = slotAt(state, slot);
  if (load<u8>(s + S_ACKED) != 0) return refuse(state, OrderTableEvent.ACK, OrderTableStatus.NOT_ALLOWED);
  store<u8>(s + S_ACKED, 1);
  store<u64>(s + S_EXCH, exchOrderId);
  store<i64>(s + S_ACK, nowNs);
  store<i64>(s + S_DEADLINE, deadlineFrom(state, s, nowNs));
  if (<u32>load<u8>(s + S_STATE) == OrderState.PENDING_NEW) store<u8>(s + S_STATE, <u8>OrderState.LIVE);
  return slot;
}

/** A Fill of qty (> 0, ≤ leaves): PARTIALLY_FILLED, FILLED (final), or the pending state kept. */
export function orderTableOnFill(state: usize, clOrdId: u64, qty: i32, nowNs: i64): i32 {
  const slot = orderSlot(state, clOrdId);
  if (slot < 0) return refuse(state, OrderTableEvent.FILL, OrderTableStatus.UNKNOWN_ORDER);
  if (qty <= 0) return refuse(state, OrderTableEvent.FILL, OrderTableStatus.BAD_ARGUMENT);
  const s = slotAt(state, slot);
  const cum = load<i32>(s + S_CUM);
  const total = load<i32>(s + S_QTY);
  if (qty > total - cum) return refuse(state, OrderTableEvent.FILL, OrderTableStatus.OVERFILL);
  account(state, s, -1);
  store<i32>(s + S_CUM, cum + qty);
  if (cum + qty == total) {
    finish(state, slot, OrderState.FILLED);
    return slot;
  }
  const st = <u32>load<u8>(s + S_STATE);
  if (st == OrderState.PENDING_NEW || st == OrderState.LIVE) store<u8>(s + S_STATE, <u8>OrderState.PARTIALLY_FILLED);
  account(state, s, 1);
  return slot;
}

/**
 * A Reject naming clOrdId: of a NewOrder not yet acked → REJECTED (final); of a pending cancel or
 * replace (clOrdId is the request's id) → back to LIVE / PARTIALLY_FILLED (PENDING_NEW before the ack).
 */
export function orderTableOnReject(state: usize, clOrdId: u64, nowNs: i64): i32 {
  const slot = lookup(state, clOrdId);
  if (slot < 0) return refuse(state, OrderTableEvent.REJECT, OrderTableStatus.UNKNOWN_ORDER);
  const s = slotAt(state, slot);
  if (load<u64>(s + S_REQ) == clOrdId) {
    account(state, s, -1);
    indexRemove(state, clOrdId);
    store<u64>(s + S_REQ, 0);
    store<u8>(s + S_STATE, <u8>back(s));
    account(state, s, 1);
    return slot;
  }
  if (load<u8>(s + S_ACKED) != 0 || load<i32>(s + S_CUM) != 0) {
    return refuse(state, OrderTableEvent.REJECT, OrderTableStatus.NOT_ALLOWED);
  }
  account(state, s, -1);
  finish(state, slot, OrderState.REJECTED);
  return slot;
}

/** A Cancel (its own id cancelClOrdId) sent for the order clOrdId: PENDING_NEW / LIVE / PARTIALLY_FILLED → PENDING_CANCEL. */
export function orderTableCancel(state: usize, clOrdId: u64, cancelClOrdId: u64, nowNs: i64): i32 {
  const slot = orderSlot(state, clOrdId);
  if (slot < 0) return refuse(state, OrderTableEvent.CANCEL_REQUEST, OrderTableStatus.UNKNOWN_ORDER);
  const s = slotAt(state, slot);
  const st = <u32>load<u8>(s + S_STATE);
  if (st != OrderState.PENDING_NEW && st != OrderState.LIVE && st != OrderState.PARTIALLY_FILLED) {
    return refuse(state, OrderTableEvent.CANCEL_REQUEST, OrderTableStatus.NOT_ALLOWED);
  }
  if (cancelClOrdId == 0) return refuse(state, OrderTableEvent.CANCEL_REQUEST, OrderTableStatus.BAD_ARGUMENT);
  if (lookup(state, cancelClOrdId) >= 0) return refuse(state, OrderTableEvent.CANCEL_REQUEST, OrderTableStatus.DUPLICATE_ID);
  store<u64>(s + S_REQ, cancelClOrdId);
  indexInsert(state, cancelClOrdId, slot);
  store<u8>(s + S_STATE, <u8>OrderState.PENDING_CANCEL);
  return slot;
}

/** A Canceled for the order clOrdId (its origClOrdId), solicited or not: any working order → CANCELED (final). */
export function orderTableOnCanceled(state: usize, clOrdId: u64, nowNs: i64): i32 {
  const slot = orderSlot(state, clOrdId);
  if (slot < 0) return refuse(state, OrderTableEvent.CANCELED, OrderTableStatus.UNKNOWN_ORDER);
  account(state, slotAt(state, slot), -1);
  finish(state, slot, OrderState.CANCELED);
  return slot;
}

/**
 * A Replace sent for the order clOrdId under its new id newClOrdId, new price (ticks, > 0) and new
 * total qty (> cumQty): LIVE / PARTIALLY_FILLED → PENDING_REPLACE.
 */
export function orderTableReplace(state: usize, clOrdId: u64, newClOrdId: u64, price: i32, qty: i32, nowNs: i64): i32 {
  const slot = orderSlot(state, clOrdId);
  if (slot < 0) return refuse(state, OrderTableEvent.REPLACE_REQUEST, OrderTableStatus.UNKNOWN_ORDER);
  const s = slotAt(state, slot);
  const st = <u32>load<u8>(s + S_STATE);
  if (st != OrderState.LIVE && st != OrderState.PARTIALLY_FILLED) {
    return refuse(state, OrderTableEvent.REPLACE_REQUEST, OrderTableStatus.NOT_ALLOWED);
  }
  if (newClOrdId == 0 || price <= 0 || qty <= load<i32>(s + S_CUM)) {
    return refuse(state, OrderTableEvent.REPLACE_REQUEST, OrderTableStatus.BAD_ARGUMENT);
  }
  if (lookup(state, newClOrdId) >= 0) return refuse(state, OrderTableEvent.REPLACE_REQUEST, OrderTableStatus.DUPLICATE_ID);
  account(state, s, -1);
  store<u64>(s + S_REQ, newClOrdId);
  store<i32>(s + S_NEW_PRICE, price);
  store<i32>(s + S_NEW_QTY, qty);
  indexInsert(state, newClOrdId, slot);
  store<u8>(s + S_STATE, <u8>OrderState.PENDING_REPLACE);
  account(state, s, 1);
  return slot;
}

/**
 * The venue's Replaced (origClOrdId → newClOrdId, exchange id now exchOrderId) at nowNs: the old id
 * is REPLACED; the order continues in the same slot under newClOrdId at the pending price and qty,
 * LIVE (PARTIALLY_FILLED with fills), its deadline re-armed from nowNs. Refused NOT_ALLOWED when the
 * order is not pending this replace or its fills already reach the new qty.
 */
export function orderTableOnReplaced(state: usize, origClOrdId: u64, newClOrdId: u64, exchOrderId: u64, nowNs: i64): i32 {
  const slot = orderSlot(state, origClOrdId);
  if (slot < 0) return refuse(state, OrderTableEvent.REPLACED, OrderTableStatus.UNKNOWN_ORDER);
  const s = slotAt(state, slot);
  if (<u32>load<u8>(s + S_STATE) != OrderState.PENDING_REPLACE || load<u64>(s + S_REQ) != newClOrdId
    || load<i32>(s + S_NEW_QTY) <= load<i32>(s + S_CUM)) {
    return refuse(state, OrderTableEvent.REPLACED, OrderTableStatus.NOT_ALLOWED);
  }
  account(state, s, -1);
  indexRemove(state, origClOrdId);
  bump(state + FINALS + <usize>OrderState.REPLACED * 4);
  store<u64>(s + S_ID, newClOrdId);
  store<u64>(s + S_REQ, 0);
  store<u64>(s + S_EXCH, exchOrderId);
  store<i32>(s + S_PRICE, load<i32>(s + S_NEW_PRICE));
  store<i32>(s + S_QTY, load<i32>(s + S_NEW_QTY));
  store<u8>(s + S_ACKED, 1);
  store<i64>(s + S_ACK, nowNs);
  store<i64>(s + S_DEADLINE, deadlineFrom(state, s, nowNs));
  store<u8>(s + S_STATE, <u8>back(s));
  account(state, s, 1);
  return slot;
}

// ── queries ──────────────────────────────────────────────────────────────────────────────────────

/** The slot of the working order whose current clOrdId is `clOrdId`, or UNKNOWN_ORDER. */
export function orderTableFind(state: usize, clOrdId: u64): i32 {
  const slot = orderSlot(state, clOrdId);
  return slot < 0 ? OrderTableStatus.UNKNOWN_ORDER : slot;
}

/** Working orders (not final). */
export function orderTableOpenCount(state: usize): u32 {
  return load<u32>(state + OPEN);
}

/** Working orders of one symbol (0 for a symbol id out of range). */
export function orderTableOpenCountOf(state: usize, symbol: u32): u32 {
  if (symbol > load<u32>(state + MAX_SYMBOL)) return 0;
  return load<u32>(symAt(state) + <usize>symbol * SYM + SYM_OPEN);
}

/** Quantity that may still trade on one symbol and side: the sum of working orders' leaves (the larger leaves while a replace is pending). */
export function orderTableWorkingQty(state: usize, symbol: u32, side: u32): i64 {
  if (symbol > load<u32>(state + MAX_SYMBOL) || side > Side.SELL) return 0;
  return load<i64>(symAt(state) + <usize>symbol * SYM + (side == Side.BUY ? SYM_BUY : SYM_SELL));
}

/** The first slot ≥ fromSlot holding a working order, or −1: iterate with fromSlot = previous + 1. */
export function orderTableNextLive(state: usize, fromSlot: i32): i32 {
  const end = <i32>load<u32>(state + HIGH_WATER);
  for (let i = fromSlot < 0 ? 0 : fromSlot; i < end; i++) {
    if (isWorking(<u32>load<u8>(slotAt(state, i) + S_STATE))) return i;
  }
  return -1;
}

/** The earliest deadline of LIVE and PARTIALLY_FILLED orders (a cancel or replace not already pending), or i64.MAX. */
export function orderTableNextDeadline(state: usize): i64 {
  const end = <i32>load<u32>(state + HIGH_WATER);
  let min = NO_DEADLINE;
  for (let i = 0; i < end; i++) {
    const s = slotAt(state, i);
    const st = <u32>load<u8>(s + S_STATE);
    if (st != OrderState.LIVE && st != OrderState.PARTIALLY_FILLED) continue;
    const d = load<i64>(s + S_DEADLINE);
    if (d < min) min = d;
  }
  return min;
}

/** The first slot ≥ fromSlot whose LIVE or PARTIALLY_FILLED order's deadline is ≤ nowNs, or −1. */
export function orderTableExpired(state: usize, nowNs: i64, fromSlot: i32): i32 {
  const end = <i32>load<u32>(state + HIGH_WATER);
  for (let i = fromSlot < 0 ? 0 : fromSlot; i < end; i++) {
    const s = slotAt(state, i);
    const st = <u32>load<u8>(s + S_STATE);
    if ((st == OrderState.LIVE || st == OrderState.PARTIALLY_FILLED) && load<i64>(s + S_DEADLINE) <= nowNs) return i;
  }
  return -1;
}

/** Refusals counted under one OrderTableEvent (0 for an unknown event). */
export function orderTableRefused(state: usize, event: i32): u32 {
  if (event < 0 || event > OrderTableEvent.REPLACED) return 0;
  return load<u32>(state + REFUSED + <usize>event * 4);
}

/** Fills refused as larger than the order's leaves (also in orderTableRefused(FILL)). */
export function orderTableOverfills(state: usize): u32 {
  return load<u32>(state + OVERFILLS);
}

/** Orders opened since init. */
export function orderTableOpened(state: usize): u32 {
  return load<u32>(state + OPENED);
}

/** Orders (identities, for REPLACED) that reached final state `orderState` since init. */
export function orderTableFinals(state: usize, orderState: u32): u32 {
  if (orderState > OrderState.REJECTED) return 0;
  return load<u32>(state + FINALS + <usize>orderState * 4);
}

/** Configured slots. */
export function orderTableCapacity(state: usize): u32 {
  return load<u32>(state + CAPACITY);
}

/** Configured highest symbol id. */
export function orderTableMaxSymbolId(state: usize): u32 {
  return load<u32>(state + MAX_SYMBOL);
}

/** Configured time-to-live from the ack, ns. */
export function orderTableTtlNs(state: usize): i64 {
  return load<i64>(state + TTL);
}

/** Slots below this have been used (scans stop here). */
export function orderTableHighWater(state: usize): u32 {
  return load<u32>(state + HIGH_WATER);
}

// Slot readers. A slot out of [0, capacity) reads −1 as its state and 0 elsewhere; a freed slot keeps
// its last order (final state included) until the next open reuses it.

@inline function valid(state: usize, slot: i32): bool {
  return slot >= 0 && <u32>slot < load<u32>(state + CAPACITY);
}

/** The slot's OrderState, or −1 (out of range or never used). */
export function orderTableState(state: usize, slot: i32): i32 {
  if (!valid(state, slot)) return -1;
  const st = load<u8>(slotAt(state, slot) + S_STATE);
  return st == NEVER_USED ? -1 : <i32>st;
}

/** The order's current clOrdId. */
export function orderTableClOrdId(state: usize, slot: i32): u64 {
  return valid(state, slot) ? load<u64>(slotAt(state, slot) + S_ID) : 0;
}

/** The id of the cancel or replace pending for the order (0 none). */
export function orderTablePendingId(state: usize, slot: i32): u64 {
  return valid(state, slot) ? load<u64>(slotAt(state, slot) + S_REQ) : 0;
}

/** The venue's order id (0 before the ack). */
export function orderTableExchOrderId(state: usize, slot: i32): u64 {
  return valid(state, slot) ? load<u64>(slotAt(state, slot) + S_EXCH) : 0;
}

/** Symbol id. */
export function orderTableSymbol(state: usize, slot: i32): u32 {
  return valid(state, slot) ? <u32>load<u16>(slotAt(state, slot) + S_SYMBOL) : 0;
}

/** Side (Side.BUY / SELL). */
export function orderTableSide(state: usize, slot: i32): u32 {
  return valid(state, slot) ? <u32>load<u8>(slotAt(state, slot) + S_SIDE) : 0;
}

/** Order kind (OrderKind). */
export function orderTableKind(state: usize, slot: i32): u32 {
  return valid(state, slot) ? <u32>load<u8>(slotAt(state, slot) + S_KIND) : 0;
}

/** Time in force (TimeInForce). */
export function orderTableTif(state: usize, slot: i32): u32 {
  return valid(state, slot) ? <u32>load<u8>(slotAt(state, slot) + S_TIF) : 0;
}

/** Price in ticks (the new one after a Replaced). */
export function orderTablePrice(state: usize, slot: i32): i32 {
  return valid(state, slot) ? load<i32>(slotAt(state, slot) + S_PRICE) : 0;
}

/** Total quantity, fills included. */
export function orderTableQty(state: usize, slot: i32): i32 {
  return valid(state, slot) ? load<i32>(slotAt(state, slot) + S_QTY) : 0;
}

/** Quantity filled so far. */
export function orderTableCumQty(state: usize, slot: i32): i32 {
  return valid(state, slot) ? load<i32>(slotAt(state, slot) + S_CUM) : 0;
}

/** Open quantity: qty − cumQty while working, 0 once final. */
export function orderTableLeaves(state: usize, slot: i32): i32 {
  if (!valid(state, slot)) return 0;
  const s = slotAt(state, slot);
  if (!isWorking(<u32>load<u8>(s + S_STATE))) return 0;
  return load<i32>(s + S_QTY) - load<i32>(s + S_CUM);
}

/** Price of the pending replace (0 none). */
export function orderTablePendingPrice(state: usize, slot: i32): i32 {
  if (!valid(state, slot)) return 0;
  const s = slotAt(state, slot);
  return <u32>load<u8>(s + S_STATE) == OrderState.PENDING_REPLACE ? load<i32>(s + S_NEW_PRICE) : 0;
}

/** Total qty of the pending replace (0 none). */
export function orderTablePendingQty(state: usize, slot: i32): i32 {
  if (!valid(state, slot)) return 0;
  const s = slotAt(state, slot);
  return <u32>load<u8>(s + S_STATE) == OrderState.PENDING_REPLACE ? load<i32>(s + S_NEW_QTY) : 0;
}

/** When the NewOrder was sent (ns). */
export function orderTableSentNs(state: usize, slot: i32): i64 {
  return valid(state, slot) ? load<i64>(slotAt(state, slot) + S_SENT) : 0;
}

/** 1 once the venue has acknowledged the order (Ack or Replaced), else 0. */
export function orderTableAcked(state: usize, slot: i32): i32 {
  return valid(state, slot) ? <i32>load<u8>(slotAt(state, slot) + S_ACKED) : 0;
}

/** When the last Ack or Replaced arrived (ns; 0 none yet). */
export function orderTableAckNs(state: usize, slot: i32): i64 {
  return valid(state, slot) ? load<i64>(slotAt(state, slot) + S_ACK) : 0;
}

/** The order's time-to-live deadline (ns; i64.MAX when it has none). */
export function orderTableDeadline(state: usize, slot: i32): i64 {
  return valid(state, slot) ? load<i64>(slotAt(state, slot) + S_DEADLINE) : 0;
}

/** Changes the time-to-live (ns, > 0) for deadlines armed from now on (acks and Replaced after this call). 0 or BAD_CONFIG. */
export function orderTableSetTtl(state: usize, ttlNs: i64): i32 {
  if (ttlNs <= 0) return OrderTableStatus.BAD_CONFIG;
  store<i64>(state + TTL, ttlNs);
  return OrderTableStatus.OK;
}

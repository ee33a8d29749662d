// The working-order table against a reference state machine written from the transition table (a Map
// of orders by id, no slots, no hashing), on 10 000 seeded random event sequences: opens, acks,
// partial and complete fills, overfills, cancel and replace requests with their answers and rejects,
// duplicate and late reports, reports for unknown ids, fills racing a pending cancel or replace.
// After every event: the call's status, every working order's state / cumQty / leaves / price / qty /
// deadline, open counts total and per symbol, working qty per symbol and side, refusal counters per
// event, finals, the next deadline, the working and expired iterations. Plus hand-worked transitions,
// every refusal, a full table, the index at capacity, and the host's config validation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rng, testCore } from '../testkit/core.js';
import { ConfigError } from '../../host/config/config-error.js';
import type { CoreExports } from '../../host/core/core.js';
import { OrderKind, OrderState, Side, TimeInForce } from '../../host/model/vocabulary.js';
import {
  OrderTableError, OrderTableEvent, OrderTableStatus, describeOrderTableStatus, expiredSlots, findOrder, initOrderTable,
  orderTableStatePlan, readOrder, readOrderTable, resolveOrderTableConfig, workingSlots,
} from '../../host/modules/order-table.js';

const T = 65536;
const MS = 1_000_000n;
const I64_MAX = (1n << 63n) - 1n;
const { PENDING_NEW, LIVE, PARTIALLY_FILLED, FILLED, PENDING_CANCEL, CANCELED, PENDING_REPLACE, REPLACED, REJECTED } = OrderState;
const { FULL, DUPLICATE_ID, BAD_ARGUMENT, UNKNOWN_ORDER, NOT_ALLOWED, OVERFILL } = OrderTableStatus;
const EVENTS = Object.keys(OrderTableEvent) as (keyof typeof OrderTableEvent)[];

// ── reference ────────────────────────────────────────────────────────────────────────────────────

interface RefOrder {
  id: bigint;
  req: bigint | null;
  symbol: number; side: number; kind: number; tif: number;
  price: number; qty: number; cum: number;
  newPrice: number; newQty: number;
  state: number;
  acked: boolean;
  exch: bigint;
  sent: bigint;
  ackAt: bigint;
  deadline: bigint | null;
}

type Ev = keyof typeof OrderTableEvent;
/** 'ok' or a refusal status. */
type Result = 'ok' | number;

const WORKING = new Set<number>([PENDING_NEW, LIVE, PARTIALLY_FILLED, PENDING_CANCEL, PENDING_REPLACE]);

/** The transition table of the issue, one rule a method, on a Map keyed by id. */
class RefTable {
  readonly orders = new Map<bigint, RefOrder>();
  readonly requests = new Map<bigint, RefOrder>();
  readonly refused: Record<Ev, number> = Object.fromEntries(EVENTS.map((e) => [e, 0])) as Record<Ev, number>;
  overfills = 0;
  opened = 0;
  readonly finals = new Map<number, number>();
  /** Which transitions the random walk reached (coverage, asserted at the end). */
  readonly seen = new Map<string, number>();

  constructor(readonly capacity: number, readonly maxSymbol: number, readonly ttl: bigint) {}

  private no(ev: Ev, status: number): Result {
    this.refused[ev]++;
    if (status === OVERFILL) this.overfills++;
    this.hit(`refused ${ev} ${status}`);
    return status;
  }
  private hit(what: string): void { this.seen.set(what, (this.seen.get(what) ?? 0) + 1); }
  private known(id: bigint): boolean { return this.orders.has(id) || this.requests.has(id); }
  private end(o: RefOrder, state: number): void {
    this.orders.delete(o.id);
    if (o.req !== null) this.requests.delete(o.req);
    o.req = null;
    o.state = state;
    this.finals.set(state, (this.finals.get(state) ?? 0) + 1);
  }
  private resume(o: RefOrder): number {
    return o.cum > 0 ? PARTIALLY_FILLED : o.acked ? LIVE : PENDING_NEW;
  }
  private deadlineAt(o: RefOrder, t: bigint): bigint | null {
    const rests = o.kind === OrderKind.LIMIT && (o.tif === TimeInForce.GTC || o.tif === TimeInForce.POST_ONLY);
    if (!rests) return null;
    return t + this.ttl > I64_MAX ? null : t + this.ttl;
  }

  open(id: bigint, symbol: number, side: number, kind: number, tif: number, price: number, qty: number, t: bigint): Result {
    if (id === 0n || symbol < 0 || symbol > this.maxSymbol || side > 1 || kind > 1 || tif > 2 || qty <= 0
      || (kind === OrderKind.LIMIT && price <= 0)) return this.no('OPEN', BAD_ARGUMENT);
    if (this.known(id)) return this.no('OPEN', DUPLICATE_ID);
    if (this.orders.size === this.capacity) return this.no('OPEN', FULL);
    this.orders.set(id, {
      id, req: null, symbol, side, kind, tif, price, qty, cum: 0, newPrice: 0, newQty: 0, state: PENDING_NEW,
      acked: false, exch: 0n, sent: t, ackAt: 0n, deadline: null,
    });
    this.opened++;
    this.hit('open');
    return 'ok';
  }

  ack(id: bigint, exch: bigint, t: bigint): Result {
    const o = this.orders.get(id);
    if (!o) return this.no('ACK', UNKNOWN_ORDER);
    if (o.acked) return this.no('ACK', NOT_ALLOWED);
    this.hit(`ack from ${o.state}`);
    o.acked = true;
    o.exch = exch;
    o.ackAt = t;
    o.deadline = this.deadlineAt(o, t);
    if (o.state === PENDING_NEW) o.state = LIVE;
    return 'ok';
  }

  fill(id: bigint, q: number): Result {
    const o = this.orders.get(id);
    if (!o) return this.no('FILL', UNKNOWN_ORDER);
    if (q <= 0) return this.no('FILL', BAD_ARGUMENT);
    if (q > o.qty - o.cum) return this.no('FILL', OVERFILL);
    this.hit(`fill ${o.cum + q === o.qty ? 'complete' : 'partial'} from ${o.state}`);
    o.cum += q;
    if (o.cum === o.qty) this.end(o, FILLED);
    else if (o.state === PENDING_NEW || o.state === LIVE) o.state = PARTIALLY_FILLED;
    return 'ok';
  }

  reject(id: bigint): Result {
    const byReq = this.requests.get(id);
    if (byReq) {
      this.hit(`${byReq.state === PENDING_CANCEL ? 'cancel' : 'replace'}-reject to ${this.resume(byReq)}`);
      this.requests.delete(id);
      byReq.req = null;
      byReq.state = this.resume(byReq);
      return 'ok';
    }
    const o = this.orders.get(id);
    if (!o) return this.no('REJECT', UNKNOWN_ORDER);
    if (o.acked || o.cum > 0) return this.no('REJECT', NOT_ALLOWED);
    this.hit(`reject new from ${o.state}`);
    this.end(o, REJECTED);
    return 'ok';
  }

  cancel(id: bigint, cancelId: bigint): Result {
    const o = this.orders.get(id);
    if (!o) return this.no('CANCEL_REQUEST', UNKNOWN_ORDER);
    if (!([PENDING_NEW, LIVE, PARTIALLY_FILLED] as number[]).includes(o.state)) return this.no('CANCEL_REQUEST', NOT_ALLOWED);
    if (cancelId === 0n) return this.no('CANCEL_REQUEST', BAD_ARGUMENT);
    if (this.known(cancelId)) return this.no('CANCEL_REQUEST', DUPLICATE_ID);
    this.hit(`cancel from ${o.state}`);
    o.req = cancelId;
    this.requests.set(cancelId, o);
    o.state = PENDING_CANCEL;
    return 'ok';
  }

  canceled(id: bigint): Result {
    const o = this.orders.get(id);
    if (!o) return this.no('CANCELED', UNKNOWN_ORDER);
    this.hit(`canceled from ${o.state}`);
    this.end(o, CANCELED);
    return 'ok';
  }

  replace(id: bigint, newId: bigint, price: number, qty: number): Result {
    const o = this.orders.get(id);
    if (!o) return this.no('REPLACE_REQUEST', UNKNOWN_ORDER);
    if (o.state !== LIVE && o.state !== PARTIALLY_FILLED) return this.no('REPLACE_REQUEST', NOT_ALLOWED);
    if (newId === 0n || price <= 0 || qty <= o.cum) return this.no('REPLACE_REQUEST', BAD_ARGUMENT);
    if (this.known(newId)) return this.no('REPLACE_REQUEST', DUPLICATE_ID);
    this.hit(`replace from ${o.state}`);
    o.req = newId;
    this.requests.set(newId, o);
    o.newPrice = price;
    o.newQty = qty;
    o.state = PENDING_REPLACE;
    return 'ok';
  }

  replaced(orig: bigint, newId: bigint, exch: bigint, t: bigint): Result {
    const o = this.orders.get(orig);
    if (!o) return this.no('REPLACED', UNKNOWN_ORDER);
    if (o.state !== PENDING_REPLACE || o.req !== newId || o.newQty <= o.cum) return this.no('REPLACED', NOT_ALLOWED);
    this.hit(`replaced with ${o.cum > 0 ? 'fills' : 'no fills'}`);
    this.orders.delete(orig);
    this.requests.delete(newId);
    this.finals.set(REPLACED, (this.finals.get(REPLACED) ?? 0) + 1);
    o.id = newId;
    o.req = null;
    o.price = o.newPrice;
    o.qty = o.newQty;
    o.acked = true;
    o.exch = exch;
    o.ackAt = t;
    o.deadline = this.deadlineAt(o, t);
    o.state = this.resume(o);
    this.orders.set(newId, o);
    return 'ok';
  }

  // queries, from the definitions
  openOf(symbol: number): number { return [...this.orders.values()].filter((o) => o.symbol === symbol).length; }
  working(symbol: number, side: number): bigint {
    let w = 0n;
    for (const o of this.orders.values()) {
      if (o.symbol !== symbol || o.side !== side) continue;
      const leaves = o.qty - o.cum;
      w += BigInt(o.state === PENDING_REPLACE ? Math.max(leaves, o.newQty - o.cum) : leaves);
    }
    return w;
  }
  resting(): RefOrder[] { return [...this.orders.values()].filter((o) => o.state === LIVE || o.state === PARTIALLY_FILLED); }
  nextDeadline(): bigint {
    let m = I64_MAX;
    for (const o of this.resting()) if (o.deadline !== null && o.deadline < m) m = o.deadline;
    return m;
  }
  expired(t: bigint): bigint[] {
    return this.resting().filter((o) => o.deadline !== null && o.deadline <= t).map((o) => o.id);
  }
}

// ── comparison ───────────────────────────────────────────────────────────────────────────────────

function same(core: CoreExports, ref: RefTable, now: bigint, where: string): void {
  assert.equal(core.orderTableOpenCount(T), ref.orders.size, `${where}: open count`);
  for (const o of ref.orders.values()) {
    const slot = core.orderTableFind(T, o.id);
    assert.ok(slot >= 0, `${where}: order ${o.id} not found`);
    assert.equal(core.orderTableState(T, slot), o.state, `${where}: state of ${o.id}`);
    assert.equal(core.orderTableCumQty(T, slot), o.cum, `${where}: cumQty of ${o.id}`);
    assert.equal(core.orderTableLeaves(T, slot), o.qty - o.cum, `${where}: leaves of ${o.id}`);
    assert.equal(core.orderTableQty(T, slot), o.qty, `${where}: qty of ${o.id}`);
    assert.equal(core.orderTablePrice(T, slot), o.price, `${where}: price of ${o.id}`);
    assert.equal(core.orderTablePendingId(T, slot), o.req ?? 0n, `${where}: pending id of ${o.id}`);
    assert.equal(core.orderTablePendingQty(T, slot), o.state === PENDING_REPLACE ? o.newQty : 0, `${where}: pending qty`);
    assert.equal(core.orderTableExchOrderId(T, slot), o.exch, `${where}: exch id of ${o.id}`);
    assert.equal(core.orderTableDeadline(T, slot), o.deadline ?? I64_MAX, `${where}: deadline of ${o.id}`);
    assert.equal(core.orderTableAcked(T, slot), o.acked ? 1 : 0, `${where}: acked ${o.id}`);
    assert.equal(core.orderTableSentNs(T, slot), o.sent, `${where}: sent ${o.id}`);
    assert.equal(core.orderTableAckNs(T, slot), o.ackAt, `${where}: last ack ${o.id}`);
    assert.deepEqual([core.orderTableSymbol(T, slot), core.orderTableSide(T, slot), core.orderTableKind(T, slot), core.orderTableTif(T, slot)], [o.symbol, o.side, o.kind, o.tif], `${where}: terms of ${o.id}`);
  }
  for (const [id, o] of ref.requests) assert.equal(core.orderTableFind(T, id), UNKNOWN_ORDER, `${where}: request ${id} of ${o.id} is not an order`);
  for (let sym = 0; sym <= ref.maxSymbol; sym++) {
    assert.equal(core.orderTableOpenCountOf(T, sym), ref.openOf(sym), `${where}: open count of ${sym}`);
    for (const side of [Side.BUY, Side.SELL]) {
      assert.equal(core.orderTableWorkingQty(T, sym, side), ref.working(sym, side), `${where}: working ${sym}/${side}`);
    }
  }
  for (const e of EVENTS) assert.equal(core.orderTableRefused(T, OrderTableEvent[e]), ref.refused[e], `${where}: refused ${e}`);
  assert.equal(core.orderTableOverfills(T), ref.overfills, `${where}: overfills`);
  assert.equal(core.orderTableOpened(T), ref.opened, `${where}: opened`);
  for (const st of [FILLED, CANCELED, REPLACED, REJECTED]) {
    assert.equal(core.orderTableFinals(T, st), ref.finals.get(st) ?? 0, `${where}: finals ${st}`);
  }
  assert.equal(core.orderTableNextDeadline(T), ref.nextDeadline(), `${where}: next deadline`);
  const ids = (slots: number[]): bigint[] => slots.map((s) => core.orderTableClOrdId(T, s)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const sorted = (xs: bigint[]): bigint[] => [...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  assert.deepEqual(ids(workingSlots(core, T)), sorted([...ref.orders.keys()]), `${where}: working orders`);
  assert.deepEqual(ids(expiredSlots(core, T, now)), sorted(ref.expired(now)), `${where}: expired orders`);
}

/** The core's return as the reference sees it: 'ok' for a slot, else the status. */
const res = (r: number): Result => (r >= 0 ? 'ok' : r);

test('10 000 seeded event sequences agree with the reference state machine after every event', async () => {
  const { core } = await testCore(4 << 20);
  const seen = new Map<string, number>();
  let events = 0;
  for (let seq = 0; seq < 10_000; seq++) {
    const r = rng(0x0bde7 + seq * 7919);
    const int = (n: number): number => Math.floor(r() * n);
    const pick = <X>(xs: readonly X[]): X => xs[int(xs.length)]!;
    const capacity = r() < 0.3 ? 1 + int(3) : 2 + int(14);
    const maxSymbol = 1 + int(3);
    const ttl = pick([200n * MS, 200n * MS, BigInt(1 + int(50)) * MS]);
    assert.equal(core.orderTableInit(T, capacity, maxSymbol, ttl), 0);
    const ref = new RefTable(capacity, maxSymbol, ttl);
    let now = BigInt(int(1_000_000)) * 1000n;
    let nextId = 1n + BigInt(int(1000));
    const used: bigint[] = [];
    const fresh = (): bigint => { const id = nextId; nextId += 1n + BigInt(r() < 0.1 ? int(1 << 20) : 0); used.push(id); return id; };
    /** A target id: mostly a working order, else a pending request, a finished or used id, a never-seen id, 0. */
    const target = (preferRequests = false): bigint => {
      const x = r();
      const working = [...ref.orders.keys()];
      const requests = [...ref.requests.keys()];
      if (preferRequests && requests.length > 0 && x < 0.5) return pick(requests);
      if (x < 0.72 && working.length > 0) return pick(working);
      if (x < 0.8 && requests.length > 0) return pick(requests);
      if (x < 0.92 && used.length > 0) return pick(used);
      if (x < 0.97) return nextId + 1_000_000n + BigInt(int(1000));
      return 0n;
    };
    const len = 20 + int(100);
    for (let step = 0; step < len; step++) {
      const dt = r();
      now += dt < 0.2 ? 0n : dt < 0.9 ? BigInt(int(30)) * MS : BigInt(int(300)) * MS;
      if (r() < 0.05 && ref.nextDeadline() < I64_MAX) now = ref.nextDeadline(); // exactly at a deadline
      const op = r();
      let got: number;
      let want: Result;
      let what: string;
      if (op < 0.16) {
        const id = r() < 0.93 ? fresh() : target();
        const symbol = r() < 0.03 ? maxSymbol + 1 : int(maxSymbol + 1);
        const side = r() < 0.02 ? 2 : int(2);
        const kind = r() < 0.8 ? OrderKind.LIMIT : r() < 0.95 ? OrderKind.MARKET : 2;
        const tif = r() < 0.02 ? 3 : int(3);
        const price = r() < 0.03 ? 0 : 1 + int(10_000);
        const qty = r() < 0.03 ? -int(3) : 1 + int(20);
        what = `open ${id} sym ${symbol} side ${side} kind ${kind} tif ${tif} ${qty}@${price}`;
        got = core.orderTableOpen(T, id, symbol, side, kind, tif, price, qty, now);
        want = ref.open(id, symbol, side, kind, tif, price, qty, now);
      } else if (op < 0.32) {
        const id = target();
        const exch = BigInt(1 + int(1 << 30));
        what = `ack ${id}`;
        got = core.orderTableOnAck(T, id, exch, now);
        want = ref.ack(id, exch, now);
      } else if (op < 0.52) {
        const id = target();
        const o = ref.orders.get(id);
        const leaves = o ? o.qty - o.cum : 5;
        const y = r();
        const q = y < 0.45 ? 1 + int(leaves) : y < 0.85 ? leaves : y < 0.95 ? leaves + 1 + int(3) : -int(2);
        what = `fill ${id} ${q}`;
        got = core.orderTableOnFill(T, id, q, now);
        want = ref.fill(id, q);
      } else if (op < 0.62) {
        const id = target(true);
        what = `reject ${id}`;
        got = core.orderTableOnReject(T, id, now);
        want = ref.reject(id);
      } else if (op < 0.73) {
        const id = target();
        const c = r() < 0.93 ? fresh() : r() < 0.5 ? 0n : target();
        what = `cancel ${id} as ${c}`;
        got = core.orderTableCancel(T, id, c, now);
        want = ref.cancel(id, c);
      } else if (op < 0.81) {
        const id = target();
        what = `canceled ${id}`;
        got = core.orderTableOnCanceled(T, id, now);
        want = ref.canceled(id);
      } else if (op < 0.91) {
        const id = target();
        const o = ref.orders.get(id);
        const cum = o ? o.cum : 0;
        const nid = r() < 0.93 ? fresh() : r() < 0.5 ? 0n : target();
        const price = r() < 0.03 ? 0 : 1 + int(10_000);
        const qty = r() < 0.1 ? cum - int(2) : cum + 1 + int(20);
        what = `replace ${id} as ${nid} ${qty}@${price}`;
        got = core.orderTableReplace(T, id, nid, price, qty, now);
        want = ref.replace(id, nid, price, qty);
      } else {
        const replacing = [...ref.orders.values()].filter((x) => x.state === PENDING_REPLACE);
        const id = replacing.length > 0 && r() < 0.6 ? pick(replacing).id : target();
        const o = ref.orders.get(id);
        const nid = o?.req && r() < 0.85 ? o.req : target(true);
        const exch = BigInt(1 + int(1 << 30));
        what = `replaced ${id} → ${nid}`;
        got = core.orderTableOnReplaced(T, id, nid, exch, now);
        want = ref.replaced(id, nid, exch, now);
      }
      const where = `seq ${seq} step ${step} (${what})`;
      assert.equal(res(got), want, `${where}: result`);
      same(core, ref, now, where);
      events++;
    }
    for (const [k, v] of ref.seen) seen.set(k, (seen.get(k) ?? 0) + v);
  }
  // every transition and every refusal was reached, many times
  const S = (n: number): number => n;
  const expect = [
    'open',
    `ack from ${S(PENDING_NEW)}`, `ack from ${S(PENDING_CANCEL)}`, `ack from ${S(PARTIALLY_FILLED)}`,
    `fill partial from ${S(LIVE)}`, `fill partial from ${S(PARTIALLY_FILLED)}`, `fill partial from ${S(PENDING_CANCEL)}`,
    `fill partial from ${S(PENDING_REPLACE)}`, `fill complete from ${S(LIVE)}`, `fill complete from ${S(PENDING_CANCEL)}`,
    `fill complete from ${S(PENDING_REPLACE)}`, `fill partial from ${S(PENDING_NEW)}`,
    `reject new from ${S(PENDING_NEW)}`, `reject new from ${S(PENDING_CANCEL)}`,
    `cancel from ${S(PENDING_NEW)}`, `cancel from ${S(LIVE)}`, `cancel from ${S(PARTIALLY_FILLED)}`,
    `cancel-reject to ${S(LIVE)}`, `cancel-reject to ${S(PARTIALLY_FILLED)}`, `cancel-reject to ${S(PENDING_NEW)}`,
    `canceled from ${S(PENDING_CANCEL)}`, `canceled from ${S(LIVE)}`, `canceled from ${S(PARTIALLY_FILLED)}`,
    `canceled from ${S(PENDING_REPLACE)}`,
    `replace from ${S(LIVE)}`, `replace from ${S(PARTIALLY_FILLED)}`,
    `replace-reject to ${S(LIVE)}`, `replace-reject to ${S(PARTIALLY_FILLED)}`,
    'replaced with no fills', 'replaced with fills',
    ...EVENTS.map((e) => `refused ${e} ${UNKNOWN_ORDER}`).filter((k) => !k.includes('OPEN')),
    `refused OPEN ${FULL}`, `refused OPEN ${DUPLICATE_ID}`, `refused OPEN ${BAD_ARGUMENT}`,
    `refused ACK ${NOT_ALLOWED}`, `refused FILL ${OVERFILL}`, `refused FILL ${BAD_ARGUMENT}`, `refused REJECT ${NOT_ALLOWED}`,
    `refused CANCEL_REQUEST ${NOT_ALLOWED}`, `refused CANCEL_REQUEST ${DUPLICATE_ID}`, `refused CANCEL_REQUEST ${BAD_ARGUMENT}`,
    `refused REPLACE_REQUEST ${NOT_ALLOWED}`, `refused REPLACE_REQUEST ${DUPLICATE_ID}`, `refused REPLACE_REQUEST ${BAD_ARGUMENT}`,
    `refused REPLACED ${NOT_ALLOWED}`,
  ];
  if (process.env.ORDER_TABLE_COVERAGE) console.log(events, [...seen].sort());
  for (const k of expect) assert.ok((seen.get(k) ?? 0) >= 20, `transition "${k}" reached ${seen.get(k) ?? 0} times`);
  assert.ok(events > 600_000, `${events} events`);
});

// ── hand-worked ──────────────────────────────────────────────────────────────────────────────────

async function table(capacity = 8, ttlMs = 200) {
  const { core } = await testCore();
  initOrderTable(core, T, { capacity, maxSymbolId: 4, ttlMs });
  return core;
}

const buy = (core: CoreExports, id: bigint, qty = 10, price = 1000, now = 0n, symbol = 1, tif: number = TimeInForce.GTC): number =>
  core.orderTableOpen(T, id, symbol, Side.BUY, OrderKind.LIMIT, tif, price, qty, now);

test('open → ack → partial fill → fill: states, leaves, counts; FILLED frees the slot', async () => {
  const core = await table();
  const slot = buy(core, 7n, 10, 1000, 5n * MS);
  assert.equal(slot, 0);
  assert.equal(core.orderTableState(T, slot), PENDING_NEW);
  assert.equal(core.orderTableOpenCount(T), 1);
  assert.equal(core.orderTableOpenCountOf(T, 1), 1);
  assert.equal(core.orderTableWorkingQty(T, 1, Side.BUY), 10n);
  assert.equal(core.orderTableWorkingQty(T, 1, Side.SELL), 0n);
  assert.equal(core.orderTableSentNs(T, slot), 5n * MS);
  assert.equal(core.orderTableDeadline(T, slot), I64_MAX); // not resting before the ack
  assert.equal(core.orderTableOnAck(T, 7n, 900n, 6n * MS), slot);
  assert.equal(core.orderTableState(T, slot), LIVE);
  assert.equal(core.orderTableExchOrderId(T, slot), 900n);
  assert.equal(core.orderTableAckNs(T, slot), 6n * MS);
  assert.equal(core.orderTableDeadline(T, slot), 206n * MS); // ack 6 ms + 200 ms
  assert.equal(core.orderTableOnFill(T, 7n, 4, 7n * MS), slot);
  assert.equal(core.orderTableState(T, slot), PARTIALLY_FILLED);
  assert.equal(core.orderTableCumQty(T, slot), 4);
  assert.equal(core.orderTableLeaves(T, slot), 6); // 10 − 4
  assert.equal(core.orderTableWorkingQty(T, 1, Side.BUY), 6n);
  assert.equal(core.orderTableOnFill(T, 7n, 6, 8n * MS), slot);
  assert.equal(core.orderTableState(T, slot), FILLED); // readable until reused
  assert.equal(core.orderTableLeaves(T, slot), 0);
  assert.equal(core.orderTableCumQty(T, slot), 10);
  assert.equal(core.orderTableOpenCount(T), 0);
  assert.equal(core.orderTableOpenCountOf(T, 1), 0);
  assert.equal(core.orderTableWorkingQty(T, 1, Side.BUY), 0n);
  assert.equal(core.orderTableFind(T, 7n), UNKNOWN_ORDER);
  assert.equal(core.orderTableFinals(T, FILLED), 1);
  // a late or duplicate fill for the finished order is counted and ignored
  assert.equal(core.orderTableOnFill(T, 7n, 1, 9n * MS), UNKNOWN_ORDER);
  assert.equal(core.orderTableRefused(T, OrderTableEvent.FILL), 1);
  assert.equal(core.orderTableState(T, slot), FILLED);
  // the freed slot is reused first
  assert.equal(buy(core, 8n), slot);
  assert.equal(core.orderTableState(T, slot), PENDING_NEW);
  assert.equal(core.orderTableCumQty(T, slot), 0);
});

test('reject of a new → REJECTED; a reject after the ack or for an unknown id is refused', async () => {
  const core = await table();
  const a = buy(core, 1n);
  assert.equal(core.orderTableOnReject(T, 1n, 0n), a);
  assert.equal(core.orderTableState(T, a), REJECTED);
  assert.equal(core.orderTableOpenCount(T), 0);
  assert.equal(core.orderTableFinals(T, REJECTED), 1);
  assert.equal(core.orderTableOnReject(T, 1n, 0n), UNKNOWN_ORDER); // duplicate reject
  const b = buy(core, 2n);
  core.orderTableOnAck(T, 2n, 5n, 0n);
  assert.equal(core.orderTableOnReject(T, 2n, 0n), NOT_ALLOWED); // acked: a Reject naming it is not its
  assert.equal(core.orderTableState(T, b), LIVE);
  assert.equal(core.orderTableOnReject(T, 99n, 0n), UNKNOWN_ORDER);
  assert.equal(core.orderTableRefused(T, OrderTableEvent.REJECT), 3);
});

test('cancel: PENDING_CANCEL → CANCELED; cancel-reject returns to LIVE or PARTIALLY_FILLED, whichever it was', async () => {
  const core = await table();
  const a = buy(core, 1n, 10);
  core.orderTableOnAck(T, 1n, 11n, 0n);
  assert.equal(core.orderTableCancel(T, 1n, 2n, 1n), a);
  assert.equal(core.orderTableState(T, a), PENDING_CANCEL);
  assert.equal(core.orderTablePendingId(T, a), 2n);
  assert.equal(core.orderTableWorkingQty(T, 1, Side.BUY), 10n); // may still fill until Canceled
  assert.equal(core.orderTableOnReject(T, 2n, 2n), a); // the Cancel's Reject names the cancel's id
  assert.equal(core.orderTableState(T, a), LIVE);
  assert.equal(core.orderTablePendingId(T, a), 0n);
  assert.equal(core.orderTableOnReject(T, 2n, 2n), UNKNOWN_ORDER); // duplicate
  // partially filled, cancel, fill during the pending cancel, cancel-reject → PARTIALLY_FILLED
  assert.equal(core.orderTableCancel(T, 1n, 3n, 3n), a);
  assert.equal(core.orderTableOnFill(T, 1n, 3, 4n), a);
  assert.equal(core.orderTableState(T, a), PENDING_CANCEL); // the race: applied, still pending
  assert.equal(core.orderTableLeaves(T, a), 7);
  assert.equal(core.orderTableOnReject(T, 3n, 5n), a);
  assert.equal(core.orderTableState(T, a), PARTIALLY_FILLED);
  // cancel again; Canceled names the order's id
  assert.equal(core.orderTableCancel(T, 1n, 4n, 6n), a);
  assert.equal(core.orderTableOnCanceled(T, 1n, 7n), a);
  assert.equal(core.orderTableState(T, a), CANCELED);
  assert.equal(core.orderTableLeaves(T, a), 0);
  assert.equal(core.orderTableCumQty(T, a), 3);
  assert.equal(core.orderTableOpenCount(T), 0);
  assert.equal(core.orderTableWorkingQty(T, 1, Side.BUY), 0n);
  assert.equal(core.orderTableFind(T, 4n), UNKNOWN_ORDER); // the cancel's id left with it
  assert.equal(core.orderTableOnCanceled(T, 1n, 8n), UNKNOWN_ORDER); // late duplicate
  assert.equal(core.orderTableOnReject(T, 4n, 8n), UNKNOWN_ORDER);
  assert.equal(core.orderTableFinals(T, CANCELED), 1);
});

test('a fill completing the order during PENDING_CANCEL → FILLED; the cancel\'s late reject is unknown', async () => {
  const core = await table();
  const a = buy(core, 1n, 5);
  core.orderTableOnAck(T, 1n, 11n, 0n);
  core.orderTableCancel(T, 1n, 2n, 0n);
  assert.equal(core.orderTableOnFill(T, 1n, 5, 1n), a);
  assert.equal(core.orderTableState(T, a), FILLED);
  assert.equal(core.orderTableOnReject(T, 2n, 2n), UNKNOWN_ORDER); // venue: UNKNOWN_ORDER for the cancel
  assert.equal(core.orderTableOnCanceled(T, 1n, 2n), UNKNOWN_ORDER);
  assert.equal(core.orderTableRefused(T, OrderTableEvent.REJECT), 1);
  assert.equal(core.orderTableRefused(T, OrderTableEvent.CANCELED), 1);
  assert.equal(core.orderTableState(T, a), FILLED);
});

test('cancel before the ack: the ack keeps it pending; cancel-reject → LIVE; or the new is rejected → REJECTED', async () => {
  const core = await table();
  const a = buy(core, 1n);
  assert.equal(core.orderTableCancel(T, 1n, 2n, 0n), a);
  assert.equal(core.orderTableState(T, a), PENDING_CANCEL);
  assert.equal(core.orderTableAcked(T, a), 0);
  assert.equal(findOrder(core, T, 1n)!.ackNs, null);
  assert.equal(core.orderTableOnAck(T, 1n, 50n, 10n * MS), a);
  assert.equal(core.orderTableState(T, a), PENDING_CANCEL);
  assert.equal(core.orderTableAcked(T, a), 1);
  assert.equal(core.orderTableDeadline(T, a), 210n * MS);
  assert.equal(core.orderTableNextDeadline(T), I64_MAX); // a cancel is already out
  assert.equal(core.orderTableOnReject(T, 2n, 11n * MS), a);
  assert.equal(core.orderTableState(T, a), LIVE);
  assert.equal(core.orderTableNextDeadline(T), 210n * MS);
  // cancel-reject before any ack → back to PENDING_NEW
  const b = buy(core, 3n);
  core.orderTableCancel(T, 3n, 4n, 0n);
  assert.equal(core.orderTableOnReject(T, 4n, 0n), b);
  assert.equal(core.orderTableState(T, b), PENDING_NEW);
  // the new itself rejected while its cancel is pending
  core.orderTableCancel(T, 3n, 5n, 0n);
  assert.equal(core.orderTableOnReject(T, 3n, 0n), b);
  assert.equal(core.orderTableState(T, b), REJECTED);
  assert.equal(core.orderTableOnReject(T, 5n, 0n), UNKNOWN_ORDER);
  assert.equal(core.orderTableOpenCount(T), 1);
});

test('replace: PENDING_REPLACE → the same slot continues under the new id at the new price/qty; the old id is REPLACED', async () => {
  const core = await table();
  const a = buy(core, 1n, 10, 1000, 0n);
  core.orderTableOnAck(T, 1n, 11n, 1n * MS);
  core.orderTableOnFill(T, 1n, 2, 2n * MS);
  assert.equal(core.orderTableReplace(T, 1n, 2n, 1005, 15, 3n * MS), a);
  assert.equal(core.orderTableState(T, a), PENDING_REPLACE);
  assert.equal(core.orderTablePendingPrice(T, a), 1005);
  assert.equal(core.orderTablePendingQty(T, a), 15);
  // working qty while pending: max(old leaves 8, new leaves 15 − 2 = 13)
  assert.equal(core.orderTableWorkingQty(T, 1, Side.BUY), 13n);
  assert.equal(core.orderTableFind(T, 2n), UNKNOWN_ORDER); // not the order's id yet
  // a fill races the replace: applied, still pending
  assert.equal(core.orderTableOnFill(T, 1n, 1, 4n * MS), a);
  assert.equal(core.orderTableState(T, a), PENDING_REPLACE);
  assert.equal(core.orderTableWorkingQty(T, 1, Side.BUY), 12n); // max(7, 15 − 3)
  assert.equal(core.orderTableNextDeadline(T), I64_MAX);
  assert.equal(core.orderTableOnReplaced(T, 1n, 2n, 77n, 5n * MS), a);
  assert.equal(core.orderTableState(T, a), PARTIALLY_FILLED); // it has fills
  assert.equal(core.orderTableClOrdId(T, a), 2n);
  assert.equal(core.orderTableFind(T, 2n), a);
  assert.equal(core.orderTableFind(T, 1n), UNKNOWN_ORDER);
  assert.equal(core.orderTablePrice(T, a), 1005);
  assert.equal(core.orderTableQty(T, a), 15);
  assert.equal(core.orderTableCumQty(T, a), 3);
  assert.equal(core.orderTableLeaves(T, a), 12); // 15 − 3, as the venue computes
  assert.equal(core.orderTableExchOrderId(T, a), 77n);
  assert.equal(core.orderTableAckNs(T, a), 5n * MS);
  assert.equal(core.orderTableDeadline(T, a), 205n * MS); // re-armed from the Replaced
  assert.equal(core.orderTableFinals(T, REPLACED), 1);
  assert.equal(core.orderTableOpenCount(T), 1);
  // reports under the old id are unknown now
  assert.equal(core.orderTableOnFill(T, 1n, 1, 6n * MS), UNKNOWN_ORDER);
  assert.equal(core.orderTableOnReplaced(T, 1n, 2n, 77n, 6n * MS), UNKNOWN_ORDER);
  // a replace without fills comes back LIVE
  const b = buy(core, 10n, 4);
  core.orderTableOnAck(T, 10n, 12n, 0n);
  core.orderTableReplace(T, 10n, 11n, 990, 4, 0n);
  assert.equal(core.orderTableOnReplaced(T, 10n, 11n, 13n, 0n), b);
  assert.equal(core.orderTableState(T, b), LIVE);
});

test('replace-reject returns to LIVE / PARTIALLY_FILLED; refused replaces and Replaced that do not match', async () => {
  const core = await table();
  const a = buy(core, 1n, 10);
  assert.equal(core.orderTableReplace(T, 1n, 2n, 1001, 10, 0n), NOT_ALLOWED); // not acked yet
  core.orderTableOnAck(T, 1n, 11n, 0n);
  assert.equal(core.orderTableReplace(T, 1n, 0n, 1001, 10, 0n), BAD_ARGUMENT); // id 0
  assert.equal(core.orderTableReplace(T, 1n, 2n, 0, 10, 0n), BAD_ARGUMENT); // price 0
  core.orderTableOnFill(T, 1n, 4, 0n);
  assert.equal(core.orderTableReplace(T, 1n, 2n, 1001, 4, 0n), BAD_ARGUMENT); // new total ≤ filled
  assert.equal(core.orderTableReplace(T, 1n, 1n, 1001, 5, 0n), DUPLICATE_ID);
  assert.equal(core.orderTableReplace(T, 1n, 2n, 1001, 5, 0n), a);
  assert.equal(core.orderTableReplace(T, 1n, 3n, 1001, 5, 0n), NOT_ALLOWED); // one request at a time
  assert.equal(core.orderTableCancel(T, 1n, 3n, 0n), NOT_ALLOWED);
  assert.equal(core.orderTableOnReplaced(T, 1n, 9n, 12n, 0n), NOT_ALLOWED); // not this replace
  assert.equal(core.orderTableOnReplaced(T, 2n, 2n, 12n, 0n), UNKNOWN_ORDER); // named by the old id
  // fills during the replace reach the new total: the venue would reject; a Replaced anyway is refused
  assert.equal(core.orderTableOnFill(T, 1n, 1, 0n), a);
  assert.equal(core.orderTableOnReplaced(T, 1n, 2n, 12n, 0n), NOT_ALLOWED);
  assert.equal(core.orderTableState(T, a), PENDING_REPLACE);
  assert.equal(core.orderTableOnReject(T, 2n, 0n), a); // replace-reject
  assert.equal(core.orderTableState(T, a), PARTIALLY_FILLED);
  assert.equal(core.orderTablePrice(T, a), 1000);
  assert.equal(core.orderTableQty(T, a), 10);
  assert.equal(core.orderTablePendingQty(T, a), 0);
  assert.equal(core.orderTableWorkingQty(T, 1, Side.BUY), 5n);
  const b = buy(core, 20n, 3);
  core.orderTableOnAck(T, 20n, 21n, 0n);
  core.orderTableReplace(T, 20n, 22n, 999, 3, 0n);
  assert.equal(core.orderTableOnReject(T, 22n, 0n), b);
  assert.equal(core.orderTableState(T, b), LIVE);
  // a fill completing the old order during the replace → FILLED; the late Replaced is unknown
  core.orderTableReplace(T, 20n, 23n, 999, 6, 0n);
  assert.equal(core.orderTableOnFill(T, 20n, 3, 0n), b);
  assert.equal(core.orderTableState(T, b), FILLED);
  assert.equal(core.orderTableOnReplaced(T, 20n, 23n, 24n, 0n), UNKNOWN_ORDER);
  assert.equal(core.orderTableRefused(T, OrderTableEvent.REPLACE_REQUEST), 6);
  assert.equal(core.orderTableRefused(T, OrderTableEvent.REPLACED), 4); // 2 not this replace, 2 unknown
  assert.equal(core.orderTableRefused(T, OrderTableEvent.CANCEL_REQUEST), 1);
});

test('refused reports and requests change nothing and are counted per event', async () => {
  const core = await table();
  const a = buy(core, 1n, 10);
  core.orderTableOnAck(T, 1n, 11n, 0n);
  const before = readOrder(core, T, a);
  assert.equal(core.orderTableOnAck(T, 1n, 12n, 5n), NOT_ALLOWED); // duplicate ack
  assert.equal(core.orderTableOnFill(T, 1n, 11, 0n), OVERFILL);
  assert.equal(core.orderTableOnFill(T, 1n, 0, 0n), BAD_ARGUMENT);
  assert.equal(core.orderTableOnFill(T, 1n, -3, 0n), BAD_ARGUMENT);
  assert.equal(core.orderTableOnFill(T, 2n, 1, 0n), UNKNOWN_ORDER);
  assert.equal(core.orderTableOnAck(T, 0n, 1n, 0n), UNKNOWN_ORDER);
  assert.equal(core.orderTableCancel(T, 1n, 0n, 0n), BAD_ARGUMENT);
  assert.equal(core.orderTableCancel(T, 1n, 1n, 0n), DUPLICATE_ID);
  assert.equal(core.orderTableCancel(T, 5n, 6n, 0n), UNKNOWN_ORDER);
  assert.deepEqual(readOrder(core, T, a), before);
  assert.equal(core.orderTableOnFill(T, 1n, 10, 0n), a); // exactly the leaves
  const snap = readOrderTable(core, T);
  assert.deepEqual(snap.refused, { OPEN: 0, ACK: 2, FILL: 4, REJECT: 0, CANCEL_REQUEST: 3, CANCELED: 0, REPLACE_REQUEST: 0, REPLACED: 0 });
  assert.equal(snap.overfills, 1);
  assert.equal(snap.filled, 1);
  // a cancel's id or a pending request's id cannot be reused for an open
  buy(core, 30n);
  core.orderTableCancel(T, 30n, 31n, 0n);
  assert.equal(buy(core, 31n), DUPLICATE_ID);
  assert.equal(buy(core, 30n), DUPLICATE_ID);
  assert.equal(core.orderTableCancel(T, 31n, 32n, 0n), UNKNOWN_ORDER); // a request id is not an order
  // bad opens
  assert.equal(buy(core, 0n), BAD_ARGUMENT);
  assert.equal(buy(core, 40n, 0), BAD_ARGUMENT);
  assert.equal(buy(core, 40n, 5, 0), BAD_ARGUMENT); // LIMIT at price 0
  assert.equal(buy(core, 40n, 5, 100, 0n, 5), BAD_ARGUMENT); // symbol > maxSymbolId 4
  assert.equal(core.orderTableOpen(T, 40n, 1, 2, OrderKind.LIMIT, 0, 100, 5, 0n), BAD_ARGUMENT);
  assert.equal(core.orderTableOpen(T, 40n, 1, 0, 2, 0, 100, 5, 0n), BAD_ARGUMENT);
  assert.equal(core.orderTableOpen(T, 40n, 1, 0, OrderKind.LIMIT, 3, 100, 5, 0n), BAD_ARGUMENT);
  assert.ok(core.orderTableOpen(T, 40n, 1, Side.SELL, OrderKind.MARKET, TimeInForce.IOC, 0, 5, 0n) >= 0); // market at 0
  assert.equal(readOrderTable(core, T).refused.OPEN, 9);
  assert.equal(describeOrderTableStatus(OVERFILL), 'fill larger than the order\'s leaves');
});

test('table full: the open is refused with FULL and nothing else changes; a finished order frees a slot', async () => {
  const core = await table(3);
  assert.deepEqual([buy(core, 1n), buy(core, 2n, 5, 1000, 0n, 2), buy(core, 3n)], [0, 1, 2]);
  core.orderTableOnAck(T, 2n, 20n, 0n);
  core.orderTableCancel(T, 3n, 4n, 0n);
  const snapshot = (): unknown => [0, 1, 2].map((s) => readOrder(core, T, s));
  const before = snapshot();
  const counts = [core.orderTableOpenCount(T), core.orderTableOpenCountOf(T, 1), core.orderTableWorkingQty(T, 1, Side.BUY)];
  assert.equal(buy(core, 5n), FULL);
  assert.equal(core.orderTableOpen(T, 6n, 2, Side.SELL, OrderKind.LIMIT, TimeInForce.GTC, 1, 1, 0n), FULL);
  assert.deepEqual(snapshot(), before);
  assert.deepEqual([core.orderTableOpenCount(T), core.orderTableOpenCountOf(T, 1), core.orderTableWorkingQty(T, 1, Side.BUY)], counts);
  assert.equal(core.orderTableFind(T, 5n), UNKNOWN_ORDER);
  assert.equal(core.orderTableRefused(T, OrderTableEvent.OPEN), 2);
  assert.equal(core.orderTableOpened(T), 3);
  // every order still answers as before
  assert.equal(core.orderTableOnReject(T, 4n, 0n), 2); // cancel-reject of order 3
  assert.equal(core.orderTableOnFill(T, 2n, 5, 0n), 1); // order 2 filled → slot 1 free
  assert.equal(buy(core, 5n), 1);
  assert.equal(core.orderTableFind(T, 5n), 1);
  assert.equal(buy(core, 6n), FULL);
});

test('TTL from the ack: next deadline, expired iteration, IOC/market have none, pending requests excluded', async () => {
  const core = await table(8, 200);
  assert.equal(core.orderTableTtlNs(T), 200n * MS);
  assert.equal(core.orderTableNextDeadline(T), I64_MAX);
  const a = buy(core, 1n, 5, 1000, 0n);
  const b = buy(core, 2n, 5, 1000, 0n, 1, TimeInForce.POST_ONLY);
  const c = buy(core, 3n, 5, 1000, 0n, 1, TimeInForce.IOC);
  const d = core.orderTableOpen(T, 4n, 1, Side.SELL, OrderKind.MARKET, TimeInForce.IOC, 0, 5, 0n);
  assert.equal(core.orderTableNextDeadline(T), I64_MAX); // nothing acked
  core.orderTableOnAck(T, 1n, 1n, 30n * MS); // sent at 0, acked at 30 ms: due at 230 ms, not 200
  core.orderTableOnAck(T, 2n, 2n, 10n * MS);
  core.orderTableOnAck(T, 3n, 3n, 5n * MS);
  core.orderTableOnAck(T, 4n, 4n, 5n * MS);
  assert.equal(core.orderTableDeadline(T, c), I64_MAX);
  assert.equal(core.orderTableDeadline(T, d), I64_MAX);
  assert.equal(core.orderTableNextDeadline(T), 210n * MS);
  assert.deepEqual(expiredSlots(core, T, 210n * MS - 1n), []);
  assert.deepEqual(expiredSlots(core, T, 210n * MS), [b]); // due exactly at the deadline
  assert.deepEqual(expiredSlots(core, T, 230n * MS), [a, b]);
  assert.equal(core.orderTableExpired(T, 230n * MS, b + 1), -1);
  // the driver cancels b: pending, so no longer counted; a partial fill keeps a's deadline
  core.orderTableCancel(T, 2n, 20n, 210n * MS);
  core.orderTableOnFill(T, 1n, 1, 211n * MS);
  assert.equal(core.orderTableNextDeadline(T), 230n * MS);
  assert.deepEqual(expiredSlots(core, T, 230n * MS), [a]);
  // the driver reprices a: pending, excluded; the Replaced re-arms from its arrival
  core.orderTableReplace(T, 1n, 10n, 1001, 5, 230n * MS);
  assert.equal(core.orderTableNextDeadline(T), I64_MAX);
  core.orderTableOnReplaced(T, 1n, 10n, 11n, 232n * MS);
  assert.equal(core.orderTableNextDeadline(T), 432n * MS);
  // the cancel is rejected: b comes back with its old (due) deadline, the driver decides again
  core.orderTableOnReject(T, 20n, 233n * MS);
  assert.equal(core.orderTableNextDeadline(T), 210n * MS);
  assert.deepEqual(expiredSlots(core, T, 233n * MS), [b]);
  // near the end of time the deadline saturates instead of wrapping
  const e = buy(core, 50n);
  core.orderTableOnAck(T, 50n, 5n, I64_MAX - 1n);
  assert.equal(core.orderTableDeadline(T, e), I64_MAX);
});

test('HALTED: iterate every working order with orderTableNextLive and cancel each', async () => {
  const core = await table(16);
  for (let i = 1n; i <= 10n; i++) buy(core, i, 5);
  for (const id of [2n, 4n, 6n, 8n, 10n]) core.orderTableOnAck(T, id, id + 100n, 0n);
  core.orderTableOnFill(T, 4n, 5, 0n); // filled: gone
  core.orderTableOnReject(T, 3n, 0n); // rejected: gone
  core.orderTableReplace(T, 6n, 60n, 1001, 5, 0n); // waits for its replace to resolve
  let next = 1000n;
  const canceled: bigint[] = [];
  for (let s = core.orderTableNextLive(T, 0); s >= 0; s = core.orderTableNextLive(T, s + 1)) {
    const id = core.orderTableClOrdId(T, s);
    if (core.orderTableState(T, s) === PENDING_REPLACE) continue;
    assert.equal(core.orderTableCancel(T, id, next++, 0n), s);
    canceled.push(id);
  }
  assert.deepEqual(canceled, [1n, 2n, 5n, 7n, 8n, 9n, 10n]);
  assert.equal(workingSlots(core, T).length, 8);
  for (const s of workingSlots(core, T)) {
    assert.ok([PENDING_CANCEL, PENDING_REPLACE].includes(core.orderTableState(T, s) as 4 | 6));
  }
  assert.equal(core.orderTableNextLive(T, 16), -1);
});

test('the id index at capacity 4096: clustered and strided ids, removals in random order, every lookup right', async () => {
  const { core } = await testCore(4 << 20);
  initOrderTable(core, T, { capacity: 4096, maxSymbolId: 8 });
  const r = rng(42);
  // ids that share low bits, high bits, or run consecutively: the hash must spread all of them
  const ids: bigint[] = [];
  for (let i = 0n; i < 1365n; i++) ids.push(1n + i, (i + 1n) << 32n, (i + 7n) * 4096n);
  ids.push(2n ** 64n - 1n);
  const live = new Map<bigint, number>();
  for (const id of ids) {
    const slot = core.orderTableOpen(T, id, 1, Side.BUY, OrderKind.LIMIT, TimeInForce.GTC, 100, 1, 0n);
    assert.ok(slot >= 0, `open ${id}: ${slot}`);
    live.set(id, slot);
  }
  assert.equal(core.orderTableOpenCount(T), 4096);
  assert.equal(core.orderTableOpen(T, 5n << 60n, 1, 0, 0, 0, 100, 1, 0n), FULL);
  // pending cancels double the index's load
  let cid = 1n << 50n;
  for (const id of ids) assert.equal(core.orderTableCancel(T, id, cid++, 0n), live.get(id));
  for (let round = 0; round < 3; round++) {
    const order = [...live.keys()].sort(() => r() - 0.5);
    for (const id of order.slice(0, 2000)) {
      assert.equal(core.orderTableOnCanceled(T, id, 0n), live.get(id));
      live.delete(id);
    }
    for (const [id, slot] of live) assert.equal(core.orderTableFind(T, id), slot, `find ${id}`);
    for (const id of ids) if (!live.has(id)) assert.equal(core.orderTableFind(T, id), UNKNOWN_ORDER);
    while (live.size < 4096) {
      const id = (BigInt(Math.floor(r() * 2 ** 31)) << 20n) + 1n;
      if (live.has(id)) continue;
      const slot = core.orderTableOpen(T, id, 1, Side.BUY, OrderKind.LIMIT, TimeInForce.GTC, 100, 1, 0n);
      assert.ok(slot >= 0);
      live.set(id, slot);
    }
    ids.length = 0;
    ids.push(...live.keys());
    for (const [id, slot] of live) {
      assert.equal(core.orderTableFind(T, id), slot);
      if (core.orderTableState(T, slot) === PENDING_NEW) assert.equal(core.orderTableCancel(T, id, cid++, 0n), slot);
    }
  }
  assert.equal(core.orderTableHighWater(T), 4096);
});

test('host config: defaults, each key named when refused, sizing and init', async () => {
  const { core } = await testCore();
  const c = resolveOrderTableConfig();
  assert.deepEqual(c, { capacity: 4096, maxSymbolId: 255, ttlMs: 200, ttlNs: 200_000_000n });
  assert.equal(resolveOrderTableConfig({ ttlMs: 150.5 }).ttlNs, 150_500_000n);
  const refused = (p: object, message: string): void => {
    assert.throws(() => resolveOrderTableConfig(p), (e: unknown) => e instanceof ConfigError && e.message.includes(message));
  };
  refused({ capacity: 0 }, 'orders.capacity');
  refused({ capacity: 65537 }, 'orders.capacity');
  refused({ capacity: 1.5 }, 'orders.capacity');
  refused({ maxSymbolId: 0 }, 'orders.maxSymbolId');
  refused({ maxSymbolId: 65536 }, 'orders.maxSymbolId');
  refused({ ttlMs: 0 }, 'orders.ttlMs');
  refused({ ttlMs: 3_600_001 }, 'orders.ttlMs');
  refused({ ttlMs: Number.NaN }, 'orders.ttlMs');
  assert.throws(() => resolveOrderTableConfig({ capacity: 0 }), /orders\.capacity.*\[1, 65536\].*0/);
  const plan = orderTableStatePlan(core, 'orders', { capacity: 16, maxSymbolId: 3 });
  // 128 header + 16 × 80 slots + 64 free stack + 4 × 24 symbols + 64 index entries × 16
  assert.deepEqual(plan, { name: 'orders', bytes: 128 + 1280 + 64 + 96 + 1024 });
  assert.equal(core.orderTableBytes(0, 3), 0);
  assert.equal(core.orderTableBytes(65537, 3), 0);
  // the core re-checks what would corrupt state
  assert.equal(core.orderTableInit(T + 4, 16, 3, 1n), OrderTableStatus.MISALIGNED);
  assert.equal(core.orderTableInit(T, 16, 3, 0n), OrderTableStatus.BAD_CONFIG);
  assert.equal(core.orderTableInit(T, 0, 3, 1n), OrderTableStatus.BAD_CONFIG);
  assert.throws(() => initOrderTable(core, T + 4), OrderTableError);
  const r = initOrderTable(core, T, { capacity: 16, maxSymbolId: 3, ttlMs: 50 });
  assert.equal(r.ttlNs, 50_000_000n);
  assert.equal(core.orderTableCapacity(T), 16);
  assert.equal(core.orderTableMaxSymbolId(T), 3);
  // readers
  buy(core, 9n, 4, 1234, 7n, 2);
  core.orderTableOnAck(T, 9n, 99n, 8n);
  assert.deepEqual(findOrder(core, T, 9n), {
    slot: 0, state: 'LIVE', clOrdId: 9n, pendingId: null, exchOrderId: 99n, symbol: 2, side: Side.BUY, kind: OrderKind.LIMIT,
    tif: TimeInForce.GTC, price: 1234, qty: 4, cumQty: 0, leaves: 4, pendingPrice: null, pendingQty: null, sentNs: 7n,
    ackNs: 8n, deadlineNs: 50_000_008n,
  });
  assert.equal(findOrder(core, T, 10n), null);
  assert.equal(readOrder(core, T, 1), null); // never used
  assert.equal(readOrder(core, T, 16), null); // out of range
  const snap = readOrderTable(core, T);
  assert.equal(snap.open, 1);
  assert.equal(snap.next_deadline_ns, 50_000_008n);
});

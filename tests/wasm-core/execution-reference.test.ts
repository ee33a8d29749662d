// The execution stage against an independent plain-TypeScript reference (BigInt money) on 10 000
// seeded event sequences: orders through execSubmit (risk at and around every limit, the broker's
// nested windows), acks, fills and partial fills, cancels (parked when a window is full), replaces,
// rejects of orders, cancels and replaces, unsolicited cancels, replaced reports, unknown and finished
// ids, book updates (marks, daily loss), timers (the 200 ms rule, cancel or, in half the sequences,
// reprice to the touch), round trips in fast and slow phases (RTT lockdown to REDUCING and release
// with hysteresis), rejects enough to trip the circuit breaker (HALTED) and, in some sequences, the kill word
// set between two calls (HALTED, a cancel for every working order once, a replace resolved under
// HALTED cancelled, nothing new). After every event: the commands
// out (type, ids, side, price, qty), each call's answer, every working order's state, fills, price and
// deadline, positions, cost and P&L to the paisa after charges, refusal counts per code, ignored
// reports, parked cancels, the trading state and the next deadline.
//
// The reference is written from the rules as documented (order-table.ts header, pre-trade-risk.ts,
// broker-windows.ts, positions.ts, docs/market-rules.md for the charges, docs/execution.md for the
// stage order), not from the core's code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rng } from '../testkit/core.js';
import { ExecFlag, ExecParam, ExecRefusal, ExecStatus, ExecTtlAction, initExecution } from '../../host/modules/execution.js';
import { OrderState, RiskRefusal, Side, TimeInForce, TradingState } from '../../host/model/vocabulary.js';
import { MS, SECOND, stage, take, type Stage } from '../testkit/exec-stage.js';

const SEQUENCES = 10_000;
const CAPACITY = 16;
const TTL = 200n * MS;
const LIMITS = {
  perSecond: 10, perMinute: 12, minuteWindowMs: 5000, perDay: 22,
  maxOrderQty: 50, maxNotionalPaise: 400_000n, maxPosition: 100, maxOpenOrders: 6,
  maxGrossPaise: 800_000n, dailyLossPaise: 2_000n,
};
const SYMS = [
  { name: 'A', symbolId: 1, tickPaise: 5, lotSize: 1, around: 2000 },
  { name: 'B', symbolId: 7, tickPaise: 10, lotSize: 5, around: 1000 },
];
const NO_DEADLINE = 2n ** 63n - 1n;
const BREAKER_REJECTS = 4;
const BREAKER_WINDOW = 10n * SECOND;

// ── charges: cash intraday (docs/market-rules.md), each line rounded half-up to the paisa ────────────

/** round(n / d) half up, n ≥ 0. */
const half = (n: bigint, d: bigint): bigint => (2n * n + d) / (2n * d);

function charges(side: number, pricePaise: bigint, qty: bigint): bigint {
  const t = pricePaise * qty;
  const stt = side === Side.SELL ? half(t * 25n, 100_000n) : 0n; // 0.025 % on a sell
  const exchange = half(t * 297n, 10_000_000n); // 0.00297 %
  const sebi = half(t, 1_000_000n); // 0.0001 %
  const stamp = side === Side.BUY ? half(t * 3n, 100_000n) : 0n; // 0.003 % on a buy
  const pct = half(t * 3n, 10_000n); // 0.03 %
  const brokerage = pct < 2000n ? pct : 2000n; // capped at ₹20
  const gst = half((brokerage + exchange + sebi) * 18n, 100n);
  return stt + exchange + sebi + stamp + brokerage + gst;
}

// ── the reference ───────────────────────────────────────────────────────────────────────────────

interface RefOrder {
  id: bigint; slot: number; sym: number; side: number; price: number; qty: number; cum: number;
  state: number; acked: boolean; req: bigint; reqKind: 'cancel' | 'replace' | null; reqPrice: number;
  deadline: bigint; wanted: boolean;
}

interface RefPos { pos: bigint; cost: bigint; realized: bigint; charges: bigint; mark: number | null }

interface Cmd { type: string; side: number; symbolId: number; orig: bigint; price: number; qty: number }

const WORKING = new Set<number>([OrderState.PENDING_NEW, OrderState.LIVE, OrderState.PARTIALLY_FILLED, OrderState.PENDING_CANCEL, OrderState.PENDING_REPLACE]);

class Ref {
  byId = new Map<bigint, RefOrder>();
  byReq = new Map<bigint, RefOrder>();
  slots: (RefOrder | null)[] = new Array(CAPACITY).fill(null);
  free: number[] = Array.from({ length: CAPACITY }, (_, i) => CAPACITY - 1 - i);
  highWater = 0;
  pos: RefPos[] = SYMS.map(() => ({ pos: 0n, cost: 0n, realized: 0n, charges: 0n, mark: null }));
  sends: bigint[] = [];
  day = 0;
  // trading state: per-source demands; HALTED latches (no reset inside a sequence)
  halted = false;
  dailyDemand: number = TradingState.ACTIVE;
  rttDemand: number = TradingState.ACTIVE;
  // RTT watchdog: slow > 20 ms × 3 → REDUCING; calm < 10 ms × 3 and ≥ 200 ms in lockdown → release
  lockdown = false;
  slowRun = 0;
  calmRun = 0;
  lockdownAt = 0n;
  // circuit breaker: 4 new/replace rejects within 10 s → HALTED, sticky
  rejectTimes: bigint[] = [];
  tripped = false;

  get trading(): number {
    return this.halted ? TradingState.HALTED : Math.max(this.dailyDemand, this.rttDemand);
  }

  rttSample(rtt: bigint, now: bigint): void {
    if (!this.lockdown) {
      this.slowRun = rtt > 20n * MS ? this.slowRun + 1 : 0;
      if (this.slowRun >= 3) {
        this.lockdown = true;
        this.lockdownAt = now;
        this.slowRun = 0;
        this.calmRun = 0;
      }
    } else {
      this.calmRun = rtt < 10n * MS ? this.calmRun + 1 : 0;
      if (this.calmRun >= 3 && now - this.lockdownAt >= 200n * MS) {
        this.lockdown = false;
        this.slowRun = 0;
        this.calmRun = 0;
      }
    }
    if (!this.halted) this.rttDemand = this.lockdown ? TradingState.REDUCING : TradingState.ACTIVE;
  }

  breakerReject(now: bigint): void {
    this.rejectTimes.push(now);
    const n = this.rejectTimes.length;
    if (!this.tripped && n >= BREAKER_REJECTS && now - this.rejectTimes[n - BREAKER_REJECTS]! < BREAKER_WINDOW) this.tripped = true;
    if (this.tripped) this.halted = true;
  }
  refusals = new Array<number>(16).fill(0);
  ignored = 0;
  waiting = 0;
  nextId = 1n;
  cmds: Cmd[] = [];
  kill = false;
  reprice = false;
  reprices = 0;
  killSeen = false;
  haltSeen = false;
  touch = SYMS.map(() => ({ bid: 0, ask: 0 }));

  open(): RefOrder[] {
    return this.slots.filter((o): o is RefOrder => o !== null && WORKING.has(o.state));
  }

  working(sym: number, side: number): bigint {
    let w = 0n;
    for (const o of this.open()) if (o.sym === sym && o.side === side) w += BigInt(o.qty - o.cum);
    return w;
  }

  unrealized(i: number): bigint {
    const p = this.pos[i]!;
    return p.pos === 0n ? 0n : BigInt(p.mark!) * BigInt(SYMS[i]!.tickPaise) * p.pos - p.cost;
  }

  dayPnl(): bigint {
    let t = 0n;
    this.pos.forEach((p, i) => { t += p.realized - p.charges + this.unrealized(i); });
    return t;
  }

  gross(): bigint {
    let g = 0n;
    this.pos.forEach((p, i) => { if (p.pos !== 0n) g += (p.pos < 0n ? -p.pos : p.pos) * BigInt(p.mark!) * BigInt(SYMS[i]!.tickPaise); });
    return g;
  }

  // broker windows: `m` messages fit at `now` once the (cap − m + 1)-th newest send has left the window of W
  // (at its time + W); more messages than the cap never fit
  release(cap: number, w: bigint, m: number): bigint {
    if (m > cap) return 2n ** 63n - 1n;
    const c = cap - m + 1;
    return this.sends.length >= c ? this.sends[this.sends.length - c]! + w : -1n;
  }

  /** `m`: a new order or reprice asks room for itself and a cancel of each order working after it. */
  brokerCode(now: bigint, m = 1): number {
    if (this.day + m > LIMITS.perDay) return RiskRefusal.RATE_PER_DAY;
    const rm = this.release(LIMITS.perMinute, BigInt(LIMITS.minuteWindowMs) * MS, m);
    const rs = this.release(LIMITS.perSecond, SECOND, m);
    if (rm > now && rm >= rs) return RiskRefusal.RATE_PER_MINUTE;
    if (rs > now) return RiskRefusal.RATE_PER_SECOND;
    return 0;
  }

  nextFree(): bigint | null {
    if (this.day + 1 > LIMITS.perDay) return null;
    let at = this.sends.length > 0 ? this.sends[this.sends.length - 1]! : -(2n ** 63n);
    const rm = this.release(LIMITS.perMinute, BigInt(LIMITS.minuteWindowMs) * MS, 1);
    const rs = this.release(LIMITS.perSecond, SECOND, 1);
    if (rm > at) at = rm;
    if (rs > at) at = rs;
    return at;
  }

  send(now: bigint): void {
    this.sends.push(now);
    this.day++;
  }

  refuse(code: number): number {
    this.refusals[code]!++;
    return ExecStatus.REFUSED;
  }

  risk(sym: number, side: number, price: number, qty: number, buyW: bigint, sellW: bigint, open: number): number {
    const position = this.pos[sym]!.pos;
    const q = BigInt(qty);
    const buy = side === Side.BUY;
    const before = buy ? position + buyW : position - sellW;
    const after = buy ? before + q : before - q;
    const reducing = buy ? position < 0n && after <= 0n : position > 0n && after >= 0n;
    const abs = (x: bigint): bigint => (x < 0n ? -x : x);
    const growth = abs(after) - abs(before);
    const tick = BigInt(SYMS[sym]!.tickPaise);
    if (this.trading === TradingState.HALTED) return RiskRefusal.HALTED;
    if (this.trading !== TradingState.ACTIVE && !reducing) return RiskRefusal.REDUCE_ONLY;
    if (qty > LIMITS.maxOrderQty) return RiskRefusal.MAX_ORDER_QTY;
    if (BigInt(price) * q * tick > LIMITS.maxNotionalPaise) return RiskRefusal.MAX_NOTIONAL;
    if (growth > 0n && abs(after) > BigInt(LIMITS.maxPosition)) return RiskRefusal.MAX_POSITION;
    if (open >= LIMITS.maxOpenOrders) return RiskRefusal.MAX_OPEN_ORDERS;
    if (growth > 0n) {
      const room = LIMITS.maxGrossPaise - this.gross();
      if (room < 0n || growth * BigInt(price) * tick > room) return RiskRefusal.MAX_GROSS_EXPOSURE;
    }
    if (!reducing && this.dayPnl() <= -LIMITS.dailyLossPaise) return RiskRefusal.DAILY_LOSS;
    return 0;
  }

  /** The kill word is read on every call: once set, HALTED (latched). */
  checkKill(): void {
    if (this.kill && !this.killSeen) {
      this.killSeen = true;
      this.halted = true;
    }
  }

  /** On entry to HALTED every working order gets a cancel, once, in slot order. */
  settle(now: bigint): void {
    this.checkKill();
    if (this.trading !== TradingState.HALTED || this.haltSeen) return;
    this.haltSeen = true;
    for (let i = 0; i < this.highWater; i++) {
      const o = this.slots[i];
      if (o && WORKING.has(o.state)) this.cancel(o, now);
    }
  }

  submit(sym: number, side: number, price: number, qty: number, now: bigint): number {
    this.settle(now);
    if (this.open().length >= CAPACITY) return this.refuse(ExecRefusal.CAPACITY);
    if (this.kill) return this.refuse(RiskRefusal.HALTED);
    const r = this.risk(sym, side, price, qty, this.working(sym, Side.BUY), this.working(sym, Side.SELL), this.open().length);
    if (r !== 0) return this.refuse(r);
    const b = this.brokerCode(now, 1 + this.open().length + 1);
    if (b !== 0) return this.refuse(b);
    this.send(now);
    const slot = this.free.pop()!;
    if (slot >= this.highWater) this.highWater = slot + 1;
    const o: RefOrder = {
      id: this.nextId++, slot, sym, side, price, qty, cum: 0, state: OrderState.PENDING_NEW, acked: false, req: 0n,
      reqKind: null, reqPrice: 0, deadline: NO_DEADLINE, wanted: false,
    };
    this.slots[slot] = o;
    this.byId.set(o.id, o);
    this.cmds.push({ type: 'new', side, symbolId: SYMS[sym]!.symbolId, orig: 0n, price, qty });
    this.refusals[0]!++;
    return 1;
  }

  finish(o: RefOrder, state: number): void {
    o.state = state;
    this.byId.delete(o.id);
    if (o.req !== 0n) this.byReq.delete(o.req);
    o.req = 0n;
    o.reqKind = null;
    if (o.wanted) this.waiting--;
    o.wanted = false;
    this.free.push(o.slot);
  }

  back(o: RefOrder): number {
    return o.cum > 0 ? OrderState.PARTIALLY_FILLED : o.acked ? OrderState.LIVE : OrderState.PENDING_NEW;
  }

  /** 1 sent, 0 parked or nothing to do. */
  cancel(o: RefOrder, now: bigint): number {
    if (o.state !== OrderState.PENDING_NEW && o.state !== OrderState.LIVE && o.state !== OrderState.PARTIALLY_FILLED) return 0;
    if (this.brokerCode(now) !== 0) {
      if (!o.wanted) {
        o.wanted = true;
        this.waiting++;
        this.waited++;
      }
      return 0;
    }
    this.send(now);
    if (o.wanted) {
      o.wanted = false;
      this.waiting--;
    }
    o.req = this.nextId++;
    o.reqKind = 'cancel';
    this.byReq.set(o.req, o);
    o.state = OrderState.PENDING_CANCEL;
    this.cmds.push({ type: 'cancel', side: o.side, symbolId: SYMS[o.sym]!.symbolId, orig: o.id, price: o.price, qty: o.qty - o.cum });
    return 1;
  }

  waited = 0;

  replace(o: RefOrder, price: number, now: bigint): number {
    if (o.state !== OrderState.LIVE && o.state !== OrderState.PARTIALLY_FILLED) return this.refuse(ExecRefusal.INVALID);
    if (this.kill) {
      this.checkKill();
      return this.refuse(RiskRefusal.HALTED);
    }
    const leaves = BigInt(o.qty - o.cum);
    let buyW = this.working(o.sym, Side.BUY);
    let sellW = this.working(o.sym, Side.SELL);
    if (o.side === Side.BUY) buyW -= leaves;
    else sellW -= leaves;
    const r = this.risk(o.sym, o.side, price, Number(leaves), buyW, sellW, this.open().length - 1);
    if (r !== 0) return this.refuse(r);
    const b = this.brokerCode(now, 1 + this.open().length);
    if (b !== 0) return this.refuse(b);
    this.send(now);
    o.req = this.nextId++;
    o.reqKind = 'replace';
    o.reqPrice = price;
    this.byReq.set(o.req, o);
    o.state = OrderState.PENDING_REPLACE;
    this.cmds.push({ type: 'replace', side: o.side, symbolId: SYMS[o.sym]!.symbolId, orig: o.id, price, qty: o.qty });
    this.refusals[0]!++;
    return 1;
  }

  sendWaiting(now: bigint): void {
    if (this.waiting === 0) return;
    for (let i = 0; i < this.highWater && this.waiting !== 0; i++) {
      const o = this.slots[i];
      if (!o || !WORKING.has(o.state) || !o.wanted) continue;
      if (this.cancel(o, now) === 0) return;
    }
  }

  checkDailyLoss(): void {
    if (!this.halted && this.dailyDemand < TradingState.REDUCING && this.dayPnl() <= -LIMITS.dailyLossPaise) {
      this.dailyDemand = TradingState.REDUCING;
    }
  }

  market(sym: number, bid: number, ask: number, now: bigint): void {
    this.touch[sym] = { bid, ask };
    this.pos[sym]!.mark = bid + ((ask - bid) >> 1);
    this.checkDailyLoss();
    this.settle(now);
    this.sendWaiting(now);
  }

  ack(id: bigint, rtt: bigint, now: bigint): void {
    this.checkKill();
    const o = this.byId.get(id);
    if (!o || o.acked) {
      this.ignored++;
      return;
    }
    o.acked = true;
    o.deadline = now + TTL;
    if (o.state === OrderState.PENDING_NEW) o.state = OrderState.LIVE;
    this.rttSample(rtt, now);
    this.settle(now);
  }

  fill(id: bigint, price: number, qty: number, now: bigint): void {
    this.checkKill();
    const o = this.byId.get(id);
    if (!o || qty <= 0 || qty > o.qty - o.cum) {
      this.ignored++;
      return;
    }
    o.cum += qty;
    if (o.cum === o.qty) this.finish(o, OrderState.FILLED);
    else if (o.state === OrderState.PENDING_NEW || o.state === OrderState.LIVE) o.state = OrderState.PARTIALLY_FILLED;
    const p = this.pos[o.sym]!;
    const pricePaise = BigInt(price) * BigInt(SYMS[o.sym]!.tickPaise);
    const q = BigInt(qty);
    const dir = o.side === Side.BUY ? 1n : -1n;
    p.charges += charges(o.side, pricePaise, q);
    if (p.pos === 0n || (p.pos > 0n) === (dir > 0n)) {
      p.cost += dir * pricePaise * q;
    } else {
      const openQty = p.pos < 0n ? -p.pos : p.pos;
      const closed = q < openQty ? q : openQty;
      const m = p.cost < 0n ? -p.cost : p.cost;
      let part = (m * closed) / openQty;
      if (((m * closed) % openQty) * 2n >= openQty) part++;
      const released = p.cost < 0n ? -part : part;
      p.realized += -dir * pricePaise * closed - released;
      p.cost = q > openQty ? dir * pricePaise * (q - openQty) : p.cost - released;
    }
    p.pos += dir * q;
    if (p.mark === null) p.mark = price;
    this.checkDailyLoss();
    this.settle(now);
    this.sendWaiting(now);
  }

  reject(id: bigint, now: bigint): void {
    this.checkKill();
    const req = this.byReq.get(id);
    if (req) {
      const wasReplace = req.reqKind === 'replace';
      this.byReq.delete(id);
      req.req = 0n;
      req.reqKind = null;
      req.state = this.back(req);
      if (wasReplace) this.breakerReject(now); // a cancel-reject is a race, not a fault
      this.settle(now);
      // a replace resolved under HALTED is cancelled
      if (wasReplace && this.trading === TradingState.HALTED) this.cancel(req, now);
      return;
    }
    const o = this.byId.get(id);
    if (!o || o.acked || o.cum !== 0) {
      this.ignored++;
      return;
    }
    this.finish(o, OrderState.REJECTED);
    this.breakerReject(now);
    this.settle(now);
  }

  canceled(id: bigint, now: bigint): void {
    this.checkKill();
    const o = this.byId.get(id);
    if (!o) {
      this.ignored++;
      return;
    }
    this.finish(o, OrderState.CANCELED);
    this.settle(now);
    this.sendWaiting(now);
  }

  replaced(orig: bigint, next: bigint, now: bigint): void {
    this.checkKill();
    const o = this.byId.get(orig);
    if (!o || o.state !== OrderState.PENDING_REPLACE || o.req !== next) {
      this.ignored++;
      return;
    }
    this.byId.delete(orig);
    this.byReq.delete(next);
    o.id = next;
    o.req = 0n;
    o.reqKind = null;
    o.price = o.reqPrice;
    o.acked = true;
    o.deadline = now + TTL;
    o.state = this.back(o);
    this.byId.set(next, o);
    this.settle(now);
    if (this.trading === TradingState.HALTED) this.cancel(o, now);
  }

  timer(now: bigint): void {
    this.settle(now);
    this.sendWaiting(now);
    for (let i = 0; i < this.highWater; i++) {
      const o = this.slots[i];
      if (!o || (o.state !== OrderState.LIVE && o.state !== OrderState.PARTIALLY_FILLED) || o.deadline > now || o.wanted) continue;
      if (this.reprice) {
        // to the own-side touch when it moved; a refused reprice is counted, then cancelled
        const t = this.touch[o.sym]!;
        const touch = o.side === Side.BUY ? t.bid : t.ask;
        if (touch > 0 && touch !== o.price && this.replace(o, touch, now) === 1) {
          this.reprices++;
          continue;
        }
      }
      this.cancel(o, now);
    }
  }

  nextDeadline(): bigint {
    let min = NO_DEADLINE;
    for (const o of this.open()) {
      if ((o.state === OrderState.LIVE || o.state === OrderState.PARTIALLY_FILLED) && !o.wanted && o.deadline < min) min = o.deadline;
    }
    if (this.waiting > 0) {
      const f = this.nextFree();
      if (f !== null && f < min) min = f;
    }
    return min;
  }
}

// ── the driver ──────────────────────────────────────────────────────────────────────────────────

function pick<T>(r: () => number, xs: readonly T[]): T | undefined {
  return xs.length === 0 ? undefined : xs[Math.floor(r() * xs.length)];
}

function compare(s: Stage, ref: Ref, where: string): void {
  const { core, state } = s;
  const got = take(s);
  assert.equal(got.length, ref.cmds.length, `${where}: commands ${JSON.stringify(got.map((c) => c.type))} vs ${JSON.stringify(ref.cmds.map((c) => c.type))}`);
  const firstId = ref.nextId - BigInt(got.length);
  got.forEach((c, i) => {
    const e = ref.cmds[i]!;
    assert.deepEqual([c.type, c.side, c.symbolId, c.origClOrdId, c.priceTicks, c.qty, c.clOrdId],
      [e.type, e.side, e.symbolId, e.orig, e.price, e.qty, firstId + BigInt(i)], `${where}: command ${i}`);
    assert.equal(c.tif, TimeInForce.GTC);
  });
  ref.cmds = [];
  const ot = core.execOrderTableAddress(state);
  assert.equal(core.orderTableOpenCount(ot), ref.open().length, `${where}: open orders`);
  for (const o of ref.open()) {
    const slot = core.orderTableFind(ot, o.id);
    assert.equal(slot, o.slot, `${where}: slot of ${o.id}`);
    assert.deepEqual(
      [core.orderTableState(ot, slot), core.orderTableCumQty(ot, slot), core.orderTablePrice(ot, slot), core.orderTableQty(ot, slot),
        core.orderTablePendingId(ot, slot), o.acked ? core.orderTableDeadline(ot, slot) : NO_DEADLINE],
      [o.state, o.cum, o.price, o.qty, o.req, o.deadline], `${where}: order ${o.id}`);
  }
  const pos = core.execPositionsAddress(state);
  ref.pos.forEach((p, i) => {
    assert.deepEqual(
      [core.positionsPosition(pos, i), core.positionsCostPaise(pos, i), core.positionsRealizedPaise(pos, i), core.positionsChargesPaise(pos, i)],
      [p.pos, p.cost, p.realized, p.charges], `${where}: position ${i}`);
  });
  assert.equal(core.positionsTotalDayPnlPaise(pos), ref.dayPnl(), `${where}: day P&L`);
  for (let c = 0; c < 16; c++) assert.equal(core.execRefusals(state, c), ref.refusals[c], `${where}: refusals[${c}]`);
  assert.equal(core.execIgnoredReports(state), ref.ignored, `${where}: ignored`);
  assert.equal(core.execWaitingCancels(state), ref.waiting, `${where}: waiting cancels`);
  assert.equal(core.execCancelsWaited(state), ref.waited, `${where}: cancels waited`);
  assert.equal(core.execTradingState(state), ref.kill ? TradingState.HALTED : ref.trading, `${where}: trading state`);
  assert.equal(core.execNextDeadline(state), ref.nextDeadline(), `${where}: next deadline`);
  assert.equal(core.execFaults(state, 0) + core.execFaults(state, 1), 0, `${where}: faults`);
  assert.equal(core.rttWatchdogMode(core.execRttAddress(state)), ref.lockdown ? 1 : 0, `${where}: RTT watchdog mode`);
  assert.equal(core.circuitBreakerMode(core.execBreakerAddress(state)), ref.tripped ? 1 : 0, `${where}: breaker mode`);
}

interface SequenceStats { events: number; fills: number; sends: number; kills: number; reprices: number; trips: number; lockdowns: number; releases: number }

function runSequence(s: Stage, seed: number): SequenceStats {
  const ref = new Ref();
  const { core, state } = s;
  const r = rng(seed);
  for (let i = 0; i < 4; i++) r(); // xorshift's first draws from a small seed are small
  const killable = r() < 0.3;
  ref.reprice = r() < 0.5;
  if (ref.reprice) assert.equal(core.execSetParam(state, ExecParam.TTL_ACTION, BigInt(ExecTtlAction.REPRICE)), 0);
  let kills = 0;
  let slowPhase = false;
  let now = 1n;
  let fills = 0;
  const steps = 20 + Math.floor(r() * 60);
  for (let step = 0; step < steps; step++) {
    // time: often the same instant (bursts that fill the broker windows), sometimes across a TTL or a second
    const dt = r();
    now += dt < 0.3 ? 0n : dt < 0.8 ? BigInt(Math.floor(r() * 50)) * MS : dt < 0.97 ? BigInt(Math.floor(r() * 400)) * MS : 61n * SECOND;
    const where = `seed ${seed} step ${step}`;
    if (r() < 0.06) slowPhase = !slowPhase;
    const e = r();
    const open = ref.open();
    if (e < 0.3 || open.length === 0) {
      const sym = r() < 0.5 ? 0 : 1;
      const lot = SYMS[sym]!.lotSize;
      const t = ref.touch[sym]!;
      if (t.bid === 0) {
        const bid = SYMS[sym]!.around;
        ref.market(sym, bid, bid + 2, now);
        core.execOnMarket(state, sym, bid, 100, bid + 2, 100, 0, now);
        compare(s, ref, `${where} (first book)`);
      }
      const side = r() < 0.5 ? Side.BUY : Side.SELL;
      const price = SYMS[sym]!.around + Math.floor(r() * 11) - 5;
      // quantities at and around the order-size, notional and position limits
      const lots = r() < 0.5 ? 1 + Math.floor(r() * 4) : Math.floor(r() * 12) + (sym === 0 ? 35 : 6);
      const qty = lots * lot;
      const want = ref.submit(sym, side, price, qty, now);
      const got = core.execSubmit(state, sym, side, price, qty, TimeInForce.GTC, ExecFlag.UNGATED, now);
      assert.equal(got, want, `${where}: submit ${side} ${qty}@${price} (core refusal ${core.execLastRefusal(state)})`);
    } else if (e < 0.38) {
      const sym = r() < 0.5 ? 0 : 1;
      const bid = SYMS[sym]!.around + Math.floor(r() * 21) - 10;
      const ask = bid + 1 + Math.floor(r() * 3);
      ref.market(sym, bid, ask, now);
      core.execOnMarket(state, sym, bid, 100, ask, 100, 0, now);
    } else if (e < 0.5) {
      const o = pick(r, open.filter((x) => !x.acked)) ?? pick(r, open)!;
      const id = o.id;
      // fast phases and slow phases (a run of three slow locks down, ten calm after a second release)
      const x = r();
      const rtt = slowPhase ? (x < 0.8 ? 25n * MS : x < 0.9 ? 15n * MS : 500_000n) : (x < 0.95 ? 500_000n : x < 0.98 ? 25n * MS : 15n * MS);
      ref.ack(id, rtt, now);
      core.execOnAck(state, id, 1000n + id, rtt, now);
    } else if (e < 0.64) {
      const o = pick(r, open)!;
      const lot = SYMS[o.sym]!.lotSize;
      const leavesLots = (o.qty - o.cum) / lot;
      const lots = r() < 0.1 ? leavesLots + 1 : 1 + Math.floor(r() * leavesLots); // sometimes an overfill
      const price = o.price + (r() < 0.5 ? 0 : Math.floor(r() * 3) - 1);
      if (lots <= leavesLots) fills++;
      const id = o.id;
      ref.fill(id, price, lots * lot, now);
      core.execOnFill(state, id, price, lots * lot, now);
    } else if (e < 0.71) {
      const o = pick(r, open)!;
      const want = ref.cancel(o, now);
      assert.equal(core.execCancel(state, o.id, now), want, `${where}: cancel`);
    } else if (e < 0.76) {
      const o = pick(r, open)!;
      const price = o.price + (r() < 0.5 ? 1 : -1);
      const want = ref.replace(o, price, now);
      assert.equal(core.execReplace(state, o.id, price, now), want, `${where}: replace (core refusal ${core.execLastRefusal(state)})`);
    } else if (e < 0.84) {
      const pending = open.filter((x) => x.reqKind === 'cancel');
      const o = r() < 0.8 ? pick(r, pending) ?? pick(r, open)! : pick(r, open)!;
      const id = o.id;
      ref.canceled(id, now);
      core.execOnCanceled(state, id, now);
    } else if (e < 0.9) {
      const withReq = open.filter((x) => x.req !== 0n);
      const o = pick(r, open)!;
      const id = withReq.length > 0 && r() < 0.6 ? pick(r, withReq)!.req : o.id;
      ref.reject(id, now);
      core.execOnReject(state, id, 1, now);
    } else if (e < 0.93) {
      const o = pick(r, open.filter((x) => x.reqKind === 'replace'));
      const orig = o ? o.id : open[0]!.id;
      const next = o ? o.req : ref.nextId + 100n;
      ref.replaced(orig, next, now);
      core.execOnReplaced(state, orig, next, 2000n, now);
    } else if (e < 0.96) {
      // a round trip measured on another answer (a Canceled's)
      const rtt = slowPhase ? (r() < 0.85 ? 25n * MS : 15n * MS) : (r() < 0.97 ? 500_000n : 25n * MS);
      ref.rttSample(rtt, now);
      ref.settle(now);
      core.execOnRtt(state, rtt, now);
    } else if (e < 0.985) {
      ref.timer(now);
      core.execOnTimer(state, now);
    } else if (e < 0.99 && killable && !ref.kill) {
      // the kill word, from another thread: nothing happens until the stage's next call reads it
      ref.kill = true;
      Atomics.store(new Int32Array(core.memory.buffer), core.execKillAddress(state) >> 2, 1);
      kills++;
    } else {
      const id = r() < 0.5 ? ref.nextId + 1000n : BigInt(1 + Math.floor(r() * Number(ref.nextId)));
      if (!ref.byId.has(id) && !ref.byReq.has(id)) {
        ref.checkKill();
        ref.ignored += 2;
        core.execOnAck(state, id, 1n, 1000n, now);
        core.execOnCanceled(state, id, now);
      }
    }
    compare(s, ref, where);
  }
  const rtt = core.execRttAddress(state);
  return {
    events: steps, fills, sends: ref.day, kills, reprices: ref.reprices, trips: ref.tripped ? 1 : 0,
    lockdowns: core.rttWatchdogLockdowns(rtt), releases: core.rttWatchdogReleases(rtt),
  };
}

test(`execution stage = the reference on ${SEQUENCES} seeded event sequences`, async () => {
  const s = await stage({
    orderCapacity: CAPACITY, targetOtr: false,
    broker: { perSecond: LIMITS.perSecond, perMinute: LIMITS.perMinute, minuteWindowMs: LIMITS.minuteWindowMs, perDay: LIMITS.perDay },
    risk: {
      maxOrderQty: LIMITS.maxOrderQty, maxNotionalRupees: Number(LIMITS.maxNotionalPaise) / 100, maxPosition: LIMITS.maxPosition,
      maxOpenOrders: LIMITS.maxOpenOrders, maxGrossExposureRupees: Number(LIMITS.maxGrossPaise) / 100,
      dailyLossRupees: Number(LIMITS.dailyLossPaise) / 100,
    },
    circuitBreaker: { maxRejects: BREAKER_REJECTS, windowMs: Number(BREAKER_WINDOW / MS), tripState: 'HALTED' },
    rttWatchdog: { lockdownMs: 20, confirmSamples: 3, releaseMs: 10, releaseSamples: 3, minLockdownMs: 200, lockdownState: 'REDUCING' },
  }, SYMS);
  let events = 0;
  let fills = 0;
  const seen = new Set<number>();
  let maxDay = 0;
  let kills = 0;
  let reprices = 0;
  let trips = 0;
  let lockdowns = 0;
  let releases = 0;
  for (let seed = 1; seed <= SEQUENCES; seed++) {
    initExecution(s.core, s.state, s.cfg, SYMS, 0n);
    const out = runSequence(s, seed);
    events += out.events;
    fills += out.fills;
    maxDay = Math.max(maxDay, out.sends);
    kills += out.kills;
    reprices += out.reprices;
    trips += out.trips;
    lockdowns += out.lockdowns;
    releases += out.releases;
    for (let c = 1; c < 16; c++) if (s.core.execRefusals(s.state, c) > 0) seen.add(c);
  }
  if (process.env.EXEC_REF_STATS) console.log({ events, fills, maxDay, kills, reprices, trips, lockdowns, releases, seen: [...seen].sort((a, b) => a - b) });
  // every risk check, every broker window and the capacity limit were reached somewhere
  for (const code of [
    RiskRefusal.HALTED, RiskRefusal.REDUCE_ONLY, RiskRefusal.MAX_ORDER_QTY, RiskRefusal.MAX_NOTIONAL, RiskRefusal.MAX_POSITION,
    RiskRefusal.MAX_OPEN_ORDERS, RiskRefusal.MAX_GROSS_EXPOSURE, RiskRefusal.RATE_PER_SECOND,
    RiskRefusal.RATE_PER_MINUTE, RiskRefusal.RATE_PER_DAY, ExecRefusal.INVALID,
  ]) assert.ok(seen.has(code), `refusal ${code} never reached`);
  assert.ok(events > 400_000 && fills > 50_000, `${events} events, ${fills} fills`);
  assert.equal(maxDay, LIMITS.perDay, 'some sequence used the whole day cap');
  assert.ok(kills > 100, `${kills} sequences killed`);
  assert.ok(reprices > 1000, `${reprices} orders repriced by the 200 ms rule`);
  assert.ok(trips > 100 && lockdowns > 100 && releases > 10, `${trips} breaker trips, ${lockdowns} RTT lockdowns, ${releases} releases`);
});

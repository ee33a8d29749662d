// Matching: hand-worked scenarios, then seeded random runs against a plain TypeScript
// reference written from the rules in the header of wasm-core/matching.ts (price-time priority,
// STP modes, post-only, IOC, market, replace, pool capacity), events compared one by one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rng, testCore } from '../testkit/core.js';
import type { CoreExports } from '../../host/core/core.js';
import { ConfigError } from '../../host/config/config-error.js';
import {
  drainEvents, EventType, MatchCancelReason, MatchRejectReason, MatchStatus, settle, StpMode, validateMatchingConfig,
  type MatchEvent,
} from '../../host/venue/market/matching.js';
import { NO_PRICE, OrderKind, Side, TimeInForce } from '../../host/model/vocabulary.js';

/** Book sides in the vocabulary's terms: the bid side is BUY, the ask side SELL. */
const { BUY: BID, SELL: ASK } = Side;
const { LIMIT, MARKET } = OrderKind;
const { GTC, IOC, POST_ONLY } = TimeInForce;
const STATE = 65536;
const NOW = 1_000_000_000n;

interface Opts { capacity?: number; levels?: number; basePrice?: number; stp?: number; ringSlots?: number }

/** One matching state over its own memory, with the event ring drained into `events` after every call. */
class Venue {
  readonly ring: number;
  events: MatchEvent[] = [];
  constructor(readonly core: CoreExports, readonly memory: WebAssembly.Memory, o: Opts = {}) {
    const capacity = o.capacity ?? 1024;
    const levels = o.levels ?? 1024;
    const bytes = core.matchBytes(capacity, levels);
    assert.ok(bytes > 0);
    this.ring = STATE + Math.ceil(bytes / 64) * 64;
    assert.ok(this.ring + core.ringBytes(o.ringSlots ?? 1024) <= memory.buffer.byteLength, 'memory large enough');
    assert.equal(core.ringInit(this.ring, o.ringSlots ?? 1024), 0);
    assert.equal(core.matchInit(STATE, capacity, levels, o.basePrice ?? 900, o.stp ?? StpMode.NONE), 0);
  }
  static async create(o: Opts = {}): Promise<Venue> {
    // State, ring and a snapshot area past the ring, with room to spare.
    const need = STATE + ((o.capacity ?? 1024) + 1) * 32 + (o.levels ?? 1024) * 64 + (o.ringSlots ?? 1024) * 64 + (1 << 20);
    const { core, memory } = await testCore(need);
    return new Venue(core, memory, o);
  }
  drain = (): void => { drainEvents(this.core, this.memory, this.ring, (e) => this.events.push(e)); };
  private done(status: number): number {
    const s = settle(this.core, STATE, this.ring, status, this.drain);
    this.drain();
    return s;
  }
  submit(owner: number, side: number, kind: number, tif: number, price: number, qty: number, ref = 0): number {
    return this.done(this.core.matchSubmit(STATE, this.ring, owner, ref, side, kind, tif, price, qty, NOW));
  }
  limit(side: number, price: number, qty: number, owner = 0, tif: number = GTC): number {
    return this.submit(owner, side, LIMIT, tif, price, qty);
  }
  market(side: number, qty: number, owner = 0): number {
    return this.submit(owner, side, MARKET, GTC, 0, qty);
  }
  cancel(id: number, ref = 0): number {
    return this.done(this.core.matchCancel(STATE, this.ring, id, ref, NOW));
  }
  replace(id: number, price: number, qty: number, ref = 0): number {
    return this.done(this.core.matchReplace(STATE, this.ring, id, price, qty, ref, NOW));
  }
  take(): MatchEvent[] { const e = this.events; this.events = []; return e; }
  fills(): { maker: number; taker: number; price: number; qty: number }[] {
    return this.take().filter((e) => e.type === EventType.FILL).map((e) => ({ maker: e.id, taker: e.id2, price: e.price, qty: e.qty }));
  }
  leaves(id: number): number { return this.core.matchOrderLeaves(STATE, id); }
  ahead(id: number): number { return Number(this.core.matchQueueAhead(STATE, id)); }
  levelQty(side: number, price: number): number { return Number(this.core.matchLevelQty(STATE, side, price)); }
  snapshot(depth: number): [number, number, number, number][] {
    const dst = this.ring + this.core.ringBytes(this.core.ringCapacity(this.ring));
    this.core.matchSnapshot(STATE, dst, depth);
    const v = new Int32Array(this.memory.buffer, dst, depth * 4);
    return Array.from({ length: depth }, (_, i) => [v[4 * i]!, v[4 * i + 1]!, v[4 * i + 2]!, v[4 * i + 3]!]);
  }
}

test('price-time priority: better price first, then first come first served', async () => {
  const v = await Venue.create();
  const a1 = v.limit(ASK, 1010, 5, 1);
  const a2 = v.limit(ASK, 1010, 7, 2);
  const a3 = v.limit(ASK, 1009, 4, 3);
  const a4 = v.limit(ASK, 1010, 6, 4);
  v.take();
  // Buy 20 at 1010: 4 @1009 (a3), then 5 (a1), 7 (a2), 4 of a4's 6 → 20; a4 keeps 2.
  assert.equal(v.limit(BID, 1010, 20, 9), 0);
  const fills = v.fills();
  assert.deepEqual(fills.map((f) => [f.maker, f.price, f.qty]), [[a3, 1009, 4], [a1, 1010, 5], [a2, 1010, 7], [a4, 1010, 4]]);
  assert.equal(v.leaves(a4), 2);
  assert.equal(v.leaves(a1), -1);
  assert.equal(v.core.matchBestAsk(STATE), 1010);
  assert.equal(v.core.matchBestBid(STATE), NO_PRICE);
  assert.equal(v.core.matchOrderCount(STATE), 1);
});

test('ids are never 0, below 2^31, and every event echoes clientRef and the timestamp', async () => {
  const v = await Venue.create({ capacity: 1 << 20, levels: 64 });
  const id = v.submit(7, BID, LIMIT, GTC, 951, 3, 0xdeadbeef);
  assert.ok(id > 0 && id < 2 ** 31);
  // Rests at once: a single ACCEPTED that carries the level it joined.
  const [acc, ...rest] = v.take();
  assert.equal(rest.length, 0);
  assert.equal(acc!.type, EventType.ACCEPTED);
  assert.equal(acc!.clientRef, 0xdeadbeef);
  assert.equal(acc!.nowNs, NOW);
  assert.deepEqual([acc!.id, acc!.owner, acc!.side, acc!.price, acc!.qty], [id, 7, BID, 951, 3]);
  assert.deepEqual([acc!.leaves, acc!.level, acc!.levelQty, acc!.levelPrice, acc!.levelOrders, acc!.tif], [3, true, 3, 951, 1, GTC]);
  // One that crosses first: ACCEPTED without a level, then the fill and the rest.
  v.limit(ASK, 952, 1);
  v.take();
  const id2 = v.submit(7, BID, LIMIT, GTC, 953, 5, 9);
  const ev = v.take();
  assert.deepEqual(ev.map((e) => [e.type, e.level]), [[EventType.ACCEPTED, false], [EventType.FILL, true], [EventType.RESTED, true]]);
  assert.deepEqual([ev[2]!.id, ev[2]!.qty, ev[2]!.leaves, ev[2]!.levelQty, ev[2]!.levelPrice], [id2, 5, 4, 4, 953]);
});

test('partial fills leave the maker at the head with its leaves; events carry both leaves and the level total', async () => {
  const v = await Venue.create();
  const m = v.limit(BID, 1000, 10, 1);
  const m2 = v.limit(BID, 1000, 3, 2);
  v.take();
  assert.equal(v.limit(ASK, 1000, 4, 5), 0);
  const ev = v.take();
  assert.deepEqual(ev.map((e) => e.type), [EventType.ACCEPTED, EventType.FILL]);
  const f = ev[1]!;
  // Maker 10 − 4 = 6 left; taker 0; level 13 − 4 = 9 with both orders still there.
  assert.deepEqual([f.id, f.owner, f.owner2, f.side, f.price, f.qty, f.leaves, f.leaves2, f.levelQty, f.levelOrders],
    [m, 1, 5, BID, 1000, 4, 6, 0, 9, 2]);
  assert.equal(v.ahead(m2), 6);
  // Sell 8 at 999: 6 from m (level 9 → 3), then 2 of m2's 3, nothing rests.
  assert.equal(v.limit(ASK, 999, 8), 0);
  assert.deepEqual(v.fills().map((x) => [x.maker, x.qty]), [[m, 6], [m2, 2]]);
  assert.equal(v.leaves(m2), 1);
  assert.equal(v.levelQty(BID, 1000), 1);
});

test('IOC: the unfilled remainder is canceled, nothing rests', async () => {
  const v = await Venue.create();
  v.limit(ASK, 1005, 3);
  v.take();
  assert.equal(v.limit(BID, 1006, 10, 0, IOC), 0);
  const ev = v.take();
  assert.deepEqual(ev.map((e) => e.type), [EventType.ACCEPTED, EventType.FILL, EventType.CANCELED]);
  assert.deepEqual([ev[2]!.reason, ev[2]!.qty, ev[2]!.level], [MatchCancelReason.IOC, 7, false]);
  assert.equal(v.core.matchOrderCount(STATE), 0);
  assert.equal(v.core.matchBestBid(STATE), NO_PRICE);
  // An IOC that crosses nothing is canceled whole.
  assert.equal(v.limit(BID, 1000, 4, 0, IOC), 0);
  assert.deepEqual(v.take().map((e) => [e.type, e.reason, e.qty]), [[EventType.ACCEPTED, 0, 4], [EventType.CANCELED, MatchCancelReason.IOC, 4]]);
});

test('post-only: rejected when it would cross (nothing changes), rests otherwise', async () => {
  const v = await Venue.create();
  const a = v.limit(ASK, 1005, 3);
  v.take();
  assert.equal(v.limit(BID, 1005, 2, 0, POST_ONLY), MatchStatus.POST_ONLY_WOULD_CROSS);
  const [rej] = v.take();
  assert.deepEqual([rej!.type, rej!.reason, rej!.price, rej!.qty], [EventType.REJECTED, MatchRejectReason.POST_ONLY_WOULD_CROSS, 1005, 2]);
  assert.equal(v.leaves(a), 3);
  const p = v.limit(BID, 1004, 2, 0, POST_ONLY);
  assert.ok(p > 0);
  assert.equal(v.core.matchBestBid(STATE), 1004);
});

test('market order sweeps levels in price order and cancels what finds no liquidity', async () => {
  const v = await Venue.create();
  const ids = [v.limit(ASK, 1003, 2), v.limit(ASK, 1001, 1), v.limit(ASK, 1002, 4), v.limit(ASK, 1001, 3)];
  v.take();
  assert.equal(v.market(BID, 12, 9), 0);
  const ev = v.take();
  assert.deepEqual(ev.filter((e) => e.type === EventType.FILL).map((e) => [e.id, e.price, e.qty, e.levelQty]),
    [[ids[1], 1001, 1, 3], [ids[3], 1001, 3, 0], [ids[2], 1002, 4, 0], [ids[0], 1003, 2, 0]]);
  const last = ev.at(-1)!;
  assert.deepEqual([last.type, last.reason, last.qty], [EventType.CANCELED, MatchCancelReason.MARKET_NO_LIQUIDITY, 2]);
  assert.equal(ev[0]!.price, NO_PRICE, 'a market order has no price');
  assert.equal(v.core.matchBestAsk(STATE), NO_PRICE);
  assert.equal(v.market(ASK, 5), 0);
  assert.deepEqual(v.take().map((e) => [e.type, e.reason]), [[EventType.ACCEPTED, 0], [EventType.CANCELED, MatchCancelReason.MARKET_NO_LIQUIDITY]]);
  assert.equal(v.submit(0, BID, MARKET, POST_ONLY, 0, 1), MatchStatus.BAD_TIF);
});

test('replace keeps priority only when the quantity goes down at the same price', async () => {
  const v = await Venue.create();
  const a = v.limit(BID, 1000, 5);
  const b = v.limit(BID, 1000, 7);
  const c = v.limit(BID, 1000, 2);
  v.take();
  assert.equal(v.ahead(c), 12);
  // b 7 → 4 at the same price: same id, same place; c now has 5 + 4 ahead.
  assert.equal(v.replace(b, 1000, 4), b);
  const [r] = v.take();
  assert.deepEqual([r!.type, r!.id, r!.id2, r!.qty, r!.levelQty, r!.levelOrders], [EventType.REPLACED, b, b, 4, 11, 3]);
  assert.equal(v.ahead(b), 5);
  assert.equal(v.ahead(c), 9);
  // a 5 → 6 at the same price: new id, to the back of the queue.
  const a2 = v.replace(a, 1000, 6);
  assert.ok(a2 > 0 && a2 !== a);
  assert.equal(v.leaves(a), -1, 'old id is gone');
  assert.equal(v.ahead(a2), 6);
  assert.equal(v.ahead(b), 0);
  // b to 999: new id, alone at 999.
  const b2 = v.replace(b, 999, 4);
  assert.notEqual(b2, b);
  assert.equal(v.ahead(b2), 0);
  assert.equal(v.ahead(a2), 2);
  // A replace that crosses matches like a new order: a resting ask at 1001, c moved to 1001 buys it.
  const ask = v.limit(ASK, 1001, 1);
  v.take();
  const c2 = v.replace(c, 1001, 2);
  const ev = v.take();
  assert.deepEqual(ev.map((e) => e.type), [EventType.REPLACED, EventType.FILL, EventType.RESTED]);
  assert.deepEqual([ev[0]!.levelPrice, ev[0]!.levelQty], [1000, 6], 'REPLACED reports the level it left');
  assert.deepEqual([ev[1]!.id, ev[1]!.id2], [ask, c2]);
  assert.equal(v.leaves(c2), 1);
  // A post-only order replaced to a crossing price is refused and stays as it was.
  const po = v.limit(ASK, 1010, 3, 0, POST_ONLY);
  assert.equal(v.replace(po, 1001, 3), MatchStatus.POST_ONLY_WOULD_CROSS);
  assert.equal(v.leaves(po), 3);
  assert.equal(v.replace(po, 2000000, 3), MatchStatus.OUT_OF_BAND);
  assert.equal(v.replace(po, 1010, 0), MatchStatus.BAD_QTY);
  assert.equal(v.replace(a, 1000, 1), MatchStatus.UNKNOWN_ORDER);
});

test('self-trade prevention: each mode', async () => {
  const scenario = async (stp: number) => {
    const v = await Venue.create({ stp });
    const own = v.limit(ASK, 1001, 5, 7);
    const other = v.limit(ASK, 1001, 5, 8);
    v.take();
    const st = v.limit(BID, 1001, 8, 7);
    return { v, own, other, st, ev: v.take() };
  };
  {
    const { v, own, other, ev } = await scenario(StpMode.NONE);
    assert.deepEqual(ev.filter((e) => e.type === EventType.FILL).map((e) => [e.id, e.qty]), [[own, 5], [other, 3]]);
    assert.equal(v.leaves(other), 2);
  }
  {
    // cancel-taker: the taker's 8 is canceled at once, nothing trades.
    const { v, own, other, st, ev } = await scenario(StpMode.CANCEL_TAKER);
    assert.equal(st, 0);
    assert.deepEqual(ev.map((e) => [e.type, e.reason, e.qty]), [[EventType.ACCEPTED, 0, 8], [EventType.CANCELED, MatchCancelReason.STP, 8]]);
    assert.equal(v.leaves(own), 5);
    assert.equal(v.leaves(other), 5);
  }
  {
    // cancel-maker: own 5 canceled (level 10 → 5), then 5 bought from other, 3 rest at 1001.
    const { v, own, other, st, ev } = await scenario(StpMode.CANCEL_MAKER);
    assert.deepEqual(ev.map((e) => [e.type, e.id, e.reason, e.qty]),
      [[EventType.ACCEPTED, st, 0, 8], [EventType.CANCELED, own, MatchCancelReason.STP, 5], [EventType.FILL, other, 0, 5], [EventType.RESTED, st, 0, 8]]);
    assert.equal(ev[1]!.levelQty, 5);
    assert.equal(v.leaves(st), 3);
    assert.equal(v.core.matchBestBid(STATE), 1001);
  }
  {
    // cancel-both: own canceled and the taker's remainder too.
    const { v, own, other, st, ev } = await scenario(StpMode.CANCEL_BOTH);
    assert.equal(st, 0);
    assert.deepEqual(ev.map((e) => [e.type, e.reason, e.qty]),
      [[EventType.ACCEPTED, 0, 8], [EventType.CANCELED, MatchCancelReason.STP, 5], [EventType.CANCELED, MatchCancelReason.STP, 8]]);
    assert.equal(ev[1]!.id, own);
    assert.equal(v.leaves(other), 5);
  }
  {
    // Owner 0 has no identity: never prevented.
    const v = await Venue.create({ stp: StpMode.CANCEL_BOTH });
    v.limit(ASK, 1001, 5, 0);
    v.take();
    v.limit(BID, 1001, 5, 0);
    assert.equal(v.fills().length, 1);
  }
});

test('pool exhaustion: a limit that would rest is rejected before anything happens', async () => {
  const v = await Venue.create({ capacity: 3 });
  const ids = [v.limit(BID, 1000, 5), v.limit(BID, 999, 5), v.limit(ASK, 1010, 5)];
  v.take();
  const snapBefore = v.snapshot(4);
  assert.equal(v.limit(BID, 1001, 5), MatchStatus.POOL_FULL);
  assert.equal(v.limit(ASK, 1005, 2, 0, POST_ONLY), MatchStatus.POOL_FULL);
  assert.deepEqual(v.take().map((e) => [e.type, e.reason]), [[EventType.REJECTED, MatchRejectReason.POOL_FULL], [EventType.REJECTED, MatchRejectReason.POOL_FULL]]);
  assert.deepEqual(v.snapshot(4), snapBefore, 'book untouched');
  assert.equal(v.core.matchOrderCount(STATE), 3);
  // IOC and market orders never need a record of their own.
  assert.equal(v.limit(ASK, 1000, 2, 0, IOC), 0);
  assert.equal(v.market(ASK, 1), 0);
  assert.equal(v.leaves(ids[0]!), 2);
  v.take();
  // A crossing GTC either fills completely or frees a maker's record before it rests: accepted.
  const big = v.limit(ASK, 999, 10);
  assert.ok(big > 0);
  assert.deepEqual(v.fills().map((f) => [f.maker, f.qty]), [[ids[0], 2], [ids[1], 5]]);
  assert.equal(v.leaves(big), 3);
  assert.equal(v.core.matchOrderCount(STATE), 2);
  // Replace never needs a free record.
  v.limit(BID, 990, 1);
  assert.equal(v.core.matchOrderCount(STATE), 3);
  assert.ok(v.replace(ids[2]!, 1012, 9) > 0);
});

test('a stale id is refused after its record is reused', async () => {
  const v = await Venue.create({ capacity: 1 });
  const a = v.limit(BID, 1000, 5);
  assert.equal(v.cancel(a), 0);
  const b = v.limit(BID, 1000, 5);
  assert.notEqual(a, b);
  assert.equal(a & 1, b & 1, 'same record (slot bit), other generation');
  assert.equal(v.cancel(a), MatchStatus.UNKNOWN_ORDER);
  assert.equal(v.replace(a, 1000, 1), MatchStatus.UNKNOWN_ORDER);
  assert.equal(v.leaves(a), -1);
  assert.equal(v.core.matchQueueAhead(STATE, a), -1n);
  assert.equal(v.leaves(b), 5);
  assert.equal(v.cancel(0), MatchStatus.UNKNOWN_ORDER);
  assert.equal(v.cancel(0x7fffffff), MatchStatus.UNKNOWN_ORDER);
  v.take();
  // Many reuses of the same records: every id distinct while alive.
  const seen = new Set<number>([a, b]);
  v.cancel(b);
  for (let i = 0; i < 5000; i++) {
    const id = v.limit(ASK, 1001, 1);
    assert.ok(!seen.has(id));
    seen.add(id);
    v.cancel(id);
  }
});

test('bad arguments and out-of-band prices are rejected with their status and a REJECTED event', async () => {
  const v = await Venue.create({ levels: 64, basePrice: 1000 });
  assert.equal(v.limit(BID, 999, 1), MatchStatus.OUT_OF_BAND);
  assert.equal(v.limit(ASK, 1064, 1), MatchStatus.OUT_OF_BAND);
  assert.ok(v.limit(ASK, 1063, 1) > 0);
  assert.ok(v.limit(BID, 1000, 1) > 0);
  assert.equal(v.limit(2, 1000, 1), MatchStatus.BAD_SIDE);
  assert.equal(v.submit(0, BID, 2, GTC, 1000, 1), MatchStatus.BAD_KIND);
  assert.equal(v.submit(0, BID, LIMIT, 3, 1000, 1), MatchStatus.BAD_TIF);
  assert.equal(v.limit(BID, 1000, 0), MatchStatus.BAD_QTY);
  assert.equal(v.limit(BID, 1000, -3), MatchStatus.BAD_QTY);
  const rej = v.take().filter((e) => e.type === EventType.REJECTED).map((e) => e.reason);
  assert.deepEqual(rej, [5, 5, 1, 2, 3, 4, 4]);
  assert.equal(v.core.matchResume(STATE, v.ring), MatchStatus.NOTHING_PENDING);
  // Init refuses what would corrupt state.
  assert.equal(v.core.matchInit(STATE, 0, 64, 0, 0), MatchStatus.BAD_CAPACITY);
  assert.equal(v.core.matchInit(STATE, 4, 100, 0, 0), MatchStatus.BAD_LEVELS);
  assert.equal(v.core.matchInit(STATE + 8, 4, 64, 0, 0), MatchStatus.MISALIGNED);
  assert.equal(v.core.matchInit(STATE, 4, 64, 2147483600, 0), MatchStatus.BAD_BAND);
  assert.equal(v.core.matchInit(STATE, 4, 64, 0, 4), MatchStatus.BAD_STP);
  assert.equal(v.core.matchBytes(0, 64), 0);
});

test('host config validation names the key', () => {
  const ok = { capacity: 1000, levels: 4096, basePrice: 100, stp: 'cancel-maker' } as const;
  assert.deepEqual(validateMatchingConfig(ok), ok);
  const bad = (patch: object, key: string) => assert.throws(() => validateMatchingConfig({ ...ok, ...patch } as never, 'venue.X'),
    (e: unknown) => e instanceof ConfigError && e.key === key);
  bad({ capacity: 0 }, 'venue.X.capacity');
  bad({ capacity: 2 ** 21 }, 'venue.X.capacity');
  bad({ levels: 1000 }, 'venue.X.levels');
  bad({ basePrice: 2 ** 31 - 10 }, 'venue.X.basePrice');
  bad({ basePrice: 1.5 }, 'venue.X.basePrice');
  bad({ stp: 'expire' }, 'venue.X.stp');
});

test('NEED_DRAIN: a sweep through a 2-slot ring parks, resumes and loses nothing', async () => {
  const build = async (ringSlots: number) => {
    const v = await Venue.create({ ringSlots, stp: StpMode.CANCEL_MAKER });
    for (let i = 0; i < 40; i++) v.limit(ASK, 1001 + (i % 7), 1 + (i % 5), i % 3 === 0 ? 5 : 6);
    v.take();
    return v;
  };
  const big = await build(1024);
  const tiny = await build(2);
  assert.equal(big.limit(BID, 1007, 200, 5), tiny.limit(BID, 1007, 200, 5));
  const a = big.take();
  const b = tiny.take();
  assert.ok(a.length > 40);
  assert.deepEqual(b, a);
  // By hand: the call answers NEED_DRAIN, other calls are BUSY until it is resumed to the end.
  const t = await build(2);
  const { core } = t;
  let st = core.matchSubmit(STATE, t.ring, 5, 42, BID, MARKET, IOC, 0, 1000, NOW);
  assert.equal(st, MatchStatus.NEED_DRAIN);
  assert.equal(core.matchPending(STATE), 1);
  assert.equal(core.matchCancel(STATE, t.ring, 1, 0, NOW), MatchStatus.BUSY);
  assert.equal(core.matchSubmit(STATE, t.ring, 0, 0, BID, LIMIT, GTC, 1000, 1, NOW), MatchStatus.BUSY);
  assert.equal(core.matchResume(STATE, t.ring), MatchStatus.NEED_DRAIN, 'ring still full');
  let rounds = 0;
  while (st === MatchStatus.NEED_DRAIN) {
    t.drain();
    st = core.matchResume(STATE, t.ring);
    rounds++;
  }
  t.drain();
  assert.equal(st, 0);
  assert.ok(rounds > 10);
  const ev = t.take();
  assert.ok(ev.every((e) => e.clientRef === 42));
  assert.equal(ev.at(-1)!.type, EventType.CANCELED);
  assert.equal(core.matchBestAsk(STATE), NO_PRICE);
  // Cancel and replace park too when the ring is full at entry.
  const u = await Venue.create({ ringSlots: 2 });
  const id = u.limit(BID, 1000, 5);
  assert.ok(u.core.matchSubmit(STATE, u.ring, 0, 0, BID, LIMIT, GTC, 1000, 1, NOW) > 0, 'one event, not drained');
  assert.ok(u.core.matchSubmit(STATE, u.ring, 0, 0, BID, LIMIT, GTC, 1000, 1, NOW) > 0, 'two events, not drained');
  assert.equal(u.core.matchCancel(STATE, u.ring, id, 0, NOW), MatchStatus.NEED_DRAIN, 'two undrained events fill the ring');
  assert.equal(u.leaves(id), 5, 'nothing done yet');
  u.drain();
  assert.equal(u.core.matchResume(STATE, u.ring), 0);
  assert.equal(u.leaves(id), -1);
  // Submit and replace parked at entry run in full on resume and answer what they would have.
  u.take();
  assert.ok(u.core.matchSubmit(STATE, u.ring, 0, 0, ASK, LIMIT, GTC, 1010, 2, NOW) > 0);
  assert.equal(u.core.matchSubmit(STATE, u.ring, 3, 77, ASK, LIMIT, GTC, 1011, 4, NOW), MatchStatus.NEED_DRAIN);
  u.drain();
  assert.equal(u.core.matchSubmit(STATE, u.ring, 0, 0, BID, LIMIT, GTC, 990, 1, NOW), MatchStatus.BUSY);
  const parked = u.core.matchResume(STATE, u.ring);
  assert.ok(parked > 0);
  assert.equal(u.levelQty(ASK, 1011), 4);
  u.drain();
  u.core.matchSubmit(STATE, u.ring, 0, 0, ASK, LIMIT, GTC, 1012, 1, NOW);
  u.core.matchSubmit(STATE, u.ring, 0, 0, ASK, LIMIT, GTC, 1013, 1, NOW);
  assert.equal(u.core.matchReplace(STATE, u.ring, parked, 1000, 4, 78, NOW), MatchStatus.NEED_DRAIN);
  assert.equal(u.leaves(parked), 4, 'not yet replaced');
  u.drain();
  // Re-queued at 1000 against the two 1-lot bids there: REPLACED, FILL, (ring full) FILL, RESTED 2.
  const half = u.core.matchResume(STATE, u.ring);
  assert.equal(half, MatchStatus.NEED_DRAIN);
  const requeued = settle(u.core, STATE, u.ring, half, u.drain);
  u.drain();
  assert.ok(requeued > 0 && requeued !== parked);
  assert.equal(u.leaves(requeued), 2);
  const mine = u.take().filter((e) => e.clientRef === 77 || e.clientRef === 78);
  assert.deepEqual(mine.map((e) => e.type), [EventType.ACCEPTED, EventType.REPLACED, EventType.FILL, EventType.FILL, EventType.RESTED]);
});

test('queue-ahead is the sum of earlier orders, and the order fills only once they are gone', async () => {
  const v = await Venue.create();
  const r = rng(99);
  const before: number[] = [];
  for (let i = 0; i < 25; i++) before.push(v.limit(ASK, 1050, 1 + Math.floor(r() * 9)));
  const target = v.limit(ASK, 1050, 4);
  const after = v.limit(ASK, 1050, 3);
  // Cancel a few of the earlier ones (middle of the FIFO) and reduce another in place.
  v.cancel(before[3]!);
  v.cancel(before[17]!);
  v.replace(before[10]!, 1050, 1);
  const live = before.filter((id) => v.leaves(id) > 0);
  const sum = () => live.reduce((s, id) => s + Math.max(0, v.leaves(id)), 0);
  assert.equal(v.ahead(target), sum());
  assert.equal(v.ahead(after), sum() + 4);
  v.take();
  // Take liquidity one lot at a time: the target is untouched until nothing is ahead of it.
  const initialAhead = v.ahead(target);
  let lots = 0;
  while (v.ahead(target) > 0) {
    const ahead = v.ahead(target);
    assert.equal(v.leaves(target), 4);
    v.market(BID, 1);
    lots++;
    assert.equal(v.ahead(target), ahead - 1);
    assert.ok(v.fills().every((f) => f.maker !== target));
  }
  assert.equal(lots, initialAhead);
  v.market(BID, 1);
  assert.deepEqual(v.fills().map((f) => f.maker), [target]);
  assert.equal(v.leaves(target), 3);
  assert.equal(v.ahead(after), 3);
});

// ── seeded random runs against a reference ──────────────────────────────────────────────────────

interface ROrder { id: number; owner: number; side: number; price: number; leaves: number; qty: number; postOnly: boolean }
type REvent = Pick<MatchEvent, 'type' | 'side' | 'reason' | 'id' | 'id2' | 'owner' | 'owner2' | 'price' | 'qty' | 'leaves' | 'leaves2' | 'level' | 'levelQty' | 'levelPrice' | 'levelOrders'>;

/** Plain reference: per side a Map price → FIFO array; best by scanning keys. Slow, obvious. */
class Reference {
  readonly book = [new Map<number, ROrder[]>(), new Map<number, ROrder[]>()];
  readonly byId = new Map<number, ROrder>();
  out: REvent[] = [];
  constructor(readonly stp: number, readonly capacity: number, readonly lo: number, readonly hi: number) {}
  private ev(e: Partial<REvent> & Pick<REvent, 'type'>): void {
    this.out.push({
      side: 0, reason: 0, id: 0, id2: 0, owner: 0, owner2: 0, price: 0, qty: 0, leaves: 0, leaves2: 0,
      level: false, levelQty: 0, levelPrice: NO_PRICE, levelOrders: 0, ...e,
    });
  }
  private level(side: number, price: number) {
    const q = this.book[side]!.get(price) ?? [];
    return { level: true, levelPrice: price, levelQty: q.reduce((s, o) => s + o.leaves, 0), levelOrders: q.length };
  }
  best(side: number): number | undefined {
    const ps = [...this.book[side]!.keys()];
    if (ps.length === 0) return undefined;
    return side === BID ? Math.max(...ps) : Math.min(...ps);
  }
  private crosses(side: number, price: number): boolean {
    const b = this.best(side ^ 1);
    return b !== undefined && (side === BID ? b <= price : b >= price);
  }
  private remove(o: ROrder): void {
    const q = this.book[o.side]!.get(o.price)!;
    q.splice(q.indexOf(o), 1);
    if (q.length === 0) this.book[o.side]!.delete(o.price);
    this.byId.delete(o.id);
  }
  private add(o: ROrder): void {
    const m = this.book[o.side]!;
    if (!m.has(o.price)) m.set(o.price, []);
    m.get(o.price)!.push(o);
    this.byId.set(o.id, o);
  }
  /** Matches taker t (id known) and rests/cancels its remainder. Returns the resting id or 0. */
  private run(t: ROrder, market: boolean, ioc: boolean): number {
    let stpHit = false;
    const opp = t.side ^ 1;
    while (t.leaves > 0) {
      const bp = this.best(opp);
      if (bp === undefined || (!market && (t.side === BID ? bp > t.price : bp < t.price))) break;
      const m = this.book[opp]!.get(bp)![0]!;
      if (this.stp !== StpMode.NONE && t.owner !== 0 && m.owner === t.owner) {
        if (this.stp === StpMode.CANCEL_TAKER) { stpHit = true; break; }
        this.remove(m);
        this.ev({ type: EventType.CANCELED, side: opp, reason: MatchCancelReason.STP, id: m.id, owner: m.owner, price: bp, qty: m.leaves, ...this.level(opp, bp) });
        if (this.stp === StpMode.CANCEL_BOTH) { stpHit = true; break; }
        continue;
      }
      const fill = Math.min(t.leaves, m.leaves);
      t.leaves -= fill;
      m.leaves -= fill;
      if (m.leaves === 0) this.remove(m);
      this.ev({ type: EventType.FILL, side: opp, id: m.id, id2: t.id, owner: m.owner, owner2: t.owner, price: bp, qty: fill, leaves: m.leaves, leaves2: t.leaves, ...this.level(opp, bp) });
    }
    if (t.leaves === 0) return 0;
    if (!stpHit && !market && !ioc) {
      this.add(t);
      this.ev({ type: EventType.RESTED, side: t.side, id: t.id, owner: t.owner, price: t.price, qty: t.qty, leaves: t.leaves, ...this.level(t.side, t.price) });
      return t.id;
    }
    const reason = stpHit ? MatchCancelReason.STP : market ? MatchCancelReason.MARKET_NO_LIQUIDITY : MatchCancelReason.IOC;
    this.ev({ type: EventType.CANCELED, side: t.side, reason, id: t.id, owner: t.owner, price: market ? NO_PRICE : t.price, qty: t.leaves });
    return 0;
  }
  submit(owner: number, side: number, kind: number, tif: number, price: number, qty: number, newId: () => number): number {
    const rej = (status: number) => { this.ev({ type: EventType.REJECTED, side, reason: -status, owner, price, qty }); return status; };
    if (qty <= 0) return rej(MatchStatus.BAD_QTY);
    const market = kind === MARKET;
    if (!market) {
      if (price < this.lo || price > this.hi) return rej(MatchStatus.OUT_OF_BAND);
      if (tif === POST_ONLY && this.crosses(side, price)) return rej(MatchStatus.POST_ONLY_WOULD_CROSS);
      if (tif !== IOC && this.byId.size >= this.capacity && !this.crosses(side, price)) return rej(MatchStatus.POOL_FULL);
    }
    const t: ROrder = { id: newId(), owner, side, price: market ? NO_PRICE : price, leaves: qty, qty, postOnly: tif === POST_ONLY };
    if (!market && tif !== IOC && !this.crosses(side, price)) {
      // Rests at once: the ACCEPTED carries the level.
      this.add(t);
      this.ev({ type: EventType.ACCEPTED, side, id: t.id, owner, price, qty, leaves: qty, ...this.level(side, price) });
      return t.id;
    }
    this.ev({ type: EventType.ACCEPTED, side, id: t.id, owner, price: t.price, qty, leaves: qty });
    return this.run(t, market, tif === IOC);
  }
  cancel(id: number): number {
    const o = this.byId.get(id);
    if (!o) { this.ev({ type: EventType.REJECTED, reason: -MatchStatus.UNKNOWN_ORDER, id }); return MatchStatus.UNKNOWN_ORDER; }
    this.remove(o);
    this.ev({ type: EventType.CANCELED, side: o.side, reason: MatchCancelReason.USER, id, owner: o.owner, price: o.price, qty: o.leaves, ...this.level(o.side, o.price) });
    return 0;
  }
  replace(id: number, price: number, qty: number, newId: () => number): number {
    const o = this.byId.get(id);
    if (!o) { this.ev({ type: EventType.REJECTED, reason: -MatchStatus.UNKNOWN_ORDER, id, price, qty }); return MatchStatus.UNKNOWN_ORDER; }
    const rej = (status: number) => { this.ev({ type: EventType.REJECTED, side: o.side, reason: -status, id, owner: o.owner, price, qty }); return status; };
    if (qty <= 0) return rej(MatchStatus.BAD_QTY);
    if (price < this.lo || price > this.hi) return rej(MatchStatus.OUT_OF_BAND);
    if (price === o.price && qty <= o.leaves) {
      o.leaves = qty;
      o.qty = qty;
      this.ev({ type: EventType.REPLACED, side: o.side, id, id2: id, owner: o.owner, price, qty, leaves: qty, ...this.level(o.side, price) });
      return id;
    }
    if (o.postOnly && this.crosses(o.side, price)) return rej(MatchStatus.POST_ONLY_WOULD_CROSS);
    this.remove(o);
    const t: ROrder = { ...o, id: newId(), price, leaves: qty, qty };
    this.ev({ type: EventType.REPLACED, side: o.side, id, id2: t.id, owner: o.owner, price, qty, leaves: qty, ...this.level(o.side, o.price) });
    return this.run(t, false, false);
  }
}

const strip = (e: MatchEvent): REvent => ({
  type: e.type, side: e.side, reason: e.reason, id: e.id, id2: e.id2, owner: e.owner, owner2: e.owner2, price: e.price, qty: e.qty,
  leaves: e.leaves, leaves2: e.leaves2, level: e.level, levelQty: e.levelQty, levelPrice: e.levelPrice, levelOrders: e.levelOrders,
});

for (const [stp, capacity, ringSlots] of [
  [StpMode.NONE, 4096, 1024], [StpMode.CANCEL_TAKER, 4096, 1024], [StpMode.CANCEL_MAKER, 8, 1024], [StpMode.CANCEL_BOTH, 4096, 4],
] as const) {
  test(`random orders agree with the reference event by event (stp ${stp}, capacity ${capacity}, ring ${ringSlots})`, async () => {
    const base = 5000;
    const levels = 128;
    const v = await Venue.create({ stp, capacity, ringSlots, levels, basePrice: base });
    const ref = new Reference(stp, capacity, base, base + levels - 1);
    const r = rng(1000 + stp);
    let mid = base + 64;
    const live: number[] = [];
    const pick = () => live[Math.floor(r() * live.length)] ?? 0;
    const STEPS = 12_500;
    const seen = new Map<string, number>();
    const count = (k: string) => seen.set(k, (seen.get(k) ?? 0) + 1);
    for (let step = 0; step < STEPS; step++) {
      mid = Math.min(base + 100, Math.max(base + 28, mid + (r() < 0.5 ? -1 : 1)));
      const side = r() < 0.5 ? BID : ASK;
      const owner = Math.floor(r() * 4);
      const x = r();
      const idFrom = (types: number[]) => () => {
        const e = v.events.find((ev) => types.includes(ev.type));
        return e?.type === EventType.REPLACED ? e.id2 : e?.id ?? -1;
      };
      let ours: number;
      let theirs: number;
      if (x < 0.5) {
        const tif = r() < 0.7 ? GTC : r() < 0.5 ? IOC : POST_ONLY;
        const far = r() < 0.03;
        const price = far ? base - 30 + Math.floor(r() * (levels + 60)) : side === BID ? mid - 8 + Math.floor(r() * 12) : mid - 3 + Math.floor(r() * 12);
        const qty = r() < 0.01 ? 0 : 1 + Math.floor(r() * 20);
        ours = v.submit(owner, side, LIMIT, tif, price, qty);
        theirs = ref.submit(owner, side, LIMIT, tif, price, qty, idFrom([EventType.ACCEPTED]));
      } else if (x < 0.58) {
        const qty = 1 + Math.floor(r() * 30);
        ours = v.submit(owner, side, MARKET, IOC, 0, qty);
        theirs = ref.submit(owner, side, MARKET, IOC, 0, qty, idFrom([EventType.ACCEPTED]));
      } else if (x < 0.8) {
        const id = r() < 0.05 ? (pick() ^ (1 << 20)) : pick();
        ours = v.cancel(id);
        theirs = ref.cancel(id);
      } else {
        const id = pick();
        const o = ref.byId.get(id);
        const price = o && r() < 0.5 ? o.price : mid - 6 + Math.floor(r() * 12);
        const qty = o && r() < 0.5 ? Math.max(1, o.leaves - Math.floor(r() * 3)) : 1 + Math.floor(r() * 20);
        ours = v.replace(id, price, qty);
        theirs = ref.replace(id, price, qty, idFrom([EventType.REPLACED]));
      }
      assert.equal(ours, theirs, `answer at step ${step}`);
      assert.deepEqual(v.events.map(strip), ref.out, `events at step ${step}`);
      for (const e of v.events) {
        assert.equal(e.nowNs, NOW);
        count(e.type === EventType.REPLACED ? (e.id === e.id2 ? 'replace-in-place' : 'replace-requeue') : `${e.type}:${e.reason}`);
      }
      v.events = [];
      ref.out = [];
      live.length = 0;
      live.push(...ref.byId.keys());
      if (step % 500 === 0 || step === STEPS - 1) {
        assert.equal(v.core.matchOrderCount(STATE), ref.byId.size);
        assert.equal(v.core.matchBestBid(STATE), ref.best(BID) ?? NO_PRICE);
        assert.equal(v.core.matchBestAsk(STATE), ref.best(ASK) ?? NO_PRICE);
        const depth = 130;
        const snap = v.snapshot(depth);
        const sorted = (side: number) => [...ref.book[side]!.entries()].sort((a, b) => (side === BID ? b[0] - a[0] : a[0] - b[0]));
        const bids = sorted(BID);
        const asks = sorted(ASK);
        for (let i = 0; i < depth; i++) {
          const sum = (q?: ROrder[]) => (q ?? []).reduce((s, o) => s + o.leaves, 0);
          assert.deepEqual(snap[i], [bids[i]?.[0] ?? NO_PRICE, sum(bids[i]?.[1]), asks[i]?.[0] ?? NO_PRICE, sum(asks[i]?.[1])], `snapshot row ${i}`);
        }
        assert.equal(v.core.matchLevelCount(STATE, BID), bids.length);
        assert.equal(v.core.matchLevelCount(STATE, ASK), asks.length);
        for (const [id, o] of ref.byId) {
          assert.equal(v.leaves(id), o.leaves);
          assert.equal(v.core.matchOrderPrice(STATE, id), o.price);
          assert.equal(v.core.matchOrderSide(STATE, id), o.side);
          assert.equal(v.core.matchOrderOwner(STATE, id), o.owner);
          const q = ref.book[o.side]!.get(o.price)!;
          assert.equal(v.ahead(id), q.slice(0, q.indexOf(o)).reduce((s, x) => s + x.leaves, 0));
        }
      }
    }
    const want = ['replace-in-place', 'replace-requeue', `${EventType.FILL}:0`, `${EventType.RESTED}:0`,
      `${EventType.CANCELED}:${MatchCancelReason.USER}`, `${EventType.CANCELED}:${MatchCancelReason.IOC}`,
      `${EventType.CANCELED}:${MatchCancelReason.MARKET_NO_LIQUIDITY}`, `${EventType.REJECTED}:${MatchRejectReason.UNKNOWN_ORDER}`,
      `${EventType.REJECTED}:${MatchRejectReason.POST_ONLY_WOULD_CROSS}`, `${EventType.REJECTED}:${MatchRejectReason.OUT_OF_BAND}`,
      `${EventType.REJECTED}:${MatchRejectReason.BAD_QTY}`];
    if (stp !== StpMode.NONE) want.push(`${EventType.CANCELED}:${MatchCancelReason.STP}`);
    if (capacity < 100) want.push(`${EventType.REJECTED}:${MatchRejectReason.POOL_FULL}`);
    for (const k of want) assert.ok((seen.get(k) ?? 0) >= 10, `covered ${k}: ${seen.get(k) ?? 0}`);
  });
}

// Differential test: the core's matching against nodejs-order-book@10.1.1 on the same seeded
// workloads (1 000 000 operations over the four runs below): every operation's trades (price, qty,
// maker, taker, in order) must agree, and every level of both sides at checkpoints and at the end.
//
// Where the two differ by design, the workload leaves the case out (or drives it so both mean the
// same thing); each is named here:
//  1. Modify semantics. Their modify() always cancels and re-adds (the order loses its place) even
//     when only the quantity goes down; ours keeps the place for a quantity-down at the same price.
//     Quantity-down same-price modifies are therefore applied on their side through their own
//     OrderSide.updateOrderSize (internal, keeps the queue position, the same thing their
//     OrderQueue does for a partial fill). Quantity-up and price modifies go through modify() on
//     their side and matchReplace on ours: both re-queue and may match.
//  2. Their modify() of a post-only order to a crossing price cancels the order and then reports
//     the post-only error; ours refuses the replace and leaves the order as it was. Not generated.
//  3. Self-trade prevention: theirs is per taker order (accountId + stpMode, "expire" semantics,
//     and modify() resets it); ours is one mode per matching state. Not used: STP none, no accountId.
//  4. FOK, stop-limit, stop-market and OCO orders exist only on their side. Not generated.
//  5. A market order when the opposite side is empty: theirs answers quantityLeft without an
//     error, ours sends ACCEPTED + CANCELED(market, no liquidity). Not generated (a market order
//     only goes out when the other side has liquidity; a partly filled one is kept: both drop the
//     remainder and trade the same).
//  6. Ids: theirs are caller strings kept across modify(); ours are assigned by matching and a
//     re-queueing replace gets a new id. Mapped both ways through the workload's sequence numbers.
//  7. Price band and pool: theirs has neither; ours rejects prices outside the band and resting
//     beyond capacity. The workload stays inside the band and under capacity (any reject fails).
//  8. Prices/sizes must be > 0 on their side: the band and sizes are positive.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OrderBook, Side as TheirOrderSide } from 'nodejs-order-book';
import { rng, testCore } from '../testkit/core.js';
import type { CoreExports } from '../../host/core/core.js';
import { EventFlag, EventType, settle, StpMode } from '../../host/venue/market/matching.js';
import { NO_PRICE, OrderKind, Side, TimeInForce } from '../../host/model/vocabulary.js';

/** Book sides in the vocabulary's terms: the bid side is BUY, the ask side SELL. */
const { BUY: BID, SELL: ASK } = Side;
const STATE = 65536;
const CAPACITY = 1 << 16;
const LEVELS = 4096;
const BASE = 100_000;
const RING_SLOTS = 4096;
const DEPTH = LEVELS;

interface Trade { price: number; qty: number; maker: number; taker: number }
interface Their { size: number; price: number; id: string }
interface TheirSide { updateOrderSize(order: unknown, update: { size: number; price?: number }): unknown }
interface TheirInternals { orders: Record<string, Their>; bids: TheirSide; asks: TheirSide }
interface TheirResponse { done: { id: string; price: number; size: number }[]; partial: { id: string; price: number } | null; partialQuantityProcessed: number; err: unknown }

interface Mix {
  gtc: number; ioc: number; postOnly: number; market: number; cancel: number; qtyDown: number; reprice: number;
  /** Live orders the book hovers around: cancels and modifies thin out below it. */
  targetLive: number;
  /** Ticks a passive price may sit behind the mid. */
  spread: number;
  /** Probability that a limit price is aggressive (at or through the mid, usually crossing). */
  cross: number;
}

/** Their trades for one call, in execution order: fully filled makers (done), then a partial maker. */
function theirTrades(res: TheirResponse, taker: number, takerId: string | null): Trade[] {
  const out: Trade[] = [];
  for (const o of res.done) if (o.id !== takerId) out.push({ price: o.price, qty: o.size, maker: Number(o.id), taker });
  if (res.partial !== null && res.partial.id !== takerId && res.partialQuantityProcessed > 0) {
    out.push({ price: res.partial.price, qty: res.partialQuantityProcessed, maker: Number(res.partial.id), taker });
  }
  return out;
}

function sameTrades(a: Trade[], b: Trade[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.price !== y.price || x.qty !== y.qty || x.maker !== y.maker || x.taker !== y.taker) return false;
  }
  return true;
}

async function runDiff(seed: number, ops: number, mix: Mix): Promise<{ ops: number; trades: number; ms: number; maxLive: number; checkpoints: number }> {
  const started = performance.now();
  const { core, memory } = await testCore(STATE + 8 * CAPACITY * 4 + LEVELS * 64 + RING_SLOTS * 64 + LEVELS * 16 + (2 << 20));
  const c: CoreExports = core;
  const ring = STATE + Math.ceil(c.matchBytes(CAPACITY, LEVELS) / 64) * 64;
  const snap = ring + c.ringBytes(RING_SLOTS);
  assert.equal(c.ringInit(ring, RING_SLOTS), 0);
  assert.equal(c.matchInit(STATE, CAPACITY, LEVELS, BASE, StpMode.NONE), 0);
  const ob = new OrderBook();
  const internals = ob as unknown as TheirInternals;

  // Sequence numbers name orders on both sides: their id is String(seq); ours maps to seq.
  const seqOfOurs = new Map<number, number>();
  const oursOfSeq: number[] = [0];
  const postOnly: boolean[] = [false];
  // Live resting orders by seq, with O(1) removal.
  const live: number[] = [];
  const liveAt = new Map<number, number>();
  const addLive = (seq: number) => { liveAt.set(seq, live.length); live.push(seq); };
  const dropLive = (seq: number) => {
    const i = liveAt.get(seq);
    if (i === undefined) return;
    const last = live.pop()!;
    if (last !== seq) { live[i] = last; liveAt.set(last, i); }
    liveAt.delete(seq);
  };

  // Drain our ring: map new ids, collect trades, keep `live` in step.
  const view = new DataView(memory.buffer);
  let ours: Trade[] = [];
  let rejects = 0;
  const drain = () => {
    for (let at = c.ringPeek(ring); at !== 0; at = c.ringPeek(ring)) {
      const type = view.getUint8(at);
      const id = view.getUint32(at + 16, true);
      const id2 = view.getUint32(at + 20, true);
      if (type === EventType.FILL) {
        const maker = seqOfOurs.get(id)!;
        ours.push({ price: view.getInt32(at + 32, true), qty: view.getInt32(at + 36, true), maker, taker: seqOfOurs.get(id2)! });
        if (view.getInt32(at + 40, true) === 0) { dropLive(maker); seqOfOurs.delete(id); }
      } else if (type === EventType.ACCEPTED) {
        seqOfOurs.set(id, pendingSeq);
        lastAccepted = id;
        if ((view.getUint8(at + 3) & EventFlag.LEVEL) !== 0) addLive(pendingSeq); // rested at once
      } else if (type === EventType.REPLACED && id !== id2) {
        const seq = seqOfOurs.get(id)!;
        seqOfOurs.delete(id);
        seqOfOurs.set(id2, seq);
        oursOfSeq[seq] = id2;
        dropLive(seq);
      } else if (type === EventType.CANCELED) {
        const seq = seqOfOurs.get(id);
        if (seq !== undefined) { dropLive(seq); seqOfOurs.delete(id); }
      } else if (type === EventType.RESTED) {
        addLive(seqOfOurs.get(id)!);
      } else if (type === EventType.REJECTED) {
        rejects++;
      }
      c.ringRelease(ring);
    }
  };
  let pendingSeq = 0;
  let lastAccepted = 0;
  const now = 1_700_000_000_000_000_000n;
  const finish = (status: number) => { const s = settle(c, STATE, ring, status, drain); drain(); return s; };

  const checkBooks = () => {
    const [asks, bids] = ob.depth();
    const n = c.matchSnapshot(STATE, snap, DEPTH);
    const rows = new Int32Array(memory.buffer, snap, DEPTH * 4);
    assert.equal(n & 0xffff, bids.length, 'bid level count');
    assert.equal(n >>> 16, asks.length, 'ask level count');
    // Theirs: asks ascending, bids descending (best first), [price, volume].
    for (let i = 0; i < bids.length; i++) assert.deepEqual([rows[4 * i], rows[4 * i + 1]], bids[i], `bid level ${i}`);
    for (let i = 0; i < asks.length; i++) assert.deepEqual([rows[4 * i + 2], rows[4 * i + 3]], asks[i], `ask level ${i}`);
    assert.equal(rows[4 * bids.length], NO_PRICE);
    assert.equal(rows[4 * asks.length + 2], NO_PRICE);
  };

  const r = rng(seed);
  let mid = BASE + LEVELS / 2;
  let tradeCount = 0;
  let maxLive = 0;
  let checkpoints = 0;
  const cuts = [mix.gtc, mix.ioc, mix.postOnly, mix.market, mix.cancel, mix.qtyDown, mix.reprice];
  const total = cuts.reduce((a, b) => a + b, 0);
  const opKind = (x: number) => { let acc = 0; for (let k = 0; k < cuts.length; k++) { acc += cuts[k]! / total; if (x < acc) return k; } return cuts.length - 1; };
  const limitPrice = (side: number) => {
    const off = r() < mix.cross ? -Math.floor(r() * 4) : 1 + Math.floor(r() * mix.spread);
    return side === BID ? mid - off : mid + off;
  };

  for (let op = 0; op < ops; op++) {
    if (r() < 0.2) mid = Math.min(BASE + LEVELS - 200, Math.max(BASE + 200, mid + (r() < 0.5 ? -1 : 1)));
    let kind = opKind(r());
    // Cancels and modifies happen in proportion to how full the book is against its target.
    if (kind >= 4 && r() * mix.targetLive >= live.length) kind = 0;
    const side = r() < 0.5 ? BID : ASK;
    const seq = oursOfSeq.length;
    ours = [];
    let theirs: Trade[];
    if (kind <= 2) {
      // Limit: GTC, IOC or post-only. A post-only that would cross is rejected by both; skip it
      // on ours only after checking theirs rejected too.
      const tif = kind === 0 ? TimeInForce.GTC : kind === 1 ? TimeInForce.IOC : TimeInForce.POST_ONLY;
      const price = limitPrice(side);
      const qty = r() < 0.05 ? 50 + Math.floor(r() * 200) : 1 + Math.floor(r() * 30);
      oursOfSeq.push(0);
      postOnly.push(tif === TimeInForce.POST_ONLY);
      pendingSeq = seq;
      const res = ob.limit({
        id: String(seq), side: side === BID ? TheirOrderSide.BUY : TheirOrderSide.SELL, size: qty, price,
        ...(tif === TimeInForce.POST_ONLY ? { postOnly: true } : tif === TimeInForce.IOC ? { timeInForce: 'IOC' as never } : {}),
      }) as unknown as TheirResponse;
      const rejectsBefore = rejects;
      const st = finish(c.matchSubmit(STATE, ring, 0, op, side, OrderKind.LIMIT, tif, price, qty, now));
      if (tif === TimeInForce.POST_ONLY && res.err !== null) {
        assert.equal(st, -6, `op ${op}: post-only refused by both`);
        rejects = rejectsBefore;
      } else {
        assert.equal(res.err, null, `op ${op}: theirs accepted`);
        assert.ok(st >= 0, `op ${op}: ours accepted (${st})`);
        if (st > 0) oursOfSeq[seq] = st;
        else seqOfOurs.delete(lastAccepted); // filled (or IOC remainder canceled): id retired
      }
      theirs = theirTrades(res, seq, String(seq));
    } else if (kind === 3) {
      // Market: only when the other side has liquidity (difference 5).
      const other = side === BID ? c.matchBestAsk(STATE) : c.matchBestBid(STATE);
      if (other === NO_PRICE) { op--; continue; }
      const qty = 1 + Math.floor(r() * 80);
      oursOfSeq.push(0);
      postOnly.push(false);
      pendingSeq = seq;
      const res = ob.market({ side: side === BID ? TheirOrderSide.BUY : TheirOrderSide.SELL, size: qty }) as unknown as TheirResponse;
      assert.equal(res.err, null);
      assert.equal(finish(c.matchSubmit(STATE, ring, 0, op, side, OrderKind.MARKET, TimeInForce.IOC, 0, qty, now)), 0);
      seqOfOurs.delete(lastAccepted);
      theirs = theirTrades(res, seq, null);
    } else {
      oursOfSeq.push(0);
      postOnly.push(false);
      const target = live[Math.floor(r() * live.length)]!;
      const ourId = oursOfSeq[target]!;
      const idStr = String(target);
      const leaves = c.matchOrderLeaves(STATE, ourId);
      const price = c.matchOrderPrice(STATE, ourId);
      const oside = c.matchOrderSide(STATE, ourId);
      assert.ok(leaves > 0, `op ${op}: live order ${target} known to ours`);
      const theirOrder = internals.orders[idStr]!;
      assert.equal(theirOrder.size, leaves, `op ${op}: leaves of ${target}`);
      theirs = [];
      if (kind === 4) {
        assert.ok(ob.cancel(idStr) !== undefined);
        assert.equal(finish(c.matchCancel(STATE, ring, ourId, op, now)), 0);
      } else {
        let newPrice = price;
        let newQty = Math.max(1, leaves - 1 - Math.floor(r() * Math.max(1, leaves / 2)));
        if (kind === 6) {
          newPrice = limitPrice(oside);
          newQty = 1 + Math.floor(r() * 30);
          const crosses = oside === BID ? c.matchBestAsk(STATE) !== NO_PRICE && newPrice >= c.matchBestAsk(STATE)
            : c.matchBestBid(STATE) !== NO_PRICE && newPrice <= c.matchBestBid(STATE);
          // Difference 2: a post-only order is not moved to a crossing price.
          if (postOnly[target] && crosses) { newPrice = price; newQty = Math.max(1, leaves - 1); }
        }
        const inPlace = newPrice === price && newQty <= leaves;
        if (inPlace) {
          // Difference 1: keep their queue position like ours does.
          (oside === BID ? internals.bids : internals.asks).updateOrderSize(theirOrder, { size: newQty });
        } else {
          const res = ob.modify(idStr, { price: newPrice, size: newQty }) as unknown as TheirResponse;
          assert.equal(res.err, null);
          theirs = theirTrades(res, target, idStr);
        }
        const st = finish(c.matchReplace(STATE, ring, ourId, newPrice, newQty, op, now));
        assert.ok(st >= 0, `op ${op}: replace ${st}`);
        if (inPlace) assert.equal(st, ourId, 'in place keeps the id');
        if (st > 0) oursOfSeq[target] = st;
        else seqOfOurs.delete(oursOfSeq[target]!); // re-entry filled completely
      }
    }
    if (!sameTrades(ours, theirs)) assert.deepEqual(ours, theirs, `trades of op ${op} (kind ${kind})`);
    assert.equal(rejects, 0, `op ${op}: no reject on ours`);
    tradeCount += ours.length;
    if (live.length > maxLive) maxLive = live.length;
    if (op % 10_000 === 0) { checkBooks(); checkpoints++; }
  }
  checkBooks();
  assert.equal(c.matchOrderCount(STATE), live.length);
  assert.equal(Object.keys(internals.orders).length, live.length);
  assert.equal(seqOfOurs.size, live.length, 'every retired id was seen retiring');
  return { ops, trades: tradeCount, ms: Math.round(performance.now() - started), maxLive, checkpoints: checkpoints + 1 };
}

const RUNS: [string, number, Mix][] = [
  ['balanced', 0xa11ce, { gtc: 34, ioc: 6, postOnly: 8, market: 6, cancel: 26, qtyDown: 10, reprice: 10, targetLive: 1000, spread: 12, cross: 0.15 }],
  ['aggressive (more crossing, sweeps)', 0xb0b, { gtc: 40, ioc: 12, postOnly: 4, market: 12, cancel: 20, qtyDown: 6, reprice: 6, targetLive: 300, spread: 6, cross: 0.35 }],
  ['passive (deeper book, modifies)', 0xc0ffee, { gtc: 30, ioc: 2, postOnly: 14, market: 3, cancel: 25, qtyDown: 13, reprice: 13, targetLive: 3000, spread: 25, cross: 0.08 }],
  ['churn (cancel/replace heavy)', 0xd00d, { gtc: 30, ioc: 5, postOnly: 5, market: 5, cancel: 35, qtyDown: 10, reprice: 10, targetLive: 600, spread: 10, cross: 0.2 }],
];

for (const [name, seed, mix] of RUNS) {
  test(`same trades and book as nodejs-order-book: ${name}, 250 000 operations`, async (t) => {
    const s = await runDiff(seed, 250_000, mix);
    assert.ok(s.trades > 10_000, `enough trades (${s.trades})`);
    t.diagnostic(`${name}: ${s.ops} ops, ${s.trades} trades, max ${s.maxLive} live orders, ${s.checkpoints} full-book checks, ${s.ms} ms`);
  });
}

// The L2 book against a plain Map-based reference on seeded random updates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rng, testCore } from '../testkit/core.js';
import { BookStatus, SNAPSHOT_ROW_BYTES } from '../../host/core/core.js';
import { NO_PRICE, Side } from '../../host/model/vocabulary.js';

/** Book sides in the vocabulary's terms: the bid side is BUY, the ask side SELL. */
const { BUY: BID, SELL: ASK } = Side;

const BOOK = 65536;
const SNAP = 1 << 20;

class ReferenceBook {
  readonly sides = [new Map<number, number>(), new Map<number, number>()];
  set(side: number, price: number, qty: number) { if (qty === 0) this.sides[side]!.delete(price); else this.sides[side]!.set(price, qty); }
  get(side: number, price: number) { return this.sides[side]!.get(price) ?? 0; }
  sorted(side: number): [number, number][] {
    return [...this.sides[side]!.entries()].sort((a, b) => (side === BID ? b[0] - a[0] : a[0] - b[0]));
  }
}

for (const levels of [64, 4096, 65536]) {
  test(`random set/add/reduce agree with a reference book (${levels} levels)`, async () => {
    const { core, memory } = await testCore(4 << 20);
    const basePrice = 100_000;
    assert.equal(core.bookInit(BOOK, levels, basePrice), BookStatus.OK);
    const ref = new ReferenceBook();
    const view = new Int32Array(memory.buffer);
    const r = rng(levels);
    // Cluster activity near a wandering mid so best levels empty and refill often, with rare far prices.
    let mid = basePrice + levels / 2;
    for (let step = 0; step < 20_000; step++) {
      mid = Math.min(basePrice + levels - 40, Math.max(basePrice + 40, mid + Math.round((r() - 0.5) * 4)));
      const side = r() < 0.5 ? BID : ASK;
      const far = r() < 0.05;
      const offset = far ? Math.floor(r() * levels) - (mid - basePrice) : Math.floor(r() * 30) - 10;
      const price = side === BID ? mid - offset : mid + offset;
      const op = r();
      const qty = 1 + Math.floor(r() * 500);
      let status: number;
      const inBand = price >= basePrice && price < basePrice + levels;
      if (op < 0.3) {
        status = core.bookSet(BOOK, side, price, op < 0.1 ? 0 : qty);
        if (inBand) ref.set(side, price, op < 0.1 ? 0 : qty);
      } else if (op < 0.65) {
        status = core.bookAdd(BOOK, side, price, qty);
        if (inBand) ref.set(side, price, ref.get(side, price) + qty);
      } else {
        status = core.bookReduce(BOOK, side, price, qty);
        if (inBand) {
          const held = ref.get(side, price);
          assert.equal(status, qty > held ? BookStatus.CLAMPED : BookStatus.OK);
          ref.set(side, price, Math.max(0, held - qty));
        }
      }
      if (!inBand) { assert.equal(status, BookStatus.OUT_OF_BAND); continue; }
      const bids = ref.sorted(BID);
      const asks = ref.sorted(ASK);
      assert.equal(core.bookBestBid(BOOK), bids[0]?.[0] ?? NO_PRICE, `best bid at step ${step}`);
      assert.equal(core.bookBestAsk(BOOK), asks[0]?.[0] ?? NO_PRICE, `best ask at step ${step}`);
      assert.equal(core.bookBestBidQty(BOOK), bids[0]?.[1] ?? 0);
      assert.equal(core.bookBestAskQty(BOOK), asks[0]?.[1] ?? 0);
      assert.equal(core.bookLevelCount(BOOK, BID), bids.length);
      assert.equal(core.bookLevelCount(BOOK, ASK), asks.length);
      const crossed = bids.length > 0 && asks.length > 0 && bids[0]![0] >= asks[0]![0];
      assert.equal(core.bookCrossed(BOOK) !== 0, crossed);
      if (step % 97 === 0) {
        const depth = 10;
        const counts = core.bookSnapshot(BOOK, SNAP, depth);
        assert.equal(counts & 0xffff, Math.min(depth, bids.length));
        assert.equal(counts >>> 16, Math.min(depth, asks.length));
        for (let i = 0; i < depth; i++) {
          const row = (SNAP + i * SNAPSHOT_ROW_BYTES) >> 2;
          assert.deepEqual([view[row], view[row + 1]], bids[i] ?? [NO_PRICE, 0], `bid level ${i} at step ${step}`);
          assert.deepEqual([view[row + 2], view[row + 3]], asks[i] ?? [NO_PRICE, 0], `ask level ${i} at step ${step}`);
        }
      }
    }
  });
}

test('out-of-band prices are refused and counted; recenter keeps overlapping levels', async () => {
  const { core } = await testCore();
  assert.equal(core.bookInit(BOOK, 64, 1000), BookStatus.OK);
  assert.equal(core.bookSet(BOOK, BID, 999, 5), BookStatus.OUT_OF_BAND);
  assert.equal(core.bookSet(BOOK, ASK, 1064, 5), BookStatus.OUT_OF_BAND);
  assert.equal(core.bookOutOfBand(BOOK), 2);
  assert.equal(core.bookSet(BOOK, BID, 1000, 7), BookStatus.OK);
  assert.equal(core.bookSet(BOOK, BID, 1030, 8), BookStatus.OK);
  assert.equal(core.bookSet(BOOK, ASK, 1063, 9), BookStatus.OK);
  assert.equal(core.bookSet(BOOK, ASK, 1040, 10), BookStatus.OK);
  assert.equal(core.bookRecenter(BOOK, 1020), 1, 'the bid at 1000 falls outside [1020, 1084)');
  assert.equal(core.bookBasePrice(BOOK), 1020);
  assert.equal(core.bookBestBid(BOOK), 1030);
  assert.equal(core.bookBestAsk(BOOK), 1040);
  assert.equal(core.bookLevelQty(BOOK, ASK, 1063), 9);
  assert.equal(core.bookLevelQty(BOOK, BID, 1000), 0);
  assert.equal(core.bookSet(BOOK, ASK, 1080, 3), BookStatus.OK, 'new top of band accepted');
  assert.equal(core.bookRecenter(BOOK, 900), 4, 'band [900, 964) holds none of the four levels');
  assert.equal(core.bookBestBid(BOOK), NO_PRICE);
});

test('bad arguments are refused with their status', async () => {
  const { core } = await testCore();
  assert.equal(core.bookInit(BOOK, 100, 0), BookStatus.BAD_LEVELS);
  assert.equal(core.bookInit(BOOK, 32, 0), BookStatus.BAD_LEVELS);
  assert.equal(core.bookInit(BOOK + 4, 64, 0), BookStatus.MISALIGNED);
  assert.equal(core.bookInit(BOOK, 64, 2147483647 - 10), BookStatus.OUT_OF_BAND);
  assert.equal(core.bookInit(BOOK, 64, 0), BookStatus.OK);
  assert.equal(core.bookSet(BOOK, 2, 1, 1), BookStatus.BAD_SIDE);
  assert.equal(core.bookSet(BOOK, BID, 1, -1), BookStatus.BAD_QTY);
  assert.equal(core.bookAdd(BOOK, BID, 1, 0), BookStatus.BAD_QTY);
  assert.equal(core.bookReduce(BOOK, ASK, 1, 0), BookStatus.BAD_QTY);
  assert.equal(core.bookAdd(BOOK, BID, 1, 2147483647), BookStatus.OK);
  assert.equal(core.bookAdd(BOOK, BID, 1, 1), BookStatus.OVERFLOW);
  assert.equal(core.bookLevelQty(BOOK, BID, 1), 2147483647, 'overflowing add changed nothing');
  assert.equal(core.bookSet(BOOK, BID, 5, 10), BookStatus.OK);
  assert.equal(core.bookSet(BOOK, ASK, 5, 10), BookStatus.OK);
  assert.equal(core.bookCrossed(BOOK), 1, 'bid at ask price is crossed');
});

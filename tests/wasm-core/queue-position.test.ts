// The queue-position models (wasm-core/queue-position.ts, docs/queue-models.md) on hand-built L2 sequences
// worked out in the comments, and against a reference written here from the formulas on 10 000+ seeded
// sequences per model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rng, testCore } from '../testkit/core.js';
import { QueuePositions, QueuePositionError, resolveQueueConfig, type QueueModelName } from '../../host/modules/queue-position.js';
import { Side } from '../../host/model/vocabulary.js';
import { ConfigError } from '../../host/config/config-error.js';

const STATE = 65536;
const BUY = Side.BUY;
const SELL = Side.SELL;
const near = (a: number, b: number, what: string, tol = 1e-9) =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

type Step =
  | { level: number }
  | { trade: number; aggressor?: number; at?: number };

/**
 * The hand-built sequence. We rest a BUY of 3 lots at 100 while the level shows 10 (10 ahead).
 * Every event is at price 100 unless it says otherwise; trades are sells hitting the bid.
 */
const SCRIPT: Step[] = [
  { level: 14 }, // e1: 4 lots join behind us
  { level: 8 }, // e2: 6 lots cancelled, no trade printed since the last update
  { trade: 5 }, // e3: 5 lots trade at our price
  { level: 3 }, // e4: the level drops by exactly the 5 traded: no cancellation
  { trade: 2 }, // e5: 2 more lots trade
  { level: 1 }, // e6: the level drops by the 2 traded
  { level: 0 }, // e7: the last lot is cancelled: the level is empty
  { level: 5 }, // e8: 5 lots join, behind us
  { trade: 4 }, // e9: 4 lots trade
];

function run(core: Awaited<ReturnType<typeof testCore>>['core'], model: QueueModelName, exponent?: number) {
  const q = new QueuePositions(core, STATE, { model, slots: 4, ...(exponent === undefined ? {} : { exponent }) });
  q.place(0, BUY, 100, 3, 10);
  const fills: number[] = [];
  const ahead: number[] = [];
  for (const s of SCRIPT) {
    if ('level' in s) {
      q.onLevel(BUY, 100, s.level);
      fills.push(0);
    } else {
      fills.push(q.onTrade(s.aggressor ?? SELL, s.at ?? 100, s.trade));
    }
    ahead.push(q.ahead(0));
  }
  return { q, fills, ahead };
}

test('conservative: only trades move us; we fill 3 lots at e9 and at no other event', async () => {
  const { core } = await testCore();
  const { q, fills, ahead } = run(core, 'conservative');
  // e1 level up: ahead stays 10. e2 level 8 < 10: ahead capped at 8 (the cancels are taken as behind us,
  // but no more than 8 can be ahead of us in a level of 8). e3 trade 5: 8 − 5 = 3. e4 level 3: min(3, 3) = 3.
  // e5 trade 2: 3 − 2 = 1, nothing left for us. e6 level 1: 1. e7 level 0: capped to 0. e8 level 5: 0
  // (joiners are behind). e9 trade 4: 4 − 0 = 4 lots past the queue, we have 3: fill 3.
  assert.deepEqual(ahead, [10, 8, 3, 3, 1, 1, 0, 0, 0]);
  assert.deepEqual(fills, [0, 0, 0, 0, 0, 0, 0, 0, 3]);
  assert.equal(q.remaining(0), 0);
  assert.equal(q.filled(0), 3);
  assert.equal(q.resting(0), false, 'a filled order stops resting');
  assert.equal(q.lastFill(0), 3);
});

test('power n = 1: a cancel splits 10 : 4, we fill 1 lot at e5 and the last 2 at e9', async () => {
  const { core } = await testCore();
  const { q, fills, ahead } = run(core, 'power', 1);
  // e2: the level was 14 with 10 ahead and 4 behind; 6 cancelled, no trade since e1: ahead's share is
  //     6·10/14 = 30/7, behind's 6·4/14 = 12/7 ≤ 4 (no spill): ahead = 10 − 30/7 = 40/7 ≈ 5.714.
  // e3: trade 5 < 40/7: ahead = 40/7 − 5 = 5/7, no fill. e4: level 8 → 3 and 5 traded since e2: 8 − 5 = 3
  //     = the new total, nothing cancelled: ahead stays 5/7. e5: trade 2: 2 − 5/7 = 9/7 lots past the
  //     queue: floor(9/7) = 1 lot filled (partial), ahead 0. e6–e8: 0. e9: trade 4, 2 left: fill 2.
  near(ahead[1]!, 40 / 7, 'ahead after e2');
  near(ahead[2]!, 5 / 7, 'ahead after e3');
  near(ahead[3]!, 5 / 7, 'ahead after e4');
  assert.deepEqual(ahead.slice(4), [0, 0, 0, 0, 0]);
  assert.deepEqual(fills, [0, 0, 0, 0, 1, 0, 0, 0, 2]);
  assert.equal(q.filled(0), 3);
});

test('power n = 2: the split is 100 : 16, we reach the front at e3 and fill 2 lots at e5, 1 at e9', async () => {
  const { core } = await testCore();
  const { fills, ahead } = run(core, 'power', 2);
  // e2: f(10) = 100, f(4) = 16: ahead's share 6·100/116 = 150/29; ahead = 10 − 150/29 = 140/29 ≈ 4.828.
  // e3: trade 5 − 140/29 = 5/29 past the queue: not a whole lot, no fill, ahead 0. e5: trade 2: 2 past:
  // fill 2 (1 left). e9: trade 4: fill the last 1.
  near(ahead[1]!, 140 / 29, 'ahead after e2');
  assert.deepEqual(ahead.slice(2), [0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(fills, [0, 0, 0, 0, 2, 0, 0, 0, 1]);
});

test('log: the split is ln 11 : ln 5, we fill all 3 lots at e9 only', async () => {
  const { core } = await testCore();
  const { fills, ahead } = run(core, 'log');
  // e2: ln 11 = 2.3978953, ln 5 = 1.6094379: ahead's share 6 · 2.3978953 / 4.0073332 = 3.5902609; ahead
  // 10 − 3.5902609 = 6.4097391. e3: trade 5: 1.4097391 ahead, no fill. e5: trade 2: 0.5902609 past: not a
  // whole lot, no fill, ahead 0. e9: trade 4: 4 past, fill 3.
  near(ahead[1]!, 6.4097391, 'ahead after e2', 1e-7);
  near(ahead[2]!, 1.4097391, 'ahead after e3', 1e-7);
  assert.deepEqual(ahead.slice(4), [0, 0, 0, 0, 0]);
  assert.deepEqual(fills, [0, 0, 0, 0, 0, 0, 0, 0, 3]);
});

test('a cancellation larger than what is behind us spills ahead (power n = 0.5 and log), and the level caps it', async () => {
  const { core } = await testCore();
  for (const [model, exponent] of [['power', 0.5], ['log', undefined]] as const) {
    const q = new QueuePositions(core, STATE, { model, slots: 2, ...(exponent === undefined ? {} : { exponent }) });
    q.place(0, SELL, 200, 5, 9); // 9 ahead
    q.onLevel(SELL, 200, 10); // 1 joins behind: 9 ahead, 1 behind
    q.onLevel(SELL, 200, 2); // 8 cancelled
    // power 0.5: f(9) = 3, f(1) = 1: ahead's share 8·3/4 = 6, behind's 2 > the 1 behind: 1 spills ahead:
    // 9 − 6 − 1 = 2. log: behind's share 8·ln 2/(ln 10 + ln 2) = 1.851 > 1: spills 0.851, ahead
    // 9 − 6.149 − 0.851 = 2. Either way every order behind us is gone and the 2 left are ahead.
    near(q.ahead(0), 2, `${model} ahead`);
  }
  // Conservative: the same cancellation is taken as behind us, up to the level's total: ahead min(9, 2) = 2.
  const c = new QueuePositions(core, STATE, { model: 'conservative', slots: 2 });
  c.place(0, SELL, 200, 5, 9);
  c.onLevel(SELL, 200, 10);
  c.onLevel(SELL, 200, 2);
  assert.equal(c.ahead(0), 2);
});

test('a trade through our price fills all we have left, whatever its size; trades elsewhere and on our side do not', async () => {
  const { core } = await testCore();
  for (const model of ['conservative', 'power', 'log'] as const) {
    const q = new QueuePositions(core, STATE, { model, slots: 4 });
    q.place(0, SELL, 200, 5, 4); // a sell of 5 at 200, 4 ahead
    q.place(1, BUY, 190, 7, 30); // a buy of 7 at 190, 30 ahead
    assert.equal(q.onTrade(SELL, 199, 3), 0, `${model}: a trade between our prices fills nothing`);
    assert.equal(q.onTrade(SELL, 200, 10), 0, `${model}: a seller trading at our ask took from the bid side`);
    assert.equal(q.ahead(0), 4);
    assert.equal(q.onTrade(BUY, 190, 10), 0, `${model}: a buyer trading at our bid took from the ask side`);
    assert.equal(q.ahead(1), 30);
    assert.equal(q.onTrade(BUY, 201, 1), 5, `${model}: a 1-lot buy at 201 went through our ask: all 5 of ours fill`);
    assert.equal(q.lastFill(0), 5);
    assert.equal(q.lastFill(1), 0);
    assert.equal(q.resting(0), false);
    assert.equal(q.onTrade(SELL, 189, 2), 7, `${model}: a sell at 189 went through our bid`);
    assert.equal(q.onTrade(SELL, 150, 100), 0, `${model}: nothing rests any more`);
  }
});

test('our cancel takes us out of the queue; the slot can rest again; fills so far stay readable', async () => {
  const { core } = await testCore();
  const q = new QueuePositions(core, STATE, { model: 'power', exponent: 1, slots: 2 });
  q.place(0, BUY, 100, 4, 2);
  assert.equal(q.onTrade(SELL, 100, 3), 1, '3 traded, 2 ahead: 1 of our 4 fills');
  q.cancel(0);
  assert.equal(q.resting(0), false);
  assert.equal(q.onTrade(SELL, 100, 50), 0, 'a cancelled order fills nothing');
  assert.equal(q.onTrade(SELL, 99, 50), 0, 'nor through its price');
  assert.equal(q.filled(0), 1);
  assert.equal(q.remaining(0), 3);
  assert.throws(() => q.cancel(0), (e: unknown) => e instanceof QueuePositionError && e.reason === 'NOT_RESTING');
  q.place(0, BUY, 101, 2, 0); // an empty level: first in the queue
  assert.equal(q.onTrade(SELL, 101, 1), 1);
  assert.equal(q.filled(0), 1, 'a new order starts its own count');
});

test('placement refusals name the status; config errors name the key, the range and the value', async () => {
  const { core } = await testCore();
  const q = new QueuePositions(core, STATE, { model: 'conservative', slots: 2 });
  const refused = (f: () => void, reason: string) =>
    assert.throws(f, (e: unknown) => e instanceof QueuePositionError && e.reason === reason, reason);
  refused(() => q.place(2, BUY, 100, 1, 0), 'BAD_SLOT');
  refused(() => q.place(0, 2, 100, 1, 0), 'BAD_SIDE');
  refused(() => q.place(0, BUY, 100, 0, 0), 'BAD_QTY');
  refused(() => q.place(0, BUY, 100, 1, -1), 'BAD_QTY');
  q.place(0, BUY, 100, 1, 0);
  refused(() => q.place(0, SELL, 120, 1, 0), 'SLOT_BUSY');
  refused(() => q.place(1, BUY, 100, 1, 0), 'SAME_LEVEL');
  q.place(1, SELL, 100, 1, 0); // the other side of the same price is another queue
  assert.throws(() => q.ahead(2), /slot must be an integer in \[0, 1\], got 2/);
  refused(() => new QueuePositions(core, STATE + 4, { model: 'log', slots: 1 }), 'MISALIGNED');

  assert.throws(() => resolveQueueConfig({ model: 'fifo', slots: 1 }), /queue\.model must be one of conservative, power, log, got "fifo"/);
  assert.throws(() => resolveQueueConfig({ model: 'power', exponent: 0, slots: 1 }), /queue\.exponent must be a number in \(0, 16\], got 0/);
  assert.throws(() => resolveQueueConfig({ model: 'power', exponent: 17, slots: 1 }), /queue\.exponent/);
  assert.throws(() => resolveQueueConfig({ model: 'log', exponent: 2, slots: 1 }), (e: unknown) => e instanceof ConfigError && e.key === 'queue.exponent');
  assert.throws(() => resolveQueueConfig({ model: 'log', slots: 0 }), /queue\.slots must be an integer in \[1, 65536\], got 0/);
  assert.throws(() => resolveQueueConfig({ model: 'log', slots: 1, depth: 3 }, 'sim.queue'), /sim\.queue\.depth must be one of the known keys \(model, exponent, slots\), got "depth"/);
  assert.deepEqual(resolveQueueConfig({ model: 'power', slots: 8 }), { model: 'power', exponent: 1, slots: 8 });
  // The core re-checks what the host validates.
  assert.equal(core.queueInit(STATE, 1, 1, 0), -4, 'BAD_EXPONENT');
  assert.equal(core.queueInit(STATE, 1, 3, 1), -3, 'BAD_MODEL');
  assert.equal(core.queueInit(STATE, 0, 0, 0), -2, 'BAD_SLOTS');
});

// ── reference from the formulas ─────────────────────────────────────────────────────────────────

/**
 * One resting order, written from docs/queue-models.md's formulas: a trade at our price (taker on the
 * other side) of q lots fills floor(q − V + 1e-9) (at most what is left) and leaves V = max(0, V − q); a
 * trade through our price fills everything; a level update to L: conservative V = min(V, L); otherwise
 * with B = max(0, L_prev − T) the level before cancels (T = lots traded since the last update) and
 * c = B − L cancelled, if c > 0: p = f(V) / (f(V) + f(max(0, B − V))), V −= c·p + max(0, c·(1 − p) − behind).
 */
class ReferenceOrder {
  ahead: number;
  level: number;
  traded = 0;
  remaining: number;
  constructor(readonly model: QueueModelName, readonly n: number, readonly side: number, readonly price: number, qty: number, level: number) {
    this.ahead = level;
    this.level = level;
    this.remaining = qty;
  }
  private f(x: number): number {
    return this.model === 'power' ? x ** this.n : Math.log1p(x);
  }
  onLevel(side: number, price: number, total: number): void {
    if (this.remaining === 0 || side !== this.side || price !== this.price) return;
    if (this.model !== 'conservative') {
      const before = Math.max(0, this.level - this.traded);
      const c = before - total;
      if (c > 0) {
        const behind = Math.max(0, before - this.ahead);
        const denominator = this.f(this.ahead) + this.f(behind);
        const p = denominator > 0 ? this.f(this.ahead) / denominator : 0;
        this.ahead = Math.max(0, this.ahead - c * p - Math.max(0, c * (1 - p) - behind));
      }
    }
    this.ahead = Math.min(this.ahead, total);
    this.level = total;
    this.traded = 0;
  }
  onTrade(aggressor: number, price: number, qty: number): number {
    if (this.remaining === 0 || qty <= 0) return 0;
    const through = this.side === BUY ? price < this.price : price > this.price;
    let fill = 0;
    if (through) {
      fill = this.remaining;
      this.ahead = 0;
    } else if (price === this.price && aggressor !== this.side) {
      fill = Math.min(this.remaining, Math.max(0, Math.floor(qty - this.ahead + 1e-9)));
      this.ahead = Math.max(0, this.ahead - qty);
      this.traded += qty;
    }
    this.remaining -= fill;
    return fill;
  }
}

for (const [model, exponentOf] of [
  ['conservative', () => 0],
  ['power', (r: () => number) => [0.5, 1, 2, 3][Math.floor(r() * 4)]! + (r() < 0.5 ? 0 : r())],
  ['log', () => 0],
] as const) {
  test(`${model}: the core agrees with the reference on 10 000 seeded sequences (fills exactly, the queue to 1e-9)`, async () => {
    const { core } = await testCore();
    const r = rng(model === 'conservative' ? 11 : model === 'power' ? 12 : 13);
    let fills = 0;
    let partial = 0;
    for (let seq = 0; seq < 10_000; seq++) {
      const n = exponentOf(r);
      const q = new QueuePositions(core, STATE, { model, slots: 2, ...(model === 'power' ? { exponent: n } : {}) });
      const side = r() < 0.5 ? BUY : SELL;
      const price = 1000;
      const away = side === BUY ? -1 : 1; // a price on our side of the book, behind ours
      let level = Math.floor(r() * 60);
      const qty = 1 + Math.floor(r() * 20);
      q.place(1, side, price, qty, level);
      const ref = new ReferenceOrder(model, n, side, price, qty, level);
      for (let e = 0; e < 40 && ref.remaining > 0; e++) {
        const u = r();
        let got: number;
        let want: number;
        if (u < 0.45) {
          // The level changes: mostly down (cancels or trades showing up), sometimes up.
          level = Math.max(0, level + Math.floor((r() - 0.65) * 30));
          q.onLevel(side, price, level);
          ref.onLevel(side, price, level);
          got = q.lastFill(1);
          want = 0;
        } else if (u < 0.85) {
          const t = 1 + Math.floor(r() * 15);
          const aggressor = r() < 0.9 ? 1 - side : side;
          got = q.onTrade(aggressor, price, t);
          want = ref.onTrade(aggressor, price, t);
          if (aggressor !== side) level = Math.max(0, level - t);
        } else if (u < 0.93) {
          // Another level of our side, or the same price on the other side: no effect.
          const other = r() < 0.5;
          q.onLevel(other ? 1 - side : side, other ? price : price + away, Math.floor(r() * 50));
          got = q.lastFill(1);
          want = 0;
        } else if (u < 0.99) {
          // A trade on the far side of our price (above our bid, below our ask): no effect.
          const t = 1 + Math.floor(r() * 5);
          const p = price - away * (1 + Math.floor(r() * 3));
          got = q.onTrade(1 - side, p, t);
          want = ref.onTrade(1 - side, p, t);
        } else {
          const p = price + away; // through our price: a sell below our bid, a buy above our ask
          got = q.onTrade(1 - side, p, 1);
          want = ref.onTrade(1 - side, p, 1);
        }
        assert.equal(got, want, `sequence ${seq} event ${e}: fill`);
        if (got > 0) fills++;
        if (got > 0 && ref.remaining > 0) partial++;
        assert.equal(q.remaining(1), ref.remaining, `sequence ${seq} event ${e}: remaining`);
        near(q.ahead(1), ref.ahead, `sequence ${seq} event ${e}: ahead`);
      }
    }
    assert.ok(fills > 2000 && partial > 200, `the sequences exercise fills (${fills}) and partial fills (${partial})`);
  });
}

test('on the same events the probabilistic models never put more ahead of us, nor fill less, than the conservative one', async () => {
  const { core } = await testCore();
  const r = rng(21);
  const STATES = [STATE, STATE + 4096, STATE + 8192];
  for (let seq = 0; seq < 2000; seq++) {
    const qs = [
      new QueuePositions(core, STATES[0]!, { model: 'conservative', slots: 1 }),
      new QueuePositions(core, STATES[1]!, { model: 'power', exponent: 0.3 + r() * 3, slots: 1 }),
      new QueuePositions(core, STATES[2]!, { model: 'log', slots: 1 }),
    ];
    let level = Math.floor(r() * 40);
    const qty = 1 + Math.floor(r() * 10);
    for (const q of qs) q.place(0, BUY, 500, qty, level);
    for (let e = 0; e < 30; e++) {
      if (r() < 0.5) {
        level = Math.max(0, level + Math.floor((r() - 0.6) * 20));
        for (const q of qs) q.onLevel(BUY, 500, level);
      } else {
        const t = 1 + Math.floor(r() * 10);
        for (const q of qs) q.onTrade(SELL, 500, t);
        level = Math.max(0, level - t);
      }
      for (const q of qs.slice(1)) {
        assert.ok(q.ahead(0) <= qs[0]!.ahead(0) + 1e-9, `sequence ${seq} event ${e}: ${q.config.model} ahead ${q.ahead(0)} > ${qs[0]!.ahead(0)}`);
        assert.ok(q.filled(0) >= qs[0]!.filled(0), `sequence ${seq} event ${e}: ${q.config.model} filled less`);
      }
    }
  }
});

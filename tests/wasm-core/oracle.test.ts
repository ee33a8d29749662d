// The Oracle (wasm-core/oracle.ts, wasm-core/ofi.ts) against a plain-TS reference written from the
// formulas in docs/market-rules.md and the module brief, over seeded random books driven through
// the real core book, plus hand-worked examples and config refusals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rng, testCore } from '../testkit/core.js';
import { BookStatus, type CoreExports } from '../../host/core/core.js';
import { NO_PRICE, Side } from '../../host/model/vocabulary.js';
import {
  DEFAULT_ORACLE_CONFIG, OracleStatus, initOracle, oracleStateBytes, readOracle, validateOracleConfig,
  type OracleConfig,
} from '../../host/modules/oracle.js';
import { ConfigError } from '../../host/config/config-error.js';
import { planMemory } from '../../host/core/memory-map.js';

/** Book sides in the vocabulary's terms: the bid side is BUY, the ask side SELL. */
const { BUY: BID, SELL: ASK } = Side;

const BOOK = 65536;
const BOOK_LEVELS = 256;
const BASE_PRICE = 10_000;
const STATE = 1 << 20;
const OFI = 3 << 20;
const MAX_QTY = 2147483647;

function close(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)),
    `${what}: core ${actual}, reference ${expected}`);
}

// ── reference ─────────────────────────────────────────────────────────────────────────────────────

class RefBook {
  bids = new Map<number, number>();
  asks = new Map<number, number>();
  side(s: number) { return s === BID ? this.bids : this.asks; }
  get(s: number, p: number) { return this.side(s).get(p) ?? 0; }
  set(s: number, p: number, q: number) { if (q === 0) this.side(s).delete(p); else this.side(s).set(p, q); }
  clear() { this.bids.clear(); this.asks.clear(); }
  /** Levels best first: bids descending, asks ascending. */
  levels(s: number): [number, number][] {
    return [...this.side(s).entries()].sort((a, b) => (s === BID ? b[0] - a[0] : a[0] - b[0]));
  }
}

interface Top { pb: number; qb: number; pa: number; qa: number }

interface Expected {
  wobi: number; imbalancePct: number; weightedMid: number; mid: number; spread: number;
  levelImbalance: number[]; ofi: number; ofiZ: number; signal: number; events: number;
}

/** The Oracle from its definitions, recomputed from scratch on every event (no running sums). */
class RefOracle {
  private tops: Top[] = [];
  private e: number[] = [];
  private ofis: number[] = [];
  constructor(readonly cfg: OracleConfig) {}

  update(book: RefBook): Expected {
    const { levels: n, lambda, ofiWindow, zWindow, weights } = this.cfg;
    const bids = book.levels(BID);
    const asks = book.levels(ASK);
    // Depth-decayed WOBI, i = 1..N from the best, a missing level counts 0.
    let num = 0, den = 0, sb = 0, sa = 0;
    const levelImbalance: number[] = [];
    for (let i = 1; i <= n; i++) {
      const vb = bids[i - 1]?.[1] ?? 0;
      const va = asks[i - 1]?.[1] ?? 0;
      const w = Math.exp(-lambda * (i - 1));
      num += w * (vb - va);
      den += w * (vb + va);
      sb += vb;
      sa += va;
      levelImbalance.push(vb + va === 0 ? 0 : (vb - va) / (vb + va));
    }
    const wobi = den === 0 ? 0 : num / den;
    const imbalancePct = sb + sa === 0 ? 0 : (100 * (sb - sa)) / (sb + sa);
    // Top of book: Stoikov weighted mid, mid, spread; one empty side → the present best, both → 0.
    let weightedMid = 0, mid = 0, spread = 0;
    const b = bids[0], a = asks[0];
    if (b && a) {
      const [pb, vb] = b, [pa, va] = a;
      weightedMid = (pb * va + pa * vb) / (va + vb);
      mid = (pb + pa) / 2;
      spread = pa - pb;
    } else if (b) {
      weightedMid = mid = b[0];
    } else if (a) {
      weightedMid = mid = a[0];
    }
    // OFI (Cont–Kukanov–Stoikov) with an empty bid at −∞ and an empty ask at +∞, size 0.
    const top: Top = { pb: b?.[0] ?? -Infinity, qb: b?.[1] ?? 0, pa: a?.[0] ?? Infinity, qa: a?.[1] ?? 0 };
    const prev = this.tops.at(-1);
    this.tops.push(top);
    let e = 0;
    if (prev) {
      e = (top.pb >= prev.pb ? top.qb : 0) - (top.pb <= prev.pb ? prev.qb : 0)
        - (top.pa <= prev.pa ? top.qa : 0) + (top.pa >= prev.pa ? prev.qa : 0);
    }
    this.e.push(e);
    let ofi = 0;
    for (const x of this.e.slice(-ofiWindow)) ofi += x;
    this.ofis.push(ofi);
    const ofiZ = zScore(this.ofis.slice(-zWindow));
    const micro = (weightedMid - mid) / Math.max(spread, 1);
    const signal = Math.tanh(weights.wobi * wobi + weights.ofi * ofiZ + weights.micro * micro);
    return { wobi, imbalancePct, weightedMid, mid, spread, levelImbalance, ofi, ofiZ, signal, events: this.tops.length };
  }
}

/**
 * z of the last value against the population mean and std of `xs`, exactly: with S = Σx,
 * (x − S/n)/σ and σ² = Σ(xᵢ − S/n)²/n = Σ(n·xᵢ − S)²/n³, so z = (n·x − S)·√n/√Σ(n·xᵢ − S)².
 */
function zScore(xs: number[]): number {
  const n = BigInt(xs.length);
  if (xs.length < 2) return 0;
  let s = 0n;
  for (const x of xs) s += BigInt(x);
  let m = 0n;
  for (const x of xs) { const d = n * BigInt(x) - s; m += d * d; }
  if (m === 0n) return 0;
  return (Number(n * BigInt(xs.at(-1)!) - s) * Math.sqrt(xs.length)) / Math.sqrt(Number(m));
}

function check(core: CoreExports, state: number, exp: Expected, at: string): void {
  const got = readOracle(core, state, exp.levelImbalance.length);
  close(got.wobi, exp.wobi, `wobi ${at}`);
  close(got.imbalancePct, exp.imbalancePct, `imbalance_pct ${at}`);
  close(got.weightedMid, exp.weightedMid, `weighted_mid ${at}`);
  close(got.mid, exp.mid, `mid ${at}`);
  close(got.spread, exp.spread, `spread ${at}`);
  assert.equal(got.ofi, exp.ofi, `ofi ${at}`);
  close(got.ofiZ, exp.ofiZ, `ofi_z ${at}`);
  close(got.signal, exp.signal, `signal ${at}`);
  exp.levelImbalance.forEach((v, i) => close(got.levelImbalance[i]!, v, `level ${i + 1} imbalance ${at}`));
  assert.equal(got.events, BigInt(exp.events), `events ${at}`);
}

async function setup(config: OracleConfig) {
  const t = await testCore(8 << 20);
  assert.equal(t.core.bookInit(BOOK, BOOK_LEVELS, BASE_PRICE), BookStatus.OK);
  assert.ok(STATE + oracleStateBytes(t.core, config) <= OFI);
  initOracle(t.core, STATE, config);
  return t;
}

// ── random books ──────────────────────────────────────────────────────────────────────────────────

function randomConfig(r: () => number, i: number): OracleConfig {
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)]!;
  return validateOracleConfig({
    levels: i === 0 ? 1 : i === 1 ? 64 : pick([1, 2, 3, 5, 10, 1 + Math.floor(r() * 64)]),
    lambda: pick([0, 0.1, 0.5, 1, 3, r() * 2]),
    ofiWindow: i === 2 ? 4096 : pick([1, 2, 10, 1 + Math.floor(r() * 100)]),
    zWindow: i === 3 ? 1 : pick([2, 3, 20, 2 + Math.floor(r() * 150)]),
    weights: { wobi: r() * 4 - 2, ofi: r() * 2 - 1, micro: r() * 4 - 2 },
  });
}

test('16 000 random book events agree with the reference in every output (40 configs × 400 events)', async () => {
  const r = rng(20240611);
  let checked = 0;
  for (let c = 0; c < 40; c++) {
    const cfg = randomConfig(r, c);
    const { core } = await setup(cfg);
    const book = new RefBook();
    const ref = new RefOracle(cfg);
    let mid = BASE_PRICE + 128;
    const rebuild = () => {
      core.bookClear(BOOK);
      book.clear();
      const density = r();
      for (let d = 0; d < 100; d++) {
        for (const side of [BID, ASK]) {
          if (r() > density) continue;
          const price = side === BID ? mid - 1 - d : mid + d;
          const qty = 1 + Math.floor(r() * 1000);
          assert.equal(core.bookSet(BOOK, side, price, qty), BookStatus.OK);
          book.set(side, price, qty);
        }
      }
    };
    if (c % 2 === 1) rebuild();
    for (let step = 0; step < 400; step++) {
      mid = Math.min(BASE_PRICE + 140, Math.max(BASE_PRICE + 115, mid + Math.round((r() - 0.5) * 3)));
      const side = r() < 0.5 ? BID : ASK;
      // Mostly near the touch, sometimes through it (crossed books), now and then deep.
      const offset = r() < 0.1 ? Math.floor(r() * 100) : Math.floor(r() * 14) - 2;
      const price = side === BID ? mid - 1 - offset : mid + offset;
      const held = book.get(side, price);
      const op = r();
      if (op < 0.005) {
        core.bookClear(BOOK);
        book.clear();
      } else if (op < 0.01) {
        rebuild();
      } else if (op < 0.35) {
        const qty = op < 0.12 ? 0 : r() < 0.05 ? 1 + Math.floor(r() * MAX_QTY) : 1 + Math.floor(r() * 500);
        assert.equal(core.bookSet(BOOK, side, price, qty), BookStatus.OK);
        book.set(side, price, qty);
      } else if (op < 0.7) {
        const qty = 1 + Math.floor(r() * 500);
        const status = core.bookAdd(BOOK, side, price, qty);
        if (held + qty > MAX_QTY) assert.equal(status, BookStatus.OVERFLOW);
        else { assert.equal(status, BookStatus.OK); book.set(side, price, held + qty); }
      } else {
        const qty = 1 + Math.floor(r() * 500);
        core.bookReduce(BOOK, side, price, qty);
        book.set(side, price, Math.max(0, held - qty));
      }
      assert.equal(core.oracleUpdate(STATE, BOOK), OracleStatus.OK);
      check(core, STATE, ref.update(book), `config ${c} step ${step}`);
      checked++;
    }
  }
  assert.equal(checked, 16_000);
});

test('12 000 independent random books (oracleReset between them) agree with the reference', async () => {
  const r = rng(77);
  const cfg = validateOracleConfig({ levels: 64, lambda: 0.3, ofiWindow: 1, zWindow: 2 });
  const { core } = await setup(cfg);
  for (let k = 0; k < 12_000; k++) {
    core.bookClear(BOOK);
    const book = new RefBook();
    const depth = Math.floor(r() * 80);
    const density = r();
    const touch = BASE_PRICE + 100 + Math.floor(r() * 50);
    for (let d = 0; d < depth; d++) {
      for (const side of [BID, ASK]) {
        if (r() > density) continue;
        const price = side === BID ? touch - 1 - d : touch + d;
        const qty = r() < 0.02 ? 1 + Math.floor(r() * MAX_QTY) : 1 + Math.floor(r() * 10_000);
        core.bookSet(BOOK, side, price, qty);
        book.set(side, price, qty);
      }
    }
    assert.equal(core.oracleReset(STATE), OracleStatus.OK);
    assert.equal(core.oracleUpdate(STATE, BOOK), OracleStatus.OK);
    check(core, STATE, new RefOracle(cfg).update(book), `book ${k}`);
  }
});

test('one level written per update, mostly below the N levels read (the snapshot kept): the same outputs as a fresh snapshot, and the reference', async () => {
  // oracleUpdate keeps its last snapshot when the one level written since lies below its depth
  // (wasm-core/oracle.ts, topUnchanged). A second Oracle, reset before every update, always takes a fresh
  // snapshot: every output but OFI's must equal its bit for bit. A re-initialised, cleared or recentred
  // book, a switch to another book, two writes between updates and an update with none must all be noticed.
  const BOOK2 = BOOK + 32768;
  const FRESH = 2 << 20;
  const r = rng(9911);
  let checked = 0;
  for (const levels of [1, 2, 3, 5, 10]) {
    const cfg = validateOracleConfig({ levels, lambda: 0.4, ofiWindow: 7, zWindow: 30, weights: { wobi: 1, ofi: 0.5, micro: 1 } });
    const { core } = await setup(cfg);
    assert.equal(core.bookInit(BOOK2, BOOK_LEVELS, BASE_PRICE), BookStatus.OK);
    initOracle(core, FRESH, cfg);
    const books = new Map([[BOOK, new RefBook()], [BOOK2, new RefBook()]]);
    const ref = new RefOracle(cfg);
    let at = BOOK;
    const mid = BASE_PRICE + 128;
    const write = (addr: number) => {
      const side = r() < 0.5 ? BID : ASK;
      // Mostly below the top levels; now and then at or above them.
      const offset = r() < 0.8 ? levels + Math.floor(r() * 30) : Math.floor(r() * (levels + 2));
      const price = side === BID ? mid - 1 - offset : mid + offset;
      const qty = r() < 0.3 ? 0 : 1 + Math.floor(r() * 500);
      assert.equal(core.bookSet(addr, side, price, qty), BookStatus.OK);
      books.get(addr)!.set(side, price, qty);
    };
    for (let d = 0; d < 2 * levels + 4; d++) { write(BOOK); write(BOOK2); }
    for (let step = 0; step < 3000; step++) {
      const op = r();
      if (op < 0.01) {
        assert.equal(core.bookInit(at, BOOK_LEVELS, BASE_PRICE), BookStatus.OK);
        books.get(at)!.clear();
        write(at);
      } else if (op < 0.02) {
        core.bookClear(at);
        books.get(at)!.clear();
      } else if (op < 0.03) {
        core.bookRecenter(at, BASE_PRICE); // same band: nothing moves, but it is not one level's write
      } else if (op < 0.06) {
        at = at === BOOK ? BOOK2 : BOOK;
        write(at);
      } else if (op < 0.09) {
        write(at);
        write(at);
      } else if (op >= 0.1) {
        write(at);
      } // else: no write at all
      assert.equal(core.oracleUpdate(STATE, at), OracleStatus.OK);
      assert.equal(core.oracleReset(FRESH), OracleStatus.OK);
      assert.equal(core.oracleUpdate(FRESH, at), OracleStatus.OK);
      const got = readOracle(core, STATE, levels);
      const fresh = readOracle(core, FRESH, levels);
      const where = `levels ${levels} step ${step}`;
      for (const k of ['wobi', 'imbalancePct', 'weightedMid', 'mid', 'spread'] as const) {
        assert.ok(Object.is(got[k], fresh[k]), `${k} ${where}: kept ${got[k]}, fresh ${fresh[k]}`);
      }
      got.levelImbalance.forEach((v, i) => assert.ok(Object.is(v, fresh.levelImbalance[i]), `level ${i + 1} ${where}`));
      check(core, STATE, ref.update(books.get(at)!), where);
      checked++;
    }
  }
  assert.equal(checked, 15_000);
});

test('hand-worked: a kept snapshot never crosses to another book whose write count happens to follow on', async () => {
  const cfg = validateOracleConfig({ levels: 1, lambda: 0 });
  const { core } = await setup(cfg);
  const BOOK2 = BOOK + 32768;
  assert.equal(core.bookInit(BOOK2, BOOK_LEVELS, BASE_PRICE), BookStatus.OK);
  // Both books written twice since init, so their write counts are equal.
  core.bookSet(BOOK, BID, BASE_PRICE + 100, 10);
  core.bookSet(BOOK, ASK, BASE_PRICE + 101, 10);
  core.bookSet(BOOK2, BID, BASE_PRICE + 100, 50);
  core.bookSet(BOOK2, ASK, BASE_PRICE + 101, 5);
  assert.equal(core.oracleUpdate(STATE, BOOK), OracleStatus.OK);
  assert.equal(core.oracleWobi(STATE), 0); // (10 − 10)/(10 + 10)
  // One write on the other book, below the level read: its count is now the first book's + 1.
  core.bookSet(BOOK2, BID, BASE_PRICE + 90, 1);
  assert.equal(core.oracleUpdate(STATE, BOOK2), OracleStatus.OK);
  close(core.oracleWobi(STATE), (50 - 5) / (50 + 5), 'wobi of the second book');
  close(core.oracleWeightedMid(STATE), BASE_PRICE + 100 + 50 / 55, 'weighted mid: Pb + 1 tick · 50/55');
});

test('OFI and its z-score stay exact over 300 000 events of near-maximal sizes (4096-event windows)', async () => {
  // Sizes up to 2^31 − 1 push |ofi| towards 2^44 and Σofi² past 2^64: the core keeps them exact.
  const { core } = await testCore(8 << 20);
  const W = 4096, Z = 4096, N = 300_000;
  assert.equal(core.ofiInit(OFI, W, Z), OracleStatus.OK);
  const r = rng(4242);
  // prefix[k] = e₁ + … + e_k, exact: |Σe| < 300 000 · 2^32 < 2^53.
  const prefix = [0];
  let prev: Top | undefined;
  let pb = 5000, pa = 5002;
  const ofiAt = (k: number) => prefix[k]! - prefix[Math.max(0, k - W)]!;
  for (let k = 1; k <= N; k++) {
    const u = r();
    if (u < 0.1 && pb + 1 < pa) pb++; else if (u < 0.2) pb--;
    const v = r();
    if (v < 0.1 && pa - 1 > pb) pa--; else if (v < 0.2) pa++;
    const big = r() < 0.5;
    const qb = big ? MAX_QTY - Math.floor(r() * 1000) : Math.floor(r() * 1000);
    const qa = r() < 0.5 ? MAX_QTY - Math.floor(r() * 1000) : Math.floor(r() * 1000);
    // qty 0 at a present price is a legal input to ofiOnTop; an empty side is NO_PRICE.
    const emptyBid = r() < 0.01;
    const top: Top = { pb: emptyBid ? -Infinity : pb, qb: emptyBid ? 0 : qb, pa, qa };
    assert.equal(core.ofiOnTop(OFI, emptyBid ? NO_PRICE : pb, qb, pa, qa), OracleStatus.OK);
    const e = prev === undefined ? 0
      : (top.pb >= prev.pb ? top.qb : 0) - (top.pb <= prev.pb ? prev.qb : 0)
        - (top.pa <= prev.pa ? top.qa : 0) + (top.pa >= prev.pa ? prev.qa : 0);
    prev = top;
    prefix.push(prefix[k - 1]! + e);
    if (k % 1499 === 0 || k === N || k < 5) {
      assert.equal(core.ofiValue(OFI), ofiAt(k), `ofi at event ${k}`);
      const xs: number[] = [];
      for (let j = Math.max(1, k - Z + 1); j <= k; j++) xs.push(ofiAt(j));
      close(core.ofiZ(OFI), zScore(xs), `z at event ${k}`);
    }
  }
  assert.equal(core.ofiEvents(OFI), BigInt(N));
});

// ── hand-worked examples ──────────────────────────────────────────────────────────────────────────

test('hand-worked: 3-level book, λ = 0.5', async () => {
  const cfg = validateOracleConfig({ levels: 3, lambda: 0.5 });
  const { core } = await setup(cfg);
  // bids 100×10, 99×20, 98×30 · asks 101×5, 102×10, 103×40
  for (const [p, q] of [[100, 10], [99, 20], [98, 30]] as const) core.bookSet(BOOK, BID, BASE_PRICE + p, q);
  for (const [p, q] of [[101, 5], [102, 10], [103, 40]] as const) core.bookSet(BOOK, ASK, BASE_PRICE + p, q);
  assert.equal(core.oracleUpdate(STATE, BOOK), OracleStatus.OK);
  const got = readOracle(core, STATE, 3);
  // w = 1, e^−0.5 = 0.6065306597, e^−1 = 0.3678794412
  // num = 1·(10 − 5) + 0.6065306597·(20 − 10) + 0.3678794412·(30 − 40) = 5 + 6.065306597 − 3.678794412 = 7.386512185
  // den = 1·15 + 0.6065306597·30 + 0.3678794412·70 = 15 + 18.19591979 + 25.75156088 = 58.94748067
  // wobi = 7.386512185 / 58.94748067 = 0.1253066645
  close(got.wobi, 0.12530666452633624, 'wobi');
  // ΣVb = 60, ΣVa = 55 → 100·5/115 = 4.347826087 %
  close(got.imbalancePct, 100 * 5 / 115, 'imbalance %');
  // weighted mid = (Pb·Va + Pa·Vb)/(Va + Vb) = (10100·5 + 10101·10)/15 = 10100 + 10/15 = 10100.6667 ticks
  close(got.weightedMid, BASE_PRICE + 100 + 2 / 3, 'weighted mid');
  close(got.mid, BASE_PRICE + 100.5, 'mid');
  close(got.spread, 1, 'spread');
  // per level: 5/15 = 1/3, 10/30 = 1/3, −10/70 = −1/7
  close(got.levelImbalance[0]!, 1 / 3, 'level 1');
  close(got.levelImbalance[1]!, 1 / 3, 'level 2');
  close(got.levelImbalance[2]!, -1 / 7, 'level 3');
  // first event: ofi = 0, z = 0. signal = tanh(1·0.1253066645 + 0.5·0 + 1·(0.6667 − 0.5)/1)
  //   = tanh(0.2919733312) = 0.2839500536
  assert.equal(got.ofi, 0);
  assert.equal(got.ofiZ, 0);
  close(got.signal, 0.28395005361273745, 'signal');
});

test('hand-worked: OFI over 5 events, ofiWindow 3, zWindow 4', async () => {
  const cfg = validateOracleConfig({ levels: 1, ofiWindow: 3, zWindow: 4 });
  const { core } = await setup(cfg);
  const P = (p: number) => BASE_PRICE + p;
  const step = () => { assert.equal(core.oracleUpdate(STATE, BOOK), OracleStatus.OK); return [core.oracleOfi(STATE), core.oracleOfiZ(STATE)]; };
  // 1: bid 100×10, ask 102×5. No previous top: e₁ = 0. ofi = 0; one value → z = 0.
  core.bookSet(BOOK, BID, P(100), 10);
  core.bookSet(BOOK, ASK, P(102), 5);
  assert.deepEqual(step(), [0, 0]);
  // 2: bid size 10 → 14 at the same price: +14 − 10; ask unchanged: −5 + 5. e₂ = 4, ofi = 0 + 4 = 4.
  //    ofi values {0, 4}: mean 2, σ = 2 → z = (4 − 2)/2 = 1.
  core.bookSet(BOOK, BID, P(100), 14);
  let [ofi, z] = step();
  assert.equal(ofi, 4);
  close(z!, 1, 'z₂');
  // 3: a new ask 101×3 inside the spread: Pa 101 ≤ 102 → −3, Pa ≥ 102 false → 0; bid +14 − 14.
  //    e₃ = −3, ofi = 0 + 4 − 3 = 1. {0, 4, 1}: mean 5/3, σ² = (25 + 49 + 4)/9/3 = 78/27
  //    → z = (1 − 5/3)/√(78/27) = −0.3922322703.
  core.bookSet(BOOK, ASK, P(101), 3);
  [ofi, z] = step();
  assert.equal(ofi, 1);
  close(z!, -0.3922322702763681, 'z₃');
  // 4: bid 100 wiped, best bid 99×20: Pb 99 ≥ 100 false → 0, Pb ≤ 100 → −14; ask unchanged.
  //    e₄ = −14, ofi = e₂ + e₃ + e₄ = 4 − 3 − 14 = −13 (e₁ left the 3-event window).
  //    {0, 4, 1, −13}: mean −2, deviations 2, 6, 3, −11 → σ² = (4 + 36 + 9 + 121)/4 = 42.5
  //    → z = (−13 + 2)/√42.5 = −11/6.519202405 = −1.687322975.
  core.bookSet(BOOK, BID, P(99), 20);
  core.bookSet(BOOK, BID, P(100), 0);
  [ofi, z] = step();
  assert.equal(ofi, -13);
  close(z!, -1.687322975464215, 'z₄');
  // 5: both asks removed → empty ask side at +∞: Pa ≤ 101 false → 0, Pa ≥ 101 → +3 (all 3 withdrawn).
  //    e₅ = 3, ofi = −3 − 14 + 3 = −14. z window of 4 drops the 0: {4, 1, −13, −14}: mean −5.5,
  //    deviations 9.5, 6.5, −7.5, −8.5 → σ² = (90.25 + 42.25 + 56.25 + 72.25)/4 = 65.25
  //    → z = (−14 + 5.5)/√65.25 = −8.5/8.077747211 = −1.052273583.
  core.bookSet(BOOK, ASK, P(101), 0);
  core.bookSet(BOOK, ASK, P(102), 0);
  [ofi, z] = step();
  assert.equal(ofi, -14);
  close(z!, -1.052273583003294, 'z₅');
  assert.equal(core.oracleEvents(STATE), 5n);
  // One side empty: mid = weighted mid = best bid, spread 0.
  assert.equal(core.oracleMid(STATE), P(99));
  assert.equal(core.oracleWeightedMid(STATE), P(99));
  assert.equal(core.oracleSpread(STATE), 0);
  // Reset clears history, keeps the config: the same first event gives ofi 0 again.
  assert.equal(core.oracleReset(STATE), OracleStatus.OK);
  assert.equal(core.oracleEvents(STATE), 0n);
  assert.deepEqual(step(), [0, 0]);
  // Both sides empty: everything 0, no NaN.
  core.bookClear(BOOK);
  step();
  const got = readOracle(core, STATE, 1);
  assert.deepEqual([got.wobi, got.imbalancePct, got.weightedMid, got.mid, got.spread, got.levelImbalance[0]], [0, 0, 0, 0, 0, 0]);
  // e = −20 (bid 99×20 vanished); two values {0, −20}: z = −1.
  assert.equal(got.ofi, -20);
  close(got.ofiZ, -1, 'z after both sides emptied');
});

test('λ = +∞ weighs the top level only; equal OFI values give z = 0', async () => {
  const { core } = await setup(validateOracleConfig({ levels: 3, lambda: Infinity, zWindow: 3 }));
  core.bookSet(BOOK, BID, BASE_PRICE + 100, 30);
  core.bookSet(BOOK, BID, BASE_PRICE + 99, 1000);
  core.bookSet(BOOK, ASK, BASE_PRICE + 101, 10);
  for (let i = 0; i < 3; i++) assert.equal(core.oracleUpdate(STATE, BOOK), OracleStatus.OK);
  close(core.oracleWobi(STATE), (30 - 10) / (30 + 10), 'wobi = L1 imbalance');
  assert.equal(core.oracleOfiZ(STATE), 0, 'ofi values 0, 0, 0: σ = 0');
});

// ── refusals and layout ───────────────────────────────────────────────────────────────────────────

test('the core refuses bad config, unaligned or uninitialised state and a missing book', async () => {
  const { core } = await testCore(8 << 20);
  const init = (levels: number, lambda: number, ofiW: number, zW: number, wWobi = 1, wOfi = 0.5, wMicro = 1, at = STATE) =>
    core.oracleInit(at, levels, lambda, ofiW, zW, wWobi, wOfi, wMicro);
  assert.equal(core.oracleUpdate(STATE, BOOK), OracleStatus.UNINITIALISED, 'never initialised');
  assert.equal(core.oracleReset(STATE), OracleStatus.UNINITIALISED);
  assert.equal(init(0, 0.5, 10, 10), OracleStatus.BAD_LEVELS);
  assert.equal(init(65, 0.5, 10, 10), OracleStatus.BAD_LEVELS);
  assert.equal(init(5, -1, 10, 10), OracleStatus.BAD_LAMBDA);
  assert.equal(init(5, NaN, 10, 10), OracleStatus.BAD_LAMBDA);
  assert.equal(init(5, 0.5, 0, 10), OracleStatus.BAD_OFI_WINDOW);
  assert.equal(init(5, 0.5, 4097, 10), OracleStatus.BAD_OFI_WINDOW);
  assert.equal(init(5, 0.5, 10, 0), OracleStatus.BAD_Z_WINDOW);
  assert.equal(init(5, 0.5, 10, 4097), OracleStatus.BAD_Z_WINDOW);
  assert.equal(init(5, 0.5, 10, 10, NaN), OracleStatus.BAD_WEIGHT);
  assert.equal(init(5, 0.5, 10, 10, 1, Infinity), OracleStatus.BAD_WEIGHT);
  assert.equal(init(5, 0.5, 10, 10, 1, 0.5, -Infinity), OracleStatus.BAD_WEIGHT);
  assert.equal(init(5, 0.5, 10, 10, 1, 0.5, 1, STATE + 4), OracleStatus.MISALIGNED);
  assert.equal(init(64, 0, 4096, 4096), OracleStatus.OK, 'extremes accepted');
  assert.equal(core.oracleUpdate(STATE, BOOK), OracleStatus.BAD_BOOK, 'no book initialised there');
  assert.equal(core.oracleUpdate(STATE, BOOK + 8), OracleStatus.BAD_BOOK, 'misaligned book');
  assert.equal(init(5, -1, 10, 10), OracleStatus.BAD_LAMBDA);
  assert.equal(core.oracleUpdate(STATE, BOOK), OracleStatus.UNINITIALISED, 'a refused re-init leaves it uninitialised');
  assert.equal(core.ofiOnTop(OFI, 1, 1, 2, 1), OracleStatus.UNINITIALISED);
  assert.equal(core.ofiInit(OFI, 1, 1), OracleStatus.OK);
  assert.equal(core.ofiOnTop(OFI, 1, -1, 2, 1), OracleStatus.BAD_QTY);
  assert.equal(core.oracleBytes(0, 10, 10), 0);
  assert.equal(core.oracleBytes(65, 10, 10), 0);
  assert.equal(core.oracleBytes(5, 0, 10), 0);
  assert.equal(core.oracleBytes(5, 10, 4097), 0);
  assert.equal(core.ofiBytes(4097, 1), 0);
  // 128-byte header + 32·N (weights, level imbalance, snapshot rows), then the OFI block: 128 + 8·(W + Z).
  assert.equal(core.oracleBytes(5, 10, 10), 320 + 320);
  assert.equal(core.oracleBytes(64, 4096, 4096) % 64, 0);
});

test('host config: defaults, and ConfigError naming the key and the allowed range', async () => {
  assert.deepEqual(validateOracleConfig(), DEFAULT_ORACLE_CONFIG);
  assert.deepEqual(validateOracleConfig({ weights: { ofi: 2 } }).weights, { wobi: 1, ofi: 2, micro: 1 });
  const refuses = (input: unknown, message: string) =>
    assert.throws(() => validateOracleConfig(input as never), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.equal(err.message, message);
      return true;
    });
  refuses({ lambda: -1 }, 'oracle.lambda must be a number ≥ 0, got -1');
  refuses({ lambda: '1' }, 'oracle.lambda must be a number ≥ 0, got "1"');
  refuses({ levels: 0 }, 'oracle.levels must be an integer in [1, 64], got 0');
  refuses({ levels: 65 }, 'oracle.levels must be an integer in [1, 64], got 65');
  refuses({ levels: 2.5 }, 'oracle.levels must be an integer in [1, 64], got 2.5');
  refuses({ ofiWindow: 0 }, 'oracle.ofiWindow must be an integer in [1, 4096], got 0');
  refuses({ zWindow: 0 }, 'oracle.zWindow must be an integer in [1, 4096], got 0');
  refuses({ zWindow: 4097 }, 'oracle.zWindow must be an integer in [1, 4096], got 4097');
  refuses({ weights: { micro: Infinity } }, 'oracle.weights.micro must be a finite number, got null');
  refuses({ weights: { wobi: 'x' } }, 'oracle.weights.wobi must be a finite number, got "x"');
  refuses({ levles: 5 }, 'oracle.levles must be one of the known keys (levels, lambda, ofiWindow, zWindow, weights), got "levles"');
  refuses(null, 'oracle must be an object, got null');

  const { core } = await testCore(8 << 20);
  assert.throws(() => initOracle(core, STATE + 4, DEFAULT_ORACLE_CONFIG), /oracleInit at offset 1048580 refused: MISALIGNED \(-6\)/);
  // The memory map places one state block per symbol from the core's own size.
  const bytes = oracleStateBytes(core, DEFAULT_ORACLE_CONFIG);
  assert.equal(bytes, core.oracleBytes(5, 50, 1000));
  const map = planMemory({
    books: [{ symbol: 'INFY', levels: 64 }],
    states: [{ name: 'oracle:INFY', bytes }, { name: 'oracle:TCS', bytes }],
  }, core);
  for (const s of Object.values(map.states)) {
    assert.equal(s.offset % 64, 0);
    initOracle(core, s.offset, DEFAULT_ORACLE_CONFIG);
  }
});

// The L2 event source (host/sim/l2-events.ts) on the repository's fixtures, against a reference that reads
// the raw CSV and JSON lines itself (fixtures/README.md), and the records driving the queue models in the core.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { fixturesDir } from '../testkit/fixtures.js';
import { testCore } from '../testkit/core.js';
import {
  L2EventKind, L2EventWriter, L2_RECORD_BYTES, loadBinanceL2Events, loadLobsterL2Events, type L2Events,
} from '../../host/sim/l2-events.js';
import { QueuePositions } from '../../host/modules/queue-position.js';
import { Side } from '../../host/model/vocabulary.js';

const LEVEL = L2EventKind.LEVEL;
const TRADE = L2EventKind.TRADE;
const BUY = Side.BUY;
const SELL = Side.SELL;
const MESSAGE = 'lobster/AAPL_2012-06-21_34200000_57600000_message_10.csv';
const ORDERBOOK = 'lobster/AAPL_2012-06-21_34200000_57600000_orderbook_10.csv';
const BINANCE = 'binance/btcusdt_20240808.gz';
const path = (name: string) => fileURLToPath(new URL(name, fixturesDir()));

type Rec = [timeNs: number, kind: number, side: number, price: number, qty: number];

function records(ev: L2Events, from = 0, to = ev.count): Rec[] {
  const out: Rec[] = [];
  for (let i = from; i < to; i++) out.push([ev.timeNs(i), ev.kind(i), ev.side(i), ev.price(i), ev.qty(i)]);
  return out;
}

function lines(text: string): string[] {
  const l = text.split('\n');
  if (l[l.length - 1] === '') l.pop();
  return l;
}

/** Sorted (BUY first, then SELL; prices ascending) levels of a book, as LEVEL records at `t`. */
function levelsOf(book: Map<number, number>[], t: number): Rec[] {
  const out: Rec[] = [];
  for (const side of [BUY, SELL]) for (const p of [...book[side]!.keys()].sort((a, b) => a - b)) out.push([t, LEVEL, side, p, book[side]!.get(p)!]);
  return out;
}

function setLevel(book: Map<number, number>[], side: number, price: number, qty: number): void {
  if (qty > 0) book[side]!.set(price, qty);
  else book[side]!.delete(price);
}

// ── LOBSTER ─────────────────────────────────────────────────────────────────────────────────────

/** "34200.004241176" → nanoseconds, exactly. */
function lobsterNs(text: string): bigint {
  const [s, f = ''] = text.split('.');
  return BigInt(s!) * 1_000_000_000n + BigInt(f.padEnd(9, '0').slice(0, 9));
}

/** The records the fixtures README's description of the LOBSTER pair implies, at 100 price units per tick. */
function lobsterReference(): Rec[] {
  const msgs = lines(readFileSync(path(MESSAGE), 'utf8')).map((l) => l.split(','));
  const row1 = lines(readFileSync(path(ORDERBOOK), 'utf8'))[0]!.split(',').map(Number);
  const book = [new Map<number, number>(), new Map<number, number>()];
  for (let l = 0; l < row1.length; l += 4) {
    // ask price, ask size, bid price, bid size; an empty level has size 0
    if (row1[l + 1]! > 0) setLevel(book, SELL, row1[l]! / 100, row1[l + 1]!);
    if (row1[l + 3]! > 0) setLevel(book, BUY, row1[l + 2]! / 100, row1[l + 3]!);
  }
  // Row 1 is the book after message 1: take message 1 back out.
  const [, type1, , size1, price1, dir1] = msgs[0]!.map(Number);
  const side1 = dir1 === 1 ? BUY : SELL;
  const at1 = price1! / 100;
  if (type1! >= 1 && type1! <= 4) setLevel(book, side1, at1, Math.max(0, (book[side1]!.get(at1) ?? 0) + (type1 === 1 ? -size1! : size1!)));
  const out = levelsOf(book, 0);
  const t0 = lobsterNs(msgs[0]![0]!);
  for (const m of msgs) {
    const t = Number(lobsterNs(m[0]!) - t0);
    const [type, size, raw, dir] = [Number(m[1]), Number(m[3]), Number(m[4]), Number(m[5])];
    const resting = dir === 1 ? BUY : SELL;
    const price = raw / 100;
    const change = (delta: number) => {
      const total = Math.max(0, (book[resting]!.get(price) ?? 0) + delta);
      setLevel(book, resting, price, total);
      out.push([t, LEVEL, resting, price, total]);
    };
    if (type === 1) change(size);
    else if (type === 2 || type === 3) change(-size);
    else if (type === 4) {
      out.push([t, TRADE, 1 - resting, price, size]); // the aggressor is the other side of the resting order
      change(-size);
    } else if ((type === 5 || type === 6) && raw % 100 === 0) out.push([t, TRADE, 1 - resting, price, size]);
  }
  return out;
}

test('LOBSTER: the record count and every record match the raw message and orderbook lines', async () => {
  const ev = await loadLobsterL2Events(path(MESSAGE), path(ORDERBOOK));
  // 999 messages: 471 submissions and 369 deletions (one LEVEL each), 98 visible executions (a TRADE and a
  // LEVEL each), 61 hidden executions (a TRADE each, all on the cent grid), after the 19 levels of the first
  // orderbook row with message 1 (a new 18-lot bid at $585.33, the row's best bid) taken back out.
  assert.equal(ev.count, 19 + 471 + 369 + 2 * 98 + 61);
  assert.equal(ev.bytes.byteLength, ev.count * L2_RECORD_BYTES);
  const got = records(ev);
  // The first records, read off the files by hand: bid levels of row 1 upwards from $584.27 × 300, …
  assert.deepEqual(got[0], [0, LEVEL, BUY, 58427, 300]);
  assert.deepEqual(got[8], [0, LEVEL, BUY, 58530, 150]);
  assert.deepEqual(got[9], [0, LEVEL, SELL, 58594, 200]);
  assert.deepEqual(got[18], [0, LEVEL, SELL, 58790, 500]);
  // message lines 1–4: "34200.004241176,1,16113575,18,5853300,1", "34200.00426064,1,…,18,5853200,1",
  // "34200.004447484,1,…,18,5853100,1", "34200.025551909,1,…,18,5859100,-1": four new 18-lot orders.
  assert.deepEqual(got.slice(19, 23), [
    [0, LEVEL, BUY, 58533, 18],
    [19_464, LEVEL, BUY, 58532, 18],
    [206_308, LEVEL, BUY, 58531, 18],
    [21_310_733, LEVEL, SELL, 58591, 18],
  ]);
  const want = lobsterReference();
  assert.equal(got.length, want.length);
  for (let i = 0; i < want.length; i++) assert.deepEqual(got[i], want[i], `record ${i}`);
  for (let i = 1; i < got.length; i++) assert.ok(got[i]![0] >= got[i - 1]![0], `record ${i} goes back in time`);
});

// ── Binance ─────────────────────────────────────────────────────────────────────────────────────

/** Whole units of 10^-places in a decimal text, or NaN when it is not a whole number of them. */
function units(text: unknown, places: number): number {
  const m = typeof text === 'string' ? /^(\d+)(?:\.(\d+))?$/.exec(text) : null;
  if (m === null) return NaN;
  const frac = m[2] ?? '';
  if (/[1-9]/.test(frac.slice(places))) return NaN;
  return Number(m[1]! + frac.padEnd(places, '0').slice(0, places));
}
const okPrice = (p: number) => Number.isInteger(p) && p > 0 && p <= 0x7fffffff;
const okQty = (q: number, zero: boolean) => Number.isInteger(q) && (zero ? q >= 0 : q > 0) && q <= 0x7fffffff;

/**
 * The records Binance's book-sync procedure gives on the raw lines (fixtures/README.md), with exact times
 * (BigInt nanoseconds since the first line); prices in 0.01 USDT, quantities in 0.00001 BTC.
 */
function binanceReference(): { recs: Rec[]; exactNs: bigint[] } {
  const raw = lines(gunzipSync(readFileSync(path(BINANCE))).toString('utf8'));
  const book = [new Map<number, number>(), new Map<number, number>()];
  const recs: Rec[] = [];
  const exactNs: bigint[] = [];
  const t0 = BigInt(raw[0]!.slice(0, raw[0]!.indexOf(' ')));
  let lastU = -1;
  const push = (t: bigint, r: Rec) => {
    recs.push(r);
    exactNs.push(t);
  };
  const pairs = (t: bigint, list: [string, string][], side: number, listed?: Set<number>) => {
    for (const [p, q] of list) {
      const price = units(p, 2);
      const qty = units(q, 5);
      if (!okPrice(price) || !okQty(qty, true)) continue;
      setLevel(book, side, price, qty);
      listed?.add(price);
      push(t, [0, LEVEL, side, price, qty]);
    }
  };
  for (const line of raw) {
    const sp = line.indexOf(' ');
    const t = BigInt(line.slice(0, sp)) - t0;
    const msg = JSON.parse(line.slice(sp + 1)) as Record<string, any>;
    if (msg.stream === undefined && 'lastUpdateId' in msg) {
      const listed = [new Set<number>(), new Set<number>()];
      pairs(t, msg.bids, BUY, listed[BUY]);
      pairs(t, msg.asks, SELL, listed[SELL]);
      for (const side of [BUY, SELL]) {
        for (const p of [...book[side]!.keys()].sort((a, b) => a - b)) {
          if (listed[side]!.has(p)) continue;
          book[side]!.delete(p);
          push(t, [0, LEVEL, side, p, 0]);
        }
      }
      lastU = msg.lastUpdateId;
    } else if (String(msg.stream).includes('@depth')) {
      const d = msg.data;
      if (lastU >= 0 && d.u <= lastU) continue; // stale: already in the snapshot
      lastU = d.u;
      pairs(t, d.b, BUY);
      pairs(t, d.a, SELL);
    } else if (String(msg.stream).endsWith('@trade')) {
      const price = units(msg.data.p, 2);
      const qty = units(msg.data.q, 5);
      if (okPrice(price) && okQty(qty, false)) push(t, [0, TRADE, msg.data.m === true ? SELL : BUY, price, qty]);
    }
  }
  return { recs, exactNs };
}

test('Binance: the record count and every record match the raw lines (times exact to the nanosecond)', async () => {
  const notes: string[] = [];
  const ev = await loadBinanceL2Events(path(BINANCE), '0.01', '0.00001', (l) => notes.push(l));
  const got = records(ev);
  // Line 1 is a depth diff whose first bid is ["61737.63000000","0.00000000"] (removed) and first ask
  // ["61837.64000000","1.54698000"]; line 4 the first trade: 0.02 BTC at 61837.63, buyer the maker (m true,
  // so a seller took it), received 1723161254087896568 − 1723161253937085768 = 150 810 800 ns after line 1.
  assert.deepEqual(got[0], [0, LEVEL, BUY, 6173763, 0]);
  assert.deepEqual(got[3], [0, LEVEL, SELL, 6183764, 154_698]);
  const firstTrade = got.findIndex((r) => r[1] === TRADE);
  assert.deepEqual(got[firstTrade]!.slice(1), [TRADE, SELL, 6183763, 2000]);
  assert.equal(got[firstTrade]![0], 150_810_800, `first trade at ${got[firstTrade]![0]} ns`);
  const { recs, exactNs } = binanceReference();
  assert.equal(ev.count, recs.length);
  assert.equal(recs.filter((r) => r[1] === TRADE).length, 9757, 'every trade line is on the grid');
  for (let i = 0; i < recs.length; i++) {
    assert.deepEqual(got[i]!.slice(1), recs[i]!.slice(1), `record ${i}`);
    // The receive time (~1.7e18 ns) is read as a BigInt: a double's step there is 256 ns.
    assert.equal(got[i]![0], Number(exactNs[i]!), `record ${i}: ${got[i]![0]} ns vs ${exactNs[i]} ns`);
    if (i > 0) assert.ok(got[i]![0] >= got[i - 1]![0], `record ${i} goes back in time`);
  }
  assert.equal(notes.length, 1, 'the one update-id gap (50093239219–224, fixtures/README.md) is noted');
  assert.match(notes[0]!, /jump from 50093239218 to 50093239225/);
});

// ── the buffer and the core ─────────────────────────────────────────────────────────────────────

test('the writer grows, refuses time going backwards, and round-trips times above 2^32 ns', () => {
  const w = new L2EventWriter();
  for (let i = 0; i < 3000; i++) w.push(i * 5_000_000_007, i % 2, i % 2, 100 + i, i);
  assert.throws(() => w.push(0, LEVEL, BUY, 1, 1), /record 3000: time 0 ns is not an integer at or after the previous 14995000020993 ns/);
  const ev = w.finish('test', '');
  assert.equal(ev.count, 3000);
  assert.deepEqual(records(ev, 2999), [[2999 * 5_000_000_007, 1, 1, 3099, 2999]]);
  assert.throws(() => ev.price(3000), /record index must be in \[0, 2999\], got 3000/);
});

test('queueApply on the LOBSTER records in core memory moves our queue exactly as the typed calls do', async () => {
  const { core, memory } = await testCore(1 << 22);
  const ev = await loadLobsterL2Events(path(MESSAGE), path(ORDERBOOK));
  const RECORDS = 1 << 20;
  ev.copyTo(memory.buffer, RECORDS);
  for (const model of ['conservative', 'power', 'log'] as const) {
    const viaRecords = new QueuePositions(core, 65536, { model, slots: 2 });
    const viaCalls = new QueuePositions(core, 65536 + 4096, { model, slots: 2 });
    // Once the first 59 records are in (the initial book and the first messages, 0.27 s), rest 100 shares at the
    // best bid and 100 at the best ask of the book the records have built, behind what those levels show.
    const book = new Map<string, number>();
    let filledRecords = 0;
    let filledCalls = 0;
    for (let i = 0; i < ev.count; i++) {
      if (i === 59) {
        const side = (s: number) => [...book].filter(([k, v]) => k.startsWith(`${s}:`) && v > 0).map(([k]) => Number(k.slice(2)));
        const bid = Math.max(...side(BUY));
        const ask = Math.min(...side(SELL));
        assert.ok(bid < ask, `a book that is not crossed: ${bid} / ${ask}`);
        for (const q of [viaRecords, viaCalls]) {
          q.place(0, BUY, bid, 100, book.get(`${BUY}:${bid}`)!);
          q.place(1, SELL, ask, 100, book.get(`${SELL}:${ask}`)!);
        }
      }
      if (ev.kind(i) === LEVEL) book.set(`${ev.side(i)}:${ev.price(i)}`, ev.qty(i));
      filledRecords += viaRecords.apply(RECORDS + i * L2_RECORD_BYTES);
      filledCalls += ev.kind(i) === TRADE ? viaCalls.onTrade(ev.side(i), ev.price(i), ev.qty(i)) : (viaCalls.onLevel(ev.side(i), ev.price(i), ev.qty(i)), 0);
      assert.equal(viaRecords.ahead(0), viaCalls.ahead(0), `${model} record ${i}`);
      assert.equal(viaRecords.ahead(1), viaCalls.ahead(1), `${model} record ${i}`);
    }
    assert.equal(filledRecords, filledCalls, model);
    assert.ok(filledRecords > 0, `${model}: the 50 s of AAPL fill some of our 200 shares`);
    assert.equal(core.queueRecordTime(RECORDS + (ev.count - 1) * L2_RECORD_BYTES), BigInt(ev.timeNs(ev.count - 1)));
  }
});

// Replay mode: the venue publishes a recorded feed as market data. The expected stream is worked out
// here independently from the raw files (plain CSV / JSON parsing, float → integer by rounding), and
// the venue's L2Deltas and Trades must match it frame for frame; the snapshots must match the book.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { DecimalUnits } from '../../host/venue/replay/decimal-units.js';
import {
  MessageType as T, RejectReason, Side,
  type L2Delta, type Reject, type Snapshot, type SymbolDefinition, type Trade,
} from '../../host/protocol/index.js';
import { fixturesDir } from '../testkit/fixtures.js';
import { MdClient, OeClient, startVenue, type Received } from '../testkit/venue-harness.js';

type R<M> = M & Received;
type Expected = [type: number, side: number, price: number, qty: number];

const LOBSTER_MESSAGES = fileURLToPath(new URL('lobster/AAPL_2012-06-21_34200000_57600000_message_10.csv', fixturesDir()));
const LOBSTER_BOOK = fileURLToPath(new URL('lobster/AAPL_2012-06-21_34200000_57600000_orderbook_10.csv', fixturesDir()));
const BINANCE = fileURLToPath(new URL('binance/btcusdt_20240808.gz', fixturesDir()));

/** A level map per side with "publish when the total changes", as the venue promises. */
class Book {
  readonly sides = [new Map<number, number>(), new Map<number, number>()];
  readonly out: Expected[] = [];
  set(side: number, price: number, qty: number, publish = true): void {
    const before = this.sides[side]!.get(price) ?? 0;
    if (qty === before) return;
    if (qty === 0) this.sides[side]!.delete(price);
    else this.sides[side]!.set(price, qty);
    if (publish) this.out.push([T.L2Delta, side, price, qty]);
  }
  add(side: number, price: number, delta: number, publish = true): void {
    this.set(side, price, Math.max(0, (this.sides[side]!.get(price) ?? 0) + delta), publish);
  }
  top(side: number): { price: number; qty: number }[] {
    return [...this.sides[side]!.entries()]
      .sort((a, b) => (side === Side.BUY ? b[0] - a[0] : a[0] - b[0]))
      .slice(0, 20)
      .map(([price, qty]) => ({ price, qty }));
  }
}

function live(md: MdClient): Expected[] {
  return md.received
    .filter((m): m is R<L2Delta | Trade> => m.type === T.L2Delta || m.type === T.Trade)
    .map((m) => (m.type === T.L2Delta ? [T.L2Delta, m.side, m.price, m.qty] : [T.Trade, m.aggressorSide, m.price, m.qty]));
}

test('DecimalUnits: exact decimal text → whole ticks and lots', () => {
  const tick = new DecimalUnits('0.01');
  const lot = new DecimalUnits('0.00001');
  assert.equal(tick.toUnits('61737.63000000'), 6_173_763);
  assert.equal(tick.toUnits('61737'), 6_173_700);
  assert.ok(Number.isNaN(tick.toUnits('61737.635')));
  assert.equal(lot.toUnits('1.54698000'), 154_698);
  assert.equal(lot.toUnits('0.00000000'), 0);
  assert.ok(Number.isNaN(lot.toUnits('0.000001')));
  assert.ok(Number.isNaN(lot.toUnits('-1')));
  assert.equal(new DecimalUnits('0.5').toUnits('2'), 4);
});

test('LOBSTER replay: snapshot of the opening book, then every message as deltas and trades, orders halted', async (t) => {
  // Expected stream, from the CSV files.
  const messages = readFileSync(LOBSTER_MESSAGES, 'utf8').trim().split('\n').map((l) => l.split(',').map(Number));
  const row1 = readFileSync(LOBSTER_BOOK, 'utf8').split('\n')[0]!.split(',').map(Number);
  const book = new Book();
  for (let l = 0; l < row1.length; l += 4) {
    if (row1[l + 1]! > 0) book.set(Side.SELL, row1[l]! / 100, row1[l + 1]!, false);
    if (row1[l + 3]! > 0) book.set(Side.BUY, row1[l + 2]! / 100, row1[l + 3]!, false);
  }
  const [, type0, , size0, price0, dir0] = messages[0]!;
  if (type0! <= 4) book.add(dir0 === 1 ? Side.BUY : Side.SELL, price0! / 100, type0 === 1 ? -size0! : size0!, false);
  const opening = { bids: book.top(Side.BUY), asks: book.top(Side.SELL) };
  const mid = Math.floor((row1[2]! + row1[0]!) / 200);
  for (const [, type, , size, price, dir] of messages) {
    const side = dir === 1 ? Side.BUY : Side.SELL;
    if (type === 1) book.add(side, price! / 100, size!);
    else if (type === 2 || type === 3) book.add(side, price! / 100, -size!);
    else if (type === 4) {
      book.out.push([T.Trade, side ^ 1, price! / 100, size!]);
      book.add(side, price! / 100, -size!);
    } else if ((type === 5 || type === 6) && price! % 100 === 0 && size! > 0) {
      book.out.push([T.Trade, side ^ 1, price! / 100, size!]);
    }
  }

  const venue = await startVenue(t, `
[venue]
oe_port = 0
md_port = 0
[[users]]
id = 1
token = "alpha"
[[symbols]]
name = "AAPL"
tick_paise = 1
band_pct = 50
[replay]
kind = "lobster"
symbol = "AAPL"
message_file = ${JSON.stringify(LOBSTER_MESSAGES)}
orderbook_file = ${JSON.stringify(LOBSTER_BOOK)}
speed = "max"
`);
  assert.deepEqual(venue.ready.symbols, ['AAPL']);
  const md = await MdClient.connect(venue.ready.md_port);
  await md.until(() => live(md).length >= book.out.length, 10_000, 'the whole replay');
  const def = md.received[0] as R<SymbolDefinition>;
  assert.deepEqual([def.type, def.name, def.tickPaise, def.refPrice], [T.SymbolDefinition, 'AAPL', 1, mid]);
  const snap = md.received[1] as R<Snapshot>;
  assert.equal(snap.type, T.Snapshot);
  assert.equal(snap.lastSeq, 0);
  assert.deepEqual({ bids: snap.bids, asks: snap.asks }, opening);
  assert.deepEqual(live(md), book.out);
  assert.ok(book.out.length > 900);
  // Sequenced 1.. without gaps.
  const seqs = md.received.filter((m) => m.type === T.L2Delta || m.type === T.Trade).map((m) => m.seq);
  assert.deepEqual(seqs, seqs.map((_, i) => i + 1));
  // A snapshot now is the book after the last message.
  md.skipReceived();
  md.snapshotRequest(1);
  const end = await md.nextOf<R<Snapshot>>(T.Snapshot);
  assert.deepEqual([end.lastSeq, end.bids, end.asks], [seqs.length, book.top(Side.BUY), book.top(Side.SELL)]);
  // Order entry: logins work, orders on the replayed symbol are refused VENUE_HALTED.
  const oe = await OeClient.connect(venue.ready.oe_port);
  await oe.login(1, 'alpha');
  oe.newOrder(1, 1, Side.BUY, mid, 1);
  const r = await oe.nextOf<R<Reject>>(T.Reject);
  assert.deepEqual([r.reason, r.clOrdId], [RejectReason.VENUE_HALTED, 1]);
  assert.deepEqual(md.invalid, []);
  await md.until(() => /replay .*finished/.test(venue.stderr()), 2000, 'the end-of-replay log line');
});

test('Binance replay: depth diffs and the depth snapshot → L2 deltas in ticks and lots, trades → Trades', async (t) => {
  const LINES = 4000;
  const lines = gunzipSync(readFileSync(BINANCE)).toString('utf8').split('\n').slice(0, LINES);
  // The band: ref ± 50 %, ref = the first trade's price (the venue's default reference).
  const firstTradeLine = lines.find((l) => l.includes('@trade"'))!;
  const ref = Math.round(Number((JSON.parse(firstTradeLine.slice(firstTradeLine.indexOf(' ') + 1)) as { data: { p: string } }).data.p) * 100);
  const [bandLow, bandHigh] = [ref - Math.floor(ref / 2), ref + Math.floor(ref / 2)];
  /** Whole ticks/lots only (values off the grid are dropped), inside the band. */
  const onGrid = (x: number, scale: number): boolean => Math.abs(x * scale - Math.round(x * scale)) < 1e-6;
  const usable = (p: string, q: string): boolean => onGrid(Number(p), 100) && onGrid(Number(q), 1e5)
    && Math.round(Number(p) * 100) >= bandLow && Math.round(Number(p) * 100) <= bandHigh;
  const book = new Book();
  let firstTrade = 0;
  let lastU = -1;
  let snapshots = 0;
  const toTicks = (p: string): number => Math.round(Number(p) * 100);
  const toLots = (q: string): number => Math.round(Number(q) * 1e5);
  for (const line of lines) {
    const msg = JSON.parse(line.slice(line.indexOf(' ') + 1)) as Record<string, unknown>;
    if ('lastUpdateId' in msg) {
      // A REST depth snapshot: the book becomes its levels; older diffs are stale from now on.
      snapshots++;
      const listed = new Set<string>();
      for (const [key, side] of [['bids', Side.BUY], ['asks', Side.SELL]] as const) {
        for (const [p, q] of msg[key] as [string, string][]) {
          listed.add(`${side}:${toTicks(p)}`);
          if (usable(p, q)) book.set(side, toTicks(p), toLots(q));
        }
      }
      for (const side of [Side.BUY, Side.SELL]) {
        for (const price of [...book.sides[side]!.keys()]) if (!listed.has(`${side}:${price}`)) book.set(side, price, 0);
      }
      lastU = msg['lastUpdateId'] as number;
      continue;
    }
    const stream = msg['stream'] as string;
    const data = msg['data'] as Record<string, unknown>;
    if (stream.endsWith('@depth@100ms')) {
      if (lastU >= 0 && (data['u'] as number) <= lastU) continue;
      lastU = data['u'] as number;
      for (const [key, side] of [['b', Side.BUY], ['a', Side.SELL]] as const) {
        for (const [p, q] of data[key] as [string, string][]) if (usable(p, q)) book.set(side, toTicks(p), toLots(q));
      }
    } else if (stream.endsWith('@trade')) {
      const price = toTicks(data['p'] as string);
      if (firstTrade === 0) firstTrade = price;
      if (!usable(data['p'] as string, data['q'] as string)) continue;
      book.out.push([T.Trade, data['m'] === true ? Side.SELL : Side.BUY, price, toLots(data['q'] as string)]);
    }
  }
  assert.equal(snapshots, 1, 'the fixture holds one REST depth snapshot');

  const venue = await startVenue(t, `
[venue]
oe_port = 0
md_port = 0
[[symbols]]
name = "BTCUSDT"
tick_paise = 1
band_pct = 50
[replay]
kind = "binance"
symbol = "BTCUSDT"
file = ${JSON.stringify(BINANCE)}
tick_size = "0.01"
lot_size = "0.00001"
speed = "max"
max_lines = ${LINES}
`);
  const md = await MdClient.connect(venue.ready.md_port);
  await md.until(() => live(md).length >= book.out.length, 15_000, 'the replayed lines');
  const def = md.received[0] as R<SymbolDefinition>;
  assert.deepEqual([def.name, def.refPrice, def.lotSize], ['BTCUSDT', firstTrade, 1]);
  const snap = md.received[1] as R<Snapshot>;
  assert.deepEqual([snap.lastSeq, snap.bids.length, snap.asks.length], [0, 0, 0], 'the book starts empty');
  const got = live(md);
  assert.equal(got.length, book.out.length);
  assert.deepEqual(got, book.out);
  assert.ok(got.filter((e) => e[0] === T.Trade).length > 500);
  md.skipReceived();
  md.snapshotRequest(0);
  const end = await md.nextOf<R<Snapshot>>(T.Snapshot);
  assert.deepEqual([end.bids, end.asks], [book.top(Side.BUY), book.top(Side.SELL)]);
  assert.ok(end.bids[0]!.price < end.asks[0]!.price, 'not crossed');
  assert.deepEqual(md.invalid, []);
});

// The market-data port and its tie to matching: directory and snapshots on connect, snapshots on
// request, trades and L2 deltas from crossing sessions, cancel on disconnect.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FillFlags, MessageType as T, RejectReason, Side, TimeInForce, OrderKind,
  type Fill, type L2Delta, type Reject, type Snapshot, type SymbolDefinition, type Trade,
} from '../../host/protocol/index.js';
import { MdClient, OeClient, baseConfig, startManualVenue, startVenue, type Received } from '../testkit/venue-harness.js';

type R<M> = M & Received;

test('MD on connect: SymbolDefinition × N, then Snapshot × N, then live; snapshots on request', async (t) => {
  // On the venue's manual clock: the idle heartbeat at the end is the venue's timer, not a wait.
  const venue = await startManualVenue(t, baseConfig());
  const oe = venue.connectOe();
  await oe.login(1, 'alpha');
  oe.newOrder(1, 1, Side.BUY, 57_990, 10);
  oe.newOrder(2, 1, Side.BUY, 57_990, 5);
  oe.newOrder(3, 1, Side.SELL, 58_020, 7);
  await oe.until((all) => all.filter((m) => m.type === T.Ack).length === 3);

  const md = venue.connectMd();
  await md.until((all) => all.length >= 4);
  const [d1, d2, s1, s2] = md.received as [R<SymbolDefinition>, R<SymbolDefinition>, R<Snapshot>, R<Snapshot>];
  assert.deepEqual([d1.type, d2.type, s1.type, s2.type], [T.SymbolDefinition, T.SymbolDefinition, T.Snapshot, T.Snapshot]);
  assert.deepEqual([d1.symbol, d1.symbolCount, d1.name, d1.tickPaise, d1.lotSize, d1.bandLow, d1.bandHigh, d1.refPrice],
    [1, 2, 'RELIANCE', 5, 1, 52_200, 63_800, 58_000]);
  assert.deepEqual([d2.symbol, d2.name, d2.lotSize, d2.refPrice], [2, 'NIFTY-FUT', 75, 490_000]);
  assert.equal(s1.symbol, 1);
  assert.deepEqual(s1.bids, [{ price: 57_990, qty: 15 }]);
  assert.deepEqual(s1.asks, [{ price: 58_020, qty: 7 }]);
  assert.equal(s1.lastSeq, 3); // three deltas so far on symbol 1
  assert.deepEqual([s2.symbol, s2.bids.length, s2.asks.length, s2.lastSeq], [2, 0, 0, 0]);

  // Live: a new order → one delta, seq lastSeq + 1.
  oe.newOrder(4, 1, Side.SELL, 58_025, 2);
  const delta = await md.nextOf<R<L2Delta>>(T.L2Delta);
  assert.deepEqual([delta.seq, delta.symbol, delta.side, delta.price, delta.qty], [4, 1, Side.SELL, 58_025, 2]);

  // SnapshotRequest(1) and (0): one and all symbols; unknown symbol → Reject on MD.
  md.snapshotRequest(1);
  const s = await md.nextOf<R<Snapshot>>(T.Snapshot);
  assert.deepEqual([s.symbol, s.lastSeq, s.asks.length], [1, 4, 2]);
  md.snapshotRequest(0);
  const all = [await md.nextOf<R<Snapshot>>(T.Snapshot), await md.nextOf<R<Snapshot>>(T.Snapshot)];
  assert.deepEqual(all.map((x) => x.symbol), [1, 2]);
  md.snapshotRequest(3);
  const r = await md.nextOf<R<Reject>>(T.Reject);
  assert.deepEqual([r.reason, r.seq, r.refType], [RejectReason.UNKNOWN_SYMBOL, 0, T.SnapshotRequest]);
  // Idle MD heartbeats (1 s by default) carry seq 0.
  venue.clock.advance(900);
  assert.ok(!md.received.some((m) => m.type === T.Heartbeat), 'not before a second of silence');
  venue.clock.advance(200);
  const hb = await md.nextOf(T.Heartbeat, 3000);
  assert.equal(hb.seq, 0);
  assert.deepEqual(md.invalid, []);
});

test('two sessions crossing: Fills for both with one trade id, and Trade then L2 deltas on MD', async (t) => {
  const venue = await startVenue(t, baseConfig());
  const md = await MdClient.connect(venue.ready.md_port);
  await md.until((all) => all.length >= 4);
  const a = await OeClient.connect(venue.ready.oe_port);
  const b = await OeClient.connect(venue.ready.oe_port);
  await a.login(1, 'alpha');
  await b.login(2, 'beta');

  a.newOrder(1, 2, Side.SELL, 490_100, 150);
  a.newOrder(2, 2, Side.SELL, 490_105, 75);
  await a.until((all) => all.filter((m) => m.type === T.Ack).length === 2);
  // b buys 225 up to 490105: sweeps both levels.
  b.newOrder(7, 2, Side.BUY, 490_105, 225, OrderKind.LIMIT, TimeInForce.IOC);
  const bAck = await b.nextOf(T.Ack);
  const bf1 = await b.nextOf<R<Fill>>(T.Fill);
  const bf2 = await b.nextOf<R<Fill>>(T.Fill);
  assert.ok(bAck.seq < bf1.seq && bf1.seq < bf2.seq);
  assert.deepEqual([bf1.price, bf1.qty, bf1.leavesQty, bf1.flags], [490_100, 150, 75, 0]);
  assert.deepEqual([bf2.price, bf2.qty, bf2.leavesQty, bf2.flags], [490_105, 75, 0, FillFlags.FULL]);
  const af1 = await a.nextOf<R<Fill>>(T.Fill);
  const af2 = await a.nextOf<R<Fill>>(T.Fill);
  assert.deepEqual([af1.clOrdId, af1.tradeId, af1.flags], [1, bf1.tradeId, FillFlags.MAKER | FillFlags.FULL]);
  assert.deepEqual([af2.clOrdId, af2.tradeId, af2.flags], [2, bf2.tradeId, FillFlags.MAKER | FillFlags.FULL]);
  assert.notEqual(bf1.tradeId, bf2.tradeId);
  // No Canceled: the IOC filled completely.

  // MD for symbol 2: delta, delta (the two asks), then Trade, delta (level gone), Trade, delta.
  await md.until((all) => all.filter((m) => m.type === T.Trade).length === 2 && all.at(-1)!.type === T.L2Delta);
  const live = md.received.slice(4).filter((m) => m.type === T.L2Delta || m.type === T.Trade) as R<L2Delta | Trade>[];
  assert.deepEqual(live.map((m) => [m.type, m.seq]), [
    [T.L2Delta, 1], [T.L2Delta, 2], [T.Trade, 3], [T.L2Delta, 4], [T.Trade, 5], [T.L2Delta, 6],
  ]);
  const trade1 = live[2] as R<Trade>;
  assert.deepEqual([trade1.symbol, trade1.aggressorSide, trade1.price, trade1.qty, trade1.tradeId],
    [2, Side.BUY, 490_100, 150, bf1.tradeId]);
  const gone = live[3] as R<L2Delta>;
  assert.deepEqual([gone.side, gone.price, gone.qty], [Side.SELL, 490_100, 0]);
  assert.deepEqual([...md.invalid, ...a.invalid, ...b.invalid], []);
});

test('cancel on disconnect: a dropped session\'s resting orders leave the book', async (t) => {
  const venue = await startVenue(t, baseConfig());
  const md = await MdClient.connect(venue.ready.md_port);
  await md.until((all) => all.length >= 4);
  const a = await OeClient.connect(venue.ready.oe_port);
  await a.login(1, 'alpha');
  a.newOrder(1, 1, Side.BUY, 57_900, 10);
  a.newOrder(2, 1, Side.SELL, 58_100, 20);
  await a.until((all) => all.filter((m) => m.type === T.Ack).length === 2);
  a.close(); // no Logout: the connection just drops
  const emptied = (m: Received): boolean => m.type === T.L2Delta && m.qty === 0;
  const removed = [await md.next<R<L2Delta>>(emptied), await md.next<R<L2Delta>>(emptied)];
  assert.deepEqual(removed.map((d) => d.price).sort(), [57_900, 58_100]);
  md.snapshotRequest(1);
  const s = await md.nextOf<R<Snapshot>>(T.Snapshot);
  assert.deepEqual([s.bids.length, s.asks.length], [0, 0]);
  // The user may log in again at once (the old session is gone), with an empty order book of its own.
  const again = await OeClient.connect(venue.ready.oe_port);
  await again.login(1, 'alpha');
  again.cancel(3, 1);
  assert.equal((await again.nextOf<R<Reject>>(T.Reject)).reason, RejectReason.UNKNOWN_ORDER);
  assert.match(venue.stderr(), /peer closed/);
});

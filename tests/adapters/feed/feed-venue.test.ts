// Feed handler against a real venue process on loopback: the client book follows the venue's book
// (a symbol driven only by our orders → the exact expected book; a symbol with synthetic flow → a
// late-joining second feed, loaded from a later snapshot, agrees level for level at the same seq, and
// snapshots the venue sends at the book's own seq audit equal); trades carry the fills' trade ids; a
// lost delta (test hook) is detected as a gap and recovered; a venue restart on the same ports is
// survived with backoff (on a manual clock) and the books re-sync.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { FeedHandler, SymbolState, type FeedEvents } from '../../../host/adapters/feed/feed-handler.js';
import { OrderGateway } from '../../../host/adapters/gateway/order-gateway.js';
import { ExecutionRecorder } from '../../testkit/execution-recorder.js';
import { startVenue, venueConfigToml, type LocalVenue, type VenueSpec } from '../../../host/venue/venue-process.js';
import { OrderKind, Side, TimeInForce } from '../../../host/protocol/index.js';
import { feedMemory, until } from '../../testkit/md-server.js';
import { ManualClock } from '../../testkit/manual-clock.js';

const FLOW = 1;
const QUIET = 2;
const quiet = () => {};
const spec = (ports: { oePort?: number; mdPort?: number } = {}): VenueSpec => ({
  ...ports,
  users: [{ id: 1, token: 'one' }, { id: 2, token: 'two' }, { id: 3, token: 'three' }, { id: 4, token: 'four' }],
  symbols: [
    { name: 'FLOW', refPrice: 20_000, flowEventsPerSecond: 400, flowWarmupEvents: 500 },
    { name: 'QUIET', refPrice: 10_000 },
  ],
});
// Books smaller than the ±10 % bands (4001 ticks), so the windows must follow the market.
const BOOKS = [{ symbol: 'FLOW', levels: 1024 }, { symbol: 'QUIET', levels: 1024 }];

let venue: LocalVenue;
const cleanups: (() => unknown)[] = [];
before(async () => {
  venue = await startVenue(venueConfigToml(spec()));
});
after(async () => {
  for (const c of cleanups.reverse()) await c();
  await venue?.stop();
});

const RECONNECT_MAX_MS = 300;

async function startFeed(port = venue.mdPort, events: FeedEvents = {}, clock?: ManualClock): Promise<FeedHandler> {
  const feed = new FeedHandler({ port, reconnect: { initialMs: 20, maxMs: RECONNECT_MAX_MS, jitter: 0.2 }, log: quiet, clock },
    await feedMemory(BOOKS), events);
  feed.start();
  cleanups.push(() => feed.close());
  // On a manual clock whenSynced's own time limit would never pass: wait in real time instead.
  if (clock) await until(() => feed.isSynced, 5000, 'feed synced');
  else await feed.whenSynced(5000);
  return feed;
}

/** Until `cond` holds (5 s of real time at most), moves `clock` past the longest backoff each time the
 *  feed is waiting to dial again, so its next attempt goes out at once. */
async function redialUntil(feed: FeedHandler, clock: ManualClock, cond: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 5000;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    if (!feed.isConnected) clock.advance(RECONNECT_MAX_MS);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function gateway(userId: number, token: string, port = venue.oePort) {
  const rec = new ExecutionRecorder();
  const gw = new OrderGateway({ port, userId, token, log: quiet }, rec);
  await gw.connect();
  cleanups.push(() => gw.close());
  return { gw, rec };
}

/** Waits for two feeds to be at the same seq of `symbol`, then compares their top `depth` levels. */
async function sameBook(a: FeedHandler, b: FeedHandler, symbol: number, depth: number): Promise<number> {
  const end = Date.now() + 5000;
  for (;;) {
    if (a.lastSeq(symbol) === b.lastSeq(symbol) && a.state(symbol) === SymbolState.LIVE && b.state(symbol) === SymbolState.LIVE) {
      assert.deepEqual(a.top(symbol, depth), b.top(symbol, depth), `books differ at seq ${a.lastSeq(symbol)}`);
      return a.lastSeq(symbol);
    }
    if (Date.now() > end) throw new Error(`feeds never met at one seq (${a.lastSeq(symbol)} vs ${b.lastSeq(symbol)})`);
    await new Promise((r) => setImmediate(r));
  }
}

test('the feed book equals the book our own orders built, and trades carry the fills\' trade ids', async () => {
  const trades: number[] = [];
  const feed = await startFeed(venue.mdPort, {
    onTrade: (s, _side, _p, _q, id) => {
      if (s === QUIET) trades.push(id);
    },
  });
  const a = await gateway(1, 'one');
  const b = await gateway(2, 'two');
  const ids = [
    a.gw.newOrder(QUIET, Side.BUY, OrderKind.LIMIT, TimeInForce.GTC, 9_990, 10),
    a.gw.newOrder(QUIET, Side.BUY, OrderKind.LIMIT, TimeInForce.GTC, 9_990, 5),
    a.gw.newOrder(QUIET, Side.BUY, OrderKind.LIMIT, TimeInForce.GTC, 9_980, 7),
    a.gw.newOrder(QUIET, Side.SELL, OrderKind.LIMIT, TimeInForce.GTC, 10_010, 3),
    a.gw.newOrder(QUIET, Side.SELL, OrderKind.LIMIT, TimeInForce.GTC, 10_020, 4),
  ];
  for (const id of ids) await a.rec.waitFor('ack', (r) => r.clOrdId === id);
  a.gw.cancel(ids[4]!);
  await a.rec.waitFor('canceled', (r) => r.origClOrdId === ids[4]);
  // B sells 12 into the bids: 10 from the first order at 9990, 2 from the second.
  const sell = b.gw.newOrder(QUIET, Side.SELL, OrderKind.LIMIT, TimeInForce.IOC, 9_990, 12);
  // Filled in full: the last fill leaves 0 (a remainder would come back Canceled instead).
  await b.rec.waitFor('fill', (r) => r.clOrdId === sell && r.leavesQty === 0).catch(() => undefined);
  const fills = b.rec.of('fill', sell);
  assert.deepEqual(fills.map((f) => f.qty), [10, 2]);
  const expected = {
    bids: [{ price: 9_990, qty: 3 }, { price: 9_980, qty: 7 }],
    asks: [{ price: 10_010, qty: 3 }],
  };
  await until(() => JSON.stringify(feed.top(QUIET, 5)) === JSON.stringify(expected), 3000, 'feed book = expected');
  await until(() => trades.length === 2, 2000, 'two trades');
  assert.deepEqual(trades, fills.map((f) => f.tradeId));
  assert.equal(feed.counters.gaps, 0);
  assert.equal(feed.counters.badFrames, 0);
});

test('with synthetic flow, a late-joining feed agrees with the first at the same seq; snapshots audit equal', async () => {
  const first = await startFeed();
  await new Promise((r) => setTimeout(r, 700));
  const second = await startFeed();
  assert.ok(second.lastSeq(FLOW) > 0, 'the flow has moved the book');
  for (let i = 0; i < 5; i++) {
    const seq = await sameBook(first, second, FLOW, 20);
    assert.ok(seq > 0);
    await new Promise((r) => setTimeout(r, 100));
  }
  // Ask for snapshots: those that come at the book's own seq are compared with it.
  for (let i = 0; i < 20; i++) {
    first.requestSnapshot(FLOW);
    await new Promise((r) => setTimeout(r, 20));
  }
  await until(() => first.counters.snapshots >= 2 + 20, 3000, 'snapshot answers');
  // The venue writes a Snapshot into the stream after the deltas it includes, so each answer comes at
  // the book's own seq and is compared level for level.
  assert.ok(first.counters.audits >= 15, `audits ${first.counters.audits}, ahead ${first.counters.aheadSnapshots}`);
  assert.equal(first.counters.auditMismatches, 0);
  assert.equal(first.counters.gaps, 0);
  assert.ok(first.counters.deltas > 50, `deltas ${first.counters.deltas}`);
  assert.ok(first.top(FLOW, 1).bids.length === 1 && first.top(FLOW, 1).asks.length === 1, 'a two-sided flow book');
});

test('a lost delta is a gap: the symbol goes stale, re-syncs from a snapshot and agrees with a clean feed again', async () => {
  const clean = await startFeed();
  const stale: boolean[] = [];
  const lossy = await startFeed(venue.mdPort, {
    onStale: (s, st) => {
      if (s === FLOW) stale.push(st);
    },
  });
  stale.length = 0; // from the initial sync
  lossy.simulateLoss(FLOW, 1);
  await until(() => lossy.counters.resyncs === 1 && lossy.state(FLOW) === SymbolState.LIVE, 5000, 'resync');
  assert.equal(lossy.counters.gaps, 1);
  assert.equal(lossy.counters.snapshotRequests, 1);
  assert.deepEqual(stale, [true, false]);
  await sameBook(clean, lossy, FLOW, 20);
  assert.equal(clean.counters.gaps, 0);
});

test('the feed reconnects with backoff when the venue restarts on the same ports, and re-syncs', async () => {
  const own = await startVenue(venueConfigToml(spec()));
  cleanups.push(() => own.stop());
  const clock = new ManualClock();
  const feed = await startFeed(own.mdPort, {}, clock);
  const ports = { oePort: own.oePort, mdPort: own.mdPort };
  await own.stop();
  await until(() => !feed.isConnected, 3000, 'disconnect');
  const lost = feed.counters.disconnects;
  await redialUntil(feed, clock, () => feed.counters.disconnects >= lost + 3, 'a few refused attempts');
  assert.deepEqual(feed.top(QUIET), { bids: [], asks: [] });
  assert.equal(feed.state(FLOW), SymbolState.UNDEFINED);
  // The same ports again (a port freed a moment ago can still be briefly taken: retry a few times).
  let again!: LocalVenue;
  for (let attempt = 0; ; attempt++) {
    try {
      again = await startVenue(venueConfigToml(spec(ports)));
      break;
    } catch (e) {
      if (attempt === 5) throw e;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  cleanups.push(() => again.stop());
  await redialUntil(feed, clock, () => feed.isSynced, 'the feed re-synced');
  assert.ok(feed.counters.reconnects >= 1);
  assert.ok(feed.counters.disconnects >= 2, `disconnects ${feed.counters.disconnects}`);
  // The new venue's book reaches the feed.
  const { gw, rec } = await gateway(1, 'one', again.oePort);
  const id = gw.newOrder(QUIET, Side.SELL, OrderKind.LIMIT, TimeInForce.GTC, 10_100, 9);
  await rec.waitFor('ack', (r) => r.clOrdId === id);
  await until(() => feed.top(QUIET, 1).asks[0]?.qty === 9, 3000, 'new order in the feed book');
});

test('MD edges: a Trade comes before the deltas it caused, in one sequence; SnapshotRequest(0) and unknown symbols', async () => {
  const events: string[] = [];
  const feed = await startFeed(venue.mdPort, {
    onTrade: (s, side, price, qty, _id, seq) => {
      if (s === QUIET) events.push(`${seq} trade ${side} ${qty}@${price}`);
    },
    onBookChange: (s, side, price, qty, seq) => {
      if (s === QUIET) events.push(`${seq} level ${side} ${qty}@${price}`);
    },
  });
  const a = await gateway(3, 'three');
  const b = await gateway(4, 'four');
  const seq0 = feed.lastSeq(QUIET);
  const rest = a.gw.newOrder(QUIET, Side.BUY, OrderKind.LIMIT, TimeInForce.GTC, 10_000, 5); // the best bid (the first test left 9990 and 10010)
  await a.rec.waitFor('ack', (r) => r.clOrdId === rest);
  const hit = b.gw.newOrder(QUIET, Side.SELL, OrderKind.LIMIT, TimeInForce.IOC, 10_000, 2);
  await b.rec.waitFor('fill', (r) => r.clOrdId === hit);
  await until(() => events.length === 3, 3000, 'three QUIET events');
  assert.deepEqual(events, [
    `${seq0 + 1} level ${Side.BUY} 5@10000`,
    `${seq0 + 2} trade ${Side.SELL} 2@10000`,
    `${seq0 + 3} level ${Side.BUY} 3@10000`,
  ]);
  const audits = feed.counters.audits;
  feed.requestSnapshot(0);
  await until(() => feed.counters.audits + feed.counters.aheadSnapshots >= audits + 2, 3000, 'a snapshot per symbol');
  feed.requestSnapshot(99);
  await until(() => feed.counters.rejects === 1, 3000, 'MD Reject for symbol 99');
  assert.ok(feed.isConnected && feed.isSynced);
  assert.equal(feed.counters.auditMismatches, 0);
});

// Synthetic background flow: deterministic given the seed and the event count, keeps the book alive,
// and trades with client orders only through the matching engine (every client fill is an MD trade).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeededRandom } from '../../host/platform/seeded-random.js';
import {
  FillFlags, MessageType as T, Side, type Ack, type Canceled, type Fill, type Snapshot, type Trade,
} from '../../host/protocol/index.js';
import { MdClient, baseConfig, startManualVenue, startVenue, type Received } from '../testkit/venue-harness.js';

type R<M> = M & Received;

const flow = (seed: number, eventsPerSecond: number, extra = ''): string => `
[symbols.flow]
seed = ${seed}
events_per_second = ${eventsPerSecond}
sigma_ticks = 1.0
passive_fraction = 0.6
cancel_fraction = 0.2
marketable_fraction = 0.2
min_lots = 1
max_lots = 5
depth_ticks = 6
warmup_events = 500
${extra}`;

async function snapshotsAtConnect(t: Parameters<typeof startVenue>[0], seed: number): Promise<Snapshot[]> {
  const venue = await startVenue(t, baseConfig(flow(seed, 0)));
  const md = await MdClient.connect(venue.ready.md_port);
  await md.until((all) => all.length >= 4);
  md.close();
  await venue.stop();
  return md.received.slice(2, 4).map((m) => {
    const s = m as R<Snapshot>;
    return { ...s, sendNs: 0n, atMs: 0 } as Snapshot;
  });
}

test('SeededRandom: same seed, same sequence; uniforms in [0, 1)', () => {
  const a = new SeededRandom(42);
  const b = new SeededRandom(42);
  const c = new SeededRandom(43);
  const xs = Array.from({ length: 1000 }, () => a.next());
  assert.deepEqual(xs, Array.from({ length: 1000 }, () => b.next()));
  assert.notDeepEqual(xs.slice(0, 10), Array.from({ length: 10 }, () => c.next()));
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  assert.ok(Math.abs(mean - 0.5) < 0.05);
});

test('the flow is deterministic: same seed → same book after the warm-up; another seed → another book', async (t) => {
  const a = await snapshotsAtConnect(t, 77);
  const b = await snapshotsAtConnect(t, 77);
  const c = await snapshotsAtConnect(t, 78);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a[1]!.bids, c[1]!.bids);
  // The flow runs on the symbol that has it (NIFTY-FUT here, the second [[symbols]]); RELIANCE is empty.
  assert.equal(a[0]!.bids.length + a[0]!.asks.length, 0);
  const nifty = a[1]!;
  assert.ok(nifty.bids.length > 3 && nifty.asks.length > 3, 'two-sided book after warm-up');
  assert.ok(nifty.bids[0]!.price < nifty.asks[0]!.price, 'not crossed');
  assert.ok(Math.abs(nifty.bids[0]!.price - 490_000) < 50, 'around the reference price');
  for (const l of [...nifty.bids, ...nifty.asks]) assert.equal(l.qty % 75, 0, 'whole lots');
});

test('the book is alive, and a client\'s passive order fills only through the engine (each fill is an MD trade)', async (t) => {
  // On the venue's manual clock: the flow runs as fast as the test moves time, and the same way every run.
  const venue = await startManualVenue(t, baseConfig(flow(9, 400)));
  /** Moves the venue's time on in small steps until `pred` holds or `maxMs` have passed. */
  const advanceUntil = (pred: () => boolean, maxMs: number): boolean => {
    for (let waited = 0; !pred() && waited < maxMs; waited += 10) venue.clock.advance(10);
    return pred();
  };
  const md = venue.connectMd();
  await md.until((all) => all.length >= 4);
  const alive = (all: readonly Received[]): boolean => all.filter((m) => m.type === T.Trade).length >= 5
    && all.filter((m) => m.type === T.L2Delta).length >= 50;
  advanceUntil(() => alive(md.received), 5000);
  await md.until(alive, 5000, 'flow trades and deltas');

  const c = venue.connectOe();
  await c.login(1, 'alpha');
  // One lot post-only at the best bid joins the back of its queue; one far below never trades.
  // Whether the random walk comes back down to our bid within a few seconds is chance, so an order
  // left behind by a rising market is canceled and placed again at the new best bid.
  c.newOrder(1000, 2, Side.BUY, 480_000, 75);
  await c.nextOf(T.Ack);
  let fill: R<Fill> | undefined;
  let ours = 0;
  let bestBid = 0;
  for (let attempt = 0, id = 1; fill === undefined && attempt < 8; attempt++, id += 10) {
    md.skipReceived();
    md.snapshotRequest(2);
    const snap = await md.nextOf<R<Snapshot>>(T.Snapshot);
    c.newOrder(id, 2, Side.BUY, snap.bids[0]!.price, 75, 0, 2);
    const answer = await c.next((m) => m.type === T.Ack || m.type === T.Reject);
    if (answer.type !== T.Ack) continue; // the book moved and post-only would have crossed
    ours = id;
    bestBid = snap.bids[0]!.price;
    const ourFill = (m: Received): boolean => m.type === T.Fill && (m as Fill).clOrdId === id;
    if (advanceUntil(() => c.received.some(ourFill), 6000)) {
      fill = await c.next<R<Fill>>(ourFill, 6000, 'a fill of our bid');
    } else {
      c.cancel(id + 5, id);
      const done = await c.next((m) => (m.type === T.Fill && (m as Fill).clOrdId === id)
        || (m.type === T.Canceled && (m as Canceled).origClOrdId === id));
      if (done.type === T.Fill) fill = done as R<Fill>; // filled just before the cancel arrived
    }
  }
  assert.ok(fill !== undefined, 'our bid at the touch filled within 8 attempts');
  assert.equal(fill.clOrdId, ours);
  assert.equal(fill.flags, FillFlags.MAKER | FillFlags.FULL);
  assert.equal(fill.price, bestBid);
  // The same trade on MD: same id, price and quantity, a seller as aggressor.
  const trade = await md.next<R<Trade>>((m) => m.type === T.Trade && m.tradeId === fill.tradeId, 2000, 'the fill\'s trade');
  assert.deepEqual([trade.symbol, trade.price, trade.qty, trade.aggressorSide], [2, bestBid, 75, Side.SELL]);
  // Every Fill this session got is an MD Trade.
  const trades = new Map(md.received.filter((m): m is R<Trade> => m.type === T.Trade).map((m) => [m.tradeId, m]));
  for (const f of c.received.filter((m): m is R<Fill> => m.type === T.Fill)) {
    assert.equal(trades.get(f.tradeId)?.price, f.price);
  }
  assert.ok(!c.received.some((m) => m.type === T.Fill && (m as Fill).clOrdId === 1000), 'the far order did not fill');
  const ack1 = c.received.find((m): m is R<Ack> => m.type === T.Ack && m.clOrdId === ours)!;
  assert.equal(fill.exchOrderId, ack1.exchOrderId);
  assert.deepEqual([...c.invalid, ...md.invalid], []);
});

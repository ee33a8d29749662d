// Feed handler against a scripted MD server (tests/testkit/md-server.ts): directory and snapshot load,
// in-sequence deltas, T0 stamps, gap → SnapshotRequest → buffered replay, the test loss hook, bad
// frames (framing and validation) → drop and reconnect with the books re-synced, unknown types
// skipped, window recentring, idle timeout and the backoff schedule (on a manual clock).
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { Side } from '../../../host/model/vocabulary.js';
import { Backoff } from '../../../host/adapters/backoff.js';
import { liveClock } from '../../../host/platform/clock.js';
import { FeedDisconnect, FeedHandler, SymbolState, type FeedConfig, type FeedEvents } from '../../../host/adapters/feed/feed-handler.js';
import { MessageType, type SnapshotRequest } from '../../../host/protocol/index.js';
import { FakeMdServer, feedMemory, md, until, type TestBooks } from '../../testkit/md-server.js';
import { ManualClock } from '../../testkit/manual-clock.js';

/** Book sides in the vocabulary's terms: the bid side is BUY, the ask side SELL. */
const { BUY: BID, SELL: ASK } = Side;

const reconnect = { initialMs: 20, maxMs: 200, jitter: 0 };
const quiet = () => {};
const defA = { id: 1, count: 2, name: 'AAA', bandLow: 900, bandHigh: 1100, refPrice: 1000 };
const defB = { id: 2, count: 2, name: 'BBB', bandLow: 1, bandHigh: 100_000, refPrice: 5000 };

/** Starts `server`, connects a feed handler to it (quiet, fast reconnect, plus `config`) and closes both when
 *  the test ends. */
async function startFeed(
  t: TestContext, server: FakeMdServer, mem: TestBooks, config: Partial<FeedConfig> = {}, events?: FeedEvents,
): Promise<FeedHandler> {
  const port = await server.listen();
  const feed = new FeedHandler({ port, reconnect, log: quiet, ...config }, mem, events);
  t.after(async () => {
    feed.close();
    await server.close();
  });
  feed.start();
  return feed;
}

function recorder() {
  const changes: [number, number, number, number, number][] = [];
  const trades: [number, number, number, number, number, number][] = [];
  const stale: [number, boolean][] = [];
  const disconnects: number[] = [];
  const events: FeedEvents = {
    onBookChange: (s, side, price, qty, seq) => changes.push([s, side, price, qty, seq]),
    onTrade: (s, side, price, qty, id, seq) => trades.push([s, side, price, qty, id, seq]),
    onStale: (s, st) => stale.push([s, st]),
    onDisconnect: (r) => disconnects.push(r),
  };
  return { changes, trades, stale, disconnects, events };
}

test('loads the directory and snapshots, applies deltas in sequence and stamps T0', async (t) => {
  const mem = await feedMemory([{ symbol: 'AAA', levels: 256 }, { symbol: 'BBB', levels: 1024 }]);
  const server = new FakeMdServer((s) => {
    s.write(Buffer.concat([
      md.def(defA), md.def(defB),
      md.snapshot(1, 5, [[999, 10], [998, 20]], [[1001, 5]]),
      md.snapshot(2, 0, [], []),
      md.delta(1, 6, BID, 999, 15),
      md.delta(1, 7, ASK, 1002, 7),
      md.trade(1, 8, BID, 1001, 5, 77),
      md.delta(1, 9, ASK, 1001, 0),
    ]));
  });
  const port = await server.listen();
  const rec = recorder();
  const before = liveClock.nowNs();
  const feed = new FeedHandler({ port, reconnect, log: quiet }, mem, rec.events);
  t.after(async () => {
    feed.close();
    await server.close();
  });
  feed.start();
  await feed.whenSynced(3000);
  await until(() => feed.lastSeq(1) === 9, 3000, 'seq 9');
  assert.deepEqual(feed.top(1, 5), { bids: [{ price: 999, qty: 15 }, { price: 998, qty: 20 }], asks: [{ price: 1002, qty: 7 }] });
  assert.deepEqual(feed.top(2, 5), { bids: [], asks: [] });
  assert.deepEqual(rec.changes, [[1, BID, 999, 15, 6], [1, ASK, 1002, 7, 7], [1, ASK, 1001, 0, 9]]);
  assert.deepEqual(rec.trades, [[1, BID, 1001, 5, 77, 8]]);
  assert.ok(feed.lastT0(1) >= before && feed.lastT0(1) <= liveClock.nowNs());
  assert.equal(feed.state(1), SymbolState.LIVE);
  assert.equal(feed.symbolId('BBB'), 2);
  assert.equal(feed.symbols()[0]!.bandLow, 900);
  // The whole band fits 256 levels: the book starts at bandLow.
  assert.equal(mem.core.bookBasePrice(feed.bookOffset(1)), 900);
  assert.equal(feed.counters.gaps, 0);
  assert.equal(feed.counters.badFrames, 0);
});

test('a gap makes the symbol stale, asks for a snapshot, and replays buffered deltas newer than it', async (t) => {
  const mem = await feedMemory([{ symbol: 'AAA', levels: 256 }, { symbol: 'BBB', levels: 1024 }]);
  let server!: FakeMdServer;
  server = new FakeMdServer((s, i) => {
    s.write(Buffer.concat([
      md.def(defA), md.def(defB),
      md.snapshot(1, 0, [[999, 10]], [[1001, 10]]), md.snapshot(2, 0, [], []),
      md.delta(1, 1, BID, 999, 11),
      md.delta(1, 3, BID, 998, 30), // seq 2 lost
      md.delta(1, 4, ASK, 1001, 12), // buffered: the symbol is stale
    ]));
    void server.until(() => server.received[i]!.some((m) => m.type === MessageType.SnapshotRequest)).then(() => {
      // The venue's book after seq 4: 999×11 (1), 997×5 (2), 998×30 (3), 1001×12 (4). A snapshot that
      // includes up to seq 3 only (as if sent before seq 4), then seq 5 live.
      s.write(Buffer.concat([
        md.snapshot(1, 3, [[999, 11], [998, 30], [997, 5]], [[1001, 10]]),
        md.delta(1, 5, ASK, 1003, 4),
      ]));
    });
  });
  const rec = recorder();
  const feed = await startFeed(t, server, mem, {}, rec.events);
  await until(() => feed.lastSeq(1) === 5 && feed.state(1) === SymbolState.LIVE, 3000, 'resync');
  const req = server.received[0]!.find((m) => m.type === MessageType.SnapshotRequest) as SnapshotRequest;
  assert.equal(req.symbol, 1);
  assert.deepEqual(feed.top(1, 5), {
    bids: [{ price: 999, qty: 11 }, { price: 998, qty: 30 }, { price: 997, qty: 5 }],
    asks: [{ price: 1001, qty: 12 }, { price: 1003, qty: 4 }],
  });
  // Live after the first snapshots, stale at the gap, live after the resync.
  assert.deepEqual(rec.stale, [[1, false], [2, false], [1, true], [1, false]]);
  assert.equal(feed.counters.gaps, 1);
  assert.equal(feed.counters.resyncs, 1);
  assert.equal(feed.counters.snapshotRequests, 1);
  // seq 1 live, seq 4 replayed after the snapshot, seq 5 live; seq 3 was inside the snapshot.
  assert.deepEqual(rec.changes.map((c) => c[4]), [1, 4, 5]);
});

test('the loss hook drops a delta and the gap is recovered from the snapshot', async (t) => {
  const mem = await feedMemory([{ symbol: 'AAA', levels: 256 }, { symbol: 'BBB', levels: 1024 }]);
  let server!: FakeMdServer;
  server = new FakeMdServer((s, i) => {
    s.write(Buffer.concat([md.def(defA), md.def(defB), md.snapshot(1, 0, [], []), md.snapshot(2, 0, [], [])]));
    void server.until(() => server.received[i]!.some((m) => m.type === MessageType.SnapshotRequest)).then(() => {
      s.write(md.snapshot(1, 2, [[950, 1], [940, 2]], []));
    });
  });
  const feed = await startFeed(t, server, mem);
  await feed.whenSynced();
  feed.simulateLoss(1);
  server.sockets[0]!.write(Buffer.concat([md.delta(1, 1, BID, 950, 1), md.delta(1, 2, BID, 940, 2)]));
  await until(() => feed.counters.resyncs === 1, 3000, 'resync');
  assert.equal(feed.counters.gaps, 1);
  assert.deepEqual(feed.top(1).bids, [{ price: 950, qty: 1 }, { price: 940, qty: 2 }]);
  assert.equal(feed.lastSeq(1), 2);
});

test('bad frames (framing, validation) drop the connection; the reconnect re-syncs the books', async (t) => {
  const mem = await feedMemory([{ symbol: 'AAA', levels: 256 }, { symbol: 'BBB', levels: 1024 }]);
  const server = new FakeMdServer((s, i) => {
    const head = Buffer.concat([md.def(defA), md.def(defB)]);
    if (i === 0) {
      const bad = md.delta(1, 1, BID, 999, 5);
      bad.writeUInt16LE(40, 0); // an L2Delta claiming 40 bytes: BAD_LENGTH, the stream is lost
      s.write(Buffer.concat([head, md.snapshot(1, 0, [[999, 1]], []), md.snapshot(2, 0, [], []), bad]));
    } else if (i === 1) {
      const bad = md.delta(1, 1, BID, 999, 5);
      bad.writeUInt8(7, 18); // side 7: BAD_SIDE
      s.write(Buffer.concat([head, md.snapshot(1, 0, [[999, 2]], []), md.snapshot(2, 0, [], []), bad]));
    } else {
      const unknown = Buffer.alloc(24);
      unknown.writeUInt16LE(24, 0);
      unknown.writeUInt8(0x7e, 2);
      unknown.writeUInt8(1, 3);
      s.write(Buffer.concat([head, md.snapshot(1, 7, [[990, 3]], [[1010, 4]]), md.snapshot(2, 0, [], []), unknown,
        md.delta(1, 8, BID, 991, 1)]));
    }
  });
  const rec = recorder();
  const lines: string[] = [];
  const feed = await startFeed(t, server, mem, { log: (l) => lines.push(l) }, rec.events);
  await until(() => feed.counters.connects === 3 && feed.lastSeq(1) === 8, 5000, 'third connection at seq 8');
  assert.equal(feed.counters.badFrames, 2);
  assert.equal(feed.counters.unknownFrames, 1);
  assert.equal(feed.counters.reconnects, 2);
  assert.deepEqual(rec.disconnects, [FeedDisconnect.BAD_FRAME, FeedDisconnect.BAD_FRAME]);
  assert.deepEqual(feed.top(1), { bids: [{ price: 991, qty: 1 }, { price: 990, qty: 3 }], asks: [{ price: 1010, qty: 4 }] });
  assert.ok(lines.some((l) => l.includes('BAD_LENGTH')), lines.join('\n'));
  assert.ok(lines.some((l) => l.includes('BAD_SIDE')), lines.join('\n'));
});

test('a book smaller than the band recentres on the touch when the market drifts out of its window', async (t) => {
  const mem = await feedMemory([{ symbol: 'AAA', levels: 256 }, { symbol: 'BBB', levels: 64 }]);
  const server = new FakeMdServer((s) => {
    s.write(Buffer.concat([
      md.def(defA), md.def(defB),
      md.snapshot(1, 0, [], []),
      md.snapshot(2, 0, [[4999, 10]], [[5001, 10]]),
    ]));
  });
  const feed = await startFeed(t, server, mem);
  await feed.whenSynced();
  const off = feed.bookOffset(2);
  assert.equal(mem.core.bookBasePrice(off), 5000 - 32); // centred on refPrice
  const sock = server.sockets[0]!;
  sock.write(Buffer.concat([
    md.delta(2, 1, ASK, 5040, 5), // 40 ticks above a 5000 mid: outside any window centred on the touch
    md.delta(2, 2, BID, 5020, 1), md.delta(2, 3, ASK, 5025, 1), md.delta(2, 4, BID, 4999, 0), md.delta(2, 5, ASK, 5001, 0),
    md.delta(2, 6, ASK, 5045, 2), // touch mid 5022: the window moves to [4990, 5054)
  ]));
  await until(() => feed.lastSeq(2) === 6, 3000, 'seq 6');
  assert.equal(feed.counters.outOfBand, 1);
  assert.equal(feed.counters.recenters, 1);
  assert.equal(mem.core.bookBasePrice(off), 5022 - 32);
  assert.deepEqual(feed.top(2), { bids: [{ price: 5020, qty: 1 }], asks: [{ price: 5025, qty: 1 }, { price: 5045, qty: 2 }] });
});

test('silence past idleTimeoutMs drops the connection and reconnects', async (t) => {
  const mem = await feedMemory([{ symbol: 'AAA', levels: 256 }, { symbol: 'BBB', levels: 1024 }]);
  const server = new FakeMdServer((s) => {
    s.write(Buffer.concat([md.def(defA), md.def(defB), md.snapshot(1, 0, [], []), md.snapshot(2, 0, [], [])]));
  });
  const port = await server.listen();
  const rec = recorder();
  const clock = new ManualClock();
  const feed = new FeedHandler({ port, reconnect, idleTimeoutMs: 150, heartbeatMs: 50, log: quiet, clock }, mem, rec.events);
  t.after(async () => {
    feed.close();
    await server.close();
  });
  feed.start();
  await until(() => feed.isSynced, 3000, 'synced');
  clock.advance(50); // nothing sent for heartbeatMs: our MD heartbeat goes out
  await server.until(() => server.received[0]!.some((m) => m.type === MessageType.Heartbeat));
  clock.advance(120); // silent for more than 150 ms at the next check (every 12.5 ms)
  assert.equal(feed.isConnected, false);
  clock.advance(reconnect.initialMs);
  await until(() => feed.counters.connects >= 2, 3000, 'second connection');
  assert.ok(feed.counters.idleTimeouts >= 1);
  assert.equal(rec.disconnects[0], FeedDisconnect.IDLE_TIMEOUT);
  // Our own MD heartbeats went out meanwhile.
  assert.ok(server.received[0]!.some((m) => m.type === MessageType.Heartbeat));
});

test('while the venue is down the feed retries with backoff, and re-syncs when it is back on the same port', async (t) => {
  const mem = await feedMemory([{ symbol: 'AAA', levels: 256 }, { symbol: 'BBB', levels: 1024 }]);
  const hello = (bid: number) => (s: import('node:net').Socket) =>
    s.write(Buffer.concat([md.def(defA), md.def(defB), md.snapshot(1, 0, [[bid, 1]], []), md.snapshot(2, 0, [], [])]));
  let server = new FakeMdServer(hello(950));
  const port = await server.listen();
  const clock = new ManualClock();
  const attempts: number[] = [];
  const feed = new FeedHandler({ port, reconnect: { initialMs: 20, maxMs: 160, jitter: 0 }, log: quiet, clock }, mem, {
    onDisconnect: () => attempts.push(clock.nowNs()),
  });
  t.after(async () => {
    feed.close();
    await server.close();
  });
  feed.start();
  await until(() => feed.isSynced, 3000, 'synced');
  await server.close();
  await until(() => feed.counters.disconnects === 1, 3000, 'the venue gone');
  // Refused attempts 20, 40, 80, 160 ms apart: each delay passes, the attempt is refused.
  for (const delay of [20, 40, 80, 160]) {
    const before = feed.counters.disconnects;
    clock.advance(delay - 1);
    assert.equal(feed.counters.connectFailures, before - 1, `no attempt before ${delay} ms`);
    clock.advance(1);
    await until(() => feed.counters.disconnects === before + 1, 3000, `the attempt after ${delay} ms`);
  }
  assert.deepEqual(attempts.slice(1).map((at, i) => (at - attempts[i]!) / 1e6), [20, 40, 80, 160]);
  assert.equal(feed.isConnected, false);
  assert.deepEqual(feed.top(1), { bids: [], asks: [] }, 'books are cleared on disconnect');
  const refused = feed.counters.disconnects;
  assert.ok(refused >= 3 && refused <= 6, `disconnects ${refused}`);
  server = new FakeMdServer(hello(960));
  await server.listen(port);
  clock.advance(160); // maxMs
  await until(() => feed.isSynced, 3000, 're-synced');
  assert.deepEqual(feed.top(1).bids, [{ price: 960, qty: 1 }]);
  assert.equal(feed.counters.reconnects, 1);
});

test('backoff doubles from initialMs to maxMs, jitter shortens each delay by at most its fraction', () => {
  const exact = new Backoff({ initialMs: 10, maxMs: 100, jitter: 0 });
  assert.deepEqual([1, 2, 3, 4, 5, 6].map(() => exact.next()), [10, 20, 40, 80, 100, 100]);
  exact.reset();
  assert.equal(exact.next(), 10);
  let r = 0;
  const seq = [0, 0.5, 0.999];
  const jittered = new Backoff({ initialMs: 100, maxMs: 1000, jitter: 0.5 }, () => seq[r++ % 3]!);
  assert.deepEqual([jittered.next(), jittered.next(), jittered.next()], [100, 150, 400 * (1 - 0.5 * 0.999)]);
  assert.throws(() => new Backoff({ initialMs: 0, maxMs: 1, jitter: 0 }), RangeError);
  assert.throws(() => new Backoff({ initialMs: 10, maxMs: 5, jitter: 0 }), RangeError);
  assert.throws(() => new Backoff({ initialMs: 10, maxMs: 50, jitter: 1.5 }), RangeError);
});

// The feed handler's time-driven behaviour on a manual clock, against a scripted socket: snapshot
// requests repeated while a symbol stays SYNCING, MD heartbeats stamped with the clock, T0 from the
// clock at the read, whenSynced's time limit, and a throwing callback. Nothing sleeps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Side } from '../../../host/model/vocabulary.js';
import { FeedHandler, SymbolState, type FeedConfig, type FeedEvents } from '../../../host/adapters/feed/feed-handler.js';
import { MessageType, type SnapshotRequest } from '../../../host/protocol/index.js';
import { feedMemory, md } from '../../testkit/md-server.js';
import { ManualClock } from '../../testkit/manual-clock.js';
import { scriptedDialer } from '../../testkit/scripted-socket.js';

const { BUY: BID, SELL: ASK } = Side;

const defA = { id: 1, count: 2, name: 'AAA', bandLow: 900, bandHigh: 1100, refPrice: 1000 };
const defB = { id: 2, count: 2, name: 'BBB', bandLow: 1, bandHigh: 100_000, refPrice: 5000 };

async function connected(extra: Partial<FeedConfig> = {}, events: FeedEvents = {}) {
  const mem = await feedMemory([{ symbol: 'AAA', levels: 256 }, { symbol: 'BBB', levels: 1024 }]);
  const clock = new ManualClock();
  const net = scriptedDialer();
  const lines: string[] = [];
  const feed = new FeedHandler({
    port: 9, reconnect: { initialMs: 20, maxMs: 200, jitter: 0 }, log: (l) => lines.push(l), clock, dial: net.dial, ...extra,
  }, mem, events);
  feed.start();
  const socket = net.last();
  socket.open();
  return { feed, clock, socket, lines };
}

test('a symbol still SYNCING after snapshotTimeoutMs asks for its snapshot again, until it comes', async () => {
  const { feed, clock, socket } = await connected({ snapshotTimeoutMs: 500, idleTimeoutMs: 5000 });
  socket.receive(Buffer.concat([md.def(defA), md.def(defB), md.snapshot(2, 0, [], [])]));
  assert.deepEqual([feed.state(1), feed.state(2)], [SymbolState.SYNCING, SymbolState.LIVE]);
  const asked = () => socket.sent().filter((m): m is SnapshotRequest => m.type === MessageType.SnapshotRequest).map((m) => m.symbol);
  clock.advance(500); // checked every 250 ms: not yet more than 500 ms
  assert.deepEqual(asked(), []);
  clock.advance(250);
  assert.deepEqual(asked(), [1]);
  clock.advance(500);
  assert.deepEqual(asked(), [1]);
  clock.advance(250);
  assert.deepEqual(asked(), [1, 1]);
  socket.receive(md.snapshot(1, 4, [[999, 1]], []));
  assert.ok(feed.isSynced);
  clock.advance(2000);
  assert.deepEqual(asked(), [1, 1]);
  assert.equal(feed.counters.snapshotRequests, 2);
});

test('MD heartbeats go out after heartbeatMs without sending, stamped with the clock; T0 is the clock at the read', async () => {
  const { feed, clock, socket } = await connected({ heartbeatMs: 400, idleTimeoutMs: 5000 });
  const start = clock.nowNs();
  clock.advance(300);
  socket.receive(Buffer.concat([md.def(defA), md.def(defB), md.snapshot(1, 0, [], []), md.snapshot(2, 0, [], []),
    md.delta(1, 1, BID, 999, 3), md.trade(1, 2, ASK, 1000, 1, 5)]));
  assert.equal(feed.lastT0(1), start + 300e6, 'every frame of the read carries its one stamp');
  clock.advance(900); // checked every 100 ms
  const beats = socket.sent().filter((m) => m.type === MessageType.Heartbeat);
  assert.deepEqual(beats.map((m) => Number(m.sendNs - BigInt(start)) / 1e6), [400, 800, 1200]);
  assert.equal(feed.counters.heartbeatsSent, 3);
});

test('whenSynced rejects after its time limit on the feed\'s clock; close() rejects the waiters still pending', async () => {
  const { feed, clock } = await connected();
  const outcome = (p: Promise<void>) => p.then(() => 'synced', (e: Error) => e.message);
  const first = outcome(feed.whenSynced(1000));
  const second = outcome(feed.whenSynced(5000));
  clock.advance(999);
  clock.advance(1);
  assert.equal(await first, 'feed not synced within 1000 ms');
  feed.close();
  assert.equal(await second, 'feed closed');
  assert.equal(clock.pendingCount, 0, 'close() leaves no timer behind');
});

test('a callback that throws is counted and logged, and the rest of the read still goes to the book', async () => {
  const { feed, socket, lines } = await connected({}, {
    onBookChange: () => {
      throw new Error('callback bug');
    },
  });
  socket.receive(Buffer.concat([md.def(defA), md.def(defB), md.snapshot(1, 0, [], []), md.snapshot(2, 0, [], []),
    md.delta(1, 1, BID, 999, 3), md.delta(1, 2, BID, 998, 4)]));
  assert.equal(feed.lastSeq(1), 2);
  assert.deepEqual(feed.top(1).bids, [{ price: 999, qty: 3 }, { price: 998, qty: 4 }]);
  assert.equal(feed.counters.callbackErrors, 2);
  assert.ok(lines.some((l) => l.includes('a callback threw: Error: callback bug')), lines.join('\n'));
  assert.ok(feed.isSynced);
});

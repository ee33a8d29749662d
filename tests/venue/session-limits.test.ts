// A session's limits on the venue's manual clock (in process, over in-memory sockets): the order
// rate belongs to the user, liveness counts whole frames, and the venue's own sequence numbers end
// the session before they would wrap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DisconnectReason, MessageType as T, RejectReason, Side, encodeHeartbeat, type Ack, type LoginAck, type Logout, type Reject,
} from '../../host/protocol/index.js';
import { LAST_SEND_SEQ } from '../../host/venue/ports/order-entry-session.js';
import { OrderRateWindow } from '../../host/venue/ports/order-rate-window.js';
import { baseConfig, startManualVenue, type Received } from '../testkit/venue-harness.js';

type R<M> = M & Received;

/** The port checks login and heartbeat timeouts this often. */
const TICK_MS = 20;

test('OrderRateWindow: at most `limit` in any sliding second, exactly', () => {
  const w = new OrderRateWindow(3);
  assert.deepEqual([0, 10, 20, 30].map((t) => w.allow(t)), [true, true, true, false]);
  assert.equal(w.allow(999), false, 'the first is still inside the window');
  assert.equal(w.allow(1000), true, 'the first left the window');
  assert.equal(w.allow(1001), false);
  assert.equal(w.allow(1010), true);
  const unlimited = new OrderRateWindow(0);
  for (let i = 0; i < 10_000; i++) assert.ok(unlimited.allow(0));
});

test('the order rate limit belongs to the user: logging out and in again does not open a new window', async (t) => {
  const v = await startManualVenue(t, baseConfig('', 'orders_per_second = 5'));
  const first = v.connectOe();
  await first.login(1, 'alpha');
  for (let i = 1; i <= 5; i++) first.newOrder(i, 1, Side.BUY, 57_000 + i, 1);
  await first.until((all) => all.filter((m) => m.type === T.Ack).length === 5);
  first.logout();
  await first.nextOf<R<Logout>>(T.Logout);
  await first.closed;

  // Same user, new connection, same second: the window is the user's, and it is full.
  v.clock.advance(100);
  const again = v.connectOe();
  await again.login(1, 'alpha');
  again.newOrder(1, 1, Side.BUY, 57_000, 1);
  const r = await again.nextOf<R<Reject>>(T.Reject);
  assert.deepEqual([r.clOrdId, r.reason, r.detail], [1, RejectReason.RATE_LIMITED, 5]);
  // Another user has a window of its own.
  const other = v.connectOe();
  await other.login(2, 'beta');
  other.newOrder(1, 1, Side.BUY, 57_000, 1);
  assert.equal((await other.nextOf<R<Ack>>(T.Ack)).clOrdId, 1);
  // A second after the first five, the user may send again.
  v.clock.advance(900);
  again.newOrder(2, 1, Side.BUY, 57_001, 1);
  assert.equal((await again.nextOf<R<Ack>>(T.Ack)).clOrdId, 2);
});

test('liveness counts whole frames: a client trickling one byte per 100 ms times out, and the user can log in again', async (t) => {
  const v = await startManualVenue(t, baseConfig());
  const c = v.connectOe();
  await c.login(1, 'alpha', 100);
  const hb = new DataView(new ArrayBuffer(64));
  const n = encodeHeartbeat(hb, 0, c.seq, 0n);
  const bytes = new Uint8Array(hb.buffer, 0, n);
  // One byte every 100 ms: a whole frame every 1.6 s, far beyond 3 heartbeat intervals.
  for (let i = 0; i < n && !c.isClosed; i++) {
    c.write(bytes.subarray(i, i + 1));
    v.clock.advance(100);
  }
  const end = c.received.find((m): m is R<Logout> => m.type === T.Logout);
  assert.equal(end?.reason, DisconnectReason.HEARTBEAT_TIMEOUT, 'bytes without a whole frame are not a heartbeat');
  v.clock.advance(TICK_MS);
  const next = v.connectOe();
  await next.login(1, 'alpha', 100);
  assert.ok(next.sessionId > 0);
});

test('the venue\'s own seq ends the session (SEQUENCE_EXHAUSTED) through timer heartbeats, never wraps', async (t) => {
  const v = await startManualVenue(t, baseConfig(), { firstSendSeq: LAST_SEND_SEQ - 1 });
  const c = v.connectOe();
  await c.login(1, 'alpha', 100);
  assert.equal(c.received.find((m): m is R<LoginAck> => m.type === T.LoginAck)?.seq, LAST_SEND_SEQ - 1);
  // The client is silent: only the venue's heartbeat timer uses numbers now; its first heartbeat
  // takes the last one.
  v.clock.advance(100 + TICK_MS);
  const hb = await c.nextOf(T.Heartbeat);
  assert.equal(hb.seq, LAST_SEND_SEQ);
  const lo = await c.nextOf<R<Logout>>(T.Logout);
  assert.deepEqual([lo.reason, lo.seq], [DisconnectReason.SEQUENCE_EXHAUSTED, LAST_SEND_SEQ + 1]);
  for (let i = 1; i < c.received.length; i++) assert.ok(c.received[i]!.seq > c.received[i - 1]!.seq, 'seqs only grow');
  await c.closed;
});

test('the venue\'s own seq ends the session through fills another session caused', async (t) => {
  const v = await startManualVenue(t, baseConfig(), { firstSendSeq: LAST_SEND_SEQ - 2 });
  const maker = v.connectOe();
  await maker.login(1, 'alpha'); // LoginAck: LAST − 2
  maker.newOrder(1, 1, Side.SELL, 58_000, 5); // Ack: LAST − 1
  await maker.nextOf(T.Ack);
  const taker = v.connectOe();
  await taker.login(2, 'beta');
  taker.newOrder(1, 1, Side.BUY, 58_000, 5);
  // The maker sent nothing since: its Fill (LAST) is caused by the taker, and it is its last.
  const fill = await maker.nextOf(T.Fill);
  assert.equal(fill.seq, LAST_SEND_SEQ);
  const lo = await maker.nextOf<R<Logout>>(T.Logout);
  assert.deepEqual([lo.reason, lo.seq], [DisconnectReason.SEQUENCE_EXHAUSTED, LAST_SEND_SEQ + 1]);
  await maker.closed;
});

// The venue's order-entry port over raw sockets: login, the order life cycle and its reports, the
// venue-state checks in their documented order, session rules (sequence, login, heartbeat, logout).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CancelReason, DisconnectReason, FillFlags, MessageType as T, OrderKind, RejectReason, Side, TimeInForce,
  type Ack, type Canceled, type Fill, type LoginAck, type Logout, type Reject, type Replaced,
} from '../../host/protocol/index.js';
import { OeClient, baseConfig, startManualVenue, startVenue, type Received } from '../testkit/venue-harness.js';

type R<M> = M & Received;

test('login → NewOrder → Ack with the order echoed and a venue exchange id', async (t) => {
  const venue = await startVenue(t, baseConfig());
  assert.deepEqual(venue.ready.symbols, ['RELIANCE', 'NIFTY-FUT']);
  assert.equal(venue.ready.venue, 'ready');
  const c = await OeClient.connect(venue.ready.oe_port);
  await c.login(1, 'alpha', 1000);
  const loginAck = c.received[0] as R<LoginAck>;
  assert.equal(loginAck.seq, 1);
  assert.ok(loginAck.sessionId >= 1);
  assert.equal(loginAck.heartbeatMs, 1000);

  c.newOrder(101, 1, Side.BUY, 57_990, 10);
  const ack = await c.nextOf<R<Ack>>(T.Ack);
  assert.equal(ack.seq, 2);
  assert.equal(ack.clOrdId, 101);
  assert.ok(ack.exchOrderId >= 1);
  assert.deepEqual([ack.price, ack.qty, ack.symbol, ack.side, ack.kind, ack.tif], [57_990, 10, 1, Side.BUY, OrderKind.LIMIT, TimeInForce.GTC]);
  // A second order gets another exchange id.
  c.newOrder(102, 1, Side.BUY, 57_985, 5);
  const ack2 = await c.nextOf<R<Ack>>(T.Ack);
  assert.notEqual(ack2.exchOrderId, ack.exchOrderId);
  assert.deepEqual(c.invalid, []);
});

test('refusals in the documented order: band, lot, duplicate id, unknown order, replace below filled', async (t) => {
  const venue = await startVenue(t, baseConfig());
  const c = await OeClient.connect(venue.ready.oe_port);
  await c.login(1, 'alpha');
  const reject = async (): Promise<R<Reject>> => c.nextOf<R<Reject>>(T.Reject);

  // Band: RELIANCE ref 58000 ± 10 % = [52200, 63800]; detail = the violated limit.
  c.newOrder(1, 1, Side.BUY, 52_199, 1);
  let r = await reject();
  assert.deepEqual([r.reason, r.detail, r.clOrdId, r.refType], [RejectReason.PRICE_OUT_OF_BAND, 52_200, 1, T.NewOrder]);
  c.newOrder(2, 1, Side.SELL, 63_801, 1);
  r = await reject();
  assert.deepEqual([r.reason, r.detail], [RejectReason.PRICE_OUT_OF_BAND, 63_800]);
  // Lot: NIFTY-FUT lot 75.
  c.newOrder(3, 2, Side.BUY, 490_000, 100);
  r = await reject();
  assert.deepEqual([r.reason, r.detail], [RejectReason.BAD_QTY, 75]);
  // Band before lot: both wrong → band.
  c.newOrder(4, 2, Side.BUY, 1, 100);
  r = await reject();
  assert.equal(r.reason, RejectReason.PRICE_OUT_OF_BAND);
  // Refused ids stay unused: 1 works now.
  c.newOrder(1, 1, Side.BUY, 57_000, 3);
  await c.nextOf(T.Ack);
  c.newOrder(1, 1, Side.BUY, 57_000, 3);
  r = await reject();
  assert.deepEqual([r.reason, r.clOrdId], [RejectReason.DUPLICATE_CL_ORD_ID, 1]);
  // Duplicate beats unknown order; a Cancel's own id is used up too.
  c.cancel(1, 999);
  r = await reject();
  assert.equal(r.reason, RejectReason.DUPLICATE_CL_ORD_ID);
  c.cancel(5, 999);
  r = await reject();
  assert.equal(r.reason, RejectReason.UNKNOWN_ORDER);
  // Market order with no liquidity on the other side: Ack then Canceled IOC_REMAINDER.
  c.newOrder(6, 1, Side.SELL, 0, 4, OrderKind.MARKET, TimeInForce.IOC);
  const ack = await c.nextOf<R<Ack>>(T.Ack);
  assert.deepEqual([ack.clOrdId, ack.price, ack.kind], [6, 0, OrderKind.MARKET]);
  // It sells into our own bid at 57000 (no self-trade prevention at this venue): Fill ×2 then done.
  const f1 = await c.nextOf<R<Fill>>(T.Fill);
  const f2 = await c.nextOf<R<Fill>>(T.Fill);
  const [maker, taker] = (f1.flags & FillFlags.MAKER) !== 0 ? [f1, f2] : [f2, f1];
  assert.equal(maker.clOrdId, 1);
  assert.equal(taker.clOrdId, 6);
  assert.equal(maker.tradeId, taker.tradeId);
  assert.equal(maker.qty, 3);
  assert.equal(maker.flags, FillFlags.MAKER | FillFlags.FULL);
  assert.equal(taker.leavesQty, 1);
  assert.equal(taker.flags, 0);
  const rest = await c.nextOf<R<Canceled>>(T.Canceled);
  assert.deepEqual([rest.clOrdId, rest.origClOrdId, rest.canceledQty, rest.reason], [6, 6, 1, CancelReason.IOC_REMAINDER]);
  // Order 1 is done: cancel → UNKNOWN_ORDER.
  c.cancel(7, 1);
  r = await reject();
  assert.equal(r.reason, RejectReason.UNKNOWN_ORDER);
  // Post-only that would cross: refused, nothing rests.
  c.newOrder(8, 1, Side.SELL, 57_500, 2);
  await c.nextOf(T.Ack);
  c.newOrder(9, 1, Side.BUY, 57_500, 1, OrderKind.LIMIT, TimeInForce.POST_ONLY);
  r = await reject();
  assert.deepEqual([r.reason, r.clOrdId], [RejectReason.POST_ONLY_WOULD_CROSS, 9]);
  assert.deepEqual(c.invalid, []);
});

test('replace: priority kept on a size cut, new exchange id on a price move, total qty includes fills', async (t) => {
  const venue = await startVenue(t, baseConfig());
  const a = await OeClient.connect(venue.ready.oe_port);
  const b = await OeClient.connect(venue.ready.oe_port);
  await a.login(1, 'alpha');
  await b.login(2, 'beta');
  a.newOrder(10, 1, Side.SELL, 58_010, 10);
  const ack = await a.nextOf<R<Ack>>(T.Ack);
  // Cut 10 → 6 at the same price: same exchange id.
  a.replace(11, 10, 58_010, 6);
  let rep = await a.nextOf<R<Replaced>>(T.Replaced);
  assert.deepEqual([rep.clOrdId, rep.origClOrdId, rep.oldExchOrderId, rep.exchOrderId, rep.qty, rep.leavesQty],
    [11, 10, ack.exchOrderId, ack.exchOrderId, 6, 6]);
  // The old id is gone.
  a.cancel(12, 10);
  assert.equal((await a.nextOf<R<Reject>>(T.Reject)).reason, RejectReason.UNKNOWN_ORDER);
  // b buys 4: a's order has 2 left of 6.
  b.newOrder(1, 1, Side.BUY, 58_010, 4, OrderKind.LIMIT, TimeInForce.IOC);
  const fill = await a.nextOf<R<Fill>>(T.Fill);
  assert.deepEqual([fill.clOrdId, fill.qty, fill.leavesQty, fill.flags], [11, 4, 2, FillFlags.MAKER]);
  // Replace to a total of 4 (= filled): BAD_QTY, detail = filled.
  a.replace(13, 11, 58_010, 4);
  const bad = await a.nextOf<R<Reject>>(T.Reject);
  assert.deepEqual([bad.reason, bad.detail], [RejectReason.BAD_QTY, 4]);
  // Move the price: new exchange id, leaves = total − filled.
  a.replace(14, 11, 58_020, 9);
  rep = await a.nextOf<R<Replaced>>(T.Replaced);
  assert.deepEqual([rep.clOrdId, rep.origClOrdId, rep.oldExchOrderId, rep.price, rep.qty, rep.leavesQty],
    [14, 11, ack.exchOrderId, 58_020, 9, 5]);
  assert.notEqual(rep.exchOrderId, ack.exchOrderId);
  // Client logout: Canceled SESSION_END for the live order, then Logout LOGOUT, then close.
  a.logout();
  const end = await a.nextOf<R<Canceled>>(T.Canceled);
  assert.deepEqual([end.clOrdId, end.origClOrdId, end.canceledQty, end.reason], [14, 14, 5, CancelReason.SESSION_END]);
  const lo = await a.nextOf<R<Logout>>(T.Logout);
  assert.equal(lo.reason, DisconnectReason.LOGOUT);
  await a.closed;
  assert.deepEqual([...a.invalid, ...b.invalid], []);
});

test('session rules: sequence errors, not logged in, credentials, duplicate session, version', async (t) => {
  const venue = await startVenue(t, baseConfig());
  const port = venue.ready.oe_port;

  // Before login: NOT_LOGGED_IN (seq consumed), then a Login with seq 2 works.
  const c = await OeClient.connect(port);
  c.newOrder(1, 1, Side.BUY, 58_000, 1);
  let r = await c.nextOf<R<Reject>>(T.Reject);
  assert.deepEqual([r.reason, r.refSeq, r.seq], [RejectReason.NOT_LOGGED_IN, 1, 1]);
  await c.login(1, 'alpha');
  // A wrong seq: SEQUENCE_ERROR with the expected one, not consumed.
  c.seq = 10;
  c.heartbeat();
  r = await c.nextOf<R<Reject>>(T.Reject);
  assert.deepEqual([r.reason, r.detail, r.refSeq], [RejectReason.SEQUENCE_ERROR, 3, 10]);
  c.seq = 3;
  c.newOrder(2, 1, Side.BUY, 58_000, 1);
  await c.nextOf(T.Ack);

  // Second login on the same connection: ALREADY_LOGGED_IN.
  const out = new DataView(new ArrayBuffer(40));
  const { encodeLogin, encodeNewOrder } = await import('../../host/protocol/index.js');
  encodeLogin(out, 0, c.seq++, 0n, 1, 1000, 'alpha');
  c.write(new Uint8Array(out.buffer.slice(0, 40)));
  r = await c.nextOf<R<Reject>>(T.Reject);
  assert.equal(r.reason, RejectReason.ALREADY_LOGGED_IN);

  // Same user elsewhere: DUPLICATE_SESSION and close.
  const d = await OeClient.connect(port);
  await assert.rejects(d.login(1, 'alpha'), /login refused/);
  assert.equal((d.received[0] as R<Logout>).reason, DisconnectReason.DUPLICATE_SESSION);
  assert.equal(d.received[0]!.seq, 1);
  await d.closed;

  // Wrong token: BAD_CREDENTIALS; unknown user too.
  const e = await OeClient.connect(port);
  await assert.rejects(e.login(2, 'wrong'), /login refused/);
  assert.equal((e.received[0] as R<Logout>).reason, DisconnectReason.BAD_CREDENTIALS);
  await e.closed;

  // A Login of version 2: Logout UNSUPPORTED_VERSION, detail 2.
  const f = await OeClient.connect(port);
  encodeLogin(out, 0, 1, 0n, 2, 1000, 'beta');
  out.setUint8(3, 2);
  f.write(new Uint8Array(out.buffer.slice(0, 40)));
  const lo = await f.nextOf<R<Logout>>(T.Logout);
  assert.deepEqual([lo.reason, lo.detail], [DisconnectReason.UNSUPPORTED_VERSION, 2]);
  await f.closed;

  // Other types with a bad version: Reject BAD_VERSION, seq not consumed.
  encodeNewOrder(out, 0, c.seq, 0n, 3, 1, 0, 0, 0, 58_000, 1);
  out.setUint8(3, 9);
  c.write(new Uint8Array(out.buffer.slice(0, 40)));
  r = await c.nextOf<R<Reject>>(T.Reject);
  assert.deepEqual([r.reason, r.clOrdId], [RejectReason.BAD_VERSION, 3]);
  c.newOrder(3, 1, Side.BUY, 58_000, 1);
  assert.equal((await c.nextOf<R<Ack>>(T.Ack)).clOrdId, 3);
  assert.deepEqual(c.invalid, []);
});

test('login timeout, heartbeats from the venue, heartbeat timeout', async (t) => {
  // On the venue's manual clock: the timeouts are the venue's own timers, not the sockets'.
  const venue = await startManualVenue(t, baseConfig('', 'login_timeout_ms = 200'));
  const idle = venue.connectOe();
  venue.clock.advance(199);
  assert.equal(idle.received.length, 0, 'not before the login timeout');
  venue.clock.advance(21);
  const lo = await idle.nextOf<R<Logout>>(T.Logout, 3000);
  assert.deepEqual([lo.reason, lo.seq], [DisconnectReason.LOGIN_TIMEOUT, 1]);
  await idle.closed;

  const c = venue.connectOe();
  await c.login(1, 'alpha', 100);
  // The venue heartbeats an idle session every ~100 ms; a silent client is dropped after 3 intervals.
  venue.clock.advance(120);
  const hb = await c.nextOf(T.Heartbeat, 2000);
  assert.equal(hb.seq, 2);
  venue.clock.advance(160);
  assert.ok(!c.received.some((m) => m.type === T.Logout), 'not before 3 intervals');
  venue.clock.advance(40);
  const end = await c.nextOf<R<Logout>>(T.Logout, 3000);
  assert.equal(end.reason, DisconnectReason.HEARTBEAT_TIMEOUT);
  await c.closed;
  assert.match(venue.log.join(''), /HEARTBEAT_TIMEOUT/);
});

test('rate limit: orders beyond the per-second limit get RATE_LIMITED with the limit as detail', async (t) => {
  const venue = await startVenue(t, baseConfig('', 'orders_per_second = 5'));
  const c = await OeClient.connect(venue.ready.oe_port);
  await c.login(1, 'alpha');
  for (let i = 1; i <= 7; i++) c.newOrder(i, 1, Side.BUY, 57_000 + i, 1);
  await c.until((all) => all.filter((m) => m.type === T.Ack || m.type === T.Reject).length === 7);
  const acks = c.received.filter((m) => m.type === T.Ack).length;
  const rejects = c.received.filter((m): m is R<Reject> => m.type === T.Reject);
  assert.equal(acks, 5);
  assert.deepEqual(rejects.map((r) => [r.clOrdId, r.reason, r.detail]), [[6, RejectReason.RATE_LIMITED, 5], [7, RejectReason.RATE_LIMITED, 5]]);
});

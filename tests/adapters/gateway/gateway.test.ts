// Order gateway against a real venue process on loopback (dist/host/venue.js, ports 0): login and its
// refusals, new → Ack, cancel → Canceled, replace → Replaced (priority kept / lost), two gateways
// crossing → Fills on both with the right leaves, rejects with reason codes, request timeout and the
// late answer, heartbeat timeout (both on a manual clock), heartbeats keeping an idle session alive,
// Logout cancelling resting orders, typed errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import {
  CancelReason,
  DisconnectReason,
  FillFlags,
  FrameReader,
  MessageType,
  OrderKind,
  RejectReason,
  Side,
  TimeInForce,
  decodeFrame,
  encodeLogin,
  type Message,
} from '../../../host/protocol/index.js';
import { OrderGateway, GatewayEnd, type GatewayConfig } from '../../../host/adapters/gateway/order-gateway.js';
import { ExecutionRecorder } from '../../testkit/execution-recorder.js';
import { LoginRejectedError, NotConnectedError, NotLoggedInError } from '../../../host/adapters/gateway/gateway-errors.js';
import { startVenue, venueConfigToml, type LocalVenue } from '../../../host/venue/venue-process.js';
import { ManualClock } from '../../testkit/manual-clock.js';

const USERS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13].map((id) => ({ id, token: `tok-${id}` }));
// Symbol 1: no synthetic flow, band 9000..11000. Symbol 2: lot size 5.
const QUIET = 1;
const LOTS = 2;
let venue: LocalVenue;
const quiet = () => {};

before(async () => {
  venue = await startVenue(venueConfigToml({
    users: USERS,
    symbols: [
      { name: 'QUIET', refPrice: 10_000, bandLow: 9_000, bandHigh: 11_000 },
      { name: 'LOTS', refPrice: 5_000, lotSize: 5 },
    ],
  }));
});
after(async () => {
  await venue?.stop();
});

const sessions: OrderGateway[] = [];
after(async () => {
  await Promise.all(sessions.map((g) => g.close()));
});

async function login(userId: number, extra: Partial<GatewayConfig> = {}): Promise<{ gw: OrderGateway; rec: ExecutionRecorder }> {
  const rec = new ExecutionRecorder();
  const gw = new OrderGateway({ port: venue.oePort, userId, token: `tok-${userId}`, heartbeatMs: 1000, log: quiet, ...extra }, rec);
  await gw.connect();
  sessions.push(gw);
  return { gw, rec };
}

test('login: LoginAck with a session id and the granted heartbeat; refusals are typed errors', async () => {
  const { gw } = await login(1, { heartbeatMs: 500 });
  assert.ok(gw.isLoggedIn);
  assert.ok(gw.sessionId > 0);
  assert.equal(gw.heartbeatMs, 500);

  const bad = new OrderGateway({ port: venue.oePort, userId: 2, token: 'wrong', log: quiet });
  await assert.rejects(bad.connect(), (e: unknown) =>
    e instanceof LoginRejectedError && e.viaLogout && e.reason === DisconnectReason.BAD_CREDENTIALS);
  assert.equal(bad.isLoggedIn, false);

  const dup = new OrderGateway({ port: venue.oePort, userId: 1, token: 'tok-1', log: quiet });
  await assert.rejects(dup.connect(), (e: unknown) =>
    e instanceof LoginRejectedError && e.viaLogout && e.reason === DisconnectReason.DUPLICATE_SESSION);

  const none = new OrderGateway({ port: venue.oePort, userId: 2, token: 'tok-2', log: quiet });
  assert.throws(() => none.newOrder(QUIET, Side.BUY, OrderKind.LIMIT, TimeInForce.GTC, 10_000, 1), NotConnectedError);
});

test('new order → Ack; cancel → Canceled; replace → Replaced (priority kept on a size-down, lost on a price change)', async () => {
  const { gw, rec } = await login(2);
  const id = gw.newOrder(QUIET, Side.BUY, OrderKind.LIMIT, TimeInForce.GTC, 9_500, 10);
  const ack = await rec.waitFor('ack', (r) => r.clOrdId === id);
  assert.equal(ack.symbol, QUIET);
  assert.equal(ack.side, Side.BUY);
  assert.equal(ack.price, 9_500);
  assert.equal(ack.qty, 10);
  assert.ok(ack.exchOrderId > 0);
  assert.ok(ack.rttNs > 0 && ack.rttNs < 1e9, `rtt ${ack.rttNs}`);

  const r1 = gw.replace(id, 9_500, 6); // same price, smaller: keeps priority and exchange id
  const rep1 = await rec.waitFor('replaced', (r) => r.clOrdId === r1);
  assert.equal(rep1.origClOrdId, id);
  assert.equal(rep1.exchOrderId, ack.exchOrderId);
  assert.equal(rep1.oldExchOrderId, ack.exchOrderId);
  assert.equal(rep1.qty, 6);
  assert.equal(rep1.leavesQty, 6);
  assert.ok(rep1.rttNs > 0);

  const r2 = gw.replace(r1, 9_501, 6); // new price: new exchange id, back of the queue
  const rep2 = await rec.waitFor('replaced', (r) => r.clOrdId === r2);
  assert.equal(rep2.price, 9_501);
  assert.equal(rep2.oldExchOrderId, ack.exchOrderId);
  assert.notEqual(rep2.exchOrderId, ack.exchOrderId);

  // The old client id is gone after a Replace.
  const stale = gw.cancel(id);
  const rej = await rec.waitFor('reject', (r) => r.clOrdId === stale);
  assert.equal(rej.reason, RejectReason.UNKNOWN_ORDER);
  assert.equal(rej.refType, MessageType.Cancel);

  const c = gw.cancel(r2);
  const canceled = await rec.waitFor('canceled', (r) => r.clOrdId === c);
  assert.equal(canceled.origClOrdId, r2);
  assert.equal(canceled.exchOrderId, rep2.exchOrderId);
  assert.equal(canceled.canceledQty, 6);
  assert.equal(canceled.reason, CancelReason.REQUESTED);
  assert.ok(canceled.rttNs > 0);
  assert.equal(gw.inFlight, 0);
  // Client order ids are monotonic.
  assert.deepEqual([id, r1, r2, stale, c], [id, id + 1, id + 2, id + 3, id + 4]);
});

test('crossing orders between two gateways fill both sides with the right leaves and one trade id', async () => {
  const a = await login(3);
  const b = await login(4);
  const sell = a.gw.newOrder(QUIET, Side.SELL, OrderKind.LIMIT, TimeInForce.GTC, 10_200, 10);
  await a.rec.waitFor('ack', (r) => r.clOrdId === sell);

  const buy1 = b.gw.newOrder(QUIET, Side.BUY, OrderKind.LIMIT, TimeInForce.GTC, 10_200, 4);
  const takerFill = await b.rec.waitFor('fill', (r) => r.clOrdId === buy1);
  const makerFill = await a.rec.waitFor('fill', (r) => r.clOrdId === sell);
  assert.deepEqual([takerFill.qty, takerFill.leavesQty, takerFill.price, takerFill.flags], [4, 0, 10_200, FillFlags.FULL]);
  assert.deepEqual([makerFill.qty, makerFill.leavesQty, makerFill.price, makerFill.flags], [4, 6, 10_200, FillFlags.MAKER]);
  assert.equal(takerFill.tradeId, makerFill.tradeId);
  assert.equal(takerFill.side, Side.BUY);
  assert.equal(makerFill.side, Side.SELL);
  // Ack comes before the Fill.
  const bOrder = b.rec.reports.filter((r) => 'clOrdId' in r && r.clOrdId === buy1).map((r) => r.kind);
  assert.deepEqual(bOrder, ['ack', 'fill']);

  // A bigger buy above the ask takes the remaining 6 at the resting price and rests the rest.
  const buy2 = b.gw.newOrder(QUIET, Side.BUY, OrderKind.LIMIT, TimeInForce.GTC, 10_201, 10);
  const f2 = await b.rec.waitFor('fill', (r) => r.clOrdId === buy2);
  const m2 = await a.rec.waitFor('fill', (r) => r.clOrdId === sell && r.leavesQty === 0);
  assert.deepEqual([f2.qty, f2.leavesQty, f2.price, f2.flags], [6, 4, 10_200, 0]);
  assert.deepEqual([m2.qty, m2.flags], [6, FillFlags.FULL | FillFlags.MAKER]);

  // An IOC sell for 10 against the 4 resting: fills 4, the remainder is canceled IOC_REMAINDER (unsolicited: rtt −1).
  const ioc = a.gw.newOrder(QUIET, Side.SELL, OrderKind.LIMIT, TimeInForce.IOC, 10_201, 10);
  const rem = await a.rec.waitFor('canceled', (r) => r.origClOrdId === ioc);
  assert.equal(rem.reason, CancelReason.IOC_REMAINDER);
  assert.equal(rem.canceledQty, 6);
  assert.equal(rem.rttNs, -1);
  const iocFill = a.rec.of('fill', ioc);
  assert.deepEqual(iocFill.map((f) => [f.qty, f.leavesQty]), [[4, 6]]);
  await b.rec.waitFor('fill', (r) => r.clOrdId === buy2 && r.leavesQty === 0);
});

test('rejects carry the reason code: price outside the band, bad price, lot size, unknown symbol, post-only cross', async () => {
  const { gw, rec } = await login(5);
  const high = gw.newOrder(QUIET, Side.BUY, OrderKind.LIMIT, TimeInForce.GTC, 11_001, 1);
  const r1 = await rec.waitFor('reject', (r) => r.clOrdId === high);
  assert.equal(r1.reason, RejectReason.PRICE_OUT_OF_BAND);
  assert.equal(r1.detail, 11_000);
  assert.equal(r1.refType, MessageType.NewOrder);
  assert.ok(r1.rttNs > 0);

  const low = gw.newOrder(QUIET, Side.SELL, OrderKind.LIMIT, TimeInForce.GTC, 8_999, 1);
  assert.deepEqual([(await rec.waitFor('reject', (r) => r.clOrdId === low)).reason, rec.of('reject', low)[0]!.detail],
    [RejectReason.PRICE_OUT_OF_BAND, 9_000]);

  const zero = gw.newOrder(QUIET, Side.BUY, OrderKind.LIMIT, TimeInForce.GTC, 0, 1);
  assert.equal((await rec.waitFor('reject', (r) => r.clOrdId === zero)).reason, RejectReason.BAD_PRICE);

  const lot = gw.newOrder(LOTS, Side.BUY, OrderKind.LIMIT, TimeInForce.GTC, 5_000, 3);
  const r3 = await rec.waitFor('reject', (r) => r.clOrdId === lot);
  assert.deepEqual([r3.reason, r3.detail], [RejectReason.BAD_QTY, 5]);

  const sym = gw.newOrder(9, Side.BUY, OrderKind.LIMIT, TimeInForce.GTC, 5_000, 5);
  assert.equal((await rec.waitFor('reject', (r) => r.clOrdId === sym)).reason, RejectReason.UNKNOWN_SYMBOL);

  const rest = gw.newOrder(LOTS, Side.SELL, OrderKind.LIMIT, TimeInForce.GTC, 5_010, 5);
  await rec.waitFor('ack', (r) => r.clOrdId === rest);
  const po = gw.newOrder(LOTS, Side.BUY, OrderKind.LIMIT, TimeInForce.POST_ONLY, 5_010, 5);
  assert.equal((await rec.waitFor('reject', (r) => r.clOrdId === po)).reason, RejectReason.POST_ONLY_WOULD_CROSS);
  assert.equal(gw.inFlight, 0);
});

test('an order with no answer in time gets onTimeout (on a manual clock); the late Ack still arrives', async () => {
  const clock = new ManualClock();
  const { gw, rec } = await login(6, { requestTimeoutMs: 150, heartbeatMs: 2000, clock });
  const warm = gw.newOrder(QUIET, Side.BUY, OrderKind.LIMIT, TimeInForce.GTC, 9_100, 1);
  await rec.waitFor('ack', (r) => r.clOrdId === warm);
  // No answer can be read before this synchronous step ends: 200 ms pass on the gateway's clock first.
  const id = gw.newOrder(QUIET, Side.BUY, OrderKind.LIMIT, TimeInForce.GTC, 9_101, 1);
  clock.advance(200);
  const to = await rec.waitFor('timeout', (r) => r.clOrdId === id, 2000);
  assert.equal(to.type, MessageType.NewOrder);
  assert.ok(to.t4 > 0);
  assert.equal(gw.counters.timeouts, 1);
  assert.equal(gw.inFlight, 0);
  const late = await rec.waitFor('ack', (r) => r.clOrdId === id, 3000);
  assert.ok(late.rttNs >= 150e6, `late rtt ${late.rttNs}`);
  assert.equal(gw.counters.lateAnswers, 1);
  assert.ok(gw.isLoggedIn);
  await gw.close();
});

test('heartbeats keep an idle session alive well past three intervals; the venue logs out a client that sends none', async () => {
  const { gw, rec } = await login(7, { heartbeatMs: 100 });
  assert.equal(gw.heartbeatMs, 100);
  // Without heartbeats the same interval is fatal: a raw client that logs in and goes quiet is
  // logged out HEARTBEAT_TIMEOUT after three intervals (it runs while the gateway idles).
  const raw = net.createConnection({ port: venue.oePort, host: '127.0.0.1' });
  await once(raw, 'connect');
  const got: Message[] = [];
  const reader = new FrameReader();
  raw.on('data', (c: Buffer) => reader.feed(c, (v, at) => got.push(decodeFrame(v, at))));
  const loginFrame = Buffer.alloc(40);
  encodeLogin(new DataView(loginFrame.buffer, loginFrame.byteOffset, 40), 0, 1, 0n, 12, 100, 'tok-12');
  const t0 = Date.now();
  const rawClosed = new Promise<number>((resolve) => raw.once('close', () => resolve(Date.now() - t0)));
  raw.write(loginFrame);

  await new Promise((r) => setTimeout(r, 1000)); // 10 intervals idle: the venue would drop a silent client after 3
  assert.ok(gw.isLoggedIn);
  assert.ok(gw.counters.heartbeatsSent >= 5, `sent ${gw.counters.heartbeatsSent}`);
  assert.ok(gw.counters.heartbeatsReceived >= 5, `received ${gw.counters.heartbeatsReceived}`);
  const id = gw.newOrder(QUIET, Side.BUY, OrderKind.LIMIT, TimeInForce.GTC, 9_200, 1);
  await rec.waitFor('ack', (r) => r.clOrdId === id);

  const silentMs = await rawClosed;
  assert.equal(got[0]!.type, MessageType.LoginAck);
  assert.ok(got.slice(1, -1).every((m) => m.type === MessageType.Heartbeat), got.map((m) => m.type).join(','));
  const bye = got.at(-1)!;
  assert.equal(bye.type, MessageType.Logout);
  assert.equal((bye as { reason: number }).reason, DisconnectReason.HEARTBEAT_TIMEOUT);
  assert.ok(silentMs >= 250 && silentMs < 1000, `dropped after ${silentMs} ms`);
});

test('silence from the venue ends the session after three intervals (on a manual clock); the same gateway logs in again', async () => {
  const clock = new ManualClock();
  // A 1 s interval keeps the venue's own (real-time) watchdog out of the way while the test runs.
  const { gw, rec } = await login(13, { heartbeatMs: 1000, clock });
  // Checked every 50 ms: our heartbeats go out at 1, 2 and 3 s; at 3.05 s nothing has come from the
  // venue for more than three intervals (no read can happen inside this synchronous step).
  clock.advance(3050);
  const end = await rec.waitFor('sessionEnd', () => true, 2000);
  assert.deepEqual([end.reason, end.byVenue], [DisconnectReason.HEARTBEAT_TIMEOUT, false]);
  assert.equal(gw.counters.heartbeatsSent, 3);
  assert.equal(gw.isLoggedIn, false);
  assert.throws(() => gw.newOrder(QUIET, Side.BUY, OrderKind.LIMIT, TimeInForce.GTC, 9_200, 1), NotConnectedError);
  // A new session on the same gateway object works once the venue has seen the old one drop (it may
  // still be processing our Logout when the new Login arrives: DUPLICATE_SESSION, then retry).
  for (let attempt = 0; ; attempt++) {
    try {
      await gw.connect();
      break;
    } catch (e) {
      if (!(e instanceof LoginRejectedError && e.reason === DisconnectReason.DUPLICATE_SESSION) || attempt === 20) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const again = gw.newOrder(QUIET, Side.BUY, OrderKind.LIMIT, TimeInForce.GTC, 9_200, 1);
  await rec.waitFor('ack', (r) => r.clOrdId === again);
  await gw.close();
});

test('close() logs out: resting orders come back Canceled SESSION_END, then the venue Logout ends the session', async () => {
  const { gw, rec } = await login(8);
  const ids = [9_300, 9_301, 9_302].map((p) => gw.newOrder(QUIET, Side.BUY, OrderKind.LIMIT, TimeInForce.GTC, p, 2));
  for (const id of ids) await rec.waitFor('ack', (r) => r.clOrdId === id);
  const closing = gw.close();
  assert.throws(() => gw.newOrder(QUIET, Side.BUY, OrderKind.LIMIT, TimeInForce.GTC, 9_300, 1), NotLoggedInError);
  await closing;
  const cancels = rec.of('canceled');
  assert.deepEqual(cancels.map((c) => c.origClOrdId).sort(), [...ids].sort());
  assert.ok(cancels.every((c) => c.reason === CancelReason.SESSION_END && c.canceledQty === 2));
  const end = rec.of('sessionEnd');
  assert.deepEqual(end.map((e) => [e.reason, e.byVenue]), [[DisconnectReason.LOGOUT, true]]);
  assert.ok(![GatewayEnd.CONNECTION_LOST, GatewayEnd.PROTOCOL_ERROR].includes(end[0]!.reason as never));
});

test('protocol edges: pipelined new+cancel, market IOC, replace below filled, bad heartbeat at login', async () => {
  const { gw, rec } = await login(9);
  // A Cancel sent right behind its NewOrder (Ack still in flight) names it by clOrdId and works.
  gw.cork();
  const n1 = gw.newOrder(QUIET, Side.SELL, OrderKind.LIMIT, TimeInForce.GTC, 10_500, 5);
  const c1 = gw.cancel(n1);
  gw.uncork();
  assert.equal(gw.counters.writes > 0, true);
  const cx = await rec.waitFor('canceled', (r) => r.clOrdId === c1);
  assert.deepEqual([cx.origClOrdId, cx.canceledQty, cx.reason], [n1, 5, CancelReason.REQUESTED]);
  assert.equal(rec.of('ack', n1).length, 1);

  // Replace to a total at or below what has filled: BAD_QTY with detail = filled; the order is untouched.
  const { gw: other, rec: orec } = await login(10);
  const rest = gw.newOrder(QUIET, Side.SELL, OrderKind.LIMIT, TimeInForce.GTC, 10_400, 10);
  await rec.waitFor('ack', (r) => r.clOrdId === rest);
  const take = other.newOrder(QUIET, Side.BUY, OrderKind.MARKET, TimeInForce.IOC, 0, 6);
  const mf = await orec.waitFor('fill', (r) => r.clOrdId === take);
  assert.deepEqual([mf.qty, mf.price, mf.leavesQty], [6, 10_400, 0]);
  await rec.waitFor('fill', (r) => r.clOrdId === rest);
  const low = gw.replace(rest, 10_400, 6);
  const rj = await rec.waitFor('reject', (r) => r.clOrdId === low);
  assert.deepEqual([rj.reason, rj.detail, rj.refType], [RejectReason.BAD_QTY, 6, MessageType.Replace]);
  // Still live with 4 open under its old id: grow it to 12 total → leaves 6, and cancel it.
  const up = gw.replace(rest, 10_400, 12);
  const upr = await rec.waitFor('replaced', (r) => r.clOrdId === up);
  assert.deepEqual([upr.qty, upr.leavesQty], [12, 6]);
  const c2 = gw.cancel(up);
  assert.equal((await rec.waitFor('canceled', (r) => r.clOrdId === c2)).canceledQty, 6);

  // A market IOC with nothing to take: Ack, then Canceled IOC_REMAINDER for all of it.
  const mkt = other.newOrder(QUIET, Side.BUY, OrderKind.MARKET, TimeInForce.IOC, 0, 3);
  await orec.waitFor('ack', (r) => r.clOrdId === mkt);
  const rem = await orec.waitFor('canceled', (r) => r.origClOrdId === mkt);
  assert.deepEqual([rem.reason, rem.canceledQty], [CancelReason.IOC_REMAINDER, 3]);

  // A heartbeat interval outside 100..60 000 is refused with a Reject BAD_FIELD (the connection stays, we close it).
  // (User 11 has no session: the session checks come before the field checks.)
  const badHb = new OrderGateway({ port: venue.oePort, userId: 11, token: 'tok-11', heartbeatMs: 50, log: quiet });
  await assert.rejects(badHb.connect(), (e: unknown) =>
    e instanceof LoginRejectedError && !e.viaLogout && e.reason === RejectReason.BAD_FIELD);
  await other.close();
});

test('request timeout against a venue with 300 ms inbound latency: onTimeout at 100 ms, the Ack ~300 ms later', async () => {
  const slow = await startVenue(venueConfigToml({
    users: [{ id: 1, token: 'tok-1' }],
    symbols: [{ name: 'QUIET', refPrice: 10_000 }],
    oeInboundFixedUs: 300_000,
  }));
  try {
    const rec = new ExecutionRecorder();
    const gw = new OrderGateway({ port: slow.oePort, userId: 1, token: 'tok-1', requestTimeoutMs: 100, log: quiet }, rec);
    await gw.connect();
    const id = gw.newOrder(QUIET, Side.BUY, OrderKind.LIMIT, TimeInForce.GTC, 9_950, 1);
    const to = await rec.waitFor('timeout', (r) => r.clOrdId === id, 1000);
    const ack = await rec.waitFor('ack', (r) => r.clOrdId === id, 2000);
    assert.ok(ack.t5 - to.t4 >= 290e6, `ack ${(ack.t5 - to.t4) / 1e6} ms after the send`);
    assert.ok(ack.rttNs >= 290e6 && ack.rttNs < 2e9, `rtt ${ack.rttNs}`);
    assert.deepEqual([gw.counters.timeouts, gw.counters.lateAnswers, gw.inFlight], [1, 1, 0]);
    // Cancels and replaces time out the same way.
    const c = gw.cancel(id);
    const cto = await rec.waitFor('timeout', (r) => r.clOrdId === c, 1000);
    assert.equal(cto.type, MessageType.Cancel);
    await rec.waitFor('canceled', (r) => r.clOrdId === c, 2000);
    await gw.close();
  } finally {
    await slow.stop();
  }
});

test('requests under caller-given ids (the core numbers them): sent with that id, answered by it, ids must rise', async () => {
  const { gw, rec } = await login(13);
  // The execution core numbers every request itself and skips ids it did not send (a refused order).
  const id = gw.newOrderWithId(5, QUIET, Side.SELL, OrderKind.LIMIT, TimeInForce.GTC, 10_500, 3);
  assert.equal(id, 5);
  const ack = await rec.waitFor('ack', (r) => r.clOrdId === 5);
  assert.equal(ack.price, 10_500);
  assert.ok(ack.rttNs > 0, 'T4 was recorded for the caller-given id');
  assert.equal(gw.replaceWithId(9, 5, 10_500, 2), 9);
  const rep = await rec.waitFor('replaced', (r) => r.clOrdId === 9);
  assert.equal(rep.origClOrdId, 5);
  assert.equal(rep.qty, 2);
  assert.throws(() => gw.cancelWithId(9, 9), /clOrdId 9 is not above the last one claimed \(9\)/, 'a reused id is refused');
  assert.throws(() => gw.newOrderWithId(7, QUIET, Side.SELL, OrderKind.LIMIT, TimeInForce.GTC, 10_500, 3), RangeError);
  assert.equal(gw.cancelWithId(12, 9), 12);
  const canceled = await rec.waitFor('canceled', (r) => r.clOrdId === 12);
  assert.equal(canceled.origClOrdId, 9);
  assert.equal(canceled.canceledQty, 2);
  assert.ok(canceled.rttNs > 0);
  assert.equal(gw.nextClOrdId, 13, 'the gateway\'s own numbering continues above the caller\'s ids');
  assert.equal(gw.inFlight, 0);
});

// The order gateway's time-driven session behaviour on a manual clock, against a scripted socket:
// login timeout, heartbeats out and the silence limit, request timeouts and late answers, the
// logout wait, a broken venue sequence, a throwing handler. Every step is synchronous; nothing sleeps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OrderGateway, GatewayEnd, SessionState, type GatewayConfig } from '../../../host/adapters/gateway/order-gateway.js';
import { GatewayTimeoutError } from '../../../host/adapters/gateway/gateway-errors.js';
import {
  DisconnectReason,
  MAX_FRAME_BYTES,
  MessageType,
  OrderKind,
  Side,
  TimeInForce,
  encodeMessage,
  type Message,
} from '../../../host/protocol/index.js';
import { ExecutionRecorder } from '../../testkit/execution-recorder.js';
import { ManualClock } from '../../testkit/manual-clock.js';
import { scriptedDialer } from '../../testkit/scripted-socket.js';

const T = MessageType;
type VenueFrame = Message extends infer M ? (M extends Message ? Omit<M, 'seq' | 'sendNs'> : never) : never;

function setup(extra: Partial<GatewayConfig> = {}, rec = new ExecutionRecorder()) {
  const clock = new ManualClock();
  const net = scriptedDialer();
  const lines: string[] = [];
  const gw = new OrderGateway({
    port: 9, userId: 1, token: 'tok', heartbeatMs: 100, log: (l) => lines.push(l), clock, dial: net.dial, ...extra,
  }, rec);
  let seq = 0;
  /** Frames from the venue, numbered in order, in one socket read. */
  const venue = (...frames: VenueFrame[]): void => {
    const b = Buffer.alloc(frames.length * MAX_FRAME_BYTES);
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
    let at = 0;
    for (const f of frames) at += encodeMessage(v, at, { ...f, seq: ++seq, sendNs: 0n } as Message);
    net.last().receive(b.subarray(0, at));
  };
  /** Skips `n` venue sequence numbers. */
  const skip = (n: number): void => {
    seq += n;
  };
  return { clock, net, rec, gw, lines, venue, skip };
}

async function loggedIn(extra: Partial<GatewayConfig> = {}, rec?: ExecutionRecorder) {
  const t = setup(extra, rec);
  const login = t.gw.connect();
  t.net.last().open();
  t.venue({ type: T.LoginAck, sessionId: 7, heartbeatMs: extra.heartbeatMs ?? 100 });
  assert.deepEqual(await login, { sessionId: 7, heartbeatMs: extra.heartbeatMs ?? 100 });
  return t;
}

const ack = (clOrdId: number): VenueFrame => ({
  type: T.Ack, clOrdId, exchOrderId: clOrdId + 100, price: 1000, qty: 1, symbol: 1, side: Side.BUY, kind: OrderKind.LIMIT,
  tif: TimeInForce.GTC,
});

test('Login goes out on connect; no LoginAck within loginTimeoutMs is a GatewayTimeoutError and the socket goes', async () => {
  const { clock, net, gw } = setup({ loginTimeoutMs: 500 });
  let outcome: unknown = 'pending';
  const login = gw.connect().then(() => 'logged in', (e: unknown) => e);
  void login.then((o) => { outcome = o; });
  const socket = net.last();
  assert.equal(gw.state, SessionState.CONNECTING);
  socket.open();
  assert.equal(gw.state, SessionState.LOGGING_IN);
  const [sent] = socket.sent();
  assert.deepEqual({ ...sent, sendNs: undefined },
    { type: T.Login, seq: 1, sendNs: undefined, userId: 1, heartbeatMs: 100, token: 'tok' });
  assert.equal(sent!.sendNs, BigInt(clock.nowNs()), 'the header carries the clock at the write');
  clock.advance(499);
  await Promise.resolve();
  assert.equal(outcome, 'pending');
  clock.advance(1);
  const err = await login;
  assert.ok(err instanceof GatewayTimeoutError && err.ms === 500, String(err));
  assert.equal(gw.state, SessionState.DISCONNECTED);
  // Ended gracefully (queued bytes may still go out), destroyed 200 ms later as it never closed.
  assert.deepEqual([socket.ended, socket.destroyed], [true, false]);
  clock.advance(200);
  assert.equal(socket.destroyed, true);
});

test('heartbeats go out after an interval without sends; three intervals of venue silence end the session', async () => {
  const { clock, net, gw, rec, venue } = await loggedIn({ heartbeatMs: 100 });
  const start = clock.nowNs();
  clock.advance(100); // checked every 25 ms; a heartbeat is due 5 ms before the interval is over
  clock.advance(50);
  gw.newOrder(1, Side.BUY, OrderKind.LIMIT, TimeInForce.GTC, 1000, 1); // a send restarts the interval
  clock.advance(100);
  venue({ type: T.Heartbeat }); // at 250 ms: the venue's silence starts again
  assert.equal(gw.counters.heartbeatsReceived, 1);
  clock.advance(300);
  assert.ok(gw.isLoggedIn, 'exactly three intervals of silence is still alive');
  clock.advance(25);
  assert.equal(gw.isLoggedIn, false);
  const sent = net.last().sent();
  assert.deepEqual(sent.map((m) => [m.type, m.seq, Number(m.sendNs - BigInt(start)) / 1e6]), [
    [T.Login, 1, 0], [T.Heartbeat, 2, 100], [T.NewOrder, 3, 150], [T.Heartbeat, 4, 250], [T.Heartbeat, 5, 350],
    [T.Heartbeat, 6, 450], [T.Heartbeat, 7, 550], [T.Logout, 8, 575],
  ]);
  assert.equal((sent.at(-1) as { reason: number }).reason, DisconnectReason.HEARTBEAT_TIMEOUT);
  assert.equal(gw.counters.heartbeatsSent, 5);
  assert.deepEqual(rec.of('sessionEnd').map((e) => [e.reason, e.detail, e.byVenue]), [[DisconnectReason.HEARTBEAT_TIMEOUT, 0, false]]);
  // The order's answer will never come in this session: it is dropped, not reported as a timeout.
  clock.advance(2000);
  assert.deepEqual([rec.of('timeout').length, gw.inFlight], [0, 0]);
});

test('requests time out in id order, once each; a late answer is still delivered with its rtt', async () => {
  const { clock, gw, rec, venue } = await loggedIn({ heartbeatMs: 1000, requestTimeoutMs: 100 });
  const t0 = clock.nowNs();
  const a = gw.newOrder(1, Side.BUY, OrderKind.LIMIT, TimeInForce.GTC, 1000, 1);
  clock.advance(30);
  const b = gw.cancel(a);
  assert.deepEqual([gw.sentAt(a), gw.sentAt(b), gw.inFlight], [t0, t0 + 30e6, 2]);
  clock.advance(70); // checked every 25 ms: `a` is 100 ms old at 100 ms, `b` only at 130 (seen at 150)
  assert.deepEqual(rec.of('timeout').map((r) => [r.clOrdId, r.type, r.t4]), [[a, T.NewOrder, t0]]);
  clock.advance(50);
  assert.deepEqual(rec.of('timeout').map((r) => [r.clOrdId, r.type]), [[a, T.NewOrder], [b, T.Cancel]]);
  assert.deepEqual([gw.counters.timeouts, gw.inFlight, gw.sentAt(a)], [2, 0, 0]);
  clock.advance(10);
  venue(ack(a));
  const late = rec.of('ack', a)[0]!;
  assert.equal(late.rttNs, 160e6);
  assert.equal(late.t5, t0 + 160e6);
  assert.equal(gw.counters.lateAnswers, 1);
  clock.advance(1000);
  assert.equal(rec.of('timeout').length, 2, 'a request times out once');
  assert.ok(gw.isLoggedIn);
});

test('close() sends Logout and waits logoutTimeoutMs for the venue\'s, then ends the session itself', async () => {
  const { clock, net, gw, rec } = await loggedIn({ heartbeatMs: 1000, logoutTimeoutMs: 800 });
  let closed = false;
  const closing = gw.close().then(() => { closed = true; });
  const bye = net.last().sent().at(-1)!;
  assert.deepEqual([bye.type, (bye as { reason: number }).reason], [T.Logout, DisconnectReason.LOGOUT]);
  assert.equal(gw.state, SessionState.LOGGING_OUT);
  clock.advance(799);
  await Promise.resolve();
  assert.equal(closed, false);
  clock.advance(1);
  await closing;
  assert.equal(gw.state, SessionState.DISCONNECTED);
  assert.deepEqual(rec.of('sessionEnd').map((e) => [e.reason, e.byVenue]), [[DisconnectReason.LOGOUT, false]]);
  assert.equal(net.last().ended, true);
});

test('a venue frame out of sequence ends the session with PROTOCOL_ERROR', async () => {
  const { gw, rec, venue, skip, lines } = await loggedIn();
  skip(1);
  venue({ type: T.Heartbeat });
  assert.equal(gw.isLoggedIn, false);
  assert.deepEqual(rec.of('sessionEnd').map((e) => [e.reason, e.byVenue]), [[GatewayEnd.PROTOCOL_ERROR, false]]);
  assert.equal(gw.counters.badFrames, 1);
  assert.ok(lines.some((l) => l.includes('venue seq 3 where 2 was expected')), lines.join('\n'));
});

test('an ExecutionEvents handler that throws is counted and logged; the rest of the read is still delivered', async () => {
  class Throwing extends ExecutionRecorder {
    override onAck(...args: Parameters<ExecutionRecorder['onAck']>): void {
      super.onAck(...args);
      throw new Error('handler bug');
    }
  }
  const { gw, rec, venue, lines } = await loggedIn({}, new Throwing());
  const a = gw.newOrder(1, Side.BUY, OrderKind.LIMIT, TimeInForce.GTC, 1000, 1);
  const b = gw.newOrder(1, Side.BUY, OrderKind.LIMIT, TimeInForce.GTC, 1000, 1);
  venue(ack(a), ack(b));
  assert.deepEqual(rec.of('ack').map((r) => r.clOrdId), [a, b]);
  assert.equal(gw.counters.callbackErrors, 2);
  assert.ok(lines.some((l) => l.includes('an ExecutionEvents handler threw: Error: handler bug')), lines.join('\n'));
  assert.deepEqual([gw.isLoggedIn, gw.inFlight], [true, 0]);
});

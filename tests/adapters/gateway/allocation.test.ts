// The gateway's request and report paths allocate nothing per order once optimised: 200 000 NewOrders encoded into
// the send slab (1 000 per write) and their 200 000 Acks plus 50 000 Fills and 50 000 Canceleds
// dispatched to an ExecutionEvents object, with no garbage collection and next to no heap growth.
// The socket is a scripted one that takes the bytes (one Buffer view per write is the only allocation).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OrderGateway, SessionState, NullExecutionEvents } from '../../../host/adapters/gateway/order-gateway.js';
import {
  CancelReason,
  OrderKind,
  Side,
  TimeInForce,
  encodeAck,
  encodeCanceled,
  encodeFill,
  encodeLoginAck,
} from '../../../host/protocol/index.js';
import { gcDuring } from '../../testkit/md-server.js';
import { scriptedDialer } from '../../testkit/scripted-socket.js';
import { liveClock, type Clock } from '../../../host/platform/clock.js';

class Sums extends NullExecutionEvents {
  readonly acc = new Float64Array(4);
  override onAck(clOrdId: number, exch: number, _s: number, _side: number, price: number, qty: number, rttNs: number): void {
    this.acc[0]! += clOrdId + exch + price + qty + (rttNs > 0 ? 1 : 0);
  }
  override onFill(clOrdId: number, _e: number, tradeId: number, _s: number, _side: number, price: number, qty: number, leaves: number): void {
    this.acc[1]! += clOrdId + tradeId + price + qty + leaves;
  }
  override onCanceled(clOrdId: number, orig: number, _e: number, _s: number, _side: number, qty: number, reason: number, rttNs: number): void {
    this.acc[2]! += clOrdId + orig + qty + reason + (rttNs === -1 ? 1 : 0);
  }
}

const ROUND = 1000;

/** Live time (the stamps are real) and timers that never fire: no heartbeat or timeout write can land
 *  between the counted ones. */
function liveTimeOnly(): Clock {
  const never = { cancel: () => {} };
  return { nowNs: liveClock.nowNs, wallMs: liveClock.wallMs, setTimer: () => never, setInterval: () => never };
}

function loginAck(): Buffer {
  const b = Buffer.alloc(64);
  return b.subarray(0, encodeLoginAck(new DataView(b.buffer, b.byteOffset, b.byteLength), 0, 1, 0n, 7, 1000));
}

test('requests out and reports in allocate nothing per order', async () => {
  const sums = new Sums();
  const net = scriptedDialer();
  const gw = new OrderGateway({ port: 1, userId: 1, token: 't', maxInFlight: 4096, log: () => {}, clock: liveTimeOnly(),
    dial: net.dial }, sums);
  void gw.connect();
  const socket = net.last();
  socket.open(); // the gateway sends its Login
  socket.receive(loginAck());
  assert.equal(gw.state, SessionState.LOGGED_IN);
  let written = 0;
  const sent = new Float64Array(1); // header sendNs of the last frame written
  socket.onWrite = (b) => {
    const v = b as Buffer; // the gateway writes views of its Buffer slab
    written += b.length;
    sent[0] = v.readUInt32LE(b.length - 40 + 8) + v.readUInt32LE(b.length - 40 + 12) * 4294967296;
  };
  const startNs = liveClock.nowNs();

  let seqIn = 1; // the LoginAck
  let nextId = gw.nextClOrdId;
  /** The venue's answers to the next ROUND orders: an Ack each, every 4th also a Fill then an IOC Canceled. */
  const answers = (): Buffer => {
    const b = Buffer.alloc(ROUND * (48 + 56 / 4 + 48 / 4) + 1024);
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
    let at = 0;
    for (let i = 0; i < ROUND; i++, nextId++) {
      at += encodeAck(v, at, ++seqIn, 0n, nextId, nextId + 7, 1000, 10, 1, Side.BUY, OrderKind.LIMIT, TimeInForce.IOC);
      if (i % 4 === 0) {
        at += encodeFill(v, at, ++seqIn, 0n, nextId, nextId + 7, nextId, 1000, 4, 6, 1, Side.BUY, 0);
        at += encodeCanceled(v, at, ++seqIn, 0n, nextId, nextId, nextId + 7, 6, 1, Side.BUY, CancelReason.IOC_REMAINDER);
      }
    }
    return b.subarray(0, at);
  };
  const onData = (chunk: Buffer): void => socket.receive(chunk);
  const round = (chunk: Buffer): void => {
    gw.cork();
    for (let i = 0; i < ROUND; i++) gw.newOrder(1, Side.BUY, OrderKind.LIMIT, TimeInForce.IOC, 1000, 10);
    gw.uncork();
    onData(chunk);
  };
  const warm = Array.from({ length: 50 }, answers);
  for (const c of warm) round(c);
  // Up to three attempts: on a loaded machine the optimised code may not be ready (background
  // compilation) when the first one starts, and interpreted code boxes doubles.
  let gcs = 0;
  let heapGrowth = 0;
  let rounds = 50;
  for (let attempt = 0; attempt < 3; attempt++) {
    const hot = Array.from({ length: 200 }, answers);
    rounds += 200;
    ({ gcs, heapGrowth } = await gcDuring(() => {
      for (const c of hot) round(c);
    }));
    if (gcs === 0 && heapGrowth < 1 << 20) break;
  }
  assert.equal(gw.counters.acks, rounds * ROUND);
  assert.equal(gw.counters.fills, rounds * ROUND / 4);
  assert.equal(gw.inFlight, 0);
  assert.equal(gw.counters.badFrames, 0);
  assert.equal(written, rounds * ROUND * 40);
  assert.ok(sent[0]! >= startNs && sent[0]! <= liveClock.nowNs(), 'header sendNs is the clock at the write');
  assert.ok(sums.acc[0]! > 0 && sums.acc[1]! > 0 && sums.acc[2]! > 0);
  assert.equal(gcs, 0, `garbage collections during 200 000 orders: ${gcs} (heap +${heapGrowth} B)`);
  assert.ok(heapGrowth < 1 << 20, `heap grew ${heapGrowth} B over 200 000 orders`);
});

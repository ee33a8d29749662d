// The gateway's RTT probe against a real venue process: testRequest → TestResponse with the same id and its
// round trip reported like an ack's (T5 − T4), growing with the venue's OE latency injection; probes share
// the requests' id numbering and in-flight table (a probe with no answer in time → onTimeout TestRequest);
// they are counted apart from orders, and need a session.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { MessageType, Side, TimeInForce, OrderKind } from '../../../host/protocol/index.js';
import { OrderGateway } from '../../../host/adapters/gateway/order-gateway.js';
import { NotConnectedError } from '../../../host/adapters/gateway/gateway-errors.js';
import { ExecutionRecorder } from '../../testkit/execution-recorder.js';
import { startVenue, venueConfigToml, type LocalVenue } from '../../../host/venue/venue-process.js';

let venue: LocalVenue;
const quiet = (): void => {};

before(async () => {
  venue = await startVenue(venueConfigToml({
    users: [{ id: 1, token: 'tok-1' }, { id: 2, token: 'tok-2' }],
    symbols: [{ name: 'QUIET', refPrice: 10_000, bandLow: 9_000, bandHigh: 11_000 }],
  }), { control: true });
});
after(async () => {
  await venue?.stop();
});

test('testRequest: the TestResponse carries its id and an RTT like an ack\'s, which the OE latency injection raises', async () => {
  const rec = new ExecutionRecorder();
  const gw = new OrderGateway({ port: venue.oePort, userId: 1, token: 'tok-1', log: quiet }, rec);
  assert.throws(() => gw.testRequest(), NotConnectedError);
  await gw.connect();
  try {
    const first = gw.testRequest();
    const answer = await rec.waitFor('testResponse', (r) => r.testId === first);
    assert.ok(answer.rttNs > 0 && answer.rttNs < 1e9, `RTT ${answer.rttNs} ns without latency`); // a loaded machine: no tighter bound
    assert.equal(gw.inFlight, 0, 'answered: out of the in-flight table');
    // Probes and orders share one numbering.
    const order = gw.newOrder(1, Side.BUY, OrderKind.LIMIT, TimeInForce.GTC, 9_500, 1);
    assert.equal(order, first + 1);
    const ack = await rec.waitFor('ack', (r) => r.clOrdId === order);
    assert.ok(ack.rttNs > 0);

    await venue.setLatency('oe', { inboundUs: 30_000 });
    const slow = gw.testRequestWithId(order + 10);
    const slowAnswer = await rec.waitFor('testResponse', (r) => r.testId === slow);
    assert.ok(slowAnswer.rttNs >= 30e6, `RTT ${slowAnswer.rttNs} ns with 30 ms inbound`);
    assert.ok(slowAnswer.rttNs < 500e6);
    assert.throws(() => gw.testRequestWithId(slow), RangeError, 'ids must rise');
    assert.deepEqual([gw.counters.testRequests, gw.counters.testResponses, gw.counters.newOrders, gw.counters.acks], [2, 2, 1, 1]);
    assert.equal(rec.of('testResponse').length, 2);
  } finally {
    await venue.setLatency('oe', { inboundUs: 0 });
    await gw.close();
  }
});

test('a probe with no answer within requestTimeoutMs is reported by onTimeout as a TestRequest; the late answer still comes', async () => {
  const rec = new ExecutionRecorder();
  const gw = new OrderGateway({ port: venue.oePort, userId: 2, token: 'tok-2', log: quiet, requestTimeoutMs: 20 }, rec);
  await gw.connect();
  try {
    await venue.setLatency('oe', { inboundUs: 150_000 });
    const id = gw.testRequest();
    const timeout = await rec.waitFor('timeout', (r) => r.clOrdId === id);
    assert.equal(timeout.type, MessageType.TestRequest);
    const late = await rec.waitFor('testResponse', (r) => r.testId === id, 3000);
    assert.ok(late.rttNs >= 150e6, 'a late answer keeps its round trip');
    assert.equal(gw.counters.lateAnswers, 1);
  } finally {
    await venue.setLatency('oe', { inboundUs: 0 });
    await gw.close();
  }
});

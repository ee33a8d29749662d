// Self-trade prevention (venue.stp): a session's order never trades with its own resting order;
// another session's still does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CancelReason, MessageType as T, Side, type Canceled, type Fill } from '../../host/protocol/index.js';
import { OeClient, baseConfig, startVenue, type Received } from '../testkit/venue-harness.js';

type R<M> = M & Received;

test('cancel-taker: the incoming order is canceled SELF_TRADE, the resting one stays and trades with others', async (t) => {
  const venue = await startVenue(t, baseConfig('', 'stp = "cancel-taker"'));
  const a = await OeClient.connect(venue.ready.oe_port);
  await a.login(1, 'alpha');
  a.newOrder(1, 1, Side.SELL, 58_000, 10);
  await a.nextOf(T.Ack);
  a.newOrder(2, 1, Side.BUY, 58_000, 4);
  await a.nextOf(T.Ack);
  const canceled = await a.nextOf<R<Canceled>>(T.Canceled);
  assert.deepEqual([canceled.clOrdId, canceled.canceledQty, canceled.reason], [2, 4, CancelReason.SELF_TRADE]);
  assert.ok(!a.received.some((m) => m.type === T.Fill), 'no fill against itself');

  const b = await OeClient.connect(venue.ready.oe_port);
  await b.login(2, 'beta');
  b.newOrder(1, 1, Side.BUY, 58_000, 10);
  const fill = await b.nextOf<R<Fill>>(T.Fill);
  assert.deepEqual([fill.price, fill.qty], [58_000, 10], 'the resting sell was untouched: all 10 trade with B');
  const makerFill = await a.nextOf<R<Fill>>(T.Fill);
  assert.equal(makerFill.clOrdId, 1);
});

test('cancel-maker: the resting order is canceled SELF_TRADE and the incoming one rests', async (t) => {
  const venue = await startVenue(t, baseConfig('', 'stp = "cancel-maker"'));
  const a = await OeClient.connect(venue.ready.oe_port);
  await a.login(1, 'alpha');
  a.newOrder(1, 1, Side.SELL, 58_000, 10);
  await a.nextOf(T.Ack);
  a.newOrder(2, 1, Side.BUY, 58_000, 4);
  const canceled = await a.nextOf<R<Canceled>>(T.Canceled);
  assert.deepEqual([canceled.clOrdId, canceled.canceledQty, canceled.reason], [1, 10, CancelReason.SELF_TRADE]);
  assert.ok(!a.received.some((m) => m.type === T.Fill));
});

test('stp none (the default) lets a session trade with itself; a bad mode is refused naming the key', async (t) => {
  const venue = await startVenue(t, baseConfig());
  const a = await OeClient.connect(venue.ready.oe_port);
  await a.login(1, 'alpha');
  a.newOrder(1, 1, Side.SELL, 58_000, 10);
  await a.nextOf(T.Ack);
  a.newOrder(2, 1, Side.BUY, 58_000, 4);
  const fill = await a.nextOf<R<Fill>>(T.Fill);
  assert.equal(fill.qty, 4);
  await assert.rejects(startVenue(t, baseConfig('', 'stp = "cancel-newest"')), /venue\.stp must be one of none, cancel-taker, cancel-maker, cancel-both/);
});

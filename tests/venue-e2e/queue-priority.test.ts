// Price-time priority end to end, over real TCP sessions: a passive order is filled only after the
// quantity queued ahead of it at its price has traded.
//
// Client A rests three sells at P (10 + 20 + 5 = 35 ahead); client B joins behind at P with 10;
// client C buys marketable IOC pieces of 7. Through the first five pieces (35) B gets no Fill and A's
// orders fill strictly in arrival order; the sixth piece fills B. A size-down Replace keeps A's place
// in the queue; a price change sends an order to the back. The symbol has no synthetic flow.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { FillFlags, OrderKind, Side, TimeInForce } from '../../host/protocol/index.js';
import { startVenue, venueConfigToml, type LocalVenue } from '../../host/venue/venue-process.js';
import { OrderGateway } from '../../host/adapters/gateway/order-gateway.js';
import { ExecutionRecorder } from '../testkit/execution-recorder.js';

const SYM = 1;
const P = 25_000;
let venue: LocalVenue;
const quiet = () => {};
const open: OrderGateway[] = [];

before(async () => {
  venue = await startVenue(venueConfigToml({
    users: [{ id: 1, token: 'a' }, { id: 2, token: 'b' }, { id: 3, token: 'c' }],
    symbols: [{ name: 'Q', refPrice: P }],
  }));
});
after(async () => {
  await Promise.all(open.map((g) => g.close()));
  await venue?.stop();
});

async function client(userId: number, token: string) {
  const rec = new ExecutionRecorder();
  const gw = new OrderGateway({ port: venue.oePort, userId, token, log: quiet }, rec);
  await gw.connect();
  open.push(gw);
  return { gw, rec };
}

test('B, queued behind A at P, fills only after all of A\'s quantity at P has traded', async () => {
  const A = await client(1, 'a');
  const B = await client(2, 'b');
  const C = await client(3, 'c');
  const sell = (c: typeof A, qty: number, price = P) => c.gw.newOrder(SYM, Side.SELL, OrderKind.LIMIT, TimeInForce.GTC, price, qty);

  const a1 = sell(A, 10);
  const a2 = sell(A, 20);
  const a3 = sell(A, 5);
  for (const id of [a1, a2, a3]) await A.rec.waitFor('ack', (r) => r.clOrdId === id);
  const b1 = sell(B, 10);
  await B.rec.waitFor('ack', (r) => r.clOrdId === b1);
  // A less aggressive ask behind the level: must not trade at all.
  const aFar = sell(A, 50, P + 1);
  await A.rec.waitFor('ack', (r) => r.clOrdId === aFar);

  const aFilled = (): number => A.rec.of('fill').filter((f) => f.price === P).reduce((s, f) => s + f.qty, 0);
  for (let piece = 1; piece <= 5; piece++) {
    const buy = C.gw.newOrder(SYM, Side.BUY, OrderKind.LIMIT, TimeInForce.IOC, P + 1, 7);
    const f = await C.rec.waitFor('fill', (r) => r.clOrdId === buy && r.leavesQty === 0);
    assert.equal(f.price, P);
    await new Promise((r) => setTimeout(r, 20)); // let any (wrong) maker report for B arrive
    assert.equal(aFilled(), piece * 7, `after piece ${piece}`);
    assert.deepEqual(B.rec.of('fill'), [], `B filled after piece ${piece} with ${35 - piece * 7} ahead of it`);
  }
  // A's orders filled in arrival order: a1 done before a2 started, a2 before a3.
  const order = A.rec.of('fill').map((f) => f.clOrdId);
  const firstOf = (id: number) => order.indexOf(id);
  const lastOf = (id: number) => order.lastIndexOf(id);
  assert.ok(lastOf(a1) < firstOf(a2) && lastOf(a2) < firstOf(a3), `fill order ${order.join(',')}`);
  assert.ok(A.rec.of('fill', a3).at(-1)!.flags & FillFlags.FULL);
  assert.equal(A.rec.of('fill', aFar).length, 0);

  // Nothing is left ahead of B: the next piece fills B, at P, as maker.
  const buy6 = C.gw.newOrder(SYM, Side.BUY, OrderKind.LIMIT, TimeInForce.IOC, P + 1, 7);
  await C.rec.waitFor('fill', (r) => r.clOrdId === buy6);
  const fb = await B.rec.waitFor('fill', (r) => r.clOrdId === b1);
  assert.deepEqual([fb.qty, fb.leavesQty, fb.price, fb.flags], [7, 3, P, FillFlags.MAKER]);
  assert.equal(A.rec.of('fill').filter((f) => f.clOrdId === aFar).length, 0);
  await Promise.all([A, B, C].map((c) => c.gw.close())); // logout cancels what rests
});

test('a size-down Replace keeps the queue place; a price change goes to the back', async () => {
  const A = await client(1, 'a');
  const B = await client(2, 'b');
  const C = await client(3, 'c');
  const PX = P - 100; // a fresh level
  const buyAt = (c: typeof A, qty: number, price = PX) => c.gw.newOrder(SYM, Side.BUY, OrderKind.LIMIT, TimeInForce.GTC, price, qty);
  const a1 = buyAt(A, 10);
  await A.rec.waitFor('ack', (r) => r.clOrdId === a1);
  const b1 = buyAt(B, 10);
  await B.rec.waitFor('ack', (r) => r.clOrdId === b1);
  // A shrinks its order (10 → 4): still first.
  const a1r = A.gw.replace(a1, PX, 4);
  const rep = await A.rec.waitFor('replaced', (r) => r.clOrdId === a1r);
  assert.equal(rep.exchOrderId, rep.oldExchOrderId);
  const s1 = C.gw.newOrder(SYM, Side.SELL, OrderKind.LIMIT, TimeInForce.IOC, PX, 4);
  await C.rec.waitFor('fill', (r) => r.clOrdId === s1 && r.leavesQty === 0);
  const fa = await A.rec.waitFor('fill', (r) => r.clOrdId === a1r);
  assert.deepEqual([fa.qty, fa.leavesQty], [4, 0]);
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(B.rec.of('fill', b1).length, 0);

  // B re-prices away and back: it lands behind a new order from A at PX.
  const a2 = buyAt(A, 6);
  await A.rec.waitFor('ack', (r) => r.clOrdId === a2);
  const b1r = B.gw.replace(b1, PX - 1, 10);
  await B.rec.waitFor('replaced', (r) => r.clOrdId === b1r);
  const b1rr = B.gw.replace(b1r, PX, 10);
  const rep2 = await B.rec.waitFor('replaced', (r) => r.clOrdId === b1rr);
  assert.notEqual(rep2.exchOrderId, rep2.oldExchOrderId);
  const s2 = C.gw.newOrder(SYM, Side.SELL, OrderKind.LIMIT, TimeInForce.IOC, PX, 6);
  await C.rec.waitFor('fill', (r) => r.clOrdId === s2 && r.leavesQty === 0);
  const fa2 = await A.rec.waitFor('fill', (r) => r.clOrdId === a2);
  assert.equal(fa2.qty, 6);
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(B.rec.of('fill').length, 0, 'B re-priced and so queued behind A\'s newer order');
});

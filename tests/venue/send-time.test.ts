// Tv, every venue frame's header sendNs, is the time its bytes are written to the connection: after
// the end-of-turn batching and after any injected outbound delay, not when the frame was encoded.
// The manual-clock tests compare Tv with the clock at delivery (in-memory sockets deliver inside the
// write, so a frame's arrival time is its write time); one test checks the same against a venue
// process, on the shared monotonic clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MessageType as T, Side, type Ack, type L2Delta, type Snapshot, type SymbolDefinition } from '../../host/protocol/index.js';
import { stampSendNs } from '../../host/venue/ports/send-stamp.js';
import { NS_PER_MS } from '../../host/platform/clock.js';
import { MdClient, NS, OeClient, baseConfig, startManualVenue, startVenue, type Received } from '../testkit/venue-harness.js';

type R<M> = M & Received;

const tvNs = (m: Received): number => Number(m.sendNs);
const atNs = (m: Received): number => Math.round(m.atMs * NS_PER_MS);

test('stampSendNs writes the time into every frame of a batch, exactly, above 2^32 ns', () => {
  const bytes = Buffer.alloc(16 + 32 + 24);
  bytes.writeUInt16LE(16, 0);
  bytes.writeUInt16LE(32, 16);
  bytes.writeUInt16LE(24, 48);
  bytes.fill(0xee, 16 + 16, 16 + 32); // a body must be left alone
  const ns = 2 ** 52 + 12_345; // about 52 days of uptime: needs both halves
  stampSendNs(bytes, ns);
  for (const at of [0, 16, 48]) assert.equal(bytes.readBigInt64LE(at + 8), BigInt(ns), `frame at ${at}`);
  assert.ok(bytes.subarray(32, 48).every((b) => b === 0xee));
  assert.equal(bytes.readUInt16LE(16), 32, 'lengths untouched');
});

test('MD outbound delay: each subscriber\'s Tv is when its delayed bytes are written, never the encode time', async (t) => {
  const venue = await startManualVenue(t, `${baseConfig()}
[latency]
seed = 9
[latency.md]
outbound_fixed_us = 30000
outbound_jitter_us = 8000
`);
  const connectedNs = venue.clock.nowNs();
  const a = venue.connectMd();
  const b = venue.connectMd();
  venue.clock.advance(40);
  await a.until((all) => all.length >= 4);
  await b.until((all) => all.length >= 4);
  for (const m of [...a.received, ...b.received] as R<SymbolDefinition | Snapshot>[]) {
    assert.ok(tvNs(m) >= connectedNs + 30 * NS_PER_MS, `${m.type}: Tv ${tvNs(m) - connectedNs} ns after connect`);
    assert.equal(tvNs(m), atNs(m), 'Tv is the write time');
  }
  const oe = venue.connectOe();
  await oe.login(1, 'alpha');
  for (let i = 1; i <= 20; i++) {
    const eventNs = venue.clock.nowNs();
    oe.newOrder(i, 1, Side.BUY, 57_000 + i, 1);
    venue.clock.advance(3); // several deltas wait in each line at once
    if (i === 20) venue.clock.advance(45);
    for (const md of [a, b]) {
      if (i < 10) continue;
      const d = md.received.find((m): m is R<L2Delta> => m.type === T.L2Delta && m.price === 57_000 + i);
      if (d === undefined) continue;
      assert.ok(tvNs(d) >= eventNs + 30 * NS_PER_MS, `delta ${i}: Tv only ${(tvNs(d) - eventNs) / 1e6} ms after the order`);
    }
  }
  for (const md of [a, b]) {
    const deltas = md.received.filter((m): m is R<L2Delta> => m.type === T.L2Delta);
    assert.equal(deltas.length, 20);
    for (const d of deltas) assert.equal(tvNs(d), atNs(d), `delta ${d.price}: Tv is the write time`);
    for (let i = 1; i < deltas.length; i++) assert.ok(tvNs(deltas[i]!) >= tvNs(deltas[i - 1]!), 'Tv never goes back');
  }
  // Different jitter per connection: the same shared frame reached the two at different times, and
  // each carries its own write time (one connection's stamp did not overwrite the other's bytes).
  const tvA = a.received.filter((m) => m.type === T.L2Delta).map(tvNs);
  const tvB = b.received.filter((m) => m.type === T.L2Delta).map(tvNs);
  assert.ok(tvA.some((v, i) => v !== tvB[i]), 'the two lines delivered at different times');
});

test('no delay: Tv is the end of the turn that produced the frame; OE reports are stamped at their delayed write', async (t) => {
  const venue = await startManualVenue(t, `${baseConfig()}
[latency.oe]
outbound_fixed_us = 10000
`);
  const md = venue.connectMd();
  await md.until((all) => all.length >= 4);
  const oe = venue.connectOe();
  const login = oe.login(1, 'alpha');
  venue.clock.advance(10);
  await login;
  venue.clock.advance(7);
  const sentNs = venue.clock.nowNs();
  oe.newOrder(1, 1, Side.BUY, 57_500, 3);
  const delta = await md.nextOf<R<L2Delta>>(T.L2Delta);
  assert.equal(tvNs(delta), sentNs, 'MD without delay: stamped in the same turn');
  venue.clock.advance(9.9);
  assert.ok(!oe.received.some((m) => m.type === T.Ack), 'the Ack waits out its 10 ms');
  venue.clock.advance(0.2);
  const ack = await oe.nextOf<R<Ack>>(T.Ack);
  assert.ok(tvNs(ack) >= sentNs + 10 * NS_PER_MS, `Ack Tv ${(tvNs(ack) - sentNs) / 1e6} ms after the order`);
  assert.equal(tvNs(ack), atNs(ack));
});

test('venue process, MD outbound 20 ms: Tv ≥ the order\'s send time + 20 ms and ≤ the client\'s read', async (t) => {
  const venue = await startVenue(t, `${baseConfig()}
[latency.md]
outbound_fixed_us = 20000
`);
  const md = await MdClient.connect(venue.ready.md_port);
  await md.until((all) => all.length >= 4);
  const oe = await OeClient.connect(venue.ready.oe_port);
  await oe.login(1, 'alpha');
  for (let i = 1; i <= 5; i++) {
    const sentNs = Number(NS());
    oe.newOrder(i, 1, Side.SELL, 58_100 + i, 2);
    const delta = await md.nextOf<R<L2Delta>>(T.L2Delta);
    const readNs = Number(NS());
    assert.equal(delta.price, 58_100 + i);
    assert.ok(tvNs(delta) >= sentNs + 20 * NS_PER_MS, `Tv ${(tvNs(delta) - sentNs) / 1e6} ms after the order was sent`);
    assert.ok(tvNs(delta) <= readNs, 'Tv is not after the client read the frame');
  }
  assert.deepEqual([...md.invalid, ...oe.invalid], []);
});

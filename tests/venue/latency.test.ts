// Latency injection: a fixed one-way delay on each direction shows in the measured round trip, jitter
// never reorders a connection's frames, and the MD port has its own delay. All on a manual clock:
// the delays are the venue's own timers, so no test here waits for them in real time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LatencyLine } from '../../host/venue/ports/latency-line.js';
import { SeededRandom } from '../../host/platform/seeded-random.js';
import { NS_PER_MS } from '../../host/platform/clock.js';
import { ManualClock } from '../testkit/manual-clock.js';
import { MessageType as T, RejectReason, Side, encodeNewOrder, type Ack, type Reject } from '../../host/protocol/index.js';
import { baseConfig, startManualVenue, type Received } from '../testkit/venue-harness.js';

type R<M> = M & Received;

test('LatencyLine: delivers after fixed + jitter, in push order, and at once with no latency', () => {
  const clock = new ManualClock();
  const nowMs = (): number => clock.nowNs() / NS_PER_MS;
  const got: [number, number][] = [];
  const line = new LatencyLine<number>({ fixedUs: 5000, jitterUs: 5000 }, new SeededRandom(3), (n) => got.push([n, nowMs()]), clock);
  const t0 = nowMs();
  for (let i = 0; i < 50; i++) line.push(i);
  assert.equal(got.length, 0);
  assert.equal(line.length, 50);
  clock.advance(4.9);
  assert.equal(got.length, 0, 'nothing before the fixed delay');
  clock.advance(10.2);
  assert.equal(got.length, 50, 'everything by fixed + jitter (+ under 1 ms of timer rounding)');
  assert.equal(line.length, 0);
  assert.deepEqual(got.map(([n]) => n), [...Array(50).keys()]);
  for (const [, at] of got) assert.ok(at - t0 >= 5, `delivered after ${at - t0} ms`);
  assert.ok(got.at(-1)![1] - t0 < 60);
  // Delivery times never go backwards.
  for (let i = 1; i < got.length; i++) assert.ok(got[i]![1] >= got[i - 1]![1]);

  const instant: number[] = [];
  const zero = new LatencyLine<number>({ fixedUs: 0, jitterUs: 0 }, new SeededRandom(1), (n) => instant.push(n));
  zero.push(7);
  assert.deepEqual(instant, [7], 'no latency: delivered inside push, no extra tick');
  assert.ok(zero.instant);
});

test('OE latency 10 ms each way (+ jitter): every Ack RTT ≥ 20 ms, Acks in order with consecutive seqs', async (t) => {
  const venue = await startManualVenue(t, `${baseConfig()}
[latency]
seed = 5
[latency.oe]
inbound_fixed_us = 10000
inbound_jitter_us = 3000
outbound_fixed_us = 10000
outbound_jitter_us = 3000
`);
  const c = venue.connectOe();
  const t0 = venue.nowMs();
  const login = c.login(1, 'alpha');
  venue.clock.advance(30);
  await login;
  assert.ok(c.received.find((m) => m.type === T.LoginAck)!.atMs - t0 >= 20, 'the LoginAck too');
  const sentAt: number[] = [];
  for (let i = 1; i <= 40; i++) {
    sentAt[i] = venue.nowMs();
    c.newOrder(i, 1, i % 2 === 0 ? Side.BUY : Side.SELL, i % 2 === 0 ? 57_000 - i : 59_000 + i, 1);
    if (i % 10 === 0) venue.clock.advance(1);
  }
  venue.clock.advance(40);
  await c.until((all) => all.filter((m) => m.type === T.Ack).length === 40, 5000);
  const acks = c.received.filter((m): m is R<Ack> => m.type === T.Ack);
  assert.deepEqual(acks.map((a) => a.clOrdId), [...Array(40).keys()].map((i) => i + 1));
  for (let i = 1; i < c.received.length; i++) assert.equal(c.received[i]!.seq, c.received[i - 1]!.seq + 1);
  for (const a of acks) {
    const rtt = a.atMs - sentAt[a.clOrdId]!;
    assert.ok(rtt >= 20, `Ack ${a.clOrdId} after ${rtt.toFixed(2)} ms`);
    assert.ok(rtt < 500, `Ack ${a.clOrdId} after ${rtt.toFixed(2)} ms`);
  }
});

test('without latency the RTT is far below 20 ms; MD outbound delay holds the market data back', async (t) => {
  const venue = await startManualVenue(t, `${baseConfig()}
[latency.md]
outbound_fixed_us = 30000
`);
  const mdStart = venue.nowMs();
  const md = venue.connectMd();
  venue.clock.advance(29);
  assert.equal(md.received.length, 0, 'nothing before the delay');
  venue.clock.advance(2);
  await md.until((all) => all.length >= 4);
  assert.ok(md.received[3]!.atMs - mdStart >= 30, 'the directory and snapshots are delayed too');
  const c = venue.connectOe();
  await c.login(1, 'alpha');
  const sent = venue.nowMs();
  c.newOrder(1, 1, Side.BUY, 57_500, 3);
  const ack = await c.nextOf<R<Ack>>(T.Ack);
  assert.ok(ack.atMs - sent < 20, `RTT ${ack.atMs - sent} ms`);
  venue.clock.advance(40);
  const delta = await md.nextOf(T.L2Delta);
  assert.ok(delta.atMs - ack.atMs >= 25, `delta ${delta.atMs - ack.atMs} ms after the Ack`);
});

test('inbound queue: order frames arriving while the inbound delay line is full are THROTTLED, in order', async (t) => {
  const venue = await startManualVenue(t, `${baseConfig('', 'inbound_queue_frames = 5')}
[latency.oe]
inbound_fixed_us = 40000
`);
  const c = venue.connectOe();
  const login = c.login(1, 'alpha');
  venue.clock.advance(40);
  await login;
  // One write: all ten arrive together while the first five wait out their 40 ms.
  const frames: Uint8Array[] = [];
  for (let i = 1; i <= 10; i++) {
    const f = new DataView(new ArrayBuffer(40));
    encodeNewOrder(f, 0, c.seq++, 0n, i, 1, Side.BUY, 0, 0, 57_000 + i, 1);
    frames.push(new Uint8Array(f.buffer));
  }
  c.write(Buffer.concat(frames));
  venue.clock.advance(40);
  await c.until((all) => all.filter((m) => m.type === T.Ack || m.type === T.Reject).length === 10);
  const answers = c.received.filter((m) => m.type === T.Ack || m.type === T.Reject) as R<Ack | Reject>[];
  assert.deepEqual(answers.map((m) => [m.clOrdId, m.type === T.Reject ? m.reason : 0]),
    [[1, 0], [2, 0], [3, 0], [4, 0], [5, 0], ...[6, 7, 8, 9, 10].map((id) => [id, RejectReason.THROTTLED])]);
});

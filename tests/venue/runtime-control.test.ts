// Runtime control of the venue (host/venue/venue-control.ts): latency injection changed while
// connections are open, the per-user counters, and refusals that name the key. In process on a
// manual clock first, then through a venue process's stdin (LocalVenue.setLatency / stats).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MessageType as T, OrderKind, RejectReason, Side, TimeInForce, type Ack, type Reject, type Snapshot,
} from '../../host/protocol/index.js';
import { LatencyLine } from '../../host/venue/ports/latency-line.js';
import { VenueControl } from '../../host/venue/venue-control.js';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { VENUE_JS_URL, startVenue, venueConfigToml } from '../../host/venue/venue-process.js';
import { SeededRandom } from '../../host/platform/seeded-random.js';
import { MdClient, OeClient, baseConfig, startManualVenue, writeConfig, type Received } from '../testkit/venue-harness.js';
import { ManualClock } from '../testkit/manual-clock.js';

type R<M> = M & Received;

test('LatencyLine.setLatency: waiting items keep their time, later ones never overtake them', () => {
  const clock = new ManualClock();
  const got: number[] = [];
  const line = new LatencyLine<number>({ fixedUs: 20_000, jitterUs: 0 }, new SeededRandom(1), (n) => got.push(n), clock);
  line.push(1);
  line.push(2);
  line.setLatency({ fixedUs: 0, jitterUs: 0 });
  line.push(3); // no delay now, but 1 and 2 are still waiting: 3 waits behind them
  assert.deepEqual(got, []);
  assert.ok(!line.idle);
  clock.advance(19.9);
  assert.deepEqual(got, []);
  clock.advance(0.2);
  assert.deepEqual(got, [1, 2, 3]);
  assert.ok(line.idle);
  line.push(4);
  assert.deepEqual(got, [1, 2, 3, 4], 'idle and instant: delivered inside push');
  line.setLatency({ fixedUs: 5000, jitterUs: 0 });
  line.push(5);
  clock.advance(4.9);
  assert.equal(got.length, 4);
  clock.advance(0.2);
  assert.deepEqual(got, [1, 2, 3, 4, 5]);
});

test('control in process: OE latency raised then lowered on an open session; stats count per user', async (t) => {
  const venue = await startManualVenue(t, baseConfig());
  const control = new VenueControl(venue.exchange);
  const ask = (cmd: object): Record<string, unknown> => JSON.parse(control.handle(JSON.stringify(cmd))) as Record<string, unknown>;
  const c = venue.connectOe();
  await c.login(1, 'alpha');
  c.newOrder(1, 1, Side.BUY, 57_000, 1);
  await c.nextOf(T.Ack);
  assert.deepEqual(ask({ cmd: 'latency', port: 'oe', inbound_us: 25_000, outbound_us: 5000, id: 'a' }), {
    venue: 'latency', port: 'oe', inbound_us: 25_000, inbound_jitter_us: 0, outbound_us: 5000, outbound_jitter_us: 0, id: 'a',
  });
  const sent = venue.nowMs();
  c.newOrder(2, 1, Side.BUY, 57_001, 1);
  venue.clock.advance(29.9);
  assert.ok(!c.received.some((m) => m.type === T.Ack && m.clOrdId === 2), 'not before 25 + 5 ms');
  venue.clock.advance(0.2);
  const ack2 = await c.nextOf<R<Ack>>(T.Ack);
  assert.equal(ack2.clOrdId, 2);
  assert.ok(ack2.atMs - sent >= 30, `Ack after ${ack2.atMs - sent} ms`);
  // Left-out keys keep their value; a query changes nothing.
  assert.equal(ask({ cmd: 'latency', port: 'oe', outbound_us: 0 })['inbound_us'], 25_000);
  assert.equal(ask({ cmd: 'latency', port: 'oe', inbound_us: 0 })['inbound_us'], 0);
  assert.deepEqual(ask({ cmd: 'latency', port: 'md' }), {
    venue: 'latency', port: 'md', inbound_us: 0, inbound_jitter_us: 0, outbound_us: 0, outbound_jitter_us: 0,
  });
  c.newOrder(3, 1, Side.BUY, 57_002, 1);
  const ack3 = await c.nextOf<R<Ack>>(T.Ack);
  assert.equal(ack3.atMs, venue.nowMs(), 'back to no delay');

  // Counters: user 1 and user 2, each with a known mix.
  c.cancel(4, 1); // Canceled
  c.replace(5, 2, 57_005, 3); // Replaced
  c.cancel(6, 99); // Reject UNKNOWN_ORDER
  c.newOrder(7, 1, Side.BUY, 1, 1); // Reject PRICE_OUT_OF_BAND
  await c.until((all) => all.filter((m) => m.type === T.Reject).length === 2);
  const d = venue.connectOe();
  await d.login(2, 'beta');
  d.newOrder(1, 1, Side.SELL, 57_000, 5, OrderKind.LIMIT, TimeInForce.IOC); // fills 3 @ 57 005 and 1 @ 57 002, 1 canceled
  await d.until((all) => all.some((m) => m.type === T.Canceled));
  const stats = ask({ cmd: 'stats' });
  assert.equal(stats['venue'], 'stats');
  assert.equal(stats['sessions'], 2);
  assert.deepEqual(stats['users'], [
    { user: 1, orders: 4, cancels: 2, replaces: 1, acks: 3, fills: 2, canceled: 1, replaced: 1, rejects: 2, testRequests: 0 },
    { user: 2, orders: 1, cancels: 0, replaces: 0, acks: 1, fills: 2, canceled: 1, replaced: 0, rejects: 0, testRequests: 0 },
  ]);
});

test('control refuses bad commands, naming the key, and changes nothing', async (t) => {
  const venue = await startManualVenue(t, baseConfig());
  const control = new VenueControl(venue.exchange);
  const err = (line: string): string => {
    const a = JSON.parse(control.handle(line)) as Record<string, unknown>;
    assert.equal(a['venue'], 'error', line);
    return String(a['message']);
  };
  assert.match(err('not json'), /not a JSON object/);
  assert.match(err('[1]'), /not a JSON object/);
  assert.match(err('{"cmd":"reboot"}'), /cmd must be "latency", "stats", "flush" or "disconnect", got "reboot"/);
  assert.match(err('{"cmd":"latency","port":"xx"}'), /port must be "oe" or "md", got "xx"/);
  assert.match(err('{"cmd":"latency","port":"oe","inbound_us":-1}'), /inbound_us must be an integer in \[0, 10000000\] µs, got -1/);
  assert.match(err('{"cmd":"latency","port":"oe","outbound_us":1.5}'), /outbound_us must be an integer/);
  assert.match(err('{"cmd":"latency","port":"md","inbound":5}'), /unknown key "inbound"/);
  assert.match(err('{"cmd":"stats","verbose":true}'), /unknown key "verbose"/);
  const refused = JSON.parse(control.handle('{"cmd":"latency","port":"oe","inbound_us":5000,"outbound_us":-3,"id":7}')) as Record<string, unknown>;
  assert.equal(refused['id'], 7, 'an error answer carries the id too');
  assert.deepEqual(venue.exchange.latency('oe').inbound, { fixedUs: 0, jitterUs: 0 }, 'a refused command changes nothing');
});

test('venue process: setLatency over stdin lengthens then restores the round trip; stats() counts', async (t) => {
  const venue = await startVenue(venueConfigToml({
    users: [{ id: 1, token: 'alpha' }],
    symbols: [{ name: 'X', refPrice: 10_000 }],
  }), { control: true });
  t.after(() => venue.stop());
  const c = await OeClient.connect(venue.oePort);
  await c.login(1, 'alpha');
  const rtt = async (id: number): Promise<number> => {
    const t0 = performance.now();
    c.newOrder(id, 1, Side.BUY, 9_900 + id, 1);
    const ack = await c.nextOf<R<Ack | Reject>>(T.Ack);
    return ack.atMs - t0;
  };
  // A delay far above any scheduling hiccup of a loaded machine, so "slow" and "fast" cannot be confused.
  const first = await rtt(1);
  const now = await venue.setLatency('oe', { outboundUs: 200_000 });
  assert.deepEqual([now.port, now.inbound_us, now.outbound_us], ['oe', 0, 200_000]);
  const slow = await rtt(2);
  assert.ok(slow >= 200, `RTT ${slow} ms with 200 ms outbound`);
  await venue.setLatency('oe', { outboundUs: 0 });
  const fast = await rtt(3);
  assert.ok(first < 150 && fast < 150, `RTT ${first} ms before and ${fast} ms after the delay`);
  c.cancel(4, 1);
  await c.nextOf(T.Canceled);
  c.newOrder(5, 1, Side.BUY, 1, 1);
  assert.equal((await c.nextOf<R<Reject>>(T.Reject)).reason, RejectReason.PRICE_OUT_OF_BAND);
  const stats = await venue.stats();
  assert.deepEqual(stats.users, [{ user: 1, orders: 4, cancels: 1, replaces: 0, acks: 3, fills: 0, canceled: 1, replaced: 0, rejects: 1, testRequests: 0 }]);
  assert.equal(stats.sessions, 1);
  await assert.rejects(venue.command({ cmd: 'latency', port: 'zz' }), /port must be "oe" or "md"/);
  // The controlling process is gone (its end of stdin closed): the venue stops on its own.
  venue.proc.stdin!.end();
  assert.equal(await venue.exited, 0);
  await c.closed;
});

test('venue arguments: --control takes only stdin, --audit-md needs --audit', async () => {
  const file = await writeConfig(baseConfig());
  const run = (...args: string[]): { status: number | null; stderr: string } =>
    spawnSync(process.execPath, [fileURLToPath(VENUE_JS_URL), '--config', file, ...args], { encoding: 'utf8', timeout: 10_000 });
  const tcp = run('--control', 'tcp');
  assert.equal(tcp.status, 2);
  assert.match(tcp.stderr, /--control must be "stdin", got "tcp"/);
  const md = run('--audit-md');
  assert.equal(md.status, 2);
  assert.match(md.stderr, /--audit-md needs --audit <file>/);
});

test('venue process: disconnect cuts a port\'s connections without a Logout, cancels their orders, keeps listening', async (t) => {
  const venue = await startVenue(venueConfigToml({
    users: [{ id: 1, token: 'alpha' }],
    symbols: [{ name: 'X', refPrice: 10_000 }],
  }), { control: true });
  t.after(() => venue.stop());
  const md = await MdClient.connect(venue.mdPort);
  await md.until((all) => all.length >= 2);
  const oe = await OeClient.connect(venue.oePort);
  await oe.login(1, 'alpha');
  oe.newOrder(1, 1, Side.BUY, 9_990, 5);
  await oe.nextOf(T.Ack);
  await md.nextOf(T.L2Delta);

  assert.deepEqual(await venue.disconnect('md'), { oe: 0, md: 1 });
  await md.closed;
  assert.ok(!oe.isClosed, 'order entry untouched');
  assert.deepEqual(await venue.disconnect('all'), { oe: 1, md: 0 });
  await oe.closed;
  assert.ok(!oe.received.some((m) => m.type === T.Logout), 'cut, not logged out');

  const md2 = await MdClient.connect(venue.mdPort);
  const snap = await md2.nextOf<R<Snapshot>>(T.Snapshot);
  assert.deepEqual([snap.bids.length, snap.asks.length], [0, 0], 'the cut session\'s order was canceled');
  const oe2 = await OeClient.connect(venue.oePort);
  await oe2.login(1, 'alpha');
  assert.equal((await venue.stats()).sessions, 1);
  await assert.rejects(venue.command({ cmd: 'disconnect', port: 'both' }), /port must be "oe", "md" or "all", got "both"/);
  md2.close();
  oe2.close();
});

// TestRequest (the RTT probe): the venue answers each at once with a TestResponse of the same testId, in
// order with the session's other frames, delayed by the OE latency injection both ways like an order and
// its Ack; it is not an order: not in the rate window (answered past a full one), not in the order
// audit, not in the user's order counts, and it needs a session. All on the manual clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageType as T, RejectReason, Side, type Ack, type Reject, type TestResponse } from '../../host/protocol/index.js';
import { readAudit } from '../../host/venue/venue-audit.js';
import { baseConfig, startManualVenue, type Received } from '../testkit/venue-harness.js';

type R<M> = M & Received;

test('answered with the same testId, through the OE latency both ways like an order\'s Ack', async (t) => {
  const venue = await startManualVenue(t, `${baseConfig()}
[latency]
seed = 9
[latency.oe]
inbound_fixed_us = 10000
outbound_fixed_us = 15000
`);
  const c = venue.connectOe();
  const login = c.login(1, 'alpha');
  venue.clock.advance(30);
  await login;
  const sentProbe = venue.nowMs();
  c.testRequest(2 ** 40 + 5);
  c.newOrder(1, 1, Side.BUY, 57_000, 1);
  c.testRequest(7);
  venue.clock.advance(24);
  assert.equal(c.received.filter((m) => m.type === T.TestResponse).length, 0, 'not before 10 + 15 ms');
  venue.clock.advance(10);
  await c.until((all) => all.filter((m) => m.type === T.TestResponse).length === 2, 2000);
  const answers = c.received.filter((m): m is R<TestResponse> => m.type === T.TestResponse);
  assert.deepEqual(answers.map((a) => a.testId), [2 ** 40 + 5, 7]);
  const ack = c.received.find((m): m is R<Ack> => m.type === T.Ack)!;
  assert.ok(ack);
  for (const a of answers) {
    const rtt = a.atMs - sentProbe;
    assert.ok(rtt >= 25 && rtt < 40, `TestResponse after ${rtt} ms: inbound 10 + outbound 15`);
  }
  // In order with the other reports: probe, Ack, probe; the session's numbering has no gap.
  const order = c.received.filter((m) => m.type === T.TestResponse || m.type === T.Ack).map((m) => m.type);
  assert.deepEqual(order, [T.TestResponse, T.Ack, T.TestResponse]);
  for (let i = 1; i < c.received.length; i++) assert.equal(c.received[i]!.seq, c.received[i - 1]!.seq + 1);
});

test('not an order: answered past a full rate window, not audited, not in the order counts; no answer before login', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'probe-audit-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'audit.jsonl');
  const venue = await startManualVenue(t, baseConfig('', `orders_per_second = 1\naudit_file = "${file}"`));
  const early = venue.connectOe();
  early.testRequest(3);
  venue.clock.advance(1);
  const refused = await early.next((m) => m.type === T.Reject, 2000, 'Reject');
  assert.equal((refused as Reject).reason, RejectReason.NOT_LOGGED_IN);
  assert.equal(early.received.filter((m) => m.type === T.TestResponse).length, 0);

  const c = venue.connectOe();
  const login = c.login(1, 'alpha');
  venue.clock.advance(1);
  await login;
  c.newOrder(1, 1, Side.BUY, 57_000, 1);
  c.newOrder(2, 1, Side.BUY, 57_000, 1); // the second in the second: RATE_LIMITED
  for (let i = 1; i <= 20; i++) c.testRequest(100 + i);
  venue.clock.advance(1);
  await c.until((all) => all.filter((m) => m.type === T.TestResponse).length === 20, 2000);
  const rejects = c.received.filter((m): m is R<Reject> => m.type === T.Reject);
  assert.deepEqual(rejects.map((r) => [r.clOrdId, r.reason]), [[2, RejectReason.RATE_LIMITED]], 'the orders hit the limit, the probes did not');
  c.newOrder(3, 1, Side.BUY, 57_000, 1);
  venue.clock.advance(1);
  await c.until((all) => all.filter((m) => m.type === T.Reject).length === 2, 2000);
  assert.equal(c.received.filter((m): m is R<Reject> => m.type === T.Reject)[1]!.reason, RejectReason.RATE_LIMITED,
    'twenty probes did not move the window either way');

  const users = venue.exchange.stats().users;
  const me = users.find((u) => u['user'] === 1)!;
  assert.deepEqual([me['orders'], me['acks'], me['rejects'], me['testRequests']], [3, 1, 2, 20]);
  venue.exchange.audit!.flush();
  const lines = readAudit(file);
  assert.deepEqual(lines.filter((l) => l.dir === 'in').map((l) => l.clOrdId), [1, 2, 3], 'only the orders are audited in');
  const outs = lines.filter((l) => l.dir === 'out' && l.user === 1);
  assert.deepEqual(outs.map((l) => [l.type, l.clOrdId]), [['ack', 1], ['reject', 2], ['reject', 3]], 'and out: no TestResponse line');
});

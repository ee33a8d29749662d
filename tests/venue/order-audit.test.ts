// The order-arrival audit (host/venue/venue-audit.ts): a scripted client's requests appear in arrival
// order with their fields, each stamped with the read that brought it; every report the venue writes
// appears with its Tv; market data with audit_md; flushed on the period, on request and at exit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CancelReason, MessageType as T, OrderKind, RejectReason, Side, TimeInForce, type Ack, type Canceled, type Fill, type L2Delta,
} from '../../host/protocol/index.js';
import { AUDIT_FLUSH_MS, readAudit, type AuditLine } from '../../host/venue/venue-audit.js';
import { startVenue, venueConfigToml } from '../../host/venue/venue-process.js';
import { NS_PER_MS } from '../../host/platform/clock.js';
import { NS, OeClient, baseConfig, runVenueToExit, startManualVenue, type Received } from '../testkit/venue-harness.js';

type R<M> = M & Received;

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'audit-test-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The fields a test compares, in a fixed order (absent ones left out). */
const pick = (l: AuditLine, keys: readonly (keyof AuditLine)[]): unknown[] => keys.map((k) => l[k]);

test('manual clock: requests in arrival order with their fields and read time, reports with their Tv, md with audit_md', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'audit.jsonl');
  const venue = await startManualVenue(t, `${baseConfig('', `audit_file = "${file}"\naudit_md = true`)}
[latency.oe]
inbound_fixed_us = 4000
`);
  const md = venue.connectMd();
  await md.until((all) => all.length >= 4);
  const a = venue.connectOe();
  const login = a.login(1, 'alpha');
  venue.clock.advance(4);
  await login;
  const b = venue.connectOe();
  const loginB = b.login(2, 'beta');
  venue.clock.advance(4);
  await loginB;

  const sentAt: number[] = [];
  const send = (fn: () => void): void => {
    sentAt.push(venue.clock.nowNs());
    fn();
    venue.clock.advance(1);
  };
  send(() => a.newOrder(10, 1, Side.BUY, 57_990, 7));
  send(() => a.newOrder(11, 2, Side.SELL, 490_050, 150));
  send(() => a.replace(12, 10, 57_995, 9));
  send(() => a.cancel(13, 11));
  send(() => a.cancel(14, 999)); // unknown: audited as it arrived, then refused
  send(() => b.newOrder(1, 1, Side.SELL, 57_995, 4, OrderKind.LIMIT, TimeInForce.IOC));
  venue.clock.advance(10);
  await a.until((all) => all.some((m) => m.type === T.Fill));
  await b.until((all) => all.some((m) => m.type === T.Fill));
  venue.clock.advance(AUDIT_FLUSH_MS);

  assert.equal(readFileSync(file, 'utf8').split('\n').filter((l) => l.includes('"dir":"in"')).length, 6,
    `written by the ${AUDIT_FLUSH_MS} ms flush without being asked`);
  venue.exchange.audit!.flush();
  const lines = readAudit(file);
  const ins = lines.filter((l) => l.dir === 'in');
  const keys = ['user', 'type', 'clOrdId', 'origClOrdId', 'symbol', 'side', 'price', 'qty'] as const;
  assert.deepEqual(ins.map((l) => pick(l, keys)), [
    [1, 'new', 10, 0, 1, Side.BUY, 57_990, 7],
    [1, 'new', 11, 0, 2, Side.SELL, 490_050, 150],
    [1, 'replace', 12, 10, 1, Side.BUY, 57_995, 9],
    [1, 'cancel', 13, 11, 2, Side.SELL, 490_050, 150],
    [1, 'cancel', 14, 999, 0, 0, 0, 0],
    [2, 'new', 1, 0, 1, Side.SELL, 57_995, 4],
  ]);
  // ns is the read that brought the frame, before the 4 ms inbound delay.
  assert.deepEqual(ins.map((l) => l.ns), sentAt);
  assert.ok(ins.every((l) => l.sentNs! > 0), 'the client\'s own send stamp is kept');
  assert.equal(new Set(ins.filter((l) => l.user === 1).map((l) => l.session)).size, 1);

  // Reports: each out line is the frame the client got, with its Tv.
  const outs = lines.filter((l) => l.dir === 'out');
  const got = [...a.received, ...b.received].filter((m) => ([T.Ack, T.Fill, T.Canceled, T.Replaced, T.Reject] as number[]).includes(m.type));
  assert.equal(outs.length, got.length);
  const names = new Map<number, string>([[T.Ack, 'ack'], [T.Fill, 'fill'], [T.Canceled, 'canceled'], [T.Replaced, 'replaced'], [T.Reject, 'reject']]);
  for (const m of got) {
    const line = outs.find((l) => l.clOrdId === (m as { clOrdId?: number }).clOrdId && l.ns === Number(m.sendNs)
      && l.type === names.get(m.type));
    assert.ok(line !== undefined, `no audit line for ${JSON.stringify(m, (_k, v) => (typeof v === 'bigint' ? String(v) : v))}`);
  }
  const ack10 = a.received.find((m): m is R<Ack> => m.type === T.Ack && m.clOrdId === 10)!;
  assert.deepEqual(pick(outs.find((l) => l.type === 'ack' && l.clOrdId === 10)!, ['exchOrderId', 'symbol', 'side', 'price', 'qty']),
    [ack10.exchOrderId, 1, Side.BUY, 57_990, 7]);
  const canceled = a.received.find((m): m is R<Canceled> => m.type === T.Canceled)!;
  assert.deepEqual(pick(outs.find((l) => l.type === 'canceled')!, ['clOrdId', 'origClOrdId', 'exchOrderId', 'qty', 'reason']),
    [13, 11, canceled.exchOrderId, 150, CancelReason.REQUESTED]);
  const fill = b.received.find((m): m is R<Fill> => m.type === T.Fill)!;
  assert.deepEqual(pick(outs.find((l) => l.type === 'fill' && l.user === 2)!, ['clOrdId', 'tradeId', 'price', 'qty', 'leaves']),
    [1, fill.tradeId, 57_995, 4, 0]);
  assert.deepEqual(pick(outs.find((l) => l.type === 'reject')!, ['clOrdId', 'reason', 'refType']), [14, RejectReason.UNKNOWN_ORDER, T.Cancel]);

  // Market data: one line per live frame written to the connection, with its seq and Tv.
  const mdLines = lines.filter((l) => l.dir === 'md');
  const live = md.received.filter((m) => m.type === T.L2Delta || m.type === T.Trade) as R<L2Delta>[];
  assert.ok(live.length >= 5);
  assert.deepEqual(mdLines.map((l) => [l.type, l.symbol, l.seq, l.ns]),
    live.map((m) => [m.type === T.L2Delta ? 'delta' : 'trade', m.symbol, m.seq, Number(m.sendNs)]));
});

test('venue process: a scripted client\'s orders in order, arrival between its send and the Ack\'s Tv', async (t) => {
  const venue = await startVenue(venueConfigToml({
    users: [{ id: 4, token: 'delta' }],
    symbols: [{ name: 'X', refPrice: 10_000 }, { name: 'Y', refPrice: 20_000, lotSize: 10 }],
  }), { control: true, audit: true });
  t.after(() => venue.stop());
  const c = await OeClient.connect(venue.oePort);
  await c.login(4, 'delta');
  const script: [number, number, number, number, number][] = [];
  const sent: number[] = [];
  for (let i = 1; i <= 30; i++) {
    const o: [number, number, number, number, number] = [i, 1 + (i % 2), i % 3 === 0 ? Side.SELL : Side.BUY, 0, 10 * (1 + (i % 4))];
    o[3] = (o[1] === 1 ? 10_000 : 20_000) + (o[2] === Side.SELL ? 500 + i : -500 - i);
    script.push(o);
    sent.push(Number(NS()));
    c.newOrder(...o);
    if (i % 5 === 0) await c.until((all) => all.filter((m) => m.type === T.Ack).length === i);
  }
  await c.until((all) => all.filter((m) => m.type === T.Ack).length === 30);
  c.cancel(31, 7);
  const canceled = await c.nextOf<R<Canceled>>(T.Canceled);
  const lines = await venue.audit();
  const ins = lines.filter((l) => l.dir === 'in');
  assert.deepEqual(ins.map((l) => pick(l, ['user', 'type', 'clOrdId', 'symbol', 'side', 'price', 'qty'])),
    [...script.map(([id, sym, side, price, qty]) => [4, 'new', id, sym, side, price, qty]),
      [4, 'cancel', 31, script[6]![1], script[6]![2], script[6]![3], script[6]![4]]]);
  const acks = c.received.filter((m): m is R<Ack> => m.type === T.Ack);
  for (let i = 0; i < 30; i++) {
    const arrival = ins[i]!.ns;
    const ack = acks.find((a) => a.clOrdId === i + 1)!;
    assert.ok(arrival >= sent[i]!, `order ${i + 1} arrived ${(arrival - sent[i]!) / 1000} µs after the client sent it`);
    assert.ok(arrival <= Number(ack.sendNs), `order ${i + 1}: arrival before its Ack was written`);
    const out = lines.find((l) => l.dir === 'out' && l.type === 'ack' && l.clOrdId === i + 1)!;
    assert.deepEqual([out.ns, out.exchOrderId], [Number(ack.sendNs), ack.exchOrderId], `order ${i + 1}: the Ack line is the Ack sent`);
  }
  for (let i = 1; i < ins.length; i++) assert.ok(ins[i]!.ns >= ins[i - 1]!.ns, 'arrival times never go back');
  const out = lines.find((l) => l.dir === 'out' && l.type === 'canceled')!;
  assert.deepEqual([out.ns, out.clOrdId, out.origClOrdId, out.exchOrderId], [Number(canceled.sendNs), 31, 7, canceled.exchOrderId]);
  // The last lines reach the file when the venue stops, without a flush command.
  c.newOrder(40, 1, Side.BUY, 9_000, 10);
  await c.nextOf(T.Ack);
  venue.proc.kill('SIGTERM');
  await venue.exited;
  assert.equal(readAudit(venue.auditFile!).filter((l) => l.dir === 'in').at(-1)!.clOrdId, 40);
  assert.ok(ins.at(-1)!.ns - ins[0]!.ns < 60_000 * NS_PER_MS);
});

test('audit config: audit_md needs audit_file, and a file the venue cannot open is refused naming the key', async () => {
  const md = await runVenueToExit(baseConfig('', 'audit_md = true'));
  assert.equal(md.code, 2);
  assert.match(md.stderr, /venue\.audit_md/);
  const bad = await runVenueToExit(baseConfig('', 'audit_file = "/nonexistent-dir/audit.jsonl"'));
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /venue\.audit_file.*nonexistent-dir.*ENOENT/);
  const notBool = await runVenueToExit(baseConfig('', 'audit_file = "/tmp/x.jsonl"\naudit_md = "yes"'));
  assert.equal(notBool.code, 2);
  assert.match(notBool.stderr, /venue\.audit_md.*true or false/);
});

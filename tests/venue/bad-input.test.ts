// Bad input: a fatal frame length disconnects that session only (logged), malformed frames are
// rejected with their reason, and no byte sequence takes the venue down.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DisconnectReason, MessageType as T, RejectReason, Side, encodeHeartbeat, encodeNewOrder,
  type Ack, type Logout, type Reject,
} from '../../host/protocol/index.js';
import { MdClient, OeClient, baseConfig, startVenue, type Received } from '../testkit/venue-harness.js';

type R<M> = M & Received;

test('bad length → Logout BAD_LENGTH + disconnect, while another session keeps trading', async (t) => {
  const venue = await startVenue(t, baseConfig());
  const good = await OeClient.connect(venue.ready.oe_port);
  const bad = await OeClient.connect(venue.ready.oe_port);
  await good.login(1, 'alpha');
  await bad.login(2, 'beta');
  bad.newOrder(1, 1, Side.BUY, 57_000, 5);
  await bad.nextOf(T.Ack);
  // A NewOrder whose length field says 41: length and type disagree.
  const frame = new DataView(new ArrayBuffer(40));
  encodeNewOrder(frame, 0, bad.seq++, 0n, 2, 1, 0, 0, 0, 57_000, 1);
  frame.setUint16(0, 41, true);
  bad.write(new Uint8Array(frame.buffer));
  const lo = await bad.nextOf<R<Logout>>(T.Logout);
  assert.deepEqual([lo.reason, lo.detail], [DisconnectReason.BAD_LENGTH, 41]);
  await bad.closed;
  assert.match(venue.stderr(), /BAD_LENGTH/);
  assert.match(venue.stderr(), /user 2 session/);

  // The good session is untouched and trades against the book (bad's order went with it).
  good.newOrder(1, 1, Side.SELL, 57_000, 1);
  await good.nextOf(T.Ack);
  const fill = await good.nextOf(T.Fill, 500).catch(() => null);
  assert.equal(fill, null, 'the bad session\'s resting buy was canceled on disconnect: nothing to fill against');
  assert.deepEqual(good.invalid, []);
});

test('malformed frames are rejected with their reason and the session goes on', async (t) => {
  const venue = await startVenue(t, baseConfig());
  const c = await OeClient.connect(venue.ready.oe_port);
  await c.login(1, 'alpha');
  const f = new DataView(new ArrayBuffer(64));
  const send = (n: number): void => c.write(new Uint8Array(f.buffer.slice(0, n)));

  // Unknown type 0x7f with a plausible length: UNKNOWN_TYPE, detail = type, seq consumed.
  encodeHeartbeat(f, 0, c.seq++, 0n);
  f.setUint8(2, 0x7f);
  f.setUint16(0, 24, true);
  send(24);
  let r = await c.nextOf<R<Reject>>(T.Reject);
  assert.deepEqual([r.reason, r.detail, r.refType, r.clOrdId], [RejectReason.UNKNOWN_TYPE, 0x7f, 0x7f, 0]);
  // A venue-only type from the client: UNEXPECTED_TYPE.
  encodeHeartbeat(f, 0, c.seq++, 0n);
  f.setUint8(2, T.Ack);
  f.setUint16(0, 48, true);
  send(48);
  r = await c.nextOf<R<Reject>>(T.Reject);
  assert.equal(r.reason, RejectReason.UNEXPECTED_TYPE);
  // Field checks in byte-table order: symbol 9 → UNKNOWN_SYMBOL; side 3 → BAD_SIDE; id 0 → BAD_FIELD.
  c.newOrder(1, 9, Side.BUY, 58_000, 1);
  assert.equal((await c.nextOf<R<Reject>>(T.Reject)).reason, RejectReason.UNKNOWN_SYMBOL);
  c.newOrder(2, 1, 3, 58_000, 1);
  assert.equal((await c.nextOf<R<Reject>>(T.Reject)).reason, RejectReason.BAD_SIDE);
  c.newOrder(0, 1, Side.BUY, 58_000, 1);
  r = await c.nextOf<R<Reject>>(T.Reject);
  assert.deepEqual([r.reason, r.clOrdId], [RejectReason.BAD_FIELD, 0]);
  c.newOrder(3, 1, Side.BUY, 58_000, 0);
  assert.equal((await c.nextOf<R<Reject>>(T.Reject)).reason, RejectReason.BAD_QTY);
  // Still fine.
  c.newOrder(4, 1, Side.BUY, 58_000, 1);
  assert.equal((await c.nextOf<R<Ack>>(T.Ack)).clOrdId, 4);
  // Frames split byte by byte arrive whole.
  const g = new DataView(new ArrayBuffer(40));
  encodeNewOrder(g, 0, c.seq++, 0n, 5, 1, 0, 0, 0, 58_000, 1);
  for (let i = 0; i < 40; i++) c.write(new Uint8Array(g.buffer.slice(i, i + 1)));
  assert.equal((await c.nextOf<R<Ack>>(T.Ack)).clOrdId, 5);
  assert.deepEqual(c.invalid, []);
});

test('random garbage on many connections never takes the venue down', async (t) => {
  const venue = await startVenue(t, baseConfig());
  const witness = await OeClient.connect(venue.ready.oe_port);
  await witness.login(1, 'alpha');
  let seed = 12345;
  const rnd = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed >>> 16;
  };
  const closers: Promise<void>[] = [];
  for (let conn = 0; conn < 40; conn++) {
    const isMd = conn % 2 === 1;
    const c = isMd ? await MdClient.connect(venue.ready.md_port) : await OeClient.connect(venue.ready.oe_port);
    const bytes = new Uint8Array(64 + (rnd() % 800));
    for (let i = 0; i < bytes.length; i++) bytes[i] = rnd() & 0xff;
    // Half the connections start with a plausible header so the garbage goes deeper.
    if (conn % 4 < 2) {
      bytes[0] = 40; bytes[1] = 0; bytes[2] = T.NewOrder; bytes[3] = 1;
    }
    c.write(bytes);
    closers.push(c.closed.catch(() => {}));
    setTimeout(() => c.close(), 300).unref();
  }
  await Promise.all(closers);
  // The venue still answers.
  witness.newOrder(1, 1, Side.BUY, 58_000, 1);
  assert.equal((await witness.nextOf<R<Ack>>(T.Ack)).clOrdId, 1);
  assert.equal(venue.child.exitCode, null);
  assert.doesNotMatch(venue.stderr(), /uncaught|failed, dropping/);
});

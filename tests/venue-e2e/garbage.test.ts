// 10 000 seeded random-garbage frames to EACH venue port (OE and MD), reconnecting whenever the venue
// drops us; then a normal login → order → fill between two clean clients and an MD sync. The venue
// must still be up (pid alive), still answer on both ports, and must not have logged an exception.
//
// The garbage, per frame: a known type at its right length with a random body (seq: the session's
// next on half the OE connections, which log in first, so the field checks are reached); a valid
// message with a few bytes flipped; an unknown type at a plausible length; a bad version; a random
// length field and type; raw byte soup of 1..400 bytes. A local FrameReader over the same bytes tells
// where the venue's stream is lost (a fatal length): the rest of that connection's bytes would be
// discarded, so the frame after it goes out on a new connection.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import {
  FRAME_BYTES,
  FrameReader,
  MAX_FRAME_BYTES,
  MESSAGES,
  OrderKind,
  Side,
  TimeInForce,
  encodeLogin,
  encodeMessage,
} from '../../host/protocol/index.js';
import { startVenue, venueConfigToml, type LocalVenue } from '../../host/venue/venue-process.js';
import { OrderGateway } from '../../host/adapters/gateway/order-gateway.js';
import { ExecutionRecorder } from '../testkit/execution-recorder.js';
import { FeedHandler } from '../../host/adapters/feed/feed-handler.js';
import { rng } from '../testkit/core.js';
import { MessageGen, frameOf } from '../testkit/protocol-samples.js';
import { feedMemory } from '../testkit/md-server.js';

const FRAMES = 10_000;
let venue: LocalVenue;
const quiet = () => {};

before(async () => {
  venue = await startVenue(venueConfigToml({
    users: [{ id: 1, token: 'garbage' }, { id: 2, token: 'two' }, { id: 3, token: 'three' }],
    symbols: [{ name: 'G', refPrice: 10_000, flowEventsPerSecond: 50 }, { name: 'H', refPrice: 500, lotSize: 10 }],
    loginTimeoutMs: 2000,
  }));
});
after(async () => {
  await venue?.stop();
});

/** One garbage frame. `seq` is the sender's next OE seq (0 on MD). */
function garbage(rnd: () => number, gen: MessageGen, seq: number): Uint8Array {
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const randomBytes = (n: number) => {
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++) b[i] = int(0, 255);
    return b;
  };
  const r = rnd();
  const known = MESSAGES[int(0, MESSAGES.length - 1)]!;
  if (r < 0.3) {
    const b = randomBytes(known.bytes);
    const v = new DataView(b.buffer);
    v.setUint16(0, known.bytes, true);
    v.setUint8(2, known.type);
    v.setUint8(3, 1);
    v.setUint32(4, seq, true);
    return b;
  }
  if (r < 0.45) {
    const f = frameOf(gen.message(known.type)).bytes.slice();
    new DataView(f.buffer).setUint32(4, seq, true);
    for (let k = int(1, 3); k > 0; k--) f[int(16, f.length - 1)] = int(0, 255);
    return f;
  }
  if (r < 0.6) {
    let type = int(0, 255);
    while (FRAME_BYTES[type] !== 0) type = int(0, 255);
    const len = int(2, MAX_FRAME_BYTES / 8) * 8;
    const b = randomBytes(len);
    const v = new DataView(b.buffer);
    v.setUint16(0, len, true);
    v.setUint8(2, type);
    v.setUint8(3, 1);
    return b;
  }
  if (r < 0.7) {
    const f = frameOf(gen.message(known.type)).bytes.slice();
    f[3] = int(2, 255);
    return f;
  }
  if (r < 0.85) {
    const b = randomBytes(int(16, 64));
    new DataView(b.buffer).setUint16(0, int(0, 0xffff), true);
    return b;
  }
  return randomBytes(int(1, 400));
}

interface Blast { connections: number; frames: number; dropsByVenue: number }

/** Sends FRAMES garbage frames to `port`, reconnecting after each fatal one. */
async function blast(port: number, seed: number, oe: boolean): Promise<Blast> {
  const rnd = rng(seed);
  const gen = new MessageGen(rnd, 3); // symbols 1..3: the venue's two and one unknown
  const out: Blast = { connections: 0, frames: 0, dropsByVenue: 0 };
  const login = new Uint8Array(40);
  while (out.frames < FRAMES) {
    const socket = net.createConnection({ port, host: '127.0.0.1', noDelay: true });
    socket.on('error', () => {});
    socket.resume(); // drain what the venue answers
    let closed = false;
    const closedP = once(socket, 'close').then(() => {
      closed = true;
    });
    await once(socket, 'connect');
    out.connections++;
    const reader = new FrameReader(); // what the venue's reader sees of this connection
    let seq = 0;
    if (oe && out.connections % 2 === 0) {
      seq = 1;
      encodeLogin(new DataView(login.buffer), 0, seq++, 0n, 1, 1000, 'garbage');
      socket.write(login);
    }
    const parts: Uint8Array[] = [];
    let fatal = false;
    // Up to 200 frames per connection; stop at the first that loses the stream.
    for (let k = 0; k < 200 && out.frames < FRAMES && !fatal; k++) {
      const f = garbage(rnd, gen, oe ? seq : 0);
      if (seq > 0) seq++;
      parts.push(f);
      out.frames++;
      reader.push(f);
      while (reader.next() > 0) { /* frames the venue will see */ }
      fatal = reader.error !== 0;
    }
    socket.write(Buffer.concat(parts));
    if (fatal) {
      // The venue must drop us (Logout BAD_LENGTH on OE, then close); give it a moment.
      await Promise.race([closedP, new Promise((r) => setTimeout(r, 2000))]);
      if (closed) out.dropsByVenue++;
    } else {
      await new Promise((r) => setTimeout(r, 2));
    }
    socket.destroy();
    await closedP;
  }
  return out;
}

test('10 000 garbage frames to each port leave the venue up and trading', { timeout: 240_000 }, async (t) => {
  const oe = await blast(venue.oePort, 0xbad0e, true);
  const md = await blast(venue.mdPort, 0xbadd0, false);
  t.diagnostic(`oe ${JSON.stringify(oe)} md ${JSON.stringify(md)}; venue stderr lines ${venue.stderr.length}`);
  assert.equal(oe.frames, FRAMES);
  assert.equal(md.frames, FRAMES);
  // Every fatal frame got us dropped by the venue (it never waited for more bytes of a lost stream).
  assert.ok(oe.dropsByVenue > 100 && oe.dropsByVenue >= oe.connections - 60, JSON.stringify(oe));
  assert.ok(md.dropsByVenue > 100 && md.dropsByVenue >= md.connections - 60, JSON.stringify(md));

  assert.ok(venue.alive(), 'venue process exited');
  process.kill(venue.pid, 0); // throws if the pid is gone

  // A normal session still works: resting sell, crossing buy, fills on both sides.
  const a = new ExecutionRecorder();
  const b = new ExecutionRecorder();
  const ga = new OrderGateway({ port: venue.oePort, userId: 2, token: 'two', log: quiet }, a);
  const gb = new OrderGateway({ port: venue.oePort, userId: 3, token: 'three', log: quiet }, b);
  await ga.connect();
  await gb.connect();
  const sell = ga.newOrder(2, Side.SELL, OrderKind.LIMIT, TimeInForce.GTC, 520, 30);
  await a.waitFor('ack', (r) => r.clOrdId === sell);
  const buy = gb.newOrder(2, Side.BUY, OrderKind.LIMIT, TimeInForce.GTC, 520, 20);
  const fb = await b.waitFor('fill', (r) => r.clOrdId === buy);
  const fa = await a.waitFor('fill', (r) => r.clOrdId === sell);
  assert.deepEqual([fb.qty, fb.leavesQty, fa.qty, fa.leavesQty], [20, 0, 20, 10]);
  await ga.close();
  await gb.close();

  // And the MD port still serves the directory and snapshots.
  const feed = new FeedHandler({ port: venue.mdPort, reconnect: { initialMs: 50, maxMs: 500, jitter: 0 }, log: quiet },
    await feedMemory([{ symbol: 'G', levels: 4096 }, { symbol: 'H', levels: 128 }]));
  feed.start();
  try {
    await feed.whenSynced(5000);
    assert.equal(feed.symbolCount, 2);
  } finally {
    feed.close();
  }
  assert.ok(venue.alive());
  const crashes = venue.stderr.filter((l) => /\b(TypeError|RangeError|ReferenceError|uncaught|Unhandled)\b/i.test(l));
  assert.deepEqual(crashes, [], 'the venue logged exceptions');
});

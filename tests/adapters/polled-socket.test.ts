// A venue connection's socket taken over by a PolledSocket (the spin wait strategy) on a real loopback pair:
// frames reach the connection's handler from poll(), all of one read stamped with the clock read at that
// recv; a frame split across reads is joined; writes keep their order (behind bytes libuv still held from
// before the take-over, and across a full send buffer whose rest is held and sent at the next polls); a
// closed peer gives the socket back to libuv, which reports the loss the ordinary way, and the socket is not
// taken over again; a drop gives it back; and the read → frames → write path allocates nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import { ConnectionCounters } from '../../host/adapters/connection-counters.js';
import { VenueConnection, tcpDialer, type ConnectionHandler } from '../../host/adapters/connection.js';
import { PolledSocket } from '../../host/adapters/polled-socket.js';
import { hotClock } from '../../host/engine/hot-clock.js';
import { RateLimitedLog } from '../../host/platform/rate-limited-log.js';
import { socketIo } from '../../host/platform/native.js';
import { HEADER_BYTES, encodeHeartbeat, frameSeq } from '../../host/protocol/index.js';
import { gcDuring, md } from '../testkit/md-server.js';

const clock = hotClock();
const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 2));

async function setup(onFrame?: ConnectionHandler['onFrame'], onReadEnd?: () => void) {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const accepted = once(server, 'connection') as Promise<[net.Socket]>;
  const calls: string[] = [];
  let opened: () => void = () => {};
  const open = new Promise<void>((r) => { opened = r; });
  const handler: ConnectionHandler = {
    onOpen: () => opened(),
    onReadStart: () => calls.push('read'),
    onFrame: onFrame ?? ((view, at, n, t) => calls.push(`frame seq ${frameSeq(view, at)} ${n} B at ${t}`)),
    onReadEnd: onReadEnd ?? (() => calls.push('end')),
    onFramingError: (len) => calls.push(`framing ${len}`),
    onLost: (err) => calls.push(`lost ${err ? err.message : 'closed'}`),
    onSilent: () => {},
    onHeartbeatDue: () => {},
    onTick: () => {},
  };
  const connection = new VenueConnection({
    host: '127.0.0.1', port: (server.address() as net.AddressInfo).port, clock, dial: tcpDialer,
    log: new RateLimitedLog('test', () => {}), counters: new ConnectionCounters(), callbackOwner: 'a test callback',
  }, handler);
  connection.dial();
  await open;
  const [peer] = await accepted;
  server.close();
  const poller = new PolledSocket(connection, clock);
  return {
    connection, poller, peer, calls,
    close() {
      connection.stop();
      connection.drop();
      peer.destroy();
    },
  };
}

/** poll() until it returns non-zero (or 2 s). */
async function pollSoon(poller: PolledSocket): Promise<number> {
  const end = Date.now() + 2000;
  for (;;) {
    const n = poller.poll();
    if (n !== 0 || Date.now() > end) return n;
    await tick();
  }
}

test('frames come out of poll(), every frame of a read stamped at its recv; a split frame is joined', async () => {
  const s = await setup();
  try {
    assert.equal(s.poller.attach(), true);
    assert.equal(s.connection.writer, s.poller, 'the connection writes through the poller');
    s.peer.write(Buffer.concat([md.delta(1, 1, 0, 999, 1), md.delta(1, 2, 0, 998, 1)]));
    await tick();
    const before = clock.nowNs();
    assert.equal(await pollSoon(s.poller), 64);
    const after = clock.nowNs();
    const t = s.connection.lastRecvNs;
    assert.ok(t >= before && t <= after, 'stamped inside the poll');
    assert.deepEqual(s.calls, ['read', `frame seq 1 32 B at ${t}`, `frame seq 2 32 B at ${t}`, 'end']);
    s.calls.length = 0;
    const third = md.delta(1, 3, 0, 997, 1);
    s.peer.write(third.subarray(0, 10));
    assert.equal(await pollSoon(s.poller), 10);
    assert.deepEqual(s.calls, ['read', 'end'], 'no frame from 10 bytes');
    s.calls.length = 0;
    s.peer.write(third.subarray(10));
    assert.equal(await pollSoon(s.poller), 22);
    assert.deepEqual(s.calls, ['read', `frame seq 3 32 B at ${s.connection.lastRecvNs}`, 'end']);
    assert.equal(s.poller.poll(), 0, 'nothing more waiting');
  } finally {
    s.close();
  }
});

test('writes made while libuv still holds bytes from before the take-over go behind them, in order', async () => {
  const s = await setup();
  try {
    s.peer.pause(); // nobody reads until the end: buffers fill
    await tick();
    // Before the take-over: 4 MiB handed to libuv, most of it still queued in the socket.
    const early = Buffer.alloc(4 << 20, 0xab);
    s.connection.openSocket!.write(early);
    assert.ok(s.connection.openSocket!.writableLength > 0, 'libuv still holds bytes');
    assert.equal(s.poller.attach(), true);
    // After: heartbeats 1..N through connection.send, in several writes (behind libuv's queue, so through it).
    const N = 200_000;
    const out = Buffer.alloc(N * HEADER_BYTES);
    const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
    for (let i = 0; i < N; i++) encodeHeartbeat(view, i * HEADER_BYTES, i + 1, 0n);
    const per = N / 4;
    for (let k = 0; k < 4; k++) s.connection.send(out, view, k * per * HEADER_BYTES, (k + 1) * per * HEADER_BYTES);
    // Read everything on the peer side while the poller keeps sending what it holds.
    const got = Buffer.alloc(early.length + out.length);
    let have = 0;
    s.peer.on('data', (c: Buffer) => { c.copy(got, have); have += c.length; });
    s.peer.resume();
    const end = Date.now() + 10_000;
    while (have < got.length && Date.now() < end) {
      s.poller.poll();
      await tick();
    }
    assert.equal(have, got.length, 'every byte arrived');
    assert.ok(got.subarray(0, early.length).every((b) => b === 0xab), 'the early bytes first');
    const rest = new DataView(got.buffer, got.byteOffset + early.length, out.length);
    for (let i = 0; i < N; i++) {
      if (frameSeq(rest, i * HEADER_BYTES) !== i + 1) assert.fail(`heartbeat ${i + 1} out of order (saw ${frameSeq(rest, i * HEADER_BYTES)})`);
    }
    assert.equal(s.poller.heldBytes, 0);
  } finally {
    s.close();
  }
});

test('a send buffer that fills: the rest is held, sent before anything newer at the next polls, in order', async () => {
  const s = await setup();
  try {
    assert.equal(s.poller.attach(), true);
    s.peer.pause();
    await tick();
    const N = 1_000_000; // 16 MB of heartbeats: more than loopback's buffers take
    const out = Buffer.alloc(N * HEADER_BYTES);
    const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
    for (let i = 0; i < N; i++) encodeHeartbeat(view, i * HEADER_BYTES, i + 1, 0n);
    const per = N / 8;
    for (let k = 0; k < 8; k++) s.connection.send(out, view, k * per * HEADER_BYTES, (k + 1) * per * HEADER_BYTES);
    assert.ok(s.poller.counts.partialWrites >= 1, 'the kernel took a write only in part');
    assert.ok(s.poller.heldBytes > 0, 'the rest is held by the poller');
    assert.equal(s.connection.openSocket!.writableLength, 0, 'nothing went to libuv');
    out.fill(0); // the caller's bytes may be reused at once: the poller copied what it holds
    const got = Buffer.alloc(N * HEADER_BYTES);
    let have = 0;
    s.peer.on('data', (c: Buffer) => { c.copy(got, have); have += c.length; });
    s.peer.resume();
    const end = Date.now() + 10_000;
    while (have < got.length && Date.now() < end) {
      s.poller.poll();
      await tick();
    }
    assert.equal(have, got.length, 'every byte arrived');
    const rest = new DataView(got.buffer, got.byteOffset, got.length);
    for (let i = 0; i < N; i++) {
      if (frameSeq(rest, i * HEADER_BYTES) !== i + 1) assert.fail(`heartbeat ${i + 1} out of order (saw ${frameSeq(rest, i * HEADER_BYTES)})`);
    }
    assert.equal(s.poller.heldBytes, 0);
  } finally {
    s.close();
  }
});

test('a peer that closes: poll() answers −1, libuv reports the loss the ordinary way, the socket is not taken again', async () => {
  const s = await setup();
  try {
    assert.equal(s.poller.attach(), true);
    s.peer.end();
    assert.equal(await pollSoon(s.poller), -1);
    assert.equal(s.poller.attached, false);
    assert.equal(s.connection.writer, null, 'writes go back to the socket');
    assert.equal(s.poller.counts.failures, 1);
    const end = Date.now() + 2000;
    while (!s.calls.includes('lost closed') && Date.now() < end) await tick();
    assert.ok(s.calls.includes('lost closed'), `the connection's handler saw the close: ${s.calls.join(', ')}`);
    assert.equal(s.poller.attach(), false, 'a failed socket is not taken over again');
  } finally {
    s.close();
  }
});

test('a drop gives the socket back: the poller lets go, libuv owns it again', async () => {
  const s = await setup();
  try {
    assert.equal(s.poller.attach(), true);
    s.connection.drop();
    assert.equal(s.poller.attached, false);
    assert.equal(s.connection.writer, null);
    assert.equal(s.poller.poll(), 0, 'nothing polled after the drop');
  } finally {
    s.close();
  }
});

test('recv → frames → one write per read through the poller allocates nothing (300 000 frames, no collection)', async () => {
  let frames = 0;
  const reply = Buffer.alloc(HEADER_BYTES);
  const replyView = new DataView(reply.buffer, reply.byteOffset, reply.byteLength);
  encodeHeartbeat(replyView, 0, 1, 0n);
  let conn: VenueConnection | null = null;
  const s = await setup(() => { frames++; }, () => { conn!.send(reply, replyView, 0, HEADER_BYTES); });
  conn = s.connection;
  const io = socketIo();
  try {
    // The peer's side is polled by hand too (nothing of Node's stream machinery allocating in between).
    const handle = (s.peer as unknown as { _handle: { fd: number; reading: boolean; readStop(): number } })._handle;
    s.peer.pause();
    handle.reading = false;
    handle.readStop();
    assert.equal(s.poller.attach(), true);
    const burst = Buffer.concat(Array.from({ length: 100 }, (_, i) => md.delta(1, i + 1, 0, 999 - (i % 7), 1 + i)));
    const sink = new Uint8Array(1 << 16);
    const run = (n: number): void => {
      const target = frames + n;
      while (frames < target) {
        io.sendFrom(handle.fd, burst, 0, burst.length);
        while (s.poller.poll() > 0);
        while (io.recvInto(handle.fd, sink, 0, sink.length) > 0);
      }
    };
    run(100_000); // warm-up: optimised
    let gcs = 0;
    let heapGrowth = 0;
    for (let attempt = 0; attempt < 4; attempt++) {
      ({ gcs, heapGrowth } = await gcDuring(() => run(300_000)));
      if (gcs === 0) break;
    }
    assert.equal(gcs, 0, `collections during 300 000 frames: ${gcs} (heap +${heapGrowth} B)`);
    assert.ok(heapGrowth < 1 << 20, `heap grew ${heapGrowth} B`);
    assert.equal(s.poller.counts.failures, 0);
  } finally {
    s.close();
  }
});

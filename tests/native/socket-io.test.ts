// The addon's non-blocking recvInto / sendFrom on a real loopback TCP pair: the side under test has libuv's
// reading stopped (as the polled socket does), the other side is an ordinary Node socket that the test
// drives. Checked: EAGAIN is 0, bytes land at the offset asked and nowhere else, a full send buffer takes
// part of a write then nothing, a closed peer is RECV_CLOSED on recv and a negative errno on send, a
// descriptor that is not a socket is −ENOTSOCK, bad ranges are refused, and the calls allocate nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import os from 'node:os';
import { closeSync, openSync } from 'node:fs';
import { once } from 'node:events';
import { RECV_CLOSED, socketIo } from '../../host/platform/native.js';
import { gcDuring } from '../testkit/md-server.js';

interface Pair {
  /** The side the addon reads and writes (libuv reading stopped). */
  readonly polled: net.Socket;
  readonly fd: number;
  /** The ordinary side. */
  readonly peer: net.Socket;
  close(): void;
}

async function pair(): Promise<Pair> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as net.AddressInfo).port;
  const accepted = once(server, 'connection') as Promise<[net.Socket]>;
  const polled = net.createConnection({ host: '127.0.0.1', port, noDelay: true });
  await once(polled, 'connect');
  const [peer] = await accepted;
  server.close();
  const handle = (polled as unknown as { _handle: { fd: number; reading: boolean; readStop(): number } })._handle;
  polled.pause();
  handle.reading = false;
  handle.readStop();
  return {
    polled, fd: handle.fd, peer,
    close() {
      polled.destroy();
      peer.destroy();
    },
  };
}

const io = socketIo();
const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 2));

/** recvInto until it returns non-zero or 2 s pass. */
async function recvSoon(fd: number, bytes: Uint8Array, offset: number, length: number): Promise<number> {
  const end = Date.now() + 2000;
  for (;;) {
    const n = io.recvInto(fd, bytes, offset, length);
    if (n !== 0 || Date.now() > end) return n;
    await tick();
  }
}

test('recvInto: 0 while nothing is waiting, then the bytes at the offset asked, nothing outside it', async () => {
  const p = await pair();
  try {
    const buf = new Uint8Array(64).fill(0xee);
    assert.equal(io.recvInto(p.fd, buf, 8, 16), 0);
    p.peer.write(Buffer.from('hello, venue'));
    const n = await recvSoon(p.fd, buf, 8, 16);
    assert.equal(n, 12);
    assert.equal(Buffer.from(buf.subarray(8, 20)).toString(), 'hello, venue');
    assert.ok(buf.subarray(0, 8).every((b) => b === 0xee), 'bytes before the offset untouched');
    assert.ok(buf.subarray(20).every((b) => b === 0xee), 'bytes after the read untouched');
    assert.equal(io.recvInto(p.fd, buf, 0, 64), 0, 'drained: EAGAIN again');
  } finally {
    p.close();
  }
});

test('recvInto: a read longer than the room asked for stops at `length`; the rest waits for the next call', async () => {
  const p = await pair();
  try {
    const buf = new Uint8Array(32);
    p.peer.write(Buffer.from('0123456789'));
    await tick();
    assert.equal(await recvSoon(p.fd, buf, 0, 4), 4);
    assert.equal(Buffer.from(buf.subarray(0, 4)).toString(), '0123');
    assert.equal(await recvSoon(p.fd, buf, 4, 28), 6);
    assert.equal(Buffer.from(buf.subarray(0, 10)).toString(), '0123456789');
  } finally {
    p.close();
  }
});

test('recvInto on a typed array view honours the view\'s own byteOffset', async () => {
  const p = await pair();
  try {
    const backing = new Uint8Array(48).fill(1);
    const view = new Uint8Array(backing.buffer, 16, 16);
    p.peer.write(Buffer.from([9, 8, 7]));
    assert.equal(await recvSoon(p.fd, view, 2, 14), 3);
    assert.deepEqual([...backing.subarray(16, 22)], [1, 1, 9, 8, 7, 1]);
  } finally {
    p.close();
  }
});

test('sendFrom: a full send buffer takes part of a write, then 0 (EAGAIN); the peer gets exactly the bytes taken', async () => {
  const p = await pair();
  try {
    const big = new Uint8Array(32 << 20);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31 + 7) & 0xff;
    p.peer.pause(); // nobody reads: the kernel's buffers fill up
    await tick();
    let sent = 0;
    let partial = false;
    let eagain = false;
    for (let k = 0; k < 10_000 && !eagain; k++) {
      const n = io.sendFrom(p.fd, big, sent, big.length - sent);
      assert.ok(n >= 0, `sendFrom failed: ${n}`);
      if (n === 0) eagain = true;
      else if (n < big.length - sent) partial = true;
      sent += n;
      if (sent === big.length) break;
    }
    assert.ok(eagain, `the send buffer never filled (${sent} bytes sent)`);
    assert.ok(partial, 'no write was taken only in part');
    assert.ok(sent > 0 && sent < big.length, `sent ${sent}`);
    // The peer drains; what it reads is the prefix the kernel took, in order.
    const got = Buffer.alloc(sent);
    let have = 0;
    p.peer.on('data', (chunk: Buffer) => {
      chunk.copy(got, have);
      have += chunk.length;
    });
    p.peer.resume();
    const end = Date.now() + 5000;
    while (have < sent && Date.now() < end) await tick();
    assert.equal(have, sent);
    assert.ok(got.equals(Buffer.from(big.buffer, 0, sent)), 'the peer received the bytes taken, in order');
  } finally {
    p.close();
  }
});

test('a peer that closed: recvInto answers RECV_CLOSED, sendFrom a negative errno (no SIGPIPE)', async () => {
  const p = await pair();
  try {
    const buf = new Uint8Array(16);
    p.peer.end();
    assert.equal(await recvSoon(p.fd, buf, 0, 16), RECV_CLOSED);
    p.peer.destroy();
    await tick();
    // The first write after the peer's close may still be taken (the RST comes back for it); one of the next fails.
    let n = 0;
    for (let k = 0; k < 50 && n >= 0; k++) {
      n = io.sendFrom(p.fd, buf, 0, 16);
      if (n >= 0) await tick();
    }
    const { EPIPE, ECONNRESET } = os.constants.errno;
    assert.ok(n === -EPIPE || n === -ECONNRESET, `sendFrom after the peer closed: ${n}`);
  } finally {
    p.close();
  }
});

test('a descriptor that is not a socket is −ENOTSOCK; bad arguments are refused naming them', async () => {
  const fd = openSync(new URL(import.meta.url), 'r');
  try {
    const buf = new Uint8Array(8);
    assert.equal(io.recvInto(fd, buf, 0, 8), -os.constants.errno.ENOTSOCK);
    assert.equal(io.sendFrom(fd, buf, 0, 8), -os.constants.errno.ENOTSOCK);
    assert.equal(io.recvInto(fd, buf, 8, 0), 0, 'an empty range reads nothing');
  } finally {
    closeSync(fd);
  }
  const buf = new Uint8Array(8);
  assert.throws(() => io.recvInto(0, buf, 4, 5), { name: 'RangeError', message: /recvInto: offset 4 \+ length 5 is past the array's 8 bytes/ });
  assert.throws(() => io.sendFrom(0, buf, -1, 1), { name: 'RangeError', message: /sendFrom: offset must be a non-negative integer, got -1/ });
  assert.throws(() => io.recvInto(-3, buf, 0, 1), { name: 'RangeError', message: /recvInto: fd must be an integer/ });
  assert.throws(() => io.recvInto(0, new Uint16Array(4) as unknown as Uint8Array, 0, 1), { name: 'TypeError', message: /bytes must be a Uint8Array/ });
  assert.throws(() => io.sendFrom(0, Buffer.alloc(4) as unknown as Uint8Array, 0, 1.5), { name: 'RangeError', message: /length must be a non-negative integer, got 1.5/ });
});

test('recvInto and sendFrom allocate nothing: no collection over 200 000 calls of each', async () => {
  const p = await pair();
  try {
    const buf = new Uint8Array(256);
    const peerGot: number[] = [0];
    p.peer.on('data', (c: Buffer) => { peerGot[0]! += c.length; });
    const run = (): void => {
      for (let k = 0; k < 200_000; k++) {
        io.recvInto(p.fd, buf, 0, 256); // EAGAIN: nothing is sent to this side
        io.sendFrom(p.fd, buf, k & 127, 8);
      }
    };
    run(); // warm-up: the calls compiled
    const { gcs, heapGrowth } = await gcDuring(run);
    assert.equal(gcs, 0, `collections during 400 000 calls: ${gcs} (heap +${heapGrowth} B)`);
    assert.ok(heapGrowth < 256 << 10, `heap grew ${heapGrowth} B`);
  } finally {
    p.close();
  }
});

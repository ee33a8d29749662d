// ConsumerBacklog over a socket stand-in whose peer takes bytes only when the test says so: while the
// socket does not drain, writes are held back (the socket's own queue stays at a few writes however
// many arrive), they are handed over coalesced, the overflow is reported once, and end() waits for them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { Writable } from 'node:stream';
import { ConsumerBacklog } from '../../host/venue/ports/consumer-backlog.js';

/** A writable whose peer takes one queued write per take(). */
class StalledPeer extends Writable {
  readonly taken: Buffer[] = [];
  private pending: (() => void)[] = [];
  /** Writes handed to the socket and not yet taken (Node's own queue). */
  queuedWrites = 0;

  constructor() {
    super({ highWaterMark: 1024 });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (err?: Error | null) => void): void {
    this.queuedWrites++;
    this.pending.push(() => {
      this.queuedWrites--;
      this.taken.push(chunk);
      done();
    });
  }

  /** The peer reads everything queued so far (and what that lets through), one write at a time. */
  takeAll(): void {
    while (this.pending.length > 0) this.pending.shift()!();
  }
}

test('ConsumerBacklog: holds writes back while the socket does not drain, coalesces them, bounds them', async () => {
  const peer = new StalledPeer();
  const overflows: number[] = [];
  const backlog = new ConsumerBacklog(peer as unknown as Socket, 100_000, (bytes) => overflows.push(bytes));
  const chunk = (i: number): Buffer => Buffer.alloc(100, i & 0xff);
  for (let i = 0; i < 500; i++) backlog.write(chunk(i));
  // The socket took writes up to its high-water mark, the rest is held back by the venue.
  assert.ok(peer.writableLength <= 1024 + 100, `socket queue ${peer.writableLength} bytes`);
  assert.equal(backlog.bytes, 500 * 100);
  assert.deepEqual(overflows, []);

  // The peer reads: the held writes arrive in order, merged into a few large writes.
  for (let round = 0; round < 10 && backlog.bytes > 0; round++) {
    peer.takeAll();
    await new Promise((r) => setImmediate(r)); // 'drain' is emitted on a later tick
  }
  assert.equal(backlog.bytes, 0);
  const all = Buffer.concat(peer.taken);
  assert.equal(all.length, 500 * 100);
  for (let i = 0; i < 500; i++) assert.equal(all[i * 100], i & 0xff, `write ${i} in order`);
  assert.ok(peer.taken.length < 50, `${peer.taken.length} writes reached the socket for 500 sent`);

  // Past the limit: reported once, with the bytes not yet taken.
  for (let i = 0; i < 1200; i++) backlog.write(chunk(i));
  assert.equal(overflows.length, 1);
  assert.ok(overflows[0]! > 100_000);
  assert.ok(peer.queuedWrites <= 11, `${peer.queuedWrites} writes queued in the socket itself`);
});

test('ConsumerBacklog: end() waits for what is held back, then ends the socket', async () => {
  const peer = new StalledPeer();
  const backlog = new ConsumerBacklog(peer as unknown as Socket, 1 << 20, () => {});
  for (let i = 0; i < 50; i++) backlog.write(Buffer.alloc(100, i));
  backlog.end();
  assert.equal(peer.writableEnded, false, 'not while writes are held back');
  backlog.write(Buffer.alloc(100)); // after end(): dropped
  for (let round = 0; round < 10 && !peer.writableEnded; round++) {
    peer.takeAll();
    await new Promise((r) => setImmediate(r));
  }
  assert.equal(peer.writableEnded, true);
  peer.takeAll();
  assert.equal(Buffer.concat(peer.taken).length, 50 * 100);
});

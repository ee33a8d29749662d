// What a connection has been sent but has not yet taken: the socket's own queue plus what the venue
// holds back for it, bounded in bytes.
//
// A peer that stops reading must cost the venue bounded memory and bounded time. Handing every write
// to the socket would let its queue grow to thousands of small writes, and destroying such a socket
// makes Node build one error per queued write (seconds for a few hundred peers, during which nobody
// else is served). So once the socket stops draining (write() returned false) the venue holds
// further writes back itself, as references to the same Buffers (the live market-data stream is
// shared by every subscriber, so holding it back costs no copy), and on 'drain' hands them over
// coalesced into a few large writes. The socket's own queue thus stays near its high-water mark,
// and cutting the peer off is cheap.
import type { Socket } from 'node:net';

/** Held-back writes are handed to the socket merged into chunks of about this size. */
const COALESCE_BYTES = 64 * 1024;

export class ConsumerBacklog {
  private held: Buffer[] = [];
  private head = 0;
  private heldBytes = 0;
  /** The socket refused more (write() returned false): hold back until 'drain'. */
  private waiting = false;
  /** end() was asked while writes were held back: end once they are handed over. */
  private ending = false;
  private overflowed = false;

  /** `onOverflow` is called once, from inside write(), when the backlog first exceeds `limitBytes`. */
  constructor(
    private readonly socket: Socket,
    private readonly limitBytes: number,
    private readonly onOverflow: (bytes: number) => void,
  ) {
    socket.on('drain', () => this.drain());
    socket.once('close', () => this.drop());
  }

  /** Bytes not yet taken by the peer's kernel: the socket's queue plus what is held back. */
  get bytes(): number {
    return this.socket.writableLength + this.heldBytes;
  }

  write(bytes: Buffer): void {
    if (this.socket.destroyed || this.socket.writableEnded || this.ending) return;
    if (this.waiting) {
      this.held.push(bytes);
      this.heldBytes += bytes.length;
    } else if (!this.socket.write(bytes)) {
      this.waiting = true;
    }
    if (!this.overflowed && this.bytes > this.limitBytes) {
      this.overflowed = true;
      this.onOverflow(this.bytes);
    }
  }

  /** Ends the socket after everything written so far. */
  end(): void {
    if (this.socket.destroyed || this.socket.writableEnded) return;
    if (this.heldBytes > 0) this.ending = true;
    else this.socket.end();
  }

  private drain(): void {
    this.waiting = false;
    const held = this.held;
    while (this.head < held.length && !this.waiting && !this.socket.destroyed) {
      let end = this.head;
      let n = 0;
      while (end < held.length && (end === this.head || n + held[end]!.length <= COALESCE_BYTES)) n += held[end++]!.length;
      const chunk = end - this.head === 1 ? held[this.head]! : Buffer.concat(held.slice(this.head, end), n);
      for (let i = this.head; i < end; i++) (held as (Buffer | undefined)[])[i] = undefined;
      this.head = end;
      this.heldBytes -= n;
      if (!this.socket.write(chunk)) this.waiting = true;
    }
    if (this.head === held.length) {
      this.held = [];
      this.head = 0;
      if (this.ending && !this.socket.destroyed) this.socket.end();
    } else if (this.head > 1024 && this.head * 2 > held.length) {
      this.held = held.slice(this.head);
      this.head = 0;
    }
  }

  /** The socket is gone: let go of what was held for it. */
  private drop(): void {
    this.held = [];
    this.head = 0;
    this.heldBytes = 0;
  }
}

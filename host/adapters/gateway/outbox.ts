// Frames on their way to the venue: encoded at the end of one send slab (1 MiB by default) and
// written with one socket write per flush, each frame's header sendNs set to the clock just before
// that write. Sends made while an inbound read is being dispatched (i.e. from inside an
// ExecutionEvents callback) are batched and flushed once at the end of the read; so are sends
// between cork() and uncork(). A slab region is only reused once the socket reports nothing queued
// (the kernel has the bytes), so a pending write never sees its bytes change.
import type { VenueConnection } from '../connection.js';
import type { GatewayCounters } from './gateway-counters.js';
import type { InFlightTable } from './in-flight.js';

export class Outbox {
  /** Holds on sends (nestable): while > 0, frames are encoded but not written. */
  corked = 0;
  private slab: Buffer;
  private slabView: DataView;
  // [start, end) encoded, not yet written.
  private start = 0;
  private end = 0;

  constructor(bytes: number, private readonly connection: VenueConnection, private readonly inFlight: InFlightTable,
    private readonly counters: GatewayCounters) {
    this.slab = Buffer.allocUnsafeSlow(bytes);
    this.slabView = new DataView(this.slab.buffer, this.slab.byteOffset, this.slab.byteLength);
  }

  /** The slab to encode into at the offset reserve() returned (read it after reserve()). */
  get view(): DataView {
    return this.slabView;
  }

  /** Where the next frame of `bytes` goes; encode it there, then commit() its length. */
  reserve(bytes: number): number {
    const connection = this.connection;
    if (this.start === this.end && connection.backlogBytes === 0) this.start = this.end = 0;
    if (this.end + bytes > this.slab.length) {
      this.flush();
      if (connection.backlogBytes !== 0) {
        // The socket still holds views into this slab: continue in a new one.
        this.newSlab();
        this.counters.slabSwaps++;
      }
      this.start = this.end = 0;
    }
    return this.end;
  }

  commit(bytes: number): void {
    this.end += bytes;
  }

  /** Writes what is encoded (one socket write); the requests in it get their T4. */
  flush(): void {
    if (this.end === this.start || !this.connection.isActive) return;
    const t4 = this.connection.send(this.slab, this.slabView, this.start, this.end);
    this.start = this.end;
    this.inFlight.sent(t4);
  }

  cork(): void {
    this.corked++;
  }

  uncork(): void {
    if (this.corked > 0 && --this.corked === 0) this.flush();
  }

  /** Before the socket goes: when it still holds bytes of the slab (a final Logout), the next
   *  session gets a new slab. */
  release(): void {
    if (this.connection.backlogBytes !== 0) this.newSlab();
  }

  /** A new session: nothing encoded, nothing held. */
  reset(): void {
    this.corked = 0;
    this.start = this.end = 0;
  }

  private newSlab(): void {
    this.slab = Buffer.allocUnsafeSlow(this.slab.length);
    this.slabView = new DataView(this.slab.buffer, this.slab.byteOffset, this.slab.byteLength);
  }
}

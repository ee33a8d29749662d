// A venue connection's socket read and written by its worker itself, with the addon's non-blocking
// recvInto / sendFrom, instead of waiting for libuv's callbacks: the busy-poll ("spin") wait strategy
// (host/engine/spin-loop.ts). Waking an idle thread through epoll costs tens of µs on this machine; a
// thread that keeps looking at its socket sees the bytes as they land.
//
// Taking over (attach). Only a connected TCP socket with a descriptor (net.Socket's handle) can be
// polled. libuv's reading stops first (pause() and the handle's readStop()), so the two never race for
// bytes; the connection's writes come here (VenueConnection.writer).
//
// Reading (poll). One recvInto into this poller's own buffer; the bytes go to the connection exactly as
// a 'data' chunk would (frames → the adapter's handlers), stamped with the clock read just after the
// recv that returned them (the feed's T0, the gateway's T5). Nothing is allocated per read.
//
// Writing. Bytes go out with sendFrom in the order they were written. If libuv still holds bytes written
// before the take-over, later writes queue behind them through socket.write (the socket keeps order);
// what the kernel does not take at once is copied here and sent before anything newer, at the next
// poll. So the connection's slab is free again as soon as write() returns.
//
// Giving back (release, detach). On a drop, when the loop stops, or when the socket fails (closed by
// the peer, an errno): held bytes are handed to socket.write and libuv reads again. A closed or broken
// socket is then discovered by libuv itself ('end' / 'error' / 'close'), so it takes the connection's
// ordinary lost → reconnect / halt path; a failed socket is never taken over again.
import type { Clock } from '../platform/clock.js';
import { socketIo, type NativeAddon } from '../platform/native.js';
import type { ConnectionWriter, VenueConnection, VenueSocket } from './connection.js';

/** The parts of a net.Socket the poller needs beyond VenueSocket (a scripted test socket has no handle). */
interface NodeSocket extends VenueSocket {
  pause(): unknown;
  resume(): unknown;
  destroy(error?: Error): void;
  readonly _handle?: { readonly fd?: number; reading: boolean; readStop(): number; readStart(): number } | null;
}

/** Receive buffer: more than a socket read usually brings (the kernel's loopback reads are ≤ 64 KiB). */
const RECEIVE_BYTES = 256 << 10;
/** Held-back send bytes before the buffer grows (the gateway's slab is 1 MiB). */
const HOLD_BYTES = 1 << 20;

export class PolledSocket implements ConnectionWriter {
  /** Reads that brought bytes, bytes read, writes the kernel took only in part, take-overs, failures. */
  readonly counts = { reads: 0, bytesIn: 0, partialWrites: 0, attaches: 0, failures: 0 };
  private fd = -1;
  private socket: NodeSocket | null = null;
  /** The socket that failed: not taken over again (libuv will drop it). */
  private failed: VenueSocket | null = null;
  private readonly rx = new Uint8Array(RECEIVE_BYTES);
  private held = new Uint8Array(HOLD_BYTES);
  private heldFrom = 0;
  private heldTo = 0;
  private readonly io: Pick<NativeAddon, 'recvInto' | 'sendFrom'>;

  constructor(private readonly connection: VenueConnection, private readonly clock: Clock) {
    this.io = socketIo();
  }

  /** The socket is polled here (taken over, not yet given back). */
  get attached(): boolean {
    return this.fd >= 0;
  }

  /** Bytes the kernel has not taken yet, held here. */
  get heldBytes(): number {
    return this.heldTo - this.heldFrom;
  }

  /** Takes the connection's open socket over; false when there is none, it failed, or it has no descriptor. */
  attach(): boolean {
    if (this.fd >= 0) return true;
    const socket = this.connection.openSocket as NodeSocket | null;
    if (socket === null || socket === this.failed || this.connection.writer !== null) return false;
    const handle = socket._handle;
    if (!handle || typeof handle.fd !== 'number' || handle.fd < 0) return false;
    socket.pause();
    handle.reading = false;
    const err = handle.readStop();
    if (err !== 0) {
      socket.resume();
      return false;
    }
    this.fd = handle.fd;
    this.socket = socket;
    this.connection.writer = this;
    this.counts.attaches++;
    return true;
  }

  /**
   * One look at the socket (hot path): held bytes first, then one read, whose bytes the connection
   * handles before this returns. Returns the bytes read, 0 for none (or not attached), −1 when the
   * socket failed and was given back to libuv.
   */
  poll(): number {
    const fd = this.fd;
    if (fd < 0) return 0;
    if (this.heldTo !== this.heldFrom && !this.sendHeld()) return -1;
    const n = this.io.recvInto(fd, this.rx, 0, RECEIVE_BYTES);
    if (n === 0) return 0;
    if (n < 0) {
      this.fail();
      return -1;
    }
    const t = this.clock.nowNs();
    this.counts.reads++;
    this.counts.bytesIn += n;
    this.connection.receive(this.rx, n, t);
    return n;
  }

  /** ConnectionWriter: bytes[from, to) after everything written before (hot path when nothing is held). */
  write(bytes: Uint8Array, from: number, to: number): void {
    const socket = this.socket;
    if (socket === null) return;
    if (this.heldTo !== this.heldFrom) {
      this.hold(bytes, from, to);
      this.sendHeld();
      return;
    }
    if (socket.writableLength > 0) {
      // libuv still holds bytes written before the take-over: these go behind them.
      socket.write(bytes.subarray(from, to));
      return;
    }
    const n = this.io.sendFrom(this.fd, bytes, from, to - from);
    if (n === to - from) return;
    if (n < 0) {
      this.fail();
      return;
    }
    this.counts.partialWrites++;
    this.hold(bytes, from + n, to);
  }

  /** ConnectionWriter: the connection drops the socket. */
  release(): void {
    this.detach();
  }

  /** Gives the socket back to libuv: held bytes go to socket.write, libuv reads again. */
  detach(): void {
    const socket = this.socket;
    if (socket === null) return;
    this.socket = null;
    this.fd = -1;
    if (this.connection.writer === this) this.connection.writer = null;
    if (this.heldTo !== this.heldFrom) socket.write(this.held.slice(this.heldFrom, this.heldTo));
    this.heldFrom = this.heldTo = 0;
    // libuv reads again (directly: the stream's own _read is not called again while it still waits for the
    // read it asked for before the take-over), unless the socket is already gone.
    const handle = socket._handle;
    if (handle && !handle.reading) {
      handle.reading = true;
      handle.readStart();
    }
    socket.resume();
  }

  /** Sends held bytes; false when the socket failed. */
  private sendHeld(): boolean {
    const n = this.io.sendFrom(this.fd, this.held, this.heldFrom, this.heldTo - this.heldFrom);
    if (n < 0) {
      this.fail();
      return false;
    }
    this.heldFrom += n;
    if (this.heldFrom === this.heldTo) this.heldFrom = this.heldTo = 0;
    return true;
  }

  /** Copies bytes[from, to) behind the held ones (off the hot path: the kernel's buffer was full). */
  private hold(bytes: Uint8Array, from: number, to: number): void {
    const need = to - from;
    if (this.heldTo + need > this.held.length) {
      const have = this.heldTo - this.heldFrom;
      const target = have + need > this.held.length ? new Uint8Array(2 * (have + need)) : this.held;
      if (target === this.held) this.held.copyWithin(0, this.heldFrom, this.heldTo);
      else target.set(this.held.subarray(this.heldFrom, this.heldTo), 0);
      this.held = target;
      this.heldFrom = 0;
      this.heldTo = have;
    }
    this.held.set(bytes.subarray(from, to), this.heldTo);
    this.heldTo += need;
  }

  /** recv or send failed (closed, reset): give the socket back; libuv finds out and the connection drops it. */
  private fail(): void {
    this.counts.failures++;
    this.failed = this.socket;
    this.heldFrom = this.heldTo = 0; // nothing more can reach a failed socket
    this.detach();
  }
}

// One TCP connection to the venue, the part the feed handler and the order gateway share: dial,
// cut the byte stream into frames, watch the line (heartbeat due, venue silent), send frames with
// their header stamped, drop, and (when given a backoff) dial again.
//
// Time. Every read of time and every timer goes through the injected Clock. Each socket read is
// stamped once (T0 for the feed, T5 for the gateway) and every frame of that read carries the stamp;
// each write reads the clock once for the frames' header sendNs and once after the hand-off (T4).
//
// Frames. The data handler hands each whole frame to the adapter as (view, at, length, stamp):
// nothing is copied or allocated per frame. An exception thrown from inside the adapter's frame
// handling is the caller's callback failing (the adapter's own state is already updated): it is
// counted and logged, and the stream goes on. Once the adapter drops the connection from inside a
// frame, the rest of that read is ignored.
//
// Sockets. `dial` makes the socket (default: TCP with Nagle off). A test passes its own, a scripted
// object that plays the socket's events, so it can drive the adapter with bytes and a manual clock.
// A worker that busy-polls (polled-socket.ts) may take the open socket over: its reads come in through
// receive(), stamped at its own recv, and while `writer` is set every send goes out through it.
import net from 'node:net';
import { FrameReader } from '../protocol/index.js';
import type { Clock, Timer } from '../platform/clock.js';
import type { RateLimitedLog } from '../platform/rate-limited-log.js';
import type { Backoff } from './backoff.js';
import type { ConnectionCounters } from './connection-counters.js';

/** The part of net.Socket a connection uses. */
export interface VenueSocket {
  /** Bytes handed to write() that the kernel has not taken yet. */
  readonly writableLength: number;
  write(bytes: Uint8Array): boolean;
  /** Close after the queued bytes are out. */
  end(): void;
  /** Close now. */
  destroy(): void;
  on(event: 'connect', listener: () => void): unknown;
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
}

/** Takes the connection's writes while a worker polls the socket itself (host/adapters/polled-socket.ts). */
export interface ConnectionWriter {
  /** Write bytes[from, to) after everything written before, now or as soon as the socket takes them. */
  write(bytes: Uint8Array, from: number, to: number): void;
  /** The socket is being dropped: give it back to libuv (bytes still held go out first, if they can). */
  release(): void;
}

/** Opens a socket to host:port (it emits 'connect' when open). */
export type Dialer = (host: string, port: number) => VenueSocket;

export const tcpDialer: Dialer = (host, port) => net.createConnection({ host, port, noDelay: true });

/** What the adapter does with the connection's events. Called with primitives only. */
export interface ConnectionHandler {
  /** The socket is connected. */
  onOpen(): void;
  /** A socket read is about to be handed out frame by frame. */
  onReadStart(): void;
  /** One whole frame, `length` bytes at view[at], from the read stamped `t` (clock ns). */
  onFrame(view: DataView, at: number, length: number, t: number): void;
  /** Every frame of the read was handed out. */
  onReadEnd(): void;
  /** The stream cannot be resynchronised (BAD_LENGTH): `lengthField` is the offending length. */
  onFramingError(lengthField: number): void;
  /** The socket failed (`error`) or the venue closed it (undefined). */
  onLost(error: Error | undefined): void;
  /** While watched: nothing received for longer than the silence limit (`silentNs` so far). */
  onSilent(silentNs: number): void;
  /** While watched: nothing sent for the heartbeat interval. */
  onHeartbeatDue(now: number): void;
  /** While watched, after the checks above: the adapter's own periodic work. */
  onTick(now: number): void;
}

export interface ConnectionOptions {
  readonly host: string;
  readonly port: number;
  readonly clock: Clock;
  readonly dial: Dialer;
  readonly log: RateLimitedLog;
  readonly counters: ConnectionCounters;
  /** Dial again after each drop, waiting per this backoff; absent: the adapter dials itself. */
  readonly redial?: Backoff;
  /** Who a throwing callback belongs to, for the log line (e.g. "a FeedEvents callback"). */
  readonly callbackOwner: string;
}

/** A graceful close waits this long for the queued bytes, then destroys the socket. */
const LINGER_MS = 200;

export class VenueConnection {
  /** Clock at the last socket read and the last write (or at connect). */
  lastRecvNs = 0;
  lastSendNs = 0;
  /** While set, writes go to it instead of socket.write (a poller took the socket over). */
  writer: ConnectionWriter | null = null;

  private socket: VenueSocket | null = null;
  private open = false;
  /** Bumped per socket, so a frame loop or a socket event notices that its socket was dropped. */
  private generation = 0;
  private stopped = false;
  private readonly reader = new FrameReader();
  private watchTimer: Timer | null = null;
  private redialTimer: Timer | null = null;
  private silentAfterNs = 0;
  private heartbeatAfterNs = 0;
  /**
   * The current read's stamp as the frames' callbacks get it: one boxed number per read. A field that has
   * held a non-number keeps V8's tagged representation, so each frame's call passes the same box; the
   * clock's double passed straight (nowNs inlined, the callback not) was boxed anew per frame, 16 B a tick.
   */
  private readStamp: number | null = null;
  private readonly clock: Clock;
  private readonly counters: ConnectionCounters;

  constructor(private readonly options: ConnectionOptions, private readonly handler: ConnectionHandler) {
    this.clock = options.clock;
    this.counters = options.counters;
  }

  /** Connected (after 'connect', before the drop). */
  get isOpen(): boolean {
    return this.open;
  }

  /** A socket exists: connecting or connected. */
  get isActive(): boolean {
    return this.socket !== null;
  }

  /** Bytes handed to the socket that the kernel has not taken yet. */
  get backlogBytes(): number {
    return this.socket === null ? 0 : this.socket.writableLength;
  }

  /** The open socket (null before 'connect' and after the drop), for a poller that takes it over. */
  get openSocket(): VenueSocket | null {
    return this.open ? this.socket : null;
  }

  /** Bytes a poller read from the open socket itself: handled exactly as the socket's own 'data', read at `t`. */
  receive(bytes: Uint8Array, length: number, t: number): void {
    this.onData(bytes, length, t);
  }

  /** Opens a socket (dropping none: call drop() first if one is active). */
  dial(): void {
    this.redialTimer = null;
    if (this.stopped) return;
    const gen = ++this.generation;
    this.reader.reset();
    const socket = this.options.dial(this.options.host, this.options.port);
    this.socket = socket;
    socket.on('connect', () => {
      if (gen !== this.generation) return;
      this.open = true;
      this.counters.connects++;
      if (this.counters.connects > 1) this.counters.reconnects++;
      this.lastRecvNs = this.lastSendNs = this.clock.nowNs();
      this.handler.onOpen();
    });
    socket.on('data', (chunk: Buffer) => {
      if (gen === this.generation) this.onData(chunk, chunk.length, this.clock.nowNs());
    });
    socket.on('error', (err: Error) => {
      if (gen === this.generation) this.handler.onLost(err);
    });
    socket.on('close', () => {
      if (gen === this.generation) this.handler.onLost(undefined);
    });
  }

  /**
   * Ends the current socket: at once, or (`graceful`) after its queued bytes went out, never waiting
   * more than 200 ms. Stops the watch; with a backoff and unless stopped, dials again after the next
   * delay. Returns false when there was no socket.
   */
  drop(graceful = false): boolean {
    const socket = this.socket;
    if (socket === null) return false;
    this.socket = null;
    this.generation++;
    const wasOpen = this.open;
    this.open = false;
    this.unwatch();
    this.writer?.release();
    this.writer = null;
    this.reader.reset();
    this.counters.disconnects++;
    if (!wasOpen) this.counters.connectFailures++;
    if (graceful) {
      socket.end();
      const linger = this.clock.setTimer(LINGER_MS, () => socket.destroy());
      socket.on('close', () => linger.cancel());
    } else {
      socket.destroy();
    }
    return true;
  }

  /** After drop(): dials again after the backoff's next delay (nothing without a backoff, or once stopped). */
  redialLater(): void {
    const backoff = this.options.redial;
    if (backoff === undefined || this.stopped || this.redialTimer !== null) return;
    this.redialTimer = this.clock.setTimer(backoff.next(), () => this.dial());
  }

  /** The connection proved good: the next redial starts again from the shortest delay. */
  resetBackoff(): void {
    this.options.redial?.reset();
  }

  /** No more dialing (a pending redial is cancelled); drop() the socket separately. */
  stop(): void {
    this.stopped = true;
    this.redialTimer?.cancel();
    this.redialTimer = null;
  }

  /**
   * Checks the line every `periodMs` until the drop: silence past `silentAfterNs` → onSilent; else
   * nothing sent for `heartbeatAfterNs` → onHeartbeatDue; then onTick.
   */
  watch(periodMs: number, silentAfterNs: number, heartbeatAfterNs: number): void {
    this.unwatch();
    this.silentAfterNs = silentAfterNs;
    this.heartbeatAfterNs = heartbeatAfterNs;
    this.watchTimer = this.clock.setInterval(periodMs, () => this.check());
  }

  /**
   * Stamps the header sendNs of every frame in view[from, to) with the clock, hands bytes [from, to)
   * to the socket in one write, and returns the clock after the hand-off (T4; 0 with no socket).
   * The bytes must stay untouched until the socket's backlog is empty.
   */
  send(bytes: Buffer, view: DataView, from: number, to: number): number {
    const socket = this.socket;
    if (socket === null || to === from) return 0;
    // Two u32 stores per frame rather than a BigInt per write.
    const now = this.clock.nowNs();
    const lo = now >>> 0;
    const hi = Math.floor(now / 4294967296);
    for (let at = from; at < to; at += view.getUint16(at, true)) {
      view.setUint32(at + 8, lo, true);
      view.setUint32(at + 12, hi, true);
    }
    if (this.writer !== null) this.writer.write(bytes, from, to);
    else socket.write(bytes.subarray(from, to));
    const t4 = this.clock.nowNs();
    this.counters.writes++;
    this.lastSendNs = t4;
    return t4;
  }

  private unwatch(): void {
    this.watchTimer?.cancel();
    this.watchTimer = null;
  }

  private check(): void {
    if (!this.open) return;
    const now = this.clock.nowNs();
    if (now - this.lastRecvNs > this.silentAfterNs) {
      this.counters.idleTimeouts++;
      this.handler.onSilent(now - this.lastRecvNs);
      return;
    }
    if (now - this.lastSendNs >= this.heartbeatAfterNs) this.handler.onHeartbeatDue(now);
    if (this.open) this.handler.onTick(now);
  }

  private onData(chunk: Uint8Array, length: number, t: number): void {
    this.lastRecvNs = t;
    this.readStamp = t;
    const reader = this.reader;
    const handler = this.handler;
    const gen = this.generation;
    reader.push(chunk, length);
    handler.onReadStart();
    let n = reader.next();
    for (; n > 0; n = reader.next()) {
      this.counters.frames++;
      try {
        handler.onFrame(reader.view, reader.at, n, this.readStamp as number);
      } catch (err) {
        this.counters.callbackErrors++;
        this.options.log.log(`${this.options.callbackOwner} threw: ${(err as Error)?.stack ?? String(err)}`);
      }
      if (gen !== this.generation) return; // the frame dropped the connection
    }
    if (n < 0) {
      handler.onFramingError(reader.errorDetail);
      return;
    }
    handler.onReadEnd();
  }
}

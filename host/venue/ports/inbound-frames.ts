// A connection's input: socket chunks → frames (FrameReader) → the inbound delay line → the handler.
//
// Framing happens on arrival, so a frame's bytes are copied only when they must wait in the delay
// line (with no inbound latency, frames are handed over as views into the chunk, in the same tick).
// What happens after a frame — a fatal length, the peer closing — waits in the line behind it, so
// the frames before it are still processed first, as they would be on a real network.
//
// The line holds at most `queueLimit` frames "normally"; a frame arriving while it is full is still
// queued (order is kept) but flagged, and the session answers an order frame so flagged with Reject
// THROTTLED. Far past the limit the socket is paused so a flood cannot grow the queue without bound.
//
// Arrival: the clock is read once per socket chunk (every frame of a read shares it, as the engine's
// T0 does), and a frame keeps its arrival time through the delay line: `frameArrivalNs` is the
// current frame's during onFrame (the order-arrival audit).
import type { Socket } from 'node:net';
import { FrameReader } from '../../protocol/index.js';
import { LatencyLine } from './latency-line.js';
import { NS_PER_MS, type Clock } from '../../platform/clock.js';
import type { SeededRandom } from '../../platform/seeded-random.js';
import type { LatencySpec } from '../venue-config.js';

export interface InboundHandler {
  /** One frame at `view`/`at` (length already checked against its type). Valid only during the call. */
  onFrame(view: DataView, at: number, throttled: boolean): void;
  /** The stream is lost: the frame at this point had an unusable length field. */
  onBadLength(lengthField: number): void;
  /** The peer closed (or the socket failed) and everything it sent before has been handled. */
  onPeerClosed(): void;
  /** Called after each item delivered from the delay line (outside any socket event). */
  afterDelayed(): void;
}

const FRAME = 0;
const BAD_LENGTH = 1;
const CLOSED = 2;

interface Item {
  readonly kind: number;
  readonly bytes: Uint8Array | null;
  readonly detail: number;
  readonly throttled: boolean;
  readonly arrivalNs: number;
}

/** Pause reading once this many times the limit is queued. */
const PAUSE_FACTOR = 4;

export class InboundFrames {
  private readonly reader = new FrameReader();
  private readonly line: LatencyLine<Item>;
  private closed = false;
  private paused = false;
  /** A bad length was seen: nothing after it is read. */
  private lost = false;
  /** The clock when the last socket chunk was read, ns. */
  lastReadNs = 0;
  /** The arrival time of the frame being handed to onFrame, ns. */
  frameArrivalNs = 0;

  constructor(
    spec: LatencySpec,
    random: SeededRandom,
    private readonly queueLimit: number,
    private readonly socket: Socket,
    private readonly handler: InboundHandler,
    private readonly clock: Clock,
  ) {
    this.line = new LatencyLine<Item>(spec, random, (item) => this.deliver(item), clock);
  }

  /** The clock when the last socket chunk was read, ms. */
  get lastReadMs(): number {
    return this.lastReadNs / NS_PER_MS;
  }

  /** A new inbound delay for frames arriving from now on. */
  setLatency(spec: LatencySpec): void {
    this.line.setLatency(spec);
  }

  /** Frames waiting in the delay line. */
  get queued(): number {
    return this.line.length;
  }

  /** Feeds one socket chunk; returns how many whole frames it completed (liveness counts frames,
   *  not bytes: a peer trickling a byte at a time is not alive). */
  data(chunk: Buffer): number {
    if (this.closed || this.lost) return 0;
    const arrivalNs = this.lastReadNs = this.clock.nowNs();
    const reader = this.reader;
    reader.push(chunk);
    let frames = 0;
    if (this.line.idle) {
      this.frameArrivalNs = arrivalNs;
      for (let n = reader.next(); n > 0 && !this.closed; n = reader.next()) {
        frames++;
        this.handler.onFrame(reader.view, reader.at, false);
      }
      if (reader.error !== 0 && !this.closed) {
        this.lost = true;
        this.handler.onBadLength(reader.errorDetail);
      }
      return frames;
    }
    for (let n = reader.next(); n > 0 && !this.closed; n = reader.next()) {
      frames++;
      const bytes = new Uint8Array(n);
      bytes.set(new Uint8Array(reader.view.buffer, reader.view.byteOffset + reader.at, n));
      this.line.push({ kind: FRAME, bytes, detail: 0, throttled: this.line.length >= this.queueLimit, arrivalNs });
    }
    if (reader.error !== 0) {
      this.lost = true;
      this.line.push({ kind: BAD_LENGTH, bytes: null, detail: reader.errorDetail, throttled: false, arrivalNs });
    }
    if (!this.paused && this.line.length >= this.queueLimit * PAUSE_FACTOR) {
      this.paused = true;
      this.socket.pause();
    }
    return frames;
  }

  /** The socket ended or failed: the handler hears it after what is still queued. */
  peerClosed(): void {
    if (this.closed) return;
    this.line.push({ kind: CLOSED, bytes: null, detail: 0, throttled: false, arrivalNs: 0 });
  }

  /** Stops all input (the session is ending). */
  close(): void {
    this.closed = true;
    this.line.close();
  }

  private deliver(item: Item): void {
    if (this.closed) return;
    if (item.kind === FRAME) {
      const b = item.bytes!;
      this.frameArrivalNs = item.arrivalNs;
      this.handler.onFrame(new DataView(b.buffer, b.byteOffset, b.byteLength), 0, item.throttled);
    } else if (item.kind === BAD_LENGTH) {
      this.handler.onBadLength(item.detail);
    } else {
      this.handler.onPeerClosed();
    }
    if (this.paused && this.line.length < this.queueLimit) {
      this.paused = false;
      this.socket.resume();
    }
    // Also after a delivery inside push() (nothing waited): flushing output twice is harmless.
    this.handler.afterDelayed();
  }
}

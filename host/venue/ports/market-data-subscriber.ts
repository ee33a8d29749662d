// One market-data connection: its outbound delay line, its idle heartbeat, and the few frames a
// client may send on MD (SnapshotRequest, Heartbeat). MD has no login and no client sequence: the
// checks are version, type known, type allowed on MD from a client, fields — each a Reject with seq 0.
// A bad frame length loses the stream: the venue logs it and closes (MD has no Logout message).
import type { Socket } from 'node:net';
import {
  HeartbeatLayout,
  MessageType,
  PROTOCOL_VERSION,
  RejectLayout,
  RejectReason,
  Route,
  describeRejectReason,
  encodeHeartbeat,
  encodeReject,
  frameBytes,
  frameSeq,
  frameType,
  frameVersion,
  mdSymbolOf,
  messageName,
  routeAllows,
  validateBody,
} from '../../protocol/index.js';
import { ConsumerBacklog } from './consumer-backlog.js';
import { FrameBatch } from './frame-batch.js';
import { NS_PER_MS, type Clock } from '../../platform/clock.js';
import { InboundFrames, type InboundHandler } from './inbound-frames.js';
import { LatencyLine } from './latency-line.js';
import type { Flushable, OutputCycle } from './output-cycle.js';
import { SeededRandom } from '../../platform/seeded-random.js';
import { UNSTAMPED, stampSendNs } from './send-stamp.js';
import type { PortLatency, VenueConfig } from '../venue-config.js';
import type { VenueLog } from '../venue-log.js';
import type { VenueAudit } from '../venue-audit.js';

/** What a subscriber asks of the publisher. */
export interface SubscriberContext {
  readonly config: VenueConfig;
  readonly symbolCount: number;
  readonly cycle: OutputCycle;
  readonly log: VenueLog;
  readonly clock: Clock;
  /** The port's injected latency now (it may change at run time). */
  readonly latency: PortLatency;
  /** Records the live frames written (audit_md), or null. */
  readonly audit: VenueAudit | null;
  /** Snapshot of `symbol` (0 = every symbol) into the subscriber's batch. */
  snapshotTo(sub: MarketDataSubscriber, symbol: number): void;
  ended(sub: MarketDataSubscriber): void;
}

/** After close(), a peer that does not take the rest is cut off after this long. */
const CLOSE_GRACE_MS = 1000;

export class MarketDataSubscriber implements InboundHandler, Flushable {
  /** Frames for this connection only (directory, snapshots, Rejects, Heartbeats). */
  readonly batch = new FrameBatch(8192);
  private readonly inbound: InboundFrames;
  private readonly outbound: LatencyLine<Buffer>;
  private readonly unsent: ConsumerBacklog;
  private lastSendAt: number;
  private closed = false;
  readonly label: string;
  private readonly connection: number;

  constructor(
    private readonly socket: Socket,
    private readonly ctx: SubscriberContext,
    connection: number,
  ) {
    this.connection = connection;
    this.label = `md#${connection} ${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    const { config, clock } = ctx;
    this.lastSendAt = this.nowMs();
    const jitter = new SeededRandom((config.latencySeed ^ Math.imul(connection, 0x85ebca77) ^ 0x5bd1e995) >>> 0);
    this.inbound = new InboundFrames(ctx.latency.inbound, jitter, config.inboundQueueFrames, socket, this, clock);
    this.outbound = new LatencyLine<Buffer>(ctx.latency.outbound, jitter, (b) => this.write(b), clock);
    this.unsent = new ConsumerBacklog(socket, config.sendBufferBytes, (bytes) => this.slowConsumer(bytes));
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      try {
        this.inbound.data(chunk);
      } catch (err) {
        this.fail(err);
      }
      this.ctx.cycle.flush();
    });
    socket.on('end', () => this.inbound.peerClosed());
    socket.on('close', () => this.end('peer closed the connection'));
    socket.on('error', (err) => this.ctx.log.event('socket-error', `${this.label}: ${err.message}`));
  }

  /** The port's latency changed: bytes from now on get the new delay, queued ones keep theirs. */
  setLatency(latency: PortLatency): void {
    this.inbound.setLatency(latency.inbound);
    this.outbound.setLatency(latency.outbound);
  }

  /** Bytes queued for this connection (socket buffer plus delay line), for replay pacing. */
  get backlog(): number {
    return this.unsent.bytes + this.outbound.length * 64;
  }

  /**
   * Sends shared live-stream bytes (the same Buffer goes to every subscriber, stamped by the
   * publisher as it hands them out). When they must wait in the delay line this connection takes its
   * own copy, stamped when its delay has passed: stamping the shared Buffer then would rewrite the
   * Tv of bytes another subscriber's socket may still hold.
   */
  sendShared(bytes: Buffer, stampedNs: number): void {
    if (this.closed) return;
    this.flush();
    this.lastSendAt = this.nowMs();
    if (this.outbound.idle) this.written(bytes, stampedNs);
    else this.outbound.push(Buffer.from(bytes));
  }

  /** Own-batch frames were written: schedule the flush. */
  touched(): void {
    this.lastSendAt = this.nowMs();
    this.ctx.cycle.touch(this);
  }

  flush(): void {
    const bytes = this.batch.take();
    if (bytes !== null && !this.closed) this.outbound.push(bytes);
  }

  /** Own bytes out of the delay line: Tv (each frame's sendNs) is stamped now, as they are written. */
  private write(bytes: Buffer): void {
    const now = this.ctx.clock.nowNs();
    stampSendNs(bytes, now);
    this.written(bytes, now);
  }

  private written(bytes: Buffer, ns: number): void {
    this.unsent.write(bytes);
    if (this.ctx.audit !== null) this.ctx.audit.marketData(bytes, ns, this.connection);
  }

  heartbeat(now: number, intervalMs: number): void {
    if (this.closed || now - this.lastSendAt < intervalMs) return;
    const at = this.batch.reserve(HeartbeatLayout.bytes);
    encodeHeartbeat(this.batch.view, at, 0, UNSTAMPED);
    this.touched();
  }

  onFrame(view: DataView, at: number): void {
    if (this.closed) return;
    try {
      this.handleFrame(view, at);
    } catch (err) {
      this.fail(err);
    }
  }

  private handleFrame(view: DataView, at: number): void {
    const type = frameType(view, at);
    const seq = frameSeq(view, at);
    if (frameVersion(view, at) !== PROTOCOL_VERSION) return this.refuse(seq, type, RejectReason.BAD_VERSION, 0);
    if (frameBytes(type) === 0) return this.refuse(seq, type, RejectReason.UNKNOWN_TYPE, type);
    if (!routeAllows(type, Route.MD_FROM_CLIENT)) return this.refuse(seq, type, RejectReason.UNEXPECTED_TYPE, 0);
    const bad = validateBody(view, at, type, this.ctx.symbolCount);
    if (bad !== 0) return this.refuse(seq, type, bad, 0);
    if (type === MessageType.SnapshotRequest) this.ctx.snapshotTo(this, mdSymbolOf(view, at));
    // Heartbeat: accepted and ignored.
  }

  onBadLength(lengthField: number): void {
    this.ctx.log.event('disconnect', `${this.label}: bad frame length field ${lengthField}: closing`);
    this.close();
  }

  onPeerClosed(): void {
    this.end('peer closed the connection');
  }

  afterDelayed(): void {
    this.ctx.cycle.flush();
  }

  /** Cuts the connection at once, as a network failure would (the runtime control's `disconnect`). */
  drop(): void {
    this.socket.destroy();
    this.end('dropped by the venue control');
  }

  /** Closes after what is queued is written (shutdown, bad input). */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.outbound.flushNow();
    this.inbound.close();
    this.unsent.end();
    this.end(null);
    this.ctx.clock.setTimer(CLOSE_GRACE_MS, () => this.socket.destroy());
  }

  private fail(err: unknown): void {
    this.ctx.log.event('internal', `${this.label}: input failed, dropping the connection: ${(err as Error).stack ?? String(err)}`);
    this.socket.destroy();
    this.end(null);
  }

  private end(why: string | null): void {
    if (this.closed) return;
    this.closed = true;
    this.inbound.close();
    this.outbound.close();
    if (why !== null) this.ctx.log.event('md-disconnect', `${this.label}: ${why}`);
    this.ctx.ended(this);
  }

  private refuse(refSeq: number, refType: number, reason: number, detail: number): void {
    this.ctx.log.event('bad-frame', `${this.label}: ${messageName(refType)} refused: ${describeRejectReason(reason)}`);
    const at = this.batch.reserve(RejectLayout.bytes);
    encodeReject(this.batch.view, at, 0, UNSTAMPED, 0, refSeq, reason, refType, detail);
    this.touched();
  }

  private nowMs(): number {
    return this.ctx.clock.nowNs() / NS_PER_MS;
  }

  /** Cut off at once: what it has not taken is dropped (the socket's own queue is short, so this is cheap). */
  private slowConsumer(bytes: number): void {
    this.ctx.log.event('disconnect', `${this.label}: slow consumer (${bytes} bytes unsent): closing`);
    this.socket.destroy();
    this.end(null);
  }
}

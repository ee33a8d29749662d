// Feed handler: the market-data side of the venue protocol (docs/protocol.md, "Market data (MD)").
// This file assembles it: one VenueConnection to the venue's MD port, whose frames are validated
// (the protocol's own validateFrame) and dispatched to the symbol directory (SymbolDefinition), the
// sequencer (L2Delta, Trade, Snapshot: sequence, gaps, resync) and through it to the core's books
// (BookSync). Every frame of one socket read carries the same receive stamp T0 (one clock read per
// read); the last T0 applied per symbol is kept (`lastT0`).
//
// Per frame (hot path) nothing is allocated: no objects, no closures, no strings. Callbacks receive
// primitives only (FeedEvents). Allocation happens on connect, on a SymbolDefinition, on errors, and
// in the off-hot-path readers (top(), symbols()).
//
// Errors. A framing error (BAD_LENGTH: the stream cannot be resynchronised, doc "Framing") and any
// frame that fails validateFrame, arrives on the wrong route, names an undefined symbol or
// contradicts the directory is a bad frame: counted, logged (at most 10 lines a second), and the
// connection is dropped and re-established. An unknown type with a plausible length is counted and
// logged but skipped (the doc keeps the stream going for it). A Reject on MD (the venue refusing one
// of our frames) is counted and logged. Nothing received for `idleTimeoutMs` (the venue sends a
// Heartbeat after 1 s of silence) also drops the connection.
//
// Reconnect. After any disconnect that close() did not ask for: every book is cleared, every symbol
// is UNDEFINED, and a new connection is tried after an exponential backoff (Backoff: initialMs
// doubling to maxMs, with jitter). The venue resends the directory and the snapshots on connect, so
// the books re-sync from the snapshot stream. The backoff resets once a connection is fully LIVE.
import {
  HEADER_BYTES,
  MAX_SYMBOL_ID,
  MessageType,
  RejectReason,
  Route,
  SNAPSHOT_DEPTH,
  describeRejectReason,
  encodeHeartbeat,
  encodeSnapshotRequest,
  frameLength,
  frameSeq,
  frameType,
  l2DeltaPrice,
  l2DeltaQty,
  l2DeltaSide,
  mdSymbolOf,
  messageName,
  rejectDetail,
  rejectReason,
  rejectRefType,
  routeAllows,
  snapshotLastSeq,
  symbolDefinitionBandHigh,
  symbolDefinitionBandLow,
  symbolDefinitionCount,
  symbolDefinitionLotSize,
  symbolDefinitionName,
  symbolDefinitionRefPrice,
  symbolDefinitionTickPaise,
  tradeAggressorSide,
  tradeId,
  tradePrice,
  tradeQty,
  validateFrame,
} from '../../protocol/index.js';
import { Backoff, type BackoffConfig } from '../backoff.js';
import { VenueConnection, tcpDialer, type Dialer } from '../connection.js';
import { NS_PER_MS, liveClock, type Clock, type Timer } from '../../platform/clock.js';
import { RateLimitedLog, stderrSink, type LogSink } from '../../platform/rate-limited-log.js';
import { BookSync, type BookTop, type FeedMemory } from './book-sync.js';
import { FeedCounters } from './feed-counters.js';
import { FeedDisconnect, type FeedEvents } from './feed-events.js';
import { ResyncBuffer } from './resync-buffer.js';
import { Sequencer, SymbolState } from './sequencer.js';
import { SymbolDirectory, type SymbolInfo } from './symbol-directory.js';

export type { BookLevel, BookTop, FeedCore, FeedMemory } from './book-sync.js';
export type { SymbolInfo } from './symbol-directory.js';
export { FeedCounters } from './feed-counters.js';
export { FeedDisconnect, type FeedEvents } from './feed-events.js';
export { SymbolState } from './sequencer.js';

export interface FeedConfig {
  /** Venue host (default 127.0.0.1) and MD port. */
  readonly host?: string;
  readonly port: number;
  readonly reconnect: BackoffConfig;
  /** Nothing received for this long drops the connection (default 3000: three venue MD heartbeats). */
  readonly idleTimeoutMs?: number;
  /** A Heartbeat goes to the venue after this long without sending (default 1000; the venue ignores them). */
  readonly heartbeatMs?: number;
  /** A symbol SYNCING this long asks for its Snapshot again (default 2000). */
  readonly snapshotTimeoutMs?: number;
  /** Frames buffered across all SYNCING symbols (default 8192). */
  readonly bufferFrames?: number;
  /** Levels per side compared when a Snapshot arrives for a LIVE symbol at its current seq (default 20). */
  readonly auditDepth?: number;
  /** Where log lines go (default stderr), at most 10 a second. */
  readonly log?: LogSink;
  /** Random source of the backoff jitter (default Math.random). */
  readonly random?: () => number;
  /** Every time read and timer (default liveClock). */
  readonly clock?: Clock;
  /** Opens the socket (default TCP); a test passes a scripted one. */
  readonly dial?: Dialer;
}

const T = MessageType;
const LIVE = SymbolState.LIVE;

export class FeedHandler {
  readonly counters = new FeedCounters();
  /** Tv of the frame being handled: the venue's send stamp in its header (clock ns); read it in a callback. */
  frameSendNs = 0;

  private readonly clock: Clock;
  private readonly log: RateLimitedLog;
  /** Its venue connection (a poller may take the socket over: host/adapters/polled-socket.ts). */
  readonly connection: VenueConnection;
  private readonly directory = new SymbolDirectory();
  private readonly books: BookSync;
  private readonly sequencer: Sequencer;
  private readonly idleTimeoutNs: number;
  private readonly heartbeatNs: number;
  private readonly snapshotTimeoutNs: number;
  private readonly watchPeriodMs: number;
  private started = false;
  private syncedOnce = false;
  private syncWaiters: { resolve: () => void; reject: (e: Error) => void; timer: Timer }[] = [];

  constructor(readonly config: FeedConfig, readonly memory: FeedMemory, readonly events: FeedEvents = {}) {
    const host = config.host ?? '127.0.0.1';
    this.clock = config.clock ?? liveClock;
    this.idleTimeoutNs = (config.idleTimeoutMs ?? 3000) * NS_PER_MS;
    this.heartbeatNs = (config.heartbeatMs ?? 1000) * NS_PER_MS;
    this.snapshotTimeoutNs = (config.snapshotTimeoutMs ?? 2000) * NS_PER_MS;
    this.watchPeriodMs = Math.max(10, Math.min(250, this.idleTimeoutNs / 4e6, this.heartbeatNs / 4e6));
    this.log = new RateLimitedLog(`feed ${host}:${config.port}`, config.log ?? stderrSink, 10, 1000, this.clock);
    this.books = new BookSync(memory, this.counters, this.log, config.auditDepth ?? SNAPSHOT_DEPTH);
    this.sequencer = new Sequencer(this.books, new ResyncBuffer(Math.max(16, config.bufferFrames ?? 8192)), events,
      this.counters, this.log, (s) => this.requestSnapshot(s));
    this.connection = new VenueConnection({
      host, port: config.port, clock: this.clock, dial: config.dial ?? tcpDialer, log: this.log, counters: this.counters,
      redial: new Backoff(config.reconnect, config.random), callbackOwner: 'a callback',
    }, {
      onOpen: () => this.opened(),
      onReadStart: () => this.events.onReadStart?.(),
      onFrame: (view, at, n, t0) => this.onFrame(view, at, n, t0),
      onReadEnd: () => this.events.onReadEnd?.(),
      onFramingError: (length) => {
        this.counters.badFrames++;
        this.log.log(`framing error: length field ${length} (BAD_LENGTH): reconnecting`);
        this.drop(FeedDisconnect.BAD_FRAME);
      },
      onLost: (err) => {
        if (err) this.log.log(`socket error: ${err.message}`);
        this.drop(err ? FeedDisconnect.SOCKET_ERROR : FeedDisconnect.PEER_CLOSED);
      },
      onSilent: (silentNs) => {
        this.log.log(`nothing received for ${Math.round(silentNs / 1e6)} ms: reconnecting`);
        this.drop(FeedDisconnect.IDLE_TIMEOUT);
      },
      onHeartbeatDue: () => this.sendHeartbeat(),
      onTick: (now) => this.sequencer.askAgainOverdue(now, this.snapshotTimeoutNs, this.directory.count),
    });
  }

  // ── lifecycle ──────────────────────────────────────────────────────────────────────────────────

  /** Connect (and keep reconnecting until close()). */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.connection.dial();
  }

  /** Stop for good: no reconnect; books are left as they are (stale). */
  close(): void {
    this.connection.stop();
    if (this.connection.isActive) this.drop(FeedDisconnect.CLOSED);
    for (const w of this.syncWaiters) {
      w.timer.cancel();
      w.reject(new Error('feed closed'));
    }
    this.syncWaiters = [];
  }

  get isConnected(): boolean {
    return this.connection.isOpen;
  }

  /** True when connected and every defined symbol is LIVE. */
  get isSynced(): boolean {
    return this.connection.isOpen && this.directory.count > 0 && this.sequencer.live === this.directory.count;
  }

  /** Symbols defined on the current connection (the SymbolDefinitions' symbolCount), 0 before. */
  get symbolCount(): number {
    return this.directory.count;
  }

  /** Resolves when isSynced (now or later); rejects after `timeoutMs` or on close(). */
  whenSynced(timeoutMs = 5000): Promise<void> {
    if (this.isSynced) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const w = {
        resolve, reject,
        timer: this.clock.setTimer(timeoutMs, () => {
          this.syncWaiters = this.syncWaiters.filter((x) => x !== w);
          reject(new Error(`feed not synced within ${timeoutMs} ms`));
        }),
      };
      this.syncWaiters.push(w);
    });
  }

  // ── readers ────────────────────────────────────────────────────────────────────────────────────

  /** SymbolState of `symbol` on the current connection. */
  state(symbol: number): number {
    return this.sequencer.state(symbol);
  }
  /** True unless the symbol is LIVE. */
  isStale(symbol: number): boolean {
    return this.sequencer.state(symbol) !== LIVE;
  }
  /** The last seq applied to `symbol` (0: none). */
  lastSeq(symbol: number): number {
    return this.sequencer.lastSeq(symbol);
  }
  /** T0 (clock at the socket read) of the last frame applied to `symbol`'s book or trades; 0: none. */
  lastT0(symbol: number): number {
    return this.sequencer.lastT0(symbol);
  }
  /** Book offset of `symbol` in the core's memory, −1 when it has none. */
  bookOffset(symbol: number): number {
    return this.books.bookOffset(symbol);
  }
  /** The directory of the current connection (allocates). */
  symbols(): SymbolInfo[] {
    return this.directory.symbols();
  }
  /** Symbol id of `name` on the current connection, or 0. */
  symbolId(name: string): number {
    return this.directory.symbolId(name);
  }
  /** The best `depth` (≤ 20) levels per side of `symbol`'s book, best first. Off the hot path (allocates). */
  top(symbol: number, depth = SNAPSHOT_DEPTH): BookTop {
    return this.books.top(symbol, depth);
  }

  /** Ask the venue for `symbol`'s Snapshot (0: every symbol). A LIVE symbol stays LIVE and the answer
   *  is audited against its book when it is at the same seq (counters.audits / auditMismatches). */
  requestSnapshot(symbol: number): void {
    if (!this.connection.isOpen) return;
    const buf = Buffer.allocUnsafe(24); // rare (gap path, audits): a fresh buffer, never one a pending write holds
    const view = new DataView(buf.buffer, buf.byteOffset, 24);
    encodeSnapshotRequest(view, 0, 0, 0n, symbol);
    this.connection.send(buf, view, 0, 24);
    this.counters.snapshotRequests++;
  }

  /** TEST HOOK: drop the next `count` L2Deltas of `symbol` as if the network lost them, to exercise gap
   *  detection and recovery against a venue that never skips. Not for production use. */
  simulateLoss(symbol: number, count = 1): void {
    this.sequencer.lose(symbol, count);
  }

  // ── connection ─────────────────────────────────────────────────────────────────────────────────

  private opened(): void {
    this.connection.watch(this.watchPeriodMs, this.idleTimeoutNs, this.heartbeatNs);
    this.events.onConnect?.();
  }

  private sendHeartbeat(): void {
    const buf = Buffer.allocUnsafe(HEADER_BYTES);
    const view = new DataView(buf.buffer, buf.byteOffset, HEADER_BYTES);
    encodeHeartbeat(view, 0, 0, 0n);
    this.connection.send(buf, view, 0, HEADER_BYTES);
    this.counters.heartbeatsSent++;
  }

  /** End the current connection, reset every book and symbol, and schedule a reconnect unless closed. */
  private drop(reason: number): void {
    if (!this.connection.drop()) return;
    // Books go empty: what they held cannot be trusted after the stream broke, and the next
    // connection re-syncs them from its snapshots.
    this.sequencer.reset();
    this.directory.clear();
    this.syncedOnce = false;
    this.events.onDisconnect?.(reason);
    this.connection.redialLater();
  }

  private synced(): void {
    if (!this.syncedOnce) {
      this.syncedOnce = true;
      this.connection.resetBackoff();
      this.events.onSynced?.();
    }
    const waiters = this.syncWaiters;
    this.syncWaiters = [];
    for (const w of waiters) {
      w.timer.cancel();
      w.resolve();
    }
  }

  // ── frames ─────────────────────────────────────────────────────────────────────────────────────

  private onFrame(view: DataView, at: number, n: number, t0: number): void {
    const count = this.directory.count;
    const err = validateFrame(view, at, n, count > 0 ? count : MAX_SYMBOL_ID);
    const type = frameType(view, at);
    this.frameSendNs = view.getUint32(at + 8, true) + view.getUint32(at + 12, true) * 4294967296;
    if (err !== 0) {
      if (err === RejectReason.UNKNOWN_TYPE) {
        this.counters.unknownFrames++;
        this.log.log(`skipped a frame of unknown ${messageName(type)}, ${frameLength(view, at)} bytes`);
        return;
      }
      this.badFrame(view, at, `${messageName(type)} failed validation: ${describeRejectReason(err)}`);
      return;
    }
    if (!routeAllows(type, Route.MD_FROM_VENUE)) {
      this.badFrame(view, at, `${messageName(type)} is not a venue → client MD message`);
      return;
    }
    switch (type) {
      case T.L2Delta: {
        const s = this.definedSymbol(view, at);
        if (s !== 0) this.sequencer.delta(s, frameSeq(view, at), l2DeltaSide(view, at), l2DeltaPrice(view, at), l2DeltaQty(view, at), t0);
        return;
      }
      case T.Trade: {
        const s = this.definedSymbol(view, at);
        if (s !== 0) {
          this.sequencer.trade(s, frameSeq(view, at), tradeAggressorSide(view, at), tradePrice(view, at), tradeQty(view, at),
            tradeId(view, at), t0);
        }
        return;
      }
      case T.Heartbeat:
        this.counters.heartbeatsReceived++;
        return;
      case T.Snapshot: {
        const s = this.definedSymbol(view, at);
        if (s === 0) return;
        this.sequencer.snapshot(s, snapshotLastSeq(view, at), view, at, t0);
        const count = this.directory.count;
        if (this.sequencer.live === count && this.sequencer.defined === count) this.synced();
        return;
      }
      case T.SymbolDefinition:
        this.onSymbolDefinition(view, at, t0);
        return;
      case T.Reject:
        this.counters.rejects++;
        this.log.log(`venue rejected our ${messageName(rejectRefType(view, at))}: ${describeRejectReason(rejectReason(view, at))}` +
          ` (detail ${rejectDetail(view, at)})`);
        return;
    }
  }

  private badFrame(view: DataView, at: number, why: string): void {
    this.counters.badFrames++;
    this.log.log(`bad frame (${why}; seq ${frameSeq(view, at)}): reconnecting`);
    this.drop(FeedDisconnect.BAD_FRAME);
  }

  /** The symbol of a sequenced frame, or 0 after dropping the connection because it is not defined. */
  private definedSymbol(view: DataView, at: number): number {
    const s = mdSymbolOf(view, at);
    if (this.sequencer.state(s) === SymbolState.UNDEFINED) {
      this.badFrame(view, at, `symbol ${s} has no SymbolDefinition`);
      return 0;
    }
    return s;
  }

  private onSymbolDefinition(view: DataView, at: number, t0: number): void {
    const s = mdSymbolOf(view, at);
    const count = symbolDefinitionCount(view, at);
    const dir = this.directory;
    const contradiction = dir.contradiction(s, count);
    if (contradiction !== '') {
      this.badFrame(view, at, contradiction);
      return;
    }
    if (dir.count === 0) {
      dir.count = count;
      this.sequencer.ensureCapacity(count + 1);
      this.books.ensureCapacity(count + 1);
    }
    const name = symbolDefinitionName(view, at);
    const bandLow = symbolDefinitionBandLow(view, at);
    const bandHigh = symbolDefinitionBandHigh(view, at);
    const refPrice = symbolDefinitionRefPrice(view, at);
    this.sequencer.define(s, t0);
    const bookOffset = this.books.attach(s, name, bandLow, bandHigh, refPrice);
    dir.set({
      id: s, name, tickPaise: symbolDefinitionTickPaise(view, at), lotSize: symbolDefinitionLotSize(view, at),
      bandLow, bandHigh, refPrice, bookOffset,
    });
  }
}

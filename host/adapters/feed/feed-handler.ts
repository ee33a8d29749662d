// Feed handler: the market-data side of the venue protocol (docs/protocol.md, "Market data (MD)").
//
// One TCP connection to the venue's MD port. Frames come out of a FrameReader (no copy), are validated
// with the protocol's own validateFrame, and are applied to the core's L2 books — one book per symbol,
// at the offset the caller's memory map gave that symbol's name — with bookSet. Every frame of one
// socket read carries the same receive stamp T0 (monoNs() once per read, ARCHITECTURE.md "Latency
// points"); the last T0 applied per symbol is kept in `lastT0`.
//
// Per frame (hot path) nothing is allocated: no objects, no closures, no strings. Callbacks receive
// primitives only (FeedEvents). Allocation happens on connect, on a SymbolDefinition, on errors, and
// in the off-hot-path readers (top(), symbols()).
//
// Symbol states: UNDEFINED (no SymbolDefinition on this connection) → SYNCING (defined, waiting for a
// Snapshot) → LIVE (book exact in its best 20 levels, every delta applied in sequence). A gap sends a
// LIVE symbol back to SYNCING.
//
// Sequencing and gap recovery (doc, "Gap recovery"). L2Delta and Trade share one per-symbol sequence.
// On a LIVE symbol:
//   seq = last + 1  → applied;
//   seq ≤ last      → ignored (counted as `oldFrames`; an L2Delta holds the level's total, so
//                     re-applying would be harmless too);
//   seq > last + 1  → gap: the symbol turns SYNCING (onStale(symbol, true)), a SnapshotRequest(symbol)
//                     goes out, and this frame is buffered.
// While SYNCING, the symbol's deltas and trades are BUFFERED (not dropped) in one fixed-size buffer
// shared by all symbols. When the Snapshot arrives the book is cleared and loaded from it, `last` =
// its lastSeq, then the buffered frames of that symbol are replayed in arrival order: seq ≤ lastSeq
// skipped (the snapshot already holds them), seq = last + 1 applied, and a jump past last + 1 is a new
// gap (another SnapshotRequest). With the venue answering in-band (the Snapshot written into the
// stream after every delta it includes) the buffered frames all have seq ≤ lastSeq and the replay
// only skips; buffering keeps the handler correct against a venue whose Snapshot overtakes deltas.
// A full buffer drops the newest frame (counted: `bufferOverflows`); the missing seq then shows as a
// gap after the snapshot and is recovered the same way. Trades are delivered (onTrade) when they
// arrive, stale or not: a print is a fact even when the book is not; they are buffered only for the
// sequence. A symbol that stays SYNCING for `snapshotTimeoutMs` asks again. A Snapshot for a LIVE
// symbol (requestSnapshot(), or a second answer) is an audit when it is at the book's own seq: the
// best `auditDepth` levels are compared (`audits`; a difference is logged, counted in
// `auditMismatches`, and the snapshot loaded); an older one is ignored, a newer one loaded.
//
// Book band. bookInit uses the SymbolDefinition's price band when it fits the book's levels (then the
// band never moves); otherwise a window of `levels` ticks centred on refPrice. A non-zero delta or a
// snapshot level outside the window recentres it on the touch (bookRecenter, O(levels), counted in
// `recenters`) when that brings the price in; a price still outside is a deep level the book cannot
// hold (counted in `outOfBand`), which the doc allows ("a deeper level becomes known when it next
// changes"). A removal (qty 0) outside the window is a no-op.
//
// Errors. A framing error (BAD_LENGTH: the stream cannot be resynchronised, doc "Framing") and any
// frame that fails validateFrame, arrives on the wrong route, names an undefined symbol or
// contradicts the directory is a bad frame: counted, logged to stderr at most 10 lines a second, and
// the connection is dropped and re-established. An unknown type with a plausible length is counted
// and logged but skipped (the doc keeps the stream going for it). A Reject on MD (the venue refusing
// one of our frames) is counted and logged. Nothing received for `idleTimeoutMs` (the venue sends a
// Heartbeat after 1 s of silence) also drops the connection.
//
// Reconnect. After any disconnect that close() did not ask for: every book is cleared, every symbol
// is UNDEFINED, and a new connection is tried after an exponential backoff (Backoff: initialMs
// doubling to maxMs, with jitter). The venue resends the directory and the snapshots on connect, so
// the books re-sync from the snapshot stream. The backoff resets once a connection is fully LIVE.
import net from 'node:net';
import {
  FrameReader,
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
  snapshotAskLevels,
  snapshotAskPrice,
  snapshotAskQty,
  snapshotBidLevels,
  snapshotBidPrice,
  snapshotBidQty,
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
  type SymbolSpec,
} from '../../protocol/index.js';
import { BookStatus, SNAPSHOT_ROW_BYTES, type CoreExports } from '../../core/core.js';
import { NO_PRICE, Side } from '../../model/vocabulary.js';
import type { BookRegion, Region } from '../../core/memory-map.js';
import { Backoff, type BackoffConfig } from '../backoff.js';
import { monoNs } from '../../platform/clock.js';
import { RateLimitedLog, stderrSink, type LogSink } from '../../platform/rate-limited-log.js';

/** The book functions of the core the feed handler calls. */
export type FeedCore = Pick<CoreExports,
  'memory' | 'bookInit' | 'bookClear' | 'bookSet' | 'bookRecenter' | 'bookBasePrice' | 'bookLevels' | 'bookBestBid' |
  'bookBestAsk' | 'bookSnapshot'>;

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
}

export interface FeedMemory {
  readonly core: FeedCore;
  /** Book regions by symbol name (the memory map's `books`). A symbol without one is sequenced but not booked. */
  readonly books: Readonly<Record<string, BookRegion>>;
  /** Scratch for bookSnapshot reads: ≥ SNAPSHOT_DEPTH × 16 bytes (top() and the snapshot audit). */
  readonly scratch: Region;
}

/** Callbacks. All optional; hot-path ones receive primitives only. t0 = monoNs() at the socket read. */
export interface FeedEvents {
  /** The connection is up (before any frame). */
  onConnect?(): void;
  /** The connection, or an attempt to open one, is gone; `reason` is a FeedDisconnect code. A
   *  reconnect follows unless closed. */
  onDisconnect?(reason: number): void;
  /** Every symbol defined on this connection has its Snapshot loaded (once per connection). */
  onSynced?(): void;
  /** A level changed in `symbol`'s book (an applied L2Delta, live or replayed after a snapshot). */
  onBookChange?(symbol: number, side: number, price: number, qty: number, seq: number, t0: number): void;
  /** `symbol`'s book was replaced by a Snapshot whose lastSeq is `seq`. */
  onBookReset?(symbol: number, seq: number, t0: number): void;
  /** A Trade (delivered on arrival, also while the symbol is SYNCING). */
  onTrade?(symbol: number, aggressorSide: number, price: number, qty: number, tradeId: number, seq: number, t0: number): void;
  /** `symbol` became stale (gap, waiting for its Snapshot) or live again. */
  onStale?(symbol: number, stale: boolean): void;
}

/** Why a connection ended (onDisconnect). */
export const FeedDisconnect = {
  /** The venue closed the connection (or connecting failed). */
  PEER_CLOSED: 1,
  /** A bad frame from the venue (framing, validation, route, directory). */
  BAD_FRAME: 2,
  /** Nothing received for idleTimeoutMs. */
  IDLE_TIMEOUT: 3,
  /** close() was called. */
  CLOSED: 4,
  /** A socket error. */
  SOCKET_ERROR: 5,
} as const;

/** Symbol states (`state(symbol)`). */
export const SymbolState = { UNDEFINED: 0, SYNCING: 1, LIVE: 2 } as const;

export interface SymbolInfo extends SymbolSpec {
  /** Offset of its book in the core's memory, −1 when the memory map has none for this name. */
  readonly bookOffset: number;
}

export interface BookLevel { readonly price: number; readonly qty: number }
export interface BookTop { readonly bids: BookLevel[]; readonly asks: BookLevel[] }

/** Counters since construction. Plain numbers, read at any time. */
export class FeedCounters {
  /** Frames handed out by the reader. */
  frames = 0;
  /** L2Deltas applied to a book (live or replayed). */
  deltas = 0;
  trades = 0;
  heartbeats = 0;
  snapshots = 0;
  /** Sequence gaps detected. */
  gaps = 0;
  /** Snapshots loaded to recover from a gap (not the initial one of a connection). */
  resyncs = 0;
  snapshotRequests = 0;
  /** Connections established after the first. */
  reconnects = 0;
  connects = 0;
  /** Connections that ended, and connection attempts that failed (also counted in disconnects). */
  disconnects = 0;
  connectFailures = 0;
  /** Bad frames (framing, validation, route, directory); each dropped the connection but unknown types. */
  badFrames = 0;
  /** Frames of an unknown type (skipped). */
  unknownFrames = 0;
  /** Rejects the venue sent on MD. */
  rejects = 0;
  /** Sequenced frames with seq ≤ last (ignored). */
  oldFrames = 0;
  /** Frames buffered while SYNCING, and those dropped because the buffer was full. */
  buffered = 0;
  bufferOverflows = 0;
  recenters = 0;
  /** Non-zero levels that could not be placed in the book's window. */
  outOfBand = 0;
  /** Snapshots compared with a LIVE book at the same seq, and those that differed. */
  audits = 0;
  auditMismatches = 0;
  /** Snapshots older than the book (lastSeq < last): ignored. */
  staleSnapshots = 0;
  /** Snapshots newer than a LIVE book (lastSeq > last): loaded, the deltas they include then skipped as old. */
  aheadSnapshots = 0;
  idleTimeouts = 0;
  /** Exceptions thrown by FeedEvents callbacks (logged, then the stream goes on). */
  callbackErrors = 0;
}

const UNDEFINED = SymbolState.UNDEFINED;
const SYNCING = SymbolState.SYNCING;
const LIVE = SymbolState.LIVE;
const KIND_DELTA = 0;
const KIND_TRADE = 1;
const T = MessageType;

export class FeedHandler {
  readonly counters = new FeedCounters();
  /** Symbols defined on the current connection (the SymbolDefinitions' symbolCount), 0 before. */
  symbolCount = 0;

  // Per-symbol state, indexed by symbol id (0 unused). Reallocated only when a directory is larger.
  private cap = 0;
  private stateOf = new Uint8Array(0);
  private lastSeqOf = new Float64Array(0);
  private lastT0Of = new Float64Array(0);
  private bookOff = new Int32Array(0);
  private bookLevelsOf = new Int32Array(0);
  private bandLowOf = new Int32Array(0);
  private bandHighOf = new Int32Array(0);
  private requestedAt = new Float64Array(0);
  private afterGap = new Uint8Array(0);
  private skipDeltas = new Uint32Array(0);
  private infos: (SymbolInfo | undefined)[] = [];
  private defined = 0;
  private live = 0;
  private syncedOnce = false;

  // Frames buffered while a symbol is SYNCING (columns; symbol 0 = consumed).
  private readonly bufCap: number;
  private readonly bSym: Uint16Array;
  private readonly bKind: Uint8Array;
  private readonly bSide: Uint8Array;
  private readonly bSeq: Float64Array;
  private readonly bPrice: Int32Array;
  private readonly bQty: Int32Array;
  private readonly bT0: Float64Array;
  private bLen = 0;

  private readonly reader = new FrameReader();
  private socket: net.Socket | null = null;
  private connected = false;
  /** Bumped per connection, so a frame loop notices that its connection was dropped under it. */
  private generation = 0;
  private closed = false;
  private started = false;
  private timer: NodeJS.Timeout | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private lastRecvNs = 0;
  private rows: Int32Array | null = null;
  private lastSendNs = 0;
  private readonly backoff: Backoff;
  private readonly log: RateLimitedLog;
  private readonly host: string;
  private readonly idleTimeoutNs: number;
  private readonly heartbeatNs: number;
  private readonly snapshotTimeoutNs: number;
  private readonly auditDepth: number;
  private readonly core: FeedCore;
  private readonly scratchOffset: number;
  private syncWaiters: { resolve: () => void; reject: (e: Error) => void; timer: NodeJS.Timeout }[] = [];

  constructor(readonly config: FeedConfig, readonly memory: FeedMemory, readonly events: FeedEvents = {}) {
    this.host = config.host ?? '127.0.0.1';
    this.idleTimeoutNs = (config.idleTimeoutMs ?? 3000) * 1e6;
    this.heartbeatNs = (config.heartbeatMs ?? 1000) * 1e6;
    this.snapshotTimeoutNs = (config.snapshotTimeoutMs ?? 2000) * 1e6;
    this.auditDepth = Math.min(SNAPSHOT_DEPTH, Math.max(0, config.auditDepth ?? SNAPSHOT_DEPTH));
    this.backoff = new Backoff(config.reconnect, config.random);
    this.log = new RateLimitedLog(`feed ${this.host}:${config.port}`, config.log ?? stderrSink);
    this.core = memory.core;
    if (memory.scratch.bytes < SNAPSHOT_DEPTH * SNAPSHOT_ROW_BYTES) {
      throw new RangeError(`feed scratch needs ${SNAPSHOT_DEPTH * SNAPSHOT_ROW_BYTES} bytes, has ${memory.scratch.bytes}`);
    }
    this.scratchOffset = memory.scratch.offset;
    this.bufCap = Math.max(16, config.bufferFrames ?? 8192);
    this.bSym = new Uint16Array(this.bufCap);
    this.bKind = new Uint8Array(this.bufCap);
    this.bSide = new Uint8Array(this.bufCap);
    this.bSeq = new Float64Array(this.bufCap);
    this.bPrice = new Int32Array(this.bufCap);
    this.bQty = new Int32Array(this.bufCap);
    this.bT0 = new Float64Array(this.bufCap);
  }

  // ── lifecycle ──────────────────────────────────────────────────────────────────────────────────

  /** Connect (and keep reconnecting until close()). */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.closed = false;
    this.connect();
    this.timer = setInterval(() => this.tick(), Math.max(10, Math.min(250, this.idleTimeoutNs / 4e6, this.heartbeatNs / 4e6)));
    this.timer.unref();
  }

  /** Stop for good: no reconnect; books are left as they are (stale). */
  close(): void {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.timer = this.reconnectTimer = null;
    if (this.socket) this.drop(FeedDisconnect.CLOSED);
    for (const w of this.syncWaiters) {
      clearTimeout(w.timer);
      w.reject(new Error('feed closed'));
    }
    this.syncWaiters = [];
  }

  get isConnected(): boolean {
    return this.connected;
  }

  /** True when connected and every defined symbol is LIVE. */
  get isSynced(): boolean {
    return this.connected && this.symbolCount > 0 && this.live === this.symbolCount;
  }

  /** Resolves when isSynced (now or later); rejects after `timeoutMs` or on close(). */
  whenSynced(timeoutMs = 5000): Promise<void> {
    if (this.isSynced) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const w = {
        resolve, reject,
        timer: setTimeout(() => {
          this.syncWaiters = this.syncWaiters.filter((x) => x !== w);
          reject(new Error(`feed not synced within ${timeoutMs} ms`));
        }, timeoutMs),
      };
      this.syncWaiters.push(w);
    });
  }

  // ── readers ────────────────────────────────────────────────────────────────────────────────────

  /** SymbolState of `symbol` on the current connection. */
  state(symbol: number): number {
    return symbol > 0 && symbol < this.cap ? this.stateOf[symbol]! : UNDEFINED;
  }
  /** True unless the symbol is LIVE. */
  isStale(symbol: number): boolean {
    return this.state(symbol) !== LIVE;
  }
  /** The last seq applied to `symbol` (0: none). */
  lastSeq(symbol: number): number {
    return symbol > 0 && symbol < this.cap ? this.lastSeqOf[symbol]! : 0;
  }
  /** T0 (monoNs at the socket read) of the last frame applied to `symbol`'s book or trades; 0: none. */
  lastT0(symbol: number): number {
    return symbol > 0 && symbol < this.cap ? this.lastT0Of[symbol]! : 0;
  }
  /** Book offset of `symbol` in the core's memory, −1 when it has none. */
  bookOffset(symbol: number): number {
    return symbol > 0 && symbol < this.cap ? this.bookOff[symbol]! : -1;
  }
  /** The directory of the current connection (allocates). */
  symbols(): SymbolInfo[] {
    return this.infos.filter((s): s is SymbolInfo => s !== undefined);
  }
  /** Symbol id of `name` on the current connection, or 0. */
  symbolId(name: string): number {
    for (const s of this.infos) if (s && s.name === name) return s.id;
    return 0;
  }
  /** The best `depth` (≤ 20) levels per side of `symbol`'s book, best first. Off the hot path (allocates). */
  top(symbol: number, depth = SNAPSHOT_DEPTH): BookTop {
    const off = this.bookOffset(symbol);
    if (off < 0) return { bids: [], asks: [] };
    const d = Math.min(depth, SNAPSHOT_DEPTH);
    const counts = this.core.bookSnapshot(off, this.scratchOffset, d);
    const rows = this.scratchRows();
    const bids: BookLevel[] = [];
    const asks: BookLevel[] = [];
    for (let i = 0; i < (counts & 0xffff); i++) bids.push({ price: rows[i * 4]!, qty: rows[i * 4 + 1]! });
    for (let i = 0; i < counts >>> 16; i++) asks.push({ price: rows[i * 4 + 2]!, qty: rows[i * 4 + 3]! });
    return { bids, asks };
  }

  /** Ask the venue for `symbol`'s Snapshot (0: every symbol). A LIVE symbol stays LIVE and the answer
   *  is audited against its book when it is at the same seq (counters.audits / auditMismatches). */
  requestSnapshot(symbol: number): void {
    if (!this.connected || this.socket === null) return;
    const buf = Buffer.allocUnsafe(24); // rare (gap path, audits): a fresh buffer, never one a pending write holds
    encodeSnapshotRequest(new DataView(buf.buffer, buf.byteOffset, 24), 0, 0, process.hrtime.bigint(), symbol);
    this.socket.write(buf);
    this.lastSendNs = monoNs();
    this.counters.snapshotRequests++;
  }

  /** TEST HOOK: drop the next `count` L2Deltas of `symbol` as if the network lost them, to exercise gap
   *  detection and recovery against a venue that never skips. Not for production use. */
  simulateLoss(symbol: number, count = 1): void {
    if (symbol > 0 && symbol < this.cap) this.skipDeltas[symbol] = this.skipDeltas[symbol]! + count;
  }

  // ── connection ─────────────────────────────────────────────────────────────────────────────────

  private connect(): void {
    this.reconnectTimer = null;
    if (this.closed) return;
    const gen = ++this.generation;
    const socket = net.createConnection({ host: this.host, port: this.config.port, noDelay: true });
    this.socket = socket;
    socket.on('connect', () => {
      if (gen !== this.generation) return;
      this.connected = true;
      this.counters.connects++;
      if (this.counters.connects > 1) this.counters.reconnects++;
      this.lastRecvNs = this.lastSendNs = monoNs();
      this.events.onConnect?.();
    });
    socket.on('data', (chunk: Buffer) => {
      if (gen === this.generation) this.onData(chunk);
    });
    socket.on('error', (err) => {
      if (gen !== this.generation) return;
      this.log.log(`socket error: ${err.message}`);
      this.drop(FeedDisconnect.SOCKET_ERROR);
    });
    socket.on('close', () => {
      if (gen === this.generation) this.drop(FeedDisconnect.PEER_CLOSED);
    });
  }

  /** End the current connection, reset every book and symbol, and schedule a reconnect unless closed. */
  private drop(reason: number): void {
    const socket = this.socket;
    if (socket === null) return;
    this.socket = null;
    this.generation++;
    const wasConnected = this.connected;
    this.connected = false;
    socket.destroy();
    this.reader.reset();
    this.counters.disconnects++;
    // Books go empty: what they held cannot be trusted after the stream broke, and the next
    // connection re-syncs them from its snapshots.
    for (let s = 1; s < this.cap; s++) {
      if (this.stateOf[s] === UNDEFINED) continue;
      const wasLive = this.stateOf[s] === LIVE;
      this.stateOf[s] = UNDEFINED;
      if (this.bookOff[s]! >= 0) this.core.bookClear(this.bookOff[s]!);
      if (wasLive) this.events.onStale?.(s, true);
    }
    this.symbolCount = 0;
    this.defined = this.live = 0;
    this.syncedOnce = false;
    this.bLen = 0;
    this.infos = [];
    if (!wasConnected) this.counters.connectFailures++;
    this.events.onDisconnect?.(reason);
    if (!this.closed) {
      const delay = this.backoff.next();
      this.reconnectTimer = setTimeout(() => this.connect(), delay);
    }
  }

  private tick(): void {
    if (!this.connected || this.socket === null) return;
    const now = monoNs();
    if (now - this.lastRecvNs > this.idleTimeoutNs) {
      this.counters.idleTimeouts++;
      this.log.log(`nothing received for ${Math.round((now - this.lastRecvNs) / 1e6)} ms: reconnecting`);
      this.drop(FeedDisconnect.IDLE_TIMEOUT);
      return;
    }
    if (now - this.lastSendNs >= this.heartbeatNs) {
      const buf = Buffer.allocUnsafe(HEADER_BYTES);
      encodeHeartbeat(new DataView(buf.buffer, buf.byteOffset, HEADER_BYTES), 0, 0, process.hrtime.bigint());
      this.socket.write(buf);
      this.lastSendNs = now;
    }
    for (let s = 1; s <= this.symbolCount; s++) {
      if (this.stateOf[s] === SYNCING && now - this.requestedAt[s]! > this.snapshotTimeoutNs) {
        this.requestedAt[s] = now;
        this.requestSnapshot(s);
      }
    }
  }

  // ── frames ─────────────────────────────────────────────────────────────────────────────────────

  private onData(chunk: Buffer): void {
    const t0 = monoNs();
    this.lastRecvNs = t0;
    const reader = this.reader;
    const gen = this.generation;
    reader.push(chunk);
    let n = reader.next();
    for (; n > 0; n = reader.next()) {
      this.counters.frames++;
      try {
        this.onFrame(reader.view, reader.at, n, t0);
      } catch (err) {
        // A throwing callback is the caller's bug: the feed's own state is already updated, so log
        // it and go on with the stream rather than let it escape from a socket event.
        this.counters.callbackErrors++;
        this.log.log(`a callback threw: ${(err as Error)?.stack ?? String(err)}`);
      }
      if (gen !== this.generation) return; // the frame dropped the connection
    }
    if (n < 0) {
      this.counters.badFrames++;
      this.log.log(`framing error: length field ${reader.errorDetail} (BAD_LENGTH): reconnecting`);
      this.drop(FeedDisconnect.BAD_FRAME);
    }
  }

  private onFrame(view: DataView, at: number, n: number, t0: number): void {
    const maxSymbol = this.symbolCount > 0 ? this.symbolCount : MAX_SYMBOL_ID;
    const err = validateFrame(view, at, n, maxSymbol);
    const type = frameType(view, at);
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
      case T.L2Delta:
        this.onDelta(view, at, t0);
        return;
      case T.Trade:
        this.onTradeFrame(view, at, t0);
        return;
      case T.Heartbeat:
        this.counters.heartbeats++;
        return;
      case T.Snapshot:
        this.onSnapshot(view, at, t0);
        return;
      case T.SymbolDefinition:
        this.onSymbolDefinition(view, at);
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
    if (s >= this.cap || this.stateOf[s] === UNDEFINED) {
      this.badFrame(view, at, `symbol ${s} has no SymbolDefinition`);
      return 0;
    }
    return s;
  }

  private onDelta(view: DataView, at: number, t0: number): void {
    const s = this.definedSymbol(view, at);
    if (s === 0) return;
    if (this.skipDeltas[s]! > 0) {
      this.skipDeltas[s] = this.skipDeltas[s]! - 1;
      return;
    }
    const seq = frameSeq(view, at);
    if (this.stateOf[s] === LIVE) {
      const last = this.lastSeqOf[s]!;
      if (seq === last + 1) {
        this.lastSeqOf[s] = seq;
        this.lastT0Of[s] = t0;
        this.applyDelta(s, l2DeltaSide(view, at), l2DeltaPrice(view, at), l2DeltaQty(view, at), seq, t0);
        return;
      }
      if (seq <= last) {
        this.counters.oldFrames++;
        return;
      }
      this.gap(s, t0);
    }
    this.buffer(s, KIND_DELTA, l2DeltaSide(view, at), seq, l2DeltaPrice(view, at), l2DeltaQty(view, at), t0);
  }

  private onTradeFrame(view: DataView, at: number, t0: number): void {
    const s = this.definedSymbol(view, at);
    if (s === 0) return;
    const seq = frameSeq(view, at);
    this.counters.trades++;
    this.lastT0Of[s] = t0;
    this.events.onTrade?.(s, tradeAggressorSide(view, at), tradePrice(view, at), tradeQty(view, at), tradeId(view, at), seq, t0);
    if (this.stateOf[s] === LIVE) {
      const last = this.lastSeqOf[s]!;
      if (seq === last + 1) {
        this.lastSeqOf[s] = seq;
        return;
      }
      if (seq <= last) {
        this.counters.oldFrames++;
        return;
      }
      this.gap(s, t0);
    }
    this.buffer(s, KIND_TRADE, 0, seq, 0, 0, t0);
  }

  private applyDelta(s: number, side: number, price: number, qty: number, seq: number, t0: number): void {
    this.counters.deltas++;
    const off = this.bookOff[s]!;
    if (off >= 0) {
      const status = this.core.bookSet(off, side, price, qty);
      if (status === BookStatus.OUT_OF_BAND && qty > 0) this.placeOutside(s, off, side, price, qty);
    }
    this.events.onBookChange?.(s, side, price, qty, seq, t0);
  }

  /** A level outside the book's window: recentre on the touch if that brings it in, else count it. */
  private placeOutside(s: number, off: number, side: number, price: number, qty: number): void {
    const core = this.core;
    const levels = this.bookLevelsOf[s]!;
    const bid = core.bookBestBid(off);
    const ask = core.bookBestAsk(off);
    const mid = bid !== NO_PRICE && ask !== NO_PRICE ? (bid + ask) >> 1 : bid !== NO_PRICE ? bid : ask !== NO_PRICE ? ask : price;
    const base = this.windowBase(s, mid, levels);
    if (price >= base && price < base + levels && base !== core.bookBasePrice(off)) {
      core.bookRecenter(off, base);
      this.counters.recenters++;
      core.bookSet(off, side, price, qty);
    } else {
      this.counters.outOfBand++;
    }
  }

  /** Base of a `levels`-tick window centred on `centre`, kept inside the symbol's band when it can be. */
  private windowBase(s: number, centre: number, levels: number): number {
    const low = this.bandLowOf[s]!;
    const high = this.bandHighOf[s]!;
    let base = centre - (levels >> 1);
    if (base + levels - 1 > high) base = high - levels + 1;
    if (base < low) base = low;
    return base;
  }

  /** A gap on a LIVE symbol: stale, ask for the snapshot. */
  private gap(s: number, t0: number): void {
    this.counters.gaps++;
    this.stateOf[s] = SYNCING;
    this.live--;
    this.afterGap[s] = 1;
    this.requestedAt[s] = t0;
    this.requestSnapshot(s);
    this.events.onStale?.(s, true);
  }

  private buffer(s: number, kind: number, side: number, seq: number, price: number, qty: number, t0: number): void {
    if (this.bLen === this.bufCap) this.compactBuffer();
    if (this.bLen === this.bufCap) {
      this.counters.bufferOverflows++;
      return;
    }
    const i = this.bLen++;
    this.bSym[i] = s;
    this.bKind[i] = kind;
    this.bSide[i] = side;
    this.bSeq[i] = seq;
    this.bPrice[i] = price;
    this.bQty[i] = qty;
    this.bT0[i] = t0;
    this.counters.buffered++;
  }

  private compactBuffer(): void {
    let j = 0;
    for (let i = 0; i < this.bLen; i++) {
      if (this.bSym[i] === 0) continue;
      if (i !== j) {
        this.bSym[j] = this.bSym[i]!;
        this.bKind[j] = this.bKind[i]!;
        this.bSide[j] = this.bSide[i]!;
        this.bSeq[j] = this.bSeq[i]!;
        this.bPrice[j] = this.bPrice[i]!;
        this.bQty[j] = this.bQty[i]!;
        this.bT0[j] = this.bT0[i]!;
      }
      j++;
    }
    this.bLen = j;
  }

  /** Replay the buffered frames of `s` after its snapshot: skip ≤ last, apply last + 1, stop at a new gap. */
  private replay(s: number): void {
    for (let i = 0; i < this.bLen; i++) {
      if (this.bSym[i] !== s) continue;
      const seq = this.bSeq[i]!;
      const last = this.lastSeqOf[s]!;
      if (seq > last + 1) {
        this.gap(s, this.bT0[i]!); // entries from here on stay buffered for the next snapshot
        return;
      }
      this.bSym[i] = 0;
      if (seq <= last) continue;
      this.lastSeqOf[s] = seq;
      this.lastT0Of[s] = this.bT0[i]!;
      if (this.bKind[i] === KIND_DELTA) this.applyDelta(s, this.bSide[i]!, this.bPrice[i]!, this.bQty[i]!, seq, this.bT0[i]!);
    }
  }

  private onSnapshot(view: DataView, at: number, t0: number): void {
    const s = this.definedSymbol(view, at);
    if (s === 0) return;
    this.counters.snapshots++;
    const lastSeq = snapshotLastSeq(view, at);
    if (this.stateOf[s] === LIVE) {
      const last = this.lastSeqOf[s]!;
      if (lastSeq < last) {
        this.counters.staleSnapshots++;
        return;
      }
      if (lastSeq === last) {
        this.counters.audits++;
        if (this.audit(s, view, at)) return;
        this.counters.auditMismatches++;
        this.log.log(`symbol ${s}: book differs from the venue's snapshot at seq ${lastSeq}: reloading`);
      } else {
        this.counters.aheadSnapshots++;
      }
      this.live--;
      this.stateOf[s] = SYNCING;
    }
    this.load(s, view, at, lastSeq, t0);
    this.stateOf[s] = LIVE;
    this.live++;
    if (this.afterGap[s] === 1) {
      this.afterGap[s] = 0;
      this.counters.resyncs++;
    }
    this.events.onBookReset?.(s, lastSeq, t0);
    this.replay(s);
    if (this.stateOf[s] === LIVE) this.events.onStale?.(s, false);
    if (this.live === this.symbolCount && this.defined === this.symbolCount) this.synced();
  }

  private load(s: number, view: DataView, at: number, lastSeq: number, t0: number): void {
    this.lastSeqOf[s] = lastSeq;
    this.lastT0Of[s] = t0;
    const off = this.bookOff[s]!;
    if (off < 0) return;
    const core = this.core;
    core.bookClear(off);
    const nb = snapshotBidLevels(view, at);
    const na = snapshotAskLevels(view, at);
    // Keep the touch inside the window; recentre on it when the snapshot's best prices lie outside.
    const levels = this.bookLevelsOf[s]!;
    const base = core.bookBasePrice(off);
    const bb = nb > 0 ? snapshotBidPrice(view, at, 0) : 0;
    const ba = na > 0 ? snapshotAskPrice(view, at, 0) : 0;
    if ((bb !== 0 && (bb < base || bb >= base + levels)) || (ba !== 0 && (ba < base || ba >= base + levels))) {
      const centre = bb !== 0 && ba !== 0 ? (bb + ba) >> 1 : bb !== 0 ? bb : ba;
      const nbase = this.windowBase(s, centre, levels);
      if (nbase !== base) {
        core.bookRecenter(off, nbase);
        this.counters.recenters++;
      }
    }
    for (let i = 0; i < nb; i++) {
      if (core.bookSet(off, Side.BUY, snapshotBidPrice(view, at, i), snapshotBidQty(view, at, i)) !== BookStatus.OK) this.counters.outOfBand++;
    }
    for (let i = 0; i < na; i++) {
      if (core.bookSet(off, Side.SELL, snapshotAskPrice(view, at, i), snapshotAskQty(view, at, i)) !== BookStatus.OK) this.counters.outOfBand++;
    }
  }

  /** True when the book's best auditDepth levels per side equal the snapshot's. */
  private audit(s: number, view: DataView, at: number): boolean {
    const off = this.bookOff[s]!;
    if (off < 0 || this.auditDepth === 0) return true;
    const d = this.auditDepth;
    const counts = this.core.bookSnapshot(off, this.scratchOffset, d);
    const rows = this.scratchRows();
    const nb = Math.min(d, snapshotBidLevels(view, at));
    const na = Math.min(d, snapshotAskLevels(view, at));
    if ((counts & 0xffff) !== nb || counts >>> 16 !== na) return false;
    for (let i = 0; i < nb; i++) {
      if (rows[i * 4] !== snapshotBidPrice(view, at, i) || rows[i * 4 + 1] !== snapshotBidQty(view, at, i)) return false;
    }
    for (let i = 0; i < na; i++) {
      if (rows[i * 4 + 2] !== snapshotAskPrice(view, at, i) || rows[i * 4 + 3] !== snapshotAskQty(view, at, i)) return false;
    }
    return true;
  }

  private onSymbolDefinition(view: DataView, at: number): void {
    const s = mdSymbolOf(view, at);
    const count = symbolDefinitionCount(view, at);
    if (this.symbolCount !== 0 && count !== this.symbolCount) {
      this.badFrame(view, at, `SymbolDefinition of ${s} says ${count} symbols, the directory ${this.symbolCount}`);
      return;
    }
    if (this.symbolCount === 0) {
      this.symbolCount = count;
      this.ensureCapacity(count + 1);
    }
    const name = symbolDefinitionName(view, at);
    const region = this.memory.books[name];
    const bandLow = symbolDefinitionBandLow(view, at);
    const bandHigh = symbolDefinitionBandHigh(view, at);
    const refPrice = symbolDefinitionRefPrice(view, at);
    const info: SymbolInfo = {
      id: s, name, tickPaise: symbolDefinitionTickPaise(view, at), lotSize: symbolDefinitionLotSize(view, at),
      bandLow, bandHigh, refPrice, bookOffset: region ? region.offset : -1,
    };
    if (this.stateOf[s] === UNDEFINED) this.defined++;
    else if (this.stateOf[s] === LIVE) this.live--;
    this.infos[s] = info;
    this.stateOf[s] = SYNCING;
    this.lastSeqOf[s] = 0;
    this.lastT0Of[s] = 0;
    this.afterGap[s] = 0;
    this.requestedAt[s] = monoNs();
    this.bandLowOf[s] = bandLow;
    this.bandHighOf[s] = bandHigh;
    if (region) {
      this.bookOff[s] = region.offset;
      this.bookLevelsOf[s] = region.levels;
      const base = bandHigh - bandLow + 1 <= region.levels ? bandLow : this.windowBase(s, refPrice, region.levels);
      const status = this.core.bookInit(region.offset, region.levels, base);
      if (status !== BookStatus.OK) {
        this.bookOff[s] = -1;
        this.infos[s] = { ...info, bookOffset: -1 };
        this.log.log(`symbol ${s} ${name}: bookInit(${region.levels} levels from ${base}) failed with status ${status}: not booked`);
      }
    } else {
      this.bookOff[s] = -1;
      this.bookLevelsOf[s] = 0;
      this.log.log(`symbol ${s} ${name}: no book region in the memory map: sequenced, not booked`);
    }
  }

  private ensureCapacity(n: number): void {
    if (n <= this.cap) return;
    const grow = <A extends Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array>(a: A, make: (n: number) => A): A => {
      const b = make(n);
      b.set(a as never);
      return b;
    };
    this.stateOf = grow(this.stateOf, (k) => new Uint8Array(k));
    this.lastSeqOf = grow(this.lastSeqOf, (k) => new Float64Array(k));
    this.lastT0Of = grow(this.lastT0Of, (k) => new Float64Array(k));
    this.bookOff = grow(this.bookOff, (k) => new Int32Array(k));
    this.bookLevelsOf = grow(this.bookLevelsOf, (k) => new Int32Array(k));
    this.bandLowOf = grow(this.bandLowOf, (k) => new Int32Array(k));
    this.bandHighOf = grow(this.bandHighOf, (k) => new Int32Array(k));
    this.requestedAt = grow(this.requestedAt, (k) => new Float64Array(k));
    this.afterGap = grow(this.afterGap, (k) => new Uint8Array(k));
    this.skipDeltas = grow(this.skipDeltas, (k) => new Uint32Array(k));
    this.cap = n;
  }

  /** The scratch rows as i32s (a view made again only if the memory's buffer changed). */
  private scratchRows(): Int32Array {
    const buffer = this.core.memory.buffer;
    if (this.rows === null || this.rows.buffer !== buffer) this.rows = new Int32Array(buffer, this.scratchOffset, SNAPSHOT_DEPTH * 4);
    return this.rows;
  }

  private synced(): void {
    if (!this.syncedOnce) {
      this.syncedOnce = true;
      this.backoff.reset();
      this.events.onSynced?.();
    }
    const waiters = this.syncWaiters;
    this.syncWaiters = [];
    for (const w of waiters) {
      clearTimeout(w.timer);
      w.resolve();
    }
  }
}

// Order gateway: the order-entry side of the venue protocol (docs/protocol.md, "Session (OE)",
// "Orders", "Execution reports").
//
// One TCP session: connect() sends Login and resolves on LoginAck (or rejects with a typed error:
// LoginRejectedError for the venue's Logout/Reject refusal, GatewayTimeoutError, ConnectionLostError).
// Then newOrder / cancel / replace encode straight into a preallocated send slab and return the
// request's client order id (monotonic across the gateway's life, so unique in every session).
// Execution reports go to an ExecutionEvents object as primitive arguments; nothing is allocated per
// report. close() sends Logout and waits for the venue's Logout (its SESSION_END cancels come first).
//
// Latency points (ARCHITECTURE.md): T4 = monoNs() right after the request's bytes were handed to the
// socket (socket.write returned; when Node could not write at once the bytes are queued in-process,
// and T4 is still the hand-off time); T5 = monoNs() at the socket read that brought the answer. Every
// request's first answer (Ack/Reject for NewOrder, Canceled/Reject for Cancel, Replaced/Reject for
// Replace — all carry the request's clOrdId) reports rttNs = T5 − T4; unsolicited reports (fills,
// IOC remainders, session-end cancels) report rttNs = −1.
//
// Writes. Frames are encoded at the end of one slab (1 MiB by default) and written with one
// socket.write per flush; each frame's header sendNs is set to the clock just before that write. Sends made while an inbound chunk is being dispatched (i.e. from inside
// an ExecutionEvents callback) are batched and flushed once at the end of the chunk; so are sends
// between cork() and uncork(). A slab region is only reused once the socket reports nothing queued
// (writableLength 0: the kernel has the bytes), so a pending write never sees its bytes change.
//
// Requests in flight: a table of maxInFlight slots indexed by clOrdId mod maxInFlight holds each
// request's T4 and type until its first answer. A request older than requestTimeoutMs without one
// is reported once through onTimeout and its slot freed for reuse; if the answer still comes later it
// is delivered normally (counted in `lateAnswers`). A send that would overwrite a slot still waiting
// throws InFlightLimitError.
//
// Session rules: the gateway numbers its frames 1, 2, … from Login and checks the venue's numbering
// (a gap is a broken session: doc "Sequence numbers"); sends a Heartbeat when it has sent nothing for
// the granted interval; ends the session with Logout HEARTBEAT_TIMEOUT when the venue has sent nothing
// for 3 intervals. A bad frame from the venue (framing, validation, wrong route, sequence) ends the
// session (PROTOCOL_ERROR); a frame of an unknown type is skipped and logged. After onSessionEnd no
// more reports come; the venue cancels the session's resting orders (cancel on disconnect), and
// requests still waiting get no answer. connect() may be called again for a new session.
import net from 'node:net';
import {
  DisconnectReason,
  FrameReader,
  MessageType,
  RejectReason,
  Route,
  ackExchOrderId,
  ackPrice,
  ackQty,
  ackSide,
  ackSymbol,
  canceledExchOrderId,
  canceledOrigClOrdId,
  canceledQty,
  canceledReason,
  canceledSide,
  canceledSymbol,
  clOrdIdOf,
  describeDisconnectReason,
  describeRejectReason,
  encodeCancel,
  encodeHeartbeat,
  encodeLogin,
  encodeLogout,
  encodeNewOrder,
  encodeReplace,
  fillExchOrderId,
  fillFlags,
  fillLeavesQty,
  fillPrice,
  fillQty,
  fillSide,
  fillSymbol,
  fillTradeId,
  frameSeq,
  frameType,
  loginAckHeartbeatMs,
  loginAckSessionId,
  logoutDetail,
  logoutReason,
  messageName,
  rejectDetail,
  rejectReason,
  rejectRefType,
  replacedExchOrderId,
  replacedLeavesQty,
  replacedOldExchOrderId,
  replacedOrigClOrdId,
  replacedPrice,
  replacedQty,
  replacedSide,
  replacedSymbol,
  routeAllows,
  validateFrame,
} from '../../protocol/index.js';
import { monoNs } from '../../platform/clock.js';
import { RateLimitedLog, stderrSink, type LogSink } from '../../platform/rate-limited-log.js';
import {
  ConnectionLostError,
  GatewayTimeoutError,
  InFlightLimitError,
  LoginRejectedError,
  NotConnectedError,
  NotLoggedInError,
} from './gateway-errors.js';

export interface GatewayConfig {
  /** Venue host (default 127.0.0.1) and OE port. */
  readonly host?: string;
  readonly port: number;
  readonly userId: number;
  readonly token: string;
  /** Requested heartbeat interval, 100..60 000 ms (default 1000); the venue's grant is used. */
  readonly heartbeatMs?: number;
  /** A request with no first answer after this long → onTimeout (default 1000). */
  readonly requestTimeoutMs?: number;
  /** connect() gives up after this long without LoginAck (default 5000). */
  readonly loginTimeoutMs?: number;
  /** close() stops waiting for the venue's Logout after this long (default 2000). */
  readonly logoutTimeoutMs?: number;
  /** Requests awaiting their first answer, a power of two (default 65 536). */
  readonly maxInFlight?: number;
  /** The first client order id (default 1). */
  readonly firstClOrdId?: number;
  /** Send slab bytes (default 1 MiB). */
  readonly sendBufferBytes?: number;
  /** Where log lines go (default stderr), at most 10 a second. */
  readonly log?: LogSink;
}

/**
 * Execution reports and session events. t5 = monoNs() at the socket read; rttNs = T5 − T4 of the
 * request this report answers, −1 when it answers none (unsolicited) or T4 is unknown.
 */
export interface ExecutionEvents {
  onAck(clOrdId: number, exchOrderId: number, symbol: number, side: number, price: number, qty: number,
    rttNs: number, t5: number): void;
  /** clOrdId 0: the refused frame had none (e.g. a Heartbeat); refType is its type byte. */
  onReject(clOrdId: number, reason: number, detail: number, refType: number, rttNs: number, t5: number): void;
  onFill(clOrdId: number, exchOrderId: number, tradeId: number, symbol: number, side: number, price: number, qty: number,
    leavesQty: number, flags: number, t5: number): void;
  /** clOrdId: the Cancel's id when solicited, else the order's own (origClOrdId = the order's id). */
  onCanceled(clOrdId: number, origClOrdId: number, exchOrderId: number, symbol: number, side: number, canceledQty: number,
    reason: number, rttNs: number, t5: number): void;
  onReplaced(clOrdId: number, origClOrdId: number, oldExchOrderId: number, exchOrderId: number, symbol: number,
    side: number, price: number, qty: number, leavesQty: number, rttNs: number, t5: number): void;
  /** No first answer within requestTimeoutMs; `type` is MessageType.NewOrder, Cancel or Replace. */
  onTimeout(clOrdId: number, type: number, t4: number): void;
  /** The session is over: a DisconnectReason (the venue's Logout, or ours) or a GatewayEnd local code. */
  onSessionEnd(reason: number, detail: number, byVenue: boolean): void;
}

/** ExecutionEvents that ignore everything: extend it and override what you need. */
export class NullExecutionEvents implements ExecutionEvents {
  onAck(_clOrdId: number, _exchOrderId: number, _symbol: number, _side: number, _price: number, _qty: number,
    _rttNs: number, _t5: number): void {}
  onReject(_clOrdId: number, _reason: number, _detail: number, _refType: number, _rttNs: number, _t5: number): void {}
  onFill(_clOrdId: number, _exchOrderId: number, _tradeId: number, _symbol: number, _side: number, _price: number,
    _qty: number, _leavesQty: number, _flags: number, _t5: number): void {}
  onCanceled(_clOrdId: number, _origClOrdId: number, _exchOrderId: number, _symbol: number, _side: number,
    _canceledQty: number, _reason: number, _rttNs: number, _t5: number): void {}
  onReplaced(_clOrdId: number, _origClOrdId: number, _oldExchOrderId: number, _exchOrderId: number, _symbol: number,
    _side: number, _price: number, _qty: number, _leavesQty: number, _rttNs: number, _t5: number): void {}
  onTimeout(_clOrdId: number, _type: number, _t4: number): void {}
  onSessionEnd(_reason: number, _detail: number, _byVenue: boolean): void {}
}

/** onSessionEnd reasons that are not the venue's DisconnectReasons. */
export const GatewayEnd = {
  /** The connection closed without a Logout. */
  CONNECTION_LOST: 100,
  /** The venue sent a bad frame or broke its sequence. */
  PROTOCOL_ERROR: 101,
} as const;

export const SessionState = { DISCONNECTED: 0, CONNECTING: 1, LOGGING_IN: 2, LOGGED_IN: 3, LOGGING_OUT: 4 } as const;

export interface SessionInfo {
  readonly sessionId: number;
  /** The heartbeat interval the venue granted, ms. */
  readonly heartbeatMs: number;
}

export class GatewayCounters {
  newOrders = 0;
  cancels = 0;
  replaces = 0;
  /** socket.write calls (one per flush). */
  writes = 0;
  heartbeatsSent = 0;
  acks = 0;
  rejects = 0;
  fills = 0;
  canceled = 0;
  replaced = 0;
  heartbeatsReceived = 0;
  timeouts = 0;
  /** First answers that came after their request's timeout. */
  lateAnswers = 0;
  badFrames = 0;
  unknownFrames = 0;
  /** Send slabs replaced because the socket still held the old one's bytes. */
  slabSwaps = 0;
  /** Exceptions thrown by ExecutionEvents handlers (logged, then the session goes on). */
  handlerErrors = 0;
}

const S = SessionState;
const T = MessageType;
const FREE = 0;
const PENDING = 1;
const TIMED_OUT = 2;

export class OrderGateway {
  readonly counters = new GatewayCounters();
  state: number = S.DISCONNECTED;
  sessionId = 0;
  /** Granted heartbeat interval, ms (0 before LoginAck). */
  heartbeatMs = 0;
  /** Requests sent and not yet answered or timed out. */
  inFlight = 0;

  private socket: net.Socket | null = null;
  private readonly reader = new FrameReader();
  private generation = 0;
  private seqOut = 0;
  private seqIn = 0;
  private nextId: number;
  /** Oldest clOrdId that may still be PENDING (the timeout scan starts here). */
  private oldestId: number;
  /** Requests from this id on are encoded but not yet written (no T4 yet). */
  private unflushedId: number;
  private corked = 0;
  private lastSendNs = 0;
  private lastRecvNs = 0;
  private timer: NodeJS.Timeout | null = null;

  // Send slab: [outStart, outEnd) encoded, not yet written.
  private out: Buffer;
  private outView: DataView;
  private outStart = 0;
  private outEnd = 0;

  // Requests in flight, by clOrdId mod cap.
  private readonly cap: number;
  private readonly pId: Float64Array;
  private readonly pT4: Float64Array;
  private readonly pType: Uint8Array;
  private readonly pState: Uint8Array;

  private readonly host: string;
  private readonly requestTimeoutNs: number;
  private readonly log: RateLimitedLog;
  private loginWait: { resolve: (s: SessionInfo) => void; reject: (e: Error) => void; timer: NodeJS.Timeout } | null = null;
  private logoutWait: { resolve: () => void; timer: NodeJS.Timeout } | null = null;

  constructor(readonly config: GatewayConfig, readonly events: ExecutionEvents = new NullExecutionEvents()) {
    this.host = config.host ?? '127.0.0.1';
    this.requestTimeoutNs = (config.requestTimeoutMs ?? 1000) * 1e6;
    const cap = config.maxInFlight ?? 65536;
    if (!(cap >= 2 && (cap & (cap - 1)) === 0)) throw new RangeError(`maxInFlight must be a power of two ≥ 2, got ${cap}`);
    this.cap = cap;
    this.pId = new Float64Array(cap);
    this.pT4 = new Float64Array(cap);
    this.pType = new Uint8Array(cap);
    this.pState = new Uint8Array(cap);
    const first = config.firstClOrdId ?? 1;
    if (!Number.isSafeInteger(first) || first < 1) throw new RangeError(`firstClOrdId must be an id ≥ 1, got ${first}`);
    this.nextId = this.oldestId = this.unflushedId = first;
    this.out = Buffer.allocUnsafeSlow(config.sendBufferBytes ?? 1 << 20);
    this.outView = new DataView(this.out.buffer, this.out.byteOffset, this.out.byteLength);
    this.log = new RateLimitedLog(`gateway ${this.host}:${config.port} user ${config.userId}`, config.log ?? stderrSink);
  }

  get isLoggedIn(): boolean {
    return this.state === S.LOGGED_IN;
  }

  /** Bytes handed to the socket that the kernel has not taken yet (the venue is not reading fast enough). */
  get backlogBytes(): number {
    return this.socket === null ? 0 : this.socket.writableLength;
  }

  /** The id the next request will get. */
  get nextClOrdId(): number {
    return this.nextId;
  }

  // ── session ────────────────────────────────────────────────────────────────────────────────────

  /** Connect and log in. Rejects with LoginRejectedError, GatewayTimeoutError or ConnectionLostError. */
  connect(): Promise<SessionInfo> {
    if (this.state !== S.DISCONNECTED) return Promise.reject(new Error(`connect: session is not disconnected (state ${this.state})`));
    const gen = ++this.generation;
    this.state = S.CONNECTING;
    this.seqOut = this.seqIn = 0;
    this.sessionId = this.heartbeatMs = 0;
    this.reader.reset();
    this.outStart = this.outEnd = 0;
    this.corked = 0;
    const loginTimeoutMs = this.config.loginTimeoutMs ?? 5000;
    const socket = net.createConnection({ host: this.host, port: this.config.port, noDelay: true });
    this.socket = socket;
    const done = new Promise<SessionInfo>((resolve, reject) => {
      this.loginWait = {
        resolve, reject,
        timer: setTimeout(() => this.failLogin(new GatewayTimeoutError('login', loginTimeoutMs)), loginTimeoutMs),
      };
    });
    socket.on('connect', () => {
      if (gen !== this.generation) return;
      this.state = S.LOGGING_IN;
      const at = this.reserve(40);
      this.outEnd += encodeLogin(this.outView, at, ++this.seqOut, 0n, this.config.userId, this.config.heartbeatMs ?? 1000,
        this.config.token);
      this.flush();
    });
    socket.on('data', (chunk: Buffer) => {
      if (gen === this.generation) this.onData(chunk);
    });
    socket.on('error', (err) => {
      if (gen !== this.generation) return;
      if (this.state === S.LOGGED_IN) this.log.log(`socket error: ${err.message}`);
      this.ended(GatewayEnd.CONNECTION_LOST, 0, false, err.message);
    });
    socket.on('close', () => {
      if (gen === this.generation) this.ended(GatewayEnd.CONNECTION_LOST, 0, false, 'closed by peer');
    });
    return done;
  }

  /** Log out (the venue cancels resting orders, reports them, answers Logout and closes) and close. */
  close(): Promise<void> {
    if (this.state === S.DISCONNECTED) return Promise.resolve();
    if (this.state !== S.LOGGED_IN) {
      this.ended(GatewayEnd.CONNECTION_LOST, 0, false, 'closed before login');
      return Promise.resolve();
    }
    this.state = S.LOGGING_OUT;
    const at = this.reserve(24);
    this.outEnd += encodeLogout(this.outView, at, ++this.seqOut, 0n, DisconnectReason.LOGOUT, 0);
    this.flush();
    const ms = this.config.logoutTimeoutMs ?? 2000;
    return new Promise<void>((resolve) => {
      this.logoutWait = {
        resolve,
        timer: setTimeout(() => {
          this.log.log(`no Logout from the venue within ${ms} ms: closing`);
          this.ended(DisconnectReason.LOGOUT, 0, false, 'logout timeout');
        }, ms),
      };
    });
  }

  /** Drop the connection now, without Logout (the venue cancels resting orders on disconnect). */
  destroy(): void {
    if (this.state !== S.DISCONNECTED) this.ended(GatewayEnd.CONNECTION_LOST, 0, false, 'destroyed', false);
  }

  // ── requests (hot path) ────────────────────────────────────────────────────────────────────────

  /** Send a NewOrder; returns its clOrdId. Side 0 buy / 1 sell, kind 0 limit / 1 market, tif 0 GTC / 1 IOC / 2 post-only. */
  newOrder(symbol: number, side: number, kind: number, tif: number, price: number, qty: number): number {
    const id = this.claim(T.NewOrder);
    const at = this.reserve(40);
    this.outEnd += encodeNewOrder(this.outView, at, ++this.seqOut, 0n, id, symbol, side, kind, tif, price, qty);
    this.counters.newOrders++;
    if (this.corked === 0) this.flush();
    return id;
  }

  /** Send a Cancel of the order whose current clOrdId is `origClOrdId`; returns the Cancel's clOrdId. */
  cancel(origClOrdId: number): number {
    const id = this.claim(T.Cancel);
    const at = this.reserve(32);
    this.outEnd += encodeCancel(this.outView, at, ++this.seqOut, 0n, id, origClOrdId);
    this.counters.cancels++;
    if (this.corked === 0) this.flush();
    return id;
  }

  /** Send a Replace (qty = new total including fills); returns the order's new clOrdId. */
  replace(origClOrdId: number, price: number, qty: number): number {
    const id = this.claim(T.Replace);
    const at = this.reserve(40);
    this.outEnd += encodeReplace(this.outView, at, ++this.seqOut, 0n, id, origClOrdId, price, qty);
    this.counters.replaces++;
    if (this.corked === 0) this.flush();
    return id;
  }

  /** Hold sends until uncork() (nestable): many requests, one socket write. */
  cork(): void {
    this.corked++;
  }

  uncork(): void {
    if (this.corked > 0 && --this.corked === 0) this.flush();
  }

  /** The request's T4 while it awaits its first answer, else 0. */
  sentAt(clOrdId: number): number {
    const slot = clOrdId % this.cap;
    return this.pId[slot] === clOrdId && this.pState[slot] === PENDING ? this.pT4[slot]! : 0;
  }

  private claim(type: number): number {
    if (this.state !== S.LOGGED_IN) {
      throw this.state === S.DISCONNECTED || this.state === S.CONNECTING
        ? new NotConnectedError(messageName(type))
        : new NotLoggedInError(messageName(type));
    }
    const id = this.nextId;
    const slot = id % this.cap;
    if (this.pState[slot] === PENDING) throw new InFlightLimitError(this.cap);
    this.nextId = id + 1;
    this.pId[slot] = id;
    this.pT4[slot] = 0;
    this.pType[slot] = type;
    this.pState[slot] = PENDING;
    this.inFlight++;
    return id;
  }

  /** Where the next frame of `bytes` goes in the slab. */
  private reserve(bytes: number): number {
    const socket = this.socket!;
    if (this.outStart === this.outEnd && socket.writableLength === 0) this.outStart = this.outEnd = 0;
    if (this.outEnd + bytes > this.out.length) {
      this.flush();
      if (socket.writableLength !== 0) {
        // The socket still holds views into this slab: continue in a new one.
        this.out = Buffer.allocUnsafeSlow(this.out.length);
        this.outView = new DataView(this.out.buffer, this.out.byteOffset, this.out.byteLength);
        this.counters.slabSwaps++;
      }
      this.outStart = this.outEnd = 0;
    }
    return this.outEnd;
  }

  private flush(): void {
    if (this.outEnd === this.outStart || this.socket === null) return;
    // Header sendNs (frames were encoded with 0): the clock now, as two u32 stores — no BigInt.
    const now = monoNs();
    const lo = now >>> 0;
    const hi = Math.floor(now / 4294967296);
    const v = this.outView;
    for (let at = this.outStart; at < this.outEnd; at += v.getUint16(at, true)) {
      v.setUint32(at + 8, lo, true);
      v.setUint32(at + 12, hi, true);
    }
    this.socket.write(this.out.subarray(this.outStart, this.outEnd));
    const t4 = monoNs();
    this.counters.writes++;
    this.outStart = this.outEnd;
    this.lastSendNs = t4;
    for (let id = this.unflushedId; id < this.nextId; id++) this.pT4[id % this.cap] = t4;
    this.unflushedId = this.nextId;
  }

  // ── inbound ────────────────────────────────────────────────────────────────────────────────────

  private onData(chunk: Buffer): void {
    const t5 = monoNs();
    this.lastRecvNs = t5;
    const reader = this.reader;
    const gen = this.generation;
    reader.push(chunk);
    this.corked++;
    let n = reader.next();
    for (; n > 0; n = reader.next()) {
      try {
        this.onFrame(reader.view, reader.at, n, t5);
      } catch (err) {
        // A throwing handler is the caller's bug: the gateway's own state is already updated, so
        // log it and go on with the session rather than let it escape from a socket event.
        this.counters.handlerErrors++;
        this.log.log(`an ExecutionEvents handler threw: ${(err as Error)?.stack ?? String(err)}`);
      }
      if (gen !== this.generation) return; // the frame ended the session
    }
    this.corked--;
    if (n < 0) {
      this.protocolError(`framing error: length field ${reader.errorDetail} (BAD_LENGTH)`);
      return;
    }
    if (this.corked === 0) this.flush();
  }

  private onFrame(view: DataView, at: number, n: number, t5: number): void {
    const err = validateFrame(view, at, n);
    const type = frameType(view, at);
    if (err !== 0 && err !== RejectReason.UNKNOWN_TYPE) {
      this.protocolError(`${messageName(type)} failed validation: ${describeRejectReason(err)}`);
      return;
    }
    const seq = frameSeq(view, at);
    if (seq !== this.seqIn + 1) {
      this.protocolError(`venue seq ${seq} where ${this.seqIn + 1} was expected`);
      return;
    }
    this.seqIn = seq;
    if (err !== 0) {
      this.counters.unknownFrames++;
      this.log.log(`skipped a frame of unknown ${messageName(type)}`);
      return;
    }
    if (!routeAllows(type, Route.OE_FROM_VENUE)) {
      this.protocolError(`${messageName(type)} is not a venue → client OE message`);
      return;
    }
    if (this.state !== S.LOGGED_IN && this.state !== S.LOGGING_OUT) {
      this.onLoginAnswer(view, at, type);
      return;
    }
    const ev = this.events;
    switch (type) {
      case T.Ack: {
        this.counters.acks++;
        const id = clOrdIdOf(view, at);
        ev.onAck(id, ackExchOrderId(view, at), ackSymbol(view, at), ackSide(view, at), ackPrice(view, at), ackQty(view, at),
          this.answered(id, t5), t5);
        return;
      }
      case T.Fill:
        this.counters.fills++;
        ev.onFill(clOrdIdOf(view, at), fillExchOrderId(view, at), fillTradeId(view, at), fillSymbol(view, at), fillSide(view, at),
          fillPrice(view, at), fillQty(view, at), fillLeavesQty(view, at), fillFlags(view, at), t5);
        return;
      case T.Canceled: {
        this.counters.canceled++;
        const id = clOrdIdOf(view, at);
        ev.onCanceled(id, canceledOrigClOrdId(view, at), canceledExchOrderId(view, at), canceledSymbol(view, at),
          canceledSide(view, at), canceledQty(view, at), canceledReason(view, at), this.answered(id, t5), t5);
        return;
      }
      case T.Replaced: {
        this.counters.replaced++;
        const id = clOrdIdOf(view, at);
        ev.onReplaced(id, replacedOrigClOrdId(view, at), replacedOldExchOrderId(view, at), replacedExchOrderId(view, at),
          replacedSymbol(view, at), replacedSide(view, at), replacedPrice(view, at), replacedQty(view, at),
          replacedLeavesQty(view, at), this.answered(id, t5), t5);
        return;
      }
      case T.Reject: {
        this.counters.rejects++;
        const id = clOrdIdOf(view, at);
        const reason = rejectReason(view, at);
        if (id === 0) {
          this.log.log(`venue rejected our ${messageName(rejectRefType(view, at))}: ${describeRejectReason(reason)}` +
            ` (detail ${rejectDetail(view, at)})`);
        }
        ev.onReject(id, reason, rejectDetail(view, at), rejectRefType(view, at), id === 0 ? -1 : this.answered(id, t5), t5);
        return;
      }
      case T.Heartbeat:
        this.counters.heartbeatsReceived++;
        return;
      case T.Logout: {
        const reason = logoutReason(view, at);
        const detail = logoutDetail(view, at);
        if (reason !== DisconnectReason.LOGOUT || this.state !== S.LOGGING_OUT) {
          this.log.log(`venue ended the session: ${describeDisconnectReason(reason)} (detail ${detail})`);
        }
        this.ended(reason, detail, true);
        return;
      }
      case T.LoginAck:
        this.protocolError('LoginAck on a logged-in session');
        return;
    }
  }

  private onLoginAnswer(view: DataView, at: number, type: number): void {
    switch (type) {
      case T.LoginAck: {
        this.state = S.LOGGED_IN;
        this.sessionId = loginAckSessionId(view, at);
        this.heartbeatMs = loginAckHeartbeatMs(view, at);
        this.lastRecvNs = monoNs();
        const tickMs = Math.max(5, Math.min(50, this.heartbeatMs / 4, this.requestTimeoutNs / 4e6));
        this.timer = setInterval(() => this.tick(), tickMs);
        this.timer.unref();
        const w = this.loginWait;
        this.loginWait = null;
        if (w) {
          clearTimeout(w.timer);
          w.resolve({ sessionId: this.sessionId, heartbeatMs: this.heartbeatMs });
        }
        return;
      }
      case T.Logout:
        this.failLogin(new LoginRejectedError(logoutReason(view, at), logoutDetail(view, at), true));
        return;
      case T.Reject:
        this.failLogin(new LoginRejectedError(rejectReason(view, at), rejectDetail(view, at), false));
        return;
      case T.Heartbeat:
        return;
      default:
        this.protocolError(`${messageName(type)} before LoginAck`);
    }
  }

  /** The first answer to request `id`: free its slot, return T5 − T4 (−1 when it was not waiting). */
  private answered(id: number, t5: number): number {
    const slot = id % this.cap;
    const st = this.pState[slot]!;
    if (st === FREE || this.pId[slot] !== id) return -1;
    if (st === PENDING) this.inFlight--;
    else this.counters.lateAnswers++;
    this.pState[slot] = FREE;
    const t4 = this.pT4[slot]!;
    return t4 > 0 ? t5 - t4 : -1;
  }

  private tick(): void {
    if (this.state !== S.LOGGED_IN && this.state !== S.LOGGING_OUT) return;
    const now = monoNs();
    const hbNs = this.heartbeatMs * 1e6;
    if (now - this.lastRecvNs > 3 * hbNs) {
      this.log.log(`nothing from the venue for ${Math.round((now - this.lastRecvNs) / 1e6)} ms: ending the session`);
      const at = this.reserve(24);
      this.outEnd += encodeLogout(this.outView, at, ++this.seqOut, 0n, DisconnectReason.HEARTBEAT_TIMEOUT, 0);
      this.flush();
      this.ended(DisconnectReason.HEARTBEAT_TIMEOUT, 0, false);
      return;
    }
    if (now - this.lastSendNs >= hbNs - 5e6 && this.state === S.LOGGED_IN) {
      const at = this.reserve(16);
      this.outEnd += encodeHeartbeat(this.outView, at, ++this.seqOut, 0n);
      this.counters.heartbeatsSent++;
      this.flush();
    }
    // Requests time out in id order (one timeout for all, ids sent in order): scan from the oldest.
    while (this.oldestId < this.unflushedId) {
      const slot = this.oldestId % this.cap;
      if (this.pId[slot] !== this.oldestId || this.pState[slot] !== PENDING) {
        this.oldestId++;
        continue;
      }
      const t4 = this.pT4[slot]!;
      if (now - t4 < this.requestTimeoutNs) break;
      this.pState[slot] = TIMED_OUT;
      this.inFlight--;
      this.counters.timeouts++;
      this.oldestId++;
      this.events.onTimeout(this.pId[slot]!, this.pType[slot]!, t4);
      if (this.state !== S.LOGGED_IN && this.state !== S.LOGGING_OUT) return;
    }
  }

  private protocolError(why: string): void {
    this.counters.badFrames++;
    this.log.log(`bad frame from the venue (${why}): ending the session`);
    if (this.state === S.LOGGING_IN || this.state === S.CONNECTING) {
      this.failLogin(new ConnectionLostError('login', why));
      return;
    }
    this.ended(GatewayEnd.PROTOCOL_ERROR, 0, false, why);
  }

  private failLogin(err: Error): void {
    const w = this.loginWait;
    this.loginWait = null;
    if (w) {
      clearTimeout(w.timer);
      w.reject(err);
    }
    this.teardown();
  }

  /** The session is over: tear down, settle waiters, tell the handler (once). */
  private ended(reason: number, detail: number, byVenue: boolean, cause?: string, graceful = true): void {
    if (this.state === S.DISCONNECTED) return;
    const wasSession = this.state === S.LOGGED_IN || this.state === S.LOGGING_OUT;
    if (this.loginWait) {
      const w = this.loginWait;
      this.loginWait = null;
      clearTimeout(w.timer);
      w.reject(new ConnectionLostError('login', cause));
    }
    this.teardown(graceful);
    if (this.logoutWait) {
      const w = this.logoutWait;
      this.logoutWait = null;
      clearTimeout(w.timer);
      w.resolve();
    }
    if (wasSession) this.events.onSessionEnd(reason, detail, byVenue);
  }

  private teardown(graceful = true): void {
    this.generation++;
    this.state = S.DISCONNECTED;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      if (socket.writableLength !== 0) {
        // The old socket still holds views into the slab (a final Logout): the next session gets a new one.
        this.out = Buffer.allocUnsafeSlow(this.out.length);
        this.outView = new DataView(this.out.buffer, this.out.byteOffset, this.out.byteLength);
      }
      if (graceful) {
        // Let queued bytes go out, then close; never wait long for that.
        socket.end();
        setTimeout(() => socket.destroy(), 200).unref();
      } else {
        socket.destroy();
      }
    }
    // Requests still waiting will get no answer in this session.
    for (let id = this.oldestId; id < this.nextId; id++) {
      const slot = id % this.cap;
      if (this.pId[slot] === id) this.pState[slot] = FREE;
    }
    this.oldestId = this.unflushedId = this.nextId;
    this.inFlight = 0;
    this.corked = 0;
    this.outStart = this.outEnd = 0;
  }
}

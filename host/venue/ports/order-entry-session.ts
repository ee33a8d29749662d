// One order-entry connection: login, sequence numbers, heartbeats, the checks of docs/protocol.md
// ("Validation and errors") in their documented order, the session's orders by client order id, and
// the execution reports the matching engine produces for them.
//
// Check order for every client frame (the first failure decides):
//   1 length (FrameReader)        → Logout BAD_LENGTH, close
//   2 version                     → Login: Logout UNSUPPORTED_VERSION, close; else Reject BAD_VERSION
//   3 seq = expected              → Reject SEQUENCE_ERROR (detail = expected), seq not consumed
//   4 type known                  → Reject UNKNOWN_TYPE
//   5 type allowed from a client  → Reject UNEXPECTED_TYPE
//   6 logged in / not yet         → Reject NOT_LOGGED_IN / ALREADY_LOGGED_IN
//   7 Login credentials           → Logout BAD_CREDENTIALS / DUPLICATE_SESSION, close
//   8 field checks (validateBody) → Reject
//   9 venue state: halt, rate, inbound queue, band, lot, id unique, order known, replace qty > filled,
//     order pool, post-only cross → Reject
// A TestRequest (an RTT probe) is answered at once with a TestResponse of the same testId, through the
// same latency lines as orders and their reports; it is not an order: no rate window, no inbound-queue
// refusal, no audit line, no halt.
// Only a bad length and a refused Login disconnect; the venue also ends a session on login timeout,
// heartbeat timeout, sequence exhaustion, a slow consumer and shutdown, always with a Logout first.
//
// Cancel on disconnect: however the connection ends, the session's resting orders are canceled.
// On the client's own Logout they are canceled with a Canceled SESSION_END each before the Logout
// answer; otherwise no report can be delivered and none is sent.
import type { Socket } from 'node:net';
import {
  CancelReason,
  DisconnectReason,
  FillFlags,
  MessageType,
  OrderKind,
  PROTOCOL_VERSION,
  RejectReason,
  Route,
  TimeInForce,
  AckLayout,
  CanceledLayout,
  FillLayout,
  HeartbeatLayout,
  LoginAckLayout,
  LogoutLayout,
  RejectLayout,
  ReplacedLayout,
  cancelOrigClOrdId,
  clOrdIdOf,
  describeDisconnectReason,
  describeRejectReason,
  encodeAck,
  encodeCanceled,
  encodeFill,
  encodeHeartbeat,
  encodeLoginAck,
  encodeLogout,
  encodeReject,
  encodeReplaced,
  encodeTestResponse,
  frameBytes,
  frameSeq,
  frameType,
  frameVersion,
  isValidId,
  loginHeartbeatMs,
  loginToken,
  loginUserId,
  messageName,
  newOrderKind,
  newOrderPrice,
  newOrderQty,
  newOrderSide,
  newOrderSymbol,
  newOrderTif,
  replaceOrigClOrdId,
  replacePrice,
  replaceQty,
  routeAllows,
  testRequestId,
  TestResponseLayout,
  validateBody,
} from '../../protocol/index.js';
import { ConsumerBacklog } from './consumer-backlog.js';
import { FrameBatch } from './frame-batch.js';
import { NS_PER_MS, type Clock, type Timer } from '../../platform/clock.js';
import { InboundFrames, type InboundHandler } from './inbound-frames.js';
import { LatencyLine } from './latency-line.js';
import { LiveOrder, type OrderOwner } from '../market/live-order.js';
import type { MarketBook } from '../market/market-book.js';
import { OrderRateWindow } from './order-rate-window.js';
import type { Flushable, OutputCycle } from './output-cycle.js';
import { SeededRandom } from '../../platform/seeded-random.js';
import { UNSTAMPED, stampSendNs } from './send-stamp.js';
import type { SymbolMarket } from '../market/symbol-market.js';
import { UserCounters } from './user-counters.js';
import type { PortLatency, VenueConfig, VenueUser } from '../venue-config.js';
import type { VenueLog } from '../venue-log.js';
import { sendNsOf, type AuditedRequest, type VenueAudit } from '../venue-audit.js';

/** What a session needs from the order-entry port that owns it. */
export interface SessionContext {
  readonly config: VenueConfig;
  /** By symbol id − 1. */
  readonly books: readonly MarketBook[];
  /** By symbol id − 1; null for a symbol without matching (the replayed one: VENUE_HALTED). */
  readonly markets: readonly (SymbolMarket | null)[];
  readonly cycle: OutputCycle;
  readonly log: VenueLog;
  readonly clock: Clock;
  /** The port's injected latency now (it may change at run time: setLatency). */
  readonly latency: PortLatency;
  user(id: number): VenueUser | undefined;
  sessionOfUser(userId: number): OrderEntrySession | undefined;
  bindUser(userId: number, session: OrderEntrySession): void;
  unbindUser(userId: number, session: OrderEntrySession): void;
  nextSessionId(): number;
  /** The user's order-rate window: limits belong to the user, so it outlives the session. */
  orderRate(userId: number): OrderRateWindow;
  /** The user's counters: they outlive the session too. */
  countersOf(userId: number): UserCounters;
  /** The order-arrival audit, or null. */
  readonly audit: VenueAudit | null;
  /** The connection is gone; forget the session. */
  ended(session: OrderEntrySession): void;
}

const AWAITING_LOGIN = 0;
const ACTIVE = 1;
/** The venue sent its Logout; output drains, then the socket closes. */
const CLOSING = 2;
const CLOSED = 3;

/** Marker in the outbound line: end the socket once everything before it is written. */
const END = Symbol('end');
type Outbound = Buffer | typeof END;

const UNLIMITED = new OrderRateWindow(0);
/** Counts of a session not logged in yet (nothing is reported to it that a user would own). */
const NOBODY = new UserCounters(0);

const MAX_SEQ = 0xffffffff;
/** The venue's own numbers: stop this far before 2^32 − 1 so one burst of reports cannot wrap. */
const SEQ_MARGIN = 1 << 16;
/** The last seq the venue sends as usual on a session; the frame past it is the session's Logout. */
export const LAST_SEND_SEQ = MAX_SEQ - SEQ_MARGIN;
/** After its Logout, a peer that does not close is cut off after this long. */
const CLOSE_GRACE_MS = 2000;

export class OrderEntrySession implements OrderOwner, InboundHandler, Flushable {
  /** 0 until LoginAck; then the engine owner id of this session's orders. */
  ownerId = 0;
  private userId = 0;
  private state = AWAITING_LOGIN;
  private expectSeq = 1;
  private sendSeq = 1;
  private heartbeatMs = 0;
  private readonly connectedAt: number;
  private lastRecvAt: number;
  private lastSendAt: number;
  private readonly batch = new FrameBatch(1024);
  private readonly inbound: InboundFrames;
  private readonly outbound: LatencyLine<Outbound>;
  private readonly unsent: ConsumerBacklog;
  /** The logged-in user's window (orders are refused NOT_LOGGED_IN before it is consulted). */
  private rate = UNLIMITED;
  private counts = NOBODY;
  /** Live orders by their current client order id. */
  private readonly live = new Map<number, LiveOrder>();
  /** Every client order id this session has used (NewOrder, Cancel, Replace). */
  private readonly used = new Set<number>();
  private closeTimer: Timer | null = null;
  private readonly label: string;

  constructor(
    private readonly socket: Socket,
    private readonly ctx: SessionContext,
    connection: number,
    /** The venue's first outgoing seq (tests start near the end of the sequence space). */
    firstSendSeq = 1,
  ) {
    this.sendSeq = firstSendSeq;
    this.label = `oe#${connection} ${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    const { config, clock } = ctx;
    this.connectedAt = this.lastRecvAt = this.lastSendAt = this.nowMs();
    const jitter = new SeededRandom((config.latencySeed ^ Math.imul(connection, 0x9e3779b1)) >>> 0);
    this.inbound = new InboundFrames(ctx.latency.inbound, jitter, config.inboundQueueFrames, socket, this, clock);
    this.outbound = new LatencyLine<Outbound>(ctx.latency.outbound, jitter, (item) => this.write(item), clock);
    this.unsent = new ConsumerBacklog(socket, config.sendBufferBytes, (bytes) => this.slowConsumer(bytes));
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.guard('input', () => {
      if (this.inbound.data(chunk) > 0) this.lastRecvAt = this.inbound.lastReadMs;
    }));
    socket.on('end', () => this.guard('end', () => this.inbound.peerClosed()));
    socket.on('close', () => this.guard('close', () => {
      if (this.state < CLOSING) this.inbound.peerClosed();
      else this.teardown('closed after Logout');
    }));
    socket.on('error', (err) => this.ctx.log.event('socket-error', `${this.describe()}: ${err.message}`));
  }

  describe(): string {
    return this.ownerId === 0 ? this.label : `${this.label} user ${this.userId} session ${this.ownerId}`;
  }

  get loggedIn(): boolean {
    return this.state === ACTIVE;
  }

  /** The port's latency changed: frames from now on get the new delay, queued ones keep theirs. */
  setLatency(latency: PortLatency): void {
    this.inbound.setLatency(latency.inbound);
    this.outbound.setLatency(latency.outbound);
  }

  // ── input ─────────────────────────────────────────────────────────────────────────────────────

  /** Runs `work`, then flushes output. An exception ends this session only, and is logged. */
  private guard(what: string, work: () => void): void {
    try {
      work();
    } catch (err) {
      this.fail(what, err);
    }
    this.ctx.cycle.flush();
  }

  private fail(what: string, err: unknown): void {
    this.ctx.log.event('internal', `${this.describe()}: ${what} failed, dropping the connection: ${(err as Error).stack ?? String(err)}`);
    try {
      this.teardown('internal error');
    } catch (again) {
      this.ctx.log.event('internal', `${this.describe()}: teardown failed too: ${(again as Error).stack ?? String(again)}`);
    }
    this.socket.destroy();
  }

  /** A frame out of the inbound delay line (not inside a socket event): flush what it produced. */
  afterDelayed(): void {
    this.ctx.cycle.flush();
  }

  onFrame(view: DataView, at: number, throttled: boolean): void {
    if (this.state >= CLOSING) return;
    try {
      this.handleFrame(view, at, throttled);
    } catch (err) {
      this.fail(`frame ${messageName(frameType(view, at))}`, err);
    }
  }

  private handleFrame(view: DataView, at: number, throttled: boolean): void {
    const type = frameType(view, at);
    const seq = frameSeq(view, at);
    const clOrdId = this.clOrdIdIn(view, at, type);
    // 2: version
    if (frameVersion(view, at) !== PROTOCOL_VERSION) {
      if (type === MessageType.Login) {
        this.disconnect(DisconnectReason.UNSUPPORTED_VERSION, frameVersion(view, at), 'Login with another protocol version');
      } else {
        this.refuse(clOrdId, seq, type, RejectReason.BAD_VERSION, 0);
      }
      return;
    }
    // 3: sequence
    if (seq !== this.expectSeq) {
      this.refuse(clOrdId, seq, type, RejectReason.SEQUENCE_ERROR, this.expectSeq);
      return;
    }
    this.expectSeq++;
    this.onSequenced(view, at, type, seq, clOrdId, throttled);
    if (this.state < CLOSING && (this.expectSeq > MAX_SEQ || this.sendSeq > LAST_SEND_SEQ)) {
      this.disconnect(DisconnectReason.SEQUENCE_EXHAUSTED, 0, 'sequence numbers used up');
    }
  }

  private onSequenced(view: DataView, at: number, type: number, seq: number, clOrdId: number, throttled: boolean): void {
    // 4, 5: type
    if (frameBytes(type) === 0) return this.refuse(0, seq, type, RejectReason.UNKNOWN_TYPE, type);
    if (!routeAllows(type, Route.OE_FROM_CLIENT)) return this.refuse(clOrdId, seq, type, RejectReason.UNEXPECTED_TYPE, 0);
    // 6, 7: session
    if (type === MessageType.Login) {
      if (this.state === ACTIVE) return this.refuse(0, seq, type, RejectReason.ALREADY_LOGGED_IN, 0);
      const userId = loginUserId(view, at);
      const user = this.ctx.user(userId);
      if (user === undefined || user.token !== loginToken(view, at)) {
        return this.disconnect(DisconnectReason.BAD_CREDENTIALS, 0, `Login of user ${userId}`);
      }
      if (this.ctx.sessionOfUser(userId) !== undefined) {
        return this.disconnect(DisconnectReason.DUPLICATE_SESSION, 0, `user ${userId} already has a session`);
      }
      const bad = validateBody(view, at, type, this.ctx.books.length);
      if (bad !== 0) return this.refuse(0, seq, type, bad, 0);
      return this.login(userId, loginHeartbeatMs(view, at));
    }
    if (this.state !== ACTIVE) return this.refuse(clOrdId, seq, type, RejectReason.NOT_LOGGED_IN, 0);
    // 8: fields
    const bad = validateBody(view, at, type, this.ctx.books.length);
    if (bad !== 0) return this.refuse(clOrdId, seq, type, bad, 0);
    // 9: venue state, per message
    switch (type) {
      case MessageType.Heartbeat:
        return;
      case MessageType.TestRequest:
        return this.testResponse(testRequestId(view, at));
      case MessageType.Logout:
        this.cancelAll(CancelReason.SESSION_END);
        return this.disconnect(DisconnectReason.LOGOUT, 0, 'client logged out');
      case MessageType.NewOrder:
        this.counts.orders++;
        if (this.ctx.audit !== null) this.auditRequest(this.ctx.audit, view, at, type, clOrdId);
        return this.newOrder(view, at, seq, clOrdId, throttled);
      case MessageType.Cancel:
        this.counts.cancels++;
        if (this.ctx.audit !== null) this.auditRequest(this.ctx.audit, view, at, type, clOrdId);
        return this.cancel(view, at, seq, clOrdId, throttled);
      case MessageType.Replace:
        this.counts.replaces++;
        if (this.ctx.audit !== null) this.auditRequest(this.ctx.audit, view, at, type, clOrdId);
        return this.replace(view, at, seq, clOrdId, throttled);
      default:
        return this.refuse(clOrdId, seq, type, RejectReason.UNEXPECTED_TYPE, 0);
    }
  }

  /** One order request into the audit, stamped with the socket read that brought it. */
  private auditRequest(audit: VenueAudit, view: DataView, at: number, type: number, clOrdId: number): void {
    let r: AuditedRequest;
    if (type === MessageType.NewOrder) {
      r = { type: 'new', clOrdId, origClOrdId: 0, symbol: newOrderSymbol(view, at), side: newOrderSide(view, at),
        price: newOrderPrice(view, at), qty: newOrderQty(view, at) };
    } else if (type === MessageType.Cancel) {
      const orig = cancelOrigClOrdId(view, at);
      const o = this.live.get(orig);
      r = { type: 'cancel', clOrdId, origClOrdId: orig, symbol: o?.symbol ?? 0, side: o?.side ?? 0, price: o?.price ?? 0,
        qty: o === undefined ? 0 : o.qty - o.cumQty };
    } else {
      const orig = replaceOrigClOrdId(view, at);
      const o = this.live.get(orig);
      r = { type: 'replace', clOrdId, origClOrdId: orig, symbol: o?.symbol ?? 0, side: o?.side ?? 0,
        price: replacePrice(view, at), qty: replaceQty(view, at) };
    }
    audit.request(this.inbound.frameArrivalNs, this.userId, this.ownerId, r, sendNsOf(view, at));
  }

  /** The frame's clOrdId for a Reject: orders only, and only a usable id (else 0). */
  private clOrdIdIn(view: DataView, at: number, type: number): number {
    if (type !== MessageType.NewOrder && type !== MessageType.Cancel && type !== MessageType.Replace) return 0;
    return isValidId(view, at + 16) ? clOrdIdOf(view, at) : 0;
  }

  private login(userId: number, requestedMs: number): void {
    const { config } = this.ctx;
    this.userId = userId;
    this.ownerId = this.ctx.nextSessionId();
    this.heartbeatMs = Math.min(config.heartbeatMaxMs, Math.max(config.heartbeatMinMs, requestedMs));
    this.state = ACTIVE;
    this.rate = this.ctx.orderRate(userId);
    this.counts = this.ctx.countersOf(userId);
    this.ctx.bindUser(userId, this);
    const at = this.batch.reserve(LoginAckLayout.bytes);
    encodeLoginAck(this.batch.view, at, this.nextSeq(), UNSTAMPED, this.ownerId, this.heartbeatMs);
    this.sent();
    this.ctx.log.info(`${this.describe()}: logged in, heartbeat ${this.heartbeatMs} ms`);
  }

  private newOrder(view: DataView, at: number, seq: number, clOrdId: number, throttled: boolean): void {
    const type = MessageType.NewOrder;
    const symbol = newOrderSymbol(view, at);
    const book = this.ctx.books[symbol - 1]!;
    const market = this.ctx.markets[symbol - 1] ?? null;
    const side = newOrderSide(view, at);
    const kind = newOrderKind(view, at);
    const tif = newOrderTif(view, at);
    const price = newOrderPrice(view, at);
    const qty = newOrderQty(view, at);
    if (market === null || book.halted) return this.refuse(clOrdId, seq, type, RejectReason.VENUE_HALTED, 0);
    if (!this.rate.allow(this.nowMs())) return this.refuse(clOrdId, seq, type, RejectReason.RATE_LIMITED, this.rate.limit);
    if (throttled) return this.refuse(clOrdId, seq, type, RejectReason.THROTTLED, 0);
    const spec = book.spec;
    if (kind === OrderKind.LIMIT && price < spec.bandLow) return this.refuse(clOrdId, seq, type, RejectReason.PRICE_OUT_OF_BAND, spec.bandLow);
    if (kind === OrderKind.LIMIT && price > spec.bandHigh) return this.refuse(clOrdId, seq, type, RejectReason.PRICE_OUT_OF_BAND, spec.bandHigh);
    if (qty % spec.lotSize !== 0) return this.refuse(clOrdId, seq, type, RejectReason.BAD_QTY, spec.lotSize);
    if (this.used.has(clOrdId)) return this.refuse(clOrdId, seq, type, RejectReason.DUPLICATE_CL_ORD_ID, 0);
    if (kind === OrderKind.LIMIT && tif !== TimeInForce.IOC && market.poolFull() && !market.crosses(side, price)) {
      return this.refuse(clOrdId, seq, type, RejectReason.POOL_FULL, 0);
    }
    // Post-only cross: the engine decides, against the book as it is when the order arrives.
    this.used.add(clOrdId);
    const order = new LiveOrder(this, clOrdId, symbol, side, kind, tif, kind === OrderKind.MARKET ? 0 : price, qty);
    this.live.set(clOrdId, order);
    const reason = market.submitClient(order);
    if (reason !== 0) {
      this.used.delete(clOrdId);
      this.live.delete(clOrdId);
      this.refuse(clOrdId, seq, type, reason, 0);
    }
  }

  private cancel(view: DataView, at: number, seq: number, clOrdId: number, throttled: boolean): void {
    const type = MessageType.Cancel;
    // A halt does not stop cancels.
    if (!this.rate.allow(this.nowMs())) return this.refuse(clOrdId, seq, type, RejectReason.RATE_LIMITED, this.rate.limit);
    if (throttled) return this.refuse(clOrdId, seq, type, RejectReason.THROTTLED, 0);
    if (this.used.has(clOrdId)) return this.refuse(clOrdId, seq, type, RejectReason.DUPLICATE_CL_ORD_ID, 0);
    const order = this.live.get(cancelOrigClOrdId(view, at));
    const market = order === undefined ? null : this.ctx.markets[order.symbol - 1] ?? null;
    if (order === undefined || market === null) return this.refuse(clOrdId, seq, type, RejectReason.UNKNOWN_ORDER, 0);
    this.used.add(clOrdId);
    const reason = market.cancelClient(order, clOrdId, CancelReason.REQUESTED);
    if (reason !== 0) {
      this.used.delete(clOrdId);
      this.refuse(clOrdId, seq, type, reason, 0);
    }
  }

  private replace(view: DataView, at: number, seq: number, clOrdId: number, throttled: boolean): void {
    const type = MessageType.Replace;
    const order = this.live.get(replaceOrigClOrdId(view, at));
    const book = order === undefined ? undefined : this.ctx.books[order.symbol - 1];
    const market = order === undefined ? null : this.ctx.markets[order.symbol - 1] ?? null;
    const price = replacePrice(view, at);
    const qty = replaceQty(view, at);
    if (order !== undefined && (market === null || book!.halted)) return this.refuse(clOrdId, seq, type, RejectReason.VENUE_HALTED, 0);
    if (!this.rate.allow(this.nowMs())) return this.refuse(clOrdId, seq, type, RejectReason.RATE_LIMITED, this.rate.limit);
    if (throttled) return this.refuse(clOrdId, seq, type, RejectReason.THROTTLED, 0);
    if (book !== undefined) {
      const spec = book.spec;
      if (price < spec.bandLow) return this.refuse(clOrdId, seq, type, RejectReason.PRICE_OUT_OF_BAND, spec.bandLow);
      if (price > spec.bandHigh) return this.refuse(clOrdId, seq, type, RejectReason.PRICE_OUT_OF_BAND, spec.bandHigh);
      if (qty % spec.lotSize !== 0) return this.refuse(clOrdId, seq, type, RejectReason.BAD_QTY, spec.lotSize);
    }
    if (this.used.has(clOrdId)) return this.refuse(clOrdId, seq, type, RejectReason.DUPLICATE_CL_ORD_ID, 0);
    if (order === undefined || market === null) return this.refuse(clOrdId, seq, type, RejectReason.UNKNOWN_ORDER, 0);
    if (qty <= order.cumQty) return this.refuse(clOrdId, seq, type, RejectReason.BAD_QTY, order.cumQty);
    // Pool: a Replace keeps its record. Post-only cross: the engine decides.
    this.used.add(clOrdId);
    const reason = market.replaceClient(order, clOrdId, price, qty);
    if (reason !== 0) {
      this.used.delete(clOrdId);
      this.refuse(clOrdId, seq, type, reason, 0);
    }
  }

  /** An RTT probe's answer: at once, into the same output batch as the session's reports. */
  private testResponse(testId: number): void {
    this.counts.testRequests++;
    const at = this.batch.reserve(TestResponseLayout.bytes);
    encodeTestResponse(this.batch.view, at, this.nextSeq(), UNSTAMPED, testId);
    this.sent();
  }

  onBadLength(lengthField: number): void {
    this.disconnect(DisconnectReason.BAD_LENGTH, lengthField, `frame length field ${lengthField}`);
  }

  onPeerClosed(): void {
    this.teardown('peer closed the connection');
  }

  // ── timers (called by the port's housekeeping tick) ─────────────────────────────────────────────

  tick(now: number): void {
    if (this.state === AWAITING_LOGIN) {
      if (now - this.connectedAt >= this.ctx.config.loginTimeoutMs) {
        this.disconnect(DisconnectReason.LOGIN_TIMEOUT, 0, `no Login within ${this.ctx.config.loginTimeoutMs} ms`);
      }
      return;
    }
    if (this.state !== ACTIVE) return;
    if (now - this.lastRecvAt >= 3 * this.heartbeatMs) {
      this.disconnect(DisconnectReason.HEARTBEAT_TIMEOUT, 0, `nothing received for ${Math.round(now - this.lastRecvAt)} ms`);
      return;
    }
    if (now - this.lastSendAt >= this.heartbeatMs) {
      const at = this.batch.reserve(HeartbeatLayout.bytes);
      encodeHeartbeat(this.batch.view, at, this.nextSeq(), UNSTAMPED);
      this.sent();
    }
  }

  // ── ending ────────────────────────────────────────────────────────────────────────────────────

  /** Venue-initiated end: Logout(reason), cancel on disconnect, close once the Logout is written. */
  disconnect(reason: number, detail: number, why: string): void {
    if (this.state >= CLOSING) return;
    // CLOSING first: no report and no second Logout can follow this one, even from re-entry
    // (a slow-consumer check while the Logout itself is written).
    this.state = CLOSING;
    const category = reason === DisconnectReason.LOGOUT ? 'logout' : 'disconnect';
    this.ctx.log.event(category, `${this.describe()}: Logout ${describeDisconnectReason(reason)} (${why})`);
    const at = this.batch.reserve(LogoutLayout.bytes);
    encodeLogout(this.batch.view, at, this.nextSeq(), UNSTAMPED, reason, detail);
    this.sent();
    this.flush();
    this.inbound.close();
    this.cancelAll(CancelReason.SESSION_END);
    this.releaseUser();
    this.outbound.push(END);
    this.closeTimer = this.ctx.clock.setTimer(CLOSE_GRACE_MS, () => this.socket.destroy());
  }

  /** Cuts the connection at once, as a network failure would (the runtime control's `disconnect`):
   *  no Logout; cancel on disconnect as for any lost connection. */
  drop(): void {
    this.teardown('dropped by the venue control');
  }

  /** Shutdown: Logout VENUE_SHUTDOWN written at once, past any outbound delay. */
  shutdown(): void {
    if (this.state < CLOSING) this.disconnect(DisconnectReason.VENUE_SHUTDOWN, 0, 'venue stopping');
    this.outbound.flushNow();
  }

  /** The connection is gone (or going): cancel on disconnect, forget everything. */
  private teardown(why: string): void {
    if (this.state === CLOSED) return;
    const wasClosing = this.state === CLOSING;
    this.state = CLOSED;
    this.inbound.close();
    this.outbound.close();
    this.cancelAll(CancelReason.SESSION_END);
    this.releaseUser();
    this.closeTimer?.cancel();
    if (!this.socket.destroyed) this.socket.destroy();
    if (!wasClosing) this.ctx.log.event('disconnect', `${this.describe()}: ${why}`);
    this.ctx.ended(this);
  }

  /** Cancels every live order. Reports go out only while the session is active (client Logout). */
  private cancelAll(reason: number): void {
    if (this.live.size === 0) return;
    for (const order of [...this.live.values()]) {
      const market = this.ctx.markets[order.symbol - 1];
      market?.cancelClient(order, order.clOrdId, reason);
    }
  }

  private releaseUser(): void {
    if (this.userId !== 0) this.ctx.unbindUser(this.userId, this);
  }

  // ── output ────────────────────────────────────────────────────────────────────────────────────

  private nowMs(): number {
    return this.ctx.clock.nowNs() / NS_PER_MS;
  }

  private nextSeq(): number {
    return this.sendSeq++;
  }

  /** A frame went into the batch: heartbeat clock and flush scheduling. */
  private sent(): void {
    this.lastSendAt = this.nowMs();
    this.ctx.cycle.touch(this);
  }

  flush(): void {
    // The venue's own numbers run out through timer heartbeats and reports caused by other sessions
    // too, not only through this client's frames: end the session before they would wrap.
    if (this.state === ACTIVE && this.sendSeq > LAST_SEND_SEQ) {
      this.disconnect(DisconnectReason.SEQUENCE_EXHAUSTED, 0, 'sequence numbers used up');
      return;
    }
    const bytes = this.batch.take();
    if (bytes !== null && this.state !== CLOSED) this.outbound.push(bytes);
  }

  /** Out of the delay line: Tv (each frame's sendNs) is stamped now, as the bytes are written. */
  private write(item: Outbound): void {
    if (this.socket.destroyed) return;
    if (item === END) {
      this.unsent.end();
      return;
    }
    const now = this.ctx.clock.nowNs();
    stampSendNs(item, now);
    this.unsent.write(item);
    if (this.ctx.audit !== null) this.ctx.audit.reports(item, now, this.userId, this.ownerId);
  }

  private slowConsumer(bytes: number): void {
    if (this.state >= CLOSING) return;
    this.disconnect(DisconnectReason.SLOW_CONSUMER, 0, `${bytes} bytes unsent`);
    this.ctx.cycle.touch(this);
  }

  private refuse(clOrdId: number, refSeq: number, refType: number, reason: number, detail: number): void {
    // Malformed input is logged (rate-limited); business refusals (band, rate, unknown order...) are
    // only counted: they are a normal answer, not a broken client.
    if (reason <= RejectReason.BAD_TIF) {
      this.ctx.log.event('bad-frame', `${this.describe()}: ${messageName(refType)} seq ${refSeq} refused: ${describeRejectReason(reason)}`);
    } else {
      this.ctx.log.count(`reject ${describeRejectReason(reason).split(':')[0]}`);
    }
    if (this.state === ACTIVE) this.counts.rejects++;
    const at = this.batch.reserve(RejectLayout.bytes);
    encodeReject(this.batch.view, at, this.nextSeq(), UNSTAMPED, clOrdId, refSeq, reason, refType, detail);
    this.sent();
  }

  // ── execution reports (OrderOwner) ─────────────────────────────────────────────────────────────

  reportAck(o: LiveOrder): void {
    if (this.state !== ACTIVE) return;
    this.counts.acks++;
    const at = this.batch.reserve(AckLayout.bytes);
    encodeAck(this.batch.view, at, this.nextSeq(), UNSTAMPED, o.clOrdId, o.exchOrderId, o.price, o.qty,
      o.symbol, o.side, o.kind, o.tif);
    this.sent();
  }

  reportFill(o: LiveOrder, tradeId: number, price: number, qty: number, leaves: number, maker: boolean): void {
    if (this.state !== ACTIVE) return;
    this.counts.fills++;
    const flags = (leaves === 0 ? FillFlags.FULL : 0) | (maker ? FillFlags.MAKER : 0);
    const at = this.batch.reserve(FillLayout.bytes);
    encodeFill(this.batch.view, at, this.nextSeq(), UNSTAMPED, o.clOrdId, o.exchOrderId, tradeId, price,
      qty, leaves, o.symbol, o.side, flags);
    this.sent();
  }

  reportCanceled(o: LiveOrder, requestClOrdId: number, canceledQty: number, reason: number): void {
    if (this.state !== ACTIVE) return;
    this.counts.canceled++;
    const at = this.batch.reserve(CanceledLayout.bytes);
    encodeCanceled(this.batch.view, at, this.nextSeq(), UNSTAMPED, requestClOrdId, o.clOrdId,
      o.exchOrderId, canceledQty, o.symbol, o.side, reason);
    this.sent();
  }

  reportReplaced(o: LiveOrder, origClOrdId: number, oldExchOrderId: number, leaves: number): void {
    this.live.delete(origClOrdId);
    this.live.set(o.clOrdId, o);
    if (this.state !== ACTIVE) return;
    this.counts.replaced++;
    const at = this.batch.reserve(ReplacedLayout.bytes);
    encodeReplaced(this.batch.view, at, this.nextSeq(), UNSTAMPED, o.clOrdId, origClOrdId, oldExchOrderId,
      o.exchOrderId, o.price, o.qty, leaves, o.symbol, o.side);
    this.sent();
  }

  orderDone(o: LiveOrder): void {
    this.live.delete(o.clOrdId);
  }
}

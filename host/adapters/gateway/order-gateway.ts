// Order gateway: the order-entry side of the venue protocol (docs/protocol.md, "Session (OE)",
// "Orders", "Execution reports"). This file assembles it: a Session (login, numbering, heartbeats,
// logout) on a VenueConnection, the session's Outbox the requests are encoded into, the
// InFlightTable that times each request until its first answer, and the ExecutionReports that
// decode the venue's answers.
//
// connect() logs in; then newOrder / cancel / replace encode straight into the send slab and return
// the request's client order id (monotonic across the gateway's life, so unique in every session).
// newOrderWithId / cancelWithId / replaceWithId send under an id the caller chose (the execution core
// numbers its own requests); those ids must rise too, and the two ways may be mixed as long as they do.
// Execution reports go to an ExecutionEvents object as primitive arguments; nothing is allocated per
// report. close() sends Logout and waits for the venue's Logout.
//
// Latency points: T4 = the clock right after the request's bytes were handed to the socket (the
// write returned; when Node could not write at once the bytes are queued in-process, and T4 is
// still the hand-off time); T5 = the clock at the socket read that brought the answer. Every
// request's first answer (Ack/Reject for NewOrder, Canceled/Reject for Cancel, Replaced/Reject for
// Replace) reports rttNs = T5 − T4; unsolicited reports (fills, IOC remainders, session-end cancels)
// report rttNs = −1. An RTT probe (testRequest: the protocol's TestRequest, answered at once by the
// venue's TestResponse) is timed the same way, in the same in-flight table and id numbering, so its
// round trip is an order-path RTT like an ack's, measured without trading. A request with no first answer within requestTimeoutMs is reported once through
// onTimeout.
import {
  MessageType,
  encodeCancel,
  encodeNewOrder,
  encodeReplace,
  encodeTestRequest,
} from '../../protocol/index.js';
import { NS_PER_MS, liveClock, type Clock } from '../../platform/clock.js';
import { RateLimitedLog, stderrSink, type LogSink } from '../../platform/rate-limited-log.js';
import { tcpDialer, type Dialer, type VenueConnection } from '../connection.js';
import { NullExecutionEvents, type ExecutionEvents } from './execution-events.js';
import { ExecutionReports } from './execution-reports.js';
import { GatewayCounters } from './gateway-counters.js';
import { InFlightTable } from './in-flight.js';
import type { Outbox } from './outbox.js';
import { Session, SessionState, type SessionInfo } from './session.js';

export { NullExecutionEvents, type ExecutionEvents } from './execution-events.js';
export { GatewayCounters } from './gateway-counters.js';
export { GatewayEnd, SessionState, type SessionInfo } from './session.js';

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
  /** Every time read and timer (default liveClock). */
  readonly clock?: Clock;
  /** Opens the socket (default TCP); a test passes a scripted one. */
  readonly dial?: Dialer;
}

const T = MessageType;
const NEW_ORDER_BYTES = 40;
const CANCEL_BYTES = 32;
const REPLACE_BYTES = 40;
const TEST_REQUEST_BYTES = 24;

export class OrderGateway {
  readonly counters = new GatewayCounters();

  private readonly session: Session;
  /** Its venue connection (a poller may take the socket over: host/adapters/polled-socket.ts). */
  readonly connection: VenueConnection;
  private readonly outbox: Outbox;
  /** Requests awaiting their first answer. */
  private readonly requests: InFlightTable;

  constructor(readonly config: GatewayConfig, readonly events: ExecutionEvents = new NullExecutionEvents()) {
    const host = config.host ?? '127.0.0.1';
    const requestTimeoutNs = (config.requestTimeoutMs ?? 1000) * NS_PER_MS;
    this.requests = new InFlightTable(config.maxInFlight ?? 65536, config.firstClOrdId ?? 1, this.counters);
    const log = new RateLimitedLog(`gateway ${host}:${config.port} user ${config.userId}`, config.log ?? stderrSink, 10, 1000,
      config.clock ?? liveClock);
    const reports = new ExecutionReports(events, this.requests, this.counters, log, requestTimeoutNs);
    this.session = new Session({
      userId: config.userId, token: config.token, heartbeatMs: config.heartbeatMs ?? 1000,
      loginTimeoutMs: config.loginTimeoutMs ?? 5000, logoutTimeoutMs: config.logoutTimeoutMs ?? 2000,
      requestTimeoutNs, sendBufferBytes: config.sendBufferBytes ?? 1 << 20,
    }, {
      host, port: config.port, clock: config.clock ?? liveClock, dial: config.dial ?? tcpDialer, log, counters: this.counters,
      callbackOwner: 'an ExecutionEvents handler',
    }, this.requests, reports, events, this.counters);
    this.connection = this.session.connection;
    this.outbox = this.session.outbox;
  }

  /** SessionState of the current session. */
  get state(): number {
    return this.session.state;
  }

  get sessionId(): number {
    return this.session.sessionId;
  }

  /** Granted heartbeat interval, ms (0 before LoginAck). */
  get heartbeatMs(): number {
    return this.session.heartbeatMs;
  }

  /** Login written → LoginAck read, ns (0 before LoginAck): a round trip of the order path before any order. */
  get loginRttNs(): number {
    return this.session.loginRttNs;
  }

  /** Requests sent and not yet answered or timed out. */
  get inFlight(): number {
    return this.requests.count;
  }

  get isLoggedIn(): boolean {
    return this.session.state === SessionState.LOGGED_IN;
  }

  /** Bytes handed to the socket that the kernel has not taken yet (the venue is not reading fast enough). */
  get backlogBytes(): number {
    return this.connection.backlogBytes;
  }

  /** The id the next request will get. */
  get nextClOrdId(): number {
    return this.requests.nextClOrdId;
  }

  // ── session ────────────────────────────────────────────────────────────────────────────────────

  /** Connect and log in. Rejects with LoginRejectedError, GatewayTimeoutError or ConnectionLostError. */
  connect(): Promise<SessionInfo> {
    return this.session.open();
  }

  /** Log out (the venue cancels resting orders, reports them, answers Logout and closes) and close. */
  close(): Promise<void> {
    return this.session.logout();
  }

  /** Drop the connection now, without Logout (the venue cancels resting orders on disconnect). */
  destroy(): void {
    this.session.destroy();
  }

  // ── requests (hot path) ────────────────────────────────────────────────────────────────────────

  /** Send a NewOrder; returns its clOrdId. Side 0 buy / 1 sell, kind 0 limit / 1 market, tif 0 GTC / 1 IOC / 2 post-only. */
  newOrder(symbol: number, side: number, kind: number, tif: number, price: number, qty: number): number {
    return this.newOrderWithId(this.requests.nextClOrdId, symbol, side, kind, tif, price, qty);
  }

  /** newOrder under the caller's clOrdId `id` (≥ nextClOrdId; RangeError otherwise). Returns `id`. */
  newOrderWithId(id: number, symbol: number, side: number, kind: number, tif: number, price: number, qty: number): number {
    this.session.requireLoggedIn(T.NewOrder);
    this.requests.claimId(T.NewOrder, id);
    const ob = this.outbox;
    const at = ob.reserve(NEW_ORDER_BYTES);
    ob.commit(encodeNewOrder(ob.view, at, this.session.nextSeq(), 0n, id, symbol, side, kind, tif, price, qty));
    this.counters.newOrders++;
    if (ob.corked === 0) ob.flush();
    return id;
  }

  /** Send a Cancel of the order whose current clOrdId is `origClOrdId`; returns the Cancel's clOrdId. */
  cancel(origClOrdId: number): number {
    return this.cancelWithId(this.requests.nextClOrdId, origClOrdId);
  }

  /** cancel under the caller's clOrdId `id` for the Cancel itself (≥ nextClOrdId). Returns `id`. */
  cancelWithId(id: number, origClOrdId: number): number {
    this.session.requireLoggedIn(T.Cancel);
    this.requests.claimId(T.Cancel, id);
    const ob = this.outbox;
    const at = ob.reserve(CANCEL_BYTES);
    ob.commit(encodeCancel(ob.view, at, this.session.nextSeq(), 0n, id, origClOrdId));
    this.counters.cancels++;
    if (ob.corked === 0) ob.flush();
    return id;
  }

  /** Send a Replace (qty = new total including fills); returns the order's new clOrdId. */
  replace(origClOrdId: number, price: number, qty: number): number {
    return this.replaceWithId(this.requests.nextClOrdId, origClOrdId, price, qty);
  }

  /** replace under the caller's clOrdId `id`, the order's new id (≥ nextClOrdId). Returns `id`. */
  replaceWithId(id: number, origClOrdId: number, price: number, qty: number): number {
    this.session.requireLoggedIn(T.Replace);
    this.requests.claimId(T.Replace, id);
    const ob = this.outbox;
    const at = ob.reserve(REPLACE_BYTES);
    ob.commit(encodeReplace(ob.view, at, this.session.nextSeq(), 0n, id, origClOrdId, price, qty));
    this.counters.replaces++;
    if (ob.corked === 0) ob.flush();
    return id;
  }

  /** Send a TestRequest (an RTT probe); returns its testId. The TestResponse comes to onTestResponse with its RTT. */
  testRequest(): number {
    return this.testRequestWithId(this.requests.nextClOrdId);
  }

  /** testRequest under the caller's id (≥ nextClOrdId: probes share the requests' numbering). Returns `id`. */
  testRequestWithId(id: number): number {
    this.session.requireLoggedIn(T.TestRequest);
    this.requests.claimId(T.TestRequest, id);
    const ob = this.outbox;
    const at = ob.reserve(TEST_REQUEST_BYTES);
    ob.commit(encodeTestRequest(ob.view, at, this.session.nextSeq(), 0n, id));
    this.counters.testRequests++;
    if (ob.corked === 0) ob.flush();
    return id;
  }

  /** Hold sends until uncork() (nestable): many requests, one socket write. */
  cork(): void {
    this.outbox.cork();
  }

  uncork(): void {
    this.outbox.uncork();
  }

  /** The request's T4 while it awaits its first answer, else 0. */
  sentAt(clOrdId: number): number {
    return this.requests.sentAt(clOrdId);
  }
}

// The order-entry session (docs/protocol.md, "Session (OE)") on a VenueConnection: Login and its
// answer, the frame numbering both ways, heartbeats, Logout, and how a session ends.
//
// open() dials, sends Login and resolves on LoginAck (or rejects with a typed error:
// LoginRejectedError for the venue's Logout/Reject refusal, GatewayTimeoutError, ConnectionLostError).
// The session numbers its frames 1, 2, … from Login and checks the venue's numbering (a gap is a
// broken session: doc "Sequence numbers"); sends a Heartbeat when it has sent nothing for the
// granted interval; ends the session with Logout HEARTBEAT_TIMEOUT when the venue has sent nothing
// for 3 intervals. A bad frame from the venue (framing, validation, wrong route, sequence) ends the
// session (PROTOCOL_ERROR); a frame of an unknown type is skipped and logged. logout() sends Logout
// and waits for the venue's Logout (its SESSION_END cancels come first). After onSessionEnd no more
// reports come; the venue cancels the session's resting orders (cancel on disconnect). open() may
// be called again for a new session.
import {
  DisconnectReason,
  MessageType,
  RejectReason,
  Route,
  describeDisconnectReason,
  describeRejectReason,
  encodeHeartbeat,
  encodeLogin,
  encodeLogout,
  frameSeq,
  frameType,
  loginAckHeartbeatMs,
  loginAckSessionId,
  logoutDetail,
  logoutReason,
  messageName,
  rejectDetail,
  rejectReason,
  routeAllows,
  validateFrame,
} from '../../protocol/index.js';
import { NS_PER_MS, type Clock, type Timer } from '../../platform/clock.js';
import type { RateLimitedLog } from '../../platform/rate-limited-log.js';
import { VenueConnection, type ConnectionHandler, type ConnectionOptions } from '../connection.js';
import type { ExecutionEvents } from './execution-events.js';
import type { ExecutionReports } from './execution-reports.js';
import type { GatewayCounters } from './gateway-counters.js';
import {
  ConnectionLostError,
  GatewayTimeoutError,
  LoginRejectedError,
  NotConnectedError,
  NotLoggedInError,
} from './gateway-errors.js';
import type { InFlightTable } from './in-flight.js';
import { Outbox } from './outbox.js';

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

export interface SessionSettings {
  readonly userId: number;
  readonly token: string;
  /** Requested heartbeat interval, ms. */
  readonly heartbeatMs: number;
  readonly loginTimeoutMs: number;
  readonly logoutTimeoutMs: number;
  /** The request timeout, ns: the line is checked at least 4 times per timeout. */
  readonly requestTimeoutNs: number;
  /** Send slab bytes. */
  readonly sendBufferBytes: number;
}

const S = SessionState;
const T = MessageType;
const LOGIN_BYTES = 40;
const LOGOUT_BYTES = 24;
const HEARTBEAT_BYTES = 16;
/** A heartbeat goes out this much before the interval is over, so the venue never sees a full one empty. */
const HEARTBEAT_LEAD_NS = 5 * NS_PER_MS;

export class Session implements ConnectionHandler {
  readonly connection: VenueConnection;
  /** Where every frame to the venue is encoded, the gateway's requests included. */
  readonly outbox: Outbox;
  state: number = S.DISCONNECTED;
  sessionId = 0;
  /** Granted heartbeat interval, ms (0 before LoginAck). */
  heartbeatMs = 0;
  /** Login written → LoginAck read, ns (0 before LoginAck): the order path's round trip before any order. */
  loginRttNs = 0;
  private loginSentNs = 0;
  private seqOut = 0;
  private seqIn = 0;
  private loginWait: { resolve: (s: SessionInfo) => void; reject: (e: Error) => void; timer: Timer } | null = null;
  private logoutWait: { resolve: () => void; timer: Timer } | null = null;

  private readonly clock: Clock;
  private readonly log: RateLimitedLog;

  constructor(
    private readonly settings: SessionSettings,
    connection: ConnectionOptions,
    requests: InFlightTable,
    private readonly reports: ExecutionReports,
    private readonly events: ExecutionEvents,
    private readonly counters: GatewayCounters,
  ) {
    this.clock = connection.clock;
    this.log = connection.log;
    this.connection = new VenueConnection(connection, this);
    this.outbox = new Outbox(settings.sendBufferBytes, this.connection, requests, counters);
  }

  /** Logged in or logging out: reports still come. */
  get isActive(): boolean {
    return this.state === S.LOGGED_IN || this.state === S.LOGGING_OUT;
  }

  /** The next outbound frame's seq. */
  nextSeq(): number {
    return ++this.seqOut;
  }

  /** Throws unless a request of `type` may be sent now. */
  requireLoggedIn(type: number): void {
    if (this.state === S.LOGGED_IN) return;
    throw this.state === S.DISCONNECTED || this.state === S.CONNECTING
      ? new NotConnectedError(messageName(type))
      : new NotLoggedInError(messageName(type));
  }

  /** Connect and log in. */
  open(): Promise<SessionInfo> {
    if (this.state !== S.DISCONNECTED) return Promise.reject(new Error(`connect: session is not disconnected (state ${this.state})`));
    this.state = S.CONNECTING;
    this.seqOut = this.seqIn = 0;
    this.sessionId = this.heartbeatMs = this.loginRttNs = this.loginSentNs = 0;
    this.outbox.reset();
    const ms = this.settings.loginTimeoutMs;
    const done = new Promise<SessionInfo>((resolve, reject) => {
      this.loginWait = {
        resolve, reject,
        timer: this.clock.setTimer(ms, () => this.failLogin(new GatewayTimeoutError('login', ms))),
      };
    });
    this.connection.dial();
    return done;
  }

  /** Log out (the venue cancels resting orders, reports them, answers Logout and closes) and close. */
  logout(): Promise<void> {
    if (this.state === S.DISCONNECTED) return Promise.resolve();
    if (this.state !== S.LOGGED_IN) {
      this.ended(GatewayEnd.CONNECTION_LOST, 0, false, 'closed before login');
      return Promise.resolve();
    }
    this.state = S.LOGGING_OUT;
    this.sendLogout(DisconnectReason.LOGOUT);
    const ms = this.settings.logoutTimeoutMs;
    return new Promise<void>((resolve) => {
      this.logoutWait = {
        resolve,
        timer: this.clock.setTimer(ms, () => {
          this.log.log(`no Logout from the venue within ${ms} ms: closing`);
          this.ended(DisconnectReason.LOGOUT, 0, false, 'logout timeout');
        }),
      };
    });
  }

  /** Drop the connection now, without Logout. */
  destroy(): void {
    if (this.state !== S.DISCONNECTED) this.ended(GatewayEnd.CONNECTION_LOST, 0, false, 'destroyed', false);
  }

  // ── the connection's events (ConnectionHandler) ───────────────────────────────────────────────

  onOpen(): void {
    this.state = S.LOGGING_IN;
    const ob = this.outbox;
    const at = ob.reserve(LOGIN_BYTES);
    ob.commit(encodeLogin(ob.view, at, ++this.seqOut, 0n, this.settings.userId, this.settings.heartbeatMs, this.settings.token));
    ob.flush();
    this.loginSentNs = this.connection.lastSendNs;
  }

  /** A read is dispatched: sends from inside callbacks wait for its end. */
  onReadStart(): void {
    this.outbox.corked++;
  }

  onReadEnd(): void {
    if (--this.outbox.corked === 0) this.outbox.flush();
  }

  onFrame(view: DataView, at: number, n: number, t5: number): void {
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
    if (!this.isActive) {
      this.loginAnswer(view, at, type, t5);
      return;
    }
    switch (type) {
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
      default:
        this.reports.deliver(view, at, type, t5);
    }
  }

  onFramingError(lengthField: number): void {
    this.protocolError(`framing error: length field ${lengthField} (BAD_LENGTH)`);
  }

  onLost(err: Error | undefined): void {
    if (err && this.state === S.LOGGED_IN) this.log.log(`socket error: ${err.message}`);
    this.ended(GatewayEnd.CONNECTION_LOST, 0, false, err ? err.message : 'closed by peer');
  }

  onSilent(silentNs: number): void {
    this.log.log(`nothing from the venue for ${Math.round(silentNs / 1e6)} ms: ending the session`);
    this.sendLogout(DisconnectReason.HEARTBEAT_TIMEOUT);
    this.ended(DisconnectReason.HEARTBEAT_TIMEOUT, 0, false);
  }

  onHeartbeatDue(): void {
    if (this.state !== S.LOGGED_IN) return;
    const ob = this.outbox;
    const at = ob.reserve(HEARTBEAT_BYTES);
    ob.commit(encodeHeartbeat(ob.view, at, ++this.seqOut, 0n));
    this.counters.heartbeatsSent++;
    ob.flush();
  }

  /** Requests past their timeout, oldest first, each reported once (a report may end the session). */
  onTick(now: number): void {
    while (this.isActive && this.reports.expireOne(now)) { /* next */ }
  }

  // ── ending ─────────────────────────────────────────────────────────────────────────────────────

  private loginAnswer(view: DataView, at: number, type: number, t5: number): void {
    switch (type) {
      case T.LoginAck: {
        this.state = S.LOGGED_IN;
        this.loginRttNs = this.loginSentNs > 0 ? t5 - this.loginSentNs : 0;
        this.sessionId = loginAckSessionId(view, at);
        this.heartbeatMs = loginAckHeartbeatMs(view, at);
        const hbNs = this.heartbeatMs * NS_PER_MS;
        const periodMs = Math.max(5, Math.min(50, this.heartbeatMs / 4, this.settings.requestTimeoutNs / 4e6));
        this.connection.watch(periodMs, 3 * hbNs, hbNs - HEARTBEAT_LEAD_NS);
        const w = this.loginWait;
        this.loginWait = null;
        if (w) {
          w.timer.cancel();
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

  private sendLogout(reason: number): void {
    const ob = this.outbox;
    const at = ob.reserve(LOGOUT_BYTES);
    ob.commit(encodeLogout(ob.view, at, ++this.seqOut, 0n, reason, 0));
    ob.flush();
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
      w.timer.cancel();
      w.reject(err);
    }
    this.teardown(true);
  }

  /** The session is over: tear down, settle waiters, tell the handler (once). */
  private ended(reason: number, detail: number, byVenue: boolean, cause?: string, graceful = true): void {
    if (this.state === S.DISCONNECTED) return;
    const wasSession = this.isActive;
    if (this.loginWait) {
      const w = this.loginWait;
      this.loginWait = null;
      w.timer.cancel();
      w.reject(new ConnectionLostError('login', cause));
    }
    this.teardown(graceful);
    if (this.logoutWait) {
      const w = this.logoutWait;
      this.logoutWait = null;
      w.timer.cancel();
      w.resolve();
    }
    if (wasSession) this.events.onSessionEnd(reason, detail, byVenue);
  }

  private teardown(graceful: boolean): void {
    this.state = S.DISCONNECTED;
    this.outbox.release();
    this.connection.drop(graceful);
    this.reports.abandon();
    this.outbox.reset();
  }
}

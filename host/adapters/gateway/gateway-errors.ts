// Typed errors of the order gateway. Thrown (or rejected) only off the success path: a caller can
// `instanceof`-test them or switch on `code`.
import { describeDisconnectReason, describeRejectReason } from '../../protocol/index.js';

export type GatewayErrorCode =
  | 'NOT_CONNECTED'
  | 'NOT_LOGGED_IN'
  | 'TIMEOUT'
  | 'LOGIN_REJECTED'
  | 'CONNECTION_LOST'
  | 'IN_FLIGHT_LIMIT'
  | 'PROTOCOL';

export class GatewayError extends Error {
  override readonly name: string = 'GatewayError';
  constructor(readonly code: GatewayErrorCode, message: string) {
    super(message);
  }
}

/** A send or login with no connection (never connected, or the session ended). */
export class NotConnectedError extends GatewayError {
  override readonly name = 'NotConnectedError';
  constructor(what: string) {
    super('NOT_CONNECTED', `${what}: not connected`);
  }
}

/** A send before LoginAck or after Logout. */
export class NotLoggedInError extends GatewayError {
  override readonly name = 'NotLoggedInError';
  constructor(what: string) {
    super('NOT_LOGGED_IN', `${what}: not logged in`);
  }
}

/** Connect, login or logout did not complete in time. (Order timeouts are events: onTimeout.) */
export class GatewayTimeoutError extends GatewayError {
  override readonly name = 'GatewayTimeoutError';
  constructor(what: string, readonly ms: number) {
    super('TIMEOUT', `${what}: no answer within ${ms} ms`);
  }
}

/**
 * The venue refused the Login: with a Logout (`viaLogout`, `reason` a DisconnectReason: BAD_CREDENTIALS,
 * DUPLICATE_SESSION, UNSUPPORTED_VERSION…) or with a Reject (`reason` a RejectReason, e.g. BAD_FIELD
 * for a heartbeat interval out of range).
 */
export class LoginRejectedError extends GatewayError {
  override readonly name = 'LoginRejectedError';
  constructor(readonly reason: number, readonly detail: number, readonly viaLogout: boolean) {
    super('LOGIN_REJECTED', `login refused: ${viaLogout ? describeDisconnectReason(reason) : describeRejectReason(reason)}` +
      (detail !== 0 ? ` (detail ${detail})` : ''));
  }
}

/** The connection closed (or failed to open) before the operation completed. */
export class ConnectionLostError extends GatewayError {
  override readonly name = 'ConnectionLostError';
  constructor(what: string, cause?: string) {
    super('CONNECTION_LOST', `${what}: connection lost${cause ? ` (${cause})` : ''}`);
  }
}

/** maxInFlight requests await their first answer: the oldest would be overwritten. */
export class InFlightLimitError extends GatewayError {
  override readonly name = 'InFlightLimitError';
  constructor(limit: number) {
    super('IN_FLIGHT_LIMIT', `${limit} requests already await an answer (maxInFlight)`);
  }
}

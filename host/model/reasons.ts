// Reason codes of the venue protocol (docs/protocol.md, "Reason codes"): why a frame was rejected
// (Reject.reason, u16), why a session ended (Logout.reason, u16), why an order left the book without
// a fill (Canceled.reason, u8). Three separate namespaces; each table is the one place its codes and
// texts are written, and tests/protocol/doc.test.ts checks the doc's tables against these.

/** Reject.reason: why the venue refused one frame. 0 is "no error" (validateFrame's pass). */
export const RejectReason = {
  NONE: 0,
  // Framing and session (1..15)
  BAD_LENGTH: 1,
  BAD_VERSION: 2,
  UNKNOWN_TYPE: 3,
  UNEXPECTED_TYPE: 4,
  NOT_LOGGED_IN: 5,
  ALREADY_LOGGED_IN: 6,
  SEQUENCE_ERROR: 7,
  BAD_FIELD: 8,
  // Order fields (16..31)
  UNKNOWN_SYMBOL: 16,
  BAD_PRICE: 17,
  PRICE_OUT_OF_BAND: 18,
  BAD_QTY: 19,
  BAD_SIDE: 20,
  BAD_KIND: 21,
  BAD_TIF: 22,
  // Order state (32..47)
  UNKNOWN_ORDER: 32,
  DUPLICATE_CL_ORD_ID: 33,
  POST_ONLY_WOULD_CROSS: 34,
  // Venue capacity and state (48..63)
  RATE_LIMITED: 48,
  THROTTLED: 49,
  POOL_FULL: 50,
  VENUE_HALTED: 51,
} as const;
export type RejectReason = (typeof RejectReason)[keyof typeof RejectReason];

const REJECT_TEXT: Record<RejectReason, string> = {
  [RejectReason.NONE]: 'no error',
  [RejectReason.BAD_LENGTH]: 'frame length is not the size of its message type (fatal: the venue disconnects)',
  [RejectReason.BAD_VERSION]: 'unsupported protocol version',
  [RejectReason.UNKNOWN_TYPE]: 'unknown message type',
  [RejectReason.UNEXPECTED_TYPE]: 'message type not accepted on this port from this side',
  [RejectReason.NOT_LOGGED_IN]: 'not logged in',
  [RejectReason.ALREADY_LOGGED_IN]: 'already logged in',
  [RejectReason.SEQUENCE_ERROR]: 'sequence number is not the next expected (detail = expected)',
  [RejectReason.BAD_FIELD]: 'field out of range (id 0 or above 2^53-1, heartbeat interval, level count)',
  [RejectReason.UNKNOWN_SYMBOL]: 'unknown symbol',
  [RejectReason.BAD_PRICE]: 'bad price (limit <= 0, market != 0, levels out of order)',
  [RejectReason.PRICE_OUT_OF_BAND]: 'price outside the symbol\'s price band (detail = violated limit)',
  [RejectReason.BAD_QTY]: 'bad quantity (<= 0, not a multiple of the lot, replace below filled)',
  [RejectReason.BAD_SIDE]: 'bad side',
  [RejectReason.BAD_KIND]: 'bad order kind',
  [RejectReason.BAD_TIF]: 'bad time in force (market orders must be IOC)',
  [RejectReason.UNKNOWN_ORDER]: 'unknown order (never existed, or already filled or canceled)',
  [RejectReason.DUPLICATE_CL_ORD_ID]: 'duplicate client order id in this session',
  [RejectReason.POST_ONLY_WOULD_CROSS]: 'post-only order would cross the book',
  [RejectReason.RATE_LIMITED]: 'order rate limit exceeded (detail = orders per second allowed)',
  [RejectReason.THROTTLED]: 'venue inbound queue full, try later',
  [RejectReason.POOL_FULL]: 'venue order pool full',
  [RejectReason.VENUE_HALTED]: 'trading halted (venue or symbol)',
};

/** Logout.reason: why a session ended. The venue sends Logout, then closes. */
export const DisconnectReason = {
  LOGOUT: 0,
  BAD_LENGTH: 1,
  UNSUPPORTED_VERSION: 2,
  BAD_CREDENTIALS: 3,
  DUPLICATE_SESSION: 4,
  LOGIN_TIMEOUT: 5,
  HEARTBEAT_TIMEOUT: 6,
  SEQUENCE_EXHAUSTED: 7,
  SLOW_CONSUMER: 8,
  VENUE_SHUTDOWN: 9,
} as const;
export type DisconnectReason = (typeof DisconnectReason)[keyof typeof DisconnectReason];

const DISCONNECT_TEXT: Record<DisconnectReason, string> = {
  [DisconnectReason.LOGOUT]: 'logout requested',
  [DisconnectReason.BAD_LENGTH]: 'unusable frame length, stream cannot be resynchronised (detail = length field)',
  [DisconnectReason.UNSUPPORTED_VERSION]: 'Login with an unsupported protocol version (detail = version)',
  [DisconnectReason.BAD_CREDENTIALS]: 'unknown user or wrong token',
  [DisconnectReason.DUPLICATE_SESSION]: 'user already has a session',
  [DisconnectReason.LOGIN_TIMEOUT]: 'no Login within the login timeout of connecting',
  [DisconnectReason.HEARTBEAT_TIMEOUT]: 'no whole frame received for 3 heartbeat intervals',
  [DisconnectReason.SEQUENCE_EXHAUSTED]: 'sequence number would pass 2^32-1',
  [DisconnectReason.SLOW_CONSUMER]: 'peer not reading: send buffer limit reached',
  [DisconnectReason.VENUE_SHUTDOWN]: 'venue shutting down',
};

/** Canceled.reason: why an order left the book without a fill. */
export const CancelReason = {
  REQUESTED: 0,
  IOC_REMAINDER: 1,
  SESSION_END: 2,
  VENUE_HALT: 3,
  SELF_TRADE: 4,
} as const;
export type CancelReason = (typeof CancelReason)[keyof typeof CancelReason];

const CANCEL_TEXT: Record<CancelReason, string> = {
  [CancelReason.REQUESTED]: 'canceled by the client\'s Cancel',
  [CancelReason.IOC_REMAINDER]: 'IOC or market remainder after matching',
  [CancelReason.SESSION_END]: 'session logged out: resting orders canceled',
  [CancelReason.VENUE_HALT]: 'trading halted: resting orders canceled',
  [CancelReason.SELF_TRADE]: 'self-trade prevention: it would have traded with an order of the same session',
};

/** One row of a reason table: code, constant name, text. */
export interface ReasonInfo {
  readonly code: number;
  readonly name: string;
  readonly text: string;
}

function table(codes: Record<string, number>, text: Record<number, string>): readonly ReasonInfo[] {
  return Object.entries(codes).map(([name, code]) => ({ code, name, text: text[code]! }));
}

/** Every reject reason, in code order. */
export const REJECT_REASONS: readonly ReasonInfo[] = table(RejectReason, REJECT_TEXT);
/** Every disconnect reason, in code order. */
export const DISCONNECT_REASONS: readonly ReasonInfo[] = table(DisconnectReason, DISCONNECT_TEXT);
/** Every cancel reason, in code order. */
export const CANCEL_REASONS: readonly ReasonInfo[] = table(CancelReason, CANCEL_TEXT);

function lookup(rows: readonly ReasonInfo[], code: number): ReasonInfo | undefined {
  for (const r of rows) if (r.code === code) return r;
  return undefined;
}

export function isRejectReason(code: number): boolean {
  return lookup(REJECT_REASONS, code) !== undefined;
}
export function isDisconnectReason(code: number): boolean {
  return lookup(DISCONNECT_REASONS, code) !== undefined;
}
export function isCancelReason(code: number): boolean {
  return lookup(CANCEL_REASONS, code) !== undefined;
}

/** 'NAME: text' for logs; 'unknown reject reason N' for a code not in the table. */
export function describeRejectReason(code: number): string {
  const r = lookup(REJECT_REASONS, code);
  return r ? `${r.name}: ${r.text}` : `unknown reject reason ${code}`;
}
export function describeDisconnectReason(code: number): string {
  const r = lookup(DISCONNECT_REASONS, code);
  return r ? `${r.name}: ${r.text}` : `unknown disconnect reason ${code}`;
}
export function describeCancelReason(code: number): string {
  const r = lookup(CANCEL_REASONS, code);
  return r ? `${r.name}: ${r.text}` : `unknown cancel reason ${code}`;
}

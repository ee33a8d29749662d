// The trading vocabulary of the core, defined once: sides, order kinds, times in force, the "no
// price" sentinel, order states, trading states, why the trading state changed, and pre-trade refusal codes. The host defines the same codes once (host/model/vocabulary.ts), the wire protocol
// carries them, and tests/model/vocabulary.test.ts fails if the two definitions disagree. Why matching
// cancels or rejects an order is matching's own (MatchCancelReason, MatchStatus in matching.ts).
//
// Namespaces of typed constants rather than `const enum`: a const enum's members are i32, and
// AssemblyScript refuses to order-compare them with the u32 sides and kinds the core takes. A
// constant with a literal initialiser is inlined where it is used; index.ts does not re-export this
// file, so none of it becomes a wasm global.

/** Side of an order, a fill or a book. A book's bid side is BUY, its ask side SELL. */
export namespace Side {
  export const BUY: u32 = 0;
  export const SELL: u32 = 1;
}

export namespace OrderKind {
  export const LIMIT: u32 = 0;
  export const MARKET: u32 = 1;
}

/** Market orders never rest (GTC or IOC both mean so). POST_ONLY rests like GTC but is rejected if it would cross. */
export namespace TimeInForce {
  export const GTC: u32 = 0;
  export const IOC: u32 = 1;
  export const POST_ONLY: u32 = 2;
}

/** Price of a missing level or an empty side, in ticks (i32 minimum: below every real price). */
export const NO_PRICE = i32.MIN_VALUE;

/** Where one of our working orders stands (Nautilus' names). CANCELED, FILLED, REPLACED and REJECTED
 *  are final; a cancel-reject or replace-reject returns the order to LIVE or PARTIALLY_FILLED. */
export namespace OrderState {
  export const PENDING_NEW: u32 = 0;
  export const LIVE: u32 = 1;
  export const PARTIALLY_FILLED: u32 = 2;
  export const FILLED: u32 = 3;
  export const PENDING_CANCEL: u32 = 4;
  export const CANCELED: u32 = 5;
  export const PENDING_REPLACE: u32 = 6;
  export const REPLACED: u32 = 7;
  export const REJECTED: u32 = 8;
}

/** What the engine may send: ACTIVE anything; REDUCING only orders that shrink a position; HALTED
 *  nothing new (every working order is cancelled). */
export namespace TradingState {
  export const ACTIVE: u32 = 0;
  export const REDUCING: u32 = 1;
  export const HALTED: u32 = 2;
}

/** Why pre-trade risk refused an order before it left (0: it passed). Counted per code in telemetry. */
export namespace RiskRefusal {
  export const NONE: u32 = 0;
  export const HALTED: u32 = 1;
  export const REDUCE_ONLY: u32 = 2;
  export const MAX_ORDER_QTY: u32 = 3;
  export const MAX_NOTIONAL: u32 = 4;
  export const MAX_POSITION: u32 = 5;
  export const MAX_OPEN_ORDERS: u32 = 6;
  export const MAX_GROSS_EXPOSURE: u32 = 7;
  export const DAILY_LOSS: u32 = 8;
  export const RATE_PER_SECOND: u32 = 9;
  export const RATE_PER_MINUTE: u32 = 10;
  export const RATE_PER_DAY: u32 = 11;
  export const OTR_BUDGET: u32 = 12;
}

/** Reject.reason of the venue protocol: why a venue refused one frame (the simulator's venue answers with the
 *  same codes as the live one). 0 is "no error". */
export namespace RejectReason {
  export const NONE: i32 = 0;
  // Framing and session (1..15)
  export const BAD_LENGTH: i32 = 1;
  export const BAD_VERSION: i32 = 2;
  export const UNKNOWN_TYPE: i32 = 3;
  export const UNEXPECTED_TYPE: i32 = 4;
  export const NOT_LOGGED_IN: i32 = 5;
  export const ALREADY_LOGGED_IN: i32 = 6;
  export const SEQUENCE_ERROR: i32 = 7;
  export const BAD_FIELD: i32 = 8;
  // Order fields (16..31)
  export const UNKNOWN_SYMBOL: i32 = 16;
  export const BAD_PRICE: i32 = 17;
  export const PRICE_OUT_OF_BAND: i32 = 18;
  export const BAD_QTY: i32 = 19;
  export const BAD_SIDE: i32 = 20;
  export const BAD_KIND: i32 = 21;
  export const BAD_TIF: i32 = 22;
  // Order state (32..47)
  export const UNKNOWN_ORDER: i32 = 32;
  export const DUPLICATE_CL_ORD_ID: i32 = 33;
  export const POST_ONLY_WOULD_CROSS: i32 = 34;
  // Venue capacity and state (48..63)
  export const RATE_LIMITED: i32 = 48;
  export const THROTTLED: i32 = 49;
  export const POOL_FULL: i32 = 50;
  export const VENUE_HALTED: i32 = 51;
}

/** Why the trading state is what it is: the source of a demand (0 NONE: the initial ACTIVE; RESET: after riskReset). */
export namespace TradingStateReason {
  export const NONE: u32 = 0;
  export const KILL: u32 = 1;
  export const RTT_LOCKDOWN: u32 = 2;
  export const CIRCUIT_BREAKER: u32 = 3;
  export const DAILY_LOSS: u32 = 4;
  export const OPERATOR: u32 = 5;
  export const WORKER_DIED: u32 = 6;
  export const RESET: u32 = 7;
}

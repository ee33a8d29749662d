// The trading vocabulary of the host, defined once: sides, order kinds, times in force, the "no
// price" sentinel, order states, trading states, why the trading state changed, and pre-trade refusal
// codes. Reason codes of the wire live beside it in reasons.ts. The core defines the same codes once in
// AssemblyScript (wasm-core/vocabulary.ts); tests/model/vocabulary.test.ts fails if the two disagree.
// The wire protocol (docs/protocol.md) carries the side, kind and time-in-force codes.

/** Side of an order, a fill or a book. A book's bid side is BUY, its ask side SELL. */
export const Side = { BUY: 0, SELL: 1 } as const;
export type Side = (typeof Side)[keyof typeof Side];

export const OrderKind = { LIMIT: 0, MARKET: 1 } as const;
export type OrderKind = (typeof OrderKind)[keyof typeof OrderKind];

/** Market orders must be IOC. POST_ONLY rests like GTC but is rejected if it would cross. */
export const TimeInForce = { GTC: 0, IOC: 1, POST_ONLY: 2 } as const;
export type TimeInForce = (typeof TimeInForce)[keyof typeof TimeInForce];

/** Price of a missing level or an empty side, in ticks (i32 minimum: below every real price). */
export const NO_PRICE = -2147483648;

/** Where one of our working orders stands (Nautilus' names). CANCELED, FILLED, REPLACED and REJECTED
 *  are final; a cancel-reject or replace-reject returns the order to LIVE or PARTIALLY_FILLED. */
export const OrderState = {
  PENDING_NEW: 0, LIVE: 1, PARTIALLY_FILLED: 2, FILLED: 3, PENDING_CANCEL: 4, CANCELED: 5, PENDING_REPLACE: 6,
  REPLACED: 7, REJECTED: 8,
} as const;
export type OrderState = (typeof OrderState)[keyof typeof OrderState];

/** What the engine may send: ACTIVE anything; REDUCING only orders that shrink a position; HALTED
 *  nothing new (every working order is cancelled). */
export const TradingState = { ACTIVE: 0, REDUCING: 1, HALTED: 2 } as const;
export type TradingState = (typeof TradingState)[keyof typeof TradingState];

/** Why pre-trade risk refused an order before it left (0: it passed). Counted per code in telemetry. */
export const RiskRefusal = {
  NONE: 0, HALTED: 1, REDUCE_ONLY: 2, MAX_ORDER_QTY: 3, MAX_NOTIONAL: 4, MAX_POSITION: 5, MAX_OPEN_ORDERS: 6,
  MAX_GROSS_EXPOSURE: 7, DAILY_LOSS: 8, RATE_PER_SECOND: 9, RATE_PER_MINUTE: 10, RATE_PER_DAY: 11, OTR_BUDGET: 12,
} as const;
export type RiskRefusal = (typeof RiskRefusal)[keyof typeof RiskRefusal];

/** Why the trading state is what it is: the source of a demand (NONE: the initial ACTIVE; RESET: after a reset). */
export const TradingStateReason = {
  NONE: 0, KILL: 1, RTT_LOCKDOWN: 2, CIRCUIT_BREAKER: 3, DAILY_LOSS: 4, OPERATOR: 5, WORKER_DIED: 6, RESET: 7,
} as const;
export type TradingStateReason = (typeof TradingStateReason)[keyof typeof TradingStateReason];

/** The venue's Reject.reason codes, written in host/model/reasons.ts; here too because the core's vocabulary
 *  has them (the simulator's venue answers with them), and tests/model/vocabulary.test.ts holds the two equal. */
export { RejectReason } from './reasons.js';

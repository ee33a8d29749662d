// The trading vocabulary of the host, defined once: sides, order kinds, times in force and the
// "no price" sentinel. Reason codes live beside it in reasons.ts. The core defines the same codes
// once in AssemblyScript (wasm-core/vocabulary.ts); tests/model/vocabulary.test.ts fails if the two
// disagree. The wire protocol (docs/protocol.md) carries these very codes.

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

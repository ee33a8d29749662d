// The trading vocabulary of the core, defined once: sides, order kinds, times in force and the "no
// price" sentinel. The host defines the same codes once (host/model/vocabulary.ts), the wire protocol
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

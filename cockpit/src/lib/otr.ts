// The OTR figures the Execution panel derives from the OtrBlock. The penalty-free band is an order-to-trade
// ratio below 50 (MARKET_RULES: "OTR < 50: nil"); the distance to it is said two ways a trader can act on:
// how far the ratio is above 50, and how many more trades (with no more counted messages) would bring it under.

/** Ratio below which the day carries no OTR penalty. */
export const OTR_NIL_BELOW = 50;

/** budgetLeft's value for "no next slab". */
export const UNLIMITED_BUDGET = 2147483647;

export interface OtrDistance {
  /** True when the ratio is already under the penalty-free bound. */
  readonly inside: boolean;
  /** ratio − 50, orders/trade (0 inside). */
  readonly ratioAbove: number;
  /** Trades still needed so that counted / trades < 50 (0 inside). */
  readonly tradesNeeded: number;
}

export function otrDistance(countedMessages: number, trades: number): OtrDistance {
  // Strictly below: trades > counted / 50, i.e. trades ≥ floor(counted / 50) + 1.
  const need = Math.floor(countedMessages / OTR_NIL_BELOW) + 1;
  const inside = countedMessages === 0 || trades >= need;
  const ratio = trades > 0 ? countedMessages / trades : countedMessages;
  return {
    inside,
    ratioAbove: inside ? 0 : ratio - OTR_NIL_BELOW,
    tradesNeeded: inside ? 0 : need - trades,
  };
}

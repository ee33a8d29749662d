// A client's order while it is live at the venue, and the interface its owner (an order-entry
// session) receives execution reports through. Synthetic flow orders have no LiveOrder: the flow
// keeps only their engine ids.

/** Who gets an order's execution reports. Implemented by OrderEntrySession. */
export interface OrderOwner {
  /** The engine's owner id for this owner's orders (the session id). */
  readonly ownerId: number;
  reportAck(order: LiveOrder): void;
  reportFill(order: LiveOrder, tradeId: number, price: number, qty: number, leaves: number, maker: boolean): void;
  /** `requestClOrdId`: the Cancel's own id, or the order's id for unsolicited cancels. */
  reportCanceled(order: LiveOrder, requestClOrdId: number, canceledQty: number, reason: number): void;
  reportReplaced(order: LiveOrder, origClOrdId: number, oldExchOrderId: number, leaves: number): void;
  /** The order is filled or canceled: forget it. */
  orderDone(order: LiveOrder): void;
}

export class LiveOrder {
  /** Venue-wide wire id, set on acceptance; a Replace that loses priority gets a new one. */
  exchOrderId = 0;
  /** Its id in the symbol's matching state (reused after the order is gone). */
  matchId = 0;
  /** Quantity filled so far. */
  cumQty = 0;

  constructor(
    readonly owner: OrderOwner,
    /** Current client order id (a Replace moves it). */
    public clOrdId: number,
    readonly symbol: number,
    readonly side: number,
    readonly kind: number,
    readonly tif: number,
    /** Current limit price (0 for market). */
    public price: number,
    /** Current total quantity, fills included. */
    public qty: number,
  ) {}
}

/** Run-wide id counters: exchange order ids and trade ids are unique for the venue's run. */
export class VenueIds {
  private order = 0;
  private trade = 0;
  nextOrderId(): number {
    return ++this.order;
  }
  nextTradeId(): number {
    return ++this.trade;
  }
}

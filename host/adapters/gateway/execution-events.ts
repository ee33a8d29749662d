// The order gateway's execution reports and session events, as primitive arguments: nothing is
// allocated per report.

/**
 * Execution reports and session events. t5 = the clock at the socket read; rttNs = T5 − T4 of the
 * request this report answers, −1 when it answers none (unsolicited) or T4 is unknown.
 */
export interface ExecutionEvents {
  onAck(clOrdId: number, exchOrderId: number, symbol: number, side: number, price: number, qty: number,
    rttNs: number, t5: number): void;
  /** clOrdId 0: the refused frame had none (e.g. a Heartbeat); refType is its type byte. */
  onReject(clOrdId: number, reason: number, detail: number, refType: number, rttNs: number, t5: number): void;
  onFill(clOrdId: number, exchOrderId: number, tradeId: number, symbol: number, side: number, price: number, qty: number,
    leavesQty: number, flags: number, t5: number): void;
  /** clOrdId: the Cancel's id when solicited, else the order's own (origClOrdId = the order's id). */
  onCanceled(clOrdId: number, origClOrdId: number, exchOrderId: number, symbol: number, side: number, canceledQty: number,
    reason: number, rttNs: number, t5: number): void;
  onReplaced(clOrdId: number, origClOrdId: number, oldExchOrderId: number, exchOrderId: number, symbol: number,
    side: number, price: number, qty: number, leavesQty: number, rttNs: number, t5: number): void;
  /** The venue's TestResponse to our TestRequest `testId` (an RTT probe): rttNs = T5 − T4 as for an Ack
   *  (−1 when that request was not waiting: already answered, or timed out and forgotten). */
  onTestResponse(testId: number, rttNs: number, t5: number): void;
  /** No first answer within requestTimeoutMs; `type` is MessageType.NewOrder, Cancel, Replace or TestRequest. */
  onTimeout(clOrdId: number, type: number, t4: number): void;
  /** The session is over: a DisconnectReason (the venue's Logout, or ours) or a GatewayEnd local code. */
  onSessionEnd(reason: number, detail: number, byVenue: boolean): void;
}

/** ExecutionEvents that ignore everything: extend it and override what you need. */
export class NullExecutionEvents implements ExecutionEvents {
  onAck(_clOrdId: number, _exchOrderId: number, _symbol: number, _side: number, _price: number, _qty: number,
    _rttNs: number, _t5: number): void {}
  onReject(_clOrdId: number, _reason: number, _detail: number, _refType: number, _rttNs: number, _t5: number): void {}
  onFill(_clOrdId: number, _exchOrderId: number, _tradeId: number, _symbol: number, _side: number, _price: number,
    _qty: number, _leavesQty: number, _flags: number, _t5: number): void {}
  onCanceled(_clOrdId: number, _origClOrdId: number, _exchOrderId: number, _symbol: number, _side: number,
    _canceledQty: number, _reason: number, _rttNs: number, _t5: number): void {}
  onReplaced(_clOrdId: number, _origClOrdId: number, _oldExchOrderId: number, _exchOrderId: number, _symbol: number,
    _side: number, _price: number, _qty: number, _leavesQty: number, _rttNs: number, _t5: number): void {}
  onTestResponse(_testId: number, _rttNs: number, _t5: number): void {}
  onTimeout(_clOrdId: number, _type: number, _t4: number): void {}
  onSessionEnd(_reason: number, _detail: number, _byVenue: boolean): void {}
}

// Execution reports from the venue: each order-level frame decoded and handed to the ExecutionEvents
// as primitive arguments, with rttNs = T5 − T4 of the request it answers first (from the in-flight
// table; −1 for unsolicited reports: fills, IOC remainders, session-end cancels). Requests with no
// first answer within the request timeout are reported once through onTimeout. Nothing is
// allocated per report.
import {
  MessageType,
  ackExchOrderId,
  ackPrice,
  ackQty,
  ackSide,
  ackSymbol,
  canceledExchOrderId,
  canceledOrigClOrdId,
  canceledQty,
  canceledReason,
  canceledSide,
  canceledSymbol,
  clOrdIdOf,
  describeRejectReason,
  fillExchOrderId,
  fillFlags,
  fillLeavesQty,
  fillPrice,
  fillQty,
  fillSide,
  fillSymbol,
  fillTradeId,
  messageName,
  rejectDetail,
  rejectReason,
  rejectRefType,
  replacedExchOrderId,
  replacedLeavesQty,
  replacedOldExchOrderId,
  replacedOrigClOrdId,
  replacedPrice,
  replacedQty,
  replacedSide,
  replacedSymbol,
  testResponseId,
} from '../../protocol/index.js';
import type { RateLimitedLog } from '../../platform/rate-limited-log.js';
import type { ExecutionEvents } from './execution-events.js';
import type { GatewayCounters } from './gateway-counters.js';
import type { InFlightTable } from './in-flight.js';

const T = MessageType;

export class ExecutionReports {
  constructor(
    private readonly events: ExecutionEvents,
    private readonly requests: InFlightTable,
    private readonly counters: GatewayCounters,
    private readonly log: RateLimitedLog,
    private readonly requestTimeoutNs: number,
  ) {}

  /** An order-level frame (Ack, Fill, Canceled, Replaced, Reject) or a TestResponse of a logged-in session, read at t5. */
  deliver(view: DataView, at: number, type: number, t5: number): void {
    const ev = this.events;
    switch (type) {
      case T.Ack: {
        this.counters.acks++;
        const id = clOrdIdOf(view, at);
        ev.onAck(id, ackExchOrderId(view, at), ackSymbol(view, at), ackSide(view, at), ackPrice(view, at), ackQty(view, at),
          this.requests.answered(id, t5), t5);
        return;
      }
      case T.Fill:
        this.counters.fills++;
        ev.onFill(clOrdIdOf(view, at), fillExchOrderId(view, at), fillTradeId(view, at), fillSymbol(view, at), fillSide(view, at),
          fillPrice(view, at), fillQty(view, at), fillLeavesQty(view, at), fillFlags(view, at), t5);
        return;
      case T.Canceled: {
        this.counters.canceled++;
        const id = clOrdIdOf(view, at);
        ev.onCanceled(id, canceledOrigClOrdId(view, at), canceledExchOrderId(view, at), canceledSymbol(view, at),
          canceledSide(view, at), canceledQty(view, at), canceledReason(view, at), this.requests.answered(id, t5), t5);
        return;
      }
      case T.Replaced: {
        this.counters.replaced++;
        const id = clOrdIdOf(view, at);
        ev.onReplaced(id, replacedOrigClOrdId(view, at), replacedOldExchOrderId(view, at), replacedExchOrderId(view, at),
          replacedSymbol(view, at), replacedSide(view, at), replacedPrice(view, at), replacedQty(view, at),
          replacedLeavesQty(view, at), this.requests.answered(id, t5), t5);
        return;
      }
      case T.TestResponse: {
        this.counters.testResponses++;
        const id = testResponseId(view, at);
        ev.onTestResponse(id, this.requests.answered(id, t5), t5);
        return;
      }
      case T.Reject: {
        this.counters.rejects++;
        const id = clOrdIdOf(view, at);
        const reason = rejectReason(view, at);
        if (id === 0) {
          this.log.log(`venue rejected our ${messageName(rejectRefType(view, at))}: ${describeRejectReason(reason)}` +
            ` (detail ${rejectDetail(view, at)})`);
        }
        ev.onReject(id, reason, rejectDetail(view, at), rejectRefType(view, at), id === 0 ? -1 : this.requests.answered(id, t5), t5);
        return;
      }
    }
  }

  /** Reports the oldest request past its timeout at `now`; false when none is due. */
  expireOne(now: number): boolean {
    const requests = this.requests;
    const slot = requests.expireOne(now, this.requestTimeoutNs);
    if (slot < 0) return false;
    this.events.onTimeout(requests.idAt(slot), requests.typeAt(slot), requests.t4At(slot));
    return true;
  }

  /** The session ended: requests still waiting get no answer in it. */
  abandon(): void {
    this.requests.abandon();
  }
}
